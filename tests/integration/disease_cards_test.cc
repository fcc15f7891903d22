// Infectious-disease case cards over the JSON API on the real `jundeng serve` (传染病信息报告管理
// 规范 2015): a card is reported and linked to the registry; a correction (订正) keeps the card as
// it stood, its version and reason; a report 30 hours after a 24-hour disease's diagnosis is late
// and one 6 hours after is not; bad input is problem+json with field errors; a user of another
// district gets 404 on a district-B card, audited as denied; HIV/TB cards are hidden from the
// district administration but not from the CDC; a partner gets 403; duplicates are found and
// merged with history on both; lists mask names and ID numbers. Times are relative to now.
#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Cards-Test-Passw0rd!";
constexpr const char* kCards = "/api/v1/disease/cards";

// The instant `hours` before now, "YYYY-MM-DDTHH:MM:SSZ".
std::string HoursAgo(int hours) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(hours) * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class DiseaseCardsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/17);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    ASSERT_FALSE(streets.street_b.empty());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    district_a_ = streets.district_a;
    server_->AddUser("dc_cdc_a", "cdc", district_a_, kPassword);
    server_->AddUser("dc_cdc_b", "cdc", streets.district_b, kPassword);
    server_->AddUser("dc_center_a", "center", street_a_, kPassword);
    server_->AddUser("dc_district_a", "district", district_a_, kPassword);
    server_->AddUser("dc_partner_a", "partner", district_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A measles card of an adult living in street A, diagnosed `diagnosed_hours_ago` and reported
  // now; `with` overrides members.
  static json Card(int diagnosed_hours_ago, const json& with = json::object()) {
    json body = {{"patient_name", "病例测试"},
                 {"sex", "male"},
                 {"birth_date", "1990-05-01"},
                 {"patient_belongs", "other_province"},
                 {"current_address", "测试路1号"},
                 {"address_unit", street_a_},
                 {"occupation", "民工"},
                 {"disease_code", "measles"},
                 {"case_class", "confirmed"},
                 {"onset_date", Iso(AddDays(Today(), -4))},
                 {"diagnosed_at", HoursAgo(diagnosed_hours_ago)},
                 {"reporting_doctor", "李医生"}};
    for (const auto& [k, v] : with.items()) body[k] = v;
    return body;
  }

  static json Create(const std::string& user, const json& body) {
    ApiReply r = api_->Post(kCards, user, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }

  static ApiReply Patch(const std::string& id, const std::string& user, const json& body,
                        const std::string& version) {
    httplib::Headers h;
    if (!version.empty()) h.emplace("If-Match", "\"" + version + "\"");
    return api_->Call("PATCH", std::string(kCards) + "/" + id, user, body.dump(), h);
  }

  static long long Rows(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  static long long DeniedRows(const std::string& username) {
    return Rows("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'",
                username);
  }

  static bool Lists(const json& list, const std::string& id) {
    for (const auto& c : list.value("items", json::array())) {
      if (c.value("id", "") == id) return true;
    }
    return false;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_, district_a_;
};

// 规范2015 附件: the card links the registry person of its ID number; a correction (订正) needs
// the version read and a reason, and keeps the card as it stood.
TEST_F(DiseaseCardsTest, ACorrectionKeepsHistory) {
  auto person = QueryRows(server_->db_path(),
                          "SELECT id, id_number FROM persons WHERE id_type = 'resident_id' AND "
                          "residence_path LIKE '%/' || ?1 || '/%' ORDER BY id LIMIT 1",
                          {street_a_});
  ASSERT_FALSE(person.empty());
  json card = Create("dc_cdc_a", Card(6, {{"id_number", person[0][1]}}));
  const std::string id = card.value("id", "");
  EXPECT_EQ(card.value("person_id", ""), person[0][0]);
  EXPECT_EQ(card.value("district_code", ""), district_a_);
  EXPECT_EQ(card.value("version", 0), 1);
  EXPECT_EQ(card.value("reporting_unit", ""), district_a_) << "the caller's unit by default";

  EXPECT_EQ(Patch(id, "dc_cdc_a", {{"occupation", "建筑工人"}, {"reason", "职业填错"}}, "").status,
            428);
  ExpectFieldProblem(Patch(id, "dc_cdc_a", {{"occupation", "建筑工人"}}, "1"), 400, "reason",
                     "required");
  ApiReply fixed = Patch(id, "dc_cdc_a", {{"occupation", "建筑工人"}, {"reason", "职业填错"}}, "1");
  ASSERT_EQ(fixed.status, 200) << fixed.raw;
  EXPECT_EQ(fixed.body.value("version", 0), 2);
  EXPECT_EQ(fixed.body.value("occupation", ""), "建筑工人");
  EXPECT_EQ(fixed.body.value("patient_name", ""), "病例测试") << "members not given stay";
  EXPECT_EQ(fixed.Header("ETag"), "\"2\"");
  EXPECT_EQ(Patch(id, "dc_cdc_a", {{"occupation", "农民"}, {"reason", "再改"}}, "1").status, 412);

  ApiReply read = api_->Get(std::string(kCards) + "/" + id, "dc_cdc_a");
  ASSERT_EQ(read.status, 200) << read.raw;
  ASSERT_EQ(read.body["revisions"].size(), 1u) << read.raw;
  const json& rev = read.body["revisions"][0];
  EXPECT_EQ(rev.value("version", 0), 1);
  EXPECT_EQ(rev.value("kind", ""), "correction");
  EXPECT_EQ(rev.value("reason", ""), "职业填错");
  EXPECT_EQ(rev["before"].value("occupation", ""), "民工");
  EXPECT_EQ(rev["before"].value("version", 0), 1);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM disease_card_revisions WHERE card_id = ?1", id), 1);
  EXPECT_GE(Rows("SELECT COUNT(*) FROM audit_log WHERE object_id = ?1 AND action = "
                 "'disease_card.correct'",
                 id),
            1);

  // Deleted with a reason: kept, with history; no longer corrected.
  ApiReply gone =
      api_->Post(std::string(kCards) + "/" + id + "/delete", "dc_cdc_a", {{"reason", "误报"}});
  ASSERT_EQ(gone.status, 200) << gone.raw;
  EXPECT_EQ(gone.body.value("status", ""), "deleted");
  EXPECT_EQ(gone.body["revisions"].size(), 2u);
  EXPECT_EQ(Patch(id, "dc_cdc_a", {{"notes", "x"}, {"reason", "y"}}, "3").status, 409);
}

// 规范2015 报告时限: 24 hours from the diagnosis for measles (Class B).
TEST_F(DiseaseCardsTest, ALateReportIsFlagged) {
  json late = Create("dc_cdc_a", Card(30));
  json timely = Create("dc_cdc_a", Card(6));
  EXPECT_TRUE(late.value("late", false)) << late.dump();
  EXPECT_FALSE(timely.value("late", true)) << timely.dump();
  EXPECT_EQ(late.value("report_limit_hours", 0), 24);

  ApiReply lates = api_->Get(std::string(kCards) + "?late=true&page_size=200", "dc_cdc_a");
  ASSERT_EQ(lates.status, 200) << lates.raw;
  EXPECT_TRUE(Lists(lates.body, late.value("id", "")));
  EXPECT_FALSE(Lists(lates.body, timely.value("id", "")));

  // Corrected to the true diagnosis time, the report is on time.
  ApiReply fixed = Patch(late.value("id", ""), "dc_cdc_a",
                         {{"diagnosed_at", HoursAgo(20)}, {"reason", "诊断时间订正"}}, "1");
  ASSERT_EQ(fixed.status, 200) << fixed.raw;
  EXPECT_FALSE(fixed.body.value("late", true));
}

TEST_F(DiseaseCardsTest, BadInputIsAProblemWithFieldErrors) {
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a",
                                Card(6, {{"onset_date", Iso(AddDays(Today(), -1))},
                                         {"diagnosed_at", HoursAgo(24 * 3)}})),
                     400, "onset_date", "after_diagnosis");
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a", Card(6, {{"disease_code", "ebola"}})), 400,
                     "disease_code", "unknown_disease");
  ExpectFieldProblem(
      api_->Post(kCards, "dc_cdc_a", Card(6, {{"onset_date", Iso(AddDays(Today(), 2))}})), 400,
      "onset_date", "in_future");
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a", Card(-5)), 400, "diagnosed_at", "in_future");
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a", Card(6, {{"case_class", "probable"}})), 400,
                     "case_class", "invalid_value");
  ExpectFieldProblem(
      api_->Post(kCards, "dc_cdc_a",
                 Card(6, {{"disease_code", "viral_hepatitis"}, {"disease_subtype", "b"}})),
      400, "chronicity", "required");
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a", Card(6, {{"birth_date", "2020-01-01"}})), 400,
                     "parent_name", "required");
  ExpectFieldProblem(api_->Post(kCards, "dc_cdc_a", Card(6, {{"address_unit", street_b_}})), 400,
                     "address_unit", "outside_jurisdiction");
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM disease_cards WHERE disease_code = ?1", "ebola"), 0);
}

