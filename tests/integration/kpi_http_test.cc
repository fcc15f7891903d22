// Statistics over the JSON API, end to end: the real `jundeng serve` on a demo city. Values are
// scoped to the caller's jurisdiction, bad queries are 400 problem+json with the field, reports
// download as XLSX/CSV, and the DHIS2 exchange sends one level of units whose counts add up to
// the city's. Figures of severe mental disorders and TB are exact only for those who care for the
// patients.
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

class KpiHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/600, /*seed=*/3);
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "district") districts_.push_back(u.code);
      if (u.level == "street" && street_.empty()) street_ = u.code;
      if (u.level == "street") street_district_[u.code] = u.parent_code;
    }
    ASSERT_GE(districts_.size(), 2u);
    server_->AddUser("k_city", "commission", "450100", kPassword);
    server_->AddUser("k_center", "center", street_, kPassword);
    server_->AddUser("k_finance", "finance", "450100", kPassword);
    server_->AddUser("k_sysadmin", "sysadmin", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() {
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0);
    }
    delete api_;
    delete server_;
    delete tmp_;
    api_ = nullptr;
    server_ = nullptr;
    tmp_ = nullptr;
  }

  // The district a street is not in.
  static std::string OtherDistrict() {
    for (const auto& d : districts_) {
      if (d != street_district_[street_]) return d;
    }
    return "";
  }

  static void ExpectFieldError(const ApiReply& r, const std::string& field) {
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(r.content_type, "application/problem+json");
    bool found = false;
    for (const auto& e : r.body.value("errors", json::array())) {
      if (e.value("field", "") == field) found = true;
    }
    EXPECT_TRUE(found) << "no error for " << field << ": " << r.raw;
  }

  static TempDir* tmp_;
  static ServerProcess* server_;
  static ApiClient* api_;
  static std::vector<std::string> districts_;
  static std::string street_;
  static std::map<std::string, std::string> street_district_;
};

TempDir* KpiHttpTest::tmp_ = nullptr;
ServerProcess* KpiHttpTest::server_ = nullptr;
ApiClient* KpiHttpTest::api_ = nullptr;
std::vector<std::string> KpiHttpTest::districts_;
std::string KpiHttpTest::street_;
std::map<std::string, std::string> KpiHttpTest::street_district_;

TEST_F(KpiHttpTest, CatalogueListsTheSeedTargets) {
  ApiReply r = api_->Get("/api/v1/indicators", "k_city");
  ASSERT_EQ(r.status, 200) << r.raw;
  std::map<std::string, json> by_code;
  for (const auto& i : r.body["items"]) by_code[i.value("code", "")] = i;
  ASSERT_TRUE(by_code.count("REG_REGISTERED"));
  ASSERT_TRUE(by_code.count("KEY_EHR_CHILD"));
  // 南宁市实施办法 §四(一): key groups' electronic records ≥80% by 2020.
  EXPECT_DOUBLE_EQ(by_code["KEY_EHR_CHILD"].value("target", 0.0), 0.8);
  EXPECT_TRUE(by_code["KEY_EHR_CHILD"].contains("name_zh"));
}

TEST_F(KpiHttpTest, CityEqualsTheSumOfItsDistricts) {
  ApiReply r = api_->Get(
      "/api/v1/indicators/values?codes=REG_REGISTERED,REG_FLOATING&org=450100&children=true",
      "k_city");
  ASSERT_EQ(r.status, 200) << r.raw;
  std::map<std::string, double> city, sum;
  std::set<std::string> orgs;
  for (const auto& v : r.body["items"]) {
    std::string code = v.value("code", "");
    double n = v.value("numerator", 0.0);
    orgs.insert(v.value("org", ""));
    if (v.value("org", "") == "450100") {
      city[code] = n;
    } else {
      sum[code] += n;
    }
  }
  EXPECT_EQ(orgs.size(), districts_.size() + 1);
  EXPECT_GT(city["REG_REGISTERED"], 0);
  EXPECT_EQ(city["REG_REGISTERED"], sum["REG_REGISTERED"]);
  EXPECT_EQ(city["REG_FLOATING"], sum["REG_FLOATING"]);
}

// Rates carry their Wilson 95% interval around the value (counts and means do not).
TEST_F(KpiHttpTest, RatesCarryTheirWilsonInterval) {
  ApiReply r =
      api_->Get("/api/v1/indicators/values?codes=REG_HR_RATE,REG_FLOATING&org=450100&children=true",
                "k_city");
  ASSERT_EQ(r.status, 200) << r.raw;
  int rates = 0;
  for (const auto& v : r.body["items"]) {
    if (v.value("code", "") == "REG_FLOATING") {
      EXPECT_FALSE(v.contains("interval95")) << v.dump();
      continue;
    }
    if (v["value"].is_null()) continue;
    ++rates;
    ASSERT_TRUE(v.contains("interval95")) << v.dump();
    const double value = v["value"].get<double>();
    EXPECT_LE(v["interval95"]["low"].get<double>(), value);
    EXPECT_GE(v["interval95"]["high"].get<double>(), value);
    EXPECT_LT(v["interval95"]["high"].get<double>() - v["interval95"]["low"].get<double>(), 1.0);
  }
  EXPECT_GT(rates, 0);
}

