// Early-warning signals and the response over the JSON API on the real `jundeng serve`: a cholera
// card (a fixed-threshold disease, CIDARS) written into the case-card table is turned into a signal
// by `jundeng surveillance run` (the daily run catches up the on-save rules; the on-save path
// itself is tested in disease/signal_service_test.cc); the CDC of its district sees it and the CDC
// of another district does not (404, audited); it is verified and opened as an event, the
// investigation and measures are recorded with If-Match and the event is closed handled to
// standard, which moves the handled count of the summary (DIS_EPIDEMIC_HANDLED); a second run
// raises nothing new; bad inputs are problem+json with field errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/dates.h"
#include "integration/api_client.h"
#include "integration/disease_cards_fixture.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Signals-Test-Passw0rd!";

class SignalsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/17);
    streets_ = FindStreetsOfTwoDistricts(server_->db_path());
    ASSERT_FALSE(streets_.street_b.empty());
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "city") city_ = u.code;
    }
    server_->AddUser("sg_cdc_a", "cdc", streets_.district_a, kPassword);
    server_->AddUser("sg_cdc_b", "cdc", streets_.district_b, kPassword);
    server_->AddUser("sg_cdc_city", "cdc", city_, kPassword);
    server_->AddUser("sg_district_a", "district", streets_.district_a, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
    // The demo's own cards (disease/demo_cards.h) raise their signals first, so that each test
    // counts only what its cards add.
    CommandResult first = server_->Run({"surveillance", "run", "--as-of", Iso(Today())});
    ASSERT_EQ(first.exit_code, 0) << first.err;
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::string Now() { return FormatTimestamp(std::chrono::system_clock::now()); }

  static json RunDaily() {
    CommandResult r = server_->Run({"surveillance", "run", "--as-of", Iso(Today())});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  // The signal of `card` in the answer of GET /disease/signals, or null.
  static json SignalOf(const json& list, const std::string& card) {
    for (const auto& s : list.value("items", json::array())) {
      for (const auto& id : s["card_ids"]) {
        if (id == card) return s;
      }
    }
    return json();
  }

  static bool HasField(const ApiReply& r, const std::string& field) {
    for (const auto& e : r.body.value("errors", json::array())) {
      if (e.value("field", "") == field) return true;
    }
    return false;
  }

  static long long DeniedRows(const std::string& username) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = "
                          "'denied'",
                          {username});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static ApiReply WithVersion(const std::string& method, const std::string& path, int version,
                              const json& body) {
    return api_->Call(method, path, "sg_cdc_a", body.dump(),
                      {{"If-Match", "\"" + std::to_string(version) + "\""}});
  }

  // DIS_EPIDEMIC_HANDLED of district A from the live statistics: {numerator, denominator}.
  static std::pair<double, double> Handled() {
    ApiReply r =
        api_->Get("/api/v1/indicators/values?codes=DIS_EPIDEMIC_HANDLED&org=" + streets_.district_a,
                  "sg_cdc_a");
    EXPECT_EQ(r.status, 200) << r.raw;
    for (const auto& v : r.body.value("items", json::array())) {
      if (v.value("org", "") == streets_.district_a) {
        return {v.value("numerator", -1.0), v.value("denominator", -1.0)};
      }
    }
    ADD_FAILURE() << r.raw;
    return {-1, -1};
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline StreetsOfTwoDistricts streets_;
  static inline std::string city_;
};

// CIDARS fixed threshold: one cholera case is a signal for the CDC of its district only; verified
// into an outbreak event, investigated, measures taken and closed within the limits.
TEST_F(SignalsTest, ACholeraCardIsASignalForItsDistrictAndAnEventHandledToStandard) {
  const json before = api_->Get("/api/v1/disease/signals/summary", "sg_cdc_a").body;
  const auto [handled_before, closed_before] = Handled();
  const std::string card = InsertDiseaseCard(
      server_->db_path(), city_,
      {"cholera", streets_.district_a, streets_.street_a, Iso(Today()), Now(), "", "李小龙"});
  ASSERT_FALSE(card.empty());
  json run = RunDaily();
  EXPECT_GE(run.value("raised", 0), 1) << run.dump();

  ApiReply mine = api_->Get("/api/v1/disease/signals?status=open", "sg_cdc_a");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  json signal = SignalOf(mine.body, card);
  ASSERT_TRUE(signal.is_object()) << mine.raw;
  EXPECT_EQ(signal["kind"], "fixed_threshold");
  EXPECT_EQ(signal["disease"], "cholera");
  EXPECT_EQ(signal["status"], "open");
  EXPECT_EQ(signal["overdue"], false);
  const std::string id = signal["id"];
  ApiReply summary = api_->Get("/api/v1/disease/signals/summary", "sg_cdc_a");
  EXPECT_EQ(summary.body["open"], before["open"].get<int>() + 1) << summary.raw;

  // The other district's CDC neither lists nor reads it; the city CDC does.
  ApiReply theirs = api_->Get("/api/v1/disease/signals", "sg_cdc_b");
  ASSERT_EQ(theirs.status, 200);
  EXPECT_TRUE(SignalOf(theirs.body, card).is_null());
  const long long denied = DeniedRows("sg_cdc_b");
  ApiReply refused = api_->Get("/api/v1/disease/signals/" + id, "sg_cdc_b");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.content_type.find("application/problem+json"), 0u);
  EXPECT_EQ(DeniedRows("sg_cdc_b"), denied + 1);
  ApiReply one = api_->Get("/api/v1/disease/signals/" + id, "sg_cdc_city");
  ASSERT_EQ(one.status, 200) << one.raw;
  ASSERT_EQ(one.body["cards"].size(), 1u);
  EXPECT_EQ(one.body["cards"][0]["id"], card);
  EXPECT_EQ(one.body["cards"][0]["name"], "李**");  // masked
  EXPECT_EQ(one.raw.find("李小龙"), std::string::npos);

  // The district administration reads but may not respond; another CDC may not either.
  EXPECT_EQ(api_->Post("/api/v1/disease/signals/" + id + "/verify", "sg_district_a",
                       {{"outcome", "event"}})
                .status,
            403);
  EXPECT_EQ(
      api_->Post("/api/v1/disease/signals/" + id + "/verify", "sg_cdc_b", {{"outcome", "event"}})
          .status,
      404);

  ApiReply verified = api_->Post(
      "/api/v1/disease/signals/" + id + "/verify", "sg_cdc_a",
      {{"outcome", "event"}, {"event_kind", "outbreak"}, {"note", "电话核实：实验室确诊霍乱"}});
  ASSERT_EQ(verified.status, 200) << verified.raw;
  EXPECT_EQ(verified.body["status"], "event_opened");
  const std::string event = verified.body.value("event_id", "");
  ASSERT_FALSE(event.empty());
  EXPECT_EQ(api_->Post("/api/v1/disease/signals/" + id + "/verify", "sg_cdc_a",
                       {{"outcome", "excluded"}, {"note", "重复"}})
                .status,
            409);

  const std::string path = "/api/v1/disease/events/" + event;
  ApiReply opened = api_->Get(path, "sg_cdc_a");
  ASSERT_EQ(opened.status, 200) << opened.raw;
  EXPECT_EQ(opened.body["kind"], "outbreak");
  EXPECT_EQ(opened.body["signal_ids"], json::array({id}));
  EXPECT_EQ(opened.body["steps"]["verified_on_time"], true);
  EXPECT_EQ(api_->Get(path, "sg_cdc_b").status, 404);
  ApiReply events = api_->Get("/api/v1/disease/events?state=open", "sg_cdc_a");
  ASSERT_EQ(events.status, 200);
  EXPECT_NE(events.raw.find(event), std::string::npos);

  ApiReply investigated =
      WithVersion("PATCH", path, 1, {{"investigation", "病例为建筑工地务工人员，共同就餐12人"}});
  ASSERT_EQ(investigated.status, 200) << investigated.raw;
  EXPECT_EQ(investigated.body["version"], 2);
  EXPECT_EQ(investigated.body["steps"]["investigated_on_time"], true);
  EXPECT_EQ(WithVersion("PATCH", path, 1, {{"measures", "消毒"}}).status, 412);
  ApiReply measures =
      WithVersion("PATCH", path, 2, {{"measures", "隔离治疗，密接预防服药，终末消毒"}});
  ASSERT_EQ(measures.status, 200) << measures.raw;
  ApiReply closed =
      WithVersion("POST", path + "/close", 3, {{"closure_note", "末例后5天无续发，结案"}});
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(closed.body["handled_to_standard"], true);
  EXPECT_FALSE(closed.body["closed_at"].is_null());
  EXPECT_EQ(WithVersion("PATCH", path, 4, {{"measures", "补充"}}).status, 409);

  ApiReply after = api_->Get("/api/v1/disease/signals/summary", "sg_cdc_a");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body["open"], before["open"]);
  EXPECT_EQ(after.body["events"], before["events"].get<int>() + 1);
  EXPECT_EQ(after.body["events_handled"], before["events_handled"].get<int>() + 1);
  EXPECT_EQ(after.body["handled_rate"], 1.0);
  EXPECT_EQ(api_->Get("/api/v1/disease/signals/summary", "sg_cdc_b").body["events"], 0);
  // The live indicator counts the closed event in its district.
  const auto [handled_after, closed_after] = Handled();
  EXPECT_EQ(closed_after, closed_before + 1);
  EXPECT_EQ(handled_after, handled_before + 1);

  // The daily run again: nothing new.
  json again = RunDaily();
  EXPECT_EQ(again.value("raised", -1), 0) << again.dump();
}

