#include "http/guarded_server.h"

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

#include "core/status.h"
#include "http/problem.h"

namespace jd::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// poll() for one event; > 0 ready (or hung up: the next read says which), 0 timed out, < 0 error.
int PollFor(int fd, short events, milliseconds timeout) {
  pollfd p{fd, events, 0};
  const int ms = static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, INT_MAX));
  int n = 0;
  do {
    n = ::poll(&p, 1, ms);
  } while (n < 0 && errno == EINTR);
  return n;
}

void AddressOf(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> serv{};
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host.data(), host.size(),
                    serv.data(), serv.size(), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host.data();
    port = std::atoi(serv.data());
  }
}

std::string PeerAddress(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  std::string ip;
  int port = 0;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    AddressOf(addr, len, ip, port);
  }
  return ip;
}

milliseconds MillisOf(time_t sec, time_t usec) {
  return milliseconds(static_cast<std::int64_t>(sec) * 1000 +
                      static_cast<std::int64_t>(usec) / 1000);
}

// A complete response written straight to the socket, before or instead of cpp-httplib's: for
// a connection refused at the door or a request cut at its deadline. Best effort, never blocks.
void SendAndClose(int fd, int status, const char* reason, const Status& problem,
                  const std::string& extra_headers) {
  nlohmann::json body = ProblemJson(problem, "", "", Lang::kZh);
  body["status"] = status;
  std::string text = body.dump();
  std::string out = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n"
      "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{}\r\n{}",
      status, reason, kProblemContentType, text.size(), extra_headers, text);
  (void)::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// One connection's stream: buffered reads bounded by the read timeout and by the current
// request's deadline, writes bounded by the write timeout.
class DeadlineStream final : public httplib::Stream {
 public:
  enum class Phase { kHead, kBody };

  DeadlineStream(int sock, milliseconds read_timeout, milliseconds write_timeout,
                 const ConnectionLimits& limits, std::atomic<std::uint64_t>& timed_out)
      : sock_(sock),
        read_timeout_(read_timeout),
        write_timeout_(write_timeout),
        limits_(limits),
        timed_out_(timed_out) {}

  // A new request starts: its head must be complete within header_timeout.
  void StartRequest() {
    phase_ = Phase::kHead;
    deadline_ = Clock::now() + limits_.header_timeout;
  }
  // The head is complete: the body (if any) must follow within body_timeout.
  void HeadReceived() {
    phase_ = Phase::kBody;
    deadline_ = Clock::now() + limits_.body_timeout;
  }
  bool buffered() const { return off_ < size_; }
  bool expired() const { return expired_; }

  bool is_readable() const override { return buffered() || WaitReadable(); }

  bool is_writable() const override {
    if (expired_) return false;
    if (PollFor(sock_, POLLOUT, write_timeout_) <= 0) return false;
    // Still connected: a peer that closed reads as end of stream.
    char c;
    ssize_t n = ::recv(sock_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
  }

  ssize_t read(char* ptr, std::size_t size) override {
    if (expired_) return -1;
    if (buffered()) {
      std::size_t n = std::min(size, size_ - off_);
      std::memcpy(ptr, buf_.data() + off_, n);
      off_ += n;
      return static_cast<ssize_t>(n);
    }
    if (!WaitReadable()) return -1;
    // Small reads (cpp-httplib reads the head a byte at a time) go through the buffer.
    const bool via_buffer = size < buf_.size();
    ssize_t n = 0;
    do {
      n = via_buffer ? ::recv(sock_, buf_.data(), buf_.size(), 0) : ::recv(sock_, ptr, size, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0 || !via_buffer) return n;
    std::size_t got = static_cast<std::size_t>(n);
    std::size_t give = std::min(size, got);
    std::memcpy(ptr, buf_.data(), give);
    off_ = give;
    size_ = got;
    return static_cast<ssize_t>(give);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n = 0;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      AddressOf(addr, len, ip, port);
    }
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      AddressOf(addr, len, ip, port);
    }
  }

  socket_t socket() const override { return sock_; }

 private:
  // Waits for bytes within the read timeout and the request's deadline. Past the deadline the
  // client gets 408 and every later read and write fails, so the connection closes.
  bool WaitReadable() const {
    if (expired_) return false;
    milliseconds wait = read_timeout_;
    const auto now = Clock::now();
    if (now >= deadline_) return Expire();
    wait =
        std::min(wait, std::chrono::duration_cast<milliseconds>(deadline_ - now) + milliseconds(1));
    int n = PollFor(sock_, POLLIN, wait);
    if (n > 0) return true;
    if (n == 0 && Clock::now() >= deadline_) return Expire();
    return false;
  }

