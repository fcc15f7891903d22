// File: immunization/test_support.h
// The ground the immunisation use-case tests stand on (tests only, not part of the library): a
// real database file in a fresh directory, the audit log, the registry with a small city and the
// record service, the clock pinned at 2026-11-22.
//
// The city: 南宁市 450100; 青秀区 450103 with the streets 450103001 and 450103002; 江南区
// 450105 with the street 450105001. center_a_ serves 450103001, center_b_ 450105001; system_
// is the command line's principal.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "core/dates.h"
#include "core/ids.h"
#include "core/status.h"
#include "immunization/service.h"
#include "registry/id_number.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::immunization::testing_support {

inline Date D(const char* text) { return *ParseDate(text); }

inline bool HasFieldError(const Status& st, const std::string& field, const std::string& code) {
  for (const auto& e : st.field_errors())
    if (e.field == field && e.code == code) return true;
  return false;
}

// The status with its field errors, for failure messages.
inline std::string Dump(const Status& st) {
  std::string out = st.ToString();
  for (const auto& e : st.field_errors()) out += " [" + e.field + "/" + e.code + "]";
  return out;
}

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jd_imm_test_" + RandomHex(6));
    std::filesystem::create_directories(dir_);
    auto db = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock_);
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, clock_);
    using registry::OrgLevel;
    ASSERT_TRUE(
        registry_
            ->AddOrgUnits(
                system_,
                {{"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
                 {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
                 {"450103001", "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"},
                 {"450103002", "中山街道", OrgLevel::kStreet, "450103", "450100/450103/450103002/"},
                 {"450105", "江南区", OrgLevel::kDistrict, "450100", "450100/450105/"},
                 {"450105001", "江南街道", OrgLevel::kStreet, "450105",
                  "450100/450105/450105001/"}})
            .ok());
    records_ = std::make_unique<ImmunizationService>(*db_, *audit_, clock_, *registry_);
  }
  // A fixture with services of its own resets them first, then calls this.
  void TearDown() override {
    records_.reset();
    registry_.reset();
    audit_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
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

  // A distinct valid ID number of someone born on `birth8` (YYYYMMDD), 户籍 in 450803.
  std::string IdNumber(const std::string& birth8) {
    std::string first17 = "450803" + birth8 + fmt::format("{:03d}", ++seq_);
    return first17 + registry::IdCheckCharacter(first17);
  }

  // A child born on `birth8` (YYYYMMDD) living at `org` since `arrived`; its ID number in `id`.
  std::string Child(const std::string& birth8, const std::string& org, const std::string& arrived,
                    const std::string& name = "测试儿童", std::string* id = nullptr) {
    std::string number = IdNumber(birth8);
    if (id) *id = number;
    nlohmann::json body = {{"name", name},           {"id_number", number},
                           {"phone", "13812345678"}, {"hukou_division", "450803"},
                           {"residence_org", org},   {"residence_address", "测试路1号"},
                           {"arrived_on", arrived},  {"move_reason", "family"}};
    auto v = registry_->CreatePerson(system_, body);
    EXPECT_TRUE(v.ok()) << Dump(v.status());
    return v.ok() ? v->person.id : "";
  }

  std::filesystem::path dir_;
  FixedClock clock_ = FixedClock::AtDate(D("2026-11-22"));
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<ImmunizationService> records_;
  auth::Principal system_ = auth::AuthService::SystemPrincipal("test");
  auth::Principal center_a_ = User(auth::Role::kCenter, "450103001", "450100/450103/450103001/");
  auth::Principal center_b_ = User(auth::Role::kCenter, "450105001", "450100/450105/450105001/");
  int seq_ = 100;
};

}  // namespace jd::immunization::testing_support
