// File: kpi/funding.h
// The yearly funding of migrants' basic public-health services per district (or per street of a
// district), from the per-capita standard, the resident population and the assessment scores.
// 南宁市实施办法 §六(五) (以常住人口为基数，参照户籍人口投入标准，按常住人口规模核定年度预算),
// §六(七) and 试点工作方案 §五(二)(五) (考评结果与经费分配挂钩). Pure functions over plain
// structs; the parameters are data (data/kpi/funding.json). See docs/kpi.md "Evaluation and
// funding".
//
// The calculation (ComputeFunding), in fen (0.01 yuan), integers throughout:
//   resident_i   = 户籍 population_i + migrants_i
//   pool         = per-capita standard × Σ resident_i               (the budget of §六(五))
//   performance  = round(pool × share)                              (tied to the assessment)
//   base pool    = pool − performance
//   base_i       = base pool split in proportion to resident_i
//   performance_i= performance split in proportion to score_i × resident_i
//                  (score in hundredths of a point; a unit without a score weighs 0; when no unit
//                  has a score the performance pool is split like the base)
//   total_i      = base_i + performance_i
// Each split is by the largest remainder (LargestRemainder), so the rows add up to the pools
// exactly and the totals to the pool.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::kpi {

// The per-capita standard of one year, in fen per resident.
struct PerCapitaStandard {
  int year = 0;
  std::int64_t fen = 0;
  bool confirmed = false;
  std::string source;
};

// How the performance pool is divided.
enum class PerformanceRule : std::uint8_t {
  kScoreTimesPopulation,  // weight = score × resident population (the shipped rule)
  kScoreOnly,             // weight = score
};
std::string_view PerformanceRuleCode(PerformanceRule rule);

struct FundingConfig {
  std::string id;
  std::string source;
  std::vector<PerCapitaStandard> standards;  // by year, ascending
  int share_basis_points = 0;                // 1000 = 10% of the pool
  std::string share_source;
  PerformanceRule rule = PerformanceRule::kScoreTimesPopulation;
  // The assessment whose scores divide year Y's performance pool: that of year Y + offset
  // (0: the same year, settled after it; -1: the year before, known when the budget is made).
  int assessment_year_offset = 0;

  const PerCapitaStandard* StandardFor(int year) const;
};

// Parses and validates data/kpi/funding.json: standards in yuan with at most two decimals, each
// year once; a share from 0 to 1 with at most four decimals (basis points); a known rule.
Result<FundingConfig> LoadFundingConfig(std::string_view json_text);
// The shipped data/kpi/funding.json; a broken file is a build mistake (throws).
const FundingConfig& DefaultFundingConfig();

// Where a unit's migrant count comes from.
enum class MigrantSource : std::uint8_t {
  kFigure,    // entered with the population figures
  kRegistry,  // the registry's floating persons (REG_FLOATING) for the year
};

struct FundingUnitInput {
  std::string code, name;
  std::int64_t huji_population = 0;
  std::int64_t migrants = 0;
  MigrantSource migrant_source = MigrantSource::kRegistry;
  std::optional<double> score;  // the assessment total, 0–100; null: no score
  // Why there is no score (e.g. not ranked for too little data), shown in the table's row.
  std::string no_score_zh, no_score_en;
};

// One row of the table: every term of the calculation.
struct FundingRow {
  std::string code, name;
  std::int64_t huji_population = 0, migrants = 0, resident = 0;
  MigrantSource migrant_source = MigrantSource::kRegistry;
  std::int64_t standard_fen = 0;  // per-capita standard × resident: the unit at the full standard
  std::int64_t base_fen = 0;
  std::optional<double> score;
  std::string no_score_zh, no_score_en;  // from the input
  std::int64_t score_hundredths = 0;     // the score as used (0 without one)
  std::int64_t performance_weight = 0;   // score_hundredths × resident (or score only)
  std::int64_t performance_fen = 0;
  std::int64_t total_fen = 0;
  std::int64_t difference_fen = 0;  // total − standard: what the assessment moved
};

struct FundingTable {
  int year = 0;
  int assessment_year = 0;
  PerCapitaStandard standard;
  int share_basis_points = 0;
  PerformanceRule rule = PerformanceRule::kScoreTimesPopulation;
  bool performance_by_population = false;  // no unit had a score: split like the base
  std::int64_t resident_total = 0;
  std::int64_t pool_fen = 0, base_pool_fen = 0, performance_pool_fen = 0;
  std::vector<FundingRow> rows;  // in the input's order
  std::int64_t base_sum_fen = 0, performance_sum_fen = 0, total_sum_fen = 0;
};

// `amount` split in proportion to `weights` (each ≥ 0, not all 0): every share is the floor of its
// quota, and the fen left over go one each to the largest remainders; equal remainders go to the
// larger weight, then to the earlier entry. The shares add up to `amount` exactly.
// REQUIRES: amount ≥ 0, weights non-empty, some weight > 0.
std::vector<std::int64_t> LargestRemainder(std::int64_t amount,
                                           const std::vector<std::int64_t>& weights);

// The table for `year`. Errors: no standard for the year (field "year"), no units, a negative
// population or a score outside 0–100 (field errors naming the unit).
Result<FundingTable> ComputeFunding(const FundingConfig& config, int year, int assessment_year,
                                    const std::vector<FundingUnitInput>& units);

// 12345 fen → "123.45".
std::string FormatYuan(std::int64_t fen);

nlohmann::json FundingToJson(const FundingTable& t);

}  // namespace jd::kpi
