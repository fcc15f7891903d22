#include "kpi/funding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <numeric>
#include <random>

namespace jd::kpi {
namespace {

using nlohmann::json;

FundingConfig Config(const char* text) {
  auto c = LoadFundingConfig(text);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

// 99 yuan per resident in 2025, 10% of the pool tied to the scores.
constexpr const char* kConfig = R"({
  "id": "t", "source": "test",
  "per_capita_standard": [{"year": 2025, "yuan": 99, "confirmed": true, "source": "s"}],
  "performance_share": 0.1, "performance_rule": "score_times_population"})";

TEST(FundingConfigTest, ShippedParametersCarryTheNationalStandard) {
  const FundingConfig& c = DefaultFundingConfig();
  const PerCapitaStandard* s2025 = c.StandardFor(2025);
  ASSERT_NE(s2025, nullptr);
  EXPECT_EQ(s2025->fen, 9900);  // REFERENCE §7: 99 yuan in 2025 [S60]
  EXPECT_TRUE(s2025->confirmed);
  ASSERT_NE(c.StandardFor(2024), nullptr);
  EXPECT_EQ(c.StandardFor(2024)->fen, 9400);
  EXPECT_FALSE(c.StandardFor(2024)->confirmed);  // derived, not published in the sources
  EXPECT_EQ(c.StandardFor(1999), nullptr);
  EXPECT_EQ(c.share_basis_points, 1000);
  EXPECT_EQ(c.rule, PerformanceRule::kScoreTimesPopulation);
}

TEST(FundingConfigTest, RejectsBadParametersWithTheField) {
  auto c = LoadFundingConfig(R"({"id":"t","source":"s",
      "per_capita_standard":[{"year":2025,"yuan":99.999,"source":"x"},
                             {"year":2025,"yuan":99,"source":"x"}],
      "performance_share":1.5,"performance_rule":"by_luck"})");
  ASSERT_FALSE(c.ok());
  std::vector<std::string> fields;
  for (const auto& e : c.status().field_errors()) fields.push_back(e.field + ":" + e.code);
  EXPECT_EQ(fields, (std::vector<std::string>{"per_capita_standard[0].yuan:invalid_amount",
                                              "per_capita_standard[1].year:duplicate_year",
                                              "performance_share:invalid_share",
                                              "performance_rule:invalid_value"}));
}

TEST(LargestRemainderTest, SharesAddUpAndLeftoversGoToTheLargestRemainders) {
  // 100 × 1/3 = 33.33, 100 × 2/3 = 66.67: the fen left over goes to the second.
  EXPECT_EQ(LargestRemainder(100, {1, 2}), (std::vector<std::int64_t>{33, 67}));
  // Equal remainders and weights: the earlier entry first.
  EXPECT_EQ(LargestRemainder(10, {1, 1, 1}), (std::vector<std::int64_t>{4, 3, 3}));
  // 7 × 1/4 = 1.75, 7 × 3/4 = 5.25: the larger remainder (the first) gets the fen.
  EXPECT_EQ(LargestRemainder(7, {1, 3}), (std::vector<std::int64_t>{2, 5}));
  // 4 × 2/8 = 1, 4 × 5/8 = 2.5, 4 × 1/8 = 0.5: equal remainders, the larger weight first.
  EXPECT_EQ(LargestRemainder(4, {2, 5, 1}), (std::vector<std::int64_t>{1, 3, 0}));
  EXPECT_EQ(LargestRemainder(5, {0, 4}), (std::vector<std::int64_t>{0, 5}));
  EXPECT_EQ(LargestRemainder(0, {3, 4}), (std::vector<std::int64_t>{0, 0}));
}

TEST(LargestRemainderTest, LargeCitiesDoNotOverflow) {
  // A pool of 10^12 fen over weights near 10^13: the products need 128 bits.
  std::vector<std::int64_t> w = {9'999'999'999'999, 3, 1'234'567'890'123};
  auto shares = LargestRemainder(1'000'000'000'000, w);
  EXPECT_EQ(std::accumulate(shares.begin(), shares.end(), std::int64_t{0}), 1'000'000'000'000);
  EXPECT_EQ(shares[1], 0);
}

