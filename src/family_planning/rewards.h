// File: family_planning/rewards.h
// Rewards and benefits (奖励优待) and support for families in hardship (困难家庭关爱帮扶) as rules
// in data with a pure evaluator: which rules a family's facts meet, and why not. Nothing here reads
// a clock, a file or a database.
//
// Sources: 流动人口卫生和计划生育基本公共服务均等化试点工作方案 四(六) and
// 南宁市流动人口基本公共卫生 计生服务均等化实施办法 (2017) 四(七) name 奖励优待 as a service item;
// 南宁市实施办法 四(七)六 asks for 关爱帮扶 of 实行计划生育的流动人口困难家庭. The seeds state no
// further criteria: a rule whose criteria are not the seeds' words is marked "local_setting" in
// data/family_planning/rewards.json and must be confirmed locally before payments are made (see
// docs/family_planning.md).
//
// RewardFacts: what the rules may read of a family (the fact names of the file in brackets).
// CheckRewardFacts(facts): field errors in Chinese and English for impossible facts — a negative
//   count (negative), more than 20 children (too_large), woman_age outside 0–120 (out_of_range).
// ParseRewardRules(text) / DefaultRewardRules(): the rules; a rule names its conditions in "all"
//   (every one must hold) and optionally "any" (at least one must hold); a condition is
//   {"fact", "op": equals | at_least | at_most, "value"}; a yes/no fact takes equals true/false
//   only. Unknown facts or operators are refused (Status::Invalid naming the rule).
// EvaluateRewards(rules, facts): every rule in the file's order, eligible or not, with each
//   condition that failed in Chinese and English.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::family_planning {

struct RewardFacts {
  bool floating = false;                   // floating (registry eligibility: 流动人口)
  bool practises_family_planning = false;  // practises_family_planning (实行计划生育, local)
  bool hardship = false;                   // hardship (困难家庭 as certified locally)
  bool only_child_certificate = false;     // only_child_certificate (独生子女父母光荣证)
  int children_born = 0;                   // children_born (生育子女数, incl. adopted)
  int living_children = 0;                 // living_children (现存活子女数)
  bool child_disabled_grade_3 = false;  // child_disabled_grade_3 (独生子女伤残三级以上)
  int woman_age = 0;                    // woman_age (女方年龄, completed years)
};

std::vector<FieldError> CheckRewardFacts(const RewardFacts& facts);

enum class RewardOp { kEquals, kAtLeast, kAtMost };

struct RewardCondition {
  std::string fact;  // a fact name of RewardFacts
  RewardOp op = RewardOp::kEquals;
  int value = 0;  // a yes/no fact: 1 yes, 0 no
};

struct RewardRule {
  std::string id;
  std::string label_zh;
  std::string label_en;
  std::string basis;           // the seed section that names it
  bool seed_criteria = false;  // true: the conditions are the seed's words; false: local setting
  std::vector<RewardCondition> all;
  std::vector<RewardCondition> any;
  std::string note;
};

struct RewardRules {
  std::string source;
  std::vector<RewardRule> rules;
};

Result<RewardRules> ParseRewardRules(std::string_view text);
// data/family_planning/rewards.json; throws std::logic_error if the shipped file is broken.
const RewardRules& DefaultRewardRules();

struct FailedCondition {
  RewardCondition condition;
  int actual = 0;
  std::string detail_zh;  // e.g. "女方年龄须不小于49（实际45）"
  std::string detail_en;  // e.g. "woman_age must be at least 49 (is 45)"
};

struct RewardOutcome {
  std::string id;
  std::string label_zh;
  std::string label_en;
  bool seed_criteria = false;
  bool eligible = false;
  // The failed conditions of "all", then — when none of "any" holds — every condition of "any".
  std::vector<FailedCondition> failed;
};

std::vector<RewardOutcome> EvaluateRewards(const RewardRules& rules, const RewardFacts& facts);

}  // namespace jd::family_planning
