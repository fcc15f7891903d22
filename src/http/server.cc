#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

#include "auth/access.h"
#include "auth/permissions.h"
#include "auth/scope.h"
#include "core/embedded.h"
#include "core/ids.h"
#include "core/input.h"
#include "core/text.h"
#include "exchange/fhir.h"
#include "http/actor_json.h"
#include "http/connection_pool.h"
#include "http/handler.h"
#include "http/metrics.h"
#include "http/module_routes.h"
#include "http/openapi_doc.h"
#include "http/preconditions.h"
#include "http/problem.h"
#include "http/request_guard.h"
#include "registry/codes.h"
#include "registry/eligibility.h"
#include "registry/id_number.h"
#include "registry/person_import.h"
#include "registry/person_json.h"
#include "registry/person_rules.h"
#include "registry/place_names.h"

namespace jd::http {

namespace {

using auth::Principal;
using nlohmann::json;

constexpr const char* kSessionCookie = "jd_session";

// What an administrator may change of an account, as the version its updates must name (the
// lock-out state changes on every failed log-in and is not part of it).
std::string UserVersion(const auth::User& u) {
  return ContentTag(
      {u.id, u.username, u.display_name, auth::RoleCode(u.role), u.org_code, u.active});
}

json UserJson(const auth::User& u) {
  return {{"id", u.id},
          {"version", UserVersion(u)},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", auth::RoleCode(u.role)},
          {"role_label", auth::RoleLabelZh(u.role)},
          {"org_code", u.org_code},
          {"active", u.active},
          {"locked", !u.locked_until.empty()},
          {"created_at", u.created_at}};
}

json PersonViewJson(App& app, const registry::PersonView& v) {
  json j = registry::PersonToJson(v.person, /*mask=*/false);
  json docs = json::array();
  for (const auto& d : v.documents) docs.push_back(registry::DocumentToJson(d));
  json events = json::array();
  for (const auto& e : v.events) events.push_back(registry::EventToJson(e));
  // Names, not user ids: who submitted, reviewed and recorded (a failed look-up keeps the ids).
  (void)NameActors(*app.auth, docs, {"submitted_by", "reviewed_by"});
  (void)NameActors(*app.auth, events, {"recorded_by"});
  j["documents"] = docs;
  j["residence_events"] = events;
  j["eligibility"] = registry::ToJson(v.eligibility);
  j["eligibility"]["as_of"] = v.as_of;
  return j;
}

// ---- Handlers
// ------------------------------------------------------------------------------------

Result<Reply> Login(App& app, Ctx& c, const ServerOptions& opt) {
  FieldErrors errors;
  auto str = [&](const char* key) -> std::string {
    auto it = c.body.find(key);
    if (it == c.body.end() || it->is_null()) {
      errors.Add(key, "required", std::string(key) + " 为必填项",
                 std::string(key) + " is required");
      return {};
    }
    if (!it->is_string()) {
      errors.Add(key, "wrong_type", std::string(key) + " 应为字符串",
                 std::string(key) + " must be a string");
      return {};
    }
    return it->get<std::string>();
  };
  std::string username = str("username"), password = str("password");
  if (!errors.empty()) return errors.ToStatus();
  if (username.size() > 64 || password.size() > 256) {
    return Status::Unauthenticated(auth::kLoginFailedEn, auth::kLoginFailedZh);
  }
  auto r = app.auth->Login(username, password, c.client, c.request_id);
  if (!r.ok()) return r.status();
  Reply out = Json({{"token", r->token},
                    {"user", UserJson(r->user)},
                    {"must_change_password", r->user.must_change_password},
                    {"expires_idle_at", r->expires_idle_at},
                    {"idle_timeout_seconds", 1800}});
  std::string cookie = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200{}",
                                   kSessionCookie, r->token, opt.secure_cookies ? "; Secure" : "");
  out.headers.emplace_back("Set-Cookie", cookie);
  return out;
}

Result<Reply> Logout(App& app, Ctx& c, const ServerOptions& opt) {
  JD_RETURN_IF_ERROR(app.auth->Logout(c.token, *c.who));
  Reply out = Json({{"ok", true}});
  out.headers.emplace_back("Set-Cookie",
                           fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
                                       kSessionCookie, opt.secure_cookies ? "; Secure" : ""));
  return out;
}

Result<Reply> Me(App& app, Ctx& c, const ServerOptions&) {
  const Principal& p = *c.who;
  // What the client may offer this user (the server still checks every request).
  json perms = json::array();
  for (auth::Permission perm : auth::kAllPermissions) {
    if (auth::Holds(p, perm)) perms.push_back(auth::PermissionCode(perm));
  }
  auto org = app.registry->FindOrg(p.org_code);
  return Json({{"user_id", p.user_id},
               {"username", p.username},
               {"role", auth::RoleCode(p.role)},
               {"role_label", auth::RoleLabelZh(p.role)},
               {"org_code", p.org_code},
               {"org_name", org ? org->name : ""},
               {"org_level", org ? json(registry::ToCode(org->level)) : json(nullptr)},
               {"org_path", p.org_path},
               {"must_change_password", p.must_change_password},
               {"permissions", perms}});
}

