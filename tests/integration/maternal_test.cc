// Maternal health over the JSON API, end to end on the real `jundeng serve`: a whole pregnancy from
// registration to the 42-day check with its schedule and a visit that raises the colour to orange
// (the high-risk register shows her), a woman who moves between two centres, another centre
// refused and audited, infection results hidden from a village clinic, and bad input as
// problem+json with field errors. Dates are relative to the server's today.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Maternal-Test-42!";

class MaternalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/11);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "community" && community_a_.empty() && u.parent_code == street_a_) {
        community_a_ = u.code;
      }
    }
    ASSERT_FALSE(street_b_.empty());
    ASSERT_FALSE(community_a_.empty());
    server_->AddUser("mc_center_a", "center", street_a_, kPassword);
    server_->AddUser("mc_center_b", "center", street_b_, kPassword);
    server_->AddUser("mc_village_a", "village", community_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A migrant of `sex_seq` parity (even: a woman) born 1996 living in community A; her id.
  static std::string CreatePerson(int sex_seq = 2) {
    std::string arrived = Iso(MonthsBefore(Today(), 14));
    json body = {{"name", "孕产测试"},
                 {"id_number", MakeResidentId("430528", "19960310", sex_seq + 2 * (++seq_))},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "测试路18号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", "mc_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  static bool HasFieldError(const ApiReply& r, const std::string& field, const std::string& code) {
    for (const auto& e : r.body.value("errors", json::array())) {
      if (e.value("field", "") == field && e.value("code", "") == code) return true;
    }
    return false;
  }

  static json Contact(const json& pregnancy, const std::string& code) {
    for (const auto& c : pregnancy.value("schedule", json::array())) {
      if (c.value("contact", "") == code) return c;
    }
    ADD_FAILURE() << "no contact " << code;
    return json::object();
  }

  static long long DeniedRows(const std::string& username) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = "
                          "'denied'",
                          {username});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static bool OnRegister(const std::string& user, const std::string& pregnancy_id) {
    ApiReply r = api_->Get("/api/v1/maternal/high-risk", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    for (const auto& item : r.body.value("items", json::array())) {
      if (item.value("id", "") == pregnancy_id) return true;
    }
    return false;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_, community_a_;
  static inline int seq_ = 10;
};

// 规范 第三版 孕产妇健康管理服务规范 二(一)–(五): registration before 13 weeks, five antenatal
// visits in their windows, the delivery, the home visit and the 42-day check that closes the file.
TEST_F(MaternalTest, AWholePregnancyFromRegistrationToThe42DayCheck) {
  const std::string woman = CreatePerson();
  ASSERT_FALSE(woman.empty());
  const int lmp = -340;  // days from today
  ApiReply reg = api_->Post("/api/v1/persons/" + woman + "/pregnancies", "mc_center_a",
                            {{"lmp", Days(lmp)},
                             {"registered_on", Days(lmp + 60)},
                             {"gravidity", 2},
                             {"parity", 1},
                             {"risk", {{"height_cm", 160}, {"weight_kg", 55}}}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string id = reg.body.value("id", "");
  EXPECT_EQ(reg.body["registered_ga"], "8+4");
  EXPECT_EQ(reg.body["early_registration"], true);
  EXPECT_EQ(reg.body["dating_method"], "lmp");
  EXPECT_EQ(reg.body["risk"]["colour"], "green");
  EXPECT_EQ(reg.body["clinic"], street_a_);
  ASSERT_EQ(reg.body["schedule"].size(), 7u);

  const std::string visits = "/api/v1/pregnancies/" + id + "/visits";
  json first = {{"date", Days(lmp + 60)}, {"systolic", 110},        {"diastolic", 70},
                {"weight_kg", 55.5},      {"haemoglobin_g_l", 121}, {"urine_protein", "-"},
                {"advice", "补充叶酸"}};
  ApiReply v1 = api_->Post(visits, "mc_center_a", first);
  ASSERT_EQ(v1.status, 201) << v1.raw;
  EXPECT_EQ(Contact(v1.body, "anc1")["status"], "done");
  EXPECT_EQ(v1.body["visits"][0]["ga"], "8+4");
  // At 18 weeks a placenta praevia: orange, and she is on the centre's high-risk register.
  ApiReply v2 = api_->Post(visits, "mc_center_a",
                           {{"date", Days(lmp + 126)},
                            {"fundal_height_cm", 17},
                            {"fetal_heart_rate", 145},
                            {"risk", {{"conditions", {"O3.2"}}}}});
  ASSERT_EQ(v2.status, 201) << v2.raw;
  EXPECT_EQ(v2.body["risk"]["colour"], "orange");
  EXPECT_EQ(v2.body["risk"]["high_risk"], true);
  EXPECT_TRUE(OnRegister("mc_center_a", id));
  EXPECT_FALSE(OnRegister("mc_center_b", id));
  // The home card's count: the number only, and no audit row for it.
  const auto audit_rows = [] {
    return QueryRows(server_->db_path(), "SELECT COUNT(*) FROM audit_log", {})[0][0];
  };
  const std::string rows_before = audit_rows();
  ApiReply count = api_->Get("/api/v1/maternal/high-risk?count_only=true", "mc_center_a");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_GE(count.body.value("total", 0), 1);
  EXPECT_TRUE(count.body["items"].empty());
  EXPECT_EQ(audit_rows(), rows_before);
  for (int day : {161, 217, 266}) {
    ApiReply v = api_->Post(visits, "mc_center_a",
                            {{"date", Days(lmp + day)}, {"systolic", 118}, {"diastolic", 76}});
    ASSERT_EQ(v.status, 201) << v.raw;
  }
  // A newborn the registry would refuse is a field error of its own, and nothing is written.
  ApiReply bad_child = api_->Post(
      "/api/v1/pregnancies/" + id + "/delivery", "mc_center_a",
      {{"delivered_on", Days(lmp + 275)},
       {"newborns", {{{"sex", "X"}, {"birth_certificate_no", "Q12"}, {"birth_weight_g", 0}}}}});
  EXPECT_EQ(bad_child.status, 400) << bad_child.raw;
  EXPECT_TRUE(HasFieldError(bad_child, "newborns[0].sex", "invalid_value")) << bad_child.raw;
  ApiReply bad_weight = api_->Post(
      "/api/v1/pregnancies/" + id + "/delivery", "mc_center_a",
      {{"delivered_on", Days(lmp + 275)},
       {"newborns",
        {{{"sex", "F"}, {"birth_certificate_no", "Q450012345"}, {"birth_weight_g", 0}}}}});
  EXPECT_TRUE(HasFieldError(bad_weight, "newborns[0].birth_weight_g", "out_of_range"))
      << bad_weight.raw;
  ApiReply delivered = api_->Post("/api/v1/pregnancies/" + id + "/delivery", "mc_center_a",
                                  {{"delivered_on", Days(lmp + 275)},
                                   {"discharged_on", Days(lmp + 278)},
                                   {"mode", "caesarean"},
                                   {"place", "市妇幼保健院"},
                                   {"newborns",
                                    {{{"sex", "F"},
                                      {"birth_certificate_no", "Q450012345"},
                                      {"birth_weight_g", 3250},
                                      {"birth_length_cm", 50}}}}});
  ASSERT_EQ(delivered.status, 200) << delivered.raw;
  EXPECT_EQ(delivered.body["delivery"]["live_births"], 1);
  // The child is a person of the registry, living with her mother, linked to the pregnancy.
  ASSERT_EQ(delivered.body["newborns"].size(), 1u) << delivered.raw;
  const std::string child = delivered.body["newborns"][0].value("person_id", "");
  EXPECT_EQ(delivered.body["newborns"][0]["name"], "孕产测试之女");
  ApiReply child_view = api_->Get("/api/v1/persons/" + child, "mc_center_a");
  ASSERT_EQ(child_view.status, 200) << child_view.raw;
  EXPECT_EQ(child_view.body["birth_date"], Days(lmp + 275));
  EXPECT_EQ(child_view.body["residence_org"], community_a_);
  EXPECT_EQ(child_view.body["id_type"], "birth_certificate");
  EXPECT_EQ(api_->Get("/api/v1/persons/" + child, "mc_center_b").status, 404);
  EXPECT_EQ(delivered.body["status"], "delivered");
  EXPECT_EQ(delivered.body["delivery"]["delivered_ga"], "39+2");
  EXPECT_EQ(delivered.body["antenatal_visits"], 5);
  for (const char* c : {"anc1", "anc2", "anc3", "anc4", "anc5"}) {
    EXPECT_EQ(Contact(delivered.body, c)["status"], "done") << c;
    EXPECT_EQ(Contact(delivered.body, c)["on_time"], true) << c;
  }
  // An antenatal visit after the delivery is refused.
  ApiReply late = api_->Post(visits, "mc_center_a", {{"date", Days(lmp + 280)}});
  EXPECT_EQ(late.status, 400) << late.raw;
  EXPECT_TRUE(HasFieldError(late, "date", "antenatal_after_end")) << late.raw;

  ApiReply home =
      api_->Post(visits, "mc_center_a", {{"kind", "postpartum_home"}, {"date", Days(lmp + 282)}});
  ASSERT_EQ(home.status, 201) << home.raw;
  EXPECT_EQ(Contact(home.body, "pnc_home")["status"], "done");
  EXPECT_EQ(Contact(home.body, "pnc_home")["on_time"], true);
  ApiReply check =
      api_->Post(visits, "mc_center_a", {{"kind", "postpartum_42d"}, {"date", Days(lmp + 320)}});
  ASSERT_EQ(check.status, 201) << check.raw;
  EXPECT_EQ(check.body["status"], "closed");
  EXPECT_EQ(check.body["closed_on"], Days(lmp + 320));
  EXPECT_EQ(check.body["next_due_on"], nullptr);
  EXPECT_FALSE(OnRegister("mc_center_a", id));

  // Closed: nothing more is recorded, and a new pregnancy may be registered.
  ApiReply after =
      api_->Post(visits, "mc_center_a", {{"kind", "postpartum_home"}, {"date", Days(lmp + 325)}});
  EXPECT_EQ(after.status, 400) << after.raw;
  EXPECT_TRUE(HasFieldError(after, "date", "episode_closed")) << after.raw;
  ApiReply read = api_->Get("/api/v1/pregnancies/" + id, "mc_center_a");
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["visits"].size(), 7u);
  EXPECT_EQ(read.body["assessments"].size(), 2u);
  ApiReply list = api_->Get("/api/v1/persons/" + woman + "/pregnancies", "mc_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["items"].size(), 1u);
  // Every write and read of her file left an audit row naming her.
  auto audited = QueryRows(server_->db_path(),
                           "SELECT COUNT(*) FROM audit_log WHERE person_id = ?1 AND action LIKE "
                           "'pregnancy.%'",
                           {woman});
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_GE(std::stoi(audited[0][0]), 11);
}

// The file follows the woman: after a move to street B its centre sees her, the old one no longer
// does (404, audited as denied), as for every read of another centre's woman.
TEST_F(MaternalTest, AWomanWhoMovesIsSeenByTheNewCentreOnly) {
  const std::string woman = CreatePerson();
  ApiReply reg =
      api_->Post("/api/v1/persons/" + woman + "/pregnancies", "mc_center_a", {{"lmp", Days(-70)}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string id = reg.body.value("id", "");
  EXPECT_EQ(reg.body["ga_today"], "10+0");

  long long denied = DeniedRows("mc_center_b");
  ApiReply foreign = api_->Get("/api/v1/pregnancies/" + id, "mc_center_b");
  EXPECT_EQ(foreign.status, 404) << foreign.raw;
  EXPECT_EQ(foreign.raw.find(woman), std::string::npos);
  EXPECT_EQ(DeniedRows("mc_center_b"), denied + 1);
  ApiReply foreign_visit =
      api_->Post("/api/v1/pregnancies/" + id + "/visits", "mc_center_b", {{"date", Days(0)}});
  EXPECT_EQ(foreign_visit.status, 404) << foreign_visit.raw;
  EXPECT_EQ(DeniedRows("mc_center_b"), denied + 2);

  ApiReply moved = api_->Post("/api/v1/persons/" + woman + "/residence-events", "mc_center_a",
                              {{"type", "moved_within_city"},
                               {"date", Days(0)},
                               {"org_code", street_b_},
                               {"address", "新居路8号"}});
  ASSERT_EQ(moved.status, 201) << moved.raw;
  ApiReply seen = api_->Get("/api/v1/pregnancies/" + id, "mc_center_b");
  ASSERT_EQ(seen.status, 200) << seen.raw;
  EXPECT_EQ(seen.body["lmp"], Days(-70));
  ApiReply visit = api_->Post("/api/v1/pregnancies/" + id + "/visits", "mc_center_b",
                              {{"date", Days(0)}, {"clinic", street_b_}});
  EXPECT_EQ(visit.status, 201) << visit.raw;
  denied = DeniedRows("mc_center_a");
  EXPECT_EQ(api_->Get("/api/v1/pregnancies/" + id, "mc_center_a").status, 404);
  EXPECT_EQ(DeniedRows("mc_center_a"), denied + 1);
}

// 评估表 紫色 (HIV) beside orange; a village clinic (no infection_read) sees the file without the
// infection, and may not record care.
TEST_F(MaternalTest, InfectionResultsAreHiddenFromAVillageClinic) {
  const std::string woman = CreatePerson();
  ApiReply reg = api_->Post(
      "/api/v1/persons/" + woman + "/pregnancies", "mc_center_a",
      {{"lmp", Days(-100)}, {"risk", {{"hiv_positive", true}, {"platelets_10e9_l", 45}}}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string id = reg.body.value("id", "");
  EXPECT_EQ(reg.body["risk"]["colour"], "orange");
  EXPECT_EQ(reg.body["risk"]["coexisting"], json::array({"purple"}));
  EXPECT_EQ(reg.body["infection_hidden"], false);

  ApiReply village = api_->Get("/api/v1/pregnancies/" + id, "mc_village_a");
  ASSERT_EQ(village.status, 200) << village.raw;
  EXPECT_EQ(village.body["infection_hidden"], true);
  EXPECT_EQ(village.body["risk"]["colour"], "orange");
  EXPECT_EQ(village.body["risk"]["coexisting"], json::array());
  EXPECT_EQ(village.raw.find("P3"), std::string::npos) << village.raw;
  EXPECT_EQ(village.raw.find("purple"), std::string::npos) << village.raw;
  EXPECT_EQ(village.raw.find("pmtct"), std::string::npos) << village.raw;
  EXPECT_EQ(api_->Post("/api/v1/pregnancies/" + id + "/visits", "mc_village_a", {{"date", Days(0)}})
                .status,
            403);
}

TEST_F(MaternalTest, BadInputIsAFieldErrorAndNothingIsWritten) {
  const std::string woman = CreatePerson();
  const std::string path = "/api/v1/persons/" + woman + "/pregnancies";
  ApiReply edd =
      api_->Post(path, "mc_center_a", {{"lmp", Days(-60)}, {"ultrasound_edd", Days(-90)}});
  EXPECT_EQ(edd.status, 400) << edd.raw;
  EXPECT_TRUE(HasFieldError(edd, "ultrasound_edd", "edd_before_lmp")) << edd.raw;
  EXPECT_EQ(edd.content_type.find("application/problem+json"), 0u);
  ApiReply future =
      api_->Post(path, "mc_center_a", {{"lmp", Days(-60)}, {"registered_on", Days(3)}});
  EXPECT_EQ(future.status, 400) << future.raw;
  EXPECT_TRUE(HasFieldError(future, "registered_on", "in_future")) << future.raw;
  ApiReply colour =
      api_->Post(path, "mc_center_a", {{"lmp", Days(-60)}, {"risk", {{"colour", "pink"}}}});
  EXPECT_EQ(colour.status, 400) << colour.raw;
  EXPECT_TRUE(HasFieldError(colour, "colour", "unknown_colour")) << colour.raw;
  ApiReply parity =
      api_->Post(path, "mc_center_a", {{"lmp", Days(-60)}, {"gravidity", 1}, {"parity", 1}});
  EXPECT_TRUE(HasFieldError(parity, "parity", "parity_exceeds_gravidity")) << parity.raw;
  const std::string man = CreatePerson(/*sex_seq=*/1);
  ApiReply male =
      api_->Post("/api/v1/persons/" + man + "/pregnancies", "mc_center_a", {{"lmp", Days(-60)}});
  EXPECT_TRUE(HasFieldError(male, "person", "not_female")) << male.raw;
  ApiReply list = api_->Get(path, "mc_center_a");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["items"].size(), 0u) << "a refused registration wrote nothing";

  ApiReply reg =
      api_->Post(path, "mc_center_a", {{"lmp", Days(-60)}, {"registered_on", Days(-20)}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string id = reg.body.value("id", "");
  EXPECT_EQ(api_->Post(path, "mc_center_a", {{"lmp", Days(-30)}}).status, 409);
  const std::string visits = "/api/v1/pregnancies/" + id + "/visits";
  ApiReply before = api_->Post(visits, "mc_center_a", {{"date", Days(-21)}});
  EXPECT_TRUE(HasFieldError(before, "date", "visit_before_registration")) << before.raw;
  for (double kg : {0.0, 300.0}) {
    ApiReply w = api_->Post(visits, "mc_center_a", {{"date", Days(0)}, {"weight_kg", kg}});
    EXPECT_EQ(w.status, 400) << w.raw;
    EXPECT_TRUE(HasFieldError(w, "weight_kg", "out_of_range")) << w.raw;
  }
  ApiReply bp = api_->Post(visits, "mc_center_a",
                           {{"date", Days(0)}, {"systolic", "high"}, {"diastolic", 90}});
  EXPECT_TRUE(HasFieldError(bp, "systolic", "wrong_type")) << bp.raw;
  ApiReply kind = api_->Post(visits, "mc_center_a", {{"date", Days(0)}, {"kind", "dental"}});
  EXPECT_TRUE(HasFieldError(kind, "kind", "invalid_value")) << kind.raw;
  ApiReply early = api_->Post("/api/v1/pregnancies/" + id + "/delivery", "mc_center_a",
                              {{"delivered_on", Days(0)}});
  EXPECT_TRUE(HasFieldError(early, "delivered_on", "too_early_for_delivery")) << early.raw;
  ApiReply unknown = api_->Post("/api/v1/pregnancies/" + id + "/risk-assessments", "mc_center_a",
                                {{"conditions", {"Z9"}}});
  EXPECT_TRUE(HasFieldError(unknown, "conditions", "unknown_condition")) << unknown.raw;
  ApiReply read = api_->Get("/api/v1/pregnancies/" + id, "mc_center_a");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["visits"].size(), 0u) << "no refused visit was kept";
  EXPECT_EQ(read.body["assessments"].size(), 1u);

  ApiReply ended = api_->Post("/api/v1/pregnancies/" + id + "/end", "mc_center_a",
                              {{"ended_on", Days(-1)}, {"reason", "miscarriage"}});
  ASSERT_EQ(ended.status, 200) << ended.raw;
  EXPECT_EQ(ended.body["status"], "closed");
  EXPECT_EQ(Contact(ended.body, "anc5")["status"], "not_applicable");
}

}  // namespace
}  // namespace jd::integration
