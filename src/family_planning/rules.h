// File: family_planning/rules.h
// Free family-planning services for migrants (流动人口计划生育基本公共服务) as pure functions: the
// contraception methods and who may use them, the target population (women of reproductive age
// and married couples), the basic contraceptive procedures with the sex each applies to and their
// follow-up schedules, the validation of a method and of a procedure, and the numerators and
// denominators of the two coverage indicators. Nothing here reads a clock, a file or a database.
//
// Sources: 南宁市流动人口基本公共卫生计生服务均等化实施办法 (2017) 四(七) (free basic services,
// 孕情环情 检查, free contraceptives, targets of 95% guidance coverage and 100% free-service
// coverage of the target population) and 流动人口卫生和计划生育基本公共服务均等化试点工作方案
// 四(六). Facts taken from the national texts the seeds refer to and marked unconfirmed [unc] where
// the issued text was not found: the method categories, the 15–49 age band, the indicators'
// formulas and the follow-up months (see docs/family_planning.md).
//
// Method / Procedure codes: MethodCode, ParseMethod, ProcedureCode, ParseProcedure (stable
//   snake_case codes, unknown text → nullopt).
// MethodSex(m): the sex that can use a method (any for condom, spermicide and other).
// ParseProcedureCatalogue(text) / DefaultProcedures(): data/family_planning/procedures.json, every
//   procedure with its sex and follow-up months (Status::Invalid naming the broken member).
// CheckMethod(m, started_on, person, today) and CheckProcedure(p, done_on, person, catalogue,
//   today): field errors in Chinese and English — "method"/"procedure" wrong_sex (e.g. a tubal
//   ligation or an IUD recorded for a man, a vasectomy for a woman), "started_on"/"done_on"
//   in_future (after today), too_early (before 1900) or before_birth (core/input.h CheckDate).
// FollowUpsDue(rule, done_on, until): the follow-up days of a procedure up to `until`.
// WomanOfReproductiveAge(person, as_of), InFreeServiceTarget(person, as_of),
//   InGuidancePopulation(person, as_of): who is counted (see each function);
//   ReproductiveAgeSpan(birth): the days of WomanOfReproductiveAge as one span.
// GuidanceCoverage(people, from, to), FreeServiceCoverage(people, from, to): the indicators'
//   numerator and denominator.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "registry/model.h"

