// File: maternal/referral.h
// Referrals of pregnant and postpartum women and of newborns, and the critical-case green channel
// (危重孕产妇和新生儿急救转诊绿色通道), as pure rules over plain structs: what a referral records,
// its stage, its elapsed times, and which changes are allowed.
//
// Why (孕产妇妊娠风险评估与管理工作规范, 国卫办妇幼发〔2017〕35号, "工作规范" 二(三) 妊娠风险管理;
// 流动人口基本公共卫生计生服务均等化 试点方案 四(五): 构建重症新生儿急救转诊绿色通道):
// - a woman graded orange or red is referred to a designated hospital and managed there case by
//   case, and the referral is followed to its outcome (kHighRisk);
// - red: she is assessed at a tertiary hospital on whether to continue the pregnancy (适宜继续妊娠
//   or not); a red referral that ends in care (managed, returned) therefore needs that decision;
// - a critically ill woman or newborn is transferred at once (kGreenChannel). What a centre and
//   the district need to see is how long each step took: the call for transfer (the receiving
//   hospital or 120 contacted), the departure (转运), the admission (入院).
//
// Rules (ours where the documents give no figure, and said so):
// - A referral is of a mother (a woman with a pregnancy not yet closed, which covers 42 days after
//   the delivery) or of a newborn (a child in the first 28 days of life on the day of the call,
//   新生儿期). A high-risk referral is of a mother whose latest colour requires a referral (the
//   catalogue's referral_designated_hospital: orange and red in the national set).
// - The times are called ≤ transferred ≤ admitted, none later than now (plus kClockSkew for a
//   device whose clock runs ahead); the called time is not before the pregnancy's registration day
//   (mother) or the birth day (newborn). A time may be corrected while the referral is open.
// - An outcome closes the referral: managed (治疗管理中 at the receiving hospital) and returned
//   (病情稳定回转) need an admission; declined (拒绝转诊), lost (失访) and died (死亡) do not. The
//   outcome day is not before the call's day nor after today. A closed referral is not changed.
// - The continuation decision is a mother's, recorded on a day not before the call's nor after
//   today; a red referral closed as managed or returned needs it (continuation_required).
// Elapsed times are whole minutes between the recorded times (floor); open_minutes runs from the
// call to the admission, or to now while there is none and the referral is open.
//
// Times are instants (UTC) in the structs; they are read and shown in Asia/Shanghai
// (ParseLocalTime / FormatLocalTime: "2026-12-06T14:05", with an optional ":SS" and an optional
// "+08:00" or "Z"). All functions are pure and thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/dates.h"
#include "core/status.h"

namespace jd::maternal {

using Instant = std::chrono::system_clock::time_point;

inline constexpr std::chrono::minutes kClockSkew{10};
// 新生儿期: the first 28 days of life (day 0 is the birth day).
inline constexpr int kNewbornDays = 28;

enum class ReferralKind { kHighRisk, kGreenChannel };
enum class ReferralSubject { kMother, kNewborn };
enum class ReferralOutcome { kManaged, kReturned, kDeclined, kLost, kDied };
enum class Continuation { kContinue, kTerminationAdvised };
// called: waiting for the transfer; in_transfer: on the way; admitted; closed: an outcome.
enum class ReferralStage { kCalled, kInTransfer, kAdmitted, kClosed };

struct Referral {
  std::string id;
  std::string person_id;     // the woman or the newborn
  std::string pregnancy_id;  // hers, or the newborn's mother's when the delivery was recorded here
  ReferralSubject subject = ReferralSubject::kMother;
  ReferralKind kind = ReferralKind::kHighRisk;
  std::string reason;
  std::string risk_colour;  // a mother's rank colour on the day of the call; "" for a newborn
  std::string from_clinic;  // org code of the referring centre
  std::string to_facility;  // the receiving hospital, as written
  Instant called_at{};
  std::optional<Instant> transferred_at;
  std::optional<Instant> admitted_at;
  std::optional<ReferralOutcome> outcome;
  std::optional<Date> outcome_on;
  std::string outcome_note;
  std::optional<Continuation> continuation;
  std::optional<Date> continuation_on;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

// What a later write changes; absent members stay as they are.
struct ReferralChange {
  std::optional<Instant> called_at;
  std::optional<Instant> transferred_at;
  std::optional<Instant> admitted_at;
  std::optional<ReferralOutcome> outcome;
  std::optional<Date> outcome_on;  // default: today, with an outcome
  std::optional<std::string> outcome_note;
  std::optional<Continuation> continuation;
  std::optional<Date> continuation_on;  // default: today, with a decision
};

struct ReferralTimes {
  std::optional<int> call_to_transfer_min;
  std::optional<int> transfer_to_admission_min;
  std::optional<int> call_to_admission_min;
  int open_minutes = 0;
};

ReferralStage StageOf(const Referral& r);
ReferralTimes ElapsedTimes(const Referral& r, Instant now);
// Whether a red referral still waits for the decision on continuing the pregnancy.
bool ContinuationPending(const Referral& r);

// The field errors of a new referral `r` (its times, kind and subject set) made on `now`;
// `earliest` is the registration day (mother) or the birth day (newborn). `referral_required`: the
// mother's colour requires a referral (for kHighRisk).
FieldErrors CheckNewReferral(const Referral& r, Date earliest, bool referral_required, Instant now);
// `r` with `change` applied (outcome_on and continuation_on defaulted to the day of `now`), or the
// field errors; a closed referral is kFailedPrecondition (referral_closed).
Result<Referral> ApplyReferralChange(const Referral& r, const ReferralChange& change, Date earliest,
                                     Instant now);

std::string_view ReferralKindCode(ReferralKind k);  // "high_risk", "green_channel"
std::optional<ReferralKind> ParseReferralKind(std::string_view code);
std::string_view ReferralSubjectCode(ReferralSubject s);  // "mother", "newborn"
std::optional<ReferralSubject> ParseReferralSubject(std::string_view code);
// "managed", "returned", "declined", "lost", "died"
std::string_view ReferralOutcomeCode(ReferralOutcome o);
std::optional<ReferralOutcome> ParseReferralOutcome(std::string_view code);
std::string_view ContinuationCode(Continuation c);  // "continue", "termination_advised"
std::optional<Continuation> ParseContinuation(std::string_view code);
std::string_view ReferralStageCode(ReferralStage s);  // "called", "in_transfer", …

// "YYYY-MM-DDTHH:MM[:SS][+08:00|Z]" read as Asia/Shanghai unless it says Z; nullopt otherwise.
std::optional<Instant> ParseLocalTime(std::string_view text);
// "YYYY-MM-DDTHH:MM+08:00".
std::string FormatLocalTime(Instant t);
// The civil day of `t` in Asia/Shanghai.
Date LocalDay(Instant t);

}  // namespace jd::maternal
