#include "auth/audit_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace jd::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Matches;

const AuditKey kKey = AuditKey::FromBytesForTest(std::string(32, 'k'));
const AuditKey kOtherKey = AuditKey::FromBytesForTest(std::string(32, 'x'));

AuditEntry Row(std::int64_t seq) {
  AuditEntry e;
  e.seq = seq;
  e.at = "2026-03-14T09:00:" + std::to_string(10 + seq % 50) + ".000Z";
  e.user_id = "0195f3c0-user-" + std::to_string(seq % 3);
  e.username = "user" + std::to_string(seq % 3);
  e.role = "center";
  e.action = seq % 2 ? "person.read" : "person.update";
  e.object_type = "person";
  e.object_id = "p-" + std::to_string(seq);
  e.person_id = "p-" + std::to_string(seq);
  e.result = "ok";
  e.client = "10.0.0.7";
  e.request_id = "req-" + std::to_string(seq);
  e.detail = R"({"fields":["phone"]})";
  return e;
}

std::vector<AuditEntry> Chain(int n, const AuditKey& key = kKey) {
  std::vector<AuditEntry> rows;
  std::string prev;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e = Row(i);
    e.hmac = ChainHmac(key, prev, e);
    prev = e.hmac;
    rows.push_back(e);
  }
  return rows;
}

AuditVerifyReport Verify(const std::vector<AuditEntry>& rows, const AuditKey& key = kKey) {
  AuditVerifier v(key);
  for (const AuditEntry& e : rows) v.Add(e);
  return v.Finish();
}

auto IsFinding(std::int64_t seq, const std::string& kind) {
  return ::testing::AllOf(Field(&AuditFinding::seq, seq), Field(&AuditFinding::kind, kind));
}

// --- ChainHmac ---

TEST(ChainHmac, MatchesTheDocumentedEncoding) {
  AuditEntry e = Row(7);
  std::string msg;
  auto put_len = [&](std::uint64_t n) {
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  };
  auto put = [&](std::string_view s) {
    put_len(s.size());
    msg.append(s);
  };
  std::string prev(64, 'a');
  put("jd.audit.v1");
  put(prev);
  put_len(7);  // seq, big-endian
  for (const std::string& f :
       {e.at, e.user_id, e.username, e.role, e.action, e.object_type, e.object_id, e.person_id,
        e.result, e.client, e.request_id, e.detail}) {
    put(f);
  }
  std::string key(32, 'k');
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  EXPECT_EQ(ChainHmac(kKey, prev, e), hex);
}

// --- QueryDigest ---

TEST(QueryDigest, MatchesTheDocumentedEncodingAndDependsOnTheKey) {
  std::string msg;
  auto put = [&](std::string_view s) {
    for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((s.size() >> (8 * i)) & 0xFF));
    msg.append(s);
  };
  put("jd.audit.query.v1");
  put("王小明");
  std::string key(32, 'k');
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  EXPECT_EQ(QueryDigest(kKey, "王小明"), std::string(hex, 16));
  EXPECT_NE(QueryDigest(kKey, "王小明"), QueryDigest(kKey, "王小"));
  EXPECT_NE(QueryDigest(AuditKey::FromBytesForTest(std::string(32, 'z')), "王小明"),
            QueryDigest(kKey, "王小明"));
}

TEST(ChainHmac, IsLowerHexAndIgnoresTheStoredHmac) {
  AuditEntry e = Row(1);
  std::string h = ChainHmac(kKey, "", e);
  ASSERT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  e.hmac = "anything";
  EXPECT_EQ(ChainHmac(kKey, "", e), h);
  // The first row chains with 64 zeros; an empty prev_hmac means the same.
  EXPECT_EQ(ChainHmac(kKey, std::string(64, '0'), e), h);
}

TEST(ChainHmac, EveryFieldTheSeqThePredecessorAndTheKeyCount) {
  const AuditEntry base = Row(5);
  const std::string h = ChainHmac(kKey, "", base);
  std::vector<std::string AuditEntry::*> fields = {
      &AuditEntry::at,        &AuditEntry::user_id,    &AuditEntry::username,
      &AuditEntry::role,      &AuditEntry::action,     &AuditEntry::object_type,
      &AuditEntry::object_id, &AuditEntry::person_id,  &AuditEntry::result,
      &AuditEntry::client,    &AuditEntry::request_id, &AuditEntry::detail};
  for (auto f : fields) {
    AuditEntry e = base;
    e.*f += "!";
    EXPECT_NE(ChainHmac(kKey, "", e), h);
  }
  AuditEntry e = base;
  e.seq = 6;
  EXPECT_NE(ChainHmac(kKey, "", e), h);
  EXPECT_NE(ChainHmac(kKey, std::string(64, '1'), base), h);
  EXPECT_NE(ChainHmac(kOtherKey, "", base), h);
}

