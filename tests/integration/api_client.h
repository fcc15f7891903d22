// File: integration/api_client.h
// A JSON API client for the integration tests against a running ServerProcess: bearer tokens per
// user (logged in once with one shared password, then cached), replies with the parsed body, and
// the civil-date helpers the tests use to build inputs relative to the server's today.
//
// ApiClient(server, password): Call(method, path, user, body) sends one request as `user` (no
//   Authorization header when `user` is empty); a transport error is a test failure and a reply
//   with status -1. Token(user) logs in on first use.
// Today(): the server's civil date (Asia/Shanghai, UTC+8 all year). AddDays, MonthsBefore (end of
//   month clamped), Iso ("2026-12-04") and Compact ("20261204").
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/server_process.h"

namespace jd::integration {

struct ApiReply {
  int status = -1;
  nlohmann::json body;  // discarded when the body is not JSON
  std::string raw;
  std::string content_type;
  std::string content_disposition;
};

class ApiClient {
 public:
  ApiClient(const ServerProcess& server, std::string password)
      : server_(server), password_(std::move(password)) {}

  ApiReply Call(const std::string& method, const std::string& path, const std::string& user,
                const std::string& body = "");
  ApiReply Get(const std::string& path, const std::string& user) { return Call("GET", path, user); }
  ApiReply Post(const std::string& path, const std::string& user, const nlohmann::json& body) {
    return Call("POST", path, user, body.dump());
  }
  ApiReply Put(const std::string& path, const std::string& user, const nlohmann::json& body) {
    return Call("PUT", path, user, body.dump());
  }
  ApiReply Patch(const std::string& path, const std::string& user, const nlohmann::json& body) {
    return Call("PATCH", path, user, body.dump());
  }
  std::string Token(const std::string& username);
  void Forget() { tokens_.clear(); }

 private:
  const ServerProcess& server_;
  std::string password_;
  std::map<std::string, std::string> tokens_;
};

std::chrono::year_month_day Today();
std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int n);
std::chrono::year_month_day MonthsBefore(std::chrono::year_month_day d, int n);
std::string Iso(std::chrono::year_month_day d);
std::string Compact(std::chrono::year_month_day d);

}  // namespace jd::integration
