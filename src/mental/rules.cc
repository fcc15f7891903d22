// The rules of severe-mental-disorder management (mental/rules.h).
#include "mental/rules.h"

#include <algorithm>
#include <array>
#include <set>

namespace jd::mental {

namespace {

// An enum's codes, in declaration order.
template <class E, std::size_t N>
struct Codes {
  std::array<std::string_view, N> code;
  std::string_view Of(E e) const { return code[static_cast<std::size_t>(e)]; }
  std::optional<E> Parse(std::string_view text) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (code[i] == text) return static_cast<E>(i);
    }
    return std::nullopt;
  }
};

constexpr Codes<Diagnosis, 6> kDiagnosis{{"schizophrenia", "schizoaffective", "paranoid_psychosis",
                                          "bipolar", "epilepsy_psychosis",
                                          "intellectual_disability_psychosis"}};
constexpr std::array<std::string_view, 6> kDiagnosisZh = {
    "精神分裂症",       "分裂情感性障碍",   "持久的妄想性障碍（偏执性精神病）",
    "双相（情感）障碍", "癫痫所致精神障碍", "精神发育迟滞伴发精神障碍"};
constexpr Codes<Consent, 3> kConsent{{"signed", "refused", "not_yet"}};
constexpr Codes<PatientStatus, 4> kStatus{{"active", "moved", "died", "closed"}};
constexpr Codes<Symptoms, 3> kSymptoms{{"none", "present", "marked"}};
constexpr Codes<Insight, 3> kInsight{{"complete", "partial", "none"}};
constexpr Codes<Grade3, 3> kGrade3{{"good", "fair", "poor"}};
constexpr Codes<Adherence, 3> kAdherence{{"regular", "intermittent", "none"}};
constexpr Codes<Severity, 3> kSeverity{{"none", "present", "serious"}};
constexpr Codes<Hospitalisation, 3> kHospitalisation{{"never", "past", "current"}};
constexpr Codes<PatientClass, 3> kClass{{"unstable", "basically_stable", "stable"}};

// The observation visit of a basically stable patient comes 2 weeks after; a follow-up up to
// twice that after a basically stable one counts as that observation (rules.h, NextDue).
constexpr int kObservationDays = 14;
constexpr int kObservationWindowDays = 2 * kObservationDays;
constexpr int kRoutineMonths = 3;

}  // namespace

std::string_view DiagnosisCode(Diagnosis d) { return kDiagnosis.Of(d); }
std::string_view DiagnosisLabelZh(Diagnosis d) { return kDiagnosisZh[static_cast<std::size_t>(d)]; }
std::optional<Diagnosis> ParseDiagnosis(std::string_view c) { return kDiagnosis.Parse(c); }
std::string_view ConsentCode(Consent c) { return kConsent.Of(c); }
std::optional<Consent> ParseConsent(std::string_view c) { return kConsent.Parse(c); }
std::string_view PatientStatusCode(PatientStatus s) { return kStatus.Of(s); }
std::optional<PatientStatus> ParsePatientStatus(std::string_view c) { return kStatus.Parse(c); }
std::string_view SymptomsCode(Symptoms s) { return kSymptoms.Of(s); }
std::optional<Symptoms> ParseSymptoms(std::string_view c) { return kSymptoms.Parse(c); }
std::string_view InsightCode(Insight i) { return kInsight.Of(i); }
std::optional<Insight> ParseInsight(std::string_view c) { return kInsight.Parse(c); }
std::string_view Grade3Code(Grade3 g) { return kGrade3.Of(g); }
std::optional<Grade3> ParseGrade3(std::string_view c) { return kGrade3.Parse(c); }
std::string_view AdherenceCode(Adherence a) { return kAdherence.Of(a); }
std::optional<Adherence> ParseAdherence(std::string_view c) { return kAdherence.Parse(c); }
std::string_view SeverityCode(Severity s) { return kSeverity.Of(s); }
std::optional<Severity> ParseSeverity(std::string_view c) { return kSeverity.Parse(c); }
std::string_view HospitalisationCode(Hospitalisation h) { return kHospitalisation.Of(h); }
std::optional<Hospitalisation> ParseHospitalisation(std::string_view c) {
  return kHospitalisation.Parse(c);
}
std::string_view PatientClassCode(PatientClass c) { return kClass.Of(c); }
std::optional<PatientClass> ParsePatientClass(std::string_view c) { return kClass.Parse(c); }

bool IsRehabilitationCode(std::string_view code) {
  return std::find(std::begin(kRehabilitationCodes), std::end(kRehabilitationCodes), code) !=
         std::end(kRehabilitationCodes);
}

