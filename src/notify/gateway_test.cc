#include "notify/gateway.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/ids.h"

namespace jd::notify {
namespace {

using nlohmann::json;

Notice Sample() {
  Notice n;
  n.id = "0192f000-0000-7000-8000-000000000009";
  n.person_id = "0192f000-0000-7000-8000-0000000000aa";
  n.appointment_id = "0192f000-0000-7000-8000-000000000001";
  n.channel = Channel::kSms;
  n.recipient = "13800138000";
  n.template_code = "appointment_reminder";
  n.text = "王小花预约于2026年11月23日接种乙肝疫苗";
  n.payload = R"({"child_name":"王小花"})";
  n.idempotency_key = AppointmentKey(n.appointment_id, n.channel);
  n.attempts = 1;
  return n;
}

TEST(FileGatewayTest, AppendsOneJsonLinePerNotice) {
  auto path = std::filesystem::temp_directory_path() / ("jd_notify_" + RandomHex(6) + ".jsonl");
  FileGateway g(path.string());
  Notice a = Sample(), b = Sample();
  b.channel = Channel::kWeb;
  b.idempotency_key = AppointmentKey(b.appointment_id, b.channel);
  auto ra = g.Send(a);
  auto rb = g.Send(b);
  ASSERT_TRUE(ra.ok() && rb.ok());
  EXPECT_EQ(ra->outcome, SendOutcome::kSent);
  EXPECT_EQ(ra->message_id, "file:" + a.idempotency_key);
  std::ifstream in(path);
  std::string line;
  std::vector<json> lines;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["idempotency_key"], a.idempotency_key);
  EXPECT_EQ(lines[0]["recipient"], "13800138000");
  EXPECT_EQ(lines[0]["payload"]["child_name"], "王小花");
  EXPECT_EQ(lines[1]["channel"], "web");
  std::filesystem::remove(path);
}

TEST(FileGatewayTest, AnUnwritablePathIsAFailureNotACrash) {
  FileGateway g("/nonexistent-dir/x/notices.jsonl");
  EXPECT_FALSE(g.Send(Sample()).ok());
}

// A receiver on a free port of 127.0.0.1 answering with `status`.
class Receiver {
 public:
  explicit Receiver(std::function<void(const httplib::Request&, httplib::Response&)> handler) {
    server_.Post("/hook", std::move(handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(WebhookGatewayTest, PostsTheNoticeWithItsKeyAndASignature) {
  std::string key, timestamp, signature, body;
  Receiver r([&](const httplib::Request& req, httplib::Response& res) {
    key = req.get_header_value("Idempotency-Key");
    timestamp = req.get_header_value("X-Jundeng-Timestamp");
    signature = req.get_header_value("X-Jundeng-Signature");
    body = req.body;
    res.set_content(R"({"message_id":"gw-42"})", "application/json");
  });
  auto g = WebhookGateway::Create({.url = r.Url(), .secret = "s3cret"});
  ASSERT_TRUE(g.ok());
  Notice n = Sample();
  auto res = (*g)->Send(n);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->outcome, SendOutcome::kSent);
  EXPECT_EQ(res->message_id, "gw-42");
  EXPECT_EQ(res->http_status, 200);
  EXPECT_EQ(key, n.idempotency_key);
  EXPECT_TRUE(
      VerifySignature("s3cret", timestamp, body, signature, std::chrono::system_clock::now()));
  EXPECT_FALSE(
      VerifySignature("other", timestamp, body, signature, std::chrono::system_clock::now()));
  auto j = json::parse(body);
  EXPECT_EQ(j["text"], n.text);
  EXPECT_EQ(j["recipient"], "13800138000");
}

TEST(WebhookGatewayTest, ClassifiesAnswers) {
  std::atomic<int> status{400};
  Receiver r([&](const httplib::Request&, httplib::Response& res) { res.status = status; });
  auto g = WebhookGateway::Create({.url = r.Url()});
  ASSERT_TRUE(g.ok());
  auto a = (*g)->Send(Sample());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->outcome, SendOutcome::kPermanent);
  EXPECT_NE(a->error.find("400"), std::string::npos);
  status = 503;
  auto b = (*g)->Send(Sample());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->outcome, SendOutcome::kTransient);
  status = 204;
  auto c = (*g)->Send(Sample());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->outcome, SendOutcome::kSent);
}

TEST(WebhookGatewayTest, ATimeoutOrNoReceiverIsTransient) {
  Receiver r([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.status = 200;
  });
  auto g = WebhookGateway::Create({.url = r.Url(), .timeout = std::chrono::milliseconds(300)});
  ASSERT_TRUE(g.ok());
  auto a = (*g)->Send(Sample());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->outcome, SendOutcome::kTransient);

  int free_port = 0;
  {
    httplib::Server probe;
    free_port = probe.bind_to_any_port("127.0.0.1");
  }
  auto none =
      WebhookGateway::Create({.url = "http://127.0.0.1:" + std::to_string(free_port) + "/hook",
                              .timeout = std::chrono::milliseconds(500)});
  ASSERT_TRUE(none.ok());
  auto b = (*none)->Send(Sample());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->outcome, SendOutcome::kTransient);
}

TEST(WebhookGatewayTest, RefusesUrlsThatAreNotHttp) {
  for (const char* bad : {"", "ftp://x/y", "127.0.0.1:80/x", "http://", "http://user@host/x"}) {
    EXPECT_FALSE(WebhookGateway::Create({.url = bad}).ok()) << bad;
  }
  EXPECT_TRUE(WebhookGateway::Create({.url = "https://sms.example.cn/v1/send"}).ok());
  EXPECT_TRUE(WebhookGateway::Create({.url = "http://10.0.0.5:8081"}).ok());
}

TEST(SignatureTest, RejectsTamperingAndStaleTimestamps) {
  auto now = std::chrono::system_clock::now();
  std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  std::string sig = Signature("k", ts, R"({"status":"delivered"})");
  EXPECT_EQ(sig.rfind("sha256=", 0), 0u);
  EXPECT_TRUE(VerifySignature("k", ts, R"({"status":"delivered"})", sig, now));
  EXPECT_FALSE(VerifySignature("k", ts, R"({"status":"failed"})", sig, now));
  EXPECT_FALSE(
      VerifySignature("k", ts, R"({"status":"delivered"})", sig, now + std::chrono::minutes(6)));
  EXPECT_FALSE(VerifySignature("", ts, "", Signature("", ts, ""), now));  // no secret: nobody
  EXPECT_FALSE(VerifySignature("k", "12x", "", sig, now));
}

}  // namespace
}  // namespace jd::notify