TEST_F(DiseaseCardsTest, AnotherDistrictsCardIsNotFoundAndAudited) {
  json b = Create("dc_cdc_b", Card(6, {{"address_unit", street_b_}}));
  const std::string path = std::string(kCards) + "/" + b.value("id", "");
  ASSERT_EQ(api_->Get(path, "dc_cdc_b").status, 200);
  for (const std::string user : {"dc_cdc_a", "dc_district_a", "dc_center_a"}) {
    const long long before = DeniedRows(user);
    ApiReply r = api_->Get(path, user);
    EXPECT_EQ(r.status, 404) << user << " " << r.raw;
    EXPECT_EQ(r.raw.find("病例测试"), std::string::npos);
    EXPECT_EQ(DeniedRows(user), before + 1) << user;
  }
  EXPECT_EQ(Patch(b.value("id", ""), "dc_cdc_a", {{"notes", "x"}, {"reason", "y"}}, "1").status,
            404);
  ApiReply list = api_->Get(std::string(kCards) + "?page_size=200", "dc_cdc_a");
  EXPECT_FALSE(Lists(list.body, b.value("id", "")));
}

// HIV/AIDS and TB cards need hiv_tb_care: the CDC and the treating centre, not the district
// administration, which sees no such card and gets 404 on one (as if absent), audited.
TEST_F(DiseaseCardsTest, HivTbCardsOnlyForHivTbCare) {
  Create("dc_cdc_a", Card(6));
  json tb = Create("dc_cdc_a", Card(6, {{"disease_code", "tuberculosis"}}));
  const std::string id = tb.value("id", "");
  ApiReply cdc = api_->Get(std::string(kCards) + "?disease=tuberculosis", "dc_cdc_a");
  EXPECT_TRUE(Lists(cdc.body, id)) << cdc.raw;
  EXPECT_TRUE(Lists(api_->Get(std::string(kCards) + "?page_size=200", "dc_center_a").body, id));
  ApiReply district = api_->Get(std::string(kCards) + "?page_size=200", "dc_district_a");
  ASSERT_EQ(district.status, 200) << district.raw;
  EXPECT_FALSE(Lists(district.body, id));
  EXPECT_GT(district.body.value("total", 0), 0) << "other cards are listed";
  for (const auto& c : district.body["items"]) {
    EXPECT_NE(c.value("disease_code", ""), "tuberculosis");
    EXPECT_NE(c.value("disease_code", ""), "hiv_aids");
  }
  const long long before = DeniedRows("dc_district_a");
  ApiReply direct = api_->Get(std::string(kCards) + "/" + id, "dc_district_a");
  EXPECT_EQ(direct.status, 404) << direct.raw;
  EXPECT_EQ(DeniedRows("dc_district_a"), before + 1);
  EXPECT_EQ(api_->Get(std::string(kCards) + "/" + id, "dc_cdc_a").status, 200);
}

