// File: http/metrics.h
// Request counters and latency histograms in the Prometheus text format (/metrics). Thread-safe
// and lock-free on the request path for known routes.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace jd::http {

class Metrics {
 public:
  void Observe(const std::string& method, const std::string& route, int status,
               std::chrono::microseconds elapsed);
  // Prometheus exposition text, with `extra` lines (gauges from the services) appended.
  std::string Render(const std::string& extra) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};
  struct Series {
    std::atomic<long long> count{0};
    std::atomic<long long> micros{0};
    std::array<std::atomic<long long>, kBuckets.size()> buckets{};
  };
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Series>> series_;  // key: method|route|status
};

}  // namespace jd::http
