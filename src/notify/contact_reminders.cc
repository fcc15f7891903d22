#include "notify/contact_reminders.h"

#include <nlohmann/json.hpp>

namespace jd::notify {

using nlohmann::json;

namespace {

// The reminder of a contact open on `from` (due, overdue) or opening by `to` (upcoming).
std::optional<Date> RemindOn(bool open_now, bool upcoming, const Date& window_start,
                             const Date& from, const Date& to) {
  if (open_now) return from;
  if (upcoming && !(to < window_start)) return window_start;
  return std::nullopt;
}

}  // namespace

std::vector<ContactReminder> AntenatalToRemind(const ContactReminder& who,
                                               const maternal::CareSchedule& schedule,
                                               const Date& from, const Date& to) {
  using maternal::ContactStatus;
  std::vector<ContactReminder> out;
  for (const maternal::ContactState& c : schedule.contacts) {
    if (!c.window_start || !c.window_end) continue;
    const bool open_now = c.status == ContactStatus::kDue || c.status == ContactStatus::kOverdue;
    auto on = RemindOn(open_now, c.status == ContactStatus::kUpcoming, *c.window_start, from, to);
    if (!on) continue;
    ContactReminder r = who;
    r.kind = ReminderKind::kAntenatal;
    r.contact_code = std::string(maternal::ContactCode(c.contact));
    r.contact_label = std::string(maternal::ContactLabelZh(c.contact));
    r.window_start = *c.window_start;
    r.window_end = *c.window_end;
    r.remind_on = *on;
    r.status = std::string(maternal::ContactStatusCode(c.status));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ContactReminder> CheckupsToRemind(const ContactReminder& who,
                                              const child::CheckupPlan& plan, const Date& from,
                                              const Date& to) {
  using child::CheckupStatus;
  std::vector<ContactReminder> out;
  for (const child::CheckupEntry& e : plan.entries) {
    const bool open_now = e.status == CheckupStatus::kDue || e.status == CheckupStatus::kOverdue;
    auto on = RemindOn(open_now, e.status == CheckupStatus::kUpcoming, e.window_start, from, to);
    if (!on) continue;
    ContactReminder r = who;
    r.kind = ReminderKind::kChildCheckup;
    r.contact_code = std::string(child::ContactCode(e.kind));
    r.contact_label = std::string(child::ContactLabelZh(e.kind));
    r.window_start = e.window_start;
    r.window_end = e.window_end;
    r.remind_on = *on;
    r.status = std::string(child::StatusCode(e.status));
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<std::string> AntenatalClosed(const maternal::CareSchedule& schedule,
                                           std::string_view contact_code) {
  using maternal::ContactStatus;
  for (const maternal::ContactState& c : schedule.contacts) {
    if (maternal::ContactCode(c.contact) != contact_code) continue;
    if (c.status == ContactStatus::kDone) return "contact_done";
    if (c.status == ContactStatus::kMissed || c.status == ContactStatus::kNotApplicable) {
      return "contact_closed";
    }
    return std::nullopt;
  }
  return "contact_closed";  // no such contact: nothing to remind of
}

std::optional<std::string> CheckupClosed(const child::CheckupPlan& plan,
                                         std::string_view contact_code) {
  for (const child::CheckupEntry& e : plan.entries) {
    if (child::ContactCode(e.kind) != contact_code) continue;
    if (e.status == child::CheckupStatus::kDone) return "contact_done";
    if (e.status == child::CheckupStatus::kMissed) return "contact_closed";
    return std::nullopt;
  }
  return "contact_closed";
}

Result<Plan> PlanContact(const ContactReminder& c, const ClinicInfo& clinic,
                         const std::set<Channel>& opted_out, const TemplateSet& templates,
                         const std::string& now) {
  const bool antenatal = c.kind == ReminderKind::kAntenatal;
  TemplateVars vars = {
      {"contact", c.contact_label},
      {"window_start", FormatDateZh(c.window_start)},
      {"window_end", FormatDateZh(c.window_end)},
      {"date", FormatDateZh(c.remind_on)},
      {"weekday", WeekdayZh(c.remind_on)},
      {"clinic_name", clinic.name},
      {"clinic_address", clinic.address},
      {"clinic_phone", clinic.phone},
  };
  if (antenatal) {
    vars["person_name"] = c.person_name;
  } else {
    vars["child_name"] = c.person_name;
    vars["guardian_name"] = c.guardian_name.empty() ? "家长" : c.guardian_name;
  }
  json payload = json::object();
  for (const auto& [k, v] : vars) payload[k] = v;
  payload["kind"] = ReminderKindCode(c.kind);
  payload["subject_id"] = c.subject_id;
  payload["contact_code"] = c.contact_code;
  payload["subject"] = c.contact_label;
  std::string payload_text = payload.dump(-1, ' ', false, json::error_handler_t::replace);

  Notice proto;
  proto.person_id = c.person_id;
  proto.template_code = std::string(ReminderTemplate(c.kind));
  proto.payload = payload_text;
  proto.clinic_code = clinic.code;
  proto.appointment_date = FormatDate(c.remind_on);
  proto.next_attempt_at = proto.created_at = proto.updated_at = now;
  return PlanChannels(
      proto, vars, c.phone, opted_out, templates, ReminderKindLabelZh(c.kind),
      {.person_id = c.person_id, .kind = c.kind, .contact = c.contact_code}, [&c](Channel ch) {
        return c.kind == ReminderKind::kAntenatal ? AntenatalKey(c.subject_id, c.contact_code, ch)
                                                  : CheckupKey(c.subject_id, c.contact_code, ch);
      });
}

}  // namespace jd::notify
