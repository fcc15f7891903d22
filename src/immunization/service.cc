#include "immunization/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "auth/access.h"
#include "auth/permissions.h"
#include "core/ids.h"
#include "core/input.h"
#include "immunization/input_fields.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::immunization {

namespace {

using auth::Permission;
using auth::Principal;
using nlohmann::json;
using registry::Person;
using registry::PersonStore;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}
Status RecordNotFound() {
  return Status::NotFound("no such vaccination record in your jurisdiction",
                          "您的辖区内没有此接种记录");
}
Status AppointmentNotFound() {
  return Status::NotFound("no such appointment in your jurisdiction", "您的辖区内没有此预约");
}
Status ClinicNotFound() {
  return Status::NotFound("no such clinic in your jurisdiction", "您的辖区内没有此接种单位");
}
Status NotAnObject() {
  return Status::Invalid(
      {{"", "wrong_type", "请求体应为 JSON 对象", "the body must be a JSON object"}});
}
Status ChangedBySomeoneElse() { return StaleVersion(); }

bool Present(const json& j, const std::string& key) { return j.contains(key); }

// From..to of a list: both required, in order, at most kMaxRangeDays apart.
void DateRange(const std::string& from_text, const std::string& to_text, const Date& today,
               FieldErrors& errors, std::optional<Date>& from, std::optional<Date>& to) {
  from = DateParam(from_text, "from", DateKind::kAsOf, today, Presence::kRequired, errors);
  to = DateParam(to_text, "to", DateKind::kAsOf, today, Presence::kRequired, errors);
  if (from && to) {
    if (*to < *from) {
      errors.Add("to", "before_from", "结束日期早于开始日期", "to is before from");
    } else if (DaysBetween(*from, *to) > kMaxRangeDays) {
      errors.Add("to", "range_too_long", fmt::format("日期范围不能超过 {} 天", kMaxRangeDays),
                 fmt::format("the range is longer than {} days", kMaxRangeDays));
    }
  }
}

// Routes of administration as the catalogue writes them.
bool KnownRoute(const std::string& r) { return r == "IM" || r == "SC" || r == "ID" || r == "PO"; }

struct Relation {
  std::string_view code, label_zh;
};
constexpr Relation kRelations[] = {{"mother", "母亲"},
                                   {"father", "父亲"},
                                   {"grandparent", "祖父母/外祖父母"},
                                   {"other", "其他监护人"}};

std::string_view RelationLabel(std::string_view code) {
  for (const auto& r : kRelations)
    if (r.code == code) return r.label_zh;
  return "";
}

// A guardian's phone: spaces, '-' and a +86 prefix dropped; a mobile (11 digits, 1[3-9]…) or a
// landline with its area code (7 to 12 digits).
std::string GuardianPhone(const json& j, FieldErrors& errors) {
  std::string raw = TextMember(j, "guardian_phone", FieldKind::kPhone, errors);
  std::string digits;
  for (char c : raw)
    if (c != ' ' && c != '-') digits += c;
  if (digits.rfind("+86", 0) == 0) digits = digits.substr(3);
  if (digits.empty()) return {};
  bool all_digits =
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  bool mobile = digits.size() == 11 && digits[0] == '1' && digits[1] >= '3';
  bool landline = digits.size() >= 7 && digits.size() <= 12 && digits[0] != '1';
  if (!all_digits || !(mobile || landline)) {
    errors.Add("guardian_phone", "invalid_phone", "监护人电话应为11位手机号码或带区号的固定电话",
               "guardian_phone must be an 11-digit mobile number or a landline with its area "
               "code");
    return {};
  }
  return digits;
}

// 接种证编号: letters, digits and '-', as printed on the certificate.
bool ValidCertificateNo(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
  });
}

// The certificate fields present in `body` into `f` (`create`: the required ones must be there).
void ReadFileFields(const json& body, const Date& today, VaccinationFile& f, FieldErrors& errors,
                    bool create) {
  if (create || Present(body, "certificate_no")) {
    f.certificate_no = TextMember(body, "certificate_no", FieldKind::kNumber, errors);
    if (f.certificate_no.empty() && !errors.Has("certificate_no")) {
      errors.Add("certificate_no", "required", "接种证编号为必填项", "certificate_no is required");
    } else if (!ValidCertificateNo(f.certificate_no)) {
      errors.Add("certificate_no", "invalid_format", "接种证编号只能包含字母、数字和连字符",
                 "certificate_no may hold letters, digits and '-' only");
    }
  }
  if (Present(body, "card_no")) {
    f.card_no = TextMember(body, "card_no", FieldKind::kNumber, errors);
    if (!ValidCertificateNo(f.card_no)) {
      errors.Add("card_no", "invalid_format", "接种卡编号只能包含字母、数字和连字符",
                 "card_no may hold letters, digits and '-' only");
    }
  }
  if (Present(body, "issued_on")) {
    auto d = DateMember(body, "issued_on", DateKind::kIssue, today,
                        create ? Presence::kOptional : Presence::kRequired, errors);
    if (d) f.issued_on = *d;
  }
  if (Present(body, "guardian_name"))
    f.guardian_name = TextMember(body, "guardian_name", FieldKind::kName, errors);
  if (Present(body, "guardian_relation")) {
    f.guardian_relation = TextMember(body, "guardian_relation", FieldKind::kCode, errors);
    if (!f.guardian_relation.empty() && RelationLabel(f.guardian_relation).empty()) {
      errors.Add("guardian_relation", "invalid_value",
                 "监护人关系应为 mother、father、grandparent 或 other",
                 "guardian_relation must be mother, father, grandparent or other");
    }
  }
  if (Present(body, "guardian_phone")) f.guardian_phone = GuardianPhone(body, errors);
  if (Present(body, "guardian_person_id")) {
    // null or "" unlinks (the guardian is then the name, relation and phone written here).
    f.guardian_person_id = body["guardian_person_id"].is_null()
                               ? std::string()
                               : TextMember(body, "guardian_person_id", FieldKind::kCode, errors);
  }
}

bool TouchesGuardian(const json& body) {
  return Present(body, "guardian_person_id") || Present(body, "guardian_name") ||
         Present(body, "guardian_relation") || Present(body, "guardian_phone");
}

// The youngest a linked guardian may be: 民法典 第十八条 第二款 treats a 16-year-old who lives on
// their own labour income as having full civil capacity; a younger person can bring a child but is
// not recorded as its guardian.
constexpr int kGuardianMinAge = 16;

