#include "disease/tb_course.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace jd::disease {

namespace {

// The regimens and their phases (months). The 规范 names the phases; the lengths are the national
// TB guidelines' standard courses.
constexpr std::array<TbRegimenSpec, 3> kRegimens{{
    {TbRegimen::kNew6m, "new_6m", 2, 4, true, "初治 6 个月方案（2HRZE/4HR）",
     "new case, 6 months (2HRZE/4HR)",
     "规范 第三版 肺结核患者健康管理 二(二); 中国结核病预防控制工作技术规范（2020年版）初治方案"},
    {TbRegimen::kRetreatment8m, "retreatment_8m", 3, 5, false, "复治 8 个月方案",
     "retreatment, 8 months",
     "[unc] 中国结核病预防控制工作技术规范（2020年版）复治方案: 3 个月强化期 + 5 个月继续期"},
    {TbRegimen::kDrugResistant, "drug_resistant", 6, 14, false, "耐药方案（长程）",
     "drug-resistant, long regimen",
     "[unc] 耐药结核病长程方案 18–24 个月; 6 个月注射期 + 14 个月非注射期"},
}};

// 规范 第三版 TB 二(三) 督导服药和随访管理 [unc: intervals]: every 10 days in the intensive
// (injection) phase, every month in the continuation phase; the windows are our policy.
constexpr int kIntensiveIntervalDays = 10;
constexpr int kIntensiveGraceDays = 3;
constexpr int kContinuationGraceDays = 7;
// 规范 第三版 TB 二(二) 第一次入户随访: within 72 hours of the notice.
constexpr int kFirstVisitDays = 3;
// 规范 第三版 TB 二(四) 结案评估: at the end of treatment; the window is our policy.
constexpr int kClosingGraceDays = 14;
// 规范 第三版 TB 四 规则服药: at least 90% of the prescribed doses [unc].
constexpr double kRegularRatio = 0.9;

TbPhase PhaseOn(Date d, Date intensive_end, Date planned_end) {
  if (d < intensive_end) return TbPhase::kIntensive;
  if (d < planned_end) return TbPhase::kContinuation;
  return TbPhase::kEnded;
}

}  // namespace

TbDueStatus DueStatusOn(Date due, Date window_end, Date as_of) {
  if (as_of < due) return TbDueStatus::kUpcoming;
  if (as_of <= window_end) return TbDueStatus::kDue;
  return TbDueStatus::kOverdue;
}

std::span<const TbRegimenSpec> TbRegimens() { return kRegimens; }

const TbRegimenSpec& RegimenSpec(TbRegimen r) { return kRegimens[static_cast<std::size_t>(r)]; }

TbAdherence Adherence(std::span<const TbVisit> visits) {
  TbAdherence a;
  for (const TbVisit& v : visits) {
    a.taken += v.doses_taken;
    a.prescribed += v.doses_taken + v.doses_missed;
  }
  if (a.prescribed > 0) {
    a.ratio = static_cast<double>(a.taken) / a.prescribed;
    a.regular = *a.ratio >= kRegularRatio;
  }
  return a;
}

