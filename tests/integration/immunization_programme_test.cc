// The immunisation programme over the JSON API, end to end: the real `jundeng serve` on a free
// port, a demo city without persons, two health centers of two districts. A catch-up round and
// its progress, a campaign with a recorded dose and its coverage, an entry check of a roster with
// a bad row and a child not found, the coverage report, and refusals across jurisdictions (404
// and an audit row "denied"). Dates are relative to the server's today (Asia/Shanghai).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;
using std::chrono::year_month_day;

constexpr const char* kPassword = "Correct-Horse-42!";

class ImmunizationProgrammeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    ASSERT_FALSE(street_a_.empty());
    ASSERT_FALSE(street_b_.empty());
    district_a_ = streets.district_a;
    server_->AddUser("p_center_a", "center", street_a_, kPassword);
    server_->AddUser("p_center_b", "center", street_b_, kPassword);
    server_->AddUser("p_finance", "finance", "450100", kPassword);
    server_->AddUser("p_auditor", "auditor", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  struct Child {
    std::string id;
    std::string id_number;
    year_month_day birth;
  };

  // A child born `months` months ago who arrived with the family at birth.
  static Child CreateChild(int months, const std::string& org, const std::string& name) {
    Child c;
    c.birth = MonthsBefore(Today(), months);
    c.id_number = MakeResidentId("450803", Compact(c.birth), ++id_seq_);
    json body = {{"name", name},
                 {"id_number", c.id_number},
                 {"phone", "13812345678"},
                 {"hukou_division", "450803"},
                 {"residence_org", org},
                 {"residence_address", "测试路8号"},
                 {"arrived_on", Iso(c.birth)},
                 {"move_reason", "family"}};
    ApiReply r = api_->Post("/api/v1/persons", "p_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    c.id = r.body.value("id", "");
    return c;
  }

  static void BirthDoses(const Child& c) {
    for (const char* v : {"HepB", "BCG"}) {
      ApiReply r = api_->Post("/api/v1/persons/" + c.id + "/vaccinations", "p_center_a",
                              {{"vaccine", v},
                               {"date", Iso(c.birth)},
                               {"source", "transcribed"},
                               {"clinic_name", "某妇幼保健院"}});
      ASSERT_EQ(r.status, 201) << r.raw;
    }
  }

  // The audit rows of `action` with result "denied", as the auditor reads them.
  static std::vector<json> DeniedRows(const std::string& action) {
    ApiReply audit = api_->Get("/api/v1/audit?limit=500&action=" + action, "p_auditor");
    EXPECT_EQ(audit.status, 200) << audit.raw;
    std::vector<json> out;
    for (const auto& row : audit.body["items"]) {
      if (row.value("result", "") == "denied" && row.value("action", "") == action) {
        out.push_back(row);
      }
    }
    return out;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string street_a_, street_b_, district_a_;
  static inline ApiClient* api_ = nullptr;
  static inline int id_seq_ = 500;
};

const json* FindChild(const json& items, const std::string& person_id) {
  for (const auto& c : items)
    if (c.value("person_id", "") == person_id) return &c;
  return nullptr;
}

TEST_F(ImmunizationProgrammeTest, CatchUpRoundTracksTheDosesGivenAfterIt) {
  Child baby = CreateChild(4, street_a_, "查小宝");
  BirthDoses(baby);

  ApiReply round = api_->Post("/api/v1/immunization/catch-up-rounds", "p_center_a",
                              {{"area", street_a_}, {"note", "2026年秋季查漏补种"}});
  ASSERT_EQ(round.status, 201) << round.raw;
  const std::string id = round.body.value("id", "");
  EXPECT_EQ(round.body.value("as_of", ""), Iso(Today()));
  const json* mine = FindChild(round.body["items"], baby.id);
  ASSERT_NE(mine, nullptr) << round.raw;
  EXPECT_EQ(mine->value("id_number_masked", "").find(baby.id_number), std::string::npos);
  ASSERT_FALSE((*mine)["plan"].empty());
  const json& first = (*mine)["plan"][0];
  EXPECT_EQ(first.value("vaccine", ""), "HepB");
  EXPECT_EQ(first.value("dose", 0), 2);
  EXPECT_FALSE(first.value("given", true));
  const int planned = static_cast<int>((*mine)["plan"].size());
  const int given_before = round.body["progress"].value("doses_given", -1);

  // HepB2 given today: one more planned dose done.
  ApiReply dose = api_->Post("/api/v1/persons/" + baby.id + "/vaccinations", "p_center_a",
                             {{"vaccine", "HepB"}, {"date", Iso(Today())}, {"clinic", street_a_}});
  ASSERT_EQ(dose.status, 201) << dose.raw;
  ApiReply after =
      api_->Get("/api/v1/immunization/catch-up-rounds/" + id + "?page_size=200", "p_center_a");
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["progress"].value("doses_given", -1), given_before + 1);
  mine = FindChild(after.body["items"], baby.id);
  ASSERT_NE(mine, nullptr);
  EXPECT_TRUE((*mine)["plan"][0].value("given", false));
  EXPECT_EQ(static_cast<int>((*mine)["plan"].size()), planned);
  EXPECT_FALSE(mine->value("completed", true));

  ApiReply list = api_->Get("/api/v1/immunization/catch-up-rounds", "p_center_a");
  ASSERT_EQ(list.status, 200);
  EXPECT_FALSE(list.body["items"].empty());

  // Another district's center: not found, and the attempt is audited as denied.
  ApiReply other = api_->Get("/api/v1/immunization/catch-up-rounds/" + id, "p_center_b");
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(other.content_type.rfind("application/problem+json", 0), 0u);
  auto denied = DeniedRows("catch_up_round.read");
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied.front().value("username", ""), "p_center_b");
  EXPECT_EQ(denied.front().value("object_id", ""), id);
  ApiReply outside =
      api_->Post("/api/v1/immunization/catch-up-rounds", "p_center_b", {{"area", street_a_}});
  EXPECT_EQ(outside.status, 400);
  EXPECT_TRUE(HasFieldError(outside.body, "area", "outside_jurisdiction")) << outside.raw;
}

