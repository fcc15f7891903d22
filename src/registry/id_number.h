// File: registry/id_number.h
// GB 11643-1999 公民身份号码 (居民身份证 number): 6-digit address code (the county where it
// was issued), 8-digit birth date, 3-digit sequence (odd = male, even = female) and an
// ISO 7064 MOD 11-2 check character.
//
// IdCheckCharacter(first17): the check character ('0'-'9' or 'X') of the first 17 digits; '\0'
//   unless given exactly 17 ASCII digits.
// UpgradeLegacyId(fifteen): a 15-digit first-generation number as 18 characters ("19" inserted
//   after the address code, check character appended); "" unless given exactly 15 digits.
// NormalizeResidentId(number): surrounding spaces trimmed, 'x' upper-cased, 15 digits upgraded
//   to 18. Anything else is returned trimmed and upper-cased, unchecked.
// CheckResidentId(number, as_of, divisions): validates and decodes a number, reporting every
//   problem found under field "id_number" (codes: required, invalid_length, invalid_characters,
//   unknown_region, invalid_birth_date, invalid_check_digit). When the number has the right
//   shape, `normalized` is its 18-character form and region_code, sex and (if a real calendar
//   date) birth_date are filled in even if other checks fail; `valid` says whether every check
//   passed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "registry/divisions.h"
#include "registry/model.h"

namespace jd::registry {

char IdCheckCharacter(std::string_view first17);

std::string UpgradeLegacyId(std::string_view fifteen);

std::string NormalizeResidentId(std::string_view number);

struct IdCheck {
  bool valid = false;
  std::vector<FieldError> errors;
  std::optional<Date> birth_date;
  std::optional<Sex> sex;
  std::string region_code;
  std::string region_name;  // full name of the address code, "" if unknown
  std::string normalized;
};

IdCheck CheckResidentId(std::string_view number, const Date& as_of,
                        const Divisions& divisions = Divisions::Builtin());

}  // namespace jd::registry
