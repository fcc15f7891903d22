// File: immunization/coverage.h
// Vaccination coverage of migrant children (接种率) per vaccine dose, birth cohort and org unit,
// timely coverage (及时接种率) and the card-issuance rate (建卡建证率), compared with the targets
// of 实施办法 §四(五) (data/immunization/targets.json). Pure: the caller gives plain facts per
// child (from the registry, the certificates and the forecast of the active dose records).
//
// Definitions (as of `as_of`, for the children born in `cohort`, living under the unit):
// - Migrant: the child is a floating person (实施办法 §三(一), registry/eligibility.h) on as_of and
//   its registry record is active. Only migrants are counted anywhere.
// - Eligible for a dose (应种): the child has reached the dose's completion age — as_of is on or
//   after the dose's timely_by (说明's "complete before" age; see docs/immunization.md) — so every
//   eligible child should have it by now. A child given the dose early but not yet at that age is
//   in neither count, so the rate never exceeds 1. Doses of a product series the child does not
//   follow (reason replaced_by_series: JE-I for a child on JE-L, HepA-I / HepA-L) are not counted;
//   doses missed and no longer given (BCG from 4 years, MPSV-A from 24 months, DTaP4 replaced by
//   DT) stay in the denominator as missed.
// - Vaccinated (实种): eligible and the dose is done (a valid dose given on or before as_of).
// - Timely (及时): vaccinated and given in time under the chosen definition:
//     before_completion_age (default): given before timely_by;
//     within_30_days: given at most 30 days after the recommended date (birth + table age);
//     hepb_birth_24h: HepB1 given on the birth day or the next (within 24 hours of a birth at any
//       hour), every other dose as before_completion_age.
// - Doses are keyed as the forecast names them (vaccine code + dose number counted within the
//   vaccine), so a polio dose is IPV2 or bOPV1 as planned or given.
// - Card issuance: entitled = migrant children entitled to a vaccination file on as_of (0-6 years,
//   3 months here; 试点工作方案 §四(三)); issued = those of them with a certificate.
// - Rates are null where the denominator is 0; meets_<target> compares the rate with each target.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "immunization/forecast.h"

namespace jd::immunization {

enum class TimelyDefinition : std::uint8_t {
  kBeforeCompletionAge,
  kWithin30Days,
  kHepBBirth24h,
};
std::string_view TimelyCode(TimelyDefinition d);
std::optional<TimelyDefinition> ParseTimely(std::string_view code);

// Whether a done dose of a child born on `birth` was given in time.
bool IsTimely(const DoseForecast& d, Date birth, TimelyDefinition definition);

struct CoverageTarget {
  std::string id;  // "nip_coverage", "migrant_children"
  double rate = 0;
  std::string label_zh, label_en, section;
};

struct CoverageTargets {
  std::string source;
  std::vector<CoverageTarget> targets;
  std::string card_issuance_section, card_issuance_note_zh, card_issuance_note_en;
};
// data/immunization/targets.json.
Result<CoverageTargets> ParseTargets(std::string_view json_text);
const CoverageTargets& DefaultTargets();

// One child as coverage needs it.
struct CoverageChild {
  Date birth{};
  std::string residence_path;
  bool migrant = false;
  bool file_entitled = false;
  bool has_file = false;
};

struct CoverageUnit {
  std::string code, name, path;
};

struct DoseCoverage {
  std::uint8_t series = 0;
  VaccineId vaccine = 0;
  int dose = 0;
  int eligible = 0;
  int vaccinated = 0;
  int timely = 0;
};

struct UnitCoverage {
  CoverageUnit unit;
  int children = 0;  // migrant children of the cohort living under the unit
  int entitled = 0;
  int with_file = 0;
  std::vector<DoseCoverage> doses;  // schedule order
};

struct CoverageQuery {
  Date as_of{};
  int cohort = 0;  // birth year
  TimelyDefinition timely = TimelyDefinition::kBeforeCompletionAge;
};

// Adds children one at a time (a city's cohort need not be held in memory); each child counts in
// every unit whose path contains its residence path. Children of other cohorts are ignored.
class CoverageTally {
 public:
  CoverageTally(std::vector<CoverageUnit> units, CoverageQuery query);
  void Add(const CoverageChild& child, const Forecast& forecast);
  // Every unit in the order given, each with the same dose rows (those any counted child has).
  std::vector<UnitCoverage> Finish() const;

 private:
  struct Key {
    std::uint8_t series;
    VaccineId vaccine;
    int dose;
    auto operator<=>(const Key&) const = default;
  };
  struct Counts {
    int eligible = 0, vaccinated = 0, timely = 0;
  };
  std::vector<CoverageUnit> units_;
  CoverageQuery query_;
  std::vector<Key> keys_;                    // sorted
  std::vector<std::vector<Counts>> counts_;  // [unit][key index]
  std::vector<UnitCoverage> totals_;
};

std::optional<double> Rate(int numerator, int denominator);

}  // namespace jd::immunization
