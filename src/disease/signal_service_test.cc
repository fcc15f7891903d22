// The signal service over a real database file with the clock pinned at 2026-11-20 12:00 Beijing
// time: the on-save path (OnCardSaved, as the card service calls it) raises the fixed-threshold
// and work-site cluster signals once; the daily run raises the moving-percentile and EARS signals
// once; a district CDC sees its district only (audited denials), HIV/TB needs hiv_tb_care; the
// response (verify, event, investigation, measures, closure) is timed and judged to standard.
// Cards are written straight into migration 0020's table, as the card service would.
#include "disease/signal_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "core/ids.h"

namespace jd::disease {
namespace {

namespace fs = std::filesystem;
using registry::OrgLevel;

const std::vector<registry::OrgUnit> kTree = {
    {"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
    {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
    {"450103001", "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"},
    {"450105", "江南区", OrgLevel::kDistrict, "450100", "450100/450105/"},
    {"450105001", "江南街道", OrgLevel::kStreet, "450105", "450100/450105/450105001/"},
};

class SignalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_signal_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto opened = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock_);
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, clock_);
    ASSERT_TRUE(registry_->AddOrgUnits(auth::AuthService::SystemPrincipal("test"), kTree).ok());
    service_ = std::make_unique<SignalService>(*db_, *audit_, clock_, *registry_);
  }
  void TearDown() override {
    service_.reset();
    registry_.reset();
    audit_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  static auth::Principal User(auth::Role role, const std::string& org, const std::string& path) {
    auth::Principal p;
    p.user_id = NewId();
    p.username = "u_" + org + "_" + std::string(auth::RoleCode(role));
    p.role = role;
    p.org_code = org;
    p.org_path = path;
    p.client = "test";
    return p;
  }

  // Writes an active card and returns what the card service would tell its listener.
  CardSaved Card(const std::string& disease, const std::string& district, const std::string& onset,
                 const std::string& reported_at, const std::string& site = "") {
    CardSaved c;
    c.card_id = NewId();
    c.disease_code = disease;
    c.district_code = district;
    c.residence_path = "450100/" + district + "/" + district + "001/";
    c.work_site_key = site;
    c.work_site_kind = site.empty() ? "" : "construction_site";
    c.onset_date = *ParseDate(onset);
    c.reported_at = reported_at;
    std::string street = district + "001", name = "张三丰";
    Status st = db_->Write([&](soci::session& s) {
      s << "INSERT INTO disease_cards(id, patient_name, sex, patient_belongs, current_address, "
           "residence_path, district_code, occupation, work_site_kind, work_site_name, "
           "work_site_key, disease_code, case_class, onset_date, diagnosed_at, reported_at, "
           "reporting_unit, reporting_doctor, created_at, created_by, updated_at, updated_by) "
           "VALUES (:id, :name, 'male', 'other_province', '测试路1号', :path, :district, "
           "'construction_worker', :kind, :site, :site, :disease, 'confirmed', :onset, :at, :at, "
           ":unit, '王医生', :at, 'test', :at, 'test')",
          soci::use(c.card_id, "id"), soci::use(name, "name"), soci::use(c.residence_path, "path"),
          soci::use(c.district_code, "district"), soci::use(c.work_site_kind, "kind"),
          soci::use(c.work_site_key, "site"), soci::use(c.disease_code, "disease"),
          soci::use(onset, "onset"), soci::use(c.reported_at, "at"), soci::use(street, "unit");
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return c;
  }

  int Signals(const std::string& kind) {
    int n = 0;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM disease_signals WHERE kind = :k", soci::use(kind),
                         soci::into(n);
                     return Status::Ok();
                   })
                    .ok());
    return n;
  }

  long long Denied(const auth::Principal& who) {
    auto rows = audit_->Query({.user_id = who.user_id, .limit = 100});
    long long n = 0;
    for (const auto& r : *rows) n += r.result == "denied";
    return n;
  }

