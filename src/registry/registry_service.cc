#include "registry/registry_service.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/ids.h"
#include "core/input.h"
#include "registry/codes.h"
#include "registry/document_rules.h"
#include "registry/person_json.h"
#include "registry/person_rules.h"
#include "registry/place_names.h"

namespace jd::registry {

namespace {

using auth::Permission;
using auth::Principal;
using nlohmann::json;

// A taken identity document, with the field named so that a form can mark it.
Status DuplicateIdentity() {
  Status s = Status::AlreadyExists("a person with this ID number is already registered",
                                   "该证件号码已登记");
  s.WithFieldErrors(
      {{"id_number", "duplicate", "该证件号码已登记", "this ID number is already registered"}});
  return s;
}

Status NotAnObject() {
  return Status::Invalid(
      {{"", "wrong_type", "请求体应为 JSON 对象", "the body must be a JSON object"}});
}

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}

std::string PersonSnapshot(const Person& p) { return PersonToJson(p, /*mask=*/false).dump(); }

// What the audit log says about a search text: its kind, the text masked (a name keeps its first
// character, a number its ends) and a keyed digest (auth::QueryDigest), never the text itself.
std::string AuditableQuery(const auth::AuditLog& audit, const std::string& q) {
  if (q.empty()) return "q_kind=none";
  bool digits = std::all_of(q.begin(), q.end(),
                            [](char c) { return (c >= '0' && c <= '9') || c == 'X' || c == 'x'; });
  std::string kind = !digits                              ? "name"
                     : q.size() == 11 && q.front() == '1' ? "phone"
                     : q.size() == 15 || q.size() == 18   ? "id_number"
                     : q.size() == 4 || q.size() == 5     ? "phone_tail"  // search_keys.h
                                                          : "number";
  std::string masked = kind == "name"                            ? MaskName(q)
                       : kind == "phone" || kind == "phone_tail" ? MaskPhone(q)
                                                                 : MaskIdNumber(q);
  return fmt::format("q_kind={} q={} q_digest={}", kind, masked, audit.Digest(q));
}

}  // namespace

RegistryService::RegistryService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                                 EligibilityPolicy policy)
    : db_(db), audit_(audit), clock_(clock), policy_(policy) {}

Status RegistryService::BackfillSearchKeys() {
  // Looked at first with a read: a write, even an empty one, moves the audit head forward
  // (auth/audit_log.h), which must happen only when something was written.
  int pending = 0;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    s << "SELECT COUNT(*) FROM pending_backfills", soci::into(pending);
    return Status::Ok();
  }));
  if (pending == 0) return Status::Ok();
  return db_.Write([](soci::session& s) {
    std::int64_t n = PersonStore::BackfillSearchKeys(s);
    if (n > 0) spdlog::info("search keys written for {} persons registered before them", n);
    return Status::Ok();
  });
}

Status RegistryService::LoadOrgUnits() {
  std::vector<OrgUnit> units;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    units = PersonStore::ListOrgUnits(s);
    return Status::Ok();
  }));
  std::unique_lock lock(org_mu_);
  orgs_.clear();
  for (auto& u : units) orgs_.emplace(u.code, std::move(u));
  return Status::Ok();
}

Status RegistryService::RefusePerson(const Principal& who, const std::string& person_id,
                                     const std::string& action) {
  // Outside the jurisdiction: recorded, and answered as not found.
  return auth::RefuseOutsideScope(
      audit_, who,
      {.action = action, .object_type = "person", .object_id = person_id, .person_id = person_id},
      PersonNotFound());
}

// ---- Org units ----

Result<std::vector<OrgUnit>> RegistryService::ListOrgUnits(const Principal& who) const {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kOrgRead));
  std::shared_lock lock(org_mu_);
  std::vector<OrgUnit> out;
  out.reserve(orgs_.size());
  for (const auto& [code, u] : orgs_) out.push_back(u);
  std::sort(out.begin(), out.end(),
            [](const OrgUnit& a, const OrgUnit& b) { return a.path < b.path; });
  return out;
}

std::optional<OrgUnit> RegistryService::FindOrg(const std::string& code) const {
  std::shared_lock lock(org_mu_);
  auto it = orgs_.find(code);
  if (it == orgs_.end()) return std::nullopt;
  return it->second;
}

std::optional<OrgUnit> RegistryService::RootOrg() const {
  std::shared_lock lock(org_mu_);
  for (const auto& [code, u] : orgs_)
    if (u.parent_code.empty()) return u;
  return std::nullopt;
}

Status RegistryService::AddOrgUnits(const Principal& who, const std::vector<OrgUnit>& units) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kConfigure));
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    for (const auto& u : units) PersonStore::InsertOrgUnit(s, u);
    return audit_.Append(s, who,
                         {.action = "org.create",
                          .object_type = "org_unit",
                          .detail = fmt::format("{} units", units.size())});
  }));
  return LoadOrgUnits();
}

