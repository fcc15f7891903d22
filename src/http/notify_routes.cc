// The reminder outbox's API (notify/notify_service.h): clinic contacts, planning reminders,
// notices, opt-outs, staff outcomes, the gateway's delivery receipts, draining on demand, the
// printable slips and the call list.
#include <fmt/format.h>

#include "auth/access.h"
#include "auth/permissions.h"
#include "core/input.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "notify/notify_service.h"
#include "notify/slips.h"

namespace jd::http {

namespace {

using nlohmann::json;

// A date query parameter (core/input.h, DateKind::kAsOf); `fallback` when absent and optional.
Result<Date> QueryDate(const httplib::Request& req, const char* name, Presence presence,
                       const Date& fallback, const Date& today) {
  if (!req.has_param(name) && presence == Presence::kOptional) return fallback;
  FieldErrors errors;
  auto d =
      jd::DateParam(Param(req, name), name, DateKind::kAsOf, today, Presence::kRequired, errors);
  if (!d) return errors.ToStatus();
  return *d;
}

// A date member of a plan request: an appointment day (DateKind::kScheduled).
Result<Date> BodyDate(const json& body, const char* name, const Date& today) {
  FieldErrors errors;
  auto d = DateMember(body, name, DateKind::kScheduled, today, Presence::kRequired, errors);
  if (!d) return errors.ToStatus();
  return *d;
}

// The version a change of a clinic's contact must name.
std::string ContactVersion(const notify::ClinicContact& c) {
  return ContentTag({c.org_code, c.address, c.phone, c.updated_at});
}

json ContactJson(const notify::ClinicContact& c) {
  return {{"org_code", c.org_code}, {"version", ContactVersion(c)}, {"address", c.address},
          {"phone", c.phone},       {"updated_at", c.updated_at},   {"updated_by", c.updated_by}};
}

Result<Reply> ContactPut(App& app, Ctx& c, const ServerOptions&) {
  // Replacing a contact already set needs the version read; setting the first one does not.
  // Only a caller who may set it is asked for the version (the others are refused, audited).
  const bool may_set = auth::Holds(*c.who, auth::Permission::kConfigure) ||
                       auth::Holds(*c.who, auth::Permission::kVaccinationWrite);
  auto current = app.notify->GetClinicContact(*c.who, c.params[0]);
  if (may_set && current.ok()) JD_RETURN_IF_ERROR(MatchContentTag(c, ContactVersion(*current)));
  auto r = app.notify->PutClinicContact(*c.who, c.params[0], c.body);
  if (!r.ok()) return r.status();
  return Json(ContactJson(*r));
}

Result<Reply> ContactGet(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.notify->GetClinicContact(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(ContactJson(*r));
}

Result<Reply> RemindersPlan(App& app, Ctx& c, const ServerOptions&) {
  auto clinic = c.body.find("clinic_code");
  if (clinic == c.body.end() || !clinic->is_string() || clinic->get<std::string>().empty()) {
    return Invalid("clinic_code", "required", "请指定接种单位 clinic_code",
                   "clinic_code is required");
  }
  Date today = app.clock->Today();
  // Default: tomorrow's appointments, the usual reminder.
  Date from = AddDays(today, 1);
  if (c.body.contains("from")) {
    auto d = BodyDate(c.body, "from", today);
    if (!d.ok()) return d.status();
    from = *d;
  }
  Date to = from;
  if (c.body.contains("to")) {
    auto d = BodyDate(c.body, "to", today);
    if (!d.ok()) return d.status();
    to = *d;
  }
  // Optional "kinds": without it, every kind the caller may plan; naming one they may not is 403.
  std::vector<notify::ReminderKind> kinds;
  if (auto k = c.body.find("kinds"); k != c.body.end()) {
    if (!k->is_array() || k->empty() || k->size() > notify::kAllReminderKinds.size()) {
      return Invalid("kinds", "invalid_value",
                     "kinds 应列出 immunization、antenatal 或 child_checkup",
                     "kinds must list immunization, antenatal or child_checkup");
    }
    for (const auto& item : *k) {
      auto kind =
          item.is_string() ? notify::ParseReminderKind(item.get<std::string>()) : std::nullopt;
      if (!kind) {
        return Invalid("kinds", "invalid_value",
                       "提醒类别应为 immunization（预防接种）、antenatal（孕产妇检查）或 "
                       "child_checkup（儿童健康检查）",
                       "a kind is immunization, antenatal or child_checkup");
      }
      kinds.push_back(*kind);
    }
  }
  auto r = app.notify->PlanReminders(*c.who, clinic->get<std::string>(), from, to, kinds);
  if (!r.ok()) return r.status();
  return Json(notify::PlanReportToJson(*r));
}

Result<Reply> NoticesList(App& app, Ctx& c, const ServerOptions&) {
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) return page.status();
  auto size = IntParam(c.req, "page_size", 50, 1, 200);
  if (!size.ok()) return size.status();
  notify::NoticeFilter f;
  f.clinic_code = Param(c.req, "clinic");
  if (std::string s = Param(c.req, "status"); !s.empty()) {
    f.status = notify::ParseNoticeStatus(s);
    if (!f.status) {
      return Invalid("status", "invalid_value",
                     "status 应为 queued、sent、delivered、failed 或 cancelled",
                     "status must be queued, sent, delivered, failed or cancelled");
    }
  }
  if (std::string k = Param(c.req, "kind"); !k.empty()) {
    auto kind = notify::ParseReminderKind(k);
    if (!kind) {
      return Invalid("kind", "invalid_value", "kind 应为 immunization、antenatal 或 child_checkup",
                     "kind must be immunization, antenatal or child_checkup");
    }
    f.template_code = std::string(notify::ReminderTemplate(*kind));
  }
  if (std::string ch = Param(c.req, "channel"); !ch.empty()) {
    f.channel = notify::ParseChannel(ch);
    if (!f.channel) {
      return Invalid("channel", "invalid_value", "channel 应为 sms、phone、slip 或 web",
                     "channel must be sms, phone, slip or web");
    }
  }
  for (auto [name, target] : {std::pair{"from", &f.date_from}, std::pair{"to", &f.date_to}}) {
    if (!c.req.has_param(name)) continue;
    auto d = QueryDate(c.req, name, Presence::kRequired, Date{}, app.clock->Today());
    if (!d.ok()) return d.status();
    *target = FormatDate(*d);
  }
  f.limit = *size;
  f.offset = (*page - 1) * *size;
  auto rows = app.notify->ListNotices(*c.who, f);
  if (!rows.ok()) return rows.status();
  json items = json::array();
  for (const auto& r : *rows) items.push_back(notify::NoticeToJson(r, /*mask=*/true));
  return Json({{"items", items}, {"page", *page}, {"page_size", *size}});
}

Result<Reply> PersonNotices(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.notify->NoticesOfPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array(), opt_outs = json::array();
  for (const auto& n : r->notices) items.push_back(notify::NoticeToJson(n, /*mask=*/true));
  for (const auto& o : r->opt_outs) opt_outs.push_back(notify::OptOutToJson(o));
  return Json({{"items", items}, {"opt_outs", opt_outs}});
}

Result<Reply> OptOutsJson(const Result<std::vector<notify::OptOut>>& r) {
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& o : *r) items.push_back(notify::OptOutToJson(o));
  return Json({{"opt_outs", items}});
}

Result<Reply> OptOut(App& app, Ctx& c, const ServerOptions&) {
  return OptOutsJson(app.notify->OptOutOf(*c.who, c.params[0], c.body));
}

Result<Reply> OptIn(App& app, Ctx& c, const ServerOptions&) {
  return OptOutsJson(app.notify->OptIn(*c.who, c.params[0], c.body));
}

Result<Reply> Outcome(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.notify->RecordOutcome(*c.who, c.params[0], c.body);
  if (!r.ok()) return r.status();
  return Json(notify::NoticeToJson(*r, /*mask=*/true));
}

// The gateway is no user of the system: it proves itself with the shared secret's signature over
// the raw body, checked before the body is even parsed.
Result<Reply> Receipt(App& app, Ctx& c, const ServerOptions&) {
  auto secret = app.notify->ReceiptSecret();
  if (!secret.ok()) return secret.status();
  if (!notify::VerifySignature(*secret, c.req.get_header_value("X-Jundeng-Timestamp"), c.req.body,
                               c.req.get_header_value("X-Jundeng-Signature"), app.clock->Now())) {
    return Status::Unauthenticated("missing or invalid signature", "签名缺失或无效");
  }
  json body = json::parse(c.req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Invalid("", "invalid_json", "请求体应为 JSON 对象", "the body must be a JSON object");
  }
  auto r = app.notify->RecordReceipt(
      notify::NotifyService::GatewayPrincipal(c.client, c.request_id), body);
  if (!r.ok()) return r.status();
  return Json(
      {{"notice_id", r->notice.id}, {"status", notify::NoticeStatusCode(r->notice.status)}});
}

Result<Reply> DrainNow(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.notify->DrainConfigured(*c.who);
  if (!r.ok()) return r.status();
  return Json(notify::DrainReportToJson(*r));
}

Result<Reply> Slips(App& app, Ctx& c, const ServerOptions&) {
  auto date = QueryDate(c.req, "date", Presence::kOptional, AddDays(app.clock->Today(), 1),
                        app.clock->Today());
  if (!date.ok()) return date.status();
  auto day = app.notify->Slips(*c.who, c.params[0], *date);
  if (!day.ok()) return day.status();
  Reply r;
  r.raw = notify::SlipsHtml(day->clinic, day->date, day->rows);
  r.content_type = "text/html; charset=utf-8";
  return r;
}

Result<Reply> CallList(App& app, Ctx& c, const ServerOptions&) {
  auto date = QueryDate(c.req, "date", Presence::kOptional, AddDays(app.clock->Today(), 1),
                        app.clock->Today());
  if (!date.ok()) return date.status();
  std::string format = Param(c.req, "format");
  if (!format.empty() && format != "json" && format != "csv") {
    return Invalid("format", "invalid_value", "format 应为 json 或 csv",
                   "format must be json or csv");
  }
  auto day = app.notify->CallList(*c.who, c.params[0], *date);
  if (!day.ok()) return day.status();
  if (format == "csv") {
    Reply r;
    r.raw = notify::CallListCsv(day->rows);
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back(
        "Content-Disposition",
        fmt::format("attachment; filename=\"call-list-{}-{}.csv\"", day->clinic.code, day->date));
    return r;
  }
  return Json({{"clinic_code", day->clinic.code},
               {"clinic_name", day->clinic.name},
               {"date", day->date},
               {"items", notify::CallListJson(day->rows)}});
}

}  // namespace

std::vector<Route> NotifyRoutes() {
  return {
      {{"GET", "/api/v1/notify/clinics/{code}/contact", true}, false, ContactGet},
      {{"PUT", "/api/v1/notify/clinics/{code}/contact", true}, true, ContactPut},
      {{"GET", "/api/v1/notify/clinics/{code}/slips", true}, false, Slips},
      {{"GET", "/api/v1/notify/clinics/{code}/call-list", true}, false, CallList},
      {{"POST", "/api/v1/notify/reminders", true}, true, RemindersPlan},
      {{"GET", "/api/v1/notify/notices", true}, false, NoticesList},
      {{"POST", "/api/v1/notify/notices/{id}/outcome", true}, true, Outcome},
      {{"POST", "/api/v1/notify/receipts", false}, false, Receipt},
      {{"POST", "/api/v1/notify/drain", true}, false, DrainNow},
      {{"GET", "/api/v1/persons/{id}/notices", true}, false, PersonNotices},
      {{"POST", "/api/v1/persons/{id}/notify-opt-out", true}, true, OptOut},
      {{"POST", "/api/v1/persons/{id}/notify-opt-in", true}, true, OptIn},
  };
}

}  // namespace jd::http
