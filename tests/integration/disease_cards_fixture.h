// File: integration/disease_cards_fixture.h
// Test fixture: writes an active case card (传染病报告卡, migration 0020) straight into a node's
// database, as the card service would, for the early-warning tests that run before the card API is
// in the same build. InsertDiseaseCard(db_path, card) returns the card's id ("" after a test
// failure). The database is opened read-write with a busy timeout, so the server may be running.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/ids.h"

namespace jd::integration {

struct TestCard {
  std::string disease, district, street;  // org codes; the street is also the reporting unit
  std::string onset;                      // YYYY-MM-DD
  std::string reported_at;                // UTC timestamp
  std::string site;                       // work-site key, may be empty
  std::string name = "测试病人";
};

inline std::string InsertDiseaseCard(const std::string& db_path, const std::string& city,
                                     const TestCard& c) {
  const std::string id = NewId();
  const std::string path = city + "/" + c.district + "/" + c.street + "/";
  const std::vector<std::string> values = {
      id,      c.name, path,      c.district, c.site.empty() ? "" : "construction_site",
      c.site,  c.site, c.disease, c.onset,    c.reported_at,
      c.street};
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path;
    sqlite3_close(db);
    return "";
  }
  sqlite3_busy_timeout(db, 10000);
  const char* sql =
      "INSERT INTO disease_cards(id, patient_name, sex, patient_belongs, current_address, "
      "residence_path, district_code, occupation, work_site_kind, work_site_name, work_site_key, "
      "disease_code, case_class, onset_date, diagnosed_at, reported_at, reporting_unit, "
      "reporting_doctor, created_at, created_by, updated_at, updated_by) VALUES (?1, ?2, 'male', "
      "'other_province', '测试路1号', ?3, ?4, 'construction_worker', ?5, ?6, ?7, ?8, "
      "'confirmed', ?9, ?10, ?10, ?11, '测试医生', ?10, 'test', ?10, 'test')";
  sqlite3_stmt* st = nullptr;
  bool ok = sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK;
  for (std::size_t i = 0; ok && i < values.size(); ++i) {
    sqlite3_bind_text(st, static_cast<int>(i + 1), values[i].c_str(), -1, SQLITE_TRANSIENT);
  }
  ok = ok && sqlite3_step(st) == SQLITE_DONE;
  if (!ok) ADD_FAILURE() << "card not written: " << sqlite3_errmsg(db);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok ? id : "";
}

}  // namespace jd::integration
