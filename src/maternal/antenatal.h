// File: maternal/antenatal.h
// The care schedule of one pregnancy: the five antenatal contacts, the postpartum home visit and
// the 42-day check, each with its window and its status on an as-of date, computed from the
// pregnancy's dating, its delivery and the visits recorded — the way immunization/forecast.h does
// it for doses. Pure functions; thread-safe.
//
// The contacts (国家基本公共卫生服务规范 第三版 孕产妇健康管理服务规范 二(一)–(五)):
//   anc1  孕早期 first visit, with the 母子健康手册 opened: before 13 weeks        0+0 – 12+6
//   anc2  孕中期 second visit                                                   16+0 – 20+6
//   anc3  孕中期 third visit                                                    21+0 – 24+6
//   anc4  孕晚期 fourth visit                                                   28+0 – 36+6
//   anc5  孕晚期 fifth visit                                                    37+0 – 40+6
//   pnc_home  产后访视: a home visit within 1 week of the discharge          discharge + 0 – 7 d
//   pnc_42d   产后42天健康检查                                              delivery + 42 – 56 d
// "16–20 weeks" is read as 16+0 to 20+6 (a week number names the whole week). The 规范 gives no
// window for the 42-day check: on time from day 42 to day 56 (6–8 weeks) is our policy.
//
// Status of a contact on the as-of date (our policy where the 规范 is silent, in the manner of the
// immunisation forecast):
//   done          a visit was assigned to it (done_on; on_time when inside the window)
//   upcoming      its window has not opened
//   due           inside its window
//   overdue       past its window but still worth doing: until the next antenatal contact opens
//                 (anc1 until 15+6, anc3 until 27+6; anc2 and anc4 have none, the next window opens
//                 the day after), anc5 until the delivery, pnc_home until 28 days after the
//                 discharge (the 产后访视率 counts visits within 28 days, 规范 第三版
//                 孕产妇健康管理 服务规范 考核指标), pnc_42d until day 90
//   missed        past that, or the pregnancy ended (delivery or loss) with it not done
//   not_applicable  its window would have opened after the pregnancy ended (anc5 after a delivery
//                 at 35 weeks; the postpartum contacts after a loss), or a postpartum contact while
//                 still pregnant has no dates yet: it is then upcoming without a window
// A recorded antenatal visit is assigned, in date order, to the first not-done contact whose window
// holds it (on time), else to the earliest not-done contact that is overdue on that day (late),
// else it is an extra visit; extra visits still count toward the number of antenatal visits
// (the "≥5 antenatal visits" indicator counts visits, not contacts). Postpartum visits likewise.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "maternal/pregnancy.h"

namespace jd::maternal {

enum class Contact { kAnc1, kAnc2, kAnc3, kAnc4, kAnc5, kPostpartumHome, kPostpartum42Day };
inline constexpr int kContactCount = 7;

enum class VisitKind { kAntenatal, kPostpartumHome, kPostpartum42Day };

enum class ContactStatus { kDone, kUpcoming, kDue, kOverdue, kMissed, kNotApplicable };

// What the schedule needs of the pregnancy. `discharged_on` defaults to `delivered_on`; `ended_on`
// is a pregnancy loss or termination (no delivery). At most one of delivered_on/ended_on is set.
struct EpisodeDates {
  Dating dating;
  Date registered_on{};
  std::optional<Date> delivered_on;
  std::optional<Date> discharged_on;
  std::optional<Date> ended_on;
};

struct VisitEvent {
  std::int64_t id = 0;  // the caller's id, echoed in the result
  Date date{};
  VisitKind kind = VisitKind::kAntenatal;
};

struct ContactState {
  Contact contact = Contact::kAnc1;
  ContactStatus status = ContactStatus::kUpcoming;
  std::optional<Date> window_start;  // none for a postpartum contact before the delivery
  std::optional<Date> window_end;
  std::optional<Date> overdue_until;  // last day it is overdue; none: open until the delivery
  std::optional<Date> done_on;
  std::int64_t visit_id = 0;
  bool on_time = false;
};

enum class ExtraReason { kBetweenContacts, kBeforeWindow, kAfterWindow, kAlreadyDone };

struct ExtraVisit {
  std::int64_t visit_id = 0;
  Date date{};
  VisitKind kind = VisitKind::kAntenatal;
  ExtraReason reason = ExtraReason::kBetweenContacts;
};

struct CareSchedule {
  std::vector<ContactState> contacts;  // kContactCount entries, in Contact order
  std::vector<ExtraVisit> extra_visits;
  int antenatal_visits = 0;  // every antenatal visit, extra ones included
  bool early_registration = false;

  const ContactState& Of(Contact c) const { return contacts[static_cast<int>(c)]; }
};

// The schedule on `as_of`. `visits` need not be sorted; the caller has rejected visits before the
// registration, antenatal visits after the end of the pregnancy and postpartum visits before it
// (CheckVisit below).
CareSchedule ComputeCareSchedule(const EpisodeDates& episode, std::span<const VisitEvent> visits,
                                 Date as_of);

// Whether a visit of `kind` on `date` can be recorded for the episode (field `date`): not before
// the registration (visit_before_registration), not in the future (visit_in_future), antenatal
// only until the delivery or loss (antenatal_after_end), postpartum only after a delivery
// (postpartum_before_delivery), nothing after `closed_on` (episode_closed).
Status CheckVisit(const EpisodeDates& episode, std::optional<Date> closed_on, VisitKind kind,
                  Date date, Date today);

std::string_view ContactCode(Contact c);  // "anc1" … "anc5", "pnc_home", "pnc_42d"
std::string_view ContactLabelZh(Contact c);
std::string_view ContactStatusCode(ContactStatus s);  // "done", "upcoming", "due", …
std::string_view ContactStatusLabelZh(ContactStatus s);
std::string_view ExtraReasonCode(ExtraReason r);
std::string_view VisitKindCode(VisitKind k);  // "antenatal", "postpartum_home", "postpartum_42d"
std::optional<VisitKind> ParseVisitKind(std::string_view code);

}  // namespace jd::maternal
