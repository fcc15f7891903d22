// Surveillance benchmark: a full year of daily case counts for 40 diseases × 200 districts through
// every early-warning detector (EARS C1, C2, C3, the CIDARS moving percentile with each disease's
// percentile from the catalogue, and the fixed threshold) on one core, against the same computed
// by SQL window queries in SQLite (in memory) in the same run; both must give the same bounds,
// thresholds and signals. Figures go to bench/RESULTS.md.
//
//   ./build/bench/surveillance_bench --diseases 40 --districts 200 --sql-series 8000
//
// Each series has 3 years of history before the year (the moving percentile's baseline) and
// seasonal Poisson counts whose level varies by disease (many rare diseases are mostly zeros).
// --sql-series N runs the SQL baseline on the first N series only (it is slow); the C++ timing of
// the same N series is printed beside it.
#include <fmt/format.h>
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "disease/catalogue.h"
#include "disease/detectors.h"
#include "disease/ears.h"

using namespace jd;
using namespace jd::disease;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int kYear = 365;

struct Series {
  int percentile = 80;
  std::vector<std::int64_t> counts;  // history + the year
};

// The detectors' output for the year of one series.
struct YearResult {
  std::vector<EarsPoint> c1, c2, c3;
  std::vector<PercentilePoint> mp;
  std::vector<std::uint8_t> fixed;
};

struct Totals {
  long c1 = 0, c2 = 0, c3 = 0, mp = 0, fixed = 0;
};

// One series through every detector. EARS runs over the year and the 11 days before it (so that
// every day of the year has a C3 bound), the three sharing their windows; the moving percentile
// over the whole series, whose first complete day is the first day of the year.
YearResult Detect(const Series& s, std::size_t history) {
  YearResult r;
  std::span<const std::int64_t> all(s.counts);
  auto ears_in = all.subspan(history - 11);
  auto ears = EarsAll(ears_in, {});
  r.c1 = std::move(ears.c1);
  r.c2 = std::move(ears.c2);
  r.c3 = std::move(ears.c3);
  r.mp = MovingPercentile(all, {.percentile = s.percentile});
  r.fixed = FixedThreshold(all.subspan(history));
  return r;
}

void Count(const YearResult& r, std::size_t history, Totals& t) {
  for (std::size_t d = 11; d < r.c1.size(); ++d) {
    t.c1 += r.c1[d].alarm;
    t.c2 += r.c2[d].alarm;
    t.c3 += r.c3[d].alarm;
  }
  for (std::size_t d = history; d < r.mp.size(); ++d) t.mp += r.mp[d].signal;
  for (std::uint8_t f : r.fixed) t.fixed += f;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fmt::print(stderr, "{}: {}\n", what, sqlite3_errmsg(db));
    std::exit(2);
  }
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    fmt::print(stderr, "{}: {}\n", sql.substr(0, 60), err ? err : "");
    std::exit(2);
  }
}

// Runs `sql`, calling row(stmt) for every row.
template <typename F>
void Query(sqlite3* db, const std::string& sql, F row) {
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), db, "prepare");
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
  Check(rc, db, "step");
  sqlite3_finalize(st);
}

