#include "child/screening.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/input.h"
#include "core/json_array.h"

namespace jd::child {

namespace {

using K = ScreeningKind;
using S = ScreeningStatus;

struct KindSpec {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};
constexpr std::array<KindSpec, kScreeningKindCount> kKinds{{
    {"pku", "苯丙酮尿症筛查", "phenylketonuria (blood spot)"},
    {"ch", "先天性甲状腺功能减低症筛查", "congenital hypothyroidism (blood spot)"},
    {"hearing_initial", "听力初筛", "hearing screen"},
    {"hearing_rescreen", "听力复筛", "hearing re-screen"},
    {"hearing_diagnosis", "听力诊断", "hearing diagnosis"},
}};
constexpr std::array<std::string_view, 5> kResults{"normal", "positive", "pass", "refer",
                                                   "hearing_loss"};
constexpr std::array<std::string_view, 7> kStatuses{"done", "recall",  "not_needed", "upcoming",
                                                    "due",  "overdue", "missed"};

// 新生儿遗传代谢病筛查血片采集技术规范: after 72 hours, within 7 days; delayed at the latest by
// day 20.
constexpr int kBloodOpenDay = 3;
constexpr int kBloodOnTimeDay = 7;
constexpr int kBloodLastDay = 20;
// 新生儿听力筛查技术规范: 初筛 from 48 hours to discharge; 复筛 within 42 days; diagnosis within 3
// months. Policy: the 初筛 on time through day 7 when no discharge is known; the 复筛 overdue until
// 3 months, the diagnosis until 6 months (unconfirmed).
constexpr int kHearingOpenDay = 2;
constexpr int kHearingNoDischargeDay = 7;
constexpr int kRescreenLastDay = 42;
constexpr int kDiagnosisMonths = 3;
constexpr int kDiagnosisOverdueMonths = 6;

bool IsBloodSpot(K k) { return k == K::kPku || k == K::kCh; }

// The latest and the first result of each kind (by date, then input order) and the latest
// diagnosis given.
struct Latest {
  std::array<std::optional<std::size_t>, kScreeningKindCount> index{};
  std::array<std::optional<std::size_t>, kScreeningKindCount> first{};
  std::array<std::optional<ScreenDiagnosis>, kScreeningKindCount> diagnosis{};
};

Latest FindLatest(const std::vector<ScreeningRecord>& records) {
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return records[a].date < records[b].date; });
  Latest l;
  for (std::size_t i : order) {
    const auto k = static_cast<std::size_t>(records[i].kind);
    if (!l.first[k]) l.first[k] = i;
    l.index[k] = i;
    if (records[i].diagnosis) l.diagnosis[k] = records[i].diagnosis;
  }
  return l;
}

ScreeningItem Window(K kind, Date start, Date end, Date missed_from) {
  ScreeningItem item;
  item.kind = kind;
  item.window_start = start;
  item.window_end = std::max(start, end);
  item.missed_from = std::max(missed_from, AddDays(item.window_end, 1));
  return item;
}

S ByCalendar(const ScreeningItem& e, const Date& as_of) {
  if (as_of < e.window_start) return S::kUpcoming;
  if (as_of <= e.window_end) return S::kDue;
  if (as_of < e.missed_from) return S::kOverdue;
  return S::kMissed;
}

}  // namespace

void CheckScreeningRecord(const ScreeningRecord& r, const Date& birth, const Date& latest,
                          const std::string& prefix, FieldErrors& errors) {
  const std::string date = prefix + "date";
  if (r.date < birth) {
    errors.Add(date, "before_birth", "筛查日期早于出生日期", date + " is before the birth date");
  } else if (latest < r.date) {
    errors.Add(date, "in_future", "筛查日期晚于今天", date + " is in the future");
  }
  if (!ResultFitsKind(r.kind, r.result)) {
    const std::string field = prefix + "result";
    errors.Add(
        field, "not_for_kind",
        fmt::format("{}的结果不能为 {}", ScreeningKindLabelZh(r.kind), ScreenResultCode(r.result)),
        fmt::format("{} is not a result of {}", ScreenResultCode(r.result),
                    ScreeningKindCode(r.kind)));
  }
  if (r.diagnosis && !(IsBloodSpot(r.kind) && r.result == ScreenResult::kPositive)) {
    const std::string field = prefix + "diagnosis";
    errors.Add(field, "not_applicable", "仅血片筛查阳性者登记确诊结果",
               "a diagnosis is recorded only for a positive blood spot");
  }
}

