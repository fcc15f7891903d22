#include "registry/id_number.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace jd::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

using testing_support::D;

const Date kAsOf = D(2026, 5, 1);

using testing_support::MakeId;

std::vector<std::string> Codes(const IdCheck& c) {
  std::vector<std::string> out;
  for (const FieldError& e : c.errors) out.push_back(e.code);
  return out;
}

TEST(IdCheckCharacterTest, KnownNumbers) {
  // The worked example of GB 11643-1999.
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(IdCheckCharacter("44052418800101001"), '4');
  // r = 0 → '1'; r = 2 → 'X'.
  EXPECT_EQ(IdCheckCharacter("00000000000000000"), '1');
  EXPECT_EQ(IdCheckCharacter("00000000000000001"), 'X');  // 1*2 = 2
  EXPECT_EQ(IdCheckCharacter("10000000000000000"), '5');  // r = 7
}

TEST(IdCheckCharacterTest, RejectsBadInput) {
  EXPECT_EQ(IdCheckCharacter("1101051949123100"), '\0');
  EXPECT_EQ(IdCheckCharacter("110105194912310021"), '\0');
  EXPECT_EQ(IdCheckCharacter("1101051949123100A"), '\0');
  EXPECT_EQ(IdCheckCharacter(""), '\0');
}

TEST(UpgradeLegacyIdTest, InsertsCenturyAndCheck) {
  std::string up = UpgradeLegacyId("450103850101123");
  EXPECT_EQ(up.size(), 18u);
  EXPECT_EQ(up.substr(0, 17), "45010319850101123");
  EXPECT_EQ(up[17], IdCheckCharacter("45010319850101123"));
  EXPECT_EQ(UpgradeLegacyId("45010385010112"), "");
  EXPECT_EQ(UpgradeLegacyId("45010385010112X"), "");
}

TEST(CheckResidentIdTest, ValidNumberIsDecoded) {
  std::string id = MakeId("450103", "19900315", "123");
  IdCheck c = CheckResidentId(id, kAsOf);
  EXPECT_TRUE(c.valid);
  EXPECT_THAT(c.errors, IsEmpty());
  EXPECT_EQ(c.normalized, id);
  EXPECT_EQ(c.birth_date, D(1990, 3, 15));
  EXPECT_EQ(c.sex, Sex::kMale);  // 3 is odd
  EXPECT_EQ(c.region_code, "450103");
  EXPECT_EQ(c.region_name, "广西壮族自治区南宁市青秀区");
}

TEST(CheckResidentIdTest, EvenSequenceDigitIsFemale) {
  IdCheck c = CheckResidentId("11010519491231002X", kAsOf);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.sex, Sex::kFemale);
  EXPECT_EQ(c.birth_date, D(1949, 12, 31));
}

TEST(CheckResidentIdTest, LowerCaseXAndSpacesAccepted) {
  IdCheck c = CheckResidentId("  11010519491231002x ", kAsOf);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.normalized, "11010519491231002X");
  EXPECT_EQ(NormalizeResidentId(" 11010519491231002x"), "11010519491231002X");
}

TEST(CheckResidentIdTest, RetiredRegionIsAccepted) {
  // 崇文区 (110103) was retired in 2010; IDs issued there keep the code.
  IdCheck c = CheckResidentId(MakeId("110103", "19800101", "011"), kAsOf);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.region_name, "北京市崇文区");
}

TEST(CheckResidentIdTest, WrongCheckDigit) {
  std::string id = MakeId("450103", "19900315", "123");
  id[17] = id[17] == '0' ? '1' : '0';
  IdCheck c = CheckResidentId(id, kAsOf);
  EXPECT_FALSE(c.valid);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].field, "id_number");
  EXPECT_EQ(c.errors[0].code, "invalid_check_digit");
  EXPECT_EQ(c.errors[0].message_zh, "身份证号码校验位错误");
  EXPECT_EQ(c.errors[0].message_en, "the check digit is wrong");
  // Still decoded.
  EXPECT_EQ(c.sex, Sex::kMale);
  EXPECT_EQ(c.birth_date, D(1990, 3, 15));
}

TEST(CheckResidentIdTest, ImpossibleBirthDate) {
  IdCheck c = CheckResidentId(MakeId("450103", "19900230", "123"), kAsOf);
  EXPECT_THAT(Codes(c), ElementsAre("invalid_birth_date"));
  EXPECT_EQ(c.birth_date, std::nullopt);
  EXPECT_THAT(Codes(CheckResidentId(MakeId("450103", "19901301", "123"), kAsOf)),
              ElementsAre("invalid_birth_date"));
  EXPECT_THAT(Codes(CheckResidentId(MakeId("450103", "19900100", "123"), kAsOf)),
              ElementsAre("invalid_birth_date"));
  // 2000 was a leap year, 1900 was not.
  EXPECT_TRUE(CheckResidentId(MakeId("450103", "20000229", "123"), kAsOf).valid);
  EXPECT_FALSE(CheckResidentId(MakeId("450103", "19000229", "123"), kAsOf).valid);
}