Result<Reply> ChangePassword(App& app, Ctx& c, const ServerOptions&) {
  auto cur = c.body.value("current_password", json()), next = c.body.value("new_password", json());
  if (!cur.is_string() || !next.is_string()) {
    FieldErrors e;
    if (!cur.is_string())
      e.Add("current_password", "required", "请填写当前密码", "current_password is required");
    if (!next.is_string())
      e.Add("new_password", "required", "请填写新密码", "new_password is required");
    return e.ToStatus();
  }
  JD_RETURN_IF_ERROR(app.auth->ChangeOwnPassword(*c.who, c.token, cur.get<std::string>(),
                                                 next.get<std::string>()));
  return Json({{"ok", true}});
}

Result<Reply> OrgUnits(App& app, Ctx& c, const ServerOptions&) {
  auto units = app.registry->ListOrgUnits(*c.who);
  if (!units.ok()) return units.status();
  std::string parent = Param(c.req, "parent");
  // scope=residence: only the units a person registered by this user may live in (the same
  // jurisdiction CreatePerson checks), the user's own area first.
  std::string scope_param = Param(c.req, "scope");
  if (!scope_param.empty() && scope_param != "residence") {
    return Invalid("scope", "invalid_value", "scope 只能为 residence", "scope must be residence");
  }
  const auth::Scope residence = auth::ScopeOf(*c.who);
  json items = json::array();
  for (const auto& u : *units) {
    if (c.req.has_param("parent") && u.parent_code != parent) continue;
    if (!scope_param.empty() && !residence.Covers(u.path)) continue;
    items.push_back(registry::OrgUnitToJson(u));
  }
  return Json({{"items", items}});
}

Result<Reply> OrgUnitsCreate(App& app, Ctx& c, const ServerOptions&) {
  auto u = app.registry->CreateOrgUnit(*c.who, c.body);
  if (!u.ok()) return u.status();
  return Json(registry::OrgUnitToJson(*u), 201);
}

Result<Reply> PersonsSearch(App& app, Ctx& c, const ServerOptions&) {
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) return page.status();
  auto size = IntParam(c.req, "page_size", 20, 1, 200);
  if (!size.ok()) return size.status();
  registry::PersonSearch q;
  q.q = Param(c.req, "q");
  q.status = Param(c.req, "status");
  q.limit = *size;
  q.offset = (*page - 1) * *size;
  auto r = app.registry->SearchPersons(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& p : r->items) items.push_back(registry::PersonListJson(p));
  return Json({{"items", items},
               {"total", r->total},
               {"total_is_lower_bound", r->total_is_lower_bound},
               {"page", *page},
               {"page_size", *size}});
}

Result<Reply> PersonsCreate(App& app, Ctx& c, const ServerOptions&) {
  auto v = app.registry->CreatePerson(*c.who, c.body);
  if (!v.ok()) return v.status();
  Reply r = Json(PersonViewJson(app, *v), 201);
  r.headers.emplace_back("Location", "/api/v1/persons/" + v->person.id);
  return r;
}

// A persons CSV (the format of `jundeng import persons`: UTF-8 or GB18030, Chinese or English
// header) as the body or as the form field "file". Good rows are committed, bad rows come back
// row by row with the file's own column names; `dry_run=true` checks without writing.
Result<Reply> PersonsImport(App& app, Ctx& c, const ServerOptions&) {
  std::string dry = Param(c.req, "dry_run");
  if (!dry.empty() && dry != "true" && dry != "false") {
    return Invalid("dry_run", "invalid_value", "dry_run 应为 true 或 false",
                   "dry_run must be true or false");
  }
  std::string bytes = c.req.body, file_name = Param(c.req, "file_name");
  if (c.req.is_multipart_form_data()) {
    if (!c.req.has_file("file")) {
      return Invalid("file", "required", "请以 file 字段上传人员文件",
                     "upload the persons file as the form field \"file\"");
    }
    httplib::MultipartFormData upload = c.req.get_file_value("file");
    bytes = std::move(upload.content);
    if (file_name.empty()) file_name = upload.filename;
  }
  if (bytes.empty()) {
    return Invalid("file", "required", "请上传人员文件（CSV）", "upload a persons file (CSV)");
  }
  auto source = registry::PersonFileSource::Open(std::move(bytes));
  if (!source.ok()) return source.status();
  auto report = app.registry->ImportPersons(
      *c.who, **source,
      {.file_name = file_name.empty() ? "upload.csv" : file_name, .dry_run = dry == "true"});
  if (!report.ok()) return report.status();
  json errors = json::array();
  for (const auto& e : report->errors) {
    errors.push_back({{"row", e.row},
                      {"column", e.column},
                      {"code", e.code},
                      {"message", c.lang == Lang::kEn ? e.message_en : e.message_zh},
                      {"message_zh", e.message_zh},
                      {"message_en", e.message_en}});
  }
  return Json({{"batch_id", report->batch_id},
               {"dry_run", report->dry_run},
               {"rows_total", report->rows_total},
               {"rows_ok", report->rows_ok},
               {"rows_failed", report->rows_failed},
               {"errors", errors}});
}

Result<Reply> PersonsGet(App& app, Ctx& c, const ServerOptions&) {
  auto v = app.registry->GetPerson(*c.who, c.params[0]);
  if (!v.ok()) return v.status();
  return Json(PersonViewJson(app, *v));
}