double Seconds(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// CPU time of this thread: on a loaded machine the wall clock also counts the time other
// processes hold the core.
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"surveillance detectors benchmark"};
  int diseases = 40, districts = 200, sql_series = 400, rounds = 5;
  cli.add_option("--diseases", diseases);
  cli.add_option("--districts", districts);
  cli.add_option("--sql-series", sql_series, "series the SQL baseline runs on (the first N)");
  cli.add_option("--rounds", rounds);
  CLI11_PARSE(cli, argc, argv);

  // The diseases of the catalogue on 2025-09-01 (40), with their percentiles (80 where the
  // disease is not on the moving percentile: every detector runs on every series here).
  auto listed = DiseaseCatalogue::Builtin().ListedOn(*ParseDate("2025-09-01"));
  if (!listed.ok()) return 2;
  const std::size_t history = MovingPercentileFirstDay({});
  const std::size_t days = history + kYear;
  std::vector<Series> series(static_cast<std::size_t>(diseases * districts));
  std::mt19937_64 rng(1);
  for (int d = 0; d < diseases; ++d) {
    const auto& entry = *(*listed)[static_cast<std::size_t>(d) % listed->size()].entry;
    // Daily mean per district from 0.002 (rare) to ~5 (influenza-like), with a winter peak.
    double level = 0.002 * std::pow(2500.0, static_cast<double>(d % 10) / 9.0);
    for (int k = 0; k < districts; ++k) {
      Series& s = series[static_cast<std::size_t>(d * districts + k)];
      s.percentile = entry.percentile > 0 ? entry.percentile : 80;
      s.counts.resize(days);
      for (std::size_t t = 0; t < days; ++t) {
        double season = 1 + 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(t) / 364.0);
        std::poisson_distribution<std::int64_t> p(level * season);
        s.counts[t] = p(rng);
      }
    }
  }
  const auto n_series = series.size();
  fmt::print(
      "{} series ({} diseases x {} districts), {} days each ({} of history + {}), {} counts\n",
      n_series, diseases, districts, days, history, kYear, n_series * days);

  // ---- C++: every detector over every series, one core, best of `rounds`.
  double best = 1e9, best_cpu = 1e9;
  Totals totals;
  double per_detector[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
  for (int round = 0; round < rounds; ++round) {
    Totals t;
    auto start = Steady::now();
    double cpu = CpuNow();
    for (const auto& s : series) Count(Detect(s, history), history, t);
    best_cpu = std::min(best_cpu, CpuNow() - cpu);
    best = std::min(best, Seconds(start));
    totals = t;
  }
  // Each detector alone, to show where the time goes.
  for (int round = 0; round < rounds; ++round) {
    long sink = 0;
    auto time = [&](int i, auto f) {
      double cpu = CpuNow();
      for (const auto& s : series) sink += f(s);
      per_detector[i] = std::min(per_detector[i], CpuNow() - cpu);
    };
    for (int m = 0; m < 3; ++m) {
      time(m, [&](const Series& s) {
        auto p = Ears(std::span<const std::int64_t>(s.counts).subspan(history - 11),
                      {.method = static_cast<EarsMethod>(m)});
        return static_cast<long>(p.back().alarm);
      });
    }
    time(3, [&](const Series& s) {
      return static_cast<long>(
          MovingPercentile(s.counts, {.percentile = s.percentile}).back().signal);
    });
    time(4, [&](const Series& s) {
      return static_cast<long>(
          FixedThreshold(std::span<const std::int64_t>(s.counts).subspan(history)).back());
    });
    if (sink < 0) return 3;
  }
  fmt::print(
      "C++ all detectors: best of {}: {:.1f} ms wall, {:.1f} ms CPU ({:.1f} ns CPU per "
      "series-day); alarms C1 {} C2 {} C3 {}, moving percentile {}, fixed threshold {}\n",
      rounds, best * 1e3, best_cpu * 1e3, best_cpu * 1e9 / static_cast<double>(n_series * kYear),
      totals.c1, totals.c2, totals.c3, totals.mp, totals.fixed);
  fmt::print(
      "  alone (CPU): C1 {:.1f} ms, C2 {:.1f} ms, C3 {:.1f} ms, moving percentile {:.1f} ms, fixed "
      "{:.1f} ms\n",
      per_detector[0] * 1e3, per_detector[1] * 1e3, per_detector[2] * 1e3, per_detector[3] * 1e3,
      per_detector[4] * 1e3);

  // ---- SQL baseline on the first `sql_series` series.
  const auto n_sql = std::min<std::size_t>(static_cast<std::size_t>(sql_series), n_series);
  {
    double cpu = CpuNow();
    Totals t;
    for (std::size_t i = 0; i < n_sql; ++i) Count(Detect(series[i], history), history, t);
    fmt::print("C++ on the first {} series: {:.1f} ms CPU\n", n_sql, (CpuNow() - cpu) * 1e3);
  }
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  Exec(db,
       "CREATE TABLE counts(series INTEGER, day INTEGER, n INTEGER, PRIMARY KEY(series, day)) "
       "WITHOUT ROWID");
  Exec(db, "CREATE TABLE series(series INTEGER PRIMARY KEY, percentile INTEGER)");
  auto load = Steady::now();
  Exec(db, "BEGIN");
  {
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO counts VALUES (?, ?, ?)", -1, &ins, nullptr);
    for (std::size_t i = 0; i < n_sql; ++i) {
      for (std::size_t d = 0; d < days; ++d) {
        sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(i));
        sqlite3_bind_int64(ins, 2, static_cast<sqlite3_int64>(d));
        sqlite3_bind_int64(ins, 3, series[i].counts[d]);
        Check(sqlite3_step(ins), db, "insert");
        sqlite3_reset(ins);
      }
      Exec(db, fmt::format("INSERT INTO series VALUES ({}, {})", i, series[i].percentile));
    }
    sqlite3_finalize(ins);
  }
  Exec(db, "COMMIT");
  fmt::print("SQLite load of {} rows: {:.0f} ms (not counted)\n", n_sql * days,
             Seconds(load) * 1e3);

  const double z1 = NormalQuantile(1 - 0.001), z3 = NormalQuantile(1 - 0.025);
  const long first_ears = static_cast<long>(history) - 11;
  // EARS: the 7-period sums before each day by a window frame, the lagged ones by LAG; the bounds
  // and C3's NA (NULL) cases in SQL. sd = sqrt((7Σx² − (Σx)²) / 42).
  std::string ears_sql =
      fmt::format(R"(
WITH w AS (
  SELECT series, day, n,
         SUM(n) OVER win AS s1, SUM(n * n) OVER win AS s2
  FROM counts WHERE day >= {first}
  WINDOW win AS (PARTITION BY series ORDER BY day ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING)),
st AS (
  SELECT series, day, n, s1 / 7.0 AS m1, sqrt((7 * s2 - s1 * s1) / 42.0) AS sd1,
         LAG(s1 / 7.0, 2) OVER p AS m2, sqrt((7 * LAG(s2, 2) OVER p - LAG(s1, 2) OVER p * LAG(s1, 2) OVER p) / 42.0) AS sd2
  FROM w WINDOW p AS (PARTITION BY series ORDER BY day)),
c2 AS (
  SELECT *, CASE WHEN sd2 > 0 THEN max(0, (n - m2) / sd2 - 1)
                 WHEN n > m2 THEN 1e300 WHEN n < m2 THEN 0 ELSE NULL END AS e
  FROM st)
SELECT series, day, n,
       m1 + {z1} * sd1 AS ub1,
       m2 + {z1} * sd2 AS ub2,
       CASE WHEN LAG(e, 1) OVER p IS NULL OR LAG(e, 2) OVER p IS NULL THEN NULL
            WHEN sd2 = 0 THEN CASE WHEN LAG(e, 1) OVER p + LAG(e, 2) OVER p >= 1e300 THEN NULL ELSE n END
            ELSE max(0, n + sd2 * ({z3} - (LAG(e, 2) OVER p + LAG(e, 1) OVER p))) END AS ub3
FROM c2 WINDOW p AS (PARTITION BY series ORDER BY day)
ORDER BY series, day)",
                  fmt::arg("first", first_ears), fmt::arg("z1", z1), fmt::arg("z3", z3));
  // The moving percentile: 7-day sums by a window frame, the 9 baseline sums by LAG (364·y − 7·k
  // rows back), unpivoted and ranked, the type-7 percentile interpolated between two ranks.
  std::string lags, cases;
  int j = 0;
  for (int y = 1; y <= 3; ++y) {
    for (int k = -1; k <= 1; ++k) {
      ++j;
      lags += fmt::format(", LAG(s7, {}) OVER p AS b{}", 364 * y - 7 * k, j);
      cases += fmt::format(" WHEN {} THEN b{}", j, j);
    }
  }
  std::string mp_sql =
      fmt::format(R"(
WITH s AS (
  SELECT series, day, SUM(n) OVER (PARTITION BY series ORDER BY day ROWS 6 PRECEDING) AS s7
  FROM counts),
b AS (SELECT series, day, s7 {lags} FROM s WINDOW p AS (PARTITION BY series ORDER BY day)),
u AS (SELECT b.series, day, s7, CASE k {cases} END AS v, percentile
      FROM b JOIN series USING (series),
           (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
            UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)
      WHERE day >= {first}),
r AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY series, day ORDER BY v) AS rn,
             CAST(8 * percentile / 100.0 AS INTEGER) AS lo, 8 * percentile / 100.0 AS h FROM u),