TEST_F(ImmunizationProgrammeTest, CampaignDoseCountsInItsCoverage) {
  Child three = CreateChild(36, street_a_, "活动儿童");
  Child infant = CreateChild(3, street_a_, "太小儿童");
  ApiReply c = api_->Post("/api/v1/immunization/campaigns", "p_center_a",
                          {{"name", "麻腮风应急接种"},
                           {"kind", "emergency"},
                           {"vaccine", "MMR"},
                           {"age_from_months", 8},
                           {"age_to_months", 179},
                           {"area", street_a_},
                           {"start_date", Iso(AddDays(Today(), -1))},
                           {"end_date", Iso(AddDays(Today(), 30))}});
  ASSERT_EQ(c.status, 201) << c.raw;
  const std::string id = c.body.value("id", "");
  EXPECT_EQ(c.body.value("kind_label", ""), "应急接种");
  EXPECT_EQ(c.body["coverage"].value("vaccinated", -1), 0);

  ApiReply dose =
      api_->Post("/api/v1/immunization/campaigns/" + id + "/doses", "p_center_a",
                 {{"person_id", three.id}, {"date", Iso(Today())}, {"clinic", street_a_}});
  ASSERT_EQ(dose.status, 201) << dose.raw;
  EXPECT_EQ(dose.body["record"].value("vaccine", ""), "MMR");
  EXPECT_EQ(dose.body["record"].value("campaign_id", ""), id);
  ApiReply young =
      api_->Post("/api/v1/immunization/campaigns/" + id + "/doses", "p_center_a",
                 {{"person_id", infant.id}, {"date", Iso(Today())}, {"clinic", street_a_}});
  EXPECT_EQ(young.status, 400);
  EXPECT_TRUE(HasFieldError(young.body, "person_id", "not_in_target")) << young.raw;

  ApiReply got = api_->Get("/api/v1/immunization/campaigns/" + id, "p_center_a");
  ASSERT_EQ(got.status, 200) << got.raw;
  const int targets = got.body["coverage"].value("targets", 0);
  EXPECT_GE(targets, 1);
  EXPECT_EQ(got.body["coverage"].value("vaccinated", -1), 1);
  EXPECT_NEAR(got.body["coverage"].value("rate", -1.0), 1.0 / targets, 1e-4);
  ApiReply list =
      api_->Get("/api/v1/immunization/campaigns/" + id + "/targets?page_size=200", "p_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body.value("total", -1), targets);
  const json* t = FindChild(list.body["items"], three.id);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->value("campaign_dose", ""), Iso(Today()));
  EXPECT_EQ(FindChild(list.body["items"], infant.id), nullptr);

  // Another district: neither the campaign nor a dose against it.
  ApiReply other = api_->Get("/api/v1/immunization/campaigns/" + id + "/targets", "p_center_b");
  EXPECT_EQ(other.status, 404) << other.raw;
  ApiReply other_dose =
      api_->Post("/api/v1/immunization/campaigns/" + id + "/doses", "p_center_b",
                 {{"person_id", three.id}, {"date", Iso(Today())}, {"clinic", street_b_}});
  EXPECT_EQ(other_dose.status, 404) << other_dose.raw;
  auto denied = DeniedRows("campaign.read");
  ASSERT_FALSE(denied.empty());
  EXPECT_EQ(denied.front().value("username", ""), "p_center_b");
  EXPECT_FALSE(DeniedRows("campaign.dose").empty());
}

