#include "notify/notify_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "auth/access.h"
#include "auth/auth_service.h"
#include "auth/permissions.h"
#include "child/store.h"
#include "core/ids.h"
#include "core/input.h"
#include "maternal/store.h"
#include "notify/slips.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::notify {

using auth::Permission;
using auth::Principal;
using nlohmann::json;

namespace {

constexpr const char* kGatewaySetting = "notify.gateway";
constexpr const char* kSecretSetting = "notify.receipt_secret";
constexpr int kMaxPlanDays = 31;

Status NoticeNotFound() { return Status::NotFound("no such notice", "通知不存在"); }
Status PersonNotFound() { return Status::NotFound("no such person", "人员不存在"); }

// The permission a kind of reminder is planned with: that of the records it is about.
Permission PlanPermission(ReminderKind k) {
  return k == ReminderKind::kImmunization ? Permission::kVaccinationWrite
                                          : Permission::kMaternalCare;
}

// The 0–6 management population: younger than 7 years (child/checkups.h).
constexpr int kChildMonths = 84;

std::set<Channel> OptedOut(soci::session& s, const auth::Scope& scope,
                           const std::string& person_id) {
  std::set<Channel> out;
  for (const auto& o : NoticeStore::OptOuts(s, scope, person_id)) out.insert(o.channel);
  return out;
}

// The queued notices of a kind at a clinic, children within `scope`.
std::vector<NoticeRow> QueuedOf(soci::session& s, const auth::Scope& scope,
                                const std::string& clinic_code, ReminderKind kind) {
  return NoticeStore::List(s, scope,
                           {.clinic_code = clinic_code,
                            .status = NoticeStatus::kQueued,
                            .limit = 5000,
                            .template_code = std::string(ReminderTemplate(kind))});
}

// The pregnancy or child and the contact a schedule contact's notice is about (its payload).
std::pair<std::string, std::string> SubjectOf(const Notice& n) {
  json p = json::parse(n.payload, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return {};
  return {p.value("subject_id", ""), p.value("contact_code", "")};
}

bool ValidClinicPhone(const std::string& phone) {
  if (phone.size() < 5 || phone.size() > 20) return false;
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != '-' && c != ' ' && c != '(' && c != ')' && c != '+') {
      return false;
    }
  }
  return digits >= 5;
}

}  // namespace

// ---- JSON ----

json GatewayConfigToJson(const GatewayConfig& c) {
  json j = {{"kind", c.kind},
            {"timeout_ms", c.timeout_ms},
            {"max_attempts", c.retry.max_attempts},
            {"retry_base_ms", c.retry.base.count()},
            {"retry_cap_ms", c.retry.cap.count()}};
  if (c.kind == "webhook") j["url"] = c.url;
  if (c.kind == "file") j["path"] = c.path;
  return j;
}

Result<GatewayConfig> GatewayConfigFromJson(const json& j) {
  GatewayConfig c;
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    return Status::Invalid(
        {{"kind", "required", "请指定网关类型 webhook 或 file", "kind must be webhook or file"}});
  }
  c.kind = j["kind"].get<std::string>();
  if (c.kind != "webhook" && c.kind != "file") {
    return Status::Invalid({{"kind", "invalid_value", "网关类型应为 webhook 或 file",
                             "kind must be webhook or file"}});
  }
  c.url = j.value("url", "");
  c.path = j.value("path", "");
  c.timeout_ms = j.value("timeout_ms", 10000);
  c.retry.max_attempts = j.value("max_attempts", c.retry.max_attempts);
  c.retry.base = std::chrono::milliseconds(j.value("retry_base_ms", c.retry.base.count()));
  c.retry.cap = std::chrono::milliseconds(j.value("retry_cap_ms", c.retry.cap.count()));
  return c;
}

json PlanReportToJson(const PlanReport& r) {
  auto opt = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
  json skipped = json::array();
  for (const auto& s : r.skipped) {
    skipped.push_back({{"appointment_id", opt(s.appointment_id)},
                       {"person_id", s.person_id},
                       {"kind", ReminderKindCode(s.kind)},
                       {"contact", opt(s.contact)},
                       {"channel", ChannelCode(s.channel)},
                       {"reason", s.reason}});
  }
  json kinds = json::array(), by_kind = json::object();
  for (ReminderKind k : r.kinds) kinds.push_back(ReminderKindCode(k));
  for (const auto& [k, c] : r.by_kind) {
    by_kind[std::string(ReminderKindCode(k))] = {{"planned", c.planned},
                                                 {"enqueued", c.enqueued},
                                                 {"existing", c.existing},
                                                 {"cancelled", c.cancelled}};
  }
  return {{"clinic_code", r.clinic_code},
          {"from", r.from},
          {"to", r.to},
          {"appointments", r.appointments},
          {"enqueued", r.enqueued},
          {"existing", r.existing},
          {"cancelled", r.cancelled},
          {"skipped", skipped},
          {"kinds", kinds},
          {"by_kind", by_kind}};
}

