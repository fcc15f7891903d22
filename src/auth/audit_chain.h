// File: auth/audit_chain.h
// Tamper evidence for the append-only audit log (GB/T 22239-2019 第三级 安全计算环境 安全审计:
// 应对审计记录进行保护，避免受到未预期的删除、修改或覆盖等). Each row carries an HMAC-SHA-256 of
// its contents chained with the previous row's HMAC, under a key kept in a file outside the
// database, so someone who can write the database but not read the key cannot edit, delete or
// reorder rows without detection. Deleting rows at the end of the log is only visible against a
// record of the last seq kept elsewhere.
//
// AuditKey: 32 secret bytes, wiped from memory when destroyed. Copies are independent and each is
//   wiped in turn.
//   Load(path): reads a key file: exactly 64 hex digits, optionally followed by one '\n'.
//     kNotFound when the file does not exist; kFailedPrecondition when it is not a regular file,
//     any group or other permission bit is set (it must be 0600 or stricter), it has the wrong
//     size or format, or the key is all zero.
//   LoadOrCreate(path): Load, or when the file does not exist, creates it with 32 random bytes,
//     mode 0600, written in full and synced before it appears under `path` (a concurrent creator
//     never sees a partial file; the first one wins). kFailedPrecondition when the directory does
//     not exist; kUnavailable on other I/O errors.
//   FromBytesForTest(bytes): a key from exactly 32 raw bytes (a bug otherwise). Tests only.
//
// ChainHmac(key, prev_hmac, entry): lower-case hex HMAC-SHA-256 of `entry` (its `hmac` field is
//   ignored) chained with `prev_hmac`, the stored hmac of the row before (an empty prev_hmac, for
//   the first row, means 64 '0's). The message is, in order:
//     the tag "jd.audit.v1", prev_hmac, seq as 8 bytes big-endian two's complement, then at,
//     user_id, username, role, action, object_type, object_id, person_id, result, client,
//     request_id, detail;
//   where the tag, prev_hmac and every field are each preceded by their length in bytes as 8 bytes
//   big-endian, so no two different rows encode alike.
//
// QueryDigest(key, text): a keyed digest of a searched text for the audit log, so that the log
//   never holds the name or number someone looked for, yet an investigator holding the key can
//   tell which rows searched for a given text: the first 16 hex digits (64 bits) of HMAC-SHA-256
//   under `key` of the tag "jd.audit.query.v1" and `text`, each preceded by its length as in
//   ChainHmac. The tag keeps it apart from the chain's HMACs.
//
// AuditHead: the newest committed row (seq and stored hmac) as last recorded outside the database,
//   so that rows deleted from the end of the log, which leave no gap, are still noticed.
//   HeadMac(key, head): lower-case hex HMAC-SHA-256 of the tag "jd.audit.head.v1", seq as 8 bytes
//     big-endian and hmac, each length-prefixed as in ChainHmac; binds the file to the key.
//   WriteAuditHead(path, key, head): writes "<seq> <hmac> <mac>\n" to a temporary file of mode
//     0600 beside `path` and renames it over `path`, so a reader sees the old or the new head,
//     never a partial one. Not synced: a power cut can lose the last update, which makes the head
//     older (a weaker check), never wrong. kUnavailable on I/O errors.
//   ReadAuditHead(path, key): kNotFound when the file does not exist; kFailedPrecondition when its
//   format
//     is wrong or its mac does not match under `key` (edited, forged or from another key).
//
// AuditVerifier: checks rows streamed in ascending seq order, in constant memory apart from the
//   findings. Constructed with the recorded head when there is one. Add(row) judges one row:
//     - seq not greater than the previous row's: one "reordered" finding; the row is skipped;
//     - seq beyond the next expected one: one "missing" finding at the first absent seq covering
//       the whole gap; the row after the gap cannot be checked (its predecessor is gone) and the
//       verifier re-anchors on its stored hmac;
//     - otherwise the row's hmac is recomputed; a mismatch is one "modified" finding.
//   After every row the verifier chains on to the row's stored hmac, so one edited row gives one
//   finding rather than failing every row after it. The first row is expected to be seq 1 and
//   chains with 64 '0's. A wrong key makes every row "modified". At most kMaxAuditFindings
//   findings are kept; the rest are only counted in findings_omitted.
//   With a head: the row at the head's seq must carry the head's hmac, else one "modified"
//   finding (the log was rewritten from there); Finish() adds one "truncated" finding at the first
//   absent seq when the last row seen is older than the head (rows deleted from the end).
//   Limit: rows deleted from the end and then outgrown by new appends before a verify leave only
//   the hmac mismatch at the head's seq, and only until the head moves past it; run `audit verify`
//   on a schedule.
//   Finish(): the report so far (rows_checked counts every row given to Add).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::auth {

