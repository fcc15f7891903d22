// Federation benchmark: record transfers between two city nodes over a NATS JetStream server on
// loopback (Debian's nats-server, file storage, started here), in one process:
//   1. latency: one person at a time, from "moved out" at A to ingested at B (A builds the bundle,
//      signs and seals it, writes its ledger, publishes; B fetches, opens, links the person and
//      each dose, writes its ledger and audit), p50 / p99 / max;
//   2. sustained: A queues and publishes `--transfers` persons, then B takes them in; transfers
//      per minute for each side;
//   3. baseline in the same run: the message engine alone, the same number of opaque messages of
//      the same sizes published and fetched with acknowledgement through the same client.
// Children carry their doses (a dozen or more each), adults none: the figures are given for both.
//
//   ./build/bench/federation_transfer_bench --persons 6000 --transfers 1000 --latency 200
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "auth/auth_service.h"
#include "exchange/federation.h"
#include "exchange/nats_link.h"
#include "http/app.h"
#include "registry/person_store.h"

using namespace jd;
namespace ex = jd::exchange;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

extern char** environ;

namespace {

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

void Run(const std::string& command) {
  if (std::system(command.c_str()) != 0) {
    fmt::print(stderr, "failed: {}\n", command);
    std::exit(1);
  }
}

pid_t StartNats(const std::string& dir, int port) {
  const std::string store = dir + "/js", log = dir + "/nats.log";
  std::string program =
      fs::exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "/usr/bin/nats-server";
  std::vector<std::string> args = {program, "-js",       "-sd", store,
                                   "-a",    "127.0.0.1", "-p",  std::to_string(port)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    FILE* f = std::fopen(log.c_str(), "w");
    if (f) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  return pid;
}

struct Node {
  std::unique_ptr<http::App> app;
  std::unique_ptr<ex::Federation> federation;
};

Node Open(const std::string& db, const ex::NodeSecretKeys& keys, const std::string& lookup) {
  http::AppOptions o;
  o.db_path = db;
  auto app = http::OpenApp(o);
  if (!app.ok()) {
    fmt::print(stderr, "{}\n", app.status().ToString());
    std::exit(1);
  }
  Node n;
  n.app = std::move(*app);
  n.federation =
      std::make_unique<ex::Federation>(*n.app->db, *n.app->audit, *n.app->clock, *n.app->registry,
                                       *n.app->immunization, ex::FederationIdentity{keys, lookup});
  return n;
}

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles Of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
  };
  return {at(0.50), at(0.99), v.back()};
}

template <class T>
T Must(Result<T> r) {
  if (!r.ok()) {
    fmt::print(stderr, "{}\n", r.status().ToString());
    std::exit(1);
  }
  return std::move(*r);
}

void Must(const Status& st) {
  if (!st.ok()) {
    fmt::print(stderr, "{}\n", st.ToString());
    std::exit(1);
  }
}

