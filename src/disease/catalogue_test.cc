#include "disease/catalogue.h"

#include <gtest/gtest.h>

#include <map>

namespace jd::disease {
namespace {

struct Counts {
  int a = 0, b = 0, c = 0, managed_as_a = 0, fixed = 0, moving = 0;
};

Counts CountOn(const char* date) {
  auto listed = DiseaseCatalogue::Builtin().ListedOn(*ParseDate(date));
  EXPECT_TRUE(listed.ok()) << date;
  Counts n;
  if (!listed.ok()) return n;
  for (const auto& d : *listed) {
    (d.disease_class == DiseaseClass::kA ? n.a : d.disease_class == DiseaseClass::kB ? n.b : n.c)++;
    if (d.managed_as_a) ++n.managed_as_a;
    if (d.entry->detection == DetectionMethod::kFixedThreshold) ++n.fixed;
    if (d.entry->detection == DetectionMethod::kMovingPercentile) ++n.moving;
  }
  return n;
}

TEST(DiseaseCatalogue, ListsFollowEachRevision) {
  // COVID-19 乙类甲管 (2020-01-20 to 2023-01-07): 2 / 27 / 11, three managed as Class A.
  Counts y2022 = CountOn("2023-01-07");
  EXPECT_EQ(y2022.a, 2);
  EXPECT_EQ(y2022.b, 27);
  EXPECT_EQ(y2022.c, 11);
  EXPECT_EQ(y2022.managed_as_a, 2);  // SARS and COVID-19 (pulmonary anthrax is a form)
  // 乙类乙管 from 2023-01-08: 40 diseases, only SARS managed as Class A.
  Counts jan2023 = CountOn("2023-01-08");
  EXPECT_EQ(jan2023.a + jan2023.b + jan2023.c, 40);
  EXPECT_EQ(jan2023.managed_as_a, 1);
  // Mpox Class B from 2023-09-20: 41 (China CDC's count).
  EXPECT_EQ(CountOn("2023-09-19").b, 27);
  Counts sep2023 = CountOn("2023-09-20");
  EXPECT_EQ(sep2023.b, 28);
  EXPECT_EQ(sep2023.a + sep2023.b + sep2023.c, 41);
  // The revised law from 2025-09-01: 2 / 27 / 11 = 40, the avian influenzas merged.
  EXPECT_EQ(CountOn("2025-08-31").b, 28);
  Counts law2025 = CountOn("2025-09-01");
  EXPECT_EQ(law2025.a, 2);
  EXPECT_EQ(law2025.b, 27);
  EXPECT_EQ(law2025.c, 11);
  // CIDARS: 8 notifiable diseases of its 9 fixed-threshold ones, 19 moving-percentile ones; this
  // catalogue adds H7N9 and mpox (fixed) and COVID-19 (moving percentile).
  EXPECT_EQ(jan2023.fixed, 9);
  EXPECT_EQ(jan2023.moving, 20);
  EXPECT_EQ(sep2023.fixed, 10);
}

TEST(DiseaseCatalogue, ReportingLimitsAndVersionedClasses) {
  const auto& cat = DiseaseCatalogue::Builtin();
  auto covid_2022 = cat.Find("covid19", *ParseDate("2022-12-31"));
  ASSERT_TRUE(covid_2022.ok());
  EXPECT_TRUE(covid_2022->managed_as_a);
  EXPECT_EQ(covid_2022->report_limit_hours, 2);
  auto covid_2023 = cat.Find("covid19", *ParseDate("2023-01-08"));
  ASSERT_TRUE(covid_2023.ok());
  EXPECT_FALSE(covid_2023->managed_as_a);
  EXPECT_EQ(covid_2023->report_limit_hours, 24);
  EXPECT_EQ(cat.Find("plague", *ParseDate("2024-05-01"))->report_limit_hours, 2);
  EXPECT_EQ(cat.Find("sars", *ParseDate("2024-05-01"))->report_limit_hours, 2);
  EXPECT_EQ(cat.Find("measles", *ParseDate("2024-05-01"))->report_limit_hours, 24);
  EXPECT_EQ(cat.Find("anthrax", *ParseDate("2024-05-01"))->entry->class_a_measures_form,
            "肺炭疽 pulmonary anthrax");
  EXPECT_EQ(cat.Find("mpox", *ParseDate("2023-09-19")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cat.Find("hpai", *ParseDate("2025-09-01")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(cat.Find("novel_influenza", *ParseDate("2025-09-01")).ok());
  EXPECT_EQ(cat.Find("no_such_disease", *ParseDate("2024-01-01")).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(cat.Find("influenza", *ParseDate("2024-01-01"))->entry->percentile, 75);
  EXPECT_EQ(cat.ListedOn(*ParseDate("2019-12-31")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cat.revisions().size(), 4u);
}

TEST(DiseaseCatalogue, EveryEntryIsComplete) {
  for (const auto& e : DiseaseCatalogue::Builtin().entries()) {
    EXPECT_FALSE(e.name_zh.empty()) << e.code;
    if (e.detection == DetectionMethod::kMovingPercentile) {
      EXPECT_GE(e.percentile, 1) << e.code;
    }
  }
}

TEST(DiseaseCatalogue, RefusesABadFile) {
  const char* head = R"({"revisions":[{"effective":"2020-01-20"}],"diseases":[)";
  for (
      std::string body :
      {R"({"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-01-20","class":"D"}],"detection":"none"}]})",
       R"({"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-01-20","class":"A"}],"detection":"moving_percentile","percentile":100}]})",
       R"({"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-01-20","class":"C","managed_as_a":true}],"detection":"none"}]})",
       R"({"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-01-20","class":"A"}],"detection":"none"},{"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-01-20","class":"A"}],"detection":"none"}]})",
       R"({"code":"x","name_zh":"x","name_en":"x","listed":[{"from":"2020-02-30","class":"A"}],"detection":"none"}]})"}) {
    auto c = DiseaseCatalogue::Parse(head + body);
    EXPECT_FALSE(c.ok()) << body;
  }
  EXPECT_FALSE(DiseaseCatalogue::Parse("not json").ok());
}

}  // namespace
}  // namespace jd::disease