Result<OrgUnit> RegistryService::CreateOrgUnit(const Principal& who, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kConfigure));
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  OrgUnit u;
  u.code = TextMember(body, "code", FieldKind::kCode, errors);
  u.name = TextMember(body, "name", FieldKind::kShortText, errors);
  u.parent_code = TextMember(body, "parent_code", FieldKind::kCode, errors);
  if (u.name.empty()) errors.Add("name", "required", "请填写名称", "name is required");
  std::optional<OrgUnit> parent;
  if (u.parent_code.empty()) {
    errors.Add("parent_code", "required", "请填写上级单位代码", "parent_code is required");
  } else if (!(parent = FindOrg(u.parent_code))) {
    errors.Add("parent_code", "unknown_org", "上级单位不存在：" + u.parent_code,
               "no org unit has the code " + u.parent_code);
  } else if (parent->level == OrgLevel::kCity || parent->level == OrgLevel::kCommunity) {
    errors.Add("parent_code", "invalid_parent", "街道/乡镇应挂在区县下，社区/村应挂在街道/乡镇下",
               "a street hangs under a district, a community under a street");
  }
  bool digits = !u.code.empty() && std::all_of(u.code.begin(), u.code.end(),
                                               [](char c) { return c >= '0' && c <= '9'; });
  if (parent && errors.empty()) {
    // 统计用区划代码: street = county code (6) + 3 digits, community = street code (9) + 3 digits.
    std::size_t want = parent->code.size() + 3;
    if (!digits || u.code.size() != want ||
        u.code.compare(0, parent->code.size(), parent->code) != 0) {
      errors.Add(
          "code", "invalid_code", fmt::format("代码应为上级代码 {} 加3位数字", parent->code),
          fmt::format("the code must be the parent's code {} and 3 more digits", parent->code));
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  if (FindOrg(u.code)) return Status::AlreadyExists("an org unit has this code", "单位代码已存在");
  u.level = parent->level == OrgLevel::kDistrict ? OrgLevel::kStreet : OrgLevel::kCommunity;
  u.path = parent->path + u.code + "/";
  JD_RETURN_IF_ERROR(AddOrgUnits(who, {u}));
  return u;
}

// ---- Persons ----

void RegistryService::ValidateForWrite(Person& p, FieldErrors& errors) const {
  errors.Append(ValidatePerson(p, clock_.Today()));
  if (!p.residence_org.empty()) {
    auto org = FindOrg(p.residence_org);
    if (!org) {
      errors.Add("residence_org", "unknown_org", "现居住地单位代码不存在：" + p.residence_org,
                 "no org unit has the code " + p.residence_org);
    } else {
      p.residence_path = org->path;
    }
  }
}

void RegistryService::MergeRuleErrors(Person& p, FieldErrors& errors) const {
  // The rules run even when the JSON had type errors, so the caller sees every problem at once;
  // a field already reported (e.g. a number given for the name) is not reported twice.
  FieldErrors rule_errors;
  ValidateForWrite(p, rule_errors);
  std::set<std::string> reported;
  for (const auto& e : errors.errors()) reported.insert(e.field);
  for (const auto& e : rule_errors.errors()) {
    if (!reported.count(e.field)) errors.Add(e);
  }
}

EligibilityResult RegistryService::EligibilityOf(const Person& p,
                                                 const std::vector<Document>& documents,
                                                 const Date& as_of) const {
  EligibilityFacts f;
  f.as_of = as_of;
  f.birth_date = p.birth_date;
  f.hukou_division = p.hukou_division;
  f.residence_division = p.residence_org.substr(0, 6);
  f.hukou_place = PlaceName(Divisions::Builtin(), f.hukou_division, /*with_province=*/true);
  f.residence_place = PlaceName(Divisions::Builtin(), f.residence_division, false);
  f.left_hukou_on = p.left_hukou_on;
  f.arrived_on = p.arrived_on;
  f.reason = p.move_reason;
  bool permit_documented = false;
  for (const auto& d : documents) {
    f.documents.push_back({d.type, d.status, d.valid_until});
    if (d.type == DocumentType::kResidencePermit && !p.residence_permit_no.empty() &&
        d.number == p.residence_permit_no) {
      permit_documented = true;
    }
  }
  // The 居住证 number on the record counts like a submitted, not rejected permit (实施办法
  // §三(二)1), unless the same permit was submitted as a document, whose review then decides.
  if (!p.residence_permit_no.empty() && !permit_documented) {
    f.documents.push_back(
        {DocumentType::kResidencePermit, DocumentStatus::kPending, p.residence_permit_valid_until});
  }
  EligibilityResult r = Evaluate(f, policy_);
  if (p.status != PersonStatus::kActive) {
    // A person who moved out or died keeps the record but no longer lives here.
    r.floating = false;
    r.entitlements = {};
    r.rules.push_back(
        {.rule = "currently_resident",
         .passed = false,
         .detail_zh = p.status == PersonStatus::kDied ? "已死亡" : "已迁出本市",
         .detail_en = p.status == PersonStatus::kDied ? "deceased" : "moved out of the city",
         .dates = {}});
  }
  return r;
}

Result<PersonView> RegistryService::LoadView(soci::session& s, const auth::Scope& scope,
                                             const std::string& id, bool* outside) {
  auto p = PersonStore::Get(s, scope, id);
  if (outside) *outside = p.outside_scope();
  if (!p) return PersonNotFound();
  PersonView v;
  v.person = std::move(*p);
  v.documents = PersonStore::ListDocuments(s, scope, id);
  v.events = PersonStore::ListEvents(s, scope, id);
  Date today = clock_.Today();
  v.eligibility = EligibilityOf(v.person, v.documents, today);
  v.as_of = FormatDate(today);
  return v;
}

Result<PersonView> RegistryService::CreatePerson(const Principal& who, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  if (body.is_object()) MergeRuleErrors(p, errors);
  if (!errors.empty()) return errors.ToStatus();
  const auth::Scope scope = auth::ScopeOf(who);
  if (!scope.Covers(p.residence_path)) {
    return Status::Invalid(
        {{"residence_org", "outside_jurisdiction", "只能登记居住在本辖区内的人员",
          "you can only register persons living in "
          "your jurisdiction"}});
  }
  std::string now = FormatTimestamp(clock_.Now());
  p.id = NewId();
  p.status = PersonStatus::kActive;
  p.version = 1;
  p.created_at = p.updated_at = now;
  p.created_by = p.updated_by = who.username;

  Result<PersonView> view = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) {
    if (!PersonStore::Insert(s, p, "")) {
      auto existing = PersonStore::FindIdentity(s, ToCode(p.id_type), p.id_number);
      Status dup = DuplicateIdentity();
      // Point to the existing record only when the caller may see it.
      if (existing && scope.Covers(existing->second)) dup.WithRef(existing->first);
      return dup;
    }
    ResidenceEvent e;
    e.id = NewId();
    e.person_id = p.id;
    e.type = ResidenceEventType::kArrived;
    e.date = p.arrived_on;
    e.org_code = p.residence_org;
    e.address = p.residence_address;
    e.recorded_at = now;
    e.recorded_by = who.username;
    PersonStore::InsertEvent(s, e);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "person.create",
                                      .object_type = "person",
                                      .object_id = p.id,
                                      .person_id = p.id}));
    view = LoadView(s, scope, p.id);
    return view.ok() ? Status::Ok() : view.status();
  });
  if (!st.ok()) return st;
  return view;
}

