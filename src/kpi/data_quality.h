// File: kpi/data_quality.h
// The data-quality report per unit (数据质量报告): what a district or a center should fix in its
// records, counted for the unit and each unit directly under it, with a few examples each.
//
// Checks, over the active persons living under the unit (as of `as_of`):
// - missing_phone, missing_address: no phone / no residence address on the record;
// - impossible_dates: born after as_of, arrived before birth, left the 户籍 place after arriving,
//   or arrived after as_of;
// - impossible_doses: an active dose record dated before the child's birth or after as_of;
// - duplicate_suspects: another active person with the same name, sex and birth date (both are
//   counted) — likely the same person registered twice;
// - reviews_overdue: documents pending for more than `review_days` days (居住证 are issued within
//   15 days of acceptance, REFERENCE §6);
// - certificates_missing: children entitled to a vaccination certificate for more than 30 days
//   without one (试点工作方案 §四(三));
// - doses_overdue: children under 7 with a programme dose overdue (the forecast engine).
// Examples carry the person's id and the check, never names or ID numbers.
//
// Only persons within `scope` (the caller's, auth/scope.h) are counted, and of those only the ones
// under `unit`: the scope is narrowed to the unit here, so a caller cannot widen it, and the
// default scope counts no one.
#pragma once

#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "core/status.h"
#include "immunization/forecast.h"
#include "registry/model.h"
#include "storage/database.h"

namespace jd::kpi {

struct QualityCounts {
  registry::OrgUnit unit;
  int persons = 0;
  int missing_phone = 0;
  int missing_address = 0;
  int impossible_dates = 0;
  int impossible_doses = 0;
  int duplicate_suspects = 0;
  int reviews_overdue = 0;
  int certificates_missing = 0;
  int doses_overdue = 0;
};

struct QualityExample {
  std::string check;  // the counter's name, e.g. "impossible_dates"
  std::string person_id;
  std::string org;
};

struct QualityReport {
  Date as_of{};
  std::vector<QualityCounts> units;      // the unit first, then those directly under it
  std::vector<QualityExample> examples;  // up to `max_examples` per check
};

struct QualityOptions {
  int review_days = 15;
  int max_examples = 20;
};

// `unit` and `children` from the org tree (kpi/live_view.h OrgTree or the registry).
Result<QualityReport> DataQuality(storage::Database& db, const immunization::Schedule& schedule,
                                  const auth::Scope& scope, const registry::OrgUnit& unit,
                                  const std::vector<registry::OrgUnit>& children, Date as_of,
                                  const QualityOptions& options = {});

}  // namespace jd::kpi
