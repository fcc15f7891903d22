// Child health 0–6 over the JSON API, end to end on the real `jundeng serve`: a check-up recorded
// and read back with the z-scores WHO's igrowup gives for the same child, the schedule's status
// changing with it, a newborn of a maternal delivery showing its mother's pregnancy and discharge,
// another district's centre refused and audited, the WHO curves, the due list and its count, the
// newborn screening results with their items' status, and bad input as problem+json with field
// errors. Dates are relative to the server's today.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Child-Health-Test-42!";

std::string Compact8(const std::string& iso) {
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

class ChildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/12);
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
    server_->AddUser("ch_center_a", "center", street_a_, kPassword);
    server_->AddUser("ch_center_b", "center", street_b_, kPassword);
    server_->AddUser("ch_village_a", "village", community_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  // A person of community A born `birth` (ISO), a girl when `sex_seq` is even; their id.
  static std::string CreatePerson(const std::string& birth, const std::string& name,
                                  int sex_seq = 2) {
    std::string arrived = Iso(MonthsBefore(Today(), 14));
    if (arrived < birth) arrived = birth;
    json body = {{"name", name},
                 {"id_number", MakeResidentId("430528", Compact8(birth), sex_seq + 2 * (++seq_))},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "儿保路8号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "family"}};
    ApiReply r = api_->Post("/api/v1/persons", "ch_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static json Contact(const json& card, const std::string& code) {
    for (const auto& c : card.value("contacts", json::array())) {
      if (c.value("code", "") == code) return c;
    }
    ADD_FAILURE() << "no contact " << code;
    return json::object();
  }

  static json Item(const json& card, const std::string& code) {
    for (const auto& c : card["screening"].value("items", json::array())) {
      if (c.value("code", "") == code) return c;
    }
    ADD_FAILURE() << "no screening item " << code;
    return json::object();
  }

  static long long DeniedRows(const std::string& username) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = "
                          "'denied'",
                          {username});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_, community_a_;
  static inline int seq_ = 20;
};

// WHO igrowup's sample survey (tests/data/child/who_igrowup_survey_z_st.csv), child 24: a girl of
// 240 days, 7.0 kg, 67.8 cm recumbent, head 43.3 cm: waz −1.02, lhaz −0.33, wlhz −1.07,
// baz −1.14, hcz −0.01. Recorded today, 240 days after her birth, the m6 check-up (overdue since
// 6 months + 1 month, 规范 二(三)) becomes done late.
TEST_F(ChildTest, ACheckupIsReadBackWithWhoZScoresAndTheScheduleMoves) {
  const std::string child = CreatePerson(Days(-240), "儿保测试");
  ASSERT_FALSE(child.empty());
  const std::string card_path = "/api/v1/persons/" + child + "/child-health";
  ApiReply before = api_->Get(card_path, "ch_center_a");
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["contacts"].size(), 13u);
  EXPECT_EQ(Contact(before.body, "m6")["status"], "overdue");
  EXPECT_EQ(Contact(before.body, "m3")["status"], "missed");
  EXPECT_EQ(before.body["mother_pregnancy_id"], nullptr);
  EXPECT_TRUE(before.body["checkups"].empty());

  ApiReply rec = api_->Post("/api/v1/persons/" + child + "/child-checkups", "ch_center_a",
                            {{"date", Days(0)},
                             {"weight_kg", 7.0},
                             {"length_height_cm", 67.800003052},
                             {"head_cm", 43.299999237},
                             {"haemoglobin_g_l", 118},
                             {"hearing", "pass"},
                             {"development", "normal"},
                             {"feeding_guidance", true},
                             {"advice", "添加辅食"}});
  ASSERT_EQ(rec.status, 201) << rec.raw;
  EXPECT_EQ(Contact(rec.body, "m6")["status"], "done");
  EXPECT_EQ(Contact(rec.body, "m6")["timing"], "late");
  ApiReply card = api_->Get(card_path, "ch_center_a");
  ASSERT_EQ(card.status, 200) << card.raw;
  ASSERT_EQ(card.body["checkups"].size(), 1u) << card.raw;
  const json& c = card.body["checkups"][0];
  EXPECT_EQ(c["age_days"], 240);
  EXPECT_EQ(c["measure"], "recumbent");
  EXPECT_EQ(c["contact"], "m6");
  EXPECT_EQ(c["z"]["waz"], -1.02);
  EXPECT_EQ(c["z"]["lhaz"], -0.33);
  EXPECT_EQ(c["z"]["wlhz"], -1.07);
  EXPECT_EQ(c["z"]["baz"], -1.14);
  EXPECT_EQ(c["z"]["hcz"], -0.01);
  EXPECT_TRUE(c["nutrition"].empty());
  EXPECT_EQ(c["hearing"], "pass");
  // Both the write and the read are audited, with the child named.
  auto audited = QueryRows(server_->db_path(),
                           "SELECT action FROM audit_log WHERE person_id = ?1 AND action LIKE "
                           "'child.%' ORDER BY seq",
                           {child});
  ASSERT_EQ(audited.size(), 3u);
  EXPECT_EQ(audited[1][0], "child.checkup");
  EXPECT_EQ(audited[2][0], "child.read");
  // The event the live statistics read.
  auto events = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM change_events WHERE entity = 'child_checkup' AND "
                          "person_id = ?1",
                          {child});
  EXPECT_EQ(events[0][0], "1");
}