Result<PersonView> RegistryService::GetPerson(const Principal& who, const std::string& id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(id)) return PersonNotFound();
  Result<PersonView> view = PersonNotFound();
  bool outside = false;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    view = LoadView(s, auth::ScopeOf(who), id, &outside);
    return Status::Ok();
  }));
  if (outside) return RefusePerson(who, id, "person.read");
  if (!view.ok()) {
    JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "person.read",
                                           .object_type = "person",
                                           .object_id = id,
                                           .result = "not_found"}));
    return view.status();
  }
  // The read is recorded before the data leaves: no audit, no data.
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "person.read", .object_type = "person", .object_id = id, .person_id = id}));
  return view;
}

Result<PersonPage> RegistryService::SearchPersons(const Principal& who, PersonSearch q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!q.status.empty() && !ParsePersonStatus(q.status)) {
    return Status::Invalid({{"status", "invalid_value", "状态应为 active、moved_out 或 died",
                             "status must be active, moved_out or died"}});
  }
  if (q.q.size() > 64) {
    return Status::Invalid({{"q", "too_long", "查询内容过长", "the search text is too long"}});
  }
  q.scope = auth::ScopeOf(who);
  if (q.scope.empty()) return PersonPage{};
  PersonPage page;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    page = PersonStore::Search(s, q);
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who,
      {.action = "person.search",
       .object_type = "search",
       .detail = fmt::format(
           "{} status={}{}{} page_offset={} results={}", AuditableQuery(audit_, q.q), q.status,
           q.born.empty() ? "" : fmt::format(" born=[{},{})", q.born.from, q.born.before),
           q.updated.empty() ? ""
                             : fmt::format(" updated=[{},{})", q.updated.from, q.updated.before),
           q.offset, page.items.size())}));
  return page;
}

Result<std::vector<Person>> RegistryService::FindPersonsForAudit(const Principal& who,
                                                                 const std::string& q, int limit) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kAuditRead));
  if (q.empty()) {
    return Status::Invalid(
        {{"person", "required", "请输入姓名或身份证号码", "enter a name or an ID number"}});
  }
  if (q.size() > 64) {
    return Status::Invalid({{"person", "too_long", "查询内容过长", "the search text is too long"}});
  }
  PersonSearch search{.q = q, .scope = auth::AuditScopeOf(who), .limit = limit};
  PersonPage page;
  if (!search.scope.empty()) {
    JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
      page = PersonStore::Search(s, search);
      return Status::Ok();
    }));
  }
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "person.search",
                          .object_type = "search",
                          .detail = fmt::format("for=audit {} results={}",
                                                AuditableQuery(audit_, q), page.items.size())}));
  return std::move(page.items);
}

