// File: core/json_array.h
// Reading a request member that is a list of objects (e.g. "contacts": [{"date": …}, …]) with the
// same field errors everywhere. Header-only, pure, thread-safe.
//
// ForEachObject(body, key, max, errors, fn): an absent or null member is an empty list; another
// type is "wrong_type" on `key`; more than `max` elements is "too_many" on `key` (and none is
// read); an element that is not an object is "wrong_type" on "key[i]". `fn(element, "key[i]")` is
// called for every object element, in order.
// DateOf(element, name, at, kind, today, presence, errors): the element's date member `name` read
// by core/input.h DateMember, its errors on the field "at.name".
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/input.h"
#include "core/status.h"

namespace jd {

template <typename Fn>
void ForEachObject(const nlohmann::json& body, std::string_view key, std::size_t max,
                   FieldErrors& errors, Fn&& fn) {
  const std::string k(key);
  auto it = body.find(k);
  if (it == body.end() || it->is_null()) return;
  if (!it->is_array()) {
    errors.Add(k, "wrong_type", k + " 应为数组", k + " must be an array");
    return;
  }
  if (it->size() > max) {
    errors.Add(k, "too_many", fmt::format("{} 最多 {} 条", k, max),
               fmt::format("{} holds at most {} entries", k, max));
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    std::string at = fmt::format("{}[{}]", k, i);
    if (!(*it)[i].is_object()) {
      errors.Add(at, "wrong_type", at + " 应为对象", at + " must be an object");
      continue;
    }
    fn((*it)[i], at);
  }
}

inline std::optional<Date> DateOf(const nlohmann::json& element, std::string_view name,
                                  std::string_view at, DateKind kind, const Date& today,
                                  Presence presence, FieldErrors& errors) {
  FieldErrors own;
  std::optional<Date> d = DateMember(element, name, kind, today, presence, own);
  for (FieldError e : own.errors()) {
    e.field = fmt::format("{}.{}", at, e.field);
    errors.Add(std::move(e));
  }
  return d;
}

}  // namespace jd
