#include "http/metrics.h"

#include <fmt/format.h>

#include <memory>

namespace jd::http {

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      std::chrono::microseconds elapsed) {
  std::string key = method + "|" + route + "|" + std::to_string(status);
  Series* s;
  {
    std::lock_guard lock(mu_);
    auto& slot = series_[key];
    if (!slot) slot = std::make_unique<Series>();
    s = slot.get();
  }
  s->count.fetch_add(1, std::memory_order_relaxed);
  s->micros.fetch_add(elapsed.count(), std::memory_order_relaxed);
  double seconds = static_cast<double>(elapsed.count()) / 1e6;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) s->buckets[i].fetch_add(1, std::memory_order_relaxed);
  }
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  out += "# HELP jundeng_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE jundeng_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, s] : series_) {
    auto a = key.find('|'), b = key.rfind('|');
    out += fmt::format(
        "jundeng_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
        key.substr(0, a), key.substr(a + 1, b - a - 1), key.substr(b + 1), s->count.load());
  }
  out += "# HELP jundeng_http_request_duration_seconds HTTP request latency.\n";
  out += "# TYPE jundeng_http_request_duration_seconds histogram\n";
  std::map<std::string, std::array<long long, kBuckets.size() + 2>> by_route;  // buckets, count, µs
  for (const auto& [key, s] : series_) {
    auto b = key.rfind('|');
    auto& agg = by_route[key.substr(0, b)];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) agg[i] += s->buckets[i].load();
    agg[kBuckets.size()] += s->count.load();
    agg[kBuckets.size() + 1] += s->micros.load();
  }
  for (const auto& [key, agg] : by_route) {
    auto a = key.find('|');
    std::string labels =
        fmt::format("method=\"{}\",route=\"{}\"", key.substr(0, a), key.substr(a + 1));
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("jundeng_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                         labels, kBuckets[i], agg[i]);
    }
    out += fmt::format("jundeng_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                       labels, agg[kBuckets.size()]);
    out += fmt::format("jundeng_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                       static_cast<double>(agg[kBuckets.size() + 1]) / 1e6);
    out += fmt::format("jundeng_http_request_duration_seconds_count{{{}}} {}\n", labels,
                       agg[kBuckets.size()]);
  }
  out += extra;
  return out;
}

}  // namespace jd::http
