#include "family_planning/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/code_table.h"
#include "core/embedded.h"
#include "core/input.h"
#include "core/shipped_data.h"

namespace jd::family_planning {
namespace {

constexpr CodeTable<Method, 10> kMethods{{
    {Method::kFemaleSterilisation, "female_sterilisation"},
    {Method::kMaleSterilisation, "male_sterilisation"},
    {Method::kIud, "iud"},
    {Method::kImplant, "implant"},
    {Method::kOralPill, "oral_pill"},
    {Method::kInjection, "injection"},
    {Method::kCondom, "condom"},
    {Method::kSpermicide, "spermicide"},
    {Method::kEmergency, "emergency"},
    {Method::kOther, "other"},
}};
constexpr CodeTable<Method, 10> kMethodLabels{{
    {Method::kFemaleSterilisation, "女性绝育"},
    {Method::kMaleSterilisation, "男性绝育"},
    {Method::kIud, "宫内节育器"},
    {Method::kImplant, "皮下埋植"},
    {Method::kOralPill, "口服避孕药"},
    {Method::kInjection, "避孕针"},
    {Method::kCondom, "避孕套"},
    {Method::kSpermicide, "外用杀精剂"},
    {Method::kEmergency, "紧急避孕"},
    {Method::kOther, "其他"},
}};
constexpr CodeTable<Method, 10> kMethodLabelsEn{{
    {Method::kFemaleSterilisation, "female sterilisation"},
    {Method::kMaleSterilisation, "male sterilisation"},
    {Method::kIud, "an IUD"},
    {Method::kImplant, "an implant"},
    {Method::kOralPill, "the oral pill"},
    {Method::kInjection, "the contraceptive injection"},
    {Method::kCondom, "the condom"},
    {Method::kSpermicide, "spermicide"},
    {Method::kEmergency, "emergency contraception"},
    {Method::kOther, "other methods"},
}};
constexpr CodeTable<Procedure, 8> kProcedures{{
    {Procedure::kIudInsertion, "iud_insertion"},
    {Procedure::kIudRemoval, "iud_removal"},
    {Procedure::kImplantInsertion, "implant_insertion"},
    {Procedure::kImplantRemoval, "implant_removal"},
    {Procedure::kTubalLigation, "tubal_ligation"},
    {Procedure::kVasectomy, "vasectomy"},
    {Procedure::kTubalReversal, "tubal_reversal"},
    {Procedure::kVasectomyReversal, "vasectomy_reversal"},
}};
constexpr CodeTable<SexRule, 3> kSexRules{{
    {SexRule::kAny, "any"},
    {SexRule::kFemale, "female"},
    {SexRule::kMale, "male"},
}};

// The youngest and oldest ages of a woman of reproductive age, in completed years [unc].
constexpr int kReproductiveAgeFrom = 15;
constexpr int kReproductiveAgeTo = 49;
// The longest horizon FollowUpsDue walks (a device kept for 60 years is not a record).
constexpr int kMaxYearlyFollowUps = 60;

Status BadCatalogue(const std::string& what) {
  return Status::Invalid({{"procedures", "invalid_procedures", "避孕手术目录有误：" + what,
                           "the procedure catalogue is broken: " + what}});
}

bool SexFits(SexRule rule, Sex sex) {
  return rule == SexRule::kAny || (rule == SexRule::kFemale && sex == Sex::kFemale) ||
         (rule == SexRule::kMale && sex == Sex::kMale);
}

std::optional<FieldError> WrongSex(SexRule rule, Sex sex, const std::string& field,
                                   std::string_view label_zh, std::string_view label_en) {
  if (SexFits(rule, sex)) return std::nullopt;
  const bool women = rule == SexRule::kFemale;
  return FieldError{field, "wrong_sex",
                    fmt::format("{}仅适用于{}性", label_zh, women ? "女" : "男"),
                    fmt::format("{} applies to {} only", label_en, women ? "women" : "men")};
}

// The day's errors: after today (in_future), before 1900 (too_early) or before the person's birth
// (before_birth).
void CheckDay(const Date& day, const Person& person, const Date& today, std::string_view field,
              std::string_view label_zh, FieldErrors& errors) {
  if (auto e = CheckDate(day, DateKind::kPastEvent, today, field, label_zh, person.birth)) {
    errors.Add(*e);
  }
}

bool AnyIn(const std::vector<Date>& days, const Date& from, const Date& to) {
  return std::any_of(days.begin(), days.end(), [&](const Date& d) { return d >= from && d <= to; });
}

bool ReproductiveAge(const Date& birth, const Date& as_of) {
  if (!birth.ok() || birth > as_of) return false;
  const int age = AgeInYears(birth, as_of);
  return age >= kReproductiveAgeFrom && age <= kReproductiveAgeTo;
}

}  // namespace

std::string_view MethodCode(Method m) { return CodeOf(kMethods, m); }
std::optional<Method> ParseMethod(std::string_view code) { return ParseCode(kMethods, code); }
std::string_view MethodLabelZh(Method m) { return CodeOf(kMethodLabels, m); }
std::string_view ProcedureCode(Procedure p) { return CodeOf(kProcedures, p); }
std::optional<Procedure> ParseProcedure(std::string_view code) {
  return ParseCode(kProcedures, code);
}

SexRule MethodSex(Method m) {
  switch (m) {
    case Method::kMaleSterilisation:
      return SexRule::kMale;
    case Method::kCondom:
    case Method::kSpermicide:
    case Method::kOther:
      return SexRule::kAny;
    case Method::kFemaleSterilisation:
    case Method::kIud:
    case Method::kImplant:
    case Method::kOralPill:
    case Method::kInjection:
    case Method::kEmergency:
      return SexRule::kFemale;
  }
  return SexRule::kAny;
}

const ProcedureRule& ProcedureCatalogue::Of(Procedure p) const {
  for (const auto& r : rules) {
    if (r.procedure == p) return r;
  }
  throw std::logic_error("procedure missing from a parsed catalogue");
}

Result<ProcedureCatalogue> ParseProcedureCatalogue(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("procedures") || !j["procedures"].is_array()) {
    return BadCatalogue("no procedures array");
  }
  ProcedureCatalogue out;
  out.source = j.value("source", "");
  std::set<Procedure> seen;
  for (const auto& p : j["procedures"]) {
    if (!p.is_object() || !p.contains("id") || !p["id"].is_string() || !p.contains("sex") ||
        !p["sex"].is_string() || !p.contains("follow_up_months") ||
        !p["follow_up_months"].is_array()) {
      return BadCatalogue("a procedure needs an id, a sex and its follow-up months");
    }
    const std::string id = p["id"].get<std::string>();
    auto procedure = ParseProcedure(id);
    if (!procedure) return BadCatalogue("unknown procedure " + id);
    if (!seen.insert(*procedure).second) return BadCatalogue(id + " twice");
    auto sex = ParseCode(kSexRules, p["sex"].get<std::string>());
    if (!sex) return BadCatalogue(id + ": sex is any, female or male");
    ProcedureRule rule{.procedure = *procedure, .sex = *sex};
    for (const auto& m : p["follow_up_months"]) {
      if (!m.is_number_integer() || m.get<int>() <= 0 ||
          (!rule.follow_up_months.empty() && m.get<int>() <= rule.follow_up_months.back())) {
        return BadCatalogue(id + ": follow-up months are ascending whole numbers ≥ 1");
      }
      rule.follow_up_months.push_back(m.get<int>());
    }
    rule.then_yearly = p.value("then_yearly", false);
    if (rule.then_yearly && rule.follow_up_months.empty()) {
      return BadCatalogue(id + ": then_yearly needs follow-up months to follow");
    }
    rule.confirmed = p.value("confirmed", false);
    rule.label_zh = p.value("label_zh", id);
    rule.label_en = p.value("label_en", id);
    out.rules.push_back(std::move(rule));
  }
  if (seen.size() != kProcedures.size()) return BadCatalogue("a procedure is missing");
  return out;
}

