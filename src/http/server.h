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
  std::string static_dir;       // the web app's files, served at /, when set and present
  int threads = 8;
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