  fs::path dir_;
  // 2026-11-20 12:00 Beijing time.
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} +
                    std::chrono::hours(4)};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<SignalService> service_;
  auth::Principal cdc_a_ = User(auth::Role::kCdc, "450103", "450100/450103/");
  auth::Principal cdc_b_ = User(auth::Role::kCdc, "450105", "450100/450105/");
  auth::Principal cdc_city_ = User(auth::Role::kCdc, "450100", "450100/");
  auth::Principal district_a_ = User(auth::Role::kDistrict, "450103", "450100/450103/");
};

// CIDARS fixed threshold: one cholera card raises one signal at once, seen by its district's CDC
// only; the listener and the daily run meet the same card without a second signal.
TEST_F(SignalServiceTest, AFixedThresholdCardRaisesOneSignalOnSave) {
  CardSaved card = Card("cholera", "450103", "2026-11-19", "2026-11-20T02:00:00.000Z");
  service_->OnCardSaved(card);
  service_->OnCardSaved(card);  // a repeated call (e.g. a correction) raises nothing new
  EXPECT_EQ(Signals("fixed_threshold"), 1);

  auto mine = service_->List(cdc_a_, {});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  const Signal& sig = (*mine)[0].signal;
  EXPECT_EQ(sig.kind, SignalKind::kFixedThreshold);
  EXPECT_EQ(sig.card_ids, std::vector<std::string>{card.card_id});
  EXPECT_EQ(sig.status, SignalStatus::kOpen);
  EXPECT_EQ(sig.verify_due_at, "2026-11-21T04:00:00.000Z");  // 24 h after raising

  auto other = service_->List(cdc_b_, {});
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  auto refused = service_->Get(cdc_b_, sig.id);
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Denied(cdc_b_), 1);
  auto city = service_->Get(cdc_city_, sig.id);
  ASSERT_TRUE(city.ok());
  ASSERT_EQ(city->cards.size(), 1u);
  EXPECT_EQ(city->cards[0].masked_name, "张**");

  auto run =
      service_->RunDaily(auth::AuthService::SystemPrincipal("test"), *ParseDate("2026-11-20"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(Signals("fixed_threshold"), 1);
  auto summary = service_->Summary(cdc_a_);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->open, 1);
  EXPECT_EQ(summary->overdue, 0);
  clock_.Advance(std::chrono::hours(25));
  EXPECT_EQ(service_->Summary(cdc_a_)->overdue, 1);
  EXPECT_EQ(service_->Summary(cdc_b_)->open, 0);
}

// 3 cases of one disease at one site within 7 days: one cluster signal; a fourth case of the same
// cluster joins that signal (its count and end move on, audited) instead of raising another; a
// deleted card raises nothing.
TEST_F(SignalServiceTest, AWorkSiteClusterIsRaisedOnceAndGrows) {
  const std::string site = "南湖工地";
  service_->OnCardSaved(Card("dysentery", "450103", "2026-11-14", "2026-11-15T01:00:00Z", site));
  service_->OnCardSaved(Card("dysentery", "450103", "2026-11-16", "2026-11-17T01:00:00Z", site));
  EXPECT_EQ(Signals("work_site_cluster"), 0);
  service_->OnCardSaved(Card("dysentery", "450103", "2026-11-19", "2026-11-20T01:00:00Z", site));
  EXPECT_EQ(Signals("work_site_cluster"), 1);
  service_->OnCardSaved(Card("dysentery", "450103", "2026-11-20", "2026-11-20T02:00:00Z", site));
  EXPECT_EQ(Signals("work_site_cluster"), 1);
  // Another disease at the same site counts apart.
  CardSaved flu = Card("influenza", "450103", "2026-11-19", "2026-11-20T01:00:00Z", site);
  flu.active = false;
  flu.change = CardChange::kDeleted;
  service_->OnCardSaved(flu);
  EXPECT_EQ(Signals("work_site_cluster"), 1);
  auto list = service_->List(cdc_a_, {.status = SignalStatus::kOpen});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  const Signal& sig = (*list)[0].signal;
  EXPECT_EQ(sig.card_ids.size(), 4u);
  EXPECT_EQ(sig.observed, 4);
  EXPECT_EQ(FormatDate(sig.period_end), "2026-11-20");
  EXPECT_EQ(sig.work_site_key, site);
  auto grown = audit_->Query({.action_prefix = "signal.grow", .limit = 10});
  ASSERT_TRUE(grown.ok());
  ASSERT_EQ(grown->size(), 1u);
  EXPECT_EQ((*grown)[0].object_id, sig.id);
}

