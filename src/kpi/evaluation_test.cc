#include "kpi/evaluation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jd::kpi {
namespace {

using nlohmann::json;

// A small scheme over the shipped catalogue. District: coverage 40 (linear from 85% to the
// catalogue's 95%), child e-records 30 (linear from 50% to the catalogue's 80%), certificates 20
// (threshold 90%), review days 10 (linear, lower is better: 15 days none, 5 days full).
// Street: coverage 60, child e-records 40.
constexpr const char* kScheme = R"({
  "id": "test-scheme", "source": "test",
  "items": [
    {"code": "IMM_COV_ALL", "weights": {"district": 40, "street": 60}, "rule": "linear",
     "floor": 0.85},
    {"code": "KEY_EHR_CHILD", "weights": {"district": 30, "street": 40}, "rule": "linear",
     "floor": 0.5},
    {"code": "IMM_FILE_RATE", "weights": {"district": 20}, "rule": "threshold", "target": 0.9},
    {"code": "DOC_REVIEW_DAYS", "weights": {"district": 10}, "rule": "linear",
     "direction": "lower", "floor": 15, "target": 5}
  ]})";

AssessmentScheme Scheme() {
  auto s = LoadAssessmentScheme(kScheme, Catalogue::Default());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

IndicatorValue Value(const std::string& code, std::optional<double> v) {
  IndicatorValue x;
  x.code = code;
  x.value = v;
  return x;
}

UnitValues Unit(const std::string& code, std::optional<double> coverage, std::optional<double> ehr,
                std::optional<double> files, std::optional<double> days) {
  return {
      code,
      code + "区",
      {Value("IMM_COV_ALL", coverage), Value("KEY_EHR_CHILD", ehr), Value("IMM_FILE_RATE", files),
       Value("DOC_REVIEW_DAYS", days), Value("REG_FLOATING", 1000)}};
}

std::vector<std::string> Codes(const std::vector<std::string>& v) { return v; }

TEST(AssessmentSchemeTest, ShippedSchemeLoadsWithWeightsOf100PerLevel) {
  const AssessmentScheme& s = DefaultAssessmentScheme();
  for (AssessmentLevel level : {AssessmentLevel::kDistrict, AssessmentLevel::kStreet}) {
    double sum = 0;
    for (const AssessmentItem* i : s.ItemsFor(level)) sum += *i->weights[static_cast<int>(level)];
    EXPECT_DOUBLE_EQ(sum, 100.0) << LevelCode(level);
  }
  bool coverage = false, review_at_street = false;
  for (const AssessmentItem& i : s.items) {
    if (i.code == "IMM_COV_ALL") {
      coverage = true;
      EXPECT_DOUBLE_EQ(i.target, 0.95);  // 南宁市实施办法 §四(五), from the catalogue
      EXPECT_TRUE(i.confirmed);
    }
    if (i.code == "DOC_REVIEW_DAYS") {
      EXPECT_EQ(i.direction, Direction::kLowerIsBetter);
      review_at_street = i.weights[static_cast<int>(AssessmentLevel::kStreet)].has_value();
    }
  }
  EXPECT_TRUE(coverage);
  EXPECT_FALSE(review_at_street);  // documents are reviewed by the district
}

TEST(AssessmentSchemeTest, RejectsBadSchemesWithTheField) {
  auto errors_of = [](const char* text) {
    auto s = LoadAssessmentScheme(text, Catalogue::Default());
    EXPECT_FALSE(s.ok());
    std::vector<std::string> fields;
    for (const auto& e : s.status().field_errors()) fields.push_back(e.field + ":" + e.code);
    return fields;
  };
  // Weights of a level that do not add up to 100.
  EXPECT_EQ(errors_of(R"({"id":"x","source":"y","items":[
      {"code":"IMM_COV_ALL","weights":{"district":90},"rule":"linear","floor":0.8}]})"),
            Codes({"weights.district:weights_not_100"}));
  // Unknown and inactive indicators; no target anywhere; a floor above the target; a bad level.
  EXPECT_EQ(errors_of(R"({"id":"x","source":"y","items":[
      {"code":"NOPE","weights":{"district":20},"rule":"threshold","target":1},
      {"code":"FP_GUIDANCE","weights":{"district":20},"rule":"threshold"},
      {"code":"REG_HR_RATE","weights":{"district":20},"rule":"threshold"},
      {"code":"IMM_COV_ALL","weights":{"district":20},"rule":"linear","floor":0.99},
      {"code":"KEY_EHR_CHILD","weights":{"village":20},"rule":"linear","floor":0.5}]})"),
            Codes({"items[0].code:unknown_indicator", "items[1].code:inactive_indicator",
                   "items[2].target:required", "items[3].floor:invalid_floor",
                   "items[4].weights.village:invalid_level"}));
  // Lower is better: the floor must be above the target.
  EXPECT_EQ(errors_of(R"({"id":"x","source":"y","items":[
      {"code":"DOC_REVIEW_DAYS","weights":{"district":100},"rule":"linear","direction":"lower",
       "floor":3,"target":5}]})"),
            Codes({"items[0].floor:invalid_floor"}));
}

