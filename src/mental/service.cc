// Use cases of severe-mental-disorder management (mental/service.h).
#include "mental/service.h"

#include <fmt/format.h>

#include "auth/access.h"
#include "auth/alert_scope.h"
#include "core/ids.h"
#include "core/input.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::mental {

namespace {

using auth::Permission;
using auth::Principal;
using registry::PersonStore;

Status PatientNotFound() {
  return Status::NotFound("no such patient in your jurisdiction", "您的辖区内没有此患者");
}
Status AlertNotFound() {
  return Status::NotFound("no such alert in your area", "您的辖区内没有此预警");
}

// `permission` for `action`, the refusal audited (the most sensitive data: 工作规范 2018 信息安全).
Status RequireAudited(auth::AuditLog& audit, const Principal& who, Permission permission,
                      const std::string& action, const std::string& object_id) {
  Status st = auth::Require(who, permission);
  if (st.ok()) return st;
  JD_RETURN_IF_ERROR(
      audit.Record(who, {.action = action,
                         .object_type = "mental_patient",
                         .object_id = object_id,
                         .result = "denied",
                         .detail = std::string(auth::PermissionCode(permission)) + " required"}));
  return st;
}

int FollowUpsInYear(const std::vector<FollowUp>& fs, Date today) {
  int n = 0;
  for (const FollowUp& f : fs) {
    if (f.facts.visited_on.year() == today.year() && !(today < f.facts.visited_on)) ++n;
  }
  return n;
}

std::optional<PreviousFollowUp> LatestBefore(const std::vector<FollowUp>& fs, Date on) {
  std::optional<PreviousFollowUp> out;
  for (const FollowUp& f : fs) {
    if (on < f.facts.visited_on) continue;
    if (!out || !(f.facts.visited_on < out->visited_on)) {
      out = PreviousFollowUp{.visited_on = f.facts.visited_on, .cls = f.cls};
    }
  }
  return out;
}

std::optional<double> Rate(int num, double den) {
  if (den <= 0) return std::nullopt;
  return num / den;
}

}  // namespace

MentalService::MentalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                             const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Result<PatientDetail> MentalService::Detail(soci::session& s, PatientRow row, Date today) const {
  PatientDetail d;
  d.follow_ups = MentalStore::FollowUps(s, row.patient.id);
  d.emergencies = MentalStore::Emergencies(s, row.patient.id);
  d.alerts = MentalStore::AlertsOfPatient(s, row.patient.id);
  d.overdue = row.patient.status == PatientStatus::kActive && Overdue(row.patient.next_due, today);
  d.follow_ups_this_year = FollowUpsInYear(d.follow_ups, today);
  d.required_this_year =
      RequiredFollowUps(row.patient.registered_on, static_cast<int>(today.year()));
  d.name = std::move(row.name);
  d.masked_id_number = registry::MaskIdNumber(row.id_number);
  d.address = std::move(row.address);
  d.residence_org = std::move(row.residence_org);
  d.patient = std::move(row.patient);
  d.as_of = today;
  return d;
}

