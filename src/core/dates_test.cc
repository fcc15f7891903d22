#include "core/dates.h"

#include <gtest/gtest.h>

namespace jd {
namespace {

using namespace std::chrono;

TEST(Dates, ParseAndFormatRoundTrip) {
  auto d = ParseDate("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(FormatDate(*d), "2024-02-29");
}

TEST(Dates, ParseRejectsImpossibleAndMalformed) {
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-13-01"));
  EXPECT_FALSE(ParseDate("2023-1-01"));
  EXPECT_FALSE(ParseDate("20230101"));
  EXPECT_FALSE(ParseDate("2023-01-0x"));
  EXPECT_FALSE(ParseDate(""));
}

TEST(Dates, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(AddMonths(2025y / January / 31, 1), 2025y / February / 28);
  EXPECT_EQ(AddMonths(2024y / January / 31, 1), 2024y / February / 29);
  EXPECT_EQ(AddMonths(2025y / August / 31, 6), 2026y / February / 28);
  EXPECT_EQ(AddMonths(2025y / March / 15, -3), 2024y / December / 15);
  EXPECT_EQ(AddYears(2024y / February / 29, 1), 2025y / February / 28);
}

TEST(Dates, AgeCountsTheBirthday) {
  EXPECT_EQ(AgeInYears(2019y / June / 1, 2026y / May / 31), 6);
  EXPECT_EQ(AgeInYears(2019y / June / 1, 2026y / June / 1), 7);
  EXPECT_EQ(DaysBetween(2026y / January / 1, 2026y / January / 31), 30);
}

TEST(Dates, ClockTodayIsShanghaiDate) {
  // 2026-11-21T16:30Z is 00:30 on the 22nd in Shanghai.
  FixedClock c(sys_days{2026y / November / 21} + hours{16} + minutes{30});
  EXPECT_EQ(c.Today(), 2026y / November / 22);
  EXPECT_EQ(FixedClock::AtDate(2026y / November / 22).Today(), 2026y / November / 22);
}

TEST(Dates, TimestampIsUtcIso) {
  auto t = sys_days{2026y / November / 22} + hours{6} + minutes{15} + milliseconds{7};
  EXPECT_EQ(FormatTimestamp(t), "2026-11-22T06:15:00.007Z");
}

TEST(Dates, TimestampRoundTrip) {
  auto t =
      sys_days{2026y / November / 22} + hours{23} + minutes{59} + seconds{58} + milliseconds{999};
  auto parsed = ParseTimestamp(FormatTimestamp(t));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, t);
  EXPECT_TRUE(ParseTimestamp("2026-11-22T06:15:00Z").has_value());
  EXPECT_FALSE(ParseTimestamp("2026-11-22 06:15:00Z").has_value());
  EXPECT_FALSE(ParseTimestamp("2026-11-22T25:15:00Z").has_value());
}

}  // namespace
}  // namespace jd
