// `jundeng network circle`: the ten-minute service circle (network/circle.h) from CSV files, with
// the same engine as the server.
//
// Command contract:
//   jundeng network circle --points P.csv --communities C.csv [--radius-m 800] [--detour 1.0]
//                          [--place K] [--candidates K.csv]
// P.csv has the header `id,lat,lon` (WGS-84 degrees); C.csv and K.csv have `id,lat,lon,people`
// (network/circle_csv.h). Standard output: the header `community_id,nearest_point_id,distance_m,
// covered` and one row per community in input order (distance_m to 0.1 m; covered 1 when the
// unrounded walking distance ≤ the radius, else 0); with --place K, a blank line, the header
// `rank,candidate_id,newly_covered` and the greedy choice of up to K candidates.
// Policies where the contract is silent (docs/network.md):
//   - nearest point ties go to the point listed first; no points at all: nearest_point_id and
//     distance_m empty, covered 0;
//   - without --candidates the communities themselves are the candidate sites (their centroids);
//     the people column of K.csv is read but not used (newly covered people are counted in C.csv);
//   - a community already covered by an existing point is never "newly" covered;
//   - fewer than K candidates: one row per candidate; a step that covers no one still ranks the
//     first remaining candidate with newly_covered 0;
//   - --radius-m is a number of metres in (0, 1,000,000], --detour a factor in [1, 10], --place a
//     whole number from 1 to 10,000; --candidates needs --place.
// Bad input (a missing or unreadable file, a bad row, an out-of-range option) prints every problem
// found on standard error in Chinese and English, nothing on standard output, and exits with 2.
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/common.h"
#include "network/circle.h"
#include "network/circle_csv.h"

namespace jd::cli {

namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{256} << 20;

struct CircleArgs {
  std::string points, communities, candidates;
  std::string radius_m = "800", detour = "1.0", place;
};

std::optional<double> Number(const std::string& s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// A CSV file's text; a missing or unreadable file is bad input (exit 2) like a bad row.
Result<std::string> CsvFile(const std::string& path, const std::string& option) {
  auto text = ReadFile(path, kMaxFileBytes);
  if (text.ok()) return text;
  return Status::Invalid({{option, "unreadable_file",
                           "无法读取文件 " + path + "（" + text.status().message_zh() + "）",
                           "cannot read " + path + " (" + text.status().message_en() + ")"}});
}

int Circle(const CircleArgs& a) {
  FieldErrors errors;
  if (a.points.empty()) {
    errors.Add("--points", "required", "缺少 --points（服务点 CSV）",
               "--points (the service points CSV) is required");
  }
  if (a.communities.empty()) {
    errors.Add("--communities", "required", "缺少 --communities（社区 CSV）",
               "--communities (the communities CSV) is required");
  }
  network::CircleOptions options;
  auto radius = Number(a.radius_m);
  if (!radius || *radius <= 0 || *radius > 1'000'000) {
    errors.Add("--radius-m", "out_of_range", "--radius-m 应为大于 0、不超过 1000000 的米数",
               "--radius-m must be a number of metres above 0 and at most 1000000");
  } else {
    options.radius_m = *radius;
  }
  auto detour = Number(a.detour);
  if (!detour || *detour < 1 || *detour > 10) {
    errors.Add("--detour", "out_of_range", "--detour 应为 1 到 10 之间的系数",
               "--detour must be a factor from 1 to 10");
  } else {
    options.detour = *detour;
  }
  std::optional<std::size_t> place;
  if (!a.place.empty()) {
    std::size_t k = 0;
    auto [ptr, ec] = std::from_chars(a.place.data(), a.place.data() + a.place.size(), k);
    if (ec != std::errc() || ptr != a.place.data() + a.place.size() || k < 1 || k > 10'000) {
      errors.Add("--place", "out_of_range", "--place 应为 1 到 10000 的整数",
                 "--place must be a whole number from 1 to 10000");
    } else {
      place = k;
    }
  } else if (!a.candidates.empty()) {
    errors.Add("--candidates", "needs_place", "--candidates 需与 --place 一起使用",
               "--candidates is used only with --place");
  }
  if (!errors.empty()) return Fail(errors.ToStatus());

  auto points_text = CsvFile(a.points, "--points");
  auto communities_text = CsvFile(a.communities, "--communities");
  std::optional<Result<std::string>> candidates_text;
  if (!a.candidates.empty()) candidates_text = CsvFile(a.candidates, "--candidates");
  std::optional<Result<std::vector<network::Site>>> points;
  std::optional<Result<std::vector<network::Community>>> communities;
  std::optional<Result<std::vector<network::Community>>> candidates;
  auto gather = [&errors](const Status& st) {
    if (!st.ok()) errors.Append(st.field_errors());
  };
  gather(points_text.status());
  gather(communities_text.status());
  if (candidates_text) gather(candidates_text->status());
  if (points_text.ok()) {
    points = network::ReadSitesCsv(*points_text, "points");
    gather(points->status());
  }
  if (communities_text.ok()) {
    communities = network::ReadCommunitiesCsv(*communities_text, "communities");
    gather(communities->status());
  }
  if (candidates_text && candidates_text->ok()) {
    candidates = network::ReadCommunitiesCsv(**candidates_text, "candidates");
    gather(candidates->status());
  }
  if (!errors.empty()) return Fail(errors.ToStatus());

  const auto& c = **communities;
  auto reach = network::ReachOf(**points, c, options);
  std::ostringstream out;
  network::WriteReachCsv(out, **points, c, reach);
  if (place) {
    std::vector<network::Site> sites;
    for (const auto& k : candidates ? **candidates : c) sites.push_back({.id = k.id, .at = k.at});
    out << '\n';
    network::WritePlacementCsv(out, sites, network::PlaceGreedy(c, reach, sites, *place, options));
  }
  std::cout << out.str() << std::flush;
  return 0;
}

}  // namespace

void AddNetworkCommands(CLI::App& cli, int& exit_code) {
  auto* network = cli.add_subcommand("network", "service network (service points, circles)");
  network->require_subcommand(1);
  auto* circle = network->add_subcommand(
      "circle",
      "ten-minute service circle: each community's nearest point, distance and coverage as CSV; "
      "with --place K, where K new points would cover the most people");
  auto args = std::make_shared<CircleArgs>();
  circle->add_option("--points", args->points, "CSV of service points: id,lat,lon (WGS-84)");
  circle->add_option("--communities", args->communities, "CSV of communities: id,lat,lon,people");
  circle->add_option("--radius-m", args->radius_m, "circle radius in metres (default 800)");
  circle->add_option("--detour", args->detour,
                     "walking distance ÷ great-circle distance (default 1.0)");
  circle->add_option("--place", args->place, "choose K new sites by greedy maximum coverage");
  circle->add_option("--candidates", args->candidates,
                     "CSV of candidate sites: id,lat,lon,people (default: the communities)");
  circle->callback([args, &exit_code] { exit_code = Circle(*args); });
}

}  // namespace jd::cli