Result<std::map<std::string, std::string>> RegistryService::MaskedNamesForAudit(
    const Principal& who, const std::vector<std::string>& ids) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kAuditRead));
  std::map<std::string, std::string> out;
  const auth::Scope scope = auth::AuditScopeOf(who);
  if (scope.empty()) return out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (const auto& id : ids) {
      if (out.contains(id) || !IsUuid(id)) continue;
      auto p = PersonStore::Get(s, scope, id);
      if (p) out.emplace(id, MaskName(p->name));
    }
    return Status::Ok();
  }));
  return out;
}

Result<PersonView> RegistryService::UpdatePerson(const Principal& who, const std::string& id,
                                                 const json& patch, int expected_version) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  if (!IsUuid(id)) return PersonNotFound();
  if (!patch.is_object()) return NotAnObject();
  if (patch.contains("residence_org")) {
    return Status::Invalid(
        {{"residence_org", "use_residence_event", "变更现居住地请登记居住事件（市内迁移）",
          "record a residence event (moved_within_city) to change the residence"}});
  }
  Result<PersonView> view = PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto current = PersonStore::Get(s, scope, id);
    outside = current.outside_scope();
    if (!current) return PersonNotFound();
    if (expected_version > 0 && current->version != expected_version) {
      return StaleVersion();
    }
    FieldErrors errors;
    Person next = ApplyPersonPatch(*current, patch, errors);
    if (errors.empty()) ValidateForWrite(next, errors);
    if (!errors.empty()) return errors.ToStatus();
    next.id = current->id;
    next.status = current->status;
    next.residence_org = current->residence_org;
    next.residence_path = current->residence_path;
    next.created_at = current->created_at;
    next.created_by = current->created_by;
    next.version = current->version + 1;
    next.updated_at = FormatTimestamp(clock_.Now());
    next.updated_by = who.username;
    if (next.id_number != current->id_number || next.id_type != current->id_type) {
      auto existing = PersonStore::FindIdentity(s, ToCode(next.id_type), next.id_number);
      if (existing && existing->first != id) {
        Status dup = DuplicateIdentity();
        if (scope.Covers(existing->second)) dup.WithRef(existing->first);
        return dup;
      }
    }
    PersonStore::InsertVersion(s, id, current->version, PersonSnapshot(*current), next.updated_at,
                               who.username);
    if (!PersonStore::Update(s, scope, next, current->version)) return StaleVersion();
    std::vector<std::string> changed;
    for (auto it = patch.begin(); it != patch.end(); ++it) changed.push_back(it.key());
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "person.update",
                       .object_type = "person",
                       .object_id = id,
                       .person_id = id,
                       .detail = "fields: " + fmt::format("{}", fmt::join(changed, ","))}));
    view = LoadView(s, scope, id);
    return view.ok() ? Status::Ok() : view.status();
  });
  if (outside) return RefusePerson(who, id, "person.update");
  if (!st.ok()) return st;
  return view;
}

