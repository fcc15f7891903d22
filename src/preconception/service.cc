#include "preconception/service.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/access.h"
#include "core/ids.h"
#include "maternal/store.h"
#include "registry/person_store.h"

namespace jd::preconception {

namespace {

using auth::Permission;
using auth::Principal;
using registry::Person;
using registry::PersonStore;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}

// Syphilis and hepatitis B results are infection data (as maternal/service.h treats them).
bool IsInfectionItem(std::string_view item) { return item == "syphilis" || item == "hbv_five"; }

bool TouchesInfection(const CheckRecord& r) {
  return std::any_of(r.results.begin(), r.results.end(),
                     [](const ItemResult& res) { return IsInfectionItem(res.item); });
}

// A reason names its item as "woman:syphilis=positive".
bool IsInfectionReason(const std::string& reason) {
  const auto colon = reason.find(':'), eq = reason.find('=');
  return colon != std::string::npos && eq != std::string::npos &&
         IsInfectionItem(std::string_view(reason).substr(colon + 1, eq - colon - 1));
}

void CheckDay(const std::optional<Date>& day, Date today, Date birth, const char* field,
              FieldErrors& errors) {
  if (!day) return;
  if (today < *day) {
    errors.Add(field, "in_future", "日期晚于今天", fmt::format("{} is in the future", field));
  } else if (*day < birth) {
    errors.Add(field, "before_birth", "日期早于出生日期",
               fmt::format("{} is before the date of birth", field));
  }
}

}  // namespace