Result<ScreeningPlan> PlanScreening(const ScreeningInput& in) {
  FieldErrors errors;
  if (in.as_of < in.birth) {
    errors.Add("as_of", "before_birth", "as_of 早于出生日期", "as_of is before the birth date");
  }
  for (std::size_t i = 0; i < in.records.size(); ++i) {
    CheckScreeningRecord(in.records[i], in.birth, std::max(in.as_of, in.birth),
                         fmt::format("results[{}].", i), errors);
  }
  if (!errors.empty()) return errors.ToStatus();

  const Date b = in.birth;
  const Latest l = FindLatest(in.records);
  auto latest = [&](K k) -> const ScreeningRecord* {
    auto i = l.index[static_cast<std::size_t>(k)];
    return i ? &in.records[*i] : nullptr;
  };
  const ScreeningRecord* initial = latest(K::kHearingInitial);
  const ScreeningRecord* rescreen = latest(K::kHearingRescreen);
  const ScreeningRecord* diagnosis = latest(K::kHearingDiagnosis);

  ScreeningPlan plan;
  for (K k : {K::kPku, K::kCh}) {
    plan.items.push_back(Window(k, AddDays(b, kBloodOpenDay), AddDays(b, kBloodOnTimeDay),
                                AddDays(b, kBloodLastDay + 1)));
  }
  // The 初筛 until discharge, never before 48 hours; a missed one is made up by day 42.
  const Date initial_end = std::max(AddDays(b, kHearingOpenDay),
                                    in.discharge.value_or(AddDays(b, kHearingNoDischargeDay)));
  plan.items.push_back(Window(K::kHearingInitial, AddDays(b, kHearingOpenDay), initial_end,
                              AddDays(b, kRescreenLastDay + 1)));
  const bool initial_missed = !initial && initial_end < in.as_of;
  // A refer opens the next step on its own day; a missed 初筛 the day after its window.
  const Date rescreen_from =
      initial && initial->result == ScreenResult::kRefer ? initial->date : AddDays(initial_end, 1);
  plan.items.push_back(Window(K::kHearingRescreen, rescreen_from, AddDays(b, kRescreenLastDay),
                              AddMonths(b, kDiagnosisMonths)));
  const Date diagnosis_from = rescreen && rescreen->result == ScreenResult::kRefer
                                  ? rescreen->date
                                  : AddDays(plan.items.back().window_end, 1);
  plan.items.push_back(Window(K::kHearingDiagnosis, diagnosis_from,
                              AddDays(AddMonths(b, kDiagnosisMonths), -1),
                              AddMonths(b, kDiagnosisOverdueMonths)));

  for (ScreeningItem& e : plan.items) {
    const auto k = static_cast<std::size_t>(e.kind);
    e.record_index = l.index[k];
    e.diagnosis = l.diagnosis[k];
    if (l.first[k]) {
      const Date first = in.records[*l.first[k]].date;
      e.timing = first < e.window_start ? Timing::kEarly
                 : e.window_end < first ? Timing::kLate
                                        : Timing::kOnTime;
    }
    const ScreeningRecord* r = latest(e.kind);
    if (r) {
      bool follow_up_missing = false;
      if (IsBloodSpot(e.kind)) {
        follow_up_missing = r->result == ScreenResult::kPositive && !e.diagnosis;
      } else if (e.kind == K::kHearingInitial) {
        follow_up_missing = r->result == ScreenResult::kRefer && !rescreen;
      } else if (e.kind == K::kHearingRescreen) {
        follow_up_missing = r->result == ScreenResult::kRefer && !diagnosis;
      }
      e.status = follow_up_missing ? S::kRecall : S::kDone;
      continue;
    }
    if (e.kind == K::kHearingRescreen) {
      const bool needed = (initial && initial->result == ScreenResult::kRefer) || initial_missed;
      if (initial && !needed) {
        e.status = S::kNotNeeded;
      } else {
        e.status = needed ? ByCalendar(e, in.as_of) : S::kUpcoming;
      }
    } else if (e.kind == K::kHearingDiagnosis) {
      const bool needed = rescreen && rescreen->result == ScreenResult::kRefer;
      const bool passed = rescreen ? rescreen->result == ScreenResult::kPass
                                   : initial && initial->result == ScreenResult::kPass;
      e.status = needed ? ByCalendar(e, in.as_of) : passed ? S::kNotNeeded : S::kUpcoming;
    } else {
      e.status = ByCalendar(e, in.as_of);
    }
  }
  return plan;
}

std::string_view ScreeningKindCode(ScreeningKind k) {
  return kKinds[static_cast<std::size_t>(k)].code;
}
std::string_view ScreeningKindLabelZh(ScreeningKind k) {
  return kKinds[static_cast<std::size_t>(k)].zh;
}
std::string_view ScreeningKindLabelEn(ScreeningKind k) {
  return kKinds[static_cast<std::size_t>(k)].en;
}

std::optional<ScreeningKind> ScreeningKindFromCode(std::string_view code) {
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i].code == code) return static_cast<ScreeningKind>(i);
  }
  return std::nullopt;
}

std::string_view ScreenResultCode(ScreenResult r) { return kResults[static_cast<std::size_t>(r)]; }

std::optional<ScreenResult> ScreenResultFromCode(std::string_view code) {
  for (std::size_t i = 0; i < kResults.size(); ++i) {
    if (kResults[i] == code) return static_cast<ScreenResult>(i);
  }
  return std::nullopt;
}

std::string_view ScreenDiagnosisCode(ScreenDiagnosis d) {
  return d == ScreenDiagnosis::kConfirmed ? "confirmed" : "excluded";
}

