// File: maternal/referral_store.h
// The SQL of referrals and the green channel (migration 0014, maternal/referral.h). Bound
// parameters only; every function runs on the session it is given, inside the caller's
// transaction, and the migration's triggers leave a change event on every insert and update.
// Every read of a referral takes an auth::Scope and filters by the current residence of its
// person (the woman or the newborn), as the pregnancies do (maternal/store.h): the default scope
// reads nothing, and a read by id never hands out a referral outside the scope. Stateless;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "maternal/referral.h"
#include "storage/database.h"

namespace jd::maternal {

// A referral with who it is about (lists show the name, not the identifiers).
struct ReferralRow {
  Referral referral;
  std::string person_name;
  std::string residence_org;
};

struct ReferralQuery {
  bool open_only = true;  // no outcome yet
  std::optional<ReferralKind> kind;
  int limit = 200;
};

class ReferralStore {
 public:
  static void Insert(soci::session& s, const Referral& r);
  // Optimistic update of the changeable columns: false when the stored version is not
  // `expected_version` or the person lives outside `scope`.
  static bool Update(soci::session& s, const auth::Scope& scope, const Referral& r,
                     int expected_version);
  static auth::ScopedRow<ReferralRow> Get(soci::session& s, const auth::Scope& scope,
                                          const std::string& id);
  // The person's referrals, newest call first; empty when the person lives outside `scope`.
  static std::vector<Referral> ForPerson(soci::session& s, const auth::Scope& scope,
                                         const std::string& person_id);
  // Referrals of persons living within `scope`, open ones first by call time (oldest first), then
  // closed ones newest first.
  static std::vector<ReferralRow> List(soci::session& s, const auth::Scope& scope,
                                       const ReferralQuery& q);
  static int Count(soci::session& s, const auth::Scope& scope, const ReferralQuery& q);
  // The pregnancy whose delivery registered `child_person_id`, if any. REQUIRES: the caller has
  // read the child in scope.
  static std::optional<std::string> BirthPregnancyOf(soci::session& s,
                                                     const std::string& child_person_id);
};

}  // namespace jd::maternal
