// File: registry/eligibility.h
// Who is a floating person (流动人口) and which free public-health services they are entitled to,
// per 南宁市流动人口基本公共卫生计生服务均等化实施办法 (2017) §三 and the national pilot plan
// (流动人口卫生和计划生育基本公共服务均等化试点工作方案) §四(一)(三).
//
// Evaluate(facts, policy): a pure function of the facts and an explicit as-of date. It always
//   returns every rule (passed or failed) with Chinese and English details that state the dates and
//   counts involved, so that a health worker can explain a refusal. floating = the four definition
//   rules pass; each entitlement needs floating plus its own rule.
// EligibilityFactsFromJson(j): the facts from the JSON form used by `jundeng eligibility`:
//   {"as_of","birth_date","hukou_division","residence_division","left_hukou_on"?,"arrived_on",
//    "reason","documents"?:[{"type","status","valid_until"?}]}. Dates are "YYYY-MM-DD". Every
//   problem becomes one FieldError named by its JSON path (e.g. "documents[1].status") in a
//   Status::Invalid; never throws.
// ToJson(result): {"floating","entitlements":{"health_record","vaccination_file","free_services"},
//   "rules":[{"rule","label","label_en","passed","detail","detail_en","dates":{...},
//   "date_list":[{"key","label","label_en","date"}]}]} ("detail" is the Chinese text; "dates" keeps
//   the stable keys for programs, "date_list" is the same dates under labels for people).
// RuleLabel(rule) / DateLabel(key): the Chinese and English labels of a rule name and of a key of
//   RuleOutcome::dates ("documents[0].valid_until" → 第1份凭证有效期至); an unknown one is
//   labelled by itself.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "registry/model.h"

namespace jd::registry {

// Stable rule names (clients may switch on them).
inline constexpr char kRuleLeftHukou30Days[] = "left_hukou_30_days";
inline constexpr char kRuleResident30Days[] = "resident_30_days";
inline constexpr char kRulePurposeWorkOrLife[] = "purpose_work_or_life";
inline constexpr char kRuleNotSameCity[] = "not_same_city";
inline constexpr char kRuleHealthRecord6Months[] = "health_record_6_months";
inline constexpr char kRuleVaccinationFileChild0To6[] = "vaccination_file_child_0_6";
inline constexpr char kRuleServiceDocument[] = "service_document";

// One 服务凭证 as far as eligibility is concerned.
struct DocumentFact {
  DocumentType type = DocumentType::kResidencePermit;
  DocumentStatus status = DocumentStatus::kPending;
  std::optional<Date> valid_until;  // valid through this day
};

struct EligibilityFacts {
  Date as_of{};
  Date birth_date{};
  std::string hukou_division;      // 6-digit GB/T 2260 code of the 户籍地 county
  std::string residence_division;  // 6-digit county code of the current residence
  // The two divisions as shown to people (e.g. "湖南省邵阳市武冈市", "南宁市青秀区"), resolved by
  // the caller from the division tables; empty: the details show the code.
  std::string hukou_place;
  std::string residence_place;
  std::optional<Date> left_hukou_on;
  Date arrived_on{};
  MoveReason reason = MoveReason::kWork;
  std::vector<DocumentFact> documents;
};

// Thresholds, configurable (REFERENCE.md §6). "N日以上" / "N个月以上" include N itself.
struct EligibilityPolicy {
  int min_days_away = 30;           // 实施办法 §三(一): 离开户籍地县域30日以上
  int min_days_here = 30;           // 实施办法 §三(一): 流入现居住地30日以上
  int health_record_months = 6;     // 试点工作方案 §四(一): 居住6个月以上
  int vaccination_file_months = 3;  // 试点工作方案 §四(三): 居住满3个月
  int vaccination_file_before_birthday = 7;  // "0-6岁": before this birthday
};

struct RuleOutcome {
  std::string rule;
  bool passed = false;
  std::string detail_zh;
  std::string detail_en;
  // The dates involved, "YYYY-MM-DD" by name (e.g. "as_of", "arrived_on", "qualifies_on").
  std::map<std::string, std::string> dates;
};

struct Entitlements {
  bool health_record = false;     // 健康档案
  bool vaccination_file = false;  // 预防接种档案 (0-6岁儿童)
  bool free_services = false;     // 免费基本公共卫生计生服务 (needs a 服务凭证)
};

struct EligibilityResult {
  bool floating = false;
  Entitlements entitlements;
  std::vector<RuleOutcome> rules;  // always all seven, in a fixed order
};

EligibilityResult Evaluate(const EligibilityFacts& facts, const EligibilityPolicy& policy = {});

// The same rules as days from which they hold, for statistics over many dates: each rule above is
// a threshold in the as-of date, so the person is floating from one day on, entitled to a health
// record from one day on, and entitled to a vaccination file over one span of days. `facts.as_of`
// and the documents are not used. For every as_of: Evaluate(facts with as_of).floating ==
// (floating_from && *floating_from <= as_of), and likewise for the entitlements.
struct EligibilityWindows {
  std::optional<Date> floating_from;
  std::optional<Date> health_record_from;
  std::optional<Date> vaccination_file_from;  // entitled while from <= as_of < until
  Date vaccination_file_until{};
};
EligibilityWindows Windows(const EligibilityFacts& facts, const EligibilityPolicy& policy = {});

// A person's columns as the persons table keeps them (text, as read): birth_date,
// hukou_division, residence_org, left_hukou_on (empty when unknown), arrived_on, move_reason.
struct StoredPerson {
  std::string_view birth_date, hukou_division, residence_org, left_hukou_on, arrived_on,
      move_reason;
};
// The windows of a stored person, for statistics over many persons: the residence division is
// the first six digits of the residence unit's code, no documents, an unknown move reason counts
// as "other". nullopt when the birth or the arrival date does not parse.
std::optional<EligibilityWindows> StoredWindows(const StoredPerson& person,
                                                const EligibilityPolicy& policy = {});

struct Label {
  std::string zh;
  std::string en;
};
Label RuleLabel(std::string_view rule);
Label DateLabel(std::string_view key);

Result<EligibilityFacts> EligibilityFactsFromJson(const nlohmann::json& j);

nlohmann::json ToJson(const EligibilityResult& result);

}  // namespace jd::registry