Result<PersonView> RegistryService::AddResidenceEvent(const Principal& who,
                                                      const std::string& person_id,
                                                      const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  ResidenceEvent e;
  std::string type_text = TextMember(body, "type", FieldKind::kCode, errors);
  auto type = ParseResidenceEventType(type_text);
  if (type_text.empty()) {
    errors.Add("type", "required", "事件类型为必填项", "type is required");
  } else if (!type || *type == ResidenceEventType::kArrived) {
    errors.Add("type", "invalid_value",
               "事件类型应为 moved_within_city、moved_out、returned 或 died",
               "type must be moved_within_city, moved_out, returned or died");
  }
  Date today = clock_.Today();
  auto date = DateMember(body, "date", DateKind::kPastEvent, today, Presence::kRequired, errors);
  e.org_code = TextMember(body, "org_code", FieldKind::kCode, errors);
  e.address = TextMember(body, "address", FieldKind::kAddress, errors);
  e.note = TextMember(body, "note", FieldKind::kNote, errors);
  std::optional<OrgUnit> org;
  bool needs_org = type && (*type == ResidenceEventType::kMovedWithinCity ||
                            *type == ResidenceEventType::kReturned);
  if (needs_org) {
    if (e.org_code.empty()) {
      errors.Add("org_code", "required", "迁入的居住地单位代码为必填项", "org_code is required");
    } else if (!(org = FindOrg(e.org_code))) {
      errors.Add("org_code", "unknown_org", "单位代码不存在：" + e.org_code,
                 "no org unit has the code " + e.org_code);
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  e.type = *type;
  e.date = *date;

  Result<PersonView> view = PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto current = PersonStore::Get(s, scope, person_id);
    outside = current.outside_scope();
    if (!current) return PersonNotFound();
    std::vector<Document> documents_before = PersonStore::ListDocuments(s, scope, person_id);
    std::vector<ResidenceEvent> events_before = PersonStore::ListEvents(s, scope, person_id);
    Person next = *current;
    FieldErrors state_errors;
    switch (e.type) {
      case ResidenceEventType::kMovedWithinCity:
        if (current->status != PersonStatus::kActive) {
          state_errors.Add("type", "invalid_transition", "此人当前不在本市居住",
                           "the person does not live in the city now");
        }
        next.residence_org = org->code;
        next.residence_path = org->path;
        if (!e.address.empty()) next.residence_address = e.address;
        break;
      case ResidenceEventType::kMovedOut:
      case ResidenceEventType::kDied:
        if (current->status == PersonStatus::kDied) {
          state_errors.Add("type", "invalid_transition", "此人已登记死亡",
                           "the person is recorded as deceased");
        } else if (e.type == ResidenceEventType::kMovedOut &&
                   current->status != PersonStatus::kActive) {
          state_errors.Add("type", "invalid_transition", "此人已迁出",
                           "the person has already moved out");
        }
        next.status =
            e.type == ResidenceEventType::kDied ? PersonStatus::kDied : PersonStatus::kMovedOut;
        break;
      case ResidenceEventType::kReturned:
        if (current->status != PersonStatus::kMovedOut) {
          state_errors.Add("type", "invalid_transition", "只有已迁出的人员才能登记返回",
                           "only a person who moved out can return");
        }
        // A return starts a new residence episode: the 30-day and 6-month clocks restart.
        next.status = PersonStatus::kActive;
        next.arrived_on = e.date;
        next.residence_org = org->code;
        next.residence_path = org->path;
        if (!e.address.empty()) next.residence_address = e.address;
        break;
      case ResidenceEventType::kArrived:
        break;
    }
    if (e.date < current->arrived_on && e.type != ResidenceEventType::kReturned) {
      state_errors.Add("date", "before_arrival", "事件日期早于来本地日期",
                       "the date is before the person arrived");
    }
    if (!state_errors.empty()) return state_errors.ToStatus();
    std::string now = FormatTimestamp(clock_.Now());
    next.version = current->version + 1;
    next.updated_at = now;
    next.updated_by = who.username;
    PersonStore::InsertVersion(s, person_id, current->version, PersonSnapshot(*current), now,
                               who.username);
    if (!PersonStore::Update(s, scope, next, current->version)) {
      return Status::FailedPrecondition("the record was changed by someone else; reload it",
                                        "该记录已被他人修改，请刷新后再改");
    }
    e.id = NewId();
    e.person_id = person_id;
    e.recorded_at = now;
    e.recorded_by = who.username;
    PersonStore::InsertEvent(s, e);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "person.residence_event",
                                      .object_type = "residence_event",
                                      .object_id = e.id,
                                      .person_id = person_id,
                                      .detail = std::string(ToCode(e.type))}));
    if (scope.Covers(next.residence_path)) {
      view = LoadView(s, scope, person_id);
      return view.ok() ? Status::Ok() : view.status();
    }
    // Moved out of the caller's jurisdiction: the answer is what the caller just wrote and had
    // already seen, and later reads are refused like any other outside the jurisdiction.
    PersonView moved;
    moved.person = next;
    moved.documents = std::move(documents_before);
    moved.events = std::move(events_before);
    moved.events.push_back(e);
    moved.as_of = FormatDate(clock_.Today());
    moved.eligibility = EligibilityOf(moved.person, moved.documents, clock_.Today());
    view = std::move(moved);
    return Status::Ok();
  });
  if (outside) return RefusePerson(who, person_id, "person.residence_event");
  if (!st.ok()) return st;
  return view;
}

Result<std::vector<json>> RegistryService::PersonHistory(const Principal& who,
                                                         const std::string& id) {
  auto view = GetPerson(who, id);  // authorises, scopes and audits the read
  if (!view.ok()) return view.status();
  std::vector<json> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT version, data, replaced_at, replaced_by FROM person_versions WHERE "
                      "person_id = :p ORDER BY version DESC",
         soci::use(id));
    for (const auto& r : rows) {
      json data = json::parse(r.get<std::string>(1), nullptr, false);
      out.push_back({{"version", storage::RowInt64(r, 0)},
                     {"replaced_at", r.get<std::string>(2)},
                     {"replaced_by", r.get<std::string>(3)},
                     {"data", data}});
    }
    return Status::Ok();
  }));
  return out;
}

// ---- Documents ----

