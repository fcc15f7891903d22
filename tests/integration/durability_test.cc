// Crash durability: the server is killed with SIGKILL at a random moment while a client registers
// persons as fast as it can. After every kill, every person the server acknowledged (201) must be
// in the database, the database must pass PRAGMA integrity_check, and the server must start again
// on it. Afterwards the audit chain must still verify.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";
constexpr int kRounds = 20;

// What the database holds after a crash.
struct Inspection {
  std::string integrity;
  std::int64_t persons = 0;
  std::vector<std::string> missing;  // acknowledged ids not found
};

Inspection Inspect(const std::string& db_path, const std::vector<std::string>& acknowledged) {
  Inspection out;
  sqlite3* db = nullptr;
  // Opening read-write lets SQLite recover the write-ahead log the killed server left behind.
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    out.integrity = "cannot open";
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (!out.integrity.empty()) out.integrity += "; ";
    out.integrity += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM persons", -1, &st, nullptr);
  if (sqlite3_step(st) == SQLITE_ROW) out.persons = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  // Each acknowledged person, and the audit row written in the same transaction.
  sqlite3_prepare_v2(db,
                     "SELECT (SELECT COUNT(*) FROM persons WHERE id = ?1) + "
                     "(SELECT COUNT(*) FROM audit_log WHERE person_id = ?1 AND "
                     "action = 'person.create')",
                     -1, &st, nullptr);
  for (const auto& id : acknowledged) {
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    int found = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    if (found != 2) out.missing.push_back(id);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

class DurabilityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Init("450100");
    server_->AddUser("t_commission", "commission", "450100", kPassword);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tmp_;
    server_ = nullptr;
    tmp_ = nullptr;
  }

  // Runs `rounds` start / write / SIGKILL / inspect rounds (fatal failures end them early).
  static void RunRounds(int rounds) {
    std::mt19937 rng(20240601);
    const std::vector<std::string> districts = {"450102", "450103", "450105",
                                                "450107", "450108", "450109"};
    std::string token;
    for (int round = 1; round <= rounds; ++round) {
      ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
      if (token.empty()) {
        // The session is stored in the database, so it outlives the restarts.
        auto cli = server_->Client();
        json login = {{"username", "t_commission"}, {"password", kPassword}};
        auto res = cli->Post("/api/v1/auth/login", login.dump(), "application/json");
        ASSERT_TRUE(res && res->status == 200) << (res ? res->body : "no answer");
        token = json::parse(res->body).value("token", "");
        ASSERT_FALSE(token.empty());
      }

      std::atomic<bool> stop{false};
      std::atomic<int> acked_count{0};
      std::vector<std::string> acked;
      int refused = 0;
      std::thread writer([&] {
        auto cli = server_->Client();
        cli->set_keep_alive(true);
        cli->set_tcp_nodelay(true);
        cli->set_read_timeout(10, 0);
        httplib::Headers auth = {{"Authorization", "Bearer " + token}};
        while (!stop.load()) {
          int n = ++counter_;
          // A distinct number per request: birth date and sequence from the counter.
          char birth[16];
          std::snprintf(birth, sizeof birth, "19%02d%02d%02d", 60 + n / 12000 % 40,
                        1 + n / 1000 % 12, 1 + n % 28);
          json body = {{"name", "压力测试"},
                       {"id_number", MakeResidentId("450803", birth, n % 1000)},
                       {"hukou_division", "450803"},
                       {"residence_org", districts[n % districts.size()]},
                       {"left_hukou_on", "2021-01-01"},
                       {"arrived_on", "2021-01-05"},
                       {"move_reason", "work"}};
          auto res = cli->Post("/api/v1/persons", auth, body.dump(), "application/json");
          if (!res) break;  // the server is gone
          if (res->status == 201) {
            json created = json::parse(res->body, nullptr, false);
            acked.push_back(created.value("id", ""));
            ++acked_count;
          } else {
            ++refused;
          }
        }
      });
      // The kill comes at a random moment once writes are flowing (the first one acknowledged), so
      // that every round interrupts a stream of writes rather than a server still starting.
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (acked_count.load() == 0 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::uniform_int_distribution<int> delay_ms(20, 300);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      server_->Kill();
      stop = true;
      writer.join();

      EXPECT_EQ(refused, 0) << "round " << round << ": requests refused by a live server";
      EXPECT_GT(acked.size(), 0u) << "round " << round << ": nothing was acknowledged";
      all_acked_.insert(all_acked_.end(), acked.begin(), acked.end());
      Inspection seen = Inspect(server_->db_path(), all_acked_);
      ++rounds_done_;
      std::printf("round %2d: %4zu acknowledged this round, %6zu in all, %6lld persons stored\n",
                  round, acked.size(), all_acked_.size(), static_cast<long long>(seen.persons));
      ASSERT_EQ(seen.integrity, "ok") << "round " << round;
      ASSERT_TRUE(seen.missing.empty())
          << "round " << round << ": " << seen.missing.size() << " acknowledged persons lost, e.g. "
          << seen.missing.front();
      ASSERT_GE(seen.persons, static_cast<std::int64_t>(all_acked_.size()));
      if (round == rounds) {
        std::printf("durability: %d rounds, %zu acknowledged, %lld present\n", rounds_done_,
                    all_acked_.size(), static_cast<long long>(seen.persons));
      }
    }
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::atomic<int> counter_{0};
  static inline std::vector<std::string> all_acked_;
  static inline int rounds_done_ = 0;
};

TEST_F(DurabilityTest, AcknowledgedWritesSurviveSigkill) {
  RunRounds(kRounds);
  EXPECT_EQ(rounds_done_, kRounds);
  // Writes must have been acknowledged in every round, or the test proved nothing.
  EXPECT_GE(all_acked_.size(), static_cast<std::size_t>(kRounds));
  // And the node still serves them after the last crash.
  ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
  auto cli = server_->Client();
  json login = {{"username", "t_commission"}, {"password", kPassword}};
  auto res = cli->Post("/api/v1/auth/login", login.dump(), "application/json");
  ASSERT_TRUE(res && res->status == 200);
  std::string token = json::parse(res->body).value("token", "");
  auto got =
      cli->Get("/api/v1/persons/" + all_acked_.back(), {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(server_->Stop(), 0) << ReadFileBytes(server_->log_path());
}

TEST_F(DurabilityTest, AuditChainVerifiesAfterTheKills) {
  if (rounds_done_ == 0) RunRounds(5);  // when run on its own
  ASSERT_FALSE(server_->running());
  CommandResult verify = server_->Run({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  json report = json::parse(verify.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << verify.out;
  EXPECT_TRUE(report.value("ok", false));
  EXPECT_GE(report.value("rows_checked", 0), static_cast<int>(all_acked_.size()));
}

}  // namespace
}  // namespace jd::integration