PreconceptionService::PreconceptionService(storage::Database& db, auth::AuditLog& audit,
                                           const Clock& clock,
                                           const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Status PreconceptionService::RefuseOutside(const Principal& who, const std::string& action,
                                           const std::string& person_id) {
  return auth::RefuseOutsideScope(
      audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
      PersonNotFound());
}

void PreconceptionService::CheckClinic(const Principal& who, const std::string& code,
                                       FieldErrors& errors) const {
  if (auto org = registry_.FindOrg(code); !org) {
    errors.Add("clinic", "unknown_org", "机构代码不存在：" + code,
               "no org unit has the code " + code);
  } else if (!auth::ScopeOf(who).Covers(org->path)) {
    errors.Add("clinic", "outside_jurisdiction", "该机构不在您的辖区内",
               "the clinic is outside your jurisdiction");
  }
}

CheckView PreconceptionService::View(const Principal& who, const CheckRow& row) const {
  CheckView v;
  v.check = row.check;
  v.woman_name = row.woman_name;
  v.man_registered = !row.check.man_person_id.empty();
  v.man_name = v.man_registered ? row.registered_man_name : row.check.man_name;
  v.completeness = ExamCompleteness(v.check.record);
  if (!auth::Holds(who, Permission::kInfectionRead)) {
    // Said to every such reader, so that the flag itself tells nothing.
    v.infection_hidden = true;
    std::erase_if(v.check.record.results,
                  [](const ItemResult& r) { return IsInfectionItem(r.item); });
    std::erase_if(v.check.risk_reasons, IsInfectionReason);
  }
  return v;
}

std::string PreconceptionService::LookUpPartner(soci::session& s, const auth::Scope& scope,
                                                const std::string& person_id,
                                                const std::string& partner_id, registry::Sex want,
                                                const char* field, bool& outside,
                                                FieldErrors& errors) const {
  auto partner =
      IsUuid(partner_id) ? PersonStore::Get(s, scope, partner_id) : auth::ScopedRow<Person>();
  outside = partner.outside_scope();
  if (!partner) {
    errors.Add(field, "not_found", "您的辖区内没有此对方", "no such partner in your jurisdiction");
  } else if (partner->sex != want || partner->id == person_id) {
    errors.Add(
        field, "same_sex", want == registry::Sex::kMale ? "对方应为男性" : "对方应为女性",
        want == registry::Sex::kMale ? "the partner must be a man" : "the partner must be a woman");
  } else {
    return partner->name;
  }
  return "";
}

Status PreconceptionService::RefusePartner(const Principal& who, const std::string& action,
                                           const std::string& partner_id) {
  // The person is ours, the partner is not: the id is refused as unknown, and the attempt audited.
  return audit_.Record(who, {.action = action,
                             .object_type = "person",
                             .object_id = partner_id,
                             .result = "denied",
                             .detail = "partner outside jurisdiction"});
}

Result<CheckView> PreconceptionService::RecordCheck(const Principal& who,
                                                    const std::string& person_id,
                                                    const CheckInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (TouchesInfection(in.record)) {
    JD_RETURN_IF_ERROR(auth::Require(who, Permission::kInfectionRead));
  }
  const Date today = clock_.Today();
  const Date check_date = in.check_date.value_or(today);
  const std::string clinic = in.clinic.empty() ? who.org_code : in.clinic;
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false, man_outside = false;
  Result<CheckView> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto woman = PersonStore::Get(s, scope, person_id);
    outside = woman.outside_scope();
    if (!woman) return PersonNotFound();
    FieldErrors errors;
    if (woman->sex != registry::Sex::kFemale) {
      errors.Add("person", "not_female", "孕前优生健康检查记录在女方档案中",
                 "a pre-pregnancy check is recorded on the woman's record");
    }
    CheckDay(check_date, today, woman->birth_date, "check_date", errors);
    if (in.planned_pregnancy_on && *in.planned_pregnancy_on < check_date) {
      errors.Add("planned_pregnancy_on", "before_check", "计划怀孕日期早于检查日期",
                 "the planned pregnancy is before the check");
    }
    CheckClinic(who, clinic, errors);
    std::string man_registry_name;
    if (!in.man_person_id.empty()) {
      man_registry_name = LookUpPartner(s, scope, person_id, in.man_person_id, registry::Sex::kMale,
                                        "man_person_id", man_outside, errors);
    } else if (in.record.man_examined && in.man_name.empty()) {
      errors.Add("man", "required", "请从登记中选择男方或填写男方姓名",
                 "pick the man from the registry or type his name");
    }
    if (Status v = ValidateRecord(in.record); !v.ok()) errors.Append(v.field_errors());
    if (!errors.empty()) return errors.ToStatus();

    const Classification cls = Classify(in.record, AgeInYears(woman->birth_date, check_date));
    StoredCheck c;
    c.id = NewId();
    c.person_id = person_id;
    c.man_person_id = in.man_person_id;
    c.man_name = in.man_person_id.empty() ? in.man_name : "";
    c.check_date = check_date;
    c.clinic_code = clinic;
    c.record = in.record;
    c.risk = cls.group;
    c.risk_reasons = cls.reasons;
    c.advice = in.advice;
    c.planned_pregnancy_on = in.planned_pregnancy_on;
    c.recorded_at = FormatTimestamp(clock_.Now());
    c.recorded_by = who.username;
    PreconceptionStore::InsertCheck(s, c);
    const Completeness done = ExamCompleteness(c.record);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "preconception.check",
         .object_type = "preconception_check",
         .object_id = c.id,
         .person_id = person_id,
         .detail = fmt::format("clinic={} risk={} man={} missing={}", clinic, RiskGroupCode(c.risk),
                               c.man_person_id.empty() ? "typed" : c.man_person_id,
                               done.woman_missing.size() + done.man_missing.size())}));
    out = View(who, CheckRow{c, woman->name, man_registry_name});
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, "preconception.check", person_id);
  if (man_outside) {
    JD_RETURN_IF_ERROR(RefusePartner(who, "preconception.check", in.man_person_id));
  }
  if (!st.ok()) return st;
  return out;
}

PremaritalView PreconceptionService::View(const Principal& who, const PremaritalRow& row) const {
  PremaritalView v;
  v.check = row.check;
  v.person_name = row.person_name;
  v.partner_registered = !row.check.partner_person_id.empty();
  v.partner_name = v.partner_registered ? row.registered_partner_name : row.check.partner_name;
  v.indicated = Indicate(v.check.record);
  if (!auth::Holds(who, Permission::kInfectionRead)) {
    // As for the pre-pregnancy check: said to every such reader; the opinion stays.
    v.infection_hidden = true;
    std::erase_if(v.check.record.findings, IsInfectiousFinding);
    std::erase_if(v.indicated.reasons,
                  [](const std::string& r) { return r.starts_with("infectious"); });
  }
  return v;
}

