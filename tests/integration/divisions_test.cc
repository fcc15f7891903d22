// The reference tables behind the 户籍地 and 民族 pickers over the JSON API, end to end: the real
// `jundeng serve` on a small demo city. Divisions by parent and by name or pinyin initials, an old
// code with its successor, ethnicities with their initials; bad input is a problem+json 400 with
// the field, an unknown code 404, and nothing without a session. A registered person comes back
// with the names of their codes, and the residence-unit list narrows to the caller's jurisdiction.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

class DivisionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/50, /*seed=*/3);
    streets_ = new StreetsOfTwoDistricts(FindStreetsOfTwoDistricts(server_->db_path()));
    ASSERT_FALSE(streets_->street_a.empty());
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "community" && u.parent_code == streets_->street_a && community_a_.empty()) {
        community_a_ = u.code;
      }
    }
    server_->AddUser("d_center", "center", streets_->street_a, kPassword);
    server_->AddUser("d_city", "commission", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() {
    delete streets_;
    streets_ = nullptr;
    EndSuite(api_, server_, tmp_);
  }

  static std::set<std::string> Codes(const json& items) {
    std::set<std::string> out;
    for (const auto& i : items) out.insert(i.value("code", ""));
    return out;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline StreetsOfTwoDistricts* streets_ = nullptr;
  static inline std::string community_a_;
};

TEST_F(DivisionsTest, ProvincesThenChildrenByParent) {
  ApiReply provinces = api_->Get("/api/v1/divisions", "d_center");
  ASSERT_EQ(provinces.status, 200) << provinces.raw;
  EXPECT_EQ(provinces.body["items"].size(), 34u);  // 省级: 23 省, 5 自治区, 4 直辖市, 2 特别行政区
  EXPECT_TRUE(Codes(provinces.body["items"]).count("430000"));

  ApiReply cities = api_->Get("/api/v1/divisions?parent=430000", "d_center");
  ASSERT_EQ(cities.status, 200) << cities.raw;
  EXPECT_TRUE(Codes(cities.body["items"]).count("430500"));
  ApiReply counties = api_->Get("/api/v1/divisions?parent=430500", "d_center");
  ASSERT_EQ(counties.status, 200) << counties.raw;
  bool found = false;
  for (const auto& c : counties.body["items"]) {
    if (c["code"] == "430581") {
      found = true;
      EXPECT_EQ(c["name"], "武冈市");
      EXPECT_EQ(c["full_name"], "湖南省邵阳市武冈市");
      EXPECT_EQ(c["level"], "county");
      EXPECT_EQ(c["initials"], "wgs");
      EXPECT_EQ(c["path"], json::array({"430000", "430500", "430581"}));
    }
  }
  EXPECT_TRUE(found) << counties.raw;
}

TEST_F(DivisionsTest, SearchByNameOrInitials) {
  ApiReply byName = api_->Get("/api/v1/divisions?q=%E6%AD%A6%E5%86%88", "d_center");  // 武冈
  ASSERT_EQ(byName.status, 200) << byName.raw;
  ASSERT_FALSE(byName.body["items"].empty());
  EXPECT_EQ(byName.body["items"][0]["full_name"], "湖南省邵阳市武冈市");
  ApiReply byInitials = api_->Get("/api/v1/divisions?q=WG&limit=50", "d_center");
  ASSERT_EQ(byInitials.status, 200) << byInitials.raw;
  EXPECT_TRUE(Codes(byInitials.body["items"]).count("430581")) << byInitials.raw;
  ApiReply few = api_->Get("/api/v1/divisions?q=%E5%8C%BA&limit=3", "d_center");  // 区
  ASSERT_EQ(few.status, 200);
  EXPECT_EQ(few.body["items"].size(), 3u);
}

TEST_F(DivisionsTest, OldCodeResolvesToItsNameAndSuccessor) {
  ApiReply r = api_->Get("/api/v1/divisions/430526", "d_center");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["full_name"], "湖南省邵阳市武冈县");
  EXPECT_EQ(r.body["current"], false);
  EXPECT_EQ(r.body["end_year"], 1994);
  ASSERT_EQ(r.body["successors"].size(), 1u);
  EXPECT_EQ(r.body["successors"][0]["code"], "430581");
  EXPECT_EQ(r.body["successors"][0]["full_name"], "湖南省邵阳市武冈市");
  // A reused code by year: 450103 was 新城区 until 2004, 青秀区 since.
  ApiReply then = api_->Get("/api/v1/divisions/450103?year=1990", "d_center");
  ASSERT_EQ(then.status, 200);
  EXPECT_EQ(then.body["full_name"], "广西壮族自治区南宁市新城区");
  ApiReply now = api_->Get("/api/v1/divisions/450103", "d_center");
  EXPECT_EQ(now.body["full_name"], "广西壮族自治区南宁市青秀区");
  EXPECT_EQ(now.body["current"], true);
}

