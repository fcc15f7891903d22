#include "immunization/input_fields.h"

#include <fmt/format.h>

#include "core/text.h"

namespace jd::immunization {

std::string StrField(const nlohmann::json& j, const std::string& key, std::size_t max_chars,
                     FieldErrors& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) {
    errors.Add(key, "wrong_type", key + " 应为字符串", key + " must be a string");
    return {};
  }
  std::string v = Trim(it->get<std::string>());
  if (!IsValidUtf8(v)) {
    errors.Add(key, "invalid_encoding", key + " 不是有效的 UTF-8 文本",
               key + " is not valid UTF-8 text");
    return {};
  }
  if (Utf8Length(v) > max_chars) {
    errors.Add(key, "too_long", fmt::format("{} 不能超过 {} 个字", key, max_chars),
               fmt::format("{} is longer than {} characters", key, max_chars));
    return {};
  }
  return v;
}

std::optional<Date> DateText(const std::string& text, const std::string& field, bool required,
                             FieldErrors& errors) {
  if (text.empty()) {
    if (required) errors.Add(field, "required", field + " 为必填项", field + " is required");
    return std::nullopt;
  }
  auto d = ParseDate(text);
  if (!d) {
    errors.Add(field, "invalid_date", field + " 不是有效日期（YYYY-MM-DD）",
               field + " is not a valid date (YYYY-MM-DD)");
  }
  return d;
}

std::optional<Date> DateField(const nlohmann::json& j, const std::string& key, bool required,
                              FieldErrors& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) errors.Add(key, "required", key + " 为必填项", key + " is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    errors.Add(key, "wrong_type", key + " 应为 YYYY-MM-DD 格式的字符串",
               key + " must be a string YYYY-MM-DD");
    return std::nullopt;
  }
  return DateText(it->get<std::string>(), key, required, errors);
}

std::optional<int> IntField(const nlohmann::json& j, const std::string& key, int lo, int hi,
                            bool required, FieldErrors& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) errors.Add(key, "required", key + " 为必填项", key + " is required");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    errors.Add(key, "wrong_type", key + " 应为整数", key + " must be an integer");
    return std::nullopt;
  }
  long long v = it->get<long long>();
  if (v < lo || v > hi) {
    errors.Add(key, "out_of_range", fmt::format("{} 应在 {} 到 {} 之间", key, lo, hi),
               fmt::format("{} must be from {} to {}", key, lo, hi));
    return std::nullopt;
  }
  return static_cast<int>(v);
}

}  // namespace jd::immunization
