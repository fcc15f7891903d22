// Fuzz target: eligibility (registry/eligibility.h) over facts parsed from arbitrary JSON, the
// form `jundeng eligibility` reads.
// Properties checked beyond "no crash, no sanitizer report, no exception":
// - facts that parse are evaluated into all seven rules, and the result serialises;
// - the rules and the day windows agree (the contract of Windows): floating, the health record and
//   the vaccination file are granted on the as-of date exactly when the windows say so.
#include "fuzz_support.h"
#include "registry/eligibility.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jd::registry;
  const nlohmann::json j = jd::fuzz::ParseJsonOrDiscard(data, size);
  if (j.is_discarded()) return 0;
  auto facts = EligibilityFactsFromJson(j);
  if (!facts.ok()) {
    JD_FUZZ_CHECK(!facts.status().field_errors().empty());
    return 0;
  }
  const EligibilityResult r = Evaluate(*facts);
  JD_FUZZ_CHECK(r.rules.size() == 7);
  (void)ToJson(r).dump();
  if (r.entitlements.health_record || r.entitlements.vaccination_file ||
      r.entitlements.free_services) {
    JD_FUZZ_CHECK(r.floating);
  }

  const EligibilityWindows w = Windows(*facts);
  const jd::Date as_of = facts->as_of;
  const bool floating = w.floating_from && *w.floating_from <= as_of;
  const bool health = w.health_record_from && *w.health_record_from <= as_of;
  const bool file = w.vaccination_file_from && *w.vaccination_file_from <= as_of &&
                    as_of < w.vaccination_file_until;
  JD_FUZZ_CHECK(r.floating == floating);
  JD_FUZZ_CHECK(r.entitlements.health_record == health);
  JD_FUZZ_CHECK(r.entitlements.vaccination_file == file);
  return 0;
}
