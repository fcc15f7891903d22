// Gestational-age text and the two EDD rules over every LMP of a leap and a common year: the
// worked cases are in tests/data/maternal/dating.json (cases_test.cc).
#include "maternal/pregnancy.h"

#include <gtest/gtest.h>

namespace jd::maternal {
namespace {

TEST(PregnancyTest, GestationalAgeText) {
  EXPECT_EQ(ParseGestationalAge("12+6")->total_days, 90);
  EXPECT_EQ(ParseGestationalAge("9")->total_days, 63);
  EXPECT_EQ(ParseGestationalAge("0+0")->total_days, 0);
  EXPECT_FALSE(ParseGestationalAge("12+7"));
  EXPECT_FALSE(ParseGestationalAge("+3"));
  EXPECT_FALSE(ParseGestationalAge("12+"));
  EXPECT_FALSE(ParseGestationalAge("-1"));
  EXPECT_FALSE(ParseGestationalAge("123"));
  EXPECT_FALSE(ParseGestationalAge(""));
  EXPECT_EQ(FormatGestationalAge({90}), "12+6");
  EXPECT_EQ(FormatGestationalAge({280}), "40+0");
}

// 《妇产科学》第9版 推算预产期: the hand rule lands 280–283 days after the LMP, and the 280-day
// rule exactly 280, for every LMP of 2023 (common) and 2024 (leap).
TEST(PregnancyTest, HandRuleStaysWithinThreeDaysOf280) {
  for (Date d = *ParseDate("2023-01-01"); d < *ParseDate("2025-01-01"); d = AddDays(d, 1)) {
    const int hand = DaysBetween(d, EddFromLmp(d));
    EXPECT_GE(hand, 280) << FormatDate(d);
    EXPECT_LE(hand, 283) << FormatDate(d);
    EXPECT_EQ(DaysBetween(d, EddFromLmp(d, EddRule::kPlus280Days)), 280);
  }
}

TEST(PregnancyTest, GestationalAgeFollowsTheDatingMethod) {
  Dating lmp{*ParseDate("2024-01-01"), *ParseDate("2024-10-08"), DatingMethod::kLmp};
  EXPECT_EQ(lmp.AgeOn(*ParseDate("2024-04-01")).total_days, 91);
  Dating scan{*ParseDate("2024-01-01"), *ParseDate("2024-10-04"), DatingMethod::kUltrasound};
  EXPECT_EQ(scan.AgeOn(*ParseDate("2024-10-04")).total_days, 280);
  EXPECT_EQ(scan.AgeOn(*ParseDate("2024-04-01")).total_days, 94);
}

}  // namespace
}  // namespace jd::maternal
