// Severe-mental-disorder management over the JSON API on the real `jundeng serve` (规范 第三版
// 严重精神障碍患者管理; 严重精神障碍管理治疗工作规范（2018年版）): the follow-up schedule moves
// with the class each follow-up implies; a level-3 assessment alerts the partner users of the
// patient's district only, through notices of the outbox that the gateway receives, and neither
// the alert nor its notices carry a diagnosis; a partner cannot read patients; a
// centre of another district gets 404, audited as denied; bad input is problem+json with field
// errors in Chinese and English. Dates are relative to the server's today.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Mental-Test-Passw0rd!";

class MentalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/17);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    ASSERT_FALSE(streets.street_b.empty());
    server_->AddUser("mh_center_a", "center", street_a_, kPassword);
    server_->AddUser("mh_center_b", "center", streets.street_b, kPassword);
    server_->AddUser("mh_psy_a", "psychiatry", streets.district_a, kPassword);
    server_->AddUser("mh_partner_a", "partner", streets.district_a, kPassword);
    server_->AddUser("mh_partner_b", "partner", streets.district_b, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A man living in street A, registered as a patient diagnosed a year ago; the patient's id.
  static std::string NewPatient() {
    const std::string arrived = Iso(MonthsBefore(Today(), 20));
    json person = {{"name", "精防测试"},
                   {"id_number", MakeResidentId("430528", "19880412", 2 * (++seq_) + 1)},
                   {"phone", "13912345678"},
                   {"hukou_division", "430528"},
                   {"residence_org", street_a_},
                   {"residence_address", "精防路8号"},
                   {"left_hukou_on", arrived},
                   {"arrived_on", arrived},
                   {"move_reason", "work"}};
    ApiReply p = api_->Post("/api/v1/persons", "mh_center_a", person);
    EXPECT_EQ(p.status, 201) << p.raw;
    ApiReply r = api_->Post("/api/v1/mental/patients", "mh_center_a",
                            {{"person_id", p.body.value("id", "")},
                             {"diagnosis", "schizophrenia"},
                             {"diagnosed_on", Days(-365)},
                             {"consent", "signed"},
                             {"consent_on", Days(-100)},
                             {"registered_on", Days(-100)}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static json FollowUpBody(int day, int level) {
    return {{"visited_on", Days(day)},   {"danger_level", level},  {"symptoms", "none"},
            {"insight", "complete"},     {"sleep", "good"},        {"social_function", "good"},
            {"adherence", "regular"},    {"side_effects", "none"}, {"physical_illness", "none"},
            {"hospitalisation", "never"}};
  }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  static long long Rows(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_;
  static inline int seq_ = 40;
};

// 规范 三(二): stable → 3 months; unstable → 2 weeks; basically stable → 2-week observation, then
// 3 months when improving at it.
TEST_F(MentalTest, TheScheduleMovesWithTheClass) {
  const std::string id = NewPatient();
  const std::string path = "/api/v1/mental/patients/" + id;
  ApiReply first = api_->Get(path, "mh_center_a");
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["class"], nullptr);
  EXPECT_EQ(first.body["next_due"], Days(-86));  // 14 days after the registration
  EXPECT_EQ(first.body["schedule"]["overdue"], true);

  ApiReply stable = api_->Post(path + "/follow-ups", "mh_center_a", FollowUpBody(-90, 0));
  ASSERT_EQ(stable.status, 201) << stable.raw;
  EXPECT_EQ(stable.body["follow_up"]["class"], "stable");
  EXPECT_EQ(stable.body["patient"]["next_due"], Iso(MonthsBefore(AddDays(Today(), -90), -3)));

  json worse = FollowUpBody(-30, 2);
  ApiReply basic = api_->Post(path + "/follow-ups", "mh_psy_a", worse);
  ASSERT_EQ(basic.status, 201) << basic.raw;
  EXPECT_EQ(basic.body["follow_up"]["class"], "basically_stable");
  EXPECT_EQ(basic.body["patient"]["next_due"], Days(-16));
  EXPECT_EQ(basic.body["patient"]["schedule"]["overdue"], true);
  EXPECT_EQ(basic.body["alert"], nullptr);

  json better = FollowUpBody(-16, 1);
  better["improving"] = true;
  ApiReply observed = api_->Post(path + "/follow-ups", "mh_center_a", better);
  ASSERT_EQ(observed.status, 201) << observed.raw;
  EXPECT_EQ(observed.body["follow_up"]["class"], "basically_stable");
  EXPECT_EQ(observed.body["patient"]["next_due"], Iso(MonthsBefore(AddDays(Today(), -16), -3)));
  EXPECT_EQ(observed.body["patient"]["schedule"]["overdue"], false);

  json marked = FollowUpBody(-2, 0);
  marked["symptoms"] = "marked";
  ApiReply unstable = api_->Post(path + "/follow-ups", "mh_center_a", marked);
  ASSERT_EQ(unstable.status, 201) << unstable.raw;
  EXPECT_EQ(unstable.body["follow_up"]["class"], "unstable");
  EXPECT_EQ(unstable.body["patient"]["next_due"], Days(12));
  EXPECT_EQ(unstable.body["patient"]["follow_ups"].size(), 4u);

  // The overdue list: this patient is no longer in it; another, never followed up, is.
  const std::string late = NewPatient();
  ApiReply overdue = api_->Get("/api/v1/mental/patients?overdue=true", "mh_center_a");
  ASSERT_EQ(overdue.status, 200) << overdue.raw;
  bool has_late = false, has_id = false;
  for (const auto& p : overdue.body["items"]) {
    has_late = has_late || p["id"] == late;
    has_id = has_id || p["id"] == id;
    EXPECT_FALSE(p.contains("diagnosis")) << p.dump();
    EXPECT_NE(p.value("name", ""), "精防测试") << "lists mask names";
    EXPECT_NE(p.value("id_number", "").find('*'), std::string::npos);
  }
  EXPECT_TRUE(has_late);
  EXPECT_FALSE(has_id);
  ApiReply summary = api_->Get("/api/v1/mental/summary", "mh_center_a");
  ASSERT_EQ(summary.status, 200) << summary.raw;
  EXPECT_EQ(summary.body["overdue"].get<std::size_t>(), overdue.body["items"].size());
  // Counted on read over the centre's street: every rate is a share, KEY_EHR_SMD among them.
  EXPECT_GE(summary.body["registered"].get<int>(), 2);
  for (const char* code : {"SMD_STANDARD_MGMT", "SMD_ADHERENCE", "SMD_STABLE", "KEY_EHR_SMD"}) {
    const json& v = summary.body["indicators"][code];
    ASSERT_TRUE(v.is_number()) << code << " " << summary.raw;
    EXPECT_GE(v.get<double>(), 0.0) << code;
    EXPECT_LE(v.get<double>(), 1.0) << code;
  }
  EXPECT_EQ(summary.raw.find("精防测试"), std::string::npos) << "the summary names no one";

  // An emergency handling record.
  ApiReply e = api_->Post(path + "/emergencies", "mh_center_a",
                          {{"occurred_on", Days(-1)},
                           {"situation", "在家中摔砸物品"},
                           {"measures", "联系家属，送医"},
                           {"outcome", "已住院"}});
  ASSERT_EQ(e.status, 201) << e.raw;
  EXPECT_EQ(e.body["emergencies"].size(), 1u);
}

// 工作规范 2018: level 3 and above goes to the 综治/公安 partners of the area, who see name,
// address, level and time, never the diagnosis; they acknowledge it.
TEST_F(MentalTest, ALevelThreeAssessmentAlertsThePartnersOfThatAreaOnly) {
  const std::string id = NewPatient();
  ApiReply r = api_->Post("/api/v1/mental/patients/" + id + "/follow-ups", "mh_center_a",
                          FollowUpBody(-1, 3));
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["follow_up"]["class"], "unstable");
  EXPECT_EQ(r.body["patient"]["next_due"], Days(13));
  ASSERT_TRUE(r.body["alert"].is_object()) << r.raw;
  const std::string alert = r.body["alert"].value("id", "");

  ApiReply a = api_->Get("/api/v1/mental/alerts", "mh_partner_a");
  ASSERT_EQ(a.status, 200) << a.raw;
  json mine;
  for (const auto& x : a.body["items"]) {
    if (x["id"] == alert) mine = x;
  }
  ASSERT_TRUE(mine.is_object()) << a.raw;
  EXPECT_EQ(mine["name"], "精防测试");
  EXPECT_EQ(mine["address"], "精防路8号");
  EXPECT_EQ(mine["danger_level"], 3);
  EXPECT_FALSE(mine.value("raised_at", "").empty());
  // No diagnosis and no follow-up anywhere in the partner's answer.
  EXPECT_EQ(a.raw.find("diagnosis"), std::string::npos) << a.raw;
  EXPECT_EQ(a.raw.find("schizophrenia"), std::string::npos) << a.raw;
  EXPECT_EQ(a.raw.find("symptoms"), std::string::npos) << a.raw;

  // The alert goes to the partner users of district A through the outbox, in the follow-up's
  // transaction: one web notice each, addressed to the user, with name, address, level and time.
  const std::string keys = "alert:" + alert + ":%";
  const auto notices = QueryRows(server_->db_path(),
                                 "SELECT u.username, n.channel, n.status, n.rendered_text "
                                 "FROM notices n JOIN users u ON u.id = n.recipient_user "
                                 "WHERE n.idempotency_key LIKE ?1 ORDER BY u.username",
                                 {keys});
  EXPECT_EQ(r.body["alert_notices"], static_cast<int>(notices.size())) << r.raw;
  bool to_partner_a = false;
  for (const auto& n : notices) {
    EXPECT_NE(n[0], "mh_partner_b") << "another district's partner is not told";
    EXPECT_NE(n[0], "mh_center_a") << "only partner users are told";
    if (n[0] == "mh_partner_a") to_partner_a = true;
    EXPECT_EQ(n[1], "web");
    EXPECT_EQ(n[2], "queued");
    EXPECT_NE(n[3].find("精防测试"), std::string::npos) << n[3];
    EXPECT_NE(n[3].find("精防路8号"), std::string::npos) << n[3];
    EXPECT_NE(n[3].find("危险性为3级"), std::string::npos) << n[3];
    EXPECT_EQ(n[3].find("精神分裂"), std::string::npos) << n[3];
    EXPECT_EQ(n[3].find("精神"), std::string::npos) << "no word of the condition: " << n[3];
  }
  EXPECT_TRUE(to_partner_a);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE action = 'notice.enqueue' AND "
                 "detail LIKE ?1",
                 "%alert=" + alert + "%"),
            static_cast<long long>(notices.size()));
  // The clinic's reminder lists never show a notice about the patient's alert.
  const auto person =
      QueryRows(server_->db_path(), "SELECT person_id FROM mental_patients WHERE id = ?1", {id});
  ASSERT_EQ(person.size(), 1u);
  ApiReply listed = api_->Get("/api/v1/notify/notices?person_id=" + person[0][0], "mh_center_a");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(listed.raw.find("danger_alert"), std::string::npos) << listed.raw;
  EXPECT_EQ(listed.raw.find("危险性"), std::string::npos) << listed.raw;

  ApiReply b = api_->Get("/api/v1/mental/alerts?state=all", "mh_partner_b");
  ASSERT_EQ(b.status, 200) << b.raw;
  EXPECT_EQ(b.raw.find(alert), std::string::npos) << "another district's partner sees nothing";
  ApiReply b_ack =
      api_->Post("/api/v1/mental/alerts/" + alert + "/acknowledge", "mh_partner_b", json::object());
  EXPECT_EQ(b_ack.status, 404) << b_ack.raw;

  ApiReply ack =
      api_->Post("/api/v1/mental/alerts/" + alert + "/acknowledge", "mh_partner_a", json::object());
  ASSERT_EQ(ack.status, 200) << ack.raw;
  EXPECT_EQ(ack.body["acknowledged_by"], "mh_partner_a");
  EXPECT_EQ(ack.raw.find("diagnosis"), std::string::npos);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE action = 'mental.alert.acknowledge' AND "
                 "object_id = ?1 AND result = 'ok'",
                 alert),
            1);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE action = 'mental.alert.raise' AND "
                 "object_id = ?1",
                 alert),
            1);
  ApiReply open = api_->Get("/api/v1/mental/alerts", "mh_partner_a");
  EXPECT_EQ(open.raw.find(alert), std::string::npos) << "acknowledged alerts leave the open list";
  // Acknowledged: the notices not yet sent are no longer wanted, by anyone.
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM notices WHERE idempotency_key LIKE ?1 AND "
                 "status = 'cancelled' AND last_error = 'acknowledged'",
                 keys),
            static_cast<long long>(notices.size()));
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE action = 'notice.cancel' AND "
                 "detail LIKE ?1",
                 "%alert=" + alert + "%"),
            static_cast<long long>(notices.size()));

  // The partner reads no patient.
  EXPECT_EQ(api_->Get("/api/v1/mental/patients/" + id, "mh_partner_a").status, 403);
  EXPECT_EQ(api_->Get("/api/v1/mental/patients", "mh_partner_a").status, 403);
  // The refusals are audited, with the patient asked for.
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE username = 'mh_partner_a' AND "
                 "action = 'access.denied' AND result = 'denied' AND detail = ?1",
                 "/api/v1/mental/patients/" + id),
            1);
}

