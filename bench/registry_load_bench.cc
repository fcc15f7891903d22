// Registry load and search benchmark (foundation issue, performance line).
//
// 1. Generates N synthetic migrants (registry/demo.h) and writes them as a persons CSV.
// 2. Baseline: the sqlite3 shell's `.import --csv` of the same file into (a) a bare table of TEXT
//    columns and (b) the same table with the indexes of our persons table.
// 3. Jundeng: `jundeng import persons` of the same file into a database holding the demo city's
//    org tree: decode, parse, validate every row (ID check digit, region, dates, codes), UUIDv7
//    ids, residence-event rows, batched transactions with synchronous=FULL.
// 4. Lookup by ID number and name search (p50/p99) on the loaded database, through the registry
//    service as a city-level user (scoped query + the audit row every search writes) and as the
//    query alone.
//
// Usage: registry_load_bench [--persons N] [--dir DIR] [--searches K]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "auth/auth_service.h"
#include "core/csv.h"
#include "core/ids.h"
#include "http/app.h"
#include "registry/demo.h"
#include "registry/person_csv.h"
#include "registry/person_json.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int Run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  if (rc != 0) std::cerr << "command failed (" << rc << "): " << cmd << "\n";
  return rc;
}

struct Percentiles {
  double p50_us, p99_us, max_us;
};
Percentiles Summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<std::size_t>(q * us.size()))];
  };
  return {at(0.50), at(0.99), us.back()};
}

