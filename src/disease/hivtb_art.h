// File: disease/hivtb_art.h
// The follow-up schedule of a person living with HIV under the national free antiretroviral
// treatment programme (四免一关怀; 国家免费艾滋病抗病毒药物治疗手册, "手册"): the diagnosis date,
// the ART start date (none before it starts), the follow-ups recorded (date, whether a CD4 count
// and a viral load were measured) and an as-of date in; the items due with their windows and
// statuses out. Pure functions; thread-safe.
//
// Items (our reading of the 手册; every interval below is [unc], not confirmed against the
// published text):
//   art_start    ART from diagnosis ("发现即治疗", treat all): due on the diagnosis date, on time
//                through 30 days after (our policy).
//   visit        once ART runs, a follow-up one interval after the latest follow-up (or the
//                start): 1 month during the first 3 months of ART, then every 3 months; on time
//                through 14 days after its due date (our policy). Only the next one is listed.
//   cd4, viral_load  at 6 months of ART and then every 12 months (12, 24, 36 … months); a test
//                counts for the slot whose window holds its date, the window running from 1
//                month before to 1 month after the due date (our policy). Every slot up to the
//                first one after as_of is listed, so a missed test stays overdue.
// Status on as_of as in disease/tb_course.h (TbDueStatus): done, upcoming (before due), due
// (from due through window_end), overdue (after window_end, not done). A care record whose status
// is not "on ART" (stopped, transferred out, died, lost) owes nothing: PlanHivCare lists the
// items done only.
//
// Errors: every problem is a FieldError ("art_started_on" before the diagnosis or after as_of,
// "follow_ups[i].date" before the diagnosis or after as_of); never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "disease/tb_course.h"

namespace jd::disease {

inline constexpr std::string_view kHivRules = "国家免费艾滋病抗病毒药物治疗手册（四免一关怀）";

enum class HivCareStatus { kNotStarted, kOnArt, kStopped, kTransferredOut, kDied, kLost };
enum class HivItem { kArtStart, kVisit, kCd4, kViralLoad };

struct HivFollowUpFacts {
  Date date;
  bool cd4 = false;
  bool viral_load = false;
};

struct HivCareInput {
  Date diagnosed_on;
  std::optional<Date> art_started_on;
  HivCareStatus status = HivCareStatus::kNotStarted;
  std::vector<HivFollowUpFacts> follow_ups;  // any order
  Date as_of;
};

struct HivDueItem {
  HivItem item = HivItem::kVisit;
  int months = 0;  // of ART, for the tests and visits; 0 for art_start
  Date due;
  Date window_end;
  TbDueStatus status = TbDueStatus::kUpcoming;
  std::optional<Date> done_on;
};

struct HivCarePlan {
  std::vector<HivDueItem> items;  // art_start, then the tests and the next visit by due date
  bool overdue = false;
};

Result<HivCarePlan> PlanHivCare(const HivCareInput& in);

std::string_view HivCareStatusCode(HivCareStatus s);
// "not_started", "on_art", "stopped", "transferred_out", "died", "lost".
std::optional<HivCareStatus> ParseHivCareStatus(std::string_view code);
std::string_view HivItemCode(HivItem i);  // "art_start", "visit", "cd4", "viral_load"

}  // namespace jd::disease