// A card in district B is the CDC of B's; excluded with a note it leaves the open list.
// The demo city's planted outbreak (disease/demo_cards.h: 9 dysentery cases at one construction
// site of the first district, onsets 6 to 2 days ago) is found by the daily run: one work-site
// cluster signal holding all 9 cases at that site (rule (d) of the early warning) and a
// moving-percentile signal of dysentery in that district, whose 7-day count stands far above its
// three years of baseline (CIDARS).
TEST_F(SignalsTest, ThePlantedDemoOutbreakRaisesAClusterAndAMovingPercentileSignal) {
  RunDaily();
  auto site = QueryRows(server_->db_path(),
                        "SELECT work_site_key, district_code, COUNT(*) FROM disease_cards WHERE "
                        "disease_code = 'dysentery' AND work_site_kind = 'construction_site' "
                        "GROUP BY 1, 2",
                        {});
  ASSERT_EQ(site.size(), 1u) << "the demo plants one outbreak at one site";
  EXPECT_EQ(site[0][2], "9");
  auto cluster = QueryRows(server_->db_path(),
                           "SELECT observed FROM disease_signals WHERE kind = 'work_site_cluster' "
                           "AND disease_code = 'dysentery' AND work_site_key = ?1",
                           {site[0][0]});
  ASSERT_EQ(cluster.size(), 1u) << "one work-site cluster signal for " << site[0][0];
  // Raised at the third case, it grows with every case that joins it inside its window: all 9.
  EXPECT_EQ(cluster[0][0], "9");
  auto percentile = QueryRows(server_->db_path(),
                              "SELECT observed, threshold FROM disease_signals WHERE kind = "
                              "'moving_percentile' AND disease_code = 'dysentery' AND "
                              "district_code = ?1 AND period_end = ?2",
                              {site[0][1], Iso(Today())});
  ASSERT_FALSE(percentile.empty()) << "no moving-percentile signal of dysentery in " << site[0][1];
  EXPECT_GE(std::stod(percentile[0][0]), 9);
  EXPECT_LT(std::stod(percentile[0][1]), 9);
}

