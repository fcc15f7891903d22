// Resident health records over the JSON API and the command line, end to end: the real
// `jundeng serve` on a demo city whose entitled migrants mostly have records already. A new
// record gets its number from the person's community, the statistics count it right after the
// write, and refusals (duplicates, entitlement, dates, jurisdiction) are problem+json with the
// fields, the jurisdiction ones audited. Dates are relative to the server's today.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

class RecordsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/400, /*seed=*/5);
    std::map<std::string, std::string> parent_of;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      parent_of[u.code] = u.parent_code;
      if (u.level == "street" && street_a_.empty()) street_a_ = u.code;
      if (u.level == "street" && !street_a_.empty() && street_b_.empty() &&
          u.parent_code != parent_of[street_a_]) {
        street_b_ = u.code;
      }
      if (u.level == "community" && community_a_.empty() && u.parent_code == street_a_) {
        community_a_ = u.code;
      }
    }
    ASSERT_FALSE(street_a_.empty());
    ASSERT_FALSE(street_b_.empty());
    ASSERT_EQ(community_a_.size(), 12u);
    server_->AddUser("r_city", "commission", "450100", kPassword);
    server_->AddUser("r_center_a", "center", street_a_, kPassword);
    server_->AddUser("r_center_b", "center", street_b_, kPassword);
    server_->AddUser("r_auditor", "auditor", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() {
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << ReadFileBytes(server_->log_path());
      CommandResult verify = server_->Run({"audit", "verify"});
      EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    }
    delete api_;
    delete server_;
    delete tmp_;
    api_ = nullptr;
    server_ = nullptr;
    tmp_ = nullptr;
  }

  // An adult migrant from 湖南 living in community A since `arrived_months_ago` months; its id.
  static std::string CreateAdult(int arrived_months_ago) {
    std::string arrived = Iso(MonthsBefore(Today(), arrived_months_ago));
    json body = {{"name", "档案测试"},
                 {"id_number", MakeResidentId("430528", "19880214", ++id_seq_)},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "测试路18号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", "r_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static std::string RecordPath(const std::string& id) {
    return "/api/v1/persons/" + id + "/health-record";
  }

  // {numerator, denominator} of an indicator for an org unit, as `user` sees it now.
  static std::pair<double, double> Indicator(const std::string& code, const std::string& org,
                                             const std::string& user = "r_city") {
    ApiReply r = api_->Get("/api/v1/indicators/values?codes=" + code + "&org=" + org, user);
    EXPECT_EQ(r.status, 200) << r.raw;
    for (const auto& v : r.body.value("items", json::array())) {
      if (v.value("code", "") == code && v.value("org", "") == org) {
        return {v.value("numerator", -1.0), v.value("denominator", -1.0)};
      }
    }
    ADD_FAILURE() << "no value of " << code << " for " << org << ": " << r.raw;
    return {-1, -1};
  }

  static bool HasFieldError(const ApiReply& r, const std::string& field, const std::string& code) {
    for (const auto& e : r.body.value("errors", json::array())) {
      if (e.value("field", "") == field && e.value("code", "") == code) return true;
    }
    return false;
  }

  static TempDir* tmp_;
  static ServerProcess* server_;
  static ApiClient* api_;
  static std::string street_a_, street_b_, community_a_;
  static int id_seq_;
};

TempDir* RecordsTest::tmp_ = nullptr;
ServerProcess* RecordsTest::server_ = nullptr;
ApiClient* RecordsTest::api_ = nullptr;
std::string RecordsTest::street_a_;
std::string RecordsTest::street_b_;
std::string RecordsTest::community_a_;
int RecordsTest::id_seq_ = 100;

TEST_F(RecordsTest, TheDemoCityHasMostEntitledMigrantsOnRecord) {
  auto [has, entitled] = Indicator("REG_HR_RATE", "450100");
  ASSERT_GT(entitled, 50);
  // jundeng demo gives 85% of the entitled a record and keeps 70% of them electronically.
  EXPECT_GT(has / entitled, 0.75) << has << "/" << entitled;
  EXPECT_LT(has / entitled, 0.95) << has << "/" << entitled;
  auto [electronic, entitled_again] = Indicator("REG_EHR_RATE", "450100");
  EXPECT_EQ(entitled_again, entitled);
  EXPECT_GT(electronic / has, 0.55) << electronic << "/" << has;
  EXPECT_LT(electronic / has, 0.85) << electronic << "/" << has;
}

