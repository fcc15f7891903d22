// File: kpi/evaluation.h
// Assessment (考核) of districts or streets against a scheme kept as data
// (data/kpi/assessment.json): per unit and assessed indicator a score from a scoring rule, a total
// out of 100, a rank, and the bulletin (通报) that names the targets each unit met and missed and
// the best and worst units. 南宁市实施办法 §六(七) (定期考核评估, 定期通报,
// 考评结果与工作经费分配挂钩) and 试点工作方案 §五(五). Pure functions over plain structs (no I/O);
// see docs/kpi.md "Evaluation and funding".
//
// Scoring (ItemPoints), for an item of weight w, target t and floor f, on value v:
//   linear, higher is better:    0 for v ≤ f, w for v ≥ t, w·(v−f)/(t−f) between;
//   linear, lower is better:     0 for v ≥ f, w for v ≤ t, w·(f−v)/(f−t) between;
//   threshold:                   w when the target is met (v ≥ t, or v ≤ t when lower is better),
//                                0 otherwise.
// An item whose indicator has no value for the unit (a rate whose denominator is 0: nobody to
// serve) is "not applicable": it scores nothing and its weight leaves the total's base, so
//   total = 100 · Σ points / Σ weights of the applicable items
// (null when no item applies; such a unit is not ranked). Totals are rounded to 0.01 point.
//
// Small numbers (SmallNumberPolicy, data/kpi/assessment.json "small_numbers"; kpi/small_numbers.h):
// a unit's indicator whose denominator is above 0 but below the item's minimum denominator is
// "insufficient" (数据不足). Under "shrink" it is scored on its value pulled toward the parent
// unit's (ShrunkValue, prior strength = the minimum denominator); under "exclude" it scores
// nothing and its weight leaves the base, as for "not applicable". Either way its target is
// neither met nor missed. A unit whose insufficient and not-applicable items carry more than
// `max_unscored_share` of the level's weight is listed with its total but not ranked.
// Every rate carries its Wilson 95% interval; a missed target is "significantly" missed only when
// the whole interval is on the wrong side of it. Funnel plots (Evaluation::funnels) put each
// unit's rate against its denominator, around the pooled rate of the units assessed.
//
// Ranking (RankUnits): by the rounded total, highest first; units with equal rounded totals share
// a rank and the next rank skips ("1, 2, 2, 4", standard competition ranking), tied units listed
// by code; a shared rank is marked `tied`. Unranked units come last, by code.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "kpi/catalogue.h"
#include "kpi/model.h"
#include "kpi/small_numbers.h"

namespace jd::kpi {

// The levels a scheme assesses: the units directly under a city or under a district.
enum class AssessmentLevel : std::uint8_t { kDistrict, kStreet };
inline constexpr std::size_t kAssessmentLevels = 2;

std::string_view LevelCode(AssessmentLevel level);  // "district", "street"
std::optional<AssessmentLevel> ParseAssessmentLevel(std::string_view code);

enum class ScoringRule : std::uint8_t { kLinear, kThreshold };
enum class InsufficientRule : std::uint8_t { kShrink, kExclude };
std::string_view InsufficientRuleCode(InsufficientRule rule);  // "shrink", "exclude"

// How small denominators are scored (rule in the file comment); defaults as shipped.
struct SmallNumberPolicy {
  double min_denominator = 20;  // for items that give none of their own
  InsufficientRule insufficient = InsufficientRule::kShrink;
  double max_unscored_share = 0.5;  // more than this share of the weight unscored: not ranked
  std::string source;
};
enum class Direction : std::uint8_t { kHigherIsBetter, kLowerIsBetter };

// One assessed indicator.
struct AssessmentItem {
  std::string code;  // catalogue code
  std::string name_zh, name_en;
  IndicatorKind kind = IndicatorKind::kRate;
  ScoringRule rule = ScoringRule::kLinear;
  Direction direction = Direction::kHigherIsBetter;
  double target = 0;            // the scheme's, or the catalogue's when the scheme gives none
  std::optional<double> floor;  // linear only
  // Points per level; nullopt: the item is not assessed at that level.
  std::array<std::optional<double>, kAssessmentLevels> weights{};
  double min_denominator = 0;  // the item's own, or the scheme's default
  std::string source;          // where the target and floor come from
  bool confirmed = false;      // whether the figures are confirmed in the seeds or sources
};

struct AssessmentScheme {
  std::string id;
  std::string title_zh, title_en;
  std::string source;
  SmallNumberPolicy small_numbers;
  std::vector<AssessmentItem> items;

