#include "disease/ears.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"

namespace jd::disease {
namespace {

std::vector<std::map<std::string, std::string>> ReadCsvRows(const std::string& name) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/disease/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  EXPECT_FALSE(text.empty()) << name;
  CsvReader reader(text);
  std::vector<std::string> header, fields;
  std::vector<std::map<std::string, std::string>> rows;
  if (!reader.Next(header)) return rows;
  while (reader.Next(fields)) {
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  EXPECT_TRUE(reader.status().ok()) << name;
  return rows;
}

// dataset → unit → the full series (index 1 first), from the head file and the C1 output.
using Series = std::map<std::string, std::map<std::string, std::vector<std::int64_t>>>;

Series FullSeries() {
  Series series;
  for (const auto& r : ReadCsvRows("ears_series_head.csv")) {
    auto& s = series[r.at("dataset")][r.at("unit")];
    EXPECT_EQ(std::stoul(r.at("index")), s.size() + 1);
    s.push_back(std::stoll(r.at("observed")));
  }
  for (const char* file : {"ears_salmonella_agona_C1.csv", "ears_ha_sts_C1.csv"}) {
    for (const auto& r : ReadCsvRows(file)) {
      auto& s = series[r.at("dataset")][r.at("unit")];
      EXPECT_EQ(std::stoul(r.at("index")), s.size() + 1) << file;
      s.push_back(std::stoll(r.at("observed")));
    }
  }
  return series;
}

struct Counted {
  int rows = 0, alarms = 0, na = 0, exact = 0;
};

// Every row of one R output file: the observed count, the bound to 1e-6 (NA where R has NA) and
// the alarm.
Counted CheckFile(const Series& series, const std::string& file, EarsMethod method) {
  Counted c;
  std::map<std::string, std::vector<EarsPoint>> results;
  EarsOptions options{.method = method};
  for (const auto& r : ReadCsvRows(file)) {
    const auto& y = series.at(r.at("dataset")).at(r.at("unit"));
    auto it = results.find(r.at("unit"));
    if (it == results.end()) {
      it = results.emplace(r.at("unit"), Ears(std::span<const std::int64_t>(y), options)).first;
    }
    std::size_t i = std::stoul(r.at("index")) - 1;
    SCOPED_TRACE(file + " unit " + r.at("unit") + " index " + r.at("index"));
    EXPECT_EQ(y.at(i), std::stoll(r.at("observed")));
    const EarsPoint& p = it->second.at(i);
    ++c.rows;
    if (r.at("upperbound") == "NA") {
      ++c.na;
      EXPECT_EQ(p.state, EarsState::kUndefined);
      EXPECT_EQ(r.at("alarm"), "NA");
      continue;
    }
    EXPECT_EQ(p.state, EarsState::kComputed);
    EXPECT_NEAR(p.upperbound, std::stod(r.at("upperbound")), 1e-6);
    if (p.upperbound == std::stod(r.at("upperbound"))) ++c.exact;
    EXPECT_EQ(p.alarm, r.at("alarm") == "1");
    if (p.alarm) ++c.alarms;
  }
  return c;
}

TEST(Ears, NormalQuantileMatchesR) {
  // qnorm(0.999), qnorm(0.975) and qnorm(0.5) in R 4.2; the tail of AS 241 (r > 5) at 1e-12.
  EXPECT_DOUBLE_EQ(NormalQuantile(1 - 0.001), 3.090232306167813);
  EXPECT_DOUBLE_EQ(NormalQuantile(1 - 0.025), 1.959963984540054);
  EXPECT_EQ(NormalQuantile(0.5), 0.0);
  EXPECT_NEAR(NormalQuantile(1e-12), -7.034483825301132, 1e-9);
}

TEST(Ears, ReproducesEverySalmonellaAgonaBound) {
  Series s = FullSeries();
  ASSERT_EQ(s["salmonella.agona"]["observed1"].size(), 312u);
  Counted c1 = CheckFile(s, "ears_salmonella_agona_C1.csv", EarsMethod::kC1);
  Counted c2 = CheckFile(s, "ears_salmonella_agona_C2.csv", EarsMethod::kC2);
  Counted c3 = CheckFile(s, "ears_salmonella_agona_C3.csv", EarsMethod::kC3);
  // The counts of the reference's README: rows, alarms, NA bounds.
  EXPECT_EQ(c1.rows, 305);
  EXPECT_EQ(c1.alarms, 16);
  EXPECT_EQ(c2.rows, 303);
  EXPECT_EQ(c2.alarms, 20);
  EXPECT_EQ(c3.rows, 301);
  EXPECT_EQ(c3.alarms, 36);
  EXPECT_EQ(c1.na + c2.na + c3.na, 0);
  // C1 and C2 bit for bit; C3 within a few units in the last place (R's order of operations).
  EXPECT_EQ(c1.exact + c2.exact, c1.rows + c2.rows) << "bit for bit";
}

TEST(Ears, ReproducesEveryBerlinHepatitisABound) {
  Series s = FullSeries();
  ASSERT_EQ(s["ha.sts"].size(), 12u);
  for (const auto& [unit, y] : s["ha.sts"]) EXPECT_EQ(y.size(), 290u) << unit;
  Counted c1 = CheckFile(s, "ears_ha_sts_C1.csv", EarsMethod::kC1);
  Counted c2 = CheckFile(s, "ears_ha_sts_C2.csv", EarsMethod::kC2);
  Counted c3 = CheckFile(s, "ears_ha_sts_C3.csv", EarsMethod::kC3);
  EXPECT_EQ(c1.rows, 3396);
  EXPECT_EQ(c1.alarms, 133);
  EXPECT_EQ(c2.rows, 3372);
  EXPECT_EQ(c2.alarms, 133);
  EXPECT_EQ(c3.rows, 3348);
  EXPECT_EQ(c3.alarms, 6);
  EXPECT_EQ(c3.na, 2211);
  EXPECT_EQ(c1.na + c2.na, 0);
  EXPECT_EQ(c1.exact + c2.exact, c1.rows + c2.rows) << "bit for bit";
}

TEST(Ears, IncompleteBaselineHasNoBound) {
  std::vector<std::int64_t> y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  for (auto [method, first] : std::vector<std::pair<EarsMethod, std::size_t>>{
           {EarsMethod::kC1, 7}, {EarsMethod::kC2, 9}, {EarsMethod::kC3, 11}}) {
    auto points = Ears(std::span<const std::int64_t>(y), {.method = method});
    ASSERT_EQ(points.size(), y.size());
    for (std::size_t i = 0; i < y.size(); ++i) {
      EXPECT_EQ(points[i].state == EarsState::kIncomplete, i < first)
          << EarsMethodName(method) << " " << i;
    }
  }
  // Shorter than the baseline: every point incomplete, nothing read out of range.
  std::vector<std::int64_t> short_series = {3, 1};
  for (const auto& p :
       Ears(std::span<const std::int64_t>(short_series), {.method = EarsMethod::kC3})) {
    EXPECT_EQ(p.state, EarsState::kIncomplete);
  }
}

TEST(Ears, HandComputedC1AndStrictAlarm) {
  // Window 0,0,0,0,0,0,7: mean 1, sd sqrt(7) → 1 + 3.0902323·2.6457513 = 9.1759...
  std::vector<std::int64_t> y = {0, 0, 0, 0, 0, 0, 7, 10, 2, 2, 2, 2, 2, 2, 2, 2};
  auto p = Ears(std::span<const std::int64_t>(y), {.method = EarsMethod::kC1});
  EXPECT_NEAR(p[7].upperbound, 1 + 3.090232306167813 * std::sqrt(7.0), 1e-12);
  EXPECT_TRUE(p[7].alarm);
  // A constant window 2,…,2 (after index 14) gives the bound 2 exactly; 2 is not above it.
  EXPECT_EQ(p[15].upperbound, 2.0);
  EXPECT_FALSE(p[15].alarm);
}

TEST(Ears, RealAndIntegerPathsAgree) {
  Series s = FullSeries();
  for (const auto& [unit, y] : s["ha.sts"]) {
    std::vector<double> yd(y.begin(), y.end());
    for (EarsMethod m : {EarsMethod::kC1, EarsMethod::kC2, EarsMethod::kC3}) {
      auto a = Ears(std::span<const std::int64_t>(y), {.method = m});
      auto b = Ears(std::span<const double>(yd), {.method = m});
      auto all = EarsAll(std::span<const std::int64_t>(y), {});
      const auto& c = m == EarsMethod::kC1 ? all.c1 : m == EarsMethod::kC2 ? all.c2 : all.c3;
      for (std::size_t i = 0; i < y.size(); ++i) {
        ASSERT_EQ(a[i].state, b[i].state) << unit << " " << i;
        EXPECT_NEAR(a[i].upperbound, b[i].upperbound, 1e-12) << unit << " " << i;
        EXPECT_EQ(a[i].alarm, b[i].alarm) << unit << " " << i;
        EXPECT_EQ(a[i].state, c[i].state);
        EXPECT_EQ(a[i].upperbound, c[i].upperbound);
        EXPECT_EQ(a[i].alarm, c[i].alarm);
      }
    }
  }
}

TEST(Ears, OptionsAreValidated) {
  EXPECT_TRUE(ValidateEarsOptions({}).ok());
  Status bad = ValidateEarsOptions({.baseline = 2, .min_sigma = -1, .alpha = 1.5});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.field_errors().size(), 3u);
  EXPECT_EQ(EarsMethodFromName("C2"), EarsMethod::kC2);
  EXPECT_FALSE(EarsMethodFromName("c2").has_value());
  EXPECT_DOUBLE_EQ(EarsAlpha({.method = EarsMethod::kC3}), 0.025);
  EXPECT_DOUBLE_EQ(EarsAlpha({.method = EarsMethod::kC1}), 0.001);
}

}  // namespace
}  // namespace jd::disease