TEST_F(KpiHttpTest, ValuesOutsideTheJurisdictionAreNotFound) {
  ApiReply own = api_->Get("/api/v1/indicators/values?codes=REG_REGISTERED", "k_center");
  ASSERT_EQ(own.status, 200) << own.raw;
  EXPECT_EQ(own.body["items"][0].value("org", ""), street_);
  ApiReply other = api_->Get(
      "/api/v1/indicators/values?codes=REG_REGISTERED&org=" + OtherDistrict(), "k_center");
  EXPECT_EQ(other.status, 404) << other.raw;
  EXPECT_EQ(other.content_type, "application/problem+json");
  ApiReply report = api_->Get("/api/v1/reports?org=450100&format=csv", "k_center");
  EXPECT_EQ(report.status, 404) << report.raw;
  ApiReply exchange = api_->Get("/api/v1/exchange/dataValueSets?org=450100", "k_center");
  EXPECT_EQ(exchange.status, 404) << exchange.raw;
}

TEST_F(KpiHttpTest, RolesWithoutStatisticsAreForbidden) {
  EXPECT_EQ(api_->Get("/api/v1/indicators/values?codes=REG_REGISTERED", "k_finance").status, 200);
  EXPECT_EQ(api_->Get("/api/v1/reports?format=csv", "k_finance").status, 200);
  ApiReply r = api_->Get("/api/v1/indicators/values?codes=REG_REGISTERED", "k_sysadmin");
  EXPECT_EQ(r.status, 403) << r.raw;
  EXPECT_EQ(api_->Get("/api/v1/reports", "k_sysadmin").status, 403);
  EXPECT_EQ(api_->Get("/api/v1/indicators", "").status, 401);
}

TEST_F(KpiHttpTest, BadQueriesNameTheField) {
  ExpectFieldError(api_->Get("/api/v1/indicators/values?period=2026-13", "k_city"), "period");
  ExpectFieldError(api_->Get("/api/v1/indicators/values?codes=NOPE", "k_city"), "codes");
  ExpectFieldError(api_->Get("/api/v1/indicators/values?sex=X", "k_city"), "sex");
  ExpectFieldError(api_->Get("/api/v1/indicators/trend?code=REG_REGISTERED&count=0", "k_city"),
                   "count");
  ExpectFieldError(api_->Get("/api/v1/reports?format=pdf", "k_city"), "format");
  ExpectFieldError(api_->Get("/api/v1/reports?period=2026Q5", "k_city"), "period");
  ExpectFieldError(api_->Get("/api/v1/exchange/dataValueSets?level=all", "k_city"), "level");
  ExpectFieldError(api_->Get("/api/v1/exchange/adx", "k_city"), "data_set");
}

TEST_F(KpiHttpTest, ReportsDownloadAsXlsxAndCsv) {
  ApiReply x = api_->Get("/api/v1/reports?org=450100", "k_city");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(x.raw.substr(0, 2), "PK");  // a ZIP container
  EXPECT_NE(x.content_disposition.find("attachment; filename=\"jundeng-report-450100-"),
            std::string::npos)
      << x.content_disposition;

  ApiReply c = api_->Get("/api/v1/reports?org=450100&format=csv&codes=REG_REGISTERED", "k_city");
  ASSERT_EQ(c.status, 200);
  EXPECT_EQ(c.content_type.rfind("text/csv", 0), 0u) << c.content_type;
  EXPECT_NE(c.raw.find("单位代码"), std::string::npos);
  // A row per district besides the city's.
  for (const auto& d : districts_) EXPECT_NE(c.raw.find(d), std::string::npos) << d;
}

