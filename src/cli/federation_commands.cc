// The federation of city nodes (exchange/federation.h) from the command line, as the system
// (audited). The node's keys and the federation's look-up key live in <db>.federation-key (0600).
//
//   jundeng federation init --node-id CODE --lookup-key FILE [--public-out FILE] [--db D]
// makes this node's key pairs (once; an existing key file is kept) and takes the federation's
// look-up key from FILE, making FILE (0600) when it does not exist: the first node makes it, the
// others are given it. Writes the node's public keys as JSON to --public-out (or standard output).
//
//   jundeng federation join --peer FILE [--db D]
// adds a node's public keys (the JSON its init wrote).
//
//   jundeng federation status [--db D]
// prints the node, its peers and the ledger's newest rows as JSON.
//
//   jundeng federation send --person ID --to NODE --to-division CODE --nats URLS [--db D]
// records that the person moved out to CODE in NODE's city, queues the record bundle and
// publishes what is queued. Prints the transfer as JSON.
//
//   jundeng federation receive --nats URLS [--batch N] [--wait-ms MS] [--until-idle] [--db D]
// takes the transfers waiting for this node and ingests them; with --until-idle, until a fetch
// finds none. Prints the counts as JSON.
//
//   jundeng federation report --to NODE [--period P] --nats URLS [--db D]
// sends the aggregator node NODE the city's figures of P (default: last month) as a dataValueSets
// document of the city's own unit, signed and sealed; prints the report's id as JSON.
//
//   jundeng federation announce --nats URLS / lookup --id-number N --nats URLS
// puts the look-up tokens of this node's persons into the index / prints the node holding the
// person (or null): the ID number never leaves this process.
//
// URLS: nats://host:port, comma-separated for a cluster; --nats-ca FILE for TLS; --replicas N
// for the stream's copies (3 on a 3-server cluster).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "exchange/federation.h"
#include "http/app.h"
#include "kpi/service.h"

namespace jd::cli {

namespace {

using nlohmann::json;
namespace ex = jd::exchange;

std::string KeyPath(const http::AppOptions& o) { return ex::IdentityPath(o.db_path); }

Status WritePrivate(const std::string& path, const std::string& text) {
  const mode_t old_mask = umask(077);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  umask(old_mask);
  if (!f) return Status::Unavailable("cannot write " + path, "无法写入文件 " + path);
  return Status::Ok();
}

Status NoKey() {
  return Status::FailedPrecondition(
      "this node has no federation key: run `jundeng federation init` first",
      "本节点尚无联邦密钥，请先运行 jundeng federation init");
}

Result<ex::FederationIdentity> LoadIdentity(const http::AppOptions& o) {
  auto id = ex::LoadIdentityFile(ex::IdentityPath(o.db_path));
  if (!id.ok()) return id.status();
  if (!*id) return NoKey();
  return std::move(**id);
}

struct NatsFlags {
  std::string urls;
  std::string ca;
  int replicas = 1;
  int ack_wait_ms = 30000;
};

void AddNatsOptions(CLI::App* cmd, NatsFlags& f) {
  cmd->add_option("--nats", f.urls, "NATS server URLs (nats://host:port, comma-separated)")
      ->required();
  cmd->add_option("--nats-ca", f.ca, "CA file for TLS to the NATS servers");
  cmd->add_option("--replicas", f.replicas, "copies of the stream (3 on a 3-server cluster)");
  cmd->add_option("--ack-wait-ms", f.ack_wait_ms,
                  "after how long a transfer taken but not acknowledged comes again");
}

Result<std::unique_ptr<ex::NatsLink>> Link(const NatsFlags& f, const std::string& name) {
  auto link = ex::NatsLink::Connect(
      {.urls = f.urls, .ca_file = f.ca, .replicas = f.replicas, .name = "jundeng " + name});
  if (!link.ok()) return link.status();
  JD_RETURN_IF_ERROR((*link)->EnsureStreams());
  return link;
}

// The node: the app, whose federation is there once `federation init` has run.
struct Node {
  std::unique_ptr<http::App> app;
  ex::Federation* federation = nullptr;
};

Result<Node> OpenNode(const http::AppOptions& o) {
  auto app = http::OpenApp(o);
  if (!app.ok()) return app.status();
  if (!(*app)->federation) return NoKey();
  Node n;
  n.federation = (*app)->federation.get();
  n.app = std::move(*app);
  return n;
}

json RowJson(const ex::TransferRow& t) {
  return {{"id", t.id},
          {"direction", t.direction},
          {"peer", t.peer},
          {"person_id", t.person_id},
          {"to_division", t.to_division},
          {"state", t.state},
          {"resources", t.resources},
          {"detail", t.detail},
          {"created_at", t.created_at}};
}

int RunInit(const http::AppOptions& o, const std::string& node_id, const std::string& lookup_file,
            const std::string& public_out) {
  if (node_id.size() != 6 || node_id.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Status::Invalid({{"node-id", "invalid_value", "--node-id 应为 6 位行政区划代码",
                                  "--node-id must be a 6-digit division code"}}));
  }
  std::string lookup;
  if (auto existing = ReadFile(lookup_file, 1 << 12); existing.ok()) {
    auto raw = ex::FromBase64(*existing);
    if (!raw || raw->size() < 16) {
      return Fail(Status::Invalid(
          {{"lookup-key", "invalid_key", "查找密钥文件无效", "the look-up key file is invalid"}}));
    }
    lookup = *raw;
  } else {
    lookup = ex::NewLookupKey();
    if (Status st = WritePrivate(lookup_file, ex::Base64(lookup)); !st.ok()) return Fail(st);
  }
  ex::FederationIdentity identity;
  if (auto kept = LoadIdentity(o); kept.ok()) {
    identity = *kept;
    identity.lookup_key = lookup;
  } else {
    identity = {ex::NewNodeKeys(node_id), lookup};
  }
  if (Status st = WritePrivate(KeyPath(o), ex::IdentityJson(identity).dump(1)); !st.ok()) {
    return Fail(st);
  }
  const std::string pub = ex::PublicKeysJson(identity.keys.pub).dump(1) + "\n";
  if (public_out.empty()) {
    std::cout << pub;
  } else if (Status st = WritePrivate(public_out, pub); !st.ok()) {
    return Fail(st);
  }
  return 0;
}

int RunJoin(const http::AppOptions& o, const std::string& peer_file) {
  auto text = ReadFile(peer_file, 1 << 16);
  if (!text.ok()) return Fail(text.status());
  auto peer = ex::PublicKeysFromJson(json::parse(*text, nullptr, false));
  if (!peer.ok()) return Fail(peer.status());
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  Status st = node->federation->Join(auth::AuthService::SystemPrincipal(OsUser()), *peer);
  if (!st.ok()) return Fail(st);
  std::cerr << "joined " << peer->node_id << "\n";
  return 0;
}

int RunStatus(const http::AppOptions& o) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto peers = node->federation->Peers();
  if (!peers.ok()) return Fail(peers.status());
  auto ledger = node->federation->Ledger(50);
  if (!ledger.ok()) return Fail(ledger.status());
  json out = {{"node_id", node->federation->node_id()},
              {"peers", json::array()},
              {"ledger", json::array()}};
  for (const auto& p : *peers) out["peers"].push_back(p.node_id);
  for (const auto& t : *ledger) out["ledger"].push_back(RowJson(t));
  std::cout << out.dump(1) << "\n";
  return 0;
}

