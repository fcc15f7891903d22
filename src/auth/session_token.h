// File: auth/session_token.h
// Session tokens (GB/T 22239-2019 第三级 安全计算环境 身份鉴别 b): 登录连接超时自动退出). The
// client holds a random bearer token; the database stores only its SHA-256, so a leaked copy of the
// database does not let anyone take over a session. Thread-safe.
//
// NewSessionToken(): 32 random bytes (256 bits) as URL-safe base64 without padding: 43 characters
//   from [A-Za-z0-9_-], safe in cookies and headers as is.
// HashToken(token): lower-case hex SHA-256 of the token's bytes (64 characters); the value to store
//   and to look sessions up by.
// SessionExpired(created_at, last_seen_at, now, policy): true once `now` is `idle` or more after
//   the last request, or `absolute` or more after login, whichever comes first.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace jd::auth {

inline constexpr std::size_t kSessionTokenBytes = 32;

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
};

std::string NewSessionToken();

std::string HashToken(std::string_view token);

bool SessionExpired(std::chrono::system_clock::time_point created_at,
                    std::chrono::system_clock::time_point last_seen_at,
                    std::chrono::system_clock::time_point now, const SessionPolicy& policy = {});

}  // namespace jd::auth