TEST(ChainHmac, FieldBoundariesAreUnambiguous) {
  AuditEntry a = Row(1), b = Row(1);
  a.object_type = "person";
  a.object_id = "p1";
  b.object_type = "personp";
  b.object_id = "1";
  EXPECT_NE(ChainHmac(kKey, "", a), ChainHmac(kKey, "", b));
  a.detail = "";
  a.client = "x";
  b = a;
  b.client = "";
  b.request_id = "x" + a.request_id;
  EXPECT_NE(ChainHmac(kKey, "", a), ChainHmac(kKey, "", b));
}

// --- AuditVerifier ---

TEST(AuditVerifier, IntactChainOfHundredRowsVerifies) {
  AuditVerifyReport r = Verify(Chain(100));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rows_checked, 100);
  EXPECT_TRUE(r.findings.empty());
}

TEST(AuditVerifier, EmptyLogVerifies) {
  AuditVerifyReport r = Verify({});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rows_checked, 0);
}

TEST(AuditVerifier, EditedRowIsOneModifiedFinding) {
  std::vector<AuditEntry> rows = Chain(100);
  rows[39].detail = R"({"fields":[]})";  // seq 40
  AuditVerifyReport r = Verify(rows);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.rows_checked, 100);
  EXPECT_THAT(r.findings, ElementsAre(IsFinding(40, "modified")));
}

TEST(AuditVerifier, EditingAnyFieldIsDetected) {
  for (auto f : {&AuditEntry::at, &AuditEntry::username, &AuditEntry::action,
                 &AuditEntry::person_id, &AuditEntry::result}) {
    std::vector<AuditEntry> rows = Chain(20);
    rows[9].*f = "";
    EXPECT_THAT(Verify(rows).findings, ElementsAre(IsFinding(10, "modified")));
  }
  std::vector<AuditEntry> rows = Chain(20);
  rows[0].user_id = "someone-else";  // the first row too
  EXPECT_THAT(Verify(rows).findings, ElementsAre(IsFinding(1, "modified")));
}

TEST(AuditVerifier, ReplacedHmacAlsoBreaksTheNextRow) {
  std::vector<AuditEntry> rows = Chain(100);
  rows[39].detail = "{}";
  rows[39].hmac = ChainHmac(kOtherKey, rows[38].hmac, rows[39]);  // forged without the key
  EXPECT_THAT(Verify(rows).findings,
              ElementsAre(IsFinding(40, "modified"), IsFinding(41, "modified")));
}

TEST(AuditVerifier, DeletedRowIsOneMissingFinding) {
  std::vector<AuditEntry> rows = Chain(100);
  rows.erase(rows.begin() + 59);  // seq 60
  AuditVerifyReport r = Verify(rows);
  EXPECT_EQ(r.rows_checked, 99);
  ASSERT_THAT(r.findings, ElementsAre(IsFinding(60, "missing")));
  EXPECT_THAT(r.findings[0].detail, HasSubstr("row 60"));
  EXPECT_THAT(r.findings[0].detail, HasSubstr("61"));
}

TEST(AuditVerifier, DeletedRangeIsOneFinding) {
  std::vector<AuditEntry> rows = Chain(100);
  rows.erase(rows.begin() + 59, rows.begin() + 62);  // seq 60, 61, 62
  AuditVerifyReport r = Verify(rows);
  ASSERT_THAT(r.findings, ElementsAre(IsFinding(60, "missing")));
  EXPECT_THAT(r.findings[0].detail, HasSubstr("60 to 62 (3)"));
}

TEST(AuditVerifier, DeletedFirstRowsAreMissing) {
  std::vector<AuditEntry> rows = Chain(10);
  rows.erase(rows.begin(), rows.begin() + 2);
  EXPECT_THAT(Verify(rows).findings, ElementsAre(IsFinding(1, "missing")));
}

TEST(AuditVerifier, DeletionAndEditAreSeparateFindings) {
  std::vector<AuditEntry> rows = Chain(100);
  rows[79].result = "denied";     // seq 80
  rows.erase(rows.begin() + 59);  // seq 60
  EXPECT_THAT(Verify(rows).findings,
              ElementsAre(IsFinding(60, "missing"), IsFinding(80, "modified")));
}

TEST(AuditVerifier, OutOfOrderAndDuplicateRowsAreReordered) {
  std::vector<AuditEntry> rows = Chain(10);
  std::swap(rows[4], rows[5]);  // seq 6 arrives before seq 5
  EXPECT_THAT(Verify(rows).findings,
              ElementsAre(IsFinding(5, "missing"), IsFinding(5, "reordered")));

  rows = Chain(10);
  rows.insert(rows.begin() + 3, rows[3]);  // seq 4 twice
  AuditVerifyReport r = Verify(rows);
  EXPECT_EQ(r.rows_checked, 11);
  EXPECT_THAT(r.findings, ElementsAre(IsFinding(4, "reordered")));

  rows = Chain(3);
  rows[0].seq = 0;
  EXPECT_THAT(Verify(rows).findings,
              ElementsAre(IsFinding(0, "reordered"), IsFinding(1, "missing")));
}

