#include "auth/password.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace jd::auth {

namespace {

void EnsureSodium() {
  // sodium_init is idempotent; the static makes the first call happen once, thread-safely.
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) throw std::runtime_error("libsodium could not be initialised");
}

// Interactive limits (argon2id: 2 passes over 64 MiB, tens of milliseconds): logins are online and
// concurrent on a modest server, and every attempt costs this much memory, so the moderate or
// sensitive limits (256 MiB / 1 GiB each) would let a burst of login attempts exhaust memory. The
// interactive limits still exceed the OWASP minimum for argon2id (19 MiB, 2 passes).
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Code points, counting every byte that does not continue a sequence (so malformed input still
// gets a sensible count).
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += IsContinuationByte(c) ? 0 : 1;
  return n;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// `s` with its UTF-8 sequences in reverse order (each sequence kept intact).
std::string ReverseCodePoints(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t end = s.size();
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && IsContinuationByte(s[start])) --start;
    out.append(s.substr(start, end - start));
    end = start;
  }
  return out;
}

int CharacterClasses(std::string_view password) {
  bool upper = false, lower = false, digit = false, other = false;
  for (char c : password) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  return int{upper} + int{lower} + int{digit} + int{other};
}

// Look-alikes removed (I, O, l, o, 0, 1) so a password read off a screen or paper is typed right.
// The symbols avoid quotes, backslash, comma and space, which trouble shells and CSV files.
constexpr std::array<std::string_view, 4> kOneTimeClasses = {
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "abcdefghijkmnpqrstuvwxyz",
    "23456789",
    "#%*+=?@",
};

char RandomCharOf(std::string_view alphabet) {
  return alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
}

std::string RandomOneTimePassword() {
  std::string all;
  for (std::string_view c : kOneTimeClasses) all.append(c);
  std::string out;
  for (std::string_view c : kOneTimeClasses) out.push_back(RandomCharOf(c));
  while (out.size() < kOneTimePasswordLength) out.push_back(RandomCharOf(all));
  // Fisher-Yates, so the guaranteed characters are not always in the first four places.
  for (std::size_t i = out.size() - 1; i > 0; --i) {
    std::size_t j = randombytes_uniform(static_cast<std::uint32_t>(i + 1));
    std::swap(out[i], out[j]);
  }
  return out;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  FieldErrors errors;
  if (CodePoints(password) < kPasswordMinChars) {
    errors.Add("password", "too_short", "密码至少需要 12 个字符",
               "the password must have at least 12 characters");
  }
  // A cap keeps pasted junk out; 128 bytes still leaves room for a long passphrase.
  if (password.size() > kPasswordMaxBytes) {
    errors.Add("password", "too_long", "密码不能超过 128 个字节",
               "the password must not be longer than 128 bytes");
  }
  if (CharacterClasses(password) < kPasswordMinClasses) {
    errors.Add("password", "too_few_classes",
               "密码须包含大写字母、小写字母、数字、其他字符中的至少 3 类",
               "the password must contain at least 3 of: upper-case letters, lower-case letters, "
               "digits, other characters");
  }
  if (!username.empty()) {
    std::string pw = AsciiLower(password);
    std::string user = AsciiLower(username);
    if (pw.find(user) != std::string::npos || pw == ReverseCodePoints(user)) {
      errors.Add("password", "contains_username", "密码不能包含用户名或为用户名的倒序",
                 "the password must not contain the username or be the username reversed");
    }
  }
  return errors.ToStatus();
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Unavailable("not enough memory to hash the password",
                               "内存不足，无法计算密码摘要");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string str(hash);  // the library wants a NUL-terminated string
  return crypto_pwhash_str_verify(str.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(std::string_view hash) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  std::string str(hash);
  // 0: current parameters; 1: other parameters or argon2i; -1: not a hash this library knows.
  return crypto_pwhash_str_needs_rehash(str.c_str(), kOpsLimit, kMemLimit) != 0;
}

void DummyVerifyPassword(std::string_view password) {
  EnsureSodium();
  // A hash of a random password nobody knows, made once with the current parameters, so the
  // verification below costs what a real one does.
  static const std::string kDummyHash = [] {
    Result<std::string> h = HashPassword(RandomOneTimePassword());
    return h.ok() ? std::move(h).value() : std::string();
  }();
  bool matched = VerifyPassword(kDummyHash, password);
  (void)matched;
}

std::string GenerateOneTimePassword(std::string_view username) {
  EnsureSodium();
  // A random 16-character string rarely contains the username (about 3 in 10,000 for a 3-letter
  // one); retrying then keeps the promise that the result satisfies the policy.
  for (;;) {
    std::string pw = RandomOneTimePassword();
    if (CheckPasswordPolicy(pw, username).ok()) return pw;
  }
}

}  // namespace jd::auth
