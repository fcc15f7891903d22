// The outbox over a real database: idempotent planning, opt-outs, jurisdiction, the dispatcher's
// retries and claims, receipts and staff outcomes.
#include "notify/notify_service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "auth/auth_service.h"
#include "core/ids.h"
#include "registry/person_store.h"
#include "registry/test_support.h"

namespace jd::notify {
namespace {

namespace fs = std::filesystem;
using registry::testing_support::D;
using registry::testing_support::MakeId;

const Date kToday = D(2026, 11, 22);
const std::string kTomorrow = "2026-11-23";
const std::string kClinic = "450103001";

// A gateway that answers from a script (then `fallback`) and counts what it was given.
class ScriptedGateway final : public Gateway {
 public:
  explicit ScriptedGateway(std::deque<SendOutcome> script = {},
                           SendOutcome fallback = SendOutcome::kSent)
      : script_(std::move(script)), fallback_(fallback) {}
  Result<SendResult> Send(const Notice& n) override {
    std::lock_guard lock(mu_);
    ++calls_[n.idempotency_key];
    SendOutcome o = fallback_;
    if (!script_.empty()) {
      o = script_.front();
      script_.pop_front();
    }
    if (o == SendOutcome::kSent) ++accepted_[n.idempotency_key];
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    return SendResult{.outcome = o,
                      .message_id = o == SendOutcome::kSent ? "gw-" + n.id : "",
                      .error = o == SendOutcome::kSent ? "" : "scripted failure"};
  }
  std::string Describe() const override { return "scripted"; }
  std::map<std::string, int> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::map<std::string, int> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  std::chrono::milliseconds delay_{0};