TEST(AuditVerifier, WrongKeyFailsEveryRow) {
  AuditVerifyReport r = Verify(Chain(100), kOtherKey);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.findings.size(), 100u);
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    EXPECT_TRUE(Matches(IsFinding(static_cast<std::int64_t>(i + 1), "modified"))(r.findings[i]));
  }
}

TEST(AuditVerifier, KeepsABoundedNumberOfFindings) {
  AuditVerifyReport r = Verify(Chain(kMaxAuditFindings + 500), kOtherKey);
  EXPECT_EQ(r.rows_checked, static_cast<std::int64_t>(kMaxAuditFindings + 500));
  EXPECT_EQ(r.findings.size(), kMaxAuditFindings);
  EXPECT_EQ(r.findings_omitted, 500);
  EXPECT_FALSE(r.ok());
}

// --- AuditHead ---

AuditVerifyReport VerifyWithHead(const std::vector<AuditEntry>& rows, const AuditHead& head) {
  AuditVerifier v(kKey, head);
  for (const AuditEntry& e : rows) v.Add(e);
  return v.Finish();
}

TEST(AuditVerifier, LastThreeRowsDeletedAreTruncatedAgainstTheHead) {
  std::vector<AuditEntry> rows = Chain(100);
  AuditHead head{100, rows.back().hmac};
  EXPECT_TRUE(VerifyWithHead(rows, head).ok());
  rows.resize(97);  // seq 98, 99, 100 gone: the chain itself has no gap
  EXPECT_TRUE(Verify(rows).ok());
  AuditVerifyReport r = VerifyWithHead(rows, head);
  ASSERT_THAT(r.findings, ElementsAre(IsFinding(98, "truncated")));
  EXPECT_THAT(r.findings[0].detail, HasSubstr("98 to 100 (3)"));
}

TEST(AuditVerifier, EverythingDeletedIsTruncatedFromTheFirstRow) {
  std::vector<AuditEntry> rows = Chain(5);
  AuditVerifyReport r = VerifyWithHead({}, AuditHead{5, rows.back().hmac});
  EXPECT_THAT(r.findings, ElementsAre(IsFinding(1, "truncated")));
}

TEST(AuditVerifier, AnOlderHeadIsFineAndACutAndRewrittenLogIsNot) {
  std::vector<AuditEntry> rows = Chain(100);
  // The head lags behind the log (it is written after each commit): no finding.
  EXPECT_TRUE(VerifyWithHead(rows, AuditHead{90, rows[89].hmac}).ok());
  // Rows 98-100 deleted and three new rows appended in their place: the chain is intact, but
  // row 100 is not the row the head recorded.
  AuditHead head{100, rows.back().hmac};
  rows.resize(97);
  std::string prev = rows.back().hmac;
  for (int seq = 98; seq <= 100; ++seq) {
    AuditEntry e = Row(seq);
    e.detail = "{}";
    e.hmac = ChainHmac(kKey, prev, e);
    prev = e.hmac;
    rows.push_back(e);
  }
  EXPECT_THAT(VerifyWithHead(rows, head).findings, ElementsAre(IsFinding(100, "modified")));
}

class AuditHeadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "jd_audit_head_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "db.audit-head").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(AuditHeadFile, WrittenWithMode0600AndReadBack) {
  AuditHead head{42, std::string(64, 'a')};
  ASSERT_TRUE(WriteAuditHead(path_, kKey, head).ok());
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  Result<AuditHead> read = ReadAuditHead(path_, kKey);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, head);
  // Rewritten in place by a newer head.
  ASSERT_TRUE(WriteAuditHead(path_, kKey, AuditHead{43, std::string(64, 'b')}).ok());
  EXPECT_EQ(ReadAuditHead(path_, kKey)->seq, 43);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
}

