// PMTCT over the JSON API on the real `jundeng serve` (预防艾滋病、梅毒和乙肝母婴传播工作规范
// （2020年版）): a positive HIV test in pregnancy opens the follow-up of the mother (ART due from
// the diagnosis) and, once the delivery registers the baby, of the infant (ARV prophylaxis within
// 6 hours, due through the day after birth), both read through /persons/{id}/pmtct; the risk colour
// turns purple; a village clinic without infection_read learns nothing (audited as denied), another
// centre gets 404 (audited); bad input is problem+json with field errors. Dates are relative to
// the server's today.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Pmtct-Test-Passw0rd!";

class PmtctTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/13);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "community" && community_a_.empty() && u.parent_code == street_a_) {
        community_a_ = u.code;
      }
    }
    ASSERT_FALSE(streets.street_b.empty());
    ASSERT_FALSE(community_a_.empty());
    server_->AddUser("pm_center_a", "center", street_a_, kPassword);
    server_->AddUser("pm_center_b", "center", streets.street_b, kPassword);
    server_->AddUser("pm_village_a", "village", community_a_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A woman born 1995 living in community A; her id.
  static std::string CreateWoman() {
    std::string arrived = Iso(MonthsBefore(Today(), 14));
    json body = {{"name", "阻断测试"},
                 {"id_number", MakeResidentId("430528", "19950412", 2 * (++seq_))},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "测试路28号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", "pm_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  // Her pregnancy, registered at 8+4 weeks, `lmp` days from today.
  static std::string Register(const std::string& woman, int lmp) {
    ApiReply r = api_->Post("/api/v1/persons/" + woman + "/pregnancies", "pm_center_a",
                            {{"lmp", Days(lmp)}, {"registered_on", Days(lmp + 60)}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  // The item `code` of the plan of `subject` in the first case of a /pmtct answer.
  static json Item(const json& pmtct, const std::string& subject, const std::string& code) {
    for (const auto& c : pmtct.value("items", json::array())) {
      for (const auto& plan : c.value("plans", json::array())) {
        if (plan.value("subject", "") != subject) continue;
        for (const auto& item : plan.value("items", json::array())) {
          if (item.value("code", "") == code) return item;
        }
      }
    }
    ADD_FAILURE() << "no " << subject << " item " << code << " in " << pmtct.dump();
    return json::object();
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
  static inline int seq_ = 20;
};

// 规范2020 二、工作内容: ART for the mother as soon as HIV is found; ARV prophylaxis for the baby
// within 6 hours of birth.
TEST_F(PmtctTest, APositiveHivTestOpensPmtctForMotherAndInfant) {
  const std::string woman = CreateWoman();
  const std::string id = Register(woman, -275);
  const std::string tests = "/api/v1/pregnancies/" + id + "/infection-tests";
  ApiReply syphilis =
      api_->Post(tests, "pm_center_a",
                 {{"infection", "syphilis"}, {"result", "negative"}, {"tested_on", Days(-215)}});
  ASSERT_EQ(syphilis.status, 201) << syphilis.raw;
  EXPECT_EQ(syphilis.body["opened_case"], nullptr);
  EXPECT_EQ(syphilis.body["cases"].size(), 0u);

  ApiReply hiv = api_->Post(tests, "pm_center_a",
                            {{"infection", "hiv"}, {"result", "positive"}, {"tested_on", Days(0)}});
  ASSERT_EQ(hiv.status, 201) << hiv.raw;
  ASSERT_TRUE(hiv.body["opened_case"].is_object()) << hiv.raw;
  const std::string case_id = hiv.body["opened_case"].value("id", "");
  EXPECT_EQ(hiv.body["opened_case"]["diagnosed_on"], Days(0));
  EXPECT_EQ(hiv.body["tests"].size(), 2u);
  // A risk fact: purple beside the colour, and the woman is on the high-risk register.
  EXPECT_EQ(hiv.body["risk"]["coexisting"], json::array({"purple"}));
  ApiReply pregnancy = api_->Get("/api/v1/pregnancies/" + id, "pm_center_a");
  ASSERT_EQ(pregnancy.status, 200) << pregnancy.raw;
  EXPECT_EQ(pregnancy.body["risk"]["coexisting"], json::array({"purple"}));
  bool on_register = false;
  ApiReply reg = api_->Get("/api/v1/maternal/high-risk", "pm_center_a");
  for (const auto& item : reg.body.value("items", json::array())) {
    if (item.value("id", "") == id) on_register = true;
  }
  EXPECT_TRUE(on_register) << reg.raw;
  // A second positive test of the same infection opens no second case.
  ApiReply again = api_->Post(
      tests, "pm_center_a", {{"infection", "hiv"}, {"result", "positive"}, {"tested_on", Days(0)}});
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["opened_case"], nullptr);
  EXPECT_EQ(again.body["cases"].size(), 1u);

  // Before the delivery: the mother's items only, ART due from today.
  ApiReply mother = api_->Get("/api/v1/persons/" + woman + "/pmtct", "pm_center_a");
  ASSERT_EQ(mother.status, 200) << mother.raw;
  ASSERT_EQ(mother.body["items"].size(), 1u) << mother.raw;
  EXPECT_EQ(mother.body["items"][0]["infection"], "hiv");
  EXPECT_EQ(mother.body["items"][0]["plans"].size(), 1u);
  json art = Item(mother.body, "mother", "mother_hiv_art");
  EXPECT_EQ(art["status"], "due");
  EXPECT_EQ(art["due"], Days(0));
  EXPECT_EQ(mother.body["tests"].size(), 3u);
  EXPECT_EQ(mother.body["infection_hidden"], false);
  // An infant's item before the delivery is refused.
  const std::string records = "/api/v1/pmtct-cases/" + case_id + "/records";
  ApiReply unborn = api_->Post(records, "pm_center_a", {{"item", "infant_arv_start"}});
  EXPECT_EQ(unborn.status, 400) << unborn.raw;
  EXPECT_TRUE(HasFieldError(unborn.body, "item", "not_born")) << unborn.raw;

  ApiReply delivered =
      api_->Post("/api/v1/pregnancies/" + id + "/delivery", "pm_center_a",
                 {{"delivered_on", Days(0)},
                  {"newborns", {{{"sex", "M"}, {"birth_certificate_no", "R450098765"}}}}});
  ASSERT_EQ(delivered.status, 200) << delivered.raw;
  ASSERT_EQ(delivered.body["newborns"].size(), 1u) << delivered.raw;
  const std::string baby = delivered.body["newborns"][0].value("person_id", "");

  // The infant's own view: his items only, ARV prophylaxis due through the day after birth.
  ApiReply infant = api_->Get("/api/v1/persons/" + baby + "/pmtct", "pm_center_a");
  ASSERT_EQ(infant.status, 200) << infant.raw;
  ASSERT_EQ(infant.body["items"].size(), 1u) << infant.raw;
  ASSERT_EQ(infant.body["items"][0]["plans"].size(), 1u) << infant.raw;
  EXPECT_EQ(infant.body["items"][0]["plans"][0]["subject"], "infant");
  EXPECT_EQ(infant.body["items"][0]["plans"][0]["person_id"], baby);
  json arv = Item(infant.body, "infant", "infant_arv_start");
  EXPECT_EQ(arv["status"], "due");
  EXPECT_EQ(arv["due"], Days(0));
  EXPECT_EQ(arv["window_end"], Days(1));
  EXPECT_EQ(arv["within_hours"], 6);
  EXPECT_EQ(infant.raw.find("mother_hiv_art"), std::string::npos) << infant.raw;

  // Items that do not apply, and dates out of place.
  ApiReply hbig = api_->Post(records, "pm_center_a", {{"item", "infant_hbig"}});
  EXPECT_EQ(hbig.status, 400) << hbig.raw;
  EXPECT_TRUE(HasFieldError(hbig.body, "item", "not_applicable")) << hbig.raw;
  ApiReply six = api_->Post(records, "pm_center_a", {{"item", "infant_arv_6w"}});
  EXPECT_TRUE(HasFieldError(six.body, "item", "not_applicable")) << six.raw;
  ApiReply unknown = api_->Post(records, "pm_center_a", {{"item", "infant_vitamin_k"}});
  EXPECT_TRUE(HasFieldError(unknown.body, "item", "unknown_item")) << unknown.raw;
  ApiReply future =
      api_->Post(records, "pm_center_a", {{"item", "infant_arv_start"}, {"done_on", Days(1)}});
  EXPECT_TRUE(HasFieldError(future.body, "done_on", "in_future")) << future.raw;
  ApiReply before_birth =
      api_->Post(records, "pm_center_a", {{"item", "infant_arv_start"}, {"done_on", Days(-1)}});
  EXPECT_TRUE(HasFieldError(before_birth.body, "done_on", "before_birth")) << before_birth.raw;
  ApiReply mothers_baby =
      api_->Post(records, "pm_center_a", {{"item", "mother_hiv_art"}, {"infant_person_id", baby}});
  EXPECT_TRUE(HasFieldError(mothers_baby.body, "infant_person_id", "not_for_mother"))
      << mothers_baby.raw;
  EXPECT_EQ(unknown.content_type.find("application/problem+json"), 0u);

  ApiReply done =
      api_->Post(records, "pm_center_a", {{"item", "infant_arv_start"}, {"done_on", Days(0)}});
  ASSERT_EQ(done.status, 201) << done.raw;
  ApiReply after = api_->Get("/api/v1/persons/" + baby + "/pmtct", "pm_center_a");
  ASSERT_EQ(after.status, 200) << after.raw;
  json arv_done = Item(after.body, "infant", "infant_arv_start");
  EXPECT_EQ(arv_done["status"], "done");
  EXPECT_EQ(arv_done["done_on"], Days(0));
  EXPECT_EQ(arv_done["done_on_time"], true);
  // The mother's view has her items and the baby's.
  ApiReply both = api_->Get("/api/v1/persons/" + woman + "/pmtct", "pm_center_a");
  ASSERT_EQ(both.status, 200) << both.raw;
  EXPECT_EQ(both.body["items"][0]["plans"].size(), 2u) << both.raw;
  EXPECT_EQ(Item(both.body, "infant", "infant_arv_start")["status"], "done");
  EXPECT_EQ(Item(both.body, "mother", "mother_hiv_art")["status"], "due");

  // Every write and read is audited.
  for (const char* action : {"pregnancy.infection_test", "pmtct.record", "pmtct.read"}) {
    EXPECT_GE(Rows("SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND result = 'ok'", action), 1)
        << action;
  }

  // A village clinic (no infection_read) gets the same empty answer for everyone, audited as
  // denied, and may not record a test; another centre is told there is no such person.
  long long denied = DeniedRows("pm_village_a");
  for (const std::string& person : {woman, baby}) {
    ApiReply village = api_->Get("/api/v1/persons/" + person + "/pmtct", "pm_village_a");
    ASSERT_EQ(village.status, 200) << village.raw;
    EXPECT_EQ(village.body["items"], json::array());
    EXPECT_EQ(village.body["tests"], json::array());
    EXPECT_EQ(village.body["infection_hidden"], true);
    EXPECT_EQ(village.raw.find("hiv"), std::string::npos) << village.raw;
  }
  EXPECT_EQ(DeniedRows("pm_village_a"), denied + 2);
  EXPECT_EQ(
      api_->Post(tests, "pm_village_a", {{"infection", "hbv"}, {"result", "negative"}}).status,
      403);
  EXPECT_EQ(api_->Post(records, "pm_village_a", {{"item", "mother_hiv_art"}}).status, 403);
  denied = DeniedRows("pm_center_b");
  ApiReply foreign = api_->Get("/api/v1/persons/" + woman + "/pmtct", "pm_center_b");
  EXPECT_EQ(foreign.status, 404) << foreign.raw;
  ApiReply foreign_record = api_->Post(records, "pm_center_b", {{"item", "mother_hiv_art"}});
  EXPECT_EQ(foreign_record.status, 404) << foreign_record.raw;
  EXPECT_EQ(DeniedRows("pm_center_b"), denied + 2);
}

TEST_F(PmtctTest, BadTestInputIsAFieldErrorAndNothingIsWritten) {
  const std::string woman = CreateWoman();
  const std::string id = Register(woman, -100);
  const std::string tests = "/api/v1/pregnancies/" + id + "/infection-tests";
  ApiReply infection =
      api_->Post(tests, "pm_center_a", {{"infection", "hcv"}, {"result", "positive"}});
  EXPECT_EQ(infection.status, 400) << infection.raw;
  EXPECT_EQ(infection.content_type.find("application/problem+json"), 0u);
  EXPECT_TRUE(HasFieldError(infection.body, "infection", "invalid_value")) << infection.raw;
  ApiReply result = api_->Post(tests, "pm_center_a", {{"infection", "hiv"}, {"result", "weak"}});
  EXPECT_TRUE(HasFieldError(result.body, "result", "invalid_value")) << result.raw;
  ApiReply missing = api_->Post(tests, "pm_center_a", json::object());
  EXPECT_TRUE(HasFieldError(missing.body, "infection", "required")) << missing.raw;
  EXPECT_TRUE(HasFieldError(missing.body, "result", "required")) << missing.raw;
  ApiReply early =
      api_->Post(tests, "pm_center_a",
                 {{"infection", "hbv"}, {"result", "positive"}, {"tested_on", Days(-41)}});
  EXPECT_TRUE(HasFieldError(early.body, "tested_on", "before_registration")) << early.raw;
  ApiReply future = api_->Post(
      tests, "pm_center_a", {{"infection", "hbv"}, {"result", "positive"}, {"tested_on", Days(1)}});
  EXPECT_TRUE(HasFieldError(future.body, "tested_on", "in_future")) << future.raw;
  ApiReply read = api_->Get("/api/v1/persons/" + woman + "/pmtct", "pm_center_a");
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["tests"].size(), 0u) << "no refused test was kept";
  EXPECT_EQ(read.body["items"].size(), 0u);

  // Hepatitis B: a case of its own, the carrier condition Y2.3 (yellow), no purple.
  ApiReply hbv = api_->Post(tests, "pm_center_a",
                            {{"infection", "hbv"}, {"result", "positive"}, {"tested_on", Days(0)}});
  ASSERT_EQ(hbv.status, 201) << hbv.raw;
  EXPECT_EQ(hbv.body["risk"]["colour"], "yellow");
  EXPECT_EQ(hbv.body["risk"]["coexisting"], json::array());
  ApiReply cases = api_->Get("/api/v1/persons/" + woman + "/pmtct", "pm_center_a");
  ASSERT_EQ(cases.body["items"].size(), 1u) << cases.raw;
  EXPECT_EQ(Item(cases.body, "mother", "mother_hbv_dna")["status"], "due");
  EXPECT_EQ(
      api_->Get("/api/v1/persons/00000000-0000-4000-8000-000000000000/pmtct", "pm_center_a").status,
      404);
}

}  // namespace
}  // namespace jd::integration
