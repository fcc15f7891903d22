// File: maternal/risk.h
// Pregnancy risk grading by colour (妊娠风险五色分级), from a catalogue kept as data: the colour
// set (data/maternal/risk_catalogue.json: the national five colours of
// 孕产妇妊娠风险评估与管理工作规范, 国卫办妇幼发〔2017〕35号; a city may ship another set, e.g.
// Guangzhou's six with pink and red), each condition of the 孕产妇妊娠风险评估表 (附件2) with its
// colour, and what each colour requires (规范 二(三) 妊娠风险管理: orange and red go to case
// management and a referral tracked to its outcome, red also to an assessment of continuing the
// pregnancy, purple to infectious-disease management and PMTCT).
//
// Rules:
// - A woman's colour is the highest-ranked colour among her conditions; with none she is green
//   (the set's rank-0 colour) (评估表 备注: 如同时存在不同颜色分类，按照较高风险的分级标识).
//   Overlapping bounds in the table (Hb 60 in both "60～110" and "40～60") therefore take the
//   higher colour.
// - A coexisting colour (purple: 传染病) is reported beside the rank colour, never instead of it
//   (评估表 备注: 紫色标识孕妇可能伴有其他颜色).
// - Conditions come from two places: the codes a clinician ticks, and the conditions the catalogue
//   derives from measurements (age in completed years on the assessment day, BMI, haemoglobin in
//   g/L, platelets in 10⁹/L) and from positive HIV, syphilis and HBsAg tests. A clinician may also
//   state a colour: it is kept when it is in the set and not below what the conditions give.
// - The catalogue is re-assessed at every visit (规范 二(二)); the caller stores each assessment.
//
// RiskCatalogue::Load validates the whole document (unknown colours, duplicate codes, bad bounds)
// and returns field errors; Builtin() is the shipped catalogue, parsed once, thread-safe. Assess is
// pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::maternal {

struct RiskColour {
  std::string code;  // "green", "yellow", …
  int rank = 0;      // higher is riskier; coexisting colours do not rank
  bool coexisting = false;
  std::string zh;
  std::string meaning_zh;
  std::string meaning_en;
  std::vector<std::string> requires_codes;  // what the colour requires, in order
};

enum class Measure { kAgeYears, kBmi, kHaemoglobin, kPlatelets };
enum class Infection { kHiv, kSyphilis, kHbsag };

// One clause of a derived condition: a measure within bounds, or a positive test.
struct RiskClause {
  std::optional<Measure> measure;
  std::optional<Infection> test;
  std::optional<double> min;    // value ≥ min
  std::optional<double> max;    // value ≤ max
  std::optional<double> above;  // value > above
  std::optional<double> below;  // value < below
};

struct RiskCondition {
  std::string code;  // the 评估表's numbering, e.g. "Y1.1", "O2.6.2", "P3"
  std::string colour;
  std::string zh;
  std::vector<RiskClause> when;  // any clause holds; empty: only when ticked
};

struct RiskRequirement {
  std::string code;
  std::string zh;
  std::string en;
};

class RiskCatalogue {
 public:
  static Result<RiskCatalogue> Load(std::string_view json);
  // data/maternal/risk_catalogue.json, compiled in. A broken shipped file is a bug: throws.
  static const RiskCatalogue& Builtin();

  const std::string& colour_set() const { return colour_set_; }
  const std::vector<RiskColour>& colours() const { return colours_; }
  const std::vector<RiskCondition>& conditions() const { return conditions_; }
  const RiskColour* FindColour(std::string_view code) const;
  const RiskCondition* FindCondition(std::string_view code) const;
  const RiskRequirement* FindRequirement(std::string_view code) const;
  // The rank-0 colour that is not coexisting ("green").
  const RiskColour& lowest() const;

 private:
  std::string colour_set_;
  std::vector<RiskColour> colours_;
  std::vector<RiskCondition> conditions_;
  std::vector<RiskRequirement> requirements_;
};

// What is known of the woman on the assessment day.
struct RiskFacts {
  std::optional<int> age_years;
  std::optional<double> bmi;
  std::optional<double> haemoglobin_g_l;
  std::optional<double> platelets_10e9_l;
  bool hiv_positive = false;
  bool syphilis_positive = false;
  bool hbsag_positive = false;
  std::vector<std::string> ticked;           // condition codes the clinician chose
  std::optional<std::string> stated_colour;  // a colour the clinician states, if any
};

struct MatchedCondition {
  std::string code;
  std::string colour;
  bool derived = false;  // from a measurement or a test, not ticked
};

struct RiskAssessment {
  std::string colour;                   // the ranked colour
  std::vector<std::string> coexisting;  // e.g. {"purple"}
  std::vector<MatchedCondition> conditions;
  std::vector<std::string> requires_codes;  // of every colour reported, without repeats
  // The ranked colour requires a referral (orange and red in the national set): the 高危 register.
  bool high_risk = false;
};

// Field errors: `conditions` with an unknown code (unknown_condition), `colour` not in the set
// (unknown_colour) or a coexisting one (colour_not_rankable), or below the conditions' colour
// (colour_below_conditions).
Result<RiskAssessment> Assess(const RiskCatalogue& catalogue, const RiskFacts& facts);

}  // namespace jd::maternal