  // The items assessed at `level`, in the scheme's order.
  std::vector<const AssessmentItem*> ItemsFor(AssessmentLevel level) const;
};

// Parses and validates a scheme against the catalogue. Field errors: an unknown or inactive
// indicator, a duplicate code, an unknown rule, direction or level, a weight that is not > 0, no
// target (neither here nor in the catalogue), a linear item without a floor on the right side of
// the target, per level weights that do not add up to 100, and a small-numbers policy with a
// minimum denominator below 1, an unknown rule or a share outside 0–1.
Result<AssessmentScheme> LoadAssessmentScheme(std::string_view json_text,
                                              const Catalogue& catalogue);
// data/kpi/assessment.json over Catalogue::Default(); a broken file is a build mistake (throws).
const AssessmentScheme& DefaultAssessmentScheme();

// The points an item of weight `weight` earns for `value` (rule in the file comment).
double ItemPoints(const AssessmentItem& item, double weight, double value);
// Whether `value` meets the item's target.
bool TargetMet(const AssessmentItem& item, double value);

// The values of one unit (any order; other indicators are ignored).
struct UnitValues {
  std::string code;
  std::string name;
  std::vector<IndicatorValue> values;
  // The unit above it (its district, or the city), toward whose values an insufficient one is
  // pulled. Empty: the pooled value of the units assessed together (Evaluate fills it in).
  std::vector<IndicatorValue> parent;
};

enum class Outcome : std::uint8_t { kMet, kMissed, kNotApplicable, kInsufficient };
// "met", "missed", "not_applicable", "insufficient"
std::string_view OutcomeCode(Outcome outcome);

struct ItemScore {
  std::string code, name_zh, name_en;
  IndicatorKind kind = IndicatorKind::kRate;
  Direction direction = Direction::kHigherIsBetter;
  std::optional<double> value;
  double numerator = 0, denominator = 0;
  std::optional<double> scored_value;  // the value scored: shrunk when insufficient
  std::optional<Interval> interval;    // Wilson 95%, rates only
  bool significant = false;            // missed, and the whole interval misses the target too
  double target = 0;
  double weight = 0;
  double min_denominator = 0;
  std::optional<double> points;  // null when not applicable, or insufficient and excluded
  Outcome outcome = Outcome::kNotApplicable;
  // Where the rate falls in the funnel of the units assessed together (rates only).
  std::optional<Interval> funnel95, funnel998;
  std::optional<FunnelPosition> position;
};

enum class NotRanked : std::uint8_t { kNothingApplies, kMostlyUnscored };
std::string_view NotRankedCode(NotRanked reason);  // "nothing_applies", "mostly_unscored"

struct UnitScore {
  std::string code, name;
  std::vector<ItemScore> items;  // the level's items, in the scheme's order
  double applicable_weight = 0;
  double unscored_share = 0;    // of the level's weight: insufficient or not applicable
  std::optional<double> total;  // 0–100, rounded to 0.01; null when no item is scored
  std::optional<NotRanked> not_ranked;
  std::optional<int> rank;  // 1 = best; null when not ranked
  bool tied = false;        // the rank is shared
};

UnitScore ScoreUnit(const AssessmentScheme& scheme, AssessmentLevel level, const UnitValues& unit);
// Sorts `units` by rank (rule in the file comment) and sets each rank.
void RankUnits(std::vector<UnitScore>& units);

struct BulletinEntry {
  std::string code, name;
  std::optional<int> rank;
  bool tied = false;
  std::optional<NotRanked> not_ranked;
  std::optional<double> total;
  std::vector<std::string> met, missed, not_applicable, insufficient;  // indicator codes
  std::vector<std::string> significantly_missed;                       // of `missed`
  std::string text_zh, text_en;
};

// 通报: a summary, the best and the worst units (every unit sharing the first, or the last, rank;
// no worst when all ranked units share one rank), and a line per unit.
struct Bulletin {
  std::string title_zh, title_en;
  std::string summary_zh, summary_en;
  std::vector<std::string> best, worst;  // unit codes
  std::vector<BulletinEntry> entries;    // in rank order
};

Bulletin MakeBulletin(const std::vector<UnitScore>& ranked, AssessmentLevel level,
                      const Period& period);

// One indicator's funnel plot: the pooled rate of the units and its 95% and 99.8% limits over
// the range of their denominators (enough points to draw the curves).
struct FunnelCurvePoint {
  double n = 0;
  Interval limits95, limits998;
};
struct Funnel {
  std::string code;
  double overall = 0;  // Σ numerators / Σ denominators of the units
  double target = 0;
  std::vector<FunnelCurvePoint> curve;
};

struct Evaluation {
  std::string scheme_id;
  AssessmentLevel level = AssessmentLevel::kDistrict;
  Period period;
  Date as_of{};                       // the day stocks were counted on (set by the caller)
  std::string org, org_name;          // the unit whose districts or streets were assessed
  std::vector<AssessmentItem> items;  // the level's items, as scored
  std::vector<UnitScore> units;       // ranked
  std::vector<Funnel> funnels;        // the rate items with any value, in the scheme's order
  SmallNumberPolicy small_numbers;
  Bulletin bulletin;
};

// Scores, ranks and writes the bulletin for `units`.
Evaluation Evaluate(const AssessmentScheme& scheme, AssessmentLevel level, const Period& period,
                    const std::vector<UnitValues>& units);

// A value as shown in a bulletin: "91.2%", "3.5天"/"3.5 days", "12".
std::string FormatValue(IndicatorKind kind, double value, bool zh);

nlohmann::json EvaluationToJson(const Evaluation& e);
nlohmann::json SchemeToJson(const AssessmentScheme& s);

}  // namespace jd::kpi
