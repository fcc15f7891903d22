// File: disease/signal_store.h
// The SQL of early-warning signals and events (migration 0021) and the reads of the case cards
// (migration 0020) the rules need. Bound parameters only; every function runs on the session it is
// given, inside the caller's transaction; the migration's triggers leave a change event on every
// insert and update of a signal or an event.
//
// A signal and an event belong to a district: every read of them takes an auth::Scope and keeps
// only those whose district path it covers (a district CDC reads its district, the city CDC all);
// the default scope reads nothing, and a read by id never hands out a row outside the scope
// (ScopedRow::Outside). The card reads (CardFacts…, DailyCounts) take no scope: they are for the
// rules, which run as the system and hand out only card ids; CardBriefs hands out names and is
// called only for cards of a signal already read in scope. Stateless; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/scope.h"
#include "disease/signal_rules.h"
#include "storage/database.h"

namespace jd::disease {

struct Signal {
  std::string id;
  SignalKind kind = SignalKind::kFixedThreshold;
  std::string disease_code, district_code, district_path;
  std::string period_key;
  Date period_start{}, period_end{};
  std::int64_t observed = 0;
  std::optional<double> threshold;
  std::vector<std::string> card_ids;
  std::string work_site_key, work_site_kind;
  std::string raised_at, raised_by;  // UTC timestamp; user id or "cli:…"/"system"
  SignalStatus status = SignalStatus::kOpen;
  std::string verify_due_at;
  std::string verified_at, verified_by;  // empty until verified
  std::string note;
  std::string event_id;  // empty unless an event was opened on it
  int version = 1;
};

struct DiseaseEvent {
  std::string id;
  std::string signal_id;  // the signal it was opened on; others may join (their event_id)
  EventKind kind = EventKind::kCluster;
  std::string disease_code, district_code, district_path;
  std::string opened_at, opened_by;
  std::string investigation, investigated_at;  // investigated_at empty until recorded
  std::string measures, measures_at;
  std::string closed_at, closed_by, closure_note;
  std::optional<bool> handled_to_standard;  // set on closing
  int version = 1;
};

struct SignalQuery {
  std::optional<SignalStatus> status;
  std::string district_code;  // empty: all in scope
  std::string disease_code;
  std::vector<std::string> hidden_diseases;  // never listed (HIV/TB without hiv_tb_care)
  int limit = 200;
};

struct EventQuery {
  bool open_only = false;
  std::vector<std::string> hidden_diseases;
  int limit = 200;
};

// A card as a signal lists it: the id and the patient's name (the service masks it).
struct CardBrief {
  std::string id, patient_name, onset_date, reported_at, status;
};

struct SignalCounts {
  int open = 0, overdue = 0;
};

struct EventTally {
  int events = 0, closed = 0, handled = 0;
};

class SignalStore {
 public:
  // False when the same signal (kind, disease, district, period key) exists: nothing written.
  static bool InsertSignal(soci::session& s, const Signal& sig);
  static auth::ScopedRow<Signal> GetSignal(soci::session& s, const auth::Scope& scope,
                                           const std::string& id);
  // Open ones first (oldest due first), then the rest newest first.
  static std::vector<Signal> ListSignals(soci::session& s, const auth::Scope& scope,
                                         const SignalQuery& q);
  // Open signals in scope, and those of them past verify_due_at at `now_ts`.
  static SignalCounts CountOpen(soci::session& s, const auth::Scope& scope,
                                const std::vector<std::string>& hidden_diseases,
                                const std::string& now_ts);
  // Optimistic update of status, verified_at/by, note and event_id: false when the stored version
  // is not `expected_version` or the signal lies outside `scope`.
  static bool UpdateSignal(soci::session& s, const auth::Scope& scope, const Signal& sig,
                           int expected_version);
  static std::vector<Signal> SignalsOfEvent(soci::session& s, const std::string& event_id);
  // The latest work-site cluster signal of the disease and site that ends on or after
  // `window_start`, whatever its status (rule use: a signal holds card ids, no person data).
  static std::optional<Signal> ClusterSignalSince(soci::session& s, const std::string& disease_code,
                                                  const std::string& site_key, Date window_start);
  // A cluster signal that more cases joined: its card ids, observed count (their number) and end.
  static void GrowSignal(soci::session& s, const std::string& id,
                         const std::vector<std::string>& card_ids, Date period_end);

  static void InsertEvent(soci::session& s, const DiseaseEvent& e);
  static auth::ScopedRow<DiseaseEvent> GetEvent(soci::session& s, const auth::Scope& scope,
                                                const std::string& id);
  // Open ones first, newest opening first.
  static std::vector<DiseaseEvent> ListEvents(soci::session& s, const auth::Scope& scope,
                                              const EventQuery& q);
  static bool UpdateEvent(soci::session& s, const auth::Scope& scope, const DiseaseEvent& e,
                          int expected_version);
  // Events in scope opened on days [from, to] (Asia/Shanghai), closed ones, handled to standard.
  static EventTally TallyEvents(soci::session& s, const auth::Scope& scope, Date from, Date to);

  // Active cards of a disease at a work site with onset in [from, to].
  static std::vector<CardFact> CardsAtSite(soci::session& s, const std::string& disease_code,
                                           const std::string& site_key, Date from, Date to);
  // Active cards reported on days [from, to] (Asia/Shanghai) of the given diseases, with the
  // report day.
  static std::vector<std::pair<CardFact, Date>> CardsReported(
      soci::session& s, const std::vector<std::string>& disease_codes, Date from, Date to);
  // Daily counts of active cards by report day in [from, to]: (disease, district) → (day → n).
  static std::map<std::pair<std::string, std::string>, std::map<int, std::int64_t>> DailyCounts(
      soci::session& s, Date from, Date to);
  static std::vector<CardBrief> CardBriefs(soci::session& s, const std::vector<std::string>& ids);
};

}  // namespace jd::disease
