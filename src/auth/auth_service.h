// File: auth/auth_service.h
// Log-in, sessions and user administration. Passwords are argon2id hashes (auth/password.h); five
// consecutive failures lock an account for 15 minutes (auth/lockout.h); every failure answers with
// the same text, so a caller cannot tell a wrong username from a wrong password or a locked
// account. Session tokens are random 256-bit values of which the database keeps only a SHA-256
// hash; a session ends after 30 idle minutes, 12 hours in all, or at logout. Every log-in, log-out
// and user change is audited. Thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/actor_names.h"
#include "auth/audit_log.h"
#include "auth/lockout.h"
#include "auth/model.h"
#include "auth/session_token.h"
#include "core/dates.h"
#include "storage/database.h"

namespace jd::auth {

struct LoginResult {
  std::string token;
  User user;
  std::string expires_idle_at;  // when the session ends if unused
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;  // role code, see permissions.h
  std::string org_code;
  std::string password;
  bool must_change_password = false;  // also implied when a user (not the CLI) sets it
};

class AuthService {
 public:
  AuthService(storage::Database& db, AuditLog& audit, const Clock& clock,
              LockoutPolicy lockout = {}, SessionPolicy sessions = {});

  // `client` is the caller's address, recorded in the audit log.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client, const std::string& request_id);
  // The principal of a live session token; kUnauthenticated when unknown, ended or expired.
  Result<Principal> Authenticate(const std::string& token, const std::string& client,
                                 const std::string& request_id);
  Status Logout(const std::string& token, const Principal& who);

  // REQUIRES: `by` holds kUserManage (secadmin) or is the system principal.
  Result<User> CreateUser(const Principal& by, const NewUser& user);
  Result<std::vector<User>> ListUsers(const Principal& by);
  Status SetPassword(const Principal& by, const std::string& user_id, const std::string& password);
  Status SetActive(const Principal& by, const std::string& user_id, bool active);
  // Changes the caller's own password after checking the current one, and ends the caller's
  // other sessions (`session_token` is the one that stays). A wrong current password counts toward
  // the lockout like a failed log-in (someone holding a session must not guess unhindered); when
  // it locks the account, every session of the account ends, this one too.
  Status ChangeOwnPassword(const Principal& who, const std::string& session_token,
                           const std::string& current, const std::string& next);

  // Each stored actor of `actors` (user ids, usernames, "cli:<os user>", "demo") in words
  // (auth/actor_names.h), users by their display name. Names of staff are no personal data of
  // the registry: any signed-in user may see them. Not audited.
  Result<std::map<std::string, ActorWords>> ActorNames(const std::set<std::string>& actors);

  // A principal for the command line on the server host.
  static Principal SystemPrincipal(const std::string& os_user);

 private:
  storage::Database& db_;
  AuditLog& audit_;
  const Clock& clock_;
  LockoutPolicy lockout_;
  SessionPolicy sessions_;
};

// The message given for every failed log-in.
inline constexpr const char* kLoginFailedZh =
    "用户名或密码错误，或账户已被暂时锁定（连续5次失败后锁定15分钟）";
inline constexpr const char* kLoginFailedEn =
    "wrong username or password, or the account is locked for 15 minutes after 5 failures";

}  // namespace jd::auth
