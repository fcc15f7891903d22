// File: notify/retry.h
// How the dispatcher retries a notice a gateway could not take: exponential backoff, bounded.
//
// RetryDelay(policy, attempts): the wait after the `attempts`-th failed attempt (1-based):
//   base · factor^(attempts-1), capped at `cap` (and at 0 for a base of 0).
// Classify(http_status): what an HTTP answer means for a notice — 2xx sent; 408 and 429 (timeout,
//   rate limit) and 5xx retry; every other status (3xx, 4xx) fails permanently, since the same
//   request would be refused again.
// AfterAttempt(policy, attempts, outcome): what to do once an attempt ended: kSent, kRetry (while
//   attempts < max_attempts) or kFailed.
#pragma once

#include <chrono>

namespace jd::notify {

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds base{std::chrono::seconds(60)};
  double factor = 2.0;
  std::chrono::milliseconds cap{std::chrono::hours(6)};
};

enum class SendOutcome { kSent, kTransient, kPermanent };
enum class NextStep { kSent, kRetry, kFailed };

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempts);
SendOutcome Classify(int http_status);
NextStep AfterAttempt(const RetryPolicy& policy, int attempts, SendOutcome outcome);

}  // namespace jd::notify