Result<Reply> PersonsUpdate(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto v = app.registry->UpdatePerson(*c.who, c.params[0], c.body, *expected);
  if (!v.ok()) return v.status();
  return Json(PersonViewJson(app, *v));
}

Result<Reply> PersonsHistory(App& app, Ctx& c, const ServerOptions&) {
  auto h = app.registry->PersonHistory(*c.who, c.params[0]);
  if (!h.ok()) return h.status();
  return Json({{"items", *h}});
}

Result<Reply> ResidenceEventsCreate(App& app, Ctx& c, const ServerOptions&) {
  auto v = app.registry->AddResidenceEvent(*c.who, c.params[0], c.body);
  if (!v.ok()) return v.status();
  return Json(PersonViewJson(app, *v), 201);
}

Result<Reply> DocumentsCreate(App& app, Ctx& c, const ServerOptions&) {
  auto d = app.registry->SubmitDocument(*c.who, c.params[0], c.body);
  if (!d.ok()) return d.status();
  json j = registry::DocumentToJson(*d);
  JD_RETURN_IF_ERROR(NameActors(*app.auth, j, {"submitted_by", "reviewed_by"}));
  return Json(j, 201);
}

Result<Reply> DocumentsPending(App& app, Ctx& c, const ServerOptions&) {
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) return page.status();
  auto size = IntParam(c.req, "page_size", 20, 1, 200);
  if (!size.ok()) return size.status();
  std::string status = Param(c.req, "status");
  if (!status.empty() && status != "pending") {
    return Invalid("status", "invalid_value", "目前只支持 status=pending",
                   "only status=pending is supported");
  }
  auto total = app.registry->CountPendingDocuments(*c.who);
  if (!total.ok()) return total.status();
  if (Param(c.req, "count_only") == "true") {
    return Json(
        {{"items", json::array()}, {"total", *total}, {"page", *page}, {"page_size", *size}});
  }
  auto r = app.registry->PendingDocuments(*c.who, *size, (*page - 1) * *size);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& pd : *r) {
    // A list: the document's number (an ID number for hukou_or_id) masked, as the person's.
    json d = registry::DocumentToJson(pd.document);
    d.erase("number");
    d["number_masked"] = registry::MaskDocumentNumber(pd.document.number);
    d["person"] = {{"id", pd.person.id},
                   {"name", pd.person.name},
                   {"id_number_masked", registry::MaskIdNumber(pd.person.id_number)},
                   {"residence_org", pd.person.residence_org}};
    items.push_back(d);
  }
  JD_RETURN_IF_ERROR(NameActors(*app.auth, items, {"submitted_by", "reviewed_by"}));
  return Json({{"items", items}, {"total", *total}, {"page", *page}, {"page_size", *size}});
}

Result<Reply> DocumentsReview(App& app, Ctx& c, const ServerOptions&) {
  auto d = app.registry->ReviewDocument(*c.who, c.params[0], c.body);
  if (!d.ok()) return d.status();
  json j = registry::DocumentToJson(*d);
  JD_RETURN_IF_ERROR(NameActors(*app.auth, j, {"submitted_by", "reviewed_by"}));
  return Json(j);
}

Result<Reply> UsersList(App& app, Ctx& c, const ServerOptions&) {
  auto users = app.auth->ListUsers(*c.who);
  if (!users.ok()) return users.status();
  json items = json::array();
  for (const auto& u : *users) items.push_back(UserJson(u));
  return Json({{"items", items}});
}

