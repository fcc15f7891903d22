// Pre-pregnancy checks and folic acid over the JSON API, end to end on the real `jundeng serve`:
// a couple both registered, a check with results recorded on the woman and read back from both
// partners' records with the items each still lacks and the risk group; folic acid supplied and
// its status; another district's centre refused (404, audited); a partner outside the
// jurisdiction treated as unknown; and bad input as problem+json with field errors. A premarital
// medical check (婚前医学检查) recorded on one partner with its opinion, read back, refused when
// the opinion contradicts the findings, and refused to another district's centre.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Preconception-Test-7!";

class PreconceptionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/13);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "community" && u.parent_code == street_a_ && community_a_.empty()) {
        community_a_ = u.code;
      }
      if (u.level == "community" && u.parent_code == street_b_ && community_b_.empty()) {
        community_b_ = u.code;
      }
    }
    ASSERT_FALSE(community_a_.empty());
    ASSERT_FALSE(community_b_.empty());
    server_->AddUser("pc_center_a", "center", street_a_, kPassword);
    server_->AddUser("pc_center_b", "center", street_b_, kPassword);
    server_->AddUser("pc_village_a", "village", community_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A migrant born 1996 (odd `sex_seq`: a man, even: a woman) living in community A, or B for
  // `in_b`; their id.
  static std::string CreatePerson(int sex_seq, bool in_b = false) {
    const std::string arrived = Iso(MonthsBefore(Today(), 14));
    json body = {{"name", sex_seq % 2 ? "孕前男方" : "孕前女方"},
                 {"id_number", MakeResidentId("430528", "19960310", sex_seq + 2 * (++seq_))},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", in_b ? community_b_ : community_a_},
                 {"residence_address", "测试路18号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", in_b ? "pc_center_b" : "pc_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static bool HasFieldError(const ApiReply& r, const std::string& field, const std::string& code) {
    for (const auto& e : r.body.value("errors", json::array())) {
      if (e.value("field", "") == field && e.value("code", "") == code) return true;
    }
    return false;
  }

  static long long AuditRows(const std::string& username, const std::string& action,
                             const std::string& result) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND action = ?2 AND "
                          "result = ?3",
                          {username, action, result});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static std::string Checks(const std::string& id) {
    return "/api/v1/persons/" + id + "/preconception-checks";
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_, community_a_, community_b_;
  static inline int seq_ = 20;
};

// 技术服务规范(2010): the couple's check, recorded once and read from either partner's record.
TEST_F(PreconceptionTest, ACoupleCheckIsReadFromBothRecords) {
  const std::string woman = CreatePerson(2), man = CreatePerson(1);
  ASSERT_FALSE(woman.empty());
  ASSERT_FALSE(man.empty());
  const long long checks_before = AuditRows("pc_center_a", "preconception.check", "ok");
  json body = {{"check_date", Iso(AddDays(Today(), -3))},
               {"man_person_id", man},
               {"woman_items",
                {"education", "history", "physical_exam", "vaginal_discharge", "blood_routine",
                 "urine_routine", "blood_group", "blood_glucose", "alt", "hbv_five", "creatinine",
                 "tsh", "syphilis", "rubella_igg", "cmv", "toxoplasma", "risk_assessment"}},
               {"man_items", {"education", "history", "physical_exam", "syphilis"}},
               {"results",
                {{{"partner", "woman"}, {"item", "rubella_igg"}, {"value", "negative"}},
                 {{"partner", "woman"}, {"item", "syphilis"}, {"value", "negative"}},
                 {{"partner", "man"}, {"item", "syphilis"}, {"value", "negative"}}}},
               {"advice", "接种风疹疫苗，3个月后再计划怀孕"},
               {"planned_pregnancy_on", Iso(AddDays(Today(), 150))}};
  ApiReply r = api_->Post(Checks(woman), "pc_center_a", body);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["risk"]["group"], "high_risk");
  EXPECT_EQ(r.body["risk"]["reasons"], json({"woman:rubella_igg=negative"}));
  EXPECT_EQ(r.body["woman"]["missing"], json({"gyn_ultrasound"}));
  EXPECT_EQ(r.body["man"]["missing"], json({"urine_routine", "blood_group", "alt", "hbv_five",
                                            "creatinine", "risk_assessment"}));
  EXPECT_FALSE(r.body["complete"].get<bool>());
  EXPECT_EQ(r.body["man"]["name"], "孕前男方");
  EXPECT_EQ(AuditRows("pc_center_a", "preconception.check", "ok"), checks_before + 1);

  ApiReply hers = api_->Get(Checks(woman), "pc_center_a");
  ASSERT_EQ(hers.status, 200) << hers.raw;
  ASSERT_EQ(hers.body["items"].size(), 1u);
  EXPECT_EQ(hers.body["items"][0]["as"], "woman");
  EXPECT_EQ(hers.body["items"][0]["results"].size(), 3u);
  ApiReply his = api_->Get(Checks(man), "pc_center_a");
  ASSERT_EQ(his.status, 200) << his.raw;
  ASSERT_EQ(his.body["items"].size(), 1u);
  EXPECT_EQ(his.body["items"][0]["as"], "man");
  EXPECT_EQ(his.body["items"][0]["woman"]["name"], "孕前女方");
  EXPECT_EQ(his.body["items"][0]["id"], r.body["id"]);

  // A reader without infection_read (a village clinic) sees no syphilis result.
  ApiReply village = api_->Get(Checks(woman), "pc_village_a");
  ASSERT_EQ(village.status, 200) << village.raw;
  EXPECT_TRUE(village.body["items"][0]["infection_hidden"].get<bool>());
  for (const auto& res : village.body["items"][0]["results"]) EXPECT_NE(res["item"], "syphilis");

  ApiReply items = api_->Get("/api/v1/preconception/items", "pc_village_a");
  ASSERT_EQ(items.status, 200) << items.raw;
  EXPECT_EQ(items.body["items"].size(), 19u);
  EXPECT_EQ(items.body["folic_acid"]["dose_mg"], 0.4);

  // The change event for the statistics names the woman.
  auto events = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM change_events WHERE entity = 'preconception' AND "
                          "person_id = ?1",
                          {woman});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0][0], "1");
}