TEST_F(DivisionsTest, BadInputIsAProblemWithTheField) {
  ExpectFieldProblem(api_->Get("/api/v1/divisions?parent=4305", "d_center"), 400, "parent",
                     "invalid_format");
  ExpectFieldProblem(api_->Get("/api/v1/divisions?parent=430000&q=wg", "d_center"), 400, "q",
                     "conflict");
  ExpectFieldProblem(api_->Get("/api/v1/divisions?q=", "d_center"), 400, "q", "invalid_length");
  ExpectFieldProblem(api_->Get("/api/v1/divisions?q=wg&limit=500", "d_center"), 400, "limit",
                     "invalid_integer");
  ExpectFieldProblem(api_->Get("/api/v1/divisions/43O526", "d_center"), 400, "code",
                     "invalid_format");
  ExpectFieldProblem(api_->Get("/api/v1/divisions/430526?year=abc", "d_center"), 400, "year",
                     "invalid_integer");
  ApiReply unknown = api_->Get("/api/v1/divisions/999999", "d_center");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.content_type.rfind("application/problem+json", 0), 0u) << unknown.content_type;
  EXPECT_EQ(api_->Get("/api/v1/divisions?parent=999900", "d_center").status, 404);
  ExpectFieldProblem(api_->Get("/api/v1/org-units?scope=all", "d_center"), 400, "scope",
                     "invalid_value");
}

TEST_F(DivisionsTest, ASessionIsRequired) {
  for (const char* path : {"/api/v1/divisions", "/api/v1/divisions?q=wg",
                           "/api/v1/divisions/430526", "/api/v1/ethnicities"}) {
    ApiReply r = api_->Get(path, "");
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.content_type.rfind("application/problem+json", 0), 0u) << path;
  }
}

TEST_F(DivisionsTest, EthnicitiesWithInitials) {
  ApiReply r = api_->Get("/api/v1/ethnicities", "d_center");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["items"].size(), 58u);  // 56 民族, 97 其他, 98 外国血统中国籍人士
  bool zhuang = false;
  for (const auto& e : r.body["items"]) {
    if (e["code"] == "08") {
      zhuang = true;
      EXPECT_EQ(e["name_zh"], "壮族");
      EXPECT_EQ(e["initials"], "zz");
    }
  }
  EXPECT_TRUE(zhuang);
}

TEST_F(DivisionsTest, APersonShowsTheNamesOfTheirCodes) {
  ASSERT_FALSE(community_a_.empty());
  json body = {{"name", "名称测试"},
               {"id_number", MakeResidentId("430526", "19900301", 211)},
               {"ethnicity", "08"},
               {"hukou_division", "430526"},
               {"residence_org", community_a_},
               {"arrived_on", Iso(AddDays(Today(), -30))},
               {"move_reason", "work"}};
  ApiReply created = api_->Post("/api/v1/persons", "d_center", body);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["hukou_division_name"], "湖南省邵阳市武冈县");
  EXPECT_EQ(created.body["ethnicity_name"], "壮族");
  EXPECT_EQ(created.body["ethnicity_name_en"], "Zhuang");
  ApiReply list = api_->Get("/api/v1/persons?q=%E5%90%8D%E7%A7%B0%E6%B5%8B%E8%AF%95", "d_center");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_FALSE(list.body["items"].empty());
  EXPECT_EQ(list.body["items"][0]["hukou_division_name"], "湖南省邵阳市武冈县");
}

TEST_F(DivisionsTest, ResidenceUnitsAreTheCallersJurisdiction) {
  ApiReply mine = api_->Get("/api/v1/org-units?scope=residence", "d_center");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_FALSE(mine.body["items"].empty());
  EXPECT_EQ(mine.body["items"][0]["code"], streets_->street_a);  // the user's own area first
  for (const auto& u : mine.body["items"]) {
    EXPECT_EQ(u["code"].get<std::string>().rfind(streets_->street_a, 0), 0u) << u.dump();
  }
  ApiReply all = api_->Get("/api/v1/org-units", "d_center");
  ASSERT_EQ(all.status, 200);
  EXPECT_GT(all.body["items"].size(), mine.body["items"].size());
  ApiReply city = api_->Get("/api/v1/org-units?scope=residence", "d_city");
  ASSERT_EQ(city.status, 200);
  EXPECT_EQ(city.body["items"].size(), all.body["items"].size());
}

}  // namespace
}  // namespace jd::integration
