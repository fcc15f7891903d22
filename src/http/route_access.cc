#include "http/route_access.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/openapi_doc.h"

namespace jd::http {

namespace {

const nlohmann::json& Document() {
  static const nlohmann::json kDoc = nlohmann::json::parse(OpenApiDocument());
  return kDoc;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::optional<RouteAccess> AccessOf(const std::string& method, const std::string& pattern) {
  const nlohmann::json& paths = Document()["paths"];
  auto item = paths.find(pattern);
  if (item == paths.end()) return std::nullopt;
  auto op = item->find(Lower(method));
  if (op == item->end() || !op->is_object()) return std::nullopt;
  auto declared = op->find("x-permission");
  if (declared == op->end()) return std::nullopt;
  RouteAccess access;
  if (declared->is_string() && *declared == "public") {
    access.kind = RouteAccess::Kind::kPublic;
    return access;
  }
  if (declared->is_string() && *declared == "authenticated") {
    access.kind = RouteAccess::Kind::kAuthenticated;
    return access;
  }
  std::vector<nlohmann::json> codes;
  if (declared->is_string()) {
    codes.push_back(*declared);
  } else if (declared->is_array()) {
    codes.assign(declared->begin(), declared->end());
  }
  for (const auto& code : codes) {
    if (!code.is_string()) return std::nullopt;
    auto permission = auth::ParsePermission(code.get<std::string>());
    if (!permission) return std::nullopt;
    access.any_of.push_back(*permission);
  }
  if (access.any_of.empty()) return std::nullopt;
  return access;
}

}  // namespace jd::http
