#include "disease/detectors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace jd::disease {
namespace {

using nlohmann::json;

// Read once and kept: a range-for over Cases()[...] must not outlive the document.
const json& Cases() {
  static const json cases = [] {
    std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/disease/detector_cases.json");
    return json::parse(in, nullptr, false);
  }();
  EXPECT_TRUE(cases.is_object());
  return cases;
}

// A series whose last day t has the case's current window and baseline windows: each baseline
// sum is put on the last day of its window (the windows do not overlap), every other day is 0.
std::vector<std::int64_t> SeriesOf(const json& c, const MovingPercentileOptions& o) {
  std::size_t t = MovingPercentileFirstDay(o) + 10;
  std::vector<std::int64_t> y(t + 1, 0);
  std::size_t i = 0;
  for (int year = 1; year <= o.years; ++year) {
    for (int k = -o.adjacent; k <= o.adjacent; ++k) {
      y[t - static_cast<std::size_t>(364 * year - 7 * k)] =
          static_cast<std::int64_t>(c["baseline_sums"][i++].get<double>());
    }
  }
  const json& days = c["current_days"];
  for (std::size_t d = 0; d < 7; ++d) y[t - 6 + d] = days[d].get<int>();
  return y;
}

TEST(Detectors, MovingPercentileWorkedCases) {
  json cases = Cases()["moving_percentile"];
  ASSERT_GE(cases.size(), 8u);
  for (const json& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_FALSE(c.value("cite", "").empty());
    MovingPercentileOptions o{.percentile = c["percentile"].get<int>()};
    ASSERT_TRUE(ValidateMovingPercentileOptions(o).ok());
    auto y = SeriesOf(c, o);
    auto points = MovingPercentile(y, o);
    const PercentilePoint& p = points.back();
    ASSERT_TRUE(p.complete);
    EXPECT_NEAR(p.threshold, c["expect"]["threshold"].get<double>(), 1e-12);
    EXPECT_EQ(p.current, c["expect"]["current"].get<int>());
    EXPECT_EQ(p.signal, c["expect"]["signal"].get<bool>());
  }
}

TEST(Detectors, FixedThresholdWorkedCases) {
  for (const json& c : Cases()["fixed_threshold"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto counts = c["counts"].get<std::vector<std::int64_t>>();
    auto expect = c["expect"].get<std::vector<bool>>();
    EXPECT_EQ(FixedThreshold(counts, c["threshold"].get<int>()),
              std::vector<std::uint8_t>(expect.begin(), expect.end()));
  }
}

TEST(Detectors, PlantedOutbreakSignalsOnlyInItsWeek) {
  // Three years of 3 cases a day and a fourth of 2 (one extra case every 7th day throughout), then
  // 5 extra cases a day for a week in the fourth year. Baseline sums are 22, the quiet weeks of
  // the fourth year 15: the moving percentile signals exactly while the window holds at least 2
  // outbreak days (15 + 2·5 ≥ 22), and never before.
  MovingPercentileOptions o{.percentile = 80};
  std::vector<std::int64_t> y(4 * 364 + 30);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = (i < 3 * 364 ? 3 : 2) + (i % 7 == 0 ? 1 : 0);
  const std::size_t start = 3 * 364 + 40;
  for (std::size_t i = start; i < start + 7; ++i) y[i] += 5;
  auto points = MovingPercentile(y, o);
  int signals = 0;
  for (std::size_t t = MovingPercentileFirstDay(o); t < y.size(); ++t) {
    std::size_t outbreak_days = 0;
    for (std::size_t d = t - 6; d <= t; ++d) outbreak_days += d >= start && d < start + 7;
    EXPECT_EQ(points[t].signal, outbreak_days >= 2) << t;
    signals += points[t].signal;
  }
  EXPECT_EQ(signals, 11);
  EXPECT_FALSE(points[MovingPercentileFirstDay(o) - 1].complete);
  // The fixed threshold on the same series signals every day: it is meant for rare diseases.
  auto fixed = FixedThreshold(y);
  EXPECT_EQ(std::count(fixed.begin(), fixed.end(), 1), static_cast<long>(y.size()));
}

TEST(Detectors, NineValueFastPathEqualsTheGeneralPercentile) {
  // Every 0/1 pattern of the 9 baseline sums (the 0-1 principle for the sorting network) and
  // random ones, at several percentiles: the same threshold as PercentileType7.
  std::uint64_t state = 12345;
  for (int pattern = 0; pattern < 512 + 2000; ++pattern) {
    std::vector<double> sums(9);
    for (int i = 0; i < 9; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      sums[static_cast<std::size_t>(i)] =
          pattern < 512 ? (pattern >> i) & 1 : static_cast<double>((state >> 33) % 40);
    }
    for (int pct : {10, 45, 50, 75, 80, 99}) {
      json c = {{"baseline_sums", sums}, {"current_days", {0, 0, 0, 0, 0, 0, 1}}};
      MovingPercentileOptions o{.percentile = pct};
      auto points = MovingPercentile(SeriesOf(c, o), o);
      std::vector<double> v = sums;
      ASSERT_DOUBLE_EQ(points.back().threshold, PercentileType7(v, pct)) << pattern << " " << pct;
    }
  }
}

TEST(Detectors, EightDayKernelEqualsOneDayAtATime) {
  // Random series (sparse, dense, and one whose weekly sums pass 32 bits, which must take the
  // one-day path), every field of every day, for the nine-value variants and several percentiles.
  std::uint64_t state = 99;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  const std::vector<MovingPercentileOptions> variants = {
      {.percentile = 80},
      {.percentile = 1},
      {.percentile = 45},
      {.percentile = 99},
      {.percentile = 75, .years = 1, .adjacent = 4},
      {.percentile = 50, .years = 9, .adjacent = 0}};
  for (std::int64_t scale : {1LL, 3LL, 1000LL, 1LL << 31}) {
    for (const auto& o : variants) {
      // Lengths around the block of eight, so that the last block is full and partial.
      for (std::size_t extra : {0U, 1U, 7U, 8U, 9U, 365U}) {
        std::vector<std::int64_t> y(MovingPercentileFirstDay(o) + extra);
        for (auto& v : y) v = next() % 4 == 0 ? static_cast<std::int64_t>(next() % 5) * scale : 0;
        auto fast = MovingPercentile(y, o);
        auto slow = MovingPercentile(y, o, PercentileKernel::kScalar);
        ASSERT_EQ(fast.size(), slow.size());
        for (std::size_t t = 0; t < y.size(); ++t) {
          ASSERT_EQ(fast[t].complete, slow[t].complete) << t;
          ASSERT_EQ(fast[t].current, slow[t].current) << t;
          ASSERT_EQ(fast[t].threshold, slow[t].threshold)
              << scale << " " << o.percentile << " " << t;
          ASSERT_EQ(fast[t].signal, slow[t].signal) << t;
        }
      }
    }
  }
}

TEST(Detectors, PercentileType7MatchesR) {
  // quantile(c(1, 2, 3, 4), 0.8) = 3.4 and quantile(c(7), 0.5) = 7 in R.
  std::vector<double> v = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(PercentileType7(v, 80), 3.4);
  std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(PercentileType7(one, 50), 7);
  EXPECT_FALSE(ValidateMovingPercentileOptions({.percentile = 100, .years = 0}).ok());
}

}  // namespace
}  // namespace jd::disease
