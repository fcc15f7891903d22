// The periodic analysis as pure functions: the periods and windows of the worked cases in
// tests/data/disease/analysis_periods.json (ISO weeks across year ends, months, periods not yet
// over), and worked cases of the tables built from counts — per disease with 环比 and 同比, per
// class, the area table with incidences per 100,000 migrants, occupations, work sites with the
// ≥ 3-case mark and the top N, the epidemic curve with its "other" series, and HIV/TB counted
// without detail.
#include "disease/analysis.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::disease {
namespace {

using nlohmann::json;
using registry::OrgLevel;

Date D(const std::string& text) { return *ParseDate(text); }

const DiseaseCatalogue& Catalogue() { return DiseaseCatalogue::Builtin(); }

TEST(AnalysisPeriodsTest, WorkedCases) {
  const json cases = testing_support::ReadCases("tests/data/disease/analysis_periods.json");
  ASSERT_GE(cases.size(), 8u);
  testing_support::ForEachCase(cases, [](const json& c) {
    const auto kind = ParsePeriodKind(c["period"].get<std::string>());
    ASSERT_TRUE(kind.has_value());
    const AnalysisWindows w = WindowsFor(PeriodContaining(*kind, D(c["date"])), D(c["today"]));
    const json& e = c["expect"];
    EXPECT_EQ(w.period.Code(), e["code"]);
    EXPECT_EQ(FormatDate(w.period.first), e["first"]);
    EXPECT_EQ(FormatDate(w.period.last), e["last"]);
    EXPECT_EQ(FormatDate(w.through), e["through"]);
    EXPECT_EQ(w.partial, e["partial"].get<bool>());
    EXPECT_EQ(FormatDate(w.current.first), e["first"]);
    EXPECT_EQ(FormatDate(w.current.last), e["through"]);
    for (const auto& [key, window] :
         {std::pair<const char*, const DateWindow*>{"previous", &w.previous},
          {"year_before", &w.year_before},
          {"curve", &w.curve}}) {
      EXPECT_EQ(FormatDate(window->first), e[key][0]) << key;
      EXPECT_EQ(FormatDate(window->last), e[key][1]) << key;
    }
  });
}

TEST(AnalysisPeriodsTest, LabelsAndCodes) {
  const ReportPeriod w = PeriodContaining(PeriodKind::kWeek, D("2026-11-20"));
  EXPECT_EQ(w.LabelZh(), "2026年第47周（2026-11-16至2026-11-22）");
  EXPECT_EQ(w.LabelEn(), "week 47 of 2026 (2026-11-16 to 2026-11-22)");
  const ReportPeriod m = PeriodContaining(PeriodKind::kMonth, D("2026-11-20"));
  EXPECT_EQ(m.Code(), "2026-11");
  EXPECT_EQ(m.LabelZh(), "2026年11月");
  EXPECT_EQ(m.LabelEn(), "November 2026");
  EXPECT_EQ(ParsePeriodKind("year"), std::nullopt);
  EXPECT_EQ(PeriodKindCode(PeriodKind::kMonth), "month");
}

TEST(AnalysisArithmeticTest, ChangeAndIncidenceRoundHalfAwayFromZero) {
  EXPECT_EQ(ChangePercent(9, 3), 200.0);
  EXPECT_EQ(ChangePercent(4, 4), 0.0);
  EXPECT_EQ(ChangePercent(0, 2), -100.0);
  EXPECT_EQ(ChangePercent(13, 9), 44.4);  // 44.44…
  EXPECT_EQ(ChangePercent(1, 3), -66.7);  // −66.66…
  EXPECT_EQ(ChangePercent(5, 8), -37.5);
  EXPECT_EQ(ChangePercent(3, 0), std::nullopt);  // no change against nothing
  EXPECT_EQ(IncidencePer100k(9, 1200), 750.0);
  EXPECT_EQ(IncidencePer100k(1, 3), 33333.33);
  EXPECT_EQ(IncidencePer100k(1, 0), std::nullopt);
  EXPECT_EQ(IncidencePer100k(1, std::nullopt), std::nullopt);
}

// A district with two streets, a week of 2026 that is over.
class AnalyseTest : public ::testing::Test {
 protected:
  AnalysisInput Input() const {
    AnalysisInput in;
    in.windows = WindowsFor(PeriodContaining(PeriodKind::kWeek, D("2026-11-20")), D("2026-12-01"));
    in.area = {"450102", "兴宁区", OrgLevel::kDistrict, "450100", "450100/450102/"};
    in.sub_units = {
        {"450102001", "民生街道", OrgLevel::kStreet, "450102", "450100/450102/450102001/"},
        {"450102002", "朝阳街道", OrgLevel::kStreet, "450102", "450100/450102/450102002/"}};
    in.migrants = {{"450102", 5000}, {"450102001", 1200}, {"450102002", 0}};
    return in;
  }
};

// 9 dysentery (all migrants) and 4 HFMD (1 migrant, 1 death) this week; 3 dysentery, 4 HFMD and 2
// influenza the week before; 8 HFMD in week 47 of 2025.
TEST_F(AnalyseTest, DiseasesWithTheirChangesAgainstThePreviousPeriodAndTheYearBefore) {
  AnalysisInput in = Input();
  in.counts.current = {{"dysentery", 9, 0, 9}, {"hfmd", 4, 1, 1}};
  in.counts.previous = {{"dysentery", 3}, {"hfmd", 4}, {"influenza", 2}};
  in.counts.year_before = {{"hfmd", 8}};
  const Analysis a = Analyse(in, Catalogue());

  ASSERT_EQ(a.diseases.size(), 3u);
  EXPECT_EQ(a.diseases[0].code, "dysentery");
  EXPECT_EQ(a.diseases[0].name_zh, "细菌性和阿米巴性痢疾");
  EXPECT_EQ(a.diseases[0].disease_class, DiseaseClass::kB);
  EXPECT_EQ(a.diseases[0].migrant_cases, 9);
  EXPECT_EQ(a.diseases[0].previous.cases, 3);
  EXPECT_EQ(a.diseases[0].previous.change_pct, 200.0);
  EXPECT_EQ(a.diseases[0].year_before.change_pct, std::nullopt);  // none a year before
  EXPECT_EQ(a.diseases[1].code, "hfmd");
  EXPECT_EQ(a.diseases[1].deaths, 1);
  EXPECT_EQ(a.diseases[1].previous.change_pct, 0.0);
  EXPECT_EQ(a.diseases[1].year_before.change_pct, -50.0);
  // A disease with cases only in a comparison window keeps its line: 0 now, −100%.
  EXPECT_EQ(a.diseases[2].code, "influenza");
  EXPECT_EQ(a.diseases[2].cases, 0);
  EXPECT_EQ(a.diseases[2].previous.change_pct, -100.0);

  EXPECT_EQ(a.cases, 13);
  EXPECT_EQ(a.deaths, 1);
  EXPECT_EQ(a.migrant_cases, 10);
  EXPECT_EQ(a.previous.cases, 9);
  EXPECT_EQ(a.previous.change_pct, 44.4);
  EXPECT_EQ(a.year_before.change_pct, 62.5);
  ASSERT_EQ(a.classes.size(), 3u);
  EXPECT_EQ(a.classes[0].cases, 0);  // 甲类
  EXPECT_EQ(a.classes[1].cases, 9);  // 乙类: dysentery
  EXPECT_EQ(a.classes[1].previous.change_pct, 200.0);
  EXPECT_EQ(a.classes[2].cases, 4);  // 丙类: HFMD and influenza
  EXPECT_EQ(a.classes[2].previous.cases, 6);
  EXPECT_EQ(a.classes[2].previous.change_pct, -33.3);
  EXPECT_EQ(a.classes[2].year_before.change_pct, -50.0);
}

// Street 1 has 1,200 migrants, street 2 none known as 0, the district 5,000; two HFMD cards give
// the district itself as the address unit.
TEST_F(AnalyseTest, AreaRowsWithIncidencePer100000Migrants) {
  AnalysisInput in = Input();
  in.counts.by_unit = {{"450100/450102/450102001/450102001003/", "dysentery", 9, 9},
                       {"450100/450102/450102002/", "hfmd", 2, 1},
                       {"450100/450102/", "hfmd", 2, 0}};
  const Analysis a = Analyse(in, Catalogue());
  const AreaTable& t = a.areas;
  ASSERT_EQ(t.diseases, (std::vector<std::string>{"dysentery", "hfmd"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].code, "450102001");
  EXPECT_EQ(t.rows[0].migrants, 1200);
  EXPECT_EQ(t.rows[0].cells[0].cases, 9);
  EXPECT_EQ(t.rows[0].cells[0].incidence, 750.0);  // 9 / 1,200 × 100,000
  EXPECT_EQ(t.rows[0].cells[1].cases, 0);
  EXPECT_EQ(t.rows[0].cells[1].incidence, 0.0);
  EXPECT_EQ(t.rows[0].total.incidence, 750.0);
  EXPECT_EQ(t.rows[1].code, "450102002");
  EXPECT_EQ(t.rows[1].cells[1].cases, 2);
  EXPECT_EQ(t.rows[1].cells[1].migrant_cases, 1);
  EXPECT_EQ(t.rows[1].cells[1].incidence, std::nullopt);  // 0 migrants: no rate
  EXPECT_TRUE(t.rows[2].own_level);
  EXPECT_EQ(t.rows[2].code, "450102");
  EXPECT_EQ(t.rows[2].total.cases, 2);
  EXPECT_EQ(t.rows[2].migrants, std::nullopt);
  EXPECT_EQ(t.total.total.cases, 13);
  EXPECT_EQ(t.total.total.migrant_cases, 10);
  EXPECT_EQ(t.total.migrants, 5000);
  EXPECT_EQ(t.total.total.incidence, 200.0);  // 10 / 5,000 × 100,000
  EXPECT_EQ(t.total.cells[1].cases, 4);
  EXPECT_EQ(t.total.cells[1].incidence, 20.0);  // 1 / 5,000 × 100,000
}

TEST_F(AnalyseTest, StreetsWithoutCasesStillHaveRowsAndNoOwnLevelRowWithoutItsCards) {
  AnalysisInput in = Input();
  in.counts.by_unit = {{"450100/450102/450102001/", "hfmd", 1, 1}};
  const Analysis a = Analyse(in, Catalogue());
  ASSERT_EQ(a.areas.rows.size(), 2u);
  EXPECT_EQ(a.areas.rows[1].total.cases, 0);
  EXPECT_EQ(a.areas.rows[1].total.incidence, std::nullopt);
  EXPECT_FALSE(a.areas.rows[1].own_level);
}

TEST_F(AnalyseTest, OccupationsWithTheirShareAndDiseases) {
  AnalysisInput in = Input();
  in.counts.by_occupation = {
      {"民工", "dysentery", 9}, {"学生", "hfmd", 2}, {"学生", "mumps", 1}, {"", "hfmd", 1}};
  const Analysis a = Analyse(in, Catalogue());
  ASSERT_EQ(a.occupations.size(), 3u);
  EXPECT_EQ(a.occupations[0].occupation, "民工");
  EXPECT_EQ(a.occupations[0].share_pct, 69.2);  // 9 / 13
  EXPECT_EQ(a.occupations[1].occupation, "学生");
  EXPECT_EQ(a.occupations[1].cases, 3);
  EXPECT_EQ(a.occupations[1].share_pct, 23.1);
  EXPECT_EQ(a.occupations[1].diseases,
            (std::vector<std::pair<std::string, int>>{{"hfmd", 2}, {"mumps", 1}}));
  EXPECT_EQ(a.occupations[2].occupation, "不详");  // written empty
  EXPECT_EQ(a.occupations[2].share_pct, 7.7);
}

// Site A: 9 dysentery (marked); site B: 2 dysentery and 2 HFMD, 4 cases but under 3 of each (not
// marked); site C: 1 case; the same site written two ways (one key) is one site.
TEST_F(AnalyseTest, WorkSitesMarkedAtThreeCasesOfOneDiseaseAndCutToTopN) {
  AnalysisInput in = Input();
  in.counts.by_site = {{WorkSiteKind::kConstructionSite, "三桥街道安居房建筑工地",
                        "三桥街道安居房建筑工地", "dysentery", 9},
                       {WorkSiteKind::kFactory, "b厂", "B厂", "dysentery", 2},
                       {WorkSiteKind::kFactory, "b厂", "B 厂", "hfmd", 1},
                       {WorkSiteKind::kFactory, "b厂", "B厂", "hfmd", 1},
                       {WorkSiteKind::kMarket, "c市场", "C市场", "hfmd", 1}};
  in.top_sites = 2;
  Analysis a = Analyse(in, Catalogue());
  EXPECT_EQ(a.sites_total, 3);
  EXPECT_EQ(a.marked_sites, 1);
  ASSERT_EQ(a.sites.size(), 2u);
  EXPECT_EQ(a.sites[0].name, "三桥街道安居房建筑工地");
  EXPECT_EQ(a.sites[0].kind, WorkSiteKind::kConstructionSite);
  EXPECT_EQ(a.sites[0].cases, 9);
  EXPECT_TRUE(a.sites[0].marked());
  EXPECT_EQ(a.sites[0].marked_diseases, std::vector<std::string>{"dysentery"});
  EXPECT_EQ(a.sites[1].name, "B厂");  // written so on 3 of its 4 cards
  EXPECT_EQ(a.sites[1].cases, 4);
  EXPECT_FALSE(a.sites[1].marked());

  // A marked site is kept even when the list is cut shorter than the marked sites.
  in.top_sites = 0;
  a = Analyse(in, Catalogue());
  ASSERT_EQ(a.sites.size(), 1u);
  EXPECT_TRUE(a.sites[0].marked());
}

TEST_F(AnalyseTest, CurveByOnsetDayWithTheTopDiseasesAndTheRestAsOther) {
  AnalysisInput in = Input();
  in.curve_diseases = 2;
  const Date first = in.windows.curve.first;  // 2026-09-21
  in.counts.by_onset = {{D("2026-11-16"), "dysentery", 3}, {D("2026-11-17"), "dysentery", 6},
                        {D("2026-11-16"), "hfmd", 2},      {first, "mumps", 1},
                        {D("2026-11-22"), "influenza", 1}, {D("2026-11-23"), "hfmd", 5},
                        {D("2026-09-20"), "hfmd", 5}};  // the last two outside the window
  const Analysis a = Analyse(in, Catalogue());
  const EpidemicCurve& c = a.curve;
  ASSERT_EQ(c.total.size(), 63u);  // 8 weeks before and the week
  ASSERT_EQ(c.series.size(), 3u);
  EXPECT_EQ(c.series[0].disease, "dysentery");
  EXPECT_EQ(c.series[1].disease, "hfmd");
  EXPECT_EQ(c.series[2].disease, "");  // mumps and influenza together
  EXPECT_EQ(c.series[0].counts[56], 3);
  EXPECT_EQ(c.series[0].counts[57], 6);
  EXPECT_EQ(c.series[2].counts[0], 1);
  EXPECT_EQ(c.series[2].counts[62], 1);
  EXPECT_EQ(c.total[56], 5);
  int sum = 0;
  for (int n : c.total) sum += n;
  EXPECT_EQ(sum, 13);
}

// Without hiv_tb_care: TB counted in the per-disease lines and the totals, and in nothing else.
TEST_F(AnalyseTest, WithheldDiseasesAreCountedWithoutDetail) {
  AnalysisInput in = Input();
  in.withheld = {"hiv_aids", "tuberculosis"};
  in.counts.current = {{"tuberculosis", 5, 0, 2}, {"hfmd", 1, 0, 0}};
  in.counts.by_unit = {{"450100/450102/450102001/", "tuberculosis", 5, 2},
                       {"450100/450102/450102001/", "hfmd", 1, 0}};
  in.counts.by_occupation = {{"民工", "tuberculosis", 5}, {"学生", "hfmd", 1}};
  in.counts.by_site = {{WorkSiteKind::kFactory, "x厂", "X厂", "tuberculosis", 5}};
  in.counts.by_onset = {{D("2026-11-16"), "tuberculosis", 5}};
  const Analysis a = Analyse(in, Catalogue());
  EXPECT_EQ(a.cases, 6);
  ASSERT_EQ(a.diseases.size(), 2u);
  EXPECT_EQ(a.diseases[0].code, "tuberculosis");
  EXPECT_TRUE(a.diseases[0].detail_withheld);
  EXPECT_FALSE(a.diseases[1].detail_withheld);
  EXPECT_EQ(a.areas.diseases, std::vector<std::string>{"hfmd"});
  EXPECT_EQ(a.areas.total.total.cases, 1);
  ASSERT_EQ(a.occupations.size(), 1u);
  EXPECT_EQ(a.occupations[0].share_pct, 100.0);
  EXPECT_TRUE(a.sites.empty());
  EXPECT_TRUE(a.curve.series.empty());
  EXPECT_EQ(a.withheld, in.withheld);
}

}  // namespace
}  // namespace jd::disease