q AS (SELECT series, day, s7,
             MAX(CASE WHEN rn = lo + 1 THEN v END) AS a, MAX(CASE WHEN rn = min(lo + 2, 9) THEN v END) AS c,
             MAX(h - lo) AS f
      FROM r GROUP BY series, day)
SELECT series, day, s7, a + f * (c - a) AS threshold,
       s7 >= 1 AND s7 >= a + f * (c - a) AS signal
FROM q ORDER BY series, day)",
                  fmt::arg("lags", lags), fmt::arg("cases", cases), fmt::arg("first", history));
  std::string fixed_sql = fmt::format(
      "SELECT series, day, n >= 1 FROM counts WHERE day >= {} ORDER BY series, day", history);

  // The C++ results of the same series, to compare row by row.
  std::vector<YearResult> expect(n_sql);
  for (std::size_t i = 0; i < n_sql; ++i) expect[i] = Detect(series[i], history);
  long mismatches = 0, compared = 0;
  auto same = [&](bool ok, const char* what, long s, long d) {
    ++compared;
    if (!ok && ++mismatches <= 10) fmt::print(stderr, "{} differs: series {} day {}\n", what, s, d);
  };
  auto bound_same = [](const EarsPoint& p, sqlite3_stmt* st, int col) {
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return p.state != EarsState::kComputed;
    double v = sqlite3_column_double(st, col);
    return p.state == EarsState::kComputed &&
           std::abs(v - p.upperbound) <= 1e-9 * (1 + std::abs(v)) &&
           p.alarm == (static_cast<double>(sqlite3_column_int64(st, 2)) > v);
  };
  double sql_s[3] = {0, 0, 0};
  double start = CpuNow();
  Query(db, ears_sql, [&](sqlite3_stmt* st) {
    long s = sqlite3_column_int64(st, 0), day = sqlite3_column_int64(st, 1);
    std::size_t d = static_cast<std::size_t>(day - first_ears);
    if (d < 11) return;
    const YearResult& r = expect[static_cast<std::size_t>(s)];
    same(bound_same(r.c1[d], st, 3), "C1", s, day);
    same(bound_same(r.c2[d], st, 4), "C2", s, day);
    same(bound_same(r.c3[d], st, 5), "C3", s, day);
  });
  sql_s[0] = CpuNow() - start;
  start = CpuNow();
  Query(db, mp_sql, [&](sqlite3_stmt* st) {
    long s = sqlite3_column_int64(st, 0), day = sqlite3_column_int64(st, 1);
    const PercentilePoint& p =
        expect[static_cast<std::size_t>(s)].mp[static_cast<std::size_t>(day)];
    same(p.complete && p.current == sqlite3_column_int64(st, 2) &&
             std::abs(p.threshold - sqlite3_column_double(st, 3)) <= 1e-9 &&
             p.signal == (sqlite3_column_int(st, 4) != 0),
         "moving percentile", s, day);
  });
  sql_s[1] = CpuNow() - start;
  start = CpuNow();
  Query(db, fixed_sql, [&](sqlite3_stmt* st) {
    long s = sqlite3_column_int64(st, 0), day = sqlite3_column_int64(st, 1);
    same(expect[static_cast<std::size_t>(s)].fixed[static_cast<std::size_t>(day) - history] ==
             (sqlite3_column_int(st, 2) != 0),
         "fixed threshold", s, day);
  });
  sql_s[2] = CpuNow() - start;
  sqlite3_close(db);
  double sql_total = sql_s[0] + sql_s[1] + sql_s[2];
  fmt::print(
      "SQLite window queries on {} series: {:.0f} ms (EARS {:.0f}, moving percentile {:.0f}, "
      "fixed {:.0f}); {} values compared, {} differ\n",
      n_sql, sql_total * 1e3, sql_s[0] * 1e3, sql_s[1] * 1e3, sql_s[2] * 1e3, compared, mismatches);
  double cpp_per_series = best_cpu / static_cast<double>(n_series);
  fmt::print("CPU per series: C++ {:.2f} us, SQL {:.0f} us: {:.0f}x\n", cpp_per_series * 1e6,
             sql_total / static_cast<double>(n_sql) * 1e6,
             sql_total / static_cast<double>(n_sql) / cpp_per_series);
  fmt::print("goal < 100 ms for all series: {} (wall), {} (CPU)\n", best < 0.1 ? "met" : "not met",
             best_cpu < 0.1 ? "met" : "not met");
  long expected_compared = static_cast<long>(n_sql) * kYear * 5;
  if (mismatches != 0 || compared != expected_compared) {
    fmt::print(stderr, "the two computations disagree ({} of {} compared)\n", compared,
               expected_compared);
    return 1;
  }
  return 0;
}
