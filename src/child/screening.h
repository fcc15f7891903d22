// File: child/screening.h
// Newborn disease screening (新生儿疾病筛查): a birth date, an optional discharge date, the results
// recorded so far and an as-of date in; one item per screening of a newborn out, with its status,
// its window, its latest result and the diagnosis of a positive blood spot, computed like the
// check-up schedule (child/checkups.h). Sources:
//   新生儿疾病筛查管理办法（卫生部令第64号，2009）: the diseases screened nationally are
//     phenylketonuria (PKU, 苯丙酮尿症), congenital hypothyroidism (CH, 先天性甲状腺功能减低症) and
//     hearing loss; maternity units take the blood spot and do the hearing 初筛 and 复筛.
//   新生儿疾病筛查技术规范（2010年版，卫生部）, 新生儿遗传代谢病筛查血片采集技术规范: the blood
//   spot
//     is taken after 72 hours of life, within 7 days and after adequate feeding (充分哺乳); for
//     babies not sampled then (preterm, low birth weight, ill, discharged early) at the latest by
//     day 20 after birth (出生后20天).
//   Same, 新生儿听力筛查技术规范: two stages; the 初筛 from 48 hours after birth until discharge;
//     those who fail it (refer) and those missed (漏筛) are re-screened (复筛, both ears) within 42
//     days; those who fail the re-screen are referred for diagnosis (诊断) within 3 months of age.
// These ages are as quoted by public health pages citing the 2010 技术规范; the official text and
// its section numbers are unconfirmed here.
//
// Items and windows (birth = day 0; "day N" = AddDays(birth, N)):
//   pku, ch            due day 3..7 (72 h to 7 days); overdue day 8..20 (the delayed sample);
//                      missed from day 21.
//   hearing_initial    due day 2 (48 h) .. discharge (day 7 when no discharge is known, this
//                      project's policy; never before day 2); overdue until day 42, when a missed
//                      初筛 is made up by the 复筛 in any case; missed from day 43.
//   hearing_rescreen   needed after a refer on the 初筛, or when the 初筛 was missed (not done
//                      by the end of its due window): due from the day of the refer (or the
//                      day after that window) through day 42; overdue until 3 months of age
//                      (policy); missed from then. Not needed after a pass; upcoming while
//                      the 初筛 is pending.
//   hearing_diagnosis  needed after a refer on the 复筛: due from the day of the refer (until
//                      then shown from the day after the 复筛 window) through the day before 3
//                      months of age; overdue until 6 months (policy: unconfirmed, the age by
//                      which hearing loss is to be treated); missed from then. Not needed
//                      after a pass on the 复筛, or on the 初筛 when no 复筛 was made;
//                      upcoming otherwise.
//   When a window would close before it opens (a late refer), it closes on the day it opens.
//
// Status on the as-of date: done, recall, not_needed, upcoming, due, overdue, missed. An item with
// a result is done, except that it is "recall" (召回) while its follow-up is missing: a positive
// blood spot without a diagnosis (confirmed or excluded) on any of the item's results, and a normal
// later result ends it too (the recall sample was normal); a refer on the 初筛 until a 复筛 is
// recorded; a refer on the 复筛 until a diagnosis is recorded. The latest result of an item (by
// date, then input order) is the one that counts; the diagnosis is the latest one given.
//
// Results by kind (anything else is the field error "not_for_kind"): pku, ch: normal, positive;
// hearing_initial, hearing_rescreen: pass, refer; hearing_diagnosis: normal, hearing_loss. A
// diagnosis (confirmed, excluded) only on a positive blood spot ("not_applicable" otherwise).
//
// PlanScreening() validates its input (as_of and results not before birth, results not after
// as_of, results of their kind) and returns every problem as a FieldError; it never throws. All
// functions are pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "child/checkups.h"
#include "core/dates.h"
#include "core/status.h"

