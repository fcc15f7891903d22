#include "auth/session_token.h"

#include <sodium.h>

#include <stdexcept>

namespace jd::auth {

namespace {

void EnsureSodium() {
  // sodium_init is idempotent; the static makes the first call happen once, thread-safely.
  static const bool kReady = sodium_init() >= 0;
  if (!kReady) throw std::runtime_error("libsodium could not be initialised");
}

constexpr int kBase64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

std::string NewSessionToken() {
  EnsureSodium();
  unsigned char bytes[kSessionTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kSessionTokenBytes, kBase64Variant)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes, kBase64Variant);
  sodium_memzero(bytes, sizeof bytes);
  std::string token(text);
  sodium_memzero(text, sizeof text);
  return token;
}

std::string HashToken(std::string_view token) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

bool SessionExpired(std::chrono::system_clock::time_point created_at,
                    std::chrono::system_clock::time_point last_seen_at,
                    std::chrono::system_clock::time_point now, const SessionPolicy& policy) {
  return now - last_seen_at >= policy.idle || now - created_at >= policy.absolute;
}

}  // namespace jd::auth
