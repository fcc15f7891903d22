#include "http/rate_limit.h"

#include <gtest/gtest.h>

namespace jd::http {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, BurstThenOneTokenPerInterval) {
  RateLimiter limiter({.burst = 3, .refill_every = milliseconds(1000)});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("u", 0), 0) << i;
  // The fourth waits for the next token: a whole interval.
  EXPECT_EQ(limiter.Take("u", 0), 1000);
  EXPECT_EQ(limiter.Take("u", 400), 600);
  EXPECT_EQ(limiter.Take("u", 1000), 0);
  EXPECT_GT(limiter.Take("u", 1000), 0);
  // A long pause refills to the burst, not beyond it.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("u", 100000), 0) << i;
  EXPECT_GT(limiter.Take("u", 100000), 0);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter({.burst = 1, .refill_every = milliseconds(60000)});
  EXPECT_EQ(limiter.Take("alice", 0), 0);
  EXPECT_GT(limiter.Take("alice", 1), 0);
  EXPECT_EQ(limiter.Take("bob", 1), 0);
}

TEST(RateLimiter, PruningDropsRefilledKeysAndKeepsLimitedOnes) {
  RateLimiter limiter({.burst = 2, .refill_every = milliseconds(1000)}, 100);
  for (int i = 0; i < 99; ++i) EXPECT_EQ(limiter.Take("k" + std::to_string(i), 0), 0);
  EXPECT_EQ(limiter.Take("victim", 5000), 0);
  EXPECT_EQ(limiter.Take("victim", 5000), 0);
  // The table is full: the next new key drops the 99 refilled ones, not the limited one.
  EXPECT_EQ(limiter.Take("newcomer", 5000), 0);
  EXPECT_GT(limiter.Take("victim", 5000), 0);
}

}  // namespace
}  // namespace jd::http
