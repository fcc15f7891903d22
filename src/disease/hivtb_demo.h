// File: disease/hivtb_demo.h
// TB treatment courses and HIV care records for the synthetic city of `jundeng demo`, so that the
// TB worklist and the HIV view show real-looking data. Invented for the demo, not facts.
//
// DemoHivTb(db, options): reads the active adults (18–65 on options.as_of), ranks them by a hash
//   of (seed, identity document) and takes the first max(4, adults / 300) for a TB course and the
//   next max(3, adults / 800) for an HIV care record, so the same seed and population give the
//   same records. TB courses cycle through four situations: notified 20 days ago and visited
//   once, late (overdue: the next 10-day visit was missed); visited every 10 days in the intensive
//   phase, the latest 8 days ago; in the continuation phase, visited monthly, the latest 10 days
//   ago; completed (outcome on the last day of a 6-month course). HIV records cycle through: on
//   ART for about 13 months with CD4 and viral load at 6 and 12 months; on ART for 20 days;
//   diagnosed 10 days ago, ART not started. The treating unit is the street's health centre of
//   the residence. Rows go through disease/hivtb_store.h in one transaction. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::disease {

struct DemoHivTbOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
};

struct DemoHivTbCounts {
  std::int64_t tb_courses = 0;
  std::int64_t tb_overdue = 0;
  std::int64_t tb_visits = 0;
  std::int64_t hiv_records = 0;
  std::int64_t hiv_follow_ups = 0;
};

Result<DemoHivTbCounts> DemoHivTb(storage::Database& db, const DemoHivTbOptions& options);

}  // namespace jd::disease
