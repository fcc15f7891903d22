// File: http/handler.h
// What a route handler sees and returns. Each module's routes live in their own file
// (http/<module>_routes.cc) and are listed by a function declared in http/module_routes.h; the
// server authenticates, parses the JSON body and turns a failed Result into problem+json before
// and after a handler runs.
#pragma once

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/model.h"
#include "core/status.h"
#include "http/app.h"
#include "http/problem.h"
#include "http/server.h"

namespace jd::http {

// One request as the handlers see it.
struct Ctx {
  const httplib::Request& req;
  std::vector<std::string> params;  // path parameters in pattern order
  std::optional<auth::Principal> who;
  nlohmann::json body;
  Lang lang = Lang::kZh;
  std::string request_id;
  std::string client;
  std::string token;
};

struct Reply {
  int status = 200;
  nlohmann::json body;
  std::string raw;   // when set, sent as-is with `content_type`
  std::string file;  // when set, the file at this path is streamed with `content_type`
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Result<Reply>(App&, Ctx&, const ServerOptions&)>;

struct Route {
  RouteInfo info;
  bool json_body = false;  // parse the body as a JSON object
  Handler handler;
};

inline Reply Json(nlohmann::json body, int status = 200) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline Status Invalid(const std::string& field, const std::string& code, const std::string& zh,
                      const std::string& en) {
  return Status::Invalid({{field, code, zh, en}});
}

// Query parameter as a bounded integer; a field error otherwise.
inline Result<int> IntParam(const httplib::Request& req, const std::string& name, int fallback,
                            int lo, int hi) {
  if (!req.has_param(name.c_str())) return fallback;
  std::string v = req.get_param_value(name.c_str());
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi) {
    return Invalid(name, "invalid_integer", fmt::format("{} 应为 {}–{} 之间的整数", name, lo, hi),
                   fmt::format("{} must be an integer from {} to {}", name, lo, hi));
  }
  return out;
}

inline std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

}  // namespace jd::http