std::vector<FieldError> CheckFollowUp(const FollowUpFacts& in, Date registered_on, Date today) {
  FieldErrors errors;
  // 工作规范 附件 危险性评估: levels 0–5.
  if (in.danger_level < 0 || in.danger_level > kMaxDangerLevel) {
    errors.Add("danger_level", "invalid_level", "危险性评估等级应为 0–5 级",
               "danger_level must be a level from 0 to 5");
  }
  if (today < in.visited_on) {
    errors.Add("visited_on", "in_future", "随访日期晚于今天", "the follow-up is in the future");
  } else if (in.visited_on < registered_on) {
    errors.Add("visited_on", "before_registration", "随访日期早于登记日期",
               "the follow-up is before the patient's registration");
  }
  if (in.last_discharge_on) {
    if (in.hospitalisation == Hospitalisation::kNever) {
      errors.Add("last_discharge_on", "not_applicable", "从未住院的患者没有末次出院日期",
                 "a patient never admitted has no last discharge");
    } else if (today < *in.last_discharge_on || in.visited_on < *in.last_discharge_on) {
      errors.Add("last_discharge_on", "in_future", "末次出院日期晚于随访日期或今天",
                 "the last discharge is after the follow-up or today");
    }
  }
  std::set<std::string> seen;
  for (const std::string& code : in.rehabilitation) {
    if (!IsRehabilitationCode(code)) {
      errors.Add("rehabilitation", "invalid_value",
                 "康复措施应为 life_skills、vocational、learning、social、other",
                 "rehabilitation codes are life_skills, vocational, learning, social, other");
    } else if (!seen.insert(code).second) {
      errors.Add("rehabilitation", "duplicate", "康复措施重复：" + code,
                 "rehabilitation measure given twice: " + code);
    }
  }
  return errors.errors();
}

PatientClass Classify(const FollowUpFacts& in) {
  // 规范 三(二)1 病情不稳定:
  // 危险性为3~5级或精神症状明显、自知力缺乏、有严重药物不良反应或严重躯体疾病.
  if (in.danger_level >= 3 || in.symptoms == Symptoms::kMarked || in.insight == Insight::kNone ||
      in.side_effects == Severity::kSerious || in.physical_illness == Severity::kSerious) {
    return PatientClass::kUnstable;
  }
  // 规范 三(二)2 病情基本稳定: 危险性为1~2级，或精神症状、自知力、社会功能状况至少有一方面较差.
  if (in.danger_level >= 1 || in.symptoms == Symptoms::kPresent ||
      in.insight == Insight::kPartial || in.social_function == Grade3::kPoor) {
    return PatientClass::kBasicallyStable;
  }
  // 规范 三(二)3 病情稳定: 危险性为0级，且精神症状基本消失，自知力基本恢复，社会功能处于一般或良好.
  return PatientClass::kStable;
}

Date NextDue(const FollowUpFacts& in, PatientClass cls,
             const std::optional<PreviousFollowUp>& previous) {
  switch (cls) {
    case PatientClass::kUnstable:
      // 规范 三(二)1: 未住院的患者 2周内随访.
      return AddDays(in.visited_on, kObservationDays);
    case PatientClass::kBasicallyStable: {
      // 规范 三(二)2: 观察2周，若情况趋于稳定，3个月时随访；未达到稳定者 转诊，2周内随访.
      const bool observation =
          previous && previous->cls == PatientClass::kBasicallyStable &&
          DaysBetween(previous->visited_on, in.visited_on) >= 0 &&
          DaysBetween(previous->visited_on, in.visited_on) <= kObservationWindowDays;
      if (observation && in.improving) return AddMonths(in.visited_on, kRoutineMonths);
      return AddDays(in.visited_on, kObservationDays);
    }
    case PatientClass::kStable:
      // 规范 三(二)3: 3个月时随访.
      return AddMonths(in.visited_on, kRoutineMonths);
  }
  return AddDays(in.visited_on, kObservationDays);
}

Date FirstDue(Date registered_on) { return AddDays(registered_on, kObservationDays); }

int RequiredFollowUps(Date registered_on, int year) {
  using std::chrono::December;
  using std::chrono::January;
  const Date first{std::chrono::year(year), January, std::chrono::day(1)};
  const Date last{std::chrono::year(year), December, std::chrono::day(31)};
  if (registered_on <= first) return kFollowUpsPerYear;
  if (last < registered_on) return 0;
  const int days = DaysBetween(first, last) + 1;
  const int left = DaysBetween(registered_on, last) + 1;
  const int n = (2 * kFollowUpsPerYear * left + days) / (2 * days);  // to the nearest
  return std::max(1, n);
}

bool Overdue(Date next_due, Date today) { return next_due < today; }

PatientStanding StandingOn(const PatientTimeline& p, std::optional<Date> electronic_record_on,
                           Date day) {
  PatientStanding out;
  if (day < p.registered_on || (p.left_on && !(day < *p.left_on))) return out;
  out.managed = true;
  out.electronic = electronic_record_on && !(day < *electronic_record_on);
  // 规范 第三版 工作指标 年内: from 1 January of the day's year.
  const Date year_start{day.year(), std::chrono::January, std::chrono::day(1)};
  int seen = 0;
  const FollowUpMark* latest = nullptr;
  for (const FollowUpMark& f : p.follow_ups) {
    if (f.visited_on < year_start || day < f.visited_on) continue;
    ++seen;
    latest = &f;  // in order: the last one kept is the latest
  }
  out.followed_up = seen > 0;
  out.standard = seen >= RequiredFollowUps(p.registered_on, static_cast<int>(day.year()));
  if (latest) {
    out.regular = latest->adherence == Adherence::kRegular;
    out.stable = latest->cls == PatientClass::kStable;
  }
  return out;
}

std::optional<Date> LeftManagementOn(PatientStatus status, Date changed_on) {
  if (status == PatientStatus::kActive) return std::nullopt;
  return changed_on;
}

double ExpectedPatients(double residents) { return residents * kPrevalencePerMille / 1000.0; }

}  // namespace jd::mental
