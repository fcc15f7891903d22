// Referrals and the green channel over the JSON API on the real `jundeng serve` (孕产妇妊娠风险
// 评估与管理工作规范 2017 二(三); 试点方案 四(五) 重症新生儿急救转诊绿色通道): a red woman is
// referred, admitted, and closes in care only after the continuation decision; a critically ill
// newborn goes through the green channel with its three times and elapsed minutes; the centre's
// list and count show the open ones; another centre gets 404 (audited); bad input is problem+json
// with field errors. Times are relative to the server's now, in Beijing time.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Referral-Test-Passw0rd!";

// "YYYY-MM-DDTHH:MM" in Beijing time, `minutes` from now.
std::string MinutesFromNow(int minutes) {
  using namespace std::chrono;
  const auto local =
      floor<std::chrono::minutes>(system_clock::now() + hours{8} + std::chrono::minutes{minutes});
  const auto day = floor<days>(local);
  const hh_mm_ss hms(local - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return Iso(year_month_day(day)) + "T" + buf;
}

class ReferralTest : public ::testing::Test {
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
    server_->AddUser("rf_center_a", "center", street_a_, kPassword);
    server_->AddUser("rf_center_b", "center", streets.street_b, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::string CreateWoman() {
    std::string arrived = Iso(MonthsBefore(Today(), 14));
    json body = {{"name", "转诊测试"},
                 {"id_number", MakeResidentId("430528", "19930517", 2 * (++seq_))},
                 {"phone", "13912345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", community_a_},
                 {"residence_address", "测试路8号"},
                 {"left_hukou_on", arrived},
                 {"arrived_on", arrived},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", "rf_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static std::string Days(int n) { return Iso(AddDays(Today(), n)); }

  static long long Rows(const std::string& sql, const std::string& arg) {
    auto rows = QueryRows(server_->db_path(), sql, {arg});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static bool Listed(const std::string& user, const std::string& id, const std::string& query) {
    ApiReply list = api_->Get("/api/v1/referrals" + query, user);
    EXPECT_EQ(list.status, 200) << list.raw;
    for (const auto& item : list.body.value("items", json::array())) {
      if (item.value("id", "") == id) return true;
    }
    return false;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, community_a_;
  static inline int seq_ = 40;
};

// 工作规范 二(三): 红色 … 应当尽快到三级医疗机构接受评估以明确是否适宜继续妊娠.
TEST_F(ReferralTest, ARedWomanIsReferredAndClosesInCareAfterTheContinuationDecision) {
  const std::string woman = CreateWoman();
  ApiReply reg = api_->Post(
      "/api/v1/persons/" + woman + "/pregnancies", "rf_center_a",
      {{"lmp", Days(-100)}, {"registered_on", Days(-40)}, {"risk", {{"conditions", {"R1.1"}}}}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  ASSERT_EQ(reg.body["risk"]["colour"], "red") << reg.raw;

  const std::string path = "/api/v1/persons/" + woman + "/referrals";
  ApiReply made = api_->Post(path, "rf_center_a",
                             {{"kind", "high_risk"},
                              {"to_facility", "医科大学第一附属医院"},
                              {"called_at", MinutesFromNow(-180)}});
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string id = made.body.value("id", "");
  EXPECT_EQ(made.body["subject"], "mother");
  EXPECT_EQ(made.body["risk_colour"], "red");
  EXPECT_EQ(made.body["pregnancy_id"], reg.body["id"]);
  EXPECT_EQ(made.body["stage"], "called");
  EXPECT_EQ(made.body["continuation_pending"], true);
  EXPECT_GE(made.body["elapsed"]["open_minutes"].get<int>(), 179);
  EXPECT_TRUE(Listed("rf_center_a", id, ""));
  EXPECT_FALSE(Listed("rf_center_b", id, ""));

  const std::string one = "/api/v1/referrals/" + id;
  // A change names the version it was made on.
  ApiReply no_version = api_->Patch(one, "rf_center_a", {{"admitted_at", MinutesFromNow(-60)}});
  EXPECT_EQ(no_version.status, 428) << no_version.raw;
  ApiReply admitted =
      api_->Call("PATCH", one, "rf_center_a", json{{"admitted_at", MinutesFromNow(-60)}}.dump(),
                 {{"If-Match", "1"}});
  ASSERT_EQ(admitted.status, 200) << admitted.raw;
  EXPECT_EQ(admitted.body["stage"], "admitted");
  EXPECT_EQ(admitted.body["elapsed"]["call_to_admission_min"], 120);
  // Closing in care without the decision is refused.
  ApiReply early = api_->Call("PATCH", one, "rf_center_a", json{{"outcome", "managed"}}.dump(),
                              {{"If-Match", "2"}});
  EXPECT_EQ(early.status, 400) << early.raw;
  EXPECT_TRUE(HasFieldError(early.body, "continuation", "continuation_required")) << early.raw;
  ApiReply closed = api_->Call("PATCH", one, "rf_center_a",
                               json{{"continuation", "continue"}, {"outcome", "managed"}}.dump(),
                               {{"If-Match", "2"}});
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(closed.body["stage"], "closed");
  EXPECT_EQ(closed.body["continuation"], "continue");
  EXPECT_EQ(closed.body["continuation_on"], Iso(Today()));
  EXPECT_EQ(closed.body["continuation_pending"], false);
  EXPECT_FALSE(Listed("rf_center_a", id, ""));
  EXPECT_TRUE(Listed("rf_center_a", id, "?state=all"));
  // Closed: no more changes; a stale version is 412.
  ApiReply after = api_->Call("PATCH", one, "rf_center_a", json{{"outcome_note", "补记"}}.dump(),
                              {{"If-Match", "3"}});
  EXPECT_EQ(after.status, 409) << after.raw;
  ApiReply stale = api_->Call("PATCH", one, "rf_center_a", json{{"outcome_note", "补记"}}.dump(),
                              {{"If-Match", "1"}});
  EXPECT_EQ(stale.status, 412) << stale.raw;

  ApiReply mine = api_->Get(path, "rf_center_a");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["items"].size(), 1u);
  EXPECT_EQ(mine.body["items"][0]["outcome"], "managed");
  // Three writes (the call, the admission, the close), each audited with its change event; the
  // refused ones left nothing.
  EXPECT_EQ(
      Rows("SELECT COUNT(*) FROM audit_log WHERE object_id = ?1 AND action LIKE 'referral.%'", id),
      3);
  EXPECT_EQ(
      Rows("SELECT COUNT(*) FROM change_events WHERE entity = 'referral' AND entity_id = ?1", id),
      3);
}

// 试点方案 四(五): 构建重症新生儿急救转诊绿色通道.
TEST_F(ReferralTest, ACriticalNewbornGoesThroughTheGreenChannelWithItsTimes) {
  const std::string woman = CreateWoman();
  ApiReply reg = api_->Post("/api/v1/persons/" + woman + "/pregnancies", "rf_center_a",
                            {{"lmp", Days(-270)}, {"registered_on", Days(-200)}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  ApiReply delivered =
      api_->Post("/api/v1/pregnancies/" + reg.body.value("id", "") + "/delivery", "rf_center_a",
                 {{"delivered_on", Days(-3)},
                  {"newborns", {{{"sex", "F"}, {"birth_certificate_no", "R450011223"}}}}});
  ASSERT_EQ(delivered.status, 200) << delivered.raw;
  const std::string baby = delivered.body["newborns"][0].value("person_id", "");

  ApiReply green = api_->Post("/api/v1/persons/" + baby + "/referrals", "rf_center_a",
                              {{"kind", "green_channel"},
                               {"reason", "新生儿呼吸窘迫"},
                               {"to_facility", "市妇幼保健院NICU"},
                               {"called_at", MinutesFromNow(-95)},
                               {"transferred_at", MinutesFromNow(-80)}});
  ASSERT_EQ(green.status, 201) << green.raw;
  EXPECT_EQ(green.body["subject"], "newborn");
  EXPECT_EQ(green.body["pregnancy_id"], reg.body["id"]);
  EXPECT_EQ(green.body["stage"], "in_transfer");
  EXPECT_EQ(green.body["elapsed"]["call_to_transfer_min"], 15);
  EXPECT_EQ(green.body["continuation_pending"], false);
  EXPECT_TRUE(Listed("rf_center_a", green.body.value("id", ""), "?kind=green_channel"));
  EXPECT_FALSE(Listed("rf_center_a", green.body.value("id", ""), "?kind=high_risk"));
  ApiReply count = api_->Get("/api/v1/referrals?count_only=true", "rf_center_a");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_GE(count.body["total"].get<int>(), 1);
  EXPECT_EQ(count.body["items"].size(), 0u);

  ApiReply admitted =
      api_->Call("PATCH", "/api/v1/referrals/" + green.body.value("id", ""), "rf_center_a",
                 json{{"admitted_at", MinutesFromNow(-38)}}.dump(), {{"If-Match", "1"}});
  ASSERT_EQ(admitted.status, 200) << admitted.raw;
  EXPECT_EQ(admitted.body["elapsed"]["transfer_to_admission_min"], 42);
  EXPECT_EQ(admitted.body["elapsed"]["call_to_admission_min"], 57);
  // A continuation decision is a mother's.
  ApiReply wrong =
      api_->Call("PATCH", "/api/v1/referrals/" + green.body.value("id", ""), "rf_center_a",
                 json{{"continuation", "continue"}}.dump(), {{"If-Match", "2"}});
  EXPECT_EQ(wrong.status, 400) << wrong.raw;
  EXPECT_TRUE(HasFieldError(wrong.body, "continuation", "mother_only")) << wrong.raw;
}

TEST_F(ReferralTest, AnotherCentreIsRefusedAndBadInputIsAProblem) {
  const std::string woman = CreateWoman();
  ApiReply reg = api_->Post("/api/v1/persons/" + woman + "/pregnancies", "rf_center_a",
                            {{"lmp", Days(-60)}, {"registered_on", Days(-10)}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string path = "/api/v1/persons/" + woman + "/referrals";
  // Another centre: 404 for the person, audited as denied.
  const long long denied_before = Rows(
      "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'", "rf_center_b");
  ApiReply other =
      api_->Post(path, "rf_center_b",
                 {{"kind", "green_channel"}, {"reason", "出血"}, {"to_facility", "医院"}});
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(api_->Get(path, "rf_center_b").status, 404);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'",
                 "rf_center_b"),
            denied_before + 2);

  // A green woman is not on the referral list; the other mistakes come together.
  ApiReply bad = api_->Post(path, "rf_center_a",
                            {{"kind", "high_risk"},
                             {"to_facility", ""},
                             {"called_at", Days(-20) + "T10:00"},
                             {"admitted_at", MinutesFromNow(120)}});
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(bad.content_type.find("application/problem+json"), 0u);
  EXPECT_TRUE(HasFieldError(bad.body, "kind", "not_high_risk")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "to_facility", "required")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "called_at", "too_early")) << bad.raw;
  EXPECT_TRUE(HasFieldError(bad.body, "admitted_at", "in_future")) << bad.raw;
  ApiReply garbled =
      api_->Post(path, "rf_center_a",
                 {{"kind", "ambulance"}, {"to_facility", "医院"}, {"called_at", "昨天下午"}});
  EXPECT_EQ(garbled.status, 400) << garbled.raw;
  EXPECT_TRUE(HasFieldError(garbled.body, "kind", "invalid_value")) << garbled.raw;
  EXPECT_TRUE(HasFieldError(garbled.body, "called_at", "invalid_time")) << garbled.raw;
  // A woman with no pregnancy (and no newborn) is not referred through this programme.
  ApiReply not_pregnant =
      api_->Post("/api/v1/persons/" + CreateWoman() + "/referrals", "rf_center_a",
                 {{"kind", "green_channel"}, {"reason", "腹痛"}, {"to_facility", "医院"}});
  EXPECT_EQ(not_pregnant.status, 400) << not_pregnant.raw;
  EXPECT_TRUE(HasFieldError(not_pregnant.body, "person", "not_eligible")) << not_pregnant.raw;
  ApiReply list = api_->Get("/api/v1/referrals?state=closed", "rf_center_a");
  EXPECT_EQ(list.status, 400) << list.raw;
  EXPECT_TRUE(HasFieldError(list.body, "state", "invalid_value")) << list.raw;
  EXPECT_EQ(api_->Get("/api/v1/referrals/not-an-id", "rf_center_a").status, 404);
}

}  // namespace
}  // namespace jd::integration
