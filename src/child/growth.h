// File: child/growth.h
// Anthropometric z-scores of children 0–5 years against the WHO Child Growth Standards (2006), as
// the 规范 第三版 0～6岁儿童健康管理 asks for each check-up's weight, length/height and head
// circumference (体格生长评价), and the classification used for the prevalence indicators.
//
// The method is WHO's: WHO Child Growth Standards, Methods and development (2006) ch. 7, with the
// rules WHO's own software applies around it (igrowup `igrowup_standard.r`, anthro `R/z-score*.R`):
//
// - LMS z-score  z = ((y/M)^L − 1) / (S·L)  with L, M, S the table row at the child's age in
//   completed days (0–1856 d; arm circumference and the skinfolds from 91 d), or, for
//   weight-for-length/height, at the length/height interpolated linearly between the 0.1 cm rows.
// - Restricted application beyond ±3 SD for the weight-based indicators (weight-for-age,
//   weight-for-length/height, BMI-for-age) and arm circumference and skinfolds:
//   z = 3 + (y − SD3)/(SD3 − SD2) above +3, z = −3 + (y − SD−3)/(SD−2 − SD−3) below −3.
//   Length/height-for-age and head circumference-for-age use the plain z.
// - Recumbent length under 731 days, standing height from 731 days: a standing height before 731
//   days gets +0.7 cm, a recumbent length from 731 days −0.7 cm; the corrected value serves
//   length/height-for-age, weight-for-length/height and BMI. As in anthro, a standing height
//   before 9 months (age/30.4375 < 9) is implausible: it is used uncorrected and flagged "c9mo".
// - Weight-for-length (45–110 cm) under 731 days, weight-for-height (65–120 cm) from 731 days;
//   without an age, by the measure (recumbent → length), without either by length < 87 cm.
// - With oedema the weight-based z-scores are not computed; a measurement ≤ 0 gives none.
// - Flags (the z-score is still given; flagged values are left out of prevalences), named as in
//   anthro: flen |lhaz| > 6; fwei waz < −6 or > 5; fwfl, fbmi, fhc, fac, fts, fss |z| > 5.
// - Ages follow igrowup: a table row exists to 1856 days, so a child of 60–61 months is scored
//   (anthro stops before 60 months). Older children (5–6 years, still in the 规范's 0–6 care) need
//   the WHO 2007 references, which are not in data/who-growth/: their z-scores are not computed.
//
// GrowthStandards::Builtin(): the tables of data/who-growth/ (compiled in), parsed once on first
//   use; thread-safe; a malformed table is a bug and throws std::logic_error.
// Compute(m): every z-score computable from the measurement, unrounded, with the flags. Pure.
// RoundZ(z): 2 decimals, halves away from zero, as igrowup's output.
// Classify(r): WHO's cut-offs (WHO/UNICEF 2019, Recommendations for data collection, analysis and
//   reporting on anthropometric indicators in children under 5 years old, §1.1): underweight
//   waz < −2, stunting lhaz < −2, wasting wlhz < −2, overweight wlhz > 2, obesity wlhz > 3, severe
//   below −3; a flagged or missing z-score classifies nothing.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jd::child {

enum class Sex { kMale = 1, kFemale = 2 };
// How the length/height was taken: lying (recumbent length) or standing (height).
enum class LengthMeasure { kRecumbent, kStanding };

struct GrowthMeasurement {
  Sex sex = Sex::kMale;
  std::optional<int> age_days;  // completed days since birth; none when unknown
  std::optional<double> weight_kg;
  std::optional<double> length_height_cm;  // as measured
  std::optional<LengthMeasure> measure;    // none when unknown
  std::optional<double> head_cm;
  std::optional<double> arm_cm;
  std::optional<double> triceps_mm;
  std::optional<double> subscapular_mm;
  bool oedema = false;
};

struct GrowthZScores {
  std::optional<double> waz;   // weight-for-age
  std::optional<double> lhaz;  // length-for-age (< 731 d) or height-for-age
  std::optional<double> wlhz;  // weight-for-length or weight-for-height (see height_based)
  std::optional<double> baz;   // BMI-for-age
  std::optional<double> hcz;   // head circumference-for-age
  std::optional<double> acz;   // arm circumference-for-age
  std::optional<double> tsz;   // triceps skinfold-for-age
  std::optional<double> ssz;   // subscapular skinfold-for-age
  // Length/height is named height (haz, whz): age ≥ 731 d, or without an age, the height table.
  bool height_based = false;
  std::optional<double> corrected_length_height_cm;
  std::optional<double> bmi;
  std::vector<std::string>
      flags;  // "flen", "fwei", "fwfl", "fbmi", "fhc", "fac", "fts", "fss", "c9mo"
};

struct NutritionStatus {
  bool underweight = false, severe_underweight = false;
  bool stunted = false, severe_stunted = false;
  bool wasted = false, severe_wasted = false;
  bool overweight = false, obese = false;
};

// One row of an LMS table.
struct Lms {
  double l = 1, m = 1, s = 0;
};

// The plain LMS z-score, and the one with WHO's restricted application beyond ±3 SD.
double LmsZ(const Lms& p, double y);
double RestrictedLmsZ(const Lms& p, double y);
double RoundZ(double z);

class GrowthStandards {
 public:
  // The tables for one indicator: rows by age in days, or by length/height in 0.1 cm steps.
  enum class Table { kWfa, kLhfa, kWfl, kWfh, kBfa, kHcfa, kAcfa, kTsfa, kSsfa };

  static const GrowthStandards& Builtin();
  // Parses the nine CSV tables (columns sex, x, L, M, S[, measure]), in the order of Table.
  static GrowthStandards Parse(const std::array<std::string_view, 9>& csv);

  GrowthZScores Compute(const GrowthMeasurement& m) const;

  // The row of an age table at an age in days, or the interpolated row of a length/height table
  // at x cm; none outside the table.
  std::optional<Lms> At(Table t, Sex sex, double x) const;

 private:
  struct Rows {
    int first = 0;  // the first row's age in days, or length/height in mm
    std::array<std::vector<Lms>, 2> by_sex;
  };
  std::array<Rows, 9> tables_;
};

NutritionStatus Classify(const GrowthZScores& r);

}  // namespace jd::child