TEST(CheckResidentIdTest, BirthDateBoundaries) {
  // On the as-of date is fine, the day after is not.
  EXPECT_TRUE(CheckResidentId(MakeId("450103", "20260501", "123"), kAsOf).valid);
  IdCheck future = CheckResidentId(MakeId("450103", "20260502", "123"), kAsOf);
  EXPECT_THAT(Codes(future), ElementsAre("invalid_birth_date"));
  // 1900-01-01 is the earliest accepted birth date.
  EXPECT_TRUE(CheckResidentId(MakeId("450103", "19000101", "123"), kAsOf).valid);
  EXPECT_THAT(Codes(CheckResidentId("440524188001010014", kAsOf)),
              ElementsAre("invalid_birth_date"));
}

TEST(CheckResidentIdTest, UnknownRegion) {
  IdCheck c = CheckResidentId(MakeId("999999", "19900315", "123"), kAsOf);
  EXPECT_THAT(Codes(c), ElementsAre("unknown_region"));
  EXPECT_EQ(c.region_code, "999999");
  EXPECT_EQ(c.region_name, "");
}

TEST(CheckResidentIdTest, AllApplicableErrorsAreCollected) {
  std::string id = MakeId("999999", "19900230", "123");
  id[17] = id[17] == '0' ? '1' : '0';
  EXPECT_THAT(Codes(CheckResidentId(id, kAsOf)),
              ElementsAre("unknown_region", "invalid_birth_date", "invalid_check_digit"));
}

TEST(CheckResidentIdTest, LegacyFifteenDigitsAreUpgraded) {
  IdCheck c = CheckResidentId("450103850101123", kAsOf);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.normalized.size(), 18u);
  EXPECT_EQ(c.normalized, MakeId("450103", "19850101", "123"));
  EXPECT_EQ(c.birth_date, D(1985, 1, 1));
  EXPECT_EQ(c.sex, Sex::kMale);
  EXPECT_EQ(NormalizeResidentId("450103850101124"), MakeId("450103", "19850101", "124"));
  EXPECT_EQ(CheckResidentId("450103850101124", kAsOf).sex, Sex::kFemale);
  EXPECT_THAT(Codes(CheckResidentId("450103850230123", kAsOf)), ElementsAre("invalid_birth_date"));
}

TEST(CheckResidentIdTest, Required) {
  EXPECT_THAT(Codes(CheckResidentId("", kAsOf)), ElementsAre("required"));
  EXPECT_THAT(Codes(CheckResidentId("   ", kAsOf)), ElementsAre("required"));
}

TEST(CheckResidentIdTest, LengthAndCharacters) {
  EXPECT_THAT(Codes(CheckResidentId("45010319900315123", kAsOf)), ElementsAre("invalid_length"));
  EXPECT_THAT(Codes(CheckResidentId("4501031990031512345", kAsOf)), ElementsAre("invalid_length"));
  EXPECT_THAT(Codes(CheckResidentId("45010319900315A234", kAsOf)),
              ElementsAre("invalid_characters"));
  // X only as the last character, and never in a 15-digit number.
  EXPECT_THAT(Codes(CheckResidentId("4501031990031512X4", kAsOf)),
              ElementsAre("invalid_characters"));
  EXPECT_THAT(Codes(CheckResidentId("45010385010112X", kAsOf)), ElementsAre("invalid_characters"));
  EXPECT_THAT(Codes(CheckResidentId("4501-31990", kAsOf)),
              ElementsAre("invalid_length", "invalid_characters"));
  IdCheck c = CheckResidentId("abc", kAsOf);
  EXPECT_FALSE(c.valid);
  EXPECT_EQ(c.sex, std::nullopt);
  EXPECT_EQ(c.region_code, "");
  for (const FieldError& e : c.errors) {
    EXPECT_EQ(e.field, "id_number");
    EXPECT_FALSE(e.message_zh.empty());
    EXPECT_FALSE(e.message_en.empty());
  }
}

TEST(CheckResidentIdTest, UsesTheGivenDivisionTable) {
  Divisions tiny(
      "代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\n"
      "990101,测试省,甲市,甲区,县级,在用,2004,,\n",
      "code,name,level\n");
  std::string id = MakeId("990101", "19900315", "123");
  EXPECT_TRUE(CheckResidentId(id, kAsOf, tiny).valid);
  EXPECT_FALSE(CheckResidentId(id, kAsOf).valid);
}

}  // namespace
}  // namespace jd::registry
