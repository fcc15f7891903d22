#include "disease/detectors.h"

#include <algorithm>
#include <cmath>

namespace jd::disease {

std::vector<bool> FixedThreshold(std::span<const std::int64_t> counts, std::int64_t threshold) {
  std::vector<bool> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) out[i] = counts[i] >= threshold;
  return out;
}

Status ValidateMovingPercentileOptions(const MovingPercentileOptions& o) {
  std::vector<FieldError> errors;
  if (o.percentile < 1 || o.percentile > 99) {
    errors.push_back({"percentile", "out_of_range", "百分位数应在 1 到 99 之间",
                      "percentile must be from 1 to 99"});
  }
  if (o.window_days < 1 || o.window_days > 31) {
    errors.push_back({"window_days", "out_of_range", "窗口天数应在 1 到 31 之间",
                      "window_days must be from 1 to 31"});
  }
  if (o.years < 1 || o.years > 10) {
    errors.push_back(
        {"years", "out_of_range", "历史年数应在 1 到 10 之间", "years must be from 1 to 10"});
  }
  if (o.adjacent < 0 || o.adjacent > 4) {
    errors.push_back(
        {"adjacent", "out_of_range", "相邻期数应在 0 到 4 之间", "adjacent must be from 0 to 4"});
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  return Status::Ok();
}

std::size_t MovingPercentileFirstDay(const MovingPercentileOptions& o) {
  // The earliest baseline window ends at t − 364·years − 7·adjacent and starts window − 1 days
  // before.
  return static_cast<std::size_t>(364 * o.years + 7 * o.adjacent + o.window_days - 1);
}

double PercentileType7(std::vector<double>& v, double p) {
  // Insertion sort: the baseline has a handful of values (9 by default).
  for (std::size_t i = 1; i < v.size(); ++i) {
    double x = v[i];
    std::size_t j = i;
    for (; j > 0 && v[j - 1] > x; --j) v[j] = v[j - 1];
    v[j] = x;
  }
  double h = (static_cast<double>(v.size()) - 1) * p / 100.0;
  auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= v.size()) return v.back();
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

namespace {

// A 25-comparator sorting network for 9 values (branchless min/max); checked on every 0/1 input
// (the 0-1 principle) in detectors_test.cc through MovingPercentile.
// Branch-free: baseline sums are random enough that a branch would mispredict half the time.
inline void CompareExchange(std::int64_t& a, std::int64_t& b) {
  std::int64_t mask = -static_cast<std::int64_t>(b < a);  // all ones when out of order
  std::int64_t diff = (a ^ b) & mask;
  a ^= diff;
  b ^= diff;
}

// Written out on locals so that the compiler keeps all 9 in registers (a table-driven loop went
// through memory and was three times slower).
void Sort9(std::int64_t* v) {
  std::int64_t v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3], v4 = v[4], v5 = v[5], v6 = v[6],
               v7 = v[7], v8 = v[8];
  CompareExchange(v0, v3);
  CompareExchange(v1, v7);
  CompareExchange(v2, v5);
  CompareExchange(v4, v8);
  CompareExchange(v0, v7);
  CompareExchange(v2, v4);
  CompareExchange(v3, v8);
  CompareExchange(v5, v6);
  CompareExchange(v0, v2);
  CompareExchange(v1, v3);
  CompareExchange(v4, v5);
  CompareExchange(v7, v8);
  CompareExchange(v1, v4);
  CompareExchange(v3, v6);
  CompareExchange(v5, v7);
  CompareExchange(v0, v1);
  CompareExchange(v2, v4);
  CompareExchange(v3, v5);
  CompareExchange(v6, v8);
  CompareExchange(v2, v3);
  CompareExchange(v4, v5);
  CompareExchange(v6, v7);
  CompareExchange(v1, v2);
  CompareExchange(v3, v4);
  CompareExchange(v5, v6);
  v[0] = v0, v[1] = v1, v[2] = v2, v[3] = v3, v[4] = v4, v[5] = v5, v[6] = v6, v[7] = v7, v[8] = v8;
}

}  // namespace

std::vector<PercentilePoint> MovingPercentile(std::span<const std::int64_t> counts,
                                              const MovingPercentileOptions& o) {
  const std::size_t n = counts.size();
  std::vector<PercentilePoint> out(n);
  // prefix[i] = cases of days 0..i−1; S(t) = prefix[t+1] − prefix[t+1−window] (t ≥ window − 1).
  std::vector<std::int64_t> prefix(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + counts[i];
  const auto w = static_cast<std::size_t>(o.window_days);
  auto sum = [&prefix, w](std::size_t t) { return prefix[t + 1] - prefix[t + 1 - w]; };
  for (std::size_t t = 0; t < n; ++t) {
    out[t].current = t + 1 >= w ? sum(t) : prefix[t + 1];
  }
  const std::size_t first = MovingPercentileFirstDay(o);
  const std::size_t m = static_cast<std::size_t>(o.years * (2 * o.adjacent + 1));
  // Type 7 on m values: h = (m − 1)·p/100, between the ⌊h⌋-th and the next order statistic.
  const double h = (static_cast<double>(m) - 1) * o.percentile / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  std::vector<std::int64_t> baseline(m);
  std::vector<double> values(m);
  for (std::size_t t = first; t < n; ++t) {
    std::size_t i = 0;
    for (int y = 1; y <= o.years; ++y) {
      for (int k = -o.adjacent; k <= o.adjacent; ++k) {
        baseline[i++] = sum(t - static_cast<std::size_t>(364 * y - 7 * k));
      }
    }
    PercentilePoint& p = out[t];
    p.complete = true;
    if (m == 9) {
      Sort9(baseline.data());
      double a = static_cast<double>(baseline[lo]);
      p.threshold = lo + 1 < m ? a + frac * (static_cast<double>(baseline[lo + 1]) - a) : a;
    } else {
      for (std::size_t j = 0; j < m; ++j) values[j] = static_cast<double>(baseline[j]);
      p.threshold = PercentileType7(values, o.percentile);
    }
    p.signal = p.current >= 1 && static_cast<double>(p.current) >= p.threshold;
  }
  return out;
}

}  // namespace jd::disease
