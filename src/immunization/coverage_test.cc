// Coverage on a hand-computed city of six children (forecasts written out by hand, so the
// figures below follow from the definitions in coverage.h alone), the timely definitions, and
// the shipped targets.
#include "immunization/coverage.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "immunization/programme_service.h"

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }
VaccineId V(const char* code) { return Schedule::Default().Find(code)->id; }
std::uint8_t S(const char* id) {
  const auto& ids = Schedule::Default().series_ids();
  return static_cast<std::uint8_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

DoseForecast Done(const char* vaccine, const char* series, int dose, const char* recommended,
                  const char* timely_by, const char* given) {
  DoseForecast d;
  d.vaccine = V(vaccine);
  d.series = S(series);
  d.dose = dose;
  d.status = DoseStatus::kDone;
  d.recommended = D(recommended);
  d.timely_by = D(timely_by);
  d.given = D(given);
  return d;
}

DoseForecast Missing(const char* vaccine, const char* series, int dose, const char* timely_by,
                     DoseStatus status = DoseStatus::kOverdue, Reason reason = Reason::kNone) {
  DoseForecast d;
  d.vaccine = V(vaccine);
  d.series = S(series);
  d.dose = dose;
  d.status = status;
  d.timely_by = D(timely_by);
  d.reason = reason;
  return d;
}

const CoverageUnit kCity{"450100", "南宁市", "450100/"};
const CoverageUnit kA{"450103", "青秀区", "450100/450103/"};
const CoverageUnit kB{"450105", "江南区", "450100/450105/"};

struct Case {
  CoverageChild child;
  Forecast forecast;
};

std::vector<Case> City() {
  std::vector<Case> c(6);
  // 1: district A, certificate; HepB1 on the birth day; MMR1 late; on JE-L (JE-I not followed).
  c[0].child = {D("2024-01-10"), "450100/450103/450103001/", true, true, true};
  c[0].forecast.doses = {
      Done("HepB", "HepB", 1, "2024-01-10", "2024-01-11", "2024-01-10"),
      Done("MMR", "MMR", 1, "2024-09-10", "2025-01-10", "2025-02-20"),
      Missing("JE-I", "JE-I", 1, "2025-01-10", DoseStatus::kNotNeeded, Reason::kReplacedBySeries)};
  // 2: district A, no certificate; HepB1 the day after birth; MMR1 missing.
  c[1].child = {D("2024-02-01"), "450100/450103/450103002/", true, true, false};
  c[1].forecast.doses = {Done("HepB", "HepB", 1, "2024-02-01", "2024-02-02", "2024-02-02"),
                         Missing("MMR", "MMR", 1, "2025-02-01")};
  // 3: not a migrant: counted nowhere.
  c[2].child = {D("2024-03-01"), "450100/450105/450105001/", false, false, false};
  c[2].forecast.doses = {Missing("HepB", "HepB", 1, "2024-03-02")};
  // 4: born in 2023: another cohort.
  c[3].child = {D("2023-05-01"), "450100/450105/450105001/", true, true, false};
  c[3].forecast.doses = {Missing("HepB", "HepB", 1, "2023-05-02")};
  // 5: district B; HepB1 on time; MMR1 given early, before the age it is counted at.
  c[4].child = {D("2024-11-15"), "450100/450105/450105001/", true, true, true};
  c[4].forecast.doses = {Done("HepB", "HepB", 1, "2024-11-15", "2024-11-16", "2024-11-15"),
                         Done("MMR", "MMR", 1, "2025-07-15", "2025-11-15", "2025-06-01")};
  // 6: a district without its own row; not yet entitled to a certificate; HepB1 late.
  c[5].child = {D("2024-12-31"), "450100/450107/450107001/", true, false, false};
  c[5].forecast.doses = {Done("HepB", "HepB", 1, "2024-12-31", "2025-01-01", "2025-01-05")};
  return c;
}

std::vector<UnitCoverage> Tally(TimelyDefinition timely) {
  CoverageTally tally({kCity, kA, kB}, {D("2025-06-30"), 2024, timely});
  for (const Case& c : City()) tally.Add(c.child, c.forecast);
  return tally.Finish();
}

const DoseCoverage* Row(const UnitCoverage& u, const char* vaccine, int dose) {
  for (const auto& d : u.doses)
    if (d.vaccine == V(vaccine) && d.dose == dose) return &d;
  return nullptr;
}

TEST(Coverage, CountsEligibleVaccinatedAndTimelyPerUnit) {
  auto units = Tally(TimelyDefinition::kBeforeCompletionAge);
  ASSERT_EQ(units.size(), 3u);
  const UnitCoverage& city = units[0];
  EXPECT_EQ(city.unit.code, "450100");
  EXPECT_EQ(city.children, 4);   // 1, 2, 5, 6
  EXPECT_EQ(city.entitled, 3);   // 1, 2, 5
  EXPECT_EQ(city.with_file, 2);  // 1, 5
  // Every unit has the same rows, in schedule order; JE-I is nobody's (replaced by JE-L).
  ASSERT_EQ(city.doses.size(), 2u);
  EXPECT_EQ(city.doses[0].vaccine, V("HepB"));
  EXPECT_EQ(city.doses[1].vaccine, V("MMR"));
  EXPECT_EQ(Row(city, "JE-I", 1), nullptr);

  const DoseCoverage* hepb = Row(city, "HepB", 1);
  EXPECT_EQ(hepb->eligible, 4);
  EXPECT_EQ(hepb->vaccinated, 4);
  EXPECT_EQ(hepb->timely, 2);  // 1 and 5 on the birth day
  const DoseCoverage* mmr = Row(city, "MMR", 1);
  EXPECT_EQ(mmr->eligible, 2);  // 5 is not 12 months old yet: in neither count
  EXPECT_EQ(mmr->vaccinated, 1);
  EXPECT_EQ(mmr->timely, 0);

  const UnitCoverage& a = units[1];
  EXPECT_EQ(a.children, 2);
  EXPECT_EQ(a.entitled, 2);
  EXPECT_EQ(a.with_file, 1);
  EXPECT_EQ(Row(a, "HepB", 1)->eligible, 2);
  EXPECT_EQ(Row(a, "HepB", 1)->timely, 1);
  EXPECT_EQ(Row(a, "MMR", 1)->eligible, 2);
  EXPECT_EQ(Row(a, "MMR", 1)->vaccinated, 1);

  const UnitCoverage& b = units[2];
  EXPECT_EQ(b.children, 1);
  EXPECT_EQ(b.with_file, 1);
  EXPECT_EQ(Row(b, "HepB", 1)->timely, 1);
  EXPECT_EQ(Row(b, "MMR", 1)->eligible, 0);
  EXPECT_EQ(Rate(Row(b, "MMR", 1)->vaccinated, Row(b, "MMR", 1)->eligible), std::nullopt);
}

TEST(Coverage, TimelyIsASetting) {
  // Within 24 hours of birth: child 2's dose the next day is timely too.
  auto h24 = Tally(TimelyDefinition::kHepBBirth24h);
  EXPECT_EQ(Row(h24[0], "HepB", 1)->timely, 3);
  EXPECT_EQ(Row(h24[0], "MMR", 1)->timely, 0);  // other doses: before the completion age

  DoseForecast mmr = Done("MMR", "MMR", 1, "2024-09-10", "2025-01-10", "2024-10-10");
  EXPECT_TRUE(IsTimely(mmr, D("2024-01-10"), TimelyDefinition::kWithin30Days));  // 30 days
  mmr.given = D("2024-10-11");
  EXPECT_FALSE(IsTimely(mmr, D("2024-01-10"), TimelyDefinition::kWithin30Days));
  EXPECT_TRUE(IsTimely(mmr, D("2024-01-10"), TimelyDefinition::kBeforeCompletionAge));
  mmr.given = D("2025-01-10");  // on the completion-age day: late
  EXPECT_FALSE(IsTimely(mmr, D("2024-01-10"), TimelyDefinition::kBeforeCompletionAge));
  EXPECT_FALSE(IsTimely(Missing("MMR", "MMR", 1, "2025-01-10"), D("2024-01-10"),
                        TimelyDefinition::kBeforeCompletionAge));
  EXPECT_EQ(ParseTimely("within_30_days"), TimelyDefinition::kWithin30Days);
  EXPECT_EQ(ParseTimely("soon"), std::nullopt);
}

TEST(Coverage, ShippedTargetsCiteTheCityRules) {
  const CoverageTargets& t = DefaultTargets();
  ASSERT_EQ(t.targets.size(), 2u);
  EXPECT_EQ(t.targets[0].id, "nip_coverage");
  EXPECT_DOUBLE_EQ(t.targets[0].rate, 0.90);
  EXPECT_EQ(t.targets[1].id, "migrant_children");
  EXPECT_DOUBLE_EQ(t.targets[1].rate, 0.95);
  for (const auto& x : t.targets) EXPECT_NE(x.section.find("四(五)"), std::string::npos);
  EXPECT_NE(t.source.find("实施办法"), std::string::npos);
  EXPECT_FALSE(ParseTargets("{}").ok());
  EXPECT_FALSE(ParseTargets(R"({"targets":[{"id":"x","rate":90}]})").ok());
}

TEST(Coverage, ReportComparesEachRateWithEachTarget) {
  CoverageReport r;
  r.org = {"450100", "南宁市", registry::OrgLevel::kCity, "", "450100/"};
  r.query = {D("2025-06-30"), 2024, TimelyDefinition::kBeforeCompletionAge};
  UnitCoverage u;
  u.unit = kCity;
  u.children = 20;
  u.entitled = 10;
  u.with_file = 9;
  u.doses = {{S("HepB"), V("HepB"), 1, 20, 18, 17},
             {S("MMR"), V("MMR"), 1, 20, 19, 10},
             {S("MMR"), V("MMR"), 2, 0, 0, 0}};
  r.units = {u};
  auto j = CoverageToJson(Schedule::Default(), DefaultTargets(), r);
  const auto& doses = j["units"][0]["doses"];
  EXPECT_DOUBLE_EQ(doses[0]["coverage"].get<double>(), 0.9);
  EXPECT_EQ(doses[0]["meets"]["nip_coverage"], true);  // exactly 90% meets 90%
  EXPECT_EQ(doses[0]["meets"]["migrant_children"], false);
  EXPECT_EQ(doses[1]["meets"]["migrant_children"], true);  // 95%
  EXPECT_TRUE(doses[2]["coverage"].is_null());
  EXPECT_TRUE(doses[2]["meets"]["nip_coverage"].is_null());
  EXPECT_DOUBLE_EQ(j["units"][0]["card_issuance"]["rate"].get<double>(), 0.9);
  EXPECT_EQ(j["timely_definition"], "before_completion_age");
  EXPECT_EQ(j["targets"].size(), 2u);
}

}  // namespace
}  // namespace jd::immunization