 private:
  std::mutex mu_;
  std::deque<SendOutcome> script_;
  SendOutcome fallback_;
  std::map<std::string, int> calls_, accepted_;
};

class NotifyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_notify_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto db = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    clock_ = std::make_unique<FixedClock>(FixedClock::AtDate(kToday));
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), *clock_);
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, *clock_);
    using registry::OrgLevel;
    ASSERT_TRUE(
        registry_
            ->AddOrgUnits(
                System(),
                {{"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
                 {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
                 {"450102", "兴宁区", OrgLevel::kDistrict, "450100", "450100/450102/"},
                 {kClinic, "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"},
                 {"450102001", "民生街道", OrgLevel::kStreet, "450102",
                  "450100/450102/450102001/"}})
            .ok());
    service_ = std::make_unique<NotifyService>(*db_, *audit_, *clock_, *registry_);
  }
  void TearDown() override {
    service_.reset();
    registry_.reset();
    audit_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  static auth::Principal System() { return auth::AuthService::SystemPrincipal("test"); }
  static auth::Scope City() { return auth::ScopeOf(System()); }
  static auth::Principal User(auth::Role role, const std::string& org, const std::string& path) {
    auth::Principal p;
    p.user_id = "u-" + org;
    p.username = "user_" + org;
    p.role = role;
    p.org_code = org;
    p.org_path = path;
    p.client = "test";
    return p;
  }
  static auth::Principal Center() {
    return User(auth::Role::kCenter, kClinic, "450100/450103/450103001/");
  }
  static auth::Principal OtherCenter() {
    return User(auth::Role::kCenter, "450102001", "450100/450102/450102001/");
  }

  // A child living in `org` with a vaccination file (guardian phone may be empty).
  std::string AddChild(const std::string& name, const std::string& org, const std::string& phone,
                       int seq) {
    registry::Person p;
    p.id = NewId();
    p.name = name;
    p.birth_date = D(2025, 11, 1);
    p.id_number = MakeId("450103", "20251101", fmt::format("{:03d}", seq));
    p.hukou_division = "430528";
    p.residence_org = org;
    p.residence_path = registry_->FindOrg(org)->path;
    p.arrived_on = D(2025, 11, 5);
    p.created_at = p.updated_at = "2026-01-01T00:00:00.000Z";
    p.created_by = p.updated_by = "test";
    EXPECT_TRUE(db_->Write([&](soci::session& s) {
                     EXPECT_TRUE(registry::PersonStore::Insert(s, p, ""));
                     std::string cert = "C" + std::to_string(seq);
                     std::string guardian = name + "妈妈";
                     soci::indicator ind = storage::NullIfEmpty(phone);
                     s << "INSERT INTO vaccination_files(person_id, certificate_no, issued_on, "
                          "issuing_clinic_code, guardian_name, guardian_phone, created_at, "
                          "created_by, updated_at, updated_by) VALUES (:p, :c, '2025-11-06', "
                          ":cc, :g, :ph, 'x', 'x', 'x', 'x')",
                         soci::use(p.id), soci::use(cert), soci::use(kClinic), soci::use(guardian),
                         soci::use(phone, ind);
                     return Status::Ok();
                   })
                    .ok());
    return p.id;
  }

  std::string Book(const std::string& person, const std::string& date,
                   const std::string& vaccines = R"(["HepB"])",
                   const std::string& clinic = kClinic) {
    std::string id = NewId();
    EXPECT_TRUE(db_->Write([&](soci::session& s) {
                     s << "INSERT INTO appointments(id, person_id, clinic_code, appointment_date, "
                          "vaccines, status, created_at, created_by, updated_at, updated_by) "
                          "VALUES (:i, :p, :c, :d, :v, 'booked', 'x', 'x', 'x', 'x')",
                         soci::use(id), soci::use(person), soci::use(clinic), soci::use(date),
                         soci::use(vaccines);
                     return Status::Ok();
                   })
                    .ok());
    return id;
  }

  void SetAppointmentStatus(const std::string& id, const std::string& status) {
    ASSERT_TRUE(db_->Write([&](soci::session& s) {
                     s << "UPDATE appointments SET status = :s WHERE id = :i", soci::use(status),
                         soci::use(id);
                     return Status::Ok();
                   })
                    .ok());
  }

  void SetContact() {
    auto c = service_->PutClinicContact(
        System(), kClinic, {{"address", "青秀区新竹路1号"}, {"phone", "0771-5550000"}});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }

  PlanReport Plan(const auth::Principal& who = System()) {
    auto r = service_->PlanReminders(who, kClinic, D(2026, 11, 23), D(2026, 11, 23));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : PlanReport{};
  }

  std::vector<NoticeRow> All() {
    std::vector<NoticeRow> rows;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     rows = NoticeStore::List(s, City(), {.limit = 5000});
                     return Status::Ok();
                   })
                    .ok());
    return rows;
  }

  std::map<std::string, NoticeRow> ByKey() {
    std::map<std::string, NoticeRow> out;
    for (auto& r : All()) out[r.notice.idempotency_key] = r;
    return out;
  }

  long long AuditCount(const std::string& action, const std::string& result = "ok") {
    long long n = 0;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM audit_log WHERE action = :a AND result = :r",
                         soci::into(n), soci::use(action), soci::use(result);
                     return Status::Ok();
                   })
                    .ok());
    return n;
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<NotifyService> service_;
};