TEST(ItemPointsTest, LinearThresholdAndLowerIsBetter) {
  AssessmentScheme s = Scheme();
  const AssessmentItem& coverage = s.items[0];            // 0.85 → 0.95, higher is better
  EXPECT_DOUBLE_EQ(ItemPoints(coverage, 40, 0.80), 0);    // below the floor
  EXPECT_DOUBLE_EQ(ItemPoints(coverage, 40, 0.85), 0);    // at the floor
  EXPECT_NEAR(ItemPoints(coverage, 40, 0.90), 20, 1e-9);  // half way
  EXPECT_DOUBLE_EQ(ItemPoints(coverage, 40, 0.95), 40);   // at the target
  EXPECT_DOUBLE_EQ(ItemPoints(coverage, 40, 1.00), 40);   // above: no bonus
  const AssessmentItem& files = s.items[2];               // threshold 0.9
  EXPECT_DOUBLE_EQ(ItemPoints(files, 20, 0.8999), 0);
  EXPECT_DOUBLE_EQ(ItemPoints(files, 20, 0.90), 20);
  const AssessmentItem& days = s.items[3];  // 15 days → 5 days, lower is better
  EXPECT_DOUBLE_EQ(ItemPoints(days, 10, 20), 0);
  EXPECT_DOUBLE_EQ(ItemPoints(days, 10, 15), 0);
  EXPECT_DOUBLE_EQ(ItemPoints(days, 10, 8), 7);  // (15 − 8) / (15 − 5) × 10
  EXPECT_DOUBLE_EQ(ItemPoints(days, 10, 5), 10);
  EXPECT_DOUBLE_EQ(ItemPoints(days, 10, 0.5), 10);
  EXPECT_TRUE(TargetMet(days, 5));
  EXPECT_FALSE(TargetMet(days, 5.1));
}

// Hand-computed:
//   A: coverage 92% → 40·0.07/0.10 = 28; e-records 80% → 30 (met); certificates 95% → 20 (met);
//      12 days → 10·3/10 = 3.   Total 81.00.
//   B: coverage 96% → 40 (met); e-records 65% → 30·0.15/0.30 = 15; certificates 85% → 0;
//      4 days → 10 (met).        Total 65.00.
//   E: coverage 95% → 40 (met, at the target); e-records 65% → 15; certificates 80% → 0;
//      5 days → 10 (met).        Total 65.00: tied with B.
//   C: coverage 80% → 0; e-records: no value (not applicable, 30 points leave the base);
//      certificates 100% → 20; 15 days → 0. 20 of 70 applicable points → 100·20/70 = 28.57.
//   D: no value at all: no total, not ranked.
// Ranks: A 1, B 2, E 2 (tie, by code), C 4, D none.
std::vector<UnitValues> Districts() {
  return {Unit("C", 0.80, std::nullopt, 1.0, 15), Unit("E", 0.95, 0.65, 0.80, 5),
          Unit("A", 0.92, 0.80, 0.95, 12),
          Unit("D", std::nullopt, std::nullopt, std::nullopt, std::nullopt),
          Unit("B", 0.96, 0.65, 0.85, 4)};
}

TEST(EvaluateTest, ScoresTotalsAndRanksWithTies) {
  AssessmentScheme s = Scheme();
  Period year = *ParsePeriod("2026");
  Evaluation e = Evaluate(s, AssessmentLevel::kDistrict, year, Districts());
  ASSERT_EQ(e.units.size(), 5u);
  std::vector<std::string> order;
  for (const auto& u : e.units) order.push_back(u.code);
  EXPECT_EQ(order, Codes({"A", "B", "E", "C", "D"}));

  const UnitScore& a = e.units[0];
  ASSERT_EQ(a.items.size(), 4u);
  EXPECT_NEAR(*a.items[0].points, 28, 1e-9);
  EXPECT_EQ(a.items[0].outcome, Outcome::kMissed);
  EXPECT_DOUBLE_EQ(*a.items[1].points, 30);
  EXPECT_EQ(a.items[1].outcome, Outcome::kMet);
  EXPECT_NEAR(*a.items[3].points, 3, 1e-9);
  EXPECT_DOUBLE_EQ(*a.total, 81.00);
  EXPECT_EQ(*a.rank, 1);

  EXPECT_DOUBLE_EQ(*e.units[1].total, 65.00);
  EXPECT_DOUBLE_EQ(*e.units[2].total, 65.00);
  EXPECT_EQ(*e.units[1].rank, 2);
  EXPECT_EQ(*e.units[2].rank, 2);

  const UnitScore& c = e.units[3];
  EXPECT_DOUBLE_EQ(c.applicable_weight, 70);
  EXPECT_EQ(c.items[1].outcome, Outcome::kNotApplicable);
  EXPECT_FALSE(c.items[1].points.has_value());
  EXPECT_DOUBLE_EQ(*c.total, 28.57);
  EXPECT_EQ(*c.rank, 4);  // two units share rank 2, so the next is 4

  EXPECT_FALSE(e.units[4].total.has_value());
  EXPECT_FALSE(e.units[4].rank.has_value());
}

