#include "disease/ears.h"

#include <cmath>
#include <limits>

namespace jd::disease {

namespace {

// R's mean(): the sum in long double divided by n, then one correction pass (summary.c), so that
// the mean of a window of equal counts is exactly that count.
double RMean(const double* x, int n) {
  long double s = 0;
  for (int i = 0; i < n; ++i) s += x[i];
  s /= n;
  if (std::isfinite(static_cast<double>(s))) {
    long double t = 0;
    for (int i = 0; i < n; ++i) t += x[i] - s;
    s += t / n;
  }
  return static_cast<double>(s);
}

// R's sd(): the square root of var() with denominator n − 1, two-pass about R's mean (cov.c).
double RSd(const double* x, int n, double mean) {
  long double ss = 0;
  for (int i = 0; i < n; ++i) {
    long double d = x[i] - mean;
    ss += d * d;
  }
  return std::sqrt(static_cast<double>(ss / (n - 1)));
}

// R's pmax(0, x) for one value: NaN stays NaN (std::max would drop it).
double PMax0(double x) {
  if (std::isnan(x)) return x;
  return x > 0 ? x : 0.0;
}

struct Window {
  double mean = 0;
  double sigma = 0;  // max(sd, min_sigma)
};

// The window y[end − baseline .. end − 1] (0-based, end exclusive).
Window WindowBefore(std::span<const double> y, std::size_t end, int baseline, double min_sigma) {
  const double* start = y.data() + (end - static_cast<std::size_t>(baseline));
  Window w;
  w.mean = RMean(start, baseline);
  double sd = RSd(start, baseline, w.mean);
  // R's max(sd, minSigma): NaN only from NaN input, which counts never are.
  w.sigma = sd > min_sigma ? sd : min_sigma;
  return w;
}

}  // namespace

std::optional<EarsMethod> EarsMethodFromName(std::string_view name) {
  if (name == "C1") return EarsMethod::kC1;
  if (name == "C2") return EarsMethod::kC2;
  if (name == "C3") return EarsMethod::kC3;
  return std::nullopt;
}

std::string_view EarsMethodName(EarsMethod method) {
  switch (method) {
    case EarsMethod::kC1:
      return "C1";
    case EarsMethod::kC2:
      return "C2";
    case EarsMethod::kC3:
      return "C3";
  }
  return "C1";
}

Status ValidateEarsOptions(const EarsOptions& options) {
  std::vector<FieldError> errors;
  // earsC: "The minimum number of observations needed for the baseline is 3".
  if (options.baseline < 3 || options.baseline > 10'000) {
    errors.push_back({"baseline", "out_of_range", "基线期数应在 3 到 10000 之间",
                      "baseline must be from 3 to 10000"});
  }
  if (options.alpha && !(*options.alpha > 0 && *options.alpha < 1)) {
    errors.push_back(
        {"alpha", "out_of_range", "alpha 应大于 0 且小于 1", "alpha must be between 0 and 1"});
  }
  if (!(options.min_sigma >= 0) || !std::isfinite(options.min_sigma)) {
    errors.push_back({"min_sigma", "out_of_range", "min_sigma 应为非负数",
                      "min_sigma must be a non-negative number"});
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  return Status::Ok();
}

double EarsAlpha(const EarsOptions& options) {
  if (options.alpha) return *options.alpha;
  // surveillance::earsC: alpha <- if (method == "C3") 0.025 else 0.001 when not given.
  return options.method == EarsMethod::kC3 ? 0.025 : 0.001;
}

// Wichura, M. J. (1988) Algorithm AS 241: The percentage points of the normal distribution.
// Applied Statistics 37, 477–484 — the algorithm of R's qnorm (nmath/qnorm.c).
double NormalQuantile(double p) {
  double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    double r = 0.180625 - q * q;
    return q *
           (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) *
                    r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) *
                    r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q > 0 ? (0.5 - p + 0.5) : p;
  r = std::sqrt(-std::log(r));
  double val;
  if (r <= 5) {
    r += -1.6;
    val = (((((((r * 7.7454501427834140764e-4 + .0227238449892691845833) * r +
                .24178072517745061177) *
                   r +
               1.27045825245236838258) *
                  r +
              3.64784832476320460504) *
                 r +
             5.7694972214606914055) *
                r +
            4.6303378461565452959) *
               r +
           1.42343711074968357734) /
          (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                .0151986665636164571966) *
                   r +
               .14810397642748007459) *
                  r +
              .68976733498510000455) *
                 r +
             1.6763848301838038494) *
                r +
            2.05319162663775882187) *
               r +
           1.0);
  } else {
    r += -5;
    val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
                .0012426609473880784386) *
                   r +
               .026532189526576123093) *
                  r +
              .29656057182850489123) *
                 r +
             1.7848265399172913358) *
                r +
            5.4637849111641143699) *
               r +
           6.6579046435011037772) /
          (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                1.8463183175100546818e-5) *
                   r +
               7.868691311456132591e-4) *
                  r +
              .0148753612908506148525) *
                 r +
             .13692988092273580531) *
                r +
            .59983220655588793769) *
               r +
           1.0);
  }
  return q < 0.0 ? -val : val;
}