Result<TbCoursePlan> PlanTbCourse(const TbCourseInput& in) {
  FieldErrors errors;
  if (in.started_on < AddYears(in.notified_on, -1) || AddDays(in.notified_on, 30) < in.started_on) {
    errors.Add("started_on", "out_of_range", "治疗开始日期应在通知日期前一年至通知后 30 天之间",
               "the start must lie from a year before to 30 days after the notice");
  }
  if (in.as_of < in.notified_on) {
    errors.Add("notified_on", "in_future", "通知日期晚于今天", "the notice is in the future");
  }
  for (std::size_t i = 0; i < in.visits.size(); ++i) {
    const TbVisit& v = in.visits[i];
    const std::string field = fmt::format("visits[{}]", i);
    if (v.date < in.started_on) {
      errors.Add(field + ".date", "before_start", "随访日期早于治疗开始日期",
                 "the visit is before the start of treatment");
    } else if (in.as_of < v.date) {
      errors.Add(field + ".date", "in_future", "随访日期晚于今天", "the visit is in the future");
    }
    if (v.doses_taken < 0 || v.doses_missed < 0) {
      errors.Add(field + ".doses", "negative", "服药次数不能为负数", "doses cannot be negative");
    }
  }
  if (in.outcome_on) {
    if (*in.outcome_on < in.started_on) {
      errors.Add("outcome_on", "before_start", "转归日期早于治疗开始日期",
                 "the outcome is before the start of treatment");
    } else if (in.as_of < *in.outcome_on) {
      errors.Add("outcome_on", "in_future", "转归日期晚于今天", "the outcome is in the future");
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  TbCoursePlan plan;
  plan.regimen = &RegimenSpec(in.regimen);
  plan.intensive_end = AddMonths(in.started_on, plan.regimen->intensive_months);
  plan.planned_end =
      AddMonths(in.started_on, plan.regimen->intensive_months + plan.regimen->continuation_months);
  plan.adherence = Adherence(in.visits);
  plan.visits = static_cast<int>(in.visits.size());
  std::optional<Date> first, last;
  for (const TbVisit& v : in.visits) {
    if (!first || v.date < *first) first = v.date;
    if (!last || *last < v.date) last = v.date;
  }
  const bool closed = in.outcome.has_value();
  plan.phase = closed ? TbPhase::kEnded : PhaseOn(in.as_of, plan.intensive_end, plan.planned_end);

  TbDueVisit home;
  home.kind = TbVisitKind::kFirstHomeVisit;
  home.phase = PhaseOn(in.notified_on, plan.intensive_end, plan.planned_end);
  home.due = in.notified_on;
  home.window_end = AddDays(in.notified_on, kFirstVisitDays);
  home.done_on = first;
  home.status = first ? TbDueStatus::kDone : DueStatusOn(home.due, home.window_end, in.as_of);
  // A course closed without a visit owes none.
  if (!(closed && !first)) plan.schedule.push_back(home);

  if (!closed && last) {
    // The next visit: one interval of the latest visit's phase after it.
    TbDueVisit next;
    next.kind = TbVisitKind::kFollowUp;
    if (*last < plan.intensive_end) {
      next.due = AddDays(*last, kIntensiveIntervalDays);
      next.window_end = AddDays(next.due, kIntensiveGraceDays);
    } else {
      next.due = AddMonths(*last, 1);
      next.window_end = AddDays(next.due, kContinuationGraceDays);
    }
    next.phase = PhaseOn(next.due, plan.intensive_end, plan.planned_end);
    next.status = DueStatusOn(next.due, next.window_end, in.as_of);
    if (next.due < plan.planned_end) plan.schedule.push_back(next);
  }
  TbDueVisit closing;
  closing.kind = TbVisitKind::kClosingEvaluation;
  closing.phase = TbPhase::kEnded;
  closing.due = plan.planned_end;
  closing.window_end = AddDays(plan.planned_end, kClosingGraceDays);
  if (closed) {
    closing.status = TbDueStatus::kDone;
    closing.done_on = in.outcome_on;
  } else {
    closing.status = DueStatusOn(closing.due, closing.window_end, in.as_of);
  }
  plan.schedule.push_back(closing);
  plan.overdue = std::any_of(plan.schedule.begin(), plan.schedule.end(),
                             [](const TbDueVisit& v) { return v.status == TbDueStatus::kOverdue; });
  return plan;
}

TbCourseCount CountTbCourse(const TbCourseInput& in) {
  TbCourseCount out;
  out.notified_on = in.notified_on;
  // 规范 第三版 TB 二(二) 第一次入户随访: the 基层 takes the patient on with the first visit.
  out.managed = !in.visits.empty();
  // 规范 第三版 TB 四 "已完成治疗": cured (治愈) or completed (完成疗程) [unc].
  if (in.outcome_on && (in.outcome == TbOutcome::kCured || in.outcome == TbOutcome::kCompleted)) {
    out.completed_on = in.outcome_on;
  }
  // 规范 第三版 TB 四 "规则服药": ≥ 90% of the prescribed doses over the whole course.
  out.regular = Adherence(in.visits).regular;
  return out;
}

std::vector<FieldError> CheckTbOutcome(const TbCourseInput& course, TbOutcome outcome, Date on) {
  FieldErrors errors;
  if (on < course.started_on) {
    errors.Add("outcome_on", "before_start", "转归日期早于治疗开始日期",
               "the outcome is before the start of treatment");
  } else if (course.as_of < on) {
    errors.Add("outcome_on", "in_future", "转归日期晚于今天", "the outcome is in the future");
  }
  if (!errors.empty()) return errors.errors();
  const TbRegimenSpec& spec = RegimenSpec(course.regimen);
  const Date planned_end =
      AddMonths(course.started_on, spec.intensive_months + spec.continuation_months);
  const Date last_day = AddDays(planned_end, -1);
  auto sputum_between = [&](SputumResult want, Date from) {
    return std::any_of(course.visits.begin(), course.visits.end(), [&](const TbVisit& v) {
      return v.sputum == want && !(v.date < from) && !(on < v.date);
    });
  };
  switch (outcome) {
    case TbOutcome::kCured:
    case TbOutcome::kCompleted:
      if (on < last_day) {
        errors.Add("outcome_on", "before_planned_end",
                   "疗程未满（计划疗程至 " + FormatDate(last_day) + "）",
                   "the planned course runs to " + FormatDate(last_day));
      } else if (outcome == TbOutcome::kCured &&
                 !sputum_between(SputumResult::kNegative, AddMonths(last_day, -1))) {
        // WHO 2013 "cured": bacteriologically confirmed at the start, smear or culture negative
        // in the last month of treatment [unc: adopted by the national guidelines].
        errors.Add("outcome", "no_negative_sputum", "治愈需疗程最后一个月痰检阴性",
                   "cured needs a negative sputum result in the last month of treatment");
      }
      break;
    case TbOutcome::kFailed:
      // WHO 2013 "treatment failed": positive at month 5 or later [unc].
      if (!sputum_between(SputumResult::kPositive, AddMonths(course.started_on, 5))) {
        errors.Add("outcome", "no_positive_sputum", "治疗失败需治疗第 5 个月或以后痰检阳性",
                   "failed needs a positive sputum result at month 5 of treatment or later");
      }
      break;
    case TbOutcome::kLost: {
      // WHO 2013 "lost to follow-up": treatment interrupted for 2 consecutive months or more.
      Date last = course.started_on;
      for (const TbVisit& v : course.visits) {
        if (last < v.date && !(on < v.date)) last = v.date;
      }
      if (AddMonths(on, -2) < last) {
        errors.Add("outcome", "not_lost", "末次随访不足 2 个月，不能判定为失访",
                   "lost needs 2 months without a visit");
      }
      break;
    }
    case TbOutcome::kDied:
      break;
  }
  return errors.errors();
}

std::string_view TbRegimenCode(TbRegimen r) { return RegimenSpec(r).code; }

std::optional<TbRegimen> ParseTbRegimen(std::string_view code) {
  for (const auto& s : kRegimens) {
    if (s.code == code) return s.regimen;
  }
  return std::nullopt;
}

std::string_view TbPhaseCode(TbPhase p) {
  static constexpr std::array<std::string_view, 3> kCodes{"intensive", "continuation", "ended"};
  return kCodes[static_cast<std::size_t>(p)];
}

namespace {
constexpr std::array<std::string_view, 5> kOutcomeCodes{"cured", "completed", "failed", "died",
                                                        "lost"};
constexpr std::array<std::string_view, 3> kSputumCodes{"none", "negative", "positive"};
}  // namespace

std::string_view TbOutcomeCode(TbOutcome o) { return kOutcomeCodes[static_cast<std::size_t>(o)]; }

std::optional<TbOutcome> ParseTbOutcome(std::string_view code) {
  for (std::size_t i = 0; i < kOutcomeCodes.size(); ++i) {
    if (kOutcomeCodes[i] == code) return static_cast<TbOutcome>(i);
  }
  return std::nullopt;
}

std::string_view SputumCode(SputumResult s) { return kSputumCodes[static_cast<std::size_t>(s)]; }

std::optional<SputumResult> ParseSputum(std::string_view code) {
  for (std::size_t i = 0; i < kSputumCodes.size(); ++i) {
    if (kSputumCodes[i] == code) return static_cast<SputumResult>(i);
  }
  return std::nullopt;
}

std::string_view TbVisitKindCode(TbVisitKind k) {
  static constexpr std::array<std::string_view, 3> kCodes{"first_home_visit", "follow_up",
                                                          "closing"};
  return kCodes[static_cast<std::size_t>(k)];
}

std::string_view TbDueStatusCode(TbDueStatus s) {
  static constexpr std::array<std::string_view, 4> kCodes{"done", "upcoming", "due", "overdue"};
  return kCodes[static_cast<std::size_t>(s)];
}

}  // namespace jd::disease
