// File: disease/ears.h
// EARS C1, C2 and C3 (Early Aberration Reporting System, CDC; Hutwagner et al. 2003), computed
// exactly as R's `surveillance::earsC` (surveillance 1.20.3) computes them, so that every upper
// bound and alarm of the package's output is reproduced (tests/data/disease/ears_*.csv).
//
// Input: the counts of one series, one per period, oldest first. Output: one EarsPoint per input
// period. With baseline b (default 7), zAlpha = qnorm(1 − alpha), sd = R's sd (denominator n − 1)
// and sigma(w) = max(sd(w), min_sigma):
//   C1 (MILD):   window w = y[t−b .. t−1];        upperbound = mean(w) + zAlpha·sigma(w).
//   C2 (MEDIUM): window w = y[t−b−2 .. t−3] (lag 2); upperbound = mean(w) + zAlpha·sigma(w).
//   C3 (HIGH):   C2stat(s) = (y(s) − mean(w_s)) / sigma(w_s) with w_s the C2 window of s;
//                upperbound(t) = max(0, y(t) + sigma(w_t)·(zAlpha − (max(0, C2stat(t−2) − 1)
//                                                              + max(0, C2stat(t−1) − 1)))).
//                The bound starts from the observed y(t), as in earsC, not from the window mean.
//   Alarm: y(t) > upperbound(t), strictly (earsC's comparison, although its help page writes ≥).
// The first period with a bound (0-based) is b for C1, b + 2 for C2 and b + 4 for C3; before it the
// point is "incomplete" (no bound, no alarm).
// Default alpha: 0.001 for C1 and C2, 0.025 for C3 (earsC fills a missing alpha so).
// Zero-variance windows with min_sigma 0: C1 and C2 give upperbound = mean(w). In C3 the statistic
// becomes 0/0 (NaN) or ±Inf and earsC's upper bound NaN (NA) wherever R's arithmetic makes it so:
// such points are "undefined" (no bound, no alarm), reproducing NaN propagation through pmax.
//
// Errors: none from the computation. EarsOptionsFor validates baseline ≥ 3, 0 < alpha < 1 and
// min_sigma ≥ 0 and returns Status::Invalid otherwise. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::disease {

enum class EarsMethod { kC1, kC2, kC3 };

// "C1", "C2" or "C3" (exact, upper case) → the method; nullopt otherwise.
std::optional<EarsMethod> EarsMethodFromName(std::string_view name);
std::string_view EarsMethodName(EarsMethod method);

struct EarsOptions {
  EarsMethod method = EarsMethod::kC1;
  int baseline = 7;
  double min_sigma = 0;
  // nullopt: earsC's default for the method (0.001 for C1/C2, 0.025 for C3).
  std::optional<double> alpha;
};

// Validates the options (field names: "baseline", "alpha", "min_sigma").
Status ValidateEarsOptions(const EarsOptions& options);

enum class EarsState {
  kIncomplete,  // the baseline is not yet complete: no bound
  kUndefined,   // earsC's bound is NA (C3 over zero-variance windows with min_sigma 0)
  kComputed,
};

struct EarsPoint {
  EarsState state = EarsState::kIncomplete;
  double upperbound = 0;  // meaningful only when state == kComputed
  bool alarm = false;     // observed > upperbound; false unless kComputed
};

// qnorm(p): the standard normal quantile, Wichura's AS 241 (PPND16) as R uses, relative error
// about 1e-16. REQUIRES 0 < p < 1.
double NormalQuantile(double p);

// The alpha used: options.alpha or the method's default.
double EarsAlpha(const EarsOptions& options);

// Runs the method over `counts`; returns counts.size() points. Mean and SD as R computes them
// (two passes, long double sums). REQUIRES ValidateEarsOptions ok.
std::vector<EarsPoint> Ears(std::span<const double> counts, const EarsOptions& options);

// Integer counts (case counts): the same, with each window's mean and variance computed from exact
// integer sums and rounded once (rolling sums, O(n)); reproduces earsC's C1 and C2 bounds bit for
// bit. C3 bounds agree with R to a few units in the last place.
std::vector<EarsPoint> Ears(std::span<const std::int64_t> counts, const EarsOptions& options);

// C1, C2 and C3 of the same integer series at once (earsC's defaults for alpha unless given in
// `options`; options.method is ignored): the windows are computed once and shared, as a daily run
// over many series wants. Equal to three calls of Ears.
struct EarsAllMethods {
  std::vector<EarsPoint> c1, c2, c3;
};
EarsAllMethods EarsAll(std::span<const std::int64_t> counts, const EarsOptions& options);

}  // namespace jd::disease
