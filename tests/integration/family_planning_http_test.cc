// The family-planning records over the JSON API on the real `jundeng serve` (南宁市实施办法
// 四(七)): a centre records a method, a distribution of free contraceptives, a procedure with its
// follow-up days, a check and guidance for a woman of its street, and the year's free-service
// coverage of its register rises with the distribution; an anonymous machine distribution is
// recorded at a point of its street; another district's centre neither reads nor writes her
// (404, audited as denied); roles without family_planning get 403; bad input is problem+json with
// field errors (quantity, wrong sex, future date, unknown item, yearly cap); a voided row stays
// and no longer counts; reward facts are evaluated and listed for payment (masked for finance).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Family-Planning-Passw0rd!";
const std::string kBase = "/api/v1/family-planning";

class FamilyPlanningHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/2000, /*seed=*/29);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    ASSERT_FALSE(street_b_.empty());
    server_->AddUser("fp_center_a", "center", street_a_, kPassword);
    server_->AddUser("fp_center_b", "center", street_b_, kPassword);
    server_->AddUser("fp_village_a", "village", street_a_, kPassword);
    server_->AddUser("fp_district_a", "district", streets.district_a, kPassword);
    server_->AddUser("fp_finance_a", "finance", streets.district_a, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::string PathOf(const std::string& code) {
    auto rows = QueryRows(server_->db_path(), "SELECT path FROM org_units WHERE code = ?1", {code});
    return rows.empty() ? "" : rows[0][0];
  }

  // An active person of `street` of sex `sex` aged 20–45, with no free service this year; each
  // call gives another one.
  static std::string Person(const std::string& street, const std::string& sex,
                            const std::string& extra = "") {
    const std::string year = std::to_string(static_cast<int>(Today().year()));
    auto rows = QueryRows(
        server_->db_path(),
        "SELECT p.id FROM persons p WHERE p.residence_path LIKE ?1 || '%' AND p.sex = ?2 AND "
        "p.status = 'active' AND p.birth_date BETWEEN ?3 AND ?4 AND NOT EXISTS (SELECT 1 FROM "
        "fp_distributions d WHERE d.person_id = p.id AND d.voided_at IS NULL AND "
        "d.dispensed_on >= ?5) AND NOT EXISTS (SELECT 1 FROM fp_procedures x WHERE x.person_id "
        "= p.id AND x.voided_at IS NULL AND x.done_on >= ?5) " +
            extra + " ORDER BY p.id",
        {PathOf(street), sex, Iso(MonthsBefore(Today(), 45 * 12)),
         Iso(MonthsBefore(Today(), 20 * 12)), year + "-01-01"});
    for (const auto& r : rows) {
      if (!Used(r[0])) {
        used_.push_back(r[0]);
        return r[0];
      }
    }
    return "";
  }
  static bool Used(const std::string& id) {
    for (const auto& u : used_) {
      if (u == id) return true;
    }
    return false;
  }

  static long long Count(const std::string& sql, const std::vector<std::string>& args) {
    auto rows = QueryRows(server_->db_path(), sql, args);
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }
  static long long Denied(const std::string& user) {
    return Count("SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = 'denied'",
                 {user});
  }
  static json FreeCoverage(const std::string& user) {
    ApiReply r = api_->Get(kBase + "/register", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["coverage"]["FP_FREE_CONTRACEPTION"];
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, street_b_;
  static inline std::vector<std::string> used_;
};

TEST_F(FamilyPlanningHttpTest, TheCentreRecordsEachKindAndReadsTheRecordBack) {
  const std::string woman = Person(street_a_, "F");
  ASSERT_FALSE(woman.empty());
  const std::string today = Iso(Today());
  // The demo may have recorded some of her history already.
  ApiReply had = api_->Get(kBase + "/persons/" + woman, "fp_center_a");
  ASSERT_EQ(had.status, 200) << had.raw;
  auto size = [](const ApiReply& r, const char* key) { return r.body[key].size(); };
  ApiReply method = api_->Post(kBase + "/persons/" + woman + "/methods", "fp_center_a",
                               {{"method", "iud"}, {"started_on", Iso(AddDays(Today(), -40))}});
  ASSERT_EQ(method.status, 201) << method.raw;
  EXPECT_EQ(method.body["method"], "iud");
  ApiReply dist = api_->Post(kBase + "/persons/" + woman + "/distributions", "fp_village_a",
                             {{"item", "condom"}, {"quantity", 20}, {"dispensed_on", today}});
  ASSERT_EQ(dist.status, 201) << dist.raw;
  EXPECT_EQ(dist.body["quantity"], 20);
  EXPECT_FALSE(dist.body["anonymous"].get<bool>());
  // An IUD inserted 40 days ago: the first follow-up (one month, [unc]) is due.
  ApiReply proc =
      api_->Post(kBase + "/persons/" + woman + "/procedures", "fp_center_a",
                 {{"procedure", "iud_insertion"}, {"done_on", Iso(AddDays(Today(), -40))}});
  ASSERT_EQ(proc.status, 201) << proc.raw;
  ASSERT_FALSE(proc.body["follow_ups"].empty());
  EXPECT_TRUE(proc.body["follow_up_due"].get<bool>()) << proc.raw;
  ApiReply check = api_->Post(kBase + "/persons/" + woman + "/checks", "fp_center_a",
                              {{"kind", "pregnancy_iud"}, {"result", "iud_in_place"}});
  ASSERT_EQ(check.status, 201) << check.raw;
  ApiReply guidance = api_->Post(kBase + "/persons/" + woman + "/guidance", "fp_center_a",
                                 {{"topic", "避孕方法知情选择"}});
  ASSERT_EQ(guidance.status, 201) << guidance.raw;

  ApiReply rec = api_->Get(kBase + "/persons/" + woman, "fp_center_a");
  ASSERT_EQ(rec.status, 200) << rec.raw;
  for (const char* key : {"methods", "distributions", "procedures", "checks", "guidance"}) {
    EXPECT_EQ(size(rec, key), size(had, key) + 1) << key;
  }
  // The check after the follow-up day settles it; the older method ended the day before.
  for (const auto& p : rec.body["procedures"]) {
    if (p["id"] == proc.body["id"]) {
      EXPECT_FALSE(p["follow_up_due"].get<bool>()) << rec.raw;
    }
  }
  for (const auto& m : rec.body["methods"]) {
    if (m["id"] != method.body["id"] && !m["voided"].get<bool>() &&
        m.value("started_on", "") < method.body.value("started_on", "")) {
      EXPECT_FALSE(m["ended_on"].is_null()) << m;
    }
  }
  bool condoms = false;
  for (const auto& r : rec.body["received_this_year"]) {
    if (r["item"] == "condom") condoms = r["quantity"] == 20;
  }
  EXPECT_TRUE(condoms) << rec.raw;
  // Every write audited and reported to the live statistics.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fp.record' AND person_id = ?1",
                  {woman}),
            5);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fp.read' AND object_id = ?1", {woman}),
      2);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM change_events WHERE entity = 'fp' AND person_id = ?1 AND "
            "op = 'insert' AND entity_id IN (?2, ?3, ?4, ?5, ?6)",
            {woman, method.body.value("id", ""), dist.body.value("id", ""),
             proc.body.value("id", ""), check.body.value("id", ""), guidance.body.value("id", "")}),
      5);
}

