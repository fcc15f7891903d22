// The periodic analysis over a real database file, the cards written through the card service with
// the clock at 2026-11-25 12:00 Beijing time: deleted cards are not counted, a merged duplicate
// counts once, a corrected card counts with its corrected disease and site; a district sees its
// own streets only, the city its districts; HIV/TB counted without detail for the district
// administration and in full for the CDC; the incidences divide by the migrant counts given;
// every analysis is audited and a caller without disease_read is refused and audited; bad dates
// and diseases are field errors; the workbook has its six sheets.
#include "disease/analysis_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "core/ids.h"
#include "disease/analysis_xlsx.h"
#include "disease/card_service.h"

namespace jd::disease {
namespace {

namespace fs = std::filesystem;
using registry::OrgLevel;

const std::vector<registry::OrgUnit> kTree = {
    {"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
    {"450102", "兴宁区", OrgLevel::kDistrict, "450100", "450100/450102/"},
    {"450102001", "民生街道", OrgLevel::kStreet, "450102", "450100/450102/450102001/"},
    {"450102002", "朝阳街道", OrgLevel::kStreet, "450102", "450100/450102/450102002/"},
    {"450105", "江南区", OrgLevel::kDistrict, "450100", "450100/450105/"},
    {"450105001", "江南街道", OrgLevel::kStreet, "450105", "450100/450105/450105001/"},
};

Date D(const std::string& text) { return *ParseDate(text); }

class AnalysisServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_analysis_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto opened = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock_);
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, clock_);
    ASSERT_TRUE(registry_->AddOrgUnits(system_, kTree).ok());
    cards_ = std::make_unique<CardService>(*db_, *audit_, clock_, *registry_);
    service_ = std::make_unique<AnalysisService>(
        *db_, *audit_, clock_, *registry_,
        [](const auth::Principal&, const std::string& area, Date) {
          std::map<std::string, std::int64_t> m = {{"450100", 3000},   {"450102", 1000},
                                                   {"450102001", 400}, {"450102002", 600},
                                                   {"450105", 2000},   {"450105001", 2000}};
          std::map<std::string, std::int64_t> out;
          for (const auto& u : kTree) {
            if (u.code == area || u.parent_code == area) out[u.code] = m[u.code];
          }
          return Result<std::map<std::string, std::int64_t>>(out);
        });
    WriteCards();
  }
  void TearDown() override {
    service_.reset();
    cards_.reset();
    registry_.reset();
    audit_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  static auth::Principal User(auth::Role role, const std::string& org, const std::string& path) {
    auth::Principal p;
    p.user_id = NewId();
    p.username = "u_" + org + "_" + std::string(auth::RoleCode(role));
    p.role = role;
    p.org_code = org;
    p.org_path = path;
    p.client = "test";
    return p;
  }

  struct Case {
    std::string disease, street;
    std::string reported;  // Beijing date; diagnosed the same morning, onset a day before
    std::string site;
    std::string name = "黄测试";
    PatientBelongs belongs = PatientBelongs::kOtherProvince;
    std::optional<Date> death;
  };

  static CardFields Fields(const Case& c) {
    CardFields f;
    f.patient_name = c.name;
    f.sex = CardSex::kMale;
    f.birth_date = D("1985-03-04");
    f.patient_belongs = c.belongs;
    f.current_address = "测试路1号";
    f.address_unit = c.street;
    f.occupation = "民工";
    if (!c.site.empty()) {
      f.work_site_kind = WorkSiteKind::kConstructionSite;
      f.work_site_name = c.site;
    }
    f.disease_code = c.disease;
    f.case_class = CaseClass::kConfirmed;
    const Date day = D(c.reported);
    f.onset_date = AddDays(day, -1);
    f.diagnosed_at = std::chrono::sys_days(day) + std::chrono::hours(1);  // 09:00 Beijing
    f.reported_at = std::chrono::sys_days(day) + std::chrono::hours(2);
    f.death_date = c.death;
    f.reporting_unit = c.street;
    f.reporting_doctor = "李医生";
    return f;
  }

  std::string Report(const Case& c) {
    auto v = cards_->Create(system_, Fields(c));
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->card.id : "";
  }

  // Week 47 of 2026 is 16–22 November; week 46 is 9–15 November; week 47 of 2025 is 17–23
  // November 2025.
  void WriteCards() {
    const std::string s1 = "450102001", s2 = "450102002", b = "450105001";
    const std::string site = "安居房建筑工地";
    for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18"}) {
      Report({"dysentery", s1, day, site});
    }
    // Died: counted as a case and a death.
    Report({.disease = "dysentery",
            .street = s1,
            .reported = "2026-11-19",
            .site = site,
            .name = "韦测试",
            .death = D("2026-11-21")});
    // Reported as mumps without a site, corrected to dysentery at the site.
    const std::string corrected = Report({"mumps", s1, "2026-11-19", "", "蒙测试"});
    {
      Case fixed{"dysentery", s1, "2026-11-19", "安居房 建筑工地", "蒙测试"};
      auto r = cards_->Correct(system_, corrected, 1, Fields(fixed), "诊断订正");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
    // Deleted: not counted.
    const std::string deleted = Report({"dysentery", s1, "2026-11-20", site, "删测试"});
    ASSERT_TRUE(cards_->Delete(system_, deleted, "误报").ok());
    // A duplicate HFMD report merged into the first: counted once.
    const std::string kept = Report({.disease = "hfmd",
                                     .street = s2,
                                     .reported = "2026-11-20",
                                     .name = "覃测试",
                                     .belongs = PatientBelongs::kThisCounty});
    const std::string dup = Report({.disease = "hfmd",
                                    .street = s2,
                                    .reported = "2026-11-21",
                                    .name = "覃测试",
                                    .belongs = PatientBelongs::kThisCounty});
    ASSERT_TRUE(cards_->Merge(system_, dup, kept, "重复报告").ok());
    Report({"tuberculosis", s1, "2026-11-18"});
    Report({"hfmd", b, "2026-11-18"});              // district B
    Report({"dysentery", s1, "2026-11-12"});        // week 46
    Report({"dysentery", s1, "2025-11-20"});        // week 47 of 2025
    Report({"dysentery", s1, "2026-11-23", site});  // week 48
  }

  Analysis Week47(const auth::Principal& who, const std::string& disease = "") {
    auto r = service_->Analyse(who, {PeriodKind::kWeek, D("2026-11-20"), disease});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Analysis{};
  }

  static const DiseaseRow* Row(const Analysis& a, const std::string& code) {
    for (const DiseaseRow& d : a.diseases) {
      if (d.code == code) return &d;
    }
    return nullptr;
  }

  std::vector<auth::AuditEntry> AuditOf(const auth::Principal& who) {
    auto rows = audit_->Query({.user_id = who.user_id, .limit = 100});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<auth::AuditEntry>{};
  }

  fs::path dir_;
  // 2026-11-25 12:00 Beijing time, a Wednesday of week 48.
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} +
                    std::chrono::hours(4)};
  auth::Principal system_ = auth::AuthService::SystemPrincipal("test");
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<CardService> cards_;
  std::unique_ptr<AnalysisService> service_;
  auth::Principal district_ = User(auth::Role::kDistrict, "450102", "450100/450102/");
  auth::Principal cdc_ = User(auth::Role::kCdc, "450102", "450100/450102/");
  auth::Principal city_ = User(auth::Role::kCommission, "450100", "450100/");
};