// The guardian of a certificate (规范 第三版 预防接种服务规范 二(一): the clinic builds the
// certificate and tells the child's guardian of each vaccination). Registered where possible:
// `f.guardian_person_id` names a registry person within `scope`, not the child, alive and at least
// kGuardianMinAge on `today`, whose name (and phone, when the record has one) the certificate
// takes; a guardian not in the registry is a name and a phone. Either way the relationship is
// required, and mother/father must match the linked person's sex. `denied` is set when the linked
// person exists outside `scope` (the caller audits).
void ResolveGuardian(soci::session& s, const auth::Scope& scope, const Person& child, Date today,
                     VaccinationFile& f, FieldErrors& errors, bool& denied) {
  if (f.guardian_relation.empty() && !errors.Has("guardian_relation")) {
    errors.Add("guardian_relation", "required", "监护人关系为必填项",
               "guardian_relation is required");
  }
  if (f.guardian_person_id.empty()) {
    f.guardian_id_number.clear();
    f.guardian_residence_path.clear();
    if (f.guardian_name.empty() && !errors.Has("guardian_name")) {
      errors.Add("guardian_name", "required",
                 "请从人口库选择监护人，或填写未登记监护人的姓名和电话",
                 "pick the guardian from the registry, or give the name and phone of a guardian "
                 "who is not registered");
    }
    if (f.guardian_phone.empty() && !errors.Has("guardian_phone")) {
      errors.Add("guardian_phone", "required", "未登记的监护人须填写电话",
                 "guardian_phone is required for a guardian who is not registered");
    }
    return;
  }
  if (errors.Has("guardian_person_id")) return;
  auto not_found = [&] {
    errors.Add("guardian_person_id", "not_found", "在您的管辖范围内找不到该监护人",
               "no such person within your jurisdiction");
  };
  if (!IsUuid(f.guardian_person_id)) return not_found();
  if (f.guardian_person_id == child.id) {
    errors.Add("guardian_person_id", "is_child", "监护人不能是儿童本人",
               "the guardian cannot be the child");
    return;
  }
  auto g = PersonStore::Get(s, scope, f.guardian_person_id);
  if (g.outside_scope()) denied = true;
  if (!g) return not_found();
  if (g->status == registry::PersonStatus::kDied) {
    errors.Add("guardian_person_id", "died", "该人员已死亡，不能作为监护人",
               "that person has died and cannot be the guardian");
    return;
  }
  if (AgeInYears(g->birth_date, today) < kGuardianMinAge) {
    errors.Add("guardian_person_id", "too_young",
               fmt::format("监护人应年满{}周岁", kGuardianMinAge),
               fmt::format("the guardian must be at least {} years old", kGuardianMinAge));
    return;
  }
  if ((f.guardian_relation == "mother" && g->sex != registry::Sex::kFemale) ||
      (f.guardian_relation == "father" && g->sex != registry::Sex::kMale)) {
    errors.Add("guardian_relation", "sex_mismatch", "监护人关系与该人员的性别不符",
               "the relationship does not match that person's sex");
  }
  f.guardian_name = g->name;
  if (!g->phone.empty()) f.guardian_phone = g->phone;
  f.guardian_id_number = g->id_number;
  f.guardian_residence_path = g->residence_path;
}

// The dose fields present in `body` into `r`.
void ReadRecordFields(const json& body, const Date& today, VaccinationRecord& r,
                      FieldErrors& errors) {
  if (Present(body, "vaccine")) r.vaccine = TextMember(body, "vaccine", FieldKind::kCode, errors);
  if (Present(body, "date")) {
    auto d = DateMember(body, "date", DateKind::kDose, today, Presence::kRequired, errors);
    r.date = d.value_or(Date{});
  }
  if (Present(body, "dose_number"))
    r.dose_number = IntField(body, "dose_number", 1, 10, false, errors);
  if (Present(body, "lot")) r.lot = TextMember(body, "lot", FieldKind::kNumber, errors);
  if (Present(body, "manufacturer"))
    r.manufacturer = TextMember(body, "manufacturer", FieldKind::kShortText, errors);
  if (Present(body, "site")) r.site = TextMember(body, "site", FieldKind::kCode, errors);
  if (Present(body, "route")) r.route = TextMember(body, "route", FieldKind::kCode, errors);
  if (Present(body, "clinic")) r.clinic_code = TextMember(body, "clinic", FieldKind::kCode, errors);
  if (Present(body, "clinic_name"))
    r.clinic_name = TextMember(body, "clinic_name", FieldKind::kShortText, errors);
  if (Present(body, "vaccinator"))
    r.vaccinator = TextMember(body, "vaccinator", FieldKind::kName, errors);
  if (Present(body, "campaign_id"))
    r.campaign_id = TextMember(body, "campaign_id", FieldKind::kCode, errors);
  if (Present(body, "source")) {
    std::string code = TextMember(body, "source", FieldKind::kCode, errors);
    auto source = ParseSource(code);
    if (source) {
      r.source = *source;
    } else if (!errors.Has("source")) {
      errors.Add("source", "invalid_value", "来源应为 given_here、transcribed 或 other_region",
                 "source must be given_here, transcribed or other_region");
    }
  }
}

Status DuplicateDose(const std::string& existing_id) {
  Status s = Status::AlreadyExists("this dose is already recorded on that day",
                                   "该儿童当天已有此疫苗的接种记录");
  s.WithFieldErrors({{"date", "duplicate_dose", "该儿童当天已有此疫苗的接种记录",
                      "the child already has a dose of this vaccine on that day"}});
  s.WithRef(existing_id);
  return s;
}

Status SessionFull(int capacity) {
  std::string zh = fmt::format("该接种单位当日预约已满（{}个名额）", capacity);
  std::string en = fmt::format("the clinic's session on that day is full ({} places)", capacity);
  return Status::FailedPrecondition(en, zh).WithFieldErrors({{"date", "session_full", zh, en}});
}

Status InvalidTransition(AppointmentStatus from) {
  std::string zh =
      fmt::format("只有已预约（booked）的预约可以变更，当前为 {}", AppointmentStatusCode(from));
  std::string en = fmt::format("only a booked appointment can change; this one is {}",
                               AppointmentStatusCode(from));
  return Status::FailedPrecondition(en, zh).WithFieldErrors(
      {{"status", "invalid_transition", zh, en}});
}

// The person a write is for, if `scope` holds them; "not found" otherwise, with `denied` set when
// the person exists outside it (the caller audits the refusal after the transaction, whose own
// rows a failure rolls back).
Result<Person> PersonInScope(soci::session& s, const auth::Scope& scope,
                             const std::string& person_id, bool& denied) {
  auto p = PersonStore::Get(s, scope, person_id);
  denied = p.outside_scope();
  if (!p) return PersonNotFound();
  return std::move(*p);
}

// The audit row and the answer for an object of a child outside the caller's jurisdiction.
Status Refuse(auth::AuditLog& audit, const Principal& who, const std::string& action,
              const std::string& object_type, const std::string& object_id, Status not_found) {
  return auth::RefuseOutsideScope(
      audit, who,
      {.action = action,
       .object_type = object_type,
       .object_id = object_id,
       .person_id = object_type == "person" ? object_id : std::string()},
      std::move(not_found));
}

// The audit row of a guardian link to a person outside the caller's jurisdiction, and `answer`
// (the field error, the same as for an unknown person).
Status RefuseGuardian(auth::AuditLog& audit, const Principal& who, const std::string& action,
                      const std::string& guardian_id, Status answer) {
  return auth::RefuseOutsideScope(audit, who,
                                  {.action = action + ".guardian",
                                   .object_type = "person",
                                   .object_id = guardian_id,
                                   .person_id = guardian_id},
                                  std::move(answer));
}

// The audit row of the guardian's record linked to a certificate (the guardian's data is copied
// onto it and read through it from now on).
Status AuditGuardianLink(soci::session& s, auth::AuditLog& audit, const Principal& who,
                         const VaccinationFile& f) {
  if (f.guardian_person_id.empty()) return Status::Ok();
  return audit.Append(s, who,
                      {.action = "vaccination_file.guardian_link",
                       .object_type = "vaccination_file",
                       .object_id = f.person_id,
                       .person_id = f.guardian_person_id,
                       .detail = "relation=" + f.guardian_relation});
}

// A certificate is issued neither after today nor before the child's birth.
void CheckIssuedOn(Date issued_on, Date birth_date, Date today, FieldErrors& errors) {
  if (issued_on > today) {
    errors.Add("issued_on", "in_future", "发证日期不能晚于今天", "issued_on is in the future");
  } else if (issued_on < birth_date) {
    errors.Add("issued_on", "before_birth", "发证日期不能早于出生日期",
               "issued_on is before the birth date");
  }
}

// A certificate number, and a card number when there is one, belong to one child only.
Status CheckNumbersFree(soci::session& s, const VaccinationFile& f, const std::string& person_id) {
  if (ImmunizationStore::CertificateTaken(s, f.certificate_no, person_id)) {
    return Status::AlreadyExists("this certificate number is taken", "该接种证编号已被使用")
        .WithFieldErrors({{"certificate_no", "duplicate", "该接种证编号已被使用",
                           "this certificate number is taken"}});
  }
  if (!f.card_no.empty() && ImmunizationStore::CardTaken(s, f.card_no, person_id)) {
    return Status::AlreadyExists("this card number is taken", "该接种卡编号已被使用")
        .WithFieldErrors(
            {{"card_no", "duplicate", "该接种卡编号已被使用", "this card number is taken"}});
  }
  return Status::Ok();
}

