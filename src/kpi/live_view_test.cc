// The live view on a small city whose figures are worked out by hand below, on a real SQLite file.
#include "kpi/live_view.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "kpi/test_city.h"

namespace jd::kpi {
namespace {

class LiveViewTest : public TestCity {
 protected:
  std::map<std::string, IndicatorValue> Values(const LiveView& view, const std::string& org,
                                               const std::string& period, Breakdown b = {}) {
    std::vector<const Indicator*> all;
    for (const auto& ind : Catalogue::Default().indicators()) all.push_back(&ind);
    std::map<std::string, IndicatorValue> out;
    for (auto& v : view.Compute(all, {org}, *ParsePeriod(period), b)) out[v.code] = v;
    return out;
  }
  std::unique_ptr<LiveView> Load() {
    auto view =
        LiveView::Load(*db_, Catalogue::Default(), immunization::Schedule::Default(), kToday);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    return view.ok() ? std::move(*view) : nullptr;
  }
};

TEST_F(LiveViewTest, HandComputedFiguresOfTheCurrentMonth) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["REG_REGISTERED"].value, 4);   // P1–P4; P5 moved out in May
  EXPECT_EQ(v["REG_FLOATING"].value, 3);     // not P2
  EXPECT_EQ(v["REG_HR_ENTITLED"].value, 2);  // P1 and P3; P4 only from 2027-04-01
  EXPECT_EQ(v["REG_HR_RATE"].denominator, 2);
  EXPECT_EQ(v["REG_HR_RATE"].numerator, 0);      // no health records table yet
  EXPECT_EQ(v["KEY_EHR_CHILD"].denominator, 1);  // P3
  EXPECT_EQ(v["KEY_EHR_CHILD"].target, 0.80);
  EXPECT_EQ(v["KEY_EHR_CHILD"].met, false);
  EXPECT_EQ(v["IMM_FILE_RATE"].numerator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].denominator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].value, 1.0);
  // HepB1: P3 given at birth (timely: by birth + 1 day); P4 past its day without it.
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_1"].denominator, 2);
  EXPECT_EQ(v["IMM_TIMELY_HepB_1"].numerator, 1);
  // HepB3: only P3 is past its completion age (12 months, 2026-03-15), and has not had it.
  EXPECT_EQ(v["IMM_COV_HepB_3"].denominator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_3"].numerator, 0);
  EXPECT_EQ(v["IMM_COV_HepB_3"].met, false);
  // BCG given on day 1, before its completion age of 3 months.
  EXPECT_EQ(v["IMM_COV_BCG_1"].numerator, 1);
  EXPECT_EQ(v["IMM_TIMELY_BCG_1"].numerator, 1);
  EXPECT_EQ(v["DOC_PENDING"].value, 1);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 3);
  // Inactive indicators are listed without a value.
  EXPECT_FALSE(v["FP_GUIDANCE"].value.has_value());
  EXPECT_EQ(v["FP_GUIDANCE"].target, 0.95);

  // The district without anyone: zeros and no rates.
  auto empty = Values(*view, "450107", "2026-11");
  EXPECT_EQ(empty["REG_REGISTERED"].value, 0);
  EXPECT_FALSE(empty["IMM_FILE_RATE"].value.has_value());
  // A street sums its communities and itself.
  auto street = Values(*view, "450103001", "2026-11");
  EXPECT_EQ(street["REG_REGISTERED"].value, 4);
  auto community = Values(*view, "450103001001", "2026-11");
  EXPECT_EQ(community["REG_REGISTERED"].value, 2);
}

TEST_F(LiveViewTest, PastPeriodsAndBreakdowns) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto april = Values(*view, "450100", "2026-04");
  EXPECT_EQ(april["REG_REGISTERED"].value, 4);   // P1, P2, P3, P5 (P4 not born)
  EXPECT_EQ(april["REG_FLOATING"].value, 3);     // P1 (from 02-09), P3, P5
  EXPECT_EQ(april["REG_HR_ENTITLED"].value, 2);  // P3 (from 2025-12-01), P5; P1 from 07-10
  EXPECT_EQ(april["DOC_PENDING"].value, 0);
  EXPECT_FALSE(april["DOC_REVIEW_DAYS"].value.has_value());

  auto girls = Values(*view, "450100", "2026-11", {.sex = "F"});
  EXPECT_EQ(girls["REG_REGISTERED"].value, 2);  // P2, P3
  auto hunan = Values(*view, "450100", "2026-11", {.hukou_province = "43"});
  EXPECT_EQ(hunan["REG_REGISTERED"].value, 3);
  auto young = Values(*view, "450100", "2026-11", {.age_group = "0-6"});
  EXPECT_EQ(young["REG_REGISTERED"].value, 2);
  Breakdown c2025;
  c2025.cohort = 2025;
  auto cohort = Values(*view, "450100", "2026-11", c2025);
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].denominator, 1);  // P3 only
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].value, 1.0);
}

TEST_F(LiveViewTest, CommittedWritesShowAfterRefreshAndEqualAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  Dose("p4", "HepB", "2026-10-01");
  Exec(
      "UPDATE documents SET status = 'approved', reviewed_at = '2026-11-21T01:00:00.000Z' WHERE "
      "id = 'd2'");
  Person("p6", "F", "1995-01-01", "430528", "450107001", "", "2026-09-01", "work");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3u);  // p4, p2 (its document) and p6
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 2);
  EXPECT_EQ(v["DOC_PENDING"].value, 0);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 2);  // (3 + 1) / 2
  EXPECT_EQ(v["REG_REGISTERED"].value, 5);

  auto fresh = Load();
  ASSERT_TRUE(fresh);
  for (const std::string org : {"450100", "450103", "450107", "450103001001"}) {
    auto a = Values(*view, org, "2026-11");
    auto b = Values(*fresh, org, "2026-11");
    for (const auto& [code, x] : a) {
      EXPECT_EQ(x.numerator, b[code].numerator) << org << " " << code;
      EXPECT_EQ(x.denominator, b[code].denominator) << org << " " << code;
    }
  }
  // Nothing new: nothing reloaded.
  auto again = view->Refresh(*db_, kToday);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

}  // namespace
}  // namespace jd::kpi
