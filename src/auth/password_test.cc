#include "auth/password.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace jd::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::vector<std::string> Codes(const Status& s) {
  std::vector<std::string> out;
  for (const FieldError& e : s.field_errors()) out.push_back(e.code);
  return out;
}

TEST(PasswordPolicy, AcceptsAGoodPassword) {
  EXPECT_TRUE(CheckPasswordPolicy("Spring-Rain-2031", "zhangwei").ok());
}

TEST(PasswordPolicy, LengthCountsCodePointsNotBytes) {
  // 11 characters, 3 classes.
  Status s = CheckPasswordPolicy("Abcdefgh12x", "");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Codes(s), ElementsAre("too_short"));
  EXPECT_TRUE(CheckPasswordPolicy("Abcdefgh12xy", "").ok());  // exactly 12
  // 11 code points (17 bytes): the Chinese characters count once each and as "other".
  EXPECT_THAT(Codes(CheckPasswordPolicy("春雨Abcdefg12", "")), ElementsAre("too_short"));
  EXPECT_TRUE(CheckPasswordPolicy("春雨Abcdefg123", "").ok());
}

TEST(PasswordPolicy, ByteCapIs128) {
  std::string at_cap = "Aa1" + std::string(125, 'x');
  ASSERT_EQ(at_cap.size(), 128u);
  EXPECT_TRUE(CheckPasswordPolicy(at_cap, "").ok());
  EXPECT_THAT(Codes(CheckPasswordPolicy(at_cap + "x", "")), ElementsAre("too_long"));
  // 43 Chinese characters are 129 bytes though only 43 code points.
  std::string chinese;
  for (int i = 0; i < 43; ++i) chinese += "雨";
  EXPECT_THAT(Codes(CheckPasswordPolicy("Aa1" + chinese, "")), ElementsAre("too_long"));
}

TEST(PasswordPolicy, NeedsThreeOfFourClasses) {
  EXPECT_THAT(Codes(CheckPasswordPolicy("abcdefgh1234", "")), ElementsAre("too_few_classes"));
  EXPECT_THAT(Codes(CheckPasswordPolicy("ABCDEFGHIJKl", "")), ElementsAre("too_few_classes"));
  EXPECT_TRUE(CheckPasswordPolicy("abcdefgh123!", "").ok());   // lower, digit, other
  EXPECT_TRUE(CheckPasswordPolicy("ABCDEFGH123a", "").ok());   // upper, digit, lower
  EXPECT_TRUE(CheckPasswordPolicy("abcdefgh 雨AB", "").ok());  // lower, other, upper
}

TEST(PasswordPolicy, RejectsTheUsernameCaseInsensitively) {
  Status s = CheckPasswordPolicy("xx-ZhangWei-2031", "zhangwei");
  EXPECT_THAT(Codes(s), ElementsAre("contains_username"));
  EXPECT_THAT(Codes(CheckPasswordPolicy("xx-zhangwei-2031", "ZHANGWEI")),
              ElementsAre("contains_username"));
  // A username that is only nearly contained is fine.
  EXPECT_TRUE(CheckPasswordPolicy("xx-ZhangWe1-2031", "zhangwei").ok());
  // An empty username does not make every password "contain" it.
  EXPECT_TRUE(CheckPasswordPolicy("xx-ZhangWei-2031", "").ok());
}

TEST(PasswordPolicy, RejectsTheUsernameReversed) {
  EXPECT_THAT(Codes(CheckPasswordPolicy("4202.gnahz.IEW", "Wei.Zhang.2024")),
              ElementsAre("contains_username"));
  // Reversal keeps multi-byte characters intact.
  EXPECT_THAT(Codes(CheckPasswordPolicy("伟张-Wei.Zhang1", "1gnahZ.ieW-张伟")),
              ElementsAre("contains_username"));
}

TEST(PasswordPolicy, ReportsEveryProblemWithBilingualMessages) {
  Status s = CheckPasswordPolicy("wang", "wang");
  EXPECT_THAT(Codes(s), ElementsAre("too_short", "too_few_classes", "contains_username"));
  for (const FieldError& e : s.field_errors()) {
    EXPECT_EQ(e.field, "password");
    EXPECT_FALSE(e.message_zh.empty());
    EXPECT_FALSE(e.message_en.empty());
    EXPECT_NE(e.message_zh, e.message_en);
  }
}

