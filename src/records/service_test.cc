// The health-record use cases over a real database file, with the clock pinned at 2026-11-22:
// establishing (generated and given numbers, entitlement, dates, duplicates), jurisdiction with
// its audited denials, reads, updates with versions, the change events the statistics read, and
// the demo records.
#include "records/service.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <tuple>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "auth/scope.h"
#include "core/ids.h"
#include "records/demo_records.h"
#include "records/store.h"
#include "registry/id_number.h"
#include "registry/person_store.h"

namespace jd::records {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Date D(const char* text) { return *ParseDate(text); }

bool HasFieldError(const Status& st, const std::string& field, const std::string& code) {
  for (const auto& e : st.field_errors())
    if (e.field == field && e.code == code) return true;
  return false;
}

std::string Dump(const Status& st) {
  std::string out = st.ToString();
  for (const auto& e : st.field_errors()) out += " [" + e.field + "/" + e.code + "]";
  return out;
}

using registry::OrgLevel;
const std::vector<registry::OrgUnit> kTree = {
    {"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
    {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
    {"450103001", "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"},
    {"450103001001", "长岗社区", OrgLevel::kCommunity, "450103001",
     "450100/450103/450103001/450103001001/"},
    {"450103001002", "东葛社区", OrgLevel::kCommunity, "450103001",
     "450100/450103/450103001/450103001002/"},
    {"450105", "江南区", OrgLevel::kDistrict, "450100", "450100/450105/"},
    {"450105001", "江南街道", OrgLevel::kStreet, "450105", "450100/450105/450105001/"},
};

// One database with the tree above, its audit log and the services.
struct Node {
  explicit Node(const fs::path& dir, const Clock& clock) {
    auto opened = storage::Database::Open({.path = (dir / "t.db").string()});
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    db = std::move(opened).value();
    audit = std::make_unique<auth::AuditLog>(
        *db, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock);
    registry = std::make_unique<registry::RegistryService>(*db, *audit, clock);
    EXPECT_TRUE(registry->AddOrgUnits(auth::AuthService::SystemPrincipal("test"), kTree).ok());
    service = std::make_unique<HealthRecordService>(*db, *audit, clock, *registry);
  }
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<registry::RegistryService> registry;
  std::unique_ptr<HealthRecordService> service;
};

class HealthRecordServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_records_test_" + RandomHex(6));
    fs::create_directories(dir_);
    node_ = std::make_unique<Node>(dir_, clock_);
  }
  void TearDown() override {
    node_.reset();
    fs::remove_all(dir_);
  }

  HealthRecordService& service() { return *node_->service; }

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

  // An adult from 湖南 living at `org` since `arrived`.
  std::string Adult(const std::string& org, const std::string& arrived,
                    const std::string& birth8 = "19900501") {
    std::string first17 = "430528" + birth8 + fmt::format("{:03d}", ++seq_);
    json body = {
        {"name", "测试居民"},       {"id_number", first17 + registry::IdCheckCharacter(first17)},
        {"phone", "13812345678"},   {"hukou_division", "430528"},
        {"residence_org", org},     {"residence_address", "测试路1号"},
        {"left_hukou_on", arrived}, {"arrived_on", arrived},
        {"move_reason", "work"}};
    auto v = node_->registry->CreatePerson(system_, body);
    EXPECT_TRUE(v.ok()) << Dump(v.status());
    return v.ok() ? v->person.id : "";
  }

  std::vector<auth::AuditEntry> AuditOf(const std::string& person_id) {
    auto rows = node_->audit->Query({.person_id = person_id, .limit = 500});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<auth::AuditEntry>{};
  }

  std::int64_t ChangeEvents(const std::string& person_id) {
    long long n = 0;
    EXPECT_TRUE(node_->db
                    ->Read([&](soci::session& s) {
                      soci::rowset<soci::row> rows =
                          (s.prepare << "SELECT COUNT(*) FROM change_events WHERE entity = "
                                        "'health_record' AND person_id = :p",
                           soci::use(person_id));
                      for (const auto& r : rows) n = storage::RowInt64(r, 0);
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  fs::path dir_;
  FixedClock clock_ = FixedClock::AtDate(D("2026-11-22"));
  std::unique_ptr<Node> node_;
  int seq_ = 0;
  auth::Principal system_ = auth::AuthService::SystemPrincipal("test");
  auth::Principal center_a_ = User(auth::Role::kCenter, "450103001", "450100/450103/450103001/");
  auth::Principal center_b_ = User(auth::Role::kCenter, "450105001", "450100/450105/450105001/");
  auth::Principal cdc_a_ = User(auth::Role::kCdc, "450103001", "450100/450103/450103001/");
};

TEST_F(HealthRecordServiceTest, EstablishGivesTheNextSerialOfTheCommunity) {
  std::string first = Adult("450103001001", "2026-01-10");
  std::string second = Adult("450103001001", "2026-02-10");
  std::string other = Adult("450103001002", "2026-02-10");
  auto a = service().Establish(center_a_, first, json{{"clinic", "450103001"}});
  ASSERT_TRUE(a.ok()) << Dump(a.status());
  EXPECT_EQ(a->record_no, "45010300100100001");
  EXPECT_EQ(a->established_on, D("2026-11-22"));  // default: today
  EXPECT_TRUE(a->electronic);                     // default: kept electronically
  EXPECT_EQ(a->version, 1);
  EXPECT_EQ(a->created_by, center_a_.username);
  auto b = service().Establish(
      center_a_, second,
      json{{"clinic", "450103001"}, {"established_on", "2026-09-01"}, {"electronic", false}});
  ASSERT_TRUE(b.ok()) << Dump(b.status());
  EXPECT_EQ(b->record_no, "45010300100100002");
  EXPECT_EQ(b->established_on, D("2026-09-01"));
  EXPECT_FALSE(b->electronic);
  auto c = service().Establish(center_a_, other, json{{"clinic", "450103001"}});
  ASSERT_TRUE(c.ok()) << Dump(c.status());
  EXPECT_EQ(c->record_no, "45010300100200001");

  // Written with its audit row and the change event of the statistics.
  bool audited = false;
  for (const auto& e : AuditOf(first)) {
    if (e.action == "health_record.establish" && e.result == "ok") {
      audited = true;
      EXPECT_NE(e.detail.find("record_no=45010300100100001"), std::string::npos) << e.detail;
      EXPECT_NE(e.detail.find("health_record_6_months since 2026-07-10"), std::string::npos)
          << e.detail;
    }
  }
  EXPECT_TRUE(audited);
  EXPECT_EQ(ChangeEvents(first), 1);
}

TEST_F(HealthRecordServiceTest, AStreetResidenceNumbersUnderVillage000) {
  std::string p = Adult("450103001", "2026-01-10");
  auto r = service().Establish(center_a_, p, json{{"clinic", "450103001"}});
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  EXPECT_EQ(r->record_no, "45010300100000001");
}

TEST_F(HealthRecordServiceTest, AGivenNumberIsKeptAndMustBeFree) {
  std::string p = Adult("450103001001", "2026-01-10");
  std::string q = Adult("450103001001", "2026-01-10");
  auto r = service().Establish(center_a_, p,
                               json{{"clinic", "450103001"}, {"record_no", "43052800100300017"}});
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  EXPECT_EQ(r->record_no, "43052800100300017");
  auto taken = service().Establish(
      center_a_, q, json{{"clinic", "450103001"}, {"record_no", "43052800100300017"}});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(HasFieldError(taken.status(), "record_no", "duplicate")) << Dump(taken.status());
}

TEST_F(HealthRecordServiceTest, ASecondRecordIsAConflict) {
  std::string p = Adult("450103001001", "2026-01-10");
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  auto again = service().Establish(center_a_, p, json{{"clinic", "450103001"}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ChangeEvents(p), 1);
}

TEST_F(HealthRecordServiceTest, ARecentArrivalIsRefusedRuleByRule) {
  // Arrived 2026-08-01: a floating person, but not yet 6 months here (试点工作方案 §四(一)).
  std::string p = Adult("450103001001", "2026-08-01");
  auto r = service().Establish(center_a_, p, json{{"clinic", "450103001"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasFieldError(r.status(), "eligibility.health_record_6_months", "not_entitled"))
      << Dump(r.status());
  EXPECT_EQ(r.status().field_errors().size(), 1u) << Dump(r.status());
  EXPECT_EQ(ChangeEvents(p), 0);
}

TEST_F(HealthRecordServiceTest, EveryBadFieldIsReportedAtOnce) {
  std::string p = Adult("450103001001", "2026-01-10", "19900501");
  auto future = service().Establish(
      center_a_, p,
      json{{"established_on", "2026-11-23"}, {"electronic", "yes"}, {"record_no", "12"}});
  ASSERT_FALSE(future.ok());
  EXPECT_TRUE(HasFieldError(future.status(), "established_on", "in_future"));
  EXPECT_TRUE(HasFieldError(future.status(), "clinic", "required"));
  EXPECT_TRUE(HasFieldError(future.status(), "electronic", "wrong_type"));
  EXPECT_TRUE(HasFieldError(future.status(), "record_no", "invalid_format"));
  auto before_birth = service().Establish(
      center_a_, p, json{{"established_on", "1990-04-30"}, {"clinic", "450103001"}});
  EXPECT_TRUE(HasFieldError(before_birth.status(), "established_on", "before_birth"))
      << Dump(before_birth.status());
  auto bad_date = service().Establish(
      center_a_, p, json{{"established_on", "2026-13-01"}, {"clinic", "450103001"}});
  EXPECT_TRUE(HasFieldError(bad_date.status(), "established_on", "invalid_date"));
  auto foreign_clinic = service().Establish(center_a_, p, json{{"clinic", "450105001"}});
  EXPECT_TRUE(HasFieldError(foreign_clinic.status(), "clinic", "outside_jurisdiction"));
  auto unknown_clinic = service().Establish(center_a_, p, json{{"clinic", "450199001"}});
  EXPECT_TRUE(HasFieldError(unknown_clinic.status(), "clinic", "unknown_org"));
  EXPECT_EQ(ChangeEvents(p), 0);
}

TEST_F(HealthRecordServiceTest, OutsideTheJurisdictionIsNotFoundAndAudited) {
  std::string p = Adult("450103001001", "2026-01-10");
  auto w = service().Establish(center_b_, p, json{{"clinic", "450105001"}});
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  auto r = service().Get(center_b_, p);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  auto u = service().Update(center_b_, p, json{{"electronic", false}}, 0);
  EXPECT_EQ(u.status().code(), StatusCode::kNotFound);
  std::map<std::string, int> denied;
  for (const auto& e : AuditOf(p)) {
    if (e.result == "denied") ++denied[e.action];
  }
  EXPECT_EQ(denied["health_record.establish"], 1);
  EXPECT_EQ(denied["health_record.read"], 1);
  EXPECT_EQ(denied["health_record.update"], 1);
}

TEST_F(HealthRecordServiceTest, TheStoreReadsNothingOutsideItsScope) {
  std::string p = Adult("450103001001", "2026-01-10");
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  const auth::Scope none;
  const auth::Scope other = auth::ScopeOf(center_b_);
  ASSERT_TRUE(node_->db
                  ->Write([&](soci::session& s) {
                    auto mine = HealthRecordStore::Get(s, auth::ScopeOf(center_a_), p);
                    EXPECT_TRUE(mine.has_value());
                    EXPECT_FALSE(mine.outside_scope());
                    // The default scope covers nobody (an empty path once meant everyone).
                    for (const auth::Scope& scope : {none, other}) {
                      auto r = HealthRecordStore::Get(s, scope, p);
                      EXPECT_FALSE(r.has_value());
                      EXPECT_TRUE(r.outside_scope());
                      EXPECT_FALSE(std::move(r).release().has_value());  // no data handed out
                      HealthRecord changed = *mine;
                      changed.electronic = false;
                      changed.version = mine->version + 1;
                      EXPECT_FALSE(HealthRecordStore::Update(s, scope, changed, mine->version));
                    }
                    // An unknown person is neither found nor outside.
                    auto unknown = HealthRecordStore::Get(s, auth::ScopeOf(center_a_), NewId());
                    EXPECT_FALSE(unknown.has_value());
                    EXPECT_FALSE(unknown.outside_scope());
                    return Status::Ok();
                  })
                  .ok());
  auto kept = service().Get(center_a_, p);
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->electronic);
  EXPECT_EQ(kept->version, 1);
  // A user without a unit is refused like one of another unit, and the attempt is audited.
  auto homeless = User(auth::Role::kCenter, "", "");
  EXPECT_EQ(service().Get(homeless, p).status().code(), StatusCode::kNotFound);
  int denied = 0;
  for (const auto& e : AuditOf(p)) {
    if (e.action == "health_record.read" && e.result == "denied") ++denied;
  }
  EXPECT_EQ(denied, 1);
}

TEST_F(HealthRecordServiceTest, RolesNeedTheirPermission) {
  std::string p = Adult("450103001001", "2026-01-10");
  auto w = service().Establish(cdc_a_, p, json{{"clinic", "450103001"}});
  EXPECT_EQ(w.status().code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  auto r = service().Get(cdc_a_, p);  // cdc reads persons of its unit
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  auto auditor = User(auth::Role::kAuditor, "450100", "450100/");
  EXPECT_EQ(service().Get(auditor, p).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(HealthRecordServiceTest, GetIsAuditedAndTellsWhenThereIsNoRecord) {
  std::string p = Adult("450103001001", "2026-01-10");
  auto none = service().Get(center_a_, p);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  auto r = service().Get(center_a_, p);
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  EXPECT_EQ(r->record_no, "45010300100100001");
  int reads = 0;
  for (const auto& e : AuditOf(p))
    if (e.action == "health_record.read") ++reads;
  EXPECT_EQ(reads, 2);
}

TEST_F(HealthRecordServiceTest, UpdateIsPartialAndVersioned) {
  std::string p = Adult("450103001001", "2026-01-10");
  ASSERT_TRUE(service().Establish(center_a_, p, json{{"clinic", "450103001"}}).ok());
  auto u = service().Update(center_a_, p, json{{"electronic", false}}, 1);
  ASSERT_TRUE(u.ok()) << Dump(u.status());
  EXPECT_FALSE(u->electronic);
  EXPECT_EQ(u->version, 2);
  EXPECT_EQ(u->record_no, "45010300100100001");
  EXPECT_EQ(u->established_on, D("2026-11-22"));
  auto stale = service().Update(center_a_, p, json{{"electronic", true}}, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  auto bad = service().Update(center_a_, p, json{{"established_on", "1980-01-01"}}, 0);
  EXPECT_TRUE(HasFieldError(bad.status(), "established_on", "before_birth"));
  auto nothing = service().Update(center_a_, p, json{{"name", "x"}}, 0);
  EXPECT_TRUE(HasFieldError(nothing.status(), "", "nothing_to_change"));
  auto nulls = service().Update(center_a_, p, json{{"clinic", nullptr}}, 0);
  EXPECT_TRUE(HasFieldError(nulls.status(), "", "nothing_to_change"));
  auto cleared = service().Update(center_a_, p, json{{"clinic", ""}}, 0);
  EXPECT_TRUE(HasFieldError(cleared.status(), "clinic", "required"));
  std::string q = Adult("450103001001", "2026-01-10");
  ASSERT_TRUE(service().Establish(center_a_, q, json{{"clinic", "450103001"}}).ok());
  auto taken = service().Update(center_a_, q, json{{"record_no", "45010300100100001"}}, 0);
  EXPECT_TRUE(HasFieldError(taken.status(), "record_no", "duplicate"));
  EXPECT_EQ(ChangeEvents(p), 2);  // the insert and the one update that was written
}

// ---- Demo records ----

// `n` adults spread over the two communities and the street, arriving from 2024 to 2026, inserted
// in the order given by `reverse`.
void InsertPopulation(storage::Database& db, int n, bool reverse) {
  Status st = db.Write([&](soci::session& s) {
    registry::PersonInserter ins(s);
    for (int k = 0; k < n; ++k) {
      int i = reverse ? n - 1 - k : k;
      registry::Person p;
      p.id = NewId();
      p.name = "居民";
      p.birth_date = D("1985-03-04");
      p.id_number = fmt::format("ID{:06d}", i);
      p.hukou_division = "430528";
      const char* orgs[] = {"450103001001", "450103001002", "450103001"};
      p.residence_org = orgs[i % 3];
      for (const auto& u : kTree)
        if (u.code == p.residence_org) p.residence_path = u.path;
      p.arrived_on = AddDays(D("2024-01-01"), i * 3);  // up to ~2028: some not yet entitled
      p.left_hukou_on = p.arrived_on;
      p.created_at = p.updated_at = "2026-11-22T00:00:00.000Z";
      p.created_by = p.updated_by = "test";
      EXPECT_TRUE(ins.Insert(p, ""));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
}

using DemoRow = std::tuple<std::string, std::string, bool, std::string>;  // no, on, e-, clinic

std::map<std::string, DemoRow> RecordsByIdentity(storage::Database& db) {
  std::map<std::string, DemoRow> out;
  EXPECT_TRUE(db.Read([&](soci::session& s) {
                  soci::rowset<soci::row> rows =
                      (s.prepare << "SELECT p.id_number, h.record_no, h.established_on, "
                                    "h.electronic, h.clinic_code FROM health_records h JOIN "
                                    "persons p ON p.id = h.person_id");
                  for (const auto& r : rows) {
                    out[r.get<std::string>(0)] = {r.get<std::string>(1), r.get<std::string>(2),
                                                  storage::RowInt64(r, 3) != 0,
                                                  r.get<std::string>(4)};
                  }
                  return Status::Ok();
                }).ok());
  return out;
}

TEST_F(HealthRecordServiceTest, DemoRecordsCoverMostOfTheEntitledDeterministically) {
  InsertPopulation(*node_->db, 300, /*reverse=*/false);
  DemoRecordOptions options{
      .as_of = D("2026-11-22"), .seed = 7, .created_at = "t", .batch_size = 37};
  auto counts = DemoRecords(*node_->db, options);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  // Arrivals every 3 days from 2024-01-01: entitled when arrived by 2026-05-22 (6 months before).
  EXPECT_EQ(counts->entitled, DaysBetween(D("2024-01-01"), D("2026-05-22")) / 3 + 1);
  double share = static_cast<double>(counts->established) / static_cast<double>(counts->entitled);
  EXPECT_GT(share, 0.75);
  EXPECT_LT(share, 0.95);
  double electronic =
      static_cast<double>(counts->electronic) / static_cast<double>(counts->established);
  EXPECT_GT(electronic, 0.55);
  EXPECT_LT(electronic, 0.85);

  auto first = RecordsByIdentity(*node_->db);
  EXPECT_EQ(static_cast<std::int64_t>(first.size()), counts->established);
  std::map<std::string, int> per_area;
  for (const auto& [identity, row] : first) {
    const auto& [no, on, e, clinic] = row;
    int i = std::stoi(identity.substr(2));
    Date arrived = AddDays(D("2024-01-01"), i * 3);
    EXPECT_GE(*ParseDate(on), AddMonths(arrived, 6)) << identity;
    EXPECT_LE(*ParseDate(on), D("2026-11-22")) << identity;
    EXPECT_TRUE(CheckRecordNo(no).empty()) << no;
    EXPECT_EQ(clinic, "450103001");  // the street's health centre
    ++per_area[no.substr(0, kAreaDigits)];
  }
  // Serials run 1..n within each area.
  for (const auto& [identity, row] : first) {
    const std::string& no = std::get<0>(row);
    EXPECT_LE(*SerialOf(no), per_area[no.substr(0, kAreaDigits)]) << no;
  }
  EXPECT_EQ(per_area.size(), 3u);

  // The same persons written in another order into another database: the same records.
  fs::path other_dir = dir_ / "other";
  fs::create_directories(other_dir);
  Node other(other_dir, clock_);
  InsertPopulation(*other.db, 300, /*reverse=*/true);
  ASSERT_TRUE(DemoRecords(*other.db, options).ok());
  EXPECT_EQ(RecordsByIdentity(*other.db), first);
  // Another seed draws others.
  fs::path third_dir = dir_ / "third";
  fs::create_directories(third_dir);
  Node third(third_dir, clock_);
  InsertPopulation(*third.db, 300, /*reverse=*/false);
  options.seed = 8;
  ASSERT_TRUE(DemoRecords(*third.db, options).ok());
  EXPECT_NE(RecordsByIdentity(*third.db), first);
}

}  // namespace
}  // namespace jd::records
