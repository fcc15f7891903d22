// File: kpi/evaluation_service.h
// The assessment and funding use cases (kpi/evaluation.h, kpi/funding.h) over the live statistics
// (KpiService::Values) and the population figures kept per org unit and year (table
// population_figures, migration 0006). See docs/kpi.md "Evaluation and funding".
//
// Access, as for the statistics: reading an assessment, a funding table or the population figures
// needs kAggregateRead (commission, district, center, village, cdc, finance, partner) and a unit
// within the caller's jurisdiction; a unit outside it is "not found" (KpiService answers for the
// values, this service for the units it resolves itself). Setting population figures needs
// kPopulationSet (the system administrator and the finance bureau), each figure audited in the
// write's transaction with its previous value and kept in the history (population_figure_history,
// migration 0018); a refused attempt is audited too. Aggregates
// only: no person's data passes here, so reads are not audited.
// Thread-safe as far as the database and KpiService are (the service keeps no state of its own).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "kpi/evaluation.h"
#include "kpi/funding.h"
#include "kpi/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::kpi {

// The 户籍 population (and optionally the migrants) of one org unit in one year.
struct PopulationFigure {
  std::string org;
  std::string org_name;  // filled on reading
  int year = 0;
  std::int64_t huji_population = 0;
  std::optional<std::int64_t> migrant_population;  // null: the registry's count is used
  std::string source;                              // e.g. "2025年南宁市统计年鉴"
  std::string updated_at, updated_by;
};

// One change of a figure (table population_figure_history, migration 0018): the values before
// (none for the first figure of a unit and year) and after, who made it, when, and how ("set":
// the form or PUT; "import": a spreadsheet; "cli": the command line).
struct PopulationChange {
  std::string org;
  int year = 0;
  std::optional<std::int64_t> old_huji, old_migrants;
  std::int64_t new_huji = 0;
  std::optional<std::int64_t> new_migrants;
  std::optional<std::string> old_source;
  std::string new_source, via, changed_at, changed_by;
};

// SQL of the population_figures and population_figure_history tables; called inside
// Database::Read/Write.
class PopulationStore {
 public:
  // Figures of `year` (every year when 0), by org code then year.
  static std::vector<PopulationFigure> List(soci::session& s, int year);
  static std::optional<PopulationFigure> Find(soci::session& s, const std::string& org, int year);
  // Inserts or replaces the figure of (org, year).
  static void Put(soci::session& s, const PopulationFigure& f);
  static void AddChange(soci::session& s, const PopulationChange& c);
  // Changes of (org, year), newest first; year 0: every year of the unit.
  static std::vector<PopulationChange> History(soci::session& s, const std::string& org, int year);
};

// A spreadsheet of figures, one row per unit and year, read row by row: the rows that pass are
// stored, each bad row is reported with its spreadsheet row number (1-based, the header is row 1)
// and the reason, and never stops the others.
struct PopulationImportError {
  int row = 0;
  FieldError error;  // field: the column's key (org, year, huji_population, …)
};
struct PopulationImportReport {
  int rows = 0;  // data rows read (blank rows skipped)
  std::vector<PopulationFigure> stored;
  std::vector<PopulationImportError> errors;
};

// Queries as given (text, as in a URL or on the command line); the service checks them.
struct EvaluationQuery {
  std::string period;  // "YYYY", "YYYY-Qn" / "YYYYQn" or "YYYY-MM"; required
  std::string level;   // "district" or "street"; empty: the level under `org`
  std::string org;     // empty: the caller's unit (the city on the command line)
};

struct FundingQuery {
  std::string year;  // "YYYY"; required
  std::string org;   // empty: the caller's unit; the city (districts) or a district (streets)
};

struct PopulationHistoryQuery {
  std::string org;   // required: a district or street within the caller's jurisdiction
  std::string year;  // empty: every year
};

struct PopulationQuery {
  std::string year;  // empty: every year
  std::string org;   // empty: the caller's unit; figures of it and the units under it
};

struct FundingReport {
  std::string org, org_name;
  std::string scheme_id;
  Date as_of{};  // the day the registry's migrants and the scores were counted on
  FundingTable table;
};