int RunSend(const http::AppOptions& o, const NatsFlags& nats, const std::string& person,
            const std::string& to, const std::string& division) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto row = node->federation->SendPerson(auth::AuthService::SystemPrincipal(OsUser()), person, to,
                                          division);
  if (!row.ok()) return Fail(row.status());
  // Queued and durable here: a failure to publish now leaves it for the next send or receive.
  auto link = Link(nats, node->federation->node_id());
  if (!link.ok()) return Fail(link.status());
  auto sent = node->federation->PublishQueued(**link);
  if (!sent.ok()) return Fail(sent.status());
  json out = RowJson(*row);
  out["published"] = *sent;
  std::cout << out.dump() << "\n";
  return 0;
}

int RunReceive(const http::AppOptions& o, const NatsFlags& nats, int batch, int wait_ms,
               bool until_idle) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto link = Link(nats, node->federation->node_id());
  if (!link.ok()) return Fail(link.status());
  // What an earlier send left queued goes out first.
  auto sent = node->federation->PublishQueued(**link);
  if (!sent.ok()) return Fail(sent.status());
  ex::ReceiveReport total;
  for (;;) {
    auto r = node->federation->ReceiveOnce(**link, batch, wait_ms);
    if (!r.ok()) return Fail(r.status());
    total.ingested += r->ingested;
    total.duplicates += r->duplicates;
    total.refused += r->refused;
    total.left += r->left;
    total.reports += r->reports;
    const int seen = r->ingested + r->duplicates + r->refused + r->left;
    if (!until_idle || seen == 0) break;
  }
  std::cout << json{{"published", *sent},
                    {"ingested", total.ingested},
                    {"duplicates", total.duplicates},
                    {"refused", total.refused},
                    {"left", total.left},
                    {"reports", total.reports}}
                   .dump()
            << "\n";
  return 0;
}