Result<Document> RegistryService::SubmitDocument(const Principal& who, const std::string& person_id,
                                                 const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  Document d;
  std::string type_text = TextMember(body, "type", FieldKind::kCode, errors);
  auto type = ParseDocumentType(type_text);
  if (type_text.empty()) {
    errors.Add("type", "required", "凭证类型为必填项", "type is required");
  } else if (!type) {
    errors.Add("type", "invalid_value",
               "凭证类型应为 residence_permit、residence_certificate、hukou_or_id、"
               "marriage_fertility_certificate 或 other",
               "type must be residence_permit, residence_certificate, hukou_or_id, "
               "marriage_fertility_certificate or other");
  }
  d.number = TextMember(body, "number", FieldKind::kNumber, errors);
  d.issued_by = TextMember(body, "issued_by", FieldKind::kShortText, errors);
  const Date today = clock_.Today();
  d.issued_on = DateMember(body, "issued_on", DateKind::kIssue, today, Presence::kOptional, errors);
  d.valid_until =
      DateMember(body, "valid_until", DateKind::kExpiry, today, Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  d.type = *type;
  JD_RETURN_IF_ERROR(ValidateNewDocument(d, clock_.Today()));
  d.id = NewId();
  d.person_id = person_id;
  d.status = DocumentStatus::kPending;
  d.submitted_at = FormatTimestamp(clock_.Now());
  d.submitted_by = who.user_id;
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonStore::Get(s, auth::ScopeOf(who), person_id);
    outside = p.outside_scope();
    if (!p) return PersonNotFound();
    PersonStore::InsertDocument(s, d);
    return audit_.Append(s, who,
                         {.action = "document.submit",
                          .object_type = "document",
                          .object_id = d.id,
                          .person_id = person_id,
                          .detail = std::string(ToCode(d.type))});
  });
  if (outside) return RefusePerson(who, person_id, "document.submit");
  if (!st.ok()) return st;
  return d;
}

Result<Document> RegistryService::ReviewDocument(const Principal& who,
                                                 const std::string& document_id, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDocumentReview));
  if (!IsUuid(document_id)) return Status::NotFound("no such document", "凭证不存在");
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  std::string decision_text = TextMember(body, "decision", FieldKind::kCode, errors);
  std::string reason = TextMember(body, "reason", FieldKind::kNote, errors);
  auto decision = ParseDocumentStatus(decision_text);
  if (decision_text.empty()) {
    errors.Add("decision", "required", "审核结论为必填项", "decision is required");
  } else if (!decision || *decision == DocumentStatus::kPending) {
    errors.Add("decision", "invalid_value", "审核结论应为 approved 或 rejected",
               "decision must be approved or rejected");
  }
  if (!errors.empty()) return errors.ToStatus();
  Result<Document> out = Status::NotFound("no such document", "凭证不存在");
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto d = PersonStore::GetDocument(s, scope, document_id);
    outside = d.outside_scope();
    if (!d) return Status::NotFound("no such document", "凭证不存在");
    JD_RETURN_IF_ERROR(Review(*d, *decision, who.user_id, reason, FormatTimestamp(clock_.Now())));
    PersonStore::UpdateReview(s, scope, *d);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "document.review",
                                      .object_type = "document",
                                      .object_id = d->id,
                                      .person_id = d->person_id,
                                      .detail = std::string(ToCode(d->status))}));
    out = *d;
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who,
        {.action = "document.review", .object_type = "document", .object_id = document_id},
        Status::NotFound("no such document", "凭证不存在"));
  }
  if (!st.ok()) return st;
  return out;
}

Result<std::int64_t> RegistryService::CountPendingDocuments(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDocumentReview));
  std::int64_t n = 0;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    n = PersonStore::CountPending(s, auth::ScopeOf(who));
    return Status::Ok();
  }));
  return n;
}

Result<std::vector<PendingDocument>> RegistryService::PendingDocuments(const Principal& who,
                                                                       int limit, int offset) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDocumentReview));
  const auth::Scope scope = auth::ScopeOf(who);
  std::vector<PendingDocument> out;
  if (scope.empty()) return out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (auto& [d, p] : PersonStore::ListPending(s, scope, limit, offset)) {
      out.push_back({std::move(d), std::move(p)});
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "document.list_pending",
                                         .object_type = "search",
                                         .detail = fmt::format("results={}", out.size())}));
  return out;
}

// ---- Files ----

bool VectorImportSource::Next(std::vector<ImportRow>& out, std::size_t max) {
  out.clear();
  while (next_ < rows_.size() && out.size() < max) out.push_back(std::move(rows_[next_++]));
  return !out.empty();
}

namespace {

// A hand-off of validated batches from the validating thread to the writing one, at most two
// batches ahead so memory stays bounded.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity) {}
  void Push(T item) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  bool Pop(T& item) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  std::size_t capacity_;
  bool closed_ = false;
};

struct ValidatedRow {
  std::int64_t row;
  Person person;
};

struct ValidatedBatch {
  std::vector<ValidatedRow> good;
  std::vector<ImportRowError> errors;
  std::int64_t rows = 0;
  std::int64_t failed = 0;
  double fraction = 0;
};

}  // namespace