// Whether the child may be booked at the clinic on `date`: once a day per clinic, and within the
// session's places. Checked and taken in one write transaction on the single writer: no
// overbooking.
Status CheckCanBook(soci::session& s, const auth::Scope& scope, const std::string& person_id,
                    const std::string& clinic_code, Date date) {
  if (ImmunizationStore::HasBooked(s, scope, person_id, clinic_code, date)) {
    return Status::AlreadyExists("the child is already booked at this clinic that day",
                                 "该儿童当天在此接种单位已有预约")
        .WithFieldErrors({{"date", "already_booked", "该儿童当天在此接种单位已有预约",
                           "the child is already booked at this clinic that day"}});
  }
  int capacity =
      ImmunizationStore::SessionCapacity(s, clinic_code, date).value_or(kDefaultSessionCapacity);
  if (ImmunizationStore::CountBooked(s, clinic_code, date) >= capacity) {
    return SessionFull(capacity);
  }
  return Status::Ok();
}

std::string ListOf(const std::vector<std::string>& codes) {
  return fmt::format("{}", fmt::join(codes, ","));
}

std::string RecordSnapshot(const Schedule& schedule, const VaccinationRecord& r) {
  return RecordToJson(schedule, r).dump();
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Writes `r` as a new record of `person_id` with its first version and its audit row, in the
// caller's transaction (a dose recorded by hand, or one of a batch).
Status InsertNewRecord(soci::session& s, const Schedule& schedule, auth::AuditLog& audit,
                       const Principal& who, const std::string& person_id, const std::string& now,
                       VaccinationRecord& r) {
  r.id = NewId();
  r.person_id = person_id;
  r.version = 1;
  r.created_at = r.updated_at = now;
  r.created_by = r.updated_by = who.username;
  ImmunizationStore::InsertRecord(s, r);
  ImmunizationStore::InsertVersion(
      s, r.id, {1, RecordSnapshot(schedule, r), now, who.username, "created", ""});
  return audit.Append(s, who,
                      {.action = "vaccination.record",
                       .object_type = "vaccination_record",
                       .object_id = r.id,
                       .person_id = person_id,
                       .detail = fmt::format("vaccine={} date={} source={}", r.vaccine,
                                             FormatDate(r.date), SourceCode(r.source))});
}

}  // namespace

int AgeInMonths(Date birth, Date as_of) {
  int months = (static_cast<int>(as_of.year()) - static_cast<int>(birth.year())) * 12 +
               (static_cast<int>(static_cast<unsigned>(as_of.month())) -
                static_cast<int>(static_cast<unsigned>(birth.month())));
  if (months > 0 && AddMonths(birth, months) > as_of) --months;
  return std::max(months, 0);
}

ImmunizationService::ImmunizationService(storage::Database& db, auth::AuditLog& audit,
                                         const Clock& clock,
                                         const registry::RegistryService& registry,
                                         const Schedule& schedule)
    : db_(db), audit_(audit), clock_(clock), registry_(registry), schedule_(schedule) {}

std::optional<registry::OrgUnit> ImmunizationService::ClinicField(const Principal& who,
                                                                  const std::string& code,
                                                                  const std::string& field,
                                                                  bool required,
                                                                  FieldErrors& errors) const {
  if (code.empty()) {
    if (required && !errors.Has(field)) {
      errors.Add(field, "required", field + " 为必填项（接种单位代码）",
                 field + " is required (the clinic's org code)");
    }
    return std::nullopt;
  }
  auto org = registry_.FindOrg(code);
  if (!org) {
    errors.Add(field, "unknown_org", "接种单位代码不存在：" + code,
               "no org unit has the code " + code);
    return std::nullopt;
  }
  if (!auth::ScopeOf(who).Covers(org->path)) {
    errors.Add(field, "outside_jurisdiction", "该接种单位不在您的辖区内",
               "the clinic is outside your jurisdiction");
    return std::nullopt;
  }
  return org;
}

Result<registry::OrgUnit> ImmunizationService::ClinicOfPath(const Principal& who,
                                                            const std::string& code) const {
  auto org = registry_.FindOrg(code);
  if (!org) return ClinicNotFound();
  if (!auth::ScopeOf(who).Covers(org->path)) {
    // Another jurisdiction's clinic: answered as unknown, and the attempt recorded.
    return auth::RefuseOutsideScope(
        audit_, who, {.action = "clinic.access", .object_type = "clinic", .object_id = code},
        ClinicNotFound());
  }
  return *org;
}

Forecast ImmunizationService::ForecastOf(const Person& p,
                                         const std::vector<VaccinationRecord>& records,
                                         Date as_of) const {
  std::vector<DoseEvent> history;
  history.reserve(records.size());
  for (const auto& r : records) {
    if (r.voided) continue;
    if (const VaccineInfo* v = schedule_.Find(r.vaccine)) history.push_back({v->id, r.date});
  }
  return ForecastChild(schedule_, p.birth_date, history, as_of);
}

ImmunizationView ImmunizationService::LoadView(soci::session& s, const auth::Scope& scope,
                                               Person person, Date as_of) const {
  ImmunizationView v;
  v.file = ImmunizationStore::GetFile(s, scope, person.id).release();
  v.records = ImmunizationStore::ListRecords(s, scope, person.id);
  v.forecast = ForecastOf(person, v.records, as_of);
  v.person = std::move(person);
  v.as_of = as_of;
  return v;
}

// ---- The child's page ----

Result<ImmunizationView> ImmunizationService::Get(const Principal& who,
                                                  const std::string& person_id,
                                                  const std::string& as_of_text) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  FieldErrors errors;
  Date as_of = clock_.Today();
  if (!as_of_text.empty()) {
    auto d = DateParam(as_of_text, "as_of", DateKind::kAsOf, as_of, Presence::kOptional, errors);
    if (!errors.empty()) return errors.ToStatus();
    as_of = *d;
  }
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<ImmunizationView> view = PersonNotFound();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return Status::Ok();
    if (as_of < person->birth_date) {
      view = Status::Invalid(
          {{"as_of", "before_birth", "as_of 早于出生日期", "as_of is before the birth date"}});
    } else {
      view = LoadView(s, scope, std::move(*person), as_of);
    }
    return Status::Ok();
  }));
  if (outside) {
    return Refuse(audit_, who, "immunization.read", "person", person_id, PersonNotFound());
  }
  if (!view.ok()) {
    if (view.status().code() == StatusCode::kInvalidArgument) return view.status();
    JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "immunization.read",
                                           .object_type = "person",
                                           .object_id = person_id,
                                           .result = "not_found"}));
    return PersonNotFound();
  }
  // The read is recorded before the data leaves.
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "immunization.read",
                                         .object_type = "person",
                                         .object_id = person_id,
                                         .person_id = person_id,
                                         .detail = "as_of=" + FormatDate(as_of)}));
  return view;
}

// ---- 接种证 ----

