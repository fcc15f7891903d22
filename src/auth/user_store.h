// File: auth/user_store.h
// SQL repository of users and sessions. Bound parameters only. Every function runs on the session
// it is given, inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::auth {

struct SessionRow {
  std::string token_hash;
  std::string user_id;
  std::string created_at;
  std::string last_seen_at;
  std::string ended_at;
};

class UserStore {
 public:
  static std::optional<User> FindByUsername(soci::session& s, const std::string& username);
  static std::optional<User> FindById(soci::session& s, const std::string& id);
  static std::vector<User> List(soci::session& s);
  // The display name of the user whose id or username is `key` ("" when none is found).
  static std::string DisplayNameOf(soci::session& s, const std::string& key);
  static void Insert(soci::session& s, const User& u);
  static void UpdateLoginState(soci::session& s, const std::string& user_id, int failed_logins,
                               const std::string& locked_until);
  static void UpdatePassword(soci::session& s, const std::string& user_id, const std::string& hash,
                             const std::string& now, bool must_change);
  static void SetActive(soci::session& s, const std::string& user_id, bool active);
  // The materialised path of an org unit, or nullopt when the code is unknown.
  static std::optional<std::string> OrgPath(soci::session& s, const std::string& org_code);

  static void InsertSession(soci::session& s, const SessionRow& row, const std::string& client);
  static std::optional<SessionRow> FindSession(soci::session& s, const std::string& token_hash);
  static void TouchSession(soci::session& s, const std::string& token_hash, const std::string& now);
  static void EndSession(soci::session& s, const std::string& token_hash, const std::string& now);
  static void EndSessionsOfUser(soci::session& s, const std::string& user_id,
                                const std::string& now);
  // Every open session of the user but the one whose token hashes to `keep_token_hash`.
  static void EndOtherSessionsOfUser(soci::session& s, const std::string& user_id,
                                     const std::string& keep_token_hash, const std::string& now);
};

}  // namespace jd::auth
