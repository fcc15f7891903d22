#include "auth/audit_log.h"

#include "auth/permissions.h"

namespace jd::auth {

namespace {
constexpr const char* kColumns =
    "seq, at, user_id, username, role, action, object_type, object_id, person_id, result, client, "
    "request_id, detail, hmac";

void ReadEntry(const soci::row& r, AuditEntry& e) {
  e.seq = storage::RowInt64(r, 0);
  e.at = r.get<std::string>(1);
  e.user_id = r.get<std::string>(2);
  e.username = r.get<std::string>(3);
  e.role = r.get<std::string>(4);
  e.action = r.get<std::string>(5);
  e.object_type = r.get<std::string>(6);
  e.object_id = r.get<std::string>(7);
  e.person_id = r.get<std::string>(8);
  e.result = r.get<std::string>(9);
  e.client = r.get<std::string>(10);
  e.request_id = r.get<std::string>(11);
  e.detail = r.get<std::string>(12);
  e.hmac = r.get<std::string>(13);
}
}  // namespace

AuditLog::AuditLog(storage::Database& db, AuditKey key, const Clock& clock)
    : db_(db), key_(std::move(key)), clock_(clock) {}

Status AuditLog::Append(soci::session& tx, const Principal& who, const AuditEvent& event) {
  // The chain's tail is read inside the same write transaction, so a rolled-back write leaves no
  // gap and a second process (a CLI import beside the server) continues the same chain.
  long long last_seq = 0;
  std::string last_hmac;
  soci::indicator ind = soci::i_ok;
  tx << "SELECT seq, hmac FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(last_seq),
      soci::into(last_hmac, ind);
  if (!tx.got_data()) {
    last_seq = 0;
    last_hmac.clear();
  }
  AuditEntry e;
  e.seq = last_seq + 1;
  e.at = FormatTimestamp(clock_.Now());
  e.user_id = who.user_id;
  e.username = who.username;
  e.role = std::string(RoleCode(who.role));
  e.action = event.action;
  e.object_type = event.object_type;
  e.object_id = event.object_id;
  e.person_id = event.person_id;
  e.result = event.result;
  e.client = who.client;
  e.request_id = who.request_id;
  e.detail = event.detail;
  e.hmac = ChainHmac(key_, last_hmac, e);
  long long seq = e.seq;
  tx << "INSERT INTO audit_log(seq, at, user_id, username, role, action, object_type, object_id, "
        "person_id, result, client, request_id, detail, hmac) VALUES (:seq, :at, :uid, :un, :role, "
        ":act, :ot, :oid, :pid, :res, :cl, :rid, :det, :h)",
      soci::use(seq), soci::use(e.at), soci::use(e.user_id), soci::use(e.username),
      soci::use(e.role), soci::use(e.action), soci::use(e.object_type), soci::use(e.object_id),
      soci::use(e.person_id), soci::use(e.result), soci::use(e.client), soci::use(e.request_id),
      soci::use(e.detail), soci::use(e.hmac);
  return Status::Ok();
}

Status AuditLog::Record(const Principal& who, const AuditEvent& event) {
  return db_.Write([&](soci::session& tx) { return Append(tx, who, event); });
}

Result<std::vector<AuditEntry>> AuditLog::Query(const AuditQuery& q) {
  std::vector<AuditEntry> out;
  Status st = db_.Read([&](soci::session& s) {
    long long before = q.before_seq > 0 ? q.before_seq : (1LL << 62);
    int limit = q.limit <= 0 || q.limit > 500 ? 50 : q.limit;
    std::string action_like = q.action_prefix + "%";
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM audit_log WHERE seq < :before AND (:uid = '' OR user_id = :uid2) AND "
                      "(:pid = '' OR person_id = :pid2) AND action LIKE :act ORDER BY seq DESC "
                      "LIMIT :lim";
    soci::rowset<soci::row> rows =
        (s.prepare << sql, soci::use(before), soci::use(q.user_id), soci::use(q.user_id),
         soci::use(q.person_id), soci::use(q.person_id), soci::use(action_like), soci::use(limit));
    for (const auto& r : rows) {
      AuditEntry e;
      ReadEntry(r, e);
      out.push_back(std::move(e));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<AuditVerifyReport> AuditLog::Verify() {
  AuditVerifier verifier(key_);
  Status st = db_.Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY seq");
    for (const auto& r : rows) {
      AuditEntry e;
      ReadEntry(r, e);
      verifier.Add(e);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return verifier.Finish();
}

}  // namespace jd::auth
