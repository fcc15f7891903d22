// The driver of tests/data/family_planning/distribution_cases.json (see SOURCE.md there): free
// contraceptive distributions against the yearly caps. Each case cites its source.
#include "family_planning/supplies.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "family_planning/test_support.h"

namespace jd::family_planning {
namespace {

using jd::testing_support::ForEachCase;
using jd::testing_support::ReadCases;
using nlohmann::json;
using testing_support::CaseDate;
using testing_support::ErrorsJson;

TEST(FamilyPlanningSupplies, DistributionCases) {
  json cases = ReadCases("tests/data/family_planning/distribution_cases.json");
  ASSERT_GE(cases.size(), 11u);
  ForEachCase(cases, [&](const json& c) {
    const json& d = c["distribution"];
    auto item = ParseItem(d["item"].get<std::string>());
    ASSERT_TRUE(item.has_value());
    const Distribution dist{.item = *item,
                            .quantity = d["quantity"].get<int>(),
                            .given_on = CaseDate(d["given_on"]),
                            .anonymous = d.value("anonymous", false)};
    const auto errors = CheckDistribution(dist, DefaultCaps(), c["received_this_year"].get<int>(),
                                          CaseDate(c["today"]));
    EXPECT_EQ(ErrorsJson(errors), c["expect"]["errors"]);
  });
}

TEST(FamilyPlanningSupplies, OverTheCapSaysWhatIsLeft) {
  const Distribution d{.item = Item::kCondom, .quantity = 30, .given_on = CaseDate("2026-06-30")};
  const auto errors = CheckDistribution(d, DefaultCaps(), 100, CaseDate("2026-06-30"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message_zh, "避孕套每人每年限120只，本年已领100只，本次最多20只");
  EXPECT_EQ(errors[0].message_en,
            "condom is capped at 120 piece a person a year; 100 received this year, 20 left");
}

TEST(FamilyPlanningSupplies, ShippedCapsAreTheMarkedYunnanExample) {
  const Caps& caps = DefaultCaps();
  EXPECT_TRUE(caps.example);
  EXPECT_EQ(caps.Of(Item::kOralPill).yearly_cap, 13);
  EXPECT_EQ(caps.Of(Item::kCondom).yearly_cap, 120);
  EXPECT_FALSE(caps.Of(Item::kEmergencyPill).yearly_cap.has_value());
}

TEST(FamilyPlanningSupplies, QuantityInYearCountsOneItemInOneCalendarYear) {
  const std::vector<Distribution> history{
      {.item = Item::kCondom, .quantity = 40, .given_on = CaseDate("2025-12-31")},
      {.item = Item::kCondom, .quantity = 30, .given_on = CaseDate("2026-01-01")},
      {.item = Item::kOralPill, .quantity = 3, .given_on = CaseDate("2026-02-01")},
      {.item = Item::kCondom, .quantity = 50, .given_on = CaseDate("2026-12-31")},
  };
  EXPECT_EQ(QuantityInYear(history, Item::kCondom, 2026), 80);
  EXPECT_EQ(QuantityInYear(history, Item::kCondom, 2025), 40);
  EXPECT_EQ(QuantityInYear(history, Item::kOralPill, 2026), 3);
  EXPECT_EQ(QuantityInYear(history, Item::kSpermicide, 2026), 0);
}

TEST(FamilyPlanningSupplies, BrokenCapsAreRefused) {
  EXPECT_FALSE(ParseCaps("[]").ok());
  EXPECT_FALSE(ParseCaps(R"({"items":[{"item":"condom","max_per_record":10}]})").ok());
  EXPECT_FALSE(ParseCaps(R"({"items":[{"item":"ring","max_per_record":10}]})").ok());
  EXPECT_FALSE(
      ParseCaps(R"({"items":[{"item":"condom","max_per_record":10,"yearly_cap":0}]})").ok());
}

}  // namespace
}  // namespace jd::family_planning
