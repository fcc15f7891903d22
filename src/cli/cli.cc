#include "cli/cli.h"

#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <thread>

#include "auth/password.h"
#include "auth/permissions.h"
#include "auth/user_store.h"
#include "child/demo_checkups.h"
#include "cli/common.h"
#include "core/csv.h"
#include "core/ids.h"
#include "core/text.h"
#include "disease/demo_cards.h"
#include "disease/hivtb_demo.h"
#include "education/demo_activities.h"
#include "family_planning/demo_fp.h"
#include "http/app.h"
#include "http/server.h"
#include "immunization/demo_doses.h"
#include "immunization/demo_guardians.h"
#include "maternal/demo_pregnancies.h"
#include "mental/demo_patients.h"
#include "network/demo_network.h"
#include "preconception/demo_checks.h"
#include "records/demo_records.h"
#include "registry/codes.h"
#include "registry/demo.h"
#include "registry/divisions.h"
#include "registry/eligibility.h"
#include "registry/id_number.h"
#include "registry/person_csv.h"
#include "registry/person_import.h"
#include "registry/person_json.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"
#include "storage/private_file.h"

namespace jd::cli {

namespace {

using nlohmann::json;

// The city's tree of districts and counties from the GB/T 2260 table.
std::vector<registry::OrgUnit> CityTree(const std::string& city_code) {
  const auto& divisions = registry::Divisions::Builtin();
  std::vector<registry::OrgUnit> units;
  auto name = divisions.Name(city_code);
  units.push_back(
      {city_code, name.value_or(city_code), registry::OrgLevel::kCity, "", city_code + "/"});
  for (const auto& county : divisions.CountiesOf(city_code)) {
    units.push_back({county.code, county.name, registry::OrgLevel::kDistrict, city_code,
                     city_code + "/" + county.code + "/"});
  }
  return units;
}

// ---- serve
// ---------------------------------------------------------------------------------------

int Serve(const http::AppOptions& app_options, const std::string& listen,
          const std::string& port_file, http::ServerOptions so,
          const FederationServeOptions& federation) {
  // Over HTTPS the session cookie never travels in clear.
  if (!so.tls_cert.empty()) so.secure_cookies = true;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Fail(Status::Invalid(
        {{"listen", "invalid_value", "--listen 应为 主机:端口", "--listen must be HOST:PORT"}}));
  }
  so.host = listen.substr(0, colon);
  try {
    so.port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    so.port = -1;
  }
  if (so.port < 0 || so.port > 65535) {
    return Fail(Status::Invalid({{"listen", "invalid_value", "端口无效", "invalid port"}}));
  }

  // Signals are taken by one thread with sigwait, which then stops the server cleanly.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  // A database others can read is everyone's data open to every account on the host: refuse to
  // serve it (the audit key's mode is checked when it is loaded).
  if (Status mode = storage::CheckPrivateDatabase(app_options.db_path); !mode.ok()) {
    return Fail(mode);
  }
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  // The statistics view is built before the first request, not during it.
  if (Status warm = (*app)->kpi->Warm(); !warm.ok()) return Fail(warm);
  http::EnableBulkExport(**app, app_options.db_path);
  // The federation's thread, when asked for: it needs the node's key file.
  std::unique_ptr<FederationLoop> federation_loop;
  if (!federation.urls.empty()) {
    auto loop = FederationLoop::Start(**app, app_options.db_path, federation);
    if (!loop.ok()) return Fail(loop.status());
    federation_loop = std::move(*loop);
  }
  http::Server server(**app, so);
  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    spdlog::info("signal {}: stopping", sig);
    server.Stop();
  });
  Status st = server.Run([&](int port) {
    std::cout << fmt::format("Jundeng is serving {} on http://{}:{}/", app_options.db_path, so.host,
                             port)
              << std::endl;
    if (!port_file.empty()) {
      std::ofstream(port_file) << port << "\n";
    }
  });
  pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  federation_loop.reset();
  if (!st.ok()) return Fail(st);
  return 0;
}

// ---- demo
// ----------------------------------------------------------------------------------------