Result<PremaritalView> PreconceptionService::RecordPremarital(const Principal& who,
                                                              const std::string& person_id,
                                                              const PremaritalInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return PersonNotFound();
  if (HasInfectiousFinding(in.record)) {
    JD_RETURN_IF_ERROR(auth::Require(who, Permission::kInfectionRead));
  }
  const Date today = clock_.Today();
  const Date check_date = in.check_date.value_or(today);
  const std::string clinic = in.clinic.empty() ? who.org_code : in.clinic;
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false, partner_outside = false;
  Result<PremaritalView> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonNotFound();
    FieldErrors errors;
    CheckDay(check_date, today, person->birth_date, "check_date", errors);
    CheckClinic(who, clinic, errors);
    std::string partner_registry_name;
    if (!in.partner_person_id.empty()) {
      const registry::Sex want =
          person->sex == registry::Sex::kMale ? registry::Sex::kFemale : registry::Sex::kMale;
      partner_registry_name = LookUpPartner(s, scope, person_id, in.partner_person_id, want,
                                            "partner_person_id", partner_outside, errors);
    } else if (in.partner_name.empty()) {
      errors.Add("partner", "required", "请从登记中选择对方或填写对方姓名",
                 "pick the partner from the registry or type the name");
    }
    if (Status v = ValidatePremarital(in.record); !v.ok()) errors.Append(v.field_errors());
    if (!errors.empty()) return errors.ToStatus();

    StoredPremarital c;
    c.id = NewId();
    c.person_id = person_id;
    c.partner_person_id = in.partner_person_id;
    c.partner_name = in.partner_person_id.empty() ? in.partner_name : "";
    c.check_date = check_date;
    c.clinic_code = clinic;
    c.record = in.record;
    c.advice = in.advice;
    c.recorded_at = FormatTimestamp(clock_.Now());
    c.recorded_by = who.username;
    PreconceptionStore::InsertPremarital(s, c);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "premarital.check",
         .object_type = "premarital_check",
         .object_id = c.id,
         .person_id = person_id,
         .detail = fmt::format("clinic={} opinion={} partner={}", clinic, c.record.opinion,
                               c.partner_person_id.empty() ? "typed" : c.partner_person_id)}));
    out = View(who, PremaritalRow{c, person->name, partner_registry_name});
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, "premarital.check", person_id);
  if (partner_outside) {
    JD_RETURN_IF_ERROR(RefusePartner(who, "premarital.check", in.partner_person_id));
  }
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<PremaritalView>> PreconceptionService::ListPremarital(
    const Principal& who, const std::string& person_id) {
  std::vector<PremaritalRow> rows;
  JD_RETURN_IF_ERROR(ReadAudited(
      who, person_id, "premarital_check", [&](soci::session& s, const auth::Scope& scope) {
        rows = PreconceptionStore::PremaritalOfPerson(s, scope, person_id);
        return fmt::format("premarital_checks={}", rows.size());
      }));
  std::vector<PremaritalView> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(View(who, r));
  return out;
}

Status PreconceptionService::ReadAudited(
    const Principal& who, const std::string& person_id, const std::string& object_type,
    const std::function<std::string(soci::session&, const auth::Scope&)>& read) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Person> person;
  std::string detail;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    person = PersonStore::Get(s, scope, person_id);
    if (person) detail = read(s, scope);
    return Status::Ok();
  }));
  if (person.outside_scope()) return RefuseOutside(who, "preconception.read", person_id);
  // The read is recorded before the data leaves; so is the answer that there is none.
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "preconception.read",
                                         .object_type = object_type,
                                         .object_id = person_id,
                                         .person_id = person ? person_id : "",
                                         .result = person ? "ok" : "not_found",
                                         .detail = detail}));
  if (!person) return PersonNotFound();
  return Status::Ok();
}

