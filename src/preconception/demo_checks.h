// File: preconception/demo_checks.h
// Pre-pregnancy checks and folic-acid supplies for the synthetic city of `jundeng demo`, so that
// the 孕前优生 tab shows real-looking couples.
//
// DemoChecks(db, options): pairs the active married women aged 20–40 with the active married men
// aged 20–49 of the same community (both sorted by identity document, the i-th woman with the i-th
// man; a woman without a man there gets a typed, unregistered partner) and gives a check to about
// checked_per_mille / 1000 of the women. Everything about one couple is drawn from a hash of
// (seed, the woman's identity document), so the same seed and population give the same checks
// whatever the database ids are. The proportions are invented for the demo, not facts: the check
// 0–330 days before the demo date at the street's health centre; 80% with every item, the others
// lacking one to three; 10% of the men not examined; rubella IgG negative 12%, HBsAg positive 6%
// of each partner, TSH abnormal 4%, a history risk factor 8%; a planned pregnancy 3–6 months
// after the check. 75% of the checked women get folic acid from the day of the check (90 days),
// and most of them a refill when it runs out. Rows are written through the store; the risk group
// is classified by preconception/checks.h as the service does. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::preconception {

struct DemoCheckOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
  int checked_per_mille = 150;
};

struct DemoCheckCounts {
  std::int64_t women = 0;  // married women aged 20–40
  std::int64_t checks = 0;
  std::int64_t registered_men = 0;
  std::int64_t high_risk = 0;
  std::int64_t supplies = 0;
};

Result<DemoCheckCounts> DemoChecks(storage::Database& db, const DemoCheckOptions& options);

}  // namespace jd::preconception
