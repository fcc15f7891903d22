// File: mental/rules.h
// The rules of severe-mental-disorder management (严重精神障碍患者管理) as pure functions: the six
// diagnoses, the follow-up's danger assessment and findings, their validation, the patient class
// a follow-up implies and the next follow-up date, the yearly count, and whether a patient is
// overdue. Every function takes the day it judges on; none reads a clock or a database.
//
// Sources (cited at each rule):
//   规范 = 国家基本公共卫生服务规范（第三版）(2017) 严重精神障碍患者管理服务规范;
//   工作规范 = 严重精神障碍管理治疗工作规范（2018年版）(国卫疾控发〔2018〕13号).
// Facts the project could not check against the issued text are marked [unc] (unconfirmed), as in
// docs/mental.md.
//
// CheckFollowUp(in, registered_on, today): field errors (Chinese and English) of a follow-up:
//   danger_level outside 0–5 (invalid_level), visited_on after today (in_future) or before the
//   registration (before_registration), last_discharge_on with hospitalisation "never"
//   (not_applicable) or after today / after the visit (in_future), a rehabilitation code twice
//   (duplicate). Enums are typed here: unknown codes are rejected where the text is read.
// Classify(in): unstable / basically stable / stable (规范 三(二)), see the function.
// NextDue(in, cls, previous): the day the next follow-up is due, see the function.
// FirstDue(registered_on): the first follow-up after registration is due 14 days after it (our
//   policy: the 规范 does not date it; the shortest interval it uses).
// RequiredFollowUps(registered_on, year): how many follow-ups the calendar year asks for.
// Overdue(next_due, today): today is after the due day.
// StandingOn(patient, electronic_record_on, day): what the indicators count of one registered
// patient on a day (the
//   live statistics view and GET /mental/summary both count through it), see the function.
// LeftManagementOn(status, changed_on): the day a patient stopped being managed.
// ExpectedPatients(residents): residents × 4.5‰.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::mental {

// The six diagnoses of the registry (工作规范 一; REFERENCE §2 [unc]: 精神分裂症, 分裂情感性障碍,
// 持久的妄想性障碍（偏执性精神病）, 双相（情感）障碍, 癫痫所致精神障碍, 精神发育迟滞伴发精神障碍).
enum class Diagnosis {
  kSchizophrenia,
  kSchizoaffective,
  kParanoidPsychosis,
  kBipolar,
  kEpilepsyPsychosis,
  kIntellectualDisabilityPsychosis,
};

enum class Consent { kSigned, kRefused, kNotYet };  // 知情同意: 同意 / 不同意 / 未签
enum class PatientStatus { kActive, kMoved, kDied, kClosed };

// 规范 随访服务记录表 items, each reduced to the grades the classification reads.
enum class Symptoms { kNone, kPresent, kMarked };   // 症状基本消失 / 仍有 / 明显
enum class Insight { kComplete, kPartial, kNone };  // 自知力 完全 / 不全 / 缺失
enum class Grade3 { kGood, kFair, kPoor };  // 睡眠、社会功能: 良好 / 一般 / 较差
enum class Adherence { kRegular, kIntermittent, kNone };  // 服药依从性 规律 / 间断 / 不服药
enum class Severity { kNone, kPresent, kSerious };  // 药物不良反应、躯体疾病: 无 / 有 / 严重
enum class Hospitalisation { kNever, kPast, kCurrent };  // 从未住院 / 既往住院 / 目前正在住院

enum class PatientClass { kUnstable, kBasicallyStable, kStable };

// The 康复措施 of the form: 生活劳动能力, 职业训练, 学习能力, 社会交往, 其他.
inline constexpr std::string_view kRehabilitationCodes[] = {"life_skills", "vocational", "learning",
                                                            "social", "other"};

