// File: exchange/bulk_export_store.h
// The SQL of the bulk export's jobs (migration 0033). A job row holds no personal data (its
// files do); it is read by id and its owner is checked by the service (exchange/bulk_export.h).
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "exchange/bulk_export.h"

namespace jd::exchange {

struct BulkExportStore {
  static void Insert(soci::session& s, const BulkExportJob& job);
  static std::optional<BulkExportJob> Get(soci::session& s, const std::string& id);
  // Writes the job's state, transaction time, output, error and end.
  static void Update(soci::session& s, const BulkExportJob& job);
  // Jobs of the user not yet ended (accepted or in progress).
  static int CountActive(soci::session& s, const std::string& user_id);
  // Ids of jobs in these states.
  static std::vector<std::string> InStates(soci::session& s,
                                           const std::vector<std::string>& states);
  // Ids of ended jobs whose files expired before `now`, and have not been purged yet.
  static std::vector<std::string> Expired(soci::session& s, const std::string& now);
  // Marks an expired job purged (its files are gone; the row stays as the record of the export).
  static void MarkPurged(soci::session& s, const std::string& id);
};

}  // namespace jd::exchange
