// The registry's repository reads person-level rows only through a scope: the default scope finds
// no one, a unit finds its own, and a read by id of a person elsewhere says only that it exists
// elsewhere. The service audits such an attempt as denied.
#include "registry/person_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "auth/access.h"
#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "core/ids.h"
#include "registry/id_number.h"
#include "registry/registry_service.h"

namespace jd::registry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<OrgUnit> kTree = {
    {"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
    {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
    {"450103001", "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"},
    {"450105", "江南区", OrgLevel::kDistrict, "450100", "450100/450105/"},
    {"450105001", "江南街道", OrgLevel::kStreet, "450105", "450100/450105/450105001/"},
};

class PersonStoreScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_person_store_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto opened = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock_);
    registry_ = std::make_unique<RegistryService>(*db_, *audit_, clock_);
    ASSERT_TRUE(registry_->AddOrgUnits(system_, kTree).ok());
    in_a_ = Create("450103001", 1);
    in_b_ = Create("450105001", 2);
  }
  void TearDown() override {
    registry_.reset();
    audit_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }

  std::string Create(const std::string& org, int seq, const std::string& born = "19900501") {
    std::string first17 = "430528" + born + fmt::format("{:03d}", seq);
    json body = {{"name", "测试居民"},
                 {"id_number", first17 + IdCheckCharacter(first17)},
                 {"phone", "13812345678"},
                 {"hukou_division", "430528"},
                 {"residence_org", org},
                 {"residence_address", "测试路1号"},
                 {"left_hukou_on", "2024-01-01"},
                 {"arrived_on", "2024-01-02"},
                 {"move_reason", "work"}};
    auto v = registry_->CreatePerson(system_, body);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->person.id : "";
  }

  static auth::Principal Center(const std::string& path) {
    auth::Principal p;
    p.user_id = NewId();
    p.username = "center_a";
    p.role = auth::Role::kCenter;
    p.org_path = path;
    p.client = "test";
    return p;
  }

  FixedClock clock_ = FixedClock::AtDate(*ParseDate("2026-11-22"));
  auth::Principal system_ = auth::AuthService::SystemPrincipal("test");
  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<RegistryService> registry_;
  std::string in_a_, in_b_;
};

TEST_F(PersonStoreScopeTest, DefaultScopeReadsNothing) {
  const auth::Scope none;
  ASSERT_TRUE(db_->Read([&](soci::session& s) -> Status {
                   PersonSearch q;  // q.scope left at its default
                   EXPECT_TRUE(PersonStore::Search(s, q).items.empty());
                   EXPECT_EQ(PersonStore::CountInScope(s, none), 0);
                   EXPECT_FALSE(PersonStore::Get(s, none, in_a_).has_value());
                   EXPECT_TRUE(PersonStore::ListDocuments(s, none, in_a_).empty());
                   EXPECT_TRUE(PersonStore::ListEvents(s, none, in_a_).empty());
                   EXPECT_TRUE(PersonStore::ListPending(s, none, 50, 0).empty());
                   return Status::Ok();
                 })
                  .ok());
  // And a principal whose role or unit gives no scope gets the same.
  EXPECT_TRUE(auth::ScopeOf(Center("")).empty());
}

TEST_F(PersonStoreScopeTest, UnitScopeReadsItsOwnAndNothingElse) {
  const auth::Scope a = auth::ScopeOf(Center("450100/450103/"));
  ASSERT_TRUE(db_->Read([&](soci::session& s) -> Status {
                   PersonSearch q;
                   q.scope = a;
                   auto page = PersonStore::Search(s, q);
                   EXPECT_EQ(page.items.size(), 1u);
                   if (!page.items.empty()) {
                     EXPECT_EQ(page.items[0].id, in_a_);
                   }
                   EXPECT_EQ(PersonStore::CountInScope(s, a), 1);
                   auto mine = PersonStore::Get(s, a, in_a_);
                   EXPECT_TRUE(mine.has_value());
                   auto theirs = PersonStore::Get(s, a, in_b_);
                   EXPECT_FALSE(theirs.has_value());
                   EXPECT_TRUE(theirs.outside_scope());
                   auto nobody = PersonStore::Get(s, a, NewId());
                   EXPECT_FALSE(nobody.has_value());
                   EXPECT_FALSE(nobody.outside_scope());
                   EXPECT_TRUE(PersonStore::ListEvents(s, a, in_b_).empty());
                   EXPECT_EQ(PersonStore::ListEvents(s, a, in_a_).size(), 1u);
                   // The system principal's whole-city scope sees both.
                   EXPECT_EQ(PersonStore::CountInScope(s, auth::ScopeOf(system_)), 2);
                   return Status::Ok();
                 })
                  .ok());
}

