#include "maternal/antenatal.h"

#include <algorithm>
#include <array>

namespace jd::maternal {

namespace {

// 规范 第三版 孕产妇健康管理服务规范 二(一)–(三): gestational-age windows in days, inclusive.
struct AntenatalWindow {
  Contact contact;
  int from_days;
  int to_days;
};
constexpr std::array<AntenatalWindow, 5> kAntenatal = {{
    {Contact::kAnc1, 0, 12 * 7 + 6},
    {Contact::kAnc2, 16 * 7, 20 * 7 + 6},
    {Contact::kAnc3, 21 * 7, 24 * 7 + 6},
    {Contact::kAnc4, 28 * 7, 36 * 7 + 6},
    {Contact::kAnc5, 37 * 7, 40 * 7 + 6},
}};

// 规范 第三版 孕产妇健康管理服务规范 二(四): 出院后1周内; overdue to day 28 (考核指标 产后访视率).
constexpr int kHomeVisitDays = 7;
constexpr int kHomeVisitOverdueDays = 28;
// 二(五) 产后42天: the window and the overdue period are our policy.
constexpr int k42DayFrom = 42;
constexpr int k42DayTo = 56;
constexpr int k42DayOverdue = 90;

// The date on which the pregnancy reaches `ga_days`.
Date DateAtAge(const Dating& d, int ga_days) {
  if (d.method == DatingMethod::kLmp) return AddDays(d.lmp, ga_days);
  return AddDays(d.edd, ga_days - kTermDays);
}

bool InRange(Date d, Date from, Date to) { return from <= d && d <= to; }

}  // namespace

CareSchedule ComputeCareSchedule(const EpisodeDates& episode, std::span<const VisitEvent> visits,
                                 Date as_of) {
  CareSchedule out;
  out.contacts.resize(kContactCount);
  for (int i = 0; i < kContactCount; ++i) out.contacts[i].contact = static_cast<Contact>(i);
  out.early_registration = IsEarlyRegistration(episode.dating, episode.registered_on);

  // The end of the pregnancy: a delivery or a loss.
  const std::optional<Date> end = episode.delivered_on ? episode.delivered_on : episode.ended_on;

  for (std::size_t i = 0; i < kAntenatal.size(); ++i) {
    ContactState& c = out.contacts[i];
    c.window_start = DateAtAge(episode.dating, kAntenatal[i].from_days);
    c.window_end = DateAtAge(episode.dating, kAntenatal[i].to_days);
    if (i + 1 < kAntenatal.size()) {
      c.overdue_until = AddDays(DateAtAge(episode.dating, kAntenatal[i + 1].from_days), -1);
    } else if (end) {
      c.overdue_until = *end;  // anc5: overdue until the delivery
    }
  }
  if (episode.delivered_on) {
    const Date delivered = *episode.delivered_on;
    const Date discharged = episode.discharged_on.value_or(delivered);
    ContactState& home = out.contacts[static_cast<int>(Contact::kPostpartumHome)];
    home.window_start = discharged;
    home.window_end = AddDays(discharged, kHomeVisitDays);
    home.overdue_until = AddDays(discharged, kHomeVisitOverdueDays);
    ContactState& check = out.contacts[static_cast<int>(Contact::kPostpartum42Day)];
    check.window_start = AddDays(delivered, k42DayFrom);
    check.window_end = AddDays(delivered, k42DayTo);
    check.overdue_until = AddDays(delivered, k42DayOverdue);
  }

  std::vector<const VisitEvent*> sorted;
  sorted.reserve(visits.size());
  for (const auto& v : visits) sorted.push_back(&v);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const VisitEvent* a, const VisitEvent* b) { return a->date < b->date; });

  auto overdue_on = [](const ContactState& c, Date d) {
    return *c.window_end < d && (!c.overdue_until || d <= *c.overdue_until);
  };
  for (const VisitEvent* v : sorted) {
    if (v->kind == VisitKind::kAntenatal) ++out.antenatal_visits;
    int first = 0;
    int last = static_cast<int>(kAntenatal.size());  // exclusive
    if (v->kind == VisitKind::kPostpartumHome) {
      first = static_cast<int>(Contact::kPostpartumHome);
      last = first + 1;
    } else if (v->kind == VisitKind::kPostpartum42Day) {
      first = static_cast<int>(Contact::kPostpartum42Day);
      last = first + 1;
    }
    ContactState* target = nullptr;
    bool on_time = false;
    for (int i = first; i < last && !target; ++i) {
      ContactState& c = out.contacts[i];
      if (c.done_on || !c.window_start) continue;
      if (InRange(v->date, *c.window_start, *c.window_end)) {
        target = &c;
        on_time = true;
      }
    }
    for (int i = first; i < last && !target; ++i) {
      ContactState& c = out.contacts[i];
      if (!c.done_on && c.window_start && overdue_on(c, v->date)) target = &c;
    }
    if (target) {
      target->done_on = v->date;
      target->visit_id = v->id;
      target->on_time = on_time;
      target->status = ContactStatus::kDone;
      continue;
    }
    // Why it counts toward no contact.
    ExtraReason reason = ExtraReason::kBetweenContacts;
    if (last - first == 1) {
      const ContactState& c = out.contacts[first];
      if (c.done_on) {
        reason = ExtraReason::kAlreadyDone;
      } else if (c.window_start && v->date < *c.window_start) {
        reason = ExtraReason::kBeforeWindow;
      } else {
        reason = ExtraReason::kAfterWindow;
      }
    }
    out.extra_visits.push_back({v->id, v->date, v->kind, reason});
  }

  for (int i = 0; i < kContactCount; ++i) {
    ContactState& c = out.contacts[i];
    if (c.done_on) continue;
    const bool antenatal = i < static_cast<int>(kAntenatal.size());
    if (!c.window_start) {
      // A postpartum contact before any delivery: upcoming while pregnant, else never.
      c.status = end ? ContactStatus::kNotApplicable : ContactStatus::kUpcoming;
      continue;
    }
    if (antenatal && end && *end < *c.window_start) {
      c.status = ContactStatus::kNotApplicable;
    } else if (antenatal && end && *end <= as_of) {
      // The pregnancy is over: a contact still open is missed.
      c.status = ContactStatus::kMissed;
    } else if (as_of < *c.window_start) {
      c.status = ContactStatus::kUpcoming;
    } else if (as_of <= *c.window_end) {
      c.status = ContactStatus::kDue;
    } else if (!c.overdue_until || as_of <= *c.overdue_until) {
      c.status = ContactStatus::kOverdue;
    } else {
      c.status = ContactStatus::kMissed;
    }
  }
  return out;
}

