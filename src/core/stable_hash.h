// File: core/stable_hash.h
// Fixed hashes for reproducible synthetic data (the demo city): the same input gives the same
// value on every machine and build, unlike std::hash. Not for security. Pure, thread-safe.
//
// Fnv1a64(text): FNV-1a, 64 bits (a person's stable key within one seed: the identity document).
// SplitMix64(x): SplitMix64's finaliser, spreading the bits of a 64-bit value.
// SplitMixStream: the SplitMix64 generator, a stream of values from one seed.
#pragma once

#include <cstdint>
#include <string_view>

namespace jd {

inline std::uint64_t Fnv1a64(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

inline std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct SplitMixStream {
  std::uint64_t state = 0;
  std::uint64_t Next() {
    std::uint64_t x = SplitMix64(state);
    state += 0x9E3779B97F4A7C15ULL;
    return x;
  }
  // Uniform in [lo, hi] (hi ≥ lo; the modulo bias is negligible for demo ranges).
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool PerMille(int p) { return static_cast<int>(Next() % 1000) < p; }
};

}  // namespace jd
