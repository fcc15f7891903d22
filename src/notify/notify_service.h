// File: notify/notify_service.h
// Use cases of the reminder outbox, shared by the HTTP API and the command line: plan reminders
// for a clinic's booked appointments, list notices, opt-out and opt-in, staff outcomes (calls made,
// slips handed over), gateway receipts, slips and the call list, and draining through a gateway.
//
// Authorisation follows the immunisation records: reading needs PersonRead, changing
// VaccinationWrite (planning the reminders of antenatal contacts and child check-ups needs
// MaternalCare instead, the permission of those records' writes); a person is visible when their
// residence lies in the caller's jurisdiction (else "not found", audited as denied); a clinic can
// be planned for or have its contact set by callers whose org unit contains it (or who configure
// the system). Draining on demand needs ReminderSend (the area's administrators) and sends only the
// notices of children within the caller's jurisdiction (auth::ScopeOf; the command line's system
// principal: the whole city); a gateway receipt, authenticated by its signature, may name any
// notice of the city. Every read and write of a child's data is audited, writes in their own
// transaction; lists mask phones, the call list does not (it is for dialling, and its read is
// audited per child). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/scope.h"
#include "core/dates.h"
#include "immunization/forecast.h"
#include "notify/contact_reminders.h"
#include "notify/dispatcher.h"
#include "notify/gateway.h"
#include "notify/notice_store.h"
#include "notify/planner.h"
#include "notify/templates.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::notify {

// How `jundeng serve` drains on demand (settings key notify.gateway), set from the command line.
struct GatewayConfig {
  std::string kind;  // "webhook" or "file"
  std::string url;   // webhook
  std::string path;  // file
  int timeout_ms = 10000;
  RetryPolicy retry;
};
nlohmann::json GatewayConfigToJson(const GatewayConfig& c);
Result<GatewayConfig> GatewayConfigFromJson(const nlohmann::json& j);

// What planning did for one kind of reminder.
struct KindCounts {
  int planned = 0;  // booked appointments (immunization), contacts to remind of (the others)
  int enqueued = 0;
  int existing = 0;
  int cancelled = 0;
};

struct PlanReport {
  std::string clinic_code;
  std::string from, to;
  int appointments = 0;  // booked appointments of the children in scope
  int enqueued = 0;      // new notices (every kind)
  int existing = 0;      // notices that were already there (same appointment or contact, channel)
  int cancelled = 0;     // queued notices of appointments no longer booked, of contacts closed
  std::vector<Skipped> skipped;
  std::vector<ReminderKind> kinds;  // the kinds planned
  std::map<ReminderKind, KindCounts> by_kind;
};
nlohmann::json PlanReportToJson(const PlanReport& r);

struct PersonNotices {
  std::vector<NoticeRow> notices;
  std::vector<OptOut> opt_outs;
};

struct ClinicDay {
  ClinicInfo clinic;
  std::string date;
  std::vector<NoticeRow> rows;
};

// A notice for the API; `mask` hides the middle of the phone (lists). "kind" and "subject" say what
// it is about: the vaccines of an appointment, the contact of a schedule.
nlohmann::json NoticeToJson(const NoticeRow& row, bool mask);

nlohmann::json OptOutToJson(const OptOut& o);
nlohmann::json DrainReportToJson(const DrainReport& r);