json NoticeToJson(const NoticeRow& row, bool mask) {
  const Notice& n = row.notice;
  auto opt = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
  const std::optional<ReminderKind> kind = KindOfTemplate(n.template_code);
  return {{"id", n.id},
          {"person_id", n.person_id},
          {"child_name", row.child_name},
          {"appointment_id", opt(n.appointment_id)},
          {"channel", ChannelCode(n.channel)},
          {"channel_label", ChannelLabelZh(n.channel)},
          {"recipient", n.recipient.empty()
                            ? json(nullptr)
                            : json(mask ? registry::MaskPhone(n.recipient) : n.recipient)},
          {"template", n.template_code},
          {"kind", kind ? json(ReminderKindCode(*kind)) : json(nullptr)},
          {"kind_label", kind ? json(ReminderKindLabelZh(*kind)) : json(nullptr)},
          {"subject", opt(NoticeSubject(n))},
          {"text", n.text},
          {"clinic_code", opt(n.clinic_code)},
          {"appointment_date", opt(n.appointment_date)},
          {"status", NoticeStatusCode(n.status)},
          {"status_label", NoticeStatusLabelZh(n.status)},
          {"attempts", n.attempts},
          {"next_attempt_at",
           n.status == NoticeStatus::kQueued ? json(n.next_attempt_at) : json(nullptr)},
          {"last_error", opt(n.last_error)},
          {"gateway_message_id", opt(n.gateway_message_id)},
          {"idempotency_key", n.idempotency_key},
          {"created_at", n.created_at},
          {"updated_at", n.updated_at},
          {"sent_at", opt(n.sent_at)},
          {"finished_at", opt(n.finished_at)}};
}

json OptOutToJson(const OptOut& o) {
  return {{"person_id", o.person_id},
          {"channel", ChannelCode(o.channel)},
          {"reason", o.reason},
          {"at", o.at},
          {"recorded_by", o.by}};
}

json DrainReportToJson(const DrainReport& r) {
  return {{"attempts", r.claimed},
          {"sent", r.sent},
          {"retried", r.retried},
          {"failed", r.failed},
          {"lost_claims", r.lost}};
}

// ---- Service ----

NotifyService::NotifyService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                             const registry::RegistryService& registry,
                             const TemplateSet& templates, const immunization::Schedule& schedule)
    : db_(db),
      audit_(audit),
      clock_(clock),
      registry_(registry),
      templates_(templates),
      schedule_(schedule),
      dispatcher_(db, audit, clock) {}

Principal NotifyService::GatewayPrincipal(const std::string& client,
                                          const std::string& request_id) {
  Principal p;
  p.user_id = "gateway";
  p.username = "gateway:receipt";
  p.role = auth::Role::kSysadmin;  // holds no personal data of its own
  p.client = client;
  p.request_id = request_id;
  return p;
}

Result<registry::OrgUnit> NotifyService::ClinicFor(const Principal& who, const std::string& code,
                                                   bool write) const {
  auto org = registry_.FindOrg(code);
  if (!org) {
    return Status::NotFound("no such clinic (org unit): " + code,
                            "接种单位（机构）不存在：" + code);
  }
  // The system administrator configures every clinic; anyone else works for clinics within their
  // own jurisdiction (the system principal's is the whole city). Another jurisdiction's clinic is
  // answered as unknown, and the attempt recorded.
  if (auth::Holds(who, Permission::kConfigure)) return *org;
  if (!auth::ScopeOf(who).Covers(org->path)) {
    return auth::RefuseOutsideScope(audit_, who,
                                    {.action = write ? "clinic.write" : "clinic.read",
                                     .object_type = "clinic",
                                     .object_id = code},
                                    Status::NotFound("no such clinic in your jurisdiction: " + code,
                                                     "辖区内没有此接种单位：" + code));
  }
  return *org;
}

Status NotifyService::CheckPerson(const Principal& who, const auth::Scope& scope,
                                  const std::string& person_id, const std::string& action) {
  auth::ScopedRow<registry::Person> p;
  if (IsUuid(person_id)) {
    JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
      p = registry::PersonStore::Get(s, scope, person_id);
      return Status::Ok();
    }));
  }
  if (p) return Status::Ok();
  if (p.outside_scope()) {
    return auth::RefuseOutsideScope(
        audit_, who,
        {.action = action, .object_type = "person", .object_id = person_id, .person_id = person_id},
        PersonNotFound());
  }
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = "person",
                                         .object_id = person_id.substr(0, 64),
                                         .result = "not_found"}));
  return PersonNotFound();
}

// ---- Clinic contacts ----

