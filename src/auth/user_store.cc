#include "auth/user_store.h"

#include "auth/permissions.h"

namespace jd::auth {

namespace {
constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.role, u.org_code, o.path, u.password_hash, "
    "u.failed_logins, u.locked_until, u.active, u.created_at, u.must_change_password";

User ReadUser(const soci::row& r) {
  User u;
  u.id = r.get<std::string>(0);
  u.username = r.get<std::string>(1);
  u.display_name = r.get<std::string>(2);
  u.role = ParseRole(r.get<std::string>(3)).value_or(Role::kVillage);
  u.org_code = r.get<std::string>(4);
  u.org_path = r.get<std::string>(5);
  u.password_hash = r.get<std::string>(6);
  u.failed_logins = static_cast<int>(storage::RowInt64(r, 7));
  u.locked_until = r.get_indicator(8) == soci::i_null ? "" : r.get<std::string>(8);
  u.active = storage::RowInt64(r, 9) != 0;
  u.created_at = r.get<std::string>(10);
  u.must_change_password = storage::RowInt64(r, 11) != 0;
  return u;
}

std::optional<User> FindOne(soci::session& s, const std::string& where, const std::string& value) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kUserColumns +
                        " FROM users u JOIN org_units o ON o.code = u.org_code WHERE " + where,
       soci::use(value));
  for (const auto& r : rows) return ReadUser(r);
  return std::nullopt;
}
}  // namespace

std::optional<User> UserStore::FindByUsername(soci::session& s, const std::string& username) {
  return FindOne(s, "u.username = :v", username);
}

std::optional<User> UserStore::FindById(soci::session& s, const std::string& id) {
  return FindOne(s, "u.id = :v", id);
}

std::string UserStore::DisplayNameOf(soci::session& s, const std::string& key) {
  std::string name;
  soci::indicator ind = soci::i_null;
  s << "SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = :k OR "
       "username = :k2 LIMIT 1",
      soci::use(key), soci::use(key), soci::into(name, ind);
  return s.got_data() && ind == soci::i_ok ? name : std::string();
}

std::vector<User> UserStore::List(soci::session& s) {
  std::vector<User> out;
  soci::rowset<soci::row> rows =
      (s.prepare
       << std::string("SELECT ") + kUserColumns +
              " FROM users u JOIN org_units o ON o.code = u.org_code ORDER BY u.username");
  for (const auto& r : rows) out.push_back(ReadUser(r));
  return out;
}

void UserStore::Insert(soci::session& s, const User& u) {
  std::string role(RoleCode(u.role));
  int active = u.active ? 1 : 0;
  int must_change = u.must_change_password ? 1 : 0;
  s << "INSERT INTO users(id, username, display_name, role, org_code, password_hash, "
       "failed_logins, "
       "active, created_at, password_changed_at, must_change_password) VALUES (:id, :un, :dn, "
       ":role, :org, :ph, 0, :act, :ca, :pc, :mc)",
      soci::use(u.id), soci::use(u.username), soci::use(u.display_name), soci::use(role),
      soci::use(u.org_code), soci::use(u.password_hash), soci::use(active), soci::use(u.created_at),
      soci::use(u.created_at), soci::use(must_change);
}

void UserStore::UpdateLoginState(soci::session& s, const std::string& user_id, int failed_logins,
                                 const std::string& locked_until) {
  soci::indicator ind = storage::NullIfEmpty(locked_until);
  s << "UPDATE users SET failed_logins = :f, locked_until = :l WHERE id = :id",
      soci::use(failed_logins), soci::use(locked_until, ind), soci::use(user_id);
}

void UserStore::UpdatePassword(soci::session& s, const std::string& user_id,
                               const std::string& hash, const std::string& now, bool must_change) {
  int mc = must_change ? 1 : 0;
  s << "UPDATE users SET password_hash = :h, password_changed_at = :n, failed_logins = 0, "
       "locked_until = NULL, must_change_password = :mc WHERE id = :id",
      soci::use(hash), soci::use(now), soci::use(mc), soci::use(user_id);
}

void UserStore::SetActive(soci::session& s, const std::string& user_id, bool active) {
  int a = active ? 1 : 0;
  s << "UPDATE users SET active = :a WHERE id = :id", soci::use(a), soci::use(user_id);
}

std::optional<std::string> UserStore::OrgPath(soci::session& s, const std::string& org_code) {
  std::string path;
  s << "SELECT path FROM org_units WHERE code = :c", soci::into(path), soci::use(org_code);
  if (!s.got_data()) return std::nullopt;
  return path;
}

void UserStore::InsertSession(soci::session& s, const SessionRow& row, const std::string& client) {
  s << "INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at, client) VALUES "
       "(:t, :u, :c, :l, :cl)",
      soci::use(row.token_hash), soci::use(row.user_id), soci::use(row.created_at),
      soci::use(row.last_seen_at), soci::use(client);
}

std::optional<SessionRow> UserStore::FindSession(soci::session& s, const std::string& token_hash) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT token_hash, user_id, created_at, last_seen_at, ended_at FROM sessions "
                    "WHERE token_hash = :t",
       soci::use(token_hash));
  for (const auto& r : rows) {
    SessionRow row;
    row.token_hash = r.get<std::string>(0);
    row.user_id = r.get<std::string>(1);
    row.created_at = r.get<std::string>(2);
    row.last_seen_at = r.get<std::string>(3);
    row.ended_at = r.get_indicator(4) == soci::i_null ? "" : r.get<std::string>(4);
    return row;
  }
  return std::nullopt;
}

void UserStore::TouchSession(soci::session& s, const std::string& token_hash,
                             const std::string& now) {
  s << "UPDATE sessions SET last_seen_at = :n WHERE token_hash = :t", soci::use(now),
      soci::use(token_hash);
}

void UserStore::EndSession(soci::session& s, const std::string& token_hash,
                           const std::string& now) {
  s << "UPDATE sessions SET ended_at = :n WHERE token_hash = :t AND ended_at IS NULL",
      soci::use(now), soci::use(token_hash);
}

void UserStore::EndOtherSessionsOfUser(soci::session& s, const std::string& user_id,
                                       const std::string& keep_token_hash, const std::string& now) {
  s << "UPDATE sessions SET ended_at = :n WHERE user_id = :u AND ended_at IS NULL AND "
       "token_hash <> :k",
      soci::use(now), soci::use(user_id), soci::use(keep_token_hash);
}

void UserStore::EndSessionsOfUser(soci::session& s, const std::string& user_id,
                                  const std::string& now) {
  s << "UPDATE sessions SET ended_at = :n WHERE user_id = :u AND ended_at IS NULL", soci::use(now),
      soci::use(user_id);
}

}  // namespace jd::auth