std::optional<ScreenDiagnosis> ScreenDiagnosisFromCode(std::string_view code) {
  if (code == "confirmed") return ScreenDiagnosis::kConfirmed;
  if (code == "excluded") return ScreenDiagnosis::kExcluded;
  return std::nullopt;
}

std::string_view ScreeningStatusCode(ScreeningStatus s) {
  return kStatuses[static_cast<std::size_t>(s)];
}

bool ResultFitsKind(ScreeningKind k, ScreenResult r) {
  using R = ScreenResult;
  switch (k) {
    case K::kPku:
    case K::kCh:
      return r == R::kNormal || r == R::kPositive;
    case K::kHearingInitial:
    case K::kHearingRescreen:
      return r == R::kPass || r == R::kRefer;
    case K::kHearingDiagnosis:
      return r == R::kNormal || r == R::kHearingLoss;
  }
  return false;
}

std::optional<ScreeningRecord> ScreeningRecordFromJson(const nlohmann::json& j,
                                                       const std::string& at, const Date& today,
                                                       FieldErrors& errors) {
  FieldErrors own;
  ScreeningRecord r;
  auto code = [&](const char* key, const char* label_zh) {
    std::string value = TextMember(j, key, FieldKind::kCode, own, label_zh);
    if (value.empty() && !own.Has(key)) {
      own.Add(key, "required", fmt::format("{}必填", label_zh), fmt::format("{} is required", key));
    }
    return value;
  };
  const std::string kind = code("kind", "筛查项目");
  if (!kind.empty()) {
    if (auto k = ScreeningKindFromCode(kind)) {
      r.kind = *k;
    } else {
      own.Add("kind", "unknown_kind", "未知的筛查项目",
              "kind must be one of pku, ch, hearing_initial, hearing_rescreen, hearing_diagnosis");
    }
  }
  if (auto d = DateMember(j, "date", DateKind::kPastEvent, today, Presence::kRequired, own)) {
    r.date = *d;
  }
  const std::string result = code("result", "筛查结果");
  if (!result.empty()) {
    if (auto v = ScreenResultFromCode(result)) {
      r.result = *v;
    } else {
      own.Add("result", "invalid_value",
              "筛查结果应为 normal、positive、pass、refer 或 hearing_loss",
              "result must be one of normal, positive, pass, refer, hearing_loss");
    }
  }
  if (auto d = OptionalTextMember(j, "diagnosis", FieldKind::kCode, own); d && !d->empty()) {
    r.diagnosis = ScreenDiagnosisFromCode(*d);
    if (!r.diagnosis) {
      own.Add("diagnosis", "invalid_value", "确诊结果应为 confirmed 或 excluded",
              "diagnosis must be confirmed or excluded");
    }
  }
  if (own.empty()) return r;
  for (FieldError e : own.errors()) {
    e.field = at + e.field;
    errors.Add(std::move(e));
  }
  return std::nullopt;
}

Result<ScreeningInput> ScreeningInputFromJson(const nlohmann::json& body, const Date& today) {
  FieldErrors errors;
  const ChildDates dates = ChildDatesFromJson(body, today, errors);
  if (!body.is_object()) return errors.ToStatus();
  ScreeningInput in;
  in.discharge = dates.discharge;
  ForEachObject(body, "results", 100, errors, [&](const nlohmann::json& c, const std::string& at) {
    if (auto r = ScreeningRecordFromJson(c, at + ".", today, errors)) in.records.push_back(*r);
  });
  if (!errors.empty()) return errors.ToStatus();
  in.birth = *dates.birth;
  in.as_of = *dates.as_of;
  return in;
}

nlohmann::json ScreeningPlanToJson(const ScreeningInput& in, const ScreeningPlan& plan) {
  using nlohmann::json;
  json items = json::array();
  json summary = {{"done", 0}, {"recall", 0}, {"due", 0}, {"overdue", 0}, {"missed", 0}};
  for (const ScreeningItem& e : plan.items) {
    const ScreeningRecord* r = e.record_index ? &in.records[*e.record_index] : nullptr;
    items.push_back({
        {"code", ScreeningKindCode(e.kind)},
        {"label_zh", ScreeningKindLabelZh(e.kind)},
        {"label_en", ScreeningKindLabelEn(e.kind)},
        {"status", ScreeningStatusCode(e.status)},
        {"window_start", FormatDate(e.window_start)},
        {"window_end", FormatDate(e.window_end)},
        {"missed_from", FormatDate(e.missed_from)},
        {"date", r ? json(FormatDate(r->date)) : json(nullptr)},
        {"result", r ? json(ScreenResultCode(r->result)) : json(nullptr)},
        {"timing", e.timing ? json(TimingCode(*e.timing)) : json(nullptr)},
        {"diagnosis", e.diagnosis ? json(ScreenDiagnosisCode(*e.diagnosis)) : json(nullptr)},
    });
    const std::string status(ScreeningStatusCode(e.status));
    if (summary.contains(status)) summary[status] = summary[status].get<int>() + 1;
  }
  return {{"items", std::move(items)}, {"summary", std::move(summary)}};
}

}  // namespace jd::child
