// File: disease/card_store.h
// What the case cards keep (migration 0020: disease_cards, disease_card_revisions) and their SQL.
// A card is a person-level row: every read of cards takes the caller's scope (auth/scope.h) and
// sees only cards whose residence_path (the unit of the patient's current address) it covers.
//
// Bound parameters only; every function runs on the session it is given, inside the caller's
// transaction; the migration's triggers leave a change event (entity "disease_card") on every
// insert and update. Stateless; thread-safe.
//
// Get(s, scope, id): the card, nothing, or Outside when it exists beyond the scope.
// Update(s, card, expected_version): writes every column of `card` where the stored version is
//   `expected_version`; false (nothing written) when it is not. REQUIRES: the caller read the card
//   in its scope and checked that the new residence path is in scope too.
// List(s, scope, q): the cards in scope matching q, newest report first, one page, and the total.
// Candidates(s, scope, card, window_days): the active cards in scope of the same disease and the
//   same person (registry person, ID number, or name and birth date) diagnosed within
//   window_days + 1 days of `card` (the caller applies disease::IsDuplicate to the dates).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "disease/card.h"
#include "storage/database.h"

namespace jd::disease {

struct CardRevision {
  std::string card_id;
  int version = 0;   // the version the card had before the change
  std::string kind;  // "correction", "deletion", "merge"
  std::string reason;
  std::string before;  // the card as it stood, JSON text (disease/card_json.h)
  std::string changed_at, changed_by;
};

struct CardQuery {
  std::string disease_code;          // empty: any
  std::string district_code;         // empty: any
  std::optional<CardStatus> status;  // nullopt: any
  std::optional<bool> late;          // nullopt: any
  std::optional<Instant> from, to;   // diagnosed_at in [from, to)
  bool include_hiv_tb = false;       // HIV/AIDS and TB cards only when true
  int offset = 0, limit = 50;
};

struct CardPage {
  std::vector<Card> items;
  long long total = 0;
};

class CardStore {
 public:
  static void Insert(soci::session& s, const Card& c);
  static auth::ScopedRow<Card> Get(soci::session& s, const auth::Scope& scope,
                                   const std::string& id);
  static bool Update(soci::session& s, const Card& c, int expected_version);
  static void InsertRevision(soci::session& s, const CardRevision& r);
  // Oldest first.
  static std::vector<CardRevision> Revisions(soci::session& s, const std::string& card_id);
  static CardPage List(soci::session& s, const auth::Scope& scope, const CardQuery& q);
  static std::vector<Card> Candidates(soci::session& s, const auth::Scope& scope, const Card& card,
                                      int window_days);
};

}  // namespace jd::disease