Result<PatientDetail> MentalService::Register(const Principal& who, const PatientInput& in) {
  const std::string action = "mental.register";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kMentalHealth, action, ""));
  const Date today = clock_.Today();
  const auth::Scope scope = auth::ScopeOf(who);
  FieldErrors errors;
  const std::string unit = in.managing_unit.empty() ? who.org_code : in.managing_unit;
  if (auto org = registry_.FindOrg(unit); !org) {
    errors.Add("managing_unit", "unknown_org", "机构代码不存在：" + unit,
               "no org unit has the code " + unit);
  } else if (!scope.Covers(org->path)) {
    errors.Add("managing_unit", "outside_jurisdiction", "该机构不在您的辖区内",
               "the managing unit is outside your jurisdiction");
  }
  const Date registered = in.registered_on.value_or(today);
  if (today < registered) {
    errors.Add("registered_on", "in_future", "登记日期晚于今天",
               "the registration is in the future");
  }
  if (today < in.diagnosed_on) {
    errors.Add("diagnosed_on", "in_future", "诊断日期晚于今天", "the diagnosis is in the future");
  }
  if (in.consent != Consent::kNotYet && !in.consent_on) {
    errors.Add("consent_on", "required", "已签署或拒绝知情同意时须填写日期",
               "the consent date is required when consent was signed or refused");
  } else if (in.consent_on && today < *in.consent_on) {
    errors.Add("consent_on", "in_future", "知情同意日期晚于今天",
               "the consent date is in the future");
  }
  if (!IsUuid(in.person_id)) {
    errors.Add("person_id", "not_found", "您的辖区内没有此人",
               "no such person in your jurisdiction");
  }
  if (!errors.empty()) return errors.ToStatus();
  bool outside = false;
  Result<PatientDetail> out = PatientNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, in.person_id);
    outside = person.outside_scope();
    if (!person) {
      return Status::Invalid({{"person_id", "not_found", "您的辖区内没有此人",
                               "no such person in your jurisdiction"}});
    }
    if (in.diagnosed_on < person->birth_date) {
      return Status::Invalid({{"diagnosed_on", "before_birth", "诊断日期早于出生日期",
                               "the diagnosis is before the birth"}});
    }
    Patient p;
    p.id = NewId();
    p.person_id = in.person_id;
    p.diagnosis = in.diagnosis;
    p.diagnosed_on = in.diagnosed_on;
    p.consent = in.consent;
    p.consent_on = in.consent_on;
    p.managing_unit = unit;
    p.registered_on = registered;
    p.next_due = FirstDue(registered);
    p.created_at = p.updated_at = FormatTimestamp(clock_.Now());
    p.created_by = p.updated_by = who.username;
    if (!MentalStore::InsertPatient(s, p)) {
      return Status::Invalid({{"person_id", "registered", "此人已登记为严重精神障碍患者",
                               "the person is already registered"}});
    }
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "mental_patient",
                                      .object_id = p.id,
                                      .person_id = p.person_id,
                                      .detail = "consent=" + std::string(ConsentCode(p.consent))}));
    auto row = MentalStore::Get(s, scope, p.id);
    if (!row) return Status::Internal("a registered patient could not be read back");
    out = Detail(s, *std::move(row).release(), today);
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who,
        {.action = action,
         .object_type = "person",
         .object_id = in.person_id,
         .person_id = in.person_id},
        Status::Invalid({{"person_id", "not_found", "您的辖区内没有此人",
                          "no such person in your jurisdiction"}}));
  }
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<PatientSummary>> MentalService::List(const Principal& who,
                                                        const PatientQuery& query) {
  const std::string action = "mental.list";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kMentalHealth, action, ""));
  const auth::Scope scope = auth::ScopeOf(who);
  PatientQuery q = query;
  q.today = clock_.Today();
  std::vector<PatientSummary> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (PatientRow& r : MentalStore::List(s, scope, q)) {
      PatientSummary v;
      v.masked_name = registry::MaskName(r.name);
      v.masked_id_number = registry::MaskIdNumber(r.id_number);
      v.residence_org = r.residence_org;
      v.overdue = Overdue(r.patient.next_due, q.today);
      v.follow_ups_this_year = r.follow_ups_this_year;
      v.required_this_year =
          RequiredFollowUps(r.patient.registered_on, static_cast<int>(q.today.year()));
      v.patient = std::move(r.patient);
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action,
            .object_type = "org_unit",
            .object_id = who.org_code,
            .detail = fmt::format("overdue_only={} rows={}", q.overdue_only ? 1 : 0, out.size())}));
  return out;
}

Result<PatientDetail> MentalService::Get(const Principal& who, const std::string& id) {
  const std::string action = "mental.read";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kMentalHealth, action, id));
  if (!IsUuid(id)) return PatientNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<PatientDetail> out = PatientNotFound();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto row = MentalStore::Get(s, scope, id);
    outside = row.outside_scope();
    if (row) out = Detail(s, *std::move(row).release(), today);
    return Status::Ok();
  }));
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "mental_patient", .object_id = id},
        PatientNotFound());
  }
  if (!out.ok()) return out.status();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = "mental_patient",
                                         .object_id = id,
                                         .person_id = out->patient.person_id}));
  return out;
}