Result<ClinicContact> NotifyService::PutClinicContact(const Principal& who,
                                                      const std::string& org_code,
                                                      const json& body) {
  JD_RETURN_IF_ERROR(
      auth::RequireAny(who, {Permission::kConfigure, Permission::kVaccinationWrite}));
  JD_ASSIGN_OR_RETURN(registry::OrgUnit org, ClinicFor(who, org_code, /*write=*/true));
  FieldErrors errors;
  auto address = OptionalTextMember(body, "address", FieldKind::kAddress, errors);
  auto phone = OptionalTextMember(body, "phone", FieldKind::kPhone, errors);
  if (errors.empty()) {
    if (!address || address->empty()) {
      errors.Add("address", "required", "请填写接种单位地址", "address is required");
    }
    if (!phone || phone->empty()) {
      errors.Add("phone", "required", "请填写接种单位电话", "phone is required");
    } else if (!ValidClinicPhone(*phone)) {
      errors.Add("phone", "invalid_phone", "电话号码格式不正确（数字，可含 - 和括号）",
                 "the phone must be digits, with - or brackets");
    }
  }
  JD_RETURN_IF_ERROR(errors.ToStatus());
  ClinicContact c{org.code, *address, *phone, FormatTimestamp(clock_.Now()), who.username};
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    NoticeStore::PutClinicContact(s, c);
    return audit_.Append(
        s, who,
        {.action = "clinic_contact.update", .object_type = "org_unit", .object_id = org.code});
  }));
  return c;
}

Result<ClinicContact> NotifyService::GetClinicContact(const Principal& who,
                                                      const std::string& org_code) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kOrgRead));
  JD_RETURN_IF_ERROR(ClinicFor(who, org_code, /*write=*/false).status());
  std::optional<ClinicContact> c;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    c = NoticeStore::GetClinicContact(s, org_code);
    return Status::Ok();
  }));
  if (!c) {
    return Status::NotFound("the clinic's address and phone are not set",
                            "尚未设置该接种单位的地址和电话");
  }
  return *c;
}

// ---- Planning ----

Result<PlanReport> NotifyService::PlanReminders(const Principal& who,
                                                const std::string& clinic_code, const Date& from,
                                                const Date& to) {
  return PlanReminders(who, clinic_code, from, to, {ReminderKind::kImmunization});
}

Result<PlanReport> NotifyService::PlanReminders(const Principal& who,
                                                const std::string& clinic_code, const Date& from,
                                                const Date& to,
                                                const std::vector<ReminderKind>& asked) {
  std::vector<ReminderKind> kinds;
  for (ReminderKind k : kAllReminderKinds) {
    const bool named = std::find(asked.begin(), asked.end(), k) != asked.end();
    if (named) {
      JD_RETURN_IF_ERROR(auth::Require(who, PlanPermission(k)));
      kinds.push_back(k);
    } else if (asked.empty() && auth::Holds(who, PlanPermission(k))) {
      kinds.push_back(k);
    }
  }
  if (kinds.empty()) {
    return Status::PermissionDenied("you may plan no kind of reminder", "您无权安排任何提醒");
  }
  if (DaysBetween(from, to) < 0) {
    return Status::Invalid({{"to", "before_from", "结束日期早于开始日期", "to is before from"}});
  }
  if (DaysBetween(from, to) >= kMaxPlanDays) {
    return Status::Invalid(
        {{"to", "range_too_long", fmt::format("一次最多安排 {} 天的提醒", kMaxPlanDays),
          fmt::format("at most {} days at a time", kMaxPlanDays)}});
  }
  JD_ASSIGN_OR_RETURN(registry::OrgUnit org, ClinicFor(who, clinic_code, /*write=*/true));
  const auth::Scope scope = auth::ScopeOf(who);
  const std::string df = FormatDate(from), dt = FormatDate(to);
  // Schedules are read as of the first day planned, and never before today.
  const Date today = clock_.Today();
  const Date as_of = from < today ? today : from;
  PlanReport report{.clinic_code = org.code, .from = df, .to = dt};
  report.kinds = kinds;
  for (ReminderKind k : kinds) report.by_kind[k] = {};
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    auto contact = NoticeStore::GetClinicContact(s, org.code);
    if (!contact) {
      return Status::FailedPrecondition("set the clinic's address and phone first",
                                        "请先设置接种单位的地址和电话")
          .WithFieldErrors({{"clinic", "clinic_contact_missing", "请先设置接种单位的地址和电话",
                             "set the clinic's address and phone first"}});
    }
    ClinicInfo clinic{org.code, org.name, contact->address, contact->phone};
    std::string now = FormatTimestamp(clock_.Now());
    for (ReminderKind k : kinds) {
      switch (k) {
        case ReminderKind::kImmunization:
          JD_RETURN_IF_ERROR(PlanAppointments(s, who, scope, clinic, df, dt, now, report));
          break;
        case ReminderKind::kAntenatal:
          JD_RETURN_IF_ERROR(PlanAntenatal(s, who, scope, clinic, as_of, to, now, report));
          break;
        case ReminderKind::kChildCheckup:
          JD_RETURN_IF_ERROR(PlanCheckups(s, who, scope, org, clinic, as_of, to, now, report));
          break;
      }
    }
    std::string kind_codes;
    for (ReminderKind k : kinds) {
      if (!kind_codes.empty()) kind_codes += ',';
      kind_codes += ReminderKindCode(k);
    }
    return audit_.Append(s, who,
                         {.action = "notice.plan",
                          .object_type = "org_unit",
                          .object_id = org.code,
                          .detail = fmt::format("from={} to={} appointments={} enqueued={} "
                                                "existing={} cancelled={} kinds={}",
                                                df, dt, report.appointments, report.enqueued,
                                                report.existing, report.cancelled, kind_codes)});
  }));
  return report;
}

