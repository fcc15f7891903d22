// File: immunization/service.h
// Use cases of child immunisation, shared by the HTTP API and the command line: the vaccination
// certificate (接种证) of an entitled child, dose records with corrections that keep every
// version, the forecast of a child from the stored doses, the due list of a clinic, and
// appointments within a clinic's daily capacity. Each use case validates its whole input (every
// problem as a field error), authorises with auth::Require and reads and writes only within
// auth::ScopeOf(caller) (auth/scope.h), and writes in one transaction together with its audit
// row. A child, dose record or appointment outside the caller's jurisdiction is "not found", and
// the attempt is audited as denied (auth::RefuseOutsideScope). A clinic is an org unit; a user
// acts for the clinics inside their own unit. Thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/access.h"
#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "immunization/forecast.h"
#include "immunization/store.h"
#include "registry/model.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::immunization {

// Places per session day of a clinic that has not set its own (PUT /clinics/{code}/sessions/…).
inline constexpr int kDefaultSessionCapacity = 100;
// The longest date range of a list (due list, appointments, sessions).
inline constexpr int kMaxRangeDays = 366;

// A child's immunisation page: the child, the certificate, every record and the forecast from the
// active ones.
struct ImmunizationView {
  registry::Person person;
  std::optional<VaccinationFile> file;
  std::vector<VaccinationRecord> records;
  Forecast forecast;
  Date as_of{};
};

// A changed dose record and the child's page after the change (forecast as of today).
struct RecordChange {
  VaccinationRecord record;
  ImmunizationView view;
};

// The due list's query as given (text, as in a URL or on the command line); the service checks
// it. `limit` 0: every item.
struct DueRequest {
  std::string clinic;
  std::string from;
  std::string to;
  std::string status;  // "due,overdue,needs_test" or a part of it; empty: all three
  int limit = 0;
  int offset = 0;
  // Only the total (the home page's count): no child leaves, so no audit row is written.
  bool count_only = false;
};

struct DueDose {
  VaccineId vaccine = 0;
  int dose = 0;
  DoseStatus status = DoseStatus::kDue;
  std::optional<Date> earliest;
  std::optional<Date> timely_by;
};

struct DueItem {
  DueCandidate child;
  int age_months = 0;
  std::vector<DueDose> doses;
  Date earliest{};
  std::optional<Appointment> next_appointment;
};

struct DuePage {
  registry::OrgUnit clinic;
  Date from{}, to{};
  std::vector<DueItem> items;
  int total = 0;
};

struct AppointmentChange {
  Appointment appointment;              // the changed (or new) appointment
  std::optional<Appointment> previous;  // a reschedule: the old one, now "rescheduled"
};

struct SessionList {
  registry::OrgUnit clinic;
  std::vector<SessionDay> days;
};

