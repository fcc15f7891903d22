#include "auth/audit_chain.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace jd::auth {

namespace {

void EnsureSodium() {
  // sodium_init is idempotent; the static makes the first call happen once, thread-safely.
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) throw std::runtime_error("libsodium could not be initialised");
}

constexpr std::size_t kHexChars = kAuditKeyBytes * 2;
constexpr std::string_view kTag = "jd.audit.v1";

// What the first row chains with.
std::string_view GenesisHmac() {
  static const std::string kZeros(crypto_auth_hmacsha256_BYTES * 2, '0');
  return kZeros;
}

std::string ErrnoText(int err) { return std::strerror(err); }

// Closes a file descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports whether the close (which can report a deferred write error) worked.
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void SyncDirectory(const std::string& dir) {
  // Makes the new directory entry durable; a failure only weakens durability, so it is ignored.
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Feeds `bytes` to the HMAC, preceded by their length as 8 bytes big-endian.
void UpdateField(crypto_auth_hmacsha256_state& st, std::string_view bytes) {
  unsigned char len[8];
  std::uint64_t n = bytes.size();
  for (int i = 7; i >= 0; --i) {
    len[i] = static_cast<unsigned char>(n & 0xFF);
    n >>= 8;
  }
  crypto_auth_hmacsha256_update(&st, len, sizeof len);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(bytes.data()),
                                bytes.size());
}

// Feeds a seq as 8 bytes big-endian two's complement.
void UpdateSeq(crypto_auth_hmacsha256_state& st, std::int64_t value) {
  unsigned char seq[8];
  auto s = static_cast<std::uint64_t>(value);
  for (int i = 7; i >= 0; --i) {
    seq[i] = static_cast<unsigned char>(s & 0xFF);
    s >>= 8;
  }
  crypto_auth_hmacsha256_update(&st, seq, sizeof seq);
}

// Finishes the HMAC, wipes the state, returns the MAC as lower-case hex.
std::string FinalHex(crypto_auth_hmacsha256_state& st) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(&st, sizeof st);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string(hex);
}

