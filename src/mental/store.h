// File: mental/store.h
// The SQL of severe-mental-disorder management (migration 0022): patients, follow-ups, emergency
// handling records and partner alerts. Bound parameters only; every function runs on the session
// it is given, inside the caller's transaction, and the migration's triggers leave a change event
// (entity "mental" / "mental_alert", the person) on every insert and update.
//
// Scope: every read of a patient takes an auth::Scope and filters by the person's current
// residence (persons.residence_path), as the maternal stores do: the default scope reads nothing,
// and a read by id never hands out a patient outside the scope (ScopedRow::Outside). Follow-ups
// and emergencies are read only through a patient read in scope (REQUIRES below). Alerts are read
// with the alert scope (auth::AlertScopeOf) by the area they were raised for, and hand out the
// minimal fields only (AlertRow: no diagnosis, no follow-up). Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "mental/rules.h"
#include "registry/eligibility.h"
#include "storage/database.h"

namespace jd::mental {

struct Patient {
  std::string id;
  std::string person_id;
  Diagnosis diagnosis = Diagnosis::kSchizophrenia;
  Date diagnosed_on{};
  Consent consent = Consent::kNotYet;
  std::optional<Date> consent_on;
  std::string managing_unit;  // org code of the centre that follows the patient up
  Date registered_on{};
  PatientStatus status = PatientStatus::kActive;
  std::optional<PatientClass> cls;  // the latest follow-up's; none before the first
  Date next_due{};
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

// A patient with who it is (lists mask these before they leave the service).
struct PatientRow {
  Patient patient;
  std::string name, id_number, address, residence_org;
  int follow_ups_this_year = 0;  // filled by List for the year asked
  bool has_electronic_record = false;
};

struct FollowUp {
  std::string id;
  std::string patient_id;
  FollowUpFacts facts;
  PatientClass cls = PatientClass::kStable;
  Date next_due{};
  std::string recorded_at, recorded_by;
};

struct Emergency {
  std::string id;
  std::string patient_id;
  Date occurred_on{};
  std::string situation, measures, outcome;
  std::string recorded_at, recorded_by;
};

struct Alert {
  std::string id;
  std::string patient_id;
  std::string follow_up_id;
  std::string area_path;
  int danger_level = kAlertLevel;
  std::string raised_at;
  std::string acknowledged_at, acknowledged_by;  // empty until acknowledged
};

// What a partner reads of an alert: who, where, how dangerous, when — never the diagnosis.
struct AlertRow {
  Alert alert;
  std::string name, address, residence_org;
  std::string person_id;  // the patient's person, for the alert's notices; never shown to partners
};

struct PatientQuery {
  bool overdue_only = false;
  Date today{};  // for overdue_only and the year's follow-up count
  int limit = 200;
};

// The indicators' counts within a scope on a day (mental/service.h Summary): over the patients
// whose person lives within the scope and is a migrant that day (registry/eligibility.h), each
// counted by StandingOn (mental/rules.h) as the live statistics view counts them.
struct PatientCounts {
  int registered = 0;       // managed on the day (在册)
  int overdue = 0;          // active registrations with next_due before today (the worklist's)
  int standardised = 0;     // the year's follow-ups so far reach RequiredFollowUps
  int followed_up = 0;      // with a follow-up this year
  int adherent = 0;         // latest follow-up this year with regular medication
  int stable = 0;           // latest follow-up this year classed stable
  int electronic_file = 0;  // with an electronic health record (居民电子健康档案)
  int residents = 0;        // migrants living within the scope on the day
  void Add(const PatientStanding& p) {
    registered += p.managed;
    standardised += p.standard;
    followed_up += p.followed_up;
    adherent += p.regular;
    stable += p.stable;
    electronic_file += p.electronic;
  }
};

class MentalStore {
 public:
  // False when the person is already registered (nothing written).
  static bool InsertPatient(soci::session& s, const Patient& p);
  // Optimistic update of the changeable columns: false when the stored version is not
  // `expected_version` or the person lives outside `scope`.
  static bool UpdatePatient(soci::session& s, const auth::Scope& scope, const Patient& p,
                            int expected_version);
  static auth::ScopedRow<PatientRow> Get(soci::session& s, const auth::Scope& scope,
                                         const std::string& id);
  // Active patients living within `scope`, the most overdue first (by next_due, then id).
  static std::vector<PatientRow> List(soci::session& s, const auth::Scope& scope,
                                      const PatientQuery& q);
  static PatientCounts Counts(soci::session& s, const auth::Scope& scope, Date today,
                              const registry::EligibilityPolicy& policy);

  // REQUIRES (follow-ups, emergencies): the patient was read in the caller's scope.
  static void InsertFollowUp(soci::session& s, const FollowUp& f);
  // Oldest first.
  static std::vector<FollowUp> FollowUps(soci::session& s, const std::string& patient_id);
  static void InsertEmergency(soci::session& s, const Emergency& e);
  static std::vector<Emergency> Emergencies(soci::session& s, const std::string& patient_id);
  // The alerts of one patient (REQUIRES as above), newest first.
  static std::vector<Alert> AlertsOfPatient(soci::session& s, const std::string& patient_id);

  static void InsertAlert(soci::session& s, const Alert& a);
  // Alerts whose area lies within `alert_scope`, unacknowledged first, newest first.
  static std::vector<AlertRow> Alerts(soci::session& s, const auth::Scope& alert_scope,
                                      bool open_only, int limit);
  static auth::ScopedRow<AlertRow> GetAlert(soci::session& s, const auth::Scope& alert_scope,
                                            const std::string& id);
  // Sets the acknowledgement once: false when already acknowledged.
  static bool Acknowledge(soci::session& s, const std::string& id, const std::string& at,
                          const std::string& by);
};

}  // namespace jd::mental
