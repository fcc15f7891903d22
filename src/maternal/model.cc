#include "maternal/model.h"

#include <array>
#include <utility>

namespace jd::maternal {

namespace {

constexpr std::array<std::pair<DeliveryMode, std::string_view>, 3> kModes = {{
    {DeliveryMode::kVaginal, "vaginal"},
    {DeliveryMode::kCaesarean, "caesarean"},
    {DeliveryMode::kAssisted, "assisted"},
}};

constexpr std::array<std::pair<EndReason, std::string_view>, 5> kReasons = {{
    {EndReason::kMiscarriage, "miscarriage"},
    {EndReason::kInducedAbortion, "induced_abortion"},
    {EndReason::kEctopic, "ectopic"},
    {EndReason::kMolar, "molar"},
    {EndReason::kOther, "other"},
}};

template <typename E, std::size_t N>
std::string_view CodeOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, code] : table) {
    if (v == value) return code;
  }
  return "";
}

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view code) {
  for (const auto& [v, c] : table) {
    if (c == code) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view DeliveryModeCode(DeliveryMode m) { return CodeOf(kModes, m); }
std::optional<DeliveryMode> ParseDeliveryMode(std::string_view code) { return Parse(kModes, code); }
std::string_view EndReasonCode(EndReason r) { return CodeOf(kReasons, r); }
std::optional<EndReason> ParseEndReason(std::string_view code) { return Parse(kReasons, code); }

CareSchedule RefreshPregnancy(Pregnancy& p, const std::vector<PregnancyVisit>& visits, Date today) {
  std::vector<VisitEvent> events;
  events.reserve(visits.size());
  for (std::size_t i = 0; i < visits.size(); ++i) {
    events.push_back({static_cast<std::int64_t>(i), visits[i].date, visits[i].kind});
  }
  CareSchedule schedule = ComputeCareSchedule(p.Episode(), events, today);
  p.antenatal_visits = schedule.antenatal_visits;
  p.next_due_on.reset();
  for (const auto& c : schedule.contacts) {
    const bool open = c.status == ContactStatus::kDue || c.status == ContactStatus::kOverdue ||
                      c.status == ContactStatus::kUpcoming;
    if (open && c.window_start && (!p.next_due_on || *c.window_start < *p.next_due_on)) {
      p.next_due_on = c.window_start;
    }
  }
  // 规范 二(五): the 42-day check ends the pregnancy's management.
  const ContactState& check = schedule.Of(Contact::kPostpartum42Day);
  if (!p.closed_on && check.done_on) p.closed_on = check.done_on;
  if (p.closed_on) p.next_due_on.reset();
  return schedule;
}

}  // namespace jd::maternal
