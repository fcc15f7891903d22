// File: notify/planner.h
// Which notices an appointment gets. Pure: the appointment (with the child's and guardian's
// details), the clinic, the channels the guardian opted out of, the templates and the vaccine
// catalogue in; the notices to enqueue (without ids) and the channels skipped with the reason out.
//
// PlanAppointment: nothing unless the appointment is booked. Then one notice per channel (sms,
// phone, slip, web) unless opted out (reason "opted_out"); sms and phone need a phone number
// (reason "no_phone"). Every notice gets the key AppointmentKey(appointment, channel), the text of
// the channel's "appointment_reminder" template and the variables as its payload (plus the
// vaccine codes). Vaccine names come from the catalogue (unknown codes are shown as given); a
// guardian without a name is addressed as "家长".
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "immunization/forecast.h"
#include "notify/model.h"
#include "notify/notice_store.h"
#include "notify/templates.h"

namespace jd::notify {

struct ClinicInfo {
  std::string code;
  std::string name;
  std::string address;
  std::string phone;
};

struct Skipped {
  std::string appointment_id;  // empty for a contact of a schedule
  std::string person_id;
  Channel channel = Channel::kSms;
  std::string reason;  // opted_out, no_phone
  ReminderKind kind = ReminderKind::kImmunization;
  std::string contact;  // the schedule contact's code (antenatal, child_checkup)
};

struct Plan {
  std::vector<Notice> notices;
  std::vector<Skipped> skipped;
};

// The vaccine names for a JSON array of codes, joined with "、".
std::string VaccineNamesZh(const immunization::Schedule& schedule, const std::string& codes_json);

// One notice per channel from `proto` (person, appointment, template code, payload, clinic, day and
// times filled), unless opted out (`skipped` with reason "opted_out") or, for sms and phone,
// `phone` is empty ("no_phone"): the text of the channel's template rendered with `vars`, the
// recipient `phone` on sms and phone, the key `key(channel)`. `label_zh` names the reminder in the
// error of a missing template. Fails (missing_variable / bad_template) only when the templates
// are broken.
Result<Plan> PlanChannels(const Notice& proto, const TemplateVars& vars, const std::string& phone,
                          const std::set<Channel>& opted_out, const TemplateSet& templates,
                          std::string_view label_zh, const Skipped& skipped,
                          const std::function<std::string(Channel)>& key);

// Fails (missing_variable / bad_template) only when the templates are broken.
Result<Plan> PlanAppointment(const AppointmentInfo& appointment, const ClinicInfo& clinic,
                             const std::set<Channel>& opted_out, const TemplateSet& templates,
                             const immunization::Schedule& schedule, const std::string& now);

}  // namespace jd::notify
