#include "core/ids.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace jd {

namespace {
void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

std::string Hex(const unsigned char* p, std::size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

// Random bytes from a per-thread buffer refilled 4 KiB at a time: one getrandom() call per 512 ids
// instead of one per id (libsodium reads the kernel CSPRNG on every call).
void FillRandom(unsigned char* out, std::size_t n) {
  thread_local std::array<unsigned char, 4096> buf;
  thread_local std::size_t used = buf.size();
  if (used + n > buf.size()) {
    randombytes_buf(buf.data(), buf.size());
    used = 0;
  }
  std::memcpy(out, buf.data() + used, n);
  sodium_memzero(buf.data() + used, n);  // a byte handed out is not kept
  used += n;
}

}  // namespace

std::string NewId() {
  EnsureSodium();
  // RFC 9562 §6.2 method 1: a 12-bit counter in rand_a keeps ids monotonic within a millisecond.
  static std::mutex mu;
  static std::uint64_t last_ms = 0;
  static std::uint16_t counter = 0;
  std::uint64_t ms;
  std::uint16_t seq;
  {
    std::lock_guard lock(mu);
    ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
    if (ms <= last_ms) {
      ms = last_ms;
      if (++counter > 0x0fff) {  // counter exhausted: borrow the next millisecond
        ++ms;
        counter = 0;
      }
    } else {
      counter = static_cast<std::uint16_t>(randombytes_uniform(0x0800));
    }
    last_ms = ms;
    seq = counter;
  }
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | ((seq >> 8) & 0x0f));
  b[7] = static_cast<unsigned char>(seq & 0xff);
  FillRandom(b.data() + 8, 8);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string h = Hex(b.data(), b.size());
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string RandomHex(std::size_t bytes) {
  EnsureSodium();
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), bytes);
  return Hex(reinterpret_cast<const unsigned char*>(buf.data()), bytes);
}

}  // namespace jd