TEST_F(AnalysisServiceTest, ActiveCardsCountOnceWithTheirCurrentValues) {
  const Analysis a = Week47(district_);
  EXPECT_EQ(a.area_code, "450102");
  EXPECT_EQ(a.windows.period.Code(), "2026-W47");
  const DiseaseRow* dysentery = Row(a, "dysentery");
  ASSERT_NE(dysentery, nullptr);
  // 3 + the one who died + the corrected one; not the deleted one, not week 48's.
  EXPECT_EQ(dysentery->cases, 5);
  EXPECT_EQ(dysentery->deaths, 1);
  EXPECT_EQ(dysentery->migrant_cases, 5);
  EXPECT_EQ(dysentery->previous.cases, 1);
  EXPECT_EQ(dysentery->previous.change_pct, 400.0);
  EXPECT_EQ(dysentery->year_before.cases, 1);
  EXPECT_EQ(Row(a, "mumps"), nullptr);  // corrected away
  const DiseaseRow* hfmd = Row(a, "hfmd");
  ASSERT_NE(hfmd, nullptr);
  EXPECT_EQ(hfmd->cases, 1);  // the merged duplicate once; district B's not at all
  EXPECT_EQ(hfmd->migrant_cases, 0);
  // The corrected card joined its site: one site (the name's spacing ignored), marked.
  ASSERT_EQ(a.sites.size(), 1u);
  EXPECT_EQ(a.sites[0].cases, 5);
  EXPECT_TRUE(a.sites[0].marked());
  EXPECT_EQ(a.marked_sites, 1);
}

