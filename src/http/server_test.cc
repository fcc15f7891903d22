#include "http/server.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/embedded.h"
#include "core/input.h"
#include "http/openapi_doc.h"
#include "http/problem.h"
#include "http/route_access.h"

namespace jd::http {
namespace {

using nlohmann::json;

json OpenApi() { return json::parse(OpenApiDocument(), nullptr, /*allow_exceptions=*/false); }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

TEST(OpenApiTest, IsValidJsonOfVersion303) {
  json doc = OpenApi();
  ASSERT_FALSE(doc.is_discarded()) << "openapi.json is not valid JSON";
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.value("openapi", ""), "3.0.3");
  EXPECT_FALSE(doc["info"].value("title", "").empty());
  EXPECT_FALSE(doc["info"].value("version", "").empty());
  ASSERT_TRUE(doc["paths"].is_object());
}

TEST(OpenApiTest, DescribesEveryRouteWithItsMethod) {
  json doc = OpenApi();
  ASSERT_TRUE(doc.is_object());
  const json& paths = doc["paths"];
  std::vector<RouteInfo> routes = Routes();
  ASSERT_GE(routes.size(), 20u);
  for (const RouteInfo& r : routes) {
    ASSERT_TRUE(paths.contains(r.pattern)) << "openapi.json lacks the path " << r.pattern;
    EXPECT_TRUE(paths[r.pattern].contains(Lower(r.method)))
        << "openapi.json lacks " << r.method << " " << r.pattern;
  }
}

TEST(OpenApiTest, DescribesNoRouteTheServerLacks) {
  json doc = OpenApi();
  ASSERT_TRUE(doc.is_object());
  std::set<std::pair<std::string, std::string>> served;
  for (const RouteInfo& r : Routes()) served.insert({r.pattern, Lower(r.method)});
  const std::set<std::string> kMethods = {"get",   "put",  "post",    "delete",
                                          "patch", "head", "options", "trace"};
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (!kMethods.count(method)) continue;
      EXPECT_TRUE(served.count({path, method})) << method << " " << path << " is not served";
    }
  }
}

TEST(OpenApiTest, PublicRoutesNeedNoAuthAndOthersDo) {
  json doc = OpenApi();
  ASSERT_TRUE(doc.is_object());
  const json& schemes = doc["components"]["securitySchemes"];
  EXPECT_EQ(schemes["bearerAuth"].value("scheme", ""), "bearer");
  EXPECT_EQ(schemes["cookieAuth"].value("in", ""), "cookie");
  EXPECT_EQ(schemes["cookieAuth"].value("name", ""), "jd_session");
  ASSERT_TRUE(doc["security"].is_array());
  EXPECT_FALSE(doc["security"].empty());
  for (const RouteInfo& r : Routes()) {
    const json& op = doc["paths"][r.pattern][Lower(r.method)];
    bool public_op = op.contains("security") && op["security"].empty();
    EXPECT_EQ(public_op, !r.authenticated) << r.method << " " << r.pattern;
    if (r.authenticated) {
      EXPECT_TRUE(op["responses"].contains("401")) << r.method << " " << r.pattern;
    }
  }
}

TEST(OpenApiTest, EveryOperationDeclaresItsPermission) {
  json doc = OpenApi();
  ASSERT_TRUE(doc.is_object());
  int operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      ++operations;
      auto access = AccessOf(Upper(method), path);
      ASSERT_TRUE(access.has_value()) << method << " " << path << " has no valid x-permission";
      bool public_op = op.contains("security") && op["security"].empty();
      EXPECT_EQ(access->kind == RouteAccess::Kind::kPublic, public_op) << method << " " << path;
    }
  }
  EXPECT_GT(operations, 70);
  // Routes() checks the same for every served route and fills in the access.
  for (const RouteInfo& r : Routes()) {
    if (r.access.kind == RouteAccess::Kind::kPermission) {
      EXPECT_FALSE(r.access.any_of.empty()) << r.method << " " << r.pattern;
    }
  }
}

TEST(RouteAccessTest, ReadsOnePermissionOrAnyOfSeveral) {
  auto search = AccessOf("GET", "/api/v1/persons");
  ASSERT_TRUE(search.has_value());
  EXPECT_EQ(search->kind, RouteAccess::Kind::kPermission);
  ASSERT_EQ(search->any_of.size(), 1u);
  EXPECT_EQ(search->any_of[0], auth::Permission::kPersonRead);
  auto contact = AccessOf("PUT", "/api/v1/notify/clinics/{code}/contact");
  ASSERT_TRUE(contact.has_value());
  EXPECT_EQ(contact->any_of.size(), 2u);
  EXPECT_EQ(AccessOf("POST", "/api/v1/auth/login")->kind, RouteAccess::Kind::kPublic);
  EXPECT_EQ(AccessOf("GET", "/api/v1/auth/me")->kind, RouteAccess::Kind::kAuthenticated);
  EXPECT_FALSE(AccessOf("GET", "/api/v1/no-such-thing").has_value());
}

