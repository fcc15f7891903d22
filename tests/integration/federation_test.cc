// The federation of city nodes over a real NATS JetStream cluster (Debian's nats-server, three
// servers on loopback, the stream kept in three copies) with three real nodes: Nanning (450100,
// a demo city), Shenzhen (440300) and Xiamen (350200), driven by `jundeng federation …`.
//   - A migrant moves twice, A → B → C: every node ends with the right owner (A and B "moved
//     out", C active), C holds every dose (received from another region), and a look-up from A
//     by the ID number's keyed hash names C.
//   - A duplicate delivery (the same envelope published again under another message id) changes
//     nothing; a receiving node killed with SIGKILL in the middle of a batch, and one NATS server
//     killed with SIGKILL before a batch is sent, lose nothing and double nothing: the senders'
//     ledgers and the receivers' ledgers name the same transfers, once each, and every person
//     arrives once with all their doses.
//   - Nothing personal on the wire: every message of the stream, read by a tap consumer, and every
//     file the servers store holds no ID number, name or phone of a person sent; a node without
//     the receiver's key (C, for A → B) cannot open a bundle; the servers speak only TLS.
#include "exchange/federation.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exchange/federation_crypto.h"
#include "exchange/nats_link.h"
#include "integration/server_process.h"
#include "kpi/catalogue.h"

extern char** environ;

