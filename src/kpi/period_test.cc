#include <gtest/gtest.h>

#include "kpi/model.h"

namespace jd::kpi {
namespace {

TEST(PeriodTest, ParsesTheThreeFormsWithTheirDays) {
  auto m = ParsePeriod("2024-02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FormatDate(m->first), "2024-02-01");
  EXPECT_EQ(FormatDate(m->last), "2024-02-29");  // leap year
  EXPECT_EQ(m->Code(), "2024-02");
  EXPECT_EQ(m->Dhis2Code(), "202402");
  EXPECT_EQ(m->LabelZh(), "2024年2月");
  auto compact = ParsePeriod("202402");
  ASSERT_TRUE(compact.ok());
  EXPECT_TRUE(*compact == *m);

  auto q = ParsePeriod("2026Q4");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(FormatDate(q->first), "2026-10-01");
  EXPECT_EQ(FormatDate(q->last), "2026-12-31");
  EXPECT_EQ(q->LabelZh(), "2026年第4季度");

  auto y = ParsePeriod("2025");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(FormatDate(y->first), "2025-01-01");
  EXPECT_EQ(FormatDate(y->last), "2025-12-31");
}

TEST(PeriodTest, BadTextIsAFieldError) {
  for (const char* bad :
       {"", "2024-13", "2024-00", "2024Q5", "24-01", "2024-1", "abcd", "2024/01"}) {
    auto p = ParsePeriod(bad, "period");
    ASSERT_FALSE(p.ok()) << bad;
    ASSERT_EQ(p.status().field_errors().size(), 1u) << bad;
    EXPECT_EQ(p.status().field_errors()[0].field, "period");
    EXPECT_EQ(p.status().field_errors()[0].code, "invalid_period");
  }
}

TEST(PeriodTest, PreviousCrossesYears) {
  auto jan = *ParsePeriod("2026-01");
  EXPECT_EQ(Previous(jan).Code(), "2025-12");
  EXPECT_EQ(Previous(jan, 13).Code(), "2024-12");
  auto q1 = *ParsePeriod("2026Q1");
  EXPECT_EQ(Previous(q1).Code(), "2025Q4");
  EXPECT_EQ(Previous(*ParsePeriod("2026"), 2).Code(), "2024");
  EXPECT_EQ(MonthOf(std::chrono::year{2026} / 11 / 22).Code(), "2026-11");
}

}  // namespace
}  // namespace jd::kpi