// Hand-computed: A 1,000 户籍 + 200 migrants = 1,200 residents, score 80; B 500 + 300 = 800,
// score 60. Pool 99 yuan × 2,000 = 198,000.00 yuan; performance 10% = 19,800.00; base 178,200.00.
// Base: A 178,200 × 1,200/2,000 = 106,920.00; B 71,280.00. Performance weights 8,000 × 1,200 =
// 9,600,000 and 6,000 × 800 = 4,800,000: A 19,800 × 2/3 = 13,200.00, B 6,600.00.
// Totals A 120,120.00 (standard 118,800.00: +1,320.00), B 77,880.00 (79,200.00: −1,320.00).
TEST(ComputeFundingTest, BaseByPopulationAndPerformanceByScoreTimesPopulation) {
  FundingConfig c = Config(kConfig);
  auto t = ComputeFunding(c, 2025, 2025,
                          {{.code = "A",
                            .name = "甲区",
                            .huji_population = 1000,
                            .migrants = 200,
                            .migrant_source = MigrantSource::kRegistry,
                            .score = 80.0},
                           {.code = "B",
                            .name = "乙区",
                            .huji_population = 500,
                            .migrants = 300,
                            .migrant_source = MigrantSource::kFigure,
                            .score = 60.0}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->resident_total, 2000);
  EXPECT_EQ(t->pool_fen, 19'800'000);
  EXPECT_EQ(t->performance_pool_fen, 1'980'000);
  EXPECT_EQ(t->base_pool_fen, 17'820'000);
  const FundingRow& a = t->rows[0];
  const FundingRow& b = t->rows[1];
  EXPECT_EQ(a.resident, 1200);
  EXPECT_EQ(a.standard_fen, 11'880'000);
  EXPECT_EQ(a.base_fen, 10'692'000);
  EXPECT_EQ(a.performance_weight, 9'600'000);
  EXPECT_EQ(a.performance_fen, 1'320'000);
  EXPECT_EQ(a.total_fen, 12'012'000);
  EXPECT_EQ(a.difference_fen, 132'000);
  EXPECT_EQ(b.base_fen, 7'128'000);
  EXPECT_EQ(b.performance_fen, 660'000);
  EXPECT_EQ(b.total_fen, 7'788'000);
  EXPECT_EQ(b.difference_fen, -132'000);
  EXPECT_EQ(t->total_sum_fen, t->pool_fen);

  json j = FundingToJson(*t);
  EXPECT_EQ(j["pool"]["yuan"], "198000.00");
  EXPECT_EQ(j["rows"][0]["total"]["yuan"], "120120.00");
  EXPECT_EQ(j["rows"][1]["difference"]["yuan"], "-1320.00");
  EXPECT_EQ(j["rows"][1]["migrant_source"], "figure");
  EXPECT_EQ(j["sums"]["total"]["fen"], 19'800'000);
}

// Hand-computed in fen: 3 fen per resident, half the pool by score. Residents 1, 1, 1: pool 9,
// performance round(4.5) = 5 (half up), base 4 → 2, 1, 1 (equal remainders: the earlier first).
// Scores 100, 50, 0 → weights 10,000, 5,000, 0 → quotas 3.33, 1.67, 0 → 3, 1, 0 and the fen left
// goes to the larger remainder (the second): 3, 2, 0. Totals 5, 3, 1 = 9.
TEST(ComputeFundingTest, RoundsToTheFenByLargestRemainderAndAddsUp) {
  FundingConfig c = Config(R"({"id":"t","source":"s",
      "per_capita_standard":[{"year":2026,"yuan":0.03,"source":"x"}],
      "performance_share":0.5})");
  auto t = ComputeFunding(c, 2026, 2026,
                          {{.code = "A", .huji_population = 1, .score = 100.0},
                           {.code = "B", .huji_population = 1, .score = 50.0},
                           {.code = "C", .huji_population = 1, .score = 0.0}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->pool_fen, 9);
  EXPECT_EQ(t->performance_pool_fen, 5);
  std::vector<std::int64_t> base, perf, total;
  for (const auto& r : t->rows) {
    base.push_back(r.base_fen);
    perf.push_back(r.performance_fen);
    total.push_back(r.total_fen);
  }
  EXPECT_EQ(base, (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(perf, (std::vector<std::int64_t>{3, 2, 0}));
  EXPECT_EQ(total, (std::vector<std::int64_t>{5, 3, 1}));
}

TEST(ComputeFundingTest, ScoreOnlyRuleAndNoScores) {
  FundingConfig c = Config(kConfig);
  c.rule = PerformanceRule::kScoreOnly;
  // Score only: equal scores get equal performance money whatever the population.
  auto t = ComputeFunding(c, 2025, 2025,
                          {{.code = "A", .huji_population = 1000, .score = 50.0},
                           {.code = "B", .huji_population = 3000, .score = 50.0}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[0].performance_fen, t->rows[1].performance_fen);
  // Nobody has a score: the performance pool is split like the base.
  c.rule = PerformanceRule::kScoreTimesPopulation;
  t = ComputeFunding(
      c, 2025, 2025,
      {{.code = "A", .huji_population = 1000}, {.code = "B", .huji_population = 3000}});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->performance_by_population);
  EXPECT_EQ(t->rows[1].performance_fen, 3 * t->rows[0].performance_fen);
  EXPECT_EQ(t->rows[0].total_fen, t->rows[0].standard_fen);
}

TEST(ComputeFundingTest, ErrorsNameTheYearAndTheUnit) {
  FundingConfig c = Config(kConfig);
  auto t = ComputeFunding(c, 2031, 2031, {{.code = "A", .huji_population = 1}});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().field_errors().at(0).field, "year");
  t = ComputeFunding(c, 2025, 2025,
                     {{.code = "A", .huji_population = -1}, {.code = "B", .score = 101.0}});
  ASSERT_FALSE(t.ok());
  ASSERT_EQ(t.status().field_errors().size(), 2u);
  EXPECT_EQ(t.status().field_errors()[0].field, "A");
  EXPECT_EQ(t.status().field_errors()[1].code, "invalid_score");
}

TEST(ComputeFundingTest, TotalsAlwaysEqualThePool) {
  FundingConfig c = Config(kConfig);
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<FundingUnitInput> units;
    int n = 1 + static_cast<int>(rng() % 15);
    for (int i = 0; i < n; ++i) {
      FundingUnitInput u{.code = std::to_string(i),
                         .huji_population = static_cast<std::int64_t>(rng() % 2'000'000),
                         .migrants = static_cast<std::int64_t>(rng() % 500'000)};
      if (rng() % 5 != 0) u.score = (rng() % 10001) / 100.0;
      units.push_back(u);
    }
    c.share_basis_points = static_cast<int>(rng() % 10001);
    auto t = ComputeFunding(c, 2025, 2025, units);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->base_sum_fen, t->base_pool_fen);
    EXPECT_EQ(t->performance_sum_fen, t->performance_pool_fen);
    EXPECT_EQ(t->total_sum_fen, t->pool_fen);
    for (const auto& r : t->rows) {
      EXPECT_GE(r.base_fen, 0);
      EXPECT_GE(r.performance_fen, 0);
      if (!r.score && !t->performance_by_population) {
        EXPECT_EQ(r.performance_fen, 0);
      }
    }
  }
}

TEST(FormatYuanTest, TwoDecimalsAndSign) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(123456), "1234.56");
  EXPECT_EQ(FormatYuan(-132000), "-1320.00");
}

}  // namespace
}  // namespace jd::kpi