TEST(EvaluateTest, StreetLevelUsesOnlyItsItems) {
  AssessmentScheme s = Scheme();
  // Coverage 90% → 60·0.5 = 30; e-records 50% → 0 (at the floor). Total 30.
  Evaluation e = Evaluate(s, AssessmentLevel::kStreet, *ParsePeriod("2026Q3"),
                          {Unit("S1", 0.90, 0.50, 0.0, 99)});
  ASSERT_EQ(e.units[0].items.size(), 2u);
  EXPECT_NEAR(*e.units[0].total, 30.0, 1e-9);
  EXPECT_EQ(e.items.size(), 2u);
}

TEST(BulletinTest, NamesTargetsMetAndMissedAndTheBestAndWorst) {
  AssessmentScheme s = Scheme();
  Evaluation e = Evaluate(s, AssessmentLevel::kDistrict, *ParsePeriod("2026"), Districts());
  const Bulletin& b = e.bulletin;
  EXPECT_EQ(b.best, Codes({"A"}));
  EXPECT_EQ(b.worst, Codes({"C"}));
  ASSERT_EQ(b.entries.size(), 5u);
  const BulletinEntry& a = b.entries[0];
  EXPECT_EQ(a.met, Codes({"KEY_EHR_CHILD", "IMM_FILE_RATE"}));
  EXPECT_EQ(a.missed, Codes({"IMM_COV_ALL", "DOC_REVIEW_DAYS"}));
  EXPECT_EQ(a.text_zh,
            "A区：第1名，得分81.00；达标2项，未达标2项：流动儿童免疫规划疫苗接种率（全部剂次）92%"
            "（目标95%）；服务凭证平均审核天数12天（目标5天）。");
  EXPECT_NE(a.text_en.find("A区: rank 1, score 81.00; 2 targets met, 2 missed:"), std::string::npos)
      << a.text_en;
  EXPECT_NE(a.text_en.find("12 days (target 5 days)"), std::string::npos) << a.text_en;
  const BulletinEntry& c = b.entries[3];
  EXPECT_EQ(c.not_applicable, Codes({"KEY_EHR_CHILD"}));
  EXPECT_NE(c.text_zh.find("1项无服务对象，不计分"), std::string::npos) << c.text_zh;
  EXPECT_EQ(b.entries[4].text_zh, "D区：无可考核指标（各项均无服务对象），不参与排名。");
  // Mean of the four ranked totals: (81 + 65 + 65 + 28.57) / 4 = 59.8925 → 59.89.
  EXPECT_EQ(b.summary_zh,
            "2026年共4个县（区）参加排名，平均得分59.89；第一名：A区（81.00分）；末位：C区"
            "（28.57分）；1个单位无可考核指标，未排名。");
  EXPECT_NE(b.title_zh.find("2026年"), std::string::npos);
}

TEST(BulletinTest, AllTiedHasNoWorst) {
  AssessmentScheme s = Scheme();
  Evaluation e = Evaluate(s, AssessmentLevel::kStreet, *ParsePeriod("2026-05"),
                          {Unit("X", 0.95, 0.8, 0, 0), Unit("Y", 0.99, 0.9, 0, 0)});
  EXPECT_EQ(*e.units[0].rank, 1);
  EXPECT_EQ(*e.units[1].rank, 1);
  EXPECT_EQ(e.bulletin.best, Codes({"X", "Y"}));
  EXPECT_TRUE(e.bulletin.worst.empty());
  EXPECT_NE(e.bulletin.entries[0].text_zh.find("无未达标项"), std::string::npos);
}

TEST(EvaluateTest, JsonCarriesScoresRanksAndBulletin) {
  AssessmentScheme s = Scheme();
  Evaluation e = Evaluate(s, AssessmentLevel::kDistrict, *ParsePeriod("2026"), Districts());
  json j = EvaluationToJson(e);
  EXPECT_EQ(j["level"], "district");
  EXPECT_EQ(j["period"], "2026");
  EXPECT_EQ(j["units"][0]["code"], "A");
  EXPECT_EQ(j["units"][0]["rank"], 1);
  EXPECT_DOUBLE_EQ(j["units"][0]["items"][0]["points"].get<double>(), 28.0);
  EXPECT_EQ(j["units"][3]["items"][1]["outcome"], "not_applicable");
  EXPECT_TRUE(j["units"][4]["rank"].is_null());
  EXPECT_EQ(j["bulletin"]["best"], json::array({"A"}));
  EXPECT_EQ(j["items"][3]["direction"], "lower");
}

TEST(FormatValueTest, RatesDaysAndCounts) {
  EXPECT_EQ(FormatValue(IndicatorKind::kRate, 0.912, true), "91.2%");
  EXPECT_EQ(FormatValue(IndicatorKind::kRate, 0.95, false), "95%");
  EXPECT_EQ(FormatValue(IndicatorKind::kMeanDays, 3.26, true), "3.3天");
  EXPECT_EQ(FormatValue(IndicatorKind::kMeanDays, 3.5, false), "3.5 days");
  EXPECT_EQ(FormatValue(IndicatorKind::kCount, 12, true), "12");
}

}  // namespace
}  // namespace jd::kpi
