// File: notify/gateway.h
// Where notices leave the system. A Gateway takes one notice and says whether it was taken (sent),
// should be tried again later (transient) or will never be taken (permanent); the dispatcher
// (notify/dispatcher.h) owns retries and state. Two implementations:
//
// FileGateway(path): appends the notice as one JSON line (GatewayJson) to `path` and syncs it to
//   disk; for a provider that picks files up, and for tests.
// WebhookGateway: POSTs GatewayJson to a URL (http or https) with the headers
//   Idempotency-Key: the notice's key (the same on every retry, so a receiver can drop repeats
//   after a lost answer), X-Jundeng-Timestamp (Unix seconds) and, when a secret is set,
//   X-Jundeng-Signature: "sha256=" + hex HMAC-SHA-256(secret, timestamp + "." + body). The answer
//   is classified by notify/retry.h Classify; a connection error or timeout is transient. The
//   message id is the answer's JSON "message_id" (or "id") when it has one.
//
// Signature(secret, timestamp, body) and VerifySignature(…, max_skew) are shared with the receipt
// callback, which the provider signs the same way.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "notify/model.h"
#include "notify/retry.h"

namespace jd::notify {

struct SendResult {
  SendOutcome outcome = SendOutcome::kSent;
  std::string message_id;
  std::string error;    // what went wrong, for last_error (no personal data)
  int http_status = 0;  // webhook only
};

class Gateway {
 public:
  virtual ~Gateway() = default;
  // A non-OK result means the gateway could not even try (treated as transient).
  virtual Result<SendResult> Send(const Notice& notice) = 0;
  // "file:<path>" or "webhook:<url without query>", for logs and the audit detail.
  virtual std::string Describe() const = 0;
};

// What a gateway receives: id, idempotency_key, person_id, appointment_id, channel, recipient
// (full phone: the provider must dial it; the username of a staff user's web notice),
// recipient_user (the staff user's id, null for reminders), template, text, payload (the
// variables), clinic_code, appointment_date, attempt.
nlohmann::json GatewayJson(const Notice& notice);

class FileGateway final : public Gateway {
 public:
  explicit FileGateway(std::string path) : path_(std::move(path)) {}
  Result<SendResult> Send(const Notice& notice) override;
  std::string Describe() const override { return "file:" + path_; }

 private:
  std::string path_;
  std::mutex mu_;
};

struct WebhookOptions {
  std::string url;  // http://host[:port]/path or https://…
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  std::string secret;  // signs requests when set
};

class WebhookGateway final : public Gateway {
 public:
  // Checks the URL (scheme http or https, a host).
  static Result<std::unique_ptr<WebhookGateway>> Create(WebhookOptions options);
  Result<SendResult> Send(const Notice& notice) override;
  // Without the query string, which may hold a provider's credentials.
  std::string Describe() const override {
    return "webhook:" + origin_ + path_.substr(0, path_.find('?'));
  }

 private:
  WebhookGateway(WebhookOptions options, std::string origin, std::string path)
      : options_(std::move(options)), origin_(std::move(origin)), path_(std::move(path)) {}
  WebhookOptions options_;
  std::string origin_;  // scheme://host[:port]
  std::string path_;
};

std::string Signature(std::string_view secret, std::string_view timestamp, std::string_view body);
bool VerifySignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                     std::string_view signature, std::chrono::system_clock::time_point now,
                     std::chrono::seconds max_skew = std::chrono::minutes(5));

}  // namespace jd::notify