// The highest danger level (工作规范 附件 危险性评估: 0–5).
inline constexpr int kMaxDangerLevel = 5;
// The lowest level that raises an alert to the partner departments (工作规范: 3 级以上
// 报告综治、公安).
inline constexpr int kAlertLevel = 3;
// ≥4 follow-ups a year (规范 三(二); REFERENCE §2).
inline constexpr int kFollowUpsPerYear = 4;

struct FollowUpFacts {
  Date visited_on{};
  int danger_level = 0;
  Symptoms symptoms = Symptoms::kNone;
  Insight insight = Insight::kComplete;
  Grade3 sleep = Grade3::kGood;
  Grade3 social_function = Grade3::kGood;
  Adherence adherence = Adherence::kRegular;
  Severity side_effects = Severity::kNone;
  Severity physical_illness = Severity::kNone;
  Hospitalisation hospitalisation = Hospitalisation::kNever;
  std::optional<Date> last_discharge_on;
  bool lab_done = false;
  std::string lab_note;
  std::vector<std::string> rehabilitation;  // kRehabilitationCodes
  // The worker's judgement at a 2-week observation visit of a basically stable patient: the
  // condition improved since the adjustment (规范 三(二)2: 2周时随访若好转 …).
  bool improving = false;
  std::string note;
};

// What NextDue reads of the patient's follow-up before this one.
struct PreviousFollowUp {
  Date visited_on{};
  PatientClass cls = PatientClass::kStable;
};

std::string_view DiagnosisCode(Diagnosis d);
std::string_view DiagnosisLabelZh(Diagnosis d);
std::optional<Diagnosis> ParseDiagnosis(std::string_view code);
std::string_view ConsentCode(Consent c);
std::optional<Consent> ParseConsent(std::string_view code);
std::string_view PatientStatusCode(PatientStatus s);
std::optional<PatientStatus> ParsePatientStatus(std::string_view code);
std::string_view SymptomsCode(Symptoms s);
std::optional<Symptoms> ParseSymptoms(std::string_view code);
std::string_view InsightCode(Insight i);
std::optional<Insight> ParseInsight(std::string_view code);
std::string_view Grade3Code(Grade3 g);
std::optional<Grade3> ParseGrade3(std::string_view code);
std::string_view AdherenceCode(Adherence a);
std::optional<Adherence> ParseAdherence(std::string_view code);
std::string_view SeverityCode(Severity s);
std::optional<Severity> ParseSeverity(std::string_view code);
std::string_view HospitalisationCode(Hospitalisation h);
std::optional<Hospitalisation> ParseHospitalisation(std::string_view code);
std::string_view PatientClassCode(PatientClass c);
std::optional<PatientClass> ParsePatientClass(std::string_view code);
bool IsRehabilitationCode(std::string_view code);

// Field errors of a follow-up (see the file comment); empty when valid.
std::vector<FieldError> CheckFollowUp(const FollowUpFacts& in, Date registered_on, Date today);

// 规范 三(二) 分类干预 (REFERENCE §2; the 3rd edition's details [unc]):
//   unstable — danger level 3–5, or marked symptoms, or no insight, or a serious adverse drug
//     reaction, or a serious physical illness;
//   basically stable — otherwise, danger level 1–2, or any of: symptoms present, insight partial,
//     social function poor;
//   stable — otherwise (level 0, symptoms essentially gone, insight complete, social function
//     fair or good).
PatientClass Classify(const FollowUpFacts& in);

// The next follow-up due after a follow-up classed `cls` (规范 三(二)):
//   unstable — within 2 weeks: visited_on + 14 days (not admitted: 2周内随访);
//   basically stable — the 2-week observation: visited_on + 14 days; when this follow-up IS that
//     observation (the previous follow-up was basically stable and at most 28 days before) and
//     the worker records `improving`, the next is at 3 months: AddMonths(visited_on, 3). Not
//     improving at the observation: 2 weeks again (the 规范 asks for a referral and a follow-up
//     within 2 weeks). The 28-day bound is our policy (twice the observation interval);
//   stable — 3 months: AddMonths(visited_on, 3).
// Three months is also the longest interval that keeps ≥4 follow-ups a year.
Date NextDue(const FollowUpFacts& in, PatientClass cls,
             const std::optional<PreviousFollowUp>& previous);

