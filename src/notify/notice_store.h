// File: notify/notice_store.h
// SQL of the reminder outbox (migration 0004_notify.sql) and the reads of the immunisation tables
// (0002_immunization.sql) the planner needs. Every function runs inside the caller's transaction
// (db.Write or db.Read) and binds parameters only. Every read or update of a child's rows takes
// an auth::Scope and filters by the child's residence (an index range of persons.residence_path,
// auth::Scope::Range, joined where a table holds only person_id): the default scope reads and
// changes nothing, and a read by id never hands out a row outside the scope (it says only that the
// row exists elsewhere, for the audit). The notices addressed to staff users (recipient_user: the
// danger alerts of notify/alert_notices.h) are about a patient whose condition the clinics may not
// know: Get, List and the cancellations by person or id never touch them; they are claimed and
// sent like the others, take receipts, and are cancelled only with their alert. Inserts (Enqueue,
// SetOptOut) are made by services after a scoped read of the same child; the claim-token updates
// (MarkSent, MarkRetry, MarkFailed) touch only rows the scoped ClaimDue handed to that token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "notify/model.h"
#include "storage/database.h"

namespace jd::notify {

// Jurisdiction is not part of the filter: List takes the scope apart, so that no caller can
// forget it.
struct NoticeFilter {
  std::string person_id;
  std::string clinic_code;
  std::optional<NoticeStatus> status;
  std::optional<Channel> channel;
  std::string date_from, date_to;  // appointment_date, inclusive, YYYY-MM-DD
  int limit = 50;
  int offset = 0;
  std::string template_code;  // the kind of reminder (notify/model.h ReminderTemplate)
};

// A notice with the child's name, for lists, the call list and slips.
struct NoticeRow {
  Notice notice;
  std::string child_name;
  std::string residence_path;
};

// A booked appointment with what a reminder needs (joined from 0002's tables and persons).
struct AppointmentInfo {
  std::string id;
  std::string person_id;
  std::string child_name;
  std::string residence_path;
  std::string clinic_code;
  std::string date;           // YYYY-MM-DD
  std::string vaccines_json;  // JSON array of vaccine codes
  std::string status;         // booked, attended, missed, rescheduled, cancelled
  std::string guardian_name;
  std::string guardian_phone;  // the linked guardian's, else the certificate's, else the child's
};

// Whom a child's reminders reach.
struct Guardian {
  std::string name;   // empty when not registered
  std::string phone;  // empty when none is known
};

class NoticeStore {
 public:
  // INSERT … ON CONFLICT (idempotency_key): the row's id when it is new, or was cancelled (an
  // opt-out since taken back) and is queued again under its old id; nullopt when a notice is
  // queued, sent, delivered or failed under the key (it stays as it is).
  static std::optional<std::string> Enqueue(soci::session& s, const Notice& n);
  static auth::ScopedRow<NoticeRow> Get(soci::session& s, const auth::Scope& scope,
                                        const std::string& id);
  // By idempotency key or gateway message id (receipts name either).
  static auth::ScopedRow<NoticeRow> FindForReceipt(soci::session& s, const auth::Scope& scope,
                                                   const std::string& key_or_id);
  // The notices of children within `scope` that match `f`.
  static std::vector<NoticeRow> List(soci::session& s, const auth::Scope& scope,
                                     const NoticeFilter& f);

  // Claims up to `limit` due queued notices of the gateway channels (sms, web) of children within
  // `scope`: sets claim_token, claimed_until and attempts + 1, and returns them as claimed. Run in
  // a write transaction, so two drainers never claim the same row.
  static std::vector<Notice> ClaimDue(soci::session& s, const auth::Scope& scope,
                                      const std::string& now, const std::string& claimed_until,
                                      const std::string& token, int limit);
  // The outcome of a claimed send; false when the claim was lost (another drainer took the row
  // after claimed_until, or it was cancelled meanwhile).
  static bool MarkSent(soci::session& s, const std::string& id, const std::string& token,
                       const std::string& message_id, const std::string& now);
  static bool MarkRetry(soci::session& s, const std::string& id, const std::string& token,
                        const std::string& next_attempt_at, const std::string& error,
                        const std::string& now);
  static bool MarkFailed(soci::session& s, const std::string& id, const std::string& token,
                         const std::string& error, const std::string& now);
  // A receipt or a staff outcome: sets `status` (sent, delivered, failed) from `from` states;
  // false (nothing changed) also when the child lies outside `scope`.
  static bool SetOutcome(soci::session& s, const auth::Scope& scope, const std::string& id,
                         NoticeStatus status, const std::string& error, const std::string& now);
  // Cancels queued notices of a person within `scope` on a channel; returns how many.
  static int CancelQueued(soci::session& s, const auth::Scope& scope, const std::string& person_id,
                          Channel channel, const std::string& reason, const std::string& now);
  // Cancels queued notices of `clinic_code` from `date_from` to `date_to` (children within
  // `scope`) whose appointment is no longer booked there on that day; returns the cancelled
  // notices' (id, person id).
  static std::vector<std::pair<std::string, std::string>> CancelStale(
      soci::session& s, const auth::Scope& scope, const std::string& clinic_code,
      const std::string& date_from, const std::string& date_to, const std::string& now);

  // Cancels one queued notice of a child within `scope`; false when it is not queued (or outside).
  static bool CancelOne(soci::session& s, const auth::Scope& scope, const std::string& id,
                        const std::string& reason, const std::string& now);

  // Cancels the queued notices of a danger alert (keys AlertKeyPrefix(alert_id)), to every
  // recipient, when the alert's area lies within `alert_scope` (auth::AlertScopeOf: nothing for
  // the default scope); returns them as cancelled. Called by the alert's own delivery
  // (alert_notices.h), inside the transaction that acknowledges the alert.
  static std::vector<Notice> CancelQueuedOfAlert(soci::session& s, const auth::Scope& alert_scope,
                                                 const std::string& alert_id,
                                                 const std::string& reason, const std::string& now);

  // The guardian a child's reminders go to, as for appointments: the certificate's linked
  // guardian's name and current phone (read through the link), else the name and phone written on
  // the certificate, else the child's own phone; nullopt when the child lives outside `scope`.
  static std::optional<Guardian> GuardianOf(soci::session& s, const auth::Scope& scope,
                                            const std::string& person_id);

  // Opt-outs. SetOptOut is called after a scoped read of the person.
  static void SetOptOut(soci::session& s, const OptOut& o);
  static bool RemoveOptOut(soci::session& s, const auth::Scope& scope, const std::string& person_id,
                           Channel channel);
  static std::vector<OptOut> OptOuts(soci::session& s, const auth::Scope& scope,
                                     const std::string& person_id);

  // Clinic contacts.
  static void PutClinicContact(soci::session& s, const ClinicContact& c);
  static std::optional<ClinicContact> GetClinicContact(soci::session& s,
                                                       const std::string& org_code);

  // Booked (and other) appointments of a clinic from `date_from` to `date_to`, children within
  // `scope`.
  static std::vector<AppointmentInfo> Appointments(soci::session& s, const auth::Scope& scope,
                                                   const std::string& clinic_code,
                                                   const std::string& date_from,
                                                   const std::string& date_to);

  // The settings table (0001): notify.gateway, notify.receipt_secret.
  static std::optional<std::string> GetSetting(soci::session& s, const std::string& key);
  static void PutSetting(soci::session& s, const std::string& key, const std::string& value);
};

}  // namespace jd::notify
