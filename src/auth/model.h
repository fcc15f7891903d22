// File: auth/model.h
// Users, roles and sessions. Roles follow 等保 2.0 level 3's separation of three powers (system,
// security and audit administrators hold no business data) plus the business roles of a city.
#pragma once

#include <optional>
#include <string>

namespace jd::auth {

enum class Role {
  kSysadmin,    // configuration; no personal data
  kSecadmin,    // users and roles; no personal data
  kAuditor,     // audit log, read-only
  kCommission,  // 市卫健委: the whole city
  kDistrict,    // 区/县卫健局: its district
  kCenter,      // 社区卫生服务中心 / 乡镇卫生院: its street or township
  kVillage,     // 村卫生室 / 社区卫生服务站: its community or village
  kCdc,         // 疾控中心: read within its unit
  kFinance,     // 财政: aggregates only
  kPartner,     // 综治 / 农民工办 / 民政: aggregates and imports
  kPsychiatry,  // 精神卫生防治机构 (区精防机构): severe mental disorders of its district
};

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  Role role = Role::kCenter;
  std::string org_code;       // the unit the user sits on
  std::string org_path;       // that unit's materialised path: the user's jurisdiction prefix
  std::string password_hash;  // argon2id, libsodium crypto_pwhash_str format
  int failed_logins = 0;
  std::string locked_until;  // UTC timestamp, empty when not locked
  bool active = true;
  // Set for passwords someone else chose (demo accounts, an administrator's reset): the user
  // must choose their own before doing anything else.
  bool must_change_password = false;
  std::string created_at;
};

// Whether a principal is the system principal. Only AuthService::SystemPrincipal makes a granted
// one, so no service can widen a caller to the whole city by setting a flag (auth/scope.h).
class SystemGrant {
 public:
  SystemGrant() = default;
  explicit operator bool() const { return granted_; }

 private:
  friend class AuthService;
  explicit SystemGrant(bool granted) : granted_(granted) {}
  bool granted_ = false;
};

// The authenticated caller of one request or CLI command.
struct Principal {
  std::string user_id;
  std::string username;
  Role role = Role::kCenter;
  std::string org_code;
  std::string org_path;
  std::string client;      // client address, or "cli"
  std::string request_id;  // for log and audit correlation
  // The operator of the command line on the server host (who can read the database file anyway):
  // every permission over the whole city, and still audited under `username` ("cli:<os user>").
  SystemGrant system;
  bool must_change_password = false;
};

}  // namespace jd::auth
