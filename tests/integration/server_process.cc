#include "integration/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "registry/id_number.h"

extern char** environ;

namespace jd::integration {

namespace {

std::atomic<int> scratch_counter{0};

int StatusToExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Starts JD_BINARY with `args`; stdin from `in_path`, stdout and stderr to the given files
// (appended when `append`). The child dies with this process (PR_SET_PDEATHSIG), so a test that
// crashes or times out leaves no server behind. Returns the pid, or -1.
pid_t Spawn(const std::vector<std::string>& args, const std::string& in_path,
            const std::string& out_path, const std::string& err_path, bool append) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> argv_store;
  argv_store.push_back(JD_BINARY);
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int out_flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid != 0) return pid;
  // Child.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  int in = open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  int out = open(out_path.c_str(), out_flags, 0600);
  int err = err_path == out_path ? out : open(err_path.c_str(), out_flags, 0600);
  if (in < 0 || out < 0 || err < 0) _exit(127);
  if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) {
    _exit(127);
  }
  close_range(3, ~0U, 0);  // no descriptor of the test (sockets, databases) leaks into the child
  // Default signal handling and an empty mask, whatever this process uses.
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(JD_BINARY, argv.data(), environ);
  _exit(127);
}

// Waits for `pid` up to `timeout`; returns the exit code, or nullopt if it is still running.
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return StatusToExitCode(status);
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/jundeng-test-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << templ;
  }
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

CommandResult RunJundeng(const std::vector<std::string>& args, const std::string& input,
                         const std::string& scratch_dir) {
  std::string stem =
      scratch_dir + "/cmd-" + std::to_string(getpid()) + "-" + std::to_string(++scratch_counter);
  std::string in = stem + ".in", out = stem + ".out", err = stem + ".err";
  WriteFileBytes(in, input);
  CommandResult r;
  pid_t pid = Spawn(args, in, out, err, /*append=*/false);
  if (pid < 0) {
    ADD_FAILURE() << "cannot start " << JD_BINARY;
    return r;
  }
  // Generous: a sanitizer build is several times slower.
  auto code = WaitFor(pid, std::chrono::seconds(120));
  if (!code) {
    kill(pid, SIGKILL);
    code = WaitFor(pid, std::chrono::seconds(10));
    ADD_FAILURE() << "jundeng did not finish in time";
  }
  r.exit_code = code.value_or(-1);
  r.out = ReadFileBytes(out);
  r.err = ReadFileBytes(err);
  std::error_code ec;
  for (const auto& f : {in, out, err}) std::filesystem::remove(f, ec);
  return r;
}

ServerProcess::ServerProcess(std::string dir)
    : dir_(std::move(dir)), db_path_(dir_ + "/jundeng.db") {
  std::filesystem::create_directories(dir_);
}

ServerProcess::~ServerProcess() {
  if (running()) Kill();
}

CommandResult ServerProcess::Run(std::vector<std::string> args, const std::string& input) {
  // `--db` goes after the (sub)command words, which come first in `args`.
  std::size_t words = 0;
  while (words < args.size() && !args[words].starts_with("-")) ++words;
  args.insert(args.begin() + static_cast<std::ptrdiff_t>(words), {"--db", db_path_});
  return RunJundeng(args, input, dir_);
}

CommandResult ServerProcess::Init(const std::string& city) {
  CommandResult r = Run({"init", "--city", city});
  EXPECT_EQ(r.exit_code, 0) << "jundeng init: " << r.err;
  return r;
}

CommandResult ServerProcess::Demo(int persons, int seed) {
  CommandResult r =
      Run({"demo", "--persons", std::to_string(persons), "--seed", std::to_string(seed)});
  EXPECT_EQ(r.exit_code, 0) << "jundeng demo: " << r.err;
  return r;
}

