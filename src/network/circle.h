// File: network/circle.h
// The ten-minute service circle (十分钟服务圈): how far each community lives from the nearest
// service point, who is inside the circle, and where k new points would bring the most people in.
// 南宁市实施办法 §四(二)(七) and the pilot plan §四(二)(六): free contraceptives within a
// "ten-minute service circle"; 10 minutes' walk ≈ 800 m by default.
//
// Distance. The walking-distance proxy between two positions is HaversineM (network/coordinates.h,
// sphere of radius 6,371,008.8 m) times the detour factor. A community is covered when that
// unrounded distance to its nearest point is ≤ the radius (a 0.1 m display rounding never decides).
//
// SphereIndex: a Boost.Geometry R-tree over the positions as 3-D unit vectors, where the straight
//   chord between two unit vectors orders pairs exactly as the great-circle angle does (chord =
//   2·sin(angle/2), increasing on [0, π]); degrees of lat/lon with a planar distance would not.
//   Nearest(q): the position of least HaversineM from q, ties to the lowest index; nullopt when
//   the index is empty. The R-tree's chord-nearest is widened by a margin of 1e-7 (0.64 m) so that
//   every position whose computed haversine could tie or beat it is compared by HaversineM itself:
//   the answer equals the full scan's, bit for bit. Within(q, options, out): every index i with
//   WalkingDistanceM(q, position i) ≤ options.radius_m, ascending (a box around the chord of
//   radius/detour, widened by the same margin, then the exact test). Immutable after construction;
//   concurrent queries are safe.
//
// ReachOf(points, communities, options): per community (input order) its nearest point (ties: the
//   point listed first), the walking distance to it, and covered. No points: nearest is nullopt,
//   distance_m is +infinity and covered is false. ReachByFullScan: the same by comparing every
//   pair (the baseline the index is checked and benchmarked against).
// CoverageOf / CoverageByGroup: people and communities in total and covered, over all communities
//   or per group key (group_of[i] is community i's street, district, …; REQUIRES same size).
// RankOutside: the indices of communities not covered, most people first, ties in input order.
// PlaceGreedy(communities, reach, candidates, k, options): greedy maximum coverage. A community is
//   "newly covered" by a step when it is within the radius of the chosen candidate and was covered
//   neither by an existing point (reach[i].covered) nor by an earlier step. Each step takes the
//   candidate not yet chosen that newly covers the most people, ties to the candidate listed
//   first; a step that covers no one still takes the first remaining candidate (newly_covered 0).
//   The result has min(k, candidates.size()) steps. Candidate→community sets come from a
//   SphereIndex over the communities. PlaceGreedyByFullScan: the same from every pair (baseline).
//   REQUIRES reach.size() == communities.size().
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "network/coordinates.h"

namespace jd::network {

// A service point or a candidate site.
struct Site {
  std::string id;
  LatLon at;
};

// A community (or gathering place) with the people it counts (e.g. women of reproductive age).
struct Community {
  std::string id;
  LatLon at;
  std::int64_t people = 0;
};

struct CircleOptions {
  double radius_m = 800.0;  // 10 minutes' walk
  double detour = 1.0;      // walking distance ÷ great-circle distance
};

inline double WalkingDistanceM(LatLon a, LatLon b, double detour) {
  return HaversineM(a, b) * detour;
}

struct NearestSite {
  std::size_t index = 0;
  double haversine_m = 0;
};

class SphereIndex {
 public:
  explicit SphereIndex(std::span<const LatLon> positions);
  ~SphereIndex();
  SphereIndex(const SphereIndex&) = delete;
  SphereIndex& operator=(const SphereIndex&) = delete;

  std::size_t size() const { return positions_.size(); }
  std::optional<NearestSite> Nearest(LatLon q) const;
  void Within(LatLon q, const CircleOptions& options, std::vector<std::size_t>& out) const;

 private:
  struct Tree;
  std::vector<LatLon> positions_;
  std::unique_ptr<Tree> tree_;
};

struct Reach {
  std::optional<std::size_t> nearest;  // index into the points
  double distance_m = 0;               // walking distance; +infinity without a nearest point
  bool covered = false;

  bool operator==(const Reach&) const = default;
};

std::vector<Reach> ReachOf(const std::vector<Site>& points,
                           const std::vector<Community>& communities, const CircleOptions& options);
std::vector<Reach> ReachByFullScan(const std::vector<Site>& points,
                                   const std::vector<Community>& communities,
                                   const CircleOptions& options);

struct Coverage {
  std::int64_t people = 0;
  std::int64_t people_covered = 0;
  std::int64_t communities = 0;
  std::int64_t communities_covered = 0;

  // people_covered ÷ people; nullopt when there are no people.
  std::optional<double> Share() const;
  bool operator==(const Coverage&) const = default;
};

Coverage CoverageOf(const std::vector<Community>& communities, const std::vector<Reach>& reach);
std::map<std::string, Coverage> CoverageByGroup(const std::vector<Community>& communities,
                                                const std::vector<Reach>& reach,
                                                const std::vector<std::string>& group_of);

std::vector<std::size_t> RankOutside(const std::vector<Community>& communities,
                                     const std::vector<Reach>& reach);

struct Placement {
  std::size_t candidate = 0;  // index into the candidates
  std::int64_t newly_covered = 0;

  bool operator==(const Placement&) const = default;
};

std::vector<Placement> PlaceGreedy(const std::vector<Community>& communities,
                                   const std::vector<Reach>& reach,
                                   const std::vector<Site>& candidates, std::size_t k,
                                   const CircleOptions& options);
std::vector<Placement> PlaceGreedyByFullScan(const std::vector<Community>& communities,
                                             const std::vector<Reach>& reach,
                                             const std::vector<Site>& candidates, std::size_t k,
                                             const CircleOptions& options);

}  // namespace jd::network