TEST_F(ImmunizationProgrammeTest, EntryCheckReportsEveryChildAndEveryBadRow) {
  Child pupil = CreateChild(50, street_a_, "入园儿童");
  year_month_day stranger_birth = MonthsBefore(Today(), 48);
  std::string stranger_id = MakeResidentId("450803", Compact(stranger_birth), ++id_seq_);
  std::string csv = "儿童姓名,性别,出生日期,身份证号码,监护人姓名,监护人电话,幼儿园,班级\r\n";
  csv += "入园儿童,男," + Iso(pupil.birth) + "," + pupil.id_number +
         ",王芳,13900001111,阳光幼儿园,中班\r\n";
  csv += "外来儿童,女," + Iso(stranger_birth) + "," + stranger_id +
         ",李娜,13900002222,阳光幼儿园,中班\r\n";
  csv += "错误儿童,女,2020-02-30,,,,阳光幼儿园,中班\r\n";
  ApiReply check = api_->Call("POST", "/api/v1/immunization/entry-checks?file_name=roster.csv",
                              "p_center_a", csv, {}, "text/csv");
  ASSERT_EQ(check.status, 201) << check.raw;
  const std::string id = check.body.value("id", "");
  EXPECT_EQ(check.body.value("school", ""), "阳光幼儿园");
  EXPECT_EQ(check.body.value("rows_total", -1), 3);
  EXPECT_EQ(check.body.value("rows_invalid", -1), 1);
  EXPECT_EQ(check.body.value("needs_catch_up", -1), 1);
  EXPECT_EQ(check.body.value("not_found", -1), 1);
  ASSERT_EQ(check.body["rows"].size(), 2u);
  EXPECT_EQ(check.body["rows"][0].value("result", ""), "needs_catch_up");
  EXPECT_EQ(check.body["rows"][0].value("match_method", ""), "id_number");
  EXPECT_FALSE(check.body["rows"][0]["doses"].empty());
  EXPECT_EQ(check.body["rows"][1].value("result", ""), "not_found");
  EXPECT_EQ(check.body["rows"][1].value("id_number_masked", "").find(stranger_id),
            std::string::npos);
  ASSERT_EQ(check.body["errors"].size(), 2u) << check.raw;  // a bad date, nothing to match by
  for (const auto& e : check.body["errors"]) {
    EXPECT_EQ(e.value("row", 0), 3);
    EXPECT_FALSE(e.value("message_zh", "").empty());
    EXPECT_FALSE(e.value("message_en", "").empty());
  }
  EXPECT_EQ(check.body["errors"][0].value("column", ""), "出生日期");

  ApiReply report =
      api_->Get("/api/v1/immunization/entry-checks/" + id + "/export?list=report", "p_center_a");
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(report.content_type.rfind("text/csv", 0), 0u);
  EXPECT_EQ(report.raw.rfind("\xEF\xBB\xBF行号,儿童姓名", 0), 0u);
  EXPECT_EQ(report.raw.find(pupil.id_number), std::string::npos);
  ApiReply referral =
      api_->Get("/api/v1/immunization/entry-checks/" + id + "/export?list=referral&format=xlsx",
                "p_center_a");
  ASSERT_EQ(referral.status, 200);
  EXPECT_EQ(referral.raw.rfind("PK", 0), 0u);
  EXPECT_NE(referral.content_type.find("spreadsheetml"), std::string::npos);

  // The same roster as a browser form sends it.
  httplib::MultipartFormDataItems form = {{"file", csv, "班级名单.csv", "text/csv"}};
  ApiReply multipart =
      api_->PostForm("/api/v1/immunization/entry-checks?school=阳光幼儿园", "p_center_a", form);
  ASSERT_EQ(multipart.status, 201) << multipart.raw;
  EXPECT_EQ(multipart.body.value("file_name", ""), "班级名单.csv");
  EXPECT_EQ(multipart.body.value("not_found", -1), 1);

  ApiReply other = api_->Get("/api/v1/immunization/entry-checks/" + id, "p_center_b");
  EXPECT_EQ(other.status, 404);
  EXPECT_FALSE(DeniedRows("entry_check.read").empty());
  ApiReply junk = api_->Call("POST", "/api/v1/immunization/entry-checks?school=x", "p_center_a",
                             std::string("PK\x03\x04not really a zip"), {}, "text/csv");
  EXPECT_EQ(junk.status, 400) << junk.raw;
}

