// File: disease/tb_course.h
// The follow-up schedule of one pulmonary TB treatment course under 国家基本公共卫生服务规范
// （第三版）肺结核患者健康管理 ("规范 第三版 TB"): the regimen, the dates the course was notified
// and started, the visits recorded so far (with doses taken and missed, sputum results) and an
// as-of date in; the phase, the visits due with their on-time windows, whether the course is
// overdue, the adherence and whether an outcome may be recorded out. Pure functions; thread-safe.
//
// Rules (规范 第三版 TB 二、服务内容; items marked [unc] were not confirmed against the official
// text and are our reading of it):
// - First home visit (第一次入户随访): within 72 hours of the notice from the designated TB
//   institution; here the notice date plus 3 days, on time through that day.
// - Supervised treatment and follow-up (督导服药和随访管理): during the intensive phase (强化期 or
//   the injection phase of a drug-resistant course) a visit every 10 days; during the continuation
//   phase (继续期 or non-injection phase) a visit every month [unc: interval read from the 规范's
//   text as commonly quoted, not from the published PDF]. The next visit falls due one interval
//   after the latest visit (the first home visit counts), the interval of the phase the latest
//   visit lies in. So the due visit moves as visits are recorded.
// - On-time window (our policy; the 规范 gives intervals, not tolerances): a 10-day visit is on
//   time through 3 days after its due date, a monthly visit through 7 days after. After that the
//   visit is overdue and the course is on the overdue worklist until a visit is recorded.
// - Regimens (the course lengths come from the national TB guidelines, not the 规范): new
//   pulmonary TB 2HRZE/4HR, 2 months intensive + 4 continuation; retreatment 2HRZES/6HRE-style,
//   3 + 5 months [unc]; drug-resistant (long regimen), 6 months injection phase + 14 months
//   [unc: 18–24 months in the guidelines; 20 chosen].
// - Closing evaluation (结案评估): due at the planned end of the course (start + total months),
//   on time through 14 days after (our policy); it is recorded as the course's outcome.
// - Adherence (规则服药): doses taken ÷ doses prescribed, where prescribed = taken + missed as the
//   treatment card (肺结核患者治疗记录卡) records them at each visit; regular when at least 90% of
//   the prescribed doses were taken (规范 第三版 TB 四、考核指标 "规则服药": 在整个疗程中, 患者在
//   规定的服药时间实际服药次数占应服药次数的 90%以上) [unc].
// - Outcomes: cured (治愈), completed (完成疗程), failed (失败), died (死亡), lost (失访). Checks
//   (WHO 2013 definitions, adopted by the national guidelines [unc]): cured and completed not
//   before the planned end; cured needs a negative sputum result in the last month; failed needs
//   a positive sputum result at or after month 5 of the course; lost needs 2 months without a
//   visit; no outcome before the course start or after as_of.
//
// - Indicators (规范 第三版 TB 四、考核指标 [unc: section number and wording not re-read in the
//   issued text]): 肺结核患者管理率 = 已管理的肺结核患者人数 ÷ 辖区同期内经上级定点医疗机构确诊并
//   通知基层医疗卫生机构管理的肺结核患者人数; 肺结核患者规则服药率 = 按照要求规则服药的肺结核患者
//   人数 ÷ 同期辖区内已完成治疗的肺结核患者人数. CountTbCourse() gives what one course adds to
//   them: the day of the notice (the denominator's period); managed when the first home visit was
//   recorded (any visit: the 基层 took the patient on; our reading [unc] — it does not ask that the
//   visit came within the 72 hours); completed treatment when the outcome is cured or completed
//   (完成治疗: WHO 2013's treatment success; died, failed and lost did not complete [unc]), on the
//   outcome's day; regular when Adherence() over the whole course is regular. A course is one
//   patient: a second course of the same person counts again [unc].
//
// Errors: PlanTbCourse() returns every problem as a FieldError, never throwing: a start more than
// a year before or 30 days after the notice, a visit before the start or after as_of
// ("visits[i].date"), negative doses, an outcome date before the start or after as_of. The start
// may precede the notice: the designated hospital often starts treatment before the 基层 doctor
// is told (our policy for the bounds).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::disease {

inline constexpr std::string_view kTbRules =
    "国家基本公共卫生服务规范（第三版）肺结核患者健康管理服务规范";

