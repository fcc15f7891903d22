#include "records/service.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "records/store.h"
#include "registry/person_store.h"

namespace jd::records {

namespace {

using auth::Permission;
using auth::Principal;
using nlohmann::json;
using registry::Person;
using registry::PersonStore;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}
Status NoRecord() {
  return Status::NotFound("the person has no health record", "此人尚未建立健康档案");
}
Status NotAnObject() {
  return Status::Invalid(
      {{"", "wrong_type", "请求体应为 JSON 对象", "the body must be a JSON object"}});
}
Status ChangedBySomeoneElse() { return StaleVersion(); }
Status NumberTaken() {
  return Status::AlreadyExists("this record number is taken", "该健康档案编号已被使用")
      .WithFieldErrors(
          {{"record_no", "duplicate", "该健康档案编号已被使用", "this record number is taken"}});
}

}  // namespace

HealthRecordService::HealthRecordService(storage::Database& db, auth::AuditLog& audit,
                                         const Clock& clock,
                                         const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Status HealthRecordService::RefusePerson(const Principal& who, const std::string& action,
                                         const std::string& person_id) {
  return auth::RefuseOutsideScope(
      audit_, who,
      {.action = action, .object_type = "person", .object_id = person_id, .person_id = person_id},
      PersonNotFound());
}

std::optional<registry::OrgUnit> HealthRecordService::Clinic(const Principal& who,
                                                             const std::string& code,
                                                             FieldErrors& errors) const {
  if (code.empty()) return std::nullopt;  // CheckRecord reports a missing clinic
  auto org = registry_.FindOrg(code);
  if (!org) {
    errors.Add("clinic", "unknown_org", "机构代码不存在：" + code,
               "no org unit has the code " + code);
    return std::nullopt;
  }
  if (!auth::ScopeOf(who).Covers(org->path)) {
    errors.Add("clinic", "outside_jurisdiction", "该机构不在您的辖区内",
               "the clinic is outside your jurisdiction");
    return std::nullopt;
  }
  return org;
}

Result<HealthRecord> HealthRecordService::Get(const Principal& who, const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Person> person;
  auth::ScopedRow<HealthRecord> record;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    person = PersonStore::Get(s, scope, person_id);
    if (person) record = HealthRecordStore::Get(s, scope, person_id);
    return Status::Ok();
  }));
  if (person.outside_scope()) return RefusePerson(who, "health_record.read", person_id);
  if (!person) {
    JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "health_record.read",
                                           .object_type = "person",
                                           .object_id = person_id,
                                           .result = "not_found"}));
    return PersonNotFound();
  }
  // The read is recorded before the data leaves; so is the answer that there is none.
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "health_record.read",
                                         .object_type = "health_record",
                                         .object_id = person_id,
                                         .person_id = person_id,
                                         .result = record ? "ok" : "not_found"}));
  if (!record) return NoRecord();
  return *record;
}

Result<HealthRecord> HealthRecordService::Establish(const Principal& who,
                                                    const std::string& person_id,
                                                    const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  RecordInput in = ReadRecordInput(body, errors);
  const Date today = clock_.Today();
  HealthRecord r;
  if (in.established_on) {
    r.established_on = *in.established_on;
  } else if (!errors.Has("established_on")) {
    r.established_on = today;
  }
  r.electronic = in.electronic.value_or(true);
  // A missing clinic is reported by CheckRecord, an unknown or foreign one here.
  if (auto clinic = Clinic(who, in.clinic.value_or(""), errors)) r.clinic_code = clinic->code;

  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<HealthRecord> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonStore::Get(s, scope, person_id);
    outside = p.outside_scope();
    if (!p) return PersonNotFound();
    if (HealthRecordStore::Get(s, scope, person_id)) {
      return Status::AlreadyExists("the person already has a health record", "此人已建立健康档案");
    }
    CheckRecord(r, p->birth_date, today, errors);
    // 试点工作方案 §四(一): a record for floating persons who have lived here 6 months or more;
    // every failed rule is named so that the worker can explain the refusal.
    auto eligibility =
        registry_.EligibilityOf(*p, PersonStore::ListDocuments(s, scope, person_id), today);
    errors.Append(EntitlementRefusal(eligibility));
    if (!errors.empty()) return errors.ToStatus();
    if (in.record_no) {
      if (HealthRecordStore::HolderOf(s, *in.record_no)) return NumberTaken();
      r.record_no = *in.record_no;
    } else {
      auto area = RecordAreaOf(p->residence_org);
      if (!area) {
        return Status::Invalid(
            {{"record_no", "required", "无法按居住地生成档案编号，请填写档案编号",
              "no record number can be made from the residence; give "
              "record_no"}});
      }
      auto next = NextRecordNo(*area, HealthRecordStore::HighestInArea(s, *area));
      if (!next.ok()) return next.status();
      r.record_no = *next;
    }
    std::string now = FormatTimestamp(clock_.Now());
    r.person_id = person_id;
    r.version = 1;
    r.created_at = r.updated_at = now;
    r.created_by = r.updated_by = who.username;
    HealthRecordStore::Insert(s, r);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "health_record.establish",
         .object_type = "health_record",
         .object_id = person_id,
         .person_id = person_id,
         .detail =
             fmt::format("record_no={} clinic={} electronic={} entitled: {}", r.record_no,
                         r.clinic_code, r.electronic ? 1 : 0, EntitlementBasis(eligibility))}));
    out = r;
    return Status::Ok();
  });
  // Audited after the transaction, which the refusal rolls back.
  if (outside) return RefusePerson(who, "health_record.establish", person_id);
  if (!st.ok()) return st;
  return out;
}

