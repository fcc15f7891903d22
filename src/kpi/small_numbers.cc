#include "kpi/small_numbers.h"

#include <algorithm>
#include <cmath>

namespace jd::kpi {

std::optional<Interval> WilsonInterval(double successes, double n, double z) {
  if (!(n > 0)) return std::nullopt;
  const double p = std::clamp(successes / n, 0.0, 1.0);
  const double z2 = z * z;
  const double d = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / d;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / d;
  // At p = 0 and p = 1 the bound is exactly 0 or 1; computed, it can miss by a rounding error and
  // leave the value outside its own interval.
  return Interval{p == 0.0 ? 0.0 : std::max(0.0, centre - half),
                  p == 1.0 ? 1.0 : std::min(1.0, centre + half)};
}

std::optional<Interval> FunnelLimits(double p0, double n, double z) {
  if (!(n > 0)) return std::nullopt;
  const double half = z * std::sqrt(p0 * (1.0 - p0) / n);
  return Interval{std::max(0.0, p0 - half), std::min(1.0, p0 + half)};
}

std::string_view FunnelPositionCode(FunnelPosition p) {
  switch (p) {
    case FunnelPosition::kAbove:
      return "above";
    case FunnelPosition::kBelow:
      return "below";
    case FunnelPosition::kWithin:
      break;
  }
  return "within";
}

FunnelPosition PositionIn(const Interval& limits, double rate) {
  if (rate > limits.high) return FunnelPosition::kAbove;
  if (rate < limits.low) return FunnelPosition::kBelow;
  return FunnelPosition::kWithin;
}

double ShrunkValue(double numerator, double denominator, double parent, double strength) {
  return (numerator + strength * parent) / (denominator + strength);
}

}  // namespace jd::kpi
