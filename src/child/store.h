// File: child/store.h
// The SQL of children's check-ups (migration 0011), of newborn screening results (migration 0015)
// and of what the child-health card reads about a
// child's birth here (pregnancy_newborns and the delivery of migration 0010). Bound parameters
// only; every function runs on the session it is given, inside the caller's transaction. An insert
// leaves a change event (a trigger of the migration) for the live statistics.
//
// Scope. The child is read through the registry in the caller's auth::Scope
// (registry/person_store.h PersonStore::Get), and check-ups and the birth link only for a child so
// read (REQUIRES below); so are screening results. The lists take an auth::Scope and filter by the
// child's current residence (persons.residence_path within auth::Scope::Range), so check-ups follow
// the child when the family moves within the city: the default scope reads nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "child/model.h"
#include "registry/model.h"
#include "storage/database.h"

namespace jd::child {

// The child's birth as the maternal module recorded it, when the child was born to a pregnancy
// managed here (a newborn of a delivery).
struct BirthLink {
  std::string pregnancy_id;
  std::string mother_id;
  std::optional<Date> discharged_on;  // the mother's discharge after the delivery
  std::optional<int> birth_weight_g;
  std::optional<double> birth_length_cm;
};

// A child of a worklist, with what its schedule needs.
struct ChildRow {
  std::string person_id;
  std::string name;
  registry::Sex sex = registry::Sex::kMale;
  Date birth{};
  std::string residence_org;
  std::optional<Date> discharge;  // from the delivery, else from a newborn visit
  std::vector<ContactRecord> contacts;
};

class CheckupStore {
 public:
  static void Insert(soci::session& s, const Checkup& c);
  // Oldest first. REQUIRES: the child `person_id` was read in scope by the caller.
  static std::vector<Checkup> ForPerson(soci::session& s, const std::string& person_id);
  // REQUIRES: the child `person_id` was read in scope by the caller.
  static std::optional<BirthLink> Birth(soci::session& s, const std::string& person_id);
  // The active children living within `scope` born on or after `born_from` (the 0–6 population),
  // by birth date then id, each with its contacts; at most `limit`.
  static std::vector<ChildRow> Children(soci::session& s, const auth::Scope& scope, Date born_from,
                                        int limit);
};

class ScreeningStore {
 public:
  static void Insert(soci::session& s, const NewbornScreening& r);
  // By test date, then recording. REQUIRES: the child `person_id` was read in scope by the caller.
  static std::vector<NewbornScreening> ForPerson(soci::session& s, const std::string& person_id);
};

}  // namespace jd::child
