#include "notify/retry.h"

#include <gtest/gtest.h>

namespace jd::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryTest, DelaysDoubleFromTheBaseUpToTheCap) {
  RetryPolicy p{.max_attempts = 10, .base = seconds(60), .factor = 2.0, .cap = seconds(600)};
  EXPECT_EQ(RetryDelay(p, 1), seconds(60));
  EXPECT_EQ(RetryDelay(p, 2), seconds(120));
  EXPECT_EQ(RetryDelay(p, 3), seconds(240));
  EXPECT_EQ(RetryDelay(p, 4), seconds(480));
  EXPECT_EQ(RetryDelay(p, 5), seconds(600));
  EXPECT_EQ(RetryDelay(p, 60), seconds(600));  // no overflow far out
  EXPECT_EQ(RetryDelay(p, 0), milliseconds(0));
}

TEST(RetryTest, ZeroBaseRetriesAtOnce) {
  RetryPolicy p{.base = milliseconds(0)};
  EXPECT_EQ(RetryDelay(p, 1), milliseconds(0));
  EXPECT_EQ(RetryDelay(p, 4), milliseconds(0));
}

TEST(RetryTest, HttpStatusesAreSentRetriedOrFailed) {
  EXPECT_EQ(Classify(200), SendOutcome::kSent);
  EXPECT_EQ(Classify(202), SendOutcome::kSent);
  EXPECT_EQ(Classify(204), SendOutcome::kSent);
  EXPECT_EQ(Classify(500), SendOutcome::kTransient);
  EXPECT_EQ(Classify(503), SendOutcome::kTransient);
  EXPECT_EQ(Classify(408), SendOutcome::kTransient);
  EXPECT_EQ(Classify(429), SendOutcome::kTransient);
  EXPECT_EQ(Classify(400), SendOutcome::kPermanent);
  EXPECT_EQ(Classify(401), SendOutcome::kPermanent);
  EXPECT_EQ(Classify(404), SendOutcome::kPermanent);
  EXPECT_EQ(Classify(422), SendOutcome::kPermanent);
  EXPECT_EQ(Classify(301), SendOutcome::kPermanent);
}

TEST(RetryTest, TransientFailuresRetryUntilTheLastAttempt) {
  RetryPolicy p{.max_attempts = 3};
  EXPECT_EQ(AfterAttempt(p, 1, SendOutcome::kTransient), NextStep::kRetry);
  EXPECT_EQ(AfterAttempt(p, 2, SendOutcome::kTransient), NextStep::kRetry);
  EXPECT_EQ(AfterAttempt(p, 3, SendOutcome::kTransient), NextStep::kFailed);
  EXPECT_EQ(AfterAttempt(p, 1, SendOutcome::kPermanent), NextStep::kFailed);
  EXPECT_EQ(AfterAttempt(p, 3, SendOutcome::kSent), NextStep::kSent);
}

}  // namespace
}  // namespace jd::notify