Status NotifyService::EnqueuePlan(soci::session& s, const Principal& who, Plan& plan,
                                  ReminderKind kind, PlanReport& report) {
  KindCounts& counts = report.by_kind[kind];
  report.skipped.insert(report.skipped.end(), plan.skipped.begin(), plan.skipped.end());
  for (Notice& n : plan.notices) {
    n.id = NewId();
    std::optional<std::string> id = NoticeStore::Enqueue(s, n);
    if (!id) {
      ++report.existing;
      ++counts.existing;
      continue;
    }
    n.id = *id;
    ++report.enqueued;
    ++counts.enqueued;
    std::string about =
        n.appointment_id.empty()
            ? fmt::format("kind={} key={}", ReminderKindCode(kind), n.idempotency_key)
            : fmt::format("appointment={}", n.appointment_id);
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "notice.enqueue",
                       .object_type = "notice",
                       .object_id = n.id,
                       .person_id = n.person_id,
                       .detail = fmt::format("channel={} {}", ChannelCode(n.channel), about)}));
  }
  return Status::Ok();
}

Status NotifyService::CancelNotice(soci::session& s, const Principal& who, const auth::Scope& scope,
                                   const NoticeRow& row, const std::string& reason,
                                   ReminderKind kind, const std::string& now, PlanReport& report) {
  if (!NoticeStore::CancelOne(s, scope, row.notice.id, reason, now)) return Status::Ok();
  ++report.cancelled;
  ++report.by_kind[kind].cancelled;
  return audit_.Append(s, who,
                       {.action = "notice.cancel",
                        .object_type = "notice",
                        .object_id = row.notice.id,
                        .person_id = row.notice.person_id,
                        .detail = reason});
}

Status NotifyService::PlanAppointments(soci::session& s, const Principal& who,
                                       const auth::Scope& scope, const ClinicInfo& clinic,
                                       const std::string& df, const std::string& dt,
                                       const std::string& now, PlanReport& report) {
  KindCounts& counts = report.by_kind[ReminderKind::kImmunization];
  for (const auto& [id, person] : NoticeStore::CancelStale(s, scope, clinic.code, df, dt, now)) {
    ++report.cancelled;
    ++counts.cancelled;
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "notice.cancel",
                                      .object_type = "notice",
                                      .object_id = id,
                                      .person_id = person,
                                      .detail = "appointment_not_booked"}));
  }
  for (const AppointmentInfo& a : NoticeStore::Appointments(s, scope, clinic.code, df, dt)) {
    if (a.status != "booked") continue;
    ++report.appointments;
    ++counts.planned;
    auto plan =
        PlanAppointment(a, clinic, OptedOut(s, scope, a.person_id), templates_, schedule_, now);
    if (!plan.ok()) return plan.status();
    JD_RETURN_IF_ERROR(EnqueuePlan(s, who, *plan, ReminderKind::kImmunization, report));
  }
  return Status::Ok();
}

Status NotifyService::PlanAntenatal(soci::session& s, const Principal& who,
                                    const auth::Scope& scope, const ClinicInfo& clinic,
                                    const Date& as_of, const Date& to, const std::string& now,
                                    PlanReport& report) {
  // Queued reminders of contacts done or closed since they were planned.
  std::map<std::string, std::optional<maternal::CareSchedule>> schedules;
  for (const NoticeRow& row : QueuedOf(s, scope, clinic.code, ReminderKind::kAntenatal)) {
    auto [subject, contact] = SubjectOf(row.notice);
    auto it = schedules.find(subject);
    if (it == schedules.end()) {
      std::optional<maternal::CareSchedule> schedule;
      if (auto p = maternal::PregnancyStore::Get(s, scope, subject)) {
        maternal::Pregnancy pregnancy = *p;
        schedule = maternal::RefreshPregnancy(
            pregnancy, maternal::PregnancyStore::Visits(s, pregnancy.id), as_of);
      }
      it = schedules.emplace(subject, std::move(schedule)).first;
    }
    if (!it->second) continue;  // no longer read here: left as it is
    if (auto reason = AntenatalClosed(*it->second, contact)) {
      JD_RETURN_IF_ERROR(
          CancelNotice(s, who, scope, row, *reason, ReminderKind::kAntenatal, now, report));
    }
  }
  KindCounts& counts = report.by_kind[ReminderKind::kAntenatal];
  maternal::WorklistQuery q{.due_by = to, .limit = 1000000};
  for (maternal::PregnancyListRow& row : maternal::PregnancyStore::Worklist(s, scope, q)) {
    if (row.pregnancy.clinic_code != clinic.code) continue;
    maternal::CareSchedule schedule = maternal::RefreshPregnancy(
        row.pregnancy, maternal::PregnancyStore::Visits(s, row.pregnancy.id), as_of);
    ContactReminder base{.kind = ReminderKind::kAntenatal,
                         .subject_id = row.pregnancy.id,
                         .person_id = row.pregnancy.person_id,
                         .person_name = row.person_name};
    std::vector<ContactReminder> open = AntenatalToRemind(base, schedule, as_of, to);
    if (open.empty()) continue;
    // Her phone, from the registry (read in scope).
    auto woman = registry::PersonStore::Get(s, scope, row.pregnancy.person_id);
    if (!woman) continue;
    for (ContactReminder& c : open) c.phone = woman->phone;
    for (const ContactReminder& c : open) {
      ++counts.planned;
      auto plan = PlanContact(c, clinic, OptedOut(s, scope, c.person_id), templates_, now);
      if (!plan.ok()) return plan.status();
      JD_RETURN_IF_ERROR(EnqueuePlan(s, who, *plan, ReminderKind::kAntenatal, report));
    }
  }
  return Status::Ok();
}