TEST_F(PersonStoreScopeTest, UpdateOutsideTheScopeChangesNothing) {
  const auth::Scope a = auth::ScopeOf(Center("450100/450103/"));
  ASSERT_TRUE(db_->Write([&](soci::session& s) -> Status {
                   auto p = PersonStore::Get(s, auth::ScopeOf(system_), in_b_);
                   EXPECT_TRUE(p.has_value());
                   Person next = *p;
                   next.occupation = "改写";
                   next.version = p->version + 1;
                   EXPECT_FALSE(PersonStore::Update(s, a, next, p->version));
                   EXPECT_FALSE(PersonStore::Update(s, auth::Scope(), next, p->version));
                   EXPECT_TRUE(PersonStore::Update(s, auth::ScopeOf(system_), next, p->version));
                   return Status::Ok();
                 })
                  .ok());
}

TEST_F(PersonStoreScopeTest, ServiceAuditsTheRefusalAndAnswersNotFound) {
  auth::Principal center = Center("450100/450103/450103001/");
  auto read = registry_->GetPerson(center, in_b_);
  EXPECT_EQ(read.status().code(), StatusCode::kNotFound);
  auto update = registry_->UpdatePerson(center, in_b_, {{"occupation", "x"}}, 0);
  EXPECT_EQ(update.status().code(), StatusCode::kNotFound);
  auto doc = registry_->SubmitDocument(center, in_b_, {{"type", "other"}});
  EXPECT_EQ(doc.status().code(), StatusCode::kNotFound);
  auto rows = audit_->Query({.person_id = in_b_, .limit = 50});
  ASSERT_TRUE(rows.ok());
  int denied = 0;
  for (const auto& r : *rows) denied += r.result == "denied" && r.username == "center_a";
  EXPECT_EQ(denied, 3);
}

// Search anywhere (registry/search_keys.h): a part of the name, pinyin initials, the last digits
// of the phone, the last characters of the ID number; always inside the scope.
// The keyset walk of exports: every person of the scope once, across pages, and nobody else; a
// cursor that is not a row of the scope reads nothing.
TEST_F(PersonStoreScopeTest, ScanWalksTheScopeOncePerPersonPageByPage) {
  std::set<std::string> in_a = {in_a_};
  for (int i = 0; i < 7; ++i) {
    in_a.insert(Create("450103001", 10 + i, fmt::format("20{:02d}0{}15", 10 + i, 1 + i % 9)));
  }
  Create("450105001", 30);
  auto walk = [&](const auth::Scope& scope, int limit) {
    std::vector<std::string> ids;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     PersonScan q;
                     q.scope = scope;
                     q.limit = limit;
                     Person last;
                     for (;;) {
                       auto page = PersonStore::Scan(s, q);
                       for (const auto& p : page) ids.push_back(p.id);
                       if (static_cast<int>(page.size()) < limit) break;
                       last = page.back();
                       q.after = &last;
                     }
                     return Status::Ok();
                   })
                    .ok());
    return ids;
  };
  const auth::Scope a = auth::ScopeOf(Center("450100/450103/"));
  for (int limit : {1, 2, 3, 500}) {
    auto ids = walk(a, limit);
    EXPECT_EQ(ids.size(), in_a.size()) << limit;
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), in_a) << limit;
    EXPECT_EQ(walk(auth::ScopeOf(system_), limit).size(), in_a.size() + 2) << limit;
  }
  EXPECT_TRUE(walk(auth::Scope(), 2).empty());
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   auto other = PersonStore::Get(s, auth::ScopeOf(system_), in_b_);
                   PersonScan q;
                   q.scope = a;
                   q.after = &*other;
                   EXPECT_TRUE(PersonStore::Scan(s, q).empty());
                   return Status::Ok();
                 })
                  .ok());
}