// 增补叶酸: supplied before the window opens, the plan is on track and dated by the planned day.
TEST_F(PreconceptionTest, FolicAcidSuppliedAndItsStatus) {
  const std::string woman = CreatePerson(2);
  ApiReply none = api_->Get("/api/v1/persons/" + woman + "/folic-acid", "pc_center_a");
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_EQ(none.body["plan"]["status"], "not_started");
  EXPECT_EQ(none.body["plan"]["anchor"], "none");
  ApiReply check = api_->Post(Checks(woman), "pc_center_a",
                              {{"man_name", "未登记男方"},
                               {"woman_items", {"education"}},
                               {"planned_pregnancy_on", Iso(AddDays(Today(), 150))}});
  ASSERT_EQ(check.status, 201) << check.raw;
  EXPECT_EQ(check.body["man"]["registered"], false);
  EXPECT_EQ(check.body["man"]["name"], "未登记男方");
  ApiReply supply =
      api_->Post("/api/v1/persons/" + woman + "/folic-acid", "pc_center_a",
                 {{"supplied_on", Iso(AddDays(Today(), -10))}, {"quantity_days", 90}});
  ASSERT_EQ(supply.status, 201) << supply.raw;
  ApiReply status = api_->Get("/api/v1/persons/" + woman + "/folic-acid", "pc_center_a");
  ASSERT_EQ(status.status, 200) << status.raw;
  EXPECT_EQ(status.body["supplies"].size(), 1u);
  EXPECT_EQ(status.body["plan"]["anchor"], "planned");
  EXPECT_EQ(status.body["plan"]["status"], "on_track");
  EXPECT_EQ(status.body["plan"]["started_on"], Iso(AddDays(Today(), -10)));
  EXPECT_EQ(status.body["plan"]["covered_until"], Iso(AddDays(Today(), 79)));
  EXPECT_GE(AuditRows("pc_center_a", "folic_acid.supply", "ok"), 1);
}

