// Forecast benchmark: every dose of every programme series for N synthetic children as of one
// date, on one core; and one child's forecast alone. Figures go to bench/RESULTS.md.
//
//   ./build/bench/immunization_forecast_bench --children 200000 [--as-of 2026-11-22]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <numeric>

#include "immunization/forecast.h"
#include "immunization/synthetic.h"

using namespace jd;
using namespace jd::immunization;
using Steady = std::chrono::steady_clock;

int main(int argc, char** argv) {
  CLI::App cli{"forecast benchmark"};
  int children = 200000;
  std::string as_of_text = "2026-11-22";
  cli.add_option("--children", children);
  cli.add_option("--as-of", as_of_text);
  CLI11_PARSE(cli, argc, argv);
  Date as_of = *ParseDate(as_of_text);
  const Schedule& schedule = Schedule::Default();

  // Children 0–6 years old (the vaccination-file ages), evenly spread over birth dates.
  auto t0 = Steady::now();
  std::vector<Date> births(children);
  std::vector<std::vector<DoseEvent>> histories(children);
  std::size_t records = 0;
  for (int i = 0; i < children; ++i) {
    births[i] = AddDays(as_of, -static_cast<int>((static_cast<std::uint64_t>(i) * 7919) % 2555));
    histories[i] = SyntheticHistory(schedule, births[i], as_of, static_cast<std::uint64_t>(i));
    records += histories[i].size();
  }
  double gen_s = std::chrono::duration<double>(Steady::now() - t0).count();
  fmt::print("generated {} children with {} dose records ({:.1f} per child) in {:.2f} s\n",
             children, records, static_cast<double>(records) / children, gen_s);

  // All children, one core, the output buffer reused as the due list does.
  Forecast f;
  std::size_t due = 0, overdue = 0, lines = 0;
  double best_s = 1e9;
  for (int round = 0; round < 3; ++round) {
    due = overdue = lines = 0;
    auto start = Steady::now();
    for (int i = 0; i < children; ++i) {
      ForecastChild(schedule, births[i], histories[i], as_of, {}, f);
      lines += f.doses.size();
      for (const auto& d : f.doses) {
        due += d.status == DoseStatus::kDue;
        overdue += d.status == DoseStatus::kOverdue;
      }
    }
    best_s = std::min(best_s, std::chrono::duration<double>(Steady::now() - start).count());
  }
  fmt::print(
      "forecast all: {:.1f} ms (best of 3), {:.0f} children/s, {:.2f} us/child; "
      "{} dose lines, {} due, {} overdue\n",
      best_s * 1e3, children / best_s, best_s * 1e6 / children, lines, due, overdue);

  // One child alone: a 6-year-old with a complete on-time history, and a 14-month-old.
  for (int age_days : {6 * 365 + 30, 14 * 30}) {
    Date birth = AddDays(as_of, -age_days);
    SyntheticOptions on_time{.miss_probability = 0, .late_probability = 0, .early_probability = 0};
    auto history = SyntheticHistory(schedule, birth, as_of, 42, on_time);
    std::vector<double> samples;
    for (int rep = 0; rep < 20000; ++rep) {
      auto start = Steady::now();
      Forecast one = ForecastChild(schedule, birth, history, as_of);
      samples.push_back(std::chrono::duration<double, std::micro>(Steady::now() - start).count());
      if (one.doses.empty()) return 1;
    }
    std::sort(samples.begin(), samples.end());
    fmt::print(
        "one child ({} doses on record, age {} days, fresh output): p50 {:.2f} us, p99 "
        "{:.2f} us\n",
        history.size(), age_days, samples[samples.size() / 2], samples[samples.size() * 99 / 100]);
  }
  return 0;
}
