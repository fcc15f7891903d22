// Ten-minute service circle benchmark (network/circle.h) on one core: each community's nearest
// service point and coverage through the R-tree (ReachOf, index build included), against the
// baseline of the full scan (ReachByFullScan: every community against every point), in the same
// run; then greedy placement of new points over candidate sites with the candidate→community sets
// from the R-tree (PlaceGreedy) against the same greedy on sets from a full scan
// (PlaceGreedyByFullScan). Both pairs must give identical results (exit 1 otherwise).
// Figures go to bench/RESULTS.md.
//
//   ./build/bench/network_circle_bench --points 5000 --communities 50000 --candidates 5000 --place
//   10
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <random>
#include <vector>

#include "network/circle.h"

using namespace jd::network;
using Steady = std::chrono::steady_clock;

namespace {

// CPU time of this thread: the machine is shared, and the goal is for one core.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Timer {
  Steady::time_point wall = Steady::now();
  double cpu = CpuMs();
  double WallMs() const {
    return std::chrono::duration<double, std::milli>(Steady::now() - wall).count();
  }
  double CpuMsSince() const { return CpuMs() - cpu; }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"service circle benchmark"};
  int n_points = 5000, n_communities = 50000, n_candidates = 5000, place = 10, rounds = 5;
  double radius_m = 800, detour = 1.0;
  cli.add_option("--points", n_points);
  cli.add_option("--communities", n_communities);
  cli.add_option("--candidates", n_candidates, "the first N communities' centroids");
  cli.add_option("--place", place);
  cli.add_option("--radius-m", radius_m);
  cli.add_option("--detour", detour);
  cli.add_option("--rounds", rounds, "runs of the indexed version (the best is reported)");
  CLI11_PARSE(cli, argc, argv);

  // Uniform over Nanning's seven urban districts and their surroundings (about 78 × 92 km).
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> lat(22.5, 23.2), lon(107.9, 108.8);
  std::uniform_int_distribution<int> people(0, 800);
  std::vector<Site> points;
  for (int i = 0; i < n_points; ++i) {
    points.push_back({.id = fmt::format("P{}", i), .at = {.lat = lat(rng), .lon = lon(rng)}});
  }
  std::vector<Community> communities;
  for (int i = 0; i < n_communities; ++i) {
    communities.push_back({.id = fmt::format("C{}", i),
                           .at = {.lat = lat(rng), .lon = lon(rng)},
                           .people = people(rng)});
  }
  std::vector<Site> candidates;
  for (int i = 0; i < std::min(n_candidates, n_communities); ++i) {
    candidates.push_back({.id = communities[i].id, .at = communities[i].at});
  }
  CircleOptions options{.radius_m = radius_m, .detour = detour};

  double best_index = 1e18, best_index_wall = 1e18;
  std::vector<Reach> reach;
  for (int r = 0; r < rounds; ++r) {
    Timer t;
    reach = ReachOf(points, communities, options);
    best_index = std::min(best_index, t.CpuMsSince());
    best_index_wall = std::min(best_index_wall, t.WallMs());
  }
  Timer scan_timer;
  auto scanned = ReachByFullScan(points, communities, options);
  double scan_ms = scan_timer.CpuMsSince(), scan_wall = scan_timer.WallMs();
  bool reach_equal = reach == scanned;
  Coverage coverage = CoverageOf(communities, reach);

  double best_greedy = 1e18, best_greedy_wall = 1e18;
  std::vector<Placement> placed;
  for (int r = 0; r < rounds; ++r) {
    Timer t;
    placed = PlaceGreedy(communities, reach, candidates, static_cast<std::size_t>(place), options);
    best_greedy = std::min(best_greedy, t.CpuMsSince());
    best_greedy_wall = std::min(best_greedy_wall, t.WallMs());
  }
  Timer greedy_scan_timer;
  auto placed_scan = PlaceGreedyByFullScan(communities, reach, candidates,
                                           static_cast<std::size_t>(place), options);
  double greedy_scan_ms = greedy_scan_timer.CpuMsSince(),
         greedy_scan_wall = greedy_scan_timer.WallMs();
  bool placed_equal = placed == placed_scan;
  std::int64_t newly = 0;
  for (const auto& p : placed) newly += p.newly_covered;

  fmt::print("{} points × {} communities, radius {} m, detour {}\n", n_points, n_communities,
             radius_m, detour);
  fmt::print("coverage: {} of {} communities, {} of {} people ({:.1f} %)\n",
             coverage.communities_covered, coverage.communities, coverage.people_covered,
             coverage.people, 100.0 * coverage.Share().value_or(0));
  fmt::print("CPU ms of one thread (wall ms in brackets)\n");
  fmt::print("circle, R-tree (best of {}): {:.1f} ({:.1f})\n", rounds, best_index, best_index_wall);
  fmt::print("circle, full scan:           {:.1f} ({:.1f})  {:.0f}x the R-tree  equal: {}\n",
             scan_ms, scan_wall, scan_ms / best_index, reach_equal ? "yes" : "NO");
  fmt::print(
      "greedy {} of {} candidates, R-tree (best of {}): {:.1f} ({:.1f}), {} people newly "
      "covered\n",
      place, candidates.size(), rounds, best_greedy, best_greedy_wall, newly);
  fmt::print("greedy, full-scan sets:      {:.1f} ({:.1f})  {:.0f}x the R-tree  equal: {}\n",
             greedy_scan_ms, greedy_scan_wall, greedy_scan_ms / best_greedy,
             placed_equal ? "yes" : "NO");
  return reach_equal && placed_equal ? 0 : 1;
}