TEST_F(KpiHttpTest, ExchangeSendsOneLevelThatAddsUpToTheCity) {
  ApiReply city = api_->Get("/api/v1/indicators/values?codes=REG_REGISTERED&org=450100", "k_city");
  ASSERT_EQ(city.status, 200);
  double registered = city.body["items"][0].value("numerator", 0.0);

  for (const std::string level : {"leaves", "children"}) {
    ApiReply r = api_->Get(
        "/api/v1/exchange/dataValueSets?codes=REG_REGISTERED,IMM_FILE_RATE&org=450100&level=" +
            level,
        "k_city");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_TRUE(r.body.contains("dataValues")) << r.raw.substr(0, 300);
    double sum = 0;
    std::set<std::string> combos;
    std::size_t code_length = level == "leaves" ? 12 : 6;
    for (const auto& v : r.body["dataValues"]) {
      EXPECT_EQ(v.value("orgUnit", "").size(), code_length) << v.dump();
      if (v.contains("categoryOptionCombo")) {
        combos.insert(v.value("categoryOptionCombo", ""));
      } else {
        sum += std::stod(v.value("value", "0"));
      }
    }
    EXPECT_EQ(sum, registered) << level;
    EXPECT_EQ(combos, (std::set<std::string>{"JD_NUM", "JD_DEN"})) << level;
  }

  ApiReply adx =
      api_->Get("/api/v1/exchange/adx?org=450100&level=children&data_set=JD_MONTHLY", "k_city");
  ASSERT_EQ(adx.status, 200) << adx.raw;
  EXPECT_EQ(adx.content_type, "application/adx+xml");
  EXPECT_NE(adx.raw.find("dataSet=\"JD_MONTHLY\""), std::string::npos);
}

// auth::SeesExactAggregates: the centre (person_read, mental_health, hiv_tb_care) sees the small
// counts of its street's patients; the commission sees the same indicators with counts of 1–4
// hidden, and gets them in no report or exchange file.
TEST_F(KpiHttpTest, MentalHealthAndTbFiguresAreExactOnlyForTheirCarers) {
  const std::string district = street_district_[street_];
  const std::string sensitive = "SMD_REGISTERED_RATE,SMD_STANDARD_MGMT,KEY_EHR_SMD,TB_MGMT_RATE";
  ApiReply center = api_->Get(
      "/api/v1/indicators/values?children=true&org=" + street_ + "&codes=" + sensitive, "k_center");
  ASSERT_EQ(center.status, 200) << center.raw;
  EXPECT_FALSE(center.body["small_cell_suppression"].value("applied", true));
  for (const auto& v : center.body["items"]) {
    EXPECT_TRUE(v["numerator"].is_number()) << v.dump();
    EXPECT_FALSE(v.contains("suppressed")) << v.dump();
  }

  ApiReply city = api_->Get("/api/v1/indicators/values?children=true&org=" + district +
                                "&codes=REG_REGISTERED," + sensitive,
                            "k_city");
  ASSERT_EQ(city.status, 200) << city.raw;
  EXPECT_TRUE(city.body["small_cell_suppression"].value("applied", false));
  int hidden = 0;
  for (const auto& v : city.body["items"]) {
    const std::string code = v.value("code", "");
    if (code == "REG_REGISTERED") {
      EXPECT_FALSE(v.contains("suppressed")) << v.dump();  // the commission may read persons
      continue;
    }
    // 在册管理率's denominator is an expected number (migrants × 4.5‰), not people: never hidden.
    if (code == "SMD_REGISTERED_RATE") {
      EXPECT_TRUE(v["denominator"].is_number()) << v.dump();
    }
    for (const char* part : {"numerator", "denominator"}) {
      if (code == "SMD_REGISTERED_RATE" && std::string(part) == "denominator") continue;
      if (!v[part].is_number()) continue;
      const double n = v[part].get<double>();
      EXPECT_TRUE(n == 0 || n >= 5) << code << " " << part << " shown: " << v.dump();
    }
    hidden += v.value("suppressed", false);
  }
  EXPECT_GT(hidden, 0) << city.raw;

  // Reports and the exchange are not suppressed: without the figures for the commission.
  ApiReply report = api_->Get("/api/v1/reports?format=csv&org=" + district, "k_city");
  ASSERT_EQ(report.status, 200);
  for (const char* name :
       {"严重精神障碍患者规范管理率", "重性精神疾病患者规范化电子建档率", "肺结核患者管理率"}) {
    EXPECT_EQ(report.raw.find(name), std::string::npos) << name;
  }
  EXPECT_NE(report.raw.find("登记在住人数"), std::string::npos);
  ApiReply named =
      api_->Get("/api/v1/reports?format=csv&codes=SMD_STANDARD_MGMT&org=" + district, "k_city");
  EXPECT_EQ(named.status, 403) << named.raw;
  EXPECT_EQ(named.body["errors"][0].value("field", ""), "codes") << named.raw;
  EXPECT_EQ(
      api_->Get("/api/v1/exchange/dataValueSets?codes=TB_MGMT_RATE&org=450100", "k_city").status,
      403);
  ApiReply own = api_->Get(
      "/api/v1/reports?format=csv&codes=SMD_STANDARD_MGMT,TB_MGMT_RATE&org=" + street_, "k_center");
  EXPECT_EQ(own.status, 200) << own.raw;
}

TEST_F(KpiHttpTest, DataQualityReportsPerUnit) {
  ApiReply r = api_->Get("/api/v1/data-quality?org=450100", "k_city");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_FALSE(r.raw.empty());
}

}  // namespace
}  // namespace jd::integration
