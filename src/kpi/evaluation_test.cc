#include "kpi/evaluation.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/embedded.h"

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

// A value over 1000 people: enough for the small-numbers rule to leave it alone.
IndicatorValue Value(const std::string& code, std::optional<double> v) {
  IndicatorValue x;
  x.code = code;
  x.value = v;
  if (v) {
    x.denominator = 1000;
    x.numerator = *v * 1000;
  }
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
  // The shipped catalogue with FP_GUIDANCE made inactive (every shipped indicator is active).
  std::string text(embedded::kpi_indicators());
  const std::string code = R"("code": "FP_GUIDANCE",)";
  ASSERT_NE(text.find(code), std::string::npos);
  text.insert(text.find(code) + code.size(), R"( "active": false,)");
  auto with_inactive = Catalogue::Load(text, immunization::Schedule::Default());
  ASSERT_TRUE(with_inactive.ok()) << with_inactive.status().ToString();
  auto errors_of = [&](const char* text) {
    auto s = LoadAssessmentScheme(text, *with_inactive);
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
            "（目标95%，显著低于目标）；服务凭证平均审核天数12天（目标5天）。");
  EXPECT_NE(a.text_en.find("A区: rank 1, score 81.00; 2 targets met, 2 missed:"), std::string::npos)
      << a.text_en;
  EXPECT_NE(a.text_en.find("12 days (target 5 days)"), std::string::npos) << a.text_en;
  const BulletinEntry& c = b.entries[3];
  EXPECT_EQ(c.not_applicable, Codes({"KEY_EHR_CHILD"}));
  EXPECT_NE(c.text_zh.find("1项无服务对象，不计分"), std::string::npos) << c.text_zh;
  EXPECT_EQ(b.entries[4].text_zh, "D区：无可考核指标（各项均无服务对象或数据不足），不参与排名。");
  // Mean of the four ranked totals: (81 + 65 + 65 + 28.57) / 4 = 59.8925 → 59.89.
  EXPECT_EQ(b.summary_zh,
            "2026年共4个县（区）参加排名，平均得分59.89；第一名：A区（81.00分）；末位：C区"
            "（28.57分）；1个单位数据不足或无服务对象，未排名。");
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

// Small numbers, worked by hand (kpi/evaluation.h, kpi/small_numbers.h). Street items: coverage
// 60 points (linear 85% → 95%), child e-records 40 (linear 50% → 80%); at least 20 people per
// rate; the parent district's rates are 90% and 80%.
constexpr const char* kSmallScheme = R"({
  "id": "small", "source": "test",
  "small_numbers": {"min_denominator": 20, "insufficient": "%s", "max_unscored_share": 0.5},
  "items": [
    {"code": "IMM_COV_ALL", "weights": {"street": 60}, "rule": "linear", "floor": 0.85},
    {"code": "KEY_EHR_CHILD", "weights": {"street": 40}, "rule": "linear", "floor": 0.5}
  ]})";

