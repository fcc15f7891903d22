#include "notify/retry.h"

#include <algorithm>
#include <cmath>

namespace jd::notify {

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempts) {
  if (attempts < 1 || policy.base.count() <= 0) return std::chrono::milliseconds(0);
  // In double: factor^n overflows no integer, and the cap bounds the result.
  double ms = static_cast<double>(policy.base.count()) *
              std::pow(std::max(policy.factor, 1.0), attempts - 1);
  double cap = static_cast<double>(policy.cap.count());
  return std::chrono::milliseconds(static_cast<long long>(std::min(ms, cap)));
}

SendOutcome Classify(int http_status) {
  if (http_status >= 200 && http_status < 300) return SendOutcome::kSent;
  if (http_status == 408 || http_status == 429 || http_status >= 500) {
    return SendOutcome::kTransient;
  }
  return SendOutcome::kPermanent;
}

NextStep AfterAttempt(const RetryPolicy& policy, int attempts, SendOutcome outcome) {
  switch (outcome) {
    case SendOutcome::kSent:
      return NextStep::kSent;
    case SendOutcome::kPermanent:
      return NextStep::kFailed;
    case SendOutcome::kTransient:
      return attempts < policy.max_attempts ? NextStep::kRetry : NextStep::kFailed;
  }
  return NextStep::kFailed;
}

}  // namespace jd::notify
