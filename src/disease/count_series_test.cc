#include "disease/count_series.h"

#include <gtest/gtest.h>

#include <string>

namespace jd::disease {
namespace {

TEST(CountSeries, ParsesDateCountRowsWithBomAndCrlf) {
  auto s = ParseCountSeriesCsv(
      "\xEF\xBB\xBF"
      "date,count\r\n2024-01-01,0\r\n2024-01-08,12\r\n");
  ASSERT_TRUE(s.ok()) << s.status().message_en();
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(FormatDate((*s)[1].date), "2024-01-08");
  EXPECT_EQ((*s)[1].count, 12);
  auto header_only = ParseCountSeriesCsv("date,count\n");
  ASSERT_TRUE(header_only.ok());
  EXPECT_TRUE(header_only->empty());
}

TEST(CountSeries, ReportsEveryBadRow) {
  auto s = ParseCountSeriesCsv(
      "date,count\n2024-01-01,1\n2024-13-01,2\n2024-01-03,-1\n2024-01-04, 3\n2024-01-04,3\n"
      "2024-01-05\n2024-01-06,1e3\n");
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& e : s.status().field_errors()) fields.push_back(e.field + " " + e.code);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"line 3: date invalid_date", "line 4: count invalid_count",
                                      "line 5: count invalid_count", "line 6: date not_increasing",
                                      "line 7: row invalid_row", "line 8: count invalid_count"}));
  EXPECT_NE(s.status().field_errors()[0].message_zh.find("第 3 行"), std::string::npos);
}

TEST(CountSeries, RefusesAMissingOrWrongHeader) {
  for (const char* text : {"", "count,date\n2024-01-01,1\n", "date,count,x\n", "2024-01-01,1\n"}) {
    auto s = ParseCountSeriesCsv(text);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.status().field_errors().at(0).field, "header") << text;
  }
  EXPECT_FALSE(ParseCountSeriesCsv("date,count\n2024-01-01,99999999999\n").ok());
}

TEST(CountSeries, UpperboundsRoundTripExactly) {
  for (double x : {6.8812183340012805, 0.1 + 0.2, 0.0, 2.0, 1e-300, 123456789.123456789}) {
    EXPECT_EQ(std::stod(FormatUpperbound(x)), x) << FormatUpperbound(x);
  }
  EXPECT_EQ(FormatUpperbound(6.8812183340012805), "6.8812183340012805");
  EXPECT_EQ(FormatUpperbound(2.0), "2");
}

TEST(CountSeries, WritesOneRowPerPeriod) {
  std::vector<PeriodCount> series = {
      {*ParseDate("2024-01-01"), 4}, {*ParseDate("2024-01-02"), 9}, {*ParseDate("2024-01-03"), 1}};
  std::vector<EarsPoint> points = {{}, {EarsState::kComputed, 7.5, true}, {EarsState::kUndefined}};
  EXPECT_EQ(WriteEarsCsv(series, points),
            "date,count,upperbound,alarm\n2024-01-01,4,,0\n2024-01-02,9,7.5,1\n2024-01-03,1,,0\n");
}

}  // namespace
}  // namespace jd::disease