// The outbox sends an alert's notices like any other: `jundeng notify drain` hands each to the
// gateway with the recipient user, and the partner acknowledging later leaves sent ones as sent.
TEST_F(MentalTest, AnAlertsNoticesLeaveThroughTheGateway) {
  const std::string id = NewPatient();
  ApiReply r = api_->Post("/api/v1/mental/patients/" + id + "/follow-ups", "mh_center_a",
                          FollowUpBody(-2, 4));
  ASSERT_EQ(r.status, 201) << r.raw;
  const std::string alert = r.body["alert"].value("id", "");
  ASSERT_GE(r.body.value("alert_notices", 0), 1) << r.raw;
  const std::string out = tmp_->File("gateway.jsonl");
  CommandResult drain = server_->Run({"notify", "drain", "--file", out});
  ASSERT_EQ(drain.exit_code, 0) << drain.err;
  int lines = 0;
  std::istringstream in(ReadFileBytes(out));
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line);
    if (j.value("idempotency_key", "").rfind("alert:" + alert + ":", 0) != 0) continue;
    ++lines;
    EXPECT_EQ(j["template"], "danger_alert");
    EXPECT_EQ(j["channel"], "web");
    EXPECT_TRUE(j["recipient_user"].is_string()) << line;
    EXPECT_NE(j.value("text", "").find("危险性为4级"), std::string::npos) << line;
    EXPECT_EQ(line.find("schizophrenia"), std::string::npos) << line;
  }
  EXPECT_EQ(lines, r.body.value("alert_notices", 0));
  ASSERT_EQ(
      api_->Post("/api/v1/mental/alerts/" + alert + "/acknowledge", "mh_partner_a", json::object())
          .status,
      200);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM notices WHERE idempotency_key LIKE ?1 AND status = 'sent'",
                 "alert:" + alert + ":%"),
            lines);
}