// "row 7 is" or "rows 7 to 9 (3) are".
std::string RangeText(std::int64_t first, std::int64_t last) {
  return first == last ? "row " + std::to_string(first) + " is"
                       : "rows " + std::to_string(first) + " to " + std::to_string(last) + " (" +
                             std::to_string(last - first + 1) + ") are";
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

// --- AuditKey -------------------------------------------------------------------------------

AuditKey::AuditKey(AuditKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

AuditKey& AuditKey::operator=(AuditKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

AuditKey::~AuditKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

bool AuditKey::operator==(const AuditKey& other) const {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0;
}

AuditKey AuditKey::FromBytesForTest(std::string_view bytes) {
  if (bytes.size() != kAuditKeyBytes) {
    throw std::invalid_argument("an audit key is exactly 32 bytes");
  }
  AuditKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), kAuditKeyBytes);
  return key;
}

Result<AuditKey> AuditKey::Load(const std::string& path) {
  EnsureSodium();
  int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (raw_fd < 0) {
    int err = errno;
    if (err == ENOENT) {
      return Status::NotFound("audit key file not found: " + path, "审计密钥文件不存在: " + path);
    }
    if (err == EACCES) {
      return Status::FailedPrecondition("audit key file is not readable: " + path,
                                        "无权读取审计密钥文件: " + path);
    }
    return Status::Unavailable("cannot open audit key file " + path + ": " + ErrnoText(err),
                               "无法打开审计密钥文件: " + path);
  }
  Fd fd(raw_fd);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return Status::Unavailable("cannot stat audit key file " + path + ": " + ErrnoText(errno),
                               "无法读取审计密钥文件: " + path);
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::FailedPrecondition("audit key file is not a regular file: " + path,
                                      "审计密钥文件不是普通文件: " + path);
  }
  // The key is what makes the chain trustworthy: anyone who can read it can forge rows, and anyone
  // who can write it can swap it. Only the owner may have access.
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::FailedPrecondition(
        "audit key file " + path + " is accessible by group or others (mode " + mode +
            "); restrict it with chmod 600",
        "审计密钥文件 " + path + " 的权限过宽 (" + mode + ")，请设为 600");
  }
  Status bad_format = Status::FailedPrecondition(
      "audit key file " + path + " must hold exactly 64 hex digits and a newline",
      "审计密钥文件 " + path + " 的内容应为 64 位十六进制数字加换行");
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size != kHexChars && size != kHexChars + 1) return bad_format;

  char text[kHexChars + 2];
  std::size_t got = 0;
  while (got < sizeof text) {
    ssize_t n = ::read(fd.get(), text + got, sizeof text - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      sodium_memzero(text, sizeof text);
      return Status::Unavailable("cannot read audit key file " + path + ": " + ErrnoText(errno),
                                 "无法读取审计密钥文件: " + path);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  bool well_formed = got == kHexChars || (got == kHexChars + 1 && text[kHexChars] == '\n');
  for (std::size_t i = 0; well_formed && i < kHexChars; ++i) well_formed = IsHexDigit(text[i]);
  AuditKey key;
  std::size_t bin_len = 0;
  if (well_formed) {
    well_formed = sodium_hex2bin(key.bytes_.data(), key.bytes_.size(), text, kHexChars, nullptr,
                                 &bin_len, nullptr) == 0 &&
                  bin_len == kAuditKeyBytes;
  }
  sodium_memzero(text, sizeof text);
  if (!well_formed) return bad_format;
  // An all-zero key is a placeholder, not a secret.
  if (sodium_is_zero(key.bytes_.data(), key.bytes_.size())) {
    return Status::FailedPrecondition("audit key file " + path + " holds an all-zero key",
                                      "审计密钥文件 " + path + " 的密钥全为零");
  }
  return key;
}

Result<AuditKey> AuditKey::LoadOrCreate(const std::string& path) {
  Result<AuditKey> existing = Load(path);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;

  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::FailedPrecondition(
        "the directory for the audit key file does not exist: " + dir.string(),
        "审计密钥文件所在目录不存在: " + dir.string());
  }

  AuditKey key;
  do {
    randombytes_buf(key.bytes_.data(), key.bytes_.size());
  } while (sodium_is_zero(key.bytes_.data(), key.bytes_.size()));
  char text[kHexChars + 1];
  sodium_bin2hex(text, sizeof text, key.bytes_.data(), key.bytes_.size());
  text[kHexChars] = '\n';

  // Written under a temporary name (mkstemp creates it 0600) and then linked into place, which
  // fails rather than replaces when another process created the key first.
  std::string tmp = path + ".tmp.XXXXXX";
  int raw_fd = ::mkstemp(tmp.data());
  if (raw_fd < 0) {
    sodium_memzero(text, sizeof text);
    return Status::Unavailable(
        "cannot create audit key file next to " + path + ": " + ErrnoText(errno),
        "无法创建审计密钥文件: " + path);
  }
  Fd fd(raw_fd);
  bool written = ::fchmod(fd.get(), 0600) == 0 && WriteAll(fd.get(), text, sizeof text) &&
                 ::fsync(fd.get()) == 0;
  sodium_memzero(text, sizeof text);
  written = written && fd.Close();
  int err = errno;
  if (!written) {
    ::unlink(tmp.c_str());
    return Status::Unavailable("cannot write audit key file " + path + ": " + ErrnoText(err),
                               "无法写入审计密钥文件: " + path);
  }
  int linked = ::link(tmp.c_str(), path.c_str());
  err = errno;
  ::unlink(tmp.c_str());
  if (linked != 0) {
    if (err == EEXIST) return Load(path);  // another process won the race: use its key
    return Status::Unavailable("cannot create audit key file " + path + ": " + ErrnoText(err),
                               "无法创建审计密钥文件: " + path);
  }
  SyncDirectory(dir.string());
  return key;
}

// --- Chain ----------------------------------------------------------------------------------

std::string ChainHmac(const AuditKey& key, std::string_view prev_hmac, const AuditEntry& entry) {
  EnsureSodium();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.bytes_.data(), key.bytes_.size());
  UpdateField(st, kTag);
  UpdateField(st, prev_hmac.empty() ? GenesisHmac() : prev_hmac);
  UpdateSeq(st, entry.seq);
  for (const std::string* field :
       {&entry.at, &entry.user_id, &entry.username, &entry.role, &entry.action, &entry.object_type,
        &entry.object_id, &entry.person_id, &entry.result, &entry.client, &entry.request_id,
        &entry.detail}) {
    UpdateField(st, *field);
  }
  return FinalHex(st);
}

std::string QueryDigest(const AuditKey& key, std::string_view text) {
  EnsureSodium();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.bytes_.data(), key.bytes_.size());
  UpdateField(st, "jd.audit.query.v1");
  UpdateField(st, text);
  return FinalHex(st).substr(0, 16);
}

// --- Head -----------------------------------------------------------------------------------

