// File: http/json_members.h
// Number and flag members of a request body, read for the routes of the health modules
// (maternal_routes.cc, child_routes.cc): absent or null is none (false for a flag); anything else
// of the wrong JSON type is a field error "wrong_type" with a Chinese and an English message.
// EnumMember reads a code member (core/input.h TextMember, kCode) through the enum's parse: a code
// it does not know is "invalid_value" listing `allowed`; absent is "required" when `required`.
// Pure.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/input.h"
#include "core/status.h"

namespace jd::http {

// A number member: anything but a finite number is "wrong_type".
inline std::optional<double> NumberMember(const nlohmann::json& j, const char* key,
                                          FieldErrors& errors) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  if (!j[key].is_number() || !std::isfinite(j[key].get<double>())) {
    errors.Add(key, "wrong_type", fmt::format("{} 应为数字", key),
               fmt::format("{} must be a number", key));
    return std::nullopt;
  }
  return j[key].get<double>();
}

// An integer member: a number without a fraction, within int.
inline std::optional<int> IntMember(const nlohmann::json& j, const char* key, FieldErrors& errors) {
  auto v = NumberMember(j, key, errors);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v) || std::abs(*v) > 1e6) {
    errors.Add(key, "wrong_type", fmt::format("{} 应为整数", key),
               fmt::format("{} must be a whole number", key));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

inline bool BoolMember(const nlohmann::json& j, const char* key, FieldErrors& errors) {
  if (!j.contains(key) || j[key].is_null()) return false;
  if (!j[key].is_boolean()) {
    errors.Add(key, "wrong_type", fmt::format("{} 应为 true 或 false", key),
               fmt::format("{} must be true or false", key));
    return false;
  }
  return j[key].get<bool>();
}

// An enum member: `parse` of its code (see the contract above).
template <class T, class Parse>
std::optional<T> EnumMember(const nlohmann::json& body, const char* key, const char* label_zh,
                            const char* allowed, Parse parse, bool required, FieldErrors& errors) {
  std::string code = TextMember(body, key, FieldKind::kCode, errors, label_zh);
  if (errors.Has(key)) return std::nullopt;
  if (code.empty()) {
    if (required) {
      errors.Add(key, "required", std::string(label_zh) + "为必填项",
                 std::string(key) + " is required");
    }
    return std::nullopt;
  }
  auto v = parse(code);
  if (!v) {
    errors.Add(key, "invalid_value", std::string(label_zh) + "应为 " + allowed,
               std::string(key) + " must be one of " + allowed);
  }
  return v;
}

}  // namespace jd::http
