// The z-scores against WHO's own output: every z-score and flag of WHO's igrowup sample survey
// (498 children, 8 indicators) and the single cases of tests/data/child/reference_cases.csv (the
// restricted application beyond ±3 SD, the ±0.7 cm length/height conversion, the 24-month switch,
// anthro's unit tests). Sources: tests/data/child/SOURCE.md.
#include "child/growth.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.h"

namespace jd::child {
namespace {

using Table = GrowthStandards::Table;

struct CsvFile {
  std::map<std::string, std::size_t> column;
  std::vector<std::vector<std::string>> rows;

  const std::string& Get(const std::vector<std::string>& row, const std::string& name) const {
    return row.at(column.at(name));
  }
};

CsvFile ReadCsv(const std::string& name) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/child/" + name);
  std::stringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  CsvFile f;
  CsvReader reader(content);
  std::vector<std::string> fields;
  bool header = true;
  while (reader.Next(fields)) {
    if (header) {
      for (std::size_t i = 0; i < fields.size(); ++i) f.column[fields[i]] = i;
      header = false;
    } else {
      f.rows.push_back(fields);
    }
  }
  EXPECT_TRUE(reader.status().ok()) << name;
  return f;
}

std::optional<double> Number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<LengthMeasure> MeasureOf(const std::string& text) {
  if (text == "l" || text == "L") return LengthMeasure::kRecumbent;
  if (text == "h" || text == "H") return LengthMeasure::kStanding;
  return std::nullopt;
}

bool HasFlag(const GrowthZScores& r, const std::string& flag) {
  return std::find(r.flags.begin(), r.flags.end(), flag) != r.flags.end();
}

// The column names of a file's measurements.
struct MeasurementColumns {
  const char *sex, *age_days, *weight, *length_height, *measure, *oedema, *head, *arm, *triceps,
      *subscapular;
};
constexpr MeasurementColumns kSurveyColumns{"GENDER", "_agedays", "WEIGHT", "HEIGHT", "measure",
                                            "oedema", "HEAD",     "MUAC",   "TRI",    "SUB"};
constexpr MeasurementColumns kCaseColumns{"sex",        "age_days",  "weight_kg", "lenhei_cm",
                                          "measure",    "oedema",    "headc_cm",  "muac_cm",
                                          "triskin_mm", "subskin_mm"};

GrowthMeasurement MeasurementOf(const CsvFile& f, const std::vector<std::string>& row,
                                const MeasurementColumns& c) {
  GrowthMeasurement m;
  m.sex = f.Get(row, c.sex) == "1" ? Sex::kMale : Sex::kFemale;
  if (auto days = Number(f.Get(row, c.age_days))) m.age_days = static_cast<int>(*days);
  m.weight_kg = Number(f.Get(row, c.weight));
  m.length_height_cm = Number(f.Get(row, c.length_height));
  m.measure = MeasureOf(f.Get(row, c.measure));
  m.oedema = f.Get(row, c.oedema) == "y";
  m.head_cm = Number(f.Get(row, c.head));
  m.arm_cm = Number(f.Get(row, c.arm));
  m.triceps_mm = Number(f.Get(row, c.triceps));
  m.subscapular_mm = Number(f.Get(row, c.subscapular));
  return m;
}

TEST(Growth, ReproducesEveryZScoreAndFlagOfTheWhoSurvey) {
  const auto survey = ReadCsv("who_igrowup_survey_z_st.csv");
  ASSERT_EQ(survey.rows.size(), 498u);
  const auto& standards = GrowthStandards::Builtin();
  struct Column {
    const char* z;
    const char* flag_column;
    const char* flag;
    std::optional<double> GrowthZScores::*member;
  };
  const Column columns[] = {
      {"_ZWEI", "_FWEI", "fwei", &GrowthZScores::waz},
      {"_ZLEN", "_FLEN", "flen", &GrowthZScores::lhaz},
      {"_ZWFL", "_FWFL", "fwfl", &GrowthZScores::wlhz},
      {"_ZBMI", "_FBMI", "fbmi", &GrowthZScores::baz},
      {"_ZHC", "_FHC", "fhc", &GrowthZScores::hcz},
      {"_ZAC", "_FAC", "fac", &GrowthZScores::acz},
      {"_ZTS", "_FTS", "fts", &GrowthZScores::tsz},
      {"_ZSS", "_FSS", "fss", &GrowthZScores::ssz},
  };
  std::map<std::string, int> compared;
  for (const auto& row : survey.rows) {
    GrowthMeasurement m = MeasurementOf(survey, row, kSurveyColumns);
    const auto r = standards.Compute(m);
    const std::string id = "survey child " + survey.Get(row, "id");

    if (auto clenhei = Number(survey.Get(row, "_CLENHEI"))) {
      ASSERT_TRUE(r.corrected_length_height_cm) << id;
      EXPECT_NEAR(*r.corrected_length_height_cm, *clenhei, 1e-6) << id;
    }
    for (const auto& c : columns) {
      auto expected = Number(survey.Get(row, c.z));
      const auto& got = r.*c.member;
      if (!expected) {
        EXPECT_FALSE(got) << id << " " << c.z << " should not be computed, got " << *got;
        continue;
      }
      ASSERT_TRUE(got) << id << " " << c.z << " not computed, WHO gives " << *expected;
      EXPECT_NEAR(RoundZ(*got), *expected, 0.005) << id << " " << c.z << " unrounded " << *got;
      EXPECT_EQ(HasFlag(r, c.flag), survey.Get(row, c.flag_column) == "1") << id << " " << c.flag;
      ++compared[c.z];
    }
  }
  // As many values as WHO computed (tests/data/child/SOURCE.md): none skipped.
  EXPECT_EQ(compared["_ZWEI"], 489);
  EXPECT_EQ(compared["_ZLEN"], 475);
  EXPECT_EQ(compared["_ZWFL"], 467);
  EXPECT_EQ(compared["_ZBMI"], 468);
  EXPECT_EQ(compared["_ZHC"], 94);
  EXPECT_EQ(compared["_ZAC"], 446);
  EXPECT_EQ(compared["_ZTS"], 443);
  EXPECT_EQ(compared["_ZSS"], 436);
}

// Age given in months (anthro): days = months × 30.4375, rounded half up.
int DaysOfMonths(double months) { return static_cast<int>(std::floor(months * 30.4375 + 0.5)); }

TEST(Growth, ReproducesTheReferenceCases) {
  const auto cases = ReadCsv("reference_cases.csv");
  ASSERT_EQ(cases.rows.size(), 61u);
  const auto& standards = GrowthStandards::Builtin();
  const std::map<std::string, std::pair<std::optional<double> GrowthZScores::*, const char*>>
      indicators = {
          {"wfa", {&GrowthZScores::waz, "fwei"}},      {"lhfa", {&GrowthZScores::lhaz, "flen"}},
          {"wfl/wfh", {&GrowthZScores::wlhz, "fwfl"}}, {"bfa", {&GrowthZScores::baz, "fbmi"}},
          {"hcfa", {&GrowthZScores::hcz, "fhc"}},      {"acfa", {&GrowthZScores::acz, "fac"}},
          {"tsfa", {&GrowthZScores::tsz, "fts"}},      {"ssfa", {&GrowthZScores::ssz, "fss"}},
      };
  int restricted = 0;
  for (const auto& row : cases.rows) {
    const std::string id = cases.Get(row, "case_id") + " " + cases.Get(row, "indicator");
    GrowthMeasurement m = MeasurementOf(cases, row, kCaseColumns);
    if (auto months = Number(cases.Get(row, "age_months")); months && !m.age_days) {
      m.age_days = DaysOfMonths(*months);
    }
    auto r = standards.Compute(m);
    const auto& [member, flag] = indicators.at(cases.Get(row, "indicator"));
    auto bmi_only = Number(cases.Get(row, "bmi"));
    if (!m.weight_kg && bmi_only && cases.Get(row, "indicator") == "bfa") {
      // anthro's BMI flag test gives a BMI, not a weight and a length.
      auto p = standards.At(Table::kBfa, m.sex, *m.age_days);
      ASSERT_TRUE(p) << id;
      r.baz = RestrictedLmsZ(*p, *bmi_only);
      if (std::abs(*r.baz) > 5) r.flags.push_back("fbmi");
    }
    if (auto clenhei = Number(cases.Get(row, "clenhei_cm"))) {
      ASSERT_TRUE(r.corrected_length_height_cm) << id;
      EXPECT_NEAR(*r.corrected_length_height_cm, *clenhei, 1e-6) << id;
    }
    const auto& got = r.*member;
    if (auto expected = Number(cases.Get(row, "expected_z"))) {
      ASSERT_TRUE(got) << id;
      EXPECT_NEAR(RoundZ(*got), *expected, 0.005) << id << " unrounded " << *got;
    }
    if (auto flagged = Number(cases.Get(row, "expected_flag"))) {
      EXPECT_EQ(HasFlag(r, flag), *flagged == 1) << id;
    }
    if (auto plain = Number(cases.Get(row, "z_unadjusted")); plain && got) {
      // The plain LMS z before the restriction, to the 4 decimals given.
      const std::string& indicator = cases.Get(row, "indicator");
      double x = indicator == "wfl/wfh" ? *r.corrected_length_height_cm : *m.age_days;
      Table t = indicator == "wfa"                         ? Table::kWfa
                : indicator == "wfl/wfh" && r.height_based ? Table::kWfh
                : indicator == "wfl/wfh"                   ? Table::kWfl
                : indicator == "bfa"                       ? Table::kBfa
                : indicator == "acfa"                      ? Table::kAcfa
                : indicator == "tsfa"                      ? Table::kTsfa
                : indicator == "ssfa"                      ? Table::kSsfa
                : indicator == "hcfa"                      ? Table::kHcfa
                                                           : Table::kLhfa;
      double y = t == Table::kBfa    ? *r.bmi
                 : t == Table::kAcfa ? *m.arm_cm
                 : t == Table::kTsfa ? *m.triceps_mm
                 : t == Table::kSsfa ? *m.subscapular_mm
                 : t == Table::kHcfa ? *m.head_cm
                 : t == Table::kLhfa ? *r.corrected_length_height_cm
                                     : *m.weight_kg;
      auto p = standards.At(t, m.sex, x);
      ASSERT_TRUE(p) << id;
      EXPECT_NEAR(LmsZ(*p, y), *plain, 0.00006) << id;
      if (std::abs(*plain) > 3) ++restricted;
    }
  }
  EXPECT_GE(restricted, 26);  // both tails of every restricted indicator are among the cases
}

// WHO Methods and development ch. 7: beyond ±3 SD the weight-based indicators are extended by the
// 2–3 SD distance; inside ±3 SD the restricted and plain z agree.
TEST(Growth, RestrictedApplicationOnlyBeyondThreeSd) {
  Lms p{-0.3521, 10.0, 0.09};
  auto sd = [&](double k) { return p.m * std::pow(1 + p.l * p.s * k, 1 / p.l); };
  EXPECT_NEAR(RestrictedLmsZ(p, sd(2.5)), LmsZ(p, sd(2.5)), 1e-12);
  EXPECT_NEAR(RestrictedLmsZ(p, sd(-2.5)), 2 * -1.25, 1e-9);
  double above = sd(3) + 0.5 * (sd(3) - sd(2));
  EXPECT_NEAR(RestrictedLmsZ(p, above), 3.5, 1e-9);
  EXPECT_LT(LmsZ(p, above), 3.5);  // with L < 0 (right skew) the plain z understates the tail
  double below = sd(-3) - 0.5 * (sd(-2) - sd(-3));
  EXPECT_NEAR(RestrictedLmsZ(p, below), -3.5, 1e-9);
}

// The length/height switch at 731 days (24 months), and its ±0.7 cm conversion.
TEST(Growth, LengthBeforeTwoYearsHeightFrom) {
  const auto& g = GrowthStandards::Builtin();
  GrowthMeasurement m{.sex = Sex::kFemale,
                      .age_days = 730,
                      .weight_kg = 11.0,
                      .length_height_cm = 85.0,
                      .measure = LengthMeasure::kStanding};
  auto r = g.Compute(m);
  EXPECT_FALSE(r.height_based);
  EXPECT_DOUBLE_EQ(*r.corrected_length_height_cm, 85.7);
  EXPECT_NEAR(*r.lhaz, LmsZ(*g.At(Table::kLhfa, Sex::kFemale, 730), 85.7), 1e-12);
  EXPECT_NEAR(*r.wlhz, RestrictedLmsZ(*g.At(Table::kWfl, Sex::kFemale, 85.7), 11.0), 1e-12);

  m.age_days = 731;
  m.measure = LengthMeasure::kRecumbent;
  r = g.Compute(m);
  EXPECT_TRUE(r.height_based);
  EXPECT_DOUBLE_EQ(*r.corrected_length_height_cm, 84.3);
  EXPECT_NEAR(*r.wlhz, RestrictedLmsZ(*g.At(Table::kWfh, Sex::kFemale, 84.3), 11.0), 1e-12);

  m.measure = LengthMeasure::kStanding;  // measured as the age calls for: no conversion
  r = g.Compute(m);
  EXPECT_DOUBLE_EQ(*r.corrected_length_height_cm, 85.0);

  // anthro: standing before 9 months is implausible, used as is and flagged.
  m.age_days = 244;
  r = g.Compute(m);
  EXPECT_DOUBLE_EQ(*r.corrected_length_height_cm, 85.0);
  EXPECT_TRUE(HasFlag(r, "c9mo"));
}

TEST(Growth, WeightForLengthInterpolatesBetweenTenths) {
  const auto& g = GrowthStandards::Builtin();
  auto low = *g.At(Table::kWfl, Sex::kMale, 60.1);
  auto high = *g.At(Table::kWfl, Sex::kMale, 60.2);
  auto mid = *g.At(Table::kWfl, Sex::kMale, 60.15);
  EXPECT_NEAR(mid.m, (low.m + high.m) / 2, 1e-9);
  EXPECT_NEAR(mid.s, (low.s + high.s) / 2, 1e-9);
  EXPECT_TRUE(g.At(Table::kWfl, Sex::kMale, 45.0));
  EXPECT_TRUE(g.At(Table::kWfl, Sex::kMale, 110.0));
  EXPECT_FALSE(g.At(Table::kWfl, Sex::kMale, 44.9));
  EXPECT_FALSE(g.At(Table::kWfl, Sex::kMale, 110.05));
  EXPECT_FALSE(g.At(Table::kWfh, Sex::kMale, 64.9));
  EXPECT_TRUE(g.At(Table::kWfh, Sex::kMale, 120.0));
}

TEST(Growth, NothingOutsideTheStandards) {
  const auto& g = GrowthStandards::Builtin();
  GrowthMeasurement m{.sex = Sex::kMale,
                      .age_days = 1857,
                      .weight_kg = 18.0,
                      .length_height_cm = 110.0,
                      .measure = LengthMeasure::kStanding,
                      .head_cm = 50.0};
  auto r = g.Compute(m);  // over 1856 days: the WHO 2007 references would apply
  EXPECT_FALSE(r.waz || r.lhaz || r.wlhz || r.baz || r.hcz);
  m.age_days = 1856;
  r = g.Compute(m);
  EXPECT_TRUE(r.waz && r.lhaz && r.wlhz && r.baz && r.hcz);
  m.weight_kg = 0;  // a measurement ≤ 0 gives no z-score
  m.oedema = false;
  r = g.Compute(m);
  EXPECT_FALSE(r.waz || r.wlhz || r.baz);
  EXPECT_TRUE(r.lhaz);
  m.weight_kg = 18.0;
  m.oedema = true;  // oedema: no weight-based z-score
  r = g.Compute(m);
  EXPECT_FALSE(r.waz || r.wlhz || r.baz);
  EXPECT_TRUE(r.lhaz && r.hcz);
  m.age_days = 90;  // the arm circumference table starts at 91 days
  m.arm_cm = 13.0;
  EXPECT_FALSE(g.Compute(m).acz);
}

TEST(Growth, ClassifiesByWhoCutOffsAndIgnoresFlaggedValues) {
  GrowthZScores r{.waz = -2.5, .lhaz = -3.2, .wlhz = 2.4};
  auto s = Classify(r);
  EXPECT_TRUE(s.underweight);
  EXPECT_FALSE(s.severe_underweight);
  EXPECT_TRUE(s.stunted && s.severe_stunted);
  EXPECT_FALSE(s.wasted);
  EXPECT_TRUE(s.overweight);
  EXPECT_FALSE(s.obese);
  r.wlhz = 3.1;
  EXPECT_TRUE(Classify(r).obese);
  r.lhaz = -6.5;
  r.flags = {"flen"};
  EXPECT_FALSE(Classify(r).stunted);
  EXPECT_FALSE(Classify(GrowthZScores{.waz = -2.0}).underweight);  // "below −2"
}

}  // namespace
}  // namespace jd::child
