// File: notify/model.h
// Plain structs of the reminder outbox: notices to a child's guardian about an appointment (or
// another reason), by channel, with their delivery state; opt-outs; the contact details of a
// clinic that the messages quote. No I/O here.
//
// Kinds of reminder: immunization (a booked appointment; appointment_id set), antenatal (a contact
// of a pregnancy's care schedule, maternal/antenatal.h, to the woman herself) and child_checkup
// (a contact of a child's 0–6 schedule, child/checkups.h, to the guardian). The schedule contacts
// have no booking: their notices leave appointment_id empty, keep the centre in clinic_code and,
// in appointment_date, the day the reminder is for (the contact's window start, or the first day
// planned when the window was already open); the payload names the pregnancy or child
// (subject_id) and the contact (contact_code). The kind follows from the template code.
//
// Channels follow 国家基本公共卫生服务规范（第三版）预防接种服务规范 二(一)2: the clinic tells the
// guardian the vaccines, date, place and requirements "by appointment, notice slip (通知单), phone,
// SMS, the internet …". SMS and web notices are handed to a gateway (notify/gateway.h); phone
// notices form the call list and slip notices the printable 通知单, both worked by clinic staff who
// record the outcome.
//
// Status: queued → sent → delivered | failed; queued → failed (permanent error, or retries used
// up); queued → cancelled (opt-out, or the appointment is no longer booked).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jd::notify {

enum class Channel : std::uint8_t { kSms, kPhone, kSlip, kWeb };
inline constexpr std::array<Channel, 4> kAllChannels = {Channel::kSms, Channel::kPhone,
                                                        Channel::kSlip, Channel::kWeb};

std::string_view ChannelCode(Channel c);  // "sms", "phone", "slip", "web"
std::string_view ChannelLabelZh(Channel c);
std::optional<Channel> ParseChannel(std::string_view code);
// Whether the dispatcher hands notices of this channel to a gateway (sms, web); phone and slip
// notices are worked by staff.
bool ViaGateway(Channel c);
// Whether the channel needs a phone number to reach the guardian (sms, phone).
bool NeedsPhone(Channel c);

enum class NoticeStatus : std::uint8_t { kQueued, kSent, kDelivered, kFailed, kCancelled };

std::string_view NoticeStatusCode(NoticeStatus s);  // "queued", "sent", …
std::string_view NoticeStatusLabelZh(NoticeStatus s);
std::optional<NoticeStatus> ParseNoticeStatus(std::string_view code);

struct Notice {
  std::string id;
  std::string person_id;       // the child
  std::string appointment_id;  // empty for notices not about an appointment
  Channel channel = Channel::kSms;
  std::string recipient;         // the guardian's phone (sms, phone); empty for slip and web
  std::string template_code;     // e.g. "appointment_reminder"
  std::string text;              // the rendered message, fixed at enqueue time
  std::string payload;           // JSON object: the template's variables (child_name, date, …)
  std::string clinic_code;       // org unit of the clinic, when about an appointment
  std::string appointment_date;  // YYYY-MM-DD, when about an appointment
  NoticeStatus status = NoticeStatus::kQueued;
  int attempts = 0;             // gateway attempts made (claims)
  std::string next_attempt_at;  // UTC timestamp; due when now ≥ it
  std::string last_error;
  std::string gateway_message_id;
  std::string idempotency_key;  // UNIQUE: "appt:<appointment id>:<channel>"
  // A staff user the notice is addressed to (users.id): the danger alerts to partner users
  // (notify/alert_notices.h), whose notices are about the patient but kept out of the clinics'
  // reminder lists. Empty for the reminders to a person or guardian.
  std::string recipient_user;
  std::string created_at, updated_at;
  std::string sent_at, finished_at;  // finished: delivered, failed or cancelled
};

// "appt:<appointment id>:<channel>": one notice per appointment and channel, whatever the retries.
std::string AppointmentKey(std::string_view appointment_id, Channel c);
// "anc:<pregnancy id>:<contact code>:<channel>": one notice per antenatal or postpartum contact.
std::string AntenatalKey(std::string_view pregnancy_id, std::string_view contact, Channel c);
// "chk:<person id>:<contact code>:<channel>": one notice per check-up contact of a child.
std::string CheckupKey(std::string_view person_id, std::string_view contact, Channel c);
// "alert:<alert id>:<user id>:<channel>": one notice per danger alert, partner user and channel.
std::string AlertKey(std::string_view alert_id, std::string_view user_id, Channel c);
// "alert:<alert id>:": the prefix of every notice of one alert.
std::string AlertKeyPrefix(std::string_view alert_id);

enum class ReminderKind : std::uint8_t { kImmunization, kAntenatal, kChildCheckup };
inline constexpr std::array<ReminderKind, 3> kAllReminderKinds = {
    ReminderKind::kImmunization, ReminderKind::kAntenatal, ReminderKind::kChildCheckup};

std::string_view ReminderKindCode(ReminderKind k);  // "immunization", "antenatal", "child_checkup"
std::string_view ReminderKindLabelZh(ReminderKind k);
std::optional<ReminderKind> ParseReminderKind(std::string_view code);
// The template a kind's notices are rendered from ("appointment_reminder", "antenatal_reminder",
// "checkup_reminder"), and back (nullopt for another template).
std::string_view ReminderTemplate(ReminderKind k);
std::optional<ReminderKind> KindOfTemplate(std::string_view template_code);

struct OptOut {
  std::string person_id;
  Channel channel = Channel::kSms;
  std::string reason;
  std::string at;
  std::string by;
};

// Address and phone of a clinic (an org unit), quoted in the messages.
struct ClinicContact {
  std::string org_code;
  std::string address;
  std::string phone;
  std::string updated_at;
  std::string updated_by;
};

}  // namespace jd::notify
