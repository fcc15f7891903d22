// FHIR transaction import benchmark (issue: the record follows the migrant, performance line):
// children with their doses registered over HTTP on `jundeng serve` (a demo city, SQLite with
// synchronous=FULL), three ways, in the same run and with the same rows:
//   native   the /api/v1 way: POST /api/v1/persons, then POST /api/v1/persons/{id}/vaccinations
//            once per dose (each request its own transaction);
//   fhir-1   one FHIR transaction Bundle per child (the Patient and her Immunizations, the doses
//            referencing the Patient by urn:uuid) POSTed to /fhir/r4: all of it or nothing;
//   fhir-25  Bundles of 25 children each.
// The rows are the demo city's own children of one street (every field a Patient and an
// Immunization carry), each sent with a new ID number of the same region, birth day and sex.
// Resources per second = (persons + doses) / wall time, with 1 and 4 concurrent clients. HAPI
// FHIR's published bundle import (~2,200 resources/s on a large server) is the anchor.
//
//   ./build/bench/fhir_transaction_bench --persons 6000 --children 400
#include <fmt/format.h>
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/auth_service.h"
#include "exchange/fhir.h"
#include "http/app.h"
#include "registry/id_number.h"
#include "served_node.h"

using namespace jd;
namespace ex = jd::exchange;
using nlohmann::json;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "Bench-Fhir-Passw0rd!";

void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0) {
    fmt::print(stderr, "failed: {}\n", command);
    std::exit(1);
  }
}

template <typename T>
T Must(Result<T> r) {
  if (!r.ok()) {
    fmt::print(stderr, "{}\n", r.status().ToString());
    std::exit(1);
  }
  return std::move(r).value();
}

// A child as the sending system holds her: the Patient (no id) and her Immunizations.
struct Sample {
  json patient;
  std::vector<json> doses;
};