AssessmentScheme SmallScheme(const std::string& rule) {
  std::string text = kSmallScheme;
  text.replace(text.find("%s"), 2, rule);
  auto s = LoadAssessmentScheme(text, Catalogue::Default());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

IndicatorValue Counted(const std::string& code, double x, double n) {
  IndicatorValue v{.code = code, .numerator = x, .denominator = n};
  if (n > 0) v.value = x / n;
  return v;
}

UnitValues Street(const std::string& code, double cov_x, double cov_n, double ehr_x, double ehr_n) {
  return {code,
          code,
          {Counted("IMM_COV_ALL", cov_x, cov_n), Counted("KEY_EHR_CHILD", ehr_x, ehr_n)},
          {Counted("IMM_COV_ALL", 90, 100), Counted("KEY_EHR_CHILD", 80, 100)}};
}

const UnitScore& Find(const Evaluation& e, const std::string& code) {
  for (const UnitScore& u : e.units) {
    if (u.code == code) return u;
  }
  throw std::logic_error("no unit " + code);
}

std::vector<UnitValues> Streets() {
  return {Street("A", 2, 4, 90, 100),     // coverage insufficient (4 < 20), e-records met
          Street("B", 30, 32, 10, 12),    // coverage 93.75%, e-records insufficient (12 < 20)
          Street("C", 95, 100, 70, 100),  // coverage met, e-records 70%: significantly short
          Street("D", 3, 3, 0, 0),        // coverage insufficient, nobody for e-records
          Street("E", 30, 32, 10, 12)};   // as B: a tie
}

TEST(SmallNumbersEvaluationTest, ShrinkScoresInsufficientRatesTowardTheParent) {
  Evaluation e =
      Evaluate(SmallScheme("shrink"), AssessmentLevel::kStreet, *ParsePeriod("2026"), Streets());
  // B: coverage 60·(0.9375 − 0.85)/0.10 = 52.5; e-records (10 + 20·0.8)/(12 + 20) = 0.8125 ≥ 80%:
  // 40, scored but "insufficient" (neither met nor missed). 92.5, tied with E.
  const UnitScore& b = Find(e, "B");
  ASSERT_TRUE(b.total);
  EXPECT_DOUBLE_EQ(*b.total, 92.5);
  EXPECT_EQ(b.items[1].outcome, Outcome::kInsufficient);
  EXPECT_NEAR(*b.items[1].scored_value, 0.8125, 1e-12);
  EXPECT_NEAR(b.unscored_share, 0.4, 1e-12);
  EXPECT_EQ(b.rank, 1);
  EXPECT_TRUE(b.tied);
  EXPECT_EQ(Find(e, "E").rank, 1);
  // C: 60 + 40·(0.70 − 0.50)/0.30 = 86.67; 70/100 has the Wilson interval 60.4%–78.1%, wholly
  // under 80%: significantly short. Rank 3 ("1, 1, 3").
  const UnitScore& c = Find(e, "C");
  EXPECT_DOUBLE_EQ(*c.total, 86.67);
  EXPECT_EQ(c.rank, 3);
  EXPECT_FALSE(c.tied);
  EXPECT_EQ(c.items[1].outcome, Outcome::kMissed);
  EXPECT_NEAR(c.items[1].interval->low, 0.604151, 1e-6);
  EXPECT_NEAR(c.items[1].interval->high, 0.781051, 1e-6);
  EXPECT_TRUE(c.items[1].significant);
  // A: coverage (2 + 18)/24 = 83.3% scores 0; e-records 40 → 40.00, but 60% of the weight is
  // insufficient: listed, not ranked.
  const UnitScore& a = Find(e, "A");
  EXPECT_DOUBLE_EQ(*a.total, 40.0);
  EXPECT_EQ(a.not_ranked, NotRanked::kMostlyUnscored);
  EXPECT_FALSE(a.rank);
  // D: coverage (3 + 18)/23 = 91.30% → 37.83 of 60 → 63.04; 100% unscored: not ranked, although
  // its total would have beaten nobody's 100 on three children before.
  const UnitScore& d = Find(e, "D");
  EXPECT_DOUBLE_EQ(*d.total, 63.04);
  EXPECT_EQ(d.not_ranked, NotRanked::kMostlyUnscored);
  EXPECT_DOUBLE_EQ(d.unscored_share, 1.0);
  // Ranked first, the unranked after them by code.
  std::vector<std::string> order;
  for (const UnitScore& u : e.units) order.push_back(u.code);
  EXPECT_EQ(order, (std::vector<std::string>{"B", "E", "C", "A", "D"}));
  // The bulletin says which are tied, which are short beyond chance, and who is not ranked.
  EXPECT_EQ(e.bulletin.best, (std::vector<std::string>{"B", "E"}));
  const BulletinEntry& cb = e.bulletin.entries[2];
  EXPECT_EQ(cb.significantly_missed, (std::vector<std::string>{"KEY_EHR_CHILD"}));
  EXPECT_NE(cb.text_zh.find("显著低于目标"), std::string::npos) << cb.text_zh;
  EXPECT_NE(e.bulletin.entries[0].text_zh.find("并列第1名"), std::string::npos);
  EXPECT_NE(e.bulletin.entries[0].text_zh.find("数据不足1项"), std::string::npos);
  EXPECT_NE(e.bulletin.entries[3].text_zh.find("不参与排名"), std::string::npos);
  EXPECT_NE(e.bulletin.summary_zh.find("2个单位数据不足或无服务对象，未排名"), std::string::npos)
      << e.bulletin.summary_zh;
}

TEST(SmallNumbersEvaluationTest, ExcludeDropsInsufficientRatesAndRedistributesTheirWeight) {
  Evaluation e =
      Evaluate(SmallScheme("exclude"), AssessmentLevel::kStreet, *ParsePeriod("2026"), Streets());
  // B: e-records excluded, its 40 points leave the base: 100·52.5/60 = 87.5.
  const UnitScore& b = Find(e, "B");
  EXPECT_DOUBLE_EQ(*b.total, 87.5);
  EXPECT_FALSE(b.items[1].points);
  EXPECT_EQ(b.rank, 1);  // tied with E
  EXPECT_TRUE(b.tied);
  EXPECT_EQ(Find(e, "C").rank, 3);
  // A: only its e-records count: 100.00 out of 100, the best total of all; but 60% of its weight
  // is insufficient, so it is not ranked rather than first.
  const UnitScore& a = Find(e, "A");
  EXPECT_DOUBLE_EQ(*a.total, 100.0);
  EXPECT_EQ(a.not_ranked, NotRanked::kMostlyUnscored);
  // D: nothing scored at all.
  const UnitScore& d = Find(e, "D");
  EXPECT_FALSE(d.total);
  EXPECT_EQ(d.not_ranked, NotRanked::kNothingApplies);
}

TEST(SmallNumbersEvaluationTest, FunnelAroundThePooledRate) {
  Evaluation e =
      Evaluate(SmallScheme("shrink"), AssessmentLevel::kStreet, *ParsePeriod("2026"), Streets());
  ASSERT_EQ(e.funnels.size(), 2u);
  // Coverage pooled: (2 + 30 + 95 + 3 + 30) / (4 + 32 + 100 + 3 + 32) = 160/171.
  EXPECT_NEAR(e.funnels[0].overall, 160.0 / 171.0, 1e-12);
  EXPECT_GE(e.funnels[0].curve.size(), 40u);
  EXPECT_GT(e.funnels[0].curve.back().n, 100.0);
  // C at n = 100: limits 88.8%–98.4%, 95% is within.
  const ItemScore& c = Find(e, "C").items[0];
  EXPECT_NEAR(c.funnel95->low, 0.887588, 1e-6);
  EXPECT_NEAR(c.funnel95->high, 0.983757, 1e-6);
  EXPECT_EQ(c.position, FunnelPosition::kWithin);
  // A: 50% over 4 is below even the wide limits of n = 4 (69.5%).
  EXPECT_EQ(Find(e, "A").items[0].position, FunnelPosition::kBelow);
}

TEST(SmallNumbersEvaluationTest, RejectsABadPolicy) {
  auto s = LoadAssessmentScheme(R"({"id": "x", "source": "t",
    "small_numbers": {"min_denominator": 0, "insufficient": "ignore", "max_unscored_share": 2},
    "items": [{"code": "IMM_COV_ALL", "weights": {"street": 100}, "rule": "linear",
               "floor": 0.85}]})",
                                Catalogue::Default());
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& f : s.status().field_errors()) fields.push_back(f.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"small_numbers.min_denominator", "small_numbers.insufficient",
                                      "small_numbers.max_unscored_share"}));
}

}  // namespace
}  // namespace jd::kpi