int Demo(http::AppOptions app_options, std::int64_t persons, std::uint64_t seed) {
  if (std::filesystem::exists(app_options.db_path)) {
    return Fail(Status::AlreadyExists(
        app_options.db_path + " exists; remove it (and its .audit-key) to make a new demo",
        app_options.db_path + " 已存在；如需重新生成演示数据，请先删除它（及 .audit-key 文件）"));
  }
  if (persons < 0 || persons > 10'000'000) {
    return Fail(Status::Invalid({{"persons", "out_of_range", "人数应在 0 到 10,000,000 之间",
                                  "persons must be from 0 to 10,000,000"}}));
  }
  app_options.create_key = true;
  auto opened = http::OpenApp(app_options);
  if (!opened.ok()) return Fail(opened.status());
  http::App& app = **opened;
  auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());

  registry::DemoOrgTree tree = registry::GenerateOrgTree(seed);
  if (Status st = app.registry->AddOrgUnits(system, tree.units); !st.ok()) return Fail(st);

  // Accounts first: reviewed demo documents name a real reviewer.
  std::vector<std::pair<registry::DemoUser, std::string>> accounts;
  std::string reviewer_id;
  // Documents are submitted by the health centre of the person's street (by its user id, shown
  // by name), else by the system import.
  std::map<std::string, std::string> center_of_street;
  for (const auto& du : registry::DemoUsers(tree)) {
    std::string password = auth::GenerateOneTimePassword(du.username);
    auto u =
        app.auth->CreateUser(system, {du.username, du.display_name,
                                      std::string(auth::RoleCode(du.role)), du.org_code, password,
                                      /*must_change_password=*/true});
    if (!u.ok()) return Fail(u.status());
    if (du.role == auth::Role::kDistrict && reviewer_id.empty()) reviewer_id = u->id;
    if (du.role == auth::Role::kCenter) center_of_street.emplace(du.org_code, u->id);
    accounts.emplace_back(du, password);
  }

  Date today = app.clock->Today();
  registry::DemoPersonGenerator gen(tree, {.persons = persons, .seed = seed, .as_of = today});
  std::map<std::string, std::string> paths;
  for (const auto& u : tree.units) paths[u.code] = u.path;
  std::string now = FormatTimestamp(app.clock->Now());
  // The children's certificates, doses and appointments, written with each child.
  immunization::DemoImmunization vaccinations(app.immunization->schedule(), tree.units,
                                              {.seed = seed, .as_of = today});
  std::int64_t written = 0, invalid = 0;
  constexpr std::int64_t kBatch = 5000;
  for (std::int64_t start = 0; start < persons; start += kBatch) {
    std::int64_t end = std::min(persons, start + kBatch);
    Status st = app.db->Write([&](soci::session& s) {
      registry::PersonInserter ins(s);
      for (std::int64_t i = start; i < end; ++i) {
        registry::DemoPerson dp = gen.Generate(i);
        registry::Person& p = dp.person;
        // The generator is checked by the same rules as any input.
        if (!registry::ValidatePerson(p, today).empty()) {
          ++invalid;
          continue;
        }
        p.id = NewId();
        p.residence_path = paths[p.residence_org];
        p.created_at = p.updated_at = now;
        p.created_by = p.updated_by = system.username;
        if (!ins.Insert(p, "")) continue;  // an ID number drawn twice
        registry::ResidenceEvent e{NewId(),
                                   p.id,
                                   registry::ResidenceEventType::kArrived,
                                   p.arrived_on,
                                   p.residence_org,
                                   p.residence_address,
                                   "",
                                   now,
                                   system.username};
        registry::PersonStore::InsertEvent(s, e);
        for (auto& d : dp.documents) {
          d.id = NewId();
          d.person_id = p.id;
          d.submitted_at = now;
          auto center = center_of_street.find(p.residence_org.substr(0, 9));
          d.submitted_by = center != center_of_street.end() ? center->second : system.username;
          if (d.status != registry::DocumentStatus::kPending) {
            d.reviewed_at = now;
            d.reviewed_by = reviewer_id;
          }
          registry::PersonStore::InsertDocument(s, d);
        }
        vaccinations.Add(s, p, i, now, system.username);
        ++written;
      }
      ins.Flush();
      return Status::Ok();
    });
    if (!st.ok()) return Fail(st);
  }
  if (Status vs = app.db->Write([&](soci::session& s) {
        vaccinations.WriteSessions(s, now, system.username);
        return Status::Ok();
      });
      !vs.ok()) {
    return Fail(vs);
  }
  // Many certificates name a registered mother or father of the child's neighbourhood.
  auto guardians = immunization::DemoGuardians(*app.db, {.as_of = today, .seed = seed});
  if (!guardians.ok()) return Fail(guardians.status());
  // Health records (居民健康档案) for most of those entitled on the demo date.
  auto health_records = records::DemoRecords(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!health_records.ok()) return Fail(health_records.status());
  // Pregnancies in every stage and colour (孕产妇健康管理).
  auto pregnancies = maternal::DemoPregnancies(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!pregnancies.ok()) return Fail(pregnancies.status());
  // Couples' pre-pregnancy checks and folic acid (孕前优生健康检查, 增补叶酸).
  auto preconception_checks = preconception::DemoChecks(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!preconception_checks.ok()) return Fail(preconception_checks.status());
  // Check-ups of the children 0–6 at the schedule's ages (0～6岁儿童健康管理).
  auto checkups = child::DemoCheckups(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!checkups.ok()) return Fail(checkups.status());
  // Three years of infectious-disease cards with their seasons and one planted outbreak at a
  // construction site (传染病报告卡; the history the moving-percentile rule compares with).
  // The rates are those of the default 2,000-person city; a smaller one gets fewer cards.
  auto cards = disease::DemoCards(
      *app.db, {.as_of = today,
                .seed = seed,
                .rate_scale = std::min(1.0, static_cast<double>(persons) / 2000.0)});
  if (!cards.ok()) return Fail(cards.status());
  // The day's early-warning run over those cards, so that the CDC finds the outbreak's signals
  // waiting (what `jundeng surveillance run` does each day).
  auto warnings = app.signals->RunDaily(system, today);
  if (!warnings.ok()) return Fail(warnings.status());
  // Severe-mental-disorder patients in every class, with an overdue one and an open alert in
  // every district (严重精神障碍患者管理).
  auto smd = mental::DemoPatients(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!smd.ok()) return Fail(smd.status());
  // The open alerts reach the partner users of their areas through the outbox, as the service's
  // own follow-ups do (notify/alert_notices.h).
  int alert_notices = 0;
  Status queued = app.db->Write([&](soci::session& s) -> Status {
    JD_ASSIGN_OR_RETURN(alert_notices, app.alert_notices->QueueOpenAlerts(s, system));
    return Status::Ok();
  });
  if (!queued.ok()) return Fail(queued);
  // TB treatment courses (one overdue) and HIV care records (肺结核患者健康管理, 四免一关怀).
  auto hivtb = disease::DemoHivTb(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!hivtb.ok()) return Fail(hivtb.status());
  // The service network: points with positions, demonstration points and their "六个一",
  // gathering places and their associations, some communities left outside the circle.
  auto service_network = network::DemoNetwork(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!service_network.ok()) return Fail(service_network.status());
  // Health education at the points with norms, about a third of them behind on lectures.
  auto health_education = education::DemoActivities(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!health_education.ok()) return Fail(health_education.status());
  // Family-planning records of the women 15–49 at the network's dispensing points.
  auto fp_records = family_planning::DemoFamilyPlanning(
      *app.db, {.as_of = today, .seed = seed, .created_by = system.username, .created_at = now});
  if (!fp_records.ok()) return Fail(fp_records.status());
  Status st =
      app.audit->Record(system, {.action = "demo.generate",
                                 .object_type = "city",
                                 .detail = fmt::format("persons={} seed={}", written, seed)});
  if (!st.ok()) return Fail(st);

  std::cout << fmt::format("Demo city 南宁市 (450100) created in {}: {} org units, {} persons.\n",
                           app_options.db_path, tree.units.size(), written);
  const immunization::DemoImmunizationCounts& vc = vaccinations.counts();
  std::cout << fmt::format(
      "Immunisation: {} vaccination certificates ({} children entitled), {} doses ({} "
      "transcribed), {} appointments ({} booked, {} attended, {} missed), {} session days.\n",
      vc.files, vc.entitled, vc.records, vc.transcribed, vc.appointments, vc.booked, vc.attended,
      vc.missed, vc.sessions);
  std::cout << fmt::format("Guardians: {} certificates linked to a registered mother or father.\n",
                           *guardians);
  const maternal::DemoPregnancyCounts& pc = *pregnancies;
  std::cout << fmt::format(
      "Maternal health: {} pregnancies of {} women aged 18–45 ({} pregnant now, {} delivered, {} "
      "ended, {} closed, {} high-risk open), {} visits, {} referrals.\n",
      pc.pregnancies, pc.women, pc.pregnant_now, pc.delivered, pc.ended, pc.closed, pc.high_risk,
      pc.visits, pc.referrals);
  std::cout << fmt::format(
      "Pre-pregnancy: {} checks of {} married women aged 20–40 ({} with a registered partner, {} "
      "high-risk), {} folic-acid supplies.\n",
      preconception_checks->checks, preconception_checks->women,
      preconception_checks->registered_men, preconception_checks->high_risk,
      preconception_checks->supplies);
  std::cout << fmt::format(
      "HIV and TB: {} TB treatment courses ({} overdue), {} visits; {} HIV care records, {} "
      "follow-ups.\n",
      hivtb->tb_courses, hivtb->tb_overdue, hivtb->tb_visits, hivtb->hiv_records,
      hivtb->hiv_follow_ups);
  std::cout << fmt::format(
      "Child health: {} check-ups of {} children under 7 ({} stunted at their last check-up); {} "
      "newborn screening results of {} children ({} positive or refer).\n",
      checkups->checkups, checkups->children, checkups->stunted, checkups->screenings,
      checkups->screened, checkups->screening_referrals);
  std::cout << fmt::format(
      "Infectious diseases: {} case cards over {} days ({} of registry persons, {} reported "
      "late), with an outbreak of {} dysentery cases at {} ({}).\n",
      cards->cards, disease::DemoCardOptions{}.history_days, cards->registry_linked, cards->late,
      cards->outbreak_cards, cards->outbreak_site, cards->outbreak_district);
  std::cout << fmt::format("Early warning on {}: {} signals raised.\n", FormatDate(today),
                           warnings->raised);
  std::cout << fmt::format(
      "Severe mental disorders: {} patients ({} unstable, {} basically stable, {} stable, {} "
      "overdue), {} follow-ups, {} partner alerts ({} open, {} notices queued to partner users), "
      "{} emergency records.\n",
      smd->patients, smd->unstable, smd->basically_stable, smd->stable, smd->overdue,
      smd->follow_ups, smd->alerts, smd->open_alerts, alert_notices, smd->emergencies);
  std::cout << fmt::format(
      "Service network: {} points ({} demonstration points, {} districts compliant), {} "
      "communities placed ({} outside the ten-minute circle), {} gathering places ({} with a "
      "family-planning association).\n",
      service_network->points, service_network->demonstration, service_network->compliant_districts,
      service_network->communities, service_network->communities_outside, service_network->places,
      service_network->with_association);
  std::cout << fmt::format(
      "Health education: {} activities at {} points with norms ({} behind on lectures).\n",
      health_education->activities, health_education->points, health_education->behind);
  std::cout << fmt::format(
      "Family planning: {} women 15–49, {} methods, {} distributions (+{} anonymous at machines), "
      "{} procedures, {} checks, {} guidance sessions, {} reward facts.\n",
      fp_records->women, fp_records->methods, fp_records->distributions, fp_records->anonymous,
      fp_records->procedures, fp_records->checks, fp_records->guidance, fp_records->reward_facts);
  if (invalid > 0)
    std::cout << fmt::format("({} generated persons failed validation and were skipped)\n",
                             invalid);
  std::cout << "\nDemo accounts (one-time passwords, shown only now; change them after logging "
               "in):\n";
  std::cout << fmt::format("  {:<24} {:<11} {:<14} {}\n", "username", "role", "org", "password");
  for (const auto& [du, password] : accounts) {
    std::cout << fmt::format("  {:<24} {:<11} {:<14} {}\n", du.username, auth::RoleCode(du.role),
                             du.org_code, password);
  }
  std::cout.flush();
  return 0;
}