TEST_F(DiseaseCardsTest, PartnerNeverSeesCards) {
  json card = Create("dc_cdc_a", Card(6));
  EXPECT_EQ(api_->Get(kCards, "dc_partner_a").status, 403);
  EXPECT_EQ(api_->Get(std::string(kCards) + "/" + card.value("id", ""), "dc_partner_a").status,
            403);
  EXPECT_EQ(api_->Post(kCards, "dc_partner_a", Card(6)).status, 403);
  EXPECT_EQ(api_->Get("/api/v1/disease/catalogue", "dc_partner_a").status, 403);
  // The district administration reads cards but does not report them.
  EXPECT_EQ(api_->Post(kCards, "dc_district_a", Card(6)).status, 403);
}

// 规范2015 报告数据管理（查重）: the same person and disease within 30 days; the user merges.
TEST_F(DiseaseCardsTest, DuplicatesAreFoundAndMerged) {
  const std::string number = MakeResidentId("430528", "19880304", 911);
  json first = Create("dc_center_a", Card(24 * 5 + 2, {{"disease_code", "mumps"},
                                                       {"onset_date", Iso(AddDays(Today(), -7))},
                                                       {"id_number", number}}));
  json second = Create("dc_cdc_a", Card(6, {{"disease_code", "mumps"}, {"id_number", number}}));
  json other = Create("dc_cdc_a", Card(6, {{"disease_code", "measles"}, {"id_number", number}}));
  const std::string a = first.value("id", ""), b = second.value("id", "");
  ApiReply dups = api_->Get(std::string(kCards) + "/" + b + "/duplicates", "dc_cdc_a");
  ASSERT_EQ(dups.status, 200) << dups.raw;
  EXPECT_TRUE(Lists(dups.body, a));
  EXPECT_FALSE(Lists(dups.body, other.value("id", ""))) << "another disease";
  EXPECT_EQ(dups.body["items"].size(), 1u) << dups.raw;

  ExpectFieldProblem(
      api_->Post(std::string(kCards) + "/" + b + "/merge", "dc_cdc_a", {{"into", a}}), 400,
      "reason", "required");
  ApiReply merged = api_->Post(std::string(kCards) + "/" + b + "/merge", "dc_cdc_a",
                               {{"into", a}, {"reason", "重复报告"}});
  ASSERT_EQ(merged.status, 200) << merged.raw;
  EXPECT_EQ(merged.body.value("id", ""), a);
  EXPECT_EQ(merged.body.value("version", 0), 2);
  ASSERT_EQ(merged.body["revisions"].size(), 1u);
  EXPECT_EQ(merged.body["revisions"][0].value("kind", ""), "merge");
  ApiReply gone = api_->Get(std::string(kCards) + "/" + b, "dc_cdc_a");
  EXPECT_EQ(gone.body.value("status", ""), "merged");
  EXPECT_EQ(gone.body.value("merged_into", ""), a);
  EXPECT_EQ(gone.body["revisions"].size(), 1u);
  ApiReply after = api_->Get(std::string(kCards) + "/" + a + "/duplicates", "dc_cdc_a");
  EXPECT_EQ(after.body["items"].size(), 0u) << "a merged card is no longer a candidate";
  EXPECT_EQ(api_->Post(std::string(kCards) + "/" + b + "/merge", "dc_cdc_a",
                       {{"into", a}, {"reason", "再次合并"}})
                .status,
            409);
}