Result<HealthRecord> HealthRecordService::Update(const Principal& who, const std::string& person_id,
                                                 const json& patch, int expected_version) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!patch.is_object()) return NotAnObject();
  FieldErrors errors;
  RecordInput in = ReadRecordInput(patch, errors);
  if (in.given.empty()) {
    return Status::Invalid({{"", "nothing_to_change", "请求体没有可修改的字段",
                             "the body holds no field that can be changed"}});
  }
  std::optional<registry::OrgUnit> clinic;
  if (in.clinic) {
    if (in.clinic->empty()) {
      errors.Add("clinic", "required", "建档机构为必填项（机构代码）",
                 "clinic is required (the org code of the clinic that keeps the record)");
    } else {
      clinic = Clinic(who, *in.clinic, errors);
    }
  }
  const Date today = clock_.Today();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<HealthRecord> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonStore::Get(s, scope, person_id);
    outside = p.outside_scope();
    if (!p) return PersonNotFound();
    auto current = HealthRecordStore::Get(s, scope, person_id);
    if (!current) return NoRecord();
    if (expected_version > 0 && current->version != expected_version) return ChangedBySomeoneElse();
    HealthRecord next = *current;
    if (in.record_no) next.record_no = *in.record_no;
    if (in.established_on) next.established_on = *in.established_on;
    if (clinic) next.clinic_code = clinic->code;
    if (in.electronic) next.electronic = *in.electronic;
    CheckRecord(next, p->birth_date, today, errors);
    if (!errors.empty()) return errors.ToStatus();
    if (next.record_no != current->record_no) {
      auto holder = HealthRecordStore::HolderOf(s, next.record_no);
      if (holder && *holder != person_id) return NumberTaken();
    }
    next.version = current->version + 1;
    next.updated_at = FormatTimestamp(clock_.Now());
    next.updated_by = who.username;
    if (!HealthRecordStore::Update(s, scope, next, current->version)) return ChangedBySomeoneElse();
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "health_record.update",
                       .object_type = "health_record",
                       .object_id = person_id,
                       .person_id = person_id,
                       .detail = fmt::format("fields: {}", fmt::join(in.given, ","))}));
    out = next;
    return Status::Ok();
  });
  if (outside) return RefusePerson(who, "health_record.update", person_id);
  if (!st.ok()) return st;
  return out;
}

json RecordToJson(const HealthRecord& r, const registry::RegistryService* orgs) {
  json j = {{"person_id", r.person_id},
            {"record_no", r.record_no},
            {"established_on", FormatDate(r.established_on)},
            {"clinic", r.clinic_code},
            {"electronic", r.electronic},
            {"version", r.version},
            {"created_at", r.created_at},
            {"created_by", r.created_by},
            {"updated_at", r.updated_at},
            {"updated_by", r.updated_by}};
  if (orgs) {
    if (auto org = orgs->FindOrg(r.clinic_code)) j["clinic_name"] = org->name;
  }
  return j;
}

}  // namespace jd::records