Status NotifyService::PlanCheckups(soci::session& s, const Principal& who, const auth::Scope& scope,
                                   const registry::OrgUnit& org, const ClinicInfo& clinic,
                                   const Date& as_of, const Date& to, const std::string& now,
                                   PlanReport& report) {
  // The children under 7 (规范 一、服务对象) living in the centre's area and the caller's
  // jurisdiction, each with their schedule on `as_of`.
  const auth::Scope area = scope.Narrow(org.path);
  std::map<std::string, child::CheckupPlan> plans;
  std::vector<ContactReminder> due;
  for (const child::ChildRow& c : child::CheckupStore::Children(
           s, area, AddDays(AddMonths(as_of, -kChildMonths), 1), 1000000)) {
    child::CheckupInput in{c.birth, c.discharge, {}, as_of < c.birth ? c.birth : as_of};
    for (const auto& r : c.contacts) {
      if (!(r.date < c.birth) && !(in.as_of < r.date)) in.contacts.push_back(r);
    }
    auto plan = child::PlanCheckups(in);
    if (!plan.ok()) continue;
    ContactReminder base{.kind = ReminderKind::kChildCheckup,
                         .subject_id = c.person_id,
                         .person_id = c.person_id,
                         .person_name = c.name};
    std::vector<ContactReminder> open = CheckupsToRemind(base, *plan, as_of, to);
    // The guardian is read only for a child with something to remind of.
    std::optional<Guardian> guardian;
    if (!open.empty()) guardian = NoticeStore::GuardianOf(s, area, c.person_id);
    for (ContactReminder& r : open) {
      if (!guardian) break;
      r.guardian_name = guardian->name;
      r.phone = guardian->phone;
      due.push_back(std::move(r));
    }
    plans.emplace(c.person_id, std::move(plan).value());
  }
  // Queued reminders of contacts done or closed since they were planned.
  for (const NoticeRow& row : QueuedOf(s, scope, clinic.code, ReminderKind::kChildCheckup)) {
    auto [subject, contact] = SubjectOf(row.notice);
    auto it = plans.find(subject);
    if (it == plans.end()) continue;  // no longer a child of the area: left as it is
    if (auto reason = CheckupClosed(it->second, contact)) {
      JD_RETURN_IF_ERROR(
          CancelNotice(s, who, scope, row, *reason, ReminderKind::kChildCheckup, now, report));
    }
  }
  KindCounts& counts = report.by_kind[ReminderKind::kChildCheckup];
  for (const ContactReminder& c : due) {
    ++counts.planned;
    auto plan = PlanContact(c, clinic, OptedOut(s, scope, c.person_id), templates_, now);
    if (!plan.ok()) return plan.status();
    JD_RETURN_IF_ERROR(EnqueuePlan(s, who, *plan, ReminderKind::kChildCheckup, report));
  }
  return Status::Ok();
}

// ---- Reading ----

Result<std::vector<NoticeRow>> NotifyService::ListNotices(const Principal& who, NoticeFilter f) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  std::vector<NoticeRow> rows;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    rows = NoticeStore::List(s, scope, f);
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "notice.list",
            .object_type = "search",
            .detail = fmt::format("clinic={} status={} channel={} from={} to={} results={}",
                                  f.clinic_code, f.status ? NoticeStatusCode(*f.status) : "",
                                  f.channel ? ChannelCode(*f.channel) : "", f.date_from, f.date_to,
                                  rows.size())}));
  return rows;
}

