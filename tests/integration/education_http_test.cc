// Health education over the JSON API on the real `jundeng serve`: activities of the service points
// recorded, listed and voided by the centres; a lecture recorded today shrinks the point's lecture
// shortfall (规范 第三版 健康教育服务规范 二(二)4) and voiding it restores it; a centre of another
// district neither sees nor records at the points (404, audited as denied); roles without
// education_write are refused (403); bad input is problem+json with field errors in Chinese and
// English; attendees linked to the registry are audited per person and scoped; `jundeng demo`
// leaves about a third of the points behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Education-Test-Passw0rd!";

class EducationHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/600, /*seed=*/29);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    ASSERT_FALSE(street_b_.empty());
    std::string city, district_a = streets.district_a;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "city") city = u.code;
    }
    server_->AddUser("ed_center_a", "center", street_a_, kPassword);
    server_->AddUser("ed_center_b", "center", street_b_, kPassword);
    server_->AddUser("ed_village_a", "village", street_a_, kPassword);
    server_->AddUser("ed_district_a", "district", district_a, kPassword);
    server_->AddUser("ed_city", "commission", city, kPassword);
    server_->AddUser("ed_finance", "finance", city, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
    // The street's centre (demo: one per street, network/demo_network.h).
    auto rows = QueryRows(server_->db_path(),
                          "SELECT id FROM service_points WHERE org_code = ?1 AND kind IN "
                          "('chs_centre', 'township_centre') ORDER BY name LIMIT 1",
                          {street_a_});
    ASSERT_FALSE(rows.empty());
    centre_a_ = rows[0][0];
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static json Lecture(const std::string& point) {
    return {{"point_id", point},
            {"kind", "lecture"},
            {"venue", "enterprise"},
            {"held_on", Iso(Today())},
            {"topic", "流动人口健康素养"},
            {"organiser", "社区卫生服务中心"},
            {"attendance", 40},
            {"materials", {{{"title", "健康素养66条"}, {"format", "printed"}, {"quantity", 40}}}}};
  }

  static long long Count(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  static long long Denied(const std::string& user) {
    return Count("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'", user);
  }
  static bool Listed(const ApiReply& list, const std::string& id) {
    for (const auto& a : list.body["items"]) {
      if (a.value("id", "") == id) return true;
    }
    return false;
  }
  static json Norm(const ApiReply& point, const std::string& id) {
    for (const auto& n : point.body["norms"]) {
      if (n.value("id", "") == id) return n;
    }
    return json();
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_, centre_a_;
};

// Calendar months completed today, as the norms count them (education/norms.h MeasureYear).
int MonthsCompleted() {
  const auto today = Today();
  const bool last_day = AddDays(today, 1).month() != today.month();
  return static_cast<int>(static_cast<unsigned>(today.month())) - (last_day ? 0 : 1);
}

// First: the other tests add activities.
TEST_F(EducationHttpTest, TheDemoLeavesAboutAThirdOfThePointsBehind) {
  ApiReply all = api_->Get("/api/v1/education/norms", "ed_city");
  ASSERT_EQ(all.status, 200) << all.raw;
  const int total = all.body["total"].get<int>();
  const int behind = all.body["behind"].get<int>();
  ASSERT_GT(total, 20);
  for (const auto& p : all.body["points"]) {
    EXPECT_TRUE(p["type"] == "centre" || p["type"] == "station") << p;
  }
  ApiReply only = api_->Get("/api/v1/education/norms?behind=true", "ed_city");
  ASSERT_EQ(only.status, 200);
  EXPECT_EQ(only.body["total"].get<int>(), behind);
  for (const auto& p : only.body["points"]) EXPECT_GT(p["behind"].get<int>(), 0) << p;
  if (MonthsCompleted() >= 2) {
    EXPECT_GT(behind, total / 5) << all.raw.substr(0, 400);
    EXPECT_LT(behind, total / 2);
  }
  // A centre sees only its street's points.
  ApiReply own = api_->Get("/api/v1/education/norms", "ed_center_a");
  ASSERT_EQ(own.status, 200);
  EXPECT_LT(own.body["total"].get<int>(), total);
  EXPECT_GT(own.body["total"].get<int>(), 0);
}

TEST_F(EducationHttpTest, RecordListAndVoidAnActivity) {
  ApiReply made = api_->Post("/api/v1/education/activities", "ed_center_a", Lecture(centre_a_));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.body["kind"], "lecture");
  EXPECT_EQ(made.body["venue"], "enterprise");
  EXPECT_EQ(made.body["attendance"], 40);
  EXPECT_EQ(made.body["materials"].size(), 1u);
  EXPECT_FALSE(made.body["voided"].get<bool>());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'education.activity.record' AND "
                  "object_id = ?1",
                  id),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_events WHERE entity = 'education' AND entity_id = "
                  "?1 AND person_id IS NULL",
                  id),
            1);

  ApiReply list = api_->Get("/api/v1/education/activities?point_id=" + centre_a_, "ed_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_TRUE(Listed(list, id));
  ApiReply read = api_->Get("/api/v1/education/activities/" + id, "ed_center_a");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["topic"], "流动人口健康素养");

  ExpectFieldProblem(
      api_->Post("/api/v1/education/activities/" + id + "/void", "ed_center_a", json::object()),
      400, "reason", "required");
  ApiReply voided = api_->Post("/api/v1/education/activities/" + id + "/void", "ed_center_a",
                               {{"reason", "日期登记错误"}});
  ASSERT_EQ(voided.status, 200) << voided.raw;
  EXPECT_TRUE(voided.body["voided"].get<bool>());
  EXPECT_EQ(voided.body["void_reason"], "日期登记错误");
  EXPECT_EQ(api_->Post("/api/v1/education/activities/" + id + "/void", "ed_center_a",
                       {{"reason", "再次"}})
                .status,
            409);
  // Kept, not deleted; listed only when asked for.
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM edu_activities WHERE id = ?1 AND voided_at IS NOT NULL", id), 1);
  EXPECT_FALSE(
      Listed(api_->Get("/api/v1/education/activities?point_id=" + centre_a_, "ed_center_a"), id));
  EXPECT_TRUE(Listed(
      api_->Get("/api/v1/education/activities?voided=true&point_id=" + centre_a_, "ed_center_a"),
      id));
}

