// File: http/server.h
// The JSON API of a city node under /api/v1 (cpp-httplib), plus /healthz, /metrics and the OpenAPI
// description. Every route is listed once in the route table (Routes()); a test checks that each
// one is described in openapi.json. Each request gets a request id, is authenticated (Bearer token
// or the HttpOnly session cookie) unless the route is public, is answered with JSON or an RFC 7807
// problem, and is logged and counted. Errors in the caller's input are 4xx, never 5xx.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/app.h"
#include "http/guarded_server.h"
#include "http/rate_limit.h"
#include "http/route_access.h"

namespace httplib {
class Server;
}

namespace jd::http {

struct RouteInfo {
  std::string method;   // "GET", "POST", "PATCH", …
  std::string pattern;  // OpenAPI path template, e.g. "/api/v1/persons/{id}"
  bool authenticated;
  RouteAccess access;  // filled from the operation's x-permission (http/route_access.h)
};

// Every route the server answers, each with the access its OpenAPI operation declares.
std::vector<RouteInfo> Routes();

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::size_t max_body_bytes = 1 << 20;
  bool secure_cookies = false;  // add "Secure" to the session cookie (behind TLS)
  // HTTPS in the server itself, for installations without a TLS front: PEM files of the
  // certificate (chain) and its private key. Both or neither; with them the cookie is Secure.
  std::string tls_cert;
  std::string tls_key;
  std::string static_dir;  // the web app's files, served at /, when set and present
  int threads = 8;         // connection threads kept even when idle
  int max_threads = 1024;  // at most this many open connections are served at once
  // Request head and body deadlines and open connections per client address, on the plain
  // listener (http/guarded_server.h).
  ConnectionLimits connections;
  // 429 before the services run (http/rate_limit.h). Log-in: per account name (10 at once, then
  // one every 6 s) and per client address (60, then one a second: a health centre's staff share
  // one address); person search and the ID check: per user (120, then two a second).
  RateLimit login_per_account{10, std::chrono::milliseconds(6000)};
  RateLimit login_per_client{60, std::chrono::milliseconds(1000)};
  RateLimit search_per_user{120, std::chrono::milliseconds(500)};
  // /metrics: when set, only with "Authorization: Bearer <token>"; when empty, only to clients on
  // the loopback interface (a monitoring agent on the host).
  std::string metrics_token;
};

class Server {
 public:
  Server(App& app, ServerOptions options);
  ~Server();
  // Binds and serves until Stop(). `on_ready` gets the bound port once listening.
  Status Run(const std::function<void(int)>& on_ready);
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jd::http