// A card reported through the API (POST /disease/cards) runs the rules of the save: a plague case
// (fixed threshold) is a signal for its district's CDC at once, without waiting for the daily run.
TEST_F(SignalsTest, AReportedFixedThresholdCardIsASignalAtOnce) {
  const json before = api_->Get("/api/v1/disease/signals/summary", "sg_cdc_a").body;
  ApiReply card = api_->Post("/api/v1/disease/cards", "sg_cdc_a",
                             {{"patient_name", "韦即报"},
                              {"sex", "male"},
                              {"age_years", 41},
                              {"patient_belongs", "other_province"},
                              {"current_address", "即报路1号"},
                              {"address_unit", streets_.street_a},
                              {"occupation", "民工"},
                              {"disease_code", "plague"},
                              {"case_class", "suspected"},
                              {"onset_date", Iso(AddDays(Today(), -1))},
                              {"diagnosed_at", Now()},
                              {"reporting_doctor", "即报医生"}});
  ASSERT_EQ(card.status, 201) << card.raw;
  const std::string id = card.body.value("id", "");
  ApiReply list = api_->Get("/api/v1/disease/signals?status=open", "sg_cdc_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  json signal = SignalOf(list.body, id);
  ASSERT_TRUE(signal.is_object()) << "no signal for the reported card " << id;
  EXPECT_EQ(signal["kind"], "fixed_threshold");
  EXPECT_EQ(signal["disease"], "plague");
  ApiReply after = api_->Get("/api/v1/disease/signals/summary", "sg_cdc_a");
  EXPECT_EQ(after.body["open"], before["open"].get<int>() + 1) << after.raw;
  // The other district's CDC does not get it.
  EXPECT_TRUE(SignalOf(api_->Get("/api/v1/disease/signals", "sg_cdc_b").body, id).is_null());
}

TEST_F(SignalsTest, AnExcludedSignalLeavesTheOpenList) {
  const std::string card = InsertDiseaseCard(
      server_->db_path(), city_,
      {"plague", streets_.district_b, streets_.street_b, Iso(Today()), Now(), "", "赵六"});
  RunDaily();
  json signal = SignalOf(api_->Get("/api/v1/disease/signals", "sg_cdc_b").body, card);
  ASSERT_TRUE(signal.is_object());
  EXPECT_TRUE(SignalOf(api_->Get("/api/v1/disease/signals", "sg_cdc_a").body, card).is_null());
  const std::string id = signal["id"];
  ApiReply no_note = api_->Post("/api/v1/disease/signals/" + id + "/verify", "sg_cdc_b",
                                {{"outcome", "excluded"}});
  EXPECT_EQ(no_note.status, 400);
  EXPECT_TRUE(HasField(no_note, "note")) << no_note.raw;
  ApiReply excluded = api_->Post("/api/v1/disease/signals/" + id + "/verify", "sg_cdc_b",
                                 {{"outcome", "excluded"}, {"note", "订正为其他感染性腹泻"}});
  ASSERT_EQ(excluded.status, 200) << excluded.raw;
  EXPECT_EQ(excluded.body["status"], "excluded");
  EXPECT_TRUE(
      SignalOf(api_->Get("/api/v1/disease/signals?status=open", "sg_cdc_b").body, card).is_null());
  EXPECT_TRUE(
      SignalOf(api_->Get("/api/v1/disease/signals?status=excluded&district=" + streets_.district_b,
                         "sg_cdc_b")
                   .body,
               card)
          .is_object());
}

TEST_F(SignalsTest, BadInputIsProblemJsonWithFieldErrors) {
  struct Case {
    std::string method, path;
    json body;
    int status;
    std::string field;
  };
  const std::string none = "00000000-0000-4000-8000-000000000000";
  const std::vector<Case> cases = {
      {"GET", "/api/v1/disease/signals?status=bogus", nullptr, 400, "status"},
      {"GET", "/api/v1/disease/signals?disease=ebola", nullptr, 400, "disease"},
      {"GET", "/api/v1/disease/signals?district=999999", nullptr, 400, "district"},
      {"GET", "/api/v1/disease/signals?limit=0", nullptr, 400, "limit"},
      {"GET", "/api/v1/disease/events?state=closed", nullptr, 400, "state"},
      {"POST", "/api/v1/disease/signals/" + none + "/verify", json::object(), 400, "outcome"},
      {"POST",
       "/api/v1/disease/signals/" + none + "/verify",
       {{"outcome", "maybe"}},
       400,
       "outcome"},
      {"POST",
       "/api/v1/disease/signals/" + none + "/verify",
       {{"outcome", "event"}, {"event_kind", "pandemic"}},
       400,
       "event_kind"},
      {"POST",
       "/api/v1/disease/signals/" + none + "/verify",
       {{"outcome", "excluded"}, {"note", 5}},
       400,
       "note"},
      {"POST", "/api/v1/disease/events", json::object(), 400, "signal_ids"},
      {"POST", "/api/v1/disease/events", {{"signal_ids", "abc"}}, 400, "signal_ids"},
      {"POST",
       "/api/v1/disease/events",
       {{"signal_ids", json::array({none})}, {"kind", "x"}},
       400,
       "kind"},
      {"POST", "/api/v1/disease/signals/" + none + "/verify", {{"outcome", "event"}}, 404, ""},
      {"GET", "/api/v1/disease/events/not-an-id", nullptr, 404, ""},
  };
  for (const Case& c : cases) {
    ApiReply r = c.body.is_null() ? api_->Get(c.path, "sg_cdc_a")
                                  : api_->Call(c.method, c.path, "sg_cdc_a", c.body.dump());
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.path << " " << c.body << ": " << r.raw;
    EXPECT_EQ(r.content_type.find("application/problem+json"), 0u) << c.path;
    if (!c.field.empty()) {
      EXPECT_TRUE(HasField(r, c.field)) << c.path << ": " << r.raw;
    }
  }
  // An event change names its version; a closure needs its note.
  const std::string event = "/api/v1/disease/events/" + none;
  EXPECT_EQ(api_->Call("PATCH", event, "sg_cdc_a", json{{"measures", "x"}}.dump()).status, 428);
  ApiReply empty = WithVersion("PATCH", event, 1, json::object());
  EXPECT_EQ(empty.status, 400);
  ApiReply no_note = WithVersion("POST", event + "/close", 1, json::object());
  EXPECT_EQ(no_note.status, 400);
  EXPECT_TRUE(HasField(no_note, "closure_note")) << no_note.raw;
  // The command refuses a bad day.
  CommandResult bad = server_->Run({"surveillance", "run", "--as-of", "2026-02-30"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_TRUE(bad.out.empty());
}

}  // namespace
}  // namespace jd::integration