// The city's figures of `period` ("" = last month) as the aggregator takes them: a dataValueSets
// document of the city's own unit (the units below it stay in the city). Sent as `who`. The
// indicators of restricted data (mental health, HIV and TB: Indicator::restricted_to) are left
// out: their figures stay with the roles that need them, and the board does not use them.
Status SendCityReport(http::App& app, ex::NatsLink& link, const auth::Principal& who,
                      const std::string& to, const std::string& period, json& out) {
  auto root = app.registry->RootOrg();
  if (!root) {
    return Status::FailedPrecondition("this node has no city yet (jundeng init)",
                                      "本节点尚未建立城市（jundeng init）");
  }
  auto asked = kpi::ParsePeriod(
      period.empty() ? kpi::Previous(kpi::MonthOf(app.clock->Today())).Code() : period);
  if (!asked.ok()) return asked.status();
  const std::string period_code = asked->Code();
  std::string codes;
  for (const kpi::Indicator& ind : app.kpi->catalogue().indicators()) {
    if (!ind.active || ind.restricted_to) continue;
    codes += (codes.empty() ? "" : ",") + ind.code;
  }
  auto file = app.kpi->Exchange(who, {.org = root->code,
                                      .period = period_code,
                                      .codes = codes,
                                      .format = "json",
                                      .level = "unit"});
  if (!file.ok()) return file.status();
  const json doc = json::parse(file->bytes, nullptr, false);
  auto id = app.federation->SendReport(who, link, to, root->code, period_code, file->bytes);
  if (!id.ok()) return id.status();
  out = {{"report", *id},
         {"to", to},
         {"city", root->code},
         {"period", period_code},
         {"values", doc.is_object() ? doc.value("dataValues", json::array()).size() : 0}};
  return Status::Ok();
}

int RunReport(const http::AppOptions& o, const NatsFlags& nats, const std::string& to,
              const std::string& period) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto link = Link(nats, node->federation->node_id());
  if (!link.ok()) return Fail(link.status());
  json out;
  Status st = SendCityReport(*node->app, **link, auth::AuthService::SystemPrincipal(OsUser()), to,
                             period, out);
  if (!st.ok()) return Fail(st);
  std::cout << out.dump() << "\n";
  return 0;
}

int RunAnnounce(const http::AppOptions& o, const NatsFlags& nats) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto link = Link(nats, node->federation->node_id());
  if (!link.ok()) return Fail(link.status());
  auto n = node->federation->Announce(**link);
  if (!n.ok()) return Fail(n.status());
  std::cout << json{{"announced", *n}}.dump() << "\n";
  return 0;
}

int RunLookup(const http::AppOptions& o, const NatsFlags& nats, const std::string& id_number) {
  auto node = OpenNode(o);
  if (!node.ok()) return Fail(node.status());
  auto link = Link(nats, node->federation->node_id());
  if (!link.ok()) return Fail(link.status());
  std::string number = id_number;
  for (char& ch : number) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto holder = node->federation->Lookup(**link, number);
  if (!holder.ok()) return Fail(holder.status());
  std::cout << json{{"node", *holder ? json(**holder) : json()}}.dump() << "\n";
  return 0;
}

