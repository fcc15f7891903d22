#include "maternal/referral.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace jd::maternal {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

constexpr hours kShanghaiOffset{8};

template <class E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& codes,
                       std::string_view code) {
  for (const auto& [value, text] : codes) {
    if (text == code) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view Code(const std::array<std::pair<E, std::string_view>, N>& codes, E value) {
  for (const auto& [v, text] : codes) {
    if (v == value) return text;
  }
  return {};
}

constexpr std::array<std::pair<ReferralKind, std::string_view>, 2> kKinds{
    {{ReferralKind::kHighRisk, "high_risk"}, {ReferralKind::kGreenChannel, "green_channel"}}};
constexpr std::array<std::pair<ReferralSubject, std::string_view>, 2> kSubjects{
    {{ReferralSubject::kMother, "mother"}, {ReferralSubject::kNewborn, "newborn"}}};
constexpr std::array<std::pair<ReferralOutcome, std::string_view>, 5> kOutcomes{
    {{ReferralOutcome::kManaged, "managed"},
     {ReferralOutcome::kReturned, "returned"},
     {ReferralOutcome::kDeclined, "declined"},
     {ReferralOutcome::kLost, "lost"},
     {ReferralOutcome::kDied, "died"}}};
constexpr std::array<std::pair<Continuation, std::string_view>, 2> kContinuations{
    {{Continuation::kContinue, "continue"},
     {Continuation::kTerminationAdvised, "termination_advised"}}};
constexpr std::array<std::pair<ReferralStage, std::string_view>, 4> kStages{
    {{ReferralStage::kCalled, "called"},
     {ReferralStage::kInTransfer, "in_transfer"},
     {ReferralStage::kAdmitted, "admitted"},
     {ReferralStage::kClosed, "closed"}}};

int MinutesBetween(Instant from, Instant to) {
  return static_cast<int>(std::chrono::floor<minutes>(to - from).count());
}

bool NeedsAdmission(ReferralOutcome o) {
  return o == ReferralOutcome::kManaged || o == ReferralOutcome::kReturned;
}

// The ordering and "not in the future" checks of the three times.
void CheckTimes(const Referral& r, Date earliest, Instant now, FieldErrors& errors) {
  const Instant latest = now + kClockSkew;
  auto future = [&](const std::optional<Instant>& t, const char* field, const char* zh) {
    if (t && *t > latest) {
      errors.Add(field, "in_future", std::string(zh) + "不能晚于当前时间",
                 std::string(field) + " is in the future");
    }
  };
  future(r.called_at, "called_at", "呼叫转诊时间");
  future(r.transferred_at, "transferred_at", "转运出发时间");
  future(r.admitted_at, "admitted_at", "入院时间");
  if (LocalDay(r.called_at) < earliest && !errors.Has("called_at")) {
    errors.Add("called_at", r.subject == ReferralSubject::kNewborn ? "before_birth" : "too_early",
               r.subject == ReferralSubject::kNewborn ? "呼叫转诊时间不能早于出生日期"
                                                      : "呼叫转诊时间不能早于孕产期保健登记日期",
               r.subject == ReferralSubject::kNewborn
                   ? "called_at is before the birth"
                   : "called_at is before the pregnancy was registered");
  }
  if (r.transferred_at && *r.transferred_at < r.called_at && !errors.Has("transferred_at")) {
    errors.Add("transferred_at", "before_called", "转运出发时间不能早于呼叫转诊时间",
               "transferred_at is before called_at");
  }
  if (r.admitted_at && !errors.Has("admitted_at")) {
    const Instant after = r.transferred_at ? *r.transferred_at : r.called_at;
    if (*r.admitted_at < after) {
      errors.Add("admitted_at", r.transferred_at ? "before_transferred" : "before_called",
                 r.transferred_at ? "入院时间不能早于转运出发时间" : "入院时间不能早于呼叫转诊时间",
                 r.transferred_at ? "admitted_at is before transferred_at"
                                  : "admitted_at is before called_at");
    }
  }
}

void CheckDay(const std::optional<Date>& d, const Referral& r, Date today, const char* field,
              const char* zh, FieldErrors& errors) {
  if (!d) return;
  if (today < *d) {
    errors.Add(field, "in_future", std::string(zh) + "不能晚于今天",
               std::string(field) + " is in the future");
  } else if (*d < LocalDay(r.called_at)) {
    errors.Add(field, "before_called", std::string(zh) + "不能早于呼叫转诊日期",
               std::string(field) + " is before the day of the call");
  }
}

}  // namespace

ReferralStage StageOf(const Referral& r) {
  if (r.outcome) return ReferralStage::kClosed;
  if (r.admitted_at) return ReferralStage::kAdmitted;
  if (r.transferred_at) return ReferralStage::kInTransfer;
  return ReferralStage::kCalled;
}

ReferralTimes ElapsedTimes(const Referral& r, Instant now) {
  ReferralTimes t;
  if (r.transferred_at) t.call_to_transfer_min = MinutesBetween(r.called_at, *r.transferred_at);
  if (r.transferred_at && r.admitted_at) {
    t.transfer_to_admission_min = MinutesBetween(*r.transferred_at, *r.admitted_at);
  }
  if (r.admitted_at) t.call_to_admission_min = MinutesBetween(r.called_at, *r.admitted_at);
  if (r.admitted_at) {
    t.open_minutes = *t.call_to_admission_min;
  } else if (!r.outcome) {
    t.open_minutes = std::max(0, MinutesBetween(r.called_at, now));
  }
  return t;
}

bool ContinuationPending(const Referral& r) {
  return r.subject == ReferralSubject::kMother && r.risk_colour == "red" && !r.continuation &&
         !(r.outcome && !NeedsAdmission(*r.outcome));
}

FieldErrors CheckNewReferral(const Referral& r, Date earliest, bool referral_required,
                             Instant now) {
  FieldErrors errors;
  if (r.kind == ReferralKind::kHighRisk && r.subject == ReferralSubject::kNewborn) {
    errors.Add("kind", "mother_only", "高危转诊只用于孕产妇，危重新生儿请走绿色通道",
               "a high-risk referral is for a mother; use the green channel for a newborn");
  } else if (r.kind == ReferralKind::kHighRisk && !referral_required) {
    errors.Add("kind", "not_high_risk",
               "该孕妇当前风险颜色无需转诊（橙色、红色须转诊）；危重情况请走绿色通道",
               "her colour does not require a referral (orange, red); use the green channel for a "
               "critical case");
  }
  if (r.to_facility.empty()) {
    errors.Add("to_facility", "required", "接收医院为必填项", "to_facility is required");
  }
  if (r.kind == ReferralKind::kGreenChannel && r.reason.empty()) {
    errors.Add("reason", "required", "绿色通道须填写危重情况",
               "a green-channel referral needs a reason");
  }
  CheckTimes(r, earliest, now, errors);
  return errors;
}

Result<Referral> ApplyReferralChange(const Referral& r, const ReferralChange& change, Date earliest,
                                     Instant now) {
  if (r.outcome) {
    return Status::FailedPrecondition("the referral is closed", "该转诊已结案，不能再修改")
        .WithFieldErrors({{"referral", "referral_closed", "该转诊已结案，不能再修改",
                           "the referral is closed"}});
  }
  const Date today = LocalDay(now);
  Referral out = r;
  if (change.called_at) out.called_at = *change.called_at;
  if (change.transferred_at) out.transferred_at = change.transferred_at;
  if (change.admitted_at) out.admitted_at = change.admitted_at;
  if (change.outcome_note) out.outcome_note = *change.outcome_note;
  FieldErrors errors;
  CheckTimes(out, earliest, now, errors);
  if (change.continuation || change.continuation_on) {
    if (r.subject != ReferralSubject::kMother) {
      errors.Add("continuation", "mother_only", "是否继续妊娠的评估只用于孕产妇",
                 "the continuation decision is a mother's");
    } else if (!change.continuation && !out.continuation) {
      errors.Add("continuation", "required", "请填写是否适宜继续妊娠",
                 "continuation is required with continuation_on");
    } else {
      if (change.continuation) out.continuation = change.continuation;
      out.continuation_on = change.continuation_on.value_or(today);
      CheckDay(out.continuation_on, out, today, "continuation_on", "评估日期", errors);
    }
  }
  if (change.outcome_on && !change.outcome) {
    errors.Add("outcome", "required", "请填写转诊结局", "outcome is required with outcome_on");
  }
  if (change.outcome) {
    out.outcome = change.outcome;
    out.outcome_on = change.outcome_on.value_or(today);
    CheckDay(out.outcome_on, out, today, "outcome_on", "结局日期", errors);
    if (NeedsAdmission(*change.outcome) && !out.admitted_at && !errors.Has("admitted_at")) {
      errors.Add("admitted_at", "required", "该结局须先记录入院时间",
                 "this outcome needs the admission time");
    }
    if (NeedsAdmission(*change.outcome) && out.subject == ReferralSubject::kMother &&
        out.risk_colour == "red" && !out.continuation && !errors.Has("continuation")) {
      errors.Add("continuation", "continuation_required",
                 "红色孕妇须先记录三级医院关于是否适宜继续妊娠的评估",
                 "a red referral needs the tertiary hospital's decision on continuing the "
                 "pregnancy before it closes in care");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

std::string_view ReferralKindCode(ReferralKind k) { return Code(kKinds, k); }
std::optional<ReferralKind> ParseReferralKind(std::string_view code) { return Parse(kKinds, code); }
std::string_view ReferralSubjectCode(ReferralSubject s) { return Code(kSubjects, s); }
std::optional<ReferralSubject> ParseReferralSubject(std::string_view code) {
  return Parse(kSubjects, code);
}
std::string_view ReferralOutcomeCode(ReferralOutcome o) { return Code(kOutcomes, o); }
std::optional<ReferralOutcome> ParseReferralOutcome(std::string_view code) {
  return Parse(kOutcomes, code);
}
std::string_view ContinuationCode(Continuation c) { return Code(kContinuations, c); }
std::optional<Continuation> ParseContinuation(std::string_view code) {
  return Parse(kContinuations, code);
}
std::string_view ReferralStageCode(ReferralStage s) { return Code(kStages, s); }

std::optional<Instant> ParseLocalTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM, then optional :SS, then optional +08:00 or Z.
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  std::optional<Date> day = ParseDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  auto two = [&](std::size_t at, int max, int& out) {
    if (at + 2 > text.size()) return false;
    auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + 2, out);
    return ec == std::errc() && p == text.data() + at + 2 && out >= 0 && out <= max;
  };
  int h = 0, m = 0, s = 0;
  if (!two(11, 23, h) || text[13] != ':' || !two(14, 59, m)) return std::nullopt;
  std::size_t rest = 16;
  if (rest < text.size() && text[rest] == ':') {
    if (!two(rest + 1, 59, s)) return std::nullopt;
    rest += 3;
  }
  std::string_view zone = text.substr(rest);
  hours offset = kShanghaiOffset;
  if (zone == "Z") {
    offset = hours{0};
  } else if (!zone.empty() && zone != "+08:00") {
    return std::nullopt;
  }
  return Instant(sys_days(*day)) + hours{h} + minutes{m} + seconds{s} - offset;
}

std::string FormatLocalTime(Instant t) {
  const auto local = std::chrono::floor<minutes>(t + kShanghaiOffset);
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::hh_mm_ss hms(local - day);
  return fmt::format("{}T{:02}:{:02}+08:00", FormatDate(Date(day)), hms.hours().count(),
                     hms.minutes().count());
}

Date LocalDay(Instant t) { return Date(std::chrono::floor<days>(t + kShanghaiOffset)); }

}  // namespace jd::maternal