Result<Reply> UsersCreate(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  auth::NewUser nu;
  for (auto [key, target] : std::initializer_list<std::pair<const char*, std::string*>>{
           {"username", &nu.username},
           {"display_name", &nu.display_name},
           {"role", &nu.role},
           {"org_code", &nu.org_code},
           {"password", &nu.password}}) {
    auto it = c.body.find(key);
    if (it == c.body.end() || it->is_null()) {
      if (std::string(key) != "display_name") {
        errors.Add(key, "required", std::string(key) + " 为必填项",
                   std::string(key) + " is required");
      }
    } else if (!it->is_string()) {
      errors.Add(key, "wrong_type", std::string(key) + " 应为字符串",
                 std::string(key) + " must be a string");
    } else if (target == &nu.password) {
      *target = it->get<std::string>();  // a passphrase is taken as typed; auth checks its rules
    } else {
      const FieldKind kind = target == &nu.username       ? FieldKind::kUsername
                             : target == &nu.display_name ? FieldKind::kName
                                                          : FieldKind::kCode;
      *target = TextMember(c.body, key, kind, errors);
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  auto u = app.auth->CreateUser(*c.who, nu);
  if (!u.ok()) return u.status();
  return Json(UserJson(*u), 201);
}

Result<Reply> UsersUpdate(App& app, Ctx& c, const ServerOptions&) {
  const std::string& id = c.params[0];
  if (!IsUuid(id)) return Status::NotFound("no such user", "用户不存在");
  auto users = app.auth->ListUsers(*c.who);
  if (!users.ok()) return users.status();
  auto user =
      std::find_if(users->begin(), users->end(), [&](const auth::User& u) { return u.id == id; });
  if (user == users->end()) return Status::NotFound("no such user", "用户不存在");
  JD_RETURN_IF_ERROR(MatchContentTag(c, UserVersion(*user)));
  bool any = false;
  if (c.body.contains("active")) {
    if (!c.body["active"].is_boolean()) {
      return Invalid("active", "wrong_type", "active 应为布尔值", "active must be true or false");
    }
    JD_RETURN_IF_ERROR(app.auth->SetActive(*c.who, id, c.body["active"].get<bool>()));
    any = true;
  }
  if (c.body.contains("password")) {
    if (!c.body["password"].is_string()) {
      return Invalid("password", "wrong_type", "password 应为字符串", "password must be a string");
    }
    JD_RETURN_IF_ERROR(app.auth->SetPassword(*c.who, id, c.body["password"].get<std::string>()));
    any = true;
  }
  if (!any) {
    return Invalid("", "nothing_to_change", "请提供 active 或 password", "give active or password");
  }
  return Json({{"ok", true}});
}

Result<Reply> AuditList(App& app, Ctx& c, const ServerOptions&) {
  JD_RETURN_IF_ERROR(auth::Require(*c.who, auth::Permission::kAuditRead));
  auto limit = IntParam(c.req, "limit", 50, 1, 500);
  if (!limit.ok()) return limit.status();
  auth::AuditQuery q;
  q.user_id = Param(c.req, "user_id");
  q.person_id = Param(c.req, "person_id");
  q.action_prefix = Param(c.req, "action");
  q.limit = *limit;
  if (c.req.has_param("before")) {
    auto before = IntParam(c.req, "before", 0, 1, std::numeric_limits<int>::max());
    if (!before.ok()) return before.status();
    q.before_seq = *before;
  }
  // By person: a name or ID number, found within the caller's audit scope (and audited as a
  // search); the rows about any of the persons found.
  json persons = json::array();
  const bool by_person = c.req.has_param("person");
  if (by_person) {
    std::string text = std::string(Trim(Param(c.req, "person")));
    auto found = app.registry->FindPersonsForAudit(*c.who, text, 50);
    if (!found.ok()) return found.status();
    for (const auto& p : *found) {
      q.person_ids.push_back(p.id);
      persons.push_back({{"id", p.id},
                         {"name_masked", registry::MaskName(p.name)},
                         {"id_number_masked", registry::MaskIdNumber(p.id_number)}});
    }
  }
  std::vector<auth::AuditEntry> rows;
  if (!by_person || !q.person_ids.empty()) {
    auto read = app.audit->Query(q);
    if (!read.ok()) return read.status();
    rows = std::move(read).value();
  }
  // Object names instead of ids: persons masked (within the audit scope), users by name.
  std::vector<std::string> person_ids;
  for (const auto& e : rows)
    if (!e.person_id.empty()) person_ids.push_back(e.person_id);
  auto names = app.registry->MaskedNamesForAudit(*c.who, person_ids);
  if (!names.ok()) return names.status();
  json items = json::array();
  for (const auto& e : rows) {
    json item = {{"seq", e.seq},
                 {"at", e.at},
                 {"user_id", e.user_id},
                 {"username", e.username},
                 {"role", e.role},
                 {"action", e.action},
                 {"object_type", e.object_type},
                 {"object_id", e.object_id},
                 {"person_id", e.person_id},
                 {"result", e.result},
                 {"client", e.client},
                 {"request_id", e.request_id},
                 {"detail", e.detail}};
    if (auto it = names->find(e.person_id); it != names->end()) item["person_name"] = it->second;
    if (e.object_type == "user" && !e.object_id.empty()) item["object_user"] = e.object_id;
    // The system principal's rows keep the operator's name ("cli:<os user>").
    item["actor"] = e.user_id.empty() || e.user_id == "system" ? e.username : e.user_id;
    items.push_back(std::move(item));
  }
  JD_RETURN_IF_ERROR(NameActors(*app.auth, items, {"actor", "object_user"}));
  // Reading the audit log is itself audited.
  JD_RETURN_IF_ERROR(app.audit->Record(
      *c.who, {.action = "audit.read",
               .object_type = "audit_log",
               .detail = fmt::format(
                   "rows={} persons_named={}{}", items.size(), names->size(),
                   by_person ? fmt::format(" by_person={}", persons.size()) : std::string())}));
  json out = {{"items", items}};
  if (by_person) out["persons"] = persons;
  return Json(out);
}

Result<Reply> EligibilityEvaluate(App&, Ctx& c, const ServerOptions&) {
  auto facts = registry::EligibilityFactsFromJson(c.body);
  if (!facts.ok()) return facts.status();
  // Places in words for the explanation (the rule engine itself takes them as given).
  const auto& divisions = registry::Divisions::Builtin();
  facts->hukou_place = registry::PlaceName(divisions, facts->hukou_division, true);
  facts->residence_place = registry::PlaceName(divisions, facts->residence_division, false);
  return Json(registry::ToJson(registry::Evaluate(*facts)));
}

Result<Reply> IdCheck(App& app, Ctx& c, const ServerOptions&) {
  auto it = c.body.find("id_number");
  if (it == c.body.end() || !it->is_string()) {
    return Invalid("id_number", "required", "请填写身份证号码", "id_number is required");
  }
  auto r = registry::CheckResidentId(it->get<std::string>(), app.clock->Today());
  json errors = json::array();
  for (const auto& e : r.errors) {
    errors.push_back({{"field", e.field},
                      {"code", e.code},
                      {"message", c.lang == Lang::kZh ? e.message_zh : e.message_en},
                      {"message_zh", e.message_zh},
                      {"message_en", e.message_en}});
  }
  return Json({{"valid", r.valid},
               {"errors", errors},
               {"birth_date", r.birth_date ? json(FormatDate(*r.birth_date)) : json(nullptr)},
               {"sex", r.sex ? json(registry::ToCode(*r.sex)) : json(nullptr)},
               {"region_code", r.region_code},
               {"region_name", r.region_name},
               {"normalized", r.normalized}});
}

}  // namespace

std::vector<Route> RegistryRoutes() {
  return {
      {{"POST", "/api/v1/auth/login", false}, true, Login},
      {{"POST", "/api/v1/auth/logout", true}, false, Logout},
      {{"GET", "/api/v1/auth/me", true}, false, Me},
      {{"POST", "/api/v1/auth/password", true}, true, ChangePassword},
      {{"GET", "/api/v1/org-units", true}, false, OrgUnits},
      {{"POST", "/api/v1/org-units", true}, true, OrgUnitsCreate},
      {{"GET", "/api/v1/persons", true}, false, PersonsSearch},
      {{"POST", "/api/v1/persons", true}, true, PersonsCreate},
      {{"POST", "/api/v1/imports/persons", true}, false, PersonsImport},
      {{"GET", "/api/v1/persons/{id}", true}, false, PersonsGet},
      {{"PATCH", "/api/v1/persons/{id}", true}, true, PersonsUpdate},
      {{"GET", "/api/v1/persons/{id}/history", true}, false, PersonsHistory},
      {{"POST", "/api/v1/persons/{id}/residence-events", true}, true, ResidenceEventsCreate},
      {{"POST", "/api/v1/persons/{id}/documents", true}, true, DocumentsCreate},
      {{"GET", "/api/v1/documents", true}, false, DocumentsPending},
      {{"POST", "/api/v1/documents/{id}/review", true}, true, DocumentsReview},
      {{"GET", "/api/v1/users", true}, false, UsersList},
      {{"POST", "/api/v1/users", true}, true, UsersCreate},
      {{"PATCH", "/api/v1/users/{id}", true}, true, UsersUpdate},
      {{"GET", "/api/v1/audit", true}, false, AuditList},
      {{"POST", "/api/v1/eligibility/evaluate", true}, true, EligibilityEvaluate},
      {{"POST", "/api/v1/id-check", true}, true, IdCheck},
  };
}

namespace {

// The access a route's OpenAPI operation declares. A route without one, or whose declaration
// contradicts whether it signs the caller in, is a build mistake: the server does not start.
RouteAccess DeclaredAccess(const RouteInfo& info) {
  auto access = AccessOf(info.method, info.pattern);
  bool is_public = access && access->kind == RouteAccess::Kind::kPublic;
  if (!access || is_public == info.authenticated) {
    throw std::logic_error("route without a valid x-permission: " + info.method + " " +
                           info.pattern);
  }
  return *access;
}

// Every module's routes, built once.
const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> all;
    for (auto list :
         {RegistryRoutes,  ImmunizationRoutes,   NotifyRoutes,   ImmunizationProgrammeRoutes,
          KpiRoutes,       EvaluationRoutes,     RecordsRoutes,  MaternalRoutes,
          ChildRoutes,     PreconceptionRoutes,  DivisionRoutes, MentalRoutes,
          SignalRoutes,    HivTbRoutes,          DiseaseRoutes,  NetworkRoutes,
          EducationRoutes, FamilyPlanningRoutes, FhirRoutes,     FederationRoutes}) {
      auto routes = list();
      all.insert(all.end(), std::make_move_iterator(routes.begin()),
                 std::make_move_iterator(routes.end()));
    }
    for (Route& r : all) r.info.access = DeclaredAccess(r.info);
    return all;
  }();
  return kRoutes;
}

