#include "maternal/referral_service.h"

#include <fmt/format.h>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "maternal/store.h"
#include "registry/person_store.h"

namespace jd::maternal {

namespace {

using auth::Permission;
using auth::Principal;
using registry::PersonStore;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}
Status ReferralNotFound() {
  return Status::NotFound("no such referral in your jurisdiction", "您的辖区内没有此转诊记录");
}

std::string Detail(const Referral& r) {
  return fmt::format("kind={} subject={} stage={} outcome={}", ReferralKindCode(r.kind),
                     ReferralSubjectCode(r.subject), ReferralStageCode(StageOf(r)),
                     r.outcome ? ReferralOutcomeCode(*r.outcome) : "");
}

// The open pregnancy of a woman read in scope, if any.
std::optional<Pregnancy> OpenPregnancy(soci::session& s, const auth::Scope& scope,
                                       const std::string& person_id) {
  for (Pregnancy& p : PregnancyStore::ListForPerson(s, scope, person_id)) {
    if (!p.closed_on) return std::move(p);
  }
  return std::nullopt;
}

// The first day a call for the referral's subject may be on: the registration of the mother's
// pregnancy, the newborn's birth. REQUIRES: the person was read in scope.
Date EarliestDay(soci::session& s, const auth::Scope& scope, const Referral& r,
                 const registry::Person& person) {
  if (r.subject == ReferralSubject::kNewborn || r.pregnancy_id.empty()) return person.birth_date;
  auto p = PregnancyStore::Get(s, scope, r.pregnancy_id);
  return p ? p->registered_on : person.birth_date;
}

}  // namespace

ReferralService::ReferralService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                                 const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

ReferralView ReferralService::View(ReferralRow row) const {
  ReferralView v;
  v.stage = StageOf(row.referral);
  v.times = ElapsedTimes(row.referral, clock_.Now());
  v.continuation_pending = ContinuationPending(row.referral);
  v.referral = std::move(row.referral);
  v.person_name = std::move(row.person_name);
  v.residence_org = std::move(row.residence_org);
  return v;
}

