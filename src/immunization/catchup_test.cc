// 查漏补种 rules on hand-made forecasts: who is looked at, the plan's order, and which later
// records fulfil which planned doses.
#include "immunization/catchup.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }
VaccineId V(const char* code) { return Schedule::Default().Find(code)->id; }
std::size_t SeriesIndex(const char* id) {
  const auto& ids = Schedule::Default().series_ids();
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

DoseForecast Dose(const char* vaccine, int dose, DoseStatus status, const char* series,
                  std::optional<Date> earliest, std::optional<Date> timely_by = std::nullopt) {
  DoseForecast d;
  d.vaccine = V(vaccine);
  d.dose = dose;
  d.series = static_cast<std::uint8_t>(SeriesIndex(series));
  d.status = status;
  d.earliest = earliest;
  d.timely_by = timely_by;
  return d;
}

TEST(CatchUp, PopulationIsUnder18WithACertificateOrUnder7) {
  Date as_of = D("2026-06-01");
  EXPECT_TRUE(InCatchUpPopulation(D("2020-06-02"), false, as_of));   // 6 years old
  EXPECT_FALSE(InCatchUpPopulation(D("2019-06-01"), false, as_of));  // 7th birthday today
  EXPECT_TRUE(InCatchUpPopulation(D("2019-06-01"), true, as_of));    // 7 with a certificate
  EXPECT_TRUE(InCatchUpPopulation(D("2008-06-02"), true, as_of));    // a day before 18
  EXPECT_FALSE(InCatchUpPopulation(D("2008-06-01"), true, as_of));   // 18 today
  EXPECT_FALSE(InCatchUpPopulation(D("2026-06-02"), true, as_of));   // not born yet
}

TEST(CatchUp, PlanHoldsTheMissingDosesByEarliestDate) {
  Date as_of = D("2026-06-01");
  Forecast f;
  f.doses = {
      Dose("HepB", 1, DoseStatus::kDone, "HepB", D("2025-01-01")),
      Dose("HepB", 2, DoseStatus::kOverdue, "HepB", D("2025-02-01"), D("2026-01-01")),
      Dose("HepB", 3, DoseStatus::kUpcoming, "HepB", D("2026-08-01")),
      Dose("BCG", 1, DoseStatus::kNeedsTest, "BCG", D("2025-01-01"), D("2025-04-01")),
      Dose("MMR", 1, DoseStatus::kDue, "MMR", D("2025-09-01"), D("2026-01-01")),
      Dose("JE-I", 1, DoseStatus::kNotNeeded, "JE-I", std::nullopt),
  };
  auto plan = CatchUpPlan(f, as_of);
  ASSERT_EQ(plan.size(), 3u);
  // BCG and HepB2: BCG's earliest (2025-01-01) comes first; MMR1 last.
  EXPECT_EQ(plan[0].vaccine, V("BCG"));
  EXPECT_EQ(plan[0].status, DoseStatus::kNeedsTest);
  EXPECT_EQ(plan[1].vaccine, V("HepB"));
  EXPECT_EQ(plan[1].dose, 2);
  EXPECT_EQ(plan[2].vaccine, V("MMR"));
  // Every dose is planned for the day of the list when it could have been given before.
  for (const auto& p : plan) EXPECT_EQ(p.planned_on, as_of);
  EXPECT_EQ(plan[1].timely_by, D("2026-01-01"));

  // A dose due later than the list's date is planned on its earliest date.
  Forecast later;
  later.doses = {Dose("MMR", 2, DoseStatus::kDue, "MMR", D("2026-07-01"), D("2027-01-01"))};
  auto p2 = CatchUpPlan(later, as_of);
  ASSERT_EQ(p2.size(), 1u);
  EXPECT_EQ(p2[0].planned_on, D("2026-07-01"));
}

TEST(CatchUp, SeriesVaccinesCoverEveryProductOfTheSeries) {
  auto polio = SeriesVaccines(Schedule::Default(), SeriesIndex("Polio"));
  EXPECT_NE(std::find(polio.begin(), polio.end(), V("IPV")), polio.end());
  EXPECT_NE(std::find(polio.begin(), polio.end(), V("bOPV")), polio.end());
  EXPECT_EQ(std::find(polio.begin(), polio.end(), V("MMR")), polio.end());
  auto dtp = SeriesVaccines(Schedule::Default(), SeriesIndex("DTP"));
  EXPECT_NE(std::find(dtp.begin(), dtp.end(), V("DTaP")), dtp.end());
  EXPECT_NE(std::find(dtp.begin(), dtp.end(), V("DT")), dtp.end());
}

TEST(CatchUp, LaterRecordsOfTheSeriesFulfilThePlanOnceEach) {
  Date as_of = D("2026-06-01");
  std::vector<PlannedRef> planned = {
      {SeriesIndex("Polio"), V("IPV")},  // IPV2 planned
      {SeriesIndex("MMR"), V("MMR")},
      {SeriesIndex("HepB"), V("HepB")},
      {SeriesIndex("HepB"), V("HepB")},  // two HepB doses planned (over two rounds' worth)
  };
  std::vector<DoseEvent> given = {
      {V("MMR"), D("2026-05-31")},   // before the round: does not count
      {V("bOPV"), D("2026-06-01")},  // the round's own day counts; another polio product is fine
      {V("HepB"), D("2026-07-01")},  // fulfils the first HepB only
      {V("DTaP"), D("2026-07-01")},  // nothing planned of its series
  };
  auto done = FulfilledDoses(Schedule::Default(), planned, given, as_of);
  EXPECT_EQ(done, (std::vector<bool>{true, false, true, false}));

  // A series unknown to the schedule: only the same vaccine counts.
  std::vector<PlannedRef> unknown = {{std::nullopt, V("MMR")}};
  std::vector<DoseEvent> mmr = {{V("MMR"), D("2026-06-02")}};
  EXPECT_EQ(FulfilledDoses(Schedule::Default(), unknown, mmr, as_of), std::vector<bool>{true});
}

}  // namespace
}  // namespace jd::immunization