TEST_F(DiseaseCardsTest, ListsMaskNamesAndIdNumbers) {
  const std::string number = MakeResidentId("430528", "19920709", 913);
  json card = Create("dc_cdc_a", Card(6, {{"patient_name", "欧阳遮蔽"}, {"id_number", number}}));
  ApiReply list = api_->Get(std::string(kCards) + "?page_size=200", "dc_cdc_a");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.raw.find("欧阳遮蔽"), std::string::npos);
  EXPECT_EQ(list.raw.find(number), std::string::npos);
  bool found = false;
  for (const auto& c : list.body["items"]) {
    if (c.value("id", "") != card.value("id", "")) continue;
    found = true;
    EXPECT_EQ(c.value("patient_name", "").rfind("欧", 0), 0u) << c.dump();
    EXPECT_NE(c.value("id_number", ""), number);
  }
  EXPECT_TRUE(found);
  ApiReply one = api_->Get(std::string(kCards) + "/" + card.value("id", ""), "dc_cdc_a");
  EXPECT_EQ(one.body.value("patient_name", ""), "欧阳遮蔽") << "one card is shown whole";
}

TEST_F(DiseaseCardsTest, CatalogueOnADate) {
  ApiReply r = api_->Get("/api/v1/disease/catalogue?date=2022-12-01", "dc_district_a");
  ASSERT_EQ(r.status, 200) << r.raw;
  bool covid = false;
  for (const auto& d : r.body["items"]) {
    if (d.value("code", "") != "covid19") continue;
    covid = true;
    EXPECT_EQ(d.value("report_limit_hours", 0), 2);
    EXPECT_TRUE(d.value("managed_as_a", false));
  }
  EXPECT_TRUE(covid);
  ExpectFieldProblem(api_->Get("/api/v1/disease/catalogue?date=2022-13-01", "dc_district_a"), 400,
                     "date", "invalid_date");
}

}  // namespace
}  // namespace jd::integration