Result<PersonNotices> NotifyService::NoticesOfPerson(const Principal& who,
                                                     const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  JD_RETURN_IF_ERROR(CheckPerson(who, scope, person_id, "notice.read"));
  PersonNotices out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out.notices = NoticeStore::List(s, scope, {.person_id = person_id, .limit = 5000});
    out.opt_outs = NoticeStore::OptOuts(s, scope, person_id);
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "notice.read",
                                         .object_type = "person",
                                         .object_id = person_id,
                                         .person_id = person_id}));
  return out;
}

Result<ClinicDay> NotifyService::ClinicDayOf(const Principal& who, const std::string& clinic_code,
                                             const Date& date, Channel channel,
                                             const std::string& action) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  JD_ASSIGN_OR_RETURN(registry::OrgUnit org, ClinicFor(who, clinic_code, /*write=*/false));
  const auth::Scope scope = auth::ScopeOf(who);
  ClinicDay day;
  day.date = FormatDate(date);
  day.clinic = {org.code, org.name, "", ""};
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    if (auto c = NoticeStore::GetClinicContact(s, org.code)) {
      day.clinic.address = c->address;
      day.clinic.phone = c->phone;
    }
    NoticeFilter f{.clinic_code = org.code,
                   .channel = channel,
                   .date_from = day.date,
                   .date_to = day.date,
                   .limit = 5000};
    for (auto& r : NoticeStore::List(s, scope, f)) {
      if (r.notice.status == NoticeStatus::kCancelled || r.notice.status == NoticeStatus::kFailed) {
        continue;
      }
      day.rows.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  // Each child's data leaves on paper or to a dialler: one audit row per child, before it does.
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    std::set<std::string> seen;
    for (const auto& r : day.rows) {
      if (!seen.insert(r.notice.person_id).second) continue;
      JD_RETURN_IF_ERROR(
          audit_.Append(s, who,
                        {.action = action,
                         .object_type = "person",
                         .object_id = r.notice.person_id,
                         .person_id = r.notice.person_id,
                         .detail = fmt::format("clinic={} date={}", org.code, day.date)}));
    }
    return audit_.Append(s, who,
                         {.action = action,
                          .object_type = "org_unit",
                          .object_id = org.code,
                          .detail = fmt::format("date={} children={}", day.date, seen.size())});
  }));
  return day;
}

Result<ClinicDay> NotifyService::Slips(const Principal& who, const std::string& clinic_code,
                                       const Date& date) {
  return ClinicDayOf(who, clinic_code, date, Channel::kSlip, "notice.slips");
}

Result<ClinicDay> NotifyService::CallList(const Principal& who, const std::string& clinic_code,
                                          const Date& date) {
  return ClinicDayOf(who, clinic_code, date, Channel::kPhone, "notice.call_list");
}

// ---- Changes ----

Result<std::set<Channel>> NotifyService::ChannelsOf(const json& body) const {
  auto it = body.find("channels");
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > kAllChannels.size()) {
    return Status::Invalid({{"channels", "required", "请指定渠道（sms、phone、slip、web）",
                             "channels must list sms, phone, slip or web"}});
  }
  std::set<Channel> out;
  for (const auto& c : *it) {
    auto ch = c.is_string() ? ParseChannel(c.get<std::string>()) : std::nullopt;
    if (!ch) {
      return Status::Invalid({{"channels", "invalid_value", "渠道应为 sms、phone、slip 或 web",
                               "a channel is sms, phone, slip or web"}});
    }
    out.insert(*ch);
  }
  return out;
}

Result<std::vector<OptOut>> NotifyService::OptOutOf(const Principal& who,
                                                    const std::string& person_id,
                                                    const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  JD_ASSIGN_OR_RETURN(std::set<Channel> channels, ChannelsOf(body));
  FieldErrors errors;
  auto reason = OptionalTextMember(body, "reason", FieldKind::kNote, errors);
  JD_RETURN_IF_ERROR(errors.ToStatus());
  const auth::Scope scope = auth::ScopeOf(who);
  JD_RETURN_IF_ERROR(CheckPerson(who, scope, person_id, "notice.opt_out"));
  std::vector<OptOut> out;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    std::string now = FormatTimestamp(clock_.Now());
    for (Channel ch : channels) {
      NoticeStore::SetOptOut(s, {person_id, ch, reason.value_or(""), now, who.username});
      int cancelled = NoticeStore::CancelQueued(s, scope, person_id, ch, "opted_out", now);
      JD_RETURN_IF_ERROR(audit_.Append(
          s, who,
          {.action = "notice.opt_out",
           .object_type = "person",
           .object_id = person_id,
           .person_id = person_id,
           .detail = fmt::format("channel={} cancelled={}", ChannelCode(ch), cancelled)}));
    }
    out = NoticeStore::OptOuts(s, scope, person_id);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<OptOut>> NotifyService::OptIn(const Principal& who, const std::string& person_id,
                                                 const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  JD_ASSIGN_OR_RETURN(std::set<Channel> channels, ChannelsOf(body));
  const auth::Scope scope = auth::ScopeOf(who);
  JD_RETURN_IF_ERROR(CheckPerson(who, scope, person_id, "notice.opt_in"));
  std::vector<OptOut> out;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    for (Channel ch : channels) {
      bool removed = NoticeStore::RemoveOptOut(s, scope, person_id, ch);
      JD_RETURN_IF_ERROR(audit_.Append(
          s, who,
          {.action = "notice.opt_in",
           .object_type = "person",
           .object_id = person_id,
           .person_id = person_id,
           .detail = fmt::format("channel={} was_opted_out={}", ChannelCode(ch), removed)}));
    }
    out = NoticeStore::OptOuts(s, scope, person_id);
    return Status::Ok();
  }));
  return out;
}

