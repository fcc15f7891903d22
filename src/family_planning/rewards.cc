#include "family_planning/rewards.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/code_table.h"
#include "core/embedded.h"
#include "core/shipped_data.h"

namespace jd::family_planning {
namespace {

// The facts a rule may name: how to read one, whether it is yes/no, and its Chinese label.
struct FactDef {
  std::string_view name;
  std::string_view label_zh;
  bool yes_no;
  int (*read)(const RewardFacts&);
};

constexpr FactDef kFacts[] = {
    {"floating", "流动人口", true, [](const RewardFacts& f) { return f.floating ? 1 : 0; }},
    {"practises_family_planning", "实行计划生育", true,
     [](const RewardFacts& f) { return f.practises_family_planning ? 1 : 0; }},
    {"hardship", "困难家庭", true, [](const RewardFacts& f) { return f.hardship ? 1 : 0; }},
    {"only_child_certificate", "持独生子女父母光荣证", true,
     [](const RewardFacts& f) { return f.only_child_certificate ? 1 : 0; }},
    {"children_born", "生育子女数", false, [](const RewardFacts& f) { return f.children_born; }},
    {"living_children", "现存活子女数", false,
     [](const RewardFacts& f) { return f.living_children; }},
    {"child_disabled_grade_3", "独生子女伤残三级以上", true,
     [](const RewardFacts& f) { return f.child_disabled_grade_3 ? 1 : 0; }},
    {"woman_age", "女方年龄", false, [](const RewardFacts& f) { return f.woman_age; }},
};

constexpr CodeTable<RewardOp, 3> kOps{{
    {RewardOp::kEquals, "equals"},
    {RewardOp::kAtLeast, "at_least"},
    {RewardOp::kAtMost, "at_most"},
}};

// Children beyond this, or an age beyond kMaxAge, are typing mistakes (our bounds).
constexpr int kMaxChildren = 20;
constexpr int kMaxAge = 120;

const FactDef* FindFact(std::string_view name) {
  for (const auto& f : kFacts) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Status BadRules(const std::string& what) {
  return Status::Invalid({{"rewards", "invalid_rewards", "奖励扶助规则数据有误：" + what,
                           "the reward rules are broken: " + what}});
}

Result<std::vector<RewardCondition>> ParseConditions(const nlohmann::json& list,
                                                     const std::string& rule) {
  std::vector<RewardCondition> out;
  if (!list.is_array()) return BadRules(rule + ": conditions are a list");
  for (const auto& c : list) {
    if (!c.is_object() || !c.contains("fact") || !c["fact"].is_string() || !c.contains("op") ||
        !c["op"].is_string() || !c.contains("value")) {
      return BadRules(rule + ": a condition needs a fact, an op and a value");
    }
    const std::string name = c["fact"].get<std::string>();
    const FactDef* fact = FindFact(name);
    if (!fact) return BadRules(rule + ": unknown fact " + name);
    auto op = ParseCode(kOps, c["op"].get<std::string>());
    if (!op) return BadRules(rule + ": unknown op for " + name);
    RewardCondition cond{.fact = name, .op = *op};
    if (fact->yes_no) {
      if (*op != RewardOp::kEquals || !c["value"].is_boolean()) {
        return BadRules(rule + ": " + name + " is yes/no: equals true or false");
      }
      cond.value = c["value"].get<bool>() ? 1 : 0;
    } else {
      if (!c["value"].is_number_integer()) return BadRules(rule + ": " + name + " is a number");
      cond.value = c["value"].get<int>();
    }
    out.push_back(std::move(cond));
  }
  return out;
}

bool Holds(const RewardCondition& c, int actual) {
  switch (c.op) {
    case RewardOp::kEquals:
      return actual == c.value;
    case RewardOp::kAtLeast:
      return actual >= c.value;
    case RewardOp::kAtMost:
      return actual <= c.value;
  }
  return false;
}

FailedCondition Failed(const RewardCondition& c, int actual) {
  const FactDef& fact = *FindFact(c.fact);
  FailedCondition out{.condition = c, .actual = actual};
  if (fact.yes_no) {
    out.detail_zh = fmt::format("须{}{}", c.value ? "为" : "不为", fact.label_zh);
    out.detail_en = fmt::format("{} must be {}", c.fact, c.value ? "yes" : "no");
    return out;
  }
  static constexpr std::string_view kZh[] = {"须为", "须不小于", "须不大于"};
  static constexpr std::string_view kEn[] = {"must be", "must be at least", "must be at most"};
  const auto i = static_cast<std::size_t>(c.op);
  out.detail_zh = fmt::format("{}{}{}（实际{}）", fact.label_zh, kZh[i], c.value, actual);
  out.detail_en = fmt::format("{} {} {} (is {})", c.fact, kEn[i], c.value, actual);
  return out;
}

}  // namespace

std::vector<FieldError> CheckRewardFacts(const RewardFacts& facts) {
  FieldErrors errors;
  auto count = [&](int value, const char* field, std::string_view label_zh) {
    if (value < 0) {
      errors.Add(field, "negative", fmt::format("{}不能为负数", label_zh),
                 std::string(field) + " is negative");
    } else if (value > kMaxChildren) {
      errors.Add(field, "too_large", fmt::format("{}不能超过{}", label_zh, kMaxChildren),
                 fmt::format("{} is above {}", field, kMaxChildren));
    }
  };
  count(facts.children_born, "children_born", "生育子女数");
  count(facts.living_children, "living_children", "现存活子女数");
  if (facts.woman_age < 0 || facts.woman_age > kMaxAge) {
    errors.Add("woman_age", "out_of_range", fmt::format("女方年龄须在0至{}岁之间", kMaxAge),
               fmt::format("woman_age must be from 0 to {}", kMaxAge));
  }
  return errors.errors();
}

Result<RewardRules> ParseRewardRules(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("rules") || !j["rules"].is_array()) {
    return BadRules("no rules array");
  }
  RewardRules out;
  out.source = j.value("source", "");
  std::set<std::string> ids;
  for (const auto& r : j["rules"]) {
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("all")) {
      return BadRules("a rule needs an id and its conditions");
    }
    RewardRule rule{.id = r["id"].get<std::string>()};
    if (!ids.insert(rule.id).second) return BadRules(rule.id + " twice");
    const std::string criteria = r.value("criteria", "");
    if (criteria != "seed" && criteria != "local_setting") {
      return BadRules(rule.id + ": criteria is seed or local_setting");
    }
    rule.seed_criteria = criteria == "seed";
    auto all = ParseConditions(r["all"], rule.id);
    if (!all.ok()) return all.status();
    rule.all = std::move(all).value();
    if (r.contains("any")) {
      auto any = ParseConditions(r["any"], rule.id);
      if (!any.ok()) return any.status();
      rule.any = std::move(any).value();
    }
    if (rule.all.empty() && rule.any.empty()) return BadRules(rule.id + ": no condition");
    rule.label_zh = r.value("label_zh", rule.id);
    rule.label_en = r.value("label_en", rule.id);
    rule.basis = r.value("basis", "");
    rule.note = r.value("note", "");
    out.rules.push_back(std::move(rule));
  }
  return out;
}

const RewardRules& DefaultRewardRules() {
  static const RewardRules kRules =
      ParseShipped(ParseRewardRules, embedded::family_planning_rewards(), "reward rules");
  return kRules;
}

std::vector<RewardOutcome> EvaluateRewards(const RewardRules& rules, const RewardFacts& facts) {
  std::vector<RewardOutcome> out;
  for (const auto& rule : rules.rules) {
    RewardOutcome o{.id = rule.id,
                    .label_zh = rule.label_zh,
                    .label_en = rule.label_en,
                    .seed_criteria = rule.seed_criteria};
    for (const auto& c : rule.all) {
      const int actual = FindFact(c.fact)->read(facts);
      if (!Holds(c, actual)) o.failed.push_back(Failed(c, actual));
    }
    bool any_holds = rule.any.empty();
    for (const auto& c : rule.any) {
      if (Holds(c, FindFact(c.fact)->read(facts))) any_holds = true;
    }
    if (!any_holds) {
      for (const auto& c : rule.any) o.failed.push_back(Failed(c, FindFact(c.fact)->read(facts)));
    }
    o.eligible = o.failed.empty();
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace jd::family_planning
