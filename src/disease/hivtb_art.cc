#include "disease/hivtb_art.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace jd::disease {

namespace {

// 手册 [unc]: ART within 30 days of diagnosis (our window), visits monthly for the first 3
// months of ART then every 3 months, CD4 and viral load at 6 months then yearly.
constexpr int kArtStartDays = 30;
constexpr int kEarlyMonths = 3;
constexpr int kVisitGraceDays = 14;
constexpr int kFirstTestMonths = 6;
constexpr int kTestEveryMonths = 12;

constexpr std::array<std::string_view, 6> kStatusCodes{"not_started",     "on_art", "stopped",
                                                       "transferred_out", "died",   "lost"};

}  // namespace

Result<HivCarePlan> PlanHivCare(const HivCareInput& in) {
  FieldErrors errors;
  if (in.as_of < in.diagnosed_on) {
    errors.Add("diagnosed_on", "in_future", "确诊日期晚于今天", "the diagnosis is in the future");
  }
  if (in.art_started_on) {
    if (*in.art_started_on < in.diagnosed_on) {
      errors.Add("art_started_on", "before_diagnosis", "抗病毒治疗开始日期早于确诊日期",
                 "ART cannot start before the diagnosis");
    } else if (in.as_of < *in.art_started_on) {
      errors.Add("art_started_on", "in_future", "抗病毒治疗开始日期晚于今天",
                 "the ART start is in the future");
    }
  }
  for (std::size_t i = 0; i < in.follow_ups.size(); ++i) {
    const Date d = in.follow_ups[i].date;
    const std::string field = fmt::format("follow_ups[{}].date", i);
    if (d < in.diagnosed_on) {
      errors.Add(field, "before_diagnosis", "随访日期早于确诊日期",
                 "the follow-up is before the diagnosis");
    } else if (in.as_of < d) {
      errors.Add(field, "in_future", "随访日期晚于今天", "the follow-up is in the future");
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  HivCarePlan plan;
  const bool owed = in.status == HivCareStatus::kOnArt || in.status == HivCareStatus::kNotStarted;
  HivDueItem start;
  start.item = HivItem::kArtStart;
  start.due = in.diagnosed_on;
  start.window_end = AddDays(in.diagnosed_on, kArtStartDays);
  start.done_on = in.art_started_on;
  start.status =
      in.art_started_on ? TbDueStatus::kDone : DueStatusOn(start.due, start.window_end, in.as_of);
  if (owed || in.art_started_on) plan.items.push_back(start);

  if (in.art_started_on) {
    const Date art = *in.art_started_on;
    for (HivItem test : {HivItem::kCd4, HivItem::kViralLoad}) {
      for (int m = kFirstTestMonths;;
           m = (m == kFirstTestMonths ? kTestEveryMonths : m + kTestEveryMonths)) {
        HivDueItem t;
        t.item = test;
        t.months = m;
        t.due = AddMonths(art, m);
        const Date from = AddMonths(art, m - 1);
        t.window_end = AddMonths(art, m + 1);
        for (const HivFollowUpFacts& f : in.follow_ups) {
          const bool measured = test == HivItem::kCd4 ? f.cd4 : f.viral_load;
          if (measured && !(f.date < from) && !(t.window_end < f.date) &&
              (!t.done_on || f.date < *t.done_on)) {
            t.done_on = f.date;
          }
        }
        t.status = t.done_on ? TbDueStatus::kDone : DueStatusOn(t.due, t.window_end, in.as_of);
        const bool future = in.as_of < t.due;
        if (t.done_on || owed) plan.items.push_back(t);
        if (future) break;
      }
    }
    if (in.status == HivCareStatus::kOnArt) {
      Date last = art;
      for (const HivFollowUpFacts& f : in.follow_ups) last = std::max(last, f.date);
      HivDueItem v;
      v.item = HivItem::kVisit;
      v.due = last < AddMonths(art, kEarlyMonths) ? AddMonths(last, 1) : AddMonths(last, 3);
      v.window_end = AddDays(v.due, kVisitGraceDays);
      v.status = DueStatusOn(v.due, v.window_end, in.as_of);
      plan.items.push_back(v);
    }
  }
  std::stable_sort(plan.items.begin(), plan.items.end(),
                   [](const HivDueItem& a, const HivDueItem& b) {
                     if (a.item == HivItem::kArtStart || b.item == HivItem::kArtStart) {
                       return a.item == HivItem::kArtStart && b.item != HivItem::kArtStart;
                     }
                     return a.due < b.due;
                   });
  plan.overdue = std::any_of(plan.items.begin(), plan.items.end(),
                             [](const HivDueItem& i) { return i.status == TbDueStatus::kOverdue; });
  return plan;
}

std::string_view HivCareStatusCode(HivCareStatus s) {
  return kStatusCodes[static_cast<std::size_t>(s)];
}

std::optional<HivCareStatus> ParseHivCareStatus(std::string_view code) {
  for (std::size_t i = 0; i < kStatusCodes.size(); ++i) {
    if (kStatusCodes[i] == code) return static_cast<HivCareStatus>(i);
  }
  return std::nullopt;
}

std::string_view HivItemCode(HivItem i) {
  static constexpr std::array<std::string_view, 4> kCodes{"art_start", "visit", "cd4",
                                                          "viral_load"};
  return kCodes[static_cast<std::size_t>(i)];
}

}  // namespace jd::disease
