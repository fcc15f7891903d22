// File: network/demo_network.h
// The service network of the synthetic city of `jundeng demo`, so that the points, the
// demonstration-point figures, the association coverage and the ten-minute circle show
// real-looking figures.
//
// DemoNetwork(db, options): for every district of the demo tree, a centre near the district's real
// seat (WGS-84, approximate, for the demo only); its streets on a ring 2–4 km around it, and each
// street's communities 450–1,300 m around the street (the positions are stored as the communities'
// centroids). Points: a community health service centre (街道) or township health centre (镇/乡) at
// every street, dispensing free contraceptives to the public; in a community, 55% get a station or
// village clinic within 200 m and another 15% a self-service machine, both dispensing; the others
// have none and are covered only when the street's centre is within 800 m, so some communities are
// left outside the circle. Every district has one demonstration point at its first street with the
// "六个一" checked: all six before the 2018-05-31 deadline in most districts, all six only in 2019
// in every fourth, and without the plaque in every fifth (so that the figures show each case).
// Gathering places: 2–4 per street (enterprise, market, industrial park, construction site,
// dormitory in turn), 90% with a family-planning association. The proportions are invented for
// the demo, not facts. Deterministic for a seed. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::network {

struct DemoNetworkOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
};

struct DemoNetworkCounts {
  std::int64_t communities = 0;          // positioned
  std::int64_t points = 0;               // service points written
  std::int64_t demonstration = 0;        // demonstration points
  std::int64_t compliant_districts = 0;  // with a compliant demonstration point on as_of
  std::int64_t places = 0, with_association = 0;
  std::int64_t communities_outside = 0;  // beyond 800 m of every dispensing point
};

Result<DemoNetworkCounts> DemoNetwork(storage::Database& db, const DemoNetworkOptions& options);

}  // namespace jd::network