TEST_F(AuditHeadFile, MissingEditedOrOtherKeyIsRefused) {
  EXPECT_EQ(ReadAuditHead(path_, kKey).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(WriteAuditHead(path_, kKey, AuditHead{42, std::string(64, 'a')}).ok());
  EXPECT_EQ(ReadAuditHead(path_, kOtherKey).status().code(), StatusCode::kFailedPrecondition);
  std::string text;
  {
    std::ifstream in(path_, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Winding the head back to an earlier row without the key is refused.
  std::string wound = "41" + text.substr(2);
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << wound;
  EXPECT_EQ(ReadAuditHead(path_, kKey).status().code(), StatusCode::kFailedPrecondition);
  for (const std::string& junk :
       {std::string(""), std::string("42\n"), std::string("x y z\n"), std::string("-1 aa bb\n")}) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << junk;
    EXPECT_EQ(ReadAuditHead(path_, kKey).status().code(), StatusCode::kFailedPrecondition) << junk;
  }
}

// --- AuditKey ---

class AuditKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "jd_audit_key_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "audit.key").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& content, mode_t mode = 0600) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << content;
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
  }
  mode_t Mode() const {
    struct stat st;
    EXPECT_EQ(::stat(path_.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  std::string Read() const {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(AuditKeyFile, CreatedWithMode0600AndReloadedEqual) {
  Result<AuditKey> created = AuditKey::LoadOrCreate(path_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(Mode(), 0600u);
  std::string text = Read();
  ASSERT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), 64u);

  Result<AuditKey> loaded = AuditKey::Load(path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(*loaded == *created);
  Result<AuditKey> again = AuditKey::LoadOrCreate(path_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == *created);
  EXPECT_EQ(Read(), text);  // not rewritten
  // Only the key file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);

  // The loaded key makes the same chain.
  AuditEntry e = Row(1);
  EXPECT_EQ(ChainHmac(*loaded, "", e), ChainHmac(*created, "", e));
}

TEST_F(AuditKeyFile, TwoCreatedKeysDiffer) {
  Result<AuditKey> a = AuditKey::LoadOrCreate(path_);
  Result<AuditKey> b = AuditKey::LoadOrCreate((dir_ / "other.key").string());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(*a == *b);
}

TEST_F(AuditKeyFile, GroupOrOtherAccessIsRefused) {
  ASSERT_TRUE(AuditKey::LoadOrCreate(path_).ok());
  std::string text = Read();
  for (mode_t mode : {0640, 0604, 0620, 0602, 0644}) {
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
    Result<AuditKey> k = AuditKey::Load(path_);
    EXPECT_EQ(k.status().code(), StatusCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_THAT(k.status().message_en(), HasSubstr("chmod 600"));
    // LoadOrCreate refuses too, and leaves the file alone.
    EXPECT_EQ(AuditKey::LoadOrCreate(path_).status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(Read(), text);
  }
  ASSERT_EQ(::chmod(path_.c_str(), 0400), 0);
  EXPECT_TRUE(AuditKey::Load(path_).ok());
}

TEST_F(AuditKeyFile, MissingFileOrDirectory) {
  EXPECT_EQ(AuditKey::Load(path_).status().code(), StatusCode::kNotFound);
  std::string nested = (dir_ / "no-such-dir" / "audit.key").string();
  Result<AuditKey> k = AuditKey::LoadOrCreate(nested);
  EXPECT_EQ(k.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(k.status().message_en(), HasSubstr("directory"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "no-such-dir"));
}

TEST_F(AuditKeyFile, WrongSizeOrFormatIsRefused) {
  const std::string hex64 = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
  Write(hex64 + "\n");
  EXPECT_TRUE(AuditKey::Load(path_).ok());
  Write(hex64);  // without the newline
  EXPECT_TRUE(AuditKey::Load(path_).ok());
  for (const std::string& bad :
       {std::string(), hex64.substr(1) + "\n", hex64 + "0\n", hex64 + "\r\n", hex64 + " ",
        "g" + hex64.substr(1) + "\n", std::string(64, ' ') + "\n", std::string(64, '0') + "\n"}) {
    Write(bad);
    Result<AuditKey> k = AuditKey::Load(path_);
    EXPECT_EQ(k.status().code(), StatusCode::kFailedPrecondition) << bad;
    // LoadOrCreate never replaces a bad key file.
    EXPECT_EQ(AuditKey::LoadOrCreate(path_).status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(Read(), bad);
  }
}

TEST_F(AuditKeyFile, DirectoryIsNotAKeyFile) {
  EXPECT_EQ(AuditKey::Load(dir_.string()).status().code(), StatusCode::kFailedPrecondition);
}

TEST(AuditKey, MovedFromKeyIsWiped) {
  AuditKey a = AuditKey::FromBytesForTest(std::string(32, 'k'));
  AuditKey b = std::move(a);
  EXPECT_TRUE(b == kKey);
  EXPECT_TRUE(a == AuditKey::FromBytesForTest(std::string(32, '\0')));  // NOLINT: use after move
  AuditKey c = kOtherKey;                                               // copies are independent
  EXPECT_TRUE(c == kOtherKey);
  EXPECT_FALSE(c == kKey);
}

TEST(AuditKey, TestKeysMustBe32Bytes) {
  EXPECT_THROW(AuditKey::FromBytesForTest("short"), std::invalid_argument);
}

}  // namespace
}  // namespace jd::auth
