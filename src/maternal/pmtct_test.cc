// The one driver of the worked cases in tests/data/maternal/pmtct.json: each case is a mother's
// infections, the baby's birth date, the schedule's flags, the items recorded and an as-of date,
// with the expected items (only the fields the case names), the order of the list, the items that
// must not be listed, the repeats or the field errors, and the section of the 规范 it rests on.
#include "maternal/pmtct.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/test_support.h"

namespace jd::maternal {
namespace {

using nlohmann::json;

TEST(PmtctCases, EveryWorkedCaseHolds) {
  json cases = testing_support::ReadCases("tests/data/maternal/pmtct.json");
  ASSERT_GE(cases.size(), 8u);
  std::set<std::string> items_seen;
  int checked = 0;
  testing_support::ForEachCase(cases, [&](const json& c) {
    const json& expect = c["expect"];
    Result<PmtctInput> in = PmtctInputFromJson(c["input"], testing_support::kCasesToday);
    Result<PmtctPlan> plan = in.ok() ? PlanPmtct(*in) : Result<PmtctPlan>(Status(in.status()));
    if (testing_support::ExpectedErrors(expect, plan.status())) {
      ++checked;
      return;
    }
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    json got = PmtctPlanToJson(*plan);
    json codes = json::array();
    for (const auto& item : got["items"]) {
      codes.push_back(item["code"]);
      items_seen.insert(item["code"].get<std::string>());
    }
    if (expect.contains("codes")) {
      EXPECT_EQ(codes, expect["codes"]);
    }
    for (const auto& absent : expect.value("absent", json::array())) {
      EXPECT_EQ(std::count(codes.begin(), codes.end(), absent), 0) << "listed: " << absent;
    }
    checked +=
        testing_support::ExpectMembers(got["items"], expect.value("items", json::array()), "code");
    if (expect.contains("repeats")) {
      EXPECT_EQ(got["repeats"], expect["repeats"]);
    }
  });
  EXPECT_GT(checked, 40);
  // Every item of the schedule appears in some worked case.
  for (const PmtctItemSpec& s : PmtctSchedule()) {
    EXPECT_TRUE(items_seen.count(std::string(s.code))) << "no worked case lists " << s.code;
  }
}

// Every row names its source, marks what is unconfirmed, and has a unique code.
TEST(PmtctSchedule, RowsCiteTheirSource) {
  std::set<std::string_view> codes;
  for (const PmtctItemSpec& s : PmtctSchedule()) {
    SCOPED_TRACE(std::string(s.code));
    EXPECT_TRUE(codes.insert(s.code).second) << "duplicate code";
    EXPECT_FALSE(s.label_zh.empty());
    EXPECT_FALSE(s.label_en.empty());
    EXPECT_FALSE(s.cite.empty());
    EXPECT_EQ(s.cite.find("[unc") != std::string_view::npos, !s.confirmed)
        << "an unconfirmed row says [unc] in its cite, and only such a row";
    EXPECT_EQ(FindPmtctItem(s.code), &s);
    EXPECT_EQ(s.code.starts_with("mother_"), s.subject == PmtctSubject::kMother);
    if (!s.after.empty()) {
      EXPECT_NE(FindPmtctItem(s.after), nullptr);
    }
  }
}

}  // namespace
}  // namespace jd::maternal