namespace jd::family_planning {

using registry::Sex;

// Method categories (REFERENCE §5 [unc]: 男/女性绝育, 宫内节育器, 皮下埋植, 口服/注射避孕药,
// 避孕套, 外用药, 紧急避孕, 其他). The pill and the injection are kept apart.
enum class Method {
  kFemaleSterilisation,  // 女性绝育
  kMaleSterilisation,    // 男性绝育
  kIud,                  // 宫内节育器
  kImplant,              // 皮下埋植
  kOralPill,             // 口服避孕药
  kInjection,            // 注射避孕针
  kCondom,               // 避孕套
  kSpermicide,           // 外用杀精剂
  kEmergency,            // 紧急避孕
  kOther,                // 其他
};

// 基本避孕手术 (REFERENCE §5 [src S49]).
enum class Procedure {
  kIudInsertion,
  kIudRemoval,
  kImplantInsertion,
  kImplantRemoval,
  kTubalLigation,
  kVasectomy,
  kTubalReversal,
  kVasectomyReversal,
};

// Who can use a method or undergo a procedure.
enum class SexRule { kAny, kFemale, kMale };

std::string_view MethodCode(Method m);
std::optional<Method> ParseMethod(std::string_view code);
std::string_view MethodLabelZh(Method m);
std::string_view ProcedureCode(Procedure p);
std::optional<Procedure> ParseProcedure(std::string_view code);

// Female for sterilisation of women, IUD, implant, pill, injection and emergency pill; male for
// sterilisation of men; any for condom, spermicide and other. A method is recorded on the person
// who uses it (our policy: the couple's method is not copied onto the spouse's record).
SexRule MethodSex(Method m);

// One procedure of the catalogue.
struct ProcedureRule {
  Procedure procedure = Procedure::kIudInsertion;
  SexRule sex = SexRule::kFemale;
  std::string label_zh;
  std::string label_en;
  std::vector<int> follow_up_months;  // ascending, after the procedure day
  bool then_yearly = false;           // then every 12 months after the last of them
  bool confirmed = false;             // false: the months are unconfirmed [unc]
};

struct ProcedureCatalogue {
  std::string source;
  std::vector<ProcedureRule> rules;  // one per Procedure
  const ProcedureRule& Of(Procedure p) const;
};

Result<ProcedureCatalogue> ParseProcedureCatalogue(std::string_view text);
// data/family_planning/procedures.json; throws std::logic_error if the shipped file is broken (a
// build mistake the unit tests catch).
const ProcedureCatalogue& DefaultProcedures();

// What the rules read of a person.
struct Person {
  Sex sex = Sex::kFemale;
  Date birth{};
  bool married = false;
  std::optional<Date> spouse_birth;  // of the spouse, when married and known
  // Days of FP guidance or counselling (计划生育技术指导咨询) the person received.
  std::vector<Date> guidance_on;
  // Days the person — or, for a married woman, her husband — received free contraceptives or a
  // free procedure (避孕节育免费服务). The caller merges the husband's into the wife's.
  std::vector<Date> free_service_on;
};

std::vector<FieldError> CheckMethod(Method m, const Date& started_on, const Person& person,
                                    const Date& today);
std::vector<FieldError> CheckProcedure(Procedure p, const Date& done_on, const Person& person,
                                       const ProcedureCatalogue& catalogue, const Date& today);

// The follow-up days of a procedure done on `done_on`, up to and including `until` (the caller's
// horizon, or the day the device was removed): AddMonths(done_on, m) for each of the rule's months,
// then, when then_yearly, AddMonths(done_on, last + 12k) for k = 1, 2, … (an IUD inserted on
// 31 January is followed up on 28 February, 30 April, 31 July and 31 January next year, then
// every 31 January). Months are unconfirmed [unc], see procedures.json.
std::vector<Date> FollowUpsDue(const ProcedureRule& rule, const Date& done_on, const Date& until);

// 育龄妇女: a woman aged 15–49 in completed years on `as_of` (core/dates.h AgeInYears: from her
// 15th birthday to the day before her 50th) [unc: the statistical standard, REFERENCE §5].
bool WomanOfReproductiveAge(const Person& person, const Date& as_of);

// The days on which a woman born on `birth` is of reproductive age: from `from` (her 15th
// birthday) up to, not including, `until` (her 50th) — the days WomanOfReproductiveAge holds, as
// a span for counters that work on day numbers (kpi/live_view.h) [unc, as above].
struct AgeSpan {
  Date from{};
  Date until{};
};
AgeSpan ReproductiveAgeSpan(const Date& birth);

// The target population of 避孕节育免费服务 (our reading, [unc]: REFERENCE §5 gives "married
// couples / women 15–49"): a married woman of reproductive age, one per couple — the couple is
// covered by either spouse's free service.
bool InFreeServiceTarget(const Person& person, const Date& as_of);

// The people of reproductive age for 计划生育技术指导咨询服务覆盖率 (our reading, [unc]): every
// woman of reproductive age, married or not, and every married man whose wife is one (spouse_birth
// given and 15–49 on `as_of`); no age band for men is stated.
bool InGuidancePopulation(const Person& person, const Date& as_of);

struct Coverage {
  int numerator = 0;
  int denominator = 0;
};

// 流动人口计划生育技术指导咨询服务覆盖率 (南宁市实施办法 四(七): 95% by 2020; formula [unc]):
// denominator = people in InGuidancePopulation on `to`; numerator = those of them with a guidance
// day in [from, to].
Coverage GuidanceCoverage(const std::vector<Person>& people, const Date& from, const Date& to);

// 流动人口育龄妇女避孕节育免费服务目标人群覆盖率 (南宁市实施办法 四(七): 100% by 2020; formula
// [unc]): denominator = people InFreeServiceTarget on `to`; numerator = those of them with a free
// service day in [from, to].
Coverage FreeServiceCoverage(const std::vector<Person>& people, const Date& from, const Date& to);

}  // namespace jd::family_planning
