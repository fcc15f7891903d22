#include "child/growth.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/csv.h"
#include "core/embedded.h"

namespace jd::child {

namespace {

using Table = GrowthStandards::Table;

// WHO Child Growth Standards, Methods and development (2006) ch. 7: the ages and lengths the tables
// cover (igrowup scores ages 0–1856 days).
constexpr int kLastAgeDay = 1856;
constexpr int kFirstHeightDay = 731;  // standing height from 731 days (24 months)
constexpr double kLengthHeightGapCm = 0.7;
constexpr double kDaysPerMonth = 30.4375;
constexpr double kNoAgeLengthTableBelowCm = 87;

double ParseNumber(const std::string& text, std::string_view what) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw std::logic_error(fmt::format("WHO growth table {}: '{}' is not a number", what, text));
  }
  return v;
}

// The measure y at z = k on the LMS curve (Methods and development ch. 7, "SD" values).
double SdAt(const Lms& p, double k) { return p.m * std::pow(1 + p.l * p.s * k, 1 / p.l); }

bool Positive(const std::optional<double>& v) { return v && *v > 0 && std::isfinite(*v); }

}  // namespace

double LmsZ(const Lms& p, double y) {
  if (p.l == 1) return (y / p.m - 1) / p.s;  // length/height and head (L = 1): no pow needed
  if (p.l == 0) return std::log(y / p.m) / p.s;
  return (std::pow(y / p.m, p.l) - 1) / (p.s * p.l);
}

double RestrictedLmsZ(const Lms& p, double y) {
  double z = LmsZ(p, y);
  if (z > 3) {
    double sd3 = SdAt(p, 3);
    return 3 + (y - sd3) / (sd3 - SdAt(p, 2));
  }
  if (z < -3) {
    double sd3neg = SdAt(p, -3);
    return -3 + (y - sd3neg) / (SdAt(p, -2) - sd3neg);
  }
  return z;
}

double RoundZ(double z) {
  double r = std::round(z * 100) / 100;
  return r == 0 ? 0.0 : r;  // no "-0"
}

GrowthStandards GrowthStandards::Parse(const std::array<std::string_view, 9>& csv) {
  GrowthStandards g;
  for (std::size_t t = 0; t < csv.size(); ++t) {
    bool by_length =
        t == static_cast<std::size_t>(Table::kWfl) || t == static_cast<std::size_t>(Table::kWfh);
    Rows& rows = g.tables_[t];
    CsvReader reader(csv[t]);
    std::vector<std::string> fields;
    bool header = true;
    std::array<int, 2> next_x{-1, -1};
    while (reader.Next(fields)) {
      if (header) {
        header = false;
        continue;
      }
      auto where = fmt::format("{} line {}", t, reader.line());
      if (fields.size() < 5) throw std::logic_error("WHO growth table " + where + ": short row");
      int sex = static_cast<int>(ParseNumber(fields[0], where));
      if (sex != 1 && sex != 2) throw std::logic_error("WHO growth table " + where + ": sex");
      double x_value = ParseNumber(fields[1], where);
      int x = static_cast<int>(std::lround(by_length ? x_value * 10 : x_value));
      int& expected = next_x[sex - 1];
      if (expected < 0) {
        if (sex == 1) rows.first = x;
        if (x != rows.first) throw std::logic_error("WHO growth table " + where + ": start");
      } else if (x != expected) {
        throw std::logic_error("WHO growth table " + where + ": rows not contiguous");
      }
      expected = x + 1;
      rows.by_sex[sex - 1].push_back({ParseNumber(fields[2], where), ParseNumber(fields[3], where),
                                      ParseNumber(fields[4], where)});
    }
    if (!reader.status().ok() || rows.by_sex[0].empty() ||
        rows.by_sex[0].size() != rows.by_sex[1].size()) {
      throw std::logic_error(fmt::format("WHO growth table {} is malformed", t));
    }
  }
  return g;
}

const GrowthStandards& GrowthStandards::Builtin() {
  static const GrowthStandards standards = Parse({
      embedded::who_growth_wfa(),
      embedded::who_growth_lhfa(),
      embedded::who_growth_wfl(),
      embedded::who_growth_wfh(),
      embedded::who_growth_bfa(),
      embedded::who_growth_hcfa(),
      embedded::who_growth_acfa(),
      embedded::who_growth_tsfa(),
      embedded::who_growth_ssfa(),
  });
  return standards;
}

std::optional<Lms> GrowthStandards::At(Table t, Sex sex, double x) const {
  const Rows& rows = tables_[static_cast<std::size_t>(t)];
  const auto& v = rows.by_sex[sex == Sex::kMale ? 0 : 1];
  if (t != Table::kWfl && t != Table::kWfh) {
    long i = std::lround(x) - rows.first;
    if (i < 0 || i >= static_cast<long>(v.size())) return std::nullopt;
    return v[static_cast<std::size_t>(i)];
  }
  // igrowup calc.zwfl: low = trunc(x·10)/10, upp = low + 0.1, each of L, M, S linear in between.
  double tenths = x * 10;
  double low = std::floor(tenths);
  long i = static_cast<long>(low) - rows.first;
  long last = static_cast<long>(v.size()) - 1;
  if (i < 0 || i > last || (i == last && tenths > low)) return std::nullopt;
  if (i == last || tenths == low) return v[static_cast<std::size_t>(i)];
  double d = tenths - low;
  const Lms& a = v[static_cast<std::size_t>(i)];
  const Lms& b = v[static_cast<std::size_t>(i + 1)];
  return Lms{a.l + d * (b.l - a.l), a.m + d * (b.m - a.m), a.s + d * (b.s - a.s)};
}

