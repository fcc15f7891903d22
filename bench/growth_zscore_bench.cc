// Growth z-score benchmark: the five check-up z-scores (weight-for-age, length/height-for-age,
// weight-for-length/height, BMI-for-age, head-for-age) of N synthetic measurements on one core,
// with the tables indexed by day and by 0.1 cm (child/growth.h), against the baseline of a naive
// per-measurement scan of the table rows, in the same run; both must give the same z-scores.
// Figures go to bench/RESULTS.md.
//
//   ./build/bench/growth_zscore_bench --measurements 1000000
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "child/growth.h"
#include "core/csv.h"
#include "core/embedded.h"

using namespace jd;
using namespace jd::child;
using Steady = std::chrono::steady_clock;

namespace {

// The baseline: each table as the list of its rows, searched row by row for every lookup.
struct Row {
  int sex;
  double x;
  Lms p;
};
std::vector<Row> Rows(std::string_view csv) {
  std::vector<Row> rows;
  CsvReader reader(csv);
  std::vector<std::string> f;
  reader.Next(f);  // header
  while (reader.Next(f)) {
    rows.push_back(
        {std::stoi(f[0]), std::stod(f[1]), {std::stod(f[2]), std::stod(f[3]), std::stod(f[4])}});
  }
  return rows;
}

const Lms* ScanAge(const std::vector<Row>& rows, int sex, int age) {
  for (const auto& r : rows) {
    if (r.sex == sex && r.x == age) return &r.p;
  }
  return nullptr;
}

std::optional<Lms> ScanLength(const std::vector<Row>& rows, int sex, double cm) {
  double low = std::floor(cm * 10) / 10;
  const Lms *a = nullptr, *b = nullptr;
  for (const auto& r : rows) {
    if (r.sex != sex) continue;
    if (std::abs(r.x - low) < 1e-6) a = &r.p;
    if (std::abs(r.x - (low + 0.1)) < 1e-6) b = &r.p;
  }
  if (!a) return std::nullopt;
  double d = (cm - low) / 0.1;
  if (!b || d < 1e-9) return *a;
  return Lms{a->l + d * (b->l - a->l), a->m + d * (b->m - a->m), a->s + d * (b->s - a->s)};
}

struct Naive {
  std::vector<Row> wfa = Rows(embedded::who_growth_wfa()), lhfa = Rows(embedded::who_growth_lhfa()),
                   wfl = Rows(embedded::who_growth_wfl()), wfh = Rows(embedded::who_growth_wfh()),
                   bfa = Rows(embedded::who_growth_bfa()), hcfa = Rows(embedded::who_growth_hcfa());

  // Children measured as their age calls for (lying under 731 days), so no conversion applies.
  GrowthZScores Compute(const GrowthMeasurement& m) const {
    GrowthZScores r;
    int sex = m.sex == Sex::kMale ? 1 : 2;
    int age = *m.age_days;
    double w = *m.weight_kg, lh = *m.length_height_cm;
    if (auto* p = ScanAge(wfa, sex, age)) r.waz = RestrictedLmsZ(*p, w);
    if (auto* p = ScanAge(lhfa, sex, age)) r.lhaz = LmsZ(*p, lh);
    if (auto p = ScanLength(age < 731 ? wfl : wfh, sex, lh)) r.wlhz = RestrictedLmsZ(*p, w);
    if (auto* p = ScanAge(bfa, sex, age)) r.baz = RestrictedLmsZ(*p, w / (lh / 100 * lh / 100));
    if (auto* p = ScanAge(hcfa, sex, age)) r.hcz = LmsZ(*p, *m.head_cm);
    return r;
  }
};

double Sum(const GrowthZScores& r) {
  double s = 0;
  for (const auto* z : {&r.waz, &r.lhaz, &r.wlhz, &r.baz, &r.hcz}) s += z->value_or(0);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"growth z-score benchmark"};
  int n = 1000000;
  cli.add_option("--measurements", n);
  CLI11_PARSE(cli, argc, argv);

  // Children 0–1856 days, measured near their median (z ~ N(0, 1.2)), lying before 731 days.
  const auto& standards = GrowthStandards::Builtin();
  std::mt19937_64 rng(1);
  std::normal_distribution<double> z(0, 1.2);
  std::vector<GrowthMeasurement> ms(static_cast<std::size_t>(n));
  for (auto& m : ms) {
    m.sex = rng() % 2 ? Sex::kMale : Sex::kFemale;
    int age = static_cast<int>(rng() % 1857);
    m.age_days = age;
    auto at = [&](GrowthStandards::Table t) { return *standards.At(t, m.sex, age); };
    auto y = [&](const Lms& p) { return p.m * std::pow(1 + p.l * p.s * z(rng), 1 / p.l); };
    m.weight_kg = std::round(y(at(GrowthStandards::Table::kWfa)) * 10) / 10;
    m.length_height_cm = std::round(y(at(GrowthStandards::Table::kLhfa)) * 10) / 10;
    m.measure = age < 731 ? LengthMeasure::kRecumbent : LengthMeasure::kStanding;
    m.head_cm = std::round(y(at(GrowthStandards::Table::kHcfa)) * 10) / 10;
  }

  double best = 1e9, sum = 0;
  std::size_t computed = 0;
  for (int round = 0; round < 3; ++round) {
    sum = 0;
    computed = 0;
    auto start = Steady::now();
    for (const auto& m : ms) {
      auto r = standards.Compute(m);
      sum += Sum(r);
      computed += r.waz.has_value() + r.lhaz.has_value() + r.wlhz.has_value() + r.baz.has_value() +
                  r.hcz.has_value();
    }
    best = std::min(best, std::chrono::duration<double>(Steady::now() - start).count());
  }
  fmt::print("indexed tables: {} measurements, {} z-scores, best of 3: {:.3f} s ({:.0f} ns each)\n",
             n, computed, best, best * 1e9 / n);

  Naive naive;
  auto start = Steady::now();
  double naive_sum = 0;
  for (const auto& m : ms) naive_sum += Sum(naive.Compute(m));
  double naive_s = std::chrono::duration<double>(Steady::now() - start).count();
  fmt::print("naive row scan: {} measurements, one run: {:.3f} s ({:.0f} ns each)\n", n, naive_s,
             naive_s * 1e9 / n);
  fmt::print("speed-up: {:.0f}x; sums of all z-scores: {:.6f} and {:.6f}\n", naive_s / best, sum,
             naive_sum);
  if (std::abs(sum - naive_sum) > 1e-6 * n) {
    fmt::print(stderr, "the two computations disagree\n");
    return 1;
  }
  return 0;
}
