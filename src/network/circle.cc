#include "network/circle.h"

#include <algorithm>
// Boost 1.74's math constants include a header it has since deprecated; its notice is noise here.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

namespace jd::network {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using Point3 = bg::model::point<double, 3, bg::cs::cartesian>;
using Box3 = bg::model::box<Point3>;
using Entry = std::pair<Point3, std::size_t>;

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// Slack in chord units (1e-7 of the earth's radius ≈ 0.64 m) between the R-tree's chord and the
// haversine: far more than their rounding (the haversine's worst, near the antipode, is ~1.5e-8),
// so no position the exact test could accept is left out of the candidates it sees.
constexpr double kChordMargin = 1e-7;

Point3 UnitVector(LatLon p) {
  double phi = p.lat * kDegToRad;
  double lambda = p.lon * kDegToRad;
  return Point3(std::cos(phi) * std::cos(lambda), std::cos(phi) * std::sin(lambda), std::sin(phi));
}

// The chord on the unit sphere of a great-circle distance in metres.
double ChordOf(double great_circle_m) {
  double angle = std::min(great_circle_m / kEarthRadiusM, 3.14159265358979323846);
  return 2.0 * std::sin(angle / 2.0);
}

// The cube of half-side c around p: it holds every point within chord c of p.
Box3 CubeAround(const Point3& p, double c) {
  return Box3(Point3(p.get<0>() - c, p.get<1>() - c, p.get<2>() - c),
              Point3(p.get<0>() + c, p.get<1>() + c, p.get<2>() + c));
}

}  // namespace

struct SphereIndex::Tree {
  bgi::rtree<Entry, bgi::quadratic<16>> rtree;
};

SphereIndex::SphereIndex(std::span<const LatLon> positions)
    : positions_(positions.begin(), positions.end()), tree_(std::make_unique<Tree>()) {
  std::vector<Entry> entries;
  entries.reserve(positions_.size());
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    entries.emplace_back(UnitVector(positions_[i]), i);
  }
  // The range constructor bulk-loads (packing), which gives the tightest tree.
  tree_->rtree = bgi::rtree<Entry, bgi::quadratic<16>>(entries.begin(), entries.end());
}

SphereIndex::~SphereIndex() = default;

std::optional<NearestSite> SphereIndex::Nearest(LatLon q) const {
  if (positions_.empty()) return std::nullopt;
  Point3 p = UnitVector(q);
  Entry first;
  tree_->rtree.query(bgi::nearest(p, 1), &first);
  NearestSite best{.index = first.second, .haversine_m = HaversineM(q, positions_[first.second])};
  // Every position within the chord-nearest's distance plus the margin is compared by the
  // haversine itself, so near-ties are decided as the full scan decides them.
  double c = ChordOf(best.haversine_m) + kChordMargin;
  for (auto it = tree_->rtree.qbegin(bgi::intersects(CubeAround(p, c))); it != tree_->rtree.qend();
       ++it) {
    if (it->second == first.second) continue;
    double d = HaversineM(q, positions_[it->second]);
    if (d < best.haversine_m || (d == best.haversine_m && it->second < best.index)) {
      best = {.index = it->second, .haversine_m = d};
    }
  }
  return best;
}

void SphereIndex::Within(LatLon q, const CircleOptions& options,
                         std::vector<std::size_t>& out) const {
  out.clear();
  if (positions_.empty() || !(options.radius_m >= 0) || !(options.detour > 0)) return;
  Point3 p = UnitVector(q);
  double c = ChordOf(options.radius_m / options.detour) + kChordMargin;
  for (auto it = tree_->rtree.qbegin(bgi::intersects(CubeAround(p, c))); it != tree_->rtree.qend();
       ++it) {
    if (WalkingDistanceM(q, positions_[it->second], options.detour) <= options.radius_m) {
      out.push_back(it->second);
    }
  }
  std::sort(out.begin(), out.end());
}

