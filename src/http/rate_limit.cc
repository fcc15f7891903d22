#include "http/rate_limit.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace jd::http {

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit), max_keys_(std::max<std::size_t>(max_keys, 2)) {
  limit_.burst = std::max(limit_.burst, 1);
  if (limit_.refill_every.count() <= 0) limit_.refill_every = std::chrono::milliseconds(1);
}

std::int64_t RateLimiter::Take(const std::string& key, std::int64_t now_ms) {
  const double per_ms = 1.0 / static_cast<double>(limit_.refill_every.count());
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Prune(now_ms);
    it = buckets_.emplace(key, Bucket{static_cast<double>(limit_.burst), now_ms}).first;
  }
  Bucket& b = it->second;
  if (now_ms > b.updated_ms) {
    b.tokens = std::min<double>(limit_.burst,
                                b.tokens + static_cast<double>(now_ms - b.updated_ms) * per_ms);
    b.updated_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - b.tokens) / per_ms)));
}

void RateLimiter::Prune(std::int64_t now_ms) {
  const double per_ms = 1.0 / static_cast<double>(limit_.refill_every.count());
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const Bucket& b = it->second;
    double tokens =
        b.tokens + static_cast<double>(std::max<std::int64_t>(0, now_ms - b.updated_ms)) * per_ms;
    it = tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < max_keys_) return;
  // Every key is still limited: drop the older half by last use.
  std::vector<std::int64_t> times;
  times.reserve(buckets_.size());
  for (const auto& [k, b] : buckets_) times.push_back(b.updated_ms);
  auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), mid, times.end());
  const std::int64_t cut = *mid;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->second.updated_ms <= cut ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace jd::http