namespace jd::child {

enum class ScreeningKind { kPku, kCh, kHearingInitial, kHearingRescreen, kHearingDiagnosis };
inline constexpr int kScreeningKindCount = 5;

enum class ScreenResult { kNormal, kPositive, kPass, kRefer, kHearingLoss };
enum class ScreenDiagnosis { kConfirmed, kExcluded };
enum class ScreeningStatus { kDone, kRecall, kNotNeeded, kUpcoming, kDue, kOverdue, kMissed };

struct ScreeningRecord {
  ScreeningKind kind = ScreeningKind::kPku;
  Date date{};  // the blood sample's or the hearing test's date
  ScreenResult result = ScreenResult::kNormal;
  std::optional<ScreenDiagnosis> diagnosis;
};

struct ScreeningInput {
  Date birth{};
  std::optional<Date> discharge;  // the hearing 初筛 is due until then
  std::vector<ScreeningRecord> records;
  Date as_of{};
};

struct ScreeningItem {
  ScreeningKind kind = ScreeningKind::kPku;
  ScreeningStatus status = ScreeningStatus::kUpcoming;
  Date window_start{};  // due from
  Date window_end{};    // the last day on time
  Date missed_from{};
  std::optional<std::size_t> record_index;  // the latest result, into ScreeningInput::records
  std::optional<Timing> timing;             // of the first result against the window
  std::optional<ScreenDiagnosis> diagnosis;
};

struct ScreeningPlan {
  std::vector<ScreeningItem> items;  // kScreeningKindCount items, in ScreeningKind order
};

// The field errors of one result of a child born `birth`: `prefix` + "date" before_birth or
// in_future (after `latest`), "result" not_for_kind, "diagnosis" not_applicable.
void CheckScreeningRecord(const ScreeningRecord& r, const Date& birth, const Date& latest,
                          const std::string& prefix, FieldErrors& errors);

Result<ScreeningPlan> PlanScreening(const ScreeningInput& in);

std::string_view ScreeningKindCode(ScreeningKind k);  // "pku", "ch", "hearing_initial", …
std::string_view ScreeningKindLabelZh(ScreeningKind k);
std::string_view ScreeningKindLabelEn(ScreeningKind k);
std::optional<ScreeningKind> ScreeningKindFromCode(std::string_view code);
std::string_view ScreenResultCode(ScreenResult r);  // "normal", "positive", "pass", "refer", …
std::optional<ScreenResult> ScreenResultFromCode(std::string_view code);
std::string_view ScreenDiagnosisCode(ScreenDiagnosis d);  // "confirmed", "excluded"
std::optional<ScreenDiagnosis> ScreenDiagnosisFromCode(std::string_view code);
std::string_view ScreeningStatusCode(ScreeningStatus s);  // "done", "recall", "not_needed", …
bool ResultFitsKind(ScreeningKind k, ScreenResult r);

// Reads one result {"kind", "date", "result", "diagnosis"?} of a request body or a case, the
// members named `at` + key in field errors (unknown_kind, invalid_value, required, dates as
// core/input.h kPastEvent); nullopt after any error. Whether it fits the child is checked by
// CheckScreeningRecord.
std::optional<ScreeningRecord> ScreeningRecordFromJson(const nlohmann::json& j,
                                                       const std::string& at, const Date& today,
                                                       FieldErrors& errors);

// Reads {"birth_date", "discharge_date"?, "as_of", "results": [result, …]}.
Result<ScreeningInput> ScreeningInputFromJson(const nlohmann::json& body, const Date& today);

// {"items": [{"code", "label_zh", "label_en", "status", "window_start", "window_end",
// "missed_from", "result", "date", "timing", "diagnosis"}], "summary": {"done", "recall", "due",
// "overdue", "missed"}}.
nlohmann::json ScreeningPlanToJson(const ScreeningInput& in, const ScreeningPlan& plan);

}  // namespace jd::child
