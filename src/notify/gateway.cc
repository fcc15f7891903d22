#include "notify/gateway.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jd::notify {

using nlohmann::json;

json GatewayJson(const Notice& n) {
  json payload = json::parse(n.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) payload = json::object();
  return {
      {"id", n.id},
      {"idempotency_key", n.idempotency_key},
      {"person_id", n.person_id},
      {"appointment_id", n.appointment_id.empty() ? json(nullptr) : json(n.appointment_id)},
      {"channel", ChannelCode(n.channel)},
      {"recipient", n.recipient.empty() ? json(nullptr) : json(n.recipient)},
      {"recipient_user", n.recipient_user.empty() ? json(nullptr) : json(n.recipient_user)},
      {"template", n.template_code},
      {"text", n.text},
      {"payload", payload},
      {"clinic_code", n.clinic_code.empty() ? json(nullptr) : json(n.clinic_code)},
      {"appointment_date", n.appointment_date.empty() ? json(nullptr) : json(n.appointment_date)},
      {"attempt", n.attempts}};
}

// ---- File ----

Result<SendResult> FileGateway::Send(const Notice& notice) {
  std::string line = GatewayJson(notice).dump(-1, ' ', false, json::error_handler_t::replace);
  line += '\n';
  std::lock_guard lock(mu_);
  // One write() of the whole line with O_APPEND: lines of concurrent writers do not interleave.
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Unavailable(fmt::format("cannot open {}: {}", path_, std::strerror(errno)),
                               "无法打开通知输出文件");
  }
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int err = errno;
      ::close(fd);
      return Status::Unavailable(fmt::format("cannot write {}: {}", path_, std::strerror(err)),
                                 "无法写入通知输出文件");
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  // The notice is marked sent after this returns: it must be on disk first.
  int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) {
    return Status::Unavailable(fmt::format("cannot sync {}", path_), "无法写入通知输出文件");
  }
  return SendResult{.outcome = SendOutcome::kSent, .message_id = "file:" + notice.idempotency_key};
}

// ---- Webhook ----

Result<std::unique_ptr<WebhookGateway>> WebhookGateway::Create(WebhookOptions options) {
  const std::string& url = options.url;
  auto invalid = [&] {
    return Status::Invalid(
        {{"webhook", "invalid_url", "回调地址应为 http:// 或 https:// 开头的网址",
          "the webhook must be an http:// or https:// URL"}});
  };
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return invalid();
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return invalid();
  std::size_t host_start = scheme_end + 3;
  std::size_t path_start = url.find('/', host_start);
  std::string authority = url.substr(
      host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
  if (authority.empty() || authority.find_first_of("@ ?#") != std::string::npos) return invalid();
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (options.timeout.count() <= 0) options.timeout = std::chrono::seconds(10);
  return std::unique_ptr<WebhookGateway>(
      new WebhookGateway(std::move(options), scheme + "://" + authority, std::move(path)));
}

Result<SendResult> WebhookGateway::Send(const Notice& notice) {
  std::string body = GatewayJson(notice).dump(-1, ' ', false, json::error_handler_t::replace);
  std::string timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  httplib::Headers headers = {{"Idempotency-Key", notice.idempotency_key},
                              {"X-Jundeng-Timestamp", timestamp}};
  if (!options_.secret.empty()) {
    headers.emplace("X-Jundeng-Signature", Signature(options_.secret, timestamp, body));
  }
  // A client per send: drains are short and sequential, and a fresh connection never carries a
  // half-read answer of a timed-out request into the next one.
  httplib::Client client(origin_);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(options_.timeout);
  auto usecs =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout - secs).count();
  client.set_connection_timeout(secs.count(), usecs);
  client.set_read_timeout(secs.count(), usecs);
  client.set_write_timeout(secs.count(), usecs);
  client.set_follow_location(false);
  auto res = client.Post(path_, headers, body, "application/json; charset=utf-8");
  if (!res) {
    return SendResult{.outcome = SendOutcome::kTransient,
                      .error = "webhook: " + httplib::to_string(res.error())};
  }
  SendResult out;
  out.http_status = res->status;
  out.outcome = Classify(res->status);
  if (out.outcome == SendOutcome::kSent) {
    json answer = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    if (answer.is_object()) {
      for (const char* key : {"message_id", "id"}) {
        if (answer.contains(key) && answer[key].is_string()) {
          out.message_id = answer[key].get<std::string>().substr(0, 200);
          break;
        }
      }
    }
  } else {
    out.error = fmt::format("webhook answered HTTP {}", res->status);
  }
  return out;
}

// ---- Signatures ----

std::string Signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(timestamp.data()),
                                timestamp.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return std::string("sha256=") + hex;
}

bool VerifySignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                     std::string_view signature, std::chrono::system_clock::time_point now,
                     std::chrono::seconds max_skew) {
  if (secret.empty() || timestamp.empty() || timestamp.size() > 12) return false;
  long long ts = 0;
  for (char c : timestamp) {
    if (c < '0' || c > '9') return false;
    ts = ts * 10 + (c - '0');
  }
  long long now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (ts > now_s + max_skew.count() || ts < now_s - max_skew.count()) return false;
  std::string expected = Signature(secret, timestamp, body);
  if (signature.size() != expected.size()) return false;
  return sodium_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace jd::notify
