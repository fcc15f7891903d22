#include "exchange/nats_link.h"

#include <fmt/format.h>
#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace jd::exchange {

namespace {

constexpr const char* kStream = "JD_FED_TRANSFERS";
constexpr const char* kSubjects = "jd.fed.transfer.>";
constexpr const char* kBucket = "jd-fed-index";
constexpr std::int64_t kNanosPerMilli = 1000000;

Status Unavailable(const std::string& what, natsStatus s,
                   jsErrCode jerr = static_cast<jsErrCode>(0)) {
  const char* last = nats_GetLastError(nullptr);
  std::string text = fmt::format("{}: {}", what, natsStatus_GetText(s));
  if (jerr != 0) text += fmt::format(" (JetStream error {})", static_cast<int>(jerr));
  if (last != nullptr && *last != '\0') text += fmt::format(" — {}", last);
  return Status::Unavailable(text, "消息服务不可用：" + what);
}

std::string Subject(const std::string& node) { return std::string("jd.fed.transfer.") + node; }

// Whether a failed JetStream call may pass on its own: while a cluster elects a new leader (a
// server died) requests time out, find no responder or hear "temporarily unavailable".
bool Passing(natsStatus s, jsErrCode jerr) {
  return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS || s == NATS_CONNECTION_DISCONNECTED ||
         jerr == JSClusterNotAvailErr;
}

// Runs `call` (returning its status and filling its JetStream error) until it succeeds, fails
// for good, or 30 s have passed, waiting a little longer each time.
template <class Call>
natsStatus WithRetries(jsErrCode& jerr, Call call) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int wait_ms = 100;
  for (;;) {
    jerr = static_cast<jsErrCode>(0);
    natsStatus s = call();
    if (s == NATS_OK || !Passing(s, jerr) || std::chrono::steady_clock::now() > deadline) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    wait_ms = std::min(wait_ms * 2, 2000);
  }
}

}  // namespace

NatsDelivery::~NatsDelivery() {
  if (msg_ != nullptr) natsMsg_Destroy(msg_);
}

std::string_view NatsDelivery::data() const {
  return {natsMsg_GetData(msg_), static_cast<std::size_t>(natsMsg_GetDataLength(msg_))};
}

std::uint64_t NatsDelivery::delivered() const {
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, msg_) != NATS_OK) return 0;
  const std::uint64_t n = meta->NumDelivered;
  jsMsgMetaData_Destroy(meta);
  return n;
}

Status NatsDelivery::Ack() {
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = natsMsg_AckSync(msg_, nullptr, &jerr);
  if (s != NATS_OK) return Unavailable("ack", s, jerr);
  return Status::Ok();
}

Result<std::unique_ptr<NatsLink>> NatsLink::Connect(const NatsOptions& options) {
  std::unique_ptr<NatsLink> link(new NatsLink());
  link->options_ = options;
  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  if (s != NATS_OK) return Unavailable("options", s);
  std::vector<std::string> urls;
  for (std::size_t start = 0; start <= options.urls.size();) {
    std::size_t end = options.urls.find(',', start);
    if (end == std::string::npos) end = options.urls.size();
    if (end > start) urls.push_back(options.urls.substr(start, end - start));
    start = end + 1;
  }
  std::vector<const char*> servers;
  for (const auto& u : urls) servers.push_back(u.c_str());
  if (servers.empty()) {
    natsOptions_Destroy(opts);
    return Status::Invalid({{"federation", "required", "未给出消息服务地址（nats://…）",
                             "no message server given (nats://…)"}});
  }
  s = natsOptions_SetServers(opts, servers.data(), static_cast<int>(servers.size()));
  if (s == NATS_OK) s = natsOptions_SetName(opts, options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 5000);
  if (s == NATS_OK && !options.ca_file.empty()) {
    s = natsOptions_SetSecure(opts, true);
    if (s == NATS_OK) s = natsOptions_LoadCATrustedCertificates(opts, options.ca_file.c_str());
  }
  if (s == NATS_OK) s = natsConnection_Connect(&link->nc_, opts);
  natsOptions_Destroy(opts);
  if (s != NATS_OK) return Unavailable("connect to " + options.urls, s);
  jsOptions jo;
  jsOptions_Init(&jo);
  jo.Wait = 10000;
  s = natsConnection_JetStream(&link->js_, link->nc_, &jo);
  if (s != NATS_OK) return Unavailable("JetStream", s);
  return link;
}

NatsLink::~NatsLink() {
  if (sub_ != nullptr) natsSubscription_Destroy(sub_);
  if (kv_ != nullptr) kvStore_Destroy(kv_);
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (nc_ != nullptr) natsConnection_Destroy(nc_);
}

