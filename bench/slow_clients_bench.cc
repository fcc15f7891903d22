// Slow and idle clients against the real server (issue: one authorization boundary, part 5).
//
// Each configuration: `jundeng serve` on an empty city, 50 slowloris clients (the request line,
// then one header line a second, never the end of the head) and 500 idle connections (opened
// again whenever the server drops one after its read timeout) held open, then, a second later,
// sequential GET /healthz on one keep-alive client (1000; 20 against the baseline, which answers
// none); latency p50, p99 and max, and requests that got no
// answer within 2 s (counted at 2 s).
//   baseline  --threads 8 --max-threads 8: a pool capped at 8 threads, what the fixed
//             httplib::ThreadPool(8) of earlier versions did;
//   jundeng   the defaults: the pool grows a thread per waiting connection (up to 1024).
// Both with the lifted listen backlog, so the difference is the pool alone.
//
// Usage: slow_clients_bench [--requests K] [--idle N] [--slow M]
#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "served_node.h"

namespace {

using Clock = std::chrono::steady_clock;

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool Open(int fd) {
  char c;
  ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

struct Result {
  double p50 = 0, p99 = 0, max = 0;
  int unanswered = 0;
};

Result Measure(const std::string& bin, const std::string& db, const std::string& dir,
               std::vector<std::string> extra, int requests, int idle_n, int slow_n) {
  jd::bench::ServedNode node = jd::bench::StartServe(bin, db, dir, extra);
  const int port = node.port;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  std::vector<int> slow;
  for (int i = 0; i < slow_n; ++i) {
    int fd = Connect(port);
    std::string head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (fd >= 0) ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (int line = 0; !stop; ++line) {
      std::string h = fmt::format("X-Slow-{}: 1\r\n", line);
      for (int fd : slow) {
        if (fd >= 0) ::send(fd, h.data(), h.size(), MSG_NOSIGNAL);
      }
      for (int i = 0; i < 10 && !stop; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::vector<int> idle(static_cast<std::size_t>(idle_n), -1);
  auto hold = [&] {
    for (int& fd : idle) {
      if (fd >= 0 && Open(fd)) continue;
      if (fd >= 0) ::close(fd);
      fd = Connect(port);
    }
  };
  hold();
  std::thread holder([&] {
    while (!stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      hold();
    }
  });

  // Measured once all of them are open (the server has given each its thread).
  std::this_thread::sleep_for(std::chrono::seconds(1));
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(2, 0);
  cli.set_read_timeout(2, 0);
  std::vector<double> ms;
  Result r;
  for (int i = 0; i < requests; ++i) {
    auto started = Clock::now();
    auto res = cli.Get("/healthz");
    double took = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    if (!res || res->status != 200) ++r.unanswered;
    ms.push_back(took);
  }
  stop = true;
  holder.join();
  trickle.join();
  for (int fd : idle) {
    if (fd >= 0) ::close(fd);
  }
  for (int fd : slow) {
    if (fd >= 0) ::close(fd);
  }
  node.Stop();

  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(ms.size()) + 0.999999);
    return ms[std::min(ms.size() - 1, i == 0 ? 0 : i - 1)];
  };
  r.p50 = at(0.50);
  r.p99 = at(0.99);
  r.max = ms.back();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int requests = 1000, baseline_requests = 20, idle_n = 500, slow_n = 50;
  CLI::App app("slow and idle clients against jundeng serve");
  app.add_option("--requests", requests, "GET /healthz against jundeng");
  app.add_option("--baseline-requests", baseline_requests,
                 "GET /healthz against the baseline (each may wait 2 s)");
  app.add_option("--idle", idle_n, "idle connections held open");
  app.add_option("--slow", slow_n, "slowloris connections held open");
  CLI11_PARSE(app, argc, argv);

  char tmpl[] = "/tmp/jd_slow_bench_XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl, db = dir + "/city.db", bin = JD_BINARY;
  if (std::system((bin + " init --db " + db + " > /dev/null").c_str()) != 0) return 1;

  std::cout << fmt::format(
      "{} idle + {} slowloris connections held open; GET /healthz: {} against the baseline, {} "
      "against jundeng\n",
      idle_n, slow_n, baseline_requests, requests);
  std::cout << "| server | p50 ms | p99 ms | max ms | no answer in 2 s |\n|---|---|---|---|---|\n";
  struct Config {
    const char* name;
    std::vector<std::string> args;
    int requests;
  };
  for (const Config& c : {Config{"baseline: pool capped at 8 (the old fixed pool)",
                                 {"--threads", "8", "--max-threads", "8"},
                                 baseline_requests},
                          Config{"jundeng: growing pool (defaults)", {}, requests}}) {
    Result r = Measure(bin, db, dir, c.args, c.requests, idle_n, slow_n);
    std::cout << fmt::format("| {} | {:.1f} | {:.1f} | {:.1f} | {} |\n", c.name, r.p50, r.p99,
                             r.max, r.unanswered);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