// ---- import / export
// -----------------------------------------------------------------------------

void Progress(std::int64_t done, double fraction) {
  static bool tty = isatty(STDERR_FILENO) != 0;
  if (!tty) return;
  constexpr int kWidth = 40;
  int filled = std::clamp(static_cast<int>(kWidth * fraction), 0, kWidth);
  std::cerr << fmt::format("\r[{}{}] {:3.0f}%  {} rows", std::string(filled, '#'),
                           std::string(kWidth - filled, ' '), 100 * fraction, done)
            << std::flush;
  if (fraction >= 1.0) std::cerr << "\n";
}

int ImportPersons(const http::AppOptions& app_options, const std::string& file, bool dry_run,
                  int batch_size) {
  auto bytes = ReadFile(file, std::size_t{4} << 30);
  if (!bytes.ok()) return Fail(bytes.status());
  auto source = registry::PersonFileSource::Open(std::move(bytes).value());
  if (!source.ok()) return Fail(source.status());

  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());
  registry::ImportOptions options;
  options.file_name = std::filesystem::path(file).filename().string();
  options.dry_run = dry_run;
  options.batch_size = batch_size;
  options.progress = Progress;
  auto report = (*app)->registry->ImportPersons(system, **source, options);
  if (!report.ok()) return Fail(report.status());

  std::string errors_path = file + ".errors.csv";
  if (!report->errors.empty()) {
    std::ofstream out(errors_path, std::ios::binary | std::ios::trunc);
    CsvWriter w(out, {.bom = CsvBom::kUtf8});
    w.Row({"row", "column", "code", "message", "message_en"});
    for (const auto& e : report->errors) {
      w.Row({std::to_string(e.row), e.column, e.code, e.message_zh, e.message_en});
    }
  } else {
    std::filesystem::remove(errors_path);
  }
  json summary = {{"batch_id", dry_run ? "" : report->batch_id},
                  {"dry_run", dry_run},
                  {"rows_total", report->rows_total},
                  {"rows_ok", report->rows_ok},
                  {"rows_failed", report->rows_failed},
                  {"errors_file", report->errors.empty() ? "" : errors_path}};
  std::cout << summary.dump(2) << std::endl;
  return 0;
}

