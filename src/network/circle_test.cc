#include "network/circle.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/test_support.h"
#include "network/circle_csv.h"

namespace jd::network {
namespace {

using nlohmann::json;
using testing_support::ForEachCase;
using testing_support::ReadCases;

std::string DataFile(const std::string& name) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/network/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double NumberOf(const json& input, const char* key, double fallback) {
  return input.contains(key) ? std::stod(input[key].get<std::string>()) : fallback;
}

json CoverageJson(const Coverage& c) {
  return {{"people", c.people},
          {"people_covered", c.people_covered},
          {"communities", c.communities},
          {"communities_covered", c.communities_covered}};
}

// The worked maps of tests/data/network/circle_cases.json, through the CSV reader and the engine
// (the command's output is checked on the same cases by tests/integration/network_test.cc).
TEST(CircleCases, WorkedMaps) {
  json cases = ReadCases("tests/data/network/circle_cases.json");
  ForEachCase(cases, [](const json& c) {
    const json& in = c["input"];
    const json& want = c["expect"];
    auto points = ReadSitesCsv(DataFile(in["points"]), "points");
    auto communities = ReadCommunitiesCsv(DataFile(in["communities"]), "communities");
    ASSERT_TRUE(points.ok()) << points.status().ToString();
    ASSERT_TRUE(communities.ok()) << communities.status().ToString();
    CircleOptions options{.radius_m = NumberOf(in, "radius_m", 800.0),
                          .detour = NumberOf(in, "detour", 1.0)};
    auto reach = ReachOf(*points, *communities, options);
    EXPECT_EQ(reach, ReachByFullScan(*points, *communities, options));
    json rows = json::array();
    for (std::size_t i = 0; i < reach.size(); ++i) {
      const Reach& r = reach[i];
      rows.push_back({(*communities)[i].id, r.nearest ? (*points)[*r.nearest].id : "",
                      r.nearest ? fmt::format("{:.1f}", r.distance_m) : "", r.covered ? 1 : 0});
    }
    EXPECT_EQ(rows, want["rows"]);
    if (want.contains("coverage")) {
      EXPECT_EQ(CoverageJson(CoverageOf(*communities, reach)), want["coverage"]);
    }
    if (want.contains("by_group")) {
      std::vector<std::string> group_of;
      for (const auto& community : *communities) group_of.push_back(in["groups"][community.id]);
      json got = json::object();
      for (const auto& [group, coverage] : CoverageByGroup(*communities, reach, group_of)) {
        got[group] = CoverageJson(coverage);
      }
      EXPECT_EQ(got, want["by_group"]);
    }
    if (want.contains("outside")) {
      json got = json::array();
      for (std::size_t i : RankOutside(*communities, reach)) got.push_back((*communities)[i].id);
      EXPECT_EQ(got, want["outside"]);
    }
    if (want.contains("placement")) {
      std::vector<Site> candidates;
      if (in.contains("candidates")) {
        auto k = ReadCommunitiesCsv(DataFile(in["candidates"]), "candidates");
        ASSERT_TRUE(k.ok()) << k.status().ToString();
        for (const auto& s : *k) candidates.push_back({.id = s.id, .at = s.at});
      } else {
        for (const auto& s : *communities) candidates.push_back({.id = s.id, .at = s.at});
      }
      std::size_t place = in["place"];
      auto placed = PlaceGreedy(*communities, reach, candidates, place, options);
      EXPECT_EQ(placed, PlaceGreedyByFullScan(*communities, reach, candidates, place, options));
      json got = json::array();
      for (const auto& p : placed) got.push_back({candidates[p.candidate].id, p.newly_covered});
      EXPECT_EQ(got, want["placement"]);
    }
  });
}

// A distance exactly equal to the radius is inside the circle.
TEST(Circle, DistanceEqualToRadiusIsCovered) {
  std::vector<Site> points = {{.id = "P", .at = {.lat = 22.8, .lon = 108.3}}};
  std::vector<Community> communities = {
      {.id = "C", .at = {.lat = 22.8061, .lon = 108.3042}, .people = 7}};
  double d = WalkingDistanceM(communities[0].at, points[0].at, 1.3);
  auto inside = ReachOf(points, communities, {.radius_m = d, .detour = 1.3});
  EXPECT_TRUE(inside[0].covered);
  EXPECT_EQ(inside[0].distance_m, d);
  auto outside = ReachOf(points, communities, {.radius_m = std::nextafter(d, 0.0), .detour = 1.3});
  EXPECT_FALSE(outside[0].covered);
  // A candidate exactly at the radius covers the community.
  std::vector<Site> candidates = {{.id = "K", .at = points[0].at}};
  auto none = std::vector<Reach>(1);
  auto placed = PlaceGreedy(communities, none, candidates, 1, {.radius_m = d, .detour = 1.3});
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0].newly_covered, 7);
}