TEST_F(FamilyPlanningHttpTest, ADistributionRaisesTheFreeServiceCoverageOfTheRegister) {
  const std::string woman = Person(street_a_, "F", "AND p.marital_status = 'married'");
  ASSERT_FALSE(woman.empty());
  ApiReply before = api_->Get(kBase + "/register", "fp_center_a");
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_GT(before.body["women"].get<int>(), 0);
  bool listed = false;
  for (const auto& w : before.body["items"]) {
    if (w["person_id"] == woman) {
      listed = true;
      EXPECT_FALSE(w["served_this_year"].get<bool>());
    }
  }
  EXPECT_TRUE(listed);
  const json c0 = before.body["coverage"]["FP_FREE_CONTRACEPTION"];
  ApiReply dist = api_->Post(kBase + "/persons/" + woman + "/distributions", "fp_center_a",
                             {{"item", "oral_pill"}, {"quantity", 3}});
  ASSERT_EQ(dist.status, 201) << dist.raw;
  const json c1 = FreeCoverage("fp_center_a");
  // Counted only when she is in the target population (married, [unc]).
  const bool married = Count(
                           "SELECT COUNT(*) FROM persons WHERE id = ?1 AND marital_status = "
                           "'married'",
                           {woman}) == 1;
  EXPECT_EQ(c1["numerator"].get<int>(), c0["numerator"].get<int>() + (married ? 1 : 0));
  EXPECT_EQ(c1["denominator"], c0["denominator"]);
  // The district reads the figures of its district; finance only the figures.
  ApiReply district = api_->Get(kBase + "/register", "fp_district_a");
  ASSERT_EQ(district.status, 200) << district.raw;
  EXPECT_GE(district.body["women"].get<int>(), before.body["women"].get<int>());
  ApiReply finance = api_->Get(kBase + "/register", "fp_finance_a");
  ASSERT_EQ(finance.status, 200) << finance.raw;
  EXPECT_FALSE(finance.body["rows_included"].get<bool>());
  EXPECT_TRUE(finance.body["items"].empty());
}

