#include "auth/lockout.h"

#include <algorithm>

namespace jd::auth {

bool IsLocked(const LoginState& state, std::chrono::system_clock::time_point now) {
  return state.locked_until.has_value() && now < *state.locked_until;
}

LoginState AfterFailure(LoginState state, std::chrono::system_clock::time_point now,
                        const LockoutPolicy& policy) {
  if (IsLocked(state, now)) return state;
  if (state.locked_until.has_value()) {
    // The lock has run out: judge this attempt normally, from a fresh count.
    state.locked_until.reset();
    state.failed_logins = 0;
  }
  state.failed_logins = std::max(state.failed_logins, 0) + 1;
  if (state.failed_logins >= std::max(policy.max_failures, 1)) {
    state.locked_until = now + policy.lock_for;
    state.failed_logins = 0;
  }
  return state;
}

LoginState AfterSuccess(LoginState state) {
  state.failed_logins = 0;
  state.locked_until.reset();
  return state;
}

}  // namespace jd::auth