TEST(PasswordHash, IsArgon2idAndVerifies) {
  Result<std::string> h = HashPassword("Spring-Rain-2031");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_THAT(*h, StartsWith("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*h, "Spring-Rain-2031"));
  EXPECT_FALSE(VerifyPassword(*h, "Spring-Rain-2032"));
  EXPECT_FALSE(VerifyPassword(*h, "spring-rain-2031"));
  EXPECT_FALSE(VerifyPassword(*h, ""));
  EXPECT_FALSE(NeedsRehash(*h));
}

TEST(PasswordHash, SaltsEveryHash) {
  Result<std::string> a = HashPassword("Spring-Rain-2031");
  Result<std::string> b = HashPassword("Spring-Rain-2031");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordHash, MalformedHashesNeverVerify) {
  EXPECT_FALSE(VerifyPassword("", ""));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "not a hash"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "x"));
  EXPECT_TRUE(NeedsRehash(""));
  EXPECT_TRUE(NeedsRehash("not a hash"));
}

TEST(PasswordHash, OlderParametersNeedRehash) {
  ASSERT_GE(sodium_init(), 0);
  char old[crypto_pwhash_STRBYTES];
  ASSERT_EQ(
      crypto_pwhash_str_alg(old, "pw", 2, crypto_pwhash_OPSLIMIT_INTERACTIVE + 1,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE / 2, crypto_pwhash_ALG_ARGON2ID13),
      0);
  EXPECT_TRUE(VerifyPassword(old, "pw"));
  EXPECT_TRUE(NeedsRehash(old));
}

TEST(PasswordHash, DummyVerifyCostsAboutAsMuchAsARealOne) {
  Result<std::string> h = HashPassword("Spring-Rain-2031");
  ASSERT_TRUE(h.ok());
  DummyVerifyPassword("warm-up");  // the first call also makes the dummy hash
  using Clock = std::chrono::steady_clock;
  Clock::duration real{}, dummy{};
  for (int i = 0; i < 4; ++i) {  // interleaved, so both see the same machine load
    auto t0 = Clock::now();
    EXPECT_FALSE(VerifyPassword(*h, "wrong"));
    auto t1 = Clock::now();
    DummyVerifyPassword("wrong");
    auto t2 = Clock::now();
    real += t1 - t0;
    dummy += t2 - t1;
  }
  // Generous bounds: the point is that the dummy does the argon2id work, not that it is exact.
  EXPECT_GT(dummy * 3, real);
  EXPECT_LT(dummy, real * 3);
}

TEST(OneTimePassword, SatisfiesThePolicyWithoutLookAlikes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string pw = GenerateOneTimePassword();
    ASSERT_EQ(pw.size(), kOneTimePasswordLength);
    EXPECT_TRUE(CheckPasswordPolicy(pw, "").ok()) << pw;
    EXPECT_EQ(pw.find_first_of("IOlo01"), std::string::npos) << pw;
    EXPECT_NE(pw.find_first_of("ABCDEFGHJKLMNPQRSTUVWXYZ"), std::string::npos) << pw;
    EXPECT_NE(pw.find_first_of("abcdefghijkmnpqrstuvwxyz"), std::string::npos) << pw;
    EXPECT_NE(pw.find_first_of("23456789"), std::string::npos) << pw;
    EXPECT_NE(pw.find_first_of("#%*+=?@"), std::string::npos) << pw;
    for (char c : pw) EXPECT_TRUE(c > ' ' && c < 0x7f) << pw;
    seen.insert(pw);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(OneTimePassword, AvoidsTheGivenUsername) {
  // A one-letter username appears in a third of random passwords; the generator must retry.
  for (int i = 0; i < 100; ++i) {
    std::string pw = GenerateOneTimePassword("a");
    EXPECT_TRUE(CheckPasswordPolicy(pw, "a").ok()) << pw;
    EXPECT_EQ(pw.find_first_of("aA"), std::string::npos) << pw;
  }
}

TEST(OneTimePassword, HashesAndVerifies) {
  std::string pw = GenerateOneTimePassword();
  Result<std::string> h = HashPassword(pw);
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(VerifyPassword(*h, pw));
  EXPECT_THAT(Codes(CheckPasswordPolicy(pw, pw)), ElementsAre("contains_username"));
  EXPECT_THAT(Codes(CheckPasswordPolicy(pw, "")), IsEmpty());
}

}  // namespace
}  // namespace jd::auth
