// File: auth/audit_log.h
// The audit log of a city node (等保 2.0 安全审计, PIPL 第51条): who did what to which object and
// which person's data, when, from where, with what result. Rows are appended, never changed (the
// table refuses UPDATE and DELETE), and each row's HMAC chains the previous one under a key kept
// outside the database (auth/audit_chain.h), so `Verify` reports edited or deleted rows.
// Thread-safe; appends are serialised by the database's single writer.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit_chain.h"
#include "auth/model.h"
#include "core/dates.h"
#include "storage/database.h"

namespace jd::auth {

struct AuditEvent {
  std::string action;       // e.g. "person.read", "person.create", "auth.login"
  std::string object_type;  // e.g. "person", "document", "user", "search"
  std::string object_id;
  std::string person_id;      // whose personal data was touched, when any
  std::string result = "ok";  // "ok", "denied", "not_found", "invalid", "failed"
  std::string detail;         // short JSON or text; never a full ID number or phone
};

struct AuditQuery {
  std::string user_id;
  std::string person_id;
  // When not empty: rows about any of these persons (person_id, or a person object), instead of
  // `person_id`.
  std::vector<std::string> person_ids;
  std::string action_prefix;
  std::int64_t before_seq = 0;  // 0: newest first from the end
  int limit = 50;
};

class AuditLog {
 public:
  // `head_path`, when given, is a file outside the database that follows the newest committed row
  // (AuditHead in audit_chain.h): after every committed write it is rewritten when the log has
  // grown, and Verify reports rows deleted from the end against it. Empty: no head is kept.
  AuditLog(storage::Database& db, AuditKey key, const Clock& clock, std::string head_path = {});

  // Appends a row inside the caller's write transaction (the write and its audit commit together).
  Status Append(soci::session& tx, const Principal& who, const AuditEvent& event);
  // Appends a row in a transaction of its own: reads, searches, denied attempts, logins. Inside
  // Database::Atomically the row is written after that transaction ends and kept even when it
  // is rolled back.
  Status Record(const Principal& who, const AuditEvent& event);

  // Rows matching `q`, newest first.
  Result<std::vector<AuditEntry>> Query(const AuditQuery& q);

  // Re-computes the whole chain and lists every edited, deleted or reordered row; with a head
  // file, also rows deleted from the end ("truncated"), a missing head file ("head_missing", when
  // the log has rows) and one not made with this key ("head_invalid").
  Result<AuditVerifyReport> Verify();

  // Records the newest audit row of `copy` (a backup of this log's database) in `head_path`, under
  // this log's key, so the copy verifies on its own. kNotFound when the copy has no audit row.
  Status WriteHeadOf(storage::Database& copy, const std::string& head_path) const;

  // QueryDigest (audit_chain.h) of `text` under this log's key: what a row records of a searched
  // name or number instead of the text itself.
  std::string Digest(std::string_view text) const { return QueryDigest(key_, text); }

 private:
  // The commit hook: records the newest committed row in the head file when the log has grown
  // past the recorded head and still holds the head's row unchanged. Otherwise the log lost its
  // end, and the head is left alone as the evidence. A failure to write is logged; the write that
  // triggered the hook stands.
  void UpdateHead();

  storage::Database& db_;
  AuditKey key_;
  const Clock& clock_;
  std::string head_path_;
  std::mutex head_mu_;
  bool head_loaded_ = false;  // head_ was read from the file
  bool head_frozen_ = false;  // the file is not ours or the log lost its end: never rewritten
  AuditHead head_;            // the recorded head as this process last read or wrote it
};

}  // namespace jd::auth