TEST_F(RecordsTest, EstablishNumbersByCommunityAndTheRateCountsItAtOnce) {
  std::string id = CreateAdult(/*arrived_months_ago=*/8);
  ASSERT_FALSE(id.empty());
  auto before = Indicator("REG_HR_RATE", community_a_);
  auto before_e = Indicator("REG_EHR_RATE", community_a_);

  ApiReply r = api_->Post(RecordPath(id), "r_center_a", {{"clinic", street_a_}});
  ASSERT_EQ(r.status, 201) << r.raw;
  std::string no = r.body.value("record_no", "");
  ASSERT_EQ(no.size(), 17u) << r.raw;
  EXPECT_EQ(no.substr(0, 12), community_a_);  // county + township + village, then the serial
  EXPECT_EQ(r.body.value("established_on", ""), Iso(Today()));
  EXPECT_TRUE(r.body.value("electronic", false));
  EXPECT_EQ(r.body.value("clinic", ""), street_a_);
  EXPECT_FALSE(r.body.value("clinic_name", "").empty());
  EXPECT_EQ(r.body.value("version", 0), 1);

  // The live statistics saw the write: one more entitled person with a record, same denominator.
  auto after = Indicator("REG_HR_RATE", community_a_);
  EXPECT_EQ(after.first, before.first + 1);
  EXPECT_EQ(after.second, before.second);
  auto after_e = Indicator("REG_EHR_RATE", community_a_);
  EXPECT_EQ(after_e.first, before_e.first + 1);

  ApiReply got = api_->Get(RecordPath(id), "r_center_a");
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body.value("record_no", ""), no);

  // A second record for the same person is a conflict.
  ApiReply again = api_->Post(RecordPath(id), "r_center_a", {{"clinic", street_a_}});
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(again.content_type, "application/problem+json");

  // The next person of the community gets the next serial.
  std::string next_id = CreateAdult(/*arrived_months_ago=*/12);
  ApiReply next =
      api_->Post(RecordPath(next_id), "r_center_a", {{"clinic", street_a_}, {"electronic", false}});
  ASSERT_EQ(next.status, 201) << next.raw;
  EXPECT_EQ(std::stoll(next.body.value("record_no", "0")), std::stoll(no) + 1);
  // Not electronic: the record rate moves, the electronic one does not.
  EXPECT_EQ(Indicator("REG_HR_RATE", community_a_).first, before.first + 2);
  EXPECT_EQ(Indicator("REG_EHR_RATE", community_a_).first, before_e.first + 1);

  // An update with the version last seen; a stale version is a conflict.
  auto cli = server_->Client();
  httplib::Headers headers = {{"Authorization", "Bearer " + api_->Token("r_center_a")},
                              {"If-Match", "1"}};
  auto patched = cli->Patch(RecordPath(next_id), headers, json{{"electronic", true}}.dump(),
                            "application/json");
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(json::parse(patched->body).value("version", 0), 2);
  EXPECT_EQ(Indicator("REG_EHR_RATE", community_a_).first, before_e.first + 2);
  auto stale = cli->Patch(RecordPath(next_id), headers, json{{"electronic", false}}.dump(),
                          "application/json");
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, 412) << stale->body;
  // Without If-Match an update is refused outright: it would overwrite whatever is there now.
  headers.erase("If-Match");
  auto blind = cli->Patch(RecordPath(next_id), headers, json{{"electronic", false}}.dump(),
                          "application/json");
  ASSERT_TRUE(blind);
  EXPECT_EQ(blind->status, 428) << blind->body;
  EXPECT_EQ(blind->get_header_value("Content-Type"), "application/problem+json");
}

TEST_F(RecordsTest, ARecentArrivalIsRefusedWithTheEligibilityRule) {
  // Two months here: a floating person, but not yet entitled (试点工作方案 §四(一): 6 months).
  std::string id = CreateAdult(/*arrived_months_ago=*/2);
  auto before = Indicator("REG_HR_RATE", community_a_);
  ApiReply r = api_->Post(RecordPath(id), "r_center_a", {{"clinic", street_a_}});
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_TRUE(HasFieldError(r, "eligibility.health_record_6_months", "not_entitled")) << r.raw;
  EXPECT_EQ(Indicator("REG_HR_RATE", community_a_), before);
  EXPECT_EQ(api_->Get(RecordPath(id), "r_center_a").status, 404);
}