namespace jd::integration {
namespace {

using nlohmann::json;
namespace ex = jd::exchange;
namespace fs = std::filesystem;

// A child process (nats-server, or a jundeng command to kill midway) that dies with the test.
class Child {
 public:
  Child(const std::string& program, const std::vector<std::string>& args, const std::string& log) {
    std::vector<std::string> all = {program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      FILE* f = std::fopen(log.c_str(), "a");
      if (f != nullptr) {
        dup2(fileno(f), 1);
        dup2(fileno(f), 2);
      }
      execve(program.c_str(), argv.data(), environ);
      _exit(127);
    }
  }
  ~Child() { Kill(); }
  void Kill() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  // Waits for the child to end; its exit status (128 + signal when killed).
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
};

constexpr int kServers = 3;

// Debian's nats-server (scripts/install-deps.sh installs it into /usr/sbin).
std::string NatsServer() {
  for (const char* p : {"/usr/sbin/nats-server", "/usr/bin/nats-server"}) {
    if (fs::exists(p)) return p;
  }
  return "nats-server";
}
// A transfer taken and not acknowledged comes again after this long (the receiver's kill).
constexpr const char* kAckWaitMs = "2000";

class FederationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    // Ports from the process id, so that two runs side by side do not meet.
    const int base = 20000 + (getpid() % 2000) * 10;
    for (int i = 0; i < kServers; ++i) {
      client_port_[i] = base + i;
      route_port_[i] = base + 5 + i;
    }
    // TLS for the nodes' connections and between the servers: one certificate for 127.0.0.1,
    // which the nodes and the servers trust as their CA.
    cert_ = tmp_->File("nats-cert.pem");
    const std::string key = tmp_->File("nats-key.pem");
    const std::string openssl =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
        "subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert_ + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(openssl.c_str()), 0) << "openssl could not make a test certificate";
    for (int i = 0; i < kServers; ++i) StartNats(i);
    urls_.clear();
    for (int i = 0; i < kServers; ++i) {
      urls_ += (i ? "," : "") + std::string("nats://127.0.0.1:") + std::to_string(client_port_[i]);
    }
    a_ = new ServerProcess(tmp_->File("a"));
    b_ = new ServerProcess(tmp_->File("b"));
    c_ = new ServerProcess(tmp_->File("c"));
    fs::create_directories(a_->dir());
    fs::create_directories(b_->dir());
    fs::create_directories(c_->dir());
    a_->Demo(/*persons=*/700, /*seed=*/17);
    b_->Init("440300");
    c_->Init("350200");
    const std::string lookup = tmp_->File("lookup-key");
    for (auto [node, id] :
         {std::pair{a_, "450100"}, std::pair{b_, "440300"}, std::pair{c_, "350200"}}) {
      CommandResult r = node->Run({"federation", "init", "--node-id", id, "--lookup-key", lookup,
                                   "--public-out", node->dir() + "/public.json"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    for (ServerProcess* x : {a_, b_, c_}) {
      for (ServerProcess* y : {a_, b_, c_}) {
        if (x == y) continue;
        CommandResult r = x->Run({"federation", "join", "--peer", y->dir() + "/public.json"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
      }
    }
    // The cluster elects its JetStream leader in a few seconds: the first node to reach it makes
    // the stream (three copies) and the index.
    bool ready = false;
    for (int i = 0; i < 60 && !ready; ++i) {
      ready = Receive(a_).exit_code == 0;
      if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    ASSERT_TRUE(ready) << Receive(a_).err << ReadFileBytes(tmp_->File("nats-0.log"));
  }

  static void TearDownTestSuite() {
    for (auto& s : nats_) s.reset();
    delete a_;
    delete b_;
    delete c_;
    delete tmp_;
  }

  static void StartNats(int i) {
    const std::string conf = tmp_->File("nats-" + std::to_string(i) + ".conf");
    std::string routes;
    for (int j = 0; j < kServers; ++j) {
      if (j != i) routes += "nats-route://127.0.0.1:" + std::to_string(route_port_[j]) + "\n";
    }
    const std::string tls = "tls {\n  cert_file: \"" + cert_ + "\"\n  key_file: \"" +
                            tmp_->File("nats-key.pem") + "\"\n  ca_file: \"" + cert_ + "\"\n}\n";
    WriteFileBytes(conf, "server_name: jd" + std::to_string(i) +
                             "\nlisten: 127.0.0.1:" + std::to_string(client_port_[i]) + "\n" + tls +
                             "jetstream {\n  store_dir: \"" +
                             tmp_->File("js-" + std::to_string(i)) +
                             "\"\n}\ncluster {\n  name: jundeng\n  listen: 127.0.0.1:" +
                             std::to_string(route_port_[i]) + "\n" + tls + "  routes: [\n" +
                             routes + "  ]\n}\n");
    nats_[i] = std::make_unique<Child>(NatsServer(), std::vector<std::string>{"-c", conf},
                                       tmp_->File("nats-" + std::to_string(i) + ".log"));
  }

  static CommandResult Receive(ServerProcess* node) {
    return node->Run({"federation", "receive", "--nats", urls_, "--nats-ca", cert_, "--replicas",
                      "3", "--until-idle", "--wait-ms", "1500", "--ack-wait-ms", kAckWaitMs});
  }

  static CommandResult Send(ServerProcess* from, const std::string& person, const std::string& to,
                            const std::string& division) {
    return from->Run({"federation", "send", "--person", person, "--to", to, "--to-division",
                      division, "--nats", urls_, "--nats-ca", cert_, "--replicas", "3"});
  }

  // Active persons of node A with a resident ID and doses, not yet sent.
  static std::vector<std::string> ChildrenOfA(int n) {
    auto rows = QueryRows(a_->db_path(),
                          "SELECT p.id FROM persons p WHERE p.status = 'active' AND p.id_type = "
                          "'resident_id' AND EXISTS (SELECT 1 FROM vaccination_records r WHERE "
                          "r.person_id = p.id AND r.status = 'active') ORDER BY p.id LIMIT ?1",
                          {std::to_string(n)});
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r[0]);
    return out;
  }

  static std::string One(const std::string& db, const std::string& sql,
                         const std::vector<std::string>& args) {
    auto rows = QueryRows(db, sql, args);
    return rows.empty() ? "" : rows[0][0];
  }

  static int Count(const std::string& db, const std::string& sql,
                   const std::vector<std::string>& args = {}) {
    return std::stoi(One(db, sql, args));
  }

  // What the person is at `db`: status and active doses, found by ID number.
  static std::pair<std::string, int> Held(const std::string& db, const std::string& id_number) {
    auto rows = QueryRows(db,
                          "SELECT p.status, (SELECT COUNT(*) FROM vaccination_records r WHERE "
                          "r.person_id = p.id AND r.status = 'active') FROM persons p WHERE "
                          "p.id_number = ?1",
                          {id_number});
    if (rows.size() != 1) return {rows.empty() ? "absent" : "doubled", -1};
    return {rows[0][0], std::stoi(rows[0][1])};
  }

  static std::set<std::string> Transfers(const std::string& db, const std::string& direction,
                                         const std::string& state) {
    std::set<std::string> out;
    for (const auto& r : QueryRows(db,
                                   "SELECT id FROM federation_transfers WHERE direction = ?1 AND "
                                   "state = ?2",
                                   {direction, state})) {
      out.insert(r[0]);
    }
    return out;
  }

  // The Authorization header of `user` signed in on the node `client` talks to.
  static httplib::Headers SignedIn(httplib::Client& client, const std::string& user,
                                   const std::string& password) {
    auto r =
        client.Post("/api/v1/auth/login", json{{"username", user}, {"password", password}}.dump(),
                    "application/json");
    EXPECT_TRUE(r && r->status == 200) << user;
    return {{"Authorization", "Bearer " + (r ? json::parse(r->body).value("token", "") : "")}};
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess *a_ = nullptr, *b_ = nullptr, *c_ = nullptr;
  static inline std::unique_ptr<Child> nats_[kServers];
  static inline int client_port_[kServers] = {}, route_port_[kServers] = {};
  static inline std::string urls_, cert_;
};

TEST_F(FederationTest, AMigrantMovesTwiceAndTheRecordFollows) {
  const std::string person = ChildrenOfA(1).at(0);
  const std::string id_number =
      One(a_->db_path(), "SELECT id_number FROM persons WHERE id = ?1", {person});
  const int doses = Held(a_->db_path(), id_number).second;
  ASSERT_GT(doses, 0);

  CommandResult sent = Send(a_, person, "440300", "440303");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  CommandResult got = Receive(b_);
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(json::parse(got.out).value("ingested", 0), 1) << got.out;
  EXPECT_EQ(Held(a_->db_path(), id_number), (std::pair<std::string, int>{"moved_out", doses}));
  EXPECT_EQ(Held(b_->db_path(), id_number), (std::pair<std::string, int>{"active", doses}));
  // Placed in the district named, the doses as received from another region.
  EXPECT_EQ(
      One(b_->db_path(), "SELECT residence_org FROM persons WHERE id_number = ?1", {id_number}),
      "440303");
  EXPECT_EQ(Count(b_->db_path(),
                  "SELECT COUNT(*) FROM vaccination_records WHERE source <> 'other_region'"),
            0);

  const std::string at_b =
      One(b_->db_path(), "SELECT id FROM persons WHERE id_number = ?1", {id_number});
  sent = Send(b_, at_b, "350200", "350203");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  got = Receive(c_);
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(Held(b_->db_path(), id_number).first, "moved_out");
  EXPECT_EQ(Held(c_->db_path(), id_number), (std::pair<std::string, int>{"active", doses}));

  // Both sides audited each transfer, with its legal basis.
  for (const auto& [db, action] :
       {std::pair{a_->db_path(), "federation.send"}, std::pair{b_->db_path(), "federation.receive"},
        std::pair{b_->db_path(), "federation.send"},
        std::pair{c_->db_path(), "federation.receive"}}) {
    EXPECT_EQ(
        Count(db, "SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND detail LIKE '%五(四)%'",
              {action}),
        1)
        << db << " " << action;
  }
  // The look-up by the keyed hash of the ID number names the node that holds the record now.
  CommandResult where = a_->Run(
      {"federation", "lookup", "--id-number", id_number, "--nats", urls_, "--nats-ca", cert_});
  ASSERT_EQ(where.exit_code, 0) << where.err;
  EXPECT_EQ(json::parse(where.out)["node"], "350200");
  where = a_->Run({"federation", "lookup", "--id-number", MakeResidentId("110101", "19900101", 11),
                   "--nats", urls_, "--nats-ca", cert_});
  EXPECT_TRUE(json::parse(where.out)["node"].is_null()) << where.out;
}

TEST_F(FederationTest, DuplicatesKillsAndAServerDownLoseNothingAndDoubleNothing) {
  std::vector<std::string> persons = ChildrenOfA(31);
  ASSERT_EQ(persons.size(), 31u);
  std::map<std::string, int> doses;  // by ID number
  std::set<std::string> names, phones;
  for (const auto& p : persons) {
    auto row = QueryRows(a_->db_path(), "SELECT id_number, name, phone FROM persons WHERE id = ?1",
                         {p})[0];
    doses[row[0]] = Held(a_->db_path(), row[0]).second;
    names.insert(row[1]);
    if (!row[2].empty()) phones.insert(row[2]);
  }
  // Twenty go to B; one of them is delivered twice.
  for (int i = 0; i < 20; ++i) {
    CommandResult r = Send(a_, persons[i], "440300", "440304");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto link =
      ex::NatsLink::Connect({.urls = urls_, .ca_file = cert_, .replicas = 3, .ack_wait_ms = 2000});
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  ASSERT_TRUE((*link)->EnsureStreams().ok());
  // A tap reads what went over the wire without taking it from B.
  std::vector<std::string> wire;
  for (;;) {
    auto got = (*link)->FetchTransfers("440300", 50, 1500, "tap-440300");
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (got->empty()) break;
    for (auto& d : *got) {
      wire.emplace_back(d.data());
      ASSERT_TRUE(d.Ack().ok());
    }
  }
  ASSERT_GE(wire.size(), 20u);
  ASSERT_TRUE(
      (*link)->PublishTransfer("440300", wire.back(), "replayed-" + std::to_string(getpid())).ok());

  // B is killed with SIGKILL while it takes the batch in (one at a time), again and again a
  // little later each time, then takes up the rest.
  const std::size_t start = Transfers(b_->db_path(), "in", "ingested").size();
  const std::size_t expected = start + 20;
  int kills = 0, midway = 0;
  for (int delay_ms = 250; delay_ms < 3000; delay_ms += 150) {
    if (Transfers(b_->db_path(), "in", "ingested").size() >= expected) break;
    Child receiver(
        JD_BINARY,
        {"federation", "receive", "--db", b_->db_path(), "--nats", urls_, "--nats-ca", cert_,
         "--batch", "1", "--wait-ms", "1500", "--until-idle", "--ack-wait-ms", kAckWaitMs},
        tmp_->File("killed-receive.log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    receiver.Kill();
    ++kills;
    const std::size_t now = Transfers(b_->db_path(), "in", "ingested").size();
    if (now > start && now < expected) ++midway;
  }
  // What a killed receiver took without acknowledging comes again after the ack wait.
  for (int i = 0; i < 10 && Transfers(b_->db_path(), "in", "ingested").size() < expected; ++i) {
    CommandResult rest = Receive(b_);
    ASSERT_EQ(rest.exit_code, 0) << rest.err;
  }
  std::printf("B: killed %d times, %d of them midway; %zu of %zu transfers in\n", kills, midway,
              Transfers(b_->db_path(), "in", "ingested").size() - start, expected - start);
  EXPECT_GT(midway, 0) << "no kill came in the middle of the batch";
  if (getenv("JD_FEDERATION_DEBUG") != nullptr) {
    for (const auto& r :
         QueryRows(b_->db_path(), "SELECT id, state, detail FROM federation_transfers", {}))
      std::printf("B ledger %s %s %s\n", r[0].c_str(), r[1].c_str(), r[2].c_str());
    for (const auto& r :
         QueryRows(a_->db_path(), "SELECT id, state, peer FROM federation_transfers", {}))
      std::printf("A ledger %s %s %s\n", r[0].c_str(), r[1].c_str(), r[2].c_str());
    std::printf("%s\n", ReadFileBytes(tmp_->File("killed-receive.log")).c_str());
  }

  // One NATS server dies; the other two keep the stream, and eleven go to C.
  nats_[0]->Kill();
  for (int i = 20; i < 31; ++i) {
    CommandResult r = Send(a_, persons[i], "350200", "350205");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CommandResult at_c = Receive(c_);
  ASSERT_EQ(at_c.exit_code, 0) << at_c.err;

  // Against the ledgers: what A sent is what B and C took in, once each; nothing queued.
  EXPECT_TRUE(
      QueryRows(a_->db_path(), "SELECT id FROM federation_transfers WHERE state = 'queued'", {})
          .empty());
  std::set<std::string> out = Transfers(a_->db_path(), "out", "sent");
  std::set<std::string> in = Transfers(b_->db_path(), "in", "ingested");
  for (const auto& t : Transfers(c_->db_path(), "in", "ingested")) in.insert(t);
  for (const auto& t : out) EXPECT_TRUE(in.contains(t)) << "transfer " << t << " lost";
  EXPECT_EQ(
      Count(b_->db_path(), "SELECT COUNT(*) FROM federation_transfers WHERE state = 'refused'"), 0);
  for (const auto& [id_number, n] : doses) {
    auto at_b = Held(b_->db_path(), id_number);
    auto at_c_held = Held(c_->db_path(), id_number);
    const auto& held = at_b.first == "absent" ? at_c_held : at_b;
    EXPECT_EQ(held, (std::pair<std::string, int>{"active", n})) << id_number;
    EXPECT_EQ(Held(a_->db_path(), id_number).first, "moved_out") << id_number;
  }

  // Nothing personal went over the wire or into the servers' stores.
  auto contains_any = [&](const std::string& text) -> std::string {
    for (const auto& [id, n] : doses) {
      if (text.find(id) != std::string::npos) return id;
    }
    for (const auto& s : names) {
      if (text.find(s) != std::string::npos) return s;
    }
    for (const auto& s : phones) {
      if (text.find(s) != std::string::npos) return s;
    }
    return "";
  };
  for (const auto& m : wire) EXPECT_EQ(contains_any(m), "") << m.substr(0, 200);
  int files = 0;
  for (int i = 0; i < kServers; ++i) {
    for (const auto& f : fs::recursive_directory_iterator(tmp_->File("js-" + std::to_string(i)))) {
      if (!f.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(contains_any(ReadFileBytes(f.path())), "") << f.path();
    }
  }
  EXPECT_GT(files, 0);

  // The servers speak TLS only: a node that does not check their certificate gets nowhere.
  CommandResult plain =
      a_->Run({"federation", "lookup", "--id-number", doses.begin()->first, "--nats", urls_});
  EXPECT_NE(plain.exit_code, 0) << plain.out;

  // C, which holds no key of B's, cannot open a bundle sealed for B.
  auto c_keys = ex::IdentityFromJson(json::parse(ReadFileBytes(c_->db_path() + ".federation-key")));
  auto a_keys = ex::IdentityFromJson(json::parse(ReadFileBytes(a_->db_path() + ".federation-key")));
  ASSERT_TRUE(c_keys.ok() && a_keys.ok());
  auto sealed = ex::FromBase64(json::parse(wire.front()).value("sealed", ""));
  ASSERT_TRUE(sealed.has_value());
  EXPECT_FALSE(ex::OpenFrom(*sealed, c_keys->keys, a_keys->keys.pub).ok());
}

TEST_F(FederationTest, ACentreMovesAPersonOutThroughTheApi) {
  const std::string person = ChildrenOfA(1).at(0);
  auto row = QueryRows(a_->db_path(),
                       "SELECT id_number, residence_org, substr(residence_path, 8, 6) FROM persons "
                       "WHERE id = ?1",
                       {person})[0];
  const std::string id_number = row[0], street = row[1].substr(0, 9), district = row[2];
  std::string other_street;
  for (const auto& u : ReadOrgUnits(a_->db_path())) {
    if (u.level == "street" && u.code.substr(0, 6) != district) other_street = u.code;
  }
  ASSERT_FALSE(other_street.empty());
  constexpr const char* kPassword = "Federation-Api-Passw0rd!";
  a_->AddUser("fed_center", "center", street, kPassword);
  a_->AddUser("fed_other", "center", other_street, kPassword);
  ASSERT_TRUE(a_->Start()) << ReadFileBytes(a_->log_path());
  auto client = a_->Client();
  const httplib::Headers mine = SignedIn(*client, "fed_center", kPassword);
  const httplib::Headers other = SignedIn(*client, "fed_other", kPassword);
  auto info = client->Get("/api/v1/federation", mine);
  ASSERT_EQ(info->status, 200) << info->body;
  EXPECT_EQ(json::parse(info->body)["node_id"], "450100");
  EXPECT_EQ(json::parse(info->body)["peers"].size(), 2u);
  const std::string path = "/api/v1/persons/" + person + "/transfers";
  const json body = {{"to_node", "440300"}, {"to_division", "440305"}};
  // Another street's centre: not found, audited as denied; nothing queued.
  auto refused = client->Post(path, other, body.dump(), "application/json");
  EXPECT_EQ(refused->status, 404) << refused->body;
  auto bad = client->Post(path, mine, json{{"to_node", 440300}, {"to_division", "44"}}.dump(),
                          "application/json");
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(bad->body.find("to_division"), std::string::npos);
  auto unknown =
      client->Post(path, mine, json{{"to_node", "110100"}, {"to_division", "110101"}}.dump(),
                   "application/json");
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  auto moved = client->Post(path, mine, body.dump(), "application/json");
  ASSERT_EQ(moved->status, 202) << moved->body;
  EXPECT_EQ(json::parse(moved->body)["state"], "queued");
  a_->Stop();
  // The node publishes what it queued the next time it reaches the message engine.
  CommandResult published = Receive(a_);
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_EQ(json::parse(published.out).value("published", 0), 1) << published.out;
  ASSERT_EQ(Receive(b_).exit_code, 0);
  EXPECT_EQ(Held(b_->db_path(), id_number).first, "active");
  EXPECT_EQ(
      One(b_->db_path(), "SELECT residence_org FROM persons WHERE id_number = ?1", {id_number}),
      "440305");
  EXPECT_EQ(Held(a_->db_path(), id_number).first, "moved_out");
}

// The pilot-wide aggregator (试点工作方案 五(五)): A (Nanning) and B (Shenzhen, a pilot city)
// send their figures of last month to C over the same stream; C takes them in once each (a report
// delivered twice is a duplicate), and its board lists the 40 pilot cities with Shenzhen reported
// and both cities scored and ranked, and no report carries a mental-health, HIV or TB figure. A
// role without aggregate_read (the auditor) is refused.
TEST_F(FederationTest, CitiesReportToTheAggregatorWhoseBoardRanksThem) {
  auto report = [&](ServerProcess* node) {
    return node->Run({"federation", "report", "--to", "350200", "--nats", urls_, "--nats-ca", cert_,
                      "--replicas", "3"});
  };
  CommandResult from_a = report(a_);
  ASSERT_EQ(from_a.exit_code, 0) << from_a.err;
  const json sent = json::parse(from_a.out);
  EXPECT_EQ(sent["city"], "450100");
  EXPECT_GT(sent["values"].get<int>(), 50) << from_a.out;
  ASSERT_EQ(report(b_).exit_code, 0);
  CommandResult took = Receive(c_);
  ASSERT_EQ(took.exit_code, 0) << took.err;
  EXPECT_EQ(json::parse(took.out).value("reports", 0), 2) << took.out;
  EXPECT_EQ(Count(c_->db_path(), "SELECT COUNT(*) FROM aggregate_reports"), 2);
  // The mental-health, HIV and TB figures stay in the city.
  for (const auto& ind : kpi::Catalogue::Default().indicators()) {
    if (!ind.restricted_to || ind.dhis2_uid.empty()) continue;
    EXPECT_EQ(
        Count(c_->db_path(), "SELECT COUNT(*) FROM aggregate_reports WHERE instr(document, ?1) > 0",
              {ind.dhis2_uid}),
        0)
        << ind.code;
  }
  EXPECT_EQ(Count(c_->db_path(),
                  "SELECT COUNT(*) FROM audit_log WHERE action = 'federation.report.receive'"),
            2);

  constexpr const char* kPassword = "Federation-Board-Passw0rd!";
  c_->AddUser("nhc_analyst", "commission", "350200", kPassword);
  c_->AddUser("nhc_auditor", "auditor", "350200", kPassword);
  ASSERT_TRUE(c_->Start()) << ReadFileBytes(c_->log_path());
  auto client = c_->Client();
  const httplib::Headers analyst = SignedIn(*client, "nhc_analyst", kPassword);
  auto board = client->Get("/api/v1/federation/pilot-cities", analyst);
  ASSERT_EQ(board->status, 200) << board->body;
  const json b = json::parse(board->body);
  EXPECT_EQ(b["pilot_count"], 40);
  EXPECT_EQ(b["pilots_reported"], 1);  // Shenzhen; Nanning is not on the list
  ASSERT_EQ(b["cities"].size(), 41u);
  EXPECT_EQ(b["cities"][27]["name"], "深圳");
  EXPECT_TRUE(b["cities"][27]["reported"].get<bool>());
  EXPECT_EQ(b["cities"][40]["code"], "450100");
  EXPECT_EQ(b["evaluation"]["units"].size(), 2u);
  EXPECT_FALSE(b["scheme_note"].get<std::string>().empty());
  EXPECT_EQ(b["periods"].size(), 1u);
  auto bad = client->Get("/api/v1/federation/pilot-cities?period=2026-13", analyst);
  EXPECT_EQ(bad->status, 400) << bad->body;
  auto auditor =
      client->Get("/api/v1/federation/pilot-cities", SignedIn(*client, "nhc_auditor", kPassword));
  EXPECT_EQ(auditor->status, 403) << auditor->body;
  c_->Stop();
}

}  // namespace
}  // namespace jd::integration