TEST_F(NotifyServiceTest, PlanningTwiceEnqueuesOneNoticePerAppointmentAndChannel) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string b = AddChild("李小明", kClinic, "", 3);
  std::string appt_a = Book(a, kTomorrow, R"(["HepB","MMR"])");
  std::string appt_b = Book(b, kTomorrow);
  Book(a, "2026-11-30");  // outside the day planned

  PlanReport first = Plan();
  EXPECT_EQ(first.appointments, 2);
  EXPECT_EQ(first.enqueued, 6);  // a: sms, phone, slip, web; b: slip, web (no phone)
  EXPECT_EQ(first.existing, 0);
  ASSERT_EQ(first.skipped.size(), 2u);
  EXPECT_EQ(first.skipped[0].reason, "no_phone");

  PlanReport second = Plan();
  EXPECT_EQ(second.enqueued, 0);
  EXPECT_EQ(second.existing, 6);

  auto notices = ByKey();
  ASSERT_EQ(notices.size(), 6u);
  for (const char* ch : {"sms", "phone", "slip", "web"}) {
    ASSERT_TRUE(notices.count("appt:" + appt_a + ":" + ch)) << ch;
  }
  EXPECT_TRUE(notices.count("appt:" + appt_b + ":slip"));
  EXPECT_FALSE(notices.count("appt:" + appt_b + ":sms"));
  const Notice& sms = notices["appt:" + appt_a + ":sms"].notice;
  EXPECT_EQ(sms.recipient, "13800138000");
  EXPECT_EQ(sms.status, NoticeStatus::kQueued);
  EXPECT_NE(sms.text.find("乙肝疫苗、麻腮风疫苗"), std::string::npos) << sms.text;
  EXPECT_NE(sms.text.find("王小花妈妈"), std::string::npos) << sms.text;
  EXPECT_EQ(AuditCount("notice.enqueue"), 6);
}