std::string HeadMac(const AuditKey& key, const AuditHead& head) {
  EnsureSodium();
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key.bytes_.data(), key.bytes_.size());
  UpdateField(st, "jd.audit.head.v1");
  UpdateSeq(st, head.seq);
  UpdateField(st, head.hmac);
  return FinalHex(st);
}

Status WriteAuditHead(const std::string& path, const AuditKey& key, const AuditHead& head) {
  std::string text = std::to_string(head.seq) + " " + head.hmac + " " + HeadMac(key, head) + "\n";
  std::string tmp = path + ".tmp";
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0 || !WriteAll(fd.get(), text.data(), text.size()) || !fd.Close() ||
      std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::Unavailable("cannot write audit head " + path + ": " + ErrnoText(err),
                               "无法写入审计日志尾部记录: " + path);
  }
  return Status::Ok();
}

Result<AuditHead> ReadAuditHead(const std::string& path, const AuditKey& key) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) {
      return Status::NotFound("no audit head at " + path, "没有审计日志尾部记录: " + path);
    }
    return Status::Unavailable("cannot read audit head " + path + ": " + ErrnoText(err),
                               "无法读取审计日志尾部记录: " + path);
  }
  char buf[256];
  std::string text;
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > 200) break;
  }
  Status bad =
      Status::FailedPrecondition("audit head " + path + " is malformed or not made with this key",
                                 "审计日志尾部记录格式错误或与密钥不符: " + path);
  std::size_t sp1 = text.find(' ');
  std::size_t sp2 = sp1 == std::string::npos ? sp1 : text.find(' ', sp1 + 1);
  if (sp2 == std::string::npos || text.empty() || text.back() != '\n') return bad;
  std::string seq_text = text.substr(0, sp1);
  if (seq_text.empty() || seq_text.size() > 18 ||
      seq_text.find_first_not_of("0123456789") != std::string::npos) {
    return bad;
  }
  AuditHead head{.seq = std::stoll(seq_text), .hmac = text.substr(sp1 + 1, sp2 - sp1 - 1)};
  std::string mac = text.substr(sp2 + 1, text.size() - sp2 - 2);
  if (!ConstantTimeEqual(HeadMac(key, head), mac)) return bad;
  return head;
}

// --- Verifier -------------------------------------------------------------------------------

AuditVerifier::AuditVerifier(const AuditKey& key, std::optional<AuditHead> head)
    : key_(key), prev_hmac_(GenesisHmac()), head_(std::move(head)) {}

void AuditVerifier::AddFinding(std::int64_t seq, std::string kind, std::string detail) {
  if (report_.findings.size() >= kMaxAuditFindings) {
    ++report_.findings_omitted;
    return;
  }
  report_.findings.push_back({seq, std::move(kind), std::move(detail)});
}

void AuditVerifier::Add(const AuditEntry& row) {
  ++report_.rows_checked;
  if (row.seq <= last_seq_) {  // also catches seq <= 0 on the first row
    AddFinding(row.seq, "reordered",
               last_seq_ == 0
                   ? "seq " + std::to_string(row.seq) + " is not positive"
                   : "seq " + std::to_string(row.seq) + " comes after seq " +
                         std::to_string(last_seq_) + ": rows out of order or duplicated");
    return;
  }
  if (row.seq > last_seq_ + 1) {
    AddFinding(last_seq_ + 1, "missing",
               RangeText(last_seq_ + 1, row.seq - 1) + " missing; row " + std::to_string(row.seq) +
                   " cannot be checked against its predecessor");
  } else if (!ConstantTimeEqual(ChainHmac(key_, prev_hmac_, row), row.hmac)) {
    AddFinding(row.seq, "modified",
               "the stored HMAC does not match the row's contents and the row before it");
  }
  if (head_ && row.seq == head_->seq && !ConstantTimeEqual(row.hmac, head_->hmac)) {
    AddFinding(row.seq, "modified",
               "the row differs from the one recorded outside the database as the log's end: "
               "the log was cut and written again from here");
  }
  // Re-anchor on what is stored, so the next row is judged on its own.
  last_seq_ = row.seq;
  prev_hmac_ = row.hmac;
}

AuditVerifyReport AuditVerifier::Finish() {
  if (head_ && last_seq_ < head_->seq && !truncation_reported_) {
    truncation_reported_ = true;
    AddFinding(last_seq_ + 1, "truncated",
               RangeText(last_seq_ + 1, head_->seq) +
                   " gone from the end of the log: the end recorded outside the database is row " +
                   std::to_string(head_->seq));
  }
  return report_;
}

}  // namespace jd::auth
