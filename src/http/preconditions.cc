#include "http/preconditions.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "core/input.h"

namespace jd::http {
namespace {

// The entity tag of If-Match without a weak prefix and quotes; "" when the header is absent.
std::string IfMatchTag(const Ctx& c) {
  if (!c.req.has_header("If-Match")) return {};
  const std::string header =
      c.req.get_header_value("If-Match");  // a copy: the view must not dangle
  std::string_view v = header;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return std::string(v);
}

}  // namespace

Result<int> RequiredVersion(const Ctx& c) {
  std::string tag = IfMatchTag(c);
  if (tag.empty() || tag == "*") return VersionRequired();
  bool digits = tag.size() <= 9;
  for (char ch : tag) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) {
    return Invalid("If-Match", "invalid_value", "If-Match 应为记录版本号",
                   "If-Match must be the record version");
  }
  return std::stoi(tag);
}

std::string ContentTag(const nlohmann::json& representation) {
  // FNV-1a 64 (Fowler, Noll, Vo): not a secret, only a change detector for one record.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : representation.dump()) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return fmt::format("c-{:016x}", h);
}

Status MatchContentTag(const Ctx& c, const std::string& current) {
  std::string tag = IfMatchTag(c);
  if (tag.empty() || tag == "*") return VersionRequired();
  if (tag != current) return StaleVersion();
  return Status::Ok();
}

}  // namespace jd::http