class EvaluationService {
 public:
  EvaluationService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                    const registry::RegistryService& registry, KpiService& kpi,
                    const AssessmentScheme& scheme = DefaultAssessmentScheme(),
                    const FundingConfig& funding = DefaultFundingConfig());

  // Scores, ranks and the bulletin of the districts under a city, the streets under a district, or
  // every street of a city. Field errors: period (missing, malformed, not started yet), level,
  // org (not above the level).
  Result<Evaluation> Evaluate(const auth::Principal& who, const EvaluationQuery& query);

  // The funding table of the units directly under `org` for a year. Field errors: year, org. A
  // unit without a 户籍 figure for the year is kFailedPrecondition naming each such unit.
  Result<FundingReport> Funding(const auth::Principal& who, const FundingQuery& query);

  Result<std::vector<PopulationFigure>> PopulationFigures(const auth::Principal& who,
                                                          const PopulationQuery& query);
  // Body: {"year": 2026, "figures": [{"org": "450103", "huji_population": 600000,
  // "migrant_population": 120000 | null, "source": "…"}]}: all or nothing. Returns the stored
  // figures. Field errors name the path, e.g. "figures[2].huji_population". The year runs from
  // kFirstFigureYear to next year. REQUIRES kPopulationSet (refusals audited); each figure's
  // change is kept in the history and audited with its previous value. `via` names the channel
  // in the history ("set" or "cli").
  Result<std::vector<PopulationFigure>> SetPopulationFigures(const auth::Principal& who,
                                                             const nlohmann::json& body,
                                                             const std::string& via = "set");
  // The rows of a spreadsheet (rows[0] the header: 单位代码/org, 年度/year, 户籍人口/
  // huji_population, 流动人口/migrant_population (blank: the registry's count), 来源/source;
  // 单位名称 ignored). Good rows stored (history, audit) in one transaction, bad ones reported.
  // Fails as a whole only when the caller lacks kPopulationSet, the header lacks a required column
  // (field "file", code "missing_columns") or the sheet has more than kMaxFigures rows.
  Result<PopulationImportReport> ImportPopulationFigures(
      const auth::Principal& who, const std::vector<std::vector<std::string>>& rows);
  // The changes of a unit's figures, newest first (kAggregateRead or kPopulationSet; a unit
  // outside the jurisdiction is not found).
  Result<std::vector<PopulationChange>> PopulationHistory(const auth::Principal& who,
                                                          const PopulationHistoryQuery& query);
  // The import template: the header and a row per district and street in the caller's
  // jurisdiction with `year` (default: this year) and that year's figures where set.
  Result<std::vector<std::vector<std::string>>> PopulationTemplate(const auth::Principal& who,
                                                                   const std::string& year);

  const AssessmentScheme& scheme() const { return scheme_; }
  const FundingConfig& funding() const { return funding_; }

 private:
  Result<registry::OrgUnit> UnitInScope(const auth::Principal& who, const std::string& code) const;
  Status RequirePopulationSet(const auth::Principal& who, const std::string& action);
  // The district or street `code` within the caller's jurisdiction; else an error on `field`.
  std::optional<registry::OrgUnit> FigureUnit(const auth::Principal& who, const std::string& code,
                                              const std::string& field, FieldErrors& errors) const;
  // Stores the figures, each change kept in the history and audited with its previous value.
  Status WriteFigures(soci::session& s, const auth::Principal& who,
                      const std::vector<PopulationFigure>& figures, const std::string& via);
  Result<Evaluation> EvaluateUnits(const auth::Principal& who, const registry::OrgUnit& org,
                                   AssessmentLevel level, const Period& period);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  KpiService& kpi_;
  const AssessmentScheme& scheme_;
  const FundingConfig& funding_;
};

// "2026-Q3" → "2026Q3"; other text unchanged.
std::string NormalizePeriodText(const std::string& text);

nlohmann::json FundingReportToJson(const FundingReport& r);
nlohmann::json PopulationFigureToJson(const PopulationFigure& f);
nlohmann::json PopulationChangeToJson(const PopulationChange& c);
nlohmann::json PopulationImportReportToJson(const PopulationImportReport& r);

// The earliest year a figure may be entered for: the national basic public-health service
// programme that the per-capita standard funds began in 2009 (卫妇社发〔2009〕70号); the latest is
// next year (a budget drawn up ahead).
inline constexpr int kFirstFigureYear = 2009;

}  // namespace jd::kpi