Result<ImportReport> RegistryService::ImportPersons(const Principal& who, ImportSource& source,
                                                    const ImportOptions& options) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonImport));
  ImportReport report;
  report.dry_run = options.dry_run;
  report.batch_id = NewId();
  std::string now = FormatTimestamp(clock_.Now());
  std::size_t batch_size = static_cast<std::size_t>(std::clamp(options.batch_size, 1, 100000));

  if (!options.dry_run) {
    std::string user_id = auth::ActorRef(who);
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      PersonStore::InsertBatch(s, report.batch_id, "persons", options.file_name, user_id, now);
      return Status::Ok();
    }));
  }

  // Stage 1 (its own thread): validate each row with the pure rules. Identity documents seen
  // earlier in the same file are duplicates.
  // A partner, which reads no person, imports into its own unit as the others do.
  const auth::Scope import_scope = auth::ImportScopeOf(who);
  BoundedQueue<ValidatedBatch> queue(2);
  using Steady = std::chrono::steady_clock;
  Steady::duration read_time{}, validate_time{}, push_wait{}, pop_wait{}, write_time{};
  std::thread validator([&] {
    std::unordered_map<std::string, std::int64_t> seen;
    std::vector<ImportRow> rows;
    for (auto t0 = Steady::now(); source.Next(rows, batch_size); t0 = Steady::now()) {
      auto t1 = Steady::now();
      read_time += t1 - t0;
      ValidatedBatch batch;
      batch.good.reserve(rows.size());
      for (auto& r : rows) {
        ++batch.rows;
        FieldErrors errors;
        errors.Append(r.errors);
        Person p;
        if (errors.empty()) {
          p = PersonFromJson(r.person, errors);
          MergeRuleErrors(p, errors);
        }
        if (errors.empty() && !import_scope.Covers(p.residence_path)) {
          errors.Add("residence_org", "outside_jurisdiction", "现居住地不在您的辖区内",
                     "the residence is outside your jurisdiction");
        }
        if (errors.empty()) {
          std::string key = std::string(ToCode(p.id_type)) + ":" + p.id_number;
          auto [it, inserted] = seen.emplace(std::move(key), r.row);
          if (!inserted) {
            errors.Add("id_number", "duplicate_in_file",
                       fmt::format("与第{}行证件号码重复", it->second),
                       fmt::format("the same ID number as row {}", it->second));
          }
        }
        if (!errors.empty()) {
          std::size_t decoded = r.errors.size();  // these already name the file's columns
          for (std::size_t i = 0; i < errors.errors().size(); ++i) {
            const FieldError& e = errors.errors()[i];
            std::string column =
                i < decoded || e.field.empty() ? e.field : source.ColumnName(e.field);
            batch.errors.push_back({r.row, column, e.code, e.message_zh, e.message_en});
          }
          ++batch.failed;
          continue;
        }
        p.id = NewId();
        p.status = PersonStatus::kActive;
        p.version = 1;
        p.created_at = p.updated_at = now;
        p.created_by = p.updated_by = who.username;
        batch.good.push_back({r.row, std::move(p)});
      }
      batch.fraction = source.Fraction();
      auto t2 = Steady::now();
      validate_time += t2 - t1;
      queue.Push(std::move(batch));
      push_wait += Steady::now() - t2;
    }
    queue.Close();
  });

  // Stage 2 (this thread): write each batch in one transaction. A row already registered is
  // refused by the unique index (ON CONFLICT DO NOTHING) and reported; the others commit.
  auto reject = [&](std::int64_t row, const std::string& field, const std::string& code,
                    const std::string& zh, const std::string& en) {
    report.errors.push_back({row, field, code, zh, en});
    ++report.rows_failed;
  };
  ValidatedBatch batch;
  for (auto t0 = Steady::now(); queue.Pop(batch); t0 = Steady::now()) {
    auto t1 = Steady::now();
    pop_wait += t1 - t0;
    report.rows_total += batch.rows;
    report.rows_failed += batch.failed;
    for (auto& e : batch.errors) report.errors.push_back(std::move(e));
    if (options.dry_run) {
      report.rows_ok += static_cast<std::int64_t>(batch.good.size());
    } else if (!batch.good.empty()) {
      std::vector<std::pair<std::int64_t, std::string>> duplicates;
      std::int64_t written = 0;
      Status st = db_.Write([&](soci::session& s) {
        duplicates.clear();
        written = 0;
        PersonInserter persons(s);
        EventInserter events(s);
        for (const ValidatedRow& v : batch.good) {
          const Person& p = v.person;
          if (!persons.Insert(p, report.batch_id)) {
            auto existing = PersonStore::FindIdentity(s, ToCode(p.id_type), p.id_number);
            bool visible = existing && auth::InScope(who, existing->second);
            duplicates.emplace_back(v.row, visible ? existing->first : "");
            continue;
          }
          events.Insert({NewId(), p.id, ResidenceEventType::kArrived, p.arrived_on, p.residence_org,
                         p.residence_address, "", now, who.username});
          ++written;
        }
        persons.Flush();
        return Status::Ok();
      });
      if (!st.ok()) {
        // The batch rolled back whole: its rows are reported, earlier batches stay committed.
        for (const ValidatedRow& v : batch.good) {
          reject(v.row, "", "storage_error", "写入失败：" + st.message_zh(),
                 "could not be written: " + st.message_en());
        }
      } else {
        report.rows_ok += written;
        for (const auto& [row, existing] : duplicates) {
          reject(row, source.ColumnName("id_number"), "duplicate",
                 existing.empty() ? "该证件号码已登记" : "该证件号码已登记，记录编号 " + existing,
                 existing.empty() ? "this ID number is already registered"
                                  : "this ID number is already registered as " + existing);
        }
      }
    }
    write_time += Steady::now() - t1;
    if (options.progress) options.progress(report.rows_ok + report.rows_failed, batch.fraction);
  }
  validator.join();
  auto ms = [](Steady::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  spdlog::debug("import timing ms: read={} validate={} push_wait={} | pop_wait={} write={}",
                ms(read_time), ms(validate_time), ms(push_wait), ms(pop_wait), ms(write_time));
  for (auto& e : source.InputErrors()) {
    report.errors.push_back(e);
    ++report.rows_failed;
    ++report.rows_total;
  }

  if (!options.dry_run) {
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      PersonStore::FinishBatch(s, report.batch_id, FormatTimestamp(clock_.Now()), report.rows_total,
                               report.rows_ok, report.rows_failed);
      // One audit row for the import; every person it wrote carries the batch id.
      return audit_.Append(
          s, who,
          {.action = "person.import",
           .object_type = "import_batch",
           .object_id = report.batch_id,
           .detail = fmt::format("file={} total={} ok={} failed={}", options.file_name,
                                 report.rows_total, report.rows_ok, report.rows_failed)});
    }));
  }
  std::stable_sort(report.errors.begin(), report.errors.end(),
                   [](const ImportRowError& a, const ImportRowError& b) { return a.row < b.row; });
  return report;
}

