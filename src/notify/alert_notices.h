// File: notify/alert_notices.h
// The delivery of severe-mental-disorder danger alerts (mental/alert_events.h) through the
// outbox: 规范 第三版 严重精神障碍患者管理服务规范 二(三)1 — a patient at danger level 3–5 is
// unstable, and the centre reports to the local police when needed; the 工作规范 2018 has the
// 综治/公安 partners of the area told of every assessment at level 3 or above. Each partner user
// of the patient's area (auth::AlertRecipientsOf) gets one notice, on the web channel (staff users
// have no phone on record; the push platform behind the gateway delivers to the user's account),
// which the dispatcher (notify/dispatcher.h) sends like any other.
//
// PlanAlertNotices (pure): the alert, the name of the patient's unit, the recipients and the
//   templates in; one notice per recipient out: person_id the patient's person, recipient the
//   username, recipient_user the user id, template "danger_alert" rendered with the recipient's
//   name, the unit, the patient's name and address, the level and the time of raising (Beijing
//   time, "2026年12月7日 14:05"); payload those variables with kind "danger_alert" and the alert
//   id; appointment_date the Beijing day of raising (the lists' order); key AlertKey(alert,
//   user, web), so that telling the same alert again adds nothing. The alert carries no diagnosis
//   and no follow-up, so neither does any notice. Fails (missing_variable / bad_template) only
//   when the templates are broken.
// AlertNotices::Listener(): the listener the app gives the mental service. On a raise, the
//   notices of PlanAlertNotices are queued (each new one audited "notice.enqueue", object the
//   notice, person the patient); the units' names precede the patient's name unless the address
//   already names the patient's unit; no partner user in the area queues nothing (the follow-up
//   answer says 0, and the centre phones). On an acknowledgement, the alert's notices not yet
//   sent are cancelled with reason "acknowledged" (each audited "notice.cancel"). It runs inside
//   the mental service's transaction.
// AlertNotices::QueueOpenAlerts(session, who): the notices of every open (unacknowledged) alert
//   within auth::AlertScopeOf(who) that a recipient lacks — for alerts written without the
//   service (`jundeng demo`) and partner users created after an alert was raised. Returns how
//   many it queued. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "auth/alert_scope.h"
#include "auth/audit_log.h"
#include "core/status.h"
#include "mental/alert_events.h"
#include "notify/model.h"
#include "notify/templates.h"
#include "registry/registry_service.h"

namespace jd::notify {

// "2026年12月7日 14:05": a UTC timestamp (FormatTimestamp's form) in Beijing time; the text as
// given when it is not a timestamp.
std::string BeijingTimeZh(const std::string& utc_timestamp);

Result<std::vector<Notice>> PlanAlertNotices(const mental::AlertRow& alert,
                                             const std::string& area_name,
                                             const std::vector<auth::AlertRecipient>& recipients,
                                             const TemplateSet& templates);

class AlertNotices {
 public:
  AlertNotices(auth::AuditLog& audit, const registry::RegistryService& registry,
               const TemplateSet& templates = TemplateSet::Default())
      : audit_(audit), registry_(registry), templates_(templates) {}

  mental::AlertListener Listener();
  Result<int> QueueOpenAlerts(soci::session& s, const auth::Principal& who);

 private:
  Result<int> Raised(soci::session& s, const auth::Principal& who, const mental::AlertRow& alert);
  Result<int> Acknowledged(soci::session& s, const auth::Principal& who,
                           const mental::AlertRow& alert);

  auth::AuditLog& audit_;
  const registry::RegistryService& registry_;
  const TemplateSet& templates_;
};

}  // namespace jd::notify