Result<std::vector<CheckView>> PreconceptionService::ListForPerson(const Principal& who,
                                                                   const std::string& person_id) {
  std::vector<CheckRow> rows;
  JD_RETURN_IF_ERROR(
      ReadAudited(who, person_id, "person", [&](soci::session& s, const auth::Scope& scope) {
        rows = PreconceptionStore::ChecksOfPerson(s, scope, person_id);
        return fmt::format("checks={}", rows.size());
      }));
  std::vector<CheckView> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(View(who, r));
  return out;
}

FolicView PreconceptionService::Folic(soci::session& s, const auth::Scope& scope,
                                      const std::string& person_id, Date today) const {
  FolicView v;
  v.as_of = today;
  v.supplies = PreconceptionStore::Supplies(s, scope, person_id);
  std::vector<Supply> supplies;
  for (const auto& f : v.supplies) supplies.push_back({f.supplied_on, f.quantity_days});
  // Newest first: the first that fits dates the window.
  for (const auto& p : maternal::PregnancyStore::ListForPerson(s, scope, person_id)) {
    const bool fits = v.supplies.empty()
                          ? !p.closed_on.has_value()
                          : !(p.dating.lmp < AddMonths(v.supplies.front().supplied_on, -4));
    if (fits) {
      v.lmp = p.dating.lmp;
      break;
    }
  }
  for (const auto& row : PreconceptionStore::ChecksOfPerson(s, scope, person_id)) {
    if (row.check.person_id == person_id) {
      v.planned = row.check.planned_pregnancy_on;
      break;
    }
  }
  v.plan = FolicAcidPlan(supplies, v.lmp, v.planned, today);
  return v;
}

Result<FolicView> PreconceptionService::RecordSupply(const Principal& who,
                                                     const std::string& person_id,
                                                     const SupplyInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return PersonNotFound();
  const Date today = clock_.Today();
  const std::string clinic = in.clinic.empty() ? who.org_code : in.clinic;
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<FolicView> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto woman = PersonStore::Get(s, scope, person_id);
    outside = woman.outside_scope();
    if (!woman) return PersonNotFound();
    FieldErrors errors;
    if (woman->sex != registry::Sex::kFemale) {
      errors.Add("person", "not_female", "叶酸增补对象为女性", "folic acid is supplied to a woman");
    }
    const Date on = in.supplied_on.value_or(today);
    CheckDay(on, today, woman->birth_date, "supplied_on", errors);
    if (in.quantity_days < kMinSupplyDays || in.quantity_days > kMaxSupplyDays) {
      errors.Add("quantity_days", "out_of_range", "发放天数应在1～180之间",
                 "quantity_days must be 1–180");
    }
    CheckClinic(who, clinic, errors);
    if (!errors.empty()) return errors.ToStatus();
    StoredSupply f;
    f.id = NewId();
    f.person_id = person_id;
    f.supplied_on = on;
    f.quantity_days = in.quantity_days;
    f.clinic_code = clinic;
    f.recorded_at = FormatTimestamp(clock_.Now());
    f.recorded_by = who.username;
    PreconceptionStore::InsertSupply(s, f);
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = "folic_acid.supply",
                       .object_type = "folic_acid_supply",
                       .object_id = f.id,
                       .person_id = person_id,
                       .detail = fmt::format("clinic={} days={}", clinic, f.quantity_days)}));
    out = Folic(s, scope, person_id, today);
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, "folic_acid.supply", person_id);
  if (!st.ok()) return st;
  return out;
}

Result<FolicView> PreconceptionService::FolicStatus(const Principal& who,
                                                    const std::string& person_id) {
  const Date today = clock_.Today();
  FolicView v;
  JD_RETURN_IF_ERROR(
      ReadAudited(who, person_id, "folic_acid", [&](soci::session& s, const auth::Scope& scope) {
        v = Folic(s, scope, person_id, today);
        return fmt::format("supplies={}", v.supplies.size());
      }));
  return v;
}

}  // namespace jd::preconception
