#include "auth/auth_service.h"

#include <spdlog/spdlog.h>

#include <regex>

#include "auth/access.h"
#include "auth/password.h"
#include "auth/permissions.h"
#include "auth/user_store.h"
#include "core/ids.h"
#include "core/input.h"

namespace jd::auth {

namespace {

using std::chrono::system_clock;

LoginState StateOf(const User& u) {
  LoginState st;
  st.failed_logins = u.failed_logins;
  if (!u.locked_until.empty()) st.locked_until = ParseTimestamp(u.locked_until);
  return st;
}

Status LoginFailed() { return Status::Unauthenticated(kLoginFailedEn, kLoginFailedZh); }

Principal PrincipalOf(const User& u, const std::string& client, const std::string& request_id) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.role = u.role;
  p.org_code = u.org_code;
  p.org_path = u.org_path;
  p.client = client;
  p.request_id = request_id;
  p.must_change_password = u.must_change_password;
  return p;
}

}  // namespace

AuthService::AuthService(storage::Database& db, AuditLog& audit, const Clock& clock,
                         LockoutPolicy lockout, SessionPolicy sessions)
    : db_(db), audit_(audit), clock_(clock), lockout_(lockout), sessions_(sessions) {}

Result<std::map<std::string, ActorWords>> AuthService::ActorNames(
    const std::set<std::string>& actors) {
  std::map<std::string, ActorWords> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (const auto& a : actors) {
      // Only what can name a user is looked up.
      bool lookup = !a.empty() && a != "system" && a != "demo" && !a.starts_with("cli:");
      out.emplace(a, DescribeActor(a, lookup ? UserStore::DisplayNameOf(s, a) : std::string()));
    }
    return Status::Ok();
  }));
  return out;
}

Principal AuthService::SystemPrincipal(const std::string& os_user) {
  Principal p;
  p.user_id = "system";
  p.username = "cli:" + (os_user.empty() ? std::string("unknown") : os_user);
  p.role = Role::kCommission;
  p.client = "cli";
  p.request_id = NewId();
  p.system = SystemGrant(true);
  return p;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& client, const std::string& request_id) {
  Principal anon;
  anon.user_id = "";
  anon.username = username.substr(0, 64);
  anon.role = Role::kVillage;
  anon.client = client;
  anon.request_id = request_id;

  std::optional<User> user;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    user = UserStore::FindByUsername(s, username);
    return Status::Ok();
  }));
  auto now = clock_.Now();
  if (!user || !user->active) {
    DummyVerifyPassword(password);  // same cost as a real check: no username oracle by timing
    JD_RETURN_IF_ERROR(
        audit_.Record(anon, {.action = "auth.login",
                             .object_type = "user",
                             .result = "failed",
                             .detail = user ? "inactive account" : "unknown username"}));
    return LoginFailed();
  }
  anon.user_id = user->id;
  anon.role = user->role;
  if (IsLocked(StateOf(*user), now)) {
    DummyVerifyPassword(password);
    JD_RETURN_IF_ERROR(audit_.Record(anon, {.action = "auth.login",
                                            .object_type = "user",
                                            .object_id = user->id,
                                            .result = "locked"}));
    return LoginFailed();
  }
  // argon2id costs ~0.1 s: verify outside the write lock so log-ins do not stall other writes.
  bool good = VerifyPassword(user->password_hash, password);

  LoginResult out;
  Status st = db_.Write([&](soci::session& s) {
    auto fresh = UserStore::FindById(s, user->id);
    if (!fresh) return LoginFailed();
    LoginState state = StateOf(*fresh);
    if (!good) {
      LoginState next = AfterFailure(state, now, lockout_);
      std::string locked = next.locked_until ? FormatTimestamp(*next.locked_until) : "";
      UserStore::UpdateLoginState(s, fresh->id, next.failed_logins, locked);
      JD_RETURN_IF_ERROR(audit_.Append(
          s, anon,
          {.action = "auth.login",
           .object_type = "user",
           .object_id = fresh->id,
           .result = "failed",
           .detail = next.locked_until ? "wrong password; account locked" : "wrong password"}));
      return Status::Ok();
    }
    if (IsLocked(state, now)) return LoginFailed();  // locked by a concurrent failure
    LoginState next = AfterSuccess(state);
    UserStore::UpdateLoginState(s, fresh->id, next.failed_logins, "");
    out.token = NewSessionToken();
    SessionRow row;
    row.token_hash = HashToken(out.token);
    row.user_id = fresh->id;
    row.created_at = FormatTimestamp(now);
    row.last_seen_at = row.created_at;
    UserStore::InsertSession(s, row, client);
    out.user = *fresh;
    out.expires_idle_at = FormatTimestamp(now + sessions_.idle);
    JD_RETURN_IF_ERROR(
        audit_.Append(s, PrincipalOf(*fresh, client, request_id),
                      {.action = "auth.login", .object_type = "user", .object_id = fresh->id}));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!good) return LoginFailed();
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& token, const std::string& client,
                                            const std::string& request_id) {
  if (token.empty() || token.size() > 256) return Status::Unauthenticated();
  std::string hash = HashToken(token);
  std::optional<SessionRow> session;
  std::optional<User> user;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    session = UserStore::FindSession(s, hash);
    if (session) user = UserStore::FindById(s, session->user_id);
    return Status::Ok();
  }));
  if (!session || !user || !session->ended_at.empty() || !user->active) {
    return Status::Unauthenticated("the session has ended, log in again", "会话已结束，请重新登录");
  }
  auto now = clock_.Now();
  auto created = ParseTimestamp(session->created_at);
  auto last_seen = ParseTimestamp(session->last_seen_at);
  if (!created || !last_seen || SessionExpired(*created, *last_seen, now, sessions_)) {
    return Status::Unauthenticated("the session has expired, log in again",
                                   "会话已超时，请重新登录");
  }
  // Touch at most once a minute: idle expiry needs minute precision, not a write per request.
  if (now - *last_seen > std::chrono::minutes(1)) {
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      UserStore::TouchSession(s, hash, FormatTimestamp(now));
      return Status::Ok();
    }));
  }
  return PrincipalOf(*user, client, request_id);
}

