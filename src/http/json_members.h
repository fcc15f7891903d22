// File: http/json_members.h
// Number and flag members of a request body, read for the routes of the health modules
// (maternal_routes.cc, child_routes.cc): absent or null is none (false for a flag); anything else
// of the wrong JSON type is a field error "wrong_type" with a Chinese and an English message. Pure.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

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

}  // namespace jd::http
