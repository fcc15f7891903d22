// File: records/store.h
// The SQL of resident health records (table health_records, migration 0007). Bound parameters
// only; every function runs on the session it is given, inside the caller's transaction. Each
// insert or update leaves a change event (a trigger of the migration) that the live statistics
// read after the commit.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "records/health_record.h"
#include "storage/database.h"

namespace jd::records {

class HealthRecordStore {
 public:
  static std::optional<HealthRecord> Get(soci::session& s, const std::string& person_id);
  // The person who holds `record_no`, if anyone does.
  static std::optional<std::string> HolderOf(soci::session& s, const std::string& record_no);
  // The highest record number of a 12-digit area (an index range of record_no), if any.
  static std::optional<std::string> HighestInArea(soci::session& s, const std::string& area);
  static void Insert(soci::session& s, const HealthRecord& r);
  // Optimistic update: false when the stored version is not `expected_version`.
  static bool Update(soci::session& s, const HealthRecord& r, int expected_version);
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