TEST_F(PreconceptionTest, AnotherDistrictsCentreIsRefusedAndAudited) {
  const std::string woman = CreatePerson(2);
  const long long denied_read = AuditRows("pc_center_b", "preconception.read", "denied");
  ApiReply read = api_->Get(Checks(woman), "pc_center_b");
  EXPECT_EQ(read.status, 404) << read.raw;
  EXPECT_EQ(read.content_type.find("application/problem+json"), 0u);
  EXPECT_EQ(AuditRows("pc_center_b", "preconception.read", "denied"), denied_read + 1);
  ApiReply folic = api_->Get("/api/v1/persons/" + woman + "/folic-acid", "pc_center_b");
  EXPECT_EQ(folic.status, 404) << folic.raw;
  EXPECT_EQ(AuditRows("pc_center_b", "preconception.read", "denied"), denied_read + 2);
  const long long denied_write = AuditRows("pc_center_b", "folic_acid.supply", "denied");
  ApiReply supply = api_->Post("/api/v1/persons/" + woman + "/folic-acid", "pc_center_b",
                               {{"quantity_days", 30}});
  EXPECT_EQ(supply.status, 404) << supply.raw;
  EXPECT_EQ(AuditRows("pc_center_b", "folic_acid.supply", "denied"), denied_write + 1);
  ApiReply check = api_->Post(Checks(woman), "pc_center_b",
                              {{"man_name", "某某"}, {"woman_items", {"education"}}});
  EXPECT_EQ(check.status, 404) << check.raw;
  EXPECT_EQ(AuditRows("pc_center_b", "preconception.check", "denied"), 1);

  // A man of district B is unknown to district A's centre, and the attempt is audited.
  const std::string man_b = CreatePerson(1, /*in_b=*/true);
  const long long denied_a = AuditRows("pc_center_a", "preconception.check", "denied");
  ApiReply partner = api_->Post(Checks(woman), "pc_center_a",
                                {{"man_person_id", man_b}, {"woman_items", {"education"}}});
  EXPECT_EQ(partner.status, 400) << partner.raw;
  EXPECT_TRUE(HasFieldError(partner, "man_person_id", "not_found")) << partner.raw;
  EXPECT_EQ(AuditRows("pc_center_a", "preconception.check", "denied"), denied_a + 1);
}

TEST_F(PreconceptionTest, BadInputIsProblemJsonWithFieldErrors) {
  const std::string woman = CreatePerson(2), other_woman = CreatePerson(2);
  auto post = [&](const json& body) {
    ApiReply r = api_->Post(Checks(woman), "pc_center_a", body);
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(r.content_type.find("application/problem+json"), 0u) << r.content_type;
    return r;
  };
  ApiReply future = post({{"check_date", Iso(AddDays(Today(), 2))}, {"man_name", "某"}});
  EXPECT_TRUE(HasFieldError(future, "check_date", "in_future")) << future.raw;
  ApiReply before = post({{"check_date", "1990-01-01"}, {"man_name", "某"}});
  EXPECT_TRUE(HasFieldError(before, "check_date", "before_birth")) << before.raw;
  ApiReply item =
      post({{"man_name", "某"},
            {"woman_items", {"hiv", "syphilis"}},
            {"man_items", {"gyn_ultrasound"}},
            {"results", {{{"partner", "woman"}, {"item", "syphilis"}, {"value", "maybe"}}}}});
  EXPECT_TRUE(HasFieldError(item, "woman_items[0]", "unknown_item")) << item.raw;
  EXPECT_TRUE(HasFieldError(item, "man_items[0]", "not_for_partner")) << item.raw;
  EXPECT_TRUE(HasFieldError(item, "results[0]", "invalid_value")) << item.raw;
  ApiReply same = post({{"man_person_id", other_woman}});
  EXPECT_TRUE(HasFieldError(same, "man_person_id", "same_sex")) << same.raw;
  ApiReply unknown = post({{"man_person_id", "00000000-0000-4000-8000-000000000000"}});
  EXPECT_TRUE(HasFieldError(unknown, "man_person_id", "not_found")) << unknown.raw;
  ApiReply nobody = post({{"woman_items", {"education"}}});
  EXPECT_TRUE(HasFieldError(nobody, "man", "required")) << nobody.raw;
  for (int days : {0, 181}) {
    ApiReply r = api_->Post("/api/v1/persons/" + woman + "/folic-acid", "pc_center_a",
                            {{"quantity_days", days}});
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_TRUE(HasFieldError(r, "quantity_days", "out_of_range")) << r.raw;
  }
  ApiReply text = api_->Post("/api/v1/persons/" + woman + "/folic-acid", "pc_center_a",
                             {{"quantity_days", "thirty"}});
  EXPECT_TRUE(HasFieldError(text, "quantity_days", "wrong_type")) << text.raw;
  // Nothing of the refused writes was stored.
  ApiReply list = api_->Get(Checks(woman), "pc_center_a");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.body["items"].empty());
}