Result<NoticeRow> NotifyService::RecordOutcome(const Principal& who, const std::string& notice_id,
                                               const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  FieldErrors errors;
  auto status_code = OptionalTextMember(body, "status", FieldKind::kCode, errors);
  auto note = OptionalTextMember(body, "note", FieldKind::kNote, errors);
  JD_RETURN_IF_ERROR(errors.ToStatus());
  auto status = status_code ? ParseNoticeStatus(*status_code) : std::nullopt;
  if (!status || (*status != NoticeStatus::kSent && *status != NoticeStatus::kDelivered &&
                  *status != NoticeStatus::kFailed)) {
    return Status::Invalid({{"status", "invalid_value", "状态应为 sent、delivered 或 failed",
                             "status must be sent, delivered or failed"}});
  }
  if (!IsUuid(notice_id)) return NoticeNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  std::optional<NoticeRow> row;
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto before = NoticeStore::Get(s, scope, notice_id);
    outside = before.outside_scope();
    if (!before) return NoticeNotFound();
    std::string now = FormatTimestamp(clock_.Now());
    bool changed = NoticeStore::SetOutcome(s, scope, notice_id, *status, note.value_or(""), now);
    auto current = NoticeStore::Get(s, scope, notice_id);
    if (!changed && (!current || current->notice.status != *status)) {
      return Status::FailedPrecondition(
          fmt::format("the notice is {} and cannot become {}",
                      current ? NoticeStatusCode(current->notice.status) : "gone",
                      NoticeStatusCode(*status)),
          fmt::format("通知当前状态为“{}”，不能改为“{}”",
                      current ? NoticeStatusLabelZh(current->notice.status) : "不存在",
                      NoticeStatusLabelZh(*status)));
    }
    row = std::move(current).release();
    return audit_.Append(
        s, who,
        {.action = "notice.outcome",
         .object_type = "notice",
         .object_id = notice_id,
         .person_id = row->notice.person_id,
         .detail = fmt::format("status={} changed={}", NoticeStatusCode(*status), changed)});
  });
  // Audited after the transaction, which a refusal rolls back.
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = "notice.outcome", .object_type = "notice", .object_id = notice_id},
        NoticeNotFound());
  }
  if (!st.ok()) return st;
  return *row;
}

Result<NoticeRow> NotifyService::RecordReceipt(const Principal& gateway, const json& body) {
  FieldErrors errors;
  auto key = OptionalTextMember(body, "idempotency_key", FieldKind::kCode, errors);
  auto message_id = OptionalTextMember(body, "message_id", FieldKind::kCode, errors);
  auto status_code = OptionalTextMember(body, "status", FieldKind::kCode, errors);
  auto error = OptionalTextMember(body, "error", FieldKind::kNote, errors);
  JD_RETURN_IF_ERROR(errors.ToStatus());
  std::string ref = key && !key->empty() ? *key : message_id.value_or("");
  if (ref.empty()) {
    return Status::Invalid({{"idempotency_key", "required", "请提供 idempotency_key 或 message_id",
                             "give idempotency_key or message_id"}});
  }
  auto status = status_code ? ParseNoticeStatus(*status_code) : std::nullopt;
  if (!status || (*status != NoticeStatus::kDelivered && *status != NoticeStatus::kFailed)) {
    return Status::Invalid({{"status", "invalid_value", "回执状态应为 delivered 或 failed",
                             "a receipt's status is delivered or failed"}});
  }
  // A receipt whose signature was verified may name any notice of the city: the gateway sent them
  // all. Its principal holds no jurisdiction of its own, so the scope is the server's.
  const auth::Scope city = auth::ScopeOf(auth::AuthService::SystemPrincipal(gateway.username));
  std::optional<NoticeRow> row;
  bool changed = false;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    auto found = NoticeStore::FindForReceipt(s, city, ref);
    if (!found) return NoticeNotFound();
    std::string now = FormatTimestamp(clock_.Now());
    changed = NoticeStore::SetOutcome(s, city, found->notice.id, *status, error.value_or(""), now);
    row = NoticeStore::Get(s, city, found->notice.id).release();
    if (!row) return NoticeNotFound();
    // A repeated receipt is answered as the first was; a contradicting one is refused.
    if (!changed && row->notice.status != *status) {
      return Status::FailedPrecondition(
          fmt::format("the notice is already {}", NoticeStatusCode(row->notice.status)),
          fmt::format("通知已是“{}”状态", NoticeStatusLabelZh(row->notice.status)));
    }
    return audit_.Append(
        s, gateway,
        {.action = "notice.receipt",
         .object_type = "notice",
         .object_id = row->notice.id,
         .person_id = row->notice.person_id,
         .detail = fmt::format("status={} changed={}", NoticeStatusCode(*status), changed)});
  }));
  return *row;
}