TEST_F(RecordsTest, BadDatesAreFieldErrors) {
  std::string id = CreateAdult(/*arrived_months_ago=*/9);
  ApiReply future =
      api_->Post(RecordPath(id), "r_center_a",
                 {{"clinic", street_a_}, {"established_on", Iso(AddDays(Today(), 1))}});
  EXPECT_EQ(future.status, 400) << future.raw;
  EXPECT_EQ(future.content_type, "application/problem+json");
  EXPECT_TRUE(HasFieldError(future, "established_on", "in_future")) << future.raw;
  ApiReply before_birth = api_->Post(RecordPath(id), "r_center_a",
                                     {{"clinic", street_a_}, {"established_on", "1988-02-13"}});
  EXPECT_TRUE(HasFieldError(before_birth, "established_on", "before_birth")) << before_birth.raw;
  ApiReply malformed = api_->Post(RecordPath(id), "r_center_a",
                                  {{"established_on", "2026-02-30"}, {"electronic", "yes"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_TRUE(HasFieldError(malformed, "established_on", "invalid_date")) << malformed.raw;
  EXPECT_TRUE(HasFieldError(malformed, "electronic", "wrong_type")) << malformed.raw;
  EXPECT_TRUE(HasFieldError(malformed, "clinic", "required")) << malformed.raw;
  // None of them was written.
  EXPECT_EQ(api_->Get(RecordPath(id), "r_center_a").status, 404);
}

TEST_F(RecordsTest, AnotherStreetSeesNothingAndTheAttemptIsAudited) {
  std::string id = CreateAdult(/*arrived_months_ago=*/10);
  ApiReply w = api_->Post(RecordPath(id), "r_center_b", {{"clinic", street_b_}});
  EXPECT_EQ(w.status, 404) << w.raw;
  ASSERT_EQ(api_->Post(RecordPath(id), "r_center_a", {{"clinic", street_a_}}).status, 201);
  ApiReply r = api_->Get(RecordPath(id), "r_center_b");
  EXPECT_EQ(r.status, 404) << r.raw;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(api_->Call("PATCH", RecordPath(id), "r_center_b", json{{"electronic", false}}.dump(),
                       {{"If-Match", "1"}})
                .status,
            404);

  ApiReply audit = api_->Get("/api/v1/audit?limit=200&person_id=" + id, "r_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  std::set<std::string> denied, ok;
  for (const auto& row : audit.body["items"]) {
    std::string action = row.value("action", "");
    if (row.value("result", "") == "denied" && row.value("username", "") == "r_center_b") {
      denied.insert(action);
    }
    if (row.value("result", "") == "ok") ok.insert(action);
  }
  EXPECT_TRUE(denied.count("health_record.establish")) << audit.raw;
  EXPECT_TRUE(denied.count("health_record.read")) << audit.raw;
  EXPECT_TRUE(denied.count("health_record.update")) << audit.raw;
  EXPECT_TRUE(ok.count("health_record.establish")) << audit.raw;
}

TEST_F(RecordsTest, TheCommandLineShowsAndEstablishes) {
  std::string id = CreateAdult(/*arrived_months_ago=*/7);
  CommandResult missing = server_->Run({"records", "show", "--person", id});
  EXPECT_EQ(missing.exit_code, 3) << missing.out << missing.err;  // not found
  CommandResult made = server_->Run({"records", "establish", "--person", id},
                                    json{{"clinic", street_a_}, {"electronic", false}}.dump());
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  json record = json::parse(made.out, nullptr, false);
  EXPECT_EQ(record.value("record_no", "").substr(0, 12), community_a_) << made.out;
  EXPECT_FALSE(record.value("electronic", true));
  CommandResult shown = server_->Run({"records", "show", "--person", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.out << shown.err;
  EXPECT_EQ(json::parse(shown.out, nullptr, false).value("record_no", ""),
            record.value("record_no", ""));
  // The server reads the same database.
  EXPECT_EQ(api_->Get(RecordPath(id), "r_center_a").body.value("record_no", ""),
            record.value("record_no", ""));

  std::string recent = CreateAdult(/*arrived_months_ago=*/1);
  CommandResult refused = server_->Run({"records", "establish", "--person", recent},
                                       json{{"clinic", street_a_}}.dump());
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;  // invalid argument
  EXPECT_NE(refused.err.find("eligibility.health_record_6_months"), std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace jd::integration