Result<VaccinationFile> ImmunizationService::IssueFile(const Principal& who,
                                                       const std::string& person_id,
                                                       const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  VaccinationFile f;
  ReadFileFields(body, clock_.Today(), f, errors, /*create=*/true);
  std::string clinic_code = TextMember(body, "issuing_clinic", FieldKind::kCode, errors);
  auto clinic = ClinicField(who, clinic_code, "issuing_clinic", true, errors);
  Date today = clock_.Today();
  bool issued_given = Present(body, "issued_on") && !body["issued_on"].is_null();
  if (!issued_given) f.issued_on = today;

  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false, guardian_denied = false;
  Result<VaccinationFile> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonInScope(s, scope, person_id, denied);
    if (!p.ok()) return p.status();
    if (ImmunizationStore::GetFile(s, scope, person_id)) {
      return Status::AlreadyExists("the child already has a vaccination certificate",
                                   "该儿童已建立接种证");
    }
    if (f.issued_on.ok() && !errors.Has("issued_on")) {
      CheckIssuedOn(f.issued_on, p->birth_date, today, errors);
    }
    ResolveGuardian(s, scope, *p, today, f, errors, guardian_denied);
    // 试点工作方案 §四(三): the certificate is for children aged 0-6 who have lived here 3 months;
    // each failed rule is named so the worker can explain the refusal.
    auto eligibility =
        registry_.EligibilityOf(*p, PersonStore::ListDocuments(s, scope, person_id), today);
    if (!eligibility.entitlements.vaccination_file) {
      std::size_t named = 0;
      for (const auto& rule : eligibility.rules) {
        if (rule.passed || rule.rule == registry::kRuleHealthRecord6Months ||
            rule.rule == registry::kRuleServiceDocument) {
          continue;
        }
        errors.Add("eligibility." + rule.rule, "not_entitled", rule.detail_zh, rule.detail_en);
        ++named;
      }
      if (named == 0) {
        errors.Add("eligibility", "not_entitled", "该儿童不具备建立接种证的条件",
                   "the child is not entitled to a vaccination certificate");
      }
    }
    if (!errors.empty()) return errors.ToStatus();
    JD_RETURN_IF_ERROR(CheckNumbersFree(s, f, person_id));
    std::string now = FormatTimestamp(clock_.Now());
    f.person_id = person_id;
    f.issuing_clinic_code = clinic->code;
    f.version = 1;
    f.created_at = f.updated_at = now;
    f.created_by = f.updated_by = who.username;
    ImmunizationStore::InsertFile(s, f);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "vaccination_file.issue",
                                      .object_type = "vaccination_file",
                                      .object_id = person_id,
                                      .person_id = person_id,
                                      .detail = "clinic=" + f.issuing_clinic_code}));
    JD_RETURN_IF_ERROR(AuditGuardianLink(s, audit_, who, f));
    out = f;
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "vaccination_file.issue", "person", person_id, PersonNotFound());
  }
  if (guardian_denied)
    return RefuseGuardian(audit_, who, "vaccination_file.issue", f.guardian_person_id, st);
  if (!st.ok()) return st;
  return out;
}

Result<VaccinationFile> ImmunizationService::UpdateFile(const Principal& who,
                                                        const std::string& person_id,
                                                        const json& patch, int expected_version) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!patch.is_object()) return NotAnObject();
  static const std::set<std::string> kFields = {
      "certificate_no", "card_no",           "issued_on",      "issuing_clinic",
      "guardian_name",  "guardian_relation", "guardian_phone", "guardian_person_id"};
  std::vector<std::string> changed;
  for (auto it = patch.begin(); it != patch.end(); ++it)
    if (kFields.count(it.key())) changed.push_back(it.key());
  if (changed.empty()) {
    return Status::Invalid({{"", "nothing_to_change", "请求体没有可修改的字段",
                             "the body holds no field that can be changed"}});
  }
  Date today = clock_.Today();
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false, guardian_denied = false;
  VaccinationFile guarded;
  Result<VaccinationFile> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonInScope(s, scope, person_id, denied);
    if (!p.ok()) return p.status();
    auto current = ImmunizationStore::GetFile(s, scope, person_id);
    if (!current) {
      return Status::NotFound("the child has no vaccination certificate", "该儿童尚未建立接种证");
    }
    if (expected_version > 0 && current->version != expected_version) return ChangedBySomeoneElse();
    FieldErrors errors;
    VaccinationFile next = *current;
    ReadFileFields(patch, clock_.Today(), next, errors, /*create=*/false);
    if (Present(patch, "issuing_clinic")) {
      auto clinic = ClinicField(who, TextMember(patch, "issuing_clinic", FieldKind::kCode, errors),
                                "issuing_clinic", true, errors);
      if (clinic) next.issuing_clinic_code = clinic->code;
    }
    if (Present(patch, "issued_on") && !errors.Has("issued_on")) {
      CheckIssuedOn(next.issued_on, p->birth_date, today, errors);
    }
    // A legacy certificate without a guardian can still be corrected; a change to the guardian
    // must leave a complete one.
    if (TouchesGuardian(patch)) {
      ResolveGuardian(s, scope, *p, today, next, errors, guardian_denied);
      guarded = next;
    }
    if (!errors.empty()) return errors.ToStatus();
    JD_RETURN_IF_ERROR(CheckNumbersFree(s, next, person_id));
    next.version = current->version + 1;
    next.updated_at = FormatTimestamp(clock_.Now());
    next.updated_by = who.username;
    if (!ImmunizationStore::UpdateFile(s, scope, next, current->version)) {
      return ChangedBySomeoneElse();
    }
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "vaccination_file.update",
                                      .object_type = "vaccination_file",
                                      .object_id = person_id,
                                      .person_id = person_id,
                                      .detail = "fields: " + ListOf(changed)}));
    if (TouchesGuardian(patch)) JD_RETURN_IF_ERROR(AuditGuardianLink(s, audit_, who, next));
    out = next;
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "vaccination_file.update", "person", person_id, PersonNotFound());
  }
  if (guardian_denied)
    return RefuseGuardian(audit_, who, "vaccination_file.update", guarded.guardian_person_id, st);
  if (!st.ok()) return st;
  return out;
}

// ---- A guardian's children ----

Result<std::vector<Ward>> ImmunizationService::WardsOf(const Principal& who,
                                                       const std::string& guardian_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(guardian_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  std::vector<Ward> out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto g = PersonInScope(s, scope, guardian_id, denied);
    if (!g.ok()) return g.status();
    out = ImmunizationStore::WardsOf(s, scope, guardian_id);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "guardian.wards.read",
                                      .object_type = "person",
                                      .object_id = guardian_id,
                                      .person_id = guardian_id,
                                      .detail = fmt::format("wards={}", out.size())}));
    for (const auto& w : out) {
      JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                       {.action = "guardian.wards.read",
                                        .object_type = "person",
                                        .object_id = w.person_id,
                                        .person_id = w.person_id,
                                        .detail = "as ward"}));
    }
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "guardian.wards.read", "person", guardian_id, PersonNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

// ---- Doses ----

void ImmunizationService::ValidateRecord(const Principal& who, const Person& person,
                                         VaccinationRecord& r, FieldErrors& errors) const {
  const VaccineInfo* vaccine = nullptr;
  if (r.vaccine.empty()) {
    if (!errors.Has("vaccine")) {
      errors.Add("vaccine", "required", "疫苗为必填项", "vaccine is required");
    }
  } else if (!(vaccine = schedule_.Find(r.vaccine))) {
    errors.Add("vaccine", "unknown_vaccine", "疫苗代码不存在：" + r.vaccine,
               "no vaccine has the code " + r.vaccine);
  }
  if (!r.date.ok()) {
    if (!errors.Has("date")) {
      errors.Add("date", "required", "接种日期为必填项", "date is required");
    }
  } else if (auto e = CheckDate(r.date, DateKind::kDose, clock_.Today(), "date", "接种日期",
                                person.birth_date)) {
    errors.Add(std::move(*e));
  }
  if (!r.route.empty() && !KnownRoute(r.route)) {
    errors.Add("route", "invalid_value", "接种途径应为 IM、SC、ID 或 PO",
               "route must be IM, SC, ID or PO");
  } else if (r.route.empty() && vaccine && r.source == RecordSource::kGivenHere) {
    r.route = vaccine->route;
  }
  if (r.source == RecordSource::kGivenHere) {
    // A dose given here is given by one of the caller's clinics.
    ClinicField(who, r.clinic_code, "clinic", /*required=*/true, errors);
  } else if (!r.clinic_code.empty() && !registry_.FindOrg(r.clinic_code)) {
    errors.Add("clinic", "unknown_org", "接种单位代码不存在：" + r.clinic_code,
               "no org unit has the code " + r.clinic_code);
  }
}

