// Reminders end to end: a real `jundeng serve` with two children booked at a clinic for
// tomorrow (created through the API), reminders planned twice over HTTP and once from the command
// line, then drained with `jundeng notify drain --webhook` into a receiver in this test that
// refuses its first two requests with 503. The receiver must end with exactly one accepted notice
// per child, appointment and gateway channel; the notices must be "sent" with their attempts
// counted; receipts, slips and the call list work on the same notices. The children's 12-month
// check-ups are recorded, so that planning every kind finds no check-up due; a pregnant woman of
// the centre is reminded of her antenatal contact until she comes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "integration/api_client.h"
#include "integration/server_process.h"
#include "notify/gateway.h"

namespace jd::integration {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr const char* kPassword = "Correct-Horse-42!";

// The webhook receiver: refuses the first `fail_first` requests with 503, accepts the rest and
// remembers what it accepted.
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++requests_;
      std::string key = req.get_header_value("Idempotency-Key");
      keys_seen_.push_back(key);
      if (!secret_.empty() &&
          !notify::VerifySignature(secret_, req.get_header_value("X-Jundeng-Timestamp"), req.body,
                                   req.get_header_value("X-Jundeng-Signature"),
                                   std::chrono::system_clock::now())) {
        ++bad_signatures_;
      }
      if (requests_ <= fail_first_) {
        res.status = 503;
        res.set_content("try later", "text/plain");
        return;
      }
      json n = json::parse(req.body, nullptr, false);
      accepted_.push_back(n);
      accepted_keys_.push_back(key);
      res.set_content(json{{"message_id", "rx-" + std::to_string(requests_)}}.dump(),
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void SetSecret(const std::string& s) {
    std::lock_guard lock(mu_);
    secret_ = s;
  }
  int requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int bad_signatures() {
    std::lock_guard lock(mu_);
    return bad_signatures_;
  }
  std::vector<json> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  std::vector<std::string> accepted_keys() {
    std::lock_guard lock(mu_);
    return accepted_keys_;
  }
  std::vector<std::string> keys_seen() {
    std::lock_guard lock(mu_);
    return keys_seen_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  int fail_first_;
  int requests_ = 0;
  int bad_signatures_ = 0;
  std::string secret_;
  std::vector<json> accepted_;
  std::vector<std::string> accepted_keys_, keys_seen_;
};

class NotifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    clinic_ = streets.street_a;
    other_street_ = streets.street_b;
    ASSERT_FALSE(clinic_.empty());
    ASSERT_FALSE(other_street_.empty());
    district_ = streets.district_a;
    server_->AddUser("n_center", "center", clinic_, kPassword);
    server_->AddUser("n_other", "center", other_street_, kPassword);
    server_->AddUser("n_district", "district", district_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);

    tomorrow_ = Iso(sys_days(Today()) + days(1));
    // Two children of about 14 months, here for half a year: entitled to a vaccination file
    // (试点工作方案 §四(三)), both booked at the clinic for tomorrow.
    auto birth = year_month_day(sys_days(Today()) - days(425));
    const std::string birth8 = Compact(birth);
    std::string arrived = Iso(sys_days(Today()) - days(180));
    std::string left = Iso(sys_days(Today()) - days(183));
    const std::vector<std::tuple<std::string, std::string, std::string>> children = {
        {"王小花", "王芳", "13800138001"}, {"李小明", "李强", "13900139002"}};
    int seq = 21;
    for (const auto& [name, guardian, phone] : children) {
      ApiReply p = AddPerson({{"name", name},
                              {"id_number", MakeResidentId("450803", birth8, seq += 2)},
                              {"residence_address", "测试路1号"},
                              {"left_hukou_on", left},
                              {"arrived_on", arrived},
                              {"move_reason", "family"}});
      ASSERT_EQ(p.status, 201) << p.raw;
      std::string id = p.body.value("id", "");
      ApiReply f = api_->Post("/api/v1/persons/" + id + "/vaccination-file", "n_center",
                              {{"certificate_no", "JZ" + std::to_string(seq)},
                               {"issuing_clinic", clinic_},
                               {"guardian_name", guardian},
                               {"guardian_relation", "mother"},
                               {"guardian_phone", phone}});
      ASSERT_EQ(f.status, 201) << f.raw;
      ApiReply a = api_->Post("/api/v1/appointments", "n_center",
                              {{"person_id", id},
                               {"clinic", clinic_},
                               {"date", tomorrow_},
                               {"vaccines", {"HepB", "MMR"}}});
      ASSERT_EQ(a.status, 201) << a.raw;
      std::string appointment = a.body.contains("appointment")
                                    ? a.body["appointment"].value("id", "")
                                    : a.body.value("id", "");
      ASSERT_EQ(appointment.size(), 36u) << a.raw;
      children_[id] = appointment;
      names_[id] = name;
      // Their 12-month check-up is done: no check-up reminder for them now.
      ApiReply checkup = api_->Post("/api/v1/persons/" + id + "/child-checkups", "n_center",
                                    {{"date", Iso(Today())}, {"kind", "m12"}});
      ASSERT_EQ(checkup.status, 201) << checkup.raw;
    }
    ApiReply contact =
        api_->Call("PUT", "/api/v1/notify/clinics/" + clinic_ + "/contact", "n_center",
                   json{{"address", "青秀区新竹路1号"}, {"phone", "0771-5550000"}}.dump());
    ASSERT_EQ(contact.status, 200) << contact.raw;
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A migrant from 贵港市港南区 living in the clinic's street, with `fields` besides.
  static ApiReply AddPerson(json fields) {
    fields["hukou_division"] = "450803";
    fields["hukou_address"] = "贵港市港南区桥圩镇";
    fields["residence_org"] = clinic_;
    return api_->Post("/api/v1/persons", "n_center", fields);
  }

  // A migrant with a phone who arrived `days_here` days ago; the id.
  static std::string AddMigrant(const std::string& name, const std::string& id_number,
                                const std::string& phone, int days_here) {
    const std::string arrived = Iso(sys_days(Today()) - days(days_here));
    ApiReply r = AddPerson({{"name", name},
                            {"id_number", id_number},
                            {"phone", phone},
                            {"residence_address", "测试路2号"},
                            {"left_hukou_on", arrived},
                            {"arrived_on", arrived},
                            {"move_reason", "family"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  // A plan of the clinic's reminders of `kinds` from today to a week later.
  static json WeekPlan(const json& kinds) {
    return {{"clinic_code", clinic_},
            {"from", Iso(Today())},
            {"to", Iso(sys_days(Today()) + days(6))},
            {"kinds", kinds}};
  }

  // The clinic's notices of tomorrow, by idempotency key.
  static std::map<std::string, json> Notices(const std::string& user = "n_center") {
    ApiReply r = api_->Get("/api/v1/notify/notices?clinic=" + clinic_ + "&from=" + tomorrow_ +
                               "&to=" + tomorrow_ + "&page_size=200",
                           user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::map<std::string, json> out;
    for (const auto& n : r.body["items"]) out[n.value("idempotency_key", "")] = n;
    return out;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string clinic_, other_street_, district_, tomorrow_;
  static inline std::map<std::string, std::string> children_;  // person id → appointment id
  static inline std::map<std::string, std::string> names_;
  static inline ApiClient* api_ = nullptr;
};

TEST_F(NotifyTest, OneNoticePerChildAppointmentAndChannelThroughRetries) {
  // Enqueue twice over HTTP and once more from the command line: eight notices, no more.
  json plan = {{"clinic_code", clinic_}, {"from", tomorrow_}, {"to", tomorrow_}};
  ApiReply first = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(first.status, 200) << first.raw;
  ApiReply second = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(second.status, 200) << second.raw;
  EXPECT_EQ(first.body["appointments"], 2);
  EXPECT_EQ(second.body["enqueued"], 0);
  EXPECT_EQ(second.body["existing"], 8);
  CommandResult cli_plan =
      server_->Run({"notify", "plan", "--clinic", clinic_, "--date", tomorrow_});
  ASSERT_EQ(cli_plan.exit_code, 0) << cli_plan.err;
  EXPECT_EQ(json::parse(cli_plan.out)["enqueued"], 0) << cli_plan.out;
  ASSERT_EQ(Notices().size(), 8u);

  Receiver receiver(/*fail_first=*/2);
  // The gateway setting makes the shared secret the webhook requests are signed with.
  CommandResult gw = server_->Run({"notify", "gateway", "--webhook", receiver.Url()});
  ASSERT_EQ(gw.exit_code, 0) << gw.err;
  std::string secret = json::parse(gw.out).value("secret", "");
  ASSERT_EQ(secret.size(), 64u) << gw.out;
  receiver.SetSecret(secret);

  auto drain = [&] {
    CommandResult r = server_->Run({"notify", "drain", "--webhook", receiver.Url(),
                                    "--retry-base-ms", "1500", "--max-attempts", "4"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  };
  // First drain: the two refused notices wait 1.5 s, the other two are sent.
  json d1 = drain();
  EXPECT_EQ(d1["attempts"], 4) << d1;
  EXPECT_EQ(d1["sent"], 2) << d1;
  EXPECT_EQ(d1["retried"], 2) << d1;
  auto mid = Notices();
  int waiting = 0;
  for (const auto& [key, n] : mid) {
    if (n["channel"] == "sms" || n["channel"] == "web") {
      if (n["status"] == "queued") {
        ++waiting;
        EXPECT_EQ(n["attempts"], 1);
        EXPECT_EQ(n["last_error"], "webhook answered HTTP 503");
      }
    }
  }
  EXPECT_EQ(waiting, 2);
  // Not due yet: the second drain sends nothing.
  json d2 = drain();
  EXPECT_EQ(d2["attempts"], 0) << d2;
  std::this_thread::sleep_for(std::chrono::milliseconds(1700));
  json d3 = drain();
  EXPECT_EQ(d3["sent"], 2) << d3;
  json d4 = drain();
  EXPECT_EQ(d4["attempts"], 0) << d4;

  // The receiver: 2 refused + 4 accepted requests, one accepted per child, appointment and
  // gateway channel, each with its own idempotency key, and the refused ones retried under the
  // same key.
  EXPECT_EQ(receiver.requests(), 6);
  EXPECT_EQ(receiver.bad_signatures(), 0);
  std::set<std::tuple<std::string, std::string, std::string>> delivered;
  for (const json& n : receiver.accepted()) {
    auto t = std::make_tuple(n.value("person_id", ""), n.value("appointment_id", ""),
                             n.value("channel", ""));
    EXPECT_TRUE(delivered.insert(t).second) << "twice: " << n.dump();
    ASSERT_TRUE(children_.count(std::get<0>(t))) << n.dump();
    EXPECT_EQ(children_[std::get<0>(t)], std::get<1>(t));
    EXPECT_NE(n.value("text", "").find(names_[std::get<0>(t)]), std::string::npos);
    EXPECT_NE(n.value("text", "").find("青秀区新竹路1号"), std::string::npos);
    EXPECT_EQ(n.value("idempotency_key", ""), "appt:" + std::get<1>(t) + ":" + std::get<2>(t));
  }
  EXPECT_EQ(delivered.size(), 4u);
  std::set<std::string> accepted_keys;
  for (const auto& k : receiver.accepted_keys()) accepted_keys.insert(k);
  EXPECT_EQ(accepted_keys.size(), 4u);
  auto seen = receiver.keys_seen();
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_TRUE(accepted_keys.count(seen[0]));  // the refused ones came again with the same key
  EXPECT_TRUE(accepted_keys.count(seen[1]));

  // In the outbox: sms and web sent (two after a retry), phone and slip left for staff.
  auto notices = Notices();
  ASSERT_EQ(notices.size(), 8u);
  std::multiset<int> attempts;
  for (const auto& [key, n] : notices) {
    if (n["channel"] == "sms" || n["channel"] == "web") {
      EXPECT_EQ(n["status"], "sent") << n;
      EXPECT_EQ(n["gateway_message_id"].get<std::string>().rfind("rx-", 0), 0u) << n;
      attempts.insert(n["attempts"].get<int>());
    } else {
      EXPECT_EQ(n["status"], "queued") << n;
      EXPECT_EQ(n["attempts"], 0) << n;
    }
    if (n["channel"] == "sms" || n["channel"] == "phone") {
      EXPECT_NE(n["recipient"].get<std::string>().find("****"), std::string::npos) << n;
    }
  }
  EXPECT_EQ(attempts, (std::multiset<int>{1, 1, 2, 2}));

  // The provider's delivery receipt, signed with the shared secret.
  std::string key = *accepted_keys.begin();
  std::string body = json{{"idempotency_key", key}, {"status", "delivered"}}.dump();
  std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  ApiReply unsigned_receipt = api_->Call("POST", "/api/v1/notify/receipts", "", body);
  EXPECT_EQ(unsigned_receipt.status, 401) << unsigned_receipt.raw;
  ApiReply forged = api_->Call(
      "POST", "/api/v1/notify/receipts", "", body,
      {{"X-Jundeng-Timestamp", ts}, {"X-Jundeng-Signature", notify::Signature("guess", ts, body)}});
  EXPECT_EQ(forged.status, 401) << forged.raw;
  ApiReply receipt = api_->Call(
      "POST", "/api/v1/notify/receipts", "", body,
      {{"X-Jundeng-Timestamp", ts}, {"X-Jundeng-Signature", notify::Signature(secret, ts, body)}});
  ASSERT_EQ(receipt.status, 200) << receipt.raw;
  EXPECT_EQ(receipt.body["status"], "delivered");
  EXPECT_EQ(Notices()[key]["status"], "delivered");

  // Draining on demand through the configured gateway: the district may, nothing is left due.
  ApiReply now = api_->Call("POST", "/api/v1/notify/drain", "n_district");
  ASSERT_EQ(now.status, 200) << now.raw;
  EXPECT_EQ(now.body["attempts"], 0);
  EXPECT_EQ(api_->Call("POST", "/api/v1/notify/drain", "n_center").status, 403);
  EXPECT_EQ(receiver.requests(), 6);
}

TEST_F(NotifyTest, SlipsCallListAndJurisdiction) {
  json plan = {{"clinic_code", clinic_}, {"from", tomorrow_}};
  ASSERT_EQ(api_->Post("/api/v1/notify/reminders", "n_center", plan).status, 200);

  ApiReply slips =
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/slips?date=" + tomorrow_, "n_center");
  ASSERT_EQ(slips.status, 200) << slips.raw;
  EXPECT_EQ(slips.content_type.rfind("text/html", 0), 0u);
  std::size_t count = 0;
  for (auto pos = slips.raw.find("<h2>预防接种通知单</h2>"); pos != std::string::npos;
       pos = slips.raw.find("<h2>预防接种通知单</h2>", pos + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u);
  for (const auto& [id, name] : names_) EXPECT_NE(slips.raw.find(name), std::string::npos);
  EXPECT_NE(slips.raw.find("乙肝疫苗、麻腮风疫苗"), std::string::npos);
  EXPECT_EQ(slips.raw.find("http"), std::string::npos);

  ApiReply calls =
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/call-list?date=" + tomorrow_, "n_center");
  ASSERT_EQ(calls.status, 200) << calls.raw;
  std::set<std::string> phones;
  for (const auto& c : calls.body["items"]) phones.insert(c.value("phone", ""));
  EXPECT_EQ(phones, (std::set<std::string>{"13800138001", "13900139002"}));
  ApiReply csv = api_->Get(
      "/api/v1/notify/clinics/" + clinic_ + "/call-list?date=" + tomorrow_ + "&format=csv",
      "n_center");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.raw.find("13800138001"), std::string::npos);

  // A center of another district sees neither the clinic nor the children.
  EXPECT_EQ(
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/slips?date=" + tomorrow_, "n_other").status,
      404);
  EXPECT_TRUE(Notices("n_other").empty());
  const std::string child = children_.begin()->first;
  EXPECT_EQ(api_->Get("/api/v1/persons/" + child + "/notices", "n_other").status, 404);
  ApiReply mine = api_->Get("/api/v1/persons/" + child + "/notices", "n_center");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  EXPECT_EQ(mine.body["items"].size(), 4u);

  // Opting out of phone calls takes the child off the call list.
  ApiReply out = api_->Post("/api/v1/persons/" + child + "/notify-opt-out", "n_center",
                            {{"channels", {"phone"}}, {"reason", "监护人要求"}});
  ASSERT_EQ(out.status, 200) << out.raw;
  EXPECT_EQ(out.body["opt_outs"].size(), 1u);
  ApiReply fewer =
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/call-list?date=" + tomorrow_, "n_center");
  ASSERT_EQ(fewer.status, 200);
  EXPECT_EQ(fewer.body["items"].size(), 1u);
  ApiReply back = api_->Post("/api/v1/persons/" + child + "/notify-opt-in", "n_center",
                             {{"channels", {"phone"}}});
  ASSERT_EQ(back.status, 200) << back.raw;
  EXPECT_TRUE(back.body["opt_outs"].empty());

  // Bad input is a 4xx problem.
  ApiReply bad = api_->Post("/api/v1/notify/reminders", "n_center",
                            {{"clinic_code", clinic_}, {"from", "tomorrow"}});
  EXPECT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(api_->Get("/api/v1/notify/notices?status=lost", "n_center").status, 400);
}

// 规范 第三版 孕产妇健康管理服务规范 二(二): a woman whose second antenatal contact (16+0–20+6
// weeks) opens today is reminded on her own phone, once per channel however often the centre plans,
// and her reminders still queued are cancelled once the visit is recorded.
TEST_F(NotifyTest, AntenatalContactIsRemindedOnceUntilTheVisit) {
  const std::string today = Iso(Today());
  const std::string woman =
      AddMigrant("陈秀英", MakeResidentId("450803", "19960310", 42), "13712345678", 200);
  ASSERT_FALSE(woman.empty());
  ApiReply reg = api_->Post("/api/v1/persons/" + woman + "/pregnancies", "n_center",
                            {{"lmp", Iso(sys_days(Today()) - days(112))}});
  ASSERT_EQ(reg.status, 201) << reg.raw;
  const std::string pregnancy = reg.body.value("id", "");

  const json plan = WeekPlan({"antenatal", "child_checkup"});
  ApiReply first = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["kinds"], json({"antenatal", "child_checkup"})) << first.raw;
  EXPECT_EQ(first.body["by_kind"]["antenatal"]["planned"], 1) << first.raw;
  EXPECT_EQ(first.body["by_kind"]["antenatal"]["enqueued"], 4) << first.raw;
  EXPECT_EQ(first.body["by_kind"]["child_checkup"]["enqueued"], 0) << first.raw;
  EXPECT_FALSE(first.body["by_kind"].contains("immunization")) << first.raw;
  EXPECT_EQ(first.body["enqueued"], 4);
  EXPECT_EQ(first.body["appointments"], 0);

  ApiReply mine = api_->Get("/api/v1/persons/" + woman + "/notices", "n_center");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["items"].size(), 4u) << mine.raw;
  for (const auto& n : mine.body["items"]) {
    EXPECT_EQ(n["idempotency_key"], "anc:" + pregnancy + ":anc2:" + n.value("channel", ""));
    EXPECT_EQ(n["kind"], "antenatal");
    EXPECT_EQ(n["subject"], "孕中期第2次产前检查（孕16～20周）");
    EXPECT_EQ(n["appointment_id"], nullptr);
    EXPECT_EQ(n["appointment_date"], today);
    EXPECT_EQ(n["status"], "queued");
    EXPECT_NE(n.value("text", "").find("第2次产前检查（孕16～20周）"), std::string::npos) << n;
    EXPECT_NE(n.value("text", "").find("青秀区新竹路1号"), std::string::npos) << n;
  }
  // The call list dials her own phone; the slip is a 孕产妇检查通知单.
  ApiReply calls =
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/call-list?date=" + today, "n_center");
  ASSERT_EQ(calls.status, 200) << calls.raw;
  int hers = 0;
  for (const auto& c : calls.body["items"]) {
    if (c.value("person_id", "") != woman) continue;
    ++hers;
    EXPECT_EQ(c["phone"], "13712345678");
    EXPECT_EQ(c["kind"], "antenatal");
    EXPECT_NE(c.value("script", "").find("陈秀英"), std::string::npos) << c;
  }
  EXPECT_EQ(hers, 1);
  ApiReply slips =
      api_->Get("/api/v1/notify/clinics/" + clinic_ + "/slips?date=" + today, "n_center");
  ASSERT_EQ(slips.status, 200) << slips.raw;
  EXPECT_NE(slips.raw.find("<h2>孕产妇检查通知单</h2>"), std::string::npos);
  EXPECT_NE(slips.raw.find("孕中期第2次产前检查（孕16～20周）"), std::string::npos);

  // Planning again adds nothing.
  ApiReply again = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["by_kind"]["antenatal"]["enqueued"], 0) << again.raw;
  EXPECT_EQ(again.body["by_kind"]["antenatal"]["existing"], 4) << again.raw;

  // She comes today: the reminders still queued are cancelled, and none is planned again.
  ApiReply visit =
      api_->Post("/api/v1/pregnancies/" + pregnancy + "/visits", "n_center", {{"date", today}});
  ASSERT_EQ(visit.status, 201) << visit.raw;
  ApiReply after = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["by_kind"]["antenatal"]["cancelled"], 4) << after.raw;
  EXPECT_EQ(after.body["by_kind"]["antenatal"]["enqueued"], 0) << after.raw;
  EXPECT_EQ(after.body["cancelled"], 4);
  ApiReply closed = api_->Get("/api/v1/persons/" + woman + "/notices", "n_center");
  ASSERT_EQ(closed.status, 200) << closed.raw;
  for (const auto& n : closed.body["items"]) {
    EXPECT_EQ(n["status"], "cancelled") << n;
    EXPECT_EQ(n["last_error"], "contact_done") << n;
  }

  // The notices list filters by kind.
  ApiReply listed = api_->Get("/api/v1/notify/notices?kind=antenatal&page_size=200", "n_center");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(listed.body["items"].size(), 4u);

  // An unknown kind is a field error.
  ApiReply bad = api_->Post("/api/v1/notify/reminders", "n_center",
                            {{"clinic_code", clinic_}, {"kinds", {"flu"}}});
  ExpectFieldProblem(bad, 400, "kinds", "invalid_value");
}

// 规范 第三版 0～6岁儿童健康管理服务规范 二(三): a baby of the centre's area whose 3-month check-up
// is due is reminded through the guardian's phone (here the child's own number, no vaccination file
// naming another), once, until the check-up is recorded.
TEST_F(NotifyTest, ChildCheckupIsRemindedToTheGuardianUntilRecorded) {
  const std::string today = Iso(Today());
  const auto birth = year_month_day(sys_days(Today()) - days(100));
  const std::string child =
      AddMigrant("黄小宝", MakeResidentId("450803", Compact(birth), 61), "13612345678", 60);
  ASSERT_FALSE(child.empty());

  const json plan = WeekPlan({"child_checkup"});
  ApiReply first = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["by_kind"]["child_checkup"]["planned"], 1) << first.raw;
  EXPECT_EQ(first.body["by_kind"]["child_checkup"]["enqueued"], 4) << first.raw;
  ApiReply mine = api_->Get("/api/v1/persons/" + child + "/notices", "n_center");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["items"].size(), 4u) << mine.raw;
  for (const auto& n : mine.body["items"]) {
    EXPECT_EQ(n["idempotency_key"], "chk:" + child + ":m3:" + n.value("channel", ""));
    EXPECT_EQ(n["kind"], "child_checkup");
    EXPECT_EQ(n["subject"], "3月龄健康检查");
    EXPECT_NE(n.value("text", "").find("黄小宝的3月龄健康检查"), std::string::npos) << n;
  }
  ApiReply again = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["by_kind"]["child_checkup"]["existing"], 4) << again.raw;

  ApiReply checkup = api_->Post("/api/v1/persons/" + child + "/child-checkups", "n_center",
                                {{"date", today}, {"kind", "m3"}});
  ASSERT_EQ(checkup.status, 201) << checkup.raw;
  ApiReply after = api_->Post("/api/v1/notify/reminders", "n_center", plan);
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["by_kind"]["child_checkup"]["cancelled"], 4) << after.raw;
  EXPECT_EQ(after.body["by_kind"]["child_checkup"]["enqueued"], 0) << after.raw;
}

// A certificate linking a registered mother: the check-up reminder greets her by name and goes to
// the phone on her own record, as it is now (changed after the link), and so does the call list.
TEST_F(NotifyTest, RemindersGoToTheLinkedGuardiansCurrentPhone) {
  const auto birth = year_month_day(sys_days(Today()) - days(100));
  const std::string child =
      AddMigrant("孙小宝", MakeResidentId("450803", Compact(birth), 71), "13611110000", 100);
  const std::string mother =
      AddMigrant("孙静", MakeResidentId("450803", "19940312", 82), "13566667777", 400);
  ASSERT_FALSE(child.empty());
  ASSERT_FALSE(mother.empty());
  ApiReply f = api_->Post("/api/v1/persons/" + child + "/vaccination-file", "n_center",
                          {{"certificate_no", "JZ-LINK-1"},
                           {"issuing_clinic", clinic_},
                           {"guardian_person_id", mother},
                           {"guardian_relation", "mother"}});
  ASSERT_EQ(f.status, 201) << f.raw;
  ApiReply record = api_->Get("/api/v1/persons/" + mother, "n_center");
  ASSERT_EQ(record.status, 200) << record.raw;
  ApiReply changed = api_->Send("PATCH", "/api/v1/persons/" + mother, api_->Token("n_center"),
                                json{{"phone", "13588889999"}}.dump(),
                                {{"If-Match", std::to_string(record.body.value("version", 1))}});
  ASSERT_EQ(changed.status, 200) << changed.raw;

  ApiReply plan = api_->Post("/api/v1/notify/reminders", "n_center", WeekPlan({"child_checkup"}));
  ASSERT_EQ(plan.status, 200) << plan.raw;
  ApiReply mine = api_->Get("/api/v1/persons/" + child + "/notices", "n_center");
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_FALSE(mine.body["items"].empty()) << mine.raw;
  bool sms = false;
  for (const auto& n : mine.body["items"]) {
    // The text message greets the guardian by name; the call script and the web notice do not.
    if (n.value("channel", "") == "sms") {
      sms = true;
      EXPECT_NE(n.value("text", "").find("孙静"), std::string::npos) << n;
      EXPECT_EQ(n.value("recipient", ""), "135****9999") << n;
    }
  }
  EXPECT_TRUE(sms) << mine.raw;

  ApiReply a = api_->Post("/api/v1/appointments", "n_center",
                          {{"person_id", child},
                           {"clinic", clinic_},
                           {"date", Iso(sys_days(Today()) + days(2))},
                           {"vaccines", {"HepB"}}});
  ASSERT_EQ(a.status, 201) << a.raw;
  const std::string day = Iso(sys_days(Today()) + days(2));
  ApiReply planned = api_->Post(
      "/api/v1/notify/reminders", "n_center",
      {{"clinic_code", clinic_}, {"from", day}, {"to", day}, {"kinds", {"immunization"}}});
  ASSERT_EQ(planned.status, 200) << planned.raw;
  ApiReply calls = api_->Get(
      "/api/v1/notify/clinics/" + clinic_ + "/call-list?date=" + Iso(sys_days(Today()) + days(2)),
      "n_center");
  ASSERT_EQ(calls.status, 200) << calls.raw;
  bool listed = false;
  for (const auto& c : calls.body["items"]) listed |= c.value("phone", "") == "13588889999";
  EXPECT_TRUE(listed) << calls.raw;
}

}  // namespace
}  // namespace jd::integration
