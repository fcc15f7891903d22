// File: kpi/service.h
// The statistics use cases over the live view (kpi/live_view.h): the catalogue, values of any
// indicators for any unit and period in the caller's jurisdiction, the dashboard (every indicator
// for a unit and the units under it), trends. Aggregates only: no person's data leaves here, so
// reads are not audited; every call checks kAggregateRead and the unit's jurisdiction (a unit
// outside it is "not found").
//
// The view is loaded on first use (serve warms it at start-up), then kept current by a commit hook
// on the database (writes of this process) and by reading new change events before every query
// (writes of other processes, e.g. an import from the command line).
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "kpi/catalogue.h"
#include "kpi/data_quality.h"
#include "kpi/live_view.h"

namespace jd::kpi {

// A values query as given (text, as in a URL or on the command line); the service checks it.
struct ValuesQuery {
  std::string codes;      // "A,B"; empty: every active indicator
  std::string org;        // empty: the caller's unit
  std::string period;     // empty: the current month
  bool children = false;  // also the units directly under `org` (drill-down)
  std::string sex, age_group, hukou_province, cohort;
};

// A statistical report (kpi/report.h) or an aggregate export (kpi/dhis2.h) as asked for.
struct ExportQuery {
  std::string org;     // empty: the caller's unit
  std::string period;  // empty: the current month
  std::string codes;   // empty: every active indicator
  std::string format;  // report: "xlsx" (default) or "csv"; exchange: "json" (default) or "adx"
  // Exchange only: which units' values are sent. "leaves" (default): the lowest units under
  // `org` (communities and villages), whose sums DHIS2 forms up its own tree; "children": the
  // units directly under `org`; "unit": `org` alone. One level only, since DHIS2 adds the values
  // of a unit's descendants to the unit's own and two levels would be counted twice.
  std::string level;
  std::string data_set;  // exchange: the DHIS2 data set (UID in JSON, code in ADX; ADX requires)
};

// A file to hand to the caller.
struct ExportFile {
  std::string file_name;  // "jundeng-report-450100-2026-11.xlsx"
  std::string content_type;
  std::string bytes;
};

struct ValuesResult {
  Period period;
  Date as_of{};  // the day stocks are counted on
  std::vector<const Indicator*> indicators;
  std::vector<registry::OrgUnit> units;  // `org` first, then its children when asked
  std::vector<IndicatorValue> values;    // units × indicators, in that order
  // Whether small cells were suppressed (the caller may not read persons; kpi/suppression.h).
  bool suppressed = false;
};

class KpiService {
 public:
  KpiService(storage::Database& db, const Clock& clock,
             const Catalogue& catalogue = Catalogue::Default(),
             const immunization::Schedule& schedule = immunization::Schedule::Default());
  ~KpiService();

  // Loads the view now. Idempotent.
  Status Warm();

  // The catalogue. REQUIRES: kAggregateRead.
  Result<std::vector<const Indicator*>> Indicators(const auth::Principal& who,
                                                   const std::string& module = "") const;
  // REQUIRES: kAggregateRead; the unit within the caller's jurisdiction. For a caller without
  // PersonRead (finance, partner), and for indicators of restricted data for a caller without
  // that data's permission (auth::SeesExactAggregates), small cells are suppressed over the whole
  // table the answer is a slice of: the unit's children (with the unit as their total) by every
  // category of the breakdown's dimension (with the unfiltered figures as totals), each indicator's
  // numerator and denominator apart; so a small count can be subtracted back neither from the
  // totals in the answer nor from the other categories of the same dimension asked for separately.
  Result<ValuesResult> Values(const auth::Principal& who, const ValuesQuery& query);
  // One indicator for one unit over the `count` periods ending with `period`, oldest first
  // (small counts suppressed for a caller without PersonRead, each period on its own).
  Result<ValuesResult> Trend(const auth::Principal& who, const std::string& code,
                             const std::string& org, const std::string& period, int count);

  // The data-quality report of a unit and the units under it, as of today. REQUIRES:
  // kAggregateRead; the examples (person ids) only for callers who may read persons.
  Result<QualityReport> Quality(const auth::Principal& who, const std::string& org);

  // The monthly/quarterly/annual report of a unit: a row for the unit and one for each unit
  // directly under it, a column per indicator (kpi/report.h). REQUIRES: kAggregateRead; the unit in
  // the caller's jurisdiction. Files are not suppressed: indicators of restricted data
  // (Indicator::restricted_to) only for callers who see them exact (auth::SeesExactAggregates),
  // left out of "every indicator" for the others and refused when named.
  Result<ExportFile> Report(const auth::Principal& who, const ExportQuery& query);
  // The unit's figures as a DHIS2 dataValueSets JSON document or an ADX message (kpi/dhis2.h).
  // Same requirements.
  Result<ExportFile> Exchange(const auth::Principal& who, const ExportQuery& query);

  const Catalogue& catalogue() const { return catalogue_; }
  // The loaded view (loads it if needed), for benchmarks and tests.
  Result<LiveView*> View();

 private:
  Result<std::uint32_t> UnitInScope(const auth::Principal& who, const LiveView& view,
                                    const std::string& code, const char* field) const;
  Result<Period> PeriodOrCurrent(const std::string& text) const;
  // The codes a report or an exchange carries for `who`: `codes` as given, refused (403 with a
  // field error per code) when one is restricted data `who` does not see exact; when empty, every
  // active indicator but those.
  Result<std::string> ExportCodes(const auth::Principal& who, const std::string& codes) const;

  storage::Database& db_;
  const Clock& clock_;
  const Catalogue& catalogue_;
  const immunization::Schedule& schedule_;
  std::mutex load_mu_;
  std::unique_ptr<LiveView> view_;
};

// ---- JSON ----
nlohmann::json IndicatorToJson(const Indicator& i);
nlohmann::json ValueToJson(const IndicatorValue& v);
nlohmann::json ValuesToJson(const ValuesResult& r);
nlohmann::json QualityToJson(const QualityReport& r);

}  // namespace jd::kpi
