// The one driver of the worked cases in tests/data/child/screening_cases.json: each case is a
// newborn's birth and discharge dates, the screening results recorded and an as-of date, with the
// expected items (only the fields the case names), summary counts or field errors, and the text it
// comes from (新生儿疾病筛查技术规范（2010年版）, 新生儿疾病筛查管理办法).
#include "child/screening.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::child {
namespace {

using nlohmann::json;

TEST(ScreeningCases, EveryWorkedCaseHolds) {
  json cases = testing_support::ReadCases("tests/data/child/screening_cases.json");
  ASSERT_GE(cases.size(), 20u);
  int checked = 0;
  testing_support::ForEachCase(cases, [&](const json& c) {
    const json& expect = c["expect"];
    Result<ScreeningInput> in = ScreeningInputFromJson(c["input"], testing_support::kCasesToday);
    Result<ScreeningPlan> plan =
        in.ok() ? PlanScreening(*in) : Result<ScreeningPlan>(Status(in.status()));
    if (testing_support::ExpectedErrors(expect, plan.status())) {
      ++checked;
      return;
    }
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    json got = ScreeningPlanToJson(*in, *plan);
    ASSERT_EQ(got["items"].size(), static_cast<std::size_t>(kScreeningKindCount));
    checked +=
        testing_support::ExpectMembers(got["items"], expect.value("items", json::array()), "code");
    testing_support::ExpectMembersOf(got["summary"], expect.value("summary", json::object()),
                                     "summary");
  });
  EXPECT_GT(checked, 45);
}

// Every kind accepts exactly its own results, and the codes read back.
TEST(ScreeningCodes, KindsAndResultsFit) {
  const int fitting[kScreeningKindCount] = {2, 2, 2, 2, 2};
  for (int k = 0; k < kScreeningKindCount; ++k) {
    const auto kind = static_cast<ScreeningKind>(k);
    EXPECT_EQ(ScreeningKindFromCode(ScreeningKindCode(kind)), kind);
    EXPECT_FALSE(ScreeningKindLabelZh(kind).empty());
    int fits = 0;
    for (int r = 0; r < 5; ++r) {
      const auto result = static_cast<ScreenResult>(r);
      EXPECT_EQ(ScreenResultFromCode(ScreenResultCode(result)), result);
      fits += ResultFitsKind(kind, result) ? 1 : 0;
    }
    EXPECT_EQ(fits, fitting[k]) << ScreeningKindCode(kind);
  }
  EXPECT_FALSE(ScreeningKindFromCode("g6pd"));
  EXPECT_EQ(ScreenDiagnosisFromCode("excluded"), ScreenDiagnosis::kExcluded);
}

// Whatever the birth day, the windows are ordered: opening ≤ last day on time < missed.
TEST(ScreeningWindows, AreOrderedForEveryBirthDayOfALeapYear) {
  Date birth{std::chrono::year{2024}, std::chrono::January, std::chrono::day{1}};
  for (int d = 0; d < 366; ++d, birth = AddDays(birth, 1)) {
    ScreeningInput in{birth, std::nullopt, {}, AddDays(birth, 1)};
    auto plan = PlanScreening(in);
    ASSERT_TRUE(plan.ok());
    for (const ScreeningItem& e : plan->items) {
      EXPECT_LE(e.window_start, e.window_end) << FormatDate(birth);
      EXPECT_LT(e.window_end, e.missed_from) << FormatDate(birth);
    }
  }
}

}  // namespace
}  // namespace jd::child
