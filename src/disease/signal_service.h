// File: disease/signal_service.h
// Early-warning signals and the response to them (issue: infectious diseases §4–5): raising
// signals from the case cards (disease/signal_rules.h) as each card is saved and by the daily run,
// routing them to the CDC of their district, verifying them within the limit, and opening,
// investigating and closing events (cluster / outbreak) with each step timed. Inputs and outputs
// are typed structs; the transport reads and writes JSON (http/signal_routes.cc).
//
// Raising. OnCardSaved(card) is the card service's listener (disease/card_events.h): after each
// committed save of an active card it raises the fixed-threshold signal of a fixed-threshold
// disease and the work-site cluster signal of the card's site, as the system (raised_by
// "system:early-warning"), each in one transaction with its audit row. It never throws and never
// fails the save: an error is logged and the daily run catches up. RunDaily(who, as_of) raises, for
// the as-of day, the moving-percentile and EARS C1–C3 signals of every disease × district with
// cards, and catches up the on-save rules over the cards of the 7 days up to it. A signal is raised
// once (migration 0021's unique key): both paths may meet the same card.
//
// Access, decided by auth (auth/access.h): reads need kDiseaseRead, the response kSignalRespond;
// RunDaily kSignalRespond. A signal or event is seen when the caller's scope (auth::ScopeOf) covers
// its district: a district CDC sees its district, the city CDC all; outside it an id is "not
// found", audited as denied. HIV/AIDS and TB signals and events are seen only with kHivTbCare
// (others never learn they exist: lists leave them out, an id is "not found"). A signal lists its
// cards by id and masked name only (registry MaskName). Every read and write is audited
// ("signal.list", "signal.read", "signal.verify", "signal.raise", "event.open", "event.read",
// "event.list", "event.update", "event.close", "signal.run"), refusals too; a write and its audit
// row share one transaction. Summary (the home worklist card) counts only and is not audited.
// A change of an event names the version it was made on (stale: kFailedPrecondition).
//
// Errors: NotFound (unknown or outside the scope), PermissionDenied, Invalid with field errors
// ("outcome", "note", "signal_ids", "kind", "investigation", "measures", "closure_note"),
// FailedPrecondition (stale version; a signal already verified: field "status"; an event closed).
// Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "disease/card_events.h"
#include "disease/signal_rules.h"
#include "disease/signal_store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::disease {

// A card as a signal shows it.
struct SignalCard {
  std::string id, masked_name, onset_date, status;
};

struct SignalView {
  Signal signal;
  std::vector<SignalCard> cards;  // Get only; lists leave it empty
  bool overdue = false;           // open past verify_due_at
};

struct EventView {
  DiseaseEvent event;
  std::vector<std::string> signal_ids;
  EventSteps steps;
};

enum class VerifyOutcome { kExcluded, kVerified, kEvent };
std::optional<VerifyOutcome> ParseVerifyOutcome(std::string_view code);

struct VerifyInput {
  VerifyOutcome outcome = VerifyOutcome::kExcluded;
  std::string note;
  EventKind event_kind = EventKind::kCluster;  // for kEvent
};

struct OpenEventInput {
  std::vector<std::string> signal_ids;  // open or verified signals of one disease and district
  EventKind kind = EventKind::kCluster;
  std::string note;
};

struct EventChange {
  std::optional<std::string> investigation, measures;
  std::optional<EventKind> kind;
};

struct SignalSummary {
  int open = 0, overdue = 0, events_open = 0;
  // Events opened this year in scope: handled to standard ÷ events (DIS_EPIDEMIC_HANDLED).
  int events = 0, events_handled = 0;
};

struct DailyRunReport {
  Date as_of{};
  int series = 0;   // district × disease series evaluated
  int raised = 0;   // new signals
  int already = 0;  // found again (raised before)
};

class SignalService {
 public:
  SignalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                const registry::RegistryService& registry, SignalPolicy policy = {});

  const SignalPolicy& policy() const { return policy_; }

  // The on-save rules for one saved card; see above. Never throws.
  void OnCardSaved(const CardSaved& card);
  // OnCardSaved bound to this service, for the card service.
  CardListener Listener();

  // REQUIRES: kSignalRespond.
  Result<DailyRunReport> RunDaily(const auth::Principal& who, Date as_of);

  // REQUIRES: kDiseaseRead.
  Result<std::vector<SignalView>> List(const auth::Principal& who, SignalQuery q);
  Result<SignalView> Get(const auth::Principal& who, const std::string& id);
  Result<SignalSummary> Summary(const auth::Principal& who);
  Result<std::vector<EventView>> ListEvents(const auth::Principal& who, EventQuery q);
  Result<EventView> GetEvent(const auth::Principal& who, const std::string& id);

  // REQUIRES: kSignalRespond. An open signal only (else FailedPrecondition on "status").
  // kEvent opens an event on it; the answer is the signal after the change.
  Result<SignalView> Verify(const auth::Principal& who, const std::string& id,
                            const VerifyInput& in);
  Result<EventView> OpenEvent(const auth::Principal& who, const OpenEventInput& in);
  Result<EventView> UpdateEvent(const auth::Principal& who, const std::string& id,
                                const EventChange& change, int expected_version);
  Result<EventView> CloseEvent(const auth::Principal& who, const std::string& id,
                               const std::string& closure_note, int expected_version);

 private:
  // Raises `draft` (its district found in the org tree) in its own transaction; true when new.
  // A work-site cluster already signalled in the draft's window is not raised again: the cases
  // that joined it are added to that signal (GrowCluster), so the CDC sees the count grow.
  Result<bool> Raise(const auth::Principal& who, const SignalDraft& draft);
  // Adds the draft's cards not yet in `earlier` to it, audited as "signal.grow".
  // REQUIRES: inside the write transaction of Raise.
  Status GrowCluster(soci::session& s, const auth::Principal& who, const Signal& earlier,
                     const SignalDraft& draft);
  // The on-save rules for one card, as `who`.
  Status RunCardRules(const auth::Principal& who, const CardFact& card, Date report_day,
                      int& raised);
  std::vector<std::string> HiddenFor(const auth::Principal& who) const;
  bool Hidden(const auth::Principal& who, const std::string& disease_code) const;
  EventView ViewOf(soci::session& s, DiseaseEvent e) const;
  Result<EventView> ChangeEvent(const auth::Principal& who, const std::string& id,
                                int expected_version, const char* action,
                                const std::function<Status(DiseaseEvent&)>& apply);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  SignalPolicy policy_;
};

}  // namespace jd::disease