template <class T, class F>
Result<T> MentalService::ChangePatient(const Principal& who, const std::string& id,
                                       const std::string& action, F change) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kMentalHealth, action, id));
  if (!IsUuid(id)) return PatientNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<T> out = PatientNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = MentalStore::Get(s, scope, id);
    outside = row.outside_scope();
    if (!row) return PatientNotFound();
    JD_ASSIGN_OR_RETURN(T value, change(s, scope, *row));
    out = std::move(value);
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "mental_patient", .object_id = id},
        PatientNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<PatientDetail> MentalService::Update(const Principal& who, const std::string& id,
                                            const PatientChange& change, int expected_version) {
  const std::string action = "mental.update";
  const Date today = clock_.Today();
  return ChangePatient<PatientDetail>(
      who, id, action,
      [&](soci::session& s, const auth::Scope& scope, PatientRow& row) -> Result<PatientDetail> {
        FieldErrors errors;
        if (change.managing_unit) {
          if (auto org = registry_.FindOrg(*change.managing_unit); !org) {
            errors.Add("managing_unit", "unknown_org", "机构代码不存在：" + *change.managing_unit,
                       "no org unit has the code " + *change.managing_unit);
          } else if (!scope.Covers(org->path)) {
            errors.Add("managing_unit", "outside_jurisdiction", "该机构不在您的辖区内",
                       "the managing unit is outside your jurisdiction");
          }
        }
        if (change.diagnosed_on && today < *change.diagnosed_on) {
          errors.Add("diagnosed_on", "in_future", "诊断日期晚于今天",
                     "the diagnosis is in the future");
        }
        if (change.consent_on && today < *change.consent_on) {
          errors.Add("consent_on", "in_future", "知情同意日期晚于今天",
                     "the consent date is in the future");
        }
        if (!errors.empty()) return errors.ToStatus();
        if (row.patient.version != expected_version) return StaleVersion();
        Patient p = row.patient;
        if (change.diagnosis) p.diagnosis = *change.diagnosis;
        if (change.diagnosed_on) p.diagnosed_on = *change.diagnosed_on;
        if (change.consent) p.consent = *change.consent;
        if (change.consent_on) p.consent_on = change.consent_on;
        if (change.status) p.status = *change.status;
        if (change.managing_unit) p.managing_unit = *change.managing_unit;
        if (p.consent != Consent::kNotYet && !p.consent_on) {
          return Status::Invalid(
              {{"consent_on", "required", "已签署或拒绝知情同意时须填写日期",
                "the consent date is required when consent was signed or refused"}});
        }
        p.version = row.patient.version + 1;
        p.updated_at = FormatTimestamp(clock_.Now());
        p.updated_by = who.username;
        if (!MentalStore::UpdatePatient(s, scope, p, expected_version)) return StaleVersion();
        JD_RETURN_IF_ERROR(audit_.Append(
            s, who,
            {.action = action,
             .object_type = "mental_patient",
             .object_id = id,
             .person_id = p.person_id,
             .detail = fmt::format("status={} consent={}", PatientStatusCode(p.status),
                                   ConsentCode(p.consent))}));
        row.patient = p;
        return Detail(s, std::move(row), today);
      });
}

Result<FollowUpOutcome> MentalService::RecordFollowUp(const Principal& who, const std::string& id,
                                                      const FollowUpFacts& in) {
  const std::string action = "mental.follow_up";
  const Date today = clock_.Today();
  return ChangePatient<FollowUpOutcome>(
      who, id, action,
      [&](soci::session& s, const auth::Scope& scope, PatientRow& row) -> Result<FollowUpOutcome> {
        FieldErrors errors;
        errors.Append(CheckFollowUp(in, row.patient.registered_on, today));
        if (row.patient.status != PatientStatus::kActive) {
          errors.Add("patient", "not_active", "患者已迁出、死亡或结案",
                     "the patient moved, died or was closed");
        }
        if (!errors.empty()) return errors.ToStatus();
        const std::vector<FollowUp> before = MentalStore::FollowUps(s, id);
        FollowUp f;
        f.id = NewId();
        f.patient_id = id;
        f.facts = in;
        f.cls = Classify(in);
        f.next_due = NextDue(in, f.cls, LatestBefore(before, in.visited_on));
        f.recorded_at = FormatTimestamp(clock_.Now());
        f.recorded_by = who.username;
        MentalStore::InsertFollowUp(s, f);
        // The patient's class and due day are the latest follow-up's (a late entry of an older
        // visit leaves them).
        Patient p = row.patient;
        bool newest = true;
        for (const FollowUp& b : before) {
          if (in.visited_on < b.facts.visited_on) newest = false;
        }
        if (newest) {
          p.cls = f.cls;
          p.next_due = f.next_due;
          p.version = row.patient.version + 1;
          p.updated_at = f.recorded_at;
          p.updated_by = who.username;
          if (!MentalStore::UpdatePatient(s, scope, p, row.patient.version)) {
            return StaleVersion();
          }
        }
        JD_RETURN_IF_ERROR(audit_.Append(
            s, who,
            {.action = action,
             .object_type = "mental_patient",
             .object_id = id,
             .person_id = p.person_id,
             .detail = fmt::format("visited_on={} level={} class={}", FormatDate(in.visited_on),
                                   in.danger_level, PatientClassCode(f.cls))}));
        FollowUpOutcome o;
        // 工作规范 2018: 危险性评估 3 级及以上 — the partner departments (综治/公安) of the area.
        if (in.danger_level >= kAlertLevel) {
          const auto area = registry_.FindOrg(row.residence_org);
          if (!area) return Status::Internal("a patient without a residence unit");
          Alert a;
          a.id = NewId();
          a.patient_id = id;
          a.follow_up_id = f.id;
          a.area_path = area->path;
          a.danger_level = in.danger_level;
          a.raised_at = f.recorded_at;
          MentalStore::InsertAlert(s, a);
          JD_RETURN_IF_ERROR(audit_.Append(
              s, who,
              {.action = "mental.alert.raise",
               .object_type = "mental_alert",
               .object_id = a.id,
               .person_id = p.person_id,
               .detail = fmt::format("level={} area={}", a.danger_level, row.residence_org)}));
          if (alert_listener_) {
            AlertEvent event{.change = AlertChange::kRaised,
                             .alert = {.alert = a,
                                       .name = row.name,
                                       .address = row.address,
                                       .residence_org = row.residence_org,
                                       .person_id = p.person_id}};
            JD_ASSIGN_OR_RETURN(o.alert_notices, alert_listener_(s, who, event));
          }
          o.alert = a;
        }
        o.follow_up = f;
        row.patient = p;
        JD_ASSIGN_OR_RETURN(o.patient, Detail(s, std::move(row), today));
        return o;
      });
}

