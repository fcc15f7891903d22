// File: records/demo_records.h
// Health records for the synthetic city of `jundeng demo`: after the persons are written, most of
// those entitled to a record on the demo date get one, so that the statistics' 建档率 and
// 电子健康档案建档率 have something to show.
//
// DemoRecords(db, options): reads the active persons, keeps those entitled to a health record on
//   options.as_of (registry::Windows: a floating person here 6 months or more, 试点工作方案
//   §四(一)), and gives each of them a record with probability established_per_mille / 1000; each
//   record is electronic with probability electronic_per_mille / 1000. The defaults (85% of the
//   entitled, 70% of the records electronic) are invented for the demo, within the range of the
//   local targets REFERENCE.md quotes (建档率 ≥90%, 电子 ≥60%), so that a city and its units show
//   rates somewhat below and above them. The draw for a person is a hash of (seed, identity
//   document), so the same seed and population give the same records whatever the database ids are.
//   A record was established on a day drawn between the day the person became entitled and the demo
//   date, is kept by the street's (township's) health centre of the residence, and is numbered
//   within the residence's area in the order of the persons' identity documents. Written in batches
//   through one prepared statement per batch. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "registry/eligibility.h"
#include "storage/database.h"

namespace jd::records {

struct DemoRecordOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;  // the records' created_at/updated_at timestamp
  int established_per_mille = 850;
  int electronic_per_mille = 700;
  int batch_size = 10000;
  registry::EligibilityPolicy policy;
};

struct DemoRecordCounts {
  std::int64_t entitled = 0;
  std::int64_t established = 0;
  std::int64_t electronic = 0;
};

Result<DemoRecordCounts> DemoRecords(storage::Database& db, const DemoRecordOptions& options);

}  // namespace jd::records