// A TB cluster is seen by the CDC (hiv_tb_care) and not by the district administration.
TEST_F(SignalServiceTest, TuberculosisSignalsNeedHivTbCare) {
  const std::string site = "电子厂宿舍";
  for (const char* onset : {"2026-11-10", "2026-11-12", "2026-11-15"}) {
    service_->OnCardSaved(Card("tuberculosis", "450103", onset, "2026-11-18T01:00:00Z", site));
  }
  ASSERT_EQ(Signals("work_site_cluster"), 1);
  auto cdc = service_->List(cdc_a_, {});
  ASSERT_TRUE(cdc.ok());
  ASSERT_EQ(cdc->size(), 1u);
  auto admin = service_->List(district_a_, {});
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->empty());
  EXPECT_EQ(service_->Get(district_a_, (*cdc)[0].signal.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Summary(district_a_)->open, 0);
}

// The daily run: the first dysentery cases of a quiet district signal by the moving percentile
// and EARS C1/C2 (C3 is undefined over zero variance); a second run raises nothing new.
TEST_F(SignalServiceTest, TheDailyRunRaisesTemporalSignalsOnce) {
  Card("dysentery", "450105", "2026-11-19", "2026-11-20T01:00:00Z");
  Card("dysentery", "450105", "2026-11-19", "2026-11-20T03:00:00Z");
  Card("dysentery", "450105", "2026-11-18", "2026-11-19T17:00:00Z");  // 11-20 01:00 Beijing
  const auto system = auth::AuthService::SystemPrincipal("test");
  auto first = service_->RunDaily(system, *ParseDate("2026-11-20"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->series, 1);
  EXPECT_EQ(first->raised, 3);
  EXPECT_EQ(Signals("moving_percentile"), 1);
  EXPECT_EQ(Signals("ears_c1"), 1);
  EXPECT_EQ(Signals("ears_c2"), 1);
  EXPECT_EQ(Signals("ears_c3"), 0);
  auto again = service_->RunDaily(system, *ParseDate("2026-11-20"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->raised, 0);
  EXPECT_EQ(again->already, 3);
  auto list = service_->List(cdc_b_, {.disease_code = "dysentery"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  for (const auto& v : *list) EXPECT_EQ(v.signal.observed, 3);  // the week's 3 and the day's 3
  // Only the system or the CDC may run it.
  EXPECT_EQ(service_->RunDaily(district_a_, *ParseDate("2026-11-20")).status().code(),
            StatusCode::kPermissionDenied);
}

// Verify → event → investigation → measures → closure, each step timed; handled to standard when
// every step is within its limit.
TEST_F(SignalServiceTest, AnEventHandledInTimeIsToStandard) {
  service_->OnCardSaved(Card("cholera", "450103", "2026-11-19", "2026-11-20T02:00:00Z"));
  const std::string id = service_->List(cdc_a_, {})->at(0).signal.id;
  EXPECT_EQ(service_->Verify(district_a_, id, {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Verify(cdc_b_, id, {.outcome = VerifyOutcome::kEvent}).status().code(),
            StatusCode::kNotFound);
  auto excluded_without_note = service_->Verify(cdc_a_, id, {.outcome = VerifyOutcome::kExcluded});
  ASSERT_EQ(excluded_without_note.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(excluded_without_note.status().field_errors()[0].field, "note");

  clock_.Advance(std::chrono::hours(2));
  auto verified = service_->Verify(cdc_a_, id,
                                   {.outcome = VerifyOutcome::kEvent,
                                    .note = "核实为确诊病例",
                                    .event_kind = EventKind::kOutbreak});
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->signal.status, SignalStatus::kEventOpened);
  ASSERT_FALSE(verified->signal.event_id.empty());
  EXPECT_EQ(service_->Verify(cdc_a_, id, {.outcome = VerifyOutcome::kExcluded, .note = "x"})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);

  const std::string event_id = verified->signal.event_id;
  clock_.Advance(std::chrono::hours(5));
  auto investigated = service_->UpdateEvent(cdc_a_, event_id, {.investigation = "流调完成"}, 1);
  ASSERT_TRUE(investigated.ok()) << investigated.status().ToString();
  EXPECT_TRUE(investigated->steps.investigated_on_time);
  EXPECT_EQ(service_->UpdateEvent(cdc_a_, event_id, {.measures = "消毒"}, 1).status().code(),
            StatusCode::kFailedPrecondition);  // stale version
  clock_.Advance(std::chrono::hours(20));
  auto measures = service_->UpdateEvent(cdc_a_, event_id, {.measures = "隔离治疗、终末消毒"}, 2);
  ASSERT_TRUE(measures.ok());
  EXPECT_NEAR(*measures->steps.measures_hours, 25.0, 1e-6);
  EXPECT_EQ(service_->CloseEvent(cdc_a_, event_id, "", 3).status().code(),
            StatusCode::kInvalidArgument);
  auto closed = service_->CloseEvent(cdc_a_, event_id, "14天无续发病例，结案", 3);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ASSERT_TRUE(closed->event.handled_to_standard.has_value());
  EXPECT_TRUE(*closed->event.handled_to_standard);
  EXPECT_EQ(closed->signal_ids, std::vector<std::string>{id});
  EXPECT_EQ(service_->UpdateEvent(cdc_a_, event_id, {.measures = "x"}, 4).status().code(),
            StatusCode::kFailedPrecondition);  // closed
  auto summary = service_->Summary(cdc_a_);
  EXPECT_EQ(summary->events, 1);
  EXPECT_EQ(summary->events_handled, 1);
  EXPECT_EQ(summary->open, 0);
  EXPECT_EQ(service_->Summary(cdc_b_)->events, 0);
  EXPECT_EQ(service_->GetEvent(cdc_b_, event_id).status().code(), StatusCode::kNotFound);
}

// An event whose measures came after 48 hours is closed but not to standard.
TEST_F(SignalServiceTest, LateMeasuresAreNotToStandard) {
  service_->OnCardSaved(Card("plague", "450103", "2026-11-19", "2026-11-20T02:00:00Z"));
  const std::string id = service_->List(cdc_a_, {})->at(0).signal.id;
  auto event = service_->OpenEvent(cdc_a_, {.signal_ids = {id}, .kind = EventKind::kCluster});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  const std::string eid = event->event.id;
  ASSERT_TRUE(service_->UpdateEvent(cdc_a_, eid, {.investigation = "流调"}, 1).ok());
  clock_.Advance(std::chrono::hours(49));
  ASSERT_TRUE(service_->UpdateEvent(cdc_a_, eid, {.measures = "消毒"}, 2).ok());
  auto closed = service_->CloseEvent(cdc_a_, eid, "结案", 3);
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(*closed->event.handled_to_standard);
  EXPECT_FALSE(closed->steps.measures_on_time);
  auto summary = service_->Summary(cdc_city_);
  EXPECT_EQ(summary->events, 1);
  EXPECT_EQ(summary->events_handled, 0);
  // A signal already in an event cannot open another.
  EXPECT_EQ(service_->OpenEvent(cdc_a_, {.signal_ids = {id}}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jd::disease