TEST_F(ImmunizationProgrammeTest, CoverageForTheStatisticsModule) {
  Child c = CreateChild(14, street_a_, "统计儿童");
  BirthDoses(c);
  const std::string cohort = Iso(c.birth).substr(0, 4);
  ApiReply r = api_->Get("/api/v1/immunization/coverage?org=" + district_a_ + "&cohort=" + cohort,
                         "p_finance");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["org"].value("code", ""), district_a_);
  EXPECT_EQ(r.body.value("timely_definition", ""), "before_completion_age");
  ASSERT_EQ(r.body["targets"].size(), 2u);
  ASSERT_GE(r.body["units"].size(), 2u);  // the district and its streets
  EXPECT_EQ(r.body["units"][0]["org"].value("code", ""), district_a_);
  bool street = false;
  for (const auto& u : r.body["units"]) street |= u["org"].value("code", "") == street_a_;
  EXPECT_TRUE(street);
  EXPECT_GE(r.body["units"][0].value("children", 0), 1);
  bool hepb1 = false;
  for (const auto& d : r.body["units"][0]["doses"]) {
    if (d.value("vaccine", "") == "HepB" && d.value("dose", 0) == 1) {
      hepb1 = true;
      EXPECT_GE(d.value("vaccinated", 0), 1);
      EXPECT_TRUE(d["meets"].contains("nip_coverage"));
    }
  }
  EXPECT_TRUE(hepb1) << r.raw;

  ApiReply other = api_->Get(
      "/api/v1/immunization/coverage?org=" + district_a_ + "&cohort=" + cohort, "p_center_b");
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_FALSE(DeniedRows("immunization.coverage").empty());
  ApiReply bad = api_->Get(
      "/api/v1/immunization/coverage?org=" + district_a_ + "&cohort=abcd&timely=x", "p_finance");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(HasFieldError(bad.body, "cohort", "invalid_value"));
  EXPECT_TRUE(HasFieldError(bad.body, "timely", "invalid_value"));
}

// The command line: a coverage report and an entry check writing its referral list.
TEST_F(ImmunizationProgrammeTest, CommandLineRunsTheProgramme) {
  Child c = CreateChild(30, street_a_, "命令行儿童");
  std::string roster = tmp_->File("roster.csv");
  WriteFileBytes(roster,
                 "姓名,出生日期,身份证号码\n命令行儿童," + Iso(c.birth) + "," + c.id_number + "\n");
  std::string referral = tmp_->File("referral.csv");
  CommandResult check = server_->Run(
      {"immunization", "entry-check", roster, "--school", "命令行幼儿园", "--referral", referral});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  json out = json::parse(check.out, nullptr, false);
  EXPECT_EQ(out.value("needs_catch_up", -1), 1) << check.out;
  std::string csv = ReadFileBytes(referral);
  EXPECT_NE(csv.find("命令行儿童"), std::string::npos);
  EXPECT_NE(csv.find("转介原因"), std::string::npos);

  CommandResult cov = server_->Run(
      {"immunization", "coverage", "--org", "450100", "--cohort", Iso(c.birth).substr(0, 4)});
  ASSERT_EQ(cov.exit_code, 0) << cov.err;
  EXPECT_GE(json::parse(cov.out, nullptr, false)["units"][0].value("children", 0), 1);
}

}  // namespace
}  // namespace jd::integration
