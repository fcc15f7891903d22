// File: http/code_member.h
// CodeMember<T>(body, key, label_zh, allowed, parse, errors): an enumerated code member of a
// request body, read with core/input.h TextMember (kCode) and turned into T by `parse` (a function
// from the code to std::optional<T>). Absent, null or "" is nullopt with no error (whether it is
// required is the caller's rule); an unknown code is nullopt and a field error "invalid_value"
// naming the allowed codes (`allowed`, e.g. "cluster, outbreak") in Chinese and English. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/input.h"

namespace jd::http {

template <class T, class Parse>
std::optional<T> CodeMember(const nlohmann::json& body, const char* key, const char* label_zh,
                            const char* allowed, Parse parse, FieldErrors& errors) {
  std::string code = TextMember(body, key, FieldKind::kCode, errors, label_zh);
  if (code.empty()) return std::nullopt;
  auto v = parse(code);
  if (!v) {
    errors.Add(key, "invalid_value", std::string(label_zh) + "应为 " + allowed,
               std::string(key) + " must be one of " + allowed);
  }
  return v;
}

}  // namespace jd::http
