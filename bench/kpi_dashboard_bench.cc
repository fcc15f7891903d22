// Statistics benchmark (bench/RESULTS.md): on a demo city of N migrants with their children's
// certificates and doses, the full dashboard — every active indicator for the city and every
// district, current month — from the live view, against the same figures by SQL GROUP BY queries
// over the same SQLite database in the same run; the view's start-up load and memory; and the cost
// of keeping the view current per committed write (a dose; a severe-mental-disorder follow-up).
//
// The SQL baseline states each definition in SQL over the tables (floating rule, entitlement
// ages, certificates, documents). Dose coverage in SQL counts recorded doses of the vaccine against
// the dose number, as a report query would; it cannot judge validity (intervals, ages, spacing),
// so those figures differ from the forecast's and the bench counts how many cells agree.
//
//   ./build/bench/kpi_dashboard_bench --persons 1000000 [--dir DIR] [--reuse] [--runs 10]
#include <fmt/format.h>
#include <soci/soci.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "core/ids.h"
#include "http/app.h"
#include "kpi/live_view.h"

using namespace jd;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double Ms(Steady::time_point since) {
  return std::chrono::duration<double, std::milli>(Steady::now() - since).count();
}

long PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// SQL of the floating rule (实施办法 §三(一)) on day :e, over persons p.
const char* kCityKeyHukou =
    "CASE WHEN substr(p.hukou_division, 1, 2) IN ('11', '12', '31', '50') THEN "
    "substr(p.hukou_division, 1, 2) WHEN substr(p.hukou_division, 3, 2) = '90' THEN "
    "p.hukou_division ELSE substr(p.hukou_division, 1, 4) END";
const char* kCityKeyHere =
    "CASE WHEN substr(p.residence_org, 1, 2) IN ('11', '12', '31', '50') THEN "
    "substr(p.residence_org, 1, 2) WHEN substr(p.residence_org, 3, 2) = '90' THEN "
    "substr(p.residence_org, 1, 6) ELSE substr(p.residence_org, 1, 4) END";

std::string Floating() {
  return fmt::format(
      "p.status = 'active' AND p.arrived_on <= :e AND p.move_reason NOT IN ('marriage', 'study', "
      "'medical', 'travel', 'visit', 'military', 'business_trip') AND ({}) <> ({}) AND "
      "date(COALESCE(p.left_hukou_on, p.arrived_on), '+30 days') <= :e AND date(p.arrived_on, "
      "'+30 days') <= :e",
      kCityKeyHukou, kCityKeyHere);
}

struct SqlFigure {
  std::string code;
  std::string sql;  // SELECT district, numerator, denominator … GROUP BY district
};

