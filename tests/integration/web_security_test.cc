// Web security of the real server (issue: one authorization boundary, part 7): a cross-site
// request carrying the session cookie is refused, log-in and person search are rate limited per
// account and per user (429 with Retry-After), a wrong current password counts toward the lockout,
// and a password change ends the user's other sessions.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

class WebSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_ = streets.street_a;
    for (const char* u : {"t_center", "t_searcher", "t_other", "t_guess", "t_sessions"}) {
      server_->AddUser(u, "center", street_, kPassword);
    }
    server_->AddUser("t_auditor", "auditor", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }
  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::string CookieOf(const ApiReply& login) {
    std::string set = login.Header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }

  static json Person(int n) {
    return {{"name", "跨站测试"},
            {"id_number", MakeResidentId("450803", "19850315", n)},
            {"hukou_division", "450803"},
            {"residence_org", street_},
            {"residence_address", "测试路1号"},
            {"left_hukou_on", "2020-02-20"},
            {"arrived_on", "2020-03-01"},
            {"move_reason", "work"}};
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_;
};

TEST_F(WebSecurityTest, CrossOriginCookiePostIsRefused) {
  ApiReply login = api_->Login("t_center", kPassword);
  ASSERT_EQ(login.status, 200) << login.raw;
  const std::string cookie = CookieOf(login);
  ASSERT_EQ(cookie.rfind("jd_session=", 0), 0u) << cookie;
  const std::string self = "http://127.0.0.1:" + std::to_string(server_->port());

  // A form on another site posting with the victim's cookie: 403, and nothing is written.
  ApiReply forged = api_->Call("POST", "/api/v1/persons", "", Person(1).dump(),
                               {{"Cookie", cookie}, {"Origin", "http://evil.example"}});
  EXPECT_EQ(forged.status, 403) << forged.raw;
  ExpectFieldProblem(forged, 403, "Origin", "cross_site");
  ApiReply fetched = api_->Call("POST", "/api/v1/persons", "", Person(1).dump(),
                                {{"Cookie", cookie}, {"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(fetched.status, 403) << fetched.raw;
  // Log-in from another site is refused too (login CSRF).
  ApiReply login_forged = api_->Call("POST", "/api/v1/auth/login", "",
                                     json{{"username", "t_center"}, {"password", kPassword}}.dump(),
                                     {{"Origin", "http://evil.example"}});
  EXPECT_EQ(login_forged.status, 403) << login_forged.raw;

  // The same request from the app's own origin goes through; so does a script without browser
  // headers (the bearer token).
  ApiReply own =
      api_->Call("POST", "/api/v1/persons", "", Person(1).dump(),
                 {{"Cookie", cookie}, {"Origin", self}, {"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(own.status, 201) << own.raw;
  EXPECT_EQ(api_->Post("/api/v1/persons", "t_center", Person(2)).status, 201);
  // Reads are not refused: a cross-site GET cannot read the answer anyway.
  EXPECT_EQ(api_->Call("GET", "/api/v1/auth/me", "", "",
                       {{"Cookie", cookie}, {"Sec-Fetch-Site", "cross-site"}})
                .status,
            200);
}

TEST_F(WebSecurityTest, LoginIsRateLimitedPerAccountName) {
  int refused_at = 0;
  std::string retry_after;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 1; i <= 40 && refused_at == 0; ++i) {
    ApiReply r = api_->Login("t_nobody_here", "Wrong-Password-" + std::to_string(i));
    if (r.status == 429) {
      refused_at = i;
      retry_after = r.Header("Retry-After");
      EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u);
      EXPECT_EQ(r.body.value("code", ""), "too_many_requests") << r.raw;
      EXPECT_FALSE(r.body.value("detail_zh", "").empty());
    } else {
      EXPECT_EQ(r.status, 401) << r.raw;
    }
  }
  // Ten at once, then one every six seconds (a slow machine may earn one more while it loops).
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  EXPECT_GE(refused_at, 11);
  EXPECT_LE(refused_at, 11 + seconds / 6) << seconds << " s";
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  // Another account from the same address is not held up.
  EXPECT_EQ(api_->Login("t_other", kPassword).status, 200);
}

TEST_F(WebSecurityTest, PersonSearchIsRateLimitedPerUserAndTheRefusalAudited) {
  int ok = 0, refused_at = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 1; i <= 1000 && refused_at == 0; ++i) {
    ApiReply r = api_->Get("/api/v1/persons?q=%E6%B5%8B%E8%AF%95", "t_searcher");
    if (r.status == 429) {
      refused_at = i;
      EXPECT_FALSE(r.Header("Retry-After").empty());
    } else {
      ASSERT_EQ(r.status, 200) << r.raw;
      ++ok;
    }
  }
  // 120 at once, then two a second while the loop ran.
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
          .count();
  EXPECT_GE(ok, 120);
  EXPECT_GT(refused_at, 0) << "never limited";
  EXPECT_LE(refused_at, 121 + 2 * (seconds + 1)) << seconds << " s";
  // Another user searches on.
  EXPECT_EQ(api_->Get("/api/v1/persons?q=x", "t_other").status, 200);
  ApiReply audit = api_->Get("/api/v1/audit?action=person.search&limit=500", "t_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool denied = false;
  for (const auto& row : audit.body["items"]) {
    denied |= row.value("username", "") == "t_searcher" && row.value("result", "") == "denied" &&
              row.value("detail", "") == "rate limited";
  }
  EXPECT_TRUE(denied);
}

TEST_F(WebSecurityTest, WrongCurrentPasswordCountsTowardTheLockout) {
  ApiReply login = api_->Login("t_guess", kPassword);
  ASSERT_EQ(login.status, 200) << login.raw;
  const std::string token = login.body.value("token", "");
  for (int i = 1; i <= 5; ++i) {
    ApiReply r = api_->Send("POST", "/api/v1/auth/password", token,
                            json{{"current_password", "Guess-" + std::to_string(i) + "-Wrong!"},
                                 {"new_password", "Another-Horse-43!"}}
                                .dump());
    if (i < 5) {
      ExpectFieldProblem(r, 400, "current_password", "wrong_password");
    } else {
      // The fifth wrong guess locks the account and ends this very session.
      EXPECT_TRUE(r.status == 400 || r.status == 401) << r.raw;
    }
  }
  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", token).status, 401);
  EXPECT_EQ(api_->Login("t_guess", kPassword).status, 401);
}

TEST_F(WebSecurityTest, PasswordChangeEndsTheOtherSessions) {
  ApiReply first = api_->Login("t_sessions", kPassword);
  ApiReply second = api_->Login("t_sessions", kPassword);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  const std::string keep = first.body.value("token", "");
  const std::string other = second.body.value("token", "");
  ASSERT_EQ(api_->Send("GET", "/api/v1/auth/me", other).status, 200);
  ApiReply change = api_->Send(
      "POST", "/api/v1/auth/password", keep,
      json{{"current_password", kPassword}, {"new_password", "Another-Horse-43!"}}.dump());
  ASSERT_EQ(change.status, 200) << change.raw;
  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", keep).status, 200);
  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", other).status, 401);
}

TEST_F(WebSecurityTest, MetricsAnswerTheHostOnly) {
  // The test runs on the server's host (loopback): served. A client on another address gets 403
  // without --metrics-token (not reachable from this test, which has only the loopback).
  ApiReply m = api_->Call("GET", "/metrics", "");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.raw.find("jundeng_"), std::string::npos);
}

// HTTPS in the server itself (serve --tls-cert/--tls-key) for installations without nginx: the
// API answers over TLS with a Secure session cookie, and plain HTTP on that port gets nothing.
TEST(WebSecurityTls, ServesHttpsWithASecureCookie) {
  TempDir tmp;
  ServerProcess server(tmp.File("tls"));
  server.Demo(/*persons=*/0, /*seed=*/1);
  server.AddUser("t_tls", "center", FindStreetsOfTwoDistricts(server.db_path()).street_a,
                 kPassword);
  const std::string cert = tmp.File("cert.pem"), key = tmp.File("key.pem");
  const std::string openssl =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-keyout " +
      key + " -out " + cert + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(openssl.c_str()), 0) << "openssl could not make a test certificate";
  server.UseTls(cert, key);
  ASSERT_TRUE(server.Start()) << ReadFileBytes(server.log_path());

  auto https = server.Client();
  auto login =
      https->Post("/api/v1/auth/login", json{{"username", "t_tls"}, {"password", kPassword}}.dump(),
                  "application/json");
  ASSERT_TRUE(login) << "no HTTPS answer: " << httplib::to_string(login.error());
  EXPECT_EQ(login->status, 200) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;

  httplib::Client plain("127.0.0.1", server.port());
  plain.set_connection_timeout(5, 0);
  plain.set_read_timeout(5, 0);
  auto clear = plain.Get("/healthz");
  EXPECT_TRUE(!clear || clear->status != 200) << "plain HTTP answered on the TLS port";
  EXPECT_EQ(server.Stop(), 0);

  // A key that does not belong to the certificate stops the server at start, with a message.
  const std::string other = tmp.File("other.pem");
  ASSERT_EQ(std::system(("openssl genrsa -out " + other + " 2048 > /dev/null 2>&1").c_str()), 0);
  CommandResult bad =
      server.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", other});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("TLS"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace jd::integration