CommandResult ServerProcess::AddUser(const std::string& username, const std::string& role,
                                     const std::string& org, const std::string& password) {
  CommandResult r =
      Run({"user", "add", "--username", username, "--role", role, "--org", org, "--password-stdin"},
          password + "\n");
  EXPECT_EQ(r.exit_code, 0) << "jundeng user add " << username << ": " << r.err;
  return r;
}

bool ServerProcess::Start(std::chrono::seconds timeout) {
  if (running()) return true;
  std::string port_file = dir_ + "/port";
  std::error_code ec;
  std::filesystem::remove(port_file, ec);
  port_ = 0;
  std::vector<std::string> args = {"serve",
                                   "--db",
                                   db_path_,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--port-file",
                                   port_file,
                                   "--static",
                                   dir_ + "/no-web-app",
                                   "--threads",
                                   "4"};
  if (!tls_cert_.empty()) {
    args.insert(args.end(), {"--tls-cert", tls_cert_, "--tls-key", tls_key_});
  }
  args.insert(args.end(), serve_args_.begin(), serve_args_.end());
  pid_ = Spawn(args, "/dev/null", log_path(), log_path(), /*append=*/true);
  if (pid_ < 0) return false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // The port file is written after the socket listens; it may be seen before it is complete.
  while (port_ == 0) {
    if (auto code = WaitFor(pid_, std::chrono::milliseconds(0))) {
      ADD_FAILURE() << "jundeng serve exited with " << *code << ":\n" << ReadFileBytes(log_path());
      pid_ = -1;
      return false;
    }
    std::string text = ReadFileBytes(port_file);
    if (!text.empty() && text.back() == '\n') port_ = std::atoi(text.c_str());
    if (port_ == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        Kill();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  auto cli = Client();
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = cli->Get("/healthz");
    if (res && res->status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return false;
}

int ServerProcess::Stop() {
  if (!running()) return -1;
  kill(pid_, SIGTERM);
  auto code = WaitFor(pid_, std::chrono::seconds(60));
  if (!code) {
    ADD_FAILURE() << "jundeng serve ignored SIGTERM";
    kill(pid_, SIGKILL);
    code = WaitFor(pid_, std::chrono::seconds(10));
  }
  pid_ = -1;
  return code.value_or(-1);
}

void ServerProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  WaitFor(pid_, std::chrono::seconds(30));
  pid_ = -1;
}

std::unique_ptr<httplib::Client> ServerProcess::Client() const {
  std::unique_ptr<httplib::Client> cli;
  if (tls_cert_.empty()) {
    cli = std::make_unique<httplib::Client>("127.0.0.1", port_);
  } else {
    // The tests' own self-signed certificate.
    cli = std::make_unique<httplib::Client>("https://127.0.0.1:" + std::to_string(port_));
    cli->enable_server_certificate_verification(false);
  }
  cli->set_connection_timeout(5, 0);
  cli->set_read_timeout(60, 0);
  cli->set_write_timeout(60, 0);
  return cli;
}

std::string MakeResidentId(const std::string& region6, const std::string& birth_yyyymmdd,
                           int seq3) {
  char seq[8];
  std::snprintf(seq, sizeof seq, "%03d", seq3 % 1000);
  std::string first17 = region6 + birth_yyyymmdd + seq;
  return first17 + registry::IdCheckCharacter(first17);
}

std::vector<OrgUnitRow> ReadOrgUnits(const std::string& db_path) {
  std::vector<OrgUnitRow> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT code, level, COALESCE(parent_code, '') FROM org_units ORDER BY path",
                     -1, &st, nullptr);
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (st && sqlite3_step(st) == SQLITE_ROW) out.push_back({text(0), text(1), text(2)});
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::vector<std::vector<std::string>> QueryRows(const std::string& db_path, const std::string& sql,
                                                const std::vector<std::string>& params) {
  std::vector<std::vector<std::string>> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return out;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "bad query: " << sql << ": " << sqlite3_errmsg(db);
  }
  for (std::size_t i = 0; st && i < params.size(); ++i) {
    sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const unsigned char* t = sqlite3_column_text(st, c);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace jd::integration
