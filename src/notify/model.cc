#include "notify/model.h"

namespace jd::notify {

std::string_view ChannelCode(Channel c) {
  switch (c) {
    case Channel::kSms:
      return "sms";
    case Channel::kPhone:
      return "phone";
    case Channel::kSlip:
      return "slip";
    case Channel::kWeb:
      return "web";
  }
  return "sms";
}

std::string_view ChannelLabelZh(Channel c) {
  switch (c) {
    case Channel::kSms:
      return "短信";
    case Channel::kPhone:
      return "电话";
    case Channel::kSlip:
      return "通知单";
    case Channel::kWeb:
      return "网络";
  }
  return "短信";
}

std::optional<Channel> ParseChannel(std::string_view code) {
  for (Channel c : kAllChannels)
    if (ChannelCode(c) == code) return c;
  return std::nullopt;
}

bool ViaGateway(Channel c) { return c == Channel::kSms || c == Channel::kWeb; }

bool NeedsPhone(Channel c) { return c == Channel::kSms || c == Channel::kPhone; }

namespace {
constexpr std::array<NoticeStatus, 5> kAllStatuses = {
    NoticeStatus::kQueued, NoticeStatus::kSent, NoticeStatus::kDelivered, NoticeStatus::kFailed,
    NoticeStatus::kCancelled};
}  // namespace

std::string_view NoticeStatusCode(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::kQueued:
      return "queued";
    case NoticeStatus::kSent:
      return "sent";
    case NoticeStatus::kDelivered:
      return "delivered";
    case NoticeStatus::kFailed:
      return "failed";
    case NoticeStatus::kCancelled:
      return "cancelled";
  }
  return "queued";
}

std::string_view NoticeStatusLabelZh(NoticeStatus s) {
  switch (s) {
    case NoticeStatus::kQueued:
      return "待发送";
    case NoticeStatus::kSent:
      return "已发送";
    case NoticeStatus::kDelivered:
      return "已送达";
    case NoticeStatus::kFailed:
      return "失败";
    case NoticeStatus::kCancelled:
      return "已取消";
  }
  return "待发送";
}

std::optional<NoticeStatus> ParseNoticeStatus(std::string_view code) {
  for (NoticeStatus s : kAllStatuses)
    if (NoticeStatusCode(s) == code) return s;
  return std::nullopt;
}

std::string AppointmentKey(std::string_view appointment_id, Channel c) {
  std::string key = "appt:";
  key += appointment_id;
  key += ':';
  key += ChannelCode(c);
  return key;
}

namespace {

std::string ContactKey(std::string_view prefix, std::string_view subject, std::string_view contact,
                       Channel c) {
  std::string key(prefix);
  key += ':';
  key += subject;
  key += ':';
  key += contact;
  key += ':';
  key += ChannelCode(c);
  return key;
}

}  // namespace

std::string AntenatalKey(std::string_view pregnancy_id, std::string_view contact, Channel c) {
  return ContactKey("anc", pregnancy_id, contact, c);
}

std::string CheckupKey(std::string_view person_id, std::string_view contact, Channel c) {
  return ContactKey("chk", person_id, contact, c);
}

std::string AlertKey(std::string_view alert_id, std::string_view user_id, Channel c) {
  return ContactKey("alert", alert_id, user_id, c);
}

std::string AlertKeyPrefix(std::string_view alert_id) {
  std::string key = "alert:";
  key += alert_id;
  key += ':';
  return key;
}

std::string_view ReminderKindCode(ReminderKind k) {
  static constexpr std::array<std::string_view, 3> kCodes = {"immunization", "antenatal",
                                                             "child_checkup"};
  return kCodes[static_cast<std::size_t>(k)];
}

std::string_view ReminderKindLabelZh(ReminderKind k) {
  static constexpr std::array<std::string_view, 3> kLabels = {"预防接种", "孕产妇检查",
                                                              "儿童健康检查"};
  return kLabels[static_cast<std::size_t>(k)];
}

std::optional<ReminderKind> ParseReminderKind(std::string_view code) {
  for (ReminderKind k : kAllReminderKinds) {
    if (ReminderKindCode(k) == code) return k;
  }
  return std::nullopt;
}

std::string_view ReminderTemplate(ReminderKind k) {
  static constexpr std::array<std::string_view, 3> kTemplates = {
      "appointment_reminder", "antenatal_reminder", "checkup_reminder"};
  return kTemplates[static_cast<std::size_t>(k)];
}

std::optional<ReminderKind> KindOfTemplate(std::string_view template_code) {
  for (ReminderKind k : kAllReminderKinds) {
    if (ReminderTemplate(k) == template_code) return k;
  }
  return std::nullopt;
}

}  // namespace jd::notify