// A delivery registers the newborn (maternal); its card names the mother's pregnancy, and the
// newborn visit is due within a week of the discharge (规范 二(一)).
TEST_F(ChildTest, ANewbornOfADeliveryShowsItsMothersPregnancyAndDischarge) {
  std::string arrived = Iso(MonthsBefore(Today(), 14));
  json woman = {{"name", "儿保母亲"},
                {"id_number", MakeResidentId("430528", "19950412", 2 + 2 * (++seq_))},
                {"phone", "13912345670"},
                {"hukou_division", "430528"},
                {"residence_org", community_a_},
                {"residence_address", "儿保路9号"},
                {"left_hukou_on", arrived},
                {"arrived_on", arrived},
                {"move_reason", "work"}};
  ApiReply mother = api_->Post("/api/v1/persons", "ch_center_a", woman);
  ASSERT_EQ(mother.status, 201) << mother.raw;
  ApiReply reg = api_->Post("/api/v1/persons/" + mother.body.value("id", "") + "/pregnancies",
                            "ch_center_a", {{"lmp", Days(-300)}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string pregnancy = reg.body.value("id", "");
  ApiReply delivered = api_->Post("/api/v1/pregnancies/" + pregnancy + "/delivery", "ch_center_a",
                                  {{"delivered_on", Days(-25)},
                                   {"discharged_on", Days(-22)},
                                   {"newborns",
                                    {{{"sex", "M"},
                                      {"birth_certificate_no", "Q450077001"},
                                      {"birth_weight_g", 3300},
                                      {"birth_length_cm", 50}}}}});
  ASSERT_EQ(delivered.status, 200) << delivered.raw;
  const std::string child = delivered.body["newborns"][0].value("person_id", "");
  ApiReply card = api_->Get("/api/v1/persons/" + child + "/child-health", "ch_center_a");
  ASSERT_EQ(card.status, 200) << card.raw;
  EXPECT_EQ(card.body["mother_pregnancy_id"], pregnancy);
  EXPECT_EQ(card.body["discharge_date"], Days(-22));
  EXPECT_EQ(card.body["birth"]["birth_weight_g"], 3300);
  EXPECT_EQ(Contact(card.body, "newborn_visit")["window_start"], Days(-22));
  EXPECT_EQ(Contact(card.body, "newborn_visit")["window_end"], Days(-15));
  EXPECT_EQ(Contact(card.body, "newborn_visit")["status"], "overdue");
  EXPECT_EQ(Contact(card.body, "month_1")["status"], "upcoming");
  // The visit made today: done, late; weight and length give a z-score.
  ApiReply visit = api_->Post("/api/v1/persons/" + child + "/child-checkups", "ch_center_a",
                              {{"kind", "newborn_visit"},
                               {"date", Days(0)},
                               {"weight_kg", 4.1},
                               {"length_height_cm", 53.5}});
  ASSERT_EQ(visit.status, 201) << visit.raw;
  EXPECT_EQ(Contact(visit.body, "newborn_visit")["status"], "done");
  EXPECT_TRUE(visit.body["checkups"][0]["z"]["waz"].is_number()) << visit.raw;
  // On the centre's due list until the 满月 visit is made.
  ApiReply due = api_->Get("/api/v1/child-checkups/due?due_by=" + Days(10), "ch_center_a");
  ASSERT_EQ(due.status, 200) << due.raw;
  bool listed = false;
  for (const auto& item : due.body["items"]) {
    if (item.value("person_id", "") == child) {
      listed = true;
      EXPECT_EQ(item["next"]["code"], "month_1");
    }
  }
  EXPECT_TRUE(listed) << due.raw;
  const auto audit_rows = [] {
    return QueryRows(server_->db_path(), "SELECT COUNT(*) FROM audit_log", {})[0][0];
  };
  const std::string rows_before = audit_rows();
  ApiReply count =
      api_->Get("/api/v1/child-checkups/due?count_only=true&due_by=" + Days(10), "ch_center_a");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_EQ(count.body["total"], due.body["total"]);
  EXPECT_TRUE(count.body["items"].empty());
  EXPECT_EQ(audit_rows(), rows_before);
  ApiReply other = api_->Get("/api/v1/child-checkups/due?due_by=" + Days(10), "ch_center_b");
  ASSERT_EQ(other.status, 200) << other.raw;
  EXPECT_EQ(other.raw.find(child), std::string::npos);
}

TEST_F(ChildTest, AnotherDistrictsCentreIsRefusedAndAudited) {
  const std::string child = CreatePerson(Days(-400), "儿保辖区");
  long long denied = DeniedRows("ch_center_b");
  ApiReply read = api_->Get("/api/v1/persons/" + child + "/child-health", "ch_center_b");
  EXPECT_EQ(read.status, 404) << read.raw;
  EXPECT_EQ(read.content_type.find("application/problem+json"), 0u);
  EXPECT_EQ(read.raw.find("儿保辖区"), std::string::npos);
  EXPECT_EQ(DeniedRows("ch_center_b"), denied + 1);
  ApiReply write = api_->Post("/api/v1/persons/" + child + "/child-checkups", "ch_center_b",
                              {{"date", Days(0)}, {"weight_kg", 9.5}});
  EXPECT_EQ(write.status, 404) << write.raw;
  EXPECT_EQ(DeniedRows("ch_center_b"), denied + 2);
  // A village clinic reads the card but may not record.
  EXPECT_EQ(api_->Get("/api/v1/persons/" + child + "/child-health", "ch_village_a").status, 200);
  EXPECT_EQ(api_->Post("/api/v1/persons/" + child + "/child-checkups", "ch_village_a",
                       {{"date", Days(0)}})
                .status,
            403);
}

TEST_F(ChildTest, BadInputIsAFieldErrorAndNothingIsWritten) {
  const std::string child = CreatePerson(Days(-100), "儿保输入");
  const std::string path = "/api/v1/persons/" + child + "/child-checkups";
  for (double kg : {0.0, 300.0}) {
    ApiReply w = api_->Post(path, "ch_center_a", {{"date", Days(0)}, {"weight_kg", kg}});
    EXPECT_EQ(w.status, 400) << w.raw;
    EXPECT_EQ(w.content_type.find("application/problem+json"), 0u);
    EXPECT_TRUE(HasFieldError(w.body, "weight_kg", "out_of_range")) << w.raw;
  }
  ApiReply future = api_->Post(path, "ch_center_a", {{"date", Days(2)}, {"weight_kg", 6}});
  EXPECT_EQ(future.status, 400) << future.raw;
  EXPECT_TRUE(HasFieldError(future.body, "date", "in_future")) << future.raw;
  ApiReply before = api_->Post(path, "ch_center_a", {{"date", Days(-101)}, {"weight_kg", 3}});
  EXPECT_EQ(before.status, 400) << before.raw;
  EXPECT_TRUE(HasFieldError(before.body, "date", "before_birth")) << before.raw;
  ApiReply head = api_->Post(path, "ch_center_a", {{"date", Days(0)}, {"head_cm", 80}});
  EXPECT_TRUE(HasFieldError(head.body, "head_cm", "out_of_range")) << head.raw;
  ApiReply measure = api_->Post(path, "ch_center_a", {{"date", Days(0)}, {"measure", "lying"}});
  EXPECT_TRUE(HasFieldError(measure.body, "measure", "invalid_value")) << measure.raw;
  ApiReply type = api_->Post(path, "ch_center_a", {{"date", Days(0)}, {"weight_kg", "heavy"}});
  EXPECT_TRUE(HasFieldError(type.body, "weight_kg", "wrong_type")) << type.raw;
  ApiReply missing = api_->Post(path, "ch_center_a", {{"weight_kg", 6}});
  EXPECT_TRUE(HasFieldError(missing.body, "date", "required")) << missing.raw;
  // The English message when asked for.
  ApiReply en =
      api_->Call("POST", path, "ch_center_a", json{{"date", Days(0)}, {"weight_kg", 0}}.dump(),
                 {{"Accept-Language", "en"}});
  EXPECT_NE(en.raw.find("weight_kg must be between"), std::string::npos) << en.raw;
  ApiReply card = api_->Get("/api/v1/persons/" + child + "/child-health", "ch_center_a");
  ASSERT_EQ(card.status, 200);
  EXPECT_TRUE(card.body["checkups"].empty()) << "no refused check-up was kept";
  // A child of 7 or more is outside the 0–6 care.
  const std::string older = CreatePerson(Iso(MonthsBefore(Today(), 90)), "儿保超龄");
  ApiReply over = api_->Post("/api/v1/persons/" + older + "/child-checkups", "ch_center_a",
                             {{"date", Days(0)}});
  EXPECT_TRUE(HasFieldError(over.body, "date", "over_age")) << over.raw;
}

// 新生儿疾病筛查技术规范（2010年版）: blood spots after 72 hours and within 7 days (delayed to day
// 20); the hearing 初筛 from 48 hours to discharge, a refer re-screened by day 42. A baby of 10
// days without results: the spots overdue, the hearing screen missed so the re-screen due.
TEST_F(ChildTest, NewbornScreeningResultsAreReadBackWithTheirStatus) {
  const std::string child = CreatePerson(Days(-10), "筛查新生儿");
  ASSERT_FALSE(child.empty());
  const std::string card_path = "/api/v1/persons/" + child + "/child-health";
  const std::string path = "/api/v1/persons/" + child + "/newborn-screenings";
  ApiReply before = api_->Get(card_path, "ch_center_a");
  ASSERT_EQ(before.status, 200) << before.raw;
  ASSERT_EQ(before.body["screening"]["items"].size(), 5u) << before.raw;
  EXPECT_EQ(Item(before.body, "pku")["status"], "overdue");
  EXPECT_EQ(Item(before.body, "pku")["missed_from"], Days(11));
  EXPECT_EQ(Item(before.body, "hearing_rescreen")["status"], "due");
  EXPECT_TRUE(before.body["screening"]["results"].empty());

  ApiReply pku = api_->Post(path, "ch_center_a",
                            {{"kind", "pku"},
                             {"date", Days(-6)},
                             {"result", "normal"},
                             {"facility_name", "南宁市妇幼保健院"}});
  ASSERT_EQ(pku.status, 201) << pku.raw;
  EXPECT_EQ(Item(pku.body, "pku")["status"], "done");
  EXPECT_EQ(Item(pku.body, "pku")["timing"], "on_time");
  ApiReply ch =
      api_->Post(path, "ch_center_a", {{"kind", "ch"}, {"date", Days(-6)}, {"result", "positive"}});
  ASSERT_EQ(ch.status, 201) << ch.raw;
  EXPECT_EQ(Item(ch.body, "ch")["status"], "recall");
  // A refer on the 初筛 on day 2: recalled, and the re-screen due through day 42.
  ApiReply heard = api_->Post(
      path, "ch_center_a", {{"kind", "hearing_initial"}, {"date", Days(-8)}, {"result", "refer"}});
  ASSERT_EQ(heard.status, 201) << heard.raw;

  ApiReply card = api_->Get(card_path, "ch_center_a");
  ASSERT_EQ(card.status, 200) << card.raw;
  const json& results = card.body["screening"]["results"];
  ASSERT_EQ(results.size(), 3u) << card.raw;
  EXPECT_EQ(results[0]["kind"], "hearing_initial");
  EXPECT_EQ(results[0]["facility_code"], street_a_) << "the caller's unit by default";
  for (const auto& r : results) {
    if (r["kind"] != "pku") continue;
    EXPECT_EQ(r["facility_name"], "南宁市妇幼保健院");
    EXPECT_EQ(r["facility_code"], nullptr);
  }
  EXPECT_EQ(Item(card.body, "pku")["result"], "normal");
  EXPECT_EQ(Item(card.body, "ch")["status"], "recall");
  EXPECT_EQ(Item(card.body, "hearing_initial")["status"], "recall");
  EXPECT_EQ(Item(card.body, "hearing_rescreen")["status"], "due");
  EXPECT_EQ(Item(card.body, "hearing_rescreen")["window_start"], Days(-8));
  EXPECT_EQ(Item(card.body, "hearing_rescreen")["window_end"], Days(32));
  EXPECT_EQ(Item(card.body, "hearing_diagnosis")["status"], "upcoming");
  EXPECT_EQ(card.body["screening"]["summary"]["recall"], 2);

  // The recall ends with the diagnosis; a pass on the re-screen ends the hearing follow-up.
  ApiReply excluded = api_->Post(
      path, "ch_center_a",
      {{"kind", "ch"}, {"date", Days(0)}, {"result", "positive"}, {"diagnosis", "excluded"}});
  ASSERT_EQ(excluded.status, 201) << excluded.raw;
  EXPECT_EQ(Item(excluded.body, "ch")["status"], "done");
  EXPECT_EQ(Item(excluded.body, "ch")["diagnosis"], "excluded");
  ApiReply rescreen = api_->Post(
      path, "ch_center_a", {{"kind", "hearing_rescreen"}, {"date", Days(0)}, {"result", "pass"}});
  ASSERT_EQ(rescreen.status, 201) << rescreen.raw;
  EXPECT_EQ(Item(rescreen.body, "hearing_initial")["status"], "done");
  EXPECT_EQ(Item(rescreen.body, "hearing_rescreen")["status"], "done");
  EXPECT_EQ(Item(rescreen.body, "hearing_diagnosis")["status"], "not_needed");

  // Each write audited with its kind, none with its result; each leaves a change event.
  auto audited = QueryRows(server_->db_path(),
                           "SELECT detail FROM audit_log WHERE person_id = ?1 AND action = "
                           "'child.screening' ORDER BY seq",
                           {child});
  ASSERT_EQ(audited.size(), 5u);
  for (const auto& row : audited) {
    EXPECT_EQ(row[0].find("positive"), std::string::npos) << row[0];
    EXPECT_EQ(row[0].find("refer"), std::string::npos) << row[0];
  }
  auto events = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM change_events WHERE entity = 'newborn_screening' "
                          "AND person_id = ?1",
                          {child});
  EXPECT_EQ(events[0][0], "5");
}

TEST_F(ChildTest, BadScreeningInputIsAFieldErrorAndOtherCentresAreRefused) {
  const std::string child = CreatePerson(Days(-30), "筛查输入");
  const std::string path = "/api/v1/persons/" + child + "/newborn-screenings";
  struct Bad {
    json body;
    const char* field;
    const char* code;
  };
  const Bad bad[] = {
      {{{"kind", "pku"}, {"date", Days(-31)}, {"result", "normal"}}, "date", "before_birth"},
      {{{"kind", "pku"}, {"date", Days(1)}, {"result", "normal"}}, "date", "in_future"},
      {{{"kind", "g6pd"}, {"date", Days(-25)}, {"result", "normal"}}, "kind", "unknown_kind"},
      {{{"kind", "hearing_initial"}, {"date", Days(-28)}, {"result", "positive"}},
       "result",
       "not_for_kind"},
      {{{"kind", "pku"}, {"date", Days(-26)}, {"result", "loud"}}, "result", "invalid_value"},
      {{{"kind", "pku"}, {"date", Days(-26)}}, "result", "required"},
      {{{"kind", "pku"}, {"date", Days(-26)}, {"result", "normal"}, {"diagnosis", "confirmed"}},
       "diagnosis",
       "not_applicable"},
      {{{"kind", "ch"}, {"date", Days(-26)}, {"result", "normal"}, {"facility_code", "999999999"}},
       "facility_code",
       "unknown_org"},
  };
  for (const Bad& b : bad) {
    ApiReply r = api_->Post(path, "ch_center_a", b.body);
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(r.content_type.find("application/problem+json"), 0u) << r.raw;
    EXPECT_TRUE(HasFieldError(r.body, b.field, b.code))
        << b.field << " " << b.code << ": " << r.raw;
  }
  ApiReply en = api_->Call(
      "POST", path, "ch_center_a",
      json{{"kind", "hearing_initial"}, {"date", Days(-28)}, {"result", "positive"}}.dump(),
      {{"Accept-Language", "en"}});
  EXPECT_NE(en.raw.find("positive is not a result of hearing_initial"), std::string::npos)
      << en.raw;
  ApiReply card = api_->Get("/api/v1/persons/" + child + "/child-health", "ch_center_a");
  ASSERT_EQ(card.status, 200) << card.raw;
  EXPECT_TRUE(card.body["screening"]["results"].empty()) << "no refused result was kept";

  const json good = {{"kind", "pku"}, {"date", Days(-26)}, {"result", "normal"}};
  long long denied = DeniedRows("ch_center_b");
  ApiReply other = api_->Post(path, "ch_center_b", good);
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(other.content_type.find("application/problem+json"), 0u);
  EXPECT_EQ(other.raw.find("筛查输入"), std::string::npos);
  EXPECT_EQ(DeniedRows("ch_center_b"), denied + 1);
  // A village clinic reads the card but may not record.
  EXPECT_EQ(api_->Post(path, "ch_village_a", good).status, 403);
  EXPECT_EQ(api_->Post(path, "ch_center_a", good).status, 201);
}

TEST_F(ChildTest, TheWhoCurvesAreTheStandardsMedianAndSds) {
  ApiReply wfa = api_->Get("/api/v1/growth/curves?indicator=wfa&sex=M", "ch_village_a");
  ASSERT_EQ(wfa.status, 200) << wfa.raw;
  EXPECT_EQ(wfa.body["x"][0], 0);
  // WHO wfa boys, day 0: M 3.3464 kg; −2 SD 2.459 kg (WHO's SD table: 2.5 to 1 decimal).
  EXPECT_NEAR(wfa.body["sd"]["0"][0].get<double>(), 3.346, 0.001);
  EXPECT_NEAR(wfa.body["sd"]["-2"][0].get<double>(), 2.46, 0.01);
  EXPECT_EQ(wfa.body["x"].size(), wfa.body["sd"]["3"].size());
  EXPECT_GT(wfa.body["x"].size(), 260u);
  ApiReply wfl = api_->Get("/api/v1/growth/curves?indicator=wflh&sex=F", "ch_village_a");
  ASSERT_EQ(wfl.status, 200) << wfl.raw;
  EXPECT_EQ(wfl.body["x_unit"], "cm");
  EXPECT_EQ(wfl.body["x"][0], 45);
  ApiReply bad = api_->Get("/api/v1/growth/curves?indicator=zz&sex=X", "ch_village_a");
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "indicator", "invalid_value")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "sex", "invalid_value")) << bad.raw;
}

}  // namespace
}  // namespace jd::integration
