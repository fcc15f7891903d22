#include "integration/api_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace jd::integration {

using nlohmann::json;

namespace {

ApiReply ReplyOf(const httplib::Result& res, const std::string& what) {
  ApiReply r;
  if (!res) {
    ADD_FAILURE() << what << ": " << httplib::to_string(res.error());
    return r;
  }
  r.status = res->status;
  r.raw = res->body;
  r.headers = res->headers;
  r.content_type = res->get_header_value("Content-Type");
  r.content_disposition = res->get_header_value("Content-Disposition");
  r.body = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  return r;
}

}  // namespace

std::string ApiReply::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

ApiReply ApiClient::Call(const std::string& method, const std::string& path,
                         const std::string& user, const std::string& body, httplib::Headers headers,
                         const std::string& content_type) {
  return Send(method, path, user.empty() ? "" : Token(user), body, std::move(headers),
              content_type);
}

ApiReply ApiClient::Send(const std::string& method, const std::string& path,
                         const std::string& token, const std::string& body,
                         httplib::Headers headers, const std::string& content_type) {
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto cli = server_.Client();
  const std::string& type = content_type;
  httplib::Result res = method == "GET"     ? cli->Get(path, headers)
                        : method == "POST"  ? cli->Post(path, headers, body, type)
                        : method == "PATCH" ? cli->Patch(path, headers, body, type)
                        : method == "PUT"   ? cli->Put(path, headers, body, type)
                                            : cli->Delete(path, headers);
  return ReplyOf(res, method + " " + path);
}

ApiReply ApiClient::PostForm(const std::string& path, const std::string& user,
                             const httplib::MultipartFormDataItems& form) {
  return ReplyOf(server_.Client()->Post(path, Authorized(user), form), "POST " + path);
}

ApiReply ApiClient::Login(const std::string& username, const std::string& password) {
  return Send("POST", "/api/v1/auth/login",
              /*token=*/"", json{{"username", username}, {"password", password}}.dump());
}

std::string ApiClient::Token(const std::string& username) {
  auto it = tokens_.find(username);
  if (it != tokens_.end()) return it->second;
  ApiReply r = Login(username, password_);
  EXPECT_EQ(r.status, 200) << "login " << username << ": " << r.raw;
  std::string token = r.body.is_object() ? r.body.value("token", std::string()) : "";
  tokens_[username] = token;
  return token;
}

httplib::Headers ApiClient::Authorized(const std::string& user) {
  httplib::Headers headers;
  if (!user.empty()) headers.emplace("Authorization", "Bearer " + Token(user));
  return headers;
}

bool HasFieldError(const json& problem, const std::string& field, const std::string& code) {
  if (!problem.contains("errors") || !problem["errors"].is_array()) return false;
  for (const auto& e : problem["errors"]) {
    if (e.value("field", "?") == field && e.value("code", "") == code) return true;
  }
  return false;
}

void ExpectFieldProblem(const ApiReply& r, int status, const std::string& field,
                        const std::string& code) {
  EXPECT_EQ(r.status, status) << r.raw;
  EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u) << r.content_type;
  ASSERT_TRUE(r.body.is_object()) << r.raw;
  EXPECT_EQ(r.body.value("status", 0), status);
  ASSERT_TRUE(r.body.contains("errors") && r.body["errors"].is_array()) << r.raw;
  EXPECT_FALSE(r.body["errors"].empty()) << r.raw;
  EXPECT_TRUE(HasFieldError(r.body, field, code))
      << "expected " << field << "/" << code << " in " << r.raw;
  for (const auto& e : r.body["errors"]) {
    EXPECT_FALSE(e.value("message_zh", "").empty()) << r.raw;
    EXPECT_FALSE(e.value("message_en", "").empty()) << r.raw;
  }
}

StreetsOfTwoDistricts FindStreetsOfTwoDistricts(const std::string& db_path) {
  StreetsOfTwoDistricts out;
  std::map<std::string, std::string> parent_of;
  for (const auto& u : ReadOrgUnits(db_path)) {
    parent_of[u.code] = u.parent_code;
    if (u.level != "street") continue;
    if (out.street_a.empty()) {
      out.street_a = u.code;
    } else if (out.street_b.empty() && u.parent_code != parent_of[out.street_a]) {
      out.street_b = u.code;
    }
  }
  if (!out.street_a.empty()) out.district_a = parent_of[out.street_a];
  if (!out.street_b.empty()) out.district_b = parent_of[out.street_b];
  return out;
}

void StopAndVerifyAudit(ServerProcess* server) {
  if (!server || !server->running()) return;
  EXPECT_EQ(server->Stop(), 0) << ReadFileBytes(server->log_path());
  CommandResult verify = server->Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

void EndSuite(ApiClient*& api, ServerProcess*& server, TempDir*& tmp) {
  StopAndVerifyAudit(server);
  delete api;
  delete server;
  delete tmp;
  api = nullptr;
  server = nullptr;
  tmp = nullptr;
}

std::chrono::year_month_day Today() {
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
      std::chrono::system_clock::now() + std::chrono::hours(8)));
}

std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int n) {
  return std::chrono::year_month_day(std::chrono::sys_days(d) + std::chrono::days(n));
}

std::chrono::year_month_day MonthsBefore(std::chrono::year_month_day d, int n) {
  std::chrono::year_month_day m = d - std::chrono::months(n);
  if (!m.ok()) m = m.year() / m.month() / std::chrono::last;
  return m;
}

std::string Iso(std::chrono::year_month_day d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string Compact(std::chrono::year_month_day d) {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

}  // namespace jd::integration