Result<RecordChange> ImmunizationService::RecordDose(const Principal& who,
                                                     const std::string& person_id,
                                                     const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  VaccinationRecord r;
  ReadRecordFields(body, clock_.Today(), r, errors);
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  Result<RecordChange> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonInScope(s, scope, person_id, denied);
    if (!p.ok()) return p.status();
    ValidateRecord(who, *p, r, errors);
    if (!errors.empty()) return errors.ToStatus();
    if (auto dup = ImmunizationStore::SameDayRecord(s, scope, person_id, r.vaccine, r.date, "")) {
      return DuplicateDose(*dup);
    }
    JD_RETURN_IF_ERROR(
        InsertNewRecord(s, schedule_, audit_, who, person_id, FormatTimestamp(clock_.Now()), r));
    out = RecordChange{r, LoadView(s, scope, *p, clock_.Today())};
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "vaccination.record", "person", person_id, PersonNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<ImmunizationService::DoseBatch> ImmunizationService::RecordDoses(
    const Principal& who, const std::string& person_id, const std::vector<json>& bodies) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  DoseBatch out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    out = DoseBatch{};
    auto p = PersonInScope(s, scope, person_id, denied);
    if (!p.ok()) return p.status();
    const std::string now = FormatTimestamp(clock_.Now());
    for (const json& body : bodies) {
      FieldErrors errors;
      VaccinationRecord r;
      if (body.is_object()) ReadRecordFields(body, clock_.Today(), r, errors);
      if (body.is_object() && errors.empty()) ValidateRecord(who, *p, r, errors);
      if (!body.is_object() || !errors.empty()) {
        ++out.invalid;
        continue;
      }
      if (ImmunizationStore::SameDayRecord(s, scope, person_id, r.vaccine, r.date, "")) {
        ++out.already;
        continue;
      }
      JD_RETURN_IF_ERROR(InsertNewRecord(s, schedule_, audit_, who, person_id, now, r));
      ++out.added;
    }
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "vaccination.record", "person", person_id, PersonNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<RecordChange> ImmunizationService::ChangeRecord(
    const Principal& who, const std::string& record_id, const std::string& action,
    const RecordEdit& change, const std::string& change_kind, const std::string& reason,
    int expected_version) {
  if (!IsUuid(record_id)) return RecordNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  Result<RecordChange> out = RecordNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto current = ImmunizationStore::GetRecord(s, scope, record_id);
    denied = current.outside_scope();
    if (!current) return RecordNotFound();
    auto p = PersonStore::Get(s, scope, current->person_id);
    if (!p) return RecordNotFound();
    if (expected_version > 0 && current->version != expected_version) return ChangedBySomeoneElse();
    if (current->voided) {
      return Status::FailedPrecondition("the record is voided", "该接种记录已作废")
          .WithFieldErrors({{"status", "voided", "该接种记录已作废", "the record is voided"}});
    }
    VaccinationRecord next = *current;
    JD_RETURN_IF_ERROR(change(s, scope, *p, next));
    std::string now = FormatTimestamp(clock_.Now());
    next.version = current->version + 1;
    next.updated_at = now;
    next.updated_by = who.username;
    if (!ImmunizationStore::UpdateRecord(s, scope, next, current->version)) {
      return ChangedBySomeoneElse();
    }
    ImmunizationStore::InsertVersion(
        s, next.id,
        {next.version, RecordSnapshot(schedule_, next), now, who.username, change_kind, reason});
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = action,
                       .object_type = "vaccination_record",
                       .object_id = next.id,
                       .person_id = next.person_id,
                       .detail = fmt::format("version={} vaccine={} date={}", next.version,
                                             next.vaccine, FormatDate(next.date))}));
    out = RecordChange{next, LoadView(s, scope, *p, clock_.Today())};
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, action, "vaccination_record", record_id, RecordNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<RecordChange> ImmunizationService::CorrectDose(const Principal& who,
                                                      const std::string& record_id,
                                                      const json& patch, int expected_version) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(record_id)) return RecordNotFound();
  if (!patch.is_object()) return NotAnObject();
  static const std::set<std::string> kFields = {
      "vaccine", "date",   "dose_number", "lot",        "manufacturer", "site",
      "route",   "clinic", "clinic_name", "vaccinator", "source",       "campaign_id"};
  FieldErrors errors;
  std::string reason = TextMember(patch, "reason", FieldKind::kNote, errors);
  if (reason.empty() && !errors.Has("reason")) {
    errors.Add("reason", "required", "更正须说明原因", "a correction needs a reason");
  }
  bool any = false;
  for (auto it = patch.begin(); it != patch.end(); ++it) any = any || kFields.count(it.key()) > 0;
  if (!any) {
    errors.Add("", "nothing_to_change", "请求体没有可更正的字段",
               "the body holds no field that can be corrected");
  }
  // Type errors are reported with the rule errors once the record is loaded (scope first).
  return ChangeRecord(
      who, record_id, "vaccination.correct",
      [&](soci::session& s, const auth::Scope& scope, const Person& p,
          VaccinationRecord& next) -> Status {
        ReadRecordFields(patch, clock_.Today(), next, errors);
        ValidateRecord(who, p, next, errors);
        if (!errors.empty()) return errors.ToStatus();
        if (auto dup = ImmunizationStore::SameDayRecord(s, scope, p.id, next.vaccine, next.date,
                                                        next.id)) {
          return DuplicateDose(*dup);
        }
        return Status::Ok();
      },
      "corrected", reason, expected_version);
}

Result<RecordChange> ImmunizationService::VoidDose(const Principal& who,
                                                   const std::string& record_id, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(record_id)) return RecordNotFound();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  std::string reason = TextMember(body, "reason", FieldKind::kNote, errors);
  if (reason.empty() && !errors.Has("reason")) {
    errors.Add("reason", "required", "作废须说明原因", "voiding needs a reason");
  }
  if (!errors.empty()) return errors.ToStatus();
  return ChangeRecord(
      who, record_id, "vaccination.void",
      [&](soci::session&, const auth::Scope&, const Person&, VaccinationRecord& next) -> Status {
        next.voided = true;
        next.void_reason = reason;
        return Status::Ok();
      },
      "voided", reason, 0);
}

Result<VaccinationRecord> ImmunizationService::GetDose(const Principal& who,
                                                       const std::string& record_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(record_id)) return RecordNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<VaccinationRecord> record;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    record = ImmunizationStore::GetRecord(s, scope, record_id);
    return Status::Ok();
  }));
  if (record.outside_scope()) {
    return Refuse(audit_, who, "vaccination.read", "vaccination_record", record_id,
                  RecordNotFound());
  }
  if (!record) return RecordNotFound();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "vaccination.read",
                                         .object_type = "vaccination_record",
                                         .object_id = record_id,
                                         .person_id = record->person_id}));
  return std::move(*record);
}

Status ImmunizationService::ExportDoses(const Principal& who, const std::string& since,
                                        const std::function<bool(const VaccinationRecord&)>& sink) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (Status st = auth::Require(who, Permission::kPersonExportFull); !st.ok()) {
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = "vaccination.export", .object_type = "export", .result = "denied"}));
    return st;
  }
  const auth::Scope scope = auth::ScopeOf(who);
  if (scope.empty()) return Status::Ok();
  const std::string scope_text = scope.whole_city() ? "city" : scope.path();
  const std::string since_text = since.empty() ? "" : " since=" + since;
  // No audit, no data: the row is committed before the first record leaves.
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "vaccination.export",
                          .object_type = "export",
                          .detail = fmt::format("scope={}{}", scope_text, since_text)}));
  std::int64_t count = 0;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    constexpr int kPage = 1000;
    std::string after;
    for (;;) {
      auto page = ImmunizationStore::ScanRecords(s, scope, after, since, kPage);
      for (const auto& r : page) {
        if (!sink(r)) return Status::Ok();
        ++count;
      }
      if (static_cast<int>(page.size()) < kPage) return Status::Ok();
      after = page.back().id;
    }
  }));
  return audit_.Record(
      who, {.action = "vaccination.export_done",
            .object_type = "export",
            .detail = fmt::format("records={} scope={}{}", count, scope_text, since_text)});
}

