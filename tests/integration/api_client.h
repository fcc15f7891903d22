// File: integration/api_client.h
// A JSON API client for the integration tests against a running ServerProcess: bearer tokens per
// user (logged in once with one shared password, then cached), replies with the parsed body, and
// the civil-date helpers the tests use to build inputs relative to the server's today.
//
// ApiClient(server, password): Call(method, path, user, body, headers, content_type) sends one
//   request as `user` (no Authorization header when `user` is empty); a transport error is a test
//   failure and a reply with status -1. Token(user) logs in on first use. Send(...) is Call with
//   a bearer token the test holds itself (a fresh login's, a revoked or a made-up one); Login
//   logs in with any password and caches nothing; PostForm sends multipart/form-data.
// ExpectFieldProblem(reply, status, field, code): a problem+json answer with `status` whose
//   errors name `field` with `code`, each error in Chinese and English.
// FindStreetsOfTwoDistricts(db_path): two streets of two districts, for two health centers that
//   must not see each other's persons. StopAndVerifyAudit(server), EndSuite(api, server, tmp):
//   the end of a suite's server.
// Today(): the server's civil date (Asia/Shanghai, UTC+8 all year). AddDays, MonthsBefore (end of
//   month clamped), Iso ("2026-12-04") and Compact ("20261204").
#pragma once

#include <httplib.h>

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
  httplib::Headers headers;

  // The first value of a response header, "" when there is none.
  std::string Header(const std::string& name) const;
};

class ApiClient {
 public:
  ApiClient(const ServerProcess& server, std::string password)
      : server_(server), password_(std::move(password)) {}

  ApiReply Call(const std::string& method, const std::string& path, const std::string& user,
                const std::string& body = "", httplib::Headers headers = {},
                const std::string& content_type = "application/json");
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
  ApiReply PostForm(const std::string& path, const std::string& user,
                    const httplib::MultipartFormDataItems& form);

  // Call with `token` as the bearer token (none when empty) instead of a user's cached one.
  ApiReply Send(const std::string& method, const std::string& path, const std::string& token,
                const std::string& body = "", httplib::Headers headers = {},
                const std::string& content_type = "application/json");
  // POST /api/v1/auth/login; the token it may give is not cached.
  ApiReply Login(const std::string& username, const std::string& password);

  std::string Token(const std::string& username);
  void Forget() { tokens_.clear(); }

 private:
  httplib::Headers Authorized(const std::string& user);

  const ServerProcess& server_;
  std::string password_;
  std::map<std::string, std::string> tokens_;
};

// True when the problem's errors list `field` with `code`.
bool HasFieldError(const nlohmann::json& problem, const std::string& field,
                   const std::string& code);
void ExpectFieldProblem(const ApiReply& r, int status, const std::string& field,
                        const std::string& code);

struct StreetsOfTwoDistricts {
  std::string street_a, street_b;  // the first street, and the first after it in another district
  std::string district_a, district_b;
};
// Empty codes when the database has no such pair.
StreetsOfTwoDistricts FindStreetsOfTwoDistricts(const std::string& db_path);

// A clean stop on SIGTERM, and the audit chain intact afterwards; nothing when there is no server
// or it is not running.
void StopAndVerifyAudit(ServerProcess* server);
// The end of a suite's server: StopAndVerifyAudit, then the client, the server and its directory
// deleted and their pointers left null.
void EndSuite(ApiClient*& api, ServerProcess*& server, TempDir*& tmp);

std::chrono::year_month_day Today();
std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int n);
std::chrono::year_month_day MonthsBefore(std::chrono::year_month_day d, int n);
std::string Iso(std::chrono::year_month_day d);
std::string Compact(std::chrono::year_month_day d);

}  // namespace jd::integration
