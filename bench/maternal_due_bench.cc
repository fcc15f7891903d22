// Maternal due-list benchmark: the list of one district's pregnancies with a contact due by a day,
// on the demo city, as a district user asks for it. Jundeng reads the open pregnancies by the
// next_due_on the service keeps with each pregnancy (an index range) and computes the schedule of
// the ones listed only. The baseline, in the same run and on the same database, is what a system
// without that column does: read every open pregnancy of the district and all their visits,
// compute each schedule (the same pure function, maternal/antenatal.h), and keep those with a
// contact due. Both lists must hold the same pregnancies.
//
//   ./build/bench/maternal_due_bench --persons 1000000 [--dir DIR] [--runs 5] [--reuse]
#include <fmt/format.h>
#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "http/app.h"
#include "maternal/model.h"
#include "maternal/service.h"
#include "maternal/store.h"
#include "storage/database.h"

using namespace jd;
using namespace jd::maternal;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"maternal due-list benchmark"};
  int persons = 1000000;
  int runs = 5;
  std::string dir = "build/bench-data";
  cli.add_option("--persons", persons, "size of the demo city");
  cli.add_option("--runs", runs, "timed runs of each side (best is reported)");
  cli.add_option("--dir", dir, "where the demo database is made");
  bool reuse = false;
  cli.add_flag("--reuse", reuse, "use the demo database a previous run made in --dir");
  CLI11_PARSE(cli, argc, argv);

  fs::create_directories(dir);
  const std::string db = dir + "/maternal-due-bench.db";
  auto t0 = Steady::now();
  if (!reuse || !fs::exists(db)) {
    for (const char* suffix : {"", "-wal", "-shm", ".audit-key", ".audit-head"}) {
      fs::remove(db + suffix);
    }
    std::string cmd =
        fmt::format("{} demo --db {} --persons {} --seed 1 > {}/maternal-demo.log 2>&1", JD_BINARY,
                    db, persons, dir);
    if (std::system(cmd.c_str()) != 0) {
      fmt::print(stderr, "demo failed: {}\n", cmd);
      return 1;
    }
    fmt::print("demo city of {} persons made in {:.1f} s\n", persons, Seconds(t0));
  }

  auto app = http::OpenApp({.db_path = db, .must_exist = true});
  if (!app.ok()) {
    fmt::print(stderr, "{}\n", app.status().ToString());
    return 1;
  }
  const Date today = (*app)->clock->Today();
  // The district with the most open pregnancies, and a user of its health administration.
  std::string district_code, district_path;
  long long open_in_district = 0, open_total = 0, visits_total = 0;
  Status found = (*app)->db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT o.code, o.path, COUNT(*) FROM pregnancies g JOIN persons p ON p.id "
                      "= g.person_id JOIN org_units o ON o.level = 'district' AND "
                      "substr(p.residence_path, 1, length(o.path)) = o.path WHERE g.closed_on IS "
                      "NULL GROUP BY o.code ORDER BY 3 DESC LIMIT 1");
    for (const auto& r : rows) {
      district_code = r.get<std::string>(0);
      district_path = r.get<std::string>(1);
      open_in_district = storage::RowInt64(r, 2);
    }
    s << "SELECT COUNT(*) FROM pregnancies WHERE closed_on IS NULL", soci::into(open_total);
    s << "SELECT COUNT(*) FROM pregnancy_visits", soci::into(visits_total);
    return Status::Ok();
  });
  if (!found.ok() || district_code.empty()) {
    fmt::print(stderr, "the demo city has no open pregnancy\n");
    return 1;
  }
  fmt::print("district {}: {} open pregnancies ({} in the city, {} visits); as of {}\n",
             district_code, open_in_district, open_total, visits_total, FormatDate(today));
  auth::Principal district{.user_id = "bench",
                           .username = "bench-district",
                           .role = auth::Role::kDistrict,
                           .org_code = district_code,
                           .org_path = district_path,
                           .client = "bench"};
  const Date due_by = AddDays(today, 6);  // the week ahead

  // 1. Jundeng: the service's worklist (index range, schedule of the listed only, one audit row).
  double best_jd = 1e9;
  std::set<std::string> jd_ids;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    auto list = (*app)->maternal->Worklist(district, {.due_by = due_by, .limit = 1000});
    best_jd = std::min(best_jd, Seconds(start));
    if (!list.ok()) {
      fmt::print(stderr, "{}\n", list.status().ToString());
      return 1;
    }
    jd_ids.clear();
    for (const auto& item : *list) jd_ids.insert(item.pregnancy.id);
  }

  // 1b. The same read without the service around it (no audit row): the store's index range and
  //     the schedules of the listed pregnancies.
  double best_store = 1e9;
  const auth::Scope scope = auth::ScopeOf(district);
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    std::size_t listed = 0;
    (void)(*app)->db->Read([&](soci::session& s) {
      for (auto& row : PregnancyStore::Worklist(s, scope, {.due_by = due_by, .limit = 1000})) {
        auto visits = PregnancyStore::Visits(s, row.pregnancy.id);
        listed += RefreshPregnancy(row.pregnancy, visits, today).contacts.size() > 0;
      }
      return Status::Ok();
    });
    best_store = std::min(best_store, Seconds(start));
    if (listed != jd_ids.size()) {
      fmt::print(stderr, "the store read listed {} pregnancies, the service {}\n", listed,
                 jd_ids.size());
      return 1;
    }
  }

  // 2. Baseline: every open pregnancy of the district (found from its women, the natural join),
  //    each read with its visits, its schedule computed, kept when a contact opens by the day.
  double best_naive = 1e9;
  std::set<std::string> naive_ids;
  std::size_t scanned = 0;
  const auth::PathRange range = scope.Range();
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    naive_ids.clear();
    scanned = 0;
    (void)(*app)->db->Read([&](soci::session& s) {
      std::vector<std::string> ids;
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT g.id FROM persons p JOIN pregnancies g ON g.person_id = p.id "
                        "WHERE p.residence_path >= :lo AND p.residence_path < :hi AND "
                        "g.closed_on IS NULL",
           soci::use(range.lo), soci::use(range.hi));
      for (const auto& row : rows) ids.push_back(row.get<std::string>(0));
      for (const auto& id : ids) {
        auto p = PregnancyStore::Get(s, scope, id);
        if (!p) continue;
        ++scanned;
        auto visits = PregnancyStore::Visits(s, id);
        CareSchedule schedule = RefreshPregnancy(*p, visits, today);
        for (const auto& c : schedule.contacts) {
          const bool open = c.status == ContactStatus::kDue ||
                            c.status == ContactStatus::kOverdue ||
                            c.status == ContactStatus::kUpcoming;
          if (open && c.window_start && *c.window_start <= due_by) {
            naive_ids.insert(id);
            break;
          }
        }
      }
      return Status::Ok();
    });
    best_naive = std::min(best_naive, Seconds(start));
  }
  fmt::print("Jundeng worklist:  {:8.1f} ms  ({} pregnancies due by {})\n", best_jd * 1000,
             jd_ids.size(), FormatDate(due_by));
  fmt::print(
      "  of which the read: {:8.1f} ms  (the rest is the audit row, written before the list "
      "leaves)\n",
      best_store * 1000);
  fmt::print("baseline scan:     {:8.1f} ms  ({} open pregnancies read with their visits)\n",
             best_naive * 1000, scanned);
  fmt::print("speed-up {:.1f}x (read {:.1f}x); same pregnancies: {}\n", best_naive / best_jd,
             best_naive / best_store, jd_ids == naive_ids ? "yes" : "NO");
  return jd_ids == naive_ids ? 0 : 2;
}