Result<std::vector<RecordVersion>> ImmunizationService::DoseHistory(const Principal& who,
                                                                    const std::string& record_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(record_id)) return RecordNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<VaccinationRecord> record;
  std::vector<RecordVersion> versions;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    record = ImmunizationStore::GetRecord(s, scope, record_id);
    if (record) versions = ImmunizationStore::ListVersions(s, scope, record_id);
    return Status::Ok();
  }));
  if (record.outside_scope()) {
    return Refuse(audit_, who, "vaccination.history", "vaccination_record", record_id,
                  RecordNotFound());
  }
  if (!record) return RecordNotFound();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "vaccination.history",
                                         .object_type = "vaccination_record",
                                         .object_id = record_id,
                                         .person_id = record->person_id}));
  return versions;
}

// ---- Due list ----

Result<DuePage> ImmunizationService::DueList(const Principal& who, const DueRequest& request) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  FieldErrors errors;
  auto clinic = ClinicField(who, request.clinic, "clinic", true, errors);
  std::optional<Date> from, to;
  DateRange(request.from, request.to, clock_.Today(), errors, from, to);
  std::set<DoseStatus> wanted;
  if (request.status.empty()) {
    wanted = {DoseStatus::kDue, DoseStatus::kOverdue, DoseStatus::kNeedsTest};
  } else {
    std::string_view rest = request.status;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view part = rest.substr(0, comma);
      if (part == "due") {
        wanted.insert(DoseStatus::kDue);
      } else if (part == "overdue") {
        wanted.insert(DoseStatus::kOverdue);
      } else if (part == "needs_test") {
        wanted.insert(DoseStatus::kNeedsTest);
      } else {
        errors.Add("status", "invalid_value",
                   "状态应为 due、overdue、needs_test 中的一个或多个（逗号分隔）",
                   "status must be one or more of due, overdue, needs_test (comma-separated)");
        break;
      }
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (request.limit < 0 || request.offset < 0) {
    errors.Add("page", "invalid_integer", "分页参数无效", "invalid paging");
  }
  if (!errors.empty()) return errors.ToStatus();

  // 说明 二(一): catch-up runs under 18, so older persons are never due.
  Date born_after = AddYears(*to, -18);
  std::vector<DueCandidate> children;
  std::vector<AreaDose> doses;
  std::vector<Appointment> appointments;
  const auth::Scope area = auth::ScopeOf(who).Narrow(clinic->path);
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    children = ImmunizationStore::AreaChildren(s, area, born_after);
    doses = ImmunizationStore::AreaDoses(s, area, born_after);
    appointments = ImmunizationStore::AreaBookedAppointments(s, area, born_after, *from);
    return Status::Ok();
  }));

  DuePage page;
  page.clinic = *clinic;
  page.from = *from;
  page.to = *to;
  std::vector<DueItem> items;
  Forecast buffer;
  std::vector<DoseEvent> history;
  // The three lists are ordered by person id: one merge walk.
  std::size_t di = 0, ai = 0;
  for (auto& child : children) {
    history.clear();
    while (di < doses.size() && doses[di].person_id < child.person_id) ++di;
    for (; di < doses.size() && doses[di].person_id == child.person_id; ++di) {
      if (const VaccineInfo* v = schedule_.Find(doses[di].vaccine)) {
        history.push_back({v->id, doses[di].date});
      }
    }
    while (ai < appointments.size() && appointments[ai].person_id < child.person_id) ++ai;
    std::optional<Appointment> next;
    if (ai < appointments.size() && appointments[ai].person_id == child.person_id) {
      next = appointments[ai];
    }
    if (child.birth_date > *to) continue;
    // 试点工作方案 §四(三): the file covers 0-6 year olds; an older child stays on the list only
    // while it holds a certificate (catch-up to 18).
    if (!child.has_file && *to >= AddYears(child.birth_date, 7)) continue;
    ForecastChild(schedule_, child.birth_date, history, *to, {}, buffer);
    DueItem item;
    for (const DoseForecast& d : buffer.doses) {
      if (!wanted.count(d.status)) continue;
      item.doses.push_back({d.vaccine, d.dose, d.status, d.earliest, d.timely_by});
      Date e = d.earliest.value_or(*to);
      if (item.doses.size() == 1 || e < item.earliest) item.earliest = e;
    }
    if (item.doses.empty()) continue;
    item.age_months = AgeInMonths(child.birth_date, *to);
    item.next_appointment = std::move(next);
    item.child = std::move(child);
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
    if (a.earliest != b.earliest) return a.earliest < b.earliest;
    if (a.child.name != b.child.name) return a.child.name < b.child.name;
    return a.child.person_id < b.child.person_id;
  });
  page.total = static_cast<int>(items.size());
  if (request.count_only) return page;
  std::size_t begin = std::min(items.size(), static_cast<std::size_t>(request.offset));
  std::size_t end = request.limit == 0
                        ? items.size()
                        : std::min(items.size(), begin + static_cast<std::size_t>(request.limit));
  page.items.assign(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(begin)),
                    std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(end)));
  // One audit row for the list (it holds guardians' phones): who, which clinic, how many.
  JD_RETURN_IF_ERROR(audit_.Record(
      who,
      {.action = "immunization.due_list",
       .object_type = "search",
       .object_id = clinic->code,
       .detail = fmt::format("clinic={} from={} to={} results={} returned={}", clinic->code,
                             FormatDate(*from), FormatDate(*to), page.total, page.items.size())}));
  return page;
}

// ---- Appointments and sessions ----

