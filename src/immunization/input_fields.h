// File: immunization/input_fields.h
// Reading the fields of a JSON request body or a query string with every problem as a field error
// (zh + en), for the programme's use cases (campaigns, catch-up rounds, entry checks, coverage).
//
// StrField(j, key, max_chars, errors): absent, null and "" are all ""; a non-string is
//   "wrong_type"; surrounding spaces trimmed; longer than `max_chars` code points is "too_long".
// DateText(text, field, required, errors): "YYYY-MM-DD"; "" is "required" when required.
// DateField(j, key, required, errors): DateText of a string member ("wrong_type" otherwise).
// IntField(j, key, lo, hi, required, errors): an integer member within [lo, hi].
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/dates.h"
#include "core/status.h"

namespace jd::immunization {

std::string StrField(const nlohmann::json& j, const std::string& key, std::size_t max_chars,
                     FieldErrors& errors);
std::optional<Date> DateText(const std::string& text, const std::string& field, bool required,
                             FieldErrors& errors);
std::optional<Date> DateField(const nlohmann::json& j, const std::string& key, bool required,
                              FieldErrors& errors);
std::optional<int> IntField(const nlohmann::json& j, const std::string& key, int lo, int hi,
                            bool required, FieldErrors& errors);

}  // namespace jd::immunization
