// Fuzz target: the person JSON layer (registry/person_json.h) on arbitrary request bodies, as
// POST /persons and PATCH /persons/{id} receive them.
// Properties checked beyond "no crash, no sanitizer report, no exception":
// - a person read without field errors reads back the same from its own JSON (PersonToJson then
//   PersonFromJson changes nothing), and its JSON can be serialised;
// - a patch applied to a valid person never throws, whatever the patch holds.
#include "core/dates.h"
#include "fuzz_support.h"
#include "registry/person_json.h"
#include "registry/person_rules.h"

namespace {

jd::registry::Person BasePerson() {
  jd::FieldErrors errors;
  jd::registry::Person p = jd::registry::PersonFromJson({{"name", "张三"},
                                                         {"id_number", "11010519491231002X"},
                                                         {"hukou_division", "110105"},
                                                         {"residence_org", "450103001"},
                                                         {"arrived_on", "2024-01-02"},
                                                         {"move_reason", "work"}},
                                                        errors);
  JD_FUZZ_CHECK(errors.empty());
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json j = jd::fuzz::ParseJsonOrDiscard(data, size);
  if (j.is_discarded()) return 0;
  const jd::Date as_of = *jd::ParseDate("2026-01-01");

  jd::FieldErrors errors;
  const jd::registry::Person p = jd::registry::PersonFromJson(j, errors);
  if (errors.empty()) {
    (void)jd::registry::ValidatePerson(p, as_of);
    const nlohmann::json shown = jd::registry::PersonToJson(p, /*mask=*/false);
    (void)shown.dump();
    (void)jd::registry::PersonToJson(p, /*mask=*/true).dump();
    jd::FieldErrors again_errors;
    const jd::registry::Person again = jd::registry::PersonFromJson(shown, again_errors);
    JD_FUZZ_CHECK(again_errors.empty());
    JD_FUZZ_CHECK(jd::registry::PersonToJson(again, /*mask=*/false) == shown);
  }

  static const jd::registry::Person base = BasePerson();
  jd::FieldErrors patch_errors;
  const jd::registry::Person patched = jd::registry::ApplyPersonPatch(base, j, patch_errors);
  if (patch_errors.empty()) {
    (void)jd::registry::ValidatePerson(patched, as_of);
    (void)jd::registry::PersonToJson(patched, /*mask=*/true).dump();
  }
  return 0;
}