Result<AppointmentChange> ImmunizationService::Book(const Principal& who, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  std::string person_id = TextMember(body, "person_id", FieldKind::kCode, errors);
  if (person_id.empty() && !errors.Has("person_id")) {
    errors.Add("person_id", "required", "person_id 为必填项", "person_id is required");
  }
  auto clinic = ClinicField(who, TextMember(body, "clinic", FieldKind::kCode, errors), "clinic",
                            true, errors);
  auto date =
      DateMember(body, "date", DateKind::kScheduled, clock_.Today(), Presence::kRequired, errors);
  Date today = clock_.Today();
  if (date && *date < today) {
    errors.Add("date", "in_past", "预约日期不能早于今天", "the appointment date is in the past");
  }
  std::vector<std::string> vaccines;
  auto it = body.find("vaccines");
  if (it == body.end() || it->is_null()) {
    errors.Add("vaccines", "required", "请选择要接种的疫苗", "vaccines is required");
  } else if (!it->is_array()) {
    errors.Add("vaccines", "wrong_type", "vaccines 应为疫苗代码数组",
               "vaccines must be an array of vaccine codes");
  } else if (it->empty() || it->size() > 20) {
    errors.Add("vaccines", "invalid_value", "请选择 1 到 20 种疫苗", "give 1 to 20 vaccines");
  } else {
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::string field = fmt::format("vaccines[{}]", i);
      if (!v.is_string()) {
        errors.Add(field, "wrong_type", field + " 应为疫苗代码", field + " must be a vaccine code");
      } else if (!schedule_.Find(v.get<std::string>())) {
        errors.Add(field, "unknown_vaccine", "疫苗代码不存在：" + v.get<std::string>(),
                   "no vaccine has the code " + v.get<std::string>());
      } else if (std::find(vaccines.begin(), vaccines.end(), v.get<std::string>()) ==
                 vaccines.end()) {
        vaccines.push_back(v.get<std::string>());
      }
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  if (!IsUuid(person_id)) return PersonNotFound();

  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  Result<AppointmentChange> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto p = PersonInScope(s, scope, person_id, denied);
    if (!p.ok()) return p.status();
    if (p->status != registry::PersonStatus::kActive) {
      return Status::FailedPrecondition("the child no longer lives in the city",
                                        "该儿童已不在本市居住")
          .WithFieldErrors({{"person_id", "not_resident", "该儿童已不在本市居住",
                             "the child no longer lives in the city"}});
    }
    JD_RETURN_IF_ERROR(CheckCanBook(s, scope, person_id, clinic->code, *date));
    std::string now = FormatTimestamp(clock_.Now());
    Appointment a;
    a.id = NewId();
    a.person_id = person_id;
    a.clinic_code = clinic->code;
    a.date = *date;
    a.vaccines = vaccines;
    a.status = AppointmentStatus::kBooked;
    a.created_at = a.updated_at = now;
    a.created_by = a.updated_by = who.username;
    ImmunizationStore::InsertAppointment(s, a);
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "appointment.book",
                       .object_type = "appointment",
                       .object_id = a.id,
                       .person_id = person_id,
                       .detail = fmt::format("clinic={} date={} vaccines={}", a.clinic_code,
                                             FormatDate(a.date), ListOf(a.vaccines))}));
    out = AppointmentChange{a, std::nullopt};
    return Status::Ok();
  });
  if (denied) {
    return Refuse(audit_, who, "appointment.book", "person", person_id, PersonNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<AppointmentChange> ImmunizationService::ChangeAppointment(const Principal& who,
                                                                 const std::string& id,
                                                                 const std::string& action,
                                                                 const AppointmentEdit& change) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(id)) return AppointmentNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool denied = false;
  Result<AppointmentChange> out = AppointmentNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto a = ImmunizationStore::GetAppointment(s, scope, id);
    denied = a.outside_scope();
    if (!a) return AppointmentNotFound();
    auto p = PersonStore::Get(s, scope, a->person_id);
    if (!p) return AppointmentNotFound();
    if (a->status != AppointmentStatus::kBooked) return InvalidTransition(a->status);
    a->updated_at = FormatTimestamp(clock_.Now());
    a->updated_by = who.username;
    AppointmentChange result;
    JD_RETURN_IF_ERROR(change(s, scope, *p, *a, result));
    ImmunizationStore::UpdateAppointmentStatus(s, scope, *a);
    if (result.appointment.id.empty()) result.appointment = *a;
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = action,
         .object_type = "appointment",
         .object_id = a->id,
         .person_id = a->person_id,
         .detail = fmt::format("clinic={} date={} status={}{}", a->clinic_code, FormatDate(a->date),
                               AppointmentStatusCode(a->status),
                               a->rescheduled_to.empty() ? "" : " to=" + a->rescheduled_to)}));
    out = std::move(result);
    return Status::Ok();
  });
  if (denied) return Refuse(audit_, who, action, "appointment", id, AppointmentNotFound());
  if (!st.ok()) return st;
  return out;
}

Result<AppointmentChange> ImmunizationService::SetAppointmentStatus(const Principal& who,
                                                                    const std::string& id,
                                                                    AppointmentStatus status) {
  std::string action;
  switch (status) {
    case AppointmentStatus::kAttended:
      action = "appointment.attend";
      break;
    case AppointmentStatus::kMissed:
      action = "appointment.miss";
      break;
    case AppointmentStatus::kCancelled:
      action = "appointment.cancel";
      break;
    default:
      return Status::Invalid({{"status", "invalid_value", "状态应为 attended、missed 或 cancelled",
                               "status must be attended, missed or cancelled"}});
  }
  Date today = clock_.Today();
  return ChangeAppointment(
      who, id, action,
      [&](soci::session&, const auth::Scope&, const Person&, Appointment& a,
          AppointmentChange&) -> Status {
        // Attending or missing happens on the day, not before.
        if (status != AppointmentStatus::kCancelled && a.date > today) {
          std::string zh = "预约日期尚未到，不能登记到场或爽约";
          std::string en = "the appointment day has not come yet";
          return Status::FailedPrecondition(en, zh).WithFieldErrors({{"date", "not_yet", zh, en}});
        }
        a.status = status;
        return Status::Ok();
      });
}

Result<AppointmentChange> ImmunizationService::Reschedule(const Principal& who,
                                                          const std::string& id, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  auto date =
      DateMember(body, "date", DateKind::kScheduled, clock_.Today(), Presence::kRequired, errors);
  Date today = clock_.Today();
  if (date && *date < today) {
    errors.Add("date", "in_past", "预约日期不能早于今天", "the appointment date is in the past");
  }
  std::optional<registry::OrgUnit> clinic;
  if (Present(body, "clinic") && !body["clinic"].is_null()) {
    clinic = ClinicField(who, TextMember(body, "clinic", FieldKind::kCode, errors), "clinic", true,
                         errors);
  }
  if (!errors.empty()) return errors.ToStatus();
  return ChangeAppointment(who, id, "appointment.reschedule",
                           [&](soci::session& s, const auth::Scope& scope, const Person&,
                               Appointment& a, AppointmentChange& out) -> Status {
                             std::string code = clinic ? clinic->code : a.clinic_code;
                             if (code == a.clinic_code && *date == a.date) {
                               return Status::Invalid({{"date", "same_date", "新日期与原预约相同",
                                                        "the new date is the appointment's own"}});
                             }
                             JD_RETURN_IF_ERROR(CheckCanBook(s, scope, a.person_id, code, *date));
                             Appointment next = a;
                             next.id = NewId();
                             next.clinic_code = code;
                             next.date = *date;
                             next.status = AppointmentStatus::kBooked;
                             next.rescheduled_to.clear();
                             next.created_at = a.updated_at;
                             next.created_by = a.updated_by;
                             ImmunizationStore::InsertAppointment(s, next);
                             a.status = AppointmentStatus::kRescheduled;
                             a.rescheduled_to = next.id;
                             out.appointment = next;
                             out.previous = a;
                             return Status::Ok();
                           });
}

Result<std::vector<AppointmentRow>> ImmunizationService::ListAppointments(
    const Principal& who, const std::string& clinic_code, const std::string& from_text,
    const std::string& to_text, const std::string& status, bool count_only) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  FieldErrors errors;
  auto clinic = ClinicField(who, clinic_code, "clinic", true, errors);
  std::optional<Date> from, to;
  DateRange(from_text, to_text, clock_.Today(), errors, from, to);
  if (!status.empty() && !ParseAppointmentStatus(status)) {
    errors.Add("status", "invalid_value",
               "状态应为 booked、attended、missed、rescheduled 或 cancelled",
               "status must be booked, attended, missed, rescheduled or cancelled");
  }
  if (!errors.empty()) return errors.ToStatus();
  std::vector<AppointmentRow> rows;
  const auth::Scope scope = auth::ScopeOf(who);
  if (scope.empty()) return rows;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    rows = ImmunizationStore::ListAppointments(s, scope, clinic->code, *from, *to, status);
    return Status::Ok();
  }));
  if (count_only) return rows;
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "appointment.list",
            .object_type = "search",
            .object_id = clinic->code,
            .detail = fmt::format("clinic={} from={} to={} status={} results={}", clinic->code,
                                  FormatDate(*from), FormatDate(*to), status, rows.size())}));
  return rows;
}

Result<SessionDay> ImmunizationService::SetSession(const Principal& who,
                                                   const std::string& clinic_code,
                                                   const std::string& date_text, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  auto clinic = ClinicOfPath(who, clinic_code);
  if (!clinic.ok()) return clinic.status();
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  auto date = DateParam(date_text, "date", DateKind::kScheduled, clock_.Today(),
                        Presence::kRequired, errors);
  auto capacity = IntField(body, "capacity", 0, 10000, false, errors);
  if (!capacity && !errors.Has("capacity")) {
    errors.Add("capacity", "required", "capacity 为必填项（当日可预约名额）",
               "capacity is required (places on the day)");
  }
  if (!errors.empty()) return errors.ToStatus();
  SessionDay day;
  day.date = *date;
  day.capacity = *capacity;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
    ImmunizationStore::PutSession(s, clinic->code, *date, *capacity, FormatTimestamp(clock_.Now()),
                                  who.username);
    day.booked = ImmunizationStore::CountBooked(s, clinic->code, *date);
    return audit_.Append(s, who,
                         {.action = "clinic_session.set",
                          .object_type = "clinic_session",
                          .object_id = clinic->code + "/" + FormatDate(*date),
                          .detail = fmt::format("capacity={} booked={}", *capacity, day.booked)});
  }));
  return day;
}

