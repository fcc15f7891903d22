// File: mental/service.h
// Use cases of severe-mental-disorder management for the HTTP API and the demo: register a patient
// (one of the six diagnoses, informed consent), list the patients of the jurisdiction (the overdue
// ones first), read one with its follow-ups, emergencies and schedule, change the registration,
// record a follow-up (validated, classified and scheduled by mental/rules.h), record an emergency
// handling (处置记录), raise a danger alert for the partner departments of the patient's area on a
// follow-up of level ≥3, list and acknowledge those alerts, and count the indicators.
//
// Access, decided by auth (auth/access.h, auth/scope.h): everything about patients needs
// kMentalHealth and the person living within auth::ScopeOf(caller) (the 精防 institution on its
// district, a centre on its street); outside it a patient is "not found", audited as denied.
// Alerts need kPartnerAlert and the alert's area within auth::AlertScopeOf(caller); a partner
// reads an alert's name, address, level and time, never a diagnosis or a follow-up. Every read and
// write is audited ("mental.register", "mental.update", "mental.read", "mental.list",
// "mental.follow_up", "mental.emergency", "mental.alert.raise", "mental.alert.list",
// "mental.alert.acknowledge"), refusals too; a write and its audit rows share one transaction,
// and the tables' triggers add the change events. Audit details never name a diagnosis. Lists
// mask names and ID numbers. Inputs are typed (the transport reads JSON, http/mental_routes.cc).
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "mental/alert_events.h"
#include "mental/rules.h"
#include "mental/store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::mental {

struct PatientInput {
  std::string person_id;
  Diagnosis diagnosis = Diagnosis::kSchizophrenia;
  Date diagnosed_on{};
  Consent consent = Consent::kNotYet;
  std::optional<Date> consent_on;     // required with signed or refused
  std::string managing_unit;          // default the caller's unit
  std::optional<Date> registered_on;  // default today
};

// Only what is given changes.
struct PatientChange {
  std::optional<Diagnosis> diagnosis;
  std::optional<Date> diagnosed_on;
  std::optional<Consent> consent;
  std::optional<Date> consent_on;
  std::optional<PatientStatus> status;
  std::optional<std::string> managing_unit;
};

struct EmergencyInput {
  Date occurred_on{};
  std::string situation, measures, outcome;
};

// A patient as a list shows it: masked name and ID number.
struct PatientSummary {
  Patient patient;
  std::string masked_name, masked_id_number, residence_org;
  bool overdue = false;
  int follow_ups_this_year = 0, required_this_year = 0;
};

struct PatientDetail {
  Patient patient;
  std::string name, masked_id_number, address, residence_org;
  std::vector<FollowUp> follow_ups;    // oldest first
  std::vector<Emergency> emergencies;  // oldest first
  std::vector<Alert> alerts;           // newest first
  bool overdue = false;
  int follow_ups_this_year = 0, required_this_year = 0;
  Date as_of{};
};

struct FollowUpOutcome {
  FollowUp follow_up;
  std::optional<Alert> alert;  // raised by this follow-up
  int alert_notices = 0;       // the notices the alert listener queued for it (partner users)
  PatientDetail patient;
};

// The indicators of the caller's jurisdiction on a day (docs/mental.md): counted on read through
// the rules the live statistics view counts with (mental/rules.h StandingOn, the migrants of
// registry/eligibility.h), so that they equal the view's SMD_* and KEY_EHR_SMD figures of the
// caller's unit for any period ending today.
struct MentalSummary {
  PatientCounts counts;
  // The prevalence base of the registered management rate: the migrants living in the
  // jurisdiction × 4.5‰ (ExpectedPatients; the 工作规范 applies it to the resident population, and
  // the registry holds migrants only [unc]).
  double expected_patients = 0;
  std::optional<double> registered_rate, standardised_rate, adherence_rate, stable_rate,
      electronic_file_rate;
  Date as_of{};
};

class MentalService {
 public:
  MentalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                const registry::RegistryService& registry);

  // Told of every alert raised or acknowledged, inside that transaction (mental/alert_events.h);
  // set once, before the service is used.
  void SetAlertListener(AlertListener listener) { alert_listener_ = std::move(listener); }

  // Field errors: person (not_found in scope), diagnosed_on, consent_on, managing_unit,
  // registered_on; person already registered: kAlreadyExists-like field error person/registered.
  Result<PatientDetail> Register(const auth::Principal& who, const PatientInput& in);
  Result<std::vector<PatientSummary>> List(const auth::Principal& who, const PatientQuery& q);
  Result<PatientDetail> Get(const auth::Principal& who, const std::string& id);
  Result<PatientDetail> Update(const auth::Principal& who, const std::string& id,
                               const PatientChange& change, int expected_version);
  Result<FollowUpOutcome> RecordFollowUp(const auth::Principal& who, const std::string& id,
                                         const FollowUpFacts& in);
  Result<PatientDetail> RecordEmergency(const auth::Principal& who, const std::string& id,
                                        const EmergencyInput& in);
  // REQUIRES kPartnerAlert. The alerts of the caller's area only.
  Result<std::vector<AlertRow>> Alerts(const auth::Principal& who, bool open_only, int limit);
  Result<AlertRow> Acknowledge(const auth::Principal& who, const std::string& alert_id);
  // Counts and rates of the caller's jurisdiction; no person leaves, not audited.
  Result<MentalSummary> Summary(const auth::Principal& who);

 private:
  Result<PatientDetail> Detail(soci::session& s, PatientRow row, Date today) const;
  // kMentalHealth (refusal audited), then `change(session, scope, row)` in one write transaction
  // on the patient `id` read in the caller's scope; outside it: not found, audited as denied.
  template <class T, class F>
  Result<T> ChangePatient(const auth::Principal& who, const std::string& id,
                          const std::string& action, F change);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  AlertListener alert_listener_;
};

}  // namespace jd::mental
