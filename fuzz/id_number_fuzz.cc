// Fuzz target: GB 11643-1999 resident ID numbers (registry/id_number.h) and record ids
// (core/ids.h), on arbitrary text as it arrives in a form, a CSV cell or a query.
// Properties checked beyond "no crash, no sanitizer report":
// - a number that passes every check has 18 characters ending in the check character of its first
//   17, a birth date, a sex and no errors; one that fails has errors, all under "id_number";
// - NormalizeResidentId is idempotent; UpgradeLegacyId yields 18 characters or nothing;
// - a text IsUuid accepts has the canonical 36-character shape.
#include "core/dates.h"
#include "core/ids.h"
#include "fuzz_support.h"
#include "registry/id_number.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jd::registry;
  const std::string_view text = jd::fuzz::AsText(data, size);
  static const jd::Date as_of = *jd::ParseDate("2026-01-01");

  const IdCheck check = CheckResidentId(text, as_of);
  if (check.valid) {
    JD_FUZZ_CHECK(check.errors.empty());
    JD_FUZZ_CHECK(check.normalized.size() == 18);
    JD_FUZZ_CHECK(IdCheckCharacter(check.normalized.substr(0, 17)) == check.normalized[17]);
    JD_FUZZ_CHECK(check.birth_date.has_value() && *check.birth_date <= as_of);
    JD_FUZZ_CHECK(check.sex.has_value());
    JD_FUZZ_CHECK(check.region_code == check.normalized.substr(0, 6));
    // A valid number checks the same once normalised.
    JD_FUZZ_CHECK(CheckResidentId(check.normalized, as_of).valid);
  } else {
    JD_FUZZ_CHECK(!check.errors.empty());
    for (const auto& e : check.errors) JD_FUZZ_CHECK(e.field == "id_number");
  }

  const std::string normalized = NormalizeResidentId(text);
  JD_FUZZ_CHECK(NormalizeResidentId(normalized) == normalized);

  const std::string upgraded = UpgradeLegacyId(text);
  JD_FUZZ_CHECK(upgraded.empty() || upgraded.size() == 18);

  const char check_char = IdCheckCharacter(text);
  JD_FUZZ_CHECK(check_char == '\0' || check_char == 'X' ||
                (check_char >= '0' && check_char <= '9'));

  if (jd::IsUuid(text)) {
    JD_FUZZ_CHECK(text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' &&
                  text[23] == '-');
  }
  return 0;
}