TEST(OpenApiTest, PathParametersAreDeclaredAndErrorsAreProblems) {
  json doc = OpenApi();
  ASSERT_TRUE(doc.is_object());
  const json& problem = doc["components"]["schemas"]["Problem"]["properties"];
  for (const char* field : {"type", "title", "status", "detail", "detail_zh", "detail_en", "code",
                            "instance", "request_id", "errors", "existing_id"}) {
    EXPECT_TRUE(problem.contains(field)) << field;
  }
  const json& field_error = doc["components"]["schemas"]["FieldError"]["properties"];
  for (const char* field : {"field", "code", "message", "message_zh", "message_en"}) {
    EXPECT_TRUE(field_error.contains(field)) << field;
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    bool templated = path.find('{') != std::string::npos;
    EXPECT_EQ(item.contains("parameters"), templated) << path;
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      for (const auto& [status, response] : op["responses"].items()) {
        if (status[0] != '4') continue;
        // Either a shared problem response or an inline problem+json one; the FHIR API's are
        // OperationOutcomes, as FHIR has them.
        std::string dumped = response.dump();
        if (path.starts_with("/fhir/")) {
          EXPECT_NE(dumped.find("application/fhir+json"), std::string::npos) << method << path;
          EXPECT_NE(dumped.find("OperationOutcome"), std::string::npos) << method << path;
          continue;
        }
        EXPECT_TRUE(dumped.find("#/components/responses/") != std::string::npos ||
                    dumped.find("application/problem+json") != std::string::npos)
            << method << " " << path << " " << status;
      }
    }
  }
}

TEST(ProblemTest, HttpStatusOfEveryCode) {
  EXPECT_EQ(HttpStatusOf(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusOf(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOf(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusOf(StaleVersion()), 412);
  EXPECT_EQ(HttpStatusOf(VersionRequired()), 428);
  EXPECT_EQ(HttpStatusOf(Status::FailedPrecondition("document already reviewed")), 409);
  EXPECT_EQ(HttpStatusOf(StatusCode::kTooLarge), 413);
  EXPECT_EQ(HttpStatusOf(StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusOf(StatusCode::kUnavailable), 503);
}

TEST(ProblemTest, LanguageFollowsTheFirstPreference) {
  EXPECT_EQ(LangFromAcceptLanguage(""), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("en-US,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("en"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("  en-GB"), Lang::kEn);
  EXPECT_EQ(LangFromAcceptLanguage("fr-FR,en;q=0.5"), Lang::kZh);
  EXPECT_EQ(LangFromAcceptLanguage("e"), Lang::kZh);
}

TEST(ProblemTest, InvalidInputListsEveryFieldInBothLanguages) {
  Status st =
      Status::Invalid({{"name", "required", "请填写姓名", "name is required"},
                       {"id_number", "invalid_check_digit", "校验码错误", "bad check digit"}});
  json zh = ProblemJson(st, "/api/v1/persons", "req-1", Lang::kZh);
  EXPECT_EQ(zh["type"], "/problems/invalid_argument");
  EXPECT_EQ(zh["status"], 400);
  EXPECT_EQ(zh["code"], "invalid_argument");
  EXPECT_EQ(zh["instance"], "/api/v1/persons");
  EXPECT_EQ(zh["request_id"], "req-1");
  EXPECT_FALSE(zh.value("title", "").empty());
  EXPECT_EQ(zh["detail"], zh["detail_zh"]);
  EXPECT_FALSE(zh.contains("existing_id"));
  ASSERT_EQ(zh["errors"].size(), 2u);
  EXPECT_EQ(zh["errors"][0]["field"], "name");
  EXPECT_EQ(zh["errors"][0]["code"], "required");
  EXPECT_EQ(zh["errors"][0]["message"], "请填写姓名");
  EXPECT_EQ(zh["errors"][0]["message_zh"], "请填写姓名");
  EXPECT_EQ(zh["errors"][0]["message_en"], "name is required");
  EXPECT_EQ(zh["errors"][1]["code"], "invalid_check_digit");

  json en = ProblemJson(st, "/api/v1/persons", "req-1", Lang::kEn);
  EXPECT_EQ(en["detail"], en["detail_en"]);
  EXPECT_EQ(en["errors"][0]["message"], "name is required");
  EXPECT_NE(en["title"], zh["title"]);
}

TEST(ProblemTest, DuplicateCarriesTheExistingId) {
  Status st = Status::AlreadyExists("already registered", "已登记");
  st.WithRef("0190a0b0-0000-7000-8000-000000000001");
  json p = ProblemJson(st, "/api/v1/persons", "r", Lang::kZh);
  EXPECT_EQ(p["status"], 409);
  EXPECT_EQ(p["code"], "already_exists");
  EXPECT_EQ(p["existing_id"], "0190a0b0-0000-7000-8000-000000000001");
  EXPECT_EQ(p["detail"], "已登记");
  EXPECT_EQ(p["detail_en"], "already registered");
  EXPECT_TRUE(p["errors"].is_array());
  EXPECT_TRUE(p["errors"].empty());
}

TEST(ProblemTest, MissingChineseTextFallsBackToEnglish) {
  json p = ProblemJson(Status(StatusCode::kUnavailable, "database busy"), "/x", "x", Lang::kZh);
  EXPECT_EQ(p["status"], 503);
  EXPECT_EQ(p["code"], "unavailable");
  EXPECT_EQ(p["detail"], "database busy");
  EXPECT_EQ(p["detail_zh"], "database busy");
  EXPECT_EQ(p["detail_en"], "database busy");
}

}  // namespace
}  // namespace jd::http