// A file sent in pieces as the client reads it (an export may be larger than memory).
void StreamFile(httplib::Response& res, const std::string& path, const std::string& type) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!*in || ec) {
    res.status = 404;
    return;
  }
  res.set_content_provider(static_cast<std::size_t>(size), type,
                           [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             std::vector<char> buf(std::min<std::size_t>(length, 1 << 16));
                             in->seekg(static_cast<std::streamoff>(offset));
                             in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                             const auto got = static_cast<std::size_t>(in->gcount());
                             if (got == 0) return false;
                             return sink.write(buf.data(), got);
                           });
}

std::string RegexOf(const std::string& pattern) {
  static const std::regex kParam(R"(\{[a-z_]+\})");
  // FHIR's operations are named "$name": a literal dollar, not the end of the line.
  static const std::regex kDollar(R"(\$)");
  std::string re =
      std::regex_replace(std::regex_replace(pattern, kDollar, "\\$"), kParam, "([^/]+)");
  // The FHIR base itself (a transaction is POSTed there) as clients write it, with or without
  // the final slash.
  if (pattern == "/fhir/r4") re += "/?";
  return re;
}

std::string TokenOf(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
  std::string cookies = req.get_header_value("Cookie");
  std::string key = std::string(kSessionCookie) + "=";
  for (std::size_t pos = 0; pos < cookies.size();) {
    std::size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::size_t start = cookies.find_first_not_of(' ', pos);
    if (start < end && cookies.compare(start, key.size(), key) == 0) {
      return cookies.substr(start + key.size(), end - start - key.size());
    }
    pos = end + 1;
  }
  return {};
}

void SetSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                 "frame-ancestors 'none'");
}

}  // namespace

std::vector<RouteInfo> Routes() {
  std::vector<RouteInfo> out = {{"GET", "/healthz", false},
                                {"GET", "/metrics", false},
                                {"GET", "/api/v1/openapi.json", false}};
  for (RouteInfo& r : out) r.access = DeclaredAccess(r);
  for (const auto& r : RouteTable()) out.push_back(r.info);
  return out;
}

namespace {

// Which rate limit a route's requests take a token from (ServerOptions), if any.
enum class LimitedAs { kNone, kLogin, kSearch };
LimitedAs LimitOf(const RouteInfo& r) {
  if (r.method == "POST" && r.pattern == "/api/v1/auth/login") return LimitedAs::kLogin;
  if ((r.method == "GET" && r.pattern == "/api/v1/persons") ||
      (r.method == "GET" && r.pattern == "/fhir/r4/Patient") ||
      (r.method == "POST" && r.pattern == "/api/v1/id-check")) {
    return LimitedAs::kSearch;
  }
  return LimitedAs::kNone;
}

std::int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Status TooManyRequests(std::int64_t retry_ms) {
  std::int64_t seconds = (retry_ms + 999) / 1000;
  return Status(StatusCode::kTooManyRequests,
                fmt::format("too many requests: try again in {} s", seconds),
                fmt::format("请求过于频繁，请 {} 秒后再试", seconds));
}

bool IsLoopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address.rfind("127.", 0) == 0 ||
         address == "::ffff:127.0.0.1";
}

}  // namespace

// HTTPS when the options name a certificate (cpp-httplib over OpenSSL), plain HTTP with the
// connection limits otherwise (http/guarded_server.h).
std::unique_ptr<httplib::Server> MakeTransport(const ServerOptions& o) {
  if (!o.tls_cert.empty()) {
    return std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
  }
  return std::make_unique<GuardedServer>(o.connections);
}

struct Server::Impl {
  App& app;
  ServerOptions options;
  std::unique_ptr<httplib::Server> transport;
  httplib::Server& server;
  Metrics metrics;
  // The listening socket, seen when it is made (to lift its backlog in Run).
  std::atomic<int> listen_socket{-1};
  RateLimiter login_per_account;
  RateLimiter login_per_client;
  RateLimiter search_per_user;

  Impl(App& a, ServerOptions o)
      : app(a),
        options(std::move(o)),
        transport(MakeTransport(options)),
        server(*transport),
        login_per_account(options.login_per_account),
        login_per_client(options.login_per_client),
        search_per_user(options.search_per_user) {}

  void SendProblem(const httplib::Request& req, httplib::Response& res, const Status& st,
                   const std::string& request_id) {
    Lang lang = LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
    res.status = HttpStatusOf(st);
    // The FHIR API answers its failures as FHIR does (OperationOutcome), the rest as RFC 7807.
    if (req.path.rfind("/fhir/", 0) == 0) {
      res.set_content(
          exchange::OperationOutcomeOf(st).dump(-1, ' ', false, json::error_handler_t::replace),
          std::string(exchange::kFhirContentType));
    } else {
      res.set_content(ProblemJson(st, req.path, request_id, lang).dump(), kProblemContentType);
    }
    if (st.code() == StatusCode::kUnauthenticated) res.set_header("WWW-Authenticate", "Bearer");
  }

