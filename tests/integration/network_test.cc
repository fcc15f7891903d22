// `jundeng network circle` end to end: the real binary on the worked maps of
// tests/data/network/circle_cases.json (its exact standard output), and bad input (exit 2, every
// problem on standard error in Chinese and English, nothing on standard output).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

std::string DataPath(const std::string& name) {
  return std::string(JD_SOURCE_DIR) + "/tests/data/network/" + name;
}

json Cases() {
  std::ifstream in(DataPath("circle_cases.json"));
  json cases = json::parse(in, nullptr, false);
  EXPECT_TRUE(cases.is_array());
  return cases.is_array() ? cases : json::array();
}

// The exact standard output the contract gives for a case's expectation.
std::string ExpectedOutput(const json& expect) {
  std::ostringstream out;
  out << "community_id,nearest_point_id,distance_m,covered\n";
  for (const auto& r : expect["rows"]) {
    out << r[0].get<std::string>() << ',' << r[1].get<std::string>() << ','
        << r[2].get<std::string>() << ',' << r[3].get<int>() << '\n';
  }
  if (expect.contains("placement")) {
    out << "\nrank,candidate_id,newly_covered\n";
    int rank = 0;
    for (const auto& p : expect["placement"]) {
      out << ++rank << ',' << p[0].get<std::string>() << ',' << p[1].get<long>() << '\n';
    }
  }
  return out.str();
}

TEST(NetworkCircleCommand, WorkedMapsGiveTheExactOutput) {
  TempDir dir;
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const json& in = c["input"];
    std::vector<std::string> args = {"network",       "circle",
                                     "--points",      DataPath(in["points"]),
                                     "--communities", DataPath(in["communities"])};
    if (in.contains("radius_m")) args.insert(args.end(), {"--radius-m", in["radius_m"]});
    if (in.contains("detour")) args.insert(args.end(), {"--detour", in["detour"]});
    if (in.contains("place")) {
      args.insert(args.end(), {"--place", std::to_string(in["place"].get<int>())});
    }
    if (in.contains("candidates")) {
      args.insert(args.end(), {"--candidates", DataPath(in["candidates"])});
    }
    CommandResult r = RunJundeng(args, "", dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, ExpectedOutput(c["expect"]));
    EXPECT_EQ(r.err, "");
  }
}

TEST(NetworkCircleCommand, DefaultsAreEightHundredMetresAndNoDetour) {
  TempDir dir;
  std::vector<std::string> base = {"network",       "circle",
                                   "--points",      DataPath("nearest_points.csv"),
                                   "--communities", DataPath("nearest_communities.csv")};
  std::vector<std::string> explicit_args = base;
  explicit_args.insert(explicit_args.end(), {"--radius-m", "800", "--detour", "1.0"});
  CommandResult by_default = RunJundeng(base, "", dir.path());
  CommandResult given = RunJundeng(explicit_args, "", dir.path());
  EXPECT_EQ(by_default.exit_code, 0);
  EXPECT_EQ(by_default.out, given.out);
  EXPECT_NE(by_default.out.find("C2,P2,444.8,1\n"), std::string::npos);
}

struct BadCase {
  std::string name;
  std::string points;       // file contents; "-" for no --points option
  std::string communities;  // file contents
  std::vector<std::string> extra;
  std::string field;  // a field error expected on standard error
  std::string code;
};

TEST(NetworkCircleCommand, BadInputExitsTwoWithNothingOnStdout) {
  const std::string points = "id,lat,lon\nP1,22.8,108.3\n";
  const std::string communities = "id,lat,lon,people\nC1,22.801,108.3,10\n";
  std::vector<BadCase> cases = {
      {"latitude 91",
       points,
       "id,lat,lon,people\nC1,91,108.3,10\n",
       {},
       "communities:2:lat",
       "lat_out_of_range"},
      {"longitude 181",
       "id,lat,lon\nP1,22.8,181\n",
       communities,
       {},
       "points:2:lon",
       "lon_out_of_range"},
      {"negative people",
       points,
       "id,lat,lon,people\nC1,22.8,108.3,-3\n",
       {},
       "communities:2:people",
       "invalid_people"},
      {"absurd people",
       points,
       "id,lat,lon,people\nC1,22.8,108.3,100000001\n",
       {},
       "communities:2:people",
       "invalid_people"},
      {"latitude not a number",
       points,
       "id,lat,lon,people\nC1,north,108.3,1\n",
       {},
       "communities:2:lat",
       "not_a_number"},
      {"missing column", "id,lat\nP1,22.8\n", communities, {}, "points:1:lon", "missing_column"},
      {"duplicate point id",
       "id,lat,lon\nP1,22.8,108.3\nP1,22.9,108.3\n",
       communities,
       {},
       "points:3:id",
       "duplicate_id"},
      {"unterminated quote",
       points,
       "id,lat,lon,people\n\"C1,22.8,108.3,1\n",
       {},
       "",
       "csv_unterminated_quote"},
      {"empty file", "", communities, {}, "points:1", "missing_header"},
      {"radius zero", points, communities, {"--radius-m", "0"}, "--radius-m", "out_of_range"},
      {"radius not a number",
       points,
       communities,
       {"--radius-m", "far"},
       "--radius-m",
       "out_of_range"},
      {"detour below one", points, communities, {"--detour", "0.5"}, "--detour", "out_of_range"},
      {"place zero", points, communities, {"--place", "0"}, "--place", "out_of_range"},
      {"place not a number", points, communities, {"--place", "ten"}, "--place", "out_of_range"},
      {"candidates without place",
       points,
       communities,
       {"--candidates", "x.csv"},
       "--candidates",
       "needs_place"},
      {"candidates file missing",
       points,
       communities,
       {"--place", "1", "--candidates", "does-not-exist.csv"},
       "--candidates",
       "unreadable_file"},
      {"no points option", "-", communities, {}, "--points", "required"},
  };
  TempDir dir;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    WriteFileBytes(dir.File("p.csv"), c.points);
    WriteFileBytes(dir.File("c.csv"), c.communities);
    std::vector<std::string> args = {"network", "circle", "--communities", dir.File("c.csv")};
    if (c.points != "-") args.insert(args.end(), {"--points", dir.File("p.csv")});
    for (const auto& e : c.extra) {
      args.push_back(e == "does-not-exist.csv" ? dir.File(e) : e);
    }
    CommandResult r = RunJundeng(args, "", dir.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find((c.field.empty() ? "(input)" : c.field) + ": " + c.code),
              std::string::npos)
        << r.err;
  }
  // Every problem at once, in both languages.
  WriteFileBytes(dir.File("p.csv"), "id,lat,lon\nP1,91,181\n");
  WriteFileBytes(dir.File("c.csv"), "id,lat,lon,people\nC1,22.8,108.3,-1\n");
  CommandResult r = RunJundeng(
      {"network", "circle", "--points", dir.File("p.csv"), "--communities", dir.File("c.csv")}, "",
      dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  for (const char* s : {"points:2:lat", "points:2:lon", "communities:2:people", "纬度", "latitude",
                        "经度", "longitude"}) {
    EXPECT_NE(r.err.find(s), std::string::npos) << s << " in " << r.err;
  }
}

}  // namespace
}  // namespace jd::integration