// Takes transfers in at `node` until `n` more are ingested.
void ReceiveAll(Node& node, ex::NatsLink& link, int n) {
  int got = 0;
  while (got < n) {
    auto r = Must(node.federation->ReceiveOnce(link, 100, 2000));
    got += r.ingested;
    if (r.ingested + r.duplicates + r.refused + r.left == 0) {
      fmt::print(stderr, "no transfer came ({} of {})\n", got, n);
      std::exit(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"federation transfer benchmark"};
  int persons = 6000, transfers = 1000, latency = 200, port = 24222;
  std::string dir = "/tmp/jundeng-federation-bench";
  cli.add_option("--persons", persons, "size of the demo city A");
  cli.add_option("--transfers", transfers, "persons moved in the sustained run (each kind)");
  cli.add_option("--latency", latency, "persons moved one at a time (each kind)");
  cli.add_option("--dir", dir, "working directory (made anew)");
  cli.add_option("--port", port, "NATS port on 127.0.0.1");
  CLI11_PARSE(cli, argc, argv);

  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string a_db = dir + "/a.db", b_db = dir + "/b.db";
  auto t = Steady::now();
  Run(fmt::format("{} demo --db {} --persons {} --seed 3 > /dev/null 2>&1", JD_BINARY, a_db,
                  persons));
  Run(fmt::format("{} init --db {} --city 440300 > /dev/null 2>&1", JD_BINARY, b_db));
  fmt::print("demo city A of {} persons and empty city B: {:.1f} s\n", persons, Seconds(t));
  const pid_t nats = StartNats(dir, port);

  const std::string lookup = ex::NewLookupKey();
  const ex::NodeSecretKeys a_keys = ex::NewNodeKeys("450100"), b_keys = ex::NewNodeKeys("440300");
  Node a = Open(a_db, a_keys, lookup), b = Open(b_db, b_keys, lookup);
  const auth::Principal system = auth::AuthService::SystemPrincipal("bench");
  Must(a.federation->Join(system, b_keys.pub));
  Must(b.federation->Join(system, a_keys.pub));
  const std::string url = fmt::format("nats://127.0.0.1:{}", port);
  std::unique_ptr<ex::NatsLink> a_link, b_link;
  for (int i = 0; i < 50 && !a_link; ++i) {
    auto l = ex::NatsLink::Connect({.urls = url});
    if (l.ok() && (*l)->EnsureStreams().ok())
      a_link = std::move(*l);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!a_link) return fmt::print(stderr, "NATS did not start\n"), 1;
  b_link = Must(ex::NatsLink::Connect({.urls = url}));
  Must(b_link->EnsureStreams());

  // Children (with doses) and adults (none), active, each used once.
  auto pick = [&](bool children) {
    std::vector<std::string> out;
    Must(a.app->db->Read([&](soci::session& s) {
      soci::rowset<std::string> rows =
          (s.prepare << std::string("SELECT p.id FROM persons p WHERE p.status = 'active' AND ") +
                            (children ? "" : "NOT ") +
                            "EXISTS (SELECT 1 FROM vaccination_records r WHERE r.person_id = "
                            "p.id AND r.status = 'active') ORDER BY p.id");
      for (const auto& id : rows) out.push_back(id);
      return Status::Ok();
    }));
    return out;
  };
  std::vector<std::string> kids = pick(true), adults = pick(false);
  fmt::print("A holds {} active children with doses and {} adults without\n", kids.size(),
             adults.size());

  std::vector<std::size_t> sizes;
  std::size_t kid_messages = 0;
  for (bool children : {true, false}) {
    std::vector<std::string>& pool = children ? kids : adults;
    const char* kind = children ? "children (with doses)" : "adults (no doses)";
    const int n_latency = std::min<int>(latency, static_cast<int>(pool.size()) / 3);
    const int n_sustained = std::min<int>(transfers, static_cast<int>(pool.size()) - n_latency);
    std::vector<double> ms;
    for (int i = 0; i < n_latency; ++i) {
      const auto started = Steady::now();
      Must(a.federation->SendPerson(system, pool.back(), "440300", "440303"));
      pool.pop_back();
      Must(a.federation->PublishQueued(*a_link));
      ReceiveAll(b, *b_link, 1);
      ms.push_back(Seconds(started) * 1000);
    }
    const Percentiles p = Of(ms);
    fmt::print(
        "{}: latency of {} transfers one at a time, ms: p50 {:.1f}  p99 {:.1f}  max {:.1f}\n", kind,
        n_latency, p.p50, p.p99, p.max);

    t = Steady::now();
    for (int i = 0; i < n_sustained; ++i) {
      Must(a.federation->SendPerson(system, pool.back(), "440300", "440304"));
      pool.pop_back();
    }
    const double queue_s = Seconds(t);
    t = Steady::now();
    const int published = Must(a.federation->PublishQueued(*a_link));
    const double publish_s = Seconds(t);
    t = Steady::now();
    ReceiveAll(b, *b_link, published);
    const double receive_s = Seconds(t);
    fmt::print(
        "{}: {} transfers; sender: queue {:.2f} s + publish {:.2f} s = {:.0f}/min; "
        "receiver: {:.2f} s = {:.0f}/min\n",
        kind, published, queue_s, publish_s, published / (queue_s + publish_s) * 60, receive_s,
        published / receive_s * 60);
    sizes.push_back(static_cast<std::size_t>(published));
    if (children) kid_messages = static_cast<std::size_t>(n_latency + published);
  }
  // The sizes on the wire, read by a tap consumer in the order sent: children first.
  std::vector<std::size_t> bytes_of[2];
  for (;;) {
    auto batch = Must(a_link->FetchTransfers("440300", 200, 1000, "bench-tap"));
    if (batch.empty()) break;
    for (auto& d : batch) {
      const std::size_t k = bytes_of[0].size() < kid_messages ? 0 : 1;
      bytes_of[k].push_back(d.data().size());
      Must(d.Ack());
    }
  }
  std::size_t mean[2] = {1, 1};
  for (int k = 0; k < 2; ++k) {
    std::size_t sum = 0;
    for (auto b : bytes_of[k]) sum += b;
    if (!bytes_of[k].empty()) mean[k] = sum / bytes_of[k].size();
    fmt::print("{}: mean envelope {} bytes\n", k == 0 ? "children" : "adults", mean[k]);
  }

  // The engine alone: as many opaque messages, sizes of a sealed child's and an adult's bundle.
  for (int k = 0; k < 2; ++k) {
    const std::size_t bytes = mean[k];
    const int n = static_cast<int>(sizes[static_cast<std::size_t>(k)]);
    const std::string payload(bytes, 'x');
    t = Steady::now();
    for (int i = 0; i < n; ++i) {
      Must(a_link->PublishTransfer("999999", payload, fmt::format("raw-{}-{}", bytes, i)));
    }
    const double pub_s = Seconds(t);
    t = Steady::now();
    int got = 0;
    while (got < n) {
      auto batch = Must(a_link->FetchTransfers("999999", 100, 2000));
      if (batch.empty()) break;
      for (auto& d : batch) {
        Must(d.Ack());
        ++got;
      }
    }
    const double fetch_s = Seconds(t);
    fmt::print(
        "baseline, NATS alone, {} messages of {} bytes: publish {:.2f} s = {:.0f}/min; "
        "fetch + ack {:.2f} s = {:.0f}/min\n",
        got, bytes, pub_s, n / pub_s * 60, fetch_s, got / fetch_s * 60);
  }
  a_link.reset();
  b_link.reset();
  kill(nats, SIGTERM);
  waitpid(nats, nullptr, 0);
  return 0;
}