  void Handle(const Route& route, const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    Ctx c{req, {}, std::nullopt, json::object(), Lang::kZh, NewId(), req.remote_addr, {}};
    c.lang = LangFromAcceptLanguage(req.get_header_value("Accept-Language"));
    for (std::size_t i = 1; i < req.matches.size(); ++i) c.params.push_back(req.matches[i].str());
    SetSecurityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Request-Id", c.request_id);

    std::int64_t retry_after_ms = 0;
    auto run = [&]() -> Result<Reply> {
      // The cookie rides along on a forged cross-site form or fetch: refuse it before anything.
      if (IsCrossSiteWrite(req.method, req.get_header_value("Sec-Fetch-Site"),
                           req.get_header_value("Origin"), req.get_header_value("Host"))) {
        spdlog::warn("cross-site {} {} refused (Origin {}, Sec-Fetch-Site {})", req.method,
                     req.path, req.get_header_value("Origin"),
                     req.get_header_value("Sec-Fetch-Site"));
        return Status::PermissionDenied("cross-site request refused", "拒绝跨站请求")
            .WithFieldErrors({{"Origin", "cross_site", "请求来自其他网站，已拒绝",
                               "the request comes from another site and is refused"}});
      }
      const LimitedAs limited = LimitOf(route.info);
      if (limited == LimitedAs::kLogin) {
        retry_after_ms = login_per_client.Take(c.client, SteadyMillis());
        if (retry_after_ms > 0) return TooManyRequests(retry_after_ms);
      }
      if (route.info.authenticated) {
        c.token = TokenOf(req);
        if (c.token.empty()) return Status::Unauthenticated();
        auto who = app.auth->Authenticate(c.token, c.client, c.request_id);
        if (!who.ok()) return who.status();
        c.who = std::move(who).value();
        // A one-time password opens only the way to replace it.
        if (c.who->must_change_password && route.info.pattern != "/api/v1/auth/password" &&
            route.info.pattern != "/api/v1/auth/me" &&
            route.info.pattern != "/api/v1/auth/logout") {
          return Status::PermissionDenied("change your one-time password first", "请先修改初始密码")
              .WithFieldErrors({{"password", "password_change_required", "请先修改初始密码",
                                 "change your one-time password first"}});
        }
        // The operation's declared permission, before anything else runs. A refusal is audited
        // like the services' own (refusals too), with the path that names what was asked for.
        if (route.info.access.kind == RouteAccess::Kind::kPermission) {
          if (Status st = auth::RequireAny(*c.who, route.info.access.any_of); !st.ok()) {
            const bool about_person = (route.info.pattern.rfind("/api/v1/persons/{", 0) == 0 ||
                                       route.info.pattern.rfind("/fhir/r4/Patient/{", 0) == 0) &&
                                      !c.params.empty();
            (void)app.audit->Record(*c.who,
                                    {.action = "access.denied",
                                     .object_type = "operation",
                                     .object_id = route.info.method + " " + route.info.pattern,
                                     .person_id = about_person ? c.params[0] : std::string(),
                                     .result = "denied",
                                     .detail = req.path});
            return st;
          }
        }
        if (limited == LimitedAs::kSearch) {
          retry_after_ms = search_per_user.Take(c.who->user_id, SteadyMillis());
          if (retry_after_ms > 0) {
            // A refused look-up is still a look-up attempt: audited, without what was sought.
            (void)app.audit->Record(*c.who, {.action = "person.search",
                                             .object_type = "search",
                                             .result = "denied",
                                             .detail = "rate limited"});
            return TooManyRequests(retry_after_ms);
          }
        }
      }
      if (route.json_body) {
        std::string type = req.get_header_value("Content-Type");
        if (!type.empty() && type.rfind("application/json", 0) != 0) {
          return Invalid("", "unsupported_media_type", "请求体应为 application/json",
                         "the body must be application/json");
        }
        c.body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
        if (c.body.is_discarded()) {
          return Invalid("", "invalid_json", "请求体不是有效的 JSON", "the body is not valid JSON");
        }
        if (!c.body.is_object()) {
          return Invalid("", "wrong_type", "请求体应为 JSON 对象",
                         "the body must be a JSON object");
        }
      }
      if (limited == LimitedAs::kLogin) {
        // Per account name as typed (case-folded), known or not: no oracle, no free guesses.
        auto name = c.body.find("username");
        if (name != c.body.end() && name->is_string()) {
          std::string key = name->get<std::string>().substr(0, 64);
          std::transform(key.begin(), key.end(), key.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
          retry_after_ms = login_per_account.Take(key, SteadyMillis());
          if (retry_after_ms > 0) {
            spdlog::warn("log-in for {} rate limited from {}", key, c.client);
            return TooManyRequests(retry_after_ms);
          }
        }
      }
      return route.handler(app, c, options);
    };
    Result<Reply> out = run();
    if (out.ok()) {
      Reply& r = *out;
      res.status = r.status;
      for (auto& [k, v] : r.headers) res.set_header(k.c_str(), v);
      if (!r.file.empty()) {
        StreamFile(res, r.file, r.content_type);
      } else if (!r.raw.empty()) {
        res.set_content(r.raw, r.content_type.c_str());
      } else {
        res.set_content(r.body.dump(-1, ' ', false, json::error_handler_t::replace),
                        "application/json; charset=utf-8");
      }
    } else {
      SendProblem(req, res, out.status(), c.request_id);
      if (out.status().code() == StatusCode::kTooManyRequests) {
        res.set_header("Retry-After", std::to_string((retry_after_ms + 999) / 1000));
      }
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    metrics.Observe(route.info.method, route.info.pattern, res.status, elapsed);
    spdlog::info("http {} {} {} {}us request_id={} user={}", req.method, req.path, res.status,
                 elapsed.count(), c.request_id, c.who ? c.who->username : "-");
  }

  void Register() {
    server.set_payload_max_length(options.max_body_bytes);
    server.set_tcp_nodelay(true);  // headers and body go out as two writes: no Nagle delay
    server.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_socket = static_cast<int>(sock);
    });
    // One thread per open connection, grown on demand (http/connection_pool.h): clients that
    // connect and wait do not hold up everyone else.
    server.new_task_queue = [min = options.threads, max = options.max_threads] {
      return new ConnectionPool(static_cast<std::size_t>(min),
                                static_cast<std::size_t>(std::max(min, max)));
    };
    for (const Route& route : RouteTable()) {
      auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
        Handle(route, req, res);
      };
      std::string re = RegexOf(route.info.pattern);
      if (route.info.method == "GET")
        server.Get(re, handler);
      else if (route.info.method == "POST")
        server.Post(re, handler);
      else if (route.info.method == "PATCH")
        server.Patch(re, handler);
      else if (route.info.method == "PUT")
        server.Put(re, handler);
      else if (route.info.method == "DELETE")
        server.Delete(re, handler);
    }
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      auto check = app.db->Read([](soci::session& s) {
        int one = 0;
        s << "SELECT 1", soci::into(one);
        return Status::Ok();
      });
      res.status = check.ok() ? 200 : 503;
      res.set_content(json{{"status", check.ok() ? "ok" : "unavailable"},
                           {"schema_version", app.db->schema_version()}}
                          .dump(),
                      "application/json");
    });
    server.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      // Route names, counts and timings: not for every browser on the network.
      bool allowed = options.metrics_token.empty() ? IsLoopback(req.remote_addr)
                                                   : req.get_header_value("Authorization") ==
                                                         "Bearer " + options.metrics_token;
      if (!allowed) {
        SetSecurityHeaders(res);
        SendProblem(req, res,
                    Status::PermissionDenied("metrics are not served to this client",
                                             "不向此客户端提供监控指标"),
                    NewId());
        return;
      }
      std::string extra;
      if (const auto* guarded = dynamic_cast<const GuardedServer*>(&server)) {
        extra = fmt::format(
            "# HELP jundeng_http_connections_refused_total Connections refused: the client "
            "address held its limit.\n"
            "# TYPE jundeng_http_connections_refused_total counter\n"
            "jundeng_http_connections_refused_total {}\n"
            "# HELP jundeng_http_requests_timed_out_total Requests whose head or body missed "
            "its deadline (408).\n"
            "# TYPE jundeng_http_requests_timed_out_total counter\n"
            "jundeng_http_requests_timed_out_total {}\n",
            guarded->refused_connections(), guarded->requests_timed_out());
      }
      res.set_content(metrics.Render(extra), "text/plain; version=0.0.4");
    });
    server.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(OpenApiDocument(), "application/json");
    });
    if (!options.static_dir.empty() && std::filesystem::is_directory(options.static_dir)) {
      // The web app gets the API's security headers (CSP: everything from this origin only).
      httplib::Response defaults;
      SetSecurityHeaders(defaults);
      server.set_mount_point("/", options.static_dir, defaults.headers);
    } else {
      // Without the web app's files: a page that says what is here.
      server.Get("/", [](const httplib::Request&, httplib::Response& res) {
        SetSecurityHeaders(res);
        res.set_content(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>均等 "
            "Jundeng</title>"
            "<h1>均等 · 流动人口基本公共卫生计生服务</h1>"
            "<p>The API of this city node is served under <code>/api/v1</code>; its description "
            "is <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>. "
            "Health: <a href=\"/healthz\">/healthz</a>.</p></html>",
            "text/html; charset=utf-8");
      });
    }
    // Anything the routes did not answer: problem+json, in the client's language.
    server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      std::string request_id = NewId();
      Status st;
      if (res.status == 413) {
        st = Status(StatusCode::kTooLarge,
                    fmt::format("the body exceeds {} bytes", options.max_body_bytes),
                    fmt::format("请求体超过 {} 字节", options.max_body_bytes))
                 .WithFieldErrors(
                     {{"", "too_large", fmt::format("请求体超过 {} 字节", options.max_body_bytes),
                       fmt::format("the body exceeds {} bytes", options.max_body_bytes)}});
      } else if (res.status == 404) {
        st = Status::NotFound("no such resource: " + req.path, "没有此资源：" + req.path);
      } else if (res.status == 405) {
        st = Status(StatusCode::kInvalidArgument, "method not allowed", "不支持此方法");
      } else {
        st = Status(StatusCode::kInvalidArgument, "bad request", "请求有误");
      }
      int status = res.status;
      SendProblem(req, res, st, request_id);
      res.status = status;  // keep httplib's status (e.g. 405, 400 for a malformed request line)
      SetSecurityHeaders(res);
    });
    server.set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown";
          try {
            if (ep) std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          std::string request_id = NewId();
          spdlog::error("unhandled exception in {} {}: {} request_id={}", req.method, req.path,
                        what, request_id);
          SendProblem(req, res, Status::Internal("internal error, reported as " + request_id),
                      request_id);
        });
  }
};