Status CheckVisit(const EpisodeDates& episode, std::optional<Date> closed_on, VisitKind kind,
                  Date date, Date today) {
  FieldErrors errors;
  const std::optional<Date> end = episode.delivered_on ? episode.delivered_on : episode.ended_on;
  if (today < date) {
    errors.Add("date", "visit_in_future", "随访日期晚于今天", "the visit date is in the future");
  } else if (date < episode.registered_on) {
    errors.Add("date", "visit_before_registration", "随访日期早于建册日期",
               "the visit is before the pregnancy was registered");
  } else if (closed_on && *closed_on < date) {
    errors.Add("date", "episode_closed", "本次孕产期管理已结案，不能再登记随访",
               "the pregnancy's care has been closed: no visit after that");
  } else if (kind == VisitKind::kAntenatal && end && *end < date) {
    errors.Add("date", "antenatal_after_end", "产前检查日期晚于分娩或妊娠终止日期",
               "an antenatal visit after the delivery or the end of the pregnancy");
  } else if (kind != VisitKind::kAntenatal &&
             (!episode.delivered_on || date < *episode.delivered_on)) {
    errors.Add("date", "postpartum_before_delivery", "产后访视须在分娩之后",
               "a postpartum visit needs a delivery before it");
  }
  return errors.ToStatus();
}

std::string_view ContactCode(Contact c) {
  static constexpr std::array<std::string_view, kContactCount> kCodes = {
      "anc1", "anc2", "anc3", "anc4", "anc5", "pnc_home", "pnc_42d"};
  return kCodes[static_cast<int>(c)];
}

std::string_view ContactLabelZh(Contact c) {
  static constexpr std::array<std::string_view, kContactCount> kLabels = {
      "孕早期第1次产前检查（孕13周前）",
      "孕中期第2次产前检查（孕16～20周）",
      "孕中期第3次产前检查（孕21～24周）",
      "孕晚期第4次产前检查（孕28～36周）",
      "孕晚期第5次产前检查（孕37～40周）",
      "产后访视（出院后1周内）",
      "产后42天健康检查"};
  return kLabels[static_cast<int>(c)];
}

std::string_view ContactStatusCode(ContactStatus s) {
  switch (s) {
    case ContactStatus::kDone:
      return "done";
    case ContactStatus::kUpcoming:
      return "upcoming";
    case ContactStatus::kDue:
      return "due";
    case ContactStatus::kOverdue:
      return "overdue";
    case ContactStatus::kMissed:
      return "missed";
    case ContactStatus::kNotApplicable:
      return "not_applicable";
  }
  return "";
}

std::string_view ContactStatusLabelZh(ContactStatus s) {
  switch (s) {
    case ContactStatus::kDone:
      return "已完成";
    case ContactStatus::kUpcoming:
      return "未到期";
    case ContactStatus::kDue:
      return "应检查";
    case ContactStatus::kOverdue:
      return "已逾期";
    case ContactStatus::kMissed:
      return "已错过";
    case ContactStatus::kNotApplicable:
      return "不适用";
  }
  return "";
}

std::string_view ExtraReasonCode(ExtraReason r) {
  switch (r) {
    case ExtraReason::kBetweenContacts:
      return "between_contacts";
    case ExtraReason::kBeforeWindow:
      return "before_window";
    case ExtraReason::kAfterWindow:
      return "after_window";
    case ExtraReason::kAlreadyDone:
      return "already_done";
  }
  return "";
}

std::string_view VisitKindCode(VisitKind k) {
  switch (k) {
    case VisitKind::kAntenatal:
      return "antenatal";
    case VisitKind::kPostpartumHome:
      return "postpartum_home";
    case VisitKind::kPostpartum42Day:
      return "postpartum_42d";
  }
  return "";
}

std::optional<VisitKind> ParseVisitKind(std::string_view code) {
  for (auto k : {VisitKind::kAntenatal, VisitKind::kPostpartumHome, VisitKind::kPostpartum42Day}) {
    if (VisitKindCode(k) == code) return k;
  }
  return std::nullopt;
}

}  // namespace jd::maternal