int ExportPersons(const http::AppOptions& app_options, const std::string& out_path,
                  registry::ExportIdentifiers identifiers) {
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!out_path.empty() && out_path != "-") {
    // 0600 before the first byte: the file holds personal data.
    if (Status st = storage::CreatePrivateFile(out_path); !st.ok()) return Fail(st);
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::Unavailable("cannot write " + out_path, "无法写入文件"));
    out = &file;
  }
  CsvWriter w(*out, {.bom = CsvBom::kUtf8});
  w.Row(registry::ExportHeaderZh());
  auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());
  // The service commits the audit row before it hands over the first person, and hands over
  // de-identified persons unless asked for whole identifiers.
  Status st = (*app)->registry->ExportPersons(system, identifiers, [&](const registry::Person& p) {
    w.Row(registry::PersonJsonToExportRow(registry::PersonToJson(p, /*mask=*/false)));
    return true;
  });
  if (!st.ok()) return Fail(st);
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App cli{
      "Jundeng (均等): basic public-health services for migrants, one node per city.\n"
      "均等：流动人口基本公共卫生计生服务均等化管理系统"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", "jundeng 0.1.0");

  http::AppOptions app_options;
  auto add_db = [&](CLI::App* cmd) {
    cmd->add_option("--db", app_options.db_path, "SQLite database file")->capture_default_str();
    cmd->add_option("--audit-key", app_options.audit_key_path,
                    "audit HMAC key file (default: <db>.audit-key)");
  };
  int code = 0;

  // serve
  std::string listen = "127.0.0.1:8080", port_file;
  http::ServerOptions server_options;
  server_options.static_dir = "web/dist";
  auto* serve = cli.add_subcommand("serve", "serve the JSON API (and the web app) over HTTP");
  add_db(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--port-file", port_file, "write the bound port to this file");
  serve->add_option("--static", server_options.static_dir, "directory of the web app to serve at /")
      ->capture_default_str();
  serve->add_option("--threads", server_options.threads, "connection threads kept when idle")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option("--max-threads", server_options.max_threads,
                   "most connections served at once (one thread each; more wait their turn)")
      ->check(CLI::Range(1, 16384))
      ->capture_default_str();
  int header_timeout_s = 10, body_timeout_s = 120;
  serve
      ->add_option("--header-timeout", header_timeout_s,
                   "seconds for a request's whole head, from its first byte (then 408)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve
      ->add_option("--body-timeout", body_timeout_s,
                   "seconds for a request's whole body, after its head (then 408)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve
      ->add_option("--max-connections-per-client", server_options.connections.max_per_client,
                   "open connections one client address may hold (0: no limit; then 429)")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  serve
      ->add_option("--connection-limit-exempt", server_options.connections.exempt,
                   "client addresses not limited, comma-separated, e.g. a TLS front on this host "
                   "(\"none\": every address is limited)")
      ->delimiter(',')
      ->capture_default_str();
  serve->add_flag(
      "--secure-cookies", server_options.secure_cookies,
      "mark the session cookie Secure (served over HTTPS by a TLS front such as nginx)");
  auto* tls_cert = serve->add_option("--tls-cert", server_options.tls_cert,
                                     "serve HTTPS with this PEM certificate (chain)");
  auto* tls_key =
      serve->add_option("--tls-key", server_options.tls_key, "the certificate's PEM private key");
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  // From the environment, so the token is not in the process list.
  serve
      ->add_option("--metrics-token", server_options.metrics_token,
                   "serve /metrics only with this Bearer token (default: loopback clients only)")
      ->envname("JUNDENG_METRICS_TOKEN");
  FederationServeOptions federation;
  serve->add_option("--federation", federation.urls,
                    "take part in the federation of city nodes over these NATS servers "
                    "(nats://host:port, comma-separated; needs `jundeng federation init`)");
  serve->add_option("--federation-ca", federation.ca, "CA file for TLS to the NATS servers");
  serve->add_option("--federation-replicas", federation.replicas,
                    "copies of the federation's stream (3 on a 3-server cluster)");
  serve->add_option("--report-to", federation.report_to,
                    "send this aggregator node the city's figures of last month and of the year "
                    "so far, at start and every 6 hours");
  serve->callback([&] {
    server_options.connections.header_timeout = std::chrono::seconds(header_timeout_s);
    server_options.connections.body_timeout = std::chrono::seconds(body_timeout_s);
    auto& exempt = server_options.connections.exempt;
    if (exempt.size() == 1 && exempt[0] == "none") exempt.clear();
    app_options.must_exist = true;
    code = Serve(app_options, listen, port_file, server_options, federation);
  });

  // init
  std::string city = "450100";
  auto* init =
      cli.add_subcommand("init", "create an empty database with the city's districts and counties");
  add_db(init);
  init->add_option("--city", city, "GB/T 2260 code of the prefecture-level city")
      ->capture_default_str();
  init->callback([&] {
    if (std::filesystem::exists(app_options.db_path)) {
      code = Fail(Status::AlreadyExists(app_options.db_path + " already exists",
                                        app_options.db_path + " 已存在"));
      return;
    }
    if (city.size() != 6 || city.substr(4) != "00" ||
        registry::Divisions::Builtin().CountiesOf(city).empty()) {
      code = Fail(Status::Invalid({{"city", "unknown_city", "不是已知的地级市代码：" + city,
                                    "not a known prefecture-level city code: " + city}}));
      return;
    }
    app_options.create_key = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      code = Fail(app.status());
      return;
    }
    auto units = CityTree(city);
    Status st = (*app)->registry->AddOrgUnits(auth::AuthService::SystemPrincipal(OsUser()), units);
    if (!st.ok()) {
      code = Fail(st);
      return;
    }
    std::cout << fmt::format("Created {} with {} org units ({}). Audit key: {}\n",
                             app_options.db_path, units.size(), units[0].name,
                             app_options.audit_key_path.empty()
                                 ? http::DefaultAuditKeyPath(app_options.db_path)
                                 : app_options.audit_key_path);
    std::cout << "Next: create the security administrator with\n"
                 "  jundeng user add --username secadmin --role secadmin --org "
              << city << " --password-stdin\n";
  });

  // demo
  std::int64_t persons = 2000;
  std::uint64_t seed = 1;
  auto* demo = cli.add_subcommand(
      "demo", "create a database with a synthetic migrant population of Nanning");
  add_db(demo);
  demo->add_option("--persons", persons, "number of persons")->capture_default_str();
  demo->add_option("--seed", seed, "random seed (the same seed gives the same city)")
      ->capture_default_str();
  demo->callback([&] { code = Demo(app_options, persons, seed); });

  // user add / user passwd
  auto* user = cli.add_subcommand("user", "manage user accounts");
  user->require_subcommand(1);
  std::string username, role, org, display_name;
  bool password_stdin = false;
  auto* user_add =
      user->add_subcommand("add", "create a user (the password is read from standard input)");
  add_db(user_add);
  user_add->add_option("--username", username, "login name")->required();
  user_add
      ->add_option(
          "--role", role,
          "sysadmin|secadmin|auditor|commission|district|center|village|cdc|finance|partner")
      ->required();
  user_add->add_option("--org", org, "org unit code the user sits on (jurisdiction)")->required();
  user_add->add_option("--display-name", display_name, "name shown in the app");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input")
      ->required();
  user_add->callback([&] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      code = Fail(app.status());
      return;
    }
    std::string password = ReadPasswordStdin();
    auto u = (*app)->auth->CreateUser(auth::AuthService::SystemPrincipal(OsUser()),
                                      {username, display_name, role, org, password});
    if (!u.ok()) {
      code = Fail(u.status());
      return;
    }
    std::cout << json{{"id", u->id},
                      {"username", u->username},
                      {"role", auth::RoleCode(u->role)},
                      {"org_code", u->org_code}}
                     .dump()
              << std::endl;
  });
  auto* user_passwd =
      user->add_subcommand("passwd", "set a user's password (read from standard input)");
  add_db(user_passwd);
  user_passwd->add_option("--username", username, "login name")->required();
  user_passwd->add_flag("--password-stdin", password_stdin, "read the password from standard input")
      ->required();
  user_passwd->callback([&] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      code = Fail(app.status());
      return;
    }
    std::optional<auth::User> found;
    Status st = (*app)->db->Read([&](soci::session& s) {
      found = auth::UserStore::FindByUsername(s, username);
      return Status::Ok();
    });
    if (st.ok() && !found)
      st = Status::NotFound("no such user: " + username, "用户不存在：" + username);
    if (st.ok()) {
      st = (*app)->auth->SetPassword(auth::AuthService::SystemPrincipal(OsUser()), found->id,
                                     ReadPasswordStdin());
    }
    code = st.ok() ? 0 : Fail(st);
  });

  // import persons
  auto* import = cli.add_subcommand("import", "import records from files");
  import->require_subcommand(1);
  std::string file;
  bool dry_run = false;
  auto* import_persons = import->add_subcommand(
      "persons",
      "import persons from CSV (UTF-8 or GB18030, Chinese or English header); rejected "
      "rows are listed in FILE.errors.csv");
  add_db(import_persons);
  import_persons->add_option("FILE", file, "CSV file")->required();
  import_persons->add_flag("--dry-run", dry_run, "validate only, write nothing");
  int batch_size = 20000;
  import_persons
      ->add_option("--batch-size", batch_size,
                   "rows per transaction (larger is faster; the server waits for each batch)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  int cache_mib = 1024;
  import_persons
      ->add_option("--cache-mib", cache_mib,
                   "database page cache for the import; indexes that fit in it load much faster")
      ->check(CLI::Range(2, 65536))
      ->capture_default_str();
  import_persons->callback([&] {
    app_options.must_exist = true;
    app_options.writer_cache_mib = cache_mib;
    code = ImportPersons(app_options, file, dry_run, batch_size);
  });

  // export persons
  auto* export_cmd = cli.add_subcommand("export", "export records to files");
  export_cmd->require_subcommand(1);
  std::string out_path;
  auto* export_persons = export_cmd->add_subcommand(
      "persons", "export every person as CSV (UTF-8 with BOM, Chinese header)");
  add_db(export_persons);
  export_persons->add_option("--out", out_path,
                             "output file, created mode 0600 (default: standard output)");
  bool export_full = false, export_masked = false;
  auto* full_flag = export_persons->add_flag(
      "--full", export_full,
      "whole names, ID numbers, phones and addresses (needs the person_export_full permission)");
  export_persons
      ->add_flag("--masked", export_masked,
                 "de-identified: names, ID, phone, health card and residence permit numbers "
                 "masked, addresses and employer left out (the default)")
      ->excludes(full_flag);
  export_persons->callback([&] {
    app_options.must_exist = true;
    code = ExportPersons(
        app_options, out_path,
        export_full ? registry::ExportIdentifiers::kFull : registry::ExportIdentifiers::kMasked);
  });

  // backup
  std::string backup_file;
  auto* backup = cli.add_subcommand("backup", "online, consistent copy of the database");
  add_db(backup);
  backup->add_option("FILE", backup_file, "destination file (must not exist)")->required();
  backup->callback([&] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      code = Fail(app.status());
      return;
    }
    Status st = (*app)->db->Backup(backup_file);
    if (st.ok()) {
      // The copy's own audit head, so that `audit verify --db COPY` can tell its end is whole.
      auto copy = storage::Database::Open({.path = backup_file, .must_exist = true});
      st = copy.ok() ? (*app)->audit->WriteHeadOf(**copy, http::AuditHeadPath(backup_file))
                     : copy.status();
    }
    if (st.ok()) {
      st = (*app)->audit->Record(
          auth::AuthService::SystemPrincipal(OsUser()),
          {.action = "db.backup", .object_type = "database", .detail = backup_file});
    }
    if (!st.ok()) {
      code = Fail(st);
      return;
    }
    std::cout << "backup written to " << backup_file << std::endl;
  });

  // id check
  auto* id = cli.add_subcommand("id", "identity document tools");
  id->require_subcommand(1);
  std::string number;
  auto* id_check = id->add_subcommand(
      "check", "check a 居民身份证 number (GB 11643-1999); exit 0 valid, 1 invalid");
  id_check->add_option("NUMBER", number, "18-digit (or legacy 15-digit) number")->required();
  id_check->callback([&] {
    auto r = registry::CheckResidentId(number, SystemClock().Today());
    json errors = json::array();
    for (const auto& e : r.errors) {
      errors.push_back({{"code", e.code}, {"message", e.message_zh}, {"message_en", e.message_en}});
    }
    json out = {{"valid", r.valid},
                {"errors", errors},
                {"birth_date", r.birth_date ? json(FormatDate(*r.birth_date)) : json(nullptr)},
                {"sex", r.sex ? json(registry::ToCode(*r.sex)) : json(nullptr)},
                {"region_code", r.region_code.empty() ? json(nullptr) : json(r.region_code)},
                {"region_name", r.region_name.empty() ? json(nullptr) : json(r.region_name)},
                {"normalized", r.normalized.empty() ? json(nullptr) : json(r.normalized)}};
    std::cout << out.dump(2) << std::endl;
    code = r.valid ? 0 : 1;
  });

  // eligibility
  auto* elig = cli.add_subcommand("eligibility",
                                  "read one person's facts (JSON) on standard input and print who "
                                  "is a migrant and what they are entitled to, rule by rule");
  elig->callback([&] {
    auto input = ReadJsonStdin();
    if (!input.ok()) {
      code = Fail(input.status());
      return;
    }
    auto facts = registry::EligibilityFactsFromJson(*input);
    if (!facts.ok()) {
      code = Fail(facts.status());
      return;
    }
    std::cout << registry::ToJson(registry::Evaluate(*facts)).dump(2) << std::endl;
  });

  // audit verify
  auto* audit = cli.add_subcommand("audit", "audit log tools");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "re-compute the audit log's HMAC chain; exit 1 on any edited or deleted row");
  add_db(verify);
  verify->callback([&] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      code = Fail(app.status());
      return;
    }
    auto report = (*app)->audit->Verify();
    if (!report.ok()) {
      code = Fail(report.status());
      return;
    }
    json findings = json::array();
    for (const auto& f : report->findings) {
      findings.push_back({{"seq", f.seq}, {"kind", f.kind}, {"detail", f.detail}});
    }
    std::cout << json{{"ok", report->ok()},
                      {"rows_checked", report->rows_checked},
                      {"findings", findings}}
                     .dump(2)
              << std::endl;
    code = report->ok() ? 0 : 1;
  });

  AddImmunizationCommands(cli, app_options, add_db, code);
  AddImmunizationProgrammeCommands(cli, app_options, add_db, code);
  AddNotifyCommands(cli, app_options, add_db, code);
  AddKpiCommands(cli, app_options, add_db, code);
  AddEvaluationCommands(cli, app_options, add_db, code);
  AddRecordsCommands(cli, app_options, add_db, code);
  AddGrowthCommands(cli, code);
  AddNetworkCommands(cli, code);
  AddSurveillanceCommands(cli, app_options, add_db, code);
  AddProgrammeCommands(cli, app_options, add_db, code);
  AddFederationCommands(cli, app_options, add_db, code);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return code;
}

}  // namespace jd::cli
