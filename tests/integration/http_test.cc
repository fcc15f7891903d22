// The JSON API end to end: the real `jundeng serve` on a free port of 127.0.0.1, spoken to over
// HTTP with cpp-httplib. One server (a demo city without persons) serves every test of the suite.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

class HttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    // Two streets of two different districts: two health centers that must not see each other's
    // persons.
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "city") city_ = u.code;
    }
    ASSERT_EQ(city_, "450100");
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    ASSERT_FALSE(street_a_.empty());
    ASSERT_FALSE(street_b_.empty());
    district_a_ = streets.district_a;
    district_b_ = streets.district_b;
    ASSERT_NE(district_a_, district_b_);

    server_->AddUser("t_center_a", "center", street_a_, kPassword);
    server_->AddUser("t_center_b", "center", street_b_, kPassword);
    server_->AddUser("t_district_a", "district", district_a_, kPassword);
    server_->AddUser("t_district_b", "district", district_b_, kPassword);
    server_->AddUser("t_auditor", "auditor", city_, kPassword);
    server_->AddUser("t_secadmin", "secadmin", city_, kPassword);
    server_->AddUser("t_sysadmin", "sysadmin", city_, kPassword);
    server_->AddUser("t_lockme", "center", street_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A distinct valid resident ID number (hukou county 450803, 贵港市港南区, outside Nanning).
  static std::string NextIdNumber() { return MakeResidentId("450803", "19850315", ++id_seq_); }

  // A floating worker: left the 户籍 county and arrived here years ago, for work, no 居住证.
  static json PersonBody(const std::string& id_number, const std::string& org) {
    return {{"name", "测试人员"},
            {"id_number", id_number},
            {"phone", "138 1234 5678"},
            {"hukou_division", "450803"},
            {"hukou_address", "贵港市港南区桥圩镇"},
            {"residence_org", org},
            {"residence_address", "测试路1号"},
            {"left_hukou_on", "2020-02-20"},
            {"arrived_on", "2020-03-01"},
            {"move_reason", "work"}};
  }

  // Creates a person as `username`; returns its id.
  static std::string CreatePerson(const std::string& username, const std::string& org) {
    ApiReply r = api_->Post("/api/v1/persons", username, PersonBody(NextIdNumber(), org));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string city_, street_a_, street_b_, district_a_, district_b_;
  static inline ApiClient* api_ = nullptr;
  static inline int id_seq_ = 100;
};

TEST_F(HttpTest, LoginGivesTokenAndHttpOnlyCookieBothWorkUntilLogout) {
  ApiReply login = api_->Login("t_center_a", kPassword);
  ASSERT_EQ(login.status, 200) << login.raw;
  std::string token = login.body.value("token", "");
  ASSERT_GE(token.size(), 32u);
  EXPECT_EQ(login.body["user"].value("username", ""), "t_center_a");
  EXPECT_EQ(login.body["user"].value("role", ""), "center");
  EXPECT_FALSE(login.body["user"].contains("password_hash"));

  std::string cookie = login.Header("Set-Cookie");
  EXPECT_NE(cookie.find("jd_session=" + token), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;

  ApiReply bearer = api_->Send("GET", "/api/v1/auth/me", token);
  ASSERT_EQ(bearer.status, 200) << bearer.raw;
  EXPECT_EQ(bearer.body.value("username", ""), "t_center_a");
  EXPECT_EQ(bearer.body.value("org_code", ""), street_a_);

  httplib::Headers with_cookie = {{"Cookie", "theme=dark; jd_session=" + token}};
  ApiReply by_cookie = api_->Call("GET", "/api/v1/auth/me", "", "", with_cookie);
  ASSERT_EQ(by_cookie.status, 200) << by_cookie.raw;
  EXPECT_EQ(by_cookie.body.value("username", ""), "t_center_a");

  ApiReply anonymous = api_->Get("/api/v1/auth/me", "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", "not-a-real-token").status, 401);

  ApiReply logout = api_->Send("POST", "/api/v1/auth/logout", token);
  ASSERT_EQ(logout.status, 200) << logout.raw;
  EXPECT_NE(logout.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);

  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", token).status, 401);
  EXPECT_EQ(api_->Call("GET", "/api/v1/auth/me", "", "", with_cookie).status, 401);
  EXPECT_EQ(api_->Send("GET", "/api/v1/persons", token).status, 401);
}

TEST_F(HttpTest, FailedLoginsShareOneMessageAndFiveLockTheAccount) {
  ApiReply unknown = api_->Login("t_no_such_user", kPassword);
  ASSERT_EQ(unknown.status, 401) << unknown.raw;
  EXPECT_EQ(unknown.content_type.rfind("application/problem+json", 0), 0u);
  const std::string zh = unknown.body.value("detail_zh", "");
  const std::string en = unknown.body.value("detail_en", "");
  ASSERT_FALSE(zh.empty());
  ASSERT_FALSE(en.empty());

  for (int i = 1; i <= 5; ++i) {
    ApiReply wrong = api_->Login("t_lockme", "Wrong-Password-" + std::to_string(i));
    ASSERT_EQ(wrong.status, 401) << "attempt " << i << ": " << wrong.raw;
    EXPECT_EQ(wrong.body.value("detail_zh", ""), zh) << "attempt " << i;
    EXPECT_EQ(wrong.body.value("detail_en", ""), en) << "attempt " << i;
  }
  // The sixth attempt, with the right password, is refused with the very same text.
  ApiReply locked = api_->Login("t_lockme", kPassword);
  EXPECT_EQ(locked.status, 401) << locked.raw;
  EXPECT_EQ(locked.body.value("detail_zh", ""), zh);
  EXPECT_EQ(locked.body.value("detail_en", ""), en);
  EXPECT_FALSE(locked.body.contains("token"));

  // The lock is the account's, not the client's; the administrator sees it.
  EXPECT_EQ(api_->Login("t_center_b", kPassword).status, 200);
  ApiReply users = api_->Get("/api/v1/users", "t_secadmin");
  ASSERT_EQ(users.status, 200) << users.raw;
  bool seen = false;
  for (const auto& u : users.body["items"]) {
    if (u.value("username", "") == "t_lockme") {
      seen = true;
      EXPECT_TRUE(u.value("locked", false));
    }
  }
  EXPECT_TRUE(seen);
}

TEST_F(HttpTest, CenterSeesOwnPersonMaskedInListsAndOtherCenterGetsAuditedNotFound) {
  const std::string id_number = NextIdNumber();
  ApiReply created = api_->Post("/api/v1/persons", "t_center_a", PersonBody(id_number, street_a_));
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body.value("id", "");
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(created.Header("Location"), "/api/v1/persons/" + id);
  EXPECT_EQ(created.body.value("sex", ""), "M");  // derived from the odd sequence number
  EXPECT_EQ(created.body.value("birth_date", ""), "1985-03-15");
  EXPECT_EQ(created.body.value("phone", ""), "13812345678");  // normalised

  // The list masks the ID number and phone and leaves the full values out.
  ApiReply list = api_->Get("/api/v1/persons?page_size=200", "t_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  const json* item = nullptr;
  for (const auto& p : list.body["items"]) {
    if (p.value("id", "") == id) item = &p;
  }
  ASSERT_NE(item, nullptr) << list.raw;
  EXPECT_FALSE(item->contains("id_number"));
  EXPECT_FALSE(item->contains("phone"));
  EXPECT_EQ(item->value("id_number_masked", ""),
            id_number.substr(0, 4) + "**********" + id_number.substr(14));
  EXPECT_TRUE(
      std::regex_match(item->value("id_number_masked", ""), std::regex(R"(\d{4}\*{10}[0-9X]{4})")));
  EXPECT_EQ(item->value("phone_masked", ""), "138****5678");
  EXPECT_EQ(list.raw.find(id_number), std::string::npos);
  EXPECT_EQ(list.raw.find("13812345678"), std::string::npos);

  // The detail view has the full values and the eligibility rules.
  ApiReply detail = api_->Get("/api/v1/persons/" + id, "t_center_a");
  ASSERT_EQ(detail.status, 200) << detail.raw;
  EXPECT_EQ(detail.body.value("id_number", ""), id_number);
  EXPECT_EQ(detail.body.value("phone", ""), "13812345678");
  const json& elig = detail.body["eligibility"];
  EXPECT_TRUE(elig.value("floating", false)) << elig.dump();
  ASSERT_TRUE(elig["rules"].is_array());
  EXPECT_EQ(elig["rules"].size(), 7u);
  std::set<std::string> rules;
  for (const auto& r : elig["rules"]) {
    rules.insert(r.value("rule", ""));
    EXPECT_TRUE(r["passed"].is_boolean());
    EXPECT_FALSE(r.value("detail", "").empty());
  }
  for (const char* rule :
       {"left_hukou_30_days", "resident_30_days", "purpose_work_or_life", "not_same_city",
        "health_record_6_months", "vaccination_file_child_0_6", "service_document"}) {
    EXPECT_TRUE(rules.count(rule)) << rule;
  }

  // Another center: the person does not exist for it, and the attempt is recorded.
  ApiReply other = api_->Get("/api/v1/persons/" + id, "t_center_b");
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(other.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(other.raw.find(id_number), std::string::npos);
  ApiReply other_list = api_->Get("/api/v1/persons?page_size=200", "t_center_b");
  ASSERT_EQ(other_list.status, 200);
  EXPECT_EQ(other_list.raw.find(id), std::string::npos);
  // Not even the error of a duplicate registration says who it is.
  ApiReply dup = api_->Post("/api/v1/persons", "t_center_b", PersonBody(id_number, street_b_));
  EXPECT_EQ(dup.status, 409) << dup.raw;
  EXPECT_FALSE(dup.body.contains("existing_id")) << dup.raw;

  ApiReply audit = api_->Get("/api/v1/audit?limit=500&person_id=" + id, "t_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool denied = false, allowed = false;
  for (const auto& row : audit.body["items"]) {
    EXPECT_EQ(row.value("person_id", ""), id);
    if (row.value("action", "") != "person.read") continue;
    if (row.value("result", "") == "denied") {
      denied = true;
      EXPECT_EQ(row.value("username", ""), "t_center_b");
    } else if (row.value("username", "") == "t_center_a") {
      allowed = true;
      EXPECT_EQ(row.value("result", ""), "ok");
    }
  }
  EXPECT_TRUE(denied) << audit.raw;
  EXPECT_TRUE(allowed) << audit.raw;
  // No full ID number in the audit log either.
  EXPECT_EQ(audit.raw.find(id_number), std::string::npos);

  // Only auditors read the audit log.
  EXPECT_EQ(api_->Get("/api/v1/audit", "t_center_a").status, 403);
}

TEST_F(HttpTest, BadInputsAreProblemsNamingTheField) {
  const std::string user = "t_center_a";
  auto post = [&](const std::string& raw) {
    return api_->Call("POST", "/api/v1/persons", user, raw);
  };

  // Missing required fields: every one listed at once.
  ApiReply empty = post("{}");
  for (const char* field :
       {"name", "id_number", "hukou_division", "residence_org", "arrived_on", "move_reason"}) {
    ExpectFieldProblem(empty, 400, field, "required");
  }

  // Wrong check digit.
  std::string good = NextIdNumber();
  std::string bad = good.substr(0, 17) + (good[17] == '0' ? "1" : "0");
  ExpectFieldProblem(post(PersonBody(bad, street_a_).dump()), 400, "id_number",
                     "invalid_check_digit");

  // Birth date in the future (a passport holder, so it is not derived from the number).
  const std::string future = Iso(AddDays(Today(), 3));
  json passport = PersonBody("E12345678", street_a_);
  passport["id_type"] = "passport";
  passport["sex"] = "F";
  passport["birth_date"] = future;
  ExpectFieldProblem(post(passport.dump()), 400, "birth_date", "in_future");

  // A malformed date.
  json bad_date = PersonBody(NextIdNumber(), street_a_);
  bad_date["arrived_on"] = "2024-02-30";
  ExpectFieldProblem(post(bad_date.dump()), 400, "arrived_on", "invalid_date");

  // Wrong JSON types.
  json number_name = PersonBody(NextIdNumber(), street_a_);
  number_name["name"] = 42;
  ExpectFieldProblem(post(number_name.dump()), 400, "name", "wrong_type");
  ExpectFieldProblem(post("[1, 2, 3]"), 400, "", "wrong_type");
  ExpectFieldProblem(post("\"a string\""), 400, "", "wrong_type");
  ExpectFieldProblem(post("null"), 400, "", "wrong_type");

  // Not JSON at all.
  ExpectFieldProblem(post("{\"name\": "), 400, "", "invalid_json");
  ExpectFieldProblem(post("\xff\xfe{}"), 400, "", "invalid_json");

  // An unknown enum value.
  json reason = PersonBody(NextIdNumber(), street_a_);
  reason["move_reason"] = "tourism-ish";
  ExpectFieldProblem(post(reason.dump()), 400, "move_reason", "invalid_value");

  // A residence outside the center's jurisdiction, and one that does not exist.
  ExpectFieldProblem(post(PersonBody(NextIdNumber(), street_b_).dump()), 400, "residence_org",
                     "outside_jurisdiction");
  ExpectFieldProblem(post(PersonBody(NextIdNumber(), "450199999").dump()), 400, "residence_org",
                     "unknown_org");

  // A body that is not declared as JSON.
  ExpectFieldProblem(api_->Call("POST", "/api/v1/persons", user, "name=x", {},
                                "application/x-www-form-urlencoded"),
                     400, "", "unsupported_media_type");

  // 10 MB: refused as too large, not read into a handler.
  std::string huge(10 * 1024 * 1024, ' ');
  huge[0] = '{';
  huge[huge.size() - 1] = '}';
  ApiReply too_large = post(huge);
  ExpectFieldProblem(too_large, 413, "", "too_large");

  // Query parameters.
  ExpectFieldProblem(api_->Get("/api/v1/persons?page=abc", user), 400, "page", "invalid_integer");
  ExpectFieldProblem(api_->Get("/api/v1/persons?page=0", user), 400, "page", "invalid_integer");
  ExpectFieldProblem(api_->Get("/api/v1/persons?page_size=100000", user), 400, "page_size",
                     "invalid_integer");
  ExpectFieldProblem(api_->Get("/api/v1/persons?status=sleeping", user), 400, "status",
                     "invalid_value");

  // A person id that is not a UUID, and a UUID nobody has: plain not found.
  for (const char* path : {"/api/v1/persons/not-a-uuid", "/api/v1/persons/%27%20OR%201%3D1",
                           "/api/v1/persons/01890000-0000-7000-8000-000000000000"}) {
    ApiReply r = api_->Get(path, user);
    EXPECT_EQ(r.status, 404) << path << ": " << r.raw;
    EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u) << path;
    EXPECT_EQ(r.body.value("code", ""), "not_found") << path;
  }

  // A duplicate ID number: 409 pointing at the record the caller may see.
  std::string id_number = NextIdNumber();
  ApiReply first = post(PersonBody(id_number, street_a_).dump());
  ASSERT_EQ(first.status, 201) << first.raw;
  json again = PersonBody(id_number, street_a_);
  again["name"] = "另一个人";
  ApiReply dup = post(again.dump());
  EXPECT_EQ(dup.status, 409) << dup.raw;
  EXPECT_EQ(dup.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(dup.body.value("existing_id", ""), first.body.value("id", "?"));
  EXPECT_EQ(dup.body.value("code", ""), "already_exists");

  // English when the client prefers it.
  ApiReply english =
      api_->Call("POST", "/api/v1/persons", user, "{}", {{"Accept-Language", "en-US,en"}});
  ASSERT_EQ(english.status, 400);
  ASSERT_FALSE(english.body["errors"].empty());
  for (const auto& e : english.body["errors"]) {
    EXPECT_EQ(e.value("message", "a"), e.value("message_en", "b"));
  }
  EXPECT_EQ(english.body.value("detail", "a"), english.body.value("detail_en", "b"));

  // Garbage on other routes: still 4xx problems.
  ExpectFieldProblem(api_->Post("/api/v1/auth/login", "", {{"username", 7}}), 400, "username",
                     "wrong_type");
  ExpectFieldProblem(api_->Post("/api/v1/id-check", user, json::object()), 400, "id_number",
                     "required");
  ExpectFieldProblem(api_->Post("/api/v1/eligibility/evaluate", user, {{"as_of", "someday"}}), 400,
                     "as_of", "invalid_date");
  ApiReply unknown_route = api_->Get("/api/v1/no-such-thing", user);
  EXPECT_EQ(unknown_route.status, 404);
  EXPECT_EQ(unknown_route.content_type.rfind("application/problem+json", 0), 0u);
}

TEST_F(HttpTest, ApprovedResidenceCertificateGivesFreeServices) {
  const std::string person = CreatePerson("t_center_a", street_a_);
  ASSERT_FALSE(person.empty());
  ApiReply before = api_->Get("/api/v1/persons/" + person, "t_center_a");
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(before.body["eligibility"].value("floating", false));
  EXPECT_FALSE(before.body["eligibility"]["entitlements"].value("free_services", true));

  json certificate = {{"type", "residence_certificate"},
                      {"number", "南公证字2024第0012号"},
                      {"issued_by", "南宁市公安局测试派出所"},
                      {"issued_on", "2024-01-10"},
                      {"valid_until", "2099-12-31"}};
  ApiReply submitted =
      api_->Post("/api/v1/persons/" + person + "/documents", "t_center_a", certificate);
  ASSERT_EQ(submitted.status, 201) << submitted.raw;
  EXPECT_EQ(submitted.body.value("status", ""), "pending");
  EXPECT_EQ(submitted.body.value("type", ""), "residence_certificate");
  const std::string doc = submitted.body.value("id", "");

  // Pending is not enough (实施办法 §三(二)2: 经当地卫生计生部门审核).
  ApiReply pending = api_->Get("/api/v1/persons/" + person, "t_center_a");
  EXPECT_FALSE(pending.body["eligibility"]["entitlements"].value("free_services", true));

  // A center may not review; a district outside the person's may not see it.
  json approve = {{"decision", "approved"}};
  ApiReply by_center = api_->Post("/api/v1/documents/" + doc + "/review", "t_center_a", approve);
  EXPECT_EQ(by_center.status, 403) << by_center.raw;
  EXPECT_EQ(by_center.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(api_->Post("/api/v1/documents/" + doc + "/review", "t_district_b", approve).status,
            404);
  ExpectFieldProblem(
      api_->Post("/api/v1/documents/" + doc + "/review", "t_district_a", {{"decision", "maybe"}}),
      400, "decision", "invalid_value");

  ApiReply queue = api_->Get("/api/v1/documents?status=pending", "t_district_a");
  ASSERT_EQ(queue.status, 200) << queue.raw;
  bool queued = false;
  for (const auto& d : queue.body["items"]) {
    if (d.value("id", "") == doc) {
      queued = true;
      EXPECT_EQ(d["person"].value("id", ""), person);
      EXPECT_FALSE(d["person"].contains("id_number"));
    }
  }
  EXPECT_TRUE(queued) << queue.raw;
  ApiReply other_queue = api_->Get("/api/v1/documents", "t_district_b");
  ASSERT_EQ(other_queue.status, 200);
  EXPECT_EQ(other_queue.raw.find(doc), std::string::npos);
  // The queue's total is the jurisdiction's (the home page asks for the number alone).
  ApiReply count = api_->Get("/api/v1/documents?status=pending&count_only=true", "t_district_a");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_EQ(count.body.value("total", -1), queue.body.value("total", -2));
  EXPECT_GE(count.body.value("total", -1), 1);
  EXPECT_TRUE(count.body["items"].empty());
  EXPECT_EQ(api_->Get("/api/v1/documents?count_only=true", "t_district_b").body.value("total", -1),
            other_queue.body.value("total", -2));

  ApiReply approved = api_->Post("/api/v1/documents/" + doc + "/review", "t_district_a", approve);
  ASSERT_EQ(approved.status, 200) << approved.raw;
  EXPECT_EQ(approved.body.value("status", ""), "approved");
  EXPECT_FALSE(approved.body.value("reviewed_by", "").empty());
  // Reviewed once only.
  ApiReply twice = api_->Post("/api/v1/documents/" + doc + "/review", "t_district_a",
                              {{"decision", "rejected"}, {"reason", "重复"}});
  EXPECT_EQ(twice.status, 409) << twice.raw;

  ApiReply after = api_->Get("/api/v1/persons/" + person, "t_center_a");
  ASSERT_EQ(after.status, 200);
  EXPECT_TRUE(after.body["eligibility"]["entitlements"].value("free_services", false))
      << after.body["eligibility"].dump();
  for (const auto& r : after.body["eligibility"]["rules"]) {
    if (r.value("rule", "") == "service_document") {
      EXPECT_TRUE(r.value("passed", false));
    }
  }
  ASSERT_EQ(after.body["documents"].size(), 1u);
  EXPECT_EQ(after.body["documents"][0].value("status", ""), "approved");

  // A 居住证 needs its number and validity.
  ExpectFieldProblem(api_->Post("/api/v1/persons/" + person + "/documents", "t_center_a",
                                {{"type", "residence_permit"}}),
                     400, "number", "required");
  ExpectFieldProblem(
      api_->Post("/api/v1/persons/" + person + "/documents", "t_center_a", {{"type", "passport"}}),
      400, "type", "invalid_value");
}

TEST_F(HttpTest, MoveWithinCityHandsThePersonToTheOtherCenter) {
  const std::string person = CreatePerson("t_center_a", street_a_);
  ASSERT_FALSE(person.empty());
  EXPECT_EQ(api_->Get("/api/v1/persons/" + person, "t_center_b").status, 404);

  ExpectFieldProblem(
      api_->Post(
          "/api/v1/persons/" + person + "/residence-events", "t_center_a",
          {{"type", "moved_within_city"}, {"date", "2024-06-01"}, {"org_code", "450100999999"}}),
      400, "org_code", "unknown_org");
  ExpectFieldProblem(api_->Post("/api/v1/persons/" + person + "/residence-events", "t_center_a",
                                {{"type", "teleported"}, {"date", "2024-06-01"}}),
                     400, "type", "invalid_value");

  ApiReply moved = api_->Post("/api/v1/persons/" + person + "/residence-events", "t_center_a",
                              {{"type", "moved_within_city"},
                               {"date", "2024-06-01"},
                               {"org_code", street_b_},
                               {"address", "新居路8号"}});
  ASSERT_EQ(moved.status, 201) << moved.raw;
  EXPECT_EQ(moved.body.value("residence_org", ""), street_b_);
  EXPECT_EQ(moved.body.value("residence_address", ""), "新居路8号");
  EXPECT_EQ(moved.body.value("version", 0), 2);
  ASSERT_EQ(moved.body["residence_events"].size(), 2u);

  ApiReply seen_by_b = api_->Get("/api/v1/persons/" + person, "t_center_b");
  EXPECT_EQ(seen_by_b.status, 200) << seen_by_b.raw;
  EXPECT_EQ(api_->Get("/api/v1/persons/" + person, "t_center_a").status, 404);

  ApiReply history = api_->Get("/api/v1/persons/" + person + "/history", "t_center_b");
  ASSERT_EQ(history.status, 200) << history.raw;
  ASSERT_GE(history.body["items"].size(), 1u);
  const json& previous = history.body["items"][0];
  EXPECT_EQ(previous.value("version", 0), 1);
  EXPECT_EQ(previous["data"].value("residence_org", ""), street_a_);
  EXPECT_EQ(previous["data"].value("residence_address", ""), "测试路1号");
  EXPECT_EQ(api_->Get("/api/v1/persons/" + person + "/history", "t_center_a").status, 404);

  // A field change is versioned too, and guarded by If-Match.
  ApiReply stale = api_->Call("PATCH", "/api/v1/persons/" + person, "t_center_b",
                              json{{"occupation", "厨师"}}.dump(), {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.raw;
  ApiReply patched = api_->Call("PATCH", "/api/v1/persons/" + person, "t_center_b",
                                json{{"occupation", "厨师"}}.dump(), {{"If-Match", "\"2\""}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  EXPECT_EQ(patched.body.value("occupation", ""), "厨师");
  EXPECT_EQ(patched.body.value("version", 0), 3);
  ExpectFieldProblem(api_->Call("PATCH", "/api/v1/persons/" + person, "t_center_b",
                                json{{"residence_org", street_a_}}.dump(), {{"If-Match", "3"}}),
                     400, "residence_org", "use_residence_event");
}

TEST_F(HttpTest, OnlyTheSecurityAdministratorManagesUsersAndAdministratorsSeeNoPersons) {
  ApiReply list = api_->Get("/api/v1/users", "t_secadmin");
  ASSERT_EQ(list.status, 200) << list.raw;
  std::set<std::string> names;
  for (const auto& u : list.body["items"]) {
    names.insert(u.value("username", ""));
    EXPECT_FALSE(u.contains("password_hash"));
  }
  EXPECT_TRUE(names.count("t_center_a"));
  EXPECT_TRUE(names.count("t_auditor"));

  json new_user = {{"username", "t_village_new"},
                   {"display_name", "新村医"},
                   {"role", "village"},
                   {"org_code", street_a_},
                   {"password", kPassword}};
  ApiReply created = api_->Post("/api/v1/users", "t_secadmin", new_user);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body.value("role", ""), "village");
  EXPECT_EQ(created.body.value("org_code", ""), street_a_);
  EXPECT_EQ(api_->Login("t_village_new", kPassword).status, 200);
  EXPECT_EQ(api_->Post("/api/v1/users", "t_secadmin", new_user).status, 409);

  json weak = new_user;
  weak["username"] = "t_weak";
  weak["password"] = "short";
  ExpectFieldProblem(api_->Post("/api/v1/users", "t_secadmin", weak), 400, "password", "too_short");
  json no_role = new_user;
  no_role.erase("role");
  ExpectFieldProblem(api_->Post("/api/v1/users", "t_secadmin", no_role), 400, "role", "required");

  // Deactivation ends the ability to log in.
  const std::string user_id = created.body.value("id", "");
  const std::string user_version = created.body.value("version", "");
  ApiReply off = api_->Call("PATCH", "/api/v1/users/" + user_id, "t_secadmin",
                            json{{"active", false}}.dump(), {{"If-Match", user_version}});
  EXPECT_EQ(off.status, 200) << off.raw;
  EXPECT_EQ(api_->Login("t_village_new", kPassword).status, 401);

  ApiReply center_list = api_->Get("/api/v1/users", "t_center_a");
  EXPECT_EQ(center_list.status, 403) << center_list.raw;
  EXPECT_EQ(center_list.content_type.rfind("application/problem+json", 0), 0u);
  json sneaky = new_user;
  sneaky["username"] = "t_sneaky";
  sneaky["role"] = "commission";
  EXPECT_EQ(api_->Post("/api/v1/users", "t_center_a", sneaky).status, 403);
  EXPECT_EQ(api_->Login("t_sneaky", kPassword).status, 401);

  // The three administrators hold no personal data.
  const std::string person = CreatePerson("t_center_a", street_a_);
  for (const char* admin : {"t_sysadmin", "t_secadmin", "t_auditor"}) {
    EXPECT_EQ(api_->Get("/api/v1/persons", admin).status, 403) << admin;
    EXPECT_EQ(api_->Get("/api/v1/persons/" + person, admin).status, 403) << admin;
    EXPECT_EQ(api_->Post("/api/v1/persons", admin, PersonBody(NextIdNumber(), street_a_)).status,
              403)
        << admin;
  }
}

TEST_F(HttpTest, SystemAdministratorAddsACommunityTheCenterThenServes) {
  const std::string code = street_a_ + "987";
  json unit = {{"code", code}, {"name", "测试社区"}, {"parent_code", street_a_}};
  EXPECT_EQ(api_->Post("/api/v1/org-units", "t_center_a", unit).status, 403);
  ExpectFieldProblem(api_->Post("/api/v1/org-units", "t_sysadmin",
                                {{"code", "12345"}, {"name", "错码"}, {"parent_code", street_a_}}),
                     400, "code", "invalid_code");
  ApiReply created = api_->Post("/api/v1/org-units", "t_sysadmin", unit);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body.value("level", ""), "community");
  EXPECT_EQ(created.body.value("parent_code", ""), street_a_);
  EXPECT_EQ(api_->Post("/api/v1/org-units", "t_sysadmin", unit).status, 409);

  ApiReply listed = api_->Get("/api/v1/org-units?parent=" + street_a_, "t_center_a");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_NE(listed.raw.find(code), std::string::npos);
  // The new unit lies within the center's street: its persons are the center's.
  const std::string person = CreatePerson("t_center_a", code);
  EXPECT_EQ(api_->Get("/api/v1/persons/" + person, "t_center_a").status, 200);
  EXPECT_EQ(api_->Get("/api/v1/persons/" + person, "t_center_b").status, 404);
}

TEST_F(HttpTest, HealthMetricsAndOpenApiAreServed) {
  ApiReply health = api_->Get("/healthz", "");
  ASSERT_EQ(health.status, 200) << health.raw;
  EXPECT_EQ(health.body.value("status", ""), "ok");
  EXPECT_GE(health.body.value("schema_version", 0), 1);

  ApiReply metrics = api_->Get("/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.raw.find("jundeng_http_requests_total"), std::string::npos) << metrics.raw;

  ApiReply openapi = api_->Get("/api/v1/openapi.json", "");
  ASSERT_EQ(openapi.status, 200);
  // The served document is the base description with every module's paths merged in.
  ASSERT_TRUE(openapi.body.is_object());
  EXPECT_EQ(openapi.body.value("openapi", ""), "3.0.3");
  EXPECT_TRUE(openapi.body["paths"].contains("/api/v1/persons/{id}"));
}

TEST_F(HttpTest, IdCheckAndEligibilityEndpoints) {
  ApiReply valid =
      api_->Post("/api/v1/id-check", "t_center_a", {{"id_number", "11010519491231002x"}});
  ASSERT_EQ(valid.status, 200) << valid.raw;
  EXPECT_TRUE(valid.body.value("valid", false));
  EXPECT_EQ(valid.body.value("normalized", ""), "11010519491231002X");
  EXPECT_EQ(valid.body.value("sex", ""), "F");
  EXPECT_EQ(valid.body.value("birth_date", ""), "1949-12-31");

  ApiReply invalid =
      api_->Post("/api/v1/id-check", "t_center_a", {{"id_number", "110105194912310021"}});
  ASSERT_EQ(invalid.status, 200) << invalid.raw;
  EXPECT_FALSE(invalid.body.value("valid", true));
  EXPECT_TRUE(HasFieldError(invalid.body, "id_number", "invalid_check_digit")) << invalid.raw;

  json facts = {{"as_of", "2026-03-01"},
                {"birth_date", "1990-05-01"},
                {"hukou_division", "450803"},
                {"residence_division", "450103"},
                {"left_hukou_on", "2025-06-01"},
                {"arrived_on", "2025-06-02"},
                {"reason", "work"}};
  ApiReply elig = api_->Post("/api/v1/eligibility/evaluate", "t_center_a", facts);
  ASSERT_EQ(elig.status, 200) << elig.raw;
  EXPECT_TRUE(elig.body.value("floating", false));
  EXPECT_TRUE(elig.body["entitlements"].value("health_record", false));
  EXPECT_FALSE(elig.body["entitlements"].value("free_services", true));  // no document
}

// Runs last in the suite: the audit chain of everything above is intact.
TEST_F(HttpTest, AuditLogOfTheRunVerifies) {
  CommandResult verify = server_->Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  json report = json::parse(verify.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << verify.out;
  EXPECT_TRUE(report.value("ok", false));
  EXPECT_GT(report.value("rows_checked", 0), 10);
}

}  // namespace
}  // namespace jd::integration

namespace jd::integration {
namespace {

// A password a security administrator chose is one-time: until the user replaces it, only the
// password change, "me" and logout answer (等保 2.0 身份鉴别; the demo's printed passwords too).
TEST_F(HttpTest, OneTimePasswordMustBeChangedFirst) {
  json new_user = {{"username", "t_onetime"},
                   {"role", "village"},
                   {"org_code", street_a_},
                   {"password", kPassword}};
  ASSERT_EQ(api_->Post("/api/v1/users", "t_secadmin", new_user).status, 201);
  ApiReply login = api_->Login("t_onetime", kPassword);
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_TRUE(login.body.value("must_change_password", false));
  std::string token = login.body.value("token", "");

  ExpectFieldProblem(api_->Send("GET", "/api/v1/persons", token), 403, "password",
                     "password_change_required");
  EXPECT_EQ(api_->Send("GET", "/api/v1/auth/me", token).status, 200);

  const std::string next = "Own-Choice-Passw0rd";
  ApiReply changed =
      api_->Send("POST", "/api/v1/auth/password", token,
                 json{{"current_password", kPassword}, {"new_password", next}}.dump());
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(api_->Send("GET", "/api/v1/persons", token).status, 200);
  ApiReply again = api_->Login("t_onetime", next);
  ASSERT_EQ(again.status, 200);
  EXPECT_FALSE(again.body.value("must_change_password", true));
}

TEST_F(HttpTest, ImportOverTheApiKeepsGoodRowsAndReportsBadOnesRowByRow) {
  const std::string a = NextIdNumber(), b = NextIdNumber();
  const std::string bad = a.substr(0, 17) + (a[17] == '0' ? "1" : "0");
  const std::string csv = "姓名,证件号码,户籍地区划代码,现居住地单位代码,来本地日期,流动原因\n" +
                          ("张导一," + a + ",450803," + street_a_ + ",2023-05-01,务工\n") +    // 1
                          ("李导二," + bad + ",450803," + street_a_ + ",2023-05-01,务工\n") +  // 2
                          ("王导三," + b + ",450803," + street_a_ + ",2023/6/1,经商\n");       // 3
  auto count = [&](const std::string& id) {
    return api_->Get("/api/v1/persons?q=" + id, "t_center_a").body["items"].size();
  };

  // A dry run reports and writes nothing.
  ApiReply dry =
      api_->Call("POST", "/api/v1/imports/persons?dry_run=true", "t_center_a", csv, {}, "text/csv");
  ASSERT_EQ(dry.status, 200) << dry.raw;
  EXPECT_TRUE(dry.body.value("dry_run", false));
  EXPECT_EQ(dry.body.value("rows_ok", 0), 2);
  EXPECT_EQ(count(a), 0u);

  ApiReply r = api_->PostForm("/api/v1/imports/persons", "t_center_a",
                              {{"file", csv, "persons.csv", "text/csv"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body.value("rows_total", 0), 3);
  EXPECT_EQ(r.body.value("rows_ok", 0), 2);
  EXPECT_EQ(r.body.value("rows_failed", 0), 1);
  ASSERT_EQ(r.body["errors"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["errors"][0].value("row", 0), 2);
  EXPECT_EQ(r.body["errors"][0].value("code", ""), "invalid_check_digit");
  EXPECT_FALSE(r.body["errors"][0].value("message_en", "").empty());
  EXPECT_EQ(count(a), 1u);
  EXPECT_EQ(count(b), 1u);

  // Roles without the import permission, and files that are not a persons CSV.
  EXPECT_EQ(api_->Call("POST", "/api/v1/imports/persons", "t_auditor", csv, {}, "text/csv").status,
            403);
  ExpectFieldProblem(
      api_->Call("POST", "/api/v1/imports/persons", "t_center_a", "", {}, "text/csv"), 400, "file",
      "required");
  ExpectFieldProblem(api_->Call("POST", "/api/v1/imports/persons?dry_run=maybe", "t_center_a", csv,
                                {}, "text/csv"),
                     400, "dry_run", "invalid_value");
  ApiReply junk =
      api_->Call("POST", "/api/v1/imports/persons", "t_center_a", "a,b\n1,2\n", {}, "text/csv");
  EXPECT_EQ(junk.status, 400) << junk.raw;
  EXPECT_EQ(junk.content_type, "application/problem+json");
}

}  // namespace
}  // namespace jd::integration
