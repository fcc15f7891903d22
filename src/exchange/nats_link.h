// File: exchange/nats_link.h
// The federation's link to NATS JetStream (Debian's libnats, the C client): one connection to a
// server or a cluster, the stream of record transfers and the look-up index.
//
//   stream JD_FED_TRANSFERS   subjects "jd.fed.transfer.<node id>"; file storage; `replicas`
//                             copies (3 on a 3-server cluster); duplicates of a message id within
//                             24 h are dropped by the server, so a sender that publishes the same
//                             transfer again after a crash does not make a second message
//   durable pull consumer     "node-<node id>" per receiving node, explicit acknowledgement: a
//                             message not acknowledged (the node stopped before it ingested) is
//                             delivered again after `ack_wait`
//   key-value bucket          "jd-fed-index": look-up token (HMAC of an ID number) → node id of
//                             the node holding the person's record; never a record's content
//
// Connections reconnect on their own (forever, every 250 ms) and go over TLS when the options
// name a CA file (the servers' certificates must chain to it). Errors are kUnavailable with the
// client's text. Not thread-safe: one link per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct __natsConnection;
struct __jsCtx;
struct __natsMsg;
struct __natsSubscription;
struct __kvStore;

namespace jd::exchange {

struct NatsOptions {
  std::string urls;     // "nats://127.0.0.1:4222" or several, comma-separated
  std::string ca_file;  // TLS: the CA that signed the servers' certificates ("" = plain)
  int replicas = 1;     // copies of the stream and the index
  int ack_wait_ms = 30000;
  std::string name = "jundeng";  // the connection's name, as the server shows it
};

// One delivered message; acknowledged or left to be delivered again.
class NatsDelivery {
 public:
  explicit NatsDelivery(__natsMsg* msg) : msg_(msg) {}
  ~NatsDelivery();
  NatsDelivery(NatsDelivery&& o) noexcept : msg_(o.msg_) { o.msg_ = nullptr; }
  NatsDelivery(const NatsDelivery&) = delete;
  NatsDelivery& operator=(const NatsDelivery&) = delete;
  NatsDelivery& operator=(NatsDelivery&&) = delete;

  std::string_view data() const;
  // How often the server has delivered it (1 = first time).
  std::uint64_t delivered() const;
  // Acknowledged once the server has it (the ack waits for the server's answer).
  Status Ack();

 private:
  __natsMsg* msg_;
};

class NatsLink {
 public:
  static Result<std::unique_ptr<NatsLink>> Connect(const NatsOptions& options);
  ~NatsLink();
  NatsLink(const NatsLink&) = delete;
  NatsLink& operator=(const NatsLink&) = delete;

  // The stream and the index bucket, made when missing.
  Status EnsureStreams();

  // Publishes the transfer for `to_node` with `msg_id` (the transfer id); OK once JetStream has
  // stored it (a duplicate within the window is OK too).
  Status PublishTransfer(const std::string& to_node, std::string_view data,
                         const std::string& msg_id);

  // Up to `batch` transfers for `node` waiting in the stream; none after `timeout_ms`. The
  // durable consumer is the node's own ("node-<node>") unless `consumer` names another (an
  // auditor's tap reads the same messages without taking them from the node).
  Result<std::vector<NatsDelivery>> FetchTransfers(const std::string& node, int batch,
                                                   int timeout_ms,
                                                   const std::string& consumer = "");

  Status IndexPut(const std::string& token, const std::string& node);
  // The node holding `token`, nullopt when no node does.
  Result<std::optional<std::string>> IndexGet(const std::string& token);

 private:
  NatsLink() = default;
  NatsOptions options_;
  __natsConnection* nc_ = nullptr;
  __jsCtx* js_ = nullptr;
  __kvStore* kv_ = nullptr;
  std::string subscribed_;  // the durable consumer of sub_
  __natsSubscription* sub_ = nullptr;
};

}  // namespace jd::exchange