// registered_on + 14 days (our policy, see the file comment).
Date FirstDue(Date registered_on);

// Follow-ups the calendar year `year` asks of a patient registered on `registered_on`: 4 when
// registered before 1 January of the year; for a patient registered during the year, 4 × the
// share of the year left from the registration day, to the nearest whole, at least 1 (our policy:
// the 规范 states 4 a year, not the first year's share); 0 when registered after the year.
int RequiredFollowUps(Date registered_on, int year);

// Whether a follow-up due on `next_due` is overdue on `today` (today after the due day).
bool Overdue(Date next_due, Date today);

// ---- Indicators (docs/mental.md "Indicators") ----
//
// 规范 第三版 严重精神障碍患者管理服务规范 工作指标: 严重精神障碍患者规范管理率 =
// 年内辖区内按照规范 要求进行管理的患者数 ÷ 年内辖区内登记在册的确诊患者数; 工作规范 2018 adds
// 在册患者管理率 (on the estimated prevalence of 4.5‰ of the resident population), 规律服药率 and
// 病情稳定率 [unc: the section numbers and the wording of both texts were not re-read in the issued
// text]. They are yearly: "the year" is the calendar year of the day counted on, from 1 January to
// that day, so a month or a quarter shows its year so far, and the year's figure is final on 31
// December.

// 4.5‰ (工作规范 2018 患病率估计; unconfirmed [unc]).
inline constexpr double kPrevalencePerMille = 4.5;

// What the indicators read of one follow-up.
struct FollowUpMark {
  Date visited_on{};
  PatientClass cls = PatientClass::kStable;
  Adherence adherence = Adherence::kRegular;
};

// What the indicators read of one registered patient.
struct PatientTimeline {
  Date registered_on{};
  std::optional<Date> left_on;           // LeftManagementOn
  std::vector<FollowUpMark> follow_ups;  // by visit date, then as recorded
};

struct PatientStanding {
  // 在册: registered on or before the day and not left (SMD_REGISTERED_RATE's numerator, the
  // other indicators' denominator). Every flag below implies it.
  bool managed = false;
  // 规范管理: the year's follow-ups up to the day reach RequiredFollowUps(registered_on, year)
  // (≥4 a year, 规范 三(二); the year's share when registered during it: our policy).
  bool standard = false;
  bool followed_up = false;  // a follow-up this year (SMD_ADHERENCE's, SMD_STABLE's denominator)
  bool regular = false;      // followed up, the latest follow-up this year found 规律服药
  bool stable = false;       // followed up, the latest follow-up this year classed 病情稳定
  bool electronic = false;   // with an electronic health record on the day (KEY_EHR_SMD)
};

// The patient's standing on `day`: managed while registered_on <= day < left_on; the follow-ups
// counted are those of [1 January of day's year, day]; the latest of them is the last in order.
// `electronic_record_on`: the day the person's electronic health record (居民电子健康档案) was
// established, a fact of the person rather than of the registration.
PatientStanding StandingOn(const PatientTimeline& patient, std::optional<Date> electronic_record_on,
                           Date day);

// A patient whose status is moved, died or closed is no longer managed from the day of the
// registration's last change (`changed_on`: the table keeps no date of the status change, so the
// last change stands for it — our policy); an active patient is managed (nullopt).
std::optional<Date> LeftManagementOn(PatientStatus status, Date changed_on);

// The expected number of patients among `residents` persons: residents × 4.5‰ (工作规范 2018
// [unc]); SMD_REGISTERED_RATE's denominator.
double ExpectedPatients(double residents);

}  // namespace jd::mental
