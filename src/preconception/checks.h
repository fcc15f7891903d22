// File: preconception/checks.h
// The free pre-pregnancy health check of a couple (国家免费孕前优生健康检查) and the folic-acid
// supplementation that goes with it (增补叶酸预防神经管缺陷项目), as pure rules:
//
// - The catalogue of the 19 service items of
// 国家免费孕前优生健康检查项目试点工作技术服务规范（试行）
//   (原国家人口计生委、财政部, 2010, "技术服务规范"): code, Chinese and English label, whom it is
//   for (the woman, the man or both), its kind, and the results a clinic may record for it. The 19
//   items and their order are those of the 规范 as listed in the project's domain notes; which
//   items the man has (education, history, examination, urinalysis, blood group, ALT, hepatitis B
//   five markers, creatinine, syphilis, the risk assessment) comes from public summaries of the
//   规范, not from its text, and is marked [unc] in the table.
// - ExamCompleteness: the items each partner still lacks at the check (the follow-up of early
//   pregnancy and outcome comes later and is never "missing" at the check).
// - Classify: 一般人群 (general population) when no result is abnormal and no risk factor is
//   found, else 高风险人群 (high risk), with every reason. The two groups are the 规范's 风险评估
//   outcome; which result values count as abnormal (e.g. rubella IgG negative = susceptible) is
//   ours where the notes are silent and marked [unc] in checks.cc.
// - FolicAcidPlan: the supplementation window, days covered by the supplies and a status on an
//   as-of date. Policy (增补叶酸预防神经管缺陷项目, 原卫生部 2009, 重大公共卫生服务项目 — [unc]:
//   the domain notes do not cover it; the Nanning plan only names 农村育龄妇女增补叶酸服务, seed
//   001 §四): 0.4 mg a day from 3 months before pregnancy to 3 months into it. Pregnancy is counted
//   from the LMP as in maternal/pregnancy.h, so the window is AddMonths(LMP, −3) to the last day of
//   the first trimester, LMP + 13+6 weeks (《妇产科学》第9版: 妊娠未达14周称为早期妊娠). Without an
//   LMP a planned date stands in for it; without either there is no window.
//
// All functions are pure and thread-safe; validation returns every field error at once.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::preconception {

enum class Partner { kWoman, kMan };
// Whom an item is for.
enum class For { kWoman, kMan, kBoth };
enum class Category { kEducation, kHistory, kExam, kLab, kImaging, kAssessment, kFollowUp };

// One of the 19 items. `values`: the results a clinic may record, "|"-separated (empty: the item
// records only that it was done); `abnormal`: those among them that make the couple high-risk.
struct Item {
  int number;  // 1–19, the 规范's order
  std::string_view code;
  std::string_view label_zh;
  std::string_view label_en;
  For who;
  Category category;
  std::string_view values;
  std::string_view abnormal;
  std::string_view cite;
};

inline constexpr int kItemCount = 19;
const std::array<Item, kItemCount>& Catalogue();
const Item* FindItem(std::string_view code);
bool AppliesTo(const Item& item, Partner p);
// The allowed result values of `item`, split.
std::vector<std::string> Values(const Item& item);
bool IsAbnormal(const Item& item, std::string_view value);

std::string_view PartnerCode(Partner p);  // "woman" | "man"
std::optional<Partner> ParsePartner(std::string_view code);
std::string_view ForCode(For f);  // "woman" | "man" | "both"
std::string_view CategoryCode(Category c);

// Risk factors found by the history (病史询问) or the examination, besides the lab results (规范:
// 遗传、环境、心理和行为等风险因素). Codes of RiskFactors(); "advanced_maternal_age" is derived.
struct RiskFactor {
  std::string_view code;
  std::string_view label_zh;
  std::string_view label_en;
};
const std::vector<RiskFactor>& RiskFactors();
const RiskFactor* FindRiskFactor(std::string_view code);

struct ItemResult {
  Partner partner = Partner::kWoman;
  std::string item;
  std::string value;  // one of the item's values, or empty for an item without values
};

// What a check recorded: the items done for each partner and their results.
struct CheckRecord {
  std::vector<std::string> woman_items;
  std::vector<std::string> man_items;
  std::vector<ItemResult> results;
  std::vector<std::string> risk_factors;
  bool man_examined = true;  // false: the woman came alone; the man's items are not expected
};

// Field errors of a record: unknown item (unknown_item), item not for that partner
// (not_for_partner), a result value not among the item's (invalid_value), a result for an item
// not listed as done (not_done), an unknown risk factor (unknown_risk_factor), a man's item when
// the man was not examined (man_not_examined). Fields: woman_items[i], man_items[i], results[i],
// risk_factors[i].
Status ValidateRecord(const CheckRecord& r);

struct Completeness {
  std::vector<std::string> woman_missing;  // item codes, catalogue order
  std::vector<std::string> man_missing;    // empty when the man was not examined
  bool complete = false;
};
// REQUIRES: ValidateRecord(r).ok().
Completeness ExamCompleteness(const CheckRecord& r);

enum class RiskGroup { kGeneral, kHighRisk };
std::string_view RiskGroupCode(RiskGroup g);  // "general" | "high_risk"
std::optional<RiskGroup> ParseRiskGroup(std::string_view code);

struct Classification {
  RiskGroup group = RiskGroup::kGeneral;
  // "woman:rubella_igg=negative", "man:syphilis=positive", "risk_factor:genetic_family_history".
  std::vector<std::string> reasons;
};
// `woman_age`: her completed years on the check's day; 35 or more adds "advanced_maternal_age"
// (高龄, our reading [unc]). REQUIRES: ValidateRecord(r).ok().
Classification Classify(const CheckRecord& r, int woman_age);

// --- Folic acid -----------------------------------------------------------------------------

inline constexpr double kFolicDoseMg = 0.4;
inline constexpr int kFolicMonthsBefore = 3;
inline constexpr int kFirstTrimesterLastDay = 13 * 7 + 6;  // 13+6 weeks after the LMP

struct Supply {
  Date supplied_on{};
  int quantity_days = 0;  // tablets of 0.4 mg, one a day
};

enum class AnchorKind { kNone, kLmp, kPlanned };
std::string_view AnchorKindCode(AnchorKind k);

enum class FolicStatus { kNotStarted, kOnTrack, kCompleted, kLateStart };
std::string_view FolicStatusCode(FolicStatus s);

struct FolicPlan {
  AnchorKind anchor_kind = AnchorKind::kNone;
  std::optional<Date> window_start;   // AddMonths(anchor, −3)
  std::optional<Date> window_end;     // anchor + 13+6 weeks, inclusive
  int window_days = 0;                // days of the window, both ends included
  std::optional<Date> started_on;     // the first supply
  std::optional<Date> covered_until;  // the last day the supplies reach (inclusive)
  // Days of [window_start, min(window_end, as_of)] covered by some supply (without a window: days
  // from the first supply to as_of covered).
  int days_covered = 0;
  int days_elapsed = 0;  // the days of that range
  FolicStatus status = FolicStatus::kNotStarted;
};

// The plan on `as_of`. `lmp` wins over `planned`. Status: no supply on or before `as_of` →
// not_started; first supply after window_start → late_start; otherwise completed once as_of is
// past window_end, else on_track (without a window: on_track once started).
// REQUIRES: every supply's quantity_days in 1–180.
FolicPlan FolicAcidPlan(const std::vector<Supply>& supplies, std::optional<Date> lmp,
                        std::optional<Date> planned, Date as_of);

inline constexpr int kMinSupplyDays = 1;
inline constexpr int kMaxSupplyDays = 180;

}  // namespace jd::preconception
