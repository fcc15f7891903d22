#include "disease/detectors.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace jd::disease {

std::vector<std::uint8_t> FixedThreshold(std::span<const std::int64_t> counts,
                                         std::int64_t threshold) {
  // Bytes, not std::vector<bool>: a byte per day is written in one vector store per 4 days, a bit
  // per day by a read-modify-write each.
  std::vector<std::uint8_t> out(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) out[i] = counts[i] >= threshold ? 1 : 0;
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

// The 25 comparators of Sort9, as (a, b) pairs, for the lane kernel below.
#define JD_SORT9_NETWORK(X)                                                                       \
  X(0, 3)                                                                                         \
  X(1, 7) X(2, 5) X(4, 8) X(0, 7) X(2, 4) X(3, 8) X(5, 6) X(0, 2) X(1, 3) X(4, 5) X(7, 8) X(1, 4) \
      X(3, 6) X(5, 7) X(0, 1) X(2, 4) X(3, 5) X(6, 8) X(2, 3) X(4, 5) X(6, 7) X(1, 2) X(3, 4)     \
          X(5, 6)

// The 7-day sums S(t) (t ≥ window − 1; the running total before) as `current`, every point
// otherwise empty, in one pass; the same sums as 32 bits in `narrow` when they all fit (else
// `narrow` is left empty).
std::vector<PercentilePoint> CurrentSums(std::span<const std::int64_t> counts, std::size_t w,
                                         std::vector<std::int32_t>& narrow) {
  const std::size_t n = counts.size();
  std::vector<PercentilePoint> out(n);
  narrow.resize(n);
  std::int64_t run = 0, low = 0, high = 0;
  for (std::size_t t = 0; t < n; ++t) {
    run += counts[t] - (t >= w ? counts[t - w] : 0);
    out[t].current = run;
    narrow[t] = static_cast<std::int32_t>(run);
    low = std::min(low, run);
    high = std::max(high, run);
  }
  if (low < INT32_MIN || high > INT32_MAX) narrow.clear();
  return out;
}

// The type-7 interpolation between the order statistics `a` = x(lo) and `b` = x(lo + 1).
struct Interpolation {
  std::size_t lo = 0;
  double frac = 0;
  bool last = false;  // lo is the largest: the threshold is x(lo)
};

Interpolation InterpolationOf(std::size_t m, int percentile) {
  const double h = (static_cast<double>(m) - 1) * percentile / 100.0;
  Interpolation i;
  i.lo = static_cast<std::size_t>(std::floor(h));
  i.frac = h - static_cast<double>(i.lo);
  i.last = i.lo + 1 >= m;
  return i;
}

void Judge(PercentilePoint& p, const Interpolation& in, std::int64_t a, std::int64_t b) {
  const auto x = static_cast<double>(a);
  p.complete = true;
  p.threshold = in.last ? x : x + in.frac * (static_cast<double>(b) - x);
  p.signal = p.current >= 1 && static_cast<double>(p.current) >= p.threshold;
}

// The days from `first` on, one at a time: any number of baseline values.
void BaselineScalar(std::vector<PercentilePoint>& out, std::span<const std::size_t> offsets,
                    std::size_t first, const MovingPercentileOptions& o) {
  const std::size_t m = offsets.size();
  const Interpolation in = InterpolationOf(m, o.percentile);
  std::vector<std::int64_t> baseline(m);
  std::vector<double> values(m);
  for (std::size_t t = first; t < out.size(); ++t) {
    for (std::size_t j = 0; j < m; ++j) baseline[j] = out[t - offsets[j]].current;
    if (m == 9) {
      Sort9(baseline.data());
      Judge(out[t], in, baseline[in.lo], baseline[in.last ? in.lo : in.lo + 1]);
    } else {
      for (std::size_t j = 0; j < m; ++j) values[j] = static_cast<double>(baseline[j]);
      PercentilePoint& p = out[t];
      p.complete = true;
      p.threshold = PercentileType7(values, o.percentile);
      p.signal = p.current >= 1 && static_cast<double>(p.current) >= p.threshold;
    }
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define JD_HAVE_AVX2_KERNEL 1
// Eight target days at once (AVX2, 32-bit lanes): the j-th baseline value of the days t..t+7 is
// the window sums at t−offset_j..t+7−offset_j, one contiguous load, so the sorting network runs on
// eight days with one min and one max per comparator. Exact: the sums are checked to fit 32 bits
// before this is chosen. REQUIRES offsets.size() == 9, every offset ≥ 8.
__attribute__((target("avx2"))) void Baseline9Avx2(std::vector<PercentilePoint>& out,
                                                   std::span<const std::int32_t> sums,
                                                   std::span<const std::size_t> offsets,
                                                   std::size_t first, int percentile) {
  const Interpolation in = InterpolationOf(9, percentile);
  const std::size_t n = out.size();
  alignas(32) std::int32_t a[8], b[8];
  for (std::size_t t0 = first; t0 < n; t0 += 8) {
    __m256i v[9];
    for (std::size_t j = 0; j < 9; ++j) {
      v[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(sums.data() + t0 - offsets[j]));
    }
#define JD_LANES_CE(i, k)                       \
  {                                             \
    __m256i lo_ = _mm256_min_epi32(v[i], v[k]); \
    v[k] = _mm256_max_epi32(v[i], v[k]);        \
    v[i] = lo_;                                 \
  }
    JD_SORT9_NETWORK(JD_LANES_CE)
#undef JD_LANES_CE
    _mm256_store_si256(reinterpret_cast<__m256i*>(a), v[in.lo]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(b), v[in.last ? in.lo : in.lo + 1]);
    const std::size_t lanes = std::min<std::size_t>(8, n - t0);
    for (std::size_t l = 0; l < lanes; ++l) Judge(out[t0 + l], in, a[l], b[l]);
  }
}
#endif

}  // namespace

std::vector<PercentilePoint> MovingPercentile(std::span<const std::int64_t> counts,
                                              const MovingPercentileOptions& o,
                                              PercentileKernel kernel) {
  const auto w = static_cast<std::size_t>(o.window_days);
  std::vector<std::int32_t> narrow;
  std::vector<PercentilePoint> out = CurrentSums(counts, w, narrow);
  const std::size_t first = MovingPercentileFirstDay(o);
  if (first >= out.size()) return out;
  std::vector<std::size_t> offsets;
  for (int y = 1; y <= o.years; ++y) {
    for (int k = -o.adjacent; k <= o.adjacent; ++k) {
      offsets.push_back(static_cast<std::size_t>(364 * y - 7 * k));
    }
  }
#ifdef JD_HAVE_AVX2_KERNEL
  // The offsets are at least 364 − 7·4 days, so every load of eight stays inside the series.
  if (kernel == PercentileKernel::kAuto && offsets.size() == 9 && !narrow.empty() &&
      __builtin_cpu_supports("avx2")) {
    Baseline9Avx2(out, narrow, offsets, first, o.percentile);
    return out;
  }
#endif
  BaselineScalar(out, offsets, first, o);
  return out;
}

}  // namespace jd::disease