long MaxRssMiB() {
  struct rusage ru {};
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t persons = 1'000'000;
  int searches = 2000;
  std::string dir = (fs::temp_directory_path() / ("jd_bench_" + jd::RandomHex(4))).string();
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--persons")
      persons = std::atoll(argv[i + 1]);
    else if (a == "--dir")
      dir = argv[i + 1];
    else if (a == "--searches")
      searches = std::atoi(argv[i + 1]);
  }
  fs::create_directories(dir);
  std::string csv = dir + "/persons.csv";
  std::string bin = JD_BINARY;
  std::cout << fmt::format("# registry_load_bench: {} persons in {}\n", persons, dir);

  // 1. Generate the CSV (the English-column file a partner system would send).
  jd::Date as_of = jd::SystemClock().Today();
  auto tree = jd::registry::GenerateOrgTree(1);
  jd::registry::DemoPersonGenerator gen(tree, {.persons = persons, .seed = 1, .as_of = as_of});
  std::vector<std::string> id_numbers, names, phones, paths;
  auto t0 = Clock::now();
  {
    std::ofstream out(csv, std::ios::binary);
    jd::CsvWriter w(out);
    std::vector<std::string> header = {"name",
                                       "sex",
                                       "birth_date",
                                       "id_type",
                                       "id_number",
                                       "ethnicity",
                                       "phone",
                                       "hukou_division",
                                       "hukou_address",
                                       "residence_org",
                                       "residence_address",
                                       "left_hukou_on",
                                       "arrived_on",
                                       "move_reason",
                                       "occupation",
                                       "employer",
                                       "marital_status",
                                       "residence_permit_no",
                                       "residence_permit_valid_until"};
    w.Row(header);
    std::vector<std::string> row(header.size());
    for (std::int64_t i = 0; i < persons; ++i) {
      jd::registry::DemoPerson dp = gen.Generate(i);
      nlohmann::json j = jd::registry::PersonToJson(dp.person, /*mask=*/false);
      for (std::size_t c = 0; c < header.size(); ++c) {
        const auto& v = j[header[c]];
        row[c] = v.is_string() ? v.get<std::string>() : std::string();
      }
      if (i % 997 == 0) {
        id_numbers.push_back(dp.person.id_number);
        names.push_back(dp.person.name);
        phones.push_back(dp.person.phone);
        paths.push_back(dp.person.residence_path);
      }
      w.Row(row);
    }
  }
  auto t1 = Clock::now();
  std::cout << fmt::format("generate+write CSV: {:.2f} s ({:.0f} MiB)\n", Seconds(t0, t1),
                           static_cast<double>(fs::file_size(csv)) / (1 << 20));

  // 2. Baselines: sqlite3 shell .import of the same file.
  std::string cols =
      "name TEXT, sex TEXT, birth_date TEXT, id_type TEXT, id_number TEXT, ethnicity TEXT, "
      "phone TEXT, hukou_division TEXT, hukou_address TEXT, residence_org TEXT, "
      "residence_address TEXT, left_hukou_on TEXT, arrived_on TEXT, move_reason TEXT, "
      "occupation TEXT, employer TEXT, marital_status TEXT, residence_permit_no TEXT, "
      "residence_permit_valid_until TEXT";
  auto import_baseline = [&](const std::string& name, const std::string& extra_sql) {
    std::string db = dir + "/" + name + ".db";
    std::string script = dir + "/" + name + ".sql";
    // The same settings as Jundeng's writer connection (storage/database.cc): WAL, FULL sync,
    // the 1 GiB page cache of `jundeng import`.
    std::ofstream(script) << "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
                             "PRAGMA cache_size=-1048576;\nCREATE TABLE p("
                          << cols << ");\n"
                          << extra_sql << ".import --csv --skip 1 " << csv << " p\n";
    auto a = Clock::now();
    int rc = Run(fmt::format("sqlite3 {} < {} > /dev/null", db, script));
    auto b = Clock::now();
    return rc == 0 ? Seconds(a, b) : -1.0;
  };
  double raw = import_baseline("baseline_raw", "");
  double indexed = import_baseline(
      "baseline_indexed",
      "CREATE UNIQUE INDEX p_identity ON p(id_number, id_type);\n"
      "CREATE INDEX p_name ON p(name, residence_org);\nCREATE INDEX p_phone ON p(phone);\n"
      "CREATE INDEX p_res ON p(residence_org);\n");
  std::cout << fmt::format("sqlite3 .import, bare table:    {:.2f} s ({:.0f} rows/s)\n", raw,
                           persons / raw);
  std::cout << fmt::format("sqlite3 .import, same indexes:  {:.2f} s ({:.0f} rows/s)\n", indexed,
                           persons / indexed);

  // 3. Jundeng import of the same file (the real command, a fresh database with the demo tree).
  std::string db = dir + "/jundeng.db";
  if (Run(fmt::format("{} demo --db {} --persons 0 --seed 1 > /dev/null 2>&1", bin, db)) != 0)
    return 1;
  auto a = Clock::now();
  if (Run(fmt::format("JUNDENG_LOG_LEVEL=warn {} import persons {} --db {} > {}/import.json", bin,
                      csv, db, dir)) != 0) {
    return 1;
  }
  auto b = Clock::now();
  double ours = Seconds(a, b);
  std::ifstream summary_in(dir + "/import.json");
  nlohmann::json summary = nlohmann::json::parse(summary_in, nullptr, false);
  std::cout << fmt::format(
      "jundeng import persons:         {:.2f} s ({:.0f} rows/s), ok={} failed={}, "
      "peak RSS {} MiB\n",
      ours, persons / ours, summary.value("rows_ok", -1), summary.value("rows_failed", -1),
      MaxRssMiB());
  std::cout << fmt::format("ratio to bare .import: {:.2f}x; to indexed .import: {:.2f}x\n",
                           ours / raw, ours / indexed);

  // 4. Lookups and searches on the loaded database.
  auto app = jd::http::OpenApp({.db_path = db, .must_exist = true});
  if (!app.ok()) {
    std::cerr << app.status().ToString() << "\n";
    return 1;
  }
  jd::auth::Principal who = jd::auth::AuthService::SystemPrincipal("bench");
  auto root = (*app)->registry->RootOrg();
  std::mt19937_64 rng(42);
  std::optional<jd::auth::Scope> scope_override;
  auto measure = [&](const std::string& label, const std::vector<std::string>& queries,
                     bool through_service) {
    std::vector<double> us;
    std::int64_t hits = 0;
    for (int i = 0; i < searches; ++i) {
      const std::string& q = queries[rng() % queries.size()];
      jd::registry::PersonSearch s;
      s.q = q;
      s.limit = 20;
      auto start = Clock::now();
      if (through_service) {
        auto r = (*app)->registry->SearchPersons(who, s);
        if (r.ok()) hits += static_cast<std::int64_t>(r->items.size());
      } else {
        s.scope = scope_override
                      ? *scope_override
                      : jd::auth::ScopeOf(jd::auth::AuthService::SystemPrincipal("bench"));
        jd::Status st = (*app)->db->Read([&](soci::session& sess) {
          hits +=
              static_cast<std::int64_t>(jd::registry::PersonStore::Search(sess, s).items.size());
          return jd::Status::Ok();
        });
        (void)st;
      }
      us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    Percentiles p = Summarise(us);
    std::cout << fmt::format(
        "{:<44} p50 {:>7.0f} µs  p99 {:>7.0f} µs  max {:>7.0f} µs  ({} hits)\n", label, p.p50_us,
        p.p99_us, p.max_us, hits);
  };
  // Given names (a part of the name that is not its beginning) of two characters and of one.
  std::vector<std::string> surnames, given, given_one, phone_tails, id_tails;
  for (const auto& n : names) {
    surnames.push_back(n.substr(0, 3));  // first character (UTF-8)
    (n.size() == 9 ? given : given_one).push_back(n.substr(3));
  }
  for (const auto& p : phones)
    if (p.size() >= 4) phone_tails.push_back(p.substr(p.size() - 4));
  for (const auto& n : id_numbers) id_tails.push_back(n.substr(n.size() - 6));
  measure("ID number lookup, query only", id_numbers, false);
  measure("full-name search, query only", names, false);
  measure("surname search (page of 20), query only", surnames, false);
  measure("given name of 2 characters, query only", given, false);
  measure("given name of 1 character, query only", given_one, false);
  measure("phone, last 4 digits, query only", phone_tails, false);
  measure("ID number, last 6 characters, query only", id_tails, false);
  measure("ID number lookup, service + audit row", id_numbers, true);
  measure("full-name search, service + audit row", names, true);
  measure("given name of 2 characters, service + audit row", given, true);
  measure("phone, last 4 digits, service + audit row", phone_tails, true);
  // A street-level user (a 社区卫生服务中心): the same searches filtered to its own area.
  jd::auth::Principal center;
  center.username = "bench_center";
  center.role = jd::auth::Role::kCenter;
  center.org_path = paths.front();
  center.client = "bench";
  scope_override = jd::auth::ScopeOf(center);
  measure("given name of 2 characters, one street, query only", given, false);
  measure("given name of 1 character, one street, query only", given_one, false);
  measure("phone, last 4 digits, one street, query only", phone_tails, false);
  std::cout << fmt::format("database file: {:.0f} MiB\n",
                           static_cast<double>(fs::file_size(db)) / (1 << 20));
  if (std::getenv("JD_BENCH_KEEP") == nullptr) fs::remove_all(dir);
  return 0;
}