TEST_F(FamilyPlanningHttpTest, AnotherDistrictsCentreNeitherReadsNorWritesHer) {
  const std::string woman = Person(street_a_, "F");
  ASSERT_FALSE(woman.empty());
  const long long denied = Denied("fp_center_b");
  ApiReply read = api_->Get(kBase + "/persons/" + woman, "fp_center_b");
  EXPECT_EQ(read.status, 404) << read.raw;
  ApiReply write = api_->Post(kBase + "/persons/" + woman + "/distributions", "fp_center_b",
                              {{"item", "condom"}, {"quantity", 10}});
  EXPECT_EQ(write.status, 404) << write.raw;
  ApiReply guide =
      api_->Post(kBase + "/persons/" + woman + "/guidance", "fp_center_b", {{"topic", "x"}});
  EXPECT_EQ(guide.status, 404) << guide.raw;
  EXPECT_EQ(Denied("fp_center_b"), denied + 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fp_distributions WHERE person_id = ?1", {woman}), 0);
  // Nor voids a record of hers.
  ApiReply mine =
      api_->Post(kBase + "/persons/" + woman + "/guidance", "fp_center_a", {{"topic", "产后避孕"}});
  ASSERT_EQ(mine.status, 201) << mine.raw;
  ApiReply voided = api_->Post(kBase + "/guidance/" + mine.body.value("id", "") + "/void",
                               "fp_center_b", {{"reason", "测试"}});
  EXPECT_EQ(voided.status, 404) << voided.raw;
  EXPECT_EQ(Denied("fp_center_b"), denied + 4);
}

TEST_F(FamilyPlanningHttpTest, RolesWithoutTheServiceCannotRecord) {
  const std::string woman = Person(street_a_, "F");
  ASSERT_FALSE(woman.empty());
  for (const char* user : {"fp_district_a", "fp_finance_a"}) {
    ApiReply r = api_->Post(kBase + "/persons/" + woman + "/distributions", user,
                            {{"item", "condom"}, {"quantity", 10}});
    EXPECT_EQ(r.status, 403) << user << " " << r.raw;
  }
  ApiReply read = api_->Get(kBase + "/persons/" + woman, "fp_finance_a");
  EXPECT_EQ(read.status, 403) << read.raw;
  ApiReply district = api_->Get(kBase + "/persons/" + woman, "fp_district_a");
  EXPECT_EQ(district.status, 200) << district.raw;
}

TEST_F(FamilyPlanningHttpTest, BadInputIsAProblemWithFieldErrors) {
  const std::string woman = Person(street_a_, "F");
  const std::string man = Person(street_a_, "M");
  ASSERT_FALSE(woman.empty());
  ASSERT_FALSE(man.empty());
  const std::string dist = kBase + "/persons/" + woman + "/distributions";
  const std::string procedures = "SELECT COUNT(*) FROM fp_procedures WHERE person_id IN (?1, ?2)";
  const long long procedures_before = Count(procedures, {woman, man});
  ExpectFieldProblem(api_->Post(dist, "fp_center_a", {{"item", "condom"}, {"quantity", -1}}), 400,
                     "quantity", "not_positive");
  ExpectFieldProblem(api_->Post(dist, "fp_center_a", {{"item", "condom"}, {"quantity", 100000}}),
                     400, "quantity", "too_large");
  ExpectFieldProblem(api_->Post(dist, "fp_center_a", {{"item", "iud"}, {"quantity", 1}}), 400,
                     "item", "invalid_value");
  ExpectFieldProblem(
      api_->Post(dist, "fp_center_a",
                 {{"item", "condom"}, {"quantity", 1}, {"dispensed_on", Iso(AddDays(Today(), 3))}}),
      400, "dispensed_on", "in_future");
  // The yearly cap of the shipped example (120 condoms, supplies.h): 100 + 30 is over it.
  ASSERT_EQ(api_->Post(dist, "fp_center_a", {{"item", "condom"}, {"quantity", 100}}).status, 201);
  ExpectFieldProblem(api_->Post(dist, "fp_center_a", {{"item", "condom"}, {"quantity", 30}}), 400,
                     "quantity", "over_yearly_cap");
  ExpectFieldProblem(api_->Post(kBase + "/persons/" + man + "/procedures", "fp_center_a",
                                {{"procedure", "tubal_ligation"}}),
                     400, "procedure", "wrong_sex");
  ExpectFieldProblem(api_->Post(kBase + "/persons/" + woman + "/procedures", "fp_center_a",
                                {{"procedure", "vasectomy"}}),
                     400, "procedure", "wrong_sex");
  ExpectFieldProblem(
      api_->Post(kBase + "/persons/" + woman + "/procedures", "fp_center_a",
                 {{"procedure", "iud_insertion"}, {"done_on", Iso(AddDays(Today(), 1))}}),
      400, "done_on", "in_future");
  ExpectFieldProblem(
      api_->Post(kBase + "/persons/" + man + "/methods", "fp_center_a", {{"method", "iud"}}), 400,
      "method", "wrong_sex");
  ExpectFieldProblem(api_->Post(kBase + "/persons/" + woman + "/checks", "fp_center_a",
                                {{"kind", "pregnancy_iud"}, {"result", "maybe"}}),
                     400, "result", "invalid_value");
  ExpectFieldProblem(
      api_->Post(kBase + "/persons/" + woman + "/reward-facts", "fp_center_a",
                 {{"year", static_cast<int>(Today().year())}, {"children_born", -2}}),
      400, "children_born", "negative");
  // Nothing of the refused writes was stored.
  EXPECT_EQ(Count(procedures, {woman, man}), procedures_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fp_distributions WHERE person_id = ?1", {woman}), 1);
}

TEST_F(FamilyPlanningHttpTest, AVoidedDistributionStaysAndNoLongerCounts) {
  const std::string woman = Person(street_a_, "F");
  ASSERT_FALSE(woman.empty());
  ApiReply dist = api_->Post(kBase + "/persons/" + woman + "/distributions", "fp_center_a",
                             {{"item", "condom"}, {"quantity", 120}});
  ASSERT_EQ(dist.status, 201) << dist.raw;
  const std::string id = dist.body.value("id", "");
  ExpectFieldProblem(
      api_->Post(kBase + "/distributions/" + id + "/void", "fp_center_a", json::object()), 400,
      "reason", "required");
  ApiReply voided =
      api_->Post(kBase + "/distributions/" + id + "/void", "fp_center_a", {{"reason", "录入错误"}});
  ASSERT_EQ(voided.status, 200) << voided.raw;
  EXPECT_TRUE(voided.body["voided"].get<bool>());
  EXPECT_EQ(
      api_->Post(kBase + "/distributions/" + id + "/void", "fp_center_a", {{"reason", "again"}})
          .status,
      409);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM fp_distributions WHERE id = ?1 AND voided_at IS NOT NULL", {id}),
      1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fp.void' AND object_id = ?1", {id}), 1);
  // The voided 120 no longer count against the cap.
  ApiReply again = api_->Post(kBase + "/persons/" + woman + "/distributions", "fp_center_a",
                              {{"item", "condom"}, {"quantity", 120}});
  EXPECT_EQ(again.status, 201) << again.raw;
  ApiReply rec = api_->Get(kBase + "/persons/" + woman, "fp_center_a");
  ASSERT_EQ(rec.status, 200);
  EXPECT_EQ(rec.body["distributions"].size(), 2u);
}

TEST_F(FamilyPlanningHttpTest, AMachineDispensesAnonymouslyAtAPointOfTheStreet) {
  auto points = QueryRows(server_->db_path(),
                          "SELECT id FROM service_points WHERE org_path LIKE ?1 || '%' AND "
                          "free_contraceptives = 1 ORDER BY id LIMIT 1",
                          {PathOf(street_a_)});
  ASSERT_FALSE(points.empty());
  const std::string point = points[0][0];
  ApiReply made = api_->Post(kBase + "/distributions", "fp_center_a",
                             {{"item", "condom"}, {"quantity", 5}, {"point_id", point}});
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_TRUE(made.body["anonymous"].get<bool>());
  EXPECT_TRUE(made.body["person_id"].is_null());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_events WHERE entity = 'fp' AND entity_id = ?1 AND "
                  "person_id IS NULL",
                  {made.body.value("id", "")}),
            1);
  ApiReply list = api_->Get(kBase + "/distributions", "fp_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  bool found = false;
  for (const auto& e : list.body["items"]) found = found || e["id"] == made.body["id"];
  EXPECT_TRUE(found);
  // Without a point, or at a point of another district: field errors.
  ExpectFieldProblem(
      api_->Post(kBase + "/distributions", "fp_center_a", {{"item", "condom"}, {"quantity", 5}}),
      400, "point_id", "required");
  ExpectFieldProblem(api_->Post(kBase + "/distributions", "fp_center_b",
                                {{"item", "condom"}, {"quantity", 5}, {"point_id", point}}),
                     400, "point_id", "not_found");
}

TEST_F(FamilyPlanningHttpTest, RewardFactsAreEvaluatedAndListedForPayment) {
  const std::string woman = Person(street_a_, "F");
  ASSERT_FALSE(woman.empty());
  const int year = static_cast<int>(Today().year());
  ApiReply facts = api_->Post(kBase + "/persons/" + woman + "/reward-facts", "fp_center_a",
                              {{"year", year},
                               {"floating", true},
                               {"practises_family_planning", true},
                               {"hardship", true},
                               {"only_child_certificate", true},
                               {"children_born", 1},
                               {"living_children", 1},
                               {"woman_age", 40}});
  ASSERT_EQ(facts.status, 201) << facts.raw;
  std::string eligible;
  for (const auto& o : facts.body["outcomes"]) {
    if (o["eligible"].get<bool>() && eligible.empty()) eligible = o.value("id", "");
  }
  ASSERT_FALSE(eligible.empty()) << facts.raw;
  ApiReply list = api_->Get(kBase + "/payments?year=" + std::to_string(year), "fp_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  bool listed = false;
  for (const auto& l : list.body["items"]) listed = listed || l["person_id"] == woman;
  EXPECT_TRUE(listed);
  ApiReply paid = api_->Post(kBase + "/payments", "fp_center_a",
                             {{"person_id", woman}, {"year", year}, {"rule_id", eligible}});
  ASSERT_EQ(paid.status, 201) << paid.raw;
  EXPECT_EQ(api_->Post(kBase + "/payments", "fp_center_a",
                       {{"person_id", woman}, {"year", year}, {"rule_id", eligible}})
                .status,
            409);
  // Finance sees masked names and no person id.
  ApiReply finance = api_->Get(kBase + "/payments?year=" + std::to_string(year), "fp_finance_a");
  ASSERT_EQ(finance.status, 200) << finance.raw;
  EXPECT_TRUE(finance.body["names_masked"].get<bool>());
  EXPECT_EQ(finance.raw.find(woman), std::string::npos);
  ASSERT_FALSE(finance.body["items"].empty());
  ApiReply xlsx = api_->Get(kBase + "/payments.xlsx?year=" + std::to_string(year), "fp_center_a");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");
}

}  // namespace
}  // namespace jd::integration