namespace {

// windows[e] = the window y[e − b .. e − 1] for every e in b..n (index e = end, exclusive).
using Windows = std::vector<Window>;

Windows WindowsOf(std::span<const double> y, int baseline, double min_sigma) {
  Windows w(y.size() + 1);
  for (std::size_t e = static_cast<std::size_t>(baseline); e <= y.size(); ++e) {
    w[e] = WindowBefore(y, e, baseline, min_sigma);
  }
  return w;
}

template <typename Wide>
Windows ExactWindows(std::span<const std::int64_t> y, std::span<const double> yd, int baseline,
                     double min_sigma) {
  const auto b = static_cast<std::size_t>(baseline);
  Windows w(y.size() + 1);
  if (y.size() < b) return w;
  constexpr Wide kExact = Wide{1} << 53;
  Wide s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < b; ++i) {
    s1 += y[i];
    s2 += static_cast<Wide>(y[i]) * y[i];
  }
  const Wide n = baseline;
  const double n_d = static_cast<double>(baseline);
  const double denominator = static_cast<double>(n * (n - 1));
  for (std::size_t e = b;; ++e) {
    Wide num = n * s2 - s1 * s1;
    if (s1 < kExact && s1 > -kExact && num < kExact) {
      w[e].mean = static_cast<double>(s1) / n_d;
      double sd = std::sqrt(static_cast<double>(num) / denominator);
      w[e].sigma = sd > min_sigma ? sd : min_sigma;
    } else {
      w[e] = WindowBefore(yd, e, baseline, min_sigma);
    }
    if (e == y.size()) break;
    s1 += y[e] - y[e - b];
    s2 += static_cast<Wide>(y[e]) * y[e] - static_cast<Wide>(y[e - b]) * y[e - b];
  }
  return w;
}

// Integer counts: the window sums are exact integers, so the mean Σx/n and the variance
// (nΣx² − (Σx)²)/(n(n − 1)) come out correctly rounded from one division each — the values R's
// two-pass mean and var reach on such data (every C1 and C2 bound of the references bit for bit).
// Sums beyond 2^53 fall back to the two-pass path. 64-bit sums when they cannot overflow (counts
// up to 10^6, baseline up to 64), 128-bit otherwise.
Windows WindowsOf(std::span<const std::int64_t> y, std::span<const double> yd, int baseline,
                  double min_sigma) {
  bool small = baseline <= 64;
  for (std::int64_t v : y) small = small && v <= 1'000'000 && v >= -1'000'000;
  if (small) return ExactWindows<std::int64_t>(y, yd, baseline, min_sigma);
  return ExactWindows<__int128>(y, yd, baseline, min_sigma);
}

std::vector<EarsPoint> EarsOver(std::span<const double> y, const Windows& windows,
                                const EarsOptions& options) {
  const std::size_t n = y.size();
  const auto b = static_cast<std::size_t>(options.baseline);
  const double z_alpha = NormalQuantile(1 - EarsAlpha(options));
  std::vector<EarsPoint> out(n);
  auto set = [&out, &y](std::size_t t, double upper) {
    if (std::isnan(upper)) {
      out[t].state = EarsState::kUndefined;
      return;
    }
    out[t].state = EarsState::kComputed;
    out[t].upperbound = upper;
    out[t].alarm = y[t] > upper;
  };
  switch (options.method) {
    case EarsMethod::kC1:
      // surveillance::earsC, method "C1": reference values y[t−b .. t−1].
      for (std::size_t t = b; t < n; ++t) {
        const Window& w = windows[t];
        set(t, w.mean + z_alpha * w.sigma);
      }
      break;
    case EarsMethod::kC2:
      // Method "C2": the same window lagged by 2, y[t−b−2 .. t−3].
      for (std::size_t t = b + 2; t < n; ++t) {
        const Window& w = windows[t - 2];
        set(t, w.mean + z_alpha * w.sigma);
      }
      break;
    case EarsMethod::kC3: {
      // Method "C3": the C2 statistics of the two previous periods, above 1, are taken off zAlpha;
      // the bound is then expressed in counts from the observed y(t) and floored at 0.
      if (n < b + 5) break;
      // PMax0(C2(s) − 1) of each period s once (each is used by the two periods after it).
      std::vector<double> over(n);
      for (std::size_t s = b + 2; s < n; ++s) {
        const Window& w = windows[s - 2];
        over[s] = PMax0((y[s] - w.mean) / w.sigma - 1);
      }
      for (std::size_t t = b + 4; t < n; ++t) {
        double excess = over[t - 2] + over[t - 1];
        set(t, PMax0(y[t] + windows[t - 2].sigma * (z_alpha - excess)));
      }
      break;
    }
  }
  return out;
}

}  // namespace

std::vector<EarsPoint> Ears(std::span<const double> y, const EarsOptions& options) {
  return EarsOver(y, WindowsOf(y, options.baseline, options.min_sigma), options);
}

std::vector<EarsPoint> Ears(std::span<const std::int64_t> counts, const EarsOptions& options) {
  std::vector<double> y(counts.begin(), counts.end());
  return EarsOver(y, WindowsOf(counts, y, options.baseline, options.min_sigma), options);
}

EarsAllMethods EarsAll(std::span<const std::int64_t> counts, const EarsOptions& options) {
  std::vector<double> y(counts.begin(), counts.end());
  Windows windows = WindowsOf(counts, y, options.baseline, options.min_sigma);
  EarsOptions o = options;
  EarsAllMethods all;
  o.method = EarsMethod::kC1;
  all.c1 = EarsOver(y, windows, o);
  o.method = EarsMethod::kC2;
  all.c2 = EarsOver(y, windows, o);
  o.method = EarsMethod::kC3;
  all.c3 = EarsOver(y, windows, o);
  return all;
}

}  // namespace jd::disease