Result<SessionList> ImmunizationService::ListSessions(const Principal& who,
                                                      const std::string& clinic_code,
                                                      const std::string& from_text,
                                                      const std::string& to_text) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  auto clinic = ClinicOfPath(who, clinic_code);
  if (!clinic.ok()) return clinic.status();
  FieldErrors errors;
  std::optional<Date> from, to;
  DateRange(from_text, to_text, clock_.Today(), errors, from, to);
  if (!errors.empty()) return errors.ToStatus();
  SessionList out;
  out.clinic = *clinic;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out.days = ImmunizationStore::ListSessionDays(s, clinic->code, *from, *to);
    return Status::Ok();
  }));
  return out;
}

// ---- JSON ----

namespace {

std::string OrgName(const registry::RegistryService* orgs, const std::string& code) {
  if (!orgs || code.empty()) return {};
  auto org = orgs->FindOrg(code);
  return org ? org->name : std::string();
}

}  // namespace

json FileToJson(const VaccinationFile& f, const registry::RegistryService* orgs) {
  return {{"person_id", f.person_id},
          {"certificate_no", f.certificate_no},
          {"card_no", TextOrNull(f.card_no)},
          {"issued_on", FormatDate(f.issued_on)},
          {"issuing_clinic", f.issuing_clinic_code},
          {"issuing_clinic_name", OrgName(orgs, f.issuing_clinic_code)},
          // A registered guardian: their record's id and masked ID number; the name and phone
          // are read from that record.
          {"guardian_person_id", TextOrNull(f.guardian_person_id)},
          {"guardian_id_number_masked", f.guardian_id_number.empty()
                                            ? json(nullptr)
                                            : json(registry::MaskIdNumber(f.guardian_id_number))},
          {"guardian_name", f.guardian_name},
          {"guardian_relation", TextOrNull(f.guardian_relation)},
          {"guardian_relation_label", RelationLabel(f.guardian_relation)},
          {"guardian_phone", f.guardian_phone},
          {"version", f.version},
          {"created_at", f.created_at},
          {"created_by", f.created_by},
          {"updated_at", f.updated_at},
          {"updated_by", f.updated_by}};
}

json WardToJson(const Ward& w, Date as_of) {
  return {{"person_id", w.person_id},
          {"name", w.name},
          {"sex", w.sex},
          {"birth_date", FormatDate(w.birth_date)},
          {"age_months", AgeInMonths(w.birth_date, as_of)},
          {"id_number_masked", registry::MaskIdNumber(w.id_number)},
          {"guardian_relation", TextOrNull(w.guardian_relation)},
          {"guardian_relation_label", RelationLabel(w.guardian_relation)},
          {"certificate_no", w.certificate_no}};
}

json RecordToJson(const Schedule& schedule, const VaccinationRecord& r,
                  const registry::RegistryService* orgs) {
  const VaccineInfo* v = schedule.Find(r.vaccine);
  std::string clinic_name = OrgName(orgs, r.clinic_code);
  return {{"id", r.id},
          {"person_id", r.person_id},
          {"vaccine", r.vaccine},
          {"vaccine_name_zh", v ? v->name_zh : ""},
          {"dose_number", r.dose_number ? json(*r.dose_number) : json(nullptr)},
          {"date", FormatDate(r.date)},
          {"lot", r.lot},
          {"manufacturer", r.manufacturer},
          {"site", r.site},
          {"route", r.route},
          {"clinic", TextOrNull(r.clinic_code)},
          {"clinic_name", clinic_name.empty() ? r.clinic_name : clinic_name},
          {"vaccinator", r.vaccinator},
          {"source", SourceCode(r.source)},
          {"campaign_id", TextOrNull(r.campaign_id)},
          {"status", r.voided ? "voided" : "active"},
          {"void_reason", TextOrNull(r.void_reason)},
          {"version", r.version},
          {"created_at", r.created_at},
          {"created_by", r.created_by},
          {"updated_at", r.updated_at},
          {"updated_by", r.updated_by}};
}

json AppointmentToJson(const Appointment& a, const registry::RegistryService* orgs) {
  return {{"id", a.id},
          {"person_id", a.person_id},
          {"clinic", a.clinic_code},
          {"clinic_name", OrgName(orgs, a.clinic_code)},
          {"date", FormatDate(a.date)},
          {"vaccines", a.vaccines},
          {"status", AppointmentStatusCode(a.status)},
          {"rescheduled_to", TextOrNull(a.rescheduled_to)},
          {"created_at", a.created_at},
          {"created_by", a.created_by},
          {"updated_at", a.updated_at},
          {"updated_by", a.updated_by}};
}

json ChildToJson(const Person& p, Date as_of) {
  return {{"id", p.id},
          {"name", p.name},
          {"sex", p.sex == registry::Sex::kFemale ? "F" : "M"},
          {"birth_date", FormatDate(p.birth_date)},
          {"age_months", AgeInMonths(p.birth_date, as_of)},
          {"id_number_masked", registry::MaskIdNumber(p.id_number)},
          {"residence_org", p.residence_org},
          {"residence_address", p.residence_address},
          {"status", p.status == registry::PersonStatus::kActive     ? "active"
                     : p.status == registry::PersonStatus::kMovedOut ? "moved_out"
                                                                     : "died"}};
}

json ViewToJson(const Schedule& schedule, const ImmunizationView& v,
                const registry::RegistryService* orgs) {
  json records = json::array();
  for (const auto& r : v.records) records.push_back(RecordToJson(schedule, r, orgs));
  return {{"person", ChildToJson(v.person, v.as_of)},
          {"file", v.file ? FileToJson(*v.file, orgs) : json(nullptr)},
          {"records", records},
          {"forecast", ForecastToJson(schedule, v.forecast, v.as_of)}};
}

json DueItemToJson(const Schedule& schedule, const DueItem& item) {
  json doses = json::array();
  for (const auto& d : item.doses) {
    const VaccineInfo& v = schedule.info(d.vaccine);
    doses.push_back({{"vaccine", v.code},
                     {"name_zh", v.name_zh},
                     {"dose", d.dose},
                     {"status", StatusCode(d.status)},
                     {"earliest", DateOrNull(d.earliest)},
                     {"timely_by", DateOrNull(d.timely_by)}});
  }
  const DueCandidate& c = item.child;
  json next = nullptr;
  if (item.next_appointment) {
    const Appointment& a = *item.next_appointment;
    next = {{"id", a.id},
            {"date", FormatDate(a.date)},
            {"clinic", a.clinic_code},
            {"vaccines", a.vaccines}};
  }
  return {{"person_id", c.person_id},
          {"name", c.name},
          {"sex", c.sex},
          {"birth_date", FormatDate(c.birth_date)},
          {"age_months", item.age_months},
          {"id_number_masked", registry::MaskIdNumber(c.id_number)},
          {"has_file", c.has_file},
          {"guardian_name", c.guardian_name},
          // The certificate's guardian phone, else the phone on the child's registration; masked,
          // as in every list: the call list (notify) gives the whole number, audited per child.
          {"guardian_phone_masked",
           registry::MaskPhone(c.guardian_phone.empty() ? c.phone : c.guardian_phone)},
          {"doses", doses},
          {"earliest", FormatDate(item.earliest)},
          {"next_appointment", next}};
}

}  // namespace jd::immunization
