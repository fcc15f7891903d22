// Campaign input and the target band.
#include "immunization/campaign.h"

#include <gtest/gtest.h>

namespace jd::immunization {
namespace {

using nlohmann::json;

Date D(const char* text) { return *ParseDate(text); }

bool Has(const FieldErrors& e, const std::string& field, const std::string& code) {
  for (const auto& x : e.errors())
    if (x.field == field && x.code == code) return true;
  return false;
}

json Valid() {
  return {{"name", "2026年麻疹补充免疫"}, {"kind", "supplementary"}, {"vaccine", "MMR"},
          {"age_from_months", 8},         {"age_to_months", 179},    {"area", "450103"},
          {"start_date", "2026-09-01"},   {"end_date", "2026-09-30"}};
}

TEST(Campaign, AValidCampaignReadsWhole) {
  FieldErrors errors;
  Campaign c = CampaignFromJson(Schedule::Default(), Valid(), D("2026-08-01"), errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(c.kind, CampaignKind::kSupplementary);
  EXPECT_EQ(c.vaccine, "MMR");
  EXPECT_EQ(c.age_from_months, 8);
  EXPECT_EQ(c.age_to_months, 179);
  EXPECT_EQ(c.area_code, "450103");
  EXPECT_EQ(c.start, D("2026-09-01"));
  EXPECT_EQ(c.end, D("2026-09-30"));
}

TEST(Campaign, EveryProblemIsAFieldError) {
  json body = Valid();
  body["name"] = "";
  body["kind"] = "routine";
  body["vaccine"] = "XYZ";
  body["age_from_months"] = 24;
  body["age_to_months"] = 12;
  body["end_date"] = "2026-08-01";
  body.erase("area");
  FieldErrors errors;
  CampaignFromJson(Schedule::Default(), body, D("2026-08-01"), errors);
  EXPECT_TRUE(Has(errors, "name", "required"));
  EXPECT_TRUE(Has(errors, "kind", "invalid_value"));
  EXPECT_TRUE(Has(errors, "vaccine", "unknown_vaccine"));
  EXPECT_TRUE(Has(errors, "age_to_months", "before_from"));
  EXPECT_TRUE(Has(errors, "end_date", "before_start"));
  EXPECT_TRUE(Has(errors, "area", "required"));

  json wide = Valid();
  wide["age_to_months"] = 300;
  wide["end_date"] = "2027-12-31";
  wide["age_from_months"] = "8";
  FieldErrors e2;
  CampaignFromJson(Schedule::Default(), wide, D("2026-08-01"), e2);
  EXPECT_TRUE(Has(e2, "age_to_months", "out_of_range"));
  EXPECT_TRUE(Has(e2, "end_date", "range_too_long"));
  EXPECT_TRUE(Has(e2, "age_from_months", "wrong_type"));
}

TEST(Campaign, TargetBandCountsCompletedMonthsOnTheStartDateBothEndsIncluded) {
  FieldErrors errors;
  Campaign c = CampaignFromJson(Schedule::Default(), Valid(), D("2026-08-01"), errors);
  ASSERT_TRUE(errors.empty());
  // 8 months on 2026-09-01: born on or before 2026-01-01.
  EXPECT_TRUE(InTargetBand(c, D("2026-01-01")));
  EXPECT_FALSE(InTargetBand(c, D("2026-01-02")));
  // 179 months is the last: born 2011-09-01 is 180 months old (15 years) on the start date.
  EXPECT_TRUE(InTargetBand(c, D("2011-09-02")));
  EXPECT_FALSE(InTargetBand(c, D("2011-09-01")));
  EXPECT_FALSE(InTargetBand(c, D("2026-09-02")));                   // born after the start
  EXPECT_EQ(CompletedMonths(D("2026-01-31"), D("2026-02-28")), 1);  // end of month clamped
  EXPECT_EQ(CompletedMonths(D("2026-01-31"), D("2026-02-27")), 0);
  EXPECT_EQ(CampaignRate(0, 0), std::nullopt);
  EXPECT_DOUBLE_EQ(*CampaignRate(4, 3), 0.75);
}

}  // namespace
}  // namespace jd::immunization
