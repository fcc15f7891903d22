// File: records/store.h
// The SQL of resident health records (table health_records, migration 0007). Bound parameters
// only; every function runs on the session it is given, inside the caller's transaction. Each
// insert or update leaves a change event (a trigger of the migration) that the live statistics
// read after the commit. Reads and updates of a person's record take an auth::Scope and filter by
// the person's residence (persons.residence_path within auth::Scope::Range): the default scope
// reads and changes nothing, and a read by id never hands out a record outside the scope. HolderOf
// and HighestInArea are the city-wide uniqueness probes of record numbers: they return a person id
// or a number, never a record; Insert follows a scoped read of the person.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/scope.h"
#include "records/health_record.h"
#include "storage/database.h"

namespace jd::records {

class HealthRecordStore {
 public:
  // The record of a person within `scope`; outside_scope() when the person has a record but lives
  // outside it.
  static auth::ScopedRow<HealthRecord> Get(soci::session& s, const auth::Scope& scope,
                                           const std::string& person_id);
  // The person who holds `record_no`, if anyone does.
  static std::optional<std::string> HolderOf(soci::session& s, const std::string& record_no);
  // The highest record number of a 12-digit area (an index range of record_no), if any.
  static std::optional<std::string> HighestInArea(soci::session& s, const std::string& area);
  static void Insert(soci::session& s, const HealthRecord& r);
  // Optimistic update: false when the stored version is not `expected_version` or the person lies
  // outside `scope`.
  static bool Update(soci::session& s, const auth::Scope& scope, const HealthRecord& r,
                     int expected_version);
};

// A prepared INSERT of health records bound to its own buffers, for bulk loads (the demo): one
// statement prepared once, executed per row. Not thread-safe; lives within one transaction.
class HealthRecordInserter {
 public:
  explicit HealthRecordInserter(soci::session& s);
  ~HealthRecordInserter();
  void Insert(const HealthRecord& r);

 private:
  struct Buffers;
  std::unique_ptr<Buffers> b_;
  std::unique_ptr<soci::statement> st_;
};

}  // namespace jd::records
