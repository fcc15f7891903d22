// Child due-list benchmark: the list of one district's children under 7 with a check-up due,
// overdue or opening by a day (0～6岁儿童健康管理), on the demo city, as a district user asks for
// it. Jundeng (ChildService::Due) reads the district's children under 7 from the persons' residence
// and birth-date index with one query and all their check-ups with a second, and plans each
// child's schedule (child/checkups.h PlanCheckups). The baseline, in the same run and on the same
// database, is what a system reading the children one by one does: every child under 7 of the
// district read in scope with its check-ups and its birth here (the card's reads), its schedule
// planned by the same pure function, kept when a contact is open by the day. Both lists must hold
// the same children.
//
// A city made before the child module (migration 0011) has no check-ups: the bench then writes
// the demo's (child/demo_checkups.h, seed 1, as of the clock's day) before timing.
//
//   ./build/bench/child_due_bench --persons 1000000 [--dir DIR] [--runs 5] [--reuse]
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
#include "child/checkups.h"
#include "child/demo_checkups.h"
#include "child/service.h"
#include "child/store.h"
#include "http/app.h"
#include "registry/person_store.h"
#include "storage/database.h"

using namespace jd;
using namespace jd::child;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"child due-list benchmark"};
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
  const std::string db = dir + "/child-due-bench.db";
  auto t0 = Steady::now();
  if (!reuse || !fs::exists(db)) {
    for (const char* suffix : {"", "-wal", "-shm", ".audit-key", ".audit-head"}) {
      fs::remove(db + suffix);
    }
    std::string cmd = fmt::format("{} demo --db {} --persons {} --seed 1 > {}/child-demo.log 2>&1",
                                  JD_BINARY, db, persons, dir);
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
  long long checkups_total = 0;
  (void)(*app)->db->Read([&](soci::session& s) {
    s << "SELECT COUNT(*) FROM child_checkups", soci::into(checkups_total);
    return Status::Ok();
  });
  if (checkups_total == 0) {
    // A city made before migration 0011: the demo's check-ups of its children, as `jundeng demo`
    // writes them now.
    auto t1 = Steady::now();
    auto made = DemoCheckups(*(*app)->db, {.as_of = today,
                                           .seed = 1,
                                           .created_by = "demo",
                                           .created_at = FormatTimestamp((*app)->clock->Now())});
    if (!made.ok()) {
      fmt::print(stderr, "{}\n", made.status().ToString());
      return 1;
    }
    checkups_total = made->checkups;
    fmt::print("demo check-ups written: {} of {} children under 7 in {:.1f} s\n", made->checkups,
               made->children, Seconds(t1));
  }

  // Younger than 7 on the day (the service's population, 规范 一、服务对象).
  const std::string born_from = FormatDate(AddDays(AddMonths(today, -84), 1));
  // The district with the most children under 7, and a user of its health administration.
  std::string district_code, district_path;
  long long children_in_district = 0, children_total = 0;
  Status found = (*app)->db->Read([&](soci::session& s) {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT o.code, o.path, COUNT(*) FROM persons p JOIN org_units o ON "
                      "o.level = 'district' AND substr(p.residence_path, 1, length(o.path)) = "
                      "o.path WHERE p.birth_date >= :b AND p.status = 'active' GROUP BY o.code "
                      "ORDER BY 3 DESC LIMIT 1",
         soci::use(born_from));
    for (const auto& r : rows) {
      district_code = r.get<std::string>(0);
      district_path = r.get<std::string>(1);
      children_in_district = storage::RowInt64(r, 2);
    }
    s << "SELECT COUNT(*) FROM persons WHERE birth_date >= :b AND status = 'active'",
        soci::use(born_from), soci::into(children_total);
    return Status::Ok();
  });
  if (!found.ok() || district_code.empty()) {
    fmt::print(stderr, "the demo city has no child under 7\n");
    return 1;
  }
  fmt::print("district {}: {} children under 7 ({} in the city, {} check-ups); as of {}\n",
             district_code, children_in_district, children_total, checkups_total,
             FormatDate(today));
  auth::Principal district{.user_id = "bench",
                           .username = "bench-district",
                           .role = auth::Role::kDistrict,
                           .org_code = district_code,
                           .org_path = district_path,
                           .client = "bench"};
  const Date due_by = AddDays(today, 6);  // the week ahead

  // 1. Jundeng: the service's due list (two reads, the schedules, one audit row).
  double best_jd = 1e9;
  std::set<std::string> jd_ids;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    auto list = (*app)->child->Due(district, {.due_by = due_by, .limit = 1000000});
    best_jd = std::min(best_jd, Seconds(start));
    if (!list.ok()) {
      fmt::print(stderr, "{}\n", list.status().ToString());
      return 1;
    }
    jd_ids.clear();
    for (const auto& item : *list) jd_ids.insert(item.person_id);
  }

  // 1b. The same list without the audit row (count_only: the home page's count).
  double best_count = 1e9;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    auto list = (*app)->child->Due(district, {.due_by = due_by, .count_only = true});
    best_count = std::min(best_count, Seconds(start));
    if (!list.ok() || list->size() != jd_ids.size()) {
      fmt::print(stderr, "the count differs from the list\n");
      return 1;
    }
  }

  // 1c. The read alone (CheckupStore::Children, the service's two queries), no schedule.
  double best_read = 1e9;
  const auth::Scope scope = auth::ScopeOf(district);
  const Date service_from = AddDays(AddMonths(today, -84), 1);
  std::vector<ChildRow> read_rows;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    (void)(*app)->db->Read([&](soci::session& s) {
      read_rows = CheckupStore::Children(s, scope, service_from, 1000000);
      return Status::Ok();
    });
    best_read = std::min(best_read, Seconds(start));
  }
  // 1d. The schedules alone, of the children read.
  double best_plan = 1e9;
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    std::size_t planned = 0;
    for (const auto& c : read_rows) {
      CheckupInput in{c.birth, c.discharge, c.contacts, std::max(today, c.birth)};
      planned += PlanCheckups(in).ok();
    }
    best_plan = std::min(best_plan, Seconds(start));
    if (planned == 0) return 1;
  }

  // 2. Baseline: every child under 7 of the district, each read in scope with its check-ups and
  //    its birth here (as the card reads them), its schedule planned, kept when a contact is open
  //    by the day.
  double best_naive = 1e9;
  std::set<std::string> naive_ids;
  std::size_t scanned = 0, checkups_read = 0;
  const auth::PathRange range = scope.Range();
  for (int r = 0; r < runs; ++r) {
    auto start = Steady::now();
    naive_ids.clear();
    scanned = checkups_read = 0;
    (void)(*app)->db->Read([&](soci::session& s) {
      std::vector<std::string> ids;
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT id FROM persons WHERE residence_path >= :lo AND residence_path < "
                        ":hi AND birth_date >= :b AND status = 'active'",
           soci::use(range.lo), soci::use(range.hi), soci::use(born_from));
      for (const auto& row : rows) ids.push_back(row.get<std::string>(0));
      for (const auto& id : ids) {
        auto p = registry::PersonStore::Get(s, scope, id);
        if (!p) continue;
        ++scanned;
        std::vector<Checkup> checkups = CheckupStore::ForPerson(s, id);
        std::optional<BirthLink> birth = CheckupStore::Birth(s, id);
        checkups_read += checkups.size();
        CheckupInput in{p->birth_date, std::nullopt, {}, std::max(today, p->birth_date)};
        if (birth && birth->discharged_on) in.discharge = birth->discharged_on;
        for (const auto& c : checkups) {
          if (!in.discharge && c.discharged_on) in.discharge = c.discharged_on;
          if (!(c.date < p->birth_date) && !(in.as_of < c.date)) {
            in.contacts.push_back({c.date, c.kind});
          }
        }
        auto plan = PlanCheckups(in);
        if (!plan.ok()) continue;
        for (const auto& e : plan->entries) {
          const bool open = e.status == CheckupStatus::kDue ||
                            e.status == CheckupStatus::kOverdue ||
                            e.status == CheckupStatus::kUpcoming;
          if (open && !(due_by < e.window_start)) {
            naive_ids.insert(id);
            break;
          }
        }
      }
      return Status::Ok();
    });
    best_naive = std::min(best_naive, Seconds(start));
  }
  fmt::print("Jundeng due list:  {:8.1f} ms  ({} children due by {})\n", best_jd * 1000,
             jd_ids.size(), FormatDate(due_by));
  fmt::print("  without the audit row (count_only): {:8.1f} ms\n", best_count * 1000);
  fmt::print("  the read alone: {:8.1f} ms  ({} children); the schedules alone: {:.1f} ms\n",
             best_read * 1000, read_rows.size(), best_plan * 1000);
  fmt::print("baseline one by one: {:8.1f} ms  ({} children read with {} check-ups)\n",
             best_naive * 1000, scanned, checkups_read);
  fmt::print("speed-up {:.1f}x (without the audit row {:.1f}x); same children: {}\n",
             best_naive / best_jd, best_naive / best_count, jd_ids == naive_ids ? "yes" : "NO");
  return jd_ids == naive_ids ? 0 : 2;
}