std::vector<SqlFigure> SqlFigures(const kpi::Catalogue& catalogue,
                                  const immunization::Schedule& schedule, Date today) {
  const std::string d = "substr(p.residence_org, 1, 6)";
  const std::string fl = Floating();
  const std::string hr = fl + " AND date(p.arrived_on, '+6 months') <= :e";
  const std::string child = "p.birth_date <= :e AND date(p.birth_date, '+7 years') > :e";
  std::vector<SqlFigure> out = {
      {"REG_REGISTERED", fmt::format("SELECT {0}, COUNT(*), 0 FROM persons p WHERE p.status = "
                                     "'active' AND p.arrived_on <= :e GROUP BY 1",
                                     d)},
      {"REG_FLOATING",
       fmt::format("SELECT {0}, COUNT(*), 0 FROM persons p WHERE {1} GROUP BY 1", d, fl)},
      {"REG_HR_ENTITLED",
       fmt::format("SELECT {0}, COUNT(*), 0 FROM persons p WHERE {1} GROUP BY 1", d, hr)},
      {"IMM_FILE_RATE",
       fmt::format("SELECT {0}, COUNT(f.person_id), COUNT(*) FROM persons p LEFT JOIN "
                   "vaccination_files f ON f.person_id = p.id AND f.issued_on <= :e WHERE {1} AND "
                   "{2} AND date(p.arrived_on, '+3 months') <= :e GROUP BY 1",
                   d, fl, child)},
      {"DOC_PENDING",
       fmt::format("SELECT {0}, COUNT(*), 0 FROM documents x JOIN persons p ON p.id = x.person_id "
                   "WHERE date(x.submitted_at, '+8 hours') <= :e AND (x.reviewed_at IS NULL OR "
                   "date(x.reviewed_at, '+8 hours') > :e) GROUP BY 1",
                   d)},
      {"DOC_REVIEW_DAYS",
       fmt::format("SELECT {0}, SUM(julianday(date(x.reviewed_at, '+8 hours')) - "
                   "julianday(date(x.submitted_at, '+8 hours'))), COUNT(*) FROM documents x JOIN "
                   "persons p ON p.id = x.person_id WHERE date(x.reviewed_at, '+8 hours') BETWEEN "
                   ":f AND :e GROUP BY 1",
                   d)},
  };
  // Per dose: migrant children under 7 past the dose's completion age (应种); recorded doses of the
  // vaccine numbering at least the dose (实种).
  for (const auto& ind : catalogue.indicators()) {
    if (ind.measure != "dose_coverage") continue;
    const immunization::VaccineInfo* v = schedule.Find(ind.vaccine);
    if (v == nullptr) continue;
    // The completion age from the schedule in force (the forecast's timely_by for an on-time
    // child), as an SQLite date modifier.
    std::optional<immunization::Span> done_by;
    for (std::size_t si = 0; si < schedule.series_ids().size() && !done_by; ++si) {
      const auto& series = schedule.SeriesOn(si, today);
      int count = 0;
      for (std::size_t k = 0; k < series.doses.size(); ++k) {
        if (series.doses[k].vaccine != v->id || ++count != ind.dose) continue;
        for (std::size_t j = k; j < series.doses.size() && !done_by; ++j) {
          done_by = series.doses[j].timely_before;
        }
      }
    }
    if (!done_by) continue;
    const char* unit = done_by->unit == immunization::Span::Unit::kDays     ? "days"
                       : done_by->unit == immunization::Span::Unit::kMonths ? "months"
                                                                            : "years";
    out.push_back(
        {ind.code,
         fmt::format("SELECT {0}, SUM((SELECT COUNT(*) FROM vaccination_records r WHERE "
                     "r.person_id = p.id AND r.vaccine = '{4}' AND r.status = 'active' AND "
                     "r.given_on <= :e) >= {5}), COUNT(*) FROM persons p WHERE {1} AND {2} AND "
                     "date(p.birth_date, '+{3} {6}') <= :e GROUP BY 1",
                     d, fl, child, done_by->count, v->code, ind.dose, unit)});
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"statistics dashboard benchmark"};
  int persons = 1000000;
  int runs = 10;
  int writes = 2000;
  bool reuse = false;
  std::string dir = "build/bench-data";
  cli.add_option("--persons", persons, "size of the demo city");
  cli.add_option("--runs", runs, "timed runs of each side (best and median reported)");
  cli.add_option("--writes", writes, "writes for the per-write cost");
  cli.add_option("--dir", dir, "where the demo database is made");
  cli.add_flag("--reuse", reuse, "reuse the database of an earlier run of the same size");
  CLI11_PARSE(cli, argc, argv);

  fs::create_directories(dir);
  const std::string db = fmt::format("{}/kpi-bench-{}.db", dir, persons);
  if (!reuse || !fs::exists(db)) {
    for (const char* suffix : {"", "-wal", "-shm", ".audit-key"}) fs::remove(db + suffix);
    auto t0 = Steady::now();
    std::string cmd = fmt::format("{} demo --db {} --persons {} --seed 1 > {}/kpi-demo.log 2>&1",
                                  JD_BINARY, db, persons, dir);
    if (std::system(cmd.c_str()) != 0) {
      fmt::print(stderr, "demo failed: {}\n", cmd);
      return 1;
    }
    fmt::print("demo city of {} persons made in {:.1f} s\n", persons, Ms(t0) / 1e3);
  }
  long rss_before = PeakRssMiB();
  auto app = http::OpenApp({.db_path = db, .must_exist = true});
  if (!app.ok()) {
    fmt::print(stderr, "{}\n", app.status().ToString());
    return 1;
  }
  const Date today = (*app)->clock->Today();
  const kpi::Catalogue& catalogue = (*app)->kpi->catalogue();
  const auto& schedule = immunization::Schedule::Default();

  // 1. Start-up: the view from the database.
  auto t0 = Steady::now();
  auto view = kpi::LiveView::Load(*(*app)->db, catalogue, schedule, today);
  if (!view.ok()) {
    fmt::print(stderr, "{}\n", view.status().ToString());
    return 1;
  }
  double load_ms = Ms(t0);
  long rss_after = PeakRssMiB();
  fmt::print(
      "view loaded in {:.0f} ms: {} persons, {} children with dose lines; {:.1f} MiB held by the "
      "view (peak RSS {} -> {} MiB)\n",
      load_ms, (*view)->persons(), (*view)->children(), (*view)->MemoryBytes() / 1048576.0,
      rss_before, rss_after);

  // 2. The dashboard: every active indicator for the city and every district, this month.
  std::vector<const kpi::Indicator*> indicators;
  for (const auto& i : catalogue.indicators()) {
    if (i.active) indicators.push_back(&i);
  }
  std::vector<std::string> units;
  for (const auto& u : (*view)->orgs().units) {
    if (u.level == registry::OrgLevel::kCity || u.level == registry::OrgLevel::kDistrict) {
      units.push_back(u.code);
    }
  }
  const kpi::Period period = kpi::MonthOf(today);
  std::vector<double> live_ms;
  std::vector<kpi::IndicatorValue> live;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    live = (*view)->Compute(indicators, units, period);
    live_ms.push_back(Ms(start));
  }
  std::sort(live_ms.begin(), live_ms.end());
  fmt::print(
      "dashboard from the view: {} indicators x {} units = {} values; best {:.1f} ms, "
      "median {:.1f} ms\n",
      indicators.size(), units.size(), live.size(), live_ms.front(), live_ms[live_ms.size() / 2]);

  // 3. Baseline: the same figures by SQL GROUP BY queries.
  auto figures = SqlFigures(catalogue, schedule, today);
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> by_sql;
  std::vector<double> sql_ms;
  const std::string e = FormatDate(today), f = FormatDate(period.first);
  for (int r = 0; r < std::max(1, runs / 5); ++r) {
    auto start = Steady::now();
    (void)(*app)->db->Read([&](soci::session& s) {
      for (const auto& fig : figures) {
        std::string sql = fig.sql;
        soci::rowset<soci::row> rows =
            sql.find(":f") != std::string::npos
                ? (s.prepare << sql, soci::use(e, "e"), soci::use(f, "f"))
                : (s.prepare << sql, soci::use(e, "e"));
        for (const auto& row : rows) {
          auto num = row.get_indicator(1) == soci::i_null
                         ? 0.0
                         : static_cast<double>(storage::RowInt64(row, 1));
          auto den = static_cast<double>(storage::RowInt64(row, 2));
          by_sql[{fig.code, row.get<std::string>(0)}] = {num, den};
        }
      }
      return Status::Ok();
    });
    sql_ms.push_back(Ms(start));
  }
  std::sort(sql_ms.begin(), sql_ms.end());
  // Agreement, district by district, for the figures SQL states.
  int cells = 0, equal = 0, dose_cells = 0, dose_equal = 0;
  for (const auto& v : live) {
    if (v.org.size() != 6 || v.org == units.front()) continue;
    auto it = by_sql.find({v.code, v.org});
    const bool dose = v.code.starts_with("IMM_COV_") && v.code != "IMM_COV_ALL";
    bool stated = false;
    for (const auto& fig : figures) stated |= fig.code == v.code;
    if (!stated) continue;
    double num = it == by_sql.end() ? 0 : it->second.first;
    double den = it == by_sql.end() ? 0 : it->second.second;
    bool same = num == v.numerator && (den == v.denominator || v.denominator == 0);
    if (!same && !dose && std::getenv("KPI_BENCH_VERBOSE")) {
      fmt::print("  differs: {} {} view {}/{} sql {}/{}\n", v.code, v.org, v.numerator,
                 v.denominator, num, den);
    }
    (dose ? dose_cells : cells) += 1;
    (dose ? dose_equal : equal) += same;
  }
  fmt::print(
      "dashboard by SQL: {} GROUP BY queries; best {:.0f} ms, median {:.0f} ms; {:.0f}x the view "
      "(best to best)\n"
      "agreement: registry/certificate/document figures {} of {} equal; dose coverage {} of {} "
      "(SQL counts recorded doses, the view valid ones)\n",
      figures.size(), sql_ms.front(), sql_ms[sql_ms.size() / 2], sql_ms.front() / live_ms.front(),
      equal, cells, dose_equal, dose_cells);

  // 4. Keeping current: doses written by another connection (another process, as the command line
  //    would), then the view's refresh of the changed child, one write at a time.
  auto other = storage::Database::Open({.path = db, .must_exist = true});
  if (!other.ok()) return 1;
  std::vector<std::string> children;
  (void)(*app)->db->Read([&](soci::session& s) {
    std::string born = FormatDate(AddYears(today, -6));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id FROM persons WHERE birth_date > :b LIMIT 5000", soci::use(born));
    for (const auto& r : rows) children.push_back(r.get<std::string>(0));
    return Status::Ok();
  });
  if (children.empty()) return 1;
  // Seeded by the view's last change event, so that a run on a reused database writes new doses
  // (the same ones again would be ignored as duplicates and leave nothing to refresh).
  std::mt19937 rng(static_cast<std::uint32_t>(3 + (*view)->last_seq()));
  std::vector<double> refresh_us;
  for (int w = 0; w < writes; ++w) {
    std::string person = children[rng() % children.size()];
    std::string id = NewId(), date = FormatDate(AddDays(today, -static_cast<int>(rng() % 900)));
    Status st = (*other)->Write([&](soci::session& s) {
      s << "INSERT OR IGNORE INTO vaccination_records (id, person_id, vaccine, given_on, source, "
           "created_at, created_by, updated_at, updated_by) VALUES (:i, :p, 'MMR', :d, "
           "'transcribed', 'bench', 'bench', 'bench', 'bench')",
          soci::use(id), soci::use(person), soci::use(date);
      return Status::Ok();
    });
    if (!st.ok()) continue;
    auto start = Steady::now();
    auto n = (*view)->Refresh(*(*app)->db, today);
    refresh_us.push_back(Ms(start) * 1e3);
    if (!n.ok()) return 1;
  }
  std::sort(refresh_us.begin(), refresh_us.end());
  fmt::print("keeping current: {} writes; refresh per write p50 {:.0f} us, p99 {:.0f} us\n",
             refresh_us.size(), refresh_us[refresh_us.size() / 2],
             refresh_us[refresh_us.size() * 99 / 100]);

  // 5. The same for severe-mental-disorder follow-ups, whose change events reload only the
  //    patient's registration (kpi/live_view.h).
  std::vector<std::string> patients;
  (void)(*app)->db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows = (s.prepare << "SELECT id FROM mental_patients");
    for (const auto& r : rows) patients.push_back(r.get<std::string>(0));
    return Status::Ok();
  });
  std::vector<double> follow_up_us;
  for (int w = 0; w < writes / 4 && !patients.empty(); ++w) {
    std::string patient = patients[rng() % patients.size()];
    std::string id = NewId(), date = FormatDate(AddDays(today, -static_cast<int>(rng() % 300)));
    Status st = (*other)->Write([&](soci::session& s) {
      s << "INSERT INTO mental_follow_ups (id, patient_id, visited_on, danger_level, symptoms, "
           "insight, sleep, social_function, adherence, side_effects, physical_illness, "
           "hospitalisation, class, next_due, recorded_at, recorded_by) VALUES (:i, :p, :d, 0, "
           "'none', 'complete', 'good', 'good', 'regular', 'none', 'none', 'never', 'stable', "
           ":d2, 'bench', 'bench')",
          soci::use(id), soci::use(patient), soci::use(date), soci::use(date);
      return Status::Ok();
    });
    if (!st.ok()) continue;
    auto start = Steady::now();
    auto n = (*view)->Refresh(*(*app)->db, today);
    follow_up_us.push_back(Ms(start) * 1e3);
    if (!n.ok()) return 1;
  }
  if (!follow_up_us.empty()) {
    std::sort(follow_up_us.begin(), follow_up_us.end());
    fmt::print(
        "keeping current: {} follow-ups of {} patients; refresh per write p50 {:.0f} us, p99 "
        "{:.0f} us\n",
        follow_up_us.size(), patients.size(), follow_up_us[follow_up_us.size() / 2],
        follow_up_us[follow_up_us.size() * 99 / 100]);
  }
  return 0;
}
