// File: maternal/store.h
// The SQL of pregnancies, their visits and risk assessments (migration 0010). Bound parameters
// only; every function runs on the session it is given, inside the caller's transaction. Inserts
// and updates of a pregnancy leave a change event (a trigger of the migration) for the live
// statistics. Every read of a pregnancy takes an auth::Scope and filters by the woman's current
// residence (persons.residence_path within auth::Scope::Range), so a pregnancy follows the woman
// when she moves within the city and is no longer read where she lived: the default scope reads
// nothing, and a read by id never hands out a pregnancy outside the scope. Visits and assessments
// are read only through a pregnancy already read in scope (their pregnancy id).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "maternal/model.h"
#include "storage/database.h"

namespace jd::maternal {

// One row of a worklist: the pregnancy and the woman's name (lists show who, not her identifiers).
struct PregnancyListRow {
  Pregnancy pregnancy;
  std::string person_name;
  std::string residence_org;
};

// Filters of the centre's worklists; all within the caller's scope, open pregnancies only.
struct WorklistQuery {
  std::optional<Date> due_by;   // next_due_on on or before this day
  bool high_risk_only = false;  // the 高危 register: orange and above, or a coexisting colour
  int limit = 200;
  bool count_only = false;  // the service answers the number only, and audits nothing
};

class PregnancyStore {
 public:
  static auth::ScopedRow<Pregnancy> Get(soci::session& s, const auth::Scope& scope,
                                        const std::string& id);
  // The woman's pregnancies, newest first; empty when she lives outside `scope`.
  static std::vector<Pregnancy> ListForPerson(soci::session& s, const auth::Scope& scope,
                                              const std::string& person_id);
  // Whether the woman has a pregnancy that is not closed (the one-open rule), whatever the scope:
  // a probe that returns no data of it.
  static bool HasOpen(soci::session& s, const std::string& person_id);
  static void Insert(soci::session& s, const Pregnancy& p);
  // Optimistic update of every column: false when the stored version is not `expected_version`
  // or the woman lives outside `scope`.
  static bool Update(soci::session& s, const auth::Scope& scope, const Pregnancy& p,
                     int expected_version);

  static void InsertVisit(soci::session& s, const PregnancyVisit& v);
  // REQUIRES: `pregnancy_id` was read in scope by the caller.
  static std::vector<PregnancyVisit> Visits(soci::session& s, const std::string& pregnancy_id);
  static void InsertNewborn(soci::session& s, const std::string& pregnancy_id, const Newborn& n);
  // The delivery's children, by birth order, with the names of those living within `scope`.
  // REQUIRES: `pregnancy_id` was read in scope by the caller.
  static std::vector<Newborn> Newborns(soci::session& s, const auth::Scope& scope,
                                       const std::string& pregnancy_id);
  static void InsertAssessment(soci::session& s, const StoredAssessment& a);
  // Oldest first. REQUIRES: `pregnancy_id` was read in scope by the caller.
  static std::vector<StoredAssessment> Assessments(soci::session& s,
                                                   const std::string& pregnancy_id);

  // Open pregnancies of women living within `scope`, by next_due_on then id.
  static std::vector<PregnancyListRow> Worklist(soci::session& s, const auth::Scope& scope,
                                                const WorklistQuery& q);
};

// "a,b,c" ↔ {"a","b","c"} for the list columns.
std::string JoinCodes(const std::vector<std::string>& codes);
std::vector<std::string> SplitCodes(const std::string& text);

}  // namespace jd::maternal
