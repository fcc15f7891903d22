// File: disease/detectors.h
// The two early-warning methods of CIDARS (国家传染病自动预警系统; Yang W. et al., Western Pac
// Surveill Response J 2011;2(1):10; Zhang H. et al., BMC Public Health 2017, s12889-017-4488-0),
// as pure functions over one series of daily case counts (one district, one disease, oldest day
// first, no gaps). The method and percentile of each disease are data (disease/catalogue.h).
//
// FixedThreshold(counts, threshold): a signal on every day with count ≥ threshold (default 1:
//   "a single reported case triggers an immediate signal").
// MovingPercentile(counts, options): for each day t, the current value C(t) = the cases of the
//   7 days t−6..t (the moving window, recomputed daily). The historical baseline is the same
//   7-day sum over the same and the adjacent periods of the previous `years` years:
//   S(t − 364·y + 7·k) for y = 1..years and k = −adjacent..+adjacent (default 3 years × 3
//   periods = 9 values). The year is taken as 52 weeks (364 days) so that each baseline window
//   covers the same weekdays. threshold(t) = the `percentile`-th percentile of the baseline,
//   by linear interpolation between order statistics (R's quantile type 7, Hyndman–Fan 7).
//   Signal when C(t) ≥ 1 and C(t) ≥ threshold(t) — "≥ Px" as the papers state it; a week
//   without cases never signals. A day whose baseline reaches before the first day is incomplete.
//   Variant chosen: 3 years × 3 weekly periods (the literature also uses 5 × 5; see
//   docs/disease.md); the papers do not fix the percentile definition, type 7 is chosen here.
// Both run in O(n) per series. The moving percentile sorts the 9 baseline values with a
// 25-comparator network; where the processor has AVX2 and the 7-day sums fit 32 bits it sorts
// eight consecutive days at once (the j-th baseline values of days t..t+7 lie side by side), with
// the same results bit for bit (detectors_test.cc compares both on random series). Thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"

namespace jd::disease {

// 1 on a signal day, 0 otherwise.
std::vector<std::uint8_t> FixedThreshold(std::span<const std::int64_t> counts,
                                         std::int64_t threshold = 1);

struct MovingPercentileOptions {
  int percentile = 80;  // 1..99
  int window_days = 7;
  int years = 3;
  int adjacent = 1;  // periods on each side of the same period
};

Status ValidateMovingPercentileOptions(const MovingPercentileOptions& options);

struct PercentilePoint {
  std::int64_t current = 0;  // C(t)
  double threshold = 0;      // when complete
  bool complete = false;
  bool signal = false;
};

// The first day (0-based) with a complete baseline.
std::size_t MovingPercentileFirstDay(const MovingPercentileOptions& options);

// kAuto: the eight-day AVX2 kernel when it applies; kScalar: one day at a time (for the tests
// that check the two agree).
enum class PercentileKernel { kAuto, kScalar };

// REQUIRES ValidateMovingPercentileOptions ok.
std::vector<PercentilePoint> MovingPercentile(std::span<const std::int64_t> counts,
                                              const MovingPercentileOptions& options,
                                              PercentileKernel kernel = PercentileKernel::kAuto);

// The p-th percentile (0 < p < 100) of `values` by R's type 7; sorts `values`. REQUIRES non-empty.
double PercentileType7(std::vector<double>& values, double p);

}  // namespace jd::disease