Server::Server(App& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {
  impl_->Register();
}

Server::~Server() = default;

Status Server::Run(const std::function<void(int)>& on_ready) {
  if (!impl_->server.is_valid()) {
    return Status::FailedPrecondition(
        fmt::format("cannot use the TLS certificate {} with the key {}", impl_->options.tls_cert,
                    impl_->options.tls_key),
        "无法使用 TLS 证书或私钥: " + impl_->options.tls_cert);
  }
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(impl_->options.host.c_str());
  } else if (!impl_->server.bind_to_port(impl_->options.host.c_str(), port)) {
    port = -1;
  }
  if (port < 0) {
    return Status::Unavailable(
        fmt::format("cannot listen on {}:{}", impl_->options.host, impl_->options.port),
        "无法监听端口");
  }
  // Debian's cpp-httplib listens with a backlog of 5: a burst of new connections (a health
  // centre opening the app at 8 o'clock) would wait on SYN retries of a second and more. Linux
  // takes a second listen() on the socket as a new backlog.
  if (int sock = impl_->listen_socket.load(); sock >= 0) (void)::listen(sock, SOMAXCONN);
  if (on_ready) on_ready(port);
  if (!impl_->server.listen_after_bind()) {
    return Status::Unavailable("the server stopped with an error", "服务异常停止");
  }
  return Status::Ok();
}

void Server::Stop() { impl_->server.stop(); }

}  // namespace jd::http