class ServeLoop final : public FederationLoop {
 public:
  ServeLoop(http::App& app, FederationServeOptions options)
      : app_(&app), federation_(app.federation.get()), options_(std::move(options)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~ServeLoop() override {
    stop_ = true;
    thread_.join();
  }

 private:
  void Run() {
    while (!stop_) {
      auto link = ex::NatsLink::Connect({.urls = options_.urls,
                                         .ca_file = options_.ca,
                                         .replicas = options_.replicas,
                                         .name = "jundeng serve " + federation_->node_id()});
      Status st = link.ok() ? (*link)->EnsureStreams() : link.status();
      while (st.ok() && !stop_) {
        auto sent = federation_->PublishQueued(**link);
        if (!sent.ok()) {
          st = sent.status();
          break;
        }
        auto got = federation_->ReceiveOnce(**link, 50, 1000);
        if (!got.ok()) {
          st = got.status();
          break;
        }
        if (got->ingested + got->refused + got->reports > 0) {
          spdlog::info("federation: {} transfers and {} city reports taken in, {} refused",
                       got->ingested, got->reports, got->refused);
        }
        if (!options_.report_to.empty() && std::chrono::steady_clock::now() >= next_report_) {
          st = SendReports(**link);
          if (!st.ok()) break;
          next_report_ = std::chrono::steady_clock::now() + options_.report_every;
        }
      }
      if (stop_) break;
      spdlog::warn("federation: {}; trying again in 2 s", st.ToString());
      for (int i = 0; i < 20 && !stop_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Last month's figures and the year's so far (the aggregator's monthly and yearly boards).
  Status SendReports(ex::NatsLink& link) {
    const auth::Principal system = auth::AuthService::SystemPrincipal("serve");
    const Date today = app_->clock->Today();
    for (const std::string& period :
         {kpi::Previous(kpi::MonthOf(today)).Code(), std::to_string(int(today.year()))}) {
      json out;
      JD_RETURN_IF_ERROR(SendCityReport(*app_, link, system, options_.report_to, period, out));
      spdlog::info("federation: city report {} of {} sent to {}", out.value("report", ""), period,
                   options_.report_to);
    }
    return Status::Ok();
  }

  http::App* app_;
  ex::Federation* federation_;
  FederationServeOptions options_;
  std::chrono::steady_clock::time_point next_report_{};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<FederationLoop>> FederationLoop::Start(
    http::App& app, const std::string&, const FederationServeOptions& options) {
  if (!app.federation) return NoKey();
  spdlog::info("federation: node {} over {}", app.federation->node_id(), options.urls);
  return std::unique_ptr<FederationLoop>(new ServeLoop(app, options));
}

void AddFederationCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                           int& exit_code) {
  auto* fed = cli.add_subcommand("federation", "exchange records with other city nodes (NATS)");
  fed->require_subcommand(1);

  auto* init = fed->add_subcommand("init", "make this node's keys and take the look-up key");
  auto node_id = std::make_shared<std::string>();
  auto lookup = std::make_shared<std::string>();
  auto public_out = std::make_shared<std::string>();
  init->add_option("--node-id", *node_id, "this node's 6-digit division code")->required();
  init->add_option("--lookup-key", *lookup, "the federation's look-up key file (made if absent)")
      ->required();
  init->add_option("--public-out", *public_out, "where to write this node's public keys");
  add_db(init);
  init->callback([=, &app_options, &exit_code] {
    exit_code = RunInit(app_options, *node_id, *lookup, *public_out);
  });

  auto* join = fed->add_subcommand("join", "add a node's public keys");
  auto peer = std::make_shared<std::string>();
  join->add_option("--peer", *peer, "the public-key file the node's init wrote")->required();
  add_db(join);
  join->callback([=, &app_options, &exit_code] { exit_code = RunJoin(app_options, *peer); });

  auto* status = fed->add_subcommand("status", "this node, its peers and its transfers");
  add_db(status);
  status->callback([&app_options, &exit_code] { exit_code = RunStatus(app_options); });

  auto nats = std::make_shared<NatsFlags>();
  auto* send = fed->add_subcommand("send", "a person moved out: send the record to the node");
  auto person = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto division = std::make_shared<std::string>();
  send->add_option("--person", *person, "the person's id")->required();
  send->add_option("--to", *to, "the receiving node")->required();
  send->add_option("--to-division", *division, "the division code moved to")->required();
  AddNatsOptions(send, *nats);
  add_db(send);
  send->callback([=, &app_options, &exit_code] {
    exit_code = RunSend(app_options, *nats, *person, *to, *division);
  });

  auto* receive = fed->add_subcommand("receive", "take in the transfers waiting for this node");
  auto batch = std::make_shared<int>(50);
  auto wait_ms = std::make_shared<int>(2000);
  auto until_idle = std::make_shared<bool>(false);
  receive->add_option("--batch", *batch, "transfers per fetch");
  receive->add_option("--wait-ms", *wait_ms, "how long a fetch waits for transfers");
  receive->add_flag("--until-idle", *until_idle, "fetch again until none come");
  AddNatsOptions(receive, *nats);
  add_db(receive);
  receive->callback([=, &app_options, &exit_code] {
    exit_code = RunReceive(app_options, *nats, *batch, *wait_ms, *until_idle);
  });

  auto* report = fed->add_subcommand("report", "send the aggregator node the city's figures");
  auto report_to = std::make_shared<std::string>();
  auto report_period = std::make_shared<std::string>();
  auto report_nats = std::make_shared<NatsFlags>();
  report->add_option("--to", *report_to, "the aggregator node's id")->required();
  report->add_option("--period", *report_period, "YYYY-MM, YYYYQn or YYYY (default: last month)");
  AddNatsOptions(report, *report_nats);
  add_db(report);
  report->callback([=, &app_options, &exit_code] {
    exit_code = RunReport(app_options, *report_nats, *report_to, *report_period);
  });

  auto* announce = fed->add_subcommand("announce", "index this node's persons for look-ups");
  AddNatsOptions(announce, *nats);
  add_db(announce);
  announce->callback(
      [=, &app_options, &exit_code] { exit_code = RunAnnounce(app_options, *nats); });

  auto* lookup_cmd = fed->add_subcommand("lookup", "which node holds a person's record");
  auto id_number = std::make_shared<std::string>();
  lookup_cmd->add_option("--id-number", *id_number, "the resident ID number")->required();
  AddNatsOptions(lookup_cmd, *nats);
  add_db(lookup_cmd);
  lookup_cmd->callback(
      [=, &app_options, &exit_code] { exit_code = RunLookup(app_options, *nats, *id_number); });
}

}  // namespace jd::cli
