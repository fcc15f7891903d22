// File: http/guarded_server.h
// The plain-HTTP transport: cpp-httplib's server with its per-connection loop replaced, so that
// a client cannot hold a connection by sending slowly and one address cannot take every
// connection. cpp-httplib parses requests, routes and writes responses as before; this class
// owns the socket: the keep-alive wait, the reads and the writes.
//
// What it adds (issue: one authorization boundary, part 5):
// - A deadline for the whole request head: `header_timeout` from the request's first byte to the
//   blank line that ends its headers. A slowloris client (a header line every few seconds, each
//   within the read timeout) gets 408 and the connection is closed when it passes.
// - A deadline for the body: `body_timeout` from the end of the head to the last byte of the body.
// - At most `max_per_client` open connections per client address (0: no limit). The next one gets
//   429 problem+json and is closed before anything is read. Addresses in `exempt` are not counted:
//   a TLS front on the same host (nginx) arrives from loopback for every user and sets its own
//   per-client limits.
// - The keep-alive wait blocks in poll() instead of waking every 10 ms, and bytes a client sent
//   ahead (pipelining) are kept for the next request.
// HTTPS (`serve --tls-cert`) keeps cpp-httplib's own loop: these limits are for the plain
// listener, which is what a reverse proxy talks to or what is exposed without one.
//
// The deadlines are per connection and measured on the steady clock. The head ends when
// cpp-httplib calls the pre-routing handler, which this class installs for itself: do not replace
// it with set_pre_routing_handler.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace jd::http {

struct ConnectionLimits {
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds body_timeout{std::chrono::seconds(120)};
  int max_per_client = 256;
  std::vector<std::string> exempt{"127.0.0.1", "::1", "::ffff:127.0.0.1"};
};

// Open connections per client address, counted while a Slot is held.
class ClientConnections {
 public:
  explicit ClientConnections(const ConnectionLimits& limits);

  // Admits one more connection from `address`, or refuses it (Slot::admitted false) when the
  // address already holds max_per_client. Thread-safe.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    ~Slot();
    bool admitted() const { return admitted_; }

   private:
    friend class ClientConnections;
    ClientConnections* owner_ = nullptr;
    std::string address_;
    bool admitted_ = false;
  };
  Slot Admit(const std::string& address);
  int open(const std::string& address) const;

 private:
  void Release(const std::string& address);

  const int max_per_client_;
  const std::vector<std::string> exempt_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int> open_;
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);

  // Counters for /metrics.
  std::uint64_t refused_connections() const { return refused_.load(); }
  std::uint64_t requests_timed_out() const { return timed_out_.load(); }

 private:
  bool process_and_close_socket(socket_t sock) override;

  const ConnectionLimits limits_;
  ClientConnections clients_;
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> timed_out_{0};
};

}  // namespace jd::http
