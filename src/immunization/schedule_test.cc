#include <gtest/gtest.h>

#include "core/embedded.h"
#include "immunization/forecast.h"

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }

TEST(SpanTest, CalendarMonthsClampAtMonthEnd) {
  EXPECT_EQ(Add(D("2024-01-31"), {1, Span::Unit::kMonths}), D("2024-02-29"));
  EXPECT_EQ(Add(D("2023-08-31"), {6, Span::Unit::kMonths}), D("2024-02-29"));
  EXPECT_EQ(Add(D("2024-02-29"), {1, Span::Unit::kYears}), D("2025-02-28"));
  EXPECT_EQ(Add(D("2024-01-01"), {28, Span::Unit::kDays}), D("2024-01-29"));
  EXPECT_EQ(SubtractSpan(D("2024-03-31"), {1, Span::Unit::kMonths}), D("2024-02-29"));
  EXPECT_EQ(FormatSpan({4, Span::Unit::kYears}), "4y");
}

TEST(ScheduleTest, ShippedDataLoadsWithEveryProgrammeVaccine) {
  const Schedule& s = Schedule::Default();
  ASSERT_GE(s.vaccines().size(), 13u);
  EXPECT_EQ(s.info(vaccine::kHepB).code, "HepB");
  EXPECT_EQ(s.info(vaccine::kHepAI).code, "HepA-I");
  EXPECT_TRUE(s.info(vaccine::kMMR).live_injected);
  EXPECT_FALSE(s.info(vaccine::kBOPV).live_injected);  // oral: no spacing rule (说明 二(三)2)
  const VaccineInfo* var = s.Find("VAR");
  ASSERT_NE(var, nullptr);
  EXPECT_FALSE(var->programme);
  EXPECT_TRUE(var->live_injected);
  EXPECT_EQ(s.Find("XYZ"), nullptr);
  EXPECT_EQ(s.series_ids().front(), "HepB");
  EXPECT_EQ(s.rules().general_catch_up_before, (Span{18, Span::Unit::kYears}));
}

TEST(ScheduleTest, TheDtapAmendmentTakesOverOnItsEffectiveDate) {
  const Schedule& s = Schedule::Default();
  auto it = std::find(s.series_ids().begin(), s.series_ids().end(), "DTP");
  ASSERT_NE(it, s.series_ids().end());
  std::size_t dtp = static_cast<std::size_t>(it - s.series_ids().begin());
  // 2021: DTaP from 3 months, DT at 6 years; 2025: DTaP at 2, 4, 6, 18 months and 6 years.
  const SeriesSpec& before = s.SeriesOn(dtp, D("2024-12-31"));
  const SeriesSpec& after = s.SeriesOn(dtp, D("2025-01-01"));
  EXPECT_EQ(before.doses[0].age, (Span{3, Span::Unit::kMonths}));
  EXPECT_EQ(before.doses[4].vaccine, vaccine::kDT);
  EXPECT_EQ(after.doses[0].age, (Span{2, Span::Unit::kMonths}));
  EXPECT_EQ(after.doses[2].age, (Span{6, Span::Unit::kMonths}));
  EXPECT_EQ(after.doses[4].vaccine, vaccine::kDTaP);
  EXPECT_EQ(s.NameOn(D("2024-12-31")), "nip-2021");
  EXPECT_EQ(s.NameOn(D("2025-01-01")), "nip-2021+dtap-2025");
}

TEST(ScheduleTest, BrokenDataIsRefusedWithAClearError) {
  std::string cat(embedded::immunization_catalogue());
  std::string base(embedded::immunization_nip_2021());
  std::string amendment(embedded::immunization_dtap_2025());
  EXPECT_TRUE(Schedule::Load(cat, {base, amendment}).ok());

  std::string no_hepb = cat;
  no_hepb.replace(no_hepb.find("\"HepB\""), 6, "\"HepX\"");
  auto r = Schedule::Load(no_hepb, {base});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 1u);
  EXPECT_NE(r.status().field_errors()[0].message_en.find("HepB"), std::string::npos);

  std::string bad_span = base;
  bad_span.replace(bad_span.find("\"28d\""), 5, "\"28w\"");
  EXPECT_FALSE(Schedule::Load(cat, {bad_span}).ok());

  std::string unknown_vaccine = base;
  unknown_vaccine.replace(unknown_vaccine.find("\"vaccine\": \"MMR\""), 16, "\"vaccine\": \"MMX\"");
  EXPECT_FALSE(Schedule::Load(cat, {unknown_vaccine}).ok());

  // An amendment may not change the number of doses of a series.
  std::string short_amendment = amendment;
  auto last = short_amendment.rfind(",\n      {\"vaccine\": \"DTaP\"");
  ASSERT_NE(last, std::string::npos);
  short_amendment.erase(last, short_amendment.find("]}", last) - last);
  EXPECT_FALSE(Schedule::Load(cat, {base, short_amendment}).ok());

  EXPECT_FALSE(Schedule::Load(cat, {amendment}).ok());  // no base version
  EXPECT_FALSE(Schedule::Load("[]", {base}).ok());
}

}  // namespace
}  // namespace jd::immunization
