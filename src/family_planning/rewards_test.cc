// The driver of tests/data/family_planning/reward_cases.json (see SOURCE.md there): the reward and
// support rules of data/family_planning/rewards.json on a family's facts. Each case cites its
// source.
#include "family_planning/rewards.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "family_planning/test_support.h"

namespace jd::family_planning {
namespace {

using jd::testing_support::ForEachCase;
using jd::testing_support::ReadCases;
using nlohmann::json;
using testing_support::ErrorsJson;

RewardFacts FactsOf(const json& f) {
  return {.floating = f.value("floating", false),
          .practises_family_planning = f.value("practises_family_planning", false),
          .hardship = f.value("hardship", false),
          .only_child_certificate = f.value("only_child_certificate", false),
          .children_born = f.value("children_born", 0),
          .living_children = f.value("living_children", 0),
          .child_disabled_grade_3 = f.value("child_disabled_grade_3", false),
          .woman_age = f.value("woman_age", 0)};
}

TEST(FamilyPlanningRewards, RewardCases) {
  json cases = ReadCases("tests/data/family_planning/reward_cases.json");
  ASSERT_GE(cases.size(), 12u);
  ForEachCase(cases, [&](const json& c) {
    const RewardFacts facts = FactsOf(c["facts"]);
    const json& expect = c["expect"];
    const auto errors = CheckRewardFacts(facts);
    if (expect.contains("errors")) {
      EXPECT_EQ(ErrorsJson(errors), expect["errors"]);
      return;
    }
    ASSERT_TRUE(errors.empty());
    const auto outcomes = EvaluateRewards(DefaultRewardRules(), facts);
    ASSERT_EQ(outcomes.size(), DefaultRewardRules().rules.size());
    json eligible = json::array();
    for (const auto& o : outcomes) {
      if (o.eligible) eligible.push_back(o.id);
      EXPECT_EQ(o.eligible, o.failed.empty()) << o.id;
      if (!expect.contains("failed") || !expect["failed"].contains(o.id)) continue;
      json failed = json::array();
      for (const auto& f : o.failed) {
        failed.push_back(f.condition.fact);
        EXPECT_FALSE(f.detail_zh.empty());
        EXPECT_FALSE(f.detail_en.empty());
      }
      EXPECT_EQ(failed, expect["failed"][o.id]) << o.id;
    }
    EXPECT_EQ(eligible, expect["eligible"]);
  });
}

TEST(FamilyPlanningRewards, FailedConditionsSayWhy) {
  const RewardFacts facts{.children_born = 1, .living_children = 0, .woman_age = 45};
  for (const auto& o : EvaluateRewards(DefaultRewardRules(), facts)) {
    if (o.id != "special_family_support") continue;
    ASSERT_EQ(o.failed.size(), 1u);
    EXPECT_EQ(o.failed[0].detail_zh, "女方年龄须不小于49（实际45）");
    EXPECT_EQ(o.failed[0].detail_en, "woman_age must be at least 49 (is 45)");
    return;
  }
  ADD_FAILURE() << "special_family_support missing";
}

TEST(FamilyPlanningRewards, OnlyTheSeedsRuleHasSeedCriteria) {
  for (const auto& r : DefaultRewardRules().rules) {
    EXPECT_EQ(r.seed_criteria, r.id == "hardship_family_support") << r.id;
    EXPECT_FALSE(r.basis.empty()) << r.id;
  }
}

TEST(FamilyPlanningRewards, BrokenRulesAreRefused) {
  EXPECT_FALSE(ParseRewardRules("{}").ok());
  EXPECT_FALSE(
      ParseRewardRules(
          R"({"rules":[{"id":"x","criteria":"seed","all":[{"fact":"shoe_size","op":"equals","value":1}]}]})")
          .ok());
  EXPECT_FALSE(
      ParseRewardRules(
          R"({"rules":[{"id":"x","criteria":"seed","all":[{"fact":"hardship","op":"at_least","value":true}]}]})")
          .ok());
  EXPECT_FALSE(
      ParseRewardRules(
          R"({"rules":[{"id":"x","criteria":"maybe","all":[{"fact":"hardship","op":"equals","value":true}]}]})")
          .ok());
  EXPECT_FALSE(ParseRewardRules(R"({"rules":[{"id":"x","criteria":"seed","all":[]}]})").ok());
}

}  // namespace
}  // namespace jd::family_planning
