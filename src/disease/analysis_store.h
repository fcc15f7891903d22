// File: disease/analysis_store.h
// The counts the periodic analysis (disease/analysis.h) is built from, as SQL aggregates over the
// case cards (migration 0020): no card row and no person leaves the database, only counts grouped
// by disease, address unit, occupation, work site and onset day.
//
// AnalysisStore::Counts(s, scope, q): the AnalysisCounts of the active cards (status 'active':
//   deleted cards and the duplicates merged into another are left out, the card kept by a merge
//   counts once, a corrected card counts with its current values) whose residence path the scope
//   covers (an empty scope counts nothing), of q.disease when given:
//   - current / previous / year_before: per disease, the cards reported (Asia/Shanghai date of
//     reported_at) within each window of q.windows, with deaths (a death date) and migrant cases
//     (patient_belongs other_city or other_province);
//   - by_unit (residence path × disease, with migrant cases), by_occupation, by_site (kind, key,
//     name as written, disease; cards with a work site only): the current window;
//   - by_onset: per onset day and disease, the cards with an onset date in q.windows.curve that
//     were reported by the end of q.windows.through.
//   The diseases of q.detail_hidden are counted in the three per-disease windows only.
// Each count is one range of report or onset dates (the indexes of migration 0024), then the scope.
// Runs on the session it is given (a read transaction of the caller). Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "auth/scope.h"
#include "disease/analysis.h"
#include "storage/database.h"

namespace jd::disease {

struct AnalysisQuery {
  AnalysisWindows windows;
  std::string disease;                     // empty: every disease
  std::vector<std::string> detail_hidden;  // counted per disease only
};

class AnalysisStore {
 public:
  static AnalysisCounts Counts(soci::session& s, const auth::Scope& scope, const AnalysisQuery& q);
};

}  // namespace jd::disease
