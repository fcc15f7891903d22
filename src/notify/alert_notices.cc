#include "notify/alert_notices.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/ids.h"
#include "notify/notice_store.h"

namespace jd::notify {

namespace {

// The unit and the units above it up to the district ("青秀区南湖街道南湖社区"): enough for a
// partner to place the address; the city is the same for everyone.
std::string AreaNameOf(const registry::RegistryService& registry, const std::string& org_code) {
  std::vector<std::string> names;
  std::optional<registry::OrgUnit> unit = registry.FindOrg(org_code);
  while (unit && unit->level != registry::OrgLevel::kCity) {
    names.push_back(unit->name);
    unit = registry.FindOrg(unit->parent_code);
  }
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) out += *it;
  return out;
}

}  // namespace

std::string BeijingTimeZh(const std::string& utc_timestamp) {
  const auto t = ParseTimestamp(utc_timestamp);
  if (!t) return utc_timestamp;
  using namespace std::chrono;
  const auto local = floor<minutes>(*t) + hours(8);  // Asia/Shanghai: UTC+8, no daylight saving
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<minutes> hm{local - day};
  return fmt::format("{}年{}月{}日 {:02}:{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hm.hours().count(), hm.minutes().count());
}

Result<std::vector<Notice>> PlanAlertNotices(const mental::AlertRow& alert,
                                             const std::string& area_name,
                                             const std::vector<auth::AlertRecipient>& recipients,
                                             const TemplateSet& templates) {
  const Template* tpl = templates.Find(kDangerAlert, Channel::kWeb);
  if (!tpl) {
    return Status::FailedPrecondition("no danger_alert template for channel web",
                                      "缺少渠道“网络”的危险性预警模板");
  }
  const std::string raised_zh = BeijingTimeZh(alert.alert.raised_at);
  const auto raised = ParseTimestamp(alert.alert.raised_at);
  const std::string raised_day =
      raised
          ? FormatDate(Date{std::chrono::floor<std::chrono::days>(*raised + std::chrono::hours(8))})
          : alert.alert.raised_at.substr(0, 10);
  std::vector<Notice> out;
  for (const auth::AlertRecipient& to : recipients) {
    TemplateVars vars = {
        {"recipient_name", to.display_name.empty() ? to.username : to.display_name},
        {"area_name", area_name},
        {"person_name", alert.name},
        {"address", alert.address},
        {"danger_level", std::to_string(alert.alert.danger_level)},
        {"raised_at", raised_zh}};
    auto text = Render(tpl->text, vars);
    if (!text.ok()) return text.status();
    nlohmann::json payload(vars);
    payload["kind"] = kDangerAlert;
    payload["alert_id"] = alert.alert.id;
    Notice n;
    n.person_id = alert.person_id;
    n.channel = Channel::kWeb;
    n.recipient = to.username;
    n.recipient_user = to.user_id;
    n.template_code = std::string(kDangerAlert);
    n.text = std::move(text).value();
    n.payload = payload.dump();
    n.appointment_date = raised_day;
    n.status = NoticeStatus::kQueued;
    n.next_attempt_at = alert.alert.raised_at;
    n.created_at = n.updated_at = alert.alert.raised_at;
    n.idempotency_key = AlertKey(alert.alert.id, to.user_id, Channel::kWeb);
    out.push_back(std::move(n));
  }
  return out;
}

mental::AlertListener AlertNotices::Listener() {
  return [this](soci::session& s, const auth::Principal& who,
                const mental::AlertEvent& event) -> Result<int> {
    return event.change == mental::AlertChange::kRaised ? Raised(s, who, event.alert)
                                                        : Acknowledged(s, who, event.alert);
  };
}

Result<int> AlertNotices::QueueOpenAlerts(soci::session& s, const auth::Principal& who) {
  int queued = 0;
  for (const mental::AlertRow& alert :
       mental::MentalStore::Alerts(s, auth::AlertScopeOf(who), /*open_only=*/true, 1000000)) {
    if (!alert.alert.acknowledged_at.empty()) continue;
    JD_ASSIGN_OR_RETURN(int n, Raised(s, who, alert));
    queued += n;
  }
  return queued;
}

Result<int> AlertNotices::Raised(soci::session& s, const auth::Principal& who,
                                 const mental::AlertRow& alert) {
  const std::vector<auth::AlertRecipient> recipients =
      auth::AlertRecipientsOf(s, alert.alert.area_path);
  // An address that already names the patient's unit (most do: "南宁市兴宁区…社区…路10号") is
  // not preceded by the units again.
  const std::optional<registry::OrgUnit> unit = registry_.FindOrg(alert.residence_org);
  const bool address_names_unit =
      unit && !unit->name.empty() && alert.address.find(unit->name) != std::string::npos;
  const std::string area =
      address_names_unit ? std::string() : AreaNameOf(registry_, alert.residence_org);
  JD_ASSIGN_OR_RETURN(std::vector<Notice> notices,
                      PlanAlertNotices(alert, area, recipients, templates_));
  int queued = 0;
  for (Notice& n : notices) {
    n.id = NewId();
    const std::optional<std::string> id = NoticeStore::Enqueue(s, n);
    if (!id) continue;
    ++queued;
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "notice.enqueue",
         .object_type = "notice",
         .object_id = *id,
         .person_id = n.person_id,
         .detail = fmt::format("channel={} kind={} alert={} to={}", ChannelCode(n.channel),
                               kDangerAlert, alert.alert.id, n.recipient)}));
  }
  return queued;
}

Result<int> AlertNotices::Acknowledged(soci::session& s, const auth::Principal& who,
                                       const mental::AlertRow& alert) {
  const std::vector<Notice> cancelled = NoticeStore::CancelQueuedOfAlert(
      s, auth::AlertScopeOf(who), alert.alert.id, "acknowledged", alert.alert.acknowledged_at);
  for (const Notice& n : cancelled) {
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "notice.cancel",
                       .object_type = "notice",
                       .object_id = n.id,
                       .person_id = n.person_id,
                       .detail = fmt::format("reason=acknowledged kind={} alert={} to={}",
                                             kDangerAlert, alert.alert.id, n.recipient)}));
  }
  return static_cast<int>(cancelled.size());
}

}  // namespace jd::notify
