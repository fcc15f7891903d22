// HIV care and TB treatment courses over the JSON API on the real `jundeng serve`
// (国家基本公共卫生服务规范（第三版）肺结核患者健康管理; free ART, 四免一关怀): a TB course's due
// visit moves as visits are recorded and the overdue worklist follows; an HIV care record is
// created, changed only with its version, and shows its follow-up schedule and the person's PMTCT
// case; district and village roles (no hiv_tb_care) get 403 and a village reader of the person's
// profile learns nothing of either; a centre of another district gets 404, audited as denied; bad
// input is problem+json with field errors in Chinese and English. Dates are relative to the
// server's today.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "HivTb-Test-Passw0rd!";

class HivTbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/17);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "community" && community_a_.empty() && u.parent_code == street_a_) {
        community_a_ = u.code;
      }
    }
    ASSERT_FALSE(streets.street_b.empty());
    ASSERT_FALSE(community_a_.empty());
    server_->AddUser("hv_center_a", "center", street_a_, kPassword);
    server_->AddUser("hv_center_b", "center", streets.street_b, kPassword);
    server_->AddUser("hv_cdc_a", "cdc", streets.district_a, kPassword);
    server_->AddUser("hv_district_a", "district", streets.district_a, kPassword);
    server_->AddUser("hv_village_a", "village", community_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A person born in `birth` (yyyymmdd, "F" for a woman when `woman`) living in community A.
  static std::string CreatePerson(const std::string& name, const std::string& birth, bool woman) {
    std::string arrived = Iso(MonthsBefore(Today(), 14));
    int seq = 2 * (++seq_) + (woman ? 0 : 1);
    json body = {{"name", name},
                 {"id_number", MakeResidentId("430528", birth, seq)},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "测试路23号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", "hv_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  static json Entry(const json& course, const std::string& kind) {
    for (const auto& e : course.value("schedule", json::array())) {
      if (e.value("kind", "") == kind) return e;
    }
    return json();
  }

  static bool Lists(const json& list, const std::string& id) {
    for (const auto& c : list.value("items", json::array())) {
      if (c.value("id", "") == id) return true;
    }
    return false;
  }

  static long long Rows(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  static long long DeniedRows(const std::string& username) {
    return Rows("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'",
                username);
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, community_a_;
  static inline int seq_ = 30;
};

// 规范 第三版 TB 二(二)(三): first home visit within 72 hours of the notice, then a visit every
// 10 days in the intensive phase; the next visit is counted from the latest one.
TEST_F(HivTbTest, TbDueVisitMovesWithVisitsAndTheOverdueWorklistFollows) {
  const std::string person = CreatePerson("结核测试", "19880305", false);
  ApiReply opened =
      api_->Post("/api/v1/persons/" + person + "/tb-courses", "hv_center_a",
                 {{"notified_on", Days(-20)}, {"started_on", Days(-22)}, {"regimen", "new_6m"}});
  ASSERT_EQ(opened.status, 201) << opened.raw;
  const std::string id = opened.body.value("id", "");
  EXPECT_EQ(opened.body["phase"], "intensive");
  EXPECT_EQ(opened.body["overdue"], true);
  EXPECT_EQ(Entry(opened.body, "first_home_visit")["window_end"], Days(-17));
  EXPECT_EQ(Entry(opened.body, "first_home_visit")["status"], "overdue");
  EXPECT_EQ(Entry(opened.body, "closing")["status"], "upcoming");

  ApiReply worklist = api_->Get("/api/v1/tb-courses?overdue=1", "hv_center_a");
  ASSERT_EQ(worklist.status, 200) << worklist.raw;
  EXPECT_TRUE(Lists(worklist.body, id)) << worklist.raw;
  EXPECT_EQ(worklist.raw.find("结核测试"), std::string::npos) << "names are masked in lists";

  // The first visit, late: the next one falls 10 days after it and is overdue too.
  const std::string visits = "/api/v1/tb-courses/" + id + "/visits";
  ApiReply first = api_->Post(visits, "hv_center_a",
                              {{"date", Days(-18)}, {"doses_taken", 4}, {"doses_missed", 0}});
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(Entry(first.body, "first_home_visit")["status"], "done");
  EXPECT_EQ(Entry(first.body, "follow_up")["due"], Days(-8));
  EXPECT_EQ(Entry(first.body, "follow_up")["status"], "overdue");
  EXPECT_EQ(first.body["overdue"], true);

  // Yesterday's visit moves the due visit 10 days on: off the overdue list, still open.
  ApiReply second = api_->Post(
      visits, "hv_center_a",
      {{"date", Days(-1)}, {"doses_taken", 15}, {"doses_missed", 2}, {"sputum", "negative"}});
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(Entry(second.body, "follow_up")["due"], Days(9));
  EXPECT_EQ(Entry(second.body, "follow_up")["window_end"], Days(12));
  EXPECT_EQ(Entry(second.body, "follow_up")["status"], "upcoming");
  EXPECT_EQ(second.body["overdue"], false);
  EXPECT_EQ(second.body["adherence"]["taken"], 19);
  EXPECT_EQ(second.body["adherence"]["prescribed"], 21);
  EXPECT_EQ(second.body["adherence"]["regular"], true);
  EXPECT_FALSE(Lists(api_->Get("/api/v1/tb-courses?overdue=1", "hv_center_a").body, id));
  EXPECT_TRUE(Lists(api_->Get("/api/v1/tb-courses", "hv_center_a").body, id));

  // The district's CDC reads the course with its visits; the person's list has it.
  ApiReply cdc = api_->Get("/api/v1/tb-courses/" + id, "hv_cdc_a");
  ASSERT_EQ(cdc.status, 200) << cdc.raw;
  EXPECT_EQ(cdc.body["visits"].size(), 2u);
  EXPECT_EQ(cdc.body["person_name"], "结核测试");
  ApiReply mine = api_->Get("/api/v1/persons/" + person + "/tb-courses", "hv_cdc_a");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["items"].size(), 1u);

  // One open course per person; an outcome closes it, and nothing more is recorded on it.
  ApiReply again =
      api_->Post("/api/v1/persons/" + person + "/tb-courses", "hv_center_a",
                 {{"notified_on", Days(0)}, {"started_on", Days(0)}, {"regimen", "new_6m"}});
  EXPECT_EQ(again.status, 409) << again.raw;
  ApiReply early = api_->Post("/api/v1/tb-courses/" + id + "/outcome", "hv_center_a",
                              {{"outcome", "completed"}});
  ExpectFieldProblem(early, 400, "outcome_on", "before_planned_end");
  ApiReply died = api_->Post("/api/v1/tb-courses/" + id + "/outcome", "hv_center_a",
                             {{"outcome", "died"}, {"outcome_on", Days(0)}});
  ASSERT_EQ(died.status, 200) << died.raw;
  EXPECT_EQ(died.body["phase"], "ended");
  EXPECT_EQ(died.body["outcome"], "died");
  EXPECT_TRUE(Entry(died.body, "follow_up").is_null());
  EXPECT_EQ(api_->Post(visits, "hv_center_a", {{"date", Days(0)}}).status, 409);
  EXPECT_FALSE(Lists(api_->Get("/api/v1/tb-courses", "hv_center_a").body, id));

  for (const char* action : {"tb_course.create", "tb_course.visit", "tb_course.read",
                             "tb_course.outcome", "tb_course.list"}) {
    EXPECT_GE(Rows("SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND result = 'ok'", action), 1)
        << action;
  }
}

// Free ART (四免一关怀): the record is created by PUT, changed only with the version last read;
// CD4 and viral load fall due at 6 months of ART; the person's PMTCT case is shown read-only.
TEST_F(HivTbTest, HivCareIsVersionedScheduledAndLinkedToPmtct) {
  const std::string woman = CreatePerson("随访测试", "19960610", true);
  ApiReply pregnancy =
      api_->Post("/api/v1/persons/" + woman + "/pregnancies", "hv_center_a", {{"lmp", Days(-70)}});
  ASSERT_EQ(pregnancy.status, 201) << pregnancy.raw;
  ApiReply test = api_->Post(
      "/api/v1/pregnancies/" + pregnancy.body.value("id", "") + "/infection-tests", "hv_center_a",
      {{"infection", "hiv"}, {"result", "positive"}, {"tested_on", Days(0)}});
  ASSERT_EQ(test.status, 201) << test.raw;
  const std::string pmtct_case = test.body["opened_case"].value("id", "");

  const std::string care = "/api/v1/persons/" + woman + "/hiv-care";
  ApiReply none = api_->Get(care, "hv_center_a");
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_TRUE(none.body["care"].is_null());
  ASSERT_EQ(none.body["pmtct"].size(), 1u) << none.raw;
  EXPECT_EQ(none.body["pmtct"][0]["case_id"], pmtct_case);
  EXPECT_EQ(none.body["pmtct"][0]["stage"], "pregnant");

  ApiReply created = api_->Put(care, "hv_center_a",
                               {{"diagnosed_on", Days(-200)},
                                {"art_started_on", Days(-190)},
                                {"regimen", "TDF+3TC+EFV"},
                                {"status", "on_art"}});
  ASSERT_EQ(created.status, 200) << created.raw;
  EXPECT_EQ(created.body["care"]["version"], 1);
  // 6 months of ART passed about 10 days ago: both tests are due, none overdue yet.
  int due = 0;
  for (const auto& item : created.body["schedule"]) {
    if (item["item"] == "cd4" || item["item"] == "viral_load") {
      if (item["months"] == 6) {
        EXPECT_EQ(item["status"], "due") << item.dump();
        ++due;
      }
    }
  }
  EXPECT_EQ(due, 2) << created.raw;

  json change = {{"diagnosed_on", Days(-200)},
                 {"art_started_on", Days(-190)},
                 {"regimen", "TDF+3TC+DTG"},
                 {"status", "on_art"}};
  EXPECT_EQ(api_->Put(care, "hv_center_a", change).status, 428);
  EXPECT_EQ(api_->Call("PUT", care, "hv_center_a", change.dump(), {{"If-Match", "\"7\""}}).status,
            412);
  ApiReply changed = api_->Call("PUT", care, "hv_center_a", change.dump(), {{"If-Match", "\"1\""}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["care"]["version"], 2);
  EXPECT_EQ(changed.body["care"]["regimen"], "TDF+3TC+DTG");

  ApiReply follow = api_->Post(care + "/follow-ups", "hv_cdc_a",
                               {{"followed_on", Days(0)},
                                {"cd4", 420},
                                {"viral_load", 40},
                                {"doses_taken", 28},
                                {"doses_missed", 2}});
  ASSERT_EQ(follow.status, 201) << follow.raw;
  for (const auto& item : follow.body["schedule"]) {
    if (item["months"] == 6) {
      EXPECT_EQ(item["status"], "done") << item.dump();
    }
  }
  EXPECT_EQ(follow.body["follow_ups"].size(), 1u);
  EXPECT_EQ(follow.body["adherence"]["prescribed"], 30);
  // The audit never names a result: neither the measure nor the value (as a value, not as three
  // hex digits of an id in a path or a key; viral_hepatitis signals are not a result).
  EXPECT_EQ(
      Rows("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%cd4%' OR detail LIKE "
           "'%viral_load%' OR detail GLOB ?1 OR detail GLOB '*:420*' OR detail GLOB '* 420*' OR "
           "detail = '420'",
           "*=420*"),
      0);
}

TEST_F(HivTbTest, OnlyHivTbCareRolesInTheirJurisdictionSeeAnything) {
  const std::string person = CreatePerson("权限测试", "19900101", false);
  ApiReply opened = api_->Post(
      "/api/v1/persons/" + person + "/tb-courses", "hv_center_a",
      {{"notified_on", Days(-2)}, {"started_on", Days(-3)}, {"regimen", "drug_resistant"}});
  ASSERT_EQ(opened.status, 201) << opened.raw;
  const std::string id = opened.body.value("id", "");
  ASSERT_EQ(api_->Put("/api/v1/persons/" + person + "/hiv-care", "hv_center_a",
                      {{"diagnosed_on", Days(-5)}, {"status", "not_started"}})
                .status,
            200);

  for (const char* user : {"hv_district_a", "hv_village_a"}) {
    EXPECT_EQ(api_->Get("/api/v1/persons/" + person + "/hiv-care", user).status, 403) << user;
    EXPECT_EQ(api_->Get("/api/v1/persons/" + person + "/tb-courses", user).status, 403) << user;
    EXPECT_EQ(api_->Get("/api/v1/tb-courses/" + id, user).status, 403) << user;
    EXPECT_EQ(api_->Get("/api/v1/tb-courses?overdue=1", user).status, 403) << user;
    EXPECT_EQ(api_->Post("/api/v1/tb-courses/" + id + "/visits", user, {{"date", Days(0)}}).status,
              403)
        << user;
    // The profile they may read says nothing of either record.
    ApiReply profile = api_->Get("/api/v1/persons/" + person, user);
    ASSERT_EQ(profile.status, 200) << profile.raw;
    EXPECT_EQ(profile.raw.find("hiv_care"), std::string::npos) << profile.raw;
    EXPECT_EQ(profile.raw.find("hiv-care"), std::string::npos) << profile.raw;
    EXPECT_EQ(profile.raw.find("tb_course"), std::string::npos) << profile.raw;
    EXPECT_EQ(profile.raw.find(id), std::string::npos) << profile.raw;
  }

  // A centre of another district: no such person, no such course, each refusal audited.
  const long long denied = DeniedRows("hv_center_b");
  ApiReply care = api_->Get("/api/v1/persons/" + person + "/hiv-care", "hv_center_b");
  EXPECT_EQ(care.status, 404) << care.raw;
  EXPECT_EQ(care.raw.find("not_started"), std::string::npos);
  ApiReply course = api_->Get("/api/v1/tb-courses/" + id, "hv_center_b");
  EXPECT_EQ(course.status, 404) << course.raw;
  EXPECT_EQ(course.content_type.find("application/problem+json"), 0u);
  ApiReply visit =
      api_->Post("/api/v1/tb-courses/" + id + "/visits", "hv_center_b", {{"date", Days(0)}});
  EXPECT_EQ(visit.status, 404) << visit.raw;
  EXPECT_EQ(DeniedRows("hv_center_b"), denied + 3);
  EXPECT_FALSE(Lists(api_->Get("/api/v1/tb-courses", "hv_center_b").body, id));
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM tb_visits WHERE course_id = ?1", id), 0);
}

TEST_F(HivTbTest, BadInputIsAProblemWithFieldErrors) {
  const std::string person = CreatePerson("输入测试", "19850720", false);
  const std::string courses = "/api/v1/persons/" + person + "/tb-courses";
  ApiReply bad = api_->Post(courses, "hv_center_a", {{"notified_on", Days(3)}, {"regimen", "9m"}});
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(bad.content_type.find("application/problem+json"), 0u);
  EXPECT_TRUE(HasFieldError(bad.body, "notified_on", "in_future")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "started_on", "required")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "regimen", "invalid_value")) << bad.raw;
  for (const auto& e : bad.body["errors"]) {
    EXPECT_FALSE(e.value("message_zh", "").empty()) << e.dump();
    EXPECT_FALSE(e.value("message_en", "").empty()) << e.dump();
  }
  ExpectFieldProblem(
      api_->Post(courses, "hv_center_a",
                 {{"notified_on", Days(0)}, {"started_on", Days(-800)}, {"regimen", "new_6m"}}),
      400, "started_on", "out_of_range");
  ExpectFieldProblem(api_->Post(courses, "hv_center_a",
                                {{"notified_on", Days(0)},
                                 {"started_on", Days(0)},
                                 {"regimen", "new_6m"},
                                 {"treating_unit", "999999"}}),
                     400, "treating_unit", "unknown_org");
  EXPECT_EQ(api_->Get(courses, "hv_center_a").body["items"].size(), 0u) << "nothing was kept";

  ApiReply opened = api_->Post(
      courses, "hv_center_a",
      {{"notified_on", Days(-5)}, {"started_on", Days(-5)}, {"regimen", "retreatment_8m"}});
  ASSERT_EQ(opened.status, 201) << opened.raw;
  const std::string visits = "/api/v1/tb-courses/" + opened.body.value("id", "") + "/visits";
  ApiReply doses = api_->Post(visits, "hv_center_a",
                              {{"date", Days(0)}, {"doses_taken", -1}, {"sputum", "maybe"}});
  EXPECT_TRUE(HasFieldError(doses.body, "doses_taken", "out_of_range")) << doses.raw;
  EXPECT_TRUE(HasFieldError(doses.body, "sputum", "invalid_value")) << doses.raw;
  ExpectFieldProblem(api_->Post(visits, "hv_center_a", {{"date", Days(-6)}}), 400, "date",
                     "before_start");
  ExpectFieldProblem(api_->Post(visits, "hv_center_a", {{"date", Days(1)}}), 400, "date",
                     "in_future");
  ExpectFieldProblem(api_->Post("/api/v1/tb-courses/" + opened.body.value("id", "") + "/outcome",
                                "hv_center_a", {{"outcome", "recovered"}}),
                     400, "outcome", "invalid_value");

  const std::string care = "/api/v1/persons/" + person + "/hiv-care";
  ExpectFieldProblem(
      api_->Put(care, "hv_center_a", {{"diagnosed_on", Days(0)}, {"status", "cured"}}), 400,
      "status", "invalid_value");
  ExpectFieldProblem(
      api_->Put(care, "hv_center_a",
                {{"diagnosed_on", Days(-10)}, {"art_started_on", Days(-20)}, {"status", "on_art"}}),
      400, "art_started_on", "before_diagnosis");
  ExpectFieldProblem(
      api_->Put(care, "hv_center_a", {{"diagnosed_on", Days(-10)}, {"status", "on_art"}}), 400,
      "art_started_on", "required");
  EXPECT_EQ(api_->Post(care + "/follow-ups", "hv_center_a", {{"followed_on", Days(0)}}).status, 409)
      << "no follow-up without a care record";
  ASSERT_EQ(api_->Put(care, "hv_center_a", {{"diagnosed_on", Days(-10)}, {"status", "not_started"}})
                .status,
            200);
  ExpectFieldProblem(
      api_->Post(care + "/follow-ups", "hv_center_a", {{"followed_on", Days(0)}, {"cd4", 99999}}),
      400, "cd4", "out_of_range");
  ExpectFieldProblem(api_->Get("/api/v1/tb-courses?overdue=yes", "hv_center_a"), 400, "overdue",
                     "invalid_value");
}

}  // namespace
}  // namespace jd::integration