class ImmunizationService {
 public:
  ImmunizationService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                      const registry::RegistryService& registry,
                      const Schedule& schedule = Schedule::Default());

  // The child's page as of `as_of` ("YYYY-MM-DD"; empty: today). REQUIRES: kPersonRead.
  Result<ImmunizationView> Get(const auth::Principal& who, const std::string& person_id,
                               const std::string& as_of);

  // ---- 接种证 ---- REQUIRES: kVaccinationWrite.
  // Issues the certificate to an entitled child (试点工作方案 §四(三)); a child who is not entitled
  // gets one field error per failed rule ("eligibility.<rule>", "not_entitled").
  Result<VaccinationFile> IssueFile(const auth::Principal& who, const std::string& person_id,
                                    const nlohmann::json& body);
  // Partial update; `expected_version` (0: not checked) guards against lost updates.
  Result<VaccinationFile> UpdateFile(const auth::Principal& who, const std::string& person_id,
                                     const nlohmann::json& patch, int expected_version);

  // The children within the caller's jurisdiction whose certificate links `guardian_id` as their
  // guardian, youngest last (the guardian's record lists them). The guardian must be within the
  // jurisdiction too (else not found, audited); one audit row for the guardian and one per child.
  // REQUIRES: kPersonRead.
  Result<std::vector<Ward>> WardsOf(const auth::Principal& who, const std::string& guardian_id);

  // ---- Doses ---- REQUIRES: kVaccinationWrite.
  Result<RecordChange> RecordDose(const auth::Principal& who, const std::string& person_id,
                                  const nlohmann::json& body);
  // Many doses of one child at once, as a record received from elsewhere brings them (the
  // federation's bundles): each checked as RecordDose checks it, all written in one transaction
  // with one audit row each, without the child's page. A dose the child already has that day is
  // counted, not written; an invalid one is counted and skipped. REQUIRES: kVaccinationWrite.
  struct DoseBatch {
    int added = 0;
    int already = 0;
    int invalid = 0;
  };
  Result<DoseBatch> RecordDoses(const auth::Principal& who, const std::string& person_id,
                                const std::vector<nlohmann::json>& bodies);
  // A correction names its "reason"; the record keeps every version.
  Result<RecordChange> CorrectDose(const auth::Principal& who, const std::string& record_id,
                                   const nlohmann::json& patch, int expected_version);
  Result<RecordChange> VoidDose(const auth::Principal& who, const std::string& record_id,
                                const nlohmann::json& body);
  // One dose record, voided ones too (audited as a read of its person; outside the caller's
  // jurisdiction: not found, audited as denied). REQUIRES: kPersonRead.
  Result<VaccinationRecord> GetDose(const auth::Principal& who, const std::string& record_id);
  // Calls `sink` with each dose record (voided ones too) of the children in the caller's
  // jurisdiction, changed at or after `since` (a FormatTimestamp; empty: all), until it returns
  // false. The audit row (scope, since) is committed before the first record is handed over, and
  // a second one gives the count. REQUIRES kPersonRead and kPersonExportFull (a bulk copy leaves
  // the node whole).
  Status ExportDoses(const auth::Principal& who, const std::string& since,
                     const std::function<bool(const VaccinationRecord&)>& sink);
  // Every version of a record, oldest first. REQUIRES: kPersonRead.
  Result<std::vector<RecordVersion>> DoseHistory(const auth::Principal& who,
                                                 const std::string& record_id);

  // ---- Due list ---- REQUIRES: kPersonRead.
  // The children living under the clinic's unit, under 18 on `to`, with a certificate or under 7,
  // whose forecast as of `to` has a dose due, overdue or needing a skin test, by earliest date
  // then name. Audited once, with the count.
  Result<DuePage> DueList(const auth::Principal& who, const DueRequest& request);

  // ---- Appointments and sessions ----
  // {person_id, clinic, date, vaccines[]}: within the session's capacity. REQUIRES:
  // kVaccinationWrite.
  Result<AppointmentChange> Book(const auth::Principal& who, const nlohmann::json& body);
  // attend, miss or cancel a booked appointment. REQUIRES: kVaccinationWrite.
  Result<AppointmentChange> SetAppointmentStatus(const auth::Principal& who,
                                                 const std::string& appointment_id,
                                                 AppointmentStatus status);
  // {date, clinic?}: a new booked appointment; the old one becomes "rescheduled" pointing to it.
  Result<AppointmentChange> Reschedule(const auth::Principal& who,
                                       const std::string& appointment_id,
                                       const nlohmann::json& body);
  // A clinic's appointments of children in the caller's jurisdiction. REQUIRES: kPersonRead.
  // `count_only`: the caller passes on only their number, so the list is not audited.
  Result<std::vector<AppointmentRow>> ListAppointments(
      const auth::Principal& who, const std::string& clinic, const std::string& from,
      const std::string& to, const std::string& status, bool count_only = false);
  // {capacity}: the places of one session day. REQUIRES: kVaccinationWrite.
  Result<SessionDay> SetSession(const auth::Principal& who, const std::string& clinic,
                                const std::string& date, const nlohmann::json& body);
  // Days with a capacity set or with bookings. REQUIRES: kPersonRead.
  Result<SessionList> ListSessions(const auth::Principal& who, const std::string& clinic,
                                   const std::string& from, const std::string& to);

  const Schedule& schedule() const { return schedule_; }
  std::optional<registry::OrgUnit> FindOrg(const std::string& code) const {
    return registry_.FindOrg(code);
  }

 private:
  // The clinic named by `field`, known and in the caller's jurisdiction; a field error otherwise.
  std::optional<registry::OrgUnit> ClinicField(const auth::Principal& who, const std::string& code,
                                               const std::string& field, bool required,
                                               FieldErrors& errors) const;
  // The clinic of a path segment: not found unless known and in the caller's jurisdiction.
  Result<registry::OrgUnit> ClinicOfPath(const auth::Principal& who, const std::string& code) const;
  Forecast ForecastOf(const registry::Person& p, const std::vector<VaccinationRecord>& records,
                      Date as_of) const;
  // The child's page read within `scope` (which holds the child).
  ImmunizationView LoadView(soci::session& s, const auth::Scope& scope, registry::Person person,
                            Date as_of) const;
  void ValidateRecord(const auth::Principal& who, const registry::Person& person,
                      VaccinationRecord& r, FieldErrors& errors) const;
  // Loads the record and its child (scope, version and state checked), lets `change` edit it (it
  // is given the caller's scope), and writes the new version with its snapshot and audit row.
  using RecordEdit = std::function<Status(soci::session&, const auth::Scope&,
                                          const registry::Person&, VaccinationRecord&)>;
  Result<RecordChange> ChangeRecord(const auth::Principal& who, const std::string& record_id,
                                    const std::string& action, const RecordEdit& change,
                                    const std::string& change_kind, const std::string& reason,
                                    int expected_version);
  // Loads a booked appointment and its child (scope checked), lets `change` edit it (and fill
  // `out`), and writes it with its audit row.
  using AppointmentEdit =
      std::function<Status(soci::session&, const auth::Scope&, const registry::Person&,
                           Appointment&, AppointmentChange&)>;
  Result<AppointmentChange> ChangeAppointment(const auth::Principal& who,
                                              const std::string& appointment_id,
                                              const std::string& action,
                                              const AppointmentEdit& change);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  const Schedule& schedule_;
};

// ---- JSON ----
nlohmann::json FileToJson(const VaccinationFile& f,
                          const registry::RegistryService* orgs = nullptr);
nlohmann::json RecordToJson(const Schedule& schedule, const VaccinationRecord& r,
                            const registry::RegistryService* orgs = nullptr);
nlohmann::json AppointmentToJson(const Appointment& a,
                                 const registry::RegistryService* orgs = nullptr);
// The child as the immunisation pages show it: no full ID number or phone.
nlohmann::json ChildToJson(const registry::Person& p, Date as_of);
// {"person","file","records","forecast"}.
nlohmann::json ViewToJson(const Schedule& schedule, const ImmunizationView& v,
                          const registry::RegistryService* orgs = nullptr);
nlohmann::json DueItemToJson(const Schedule& schedule, const DueItem& item);
// A guardian's child: masked ID number, relationship and its label.
nlohmann::json WardToJson(const Ward& w, Date as_of);
// Completed months of age on `as_of` (calendar months, end-of-month clamped).
int AgeInMonths(Date birth, Date as_of);

}  // namespace jd::immunization
