#include "auth/session_token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace jd::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kLogin = std::chrono::sys_days{std::chrono::year{2026} / 3 / 14} + hours{8};

TEST(SessionToken, Is43UrlSafeCharactersAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string t = NewSessionToken();
    ASSERT_EQ(t.size(), 43u);  // ceil(256 / 6)
    for (char c : t) {
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_';
      EXPECT_TRUE(ok) << t;
    }
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(SessionToken, HashIsHexSha256) {
  // FIPS 180-2 test vector: SHA-256("abc").
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string t = NewSessionToken();
  EXPECT_EQ(HashToken(t), HashToken(t));
  EXPECT_NE(HashToken(t), HashToken(NewSessionToken()));
  EXPECT_EQ(HashToken(t).size(), 64u);
}

TEST(SessionExpiry, IdleTimeoutIsThirtyMinutes) {
  TimePoint seen = kLogin + hours{1};
  EXPECT_FALSE(SessionExpired(kLogin, seen, seen));
  EXPECT_FALSE(SessionExpired(kLogin, seen, seen + minutes{29} + seconds{59}));
  EXPECT_TRUE(SessionExpired(kLogin, seen, seen + minutes{30}));
}

TEST(SessionExpiry, AbsoluteLimitIsTwelveHoursEvenWhenActive) {
  TimePoint end = kLogin + hours{12};
  EXPECT_FALSE(SessionExpired(kLogin, end - seconds{1}, end - seconds{1}));
  EXPECT_TRUE(SessionExpired(kLogin, end, end));
}

TEST(SessionExpiry, PolicyIsConfigurable) {
  SessionPolicy p{.idle = minutes{5}, .absolute = hours{1}};
  EXPECT_TRUE(SessionExpired(kLogin, kLogin, kLogin + minutes{5}, p));
  EXPECT_FALSE(SessionExpired(kLogin, kLogin + minutes{58}, kLogin + minutes{59}, p));
  EXPECT_TRUE(SessionExpired(kLogin, kLogin + minutes{59}, kLogin + minutes{60}, p));
}

}  // namespace
}  // namespace jd::auth