Status NatsLink::EnsureStreams() {
  jsErrCode jerr = static_cast<jsErrCode>(0);
  jsStreamInfo* si = nullptr;
  natsStatus s =
      WithRetries(jerr, [&] { return js_GetStreamInfo(&si, js_, kStream, nullptr, &jerr); });
  if (s == NATS_NOT_FOUND) {
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    const char* subjects[] = {kSubjects};
    cfg.Name = kStream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.Replicas = options_.replicas;
    cfg.Duplicates = 24LL * 3600 * 1000 * kNanosPerMilli;
    s = WithRetries(jerr, [&] { return js_AddStream(&si, js_, &cfg, nullptr, &jerr); });
    // Another node made it meanwhile: as good.
    if (s != NATS_OK && jerr == JSStreamNameExistErr) s = NATS_OK;
  }
  if (si != nullptr) jsStreamInfo_Destroy(si);
  if (s != NATS_OK) return Unavailable("stream " + std::string(kStream), s, jerr);
  s = WithRetries(jerr, [&] { return js_KeyValue(&kv_, js_, kBucket); });
  if (s == NATS_NOT_FOUND) {
    kvConfig kc;
    kvConfig_Init(&kc);
    kc.Bucket = kBucket;
    kc.History = 5;
    kc.StorageType = js_FileStorage;
    kc.Replicas = options_.replicas;
    s = WithRetries(jerr, [&] { return js_CreateKeyValue(&kv_, js_, &kc); });
  }
  if (s != NATS_OK) return Unavailable("index bucket", s);
  return Status::Ok();
}

Status NatsLink::PublishTransfer(const std::string& to_node, std::string_view data,
                                 const std::string& msg_id) {
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = msg_id.c_str();
  po.ExpectStream = kStream;
  jsPubAck* ack = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const std::string subject = Subject(to_node);
  natsStatus s = WithRetries(jerr, [&] {
    if (ack != nullptr) jsPubAck_Destroy(ack);
    ack = nullptr;
    return js_Publish(&ack, js_, subject.c_str(), data.data(), static_cast<int>(data.size()), &po,
                      &jerr);
  });
  if (ack != nullptr) jsPubAck_Destroy(ack);
  if (s != NATS_OK) return Unavailable("publish", s, jerr);
  return Status::Ok();
}

Result<std::vector<NatsDelivery>> NatsLink::FetchTransfers(const std::string& node, int batch,
                                                           int timeout_ms,
                                                           const std::string& consumer) {
  jsErrCode jerr = static_cast<jsErrCode>(0);
  const std::string durable = consumer.empty() ? "node-" + node : consumer;
  if (sub_ == nullptr || subscribed_ != durable) {
    if (sub_ != nullptr) natsSubscription_Destroy(sub_);
    sub_ = nullptr;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = kStream;
    so.Config.AckPolicy = js_AckExplicit;
    so.Config.AckWait = static_cast<std::int64_t>(options_.ack_wait_ms) * kNanosPerMilli;
    const std::string subject = Subject(node);
    natsStatus s = WithRetries(jerr, [&] {
      return js_PullSubscribe(&sub_, js_, subject.c_str(), durable.c_str(), nullptr, &so, &jerr);
    });
    if (s != NATS_OK) return Unavailable("subscribe " + durable, s, jerr);
    subscribed_ = durable;
  }
  natsMsgList list{};
  natsStatus s = natsSubscription_Fetch(&list, sub_, batch, timeout_ms, &jerr);
  std::vector<NatsDelivery> out;
  if (s == NATS_TIMEOUT) return out;
  if (s != NATS_OK) return Unavailable("fetch", s, jerr);
  for (int i = 0; i < list.Count; ++i) {
    out.emplace_back(list.Msgs[i]);
    list.Msgs[i] = nullptr;  // owned by the delivery now
  }
  natsMsgList_Destroy(&list);
  return out;
}

Status NatsLink::IndexPut(const std::string& token, const std::string& node) {
  if (kv_ == nullptr) JD_RETURN_IF_ERROR(EnsureStreams());
  std::uint64_t rev = 0;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = WithRetries(jerr, [&] {
    return kvStore_Put(&rev, kv_, token.c_str(), node.data(), static_cast<int>(node.size()));
  });
  if (s != NATS_OK) return Unavailable("index put", s);
  return Status::Ok();
}

Result<std::optional<std::string>> NatsLink::IndexGet(const std::string& token) {
  if (kv_ == nullptr) JD_RETURN_IF_ERROR(EnsureStreams());
  kvEntry* e = nullptr;
  jsErrCode jerr = static_cast<jsErrCode>(0);
  natsStatus s = WithRetries(jerr, [&] { return kvStore_Get(&e, kv_, token.c_str()); });
  if (s == NATS_NOT_FOUND) return std::optional<std::string>();
  if (s != NATS_OK) return Unavailable("index get", s);
  std::string node(static_cast<const char*>(kvEntry_Value(e)),
                   static_cast<std::size_t>(kvEntry_ValueLen(e)));
  kvEntry_Destroy(e);
  return std::optional<std::string>(node);
}

}  // namespace jd::exchange