Result<PatientDetail> MentalService::RecordEmergency(const Principal& who, const std::string& id,
                                                     const EmergencyInput& in) {
  const std::string action = "mental.emergency";
  const Date today = clock_.Today();
  return ChangePatient<PatientDetail>(
      who, id, action,
      [&](soci::session& s, const auth::Scope&, PatientRow& row) -> Result<PatientDetail> {
        FieldErrors errors;
        if (today < in.occurred_on) {
          errors.Add("occurred_on", "in_future", "处置日期晚于今天",
                     "the emergency is in the future");
        } else if (in.occurred_on < row.patient.registered_on) {
          errors.Add("occurred_on", "before_registration", "处置日期早于登记日期",
                     "the emergency is before the patient's registration");
        }
        if (!errors.empty()) return errors.ToStatus();
        Emergency e{.id = NewId(),
                    .patient_id = id,
                    .occurred_on = in.occurred_on,
                    .situation = in.situation,
                    .measures = in.measures,
                    .outcome = in.outcome,
                    .recorded_at = FormatTimestamp(clock_.Now()),
                    .recorded_by = who.username};
        MentalStore::InsertEmergency(s, e);
        JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                         {.action = action,
                                          .object_type = "mental_patient",
                                          .object_id = id,
                                          .person_id = row.patient.person_id,
                                          .detail = "occurred_on=" + FormatDate(in.occurred_on)}));
        return Detail(s, std::move(row), today);
      });
}

Result<std::vector<AlertRow>> MentalService::Alerts(const Principal& who, bool open_only,
                                                    int limit) {
  const std::string action = "mental.alert.list";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kPartnerAlert, action, ""));
  const auth::Scope scope = auth::AlertScopeOf(who);
  std::vector<AlertRow> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = MentalStore::Alerts(s, scope, open_only, limit);
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action,
            .object_type = "org_unit",
            .object_id = who.org_code,
            .detail = fmt::format("open_only={} rows={}", open_only ? 1 : 0, out.size())}));
  return out;
}

Result<AlertRow> MentalService::Acknowledge(const Principal& who, const std::string& alert_id) {
  const std::string action = "mental.alert.acknowledge";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kPartnerAlert, action, alert_id));
  if (!IsUuid(alert_id)) return AlertNotFound();
  const auth::Scope scope = auth::AlertScopeOf(who);
  bool outside = false;
  Result<AlertRow> out = AlertNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = MentalStore::GetAlert(s, scope, alert_id);
    outside = row.outside_scope();
    if (!row) return AlertNotFound();
    if (row->alert.acknowledged_at.empty()) {
      const std::string at = FormatTimestamp(clock_.Now());
      if (MentalStore::Acknowledge(s, alert_id, at, who.username)) {
        row->alert.acknowledged_at = at;
        row->alert.acknowledged_by = who.username;
        // The notices not yet sent are no longer wanted.
        if (alert_listener_) {
          JD_RETURN_IF_ERROR(
              alert_listener_(s, who, {.change = AlertChange::kAcknowledged, .alert = *row})
                  .status());
        }
      }
    }
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = action,
                       .object_type = "mental_alert",
                       .object_id = alert_id,
                       .detail = "level=" + std::to_string(row->alert.danger_level)}));
    out = *std::move(row).release();
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "mental_alert", .object_id = alert_id},
        AlertNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<MentalSummary> MentalService::Summary(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMentalHealth));
  const auth::Scope scope = auth::ScopeOf(who);
  MentalSummary m;
  m.as_of = clock_.Today();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    m.counts = MentalStore::Counts(s, scope, m.as_of, registry_.policy());
    return Status::Ok();
  }));
  const PatientCounts& c = m.counts;
  m.expected_patients = ExpectedPatients(c.residents);
  m.registered_rate = Rate(c.registered, m.expected_patients);
  m.standardised_rate = Rate(c.standardised, c.registered);
  m.adherence_rate = Rate(c.adherent, c.followed_up);
  m.stable_rate = Rate(c.stable, c.followed_up);
  m.electronic_file_rate = Rate(c.electronic_file, c.registered);
  return m;
}

}  // namespace jd::mental
