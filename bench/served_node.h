// File: bench/served_node.h
// `jundeng serve` started by a benchmark on loopback: a free port (written by the server to a
// port file), the web app off, its log appended to <dir>/serve.log. The benchmark exits with a
// message when the server does not come up within 60 s. Header-only: the benchmarks are separate
// programs.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace jd::bench {

struct ServedNode {
  pid_t pid = -1;
  int port = 0;

  // SIGTERM, then wait for the server to end.
  void Stop() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
  }
};

inline ServedNode StartServe(const std::string& bin, const std::string& db, const std::string& dir,
                             const std::vector<std::string>& extra = {}) {
  const std::string port_file = dir + "/port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args = {bin,        "serve",       "--db",        db,
                                   "--listen", "127.0.0.1:0", "--port-file", port_file,
                                   "--static", dir + "/none"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, (dir + "/serve.log").c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  ServedNode node;
  if (posix_spawn(&node.pid, bin.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
    std::cerr << "cannot start " << bin << "\n";
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&actions);
  for (int i = 0; i < 1200 && node.port == 0; ++i) {
    std::ifstream in(port_file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    if (!text.empty() && text.back() == '\n') node.port = std::atoi(text.c_str());
    if (node.port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (node.port == 0) {
    std::cerr << "serve did not start; see " << dir << "/serve.log\n";
    std::exit(1);
  }
  return node;
}

}  // namespace jd::bench
