// Due-list benchmark: the due list of one district of the demo city, computed by Jundeng (read the
// district's children and their doses, forecast each child) and, as the baseline in the same run,
// by one SQL query over the stored doses, the way a report query would do it: a dose is "due" when
// the child has reached the table age and has fewer doses of the series than the dose number.
// SQL cannot express the rest of the rules (intervals, live-vaccine spacing, catch-up ages, the
// IPV-first and DT rules, invalid early doses), so the two lists also differ; the bench counts how.
//
//   ./build/bench/immunization_due_bench --persons 300000 [--dir DIR] [--runs 5]
#include <fmt/format.h>
#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "http/app.h"
#include "immunization/forecast.h"
#include "immunization/service.h"
#include "immunization/store.h"
#include "registry/person_store.h"
#include "storage/database.h"

using namespace jd;
using namespace jd::immunization;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

std::string Modifier(Span s) {
  const char* unit = s.unit == Span::Unit::kDays     ? "days"
                     : s.unit == Span::Unit::kMonths ? "months"
                                                     : "years";
  return fmt::format("+{} {}", s.count, unit);
}

// The naive schedule the SQL baseline uses: per series in force on `as_of`, each dose's table age
// and the vaccines counting for the series, with the series' upper age. The inactivated JE and
// HepA series are left out (a child follows the live ones unless given an inactivated dose).
void LoadNaiveSchedule(soci::session& s, const Schedule& schedule, Date as_of) {
  s << "CREATE TEMP TABLE IF NOT EXISTS naive_dose (series TEXT, dose INTEGER, age TEXT, upper "
       "TEXT)";
  s << "CREATE TEMP TABLE IF NOT EXISTS naive_series_vaccine (series TEXT, vaccine TEXT)";
  s << "DELETE FROM naive_dose";
  s << "DELETE FROM naive_series_vaccine";
  const CatchUpRules& rules = schedule.rules();
  for (std::size_t i = 0; i < schedule.series_ids().size(); ++i) {
    const SeriesSpec& spec = schedule.SeriesOn(i, as_of);
    if (spec.id == "JE-I" || spec.id == "HepA-I") continue;
    Span upper = spec.catch_up_before.value_or(rules.general_catch_up_before);
    if (spec.id == "BCG") upper = rules.bcg_no_catch_up_from;
    if (spec.id == "MenA") upper = rules.mena_until;
    std::set<VaccineId> counted;
    for (std::size_t k = 0; k < spec.doses.size(); ++k) {
      const DoseSpec& d = spec.doses[k];
      counted.insert(d.accepts.begin(), d.accepts.end());
      int dose = static_cast<int>(k + 1);
      std::string age = Modifier(d.age), up = Modifier(upper);
      s << "INSERT INTO naive_dose VALUES (:s, :d, :a, :u)", soci::use(spec.id), soci::use(dose),
          soci::use(age), soci::use(up);
    }
    for (VaccineId v : counted) {
      std::string code = schedule.info(v).code;
      s << "INSERT INTO naive_series_vaccine VALUES (:s, :v)", soci::use(spec.id), soci::use(code);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"due-list benchmark"};
  int persons = 300000;
  int runs = 5;
  std::string dir = "build/bench-data";
  cli.add_option("--persons", persons, "size of the demo city");
  cli.add_option("--runs", runs, "timed runs of each side (best is reported)");
  cli.add_option("--dir", dir, "where the demo database is made");
  CLI11_PARSE(cli, argc, argv);

  fs::create_directories(dir);
  const std::string db = dir + "/due-bench.db";
  for (const char* suffix : {"", "-wal", "-shm", ".audit-key"}) fs::remove(db + suffix);
  auto t0 = Steady::now();
  std::string cmd = fmt::format("{} demo --db {} --persons {} --seed 1 > {}/demo.log 2>&1",
                                JD_BINARY, db, persons, dir);
  if (std::system(cmd.c_str()) != 0) {
    fmt::print(stderr, "demo failed: {}\n", cmd);
    return 1;
  }
  fmt::print("demo city of {} persons made in {:.1f} s\n", persons, Seconds(t0));

  auto app = http::OpenApp({.db_path = db, .must_exist = true});
  if (!app.ok()) {
    fmt::print(stderr, "{}\n", app.status().ToString());
    return 1;
  }
  auth::Principal who = auth::AuthService::SystemPrincipal("bench");
  const Schedule& schedule = Schedule::Default();
  const Date as_of = (*app)->clock->Today();
  const Date born_after = AddYears(as_of, -18);

  // The district with the most children under 7.
  std::string district_code, district_path;
  int children_in_district = 0, doses_total = 0;
  Status found = (*app)->db->Read([&](soci::session& s) {
    std::string born7 = FormatDate(AddYears(as_of, -7));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT o.code, o.path, COUNT(*) FROM persons p JOIN org_units o ON "
                      "o.level = 'district' AND substr(p.residence_path, 1, length(o.path)) = "
                      "o.path WHERE p.status = 'active' AND p.birth_date > :b GROUP BY o.code "
                      "ORDER BY 3 DESC LIMIT 1",
         soci::use(born7));
    for (const auto& r : rows) {
      district_code = r.get<std::string>(0);
      district_path = r.get<std::string>(1);
      // COUNT(*) comes back as a 64-bit integer: r.get<int> would throw std::bad_cast.
      children_in_district = static_cast<int>(storage::RowInt64(r, 2));
    }
    s << "SELECT COUNT(*) FROM vaccination_records WHERE status = 'active'",
        soci::into(doses_total);
    return Status::Ok();
  });
  if (!found.ok()) {
    fmt::print(stderr, "{}\n", found.ToString());
    return 1;
  }
  if (district_code.empty() || doses_total == 0) {
    fmt::print(stderr, "the demo city has no children or no doses\n");
    return 1;
  }
  fmt::print("district {}: {} children under 7; {} dose records in the city; as of {}\n",
             district_code, children_in_district, doses_total, FormatDate(as_of));

  // 1. Jundeng: the service's due list (reads, forecast per child, sort, one audit row), and its
  //    two halves alone.
  DueRequest request{.clinic = district_code,
                     .from = FormatDate(as_of),
                     .to = FormatDate(AddDays(as_of, 6)),
                     .status = "",
                     .limit = 0,
                     .offset = 0};
  double best_service = 1e9, best_read = 1e9, best_forecast = 1e9;
  std::set<std::string> jd_children;
  std::size_t jd_doses = 0, candidates = 0, dose_rows = 0;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    auto page = (*app)->immunization->DueList(who, request);
    best_service = std::min(best_service, Seconds(start));
    if (!page.ok()) {
      fmt::print(stderr, "{}\n", page.status().ToString());
      return 1;
    }
    jd_children.clear();
    jd_doses = 0;
    for (const auto& item : page->items) {
      jd_children.insert(item.child.person_id);
      jd_doses += item.doses.size();
    }

    std::vector<DueCandidate> kids;
    std::vector<AreaDose> doses;
    start = Steady::now();
    (void)(*app)->db->Read([&](soci::session& s) {
      const auth::Scope area =
          auth::ScopeOf(auth::AuthService::SystemPrincipal("bench")).Narrow(district_path);
      kids = ImmunizationStore::AreaChildren(s, area, born_after);
      doses = ImmunizationStore::AreaDoses(s, area, born_after);
      return Status::Ok();
    });
    best_read = std::min(best_read, Seconds(start));
    candidates = kids.size();
    dose_rows = doses.size();
    start = Steady::now();
    Forecast f;
    std::vector<DoseEvent> history;
    std::size_t di = 0, listed = 0;
    for (const auto& kid : kids) {
      history.clear();
      while (di < doses.size() && doses[di].person_id < kid.person_id) ++di;
      for (; di < doses.size() && doses[di].person_id == kid.person_id; ++di) {
        if (const VaccineInfo* v = schedule.Find(doses[di].vaccine)) {
          history.push_back({v->id, doses[di].date});
        }
      }
      ForecastChild(schedule, kid.birth_date, history, AddDays(as_of, 6), {}, f);
      for (const auto& d : f.doses) {
        if (d.status == DoseStatus::kDue || d.status == DoseStatus::kOverdue ||
            d.status == DoseStatus::kNeedsTest) {
          ++listed;
          break;
        }
      }
    }
    best_forecast = std::min(best_forecast, Seconds(start));
    if (listed == 0) return 1;
  }

  // 2. Baseline: one SQL query over the stored doses.
  double best_sql = 1e9;
  std::set<std::string> sql_children;
  std::size_t sql_doses = 0;
  (void)(*app)->db->Read([&](soci::session& s) {
    LoadNaiveSchedule(s, schedule, as_of);
    const auth::PathRange area =
        auth::ScopeOf(auth::AuthService::SystemPrincipal("bench")).Narrow(district_path).Range();
    std::string to = FormatDate(AddDays(as_of, 6)), born = FormatDate(born_after);
    for (int r = 0; r < runs; ++r) {
      sql_children.clear();
      sql_doses = 0;
      auto start = Steady::now();
      soci::rowset<soci::row> rows =
          (s.prepare << "WITH kids AS (SELECT p.id, p.birth_date FROM persons p LEFT JOIN "
                        "vaccination_files f ON f.person_id = p.id WHERE p.residence_path >= :lo "
                        "AND p.residence_path < :hi AND p.status = 'active' AND p.birth_date > "
                        ":born AND p.birth_date <= :to AND (f.person_id IS NOT NULL OR "
                        "date(p.birth_date, '+7 years') > :to)), "
                        "counts AS (SELECT r.person_id, sv.series, COUNT(*) AS n FROM kids k "
                        "JOIN vaccination_records r ON r.person_id = k.id JOIN "
                        "naive_series_vaccine sv ON sv.vaccine = r.vaccine WHERE r.status = "
                        "'active' AND r.given_on <= :to GROUP BY r.person_id, sv.series) "
                        "SELECT k.id, d.series, d.dose FROM kids k JOIN naive_dose d ON "
                        "date(k.birth_date, d.age) <= :to AND :to < date(k.birth_date, d.upper) "
                        "LEFT JOIN counts c ON c.person_id = k.id AND c.series = d.series WHERE "
                        "COALESCE(c.n, 0) < d.dose ORDER BY k.id",
           soci::use(area.lo), soci::use(area.hi), soci::use(born), soci::use(to));
      for (const auto& row : rows) {
        sql_children.insert(row.get<std::string>(0));
        ++sql_doses;
      }
      best_sql = std::min(best_sql, Seconds(start));
    }
    return Status::Ok();
  });

  std::size_t both = 0;
  for (const auto& id : jd_children) both += sql_children.count(id);
  fmt::print(
      "read: {} candidates, {} dose rows\n"
      "jundeng due list (service: reads + forecast + sort + audit row): {:.1f} ms best of {}\n"
      "  of which reading children and doses: {:.1f} ms; forecasting every child: {:.1f} ms "
      "({:.2f} us/child)\n"
      "sql baseline (one query, naive rule): {:.1f} ms best of {}\n"
      "speed-up: {:.1f}x\n"
      "lists: jundeng {} children ({} doses), sql {} children ({} dose lines), on both {}, only "
      "jundeng {}, only sql {}\n",
      candidates, dose_rows, best_service * 1e3, runs, best_read * 1e3, best_forecast * 1e3,
      best_forecast * 1e6 / std::max<std::size_t>(candidates, 1), best_sql * 1e3, runs,
      best_sql / best_service, jd_children.size(), jd_doses, sql_children.size(), sql_doses, both,
      jd_children.size() - both, sql_children.size() - both);
  return 0;
}
