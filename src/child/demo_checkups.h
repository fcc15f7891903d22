// File: child/demo_checkups.h
// Check-ups of the children 0–6 of the synthetic city of `jundeng demo`, so that the child-health
// tab, its growth charts and the due list show real-looking data.
//
// DemoCheckups(db, options): reads the active persons younger than 7 years on options.as_of and
//   writes, for each contact of the 规范 schedule (0～6岁儿童健康管理服务规范 二(一)–(四),
//   child/checkups.h) that opened after the child arrived here and by the demo date, a check-up
//   with probability 0.88 (a few of the rest are due or overdue on the day), on a day inside the
//   contact's window, one in ten late. Everything about one child is drawn from a hash of (seed,
//   identity document), so the same seed and population give the same check-ups whatever the
//   database ids are. The proportions are invented for the demo, not facts.
//   Growth: each child keeps a z-score for length/height and one for weight (correlated), drawn
//   from a normal distribution of mean −0.35 and SD 1.05 (about 6% below −2, the order of
//   stunting among migrant children in published surveys), plus a small noise per visit; the
//   values are the WHO 2006 standards' LMS inverse at the child's age (child/growth.h; beyond 1856
//   days, where the tables end, the last row's median grows by 2 kg and 6.5 cm a year). Head
//   circumference to 36 months, haemoglobin and hearing at 6, 12, 24 and 36 months, vision from 4
//   years, development screening at every infant and toddler check-up.
//   The check-ups are kept by the street's health centre of the child's residence, written in
//   batches through the store.
//   Newborn screening (新生儿疾病筛查, child/screening.h): most children born here have their PKU
//   and CH blood spots (normal but for a few recalled, most of those with a diagnosis) and a
//   hearing screen (a few refer, most of them pass the re-screen), from named maternity units and
//   the region's screening centre; half of those born elsewhere have results transcribed. Drawn
//   from a second stream of the same hash. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::child {

struct DemoCheckupOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
  int attend_per_mille = 880;
  int batch_size = 2000;
};

struct DemoCheckupCounts {
  std::int64_t children = 0;  // active persons under 7
  std::int64_t checkups = 0;
  std::int64_t stunted = 0;              // children whose last check-up has lhaz < −2
  std::int64_t screened = 0;             // children with a screening result
  std::int64_t screenings = 0;           // results
  std::int64_t screening_referrals = 0;  // positive blood spots and hearing refers
};

Result<DemoCheckupCounts> DemoCheckups(storage::Database& db, const DemoCheckupOptions& options);

}  // namespace jd::child