Status AuthService::Logout(const std::string& token, const Principal& who) {
  std::string hash = HashToken(token);
  return db_.Write([&](soci::session& s) {
    UserStore::EndSession(s, hash, FormatTimestamp(clock_.Now()));
    return audit_.Append(
        s, who, {.action = "auth.logout", .object_type = "user", .object_id = who.user_id});
  });
}

Result<User> AuthService::CreateUser(const Principal& by, const NewUser& nu) {
  JD_RETURN_IF_ERROR(Require(by, Permission::kUserManage));
  FieldErrors errors;
  static const std::regex kUsername("^[a-z][a-z0-9_.-]{2,31}$");
  if (!std::regex_match(nu.username, kUsername)) {
    errors.Add("username", "invalid_username", "用户名须为3–32位小写字母、数字、_ . -，以字母开头",
               "a username is 3–32 lower-case letters, digits, _ . or -, starting with a letter");
  }
  auto role = ParseRole(nu.role);
  if (!role) {
    errors.Add("role", "invalid_value", "未知角色：" + nu.role, "unknown role: " + nu.role);
  }
  Status policy = CheckPasswordPolicy(nu.password, nu.username);
  if (!policy.ok()) errors.Append(policy.field_errors());
  if (nu.org_code.empty())
    errors.Add("org", "required", "必须指定所属机构", "an org unit is required");
  if (auto e = CheckText(nu.display_name, FieldKind::kName, "display_name", "姓名")) {
    errors.Add(std::move(*e));
  }
  if (!errors.empty()) return errors.ToStatus();

  auto hash = HashPassword(nu.password);
  if (!hash.ok()) return hash.status();
  User u;
  u.id = NewId();
  u.username = nu.username;
  u.display_name = nu.display_name.empty() ? nu.username : nu.display_name;
  u.role = *role;
  u.org_code = nu.org_code;
  u.password_hash = *hash;
  // A password chosen by someone else (a security administrator, the demo) is one-time.
  u.must_change_password = nu.must_change_password || !by.system;
  u.created_at = FormatTimestamp(clock_.Now());
  Status st = db_.Write([&](soci::session& s) {
    auto path = UserStore::OrgPath(s, u.org_code);
    if (!path) {
      return Status::Invalid({{"org", "unknown_org", "机构代码不存在：" + u.org_code,
                               "no org unit has the code " + u.org_code}});
    }
    u.org_path = *path;
    if (UserStore::FindByUsername(s, u.username)) {
      return Status::AlreadyExists("the username is taken", "用户名已存在");
    }
    UserStore::Insert(s, u);
    return audit_.Append(
        s, by,
        {.action = "user.create",
         .object_type = "user",
         .object_id = u.id,
         .detail = fmt::format("{} {} {}", u.username, RoleCode(u.role), u.org_code)});
  });
  if (!st.ok()) return st;
  u.password_hash.clear();
  return u;
}

