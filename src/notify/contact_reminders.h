// File: notify/contact_reminders.h
// Which reminders the contacts of the maternal and child schedules get, and their notices. Pure:
// a pregnancy's care schedule (maternal/antenatal.h) or a child's check-up plan (child/checkups.h)
// computed as of the first day planned, the days planned, the person reminded, the clinic, the
// channels opted out of and the templates in; the contacts to remind of, the notices to enqueue
// (without ids) and the channels skipped with the reason out.
//
// AntenatalToRemind / CheckupsToRemind: a contact is reminded of when, on `from`, it is due or
// overdue (the reminder is for `from`), or it is upcoming and its window opens by `to` (the
// reminder is for the window's first day); done, missed and not-applicable contacts are not, nor
// a postpartum contact before the delivery (no window yet).
// AntenatalClosed / CheckupClosed: why queued reminders of a contact are no longer wanted on the
// schedule's as-of day: "contact_done" once a visit or check-up fulfils it, "contact_closed" once
// it is missed or no longer applies (the pregnancy ended); nullopt while it is still open.
// PlanContact: one notice per channel (sms, phone, slip, web) unless opted out (reason
// "opted_out"); sms and phone need a phone number (reason "no_phone"). Keys AntenatalKey /
// CheckupKey, so that planning again adds nothing; the text of the channel's "antenatal_reminder"
// or "checkup_reminder" template; the variables as the payload with the kind, the subject (the
// pregnancy or the child) and the contact's code and label. A guardian without a name is
// addressed as "家长".
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "child/checkups.h"
#include "core/dates.h"
#include "core/status.h"
#include "maternal/antenatal.h"
#include "notify/model.h"
#include "notify/planner.h"
#include "notify/templates.h"

namespace jd::notify {

// A contact of a schedule to remind of, with whom to remind.
struct ContactReminder {
  ReminderKind kind = ReminderKind::kAntenatal;  // kAntenatal or kChildCheckup
  std::string subject_id;                        // the pregnancy (antenatal), the child (check-up)
  std::string person_id;                         // the woman, the child
  std::string person_name;
  std::string guardian_name;  // check-ups; empty: "家长"
  std::string phone;          // the woman's; the guardian's (else the child's own)
  std::string contact_code;   // "anc2", "pnc_home", "m12", …
  std::string contact_label;  // "孕中期第2次产前检查（孕16～20周）", "12月龄健康检查"
  Date window_start{};
  Date window_end{};
  Date remind_on{};    // the day the reminder is for
  std::string status;  // the contact's on `from`: upcoming, due or overdue
};

// `who` carries the identity (kind, subject, person, names, phone); the contact fields are filled
// from the schedule. The schedule is the one on `from`.
std::vector<ContactReminder> AntenatalToRemind(const ContactReminder& who,
                                               const maternal::CareSchedule& schedule,
                                               const Date& from, const Date& to);
std::vector<ContactReminder> CheckupsToRemind(const ContactReminder& who,
                                              const child::CheckupPlan& plan, const Date& from,
                                              const Date& to);

std::optional<std::string> AntenatalClosed(const maternal::CareSchedule& schedule,
                                           std::string_view contact_code);
std::optional<std::string> CheckupClosed(const child::CheckupPlan& plan,
                                         std::string_view contact_code);

// Fails (missing_variable / bad_template) only when the templates are broken.
Result<Plan> PlanContact(const ContactReminder& contact, const ClinicInfo& clinic,
                         const std::set<Channel>& opted_out, const TemplateSet& templates,
                         const std::string& now);

}  // namespace jd::notify
