// File: education/demo_activities.h
// The health-education activities of the synthetic city of `jundeng demo`, so that the norms
// page, the shortfall list and the centre's home card show real-looking figures.
//
// DemoActivities(db, options): for every active service point with norms (centres and stations,
// NormsTypeOfPointKind), from 1 January of as_of's year to as_of, the activities that meet each
// norm month by month (规范 第三版 健康教育服务规范 二(二)): of a yearly count R, month k holds
// floor(R·k/12) − floor(R·(k−1)/12) lectures and consultation events (every third a free clinic),
// so that the count due on any day is met; a bulletin-board change of each board (two at a centre)
// on the 1st of every odd month; a printed material of a new title every month and, at centres, an
// audio-video material of a new title every even month. Every third point (by org path and name,
// shifted by the seed) holds lectures only in the first half of the months completed, so that about
// a third of the points are behind on lectures. Venues, days, attendance and copies are drawn from
// the seed. The proportions are invented for the demo, not facts. Deterministic for a seed (the
// ids are new). REQUIRES: the service network was written (network/demo_network.h).
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::education {

struct DemoActivitiesOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
};

struct DemoActivitiesCounts {
  std::int64_t points = 0;      // points with norms
  std::int64_t activities = 0;  // activities written
  std::int64_t behind = 0;      // points left behind on lectures
};

Result<DemoActivitiesCounts> DemoActivities(storage::Database& db,
                                            const DemoActivitiesOptions& options);

}  // namespace jd::education
