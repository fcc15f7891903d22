// File: integration/server_process.h
// Helpers for the integration tests: the real `jundeng` binary (path JD_BINARY, a compile
// definition) run as a child process in a private temporary directory.
//
// TempDir: a fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
// RunJundeng(args, input, scratch_dir): runs `jundeng args...` to completion with `input` on its
//   standard input; stdout and stderr are captured through files in `scratch_dir`. exit_code is
//   the exit status, or 128 + signal when the process was killed.
// ServerProcess(dir): one city node whose database is dir/jundeng.db.
//   Init(city) runs `jundeng init`; Demo(persons, seed) runs `jundeng demo`; AddUser runs
//   `jundeng user add ... --password-stdin` (the database must exist). Each returns the command's
//   result; a non-zero exit is also reported as a test failure.
//   Start() starts `jundeng serve --listen 127.0.0.1:0 --port-file ...` (stdout and stderr appended
//   to dir/serve.log; the child dies with the test process), waits until the port file names the
//   port and /healthz answers, and returns whether it did within the time limit. Stop() sends
//   SIGTERM and returns the exit status; Kill() sends SIGKILL and waits. Start() may be called
//   again after either. The destructor kills a server still running.
//   Run(args, input) runs any other command with `--db` added after the command words.
//   Client() is an httplib client for the running server.
// MakeResidentId(region6, birth_yyyymmdd, seq3): a valid 18-character GB 11643-1999 number built
//   with jd::registry::IdCheckCharacter; an odd seq is a man, an even one a woman.
// ReadOrgUnits(db_path): every org unit (code, level, parent_code) of a database, read with sqlite.
#pragma once

#include <httplib.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace jd::integration {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult RunJundeng(const std::vector<std::string>& args, const std::string& input,
                         const std::string& scratch_dir);

// Whole file contents ("" when it cannot be read) and writing a file.
std::string ReadFileBytes(const std::string& path);
void WriteFileBytes(const std::string& path, const std::string& bytes);

class ServerProcess {
 public:
  explicit ServerProcess(std::string dir);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& dir() const { return dir_; }
  const std::string& db_path() const { return db_path_; }
  std::string log_path() const { return dir_ + "/serve.log"; }

  CommandResult Init(const std::string& city = "450100");
  CommandResult Demo(int persons, int seed);
  CommandResult AddUser(const std::string& username, const std::string& role,
                        const std::string& org, const std::string& password);
  // Any other command against this database (`--db` is added).
  CommandResult Run(std::vector<std::string> args, const std::string& input = "");

  // Serve HTTPS with these PEM files from the next Start() on; Client() then speaks HTTPS.
  void UseTls(std::string cert, std::string key) {
    tls_cert_ = std::move(cert);
    tls_key_ = std::move(key);
  }
  // More `serve` options for the next Start() (e.g. {"--header-timeout", "2"}).
  void AddServeArgs(std::vector<std::string> args) {
    serve_args_.insert(serve_args_.end(), args.begin(), args.end());
  }
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(60));
  int Stop();
  void Kill();
  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  std::unique_ptr<httplib::Client> Client() const;

 private:
  std::string dir_;
  std::string db_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string tls_cert_, tls_key_;
  std::vector<std::string> serve_args_;
};

std::string MakeResidentId(const std::string& region6, const std::string& birth_yyyymmdd, int seq3);

struct OrgUnitRow {
  std::string code;
  std::string level;
  std::string parent_code;
};
std::vector<OrgUnitRow> ReadOrgUnits(const std::string& db_path);
// The rows of a read-only query on the database file, every column as text ("" for NULL), with
// `params` bound to ?1, ?2, … in order.
std::vector<std::vector<std::string>> QueryRows(const std::string& db_path, const std::string& sql,
                                                const std::vector<std::string>& params = {});

}  // namespace jd::integration