  bool Expire() const {
    expired_ = true;
    ++timed_out_;
    const bool head = phase_ == Phase::kHead;
    const auto limit = head ? limits_.header_timeout : limits_.body_timeout;
    const std::string seconds = fmt::format("{:g}", static_cast<double>(limit.count()) / 1000);
    const std::string en = head ? "the request head was not received within " + seconds + " s"
                                : "the request body was not received within " + seconds + " s";
    const std::string zh = head ? "未在 " + seconds + " 秒内收到完整的请求头"
                                : "未在 " + seconds + " 秒内收到完整的请求体";
    SendAndClose(sock_, 408, "Request Timeout",
                 Status(StatusCode::kInvalidArgument, en, zh)
                     .WithFieldErrors({{"", "request_timeout", zh, en}}),
                 "");
    return false;
  }

  const int sock_;
  const milliseconds read_timeout_;
  const milliseconds write_timeout_;
  const ConnectionLimits& limits_;
  std::atomic<std::uint64_t>& timed_out_;
  Phase phase_ = Phase::kHead;
  Clock::time_point deadline_ = Clock::time_point::max();
  mutable bool expired_ = false;
  std::array<char, 4096> buf_{};
  std::size_t off_ = 0;
  std::size_t size_ = 0;
};

// The stream this thread is serving: cpp-httplib's pre-routing handler runs on the connection's
// own thread, between the head and the body.
thread_local DeadlineStream* current_stream = nullptr;

// Waits for the next request's first byte, up to the keep-alive timeout, in slices short enough
// to notice the server stopping.
bool WaitForRequest(const DeadlineStream& strm, int sock, milliseconds keep_alive,
                    const std::atomic<socket_t>& listening) {
  if (strm.buffered()) return true;
  const auto until = Clock::now() + keep_alive;
  while (listening != INVALID_SOCKET) {
    const auto now = Clock::now();
    if (now >= until) return false;
    const auto slice = std::min(
        std::chrono::duration_cast<milliseconds>(until - now) + milliseconds(1), milliseconds(200));
    int n = PollFor(sock, POLLIN, slice);
    if (n != 0) return n > 0;
  }
  return false;
}

}  // namespace

ClientConnections::ClientConnections(const ConnectionLimits& limits)
    : max_per_client_(limits.max_per_client), exempt_(limits.exempt) {}

ClientConnections::Slot::Slot(Slot&& other) noexcept
    : owner_(other.owner_), address_(std::move(other.address_)), admitted_(other.admitted_) {
  other.owner_ = nullptr;
}

ClientConnections::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Release(address_);
}

ClientConnections::Slot ClientConnections::Admit(const std::string& address) {
  Slot slot;
  slot.address_ = address;
  if (max_per_client_ <= 0 || std::find(exempt_.begin(), exempt_.end(), address) != exempt_.end()) {
    slot.admitted_ = true;
    return slot;
  }
  std::lock_guard lock(mu_);
  int& open = open_[address];
  if (open >= max_per_client_) return slot;
  ++open;
  slot.owner_ = this;
  slot.admitted_ = true;
  return slot;
}

int ClientConnections::open(const std::string& address) const {
  std::lock_guard lock(mu_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

void ClientConnections::Release(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

GuardedServer::GuardedServer(ConnectionLimits limits)
    : limits_(std::move(limits)), clients_(limits_) {
  set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    if (current_stream != nullptr) current_stream->HeadReceived();
    return HandlerResponse::Unhandled;
  });
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  ClientConnections::Slot slot = clients_.Admit(PeerAddress(sock));
  if (!slot.admitted()) {
    ++refused_;
    const std::string en =
        fmt::format("this address already has {} open connections", limits_.max_per_client);
    const std::string zh = fmt::format("此地址已有 {} 个连接", limits_.max_per_client);
    SendAndClose(sock, 429, "Too Many Requests",
                 Status(StatusCode::kTooManyRequests, en, zh)
                     .WithFieldErrors({{"", "too_many_connections", zh, en}}),
                 "Retry-After: 5\r\n");
  } else {
    DeadlineStream strm(sock, MillisOf(read_timeout_sec_, read_timeout_usec_),
                        MillisOf(write_timeout_sec_, write_timeout_usec_), limits_, timed_out_);
    current_stream = &strm;
    const milliseconds keep_alive = MillisOf(keep_alive_timeout_sec_, 0);
    for (std::size_t left = keep_alive_max_count_;
         left > 0 && WaitForRequest(strm, sock, keep_alive, svr_sock_); --left) {
      strm.StartRequest();
      bool connection_closed = false;
      ok = process_request(strm, /*close_connection=*/left == 1, connection_closed, nullptr);
      if (!ok || connection_closed || strm.expired()) break;
    }
    current_stream = nullptr;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace jd::http