std::vector<Sample> LoadChildren(const std::string& db, int max_children, std::string& district,
                                 std::set<std::string>& taken) {
  auto app = Must(http::OpenApp({.db_path = db, .must_exist = true}));
  const auth::Principal system = auth::AuthService::SystemPrincipal("bench");
  // The district with the most children who have doses; its children in id order.
  std::vector<std::string> ids;
  Status st = app->db->Read([&](soci::session& s) {
    s << "SELECT substr(residence_org, 1, 6) FROM persons p WHERE id_type = 'resident_id' AND "
         "EXISTS (SELECT 1 FROM vaccination_records r WHERE r.person_id = p.id AND r.status = "
         "'active') GROUP BY substr(residence_org, 1, 6) ORDER BY COUNT(*) DESC LIMIT 1",
        soci::into(district);
    std::vector<std::string> page(max_children);
    s << "SELECT id FROM persons p WHERE substr(residence_org, 1, 6) = :o AND id_type = "
         "'resident_id' AND "
         "EXISTS (SELECT 1 FROM vaccination_records r WHERE r.person_id = p.id AND r.status = "
         "'active') ORDER BY id LIMIT :n",
        soci::use(district), soci::use(max_children), soci::into(page);
    ids = page;
    soci::rowset<std::string> numbers = s.prepare << "SELECT id_number FROM persons";
    for (const auto& n : numbers) taken.insert(n);
    return Status::Ok();
  });
  if (!st.ok()) {
    fmt::print(stderr, "{}\n", st.ToString());
    std::exit(1);
  }
  std::vector<Sample> out;
  for (const auto& id : ids) {
    auto view = Must(app->registry->GetPerson(system, id));
    auto doses = Must(app->immunization->Get(system, id, ""));
    Sample s;
    s.patient = ex::PatientOf(view.person, ex::Disclosure::kFull);
    s.patient.erase("id");
    s.patient.erase("meta");
    for (const auto& r : doses.records) {
      if (r.voided) continue;
      std::string clinic;
      if (!r.clinic_code.empty()) {
        if (auto org = app->registry->FindOrg(r.clinic_code)) clinic = org->name;
      }
      json imm = ex::ImmunizationOf(app->immunization->schedule(), r, clinic);
      imm.erase("id");
      imm.erase("meta");
      // A clinic of another district travels by name, as on a transfer.
      if (imm.contains("performer") && r.clinic_code.rfind(district, 0) != 0) {
        imm["performer"][0]["actor"].erase("identifier");
      }
      s.doses.push_back(std::move(imm));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The sample with a new resident ID number: the same region, birth day and sex digit, and the
// next sequence of that region and day that no one holds (`taken`: the city's numbers and those
// given out before).
json Renumbered(const json& patient, std::set<std::string>& taken) {
  json p = patient;
  for (auto& id : p["identifier"]) {
    if (id.value("system", "") != ex::kSystemResidentId) continue;
    const std::string old = id.value("value", "");
    for (int seq = 2 + (old[16] - '0') % 2; seq < 1000; seq += 2) {
      const std::string first17 = old.substr(0, 14) + fmt::format("{:03d}", seq);
      const std::string number = first17 + registry::IdCheckCharacter(first17);
      if (taken.insert(number).second) {
        id["value"] = number;
        break;
      }
    }
  }
  return p;
}

httplib::Headers Auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string Login(int port) {
  httplib::Client c("127.0.0.1", port);
  auto r =
      c.Post("/api/v1/auth/login", json{{"username", "bench_fhir"}, {"password", kPassword}}.dump(),
             "application/json");
  if (!r || r->status != 200) {
    fmt::print(stderr, "log-in failed: {}\n", r ? r->body : "no answer");
    std::exit(1);
  }
  return json::parse(r->body).value("token", "");
}

[[noreturn]] void Fail(const char* what, const httplib::Result& r) {
  fmt::print(stderr, "{} failed: {} {}\n", what, r ? r->status : 0,
             r ? r->body.substr(0, 600) : "");
  std::exit(1);
}

// One child the native way: the person, then each dose.
void SendNative(httplib::Client& c, const std::string& token, const json& patient,
                const std::vector<json>& doses) {
  const json person = Must(ex::PersonInputOf(patient));
  auto r = c.Post("/api/v1/persons", Auth(token), person.dump(), "application/json");
  if (!r || r->status != 201) Fail("POST /api/v1/persons", r);
  const std::string id = json::parse(r->body).value("id", "");
  for (json dose : doses) {
    dose["patient"]["reference"] = "Patient/" + id;
    const json record = Must(ex::DoseInputOf(dose)).record;
    auto d = c.Post(fmt::format("/api/v1/persons/{}/vaccinations", id), Auth(token), record.dump(),
                    "application/json");
    if (!d || d->status != 201) Fail("POST vaccinations", d);
  }
}

// Children as one transaction Bundle.
void SendBundle(httplib::Client& c, const std::string& token,
                const std::vector<std::pair<json, const std::vector<json>*>>& children) {
  json entries = json::array();
  int n = 0;
  for (const auto& [patient, doses] : children) {
    const std::string url = fmt::format("urn:uuid:00000000-0000-4000-8000-{:012d}", n++);
    entries.push_back({{"fullUrl", url},
                       {"resource", patient},
                       {"request", {{"method", "POST"}, {"url", "Patient"}}}});
    for (json dose : *doses) {
      dose["patient"]["reference"] = url;
      entries.push_back({{"resource", std::move(dose)},
                         {"request", {{"method", "POST"}, {"url", "Immunization"}}}});
    }
  }
  json bundle = {
      {"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", std::move(entries)}};
  auto r = c.Post("/fhir/r4", Auth(token), bundle.dump(), "application/fhir+json");
  if (!r || r->status != 200) Fail("POST /fhir/r4", r);
}

struct Figure {
  std::string way;
  int clients = 0;
  long resources = 0;
  double seconds = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli("FHIR transaction import against the native API on jundeng serve");
  int persons = 6000, children = 400;
  std::string dir;
  cli.add_option("--persons", persons, "demo city size");
  cli.add_option("--children", children, "children sent each way");
  cli.add_option("--dir", dir, "work directory (default: a new temporary one)");
  CLI11_PARSE(cli, argc, argv);
  if (dir.empty())
    dir = (fs::temp_directory_path() / fmt::format("jd_fhir_bench_{}", getpid())).string();
  fs::create_directories(dir);
  const std::string bin = JD_BINARY, db = dir + "/city.db";
  Run(fmt::format("{} demo --db {} --persons {} --seed 16 > {}/demo.log 2>&1", bin, db, persons,
                  dir));
  std::string district;
  std::set<std::string> taken;
  std::vector<Sample> samples = LoadChildren(db, children, district, taken);
  long doses_per_round = 0;
  for (const auto& s : samples) doses_per_round += static_cast<long>(s.doses.size());
  Run(
      fmt::format("printf '%s\\n' '{}' | {} user add --db {} --username bench_fhir --role district "
                  "--org {} --password-stdin > /dev/null",
                  kPassword, bin, db, district));
  bench::ServedNode server = bench::StartServe(bin, db, dir, {"--threads", "8"});
  const std::string token = Login(server.port);
  fmt::print("{} children of district {} with {} doses ({:.1f} each), city of {} persons\n",
             samples.size(), district, doses_per_round,
             static_cast<double>(doses_per_round) / static_cast<double>(samples.size()), persons);

  std::vector<Figure> figures;
  for (int clients : {1, 4}) {
    for (const char* way : {"native", "fhir-1", "fhir-25"}) {
      const std::string w = way;
      const int per_bundle = w == "fhir-25" ? 25 : 1;
      // Each round sends new persons: the same rows under numbers not used before.
      std::vector<json> numbered;
      for (const auto& s : samples) numbered.push_back(Renumbered(s.patient, taken));
      const auto start = Steady::now();
      std::vector<std::thread> threads;
      for (int t = 0; t < clients; ++t) {
        threads.emplace_back([&, t] {
          httplib::Client c("127.0.0.1", server.port);
          c.set_read_timeout(120, 0);
          c.set_keep_alive(true);
          c.set_tcp_nodelay(true);  // the request's head and body are two writes
          std::vector<std::pair<json, const std::vector<json>*>> batch;
          for (std::size_t i = t; i < samples.size(); i += clients) {
            if (w == "native") {
              SendNative(c, token, numbered[i], samples[i].doses);
              continue;
            }
            batch.emplace_back(numbered[i], &samples[i].doses);
            if (static_cast<int>(batch.size()) == per_bundle) {
              SendBundle(c, token, batch);
              batch.clear();
            }
          }
          if (!batch.empty()) SendBundle(c, token, batch);
        });
      }
      for (auto& th : threads) th.join();
      const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
      figures.push_back({w, clients, static_cast<long>(samples.size()) + doses_per_round, seconds});
    }
  }
  server.Stop();

  fmt::print(
      "\n| way | clients | resources | seconds | resources/s | vs native |\n"
      "|---|---|---|---|---|---|\n");
  std::map<int, double> native_rate;
  for (const auto& f : figures) {
    const double rate = static_cast<double>(f.resources) / f.seconds;
    if (f.way == "native") native_rate[f.clients] = rate;
    fmt::print("| {} | {} | {} | {:.2f} | {:.0f} | {:.2f}× |\n", f.way, f.clients, f.resources,
               f.seconds, rate, rate / native_rate[f.clients]);
  }
  fs::remove_all(dir);
  return 0;
}