// 母婴保健法 第八、九条: the man's check with syphilis in its infectious period calls for
// 建议暂缓结婚; the partner is the registered woman; a village clinic without infection_read sees
// the opinion but not the infectious finding.
TEST_F(PreconceptionTest, APremaritalCheckIsRecordedWithItsOpinion) {
  const std::string man = CreatePerson(1), woman = CreatePerson(2);
  const std::string path = "/api/v1/persons/" + man + "/premarital-checks";
  json body = {{"check_date", Iso(AddDays(Today(), -1))},
               {"partner_person_id", woman},
               {"findings",
                {{{"category", "genetic"}, {"state", "none"}},
                 {{"category", "infectious"},
                  {"state", "infectious_period"},
                  {"disease", "syphilis"},
                  {"diagnosis", "二期梅毒"}},
                 {{"category", "mental"}, {"state", "none"}}}},
               {"opinion", "postpone_marriage"},
               {"advice", "规范治疗后复查"}};
  ApiReply r = api_->Post(path, "pc_center_a", body);
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body["opinion"]["code"], "postpone_marriage");
  EXPECT_EQ(r.body["opinion"]["label_zh"], "建议暂缓结婚");
  EXPECT_EQ(r.body["opinion"]["reasons"], json({"infectious:syphilis=infectious_period"}));
  EXPECT_EQ(r.body["partner"]["person_id"], woman);
  EXPECT_TRUE(r.body["partner"]["registered"].get<bool>());
  ApiReply list = api_->Get(path, "pc_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["opinion"]["code"], "postpone_marriage");
  EXPECT_EQ(list.body["items"][0]["findings"].size(), 3u);
  EXPECT_EQ(list.body["items"][0]["partner"]["name"], "孕前女方");
  EXPECT_EQ(AuditRows("pc_center_a", "premarital.check", "ok"), 1);
  ApiReply village = api_->Get(path, "pc_village_a");
  ASSERT_EQ(village.status, 200) << village.raw;
  EXPECT_TRUE(village.body["items"][0]["infection_hidden"].get<bool>());
  EXPECT_EQ(village.body["items"][0]["opinion"]["code"], "postpone_marriage");
  for (const auto& f : village.body["items"][0]["findings"]) EXPECT_NE(f["category"], "infectious");
  EXPECT_TRUE(village.body["items"][0]["opinion"]["reasons"].empty());
  // A partner typed by name, nothing found.
  ApiReply typed = api_->Post("/api/v1/persons/" + woman + "/premarital-checks", "pc_center_a",
                              {{"partner_name", "某某"}, {"opinion", "no_contraindication"}});
  ASSERT_EQ(typed.status, 201) << typed.raw;
  EXPECT_FALSE(typed.body["partner"]["registered"].get<bool>());
  EXPECT_EQ(typed.body["partner"]["name"], "某某");
  // Another district's centre: 404, audited as denied.
  ApiReply other = api_->Get(path, "pc_center_b");
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(other.content_type.find("application/problem+json"), 0u);
  ApiReply other_post = api_->Post(path, "pc_center_b", body);
  EXPECT_EQ(other_post.status, 404) << other_post.raw;
  EXPECT_GE(AuditRows("pc_center_b", "premarital.check", "denied"), 1);
}

TEST_F(PreconceptionTest, APremaritalCheckWithBadInputIsRefused) {
  const std::string woman = CreatePerson(2), other_woman = CreatePerson(2);
  const std::string path = "/api/v1/persons/" + woman + "/premarital-checks";
  auto post = [&](const json& body) {
    ApiReply r = api_->Post(path, "pc_center_a", body);
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(r.content_type.find("application/problem+json"), 0u) << r.raw;
    return r;
  };
  // 第九条: syphilis in its infectious period does not allow 未发现医学上不宜结婚情形.
  ApiReply contra = post(
      {{"partner_name", "某"},
       {"findings",
        {{{"category", "infectious"}, {"state", "infectious_period"}, {"disease", "syphilis"}}}},
       {"opinion", "no_contraindication"}});
  EXPECT_TRUE(HasFieldError(contra, "opinion", "contradicts_findings")) << contra.raw;
  ApiReply future = post({{"partner_name", "某"},
                          {"check_date", Iso(AddDays(Today(), 2))},
                          {"opinion", "no_contraindication"}});
  EXPECT_TRUE(HasFieldError(future, "check_date", "in_future")) << future.raw;
  ApiReply category = post({{"partner_name", "某"},
                            {"findings", {{{"category", "dental"}, {"state", "none"}}}},
                            {"opinion", "no_contraindication"}});
  EXPECT_TRUE(HasFieldError(category, "findings[0].category", "unknown_category")) << category.raw;
  ApiReply same = post({{"partner_person_id", other_woman}, {"opinion", "no_contraindication"}});
  EXPECT_TRUE(HasFieldError(same, "partner_person_id", "same_sex")) << same.raw;
  ApiReply nobody = post({{"opinion", "no_contraindication"}});
  EXPECT_TRUE(HasFieldError(nobody, "partner", "required")) << nobody.raw;
  EXPECT_TRUE(HasFieldError(post({{"partner_name", "某"}}), "opinion", "required"));
  ApiReply list = api_->Get(path, "pc_center_a");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.body["items"].empty());
}

}  // namespace
}  // namespace jd::integration
