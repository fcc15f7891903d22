// File: kpi/small_numbers.h
// Rates over few people, for assessments that move money (南宁市实施办法 §六(七):
// 考评结果与工作经费 分配挂钩; 试点工作方案 §五(五)). Pure functions; see docs/kpi.md "Small
// numbers".
//
// WilsonInterval(x, n, z): the Wilson score interval of a proportion (Wilson 1927; Brown, Cai and
//   DasGupta 2001 recommend it over the Wald interval for small n):
//     p = x/n, d = 1 + z²/n,
//     centre = (p + z²/(2n)) / d,  half = z·√(p(1−p)/n + z²/(4n²)) / d,
//     [centre − half, centre + half], within [0, 1].
//   n = 0 has no interval. z = 1.959964 for 95%.
//
// FunnelLimits(p0, n, z): the control limits of a funnel plot for proportions around the overall
//   rate p0 at denominator n (Spiegelhalter 2005, "Funnel plots for comparing institutional
//   performance", Stat Med 24:1185, normal approximation to the binomial):
//     p0 ± z·√(p0(1−p0)/n), clamped to [0, 1]; z = 1.959964 (95%), 3.090232 (99.8%).
//   FunnelPosition: a unit's rate above the upper or below the lower limit, or within.
//
// ShrunkValue(numerator, denominator, parent, strength): the empirical-Bayes estimate of a unit's
//   rate (or mean) toward its parent unit's observed value, with a prior worth `strength`
//   observations:  (numerator + strength·parent) / (denominator + strength).
//   A unit of n = strength observations lands half-way between its own value and its parent's;
//   one of 10·strength moves a tenth of the way. The prior's centre is estimated from the data
//   (the parent's value: the "empirical" part); its weight is the scheme's minimum denominator,
//   fixed rather than estimated from the spread between units, which over a dozen streets is
//   itself noise, and fixed so that a commission can check a score by hand.
#pragma once

#include <optional>
#include <string_view>

namespace jd::kpi {

inline constexpr double kZ95 = 1.959964;   // two-sided 95%
inline constexpr double kZ998 = 3.090232;  // two-sided 99.8%

struct Interval {
  double low = 0, high = 0;
};

std::optional<Interval> WilsonInterval(double successes, double n, double z = kZ95);
std::optional<Interval> FunnelLimits(double p0, double n, double z);

enum class FunnelPosition { kWithin, kAbove, kBelow };
std::string_view FunnelPositionCode(FunnelPosition p);  // "within", "above", "below"
FunnelPosition PositionIn(const Interval& limits, double rate);

double ShrunkValue(double numerator, double denominator, double parent, double strength);

}  // namespace jd::kpi
