#include "immunization/input_fields.h"

#include <fmt/format.h>

namespace jd::immunization {

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
