// File: mental/demo_patients.h
// Severe-mental-disorder patients for the synthetic city of `jundeng demo`, so that the registry,
// the overdue worklist, the partner alerts and the indicators show real-looking figures.
//
// DemoPatients(db, options): in every district, the first `per_district` active residents aged
// 18–65 on options.as_of, ordered by a hash of (seed, identity document), are registered with one
// of the six diagnoses (schizophrenia the most common), diagnosed 1–10 years before and registered
// 4–24 months before the demo date, kept by the street's health centre; 85% signed the informed
// consent, 5% refused, the rest not yet. Each patient has a tendency (60% stable, 25% basically
// stable, 15% unstable) from which every follow-up's findings are drawn; the follow-ups run from
// about a week after the registration at the dates mental/rules.h gives for each class (a few days
// early or late), up to the demo date; about one in eight patients stops being seen at some point
// and is overdue, and the first patient of every district is. A follow-up at danger level 3 or
// more raises the partner alert (acknowledged unless it is from the last 3 days) and, at 4 or
// more, an emergency handling record. The first unstable patient of every district has a
// level-3 follow-up within the last week, so every district has an open alert. The proportions
// are invented for the demo, not facts. Rows are written through mental/store.h with the class
// and due day as the service keeps them. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::mental {

struct DemoPatientOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
  int per_district = 30;
};

struct DemoPatientCounts {
  std::int64_t patients = 0;
  std::int64_t follow_ups = 0;
  std::int64_t unstable = 0, basically_stable = 0, stable = 0;  // by the latest class
  std::int64_t overdue = 0;
  std::int64_t alerts = 0, open_alerts = 0;
  std::int64_t emergencies = 0;
};

Result<DemoPatientCounts> DemoPatients(storage::Database& db, const DemoPatientOptions& options);

}  // namespace jd::mental