class NotifyService {
 public:
  NotifyService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                const registry::RegistryService& registry,
                const TemplateSet& templates = TemplateSet::Default(),
                const immunization::Schedule& schedule = immunization::Schedule::Default());

  // ---- Clinic contacts ----
  // {"address","phone"}.
  Result<ClinicContact> PutClinicContact(const auth::Principal& who, const std::string& org_code,
                                         const nlohmann::json& body);
  Result<ClinicContact> GetClinicContact(const auth::Principal& who, const std::string& org_code);

  // ---- Planning ----
  // Enqueues the reminders of the booked appointments of `clinic_code` from `from` to `to`
  // (at most 31 days) for the children in the caller's jurisdiction, and cancels queued notices of
  // appointments there that are no longer booked. Planning again adds nothing.
  // REQUIRES: kVaccinationWrite.
  Result<PlanReport> PlanReminders(const auth::Principal& who, const std::string& clinic_code,
                                   const Date& from, const Date& to);
  // The same for each of `kinds` (notify/contact_reminders.h for the schedule contacts):
  //   immunization   as above; REQUIRES kVaccinationWrite;
  //   antenatal      the contacts of the open pregnancies kept by the centre `clinic_code`, women
  //                  in the caller's jurisdiction, to the woman's own phone; REQUIRES
  //                  kMaternalCare;
  //   child_checkup  the check-up contacts of the children under 7 living in the centre's area
  //                  and the caller's jurisdiction, to the guardian; REQUIRES kMaternalCare (the
  //                  permission of the child's pages).
  // Contacts are taken as of `from` (today when `from` is past); queued notices of the centre's
  // contacts done, missed or no longer applicable are cancelled. Naming a kind the caller may not
  // plan is kPermissionDenied; an empty `kinds` plans every kind the caller may (none:
  // kPermissionDenied).
  Result<PlanReport> PlanReminders(const auth::Principal& who, const std::string& clinic_code,
                                   const Date& from, const Date& to,
                                   const std::vector<ReminderKind>& kinds);

  // ---- Reading ----
  // Notices of the children in the caller's jurisdiction (auth::ScopeOf(who)) matching `f`.
  Result<std::vector<NoticeRow>> ListNotices(const auth::Principal& who, NoticeFilter f);
  Result<PersonNotices> NoticesOfPerson(const auth::Principal& who, const std::string& person_id);
  // The slip notices (not cancelled or failed) of a clinic's day, for printing.
  Result<ClinicDay> Slips(const auth::Principal& who, const std::string& clinic_code,
                          const Date& date);
  // The phone notices of a clinic's day, with full phone numbers.
  Result<ClinicDay> CallList(const auth::Principal& who, const std::string& clinic_code,
                             const Date& date);

  // ---- Changes ----
  // {"channels":["sms",…],"reason"}: no more notices on those channels; queued ones are cancelled.
  Result<std::vector<OptOut>> OptOutOf(const auth::Principal& who, const std::string& person_id,
                                       const nlohmann::json& body);
  // {"channels":[…]}: reminders again on those channels.
  Result<std::vector<OptOut>> OptIn(const auth::Principal& who, const std::string& person_id,
                                    const nlohmann::json& body);
  // Staff record what became of a notice: {"status":"sent"|"delivered"|"failed","note"}.
  Result<NoticeRow> RecordOutcome(const auth::Principal& who, const std::string& notice_id,
                                  const nlohmann::json& body);
  // A gateway's delivery receipt (already authenticated by its signature):
  // {"idempotency_key" or "message_id", "status":"delivered"|"failed", "error"}.
  Result<NoticeRow> RecordReceipt(const auth::Principal& gateway, const nlohmann::json& body);

  // ---- Sending ----
  Result<DrainReport> Drain(const auth::Principal& who, Gateway& gateway, DrainOptions options);
  // Drains through the gateway configured in the settings (FailedPrecondition when none).
  Result<DrainReport> DrainConfigured(const auth::Principal& who);

  // ---- Settings ----
  Result<std::optional<GatewayConfig>> LoadGatewayConfig();
  Status SaveGatewayConfig(const auth::Principal& who, const GatewayConfig& config);
  // The shared secret of signatures ("" when none is set yet).
  Result<std::string> ReceiptSecret();
  // A new secret (replacing any), returned once.
  Result<std::string> RotateReceiptSecret(const auth::Principal& who);
  static Result<std::unique_ptr<Gateway>> MakeGateway(const GatewayConfig& config,
                                                      const std::string& secret);

  // The principal receipts are recorded under.
  static auth::Principal GatewayPrincipal(const std::string& client, const std::string& request_id);

 private:
  // The clinic as an org unit the caller may work for (its path inside the caller's).
  Result<registry::OrgUnit> ClinicFor(const auth::Principal& who, const std::string& code,
                                      bool write) const;
  // The steps of PlanReminders, inside its transaction.
  Status PlanAppointments(soci::session& s, const auth::Principal& who, const auth::Scope& scope,
                          const ClinicInfo& clinic, const std::string& from, const std::string& to,
                          const std::string& now, PlanReport& report);
  Status PlanAntenatal(soci::session& s, const auth::Principal& who, const auth::Scope& scope,
                       const ClinicInfo& clinic, const Date& as_of, const Date& to,
                       const std::string& now, PlanReport& report);
  Status PlanCheckups(soci::session& s, const auth::Principal& who, const auth::Scope& scope,
                      const registry::OrgUnit& org, const ClinicInfo& clinic, const Date& as_of,
                      const Date& to, const std::string& now, PlanReport& report);
  // Enqueues a plan's notices and counts them (audited per new notice).
  Status EnqueuePlan(soci::session& s, const auth::Principal& who, Plan& plan, ReminderKind kind,
                     PlanReport& report);
  // Cancels a queued notice of a closed contact (audited).
  Status CancelNotice(soci::session& s, const auth::Principal& who, const auth::Scope& scope,
                      const NoticeRow& row, const std::string& reason, ReminderKind kind,
                      const std::string& now, PlanReport& report);
  Result<ClinicDay> ClinicDayOf(const auth::Principal& who, const std::string& clinic_code,
                                const Date& date, Channel channel, const std::string& action);
  Result<std::set<Channel>> ChannelsOf(const nlohmann::json& body) const;
  // Loads a person for a change or read within `scope`: not found when missing, and when outside
  // also audited as denied.
  Status CheckPerson(const auth::Principal& who, const auth::Scope& scope,
                     const std::string& person_id, const std::string& action);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  const TemplateSet& templates_;
  const immunization::Schedule& schedule_;
  Dispatcher dispatcher_;
};

}  // namespace jd::notify