TEST_F(EducationHttpTest, ALectureShrinksTheShortfallAndVoidingRestoresIt) {
  const std::string path = "/api/v1/education/points/" + centre_a_ + "/norms";
  ApiReply before = api_->Get(path, "ed_center_a");
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["type"], "centre");
  const json lectures = Norm(before, "lectures");
  ASSERT_FALSE(lectures.is_null()) << before.raw;
  EXPECT_EQ(lectures["required"], 12);
  EXPECT_EQ(lectures["due"].get<int>(), MonthsCompleted());  // 12 a year, pro-rated by months
  ApiReply made = api_->Post("/api/v1/education/activities", "ed_center_a", Lecture(centre_a_));
  ASSERT_EQ(made.status, 201) << made.raw;
  ApiReply after = api_->Get(path, "ed_center_a");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(Norm(after, "lectures")["actual"].get<int>(), lectures["actual"].get<int>() + 1);
  EXPECT_EQ(Norm(after, "lectures")["shortfall"].get<int>(),
            std::max(0, lectures["shortfall"].get<int>() - 1));
  ApiReply voided =
      api_->Post("/api/v1/education/activities/" + made.body.value("id", "") + "/void",
                 "ed_center_a", {{"reason", "测试"}});
  ASSERT_EQ(voided.status, 200);
  EXPECT_EQ(Norm(api_->Get(path, "ed_center_a"), "lectures"), lectures);
  // A future year is refused; a past year is measured whole.
  ExpectFieldProblem(
      api_->Get(path + "?year=" + std::to_string(static_cast<int>(Today().year()) + 1),
                "ed_center_a"),
      400, "year", "in_future");
  ApiReply last = api_->Get(path + "?year=" + std::to_string(static_cast<int>(Today().year()) - 1),
                            "ed_center_a");
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(Norm(last, "lectures")["due"], 12);
  EXPECT_EQ(Norm(last, "lectures")["shortfall"], 12);
}

TEST_F(EducationHttpTest, AnotherDistrictsCentreNeitherSeesNorRecords) {
  ApiReply made = api_->Post("/api/v1/education/activities", "ed_center_a", Lecture(centre_a_));
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  const long long before = Denied("ed_center_b");
  EXPECT_EQ(api_->Post("/api/v1/education/activities", "ed_center_b", Lecture(centre_a_)).status,
            404);
  EXPECT_EQ(api_->Get("/api/v1/education/points/" + centre_a_ + "/norms", "ed_center_b").status,
            404);
  EXPECT_EQ(api_->Get("/api/v1/education/activities/" + id, "ed_center_b").status, 404);
  EXPECT_EQ(api_->Post("/api/v1/education/activities/" + id + "/void", "ed_center_b",
                       {{"reason", "越权"}})
                .status,
            404);
  EXPECT_EQ(Denied("ed_center_b"), before + 4);
  EXPECT_FALSE(Listed(api_->Get("/api/v1/education/activities", "ed_center_b"), id));
  EXPECT_TRUE(Listed(api_->Get("/api/v1/education/activities", "ed_city"), id));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM edu_activities WHERE id = ?1 AND voided_at IS NULL", id),
            1);
}