namespace {

std::vector<LatLon> PositionsOf(const std::vector<Site>& sites) {
  std::vector<LatLon> out;
  out.reserve(sites.size());
  for (const auto& s : sites) out.push_back(s.at);
  return out;
}

std::vector<LatLon> PositionsOf(const std::vector<Community>& communities) {
  std::vector<LatLon> out;
  out.reserve(communities.size());
  for (const auto& c : communities) out.push_back(c.at);
  return out;
}

Reach ReachFrom(std::optional<NearestSite> nearest, const CircleOptions& options) {
  if (!nearest) {
    return {.nearest = std::nullopt,
            .distance_m = std::numeric_limits<double>::infinity(),
            .covered = false};
  }
  double d = nearest->haversine_m * options.detour;
  return {.nearest = nearest->index, .distance_m = d, .covered = d <= options.radius_m};
}

// Greedy maximum coverage over candidate→community sets (see PlaceGreedy in the header).
std::vector<Placement> Greedy(const std::vector<Community>& communities,
                              const std::vector<Reach>& reach,
                              const std::vector<std::vector<std::size_t>>& covers, std::size_t k) {
  std::size_t n = covers.size();
  // Which candidates cover each community, for lowering their gains once it is covered.
  std::vector<std::vector<std::size_t>> covered_by(communities.size());
  std::vector<std::int64_t> gain(n, 0);
  std::vector<bool> done(communities.size(), false);
  for (std::size_t i = 0; i < communities.size(); ++i) done[i] = reach[i].covered;
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i : covers[j]) {
      if (done[i]) continue;
      covered_by[i].push_back(j);
      gain[j] += communities[i].people;
    }
  }
  std::vector<bool> chosen(n, false);
  std::vector<Placement> out;
  for (std::size_t step = 0; step < std::min(k, n); ++step) {
    std::optional<std::size_t> best;
    for (std::size_t j = 0; j < n; ++j) {
      if (!chosen[j] && (!best || gain[j] > gain[*best])) best = j;
    }
    chosen[*best] = true;
    out.push_back({.candidate = *best, .newly_covered = gain[*best]});
    for (std::size_t i : covers[*best]) {
      if (done[i]) continue;
      done[i] = true;
      for (std::size_t j : covered_by[i]) gain[j] -= communities[i].people;
    }
  }
  return out;
}

}  // namespace

std::vector<Reach> ReachOf(const std::vector<Site>& points,
                           const std::vector<Community>& communities,
                           const CircleOptions& options) {
  std::vector<LatLon> positions = PositionsOf(points);
  SphereIndex index(positions);
  std::vector<Reach> out;
  out.reserve(communities.size());
  for (const auto& c : communities) out.push_back(ReachFrom(index.Nearest(c.at), options));
  return out;
}

std::vector<Reach> ReachByFullScan(const std::vector<Site>& points,
                                   const std::vector<Community>& communities,
                                   const CircleOptions& options) {
  std::vector<Reach> out;
  out.reserve(communities.size());
  for (const auto& c : communities) {
    std::optional<NearestSite> best;
    for (std::size_t j = 0; j < points.size(); ++j) {
      double d = HaversineM(c.at, points[j].at);
      if (!best || d < best->haversine_m) best = NearestSite{.index = j, .haversine_m = d};
    }
    out.push_back(ReachFrom(best, options));
  }
  return out;
}

std::optional<double> Coverage::Share() const {
  if (people == 0) return std::nullopt;
  return static_cast<double>(people_covered) / static_cast<double>(people);
}

namespace {

void Count(Coverage& c, const Community& community, const Reach& reach) {
  c.people += community.people;
  c.communities += 1;
  if (reach.covered) {
    c.people_covered += community.people;
    c.communities_covered += 1;
  }
}

}  // namespace

Coverage CoverageOf(const std::vector<Community>& communities, const std::vector<Reach>& reach) {
  Coverage out;
  for (std::size_t i = 0; i < communities.size(); ++i) Count(out, communities[i], reach[i]);
  return out;
}

std::map<std::string, Coverage> CoverageByGroup(const std::vector<Community>& communities,
                                                const std::vector<Reach>& reach,
                                                const std::vector<std::string>& group_of) {
  std::map<std::string, Coverage> out;
  for (std::size_t i = 0; i < communities.size(); ++i) {
    Count(out[group_of[i]], communities[i], reach[i]);
  }
  return out;
}

std::vector<std::size_t> RankOutside(const std::vector<Community>& communities,
                                     const std::vector<Reach>& reach) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < communities.size(); ++i) {
    if (!reach[i].covered) out.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(), [&communities](std::size_t a, std::size_t b) {
    return communities[a].people > communities[b].people;
  });
  return out;
}

std::vector<Placement> PlaceGreedy(const std::vector<Community>& communities,
                                   const std::vector<Reach>& reach,
                                   const std::vector<Site>& candidates, std::size_t k,
                                   const CircleOptions& options) {
  std::vector<LatLon> positions = PositionsOf(communities);
  SphereIndex index(positions);
  std::vector<std::vector<std::size_t>> covers(candidates.size());
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    index.Within(candidates[j].at, options, covers[j]);
  }
  return Greedy(communities, reach, covers, k);
}

std::vector<Placement> PlaceGreedyByFullScan(const std::vector<Community>& communities,
                                             const std::vector<Reach>& reach,
                                             const std::vector<Site>& candidates, std::size_t k,
                                             const CircleOptions& options) {
  std::vector<std::vector<std::size_t>> covers(candidates.size());
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    for (std::size_t i = 0; i < communities.size(); ++i) {
      if (WalkingDistanceM(candidates[j].at, communities[i].at, options.detour) <=
          options.radius_m) {
        covers[j].push_back(i);
      }
    }
  }
  return Greedy(communities, reach, covers, k);
}

}  // namespace jd::network