TEST_F(AnalysisServiceTest, TheDistrictSeesItsStreetsWithIncidencesAndHivTbWithoutDetail) {
  const Analysis a = Week47(district_);
  ASSERT_EQ(a.areas.rows.size(), 2u);
  EXPECT_EQ(a.areas.rows[0].code, "450102001");
  EXPECT_EQ(a.areas.rows[1].code, "450102002");
  ASSERT_EQ(a.areas.diseases, (std::vector<std::string>{"dysentery", "hfmd"}));
  EXPECT_EQ(a.areas.rows[0].cells[0].cases, 5);
  EXPECT_EQ(a.areas.rows[0].cells[0].incidence, 1250.0);  // 5 / 400 × 100,000
  EXPECT_EQ(a.areas.total.migrants, 1000);
  EXPECT_EQ(a.migrants_on, D("2026-11-22"));
  // TB: a line of its own and in the total, in no table of detail.
  const DiseaseRow* tb = Row(a, "tuberculosis");
  ASSERT_NE(tb, nullptr);
  EXPECT_EQ(tb->cases, 1);
  EXPECT_TRUE(tb->detail_withheld);
  EXPECT_EQ(a.cases, 7);
  EXPECT_EQ(a.areas.total.total.cases, 6);
  EXPECT_EQ(a.withheld, (std::vector<std::string>{"hiv_aids", "tuberculosis"}));

  // The CDC holds hiv_tb_care: TB everywhere.
  const Analysis c = Week47(cdc_);
  EXPECT_TRUE(c.withheld.empty());
  EXPECT_FALSE(Row(c, "tuberculosis")->detail_withheld);
  EXPECT_EQ(c.areas.total.total.cases, 7);
  EXPECT_EQ(c.areas.diseases.size(), 3u);
}

TEST_F(AnalysisServiceTest, TheCitySeesItsDistricts) {
  const Analysis a = Week47(city_);
  EXPECT_EQ(a.area_code, "450100");
  ASSERT_EQ(a.areas.rows.size(), 2u);
  EXPECT_EQ(a.areas.rows[0].code, "450102");
  EXPECT_EQ(a.areas.rows[1].code, "450105");
  EXPECT_EQ(Row(a, "hfmd")->cases, 2);
  EXPECT_EQ(a.areas.rows[1].total.cases, 1);
  EXPECT_EQ(a.areas.rows[1].migrants, 2000);

  // One disease only.
  const Analysis h = Week47(city_, "hfmd");
  ASSERT_EQ(h.diseases.size(), 1u);
  EXPECT_EQ(h.cases, 2);
  EXPECT_TRUE(h.sites.empty());
}

TEST_F(AnalysisServiceTest, EveryAnalysisIsAuditedAndARefusalToo) {
  Week47(district_);
  auto rows = AuditOf(district_);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].action, "disease.analysis");
  EXPECT_EQ(rows[0].result, "ok");
  EXPECT_NE(rows[0].detail.find("period=2026-W47 area=450102"), std::string::npos);
  EXPECT_TRUE(rows[0].person_id.empty());

  const auth::Principal finance = User(auth::Role::kFinance, "450100", "450100/");
  auto r = service_->Analyse(finance, {PeriodKind::kWeek, D("2026-11-20"), ""});
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  rows = AuditOf(finance);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].result, "denied");
}

TEST_F(AnalysisServiceTest, AFutureDateAndAnUnknownDiseaseAreFieldErrors) {
  auto r = service_->Analyse(district_, {PeriodKind::kMonth, D("2026-11-26"), "smallpox"});
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const auto& errors = r.status().field_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "date");
  EXPECT_EQ(errors[0].code, "in_future");
  EXPECT_EQ(errors[1].field, "disease");
  EXPECT_EQ(errors[1].code, "unknown_disease");
  EXPECT_FALSE(errors[1].message_zh.empty());
  EXPECT_FALSE(errors[1].message_en.empty());
  // Today itself is allowed: the month so far.
  auto today = service_->Analyse(district_, {PeriodKind::kMonth, D("2026-11-25"), ""});
  ASSERT_TRUE(today.ok());
  EXPECT_TRUE(today->windows.partial);
  EXPECT_EQ(Row(*today, "dysentery")->cases, 7);  // weeks 46 to 48
}

TEST_F(AnalysisServiceTest, TheWorkbookHasItsSheetsAndAChineseName) {
  auto f = service_->Workbook(district_, {PeriodKind::kWeek, D("2026-11-20"), ""});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->file_name, "传染病疫情分析-兴宁区-2026-W47.xlsx");
  EXPECT_EQ(f->ascii_name, "disease-analysis-450102-2026-W47.xlsx");
  ASSERT_GT(f->bytes.size(), 1000u);
  EXPECT_EQ(f->bytes.substr(0, 2), "PK");
  EXPECT_NE(AuditOf(district_)[0].detail.find("format=xlsx"), std::string::npos);

  const auto sheets = AnalysisSheets(Week47(district_), DiseaseCatalogue::Builtin());
  std::vector<std::string> names;
  for (const auto& s : sheets) names.push_back(s.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"概况", "地区", "职业", "工作场所", "流行曲线", "说明"}));
  EXPECT_EQ(sheets[0].title, "兴宁区 传染病疫情分析 2026年第47周（2026-11-16至2026-11-22）");
  EXPECT_EQ(sheets[0].rows[0][2].number, 7.0);  // 合计
  const auto& site = sheets[3].rows.at(0);
  EXPECT_EQ(site[1].text, "安居房建筑工地");
  EXPECT_EQ(site[2].number, 5.0);
  EXPECT_TRUE(site[4].alert);
  EXPECT_EQ(sheets[4].rows.size(), 63u);  // 8 weeks and the week, a row a day
}

}  // namespace
}  // namespace jd::disease
