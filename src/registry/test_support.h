// File: registry/test_support.h
// Small helpers shared by the registry's unit tests (not part of the library).
#pragma once

#include <string>
#include <string_view>

#include "core/dates.h"
#include "registry/id_number.h"

namespace jd::registry::testing_support {

inline Date D(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

// A well-formed 居民身份证 number: region + birth date + sequence + its check character.
inline std::string MakeId(std::string_view region, std::string_view birth8, std::string_view seq3) {
  std::string first17 = std::string(region) + std::string(birth8) + std::string(seq3);
  return first17 + IdCheckCharacter(first17);
}

}  // namespace jd::registry::testing_support