inline constexpr std::size_t kAuditKeyBytes = 32;
inline constexpr std::size_t kMaxAuditFindings = 1000;

struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string user_id;
  std::string username;
  std::string role;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string person_id;
  std::string result;
  std::string client;
  std::string request_id;
  std::string detail;
  std::string hmac;
};

struct AuditHead;

class AuditKey {
 public:
  static Result<AuditKey> LoadOrCreate(const std::string& path);
  static Result<AuditKey> Load(const std::string& path);
  static AuditKey FromBytesForTest(std::string_view bytes);

  AuditKey(const AuditKey& other) = default;
  AuditKey& operator=(const AuditKey& other) = default;
  AuditKey(AuditKey&& other) noexcept;
  AuditKey& operator=(AuditKey&& other) noexcept;
  ~AuditKey();

  // Constant-time comparison.
  bool operator==(const AuditKey& other) const;

 private:
  AuditKey() = default;

  std::array<unsigned char, kAuditKeyBytes> bytes_{};

  friend std::string ChainHmac(const AuditKey& key, std::string_view prev_hmac,
                               const AuditEntry& entry);
  friend std::string QueryDigest(const AuditKey& key, std::string_view text);
  friend std::string HeadMac(const AuditKey& key, const AuditHead& head);
};

struct AuditHead {
  std::int64_t seq = 0;
  std::string hmac;

  bool operator==(const AuditHead&) const = default;
};

std::string HeadMac(const AuditKey& key, const AuditHead& head);
Status WriteAuditHead(const std::string& path, const AuditKey& key, const AuditHead& head);
Result<AuditHead> ReadAuditHead(const std::string& path, const AuditKey& key);

std::string ChainHmac(const AuditKey& key, std::string_view prev_hmac, const AuditEntry& entry);

std::string QueryDigest(const AuditKey& key, std::string_view text);

struct AuditFinding {
  std::int64_t seq = 0;
  std::string kind;  // "modified" | "missing" (gap in seq) | "reordered" | "truncated" (end gone)
  std::string detail;

  bool operator==(const AuditFinding&) const = default;
};

struct AuditVerifyReport {
  std::int64_t rows_checked = 0;
  std::vector<AuditFinding> findings;
  std::int64_t findings_omitted = 0;  // findings beyond kMaxAuditFindings, counted only

  bool ok() const { return findings.empty() && findings_omitted == 0; }
};

class AuditVerifier {
 public:
  explicit AuditVerifier(const AuditKey& key, std::optional<AuditHead> head = std::nullopt);

  void Add(const AuditEntry& row_in_seq_order);
  AuditVerifyReport Finish();

 private:
  void AddFinding(std::int64_t seq, std::string kind, std::string detail);

  AuditKey key_;
  std::int64_t last_seq_ = 0;
  std::string prev_hmac_;
  std::optional<AuditHead> head_;
  bool truncation_reported_ = false;
  AuditVerifyReport report_;
};

}  // namespace jd::auth
