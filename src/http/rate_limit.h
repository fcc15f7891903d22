// File: http/rate_limit.h
// Token buckets that answer "too many requests" (429) before a request reaches the services: on
// login per account name and per client address (guessing passwords), and on person search and
// the ID check per user (probing who is registered). They complement the account lockout
// (auth/lockout.h), which counts wrong passwords; a rate limit needs no database.
//
// RateLimit{burst, refill_every}: a key starts with `burst` tokens and regains one every
//   `refill_every`, up to `burst`; a request takes one.
// RateLimiter::Take(key, now): takes a token for `key` at `now` (any steady clock reading, in
//   milliseconds; it must not go backwards for a key). Returns 0 when the request may go on,
//   otherwise the milliseconds until a token is back (what Retry-After says, rounded up to whole
//   seconds). Thread-safe.
//   Memory: at most `max_keys` keys are kept. Past that, keys whose buckets have refilled are
//   dropped (they would behave the same as new ones); if every key is still limited, the oldest
//   half is dropped, so a flood of distinct keys costs memory, not correctness for real users.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jd::http {

struct RateLimit {
  int burst = 10;
  std::chrono::milliseconds refill_every{6000};
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimit limit, std::size_t max_keys = 100000);

  std::int64_t Take(const std::string& key, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
  };
  void Prune(std::int64_t now_ms);

  RateLimit limit_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace jd::http