TEST_F(MentalTest, AnotherCentreGetsNotFoundAudited) {
  const std::string id = NewPatient();
  const long long before = Rows(
      "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'", "mh_center_b");
  ApiReply r = api_->Get("/api/v1/mental/patients/" + id, "mh_center_b");
  EXPECT_EQ(r.status, 404) << r.raw;
  EXPECT_EQ(r.raw.find("精防测试"), std::string::npos);
  ApiReply f = api_->Post("/api/v1/mental/patients/" + id + "/follow-ups", "mh_center_b",
                          FollowUpBody(-1, 0));
  EXPECT_EQ(f.status, 404) << f.raw;
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'",
                 "mh_center_b"),
            before + 2);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE action = 'mental.read' AND object_id = ?1 "
                 "AND result = 'denied'",
                 id),
            1);
}

TEST_F(MentalTest, BadInputIsAProblemWithFieldErrors) {
  const std::string id = NewPatient();
  const std::string path = "/api/v1/mental/patients/" + id + "/follow-ups";
  ApiReply seven = api_->Post(path, "mh_center_a", FollowUpBody(-1, 7));
  ExpectFieldProblem(seven, 400, "danger_level", "invalid_level");
  EXPECT_EQ(seven.content_type.find("application/problem+json"), 0u) << seven.content_type;
  ASSERT_FALSE(seven.body["errors"].empty());
  EXPECT_FALSE(seven.body["errors"][0].value("message_zh", "").empty());
  EXPECT_FALSE(seven.body["errors"][0].value("message_en", "").empty());

  ExpectFieldProblem(api_->Post(path, "mh_center_a", FollowUpBody(3, 0)), 400, "visited_on",
                     "in_future");
  ExpectFieldProblem(api_->Post(path, "mh_center_a", FollowUpBody(-200, 0)), 400, "visited_on",
                     "before_registration");
  json bad_enum = FollowUpBody(-1, 0);
  bad_enum["insight"] = "some";
  ExpectFieldProblem(api_->Post(path, "mh_center_a", bad_enum), 400, "insight", "invalid_value");

  ApiReply person = api_->Get("/api/v1/mental/patients/" + id, "mh_center_a");
  ApiReply unknown = api_->Post("/api/v1/mental/patients", "mh_center_a",
                                {{"person_id", person.body.value("person_id", "")},
                                 {"diagnosis", "depression"},
                                 {"diagnosed_on", Days(5)},
                                 {"consent", "signed"}});
  ExpectFieldProblem(unknown, 400, "diagnosis", "invalid_value");
  EXPECT_TRUE(HasFieldError(unknown.body, "diagnosed_on", "in_future")) << unknown.raw;

  ApiReply twice = api_->Post("/api/v1/mental/patients", "mh_center_a",
                              {{"person_id", person.body.value("person_id", "")},
                               {"diagnosis", "bipolar"},
                               {"diagnosed_on", Days(-5)},
                               {"consent", "not_yet"}});
  ExpectFieldProblem(twice, 400, "person_id", "registered");

  // A change names the version it was made on.
  const int version = person.body.value("version", 0);
  ApiReply stale = api_->Call("PATCH", "/api/v1/mental/patients/" + id, "mh_center_a",
                              json{{"consent", "refused"}, {"consent_on", Days(-1)}}.dump(),
                              {{"If-Match", std::to_string(version + 5)}});
  EXPECT_EQ(stale.status, 412) << stale.raw;
  ApiReply ok = api_->Call("PATCH", "/api/v1/mental/patients/" + id, "mh_center_a",
                           json{{"consent", "refused"}, {"consent_on", Days(-1)}}.dump(),
                           {{"If-Match", std::to_string(version)}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["consent"], "refused");
}

}  // namespace
}  // namespace jd::integration
