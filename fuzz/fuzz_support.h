// File: fuzz/fuzz_support.h
// Helpers shared by the libFuzzer targets in this folder (each fuzz/<target>_fuzz.cc defines
// LLVMFuzzerTestOneInput). A target is built twice: with clang and -fsanitize=fuzzer for fuzzing
// (JD_FUZZ=ON), and with the project's compiler beside replay_main.cc, which feeds it the kept
// corpus and crash inputs as a CTest test. Nothing here keeps state between inputs.
//
// JD_FUZZ_CHECK(cond): aborts with the condition's text when a property the code under test
//   promises does not hold; the fuzzer reports the abort as a crash and keeps the input.
// AsText(data, size): the input bytes as a string_view.
// ParseJsonOrDiscard(data, size): the input parsed as JSON the way the server and the command line
//   parse bodies (no exceptions); a discarded value when it is not JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#define JD_FUZZ_CHECK(cond)                                                              \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

namespace jd::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline nlohmann::json ParseJsonOrDiscard(const std::uint8_t* data, std::size_t size) {
  return nlohmann::json::parse(AsText(data, size), nullptr, /*allow_exceptions=*/false);
}

}  // namespace jd::fuzz