// Check-up reminders (notify/contact_reminders.h) are planned only when their kind is, for the
// children living in the centre's area, to the guardian of the vaccination file, and only by
// callers with the maternal-care permission.
TEST_F(NotifyServiceTest, CheckupRemindersGoToTheGuardianWhenTheirKindIsPlanned) {
  SetContact();
  const std::string here = AddChild("王小花", kClinic, "13800138000", 1);
  AddChild("张小军", "450102001", "13900139000", 5);  // another district: not this centre's area
  EXPECT_EQ(Plan(Center()).enqueued, 0);              // immunisation alone
  auto r =
      service_->PlanReminders(Center(), kClinic, kToday, kToday, {ReminderKind::kChildCheckup});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->by_kind[ReminderKind::kChildCheckup].planned, 1);  // m12, due until 2026-11-30
  EXPECT_EQ(r->enqueued, 4);
  auto notices = ByKey();
  ASSERT_EQ(notices.size(), 4u);
  const Notice& sms = notices["chk:" + here + ":m12:sms"].notice;
  EXPECT_EQ(sms.recipient, "13800138000");
  EXPECT_EQ(sms.appointment_date, "2026-11-22");
  EXPECT_EQ(sms.clinic_code, kClinic);
  EXPECT_NE(sms.text.find("王小花妈妈"), std::string::npos) << sms.text;
  EXPECT_NE(sms.text.find("王小花的12月龄健康检查"), std::string::npos) << sms.text;

  // Every kind the city may plan: nothing new.
  auto all = service_->PlanReminders(System(), kClinic, kToday, kToday, {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->kinds.size(), 3u);
  EXPECT_EQ(all->enqueued, 0);
  EXPECT_EQ(all->existing, 4);

  // A village clinic may plan no kind, and naming one is refused too.
  auto village = User(auth::Role::kVillage, kClinic, "450100/450103/450103001/");
  EXPECT_EQ(service_->PlanReminders(village, kClinic, kToday, kToday, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->PlanReminders(village, kClinic, kToday, kToday, {ReminderKind::kAntenatal})
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

TEST_F(NotifyServiceTest, PlanningNeedsTheClinicsAddressAndPhone) {
  Book(AddChild("王小花", kClinic, "13800138000", 1), kTomorrow);
  auto r = service_->PlanReminders(System(), kClinic, D(2026, 11, 23), D(2026, 11, 23));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().field_errors()[0].code, "clinic_contact_missing");
  EXPECT_TRUE(All().empty());

  auto bad = service_->PutClinicContact(System(), kClinic, {{"address", ""}, {"phone", "call me"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field_errors().size(), 2u);
  auto range = service_->PlanReminders(System(), kClinic, D(2026, 11, 23), D(2026, 11, 22));
  EXPECT_EQ(range.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NotifyServiceTest, CallersPlanOnlyForTheirClinicsAndChildren) {
  SetContact();
  std::string here = AddChild("王小花", kClinic, "13800138000", 1);
  std::string elsewhere = AddChild("张小军", "450102001", "13900139000", 5);
  Book(here, kTomorrow);
  Book(elsewhere, kTomorrow);  // lives in another district, vaccinated at this clinic

  auto outside = service_->PlanReminders(OtherCenter(), kClinic, D(2026, 11, 23), D(2026, 11, 23));
  EXPECT_EQ(outside.status().code(), StatusCode::kNotFound);
  auto village = User(auth::Role::kVillage, kClinic, "450100/450103/450103001/");
  EXPECT_EQ(
      service_->PlanReminders(village, kClinic, D(2026, 11, 23), D(2026, 11, 23)).status().code(),
      StatusCode::kPermissionDenied);

  PlanReport center = Plan(Center());
  EXPECT_EQ(center.appointments, 1);
  for (const auto& r : All()) EXPECT_EQ(r.notice.person_id, here);

  // The other center sees neither the notices nor the child's list.
  auto list = service_->ListNotices(OtherCenter(), {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  auto denied = service_->NoticesOfPerson(OtherCenter(), here);
  EXPECT_EQ(denied.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditCount("notice.read", "denied"), 1);

  PlanReport city = Plan();
  EXPECT_EQ(city.appointments, 2);
  EXPECT_EQ(city.existing, 4);
  EXPECT_EQ(city.enqueued, 4);
}

TEST_F(NotifyServiceTest, OptOutCancelsQueuedNoticesAndOptInQueuesThemAgain) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(a, kTomorrow);
  Plan();
  auto out =
      service_->OptOutOf(Center(), a, {{"channels", {"sms", "phone"}}, {"reason", "不需要"}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->size(), 2u);
  auto notices = ByKey();
  EXPECT_EQ(notices["appt:" + appt + ":sms"].notice.status, NoticeStatus::kCancelled);
  EXPECT_EQ(notices["appt:" + appt + ":phone"].notice.status, NoticeStatus::kCancelled);
  EXPECT_EQ(notices["appt:" + appt + ":web"].notice.status, NoticeStatus::kQueued);

  PlanReport again = Plan();
  EXPECT_EQ(again.enqueued, 0);
  EXPECT_EQ(again.skipped.size(), 2u);

  // A new appointment skips the opted-out channels from the start.
  std::string appt2 = Book(a, "2026-11-23", R"(["BCG"])");
  Plan();
  EXPECT_FALSE(ByKey().count("appt:" + appt2 + ":sms"));
  EXPECT_TRUE(ByKey().count("appt:" + appt2 + ":web"));

  ASSERT_TRUE(service_->OptIn(Center(), a, {{"channels", {"sms"}}}).ok());
  PlanReport revived = Plan();
  EXPECT_EQ(revived.enqueued, 2);  // the cancelled sms of appt and the new sms of appt2
  notices = ByKey();
  EXPECT_EQ(notices["appt:" + appt + ":sms"].notice.status, NoticeStatus::kQueued);
  EXPECT_EQ(notices["appt:" + appt + ":phone"].notice.status, NoticeStatus::kCancelled);
  EXPECT_EQ(AuditCount("notice.opt_out"), 2);
  EXPECT_EQ(AuditCount("notice.opt_in"), 1);

  EXPECT_EQ(service_->OptOutOf(Center(), a, {{"channels", {"fax"}}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->OptOutOf(OtherCenter(), a, {{"channels", {"sms"}}}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(NotifyServiceTest, NoticesOfAppointmentsNoLongerBookedAreCancelled) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(a, kTomorrow);
  Plan();
  SetAppointmentStatus(appt, "rescheduled");
  std::string moved = Book(a, kTomorrow, R"(["IPV"])");
  PlanReport r = Plan();
  EXPECT_EQ(r.cancelled, 4);
  EXPECT_EQ(r.enqueued, 4);
  for (const auto& [key, row] : ByKey()) {
    bool old = key.find(appt) != std::string::npos;
    EXPECT_EQ(row.notice.status, old ? NoticeStatus::kCancelled : NoticeStatus::kQueued) << key;
    if (!old) {
      EXPECT_NE(key.find(moved), std::string::npos);
    }
  }
}

TEST_F(NotifyServiceTest, DrainRetriesWithBackoffAndSendsOnlyGatewayChannels) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(a, kTomorrow);
  Plan();
  ScriptedGateway gw({SendOutcome::kTransient});
  DrainOptions opt{.retry = {.max_attempts = 5, .base = std::chrono::seconds(60)}};
  auto first = service_->Drain(System(), gw, opt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->claimed, 2);  // sms and web; phone and slip are for staff
  EXPECT_EQ(first->sent, 1);
  EXPECT_EQ(first->retried, 1);

  auto notices = ByKey();
  const Notice* retry = nullptr;
  for (const char* ch : {"sms", "web"}) {
    const Notice& n = notices["appt:" + appt + ":" + ch].notice;
    if (n.status == NoticeStatus::kQueued) retry = &notices["appt:" + appt + ":" + ch].notice;
  }
  ASSERT_NE(retry, nullptr);
  EXPECT_EQ(retry->attempts, 1);
  EXPECT_EQ(retry->last_error, "scripted failure");
  EXPECT_EQ(retry->next_attempt_at, FormatTimestamp(clock_->Now() + std::chrono::seconds(60)));
  EXPECT_EQ(notices["appt:" + appt + ":phone"].notice.attempts, 0);
  EXPECT_EQ(notices["appt:" + appt + ":phone"].notice.status, NoticeStatus::kQueued);

  // Not due yet: nothing happens; after the wait it goes.
  auto early = service_->Drain(System(), gw, opt);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->claimed, 0);
  clock_->Advance(std::chrono::seconds(61));
  auto later = service_->Drain(System(), gw, opt);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->sent, 1);
  auto after = ByKey();
  for (const char* ch : {"sms", "web"}) {
    const Notice& n = after["appt:" + appt + ":" + ch].notice;
    EXPECT_EQ(n.status, NoticeStatus::kSent) << ch;
    EXPECT_EQ(n.gateway_message_id, "gw-" + n.id);
    EXPECT_TRUE(n.last_error.empty());
    EXPECT_EQ(gw.accepted()[n.idempotency_key], 1);
  }
  // Each attempt is audited.
  EXPECT_EQ(AuditCount("notice.send"), 2);
  EXPECT_EQ(AuditCount("notice.send", "failed"), 1);
}

TEST_F(NotifyServiceTest, TransientFailuresStopAtMaxAttemptsAndPermanentOnesAtOnce) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(a, kTomorrow);
  Plan();
  // sms first (channel order is by next_attempt_at then id; both are due now): permanent for one,
  // transient forever for the other.
  ScriptedGateway gw({SendOutcome::kPermanent}, SendOutcome::kTransient);
  auto r = service_->Drain(System(), gw,
                           {.retry = {.max_attempts = 3, .base = std::chrono::milliseconds(0)}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed, 2);
  EXPECT_EQ(r->claimed, 4);  // 1 permanent + 3 transient
  std::vector<int> attempts;
  auto notices = ByKey();
  for (const char* ch : {"sms", "web"}) {
    const Notice& n = notices["appt:" + appt + ":" + ch].notice;
    EXPECT_EQ(n.status, NoticeStatus::kFailed);
    EXPECT_FALSE(n.finished_at.empty());
    attempts.push_back(n.attempts);
  }
  std::sort(attempts.begin(), attempts.end());
  EXPECT_EQ(attempts, (std::vector<int>{1, 3}));
}

TEST_F(NotifyServiceTest, TwoDrainersNeverSendTheSameNotice) {
  SetContact();
  for (int i = 0; i < 12; ++i) {
    Book(AddChild("儿童" + std::to_string(i), kClinic, "1380013800" + std::to_string(i % 10),
                  11 + 2 * i),
         kTomorrow);
  }
  Plan();
  ScriptedGateway gw;
  gw.delay_ = std::chrono::milliseconds(2);
  DrainOptions opt{.batch = 3};
  std::thread t1([&] { ASSERT_TRUE(service_->Drain(System(), gw, opt).ok()); });
  std::thread t2([&] { ASSERT_TRUE(service_->Drain(System(), gw, opt).ok()); });
  t1.join();
  t2.join();
  auto calls = gw.calls();
  EXPECT_EQ(calls.size(), 24u);
  for (const auto& [key, n] : calls) EXPECT_EQ(n, 1) << key;
  for (const auto& r : All()) {
    if (ViaGateway(r.notice.channel)) {
      EXPECT_EQ(r.notice.status, NoticeStatus::kSent);
      EXPECT_EQ(r.notice.attempts, 1);
    }
  }
}

TEST_F(NotifyServiceTest, ReceiptsAndStaffOutcomesFinishNotices) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(a, kTomorrow);
  Plan();
  ScriptedGateway gw;
  ASSERT_TRUE(service_->Drain(System(), gw, {}).ok());
  Notice sms = ByKey()["appt:" + appt + ":sms"].notice;
  auto gateway = NotifyService::GatewayPrincipal("127.0.0.1", "r1");

  auto delivered = service_->RecordReceipt(
      gateway, {{"message_id", sms.gateway_message_id}, {"status", "delivered"}});
  ASSERT_TRUE(delivered.ok()) << delivered.status().ToString();
  EXPECT_EQ(delivered->notice.status, NoticeStatus::kDelivered);
  // The same receipt again is fine; a contradicting one is refused.
  EXPECT_TRUE(service_
                  ->RecordReceipt(
                      gateway, {{"idempotency_key", sms.idempotency_key}, {"status", "delivered"}})
                  .ok());
  EXPECT_EQ(
      service_
          ->RecordReceipt(gateway, {{"idempotency_key", sms.idempotency_key}, {"status", "failed"}})
          .status()
          .code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->RecordReceipt(gateway, {{"message_id", "nope"}, {"status", "delivered"}})
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      service_->RecordReceipt(gateway, {{"message_id", "x"}, {"status", "sent"}}).status().code(),
      StatusCode::kInvalidArgument);

  Notice phone = ByKey()["appt:" + appt + ":phone"].notice;
  EXPECT_EQ(
      service_->RecordOutcome(OtherCenter(), phone.id, {{"status", "delivered"}}).status().code(),
      StatusCode::kNotFound);
  auto called = service_->RecordOutcome(Center(), phone.id, {{"status", "delivered"}});
  ASSERT_TRUE(called.ok()) << called.status().ToString();
  EXPECT_EQ(called->notice.status, NoticeStatus::kDelivered);
  EXPECT_EQ(AuditCount("notice.outcome", "denied"), 1);
  EXPECT_EQ(AuditCount("notice.receipt"), 2);
}

TEST_F(NotifyServiceTest, SlipsAndCallListAreTheDaysNoticesAuditedPerChild) {
  SetContact();
  std::string a = AddChild("王小花", kClinic, "13800138000", 1);
  std::string b = AddChild("李小明", kClinic, "", 3);
  Book(a, kTomorrow);
  Book(b, kTomorrow);
  Plan();
  auto slips = service_->Slips(Center(), kClinic, D(2026, 11, 23));
  ASSERT_TRUE(slips.ok()) << slips.status().ToString();
  EXPECT_EQ(slips->rows.size(), 2u);
  EXPECT_EQ(slips->clinic.address, "青秀区新竹路1号");
  auto calls = service_->CallList(Center(), kClinic, D(2026, 11, 23));
  ASSERT_TRUE(calls.ok());
  ASSERT_EQ(calls->rows.size(), 1u);
  EXPECT_EQ(calls->rows[0].notice.recipient, "13800138000");
  EXPECT_EQ(NoticeToJson(calls->rows[0], /*mask=*/true)["recipient"], "138****8000");
  EXPECT_EQ(AuditCount("notice.slips"), 3);  // two children + the clinic's day
  EXPECT_EQ(AuditCount("notice.call_list"), 2);
  EXPECT_EQ(service_->Slips(OtherCenter(), kClinic, D(2026, 11, 23)).status().code(),
            StatusCode::kNotFound);
}

TEST_F(NotifyServiceTest, AClaimIsHeldUntilItsLeaseEnds) {
  SetContact();
  Book(AddChild("王小花", kClinic, "13800138000", 1), kTomorrow);
  Plan();
  auto now = clock_->Now();
  auto at = [&](std::chrono::minutes m) { return FormatTimestamp(now + m); };
  std::vector<Notice> a, b, c;
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   a = NoticeStore::ClaimDue(s, City(), at(std::chrono::minutes(0)),
                                             at(std::chrono::minutes(5)), "drainer-a", 10);
                   // A second drainer meanwhile finds nothing to take.
                   b = NoticeStore::ClaimDue(s, City(), at(std::chrono::minutes(1)),
                                             at(std::chrono::minutes(6)), "drainer-b", 10);
                   // Drainer a died: after the lease its notices are taken again.
                   c = NoticeStore::ClaimDue(s, City(), at(std::chrono::minutes(5)),
                                             at(std::chrono::minutes(10)), "drainer-c", 10);
                   // a's late outcome no longer counts.
                   EXPECT_FALSE(NoticeStore::MarkSent(s, a[0].id, "drainer-a", "",
                                                      at(std::chrono::minutes(6))));
                   EXPECT_TRUE(NoticeStore::MarkSent(s, c[0].id, "drainer-c", "",
                                                     at(std::chrono::minutes(6))));
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(a.size(), 2u);  // sms and web
  EXPECT_TRUE(b.empty());
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].attempts, 2);
  // Out of scope for a drainer of another area.
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   EXPECT_TRUE(NoticeStore::ClaimDue(s, auth::ScopeOf(OtherCenter()),
                                                     at(std::chrono::minutes(20)),
                                                     at(std::chrono::minutes(25)), "d", 10)
                                   .empty());
                   // Nor for the default scope, which covers nobody.
                   EXPECT_TRUE(NoticeStore::ClaimDue(s, auth::Scope(), at(std::chrono::minutes(20)),
                                                     at(std::chrono::minutes(25)), "d", 10)
                                   .empty());
                   return Status::Ok();
                 })
                  .ok());
}

TEST_F(NotifyServiceTest, TheDefaultScopeReadsNothingAndAReadByIdOutsideGivesNoData) {
  SetContact();
  std::string here = AddChild("王小花", kClinic, "13800138000", 1);
  std::string appt = Book(here, kTomorrow);
  Plan();
  ASSERT_EQ(All().size(), 4u);  // sms, phone, slip and web
  const std::string id = ByKey()["appt:" + appt + ":sms"].notice.id;
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(service_->OptOutOf(Center(), here, {{"channels", {"phone"}}}).ok());
  const auth::Scope none;
  const auth::Scope other = auth::ScopeOf(OtherCenter());
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   // Before the conversion an empty scope meant the whole city.
                   EXPECT_TRUE(NoticeStore::List(s, none, {.limit = 5000}).empty());
                   EXPECT_TRUE(NoticeStore::List(s, none, {.person_id = here}).empty());
                   EXPECT_TRUE(NoticeStore::OptOuts(s, none, here).empty());
                   EXPECT_TRUE(
                       NoticeStore::Appointments(s, none, kClinic, kTomorrow, kTomorrow).empty());
                   EXPECT_TRUE(NoticeStore::CancelStale(s, none, kClinic, kTomorrow, kTomorrow,
                                                        "2026-11-22T00:00:00.000Z")
                                   .empty());
                   EXPECT_EQ(NoticeStore::CancelQueued(s, none, here, Channel::kSms, "x",
                                                       "2026-11-22T00:00:00.000Z"),
                             0);
                   EXPECT_FALSE(NoticeStore::SetOutcome(s, other, id, NoticeStatus::kDelivered, "",
                                                        "2026-11-22T00:00:00.000Z"));
                   EXPECT_FALSE(NoticeStore::RemoveOptOut(s, other, here, Channel::kPhone));

                   // By id: found within the scope; outside it, only that it exists.
                   auto in = NoticeStore::Get(s, City(), id);
                   EXPECT_TRUE(in.has_value());
                   if (in) {
                     EXPECT_EQ(in->child_name, "王小花");
                   }
                   for (const auth::Scope& scope : {none, other}) {
                     auto out = NoticeStore::Get(s, scope, id);
                     EXPECT_FALSE(out.has_value());
                     EXPECT_TRUE(out.outside_scope());
                     EXPECT_FALSE(std::move(out).release().has_value());
                     auto receipt = NoticeStore::FindForReceipt(s, scope, "appt:" + appt + ":sms");
                     EXPECT_FALSE(receipt.has_value());
                     EXPECT_TRUE(receipt.outside_scope());
                   }
                   auto unknown = NoticeStore::Get(s, City(), NewId());
                   EXPECT_FALSE(unknown.has_value());
                   EXPECT_FALSE(unknown.outside_scope());
                   return Status::Ok();
                 })
                  .ok());
  // Nothing above changed the rows: the sms is still queued, the phone opt-out still there.
  EXPECT_EQ(ByKey()["appt:" + appt + ":sms"].notice.status, NoticeStatus::kQueued);
  auto mine = service_->NoticesOfPerson(Center(), here);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->opt_outs.size(), 1u);
  // A user without a unit reads nobody (formerly a path no one lived under).
  auto homeless = User(auth::Role::kCommission, "", "");
  auto list = service_->ListNotices(homeless, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  // An opt-in for a child of another area is refused like an unknown id, and audited as denied.
  EXPECT_EQ(service_->OptIn(OtherCenter(), here, {{"channels", {"phone"}}}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AuditCount("notice.opt_in", "denied"), 1);
}

TEST_F(NotifyServiceTest, OnlyTheAreasAdministratorsDrainAndOnlyTheirArea) {
  SetContact();
  std::string here = AddChild("王小花", kClinic, "13800138000", 1);
  Book(here, kTomorrow);
  Plan();
  ScriptedGateway gw;
  EXPECT_EQ(service_->Drain(Center(), gw, {}).status().code(), StatusCode::kPermissionDenied);
  // Another district's administrator may drain, and sends nothing of this district's children,
  // whatever scope the options carried.
  auto other = User(auth::Role::kDistrict, "450102", "450100/450102/");
  DrainOptions city{.scope = City()};
  auto r = service_->Drain(other, gw, city);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->claimed, 0);
  EXPECT_TRUE(gw.calls().empty());
  auto district = User(auth::Role::kDistrict, "450103", "450100/450103/");
  auto mine = service_->Drain(district, gw, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->sent, 2);  // sms and web
}

TEST(LeaseTest, CoversABatchAtTheGatewayTimeout) {
  using std::chrono::minutes;
  using std::chrono::seconds;
  EXPECT_EQ(LeaseFor(20, seconds(10)), minutes(5));
  EXPECT_EQ(LeaseFor(20, seconds(60)), minutes(21));
}

}  // namespace
}  // namespace jd::notify
