// The one driver of the worked cases in tests/data/child/checkups.json: each case is a child's
// birth and discharge dates, the recorded contacts and an as-of date, with the expected entries
// (only the fields the case names), extra contacts, summary counts or field errors, and the
// section of the 规范 it comes from.
#include "child/checkups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/test_support.h"

namespace jd::child {
namespace {

using nlohmann::json;

TEST(CheckupCases, EveryWorkedCaseHolds) {
  json cases = testing_support::ReadCases("tests/data/child/checkups.json");
  ASSERT_GE(cases.size(), 12u);
  int checked = 0;
  testing_support::ForEachCase(cases, [&](const json& c) {
    const json& expect = c["expect"];
    Result<CheckupInput> in = CheckupInputFromJson(c["input"], testing_support::kCasesToday);
    Result<CheckupPlan> plan =
        in.ok() ? PlanCheckups(*in) : Result<CheckupPlan>(Status(in.status()));
    if (testing_support::ExpectedErrors(expect, plan.status())) {
      ++checked;
      return;
    }
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    json got = CheckupPlanToJson(*in, *plan);
    ASSERT_EQ(got["contacts"].size(), static_cast<std::size_t>(kContactCount));
    checked += testing_support::ExpectMembers(got["contacts"],
                                              expect.value("contacts", json::array()), "code");
    if (expect.contains("extra")) {
      EXPECT_EQ(got["extra"], expect["extra"]);
    }
    testing_support::ExpectMembersOf(got["summary"], expect.value("summary", json::object()),
                                     "summary");
  });
  EXPECT_GT(checked, 50);
}

bool Has(ContactKind k, Item item) {
  auto items = ContactItems(k);
  return std::find(items.begin(), items.end(), item) != items.end();
}

// 规范 第三版 二(三): haemoglobin and hearing at 6, 12, 24, 36 months; 二(四): haemoglobin and
// vision every year at 4–6; head circumference from month_1 to 36 months; 中医药 at 6–36 months.
TEST(CheckupItems, FollowTheThirdEdition) {
  const std::set<ContactKind> hb_hearing{ContactKind::kMonth6, ContactKind::kMonth12,
                                         ContactKind::kMonth24, ContactKind::kMonth36};
  const std::set<ContactKind> tcm{ContactKind::kMonth6,  ContactKind::kMonth12,
                                  ContactKind::kMonth18, ContactKind::kMonth24,
                                  ContactKind::kMonth30, ContactKind::kMonth36};
  const std::set<ContactKind> preschool{ContactKind::kYear4, ContactKind::kYear5,
                                        ContactKind::kYear6};
  for (int i = 0; i < kContactCount; ++i) {
    auto k = static_cast<ContactKind>(i);
    SCOPED_TRACE(std::string(ContactCode(k)));
    EXPECT_EQ(Has(k, Item::kHearingScreening), hb_hearing.count(k) == 1);
    EXPECT_EQ(Has(k, Item::kHemoglobin), hb_hearing.count(k) + preschool.count(k) == 1);
    EXPECT_EQ(Has(k, Item::kVisionScreening), preschool.count(k) == 1);
    EXPECT_EQ(Has(k, Item::kTcmGuidance), tcm.count(k) == 1);
    EXPECT_EQ(Has(k, Item::kHeadCircumference),
              k != ContactKind::kNewbornVisit && preschool.count(k) == 0);
    EXPECT_TRUE(Has(k, Item::kWeight));
    EXPECT_TRUE(Has(k, Item::kLengthHeight));
    EXPECT_EQ(ContactFromCode(ContactCode(k)), k);
    EXPECT_FALSE(ContactLabelZh(k).empty());
    for (Item item : ContactItems(k)) EXPECT_FALSE(ItemLabelZh(item).empty());
  }
}

TEST(CheckupItems, OutputNamesTheEditionOfTheTests) {
  CheckupInput in{.birth = Date{std::chrono::year{2024}, std::chrono::May, std::chrono::day{1}},
                  .discharge = std::nullopt,
                  .contacts = {},
                  .as_of = Date{std::chrono::year{2024}, std::chrono::May, std::chrono::day{2}}};
  auto plan = PlanCheckups(in);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(CheckupPlanToJson(in, *plan)["hb_hearing_edition"], kHbHearingEditionCode);
  EXPECT_FALSE(kHbHearingEdition.empty());
}

// Windows never overlap from month_1 on, and each contact's overdue period ends where the next
// opens, for birth dates on every day of a leap year.
TEST(CheckupWindows, AreOrderedForEveryBirthDayOfALeapYear) {
  Date birth{std::chrono::year{2024}, std::chrono::January, std::chrono::day{1}};
  for (int d = 0; d < 366; ++d, birth = AddDays(birth, 1)) {
    auto w = ScheduleWindows(birth, std::nullopt);
    ASSERT_EQ(w.size(), static_cast<std::size_t>(kContactCount));
    for (std::size_t i = 0; i < w.size(); ++i) {
      EXPECT_LE(w[i].window_start, w[i].window_end) << FormatDate(birth) << " " << i;
      EXPECT_LT(w[i].window_end, w[i].missed_from) << FormatDate(birth) << " " << i;
      if (i >= 1 && i + 1 < w.size()) {
        EXPECT_EQ(w[i].missed_from, w[i + 1].window_start) << FormatDate(birth) << " " << i;
      }
    }
    EXPECT_EQ(w.back().missed_from, AddMonths(birth, 84));
  }
}

}  // namespace
}  // namespace jd::child
