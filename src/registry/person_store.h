// File: registry/person_store.h
// SQL repository of the registry: org units, persons and their versions, residence events and
// documents. Bound parameters only; every function runs on the session it is given, inside the
// caller's transaction. Every read or update of person-level rows takes an auth::Scope and filters
// by it (an index range of persons.residence_path, auth::Scope::Range); an empty scope reads and
// changes nothing, and a row outside the scope is never returned (reads by id say only that it
// exists elsewhere, for the audit). Two exceptions return no personal data: FindIdentity, the
// city-wide uniqueness probe of identity documents (an id and a path), and BackfillSearchKeys, the
// one-time pass that writes the search keys of persons registered before them (a count).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "registry/model.h"
#include "storage/database.h"

namespace jd::registry {

// A half-open range [from, before) of a text column (dates and timestamps compare as text);
// an empty bound is open.
struct TextRange {
  std::string from;
  std::string before;
  bool empty() const { return from.empty() && before.empty(); }
};

struct PersonSearch {
  std::string q;       // search text (registry/search_keys.h); empty: everyone in scope
  auth::Scope scope;   // jurisdiction, required: the default scope finds no one
  std::string status;  // "" any, else a PersonStatus code
  TextRange born;      // birth_date, "YYYY-MM-DD"
  TextRange updated;   // updated_at, core/dates.h FormatTimestamp's form
  int limit = 20;
  int offset = 0;
};

// One page of a walk through everyone in a scope in the residence index's order (residence path,
// birth date, id): the next page starts after the last row of this one (keyset), so the walk
// costs the same per row however far it has gone, where OFFSET pages cost the square of the city.
struct PersonScan {
  auth::Scope scope;              // required: the default scope finds no one
  TextRange updated;              // updated_at filter, as PersonSearch
  const Person* after = nullptr;  // the last row of the previous page; null: from the start
  int limit = 500;
};

struct PersonPage {
  std::vector<Person> items;
  std::int64_t total = 0;
  bool total_is_lower_bound = false;  // counting stopped at the cap
};

// A prepared INSERT of persons bound to its own buffers, for bulk loads: one statement prepared
// once, executed per row. `INSERT … ON CONFLICT DO NOTHING` (SQLite ≥ 3.24, PostgreSQL ≥ 9.5) turns
// a taken identity document into "0 rows" instead of an error that would spoil the transaction.
class PersonInserter {
 public:
  explicit PersonInserter(soci::session& s);
  ~PersonInserter();
  // False (nothing written) when the identity document is already registered.
  bool Insert(const Person& p, const std::string& import_batch);
  // Writes the search keys of the persons inserted so far (kept back to be written in key order);
  // call it before the transaction ends (the destructor does, as a last resort).
  void Flush();

 private:
  struct Buffers;
  std::unique_ptr<Buffers> b_;
  std::unique_ptr<soci::statement> st_;
  std::unique_ptr<soci::statement> key_st_;  // the person's search keys
};

// A prepared INSERT of residence events, for bulk loads (see PersonInserter).
class EventInserter {
 public:
  explicit EventInserter(soci::session& s);
  ~EventInserter();
  void Insert(const ResidenceEvent& e);

 private:
  struct Buffers;
  std::unique_ptr<Buffers> b_;
  std::unique_ptr<soci::statement> st_;
};

class PersonStore {
 public:
  // Org units.
  static void InsertOrgUnit(soci::session& s, const OrgUnit& u);
  static std::vector<OrgUnit> ListOrgUnits(soci::session& s);

  // Persons. Insert returns false (and writes nothing) when the identity document is taken.
  static bool Insert(soci::session& s, const Person& p, const std::string& import_batch);
  // Optimistic update: false when the stored version is not `expected_version` or the stored
  // person lies outside `scope`. The person's search keys follow the new name, phone, ID number
  // and residence.
  static bool Update(soci::session& s, const auth::Scope& scope, const Person& p,
                     int expected_version);
  static void InsertVersion(soci::session& s, const std::string& person_id, int version,
                            const std::string& data_json, const std::string& at,
                            const std::string& by);
  static auth::ScopedRow<Person> Get(soci::session& s, const auth::Scope& scope,
                                     const std::string& id);
  // The id and residence path of the person holding this identity document.
  static std::optional<std::pair<std::string, std::string>> FindIdentity(
      soci::session& s, std::string_view id_type, const std::string& id_number);
  // Any part of the name, pinyin initials, the last 4+ digits of a phone, the last 6+ characters
  // or a prefix of an ID number (registry/search_keys.h), in scope; without `q` everyone in scope.
  // Results come in the order of the matched key (then id), a stable order for paging.
  // `born` and `updated` narrow either kind of search.
  static PersonPage Search(soci::session& s, const PersonSearch& q);
  // A page of everyone in scope after the scan's cursor (PersonScan); fewer than `limit` rows
  // means the walk is done.
  static std::vector<Person> Scan(soci::session& s, const PersonScan& q);
  // Writes the search keys of the persons registered before they existed (migration 0009 leaves a
  // pending_backfills row); once. Returns the persons done.
  static std::int64_t BackfillSearchKeys(soci::session& s);
  static std::int64_t CountInScope(soci::session& s, const auth::Scope& scope);

  // Residence events.
  static void InsertEvent(soci::session& s, const ResidenceEvent& e);
  static std::vector<ResidenceEvent> ListEvents(soci::session& s, const auth::Scope& scope,
                                                const std::string& person_id);

  // Documents.
  static void InsertDocument(soci::session& s, const Document& d);
  // Records a pending document's review; nothing when its holder lies outside `scope`.
  static void UpdateReview(soci::session& s, const auth::Scope& scope, const Document& d);
  static auth::ScopedRow<Document> GetDocument(soci::session& s, const auth::Scope& scope,
                                               const std::string& id);
  static std::vector<Document> ListDocuments(soci::session& s, const auth::Scope& scope,
                                             const std::string& person_id);
  // Pending documents of persons within `scope`, oldest first, with the holder.
  static std::int64_t CountPending(soci::session& s, const auth::Scope& scope);
  static std::vector<std::pair<Document, Person>> ListPending(soci::session& s,
                                                              const auth::Scope& scope, int limit,
                                                              int offset);

  // Import batches.
  static void InsertBatch(soci::session& s, const std::string& id, const std::string& kind,
                          const std::string& file_name, const std::string& user_id,
                          const std::string& started_at);
  static void FinishBatch(soci::session& s, const std::string& id, const std::string& finished_at,
                          std::int64_t total, std::int64_t ok, std::int64_t failed);
};

}  // namespace jd::registry