Status RegistryService::ExportPersons(const Principal& who, ExportIdentifiers identifiers,
                                      const std::function<bool(const Person&)>& sink,
                                      const std::string& since) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const bool full = identifiers == ExportIdentifiers::kFull;
  const char* kind = full ? "full" : "masked";
  if (full) {
    if (Status st = auth::Require(who, Permission::kPersonExportFull); !st.ok()) {
      JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "person.export",
                                             .object_type = "export",
                                             .result = "denied",
                                             .detail = "identifiers=full"}));
      return st;
    }
  }
  const auth::Scope scope = auth::ScopeOf(who);
  const std::string scope_text = scope.whole_city() ? "city" : scope.path();
  if (scope.empty()) return Status::Ok();
  // No audit, no data: the row is committed before the first person leaves.
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "person.export",
                          .object_type = "export",
                          .detail = fmt::format("identifiers={} scope={}{}", kind, scope_text,
                                                since.empty() ? "" : " since=" + since)}));
  std::int64_t count = 0;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    PersonScan q;
    q.scope = scope;
    q.updated.from = since;
    Person last;
    for (;;) {
      std::vector<Person> page = PersonStore::Scan(s, q);
      for (const auto& p : page) {
        if (!sink(full ? p : DeidentifiedPerson(p))) return Status::Ok();
        ++count;
      }
      if (static_cast<int>(page.size()) < q.limit) break;
      last = std::move(page.back());
      q.after = &last;
    }
    return Status::Ok();
  }));
  return audit_.Record(
      who, {.action = "person.export_done",
            .object_type = "export",
            .detail = fmt::format("identifiers={} persons={} scope={}", kind, count, scope_text)});
}

// ---- JSON ----

json DocumentToJson(const Document& d) {
  json j = {{"id", d.id},
            {"person_id", d.person_id},
            {"type", ToCode(d.type)},
            {"type_label", LabelZh(d.type)},
            {"number", d.number},
            {"issued_by", d.issued_by},
            {"issued_on", d.issued_on ? json(FormatDate(*d.issued_on)) : json(nullptr)},
            {"valid_until", d.valid_until ? json(FormatDate(*d.valid_until)) : json(nullptr)},
            {"status", ToCode(d.status)},
            {"submitted_at", d.submitted_at},
            {"submitted_by", d.submitted_by}};
  if (d.status != DocumentStatus::kPending) {
    j["reviewed_at"] = d.reviewed_at;
    j["reviewed_by"] = d.reviewed_by;
    j["review_reason"] = d.review_reason;
  }
  return j;
}

json EventToJson(const ResidenceEvent& e) {
  return {{"id", e.id},
          {"type", ToCode(e.type)},
          {"type_label", LabelZh(e.type)},
          {"date", FormatDate(e.date)},
          {"org_code", e.org_code},
          {"address", e.address},
          {"note", e.note},
          {"recorded_at", e.recorded_at},
          {"recorded_by", e.recorded_by}};
}

json OrgUnitToJson(const OrgUnit& u) {
  return {{"code", u.code},
          {"name", u.name},
          {"level", ToCode(u.level)},
          {"parent_code", u.parent_code.empty() ? json(nullptr) : json(u.parent_code)},
          {"path", u.path}};
}

}  // namespace jd::registry
