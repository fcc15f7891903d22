// File: preconception/store.h
// The SQL of pre-pregnancy checks and folic-acid supplies (migration 0013) and of premarital
// checks (migration 0016). Bound parameters only;
// every function runs on the session it is given, inside the caller's transaction; inserts leave a
// change event (the migration's triggers). Every read takes an auth::Scope and filters by the
// woman's current residence (persons.residence_path within auth::Scope::Range), so a check follows
// her when she moves within the city: the default scope reads nothing. A check read through the
// man's record is shown only where the woman lives within the scope too. A premarital check is
// read where the person checked lives within the scope.
#pragma once

#include <string>
#include <vector>

#include "auth/scope.h"
#include "preconception/model.h"
#include "storage/database.h"

namespace jd::preconception {

// A check as read, with the names of the partners living within the scope (empty otherwise).
struct CheckRow {
  StoredCheck check;
  std::string woman_name;
  std::string registered_man_name;  // the registry name of man_person_id when within the scope
};

// A premarital check as read, with the partner's registry name when within the scope.
struct PremaritalRow {
  StoredPremarital check;
  std::string person_name;
  std::string registered_partner_name;
};

class PreconceptionStore {
 public:
  static void InsertCheck(soci::session& s, const StoredCheck& c);
  // The checks where `person_id` is the woman or the registered man, newest first, of women
  // living within `scope`.
  static std::vector<CheckRow> ChecksOfPerson(soci::session& s, const auth::Scope& scope,
                                              const std::string& person_id);
  static void InsertSupply(soci::session& s, const StoredSupply& supply);
  // The woman's supplies, oldest first; empty when she lives outside `scope`.
  static std::vector<StoredSupply> Supplies(soci::session& s, const auth::Scope& scope,
                                            const std::string& person_id);
  static void InsertPremarital(soci::session& s, const StoredPremarital& c);
  // The person's premarital checks, newest first; empty when they live outside `scope`.
  static std::vector<PremaritalRow> PremaritalOfPerson(soci::session& s, const auth::Scope& scope,
                                                       const std::string& person_id);
};

}  // namespace jd::preconception