// Random maps: the R-tree answers exactly as the full scan, including duplicate positions (ties),
// near-ties, the poles, the antimeridian and circles larger than the map.
TEST(Circle, IndexEqualsFullScanOnRandomMaps) {
  std::mt19937_64 rng(20261207);
  struct Area {
    double lat0, lat1, lon0, lon1;
  };
  std::vector<Area> areas = {{22.70, 22.95, 108.20, 108.50},
                             {-90.0, 90.0, -180.0, 180.0},
                             {89.90, 90.0, -180.0, 180.0},
                             {-10.0, 10.0, 179.9, 180.0}};
  for (const Area& area : areas) {
    std::uniform_real_distribution<double> lat(area.lat0, area.lat1);
    std::uniform_real_distribution<double> lon(area.lon0, area.lon1);
    std::uniform_int_distribution<int> people(0, 1000);
    for (int round = 0; round < 2; ++round) {
      std::vector<Site> points;
      for (int i = 0; i < 200; ++i) {
        LatLon at{.lat = lat(rng), .lon = lon(rng)};
        points.push_back({.id = fmt::format("P{}", i), .at = at});
        if (i % 10 == 0) points.push_back({.id = fmt::format("D{}", i), .at = at});
      }
      std::vector<Community> communities;
      for (int i = 0; i < 1000; ++i) {
        LatLon at = i % 50 == 0 ? points[i % points.size()].at : LatLon{lat(rng), lon(rng)};
        communities.push_back({.id = fmt::format("C{}", i), .at = at, .people = people(rng)});
      }
      if (area.lon0 > 0) {
        // Half the communities on the other side of the antimeridian, 0–0.2° from the points.
        for (std::size_t i = 1; i < communities.size(); i += 2) {
          communities[i].at.lon = -communities[i].at.lon;
        }
      }
      for (double radius : {800.0, 5000.0, 3'000'000.0}) {
        CircleOptions options{.radius_m = radius, .detour = round % 2 == 0 ? 1.0 : 1.37};
        auto reach = ReachOf(points, communities, options);
        ASSERT_EQ(reach, ReachByFullScan(points, communities, options));
        std::vector<Site> candidates(points.begin(), points.begin() + 100);
        EXPECT_EQ(PlaceGreedy(communities, reach, candidates, 12, options),
                  PlaceGreedyByFullScan(communities, reach, candidates, 12, options));
      }
    }
  }
}

TEST(SphereIndex, EmptyHasNoNearest) {
  std::vector<LatLon> none;
  SphereIndex index(none);
  EXPECT_FALSE(index.Nearest({.lat = 22.8, .lon = 108.3}).has_value());
  std::vector<std::size_t> out = {1, 2};
  index.Within({.lat = 22.8, .lon = 108.3}, {}, out);
  EXPECT_TRUE(out.empty());
}

TEST(CircleCsv, WritesTheContract) {
  std::vector<Site> points = {{.id = "P,1", .at = {.lat = 22.8, .lon = 108.3}}};
  std::vector<Community> communities = {
      {.id = "C\"1", .at = {.lat = 22.801, .lon = 108.3}, .people = 3}};
  auto reach = ReachOf(points, communities, {});
  std::ostringstream out;
  WriteReachCsv(out, points, communities, reach);
  EXPECT_EQ(out.str(),
            "community_id,nearest_point_id,distance_m,covered\n\"C\"\"1\",\"P,1\",111.2,1\n");
  std::ostringstream placed;
  WritePlacementCsv(placed, points, {{.candidate = 0, .newly_covered = 3}});
  EXPECT_EQ(placed.str(), "rank,candidate_id,newly_covered\n1,\"P,1\",3\n");
}

json ErrorsOf(const Status& st) { return testing_support::FieldErrorsJson(st); }

TEST(CircleCsv, ReportsEveryBadRow) {
  auto bad = ReadCommunitiesCsv(
      "id,lat,lon,people\n"
      "A,91,108.3,1\n"
      "B,22.8,181,1\n"
      "C,abc,108.3,-5\n"
      "A,22.8,108.3,1.5\n"
      ",22.8,108.3,1\n"
      "F,22.8\n",
      "communities");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorsOf(bad.status()), json::parse(R"([
    {"field": "communities:2:lat", "code": "lat_out_of_range"},
    {"field": "communities:3:lon", "code": "lon_out_of_range"},
    {"field": "communities:4:lat", "code": "not_a_number"},
    {"field": "communities:4:people", "code": "invalid_people"},
    {"field": "communities:5:id", "code": "duplicate_id"},
    {"field": "communities:5:people", "code": "invalid_people"},
    {"field": "communities:6:id", "code": "required"},
    {"field": "communities:7", "code": "missing_field"}
  ])"));
  auto no_people = ReadCommunitiesCsv("id,lat,lon\nA,1,2\n", "candidates");
  EXPECT_EQ(ErrorsOf(no_people.status()),
            json::parse(R"([{"field": "candidates:1:people", "code": "missing_column"}])"));
  auto empty = ReadSitesCsv("", "points");
  EXPECT_EQ(ErrorsOf(empty.status()),
            json::parse(R"([{"field": "points:1", "code": "missing_header"}])"));
  // Columns by name, other columns ignored, cells trimmed, the boundaries ±90 / ±180 accepted.
  auto ok = ReadSitesCsv("name,lon,id,lat\nx, 180 ,P1,-90\ny,-180,P2,90\n", "points");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].id, "P1");
  EXPECT_EQ((*ok)[0].at, (LatLon{.lat = -90, .lon = 180}));
}

}  // namespace
}  // namespace jd::network