Result<ReferralView> ReferralService::Create(const Principal& who, const std::string& person_id,
                                             const ReferralInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return PersonNotFound();
  const Instant now = clock_.Now();
  const auth::Scope scope = auth::ScopeOf(who);
  FieldErrors errors;
  const std::string clinic_code = in.clinic.empty() ? who.org_code : in.clinic;
  if (auto org = registry_.FindOrg(clinic_code); !org) {
    errors.Add("clinic", "unknown_org", "机构代码不存在：" + clinic_code,
               "no org unit has the code " + clinic_code);
  } else if (!scope.Covers(org->path)) {
    errors.Add("clinic", "outside_jurisdiction", "该机构不在您的辖区内",
               "the clinic is outside your jurisdiction");
  }
  bool outside = false;
  Result<ReferralView> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonNotFound();
    Referral r;
    r.id = NewId();
    r.person_id = person_id;
    r.kind = in.kind;
    r.reason = in.reason;
    r.to_facility = in.to_facility;
    r.from_clinic = clinic_code;
    r.called_at = in.called_at.value_or(now);
    r.transferred_at = in.transferred_at;
    r.admitted_at = in.admitted_at;
    Date earliest = person->birth_date;
    bool referral_required = false;
    if (auto p = OpenPregnancy(s, scope, person_id)) {
      r.subject = ReferralSubject::kMother;
      r.pregnancy_id = p->id;
      r.risk_colour = p->risk_colour;
      referral_required = p->high_risk;
      earliest = p->registered_on;
    } else if (DaysBetween(person->birth_date, LocalDay(r.called_at)) <= kNewbornDays) {
      r.subject = ReferralSubject::kNewborn;
      r.pregnancy_id = ReferralStore::BirthPregnancyOf(s, person_id).value_or("");
    } else {
      errors.Add("person", "not_eligible",
                 "只有孕产期（含产后42天）的妇女或出生28天内的新生儿可以转诊",
                 "only a woman in pregnancy or the 42 days after it, or a newborn in the first "
                 "28 days, can be referred");
    }
    if (!errors.Has("person")) {
      errors.Append(CheckNewReferral(r, earliest, referral_required, now).errors());
    }
    if (!errors.empty()) return errors.ToStatus();
    r.created_at = r.updated_at = FormatTimestamp(now);
    r.created_by = r.updated_by = who.username;
    ReferralStore::Insert(s, r);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "referral.create",
                                      .object_type = "referral",
                                      .object_id = r.id,
                                      .person_id = person_id,
                                      .detail = Detail(r)}));
    out = View({std::move(r), person->name, person->residence_org});
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(audit_, who,
                                    {.action = "referral.create",
                                     .object_type = "person",
                                     .object_id = person_id,
                                     .person_id = person_id},
                                    PersonNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<ReferralView> ReferralService::Update(const Principal& who, const std::string& referral_id,
                                             const ReferralChange& change, int expected_version) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(referral_id)) return ReferralNotFound();
  const Instant now = clock_.Now();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<ReferralView> out = ReferralNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = ReferralStore::Get(s, scope, referral_id);
    outside = row.outside_scope();
    if (!row) return ReferralNotFound();
    if (row->referral.version != expected_version) return StaleVersion();
    auto person = PersonStore::Get(s, scope, row->referral.person_id);
    if (!person) return ReferralNotFound();
    const Date earliest = EarliestDay(s, scope, row->referral, *person);
    JD_ASSIGN_OR_RETURN(Referral next, ApplyReferralChange(row->referral, change, earliest, now));
    next.version = row->referral.version + 1;
    next.updated_at = FormatTimestamp(now);
    next.updated_by = who.username;
    if (!ReferralStore::Update(s, scope, next, expected_version)) return StaleVersion();
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "referral.update",
                                      .object_type = "referral",
                                      .object_id = next.id,
                                      .person_id = next.person_id,
                                      .detail = Detail(next)}));
    out = View({std::move(next), row->person_name, row->residence_org});
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who,
        {.action = "referral.update", .object_type = "referral", .object_id = referral_id},
        ReferralNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<ReferralView> ReferralService::Get(const Principal& who, const std::string& referral_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(referral_id)) return ReferralNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<ReferralRow> row;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    row = ReferralStore::Get(s, scope, referral_id);
    return Status::Ok();
  }));
  if (row.outside_scope()) {
    return auth::RefuseOutsideScope(
        audit_, who,
        {.action = "referral.read", .object_type = "referral", .object_id = referral_id},
        ReferralNotFound());
  }
  if (!row) return ReferralNotFound();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "referral.read",
                                         .object_type = "referral",
                                         .object_id = referral_id,
                                         .person_id = row->referral.person_id}));
  return View(*std::move(row).release());
}

Result<std::vector<ReferralView>> ReferralService::ForPerson(const Principal& who,
                                                             const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false, found = false;
  std::vector<ReferralView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    found = person.has_value();
    if (!found) return Status::Ok();
    for (Referral& r : ReferralStore::ForPerson(s, scope, person_id)) {
      out.push_back(View({std::move(r), "", ""}));
    }
    return Status::Ok();
  }));
  if (outside) {
    return auth::RefuseOutsideScope(audit_, who,
                                    {.action = "referral.read",
                                     .object_type = "person",
                                     .object_id = person_id,
                                     .person_id = person_id},
                                    PersonNotFound());
  }
  if (!found) return PersonNotFound();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "referral.read",
                                         .object_type = "person",
                                         .object_id = person_id,
                                         .person_id = person_id,
                                         .detail = fmt::format("referrals={}", out.size())}));
  return out;
}

Result<std::vector<ReferralView>> ReferralService::List(const Principal& who,
                                                        const ReferralQuery& q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  std::vector<ReferralView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (ReferralRow& row : ReferralStore::List(s, scope, q)) out.push_back(View(std::move(row)));
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "referral.list",
            .object_type = "org_unit",
            .object_id = who.org_code,
            .detail = fmt::format("open_only={} kind={} rows={}", q.open_only ? 1 : 0,
                                  q.kind ? ReferralKindCode(*q.kind) : "", out.size())}));
  return out;
}

Result<int> ReferralService::Count(const Principal& who, const ReferralQuery& q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  int n = 0;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    n = ReferralStore::Count(s, scope, q);
    return Status::Ok();
  }));
  return n;
}

}  // namespace jd::maternal