Result<std::vector<User>> AuthService::ListUsers(const Principal& by) {
  JD_RETURN_IF_ERROR(Require(by, Permission::kUserManage));
  std::vector<User> users;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    users = UserStore::List(s);
    return Status::Ok();
  }));
  for (auto& u : users) u.password_hash.clear();
  return users;
}

Status AuthService::SetPassword(const Principal& by, const std::string& user_id,
                                const std::string& password) {
  JD_RETURN_IF_ERROR(Require(by, Permission::kUserManage));
  std::optional<User> user;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    user = UserStore::FindById(s, user_id);
    return Status::Ok();
  }));
  if (!user) return Status::NotFound("no such user", "用户不存在");
  JD_RETURN_IF_ERROR(CheckPasswordPolicy(password, user->username));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  return db_.Write([&](soci::session& s) {
    std::string now = FormatTimestamp(clock_.Now());
    // A password an administrator set is known to them: the user replaces it at next log-in.
    UserStore::UpdatePassword(s, user_id, *hash, now, /*must_change=*/!by.system);
    UserStore::EndSessionsOfUser(s, user_id, now);
    return audit_.Append(
        s, by, {.action = "user.set_password", .object_type = "user", .object_id = user_id});
  });
}

Status AuthService::SetActive(const Principal& by, const std::string& user_id, bool active) {
  JD_RETURN_IF_ERROR(Require(by, Permission::kUserManage));
  return db_.Write([&](soci::session& s) {
    if (!UserStore::FindById(s, user_id)) return Status::NotFound("no such user", "用户不存在");
    UserStore::SetActive(s, user_id, active);
    if (!active) UserStore::EndSessionsOfUser(s, user_id, FormatTimestamp(clock_.Now()));
    return audit_.Append(s, by,
                         {.action = active ? "user.enable" : "user.disable",
                          .object_type = "user",
                          .object_id = user_id});
  });
}

Status AuthService::ChangeOwnPassword(const Principal& who, const std::string& session_token,
                                      const std::string& current, const std::string& next) {
  std::optional<User> user;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    user = UserStore::FindById(s, who.user_id);
    return Status::Ok();
  }));
  if (!user) return Status::Unauthenticated();
  if (!VerifyPassword(user->password_hash, current)) {
    auto now = clock_.Now();
    JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) {
      auto fresh = UserStore::FindById(s, who.user_id);
      if (!fresh) return Status::Ok();
      LoginState next_state = AfterFailure(StateOf(*fresh), now, lockout_);
      std::string locked = next_state.locked_until ? FormatTimestamp(*next_state.locked_until) : "";
      UserStore::UpdateLoginState(s, fresh->id, next_state.failed_logins, locked);
      if (next_state.locked_until) UserStore::EndSessionsOfUser(s, fresh->id, FormatTimestamp(now));
      return audit_.Append(
          s, who,
          {.action = "user.change_password",
           .object_type = "user",
           .object_id = who.user_id,
           .result = "failed",
           .detail = next_state.locked_until ? "wrong current password; account locked"
                                             : "wrong current password"});
    }));
    return Status::Invalid({{"current_password", "wrong_password", "当前密码不正确",
                             "the current password is wrong"}});
  }
  JD_RETURN_IF_ERROR(CheckPasswordPolicy(next, user->username));
  auto hash = HashPassword(next);
  if (!hash.ok()) return hash.status();
  return db_.Write([&](soci::session& s) {
    std::string now = FormatTimestamp(clock_.Now());
    UserStore::UpdatePassword(s, who.user_id, *hash, now, /*must_change=*/false);
    // Whoever else was signed in with the old password is signed out.
    UserStore::EndOtherSessionsOfUser(s, who.user_id, HashToken(session_token), now);
    return audit_.Append(
        s, who,
        {.action = "user.change_password", .object_type = "user", .object_id = who.user_id});
  });
}

}  // namespace jd::auth