TEST_F(EducationHttpTest, OnlyCentresAndStationsRecord) {
  EXPECT_EQ(api_->Post("/api/v1/education/activities", "ed_village_a", Lecture(centre_a_)).status,
            201);
  const long long before = Denied("ed_finance");
  EXPECT_EQ(api_->Post("/api/v1/education/activities", "ed_finance", Lecture(centre_a_)).status,
            403);
  EXPECT_EQ(Denied("ed_finance"), before + 1);
  EXPECT_EQ(api_->Post("/api/v1/education/activities", "ed_district_a", Lecture(centre_a_)).status,
            403);
  EXPECT_EQ(api_->Post("/api/v1/education/activities", "ed_city", Lecture(centre_a_)).status, 403);
  // Reading needs org_read only.
  EXPECT_EQ(api_->Get("/api/v1/education/norms", "ed_finance").status, 200);
  EXPECT_EQ(api_->Get("/api/v1/education/activities", "ed_district_a").status, 200);
}

TEST_F(EducationHttpTest, BadInputIsAProblemWithFieldErrors) {
  auto post = [](const json& body) {
    return api_->Post("/api/v1/education/activities", "ed_center_a", body);
  };
  const long long stored =
      Count("SELECT COUNT(*) FROM edu_activities WHERE point_id = ?1", centre_a_);
  json future = Lecture(centre_a_);
  future["held_on"] = Iso(AddDays(Today(), 1));
  ExpectFieldProblem(post(future), 400, "held_on", "in_future");
  json negative = Lecture(centre_a_);
  negative["attendance"] = -1;
  ExpectFieldProblem(post(negative), 400, "attendance", "negative");
  json absurd = Lecture(centre_a_);
  absurd["attendance"] = 10000000;
  ExpectFieldProblem(post(absurd), 400, "attendance", "too_large");
  json zero = Lecture(centre_a_);
  zero["materials"][0]["quantity"] = 0;
  ExpectFieldProblem(post(zero), 400, "materials[0].quantity", "not_positive");
  json kind = Lecture(centre_a_);
  kind["kind"] = "concert";
  ExpectFieldProblem(post(kind), 400, "kind", "invalid_value");
  json screening = Lecture(centre_a_);
  screening["kind"] = "video_screening";
  ExpectFieldProblem(post(screening), 400, "materials[0].format", "wrong_format");
  json venue = Lecture(centre_a_);
  venue["venue"] = "moon";
  ExpectFieldProblem(post(venue), 400, "venue", "invalid_value");

  // Every problem of one body in one answer, each in Chinese and English.
  json all = Lecture(centre_a_);
  all["kind"] = "concert";
  all["attendance"] = -1;
  all["held_on"] = Iso(AddDays(Today(), 3));
  ApiReply r = post(all);
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.Header("Content-Type").find("application/problem+json"), 0u) << r.raw;
  std::set<std::string> fields;
  for (const auto& e : r.body["errors"]) {
    fields.insert(e.value("field", ""));
    EXPECT_FALSE(e.value("message_zh", "").empty());
    EXPECT_FALSE(e.value("message_en", "").empty());
  }
  EXPECT_EQ(fields, (std::set<std::string>{"kind", "attendance", "held_on"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM edu_activities WHERE point_id = ?1", centre_a_), stored);
}

TEST_F(EducationHttpTest, AttendeesArePersonDataScopedAndAudited) {
  auto person_of = [](const std::string& street) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT p.id FROM persons p JOIN org_units o ON o.code = ?1 WHERE "
                          "p.residence_path >= o.path AND p.residence_path < o.path || '~' "
                          "ORDER BY p.id LIMIT 1",
                          {street});
    return rows.empty() ? std::string() : rows[0][0];
  };
  const std::string mine = person_of(street_a_), theirs = person_of(street_b_);
  ASSERT_FALSE(mine.empty());
  ASSERT_FALSE(theirs.empty());
  json body = Lecture(centre_a_);
  body["attendees"] = {mine};
  ApiReply made = api_->Post("/api/v1/education/activities", "ed_center_a", body);
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.body["attendees"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'education.attendee.link' AND "
                  "person_id = ?1",
                  mine),
            1);
  ApiReply people = api_->Get("/api/v1/education/activities/" + id + "/attendees", "ed_center_a");
  ASSERT_EQ(people.status, 200) << people.raw;
  ASSERT_EQ(people.body["items"].size(), 1u);
  EXPECT_EQ(people.body["items"][0]["person_id"], mine);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'education.attendee.read' AND "
                  "person_id = ?1",
                  mine),
            1);
  // Finance reads the norms but no person.
  EXPECT_EQ(api_->Get("/api/v1/education/activities/" + id + "/attendees", "ed_finance").status,
            403);
  // A person of another district is not linked, and the attempt is audited.
  const long long before = Denied("ed_center_a");
  body["attendees"] = {theirs};
  ExpectFieldProblem(api_->Post("/api/v1/education/activities", "ed_center_a", body), 400,
                     "attendees[0]", "not_found");
  EXPECT_EQ(Denied("ed_center_a"), before + 1);
  body["attendees"] = {mine};
  body["attendance"] = 0;
  ExpectFieldProblem(api_->Post("/api/v1/education/activities", "ed_center_a", body), 400,
                     "attendance", "below_attendees");
}

}  // namespace
}  // namespace jd::integration
