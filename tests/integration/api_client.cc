#include "integration/api_client.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace jd::integration {

using nlohmann::json;

ApiReply ApiClient::Call(const std::string& method, const std::string& path,
                         const std::string& user, const std::string& body) {
  httplib::Headers headers;
  if (!user.empty()) headers.emplace("Authorization", "Bearer " + Token(user));
  auto cli = server_.Client();
  const char* type = "application/json";
  httplib::Result res = method == "GET"     ? cli->Get(path, headers)
                        : method == "POST"  ? cli->Post(path, headers, body, type)
                        : method == "PATCH" ? cli->Patch(path, headers, body, type)
                        : method == "PUT"   ? cli->Put(path, headers, body, type)
                                            : cli->Delete(path, headers);
  ApiReply r;
  if (!res) {
    ADD_FAILURE() << method << " " << path << ": " << httplib::to_string(res.error());
    return r;
  }
  r.status = res->status;
  r.raw = res->body;
  r.content_type = res->get_header_value("Content-Type");
  r.content_disposition = res->get_header_value("Content-Disposition");
  r.body = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  return r;
}

std::string ApiClient::Token(const std::string& username) {
  auto it = tokens_.find(username);
  if (it != tokens_.end()) return it->second;
  auto cli = server_.Client();
  auto res =
      cli->Post("/api/v1/auth/login", json{{"username", username}, {"password", password_}}.dump(),
                "application/json");
  EXPECT_TRUE(res && res->status == 200) << "login " << username;
  std::string token =
      res ? json::parse(res->body, nullptr, false).value("token", std::string()) : "";
  tokens_[username] = token;
  return token;
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
