#include "auth/audit_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>

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

AuditLog::AuditLog(storage::Database& db, AuditKey key, const Clock& clock, std::string head_path)
    : db_(db), key_(std::move(key)), clock_(clock), head_path_(std::move(head_path)) {
  if (!head_path_.empty()) db_.AddCommitHook([this] { UpdateHead(); });
}

namespace {
// The newest committed row; seq 0 when the log is empty.
Result<AuditHead> NewestRow(storage::Database& db) {
  AuditHead head;
  Status st = db.Read([&](soci::session& s) {
    long long seq = 0;
    s << "SELECT seq, hmac FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(seq),
        soci::into(head.hmac);
    head.seq = s.got_data() ? seq : 0;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return head;
}
}  // namespace

void AuditLog::UpdateHead() {
  std::lock_guard lock(head_mu_);
  if (!head_loaded_) {
    // Start from the file, which another process (or an earlier run) may have moved further.
    Result<AuditHead> recorded = ReadAuditHead(head_path_, key_);
    if (recorded.ok()) {
      head_ = *recorded;
    } else if (recorded.status().code() != StatusCode::kNotFound) {
      // Not ours to repair: `audit verify` reports it, and overwriting would hide it.
      spdlog::error("audit head not updated: {}", recorded.status().message_en());
      head_frozen_ = true;
    }
    head_loaded_ = true;
  }
  if (head_frozen_) return;
  // Read back from the committed state rather than remembered from Append: a rolled-back
  // transaction's row must never become the head, or verify would report it deleted.
  AuditHead newest;
  std::string hmac_at_head;
  Status st = db_.Read([&](soci::session& s) {
    long long seq = 0;
    s << "SELECT seq, hmac FROM audit_log ORDER BY seq DESC LIMIT 1", soci::into(seq),
        soci::into(newest.hmac);
    newest.seq = s.got_data() ? seq : 0;
    if (head_.seq > 0) {
      long long at = head_.seq;
      s << "SELECT hmac FROM audit_log WHERE seq = :s", soci::use(at), soci::into(hmac_at_head);
      if (!s.got_data()) hmac_at_head.clear();
    }
    return Status::Ok();
  });
  // A log shorter than its head, or different at the head's row, lost its end: the head stays as
  // the evidence `audit verify` reports ("truncated", "modified").
  if (!st.ok() || newest.seq <= head_.seq) return;
  if (head_.seq > 0 && hmac_at_head != head_.hmac) {
    spdlog::error("audit log row {} differs from the recorded head; head kept for audit verify",
                  head_.seq);
    head_frozen_ = true;
    return;
  }
  Status written = WriteAuditHead(head_path_, key_, newest);
  if (!written.ok()) {
    spdlog::error("audit head not recorded: {}", written.message_en());
    return;
  }
  head_ = newest;
}

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
  // A read or a refusal happened even when a transaction around it fails (a FHIR transaction
  // Bundle): its row is kept.
  return db_.WriteIndependently(
      [this, who, event](soci::session& tx) { return Append(tx, who, event); });
}

Status AuditLog::WriteHeadOf(storage::Database& copy, const std::string& head_path) const {
  Result<AuditHead> newest = NewestRow(copy);
  if (!newest.ok()) return newest.status();
  if (newest->seq == 0) {
    return Status::NotFound("the copy has no audit rows", "副本中没有审计记录");
  }
  return WriteAuditHead(head_path, key_, *newest);
}

Result<std::vector<AuditEntry>> AuditLog::Query(const AuditQuery& q) {
  std::vector<AuditEntry> out;
  const int limit = q.limit <= 0 || q.limit > 500 ? 50 : q.limit;
  Status st = db_.Read([&](soci::session& s) {
    long long before = q.before_seq > 0 ? q.before_seq : (1LL << 62);
    std::string action_like = q.action_prefix + "%";
    std::string sql = std::string("SELECT ") + kColumns +
                      " FROM audit_log WHERE seq < :before AND (:uid = '' OR user_id = :uid2) AND "
                      "(:pid = '' OR person_id = :pid2) AND action LIKE :act ORDER BY seq DESC "
                      "LIMIT :lim";
    // One indexed look-up per person (audit_log_person), merged below.
    std::vector<std::string> persons = q.person_ids;
    if (persons.empty()) persons.push_back(q.person_id);
    for (const std::string& pid : persons) {
      soci::rowset<soci::row> rows =
          (s.prepare << sql, soci::use(before), soci::use(q.user_id), soci::use(q.user_id),
           soci::use(pid), soci::use(pid), soci::use(action_like), soci::use(limit));
      for (const auto& r : rows) {
        AuditEntry e;
        ReadEntry(r, e);
        out.push_back(std::move(e));
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (q.person_ids.size() > 1) {
    std::sort(out.begin(), out.end(),
              [](const AuditEntry& a, const AuditEntry& b) { return a.seq > b.seq; });
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(limit);
  }
  return out;
}

Result<AuditVerifyReport> AuditLog::Verify() {
  // The head is read before the rows: the log only grows, so every row it names is in the
  // snapshot read after it unless the row was deleted.
  std::optional<AuditHead> head;
  std::optional<AuditFinding> head_problem;
  if (!head_path_.empty()) {
    Result<AuditHead> read = ReadAuditHead(head_path_, key_);
    if (read.ok()) {
      head = std::move(read).value();
    } else if (read.status().code() == StatusCode::kNotFound) {
      head_problem =
          AuditFinding{0, "head_missing",
                       "the end of the log recorded outside the database (" + head_path_ +
                           ") is missing: rows deleted from the end "
                           "cannot be detected"};
    } else {
      head_problem = AuditFinding{0, "head_invalid", read.status().message_en()};
    }
  }
  AuditVerifier verifier(key_, head);
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
  AuditVerifyReport report = verifier.Finish();
  if (head_problem && report.rows_checked > 0) report.findings.push_back(*head_problem);
  return report;
}

}  // namespace jd::auth