GrowthZScores GrowthStandards::Compute(const GrowthMeasurement& m) const {
  GrowthZScores r;
  // Plain values rather than optionals: the rules below test them many times.
  const bool has_age = m.age_days && *m.age_days >= 0;
  const int age = has_age ? *m.age_days : 0;
  const bool age_in_range = has_age && age <= kLastAgeDay;
  enum class Measured { kUnknown, kRecumbent, kStanding };
  Measured measure = !m.measure                                ? Measured::kUnknown
                     : *m.measure == LengthMeasure::kRecumbent ? Measured::kRecumbent
                                                               : Measured::kStanding;
  // Length or height, and which of the two the child's age calls for.
  if (has_age && measure == Measured::kStanding && age / kDaysPerMonth < 9) {
    measure = Measured::kUnknown;  // anthro: a standing height before 9 months is implausible
    if (Positive(m.length_height_cm)) r.flags.push_back("c9mo");
  }
  std::optional<double> lenhei;
  if (Positive(m.length_height_cm)) {
    double cm = *m.length_height_cm;
    if (has_age && age < kFirstHeightDay && measure == Measured::kStanding) {
      cm += kLengthHeightGapCm;
    } else if (has_age && age >= kFirstHeightDay && measure == Measured::kRecumbent) {
      cm -= kLengthHeightGapCm;
    }
    lenhei = cm;
    r.corrected_length_height_cm = cm;
  }
  if (has_age) {
    r.height_based = age >= kFirstHeightDay;
  } else if (measure != Measured::kUnknown) {
    r.height_based = measure == Measured::kStanding;
  } else {
    r.height_based = lenhei && *lenhei >= kNoAgeLengthTableBelowCm;
  }

  const bool weight = Positive(m.weight_kg) && !m.oedema;
  auto by_age = [&](Table t, const std::optional<double>& y, bool restricted,
                    std::optional<double>& out) {
    if (!age_in_range || !Positive(y)) return;
    auto p = At(t, m.sex, age);
    if (p) out = restricted ? RestrictedLmsZ(*p, *y) : LmsZ(*p, *y);
  };
  auto flag_beyond = [&](const std::optional<double>& z, double limit, const char* name) {
    if (z && std::abs(*z) > limit) r.flags.push_back(name);
  };

  if (weight) by_age(Table::kWfa, m.weight_kg, true, r.waz);
  if (r.waz && (*r.waz < -6 || *r.waz > 5)) r.flags.push_back("fwei");

  by_age(Table::kLhfa, lenhei, false, r.lhaz);
  flag_beyond(r.lhaz, 6, "flen");

  // The weight-for-length/height tables are indexed by length, not age; the children they are for
  // are those the age tables cover.
  if (weight && lenhei && (!has_age || age_in_range)) {
    auto p = At(r.height_based ? Table::kWfh : Table::kWfl, m.sex, *lenhei);
    if (p) r.wlhz = RestrictedLmsZ(*p, *m.weight_kg);
  }
  flag_beyond(r.wlhz, 5, "fwfl");

  if (weight && lenhei) {
    double metres = *lenhei / 100;
    r.bmi = *m.weight_kg / (metres * metres);
    by_age(Table::kBfa, r.bmi, true, r.baz);
  }
  flag_beyond(r.baz, 5, "fbmi");

  by_age(Table::kHcfa, m.head_cm, false, r.hcz);
  flag_beyond(r.hcz, 5, "fhc");
  by_age(Table::kAcfa, m.arm_cm, true, r.acz);
  flag_beyond(r.acz, 5, "fac");
  by_age(Table::kTsfa, m.triceps_mm, true, r.tsz);
  flag_beyond(r.tsz, 5, "fts");
  by_age(Table::kSsfa, m.subscapular_mm, true, r.ssz);
  flag_beyond(r.ssz, 5, "fss");
  return r;
}

NutritionStatus Classify(const GrowthZScores& r) {
  auto has = [&](const char* flag) {
    return std::find(r.flags.begin(), r.flags.end(), flag) != r.flags.end();
  };
  NutritionStatus s;
  if (r.waz && !has("fwei")) {
    s.underweight = *r.waz < -2;
    s.severe_underweight = *r.waz < -3;
  }
  if (r.lhaz && !has("flen")) {
    s.stunted = *r.lhaz < -2;
    s.severe_stunted = *r.lhaz < -3;
  }
  if (r.wlhz && !has("fwfl")) {
    s.wasted = *r.wlhz < -2;
    s.severe_wasted = *r.wlhz < -3;
    s.overweight = *r.wlhz > 2;
    s.obese = *r.wlhz > 3;
  }
  return s;
}

}  // namespace jd::child
