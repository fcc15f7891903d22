// The periodic infectious-disease analysis over the JSON API on the real `jundeng serve` of a demo
// city (南宁市实施办法 §四(六) 定期分析): the planted dysentery outbreak at the construction site
// is found in the weeks its 9 cards were reported, marked wherever it reaches 3 cases; 9 cards
// reported through the API at another site in one past week show as that week's site with 9
// cases, marked; a district sees its own streets, the city its districts, and another district
// none of district A's cards; TB is counted without detail for the district administration; the
// workbook has its six sheets with a title naming the area and period, numeric cells and a Chinese
// file name; `jundeng surveillance report` writes the city's; every analysis is audited; bad input
// is 400 with field errors in Chinese and English; a finance user gets 403. The time of one
// request on the demo city is printed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <zip.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "immunization/xlsx_reader.h"
#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;
using std::chrono::sys_days;

constexpr const char* kPassword = "Analysis-Test-Passw0rd!";
constexpr const char* kAnalysis = "/api/v1/disease/analysis";
constexpr const char* kSite = "测试花园建筑工地";

std::chrono::year_month_day MondayOf(std::chrono::year_month_day d) {
  const sys_days s{d};
  return std::chrono::year_month_day{s -
                                     std::chrono::days(std::chrono::weekday{s}.iso_encoding() - 1)};
}

// One part of a ZIP archive held in memory ("" when it is not there).
std::string ZipPart(const std::string& bytes, const std::string& name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* zip = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  zip_error_fini(&err);
  if (!zip) {
    if (src) zip_source_free(src);
    return "";
  }
  std::string out;
  if (zip_file_t* f = zip_fopen(zip, name.c_str(), 0)) {
    char buf[8192];
    for (zip_int64_t n; (n = zip_fread(f, buf, sizeof buf)) > 0;) {
      out.append(buf, static_cast<std::size_t>(n));
    }
    zip_fclose(f);
  }
  zip_close(zip);
  return out;
}

class DiseaseAnalysisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/300, /*seed=*/17);
    const std::string db = server_->db_path();
    auto outbreak = QueryRows(db,
                              "SELECT district_code, reported_at FROM disease_cards WHERE "
                              "work_site_name LIKE '%安居房建筑工地'");
    ASSERT_EQ(outbreak.size(), 9u) << "the demo planted no 9-case outbreak";
    district_a_ = outbreak[0][0];
    for (const auto& r : outbreak) outbreak_reported_.push_back(r[1]);
    streets_a_ = QueryRows(db, "SELECT code FROM org_units WHERE parent_code = ?1 ORDER BY code",
                           {district_a_});
    ASSERT_FALSE(streets_a_.empty());
    for (const auto& u : ReadOrgUnits(db)) {
      if (u.level == "city") city_ = u.code;
      if (u.level == "district" && u.code != district_a_ && district_b_.empty()) {
        district_b_ = u.code;
      }
    }
    server_->AddUser("an_district_a", "district", district_a_, kPassword);
    server_->AddUser("an_district_b", "district", district_b_, kPassword);
    server_->AddUser("an_cdc_a", "cdc", district_a_, kPassword);
    server_->AddUser("an_center_a", "center", streets_a_[0][0], kPassword);
    server_->AddUser("an_city", "commission", city_, kPassword);
    server_->AddUser("an_finance", "finance", city_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);

    // 9 dysentery cards at one site of street A, reported Monday to Wednesday three weeks ago.
    cluster_monday_ = MondayOf(AddDays(Today(), -21));
    for (int i = 0; i < 9; ++i) {
      const std::string day = Iso(AddDays(cluster_monday_, i / 3));
      ApiReply r = api_->Post("/api/v1/disease/cards", "an_center_a",
                              {{"patient_name", "聚集" + std::to_string(i)},
                               {"sex", "male"},
                               {"birth_date", "1986-07-0" + std::to_string(1 + i % 9)},
                               {"patient_belongs", "other_province"},
                               {"current_address", "测试工棚" + std::to_string(i) + "号"},
                               {"address_unit", streets_a_[0][0]},
                               {"occupation", "民工"},
                               {"work_site_kind", "construction_site"},
                               {"work_site_name", kSite},
                               {"disease_code", "dysentery"},
                               {"case_class", "confirmed"},
                               {"onset_date", day},
                               {"diagnosed_at", day + "T02:00:00Z"},
                               {"reported_at", day + "T03:00:00Z"},
                               {"reporting_doctor", "李医生"}});
      ASSERT_EQ(r.status, 201) << r.raw;
    }
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static json Week(const std::string& user, const std::string& date, const std::string& more = "") {
    ApiReply r = api_->Get(std::string(kAnalysis) + "?period=week&date=" + date + more, user);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  // The work site of the answer with `name` in it, or null.
  static json Site(const json& analysis, const std::string& name) {
    for (const auto& s : analysis["work_sites"]["items"]) {
      if (s.value("name", "").find(name) != std::string::npos) return s;
    }
    return json();
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string city_, district_a_, district_b_;
  static inline std::vector<std::vector<std::string>> streets_a_;
  static inline std::vector<std::string> outbreak_reported_;
  static inline std::chrono::year_month_day cluster_monday_{};
};

TEST_F(DiseaseAnalysisTest, NineCardsOfOneSiteInOneWeekShowTheSiteWithNineCasesMarked) {
  const json a = Week("an_district_a", Iso(cluster_monday_));
  EXPECT_EQ(a["period"]["first"], Iso(cluster_monday_));
  EXPECT_EQ(a["period"]["partial"], false);
  const json site = Site(a, kSite);
  ASSERT_FALSE(site.is_null()) << a["work_sites"].dump();
  EXPECT_EQ(site["cases"], 9);
  EXPECT_EQ(site["kind"], "construction_site");
  EXPECT_EQ(site["marked"], true);
  EXPECT_EQ(site["marked_diseases"], json::array({"dysentery"}));
  EXPECT_EQ(a["work_sites"]["items"][0]["name"], kSite);  // marked sites first
  EXPECT_GE(a["work_sites"]["marked"], 1);
  // The workers are 民工 and from another province: counted as migrant cases.
  bool dysentery = false;
  for (const auto& d : a["by_disease"]) {
    if (d["code"] != "dysentery") continue;
    dysentery = true;
    EXPECT_GE(d["cases"], 9);
    EXPECT_GE(d["migrant_cases"], 9);
    EXPECT_EQ(d["name_zh"], "细菌性和阿米巴性痢疾");
  }
  EXPECT_TRUE(dysentery);
  bool workers = false;
  for (const auto& o : a["by_occupation"])
    workers = workers || (o["occupation"] == "民工" && o["cases"] >= 9);
  EXPECT_TRUE(workers);

  // Another district's analysis of the same week knows nothing of the site.
  EXPECT_TRUE(Site(Week("an_district_b", Iso(cluster_monday_)), kSite).is_null());
}

// The demo's outbreak: 9 cards reported over the 6 days before the demo date, in one or two ISO
// weeks; each week shows the site with the cards reported in it, marked from 3.
TEST_F(DiseaseAnalysisTest, ThePlantedOutbreakIsFoundInTheWeeksItWasReported) {
  std::map<std::string, int> per_week;  // Monday → cards
  for (const std::string& t : outbreak_reported_) {
    auto instant = ParseTimestamp(t);
    ASSERT_TRUE(instant.has_value()) << t;
    const std::chrono::year_month_day beijing{
        std::chrono::floor<std::chrono::days>(*instant + std::chrono::hours(8))};
    ++per_week[Iso(MondayOf(beijing))];
  }
  int found = 0;
  for (const auto& [monday, n] : per_week) {
    const json a = Week("an_district_a", monday);
    const json site = Site(a, "安居房建筑工地");
    ASSERT_FALSE(site.is_null()) << monday << " " << a["work_sites"].dump();
    EXPECT_EQ(site["cases"], n) << monday;
    EXPECT_EQ(site["marked"], n >= 3) << monday;
    found += site["cases"].get<int>();
  }
  EXPECT_EQ(found, 9);
  // The curve of the last of those weeks has the outbreak's onsets by day.
  const json a = Week("an_district_a", per_week.rbegin()->first);
  int curve_dysentery = 0;
  for (const auto& s : a["curve"]["series"]) {
    if (s["code"] == "dysentery") {
      for (int n : s["counts"]) curve_dysentery += n;
    }
  }
  EXPECT_GE(curve_dysentery, 9);
  EXPECT_EQ(a["curve"]["dates"].size(), a["curve"]["total"].size());
}

TEST_F(DiseaseAnalysisTest, ADistrictSeesItsStreetsAndTheCityItsDistricts) {
  const std::string day = Iso(cluster_monday_);
  const json a = Week("an_district_a", day);
  EXPECT_EQ(a["area"]["code"], district_a_);
  ASSERT_EQ(a["areas"]["rows"].size(), streets_a_.size());
  for (const auto& r : a["areas"]["rows"]) {
    EXPECT_EQ(r["code"].get<std::string>().substr(0, 6), district_a_) << r.dump();
    EXPECT_EQ(r["cells"].size(), a["areas"]["diseases"].size());
  }
  EXPECT_EQ(a["areas"]["rows"][0]["code"], streets_a_[0][0]);
  const json city = Week("an_city", day);
  EXPECT_EQ(city["area"]["code"], city_);
  std::map<std::string, int> cases;
  for (const auto& r : city["areas"]["rows"]) {
    EXPECT_EQ(r["code"].get<std::string>().size(), 6u) << r.dump();
    cases[r["code"]] = r["cases"];
  }
  EXPECT_EQ(cases.at(district_a_), a["areas"]["total"]["cases"]);
  EXPECT_TRUE(cases.contains(district_b_));
  EXPECT_GE(city["totals"]["cases"], a["totals"]["cases"]);
  // Migrants are counted for the incidences (the registry's floating persons).
  EXPECT_GT(city["areas"]["total"]["migrants"].get<long long>(), 0);
  EXPECT_FALSE(city["migrants_on"].is_null());

  // TB without detail for the district administration, in full for the CDC.
  EXPECT_EQ(a["withheld"], json::array({"hiv_aids", "tuberculosis"}));
  for (const auto& d : a["areas"]["diseases"]) EXPECT_NE(d, "tuberculosis");
  EXPECT_TRUE(Week("an_cdc_a", day)["withheld"].empty());
}

TEST_F(DiseaseAnalysisTest, TheWorkbookHasItsSheetsATitleAndNumbers) {
  const std::string query = "?period=week&date=" + Iso(cluster_monday_);
  const auto started = std::chrono::steady_clock::now();
  ApiReply r = api_->Get(std::string(kAnalysis) + ".xlsx" + query, "an_district_a");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // 传染病疫情分析 percent-encoded (RFC 5987); the test's HTTP client (cpp-httplib 0.11) decodes
  // every header value as it reads it, so either form is the one sent.
  const std::string& cd = r.content_disposition;
  EXPECT_TRUE(
      cd.find(
          "filename*=UTF-8''%E4%BC%A0%E6%9F%93%E7%97%85%E7%96%AB%E6%83%85%E5%88%86%E6%9E%90-") !=
          std::string::npos ||
      cd.find("filename*=UTF-8''传染病疫情分析-") != std::string::npos)
      << cd;
  EXPECT_NE(r.content_disposition.find("filename=\"disease-analysis-" + district_a_),
            std::string::npos);

  const std::string workbook = ZipPart(r.raw, "xl/workbook.xml");
  std::vector<std::string> sheets;
  const std::regex name("<sheet name=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(workbook.begin(), workbook.end(), name);
       it != std::sregex_iterator(); ++it) {
    sheets.push_back((*it)[1]);
  }
  EXPECT_EQ(sheets,
            (std::vector<std::string>{"概况", "地区", "职业", "工作场所", "流行曲线", "说明"}));

  auto first = immunization::ReadXlsxFirstSheet(r.raw);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const json a = Week("an_district_a", Iso(cluster_monday_));
  const auto& rows = first->rows;
  ASSERT_GE(rows.size(), 4u);
  EXPECT_NE(rows[0][0].find(a["area"]["name"].get<std::string>()), std::string::npos);
  EXPECT_NE(rows[0][0].find(a["period"]["label_zh"].get<std::string>()), std::string::npos);
  EXPECT_EQ(rows[2][0], "疾病");
  EXPECT_EQ(rows[3][0], "合计");
  EXPECT_EQ(rows[3][2], std::to_string(a["totals"]["cases"].get<int>()));  // a number cell
  // The site's sheet: the name, and its mark.
  const std::string strings = ZipPart(r.raw, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find(kSite), std::string::npos);
  EXPECT_NE(strings.find("同一病种≥3例：细菌性和阿米巴性痢疾"), std::string::npos);
  EXPECT_NE(ZipPart(r.raw, "xl/worksheets/sheet4.xml").find("<v>9</v>"), std::string::npos);
  std::printf("one workbook of district %s, week of %s: %lld ms\n", district_a_.c_str(),
              Iso(cluster_monday_).c_str(), static_cast<long long>(ms));
}

// `jundeng surveillance report`: the city's workbook of the cluster's week, private to its owner.
TEST_F(DiseaseAnalysisTest, TheCommandWritesTheCitysWorkbook) {
  const std::string out = tmp_->File("week.xlsx");
  CommandResult r = server_->Run(
      {"surveillance", "report", "--period", "week", "--date", Iso(cluster_monday_), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("传染病疫情分析-"), std::string::npos) << r.err;
  const std::string bytes = ReadFileBytes(out);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  struct stat st {};
  ASSERT_EQ(stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto first = immunization::ReadXlsxFirstSheet(bytes);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->rows[0][0].rfind(Week("an_city", Iso(cluster_monday_))["area"]["name"], 0), 0u)
      << first->rows[0][0];
  EXPECT_NE(ZipPart(bytes, "xl/sharedStrings.xml").find(kSite), std::string::npos);

  CommandResult bad = server_->Run({"surveillance", "report", "--period", "year", "--date",
                                    Iso(AddDays(Today(), 2)), "--out", out});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("period"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("in_future"), std::string::npos) << bad.err;
}

TEST_F(DiseaseAnalysisTest, EveryAnalysisIsAuditedAsAnAggregateRead) {
  Week("an_center_a", Iso(cluster_monday_), "&disease=dysentery");
  auto rows = QueryRows(server_->db_path(),
                        "SELECT detail, person_id, result FROM audit_log WHERE username = "
                        "'an_center_a' AND action = 'disease.analysis' ORDER BY seq DESC LIMIT 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0][0].find("area=" + streets_a_[0][0]), std::string::npos) << rows[0][0];
  EXPECT_NE(rows[0][0].find("disease=dysentery format=json"), std::string::npos) << rows[0][0];
  EXPECT_EQ(rows[0][1], "");
  EXPECT_EQ(rows[0][2], "ok");

  EXPECT_EQ(api_->Get(kAnalysis, "an_finance").status, 403);
  EXPECT_EQ(api_->Get(std::string(kAnalysis) + ".xlsx", "an_finance").status, 403);
}

TEST_F(DiseaseAnalysisTest, BadInputIsAProblemWithFieldErrors) {
  const std::string future = Iso(AddDays(Today(), 1));
  for (const std::string& path : {std::string(kAnalysis), std::string(kAnalysis) + ".xlsx"}) {
    ExpectFieldProblem(api_->Get(path + "?period=year", "an_district_a"), 400, "period",
                       "invalid_value");
    ExpectFieldProblem(api_->Get(path + "?date=2026-13-45", "an_district_a"), 400, "date",
                       "invalid_date");
    ExpectFieldProblem(api_->Get(path + "?date=" + future, "an_district_a"), 400, "date",
                       "in_future");
    ExpectFieldProblem(api_->Get(path + "?period=month&disease=smallpox", "an_district_a"), 400,
                       "disease", "unknown_disease");
  }
  // Without parameters: this week so far.
  ApiReply r = api_->Get(kAnalysis, "an_district_a");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["period"]["kind"], "week");
  EXPECT_EQ(r.body["period"]["through"], Iso(Today()));
}

}  // namespace
}  // namespace jd::integration
