#include "auth/lockout.h"

#include <gtest/gtest.h>

namespace jd::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 3 / 14} + std::chrono::hours{9};

LoginState FailTimes(int n, TimePoint at, LoginState s = {}) {
  for (int i = 0; i < n; ++i) s = AfterFailure(s, at);
  return s;
}

TEST(Lockout, FourFailuresDoNotLock) {
  LoginState s = FailTimes(4, kT0);
  EXPECT_EQ(s.failed_logins, 4);
  EXPECT_FALSE(s.locked_until.has_value());
  EXPECT_FALSE(IsLocked(s, kT0));
}

TEST(Lockout, FifthFailureLocksForFifteenMinutesAndResetsTheCount) {
  LoginState s = FailTimes(5, kT0);
  EXPECT_EQ(s.failed_logins, 0);
  ASSERT_TRUE(s.locked_until.has_value());
  EXPECT_EQ(*s.locked_until, kT0 + minutes{15});
  EXPECT_TRUE(IsLocked(s, kT0));
  EXPECT_TRUE(IsLocked(s, kT0 + minutes{14} + seconds{59}));
  EXPECT_FALSE(IsLocked(s, kT0 + minutes{15}));
}

TEST(Lockout, FailuresDuringTheLockNeitherCountNorExtendIt) {
  LoginState locked = FailTimes(5, kT0);
  LoginState s = FailTimes(10, kT0 + minutes{10}, locked);
  EXPECT_EQ(s, locked);
}

TEST(Lockout, AfterTheLockTheNextAttemptIsJudgedNormally) {
  LoginState s = FailTimes(5, kT0);
  TimePoint later = kT0 + minutes{15};
  s = AfterFailure(s, later);
  EXPECT_FALSE(IsLocked(s, later));
  EXPECT_EQ(s.failed_logins, 1);
  EXPECT_FALSE(s.locked_until.has_value());
  // Four more failures lock it again.
  s = FailTimes(4, later, s);
  ASSERT_TRUE(IsLocked(s, later));
  EXPECT_EQ(*s.locked_until, later + minutes{15});
}

TEST(Lockout, SuccessResets) {
  LoginState s = AfterSuccess(FailTimes(4, kT0));
  EXPECT_EQ(s, LoginState{});
  // The count starts again: four more failures still do not lock.
  EXPECT_FALSE(IsLocked(FailTimes(4, kT0, s), kT0));
  // A success also clears a lock (the caller only reaches it once the lock has passed).
  EXPECT_EQ(AfterSuccess(FailTimes(5, kT0)), LoginState{});
}

TEST(Lockout, PolicyIsConfigurable) {
  LockoutPolicy p{.max_failures = 3, .lock_for = minutes{60}};
  LoginState s;
  for (int i = 0; i < 3; ++i) s = AfterFailure(s, kT0, p);
  ASSERT_TRUE(s.locked_until.has_value());
  EXPECT_EQ(*s.locked_until, kT0 + minutes{60});
  // A nonsensical limit still locks rather than never locking.
  EXPECT_TRUE(IsLocked(AfterFailure({}, kT0, {.max_failures = 0}), kT0));
}

}  // namespace
}  // namespace jd::auth
