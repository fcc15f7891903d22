// File: auth/lockout.h
// Login-failure handling (GB/T 22239-2019 第三级 安全计算环境 身份鉴别 b): 限制非法登录次数):
// after `max_failures` consecutive failed logins the account is locked for `lock_for`. Pure
// functions over the two columns the users table keeps; the caller stores the result.
//
// IsLocked(state, now): true while `now` is before `locked_until`.
// AfterFailure(state, now, policy): the state after one more failed login. A failure that reaches
//   max_failures locks until now + lock_for and resets the count to 0. A lock that has passed is
//   cleared first, so the attempt after it is judged from a fresh count. While still locked the
//   state is returned unchanged: the caller should refuse locked accounts before checking the
//   password, and attempts during a lock neither count nor extend it.
// AfterSuccess(state): count reset, no lock.
#pragma once

#include <chrono>
#include <optional>

namespace jd::auth {

struct LockoutPolicy {
  int max_failures = 5;  // values below 1 act as 1
  std::chrono::minutes lock_for{15};
};

struct LoginState {
  int failed_logins = 0;  // consecutive failures since the last success or lock
  std::optional<std::chrono::system_clock::time_point> locked_until;

  bool operator==(const LoginState&) const = default;
};

bool IsLocked(const LoginState& state, std::chrono::system_clock::time_point now);

LoginState AfterFailure(LoginState state, std::chrono::system_clock::time_point now,
                        const LockoutPolicy& policy = {});

LoginState AfterSuccess(LoginState state);

}  // namespace jd::auth