enum class TbRegimen { kNew6m, kRetreatment8m, kDrugResistant };
enum class TbPhase { kIntensive, kContinuation, kEnded };
enum class TbOutcome { kCured, kCompleted, kFailed, kDied, kLost };
enum class SputumResult { kNone, kNegative, kPositive };
enum class TbVisitKind { kFirstHomeVisit, kFollowUp, kClosingEvaluation };
enum class TbDueStatus { kDone, kUpcoming, kDue, kOverdue };

struct TbRegimenSpec {
  TbRegimen regimen;
  std::string_view code;  // "new_6m", "retreatment_8m", "drug_resistant"
  int intensive_months;
  int continuation_months;
  bool confirmed;
  std::string_view label_zh;
  std::string_view label_en;
  std::string_view cite;
};

struct TbVisit {
  Date date;
  int doses_taken = 0;
  int doses_missed = 0;
  SputumResult sputum = SputumResult::kNone;
};

struct TbCourseInput {
  TbRegimen regimen = TbRegimen::kNew6m;
  Date notified_on;
  Date started_on;
  std::vector<TbVisit> visits;  // any order
  std::optional<TbOutcome> outcome;
  std::optional<Date> outcome_on;
  Date as_of;
};

// One visit of the schedule: the first home visit, the next follow-up, or the closing
// evaluation. window_end is the last day on time.
struct TbDueVisit {
  TbVisitKind kind = TbVisitKind::kFollowUp;
  TbPhase phase = TbPhase::kIntensive;
  Date due;
  Date window_end;
  TbDueStatus status = TbDueStatus::kUpcoming;
  std::optional<Date> done_on;
};

struct TbAdherence {
  int taken = 0;
  int prescribed = 0;
  std::optional<double> ratio;  // none while nothing was prescribed
  bool regular = false;         // ratio >= 0.9
};

struct TbCoursePlan {
  const TbRegimenSpec* regimen = nullptr;
  TbPhase phase = TbPhase::kIntensive;  // on as_of
  Date intensive_end;                   // first day of the continuation phase
  Date planned_end;                     // first day after the planned course
  // The first home visit (done or not), then, while the course is open, the next follow-up and
  // the closing evaluation.
  std::vector<TbDueVisit> schedule;
  bool overdue = false;  // some visit of the schedule is overdue on as_of
  TbAdherence adherence;
  int visits = 0;  // recorded visits
};

// The status on `as_of` of a visit due on `due` and on time through `window_end`, not done:
// upcoming before due, due through window_end, overdue after.
TbDueStatus DueStatusOn(Date due, Date window_end, Date as_of);

std::span<const TbRegimenSpec> TbRegimens();
const TbRegimenSpec& RegimenSpec(TbRegimen r);

Result<TbCoursePlan> PlanTbCourse(const TbCourseInput& in);

// Adherence of the visits (see above).
TbAdherence Adherence(std::span<const TbVisit> visits);

// What one course adds to the TB indicators (see the file comment). Reads regimen-independent
// facts only: the notice, the visits and the outcome; `as_of` is not used.
struct TbCourseCount {
  Date notified_on{};
  bool managed = false;
  std::optional<Date> completed_on;  // cured or completed, on the outcome's day
  bool regular = false;              // ≥ 90% of the prescribed doses taken over the course
};
TbCourseCount CountTbCourse(const TbCourseInput& course);

// The problems of recording `outcome` on `on` for the course (field "outcome" or "outcome_on");
// empty when it may be recorded.
std::vector<FieldError> CheckTbOutcome(const TbCourseInput& course, TbOutcome outcome, Date on);

std::string_view TbRegimenCode(TbRegimen r);
std::optional<TbRegimen> ParseTbRegimen(std::string_view code);
std::string_view TbPhaseCode(TbPhase p);  // "intensive", "continuation", "ended"
std::string_view TbOutcomeCode(TbOutcome o);
std::optional<TbOutcome> ParseTbOutcome(std::string_view code);
std::string_view SputumCode(SputumResult s);  // "none", "negative", "positive"
std::optional<SputumResult> ParseSputum(std::string_view code);
std::string_view TbVisitKindCode(TbVisitKind k);  // "first_home_visit", "follow_up", "closing"
std::string_view TbDueStatusCode(TbDueStatus s);  // "done", "upcoming", "due", "overdue"

}  // namespace jd::disease
