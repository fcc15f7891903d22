// File: kpi/test_city.h
// A small city on a real SQLite file for the statistics tests, its figures worked out by hand in
// the comments (tests only).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/dates.h"
#include "core/ids.h"
#include "storage/database.h"

namespace jd::kpi {

namespace fs = std::filesystem;
using std::chrono::year;

const Date kToday = year{2026} / 11 / 22;

class TestCity : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_kpi_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto db = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Org("450100", "", "city");
    Org("450103", "450100", "district");
    Org("450103001", "450103", "street");
    Org("450103001001", "450103001", "community");
    Org("450107", "450100", "district");
    Org("450107001", "450107", "street");

    // P1: a worker from Hunan, arrived 2026-01-10 (left home the day before): floating from
    // 2026-02-09 (30 days here), entitled to a health record from 2026-07-10 (6 months); has an
    // electronic record since 2026-08-01 (set in tests that add the records table).
    Person("p1", "M", "1990-05-01", "430528", "450103001001", "2026-01-09", "2026-01-10", "work");
    // P2: 户籍 in Nanning (450122): registered, never floating (实施办法 §三(一) 同城除外).
    Person("p2", "F", "1988-02-02", "450122", "450103001001", "", "2025-03-01", "work");
    // P3: a girl born 2025-03-15, here since 2025-06-01: floating from 2025-07-01, file entitled
    // from 2025-09-01 (3 months), health record from 2025-12-01; certificate 2025-09-10.
    Person("p3", "F", "2025-03-15", "430528", "450103001", "", "2025-06-01", "family");
    Exec(
        "INSERT INTO vaccination_files (person_id, certificate_no, issued_on, "
        "issuing_clinic_code, created_at, created_by, updated_at, updated_by) VALUES ('p3', "
        "'C-1', '2025-09-10', '450103001', 'x', 'x', 'x', 'x')");
    Dose("p3", "HepB", "2025-03-15");
    Dose("p3", "BCG", "2025-03-16");
    Dose("p3", "HepB", "2025-04-15");
    // P4: a boy born here 2026-10-01 to migrant parents: floating from 2026-10-31; not yet
    // entitled to a certificate (3 months on 2027-01-01); no dose.
    Person("p4", "M", "2026-10-01", "430528", "450103001", "", "2026-10-01", "family");
    // P5: arrived 2025-01-01, moved out on 2026-05-01.
    Person("p5", "M", "1985-01-01", "430528", "450107001", "", "2025-01-01", "work");
    Exec("UPDATE persons SET status = 'moved_out' WHERE id = 'p5'");
    Exec(
        "INSERT INTO residence_events (person_id, event_date, id, type, recorded_at, "
        "recorded_by) VALUES ('p5', '2026-05-01', 'e5', 'moved_out', 'x', 'x')");
    // Documents: D1 of P1 submitted 2026-11-02 10:00 and reviewed 2026-11-05 11:00 Beijing time
    // (3 days); D2 of P2 submitted 2026-11-20, pending.
    Exec(
        "INSERT INTO documents (id, person_id, type, status, submitted_at, submitted_by, "
        "reviewed_at, reviewed_by) VALUES ('d1', 'p1', 'residence_permit', 'approved', "
        "'2026-11-02T02:00:00.000Z', 'x', '2026-11-05T03:00:00.000Z', 'x')");
    Exec(
        "INSERT INTO documents (id, person_id, type, status, submitted_at, submitted_by) VALUES "
        "('d2', 'p2', 'residence_permit', 'pending', '2026-11-20T01:00:00.000Z', 'x')");
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  void Exec(const std::string& sql) {
    Status st = db_->Write([&](soci::session& s) {
      s << sql;
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString() << " in " << sql;
  }
  void Org(const std::string& code, const std::string& parent, const std::string& level) {
    std::string path = parent.empty() ? code + "/" : paths_[parent] + code + "/";
    paths_[code] = path;
    Exec("INSERT INTO org_units (code, name, level, parent_code, path) VALUES ('" + code + "', '" +
         code + "', '" + level + "', " + (parent.empty() ? "NULL" : "'" + parent + "'") + ", '" +
         path + "')");
  }
  void Person(const std::string& id, const std::string& sex, const std::string& birth,
              const std::string& hukou, const std::string& org, const std::string& left,
              const std::string& arrived, const std::string& reason) {
    Exec(
        "INSERT INTO persons (id, name, sex, birth_date, id_type, id_number, hukou_division, "
        "residence_org, residence_path, left_hukou_on, arrived_on, move_reason, created_at, "
        "created_by, updated_at, updated_by) VALUES ('" +
        id + "', 'n', '" + sex + "', '" + birth + "', 'resident_id', '" + id + "', '" + hukou +
        "', '" + org + "', '" + paths_[org] + "', " + (left.empty() ? "NULL" : "'" + left + "'") +
        ", '" + arrived + "', '" + reason + "', 'x', 'x', 'x', 'x')");
  }
  void Dose(const std::string& person, const std::string& vaccine, const std::string& date) {
    Exec(
        "INSERT INTO vaccination_records (id, person_id, vaccine, given_on, source, created_at, "
        "created_by, updated_at, updated_by) VALUES ('" +
        NewId() + "', '" + person + "', '" + vaccine + "', '" + date +
        "', 'transcribed', 'x', 'x', 'x', 'x')");
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::map<std::string, std::string> paths_;
};

}  // namespace jd::kpi