// FHIR's birthdate and _lastUpdated: both kinds of search narrowed by the birth date and the
// time of the last change.
TEST_F(PersonStoreScopeTest, SearchNarrowsByBirthDateAndLastChange) {
  const std::string child = Create("450103001", 40, "20150304");
  const auth::Scope a = auth::ScopeOf(Center("450100/450103/"));
  auto found = [&](const std::string& text, TextRange born, TextRange updated) {
    std::vector<std::string> ids;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     PersonSearch q;
                     q.scope = a;
                     q.q = text;
                     q.born = born;
                     q.updated = updated;
                     auto page = PersonStore::Search(s, q);
                     EXPECT_EQ(page.total, static_cast<std::int64_t>(page.items.size()));
                     for (const auto& p : page.items) ids.push_back(p.id);
                     return Status::Ok();
                   })
                    .ok());
    return ids;
  };
  const std::vector<std::string> just_child = {child}, just_adult = {in_a_};
  for (const char* text : {"", "测试"}) {
    EXPECT_EQ(found(text, {"2015-01-01", "2016-01-01"}, {}), just_child) << text;
    EXPECT_EQ(found(text, {"2015-03-04", "2015-03-05"}, {}), just_child) << text;
    EXPECT_TRUE(found(text, {"2015-03-05", "2016-01-01"}, {}).empty()) << text;
    EXPECT_EQ(found(text, {"", "2000-01-01"}, {}), just_adult) << text;
    // The test clock stands on 2026-11-22 (Beijing time), within these UTC bounds.
    EXPECT_EQ(found(text, {}, {"2026-11-21T00:00:00.000Z", ""}).size(), 2u) << text;
    EXPECT_TRUE(found(text, {}, {"2026-11-23T00:00:00.000Z", ""}).empty()) << text;
    EXPECT_TRUE(found(text, {}, {"", "2026-11-21T00:00:00.000Z"}).empty()) << text;
  }
}

TEST_F(PersonStoreScopeTest, SearchFindsAnyPartInScopeOnly) {
  const auth::Scope a = auth::ScopeOf(Center("450100/450103/"));
  const auth::Scope city = auth::ScopeOf(system_);
  auto found = [&](const auth::Scope& scope, const std::string& text) {
    std::vector<std::string> ids;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     PersonSearch q;
                     q.scope = scope;
                     q.q = text;
                     auto page = PersonStore::Search(s, q);
                     EXPECT_EQ(page.total, static_cast<std::int64_t>(page.items.size())) << text;
                     for (const auto& p : page.items) ids.push_back(p.id);
                     return Status::Ok();
                   })
                    .ok());
    return ids;
  };
  std::string first17 = "430528" + std::string("19900501") + "001";
  std::string id_tail = (first17 + IdCheckCharacter(first17)).substr(12);
  for (const std::string& text : std::vector<std::string>{
           "测试", "居民", "试居", "CSJM", "jm", "5678", "2345678", first17.substr(0, 3)}) {
    EXPECT_EQ(found(a, text), std::vector<std::string>{in_a_}) << text;
    EXPECT_EQ(found(city, text).size(), 2u) << text;
  }
  EXPECT_EQ(found(city, id_tail), std::vector<std::string>{in_a_});  // the other's ID differs
  EXPECT_TRUE(found(auth::ScopeOf(Center("450100/450105/")), id_tail).empty());
  for (const std::string& text :
       std::vector<std::string>{"民居", "王", "zz", "8765", "567", "not\xff"}) {
    EXPECT_TRUE(found(city, text).empty()) << text;
  }

  // A phone and an ID number ending in the same digits: the person is listed and counted once.
  std::string first17_c = "430528" + std::string("19900501") + "568";
  std::string id_c = first17_c + IdCheckCharacter(first17_c);
  std::string tail6 = id_c.substr(12);
  json twice = {{"name", "双号甲"},
                {"id_number", id_c},
                {"phone", "13800" + tail6},
                {"hukou_division", "430528"},
                {"residence_org", "450103001"},
                {"residence_address", "测试路2号"},
                {"left_hukou_on", "2024-01-01"},
                {"arrived_on", "2024-01-02"},
                {"move_reason", "work"}};
  auto made = registry_->CreatePerson(system_, twice);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(found(a, tail6), std::vector<std::string>{made->person.id});

  // A new name replaces the keys of the old one.
  auto renamed = registry_->UpdatePerson(system_, in_a_, json{{"name", "王丽萍"}}, 1);
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(found(a, "丽萍"), std::vector<std::string>{in_a_});
  EXPECT_EQ(found(a, "wlp"), std::vector<std::string>{in_a_});
  EXPECT_TRUE(found(a, "居民").empty());

  // Persons registered before the keys existed get theirs once, at start-up.
  ASSERT_TRUE(db_->Write([](soci::session& s) {
                   s << "DELETE FROM person_search_keys";
                   s << "INSERT INTO pending_backfills(name) VALUES ('person_search_keys')";
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_TRUE(found(city, "丽萍").empty());
  ASSERT_TRUE(registry_->BackfillSearchKeys().ok());
  EXPECT_EQ(found(city, "丽萍"), std::vector<std::string>{in_a_});
  EXPECT_EQ(found(city, "测试居民"), std::vector<std::string>{in_b_});
  ASSERT_TRUE(registry_->BackfillSearchKeys().ok());  // done once: nothing doubled
  EXPECT_EQ(found(city, "5678").size(), 2u);
}

}  // namespace
}  // namespace jd::registry