// ---- Sending ----

Result<DrainReport> NotifyService::Drain(const Principal& who, Gateway& gateway,
                                         DrainOptions options) {
  // The area's administrators: the commission for the city, a district for its district.
  if (!auth::Holds(who, Permission::kReminderSend)) {
    return Status::PermissionDenied("only the commission or a district may send reminders now",
                                    "仅市卫健委或区县卫健局用户可立即发送提醒");
  }
  // Whatever the caller passed: the notices of the children in the caller's jurisdiction (the
  // command line's system principal: the whole city).
  options.scope = auth::ScopeOf(who);
  JD_ASSIGN_OR_RETURN(DrainReport report, dispatcher_.Drain(who, gateway, options));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "notice.drain",
            .object_type = "outbox",
            .detail = fmt::format("gateway={} attempts={} sent={} retried={} failed={} lost={}",
                                  gateway.Describe(), report.claimed, report.sent, report.retried,
                                  report.failed, report.lost)}));
  return report;
}

Result<DrainReport> NotifyService::DrainConfigured(const Principal& who) {
  JD_ASSIGN_OR_RETURN(std::optional<GatewayConfig> config, LoadGatewayConfig());
  if (!config) {
    return Status::FailedPrecondition(
        "no gateway is configured (jundeng notify gateway --webhook URL)",
        "尚未配置发送网关（jundeng notify gateway --webhook 网址）");
  }
  JD_ASSIGN_OR_RETURN(std::string secret, ReceiptSecret());
  JD_ASSIGN_OR_RETURN(std::unique_ptr<Gateway> gateway, MakeGateway(*config, secret));
  DrainOptions options{.retry = config->retry};
  options.lease = LeaseFor(options.batch, std::chrono::milliseconds(config->timeout_ms));
  return Drain(who, *gateway, options);
}

// ---- Settings ----

Result<std::optional<GatewayConfig>> NotifyService::LoadGatewayConfig() {
  std::optional<std::string> text;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    text = NoticeStore::GetSetting(s, kGatewaySetting);
    return Status::Ok();
  }));
  if (!text) return std::optional<GatewayConfig>();
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  auto c = GatewayConfigFromJson(j);
  if (!c.ok()) return c.status();
  return std::optional<GatewayConfig>(std::move(c).value());
}

Status NotifyService::SaveGatewayConfig(const Principal& who, const GatewayConfig& config) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kConfigure));
  auto gateway = MakeGateway(config, "");
  if (!gateway.ok()) return gateway.status();
  return db_.Write([&](soci::session& s) {
    NoticeStore::PutSetting(s, kGatewaySetting, GatewayConfigToJson(config).dump());
    return audit_.Append(s, who,
                         {.action = "notify.gateway",
                          .object_type = "settings",
                          .object_id = kGatewaySetting,
                          .detail = (*gateway)->Describe()});
  });
}

Result<std::string> NotifyService::ReceiptSecret() {
  std::optional<std::string> secret;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    secret = NoticeStore::GetSetting(s, kSecretSetting);
    return Status::Ok();
  }));
  return secret.value_or("");
}

Result<std::string> NotifyService::RotateReceiptSecret(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kConfigure));
  std::string secret = RandomHex(32);
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    NoticeStore::PutSetting(s, kSecretSetting, secret);
    return audit_.Append(
        s, who,
        {.action = "notify.secret_rotate", .object_type = "settings", .object_id = kSecretSetting});
  }));
  return secret;
}

Result<std::unique_ptr<Gateway>> NotifyService::MakeGateway(const GatewayConfig& config,
                                                            const std::string& secret) {
  if (config.retry.max_attempts < 1 || config.retry.max_attempts > 100) {
    return Status::Invalid({{"max_attempts", "out_of_range", "最多尝试次数应在 1 到 100 之间",
                             "max_attempts must be from 1 to 100"}});
  }
  if (config.kind == "file") {
    if (config.path.empty()) {
      return Status::Invalid({{"path", "required", "请指定输出文件", "path is required"}});
    }
    return std::unique_ptr<Gateway>(std::make_unique<FileGateway>(config.path));
  }
  if (config.kind == "webhook") {
    auto w = WebhookGateway::Create({.url = config.url,
                                     .timeout = std::chrono::milliseconds(config.timeout_ms),
                                     .secret = secret});
    if (!w.ok()) return w.status();
    return std::unique_ptr<Gateway>(std::move(w).value());
  }
  return Status::Invalid(
      {{"kind", "invalid_value", "网关类型应为 webhook 或 file", "kind must be webhook or file"}});
}

}  // namespace jd::notify