const ProcedureCatalogue& DefaultProcedures() {
  static const ProcedureCatalogue kCatalogue =
      ParseShipped(ParseProcedureCatalogue, embedded::family_planning_procedures(), "procedures");
  return kCatalogue;
}

std::vector<FieldError> CheckMethod(Method m, const Date& started_on, const Person& person,
                                    const Date& today) {
  FieldErrors errors;
  if (auto e = WrongSex(MethodSex(m), person.sex, "method", MethodLabelZh(m),
                        CodeOf(kMethodLabelsEn, m))) {
    errors.Add(*e);
  }
  CheckDay(started_on, person, today, "started_on", "开始日期", errors);
  return errors.errors();
}

std::vector<FieldError> CheckProcedure(Procedure p, const Date& done_on, const Person& person,
                                       const ProcedureCatalogue& catalogue, const Date& today) {
  FieldErrors errors;
  const ProcedureRule& rule = catalogue.Of(p);
  if (auto e = WrongSex(rule.sex, person.sex, "procedure", rule.label_zh, rule.label_en)) {
    errors.Add(*e);
  }
  CheckDay(done_on, person, today, "done_on", "手术日期", errors);
  return errors.errors();
}

std::vector<Date> FollowUpsDue(const ProcedureRule& rule, const Date& done_on, const Date& until) {
  std::vector<Date> out;
  for (int m : rule.follow_up_months) {
    const Date d = AddMonths(done_on, m);
    if (d > until) return out;
    out.push_back(d);
  }
  if (!rule.then_yearly || rule.follow_up_months.empty()) return out;
  const int last = rule.follow_up_months.back();
  for (int k = 1; k <= kMaxYearlyFollowUps; ++k) {
    const Date d = AddMonths(done_on, last + 12 * k);
    if (d > until) break;
    out.push_back(d);
  }
  return out;
}

bool WomanOfReproductiveAge(const Person& person, const Date& as_of) {
  return person.sex == Sex::kFemale && ReproductiveAge(person.birth, as_of);
}

AgeSpan ReproductiveAgeSpan(const Date& birth) {
  // AgeInYears(birth, d) >= n exactly when AddYears(birth, n) <= d (core/dates.h).
  return {AddYears(birth, kReproductiveAgeFrom), AddYears(birth, kReproductiveAgeTo + 1)};
}

bool InFreeServiceTarget(const Person& person, const Date& as_of) {
  return person.married && WomanOfReproductiveAge(person, as_of);
}

bool InGuidancePopulation(const Person& person, const Date& as_of) {
  if (person.sex == Sex::kFemale) return WomanOfReproductiveAge(person, as_of);
  return person.married && person.spouse_birth && ReproductiveAge(*person.spouse_birth, as_of);
}

Coverage GuidanceCoverage(const std::vector<Person>& people, const Date& from, const Date& to) {
  Coverage c;
  for (const auto& p : people) {
    if (!InGuidancePopulation(p, to)) continue;
    ++c.denominator;
    if (AnyIn(p.guidance_on, from, to)) ++c.numerator;
  }
  return c;
}

Coverage FreeServiceCoverage(const std::vector<Person>& people, const Date& from, const Date& to) {
  Coverage c;
  for (const auto& p : people) {
    if (!InFreeServiceTarget(p, to)) continue;
    ++c.denominator;
    if (AnyIn(p.free_service_on, from, to)) ++c.numerator;
  }
  return c;
}

}  // namespace jd::family_planning
