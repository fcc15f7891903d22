// File: kpi/evaluation_service.h
// The assessment and funding use cases (kpi/evaluation.h, kpi/funding.h) over the live statistics
// (KpiService::Values) and the population figures kept per org unit and year (table
// population_figures, migration 0006). See docs/kpi.md "Evaluation and funding".
//
// Access, as for the statistics: reading an assessment, a funding table or the population figures
// needs kAggregateRead (commission, district, center, village, cdc, finance, partner) and a unit
// within the caller's jurisdiction; a unit outside it is "not found" (KpiService answers for the
// values, this service for the units it resolves itself). Setting population figures is
// configuration: kConfigure (the system administrator, as for org units), each figure audited in
// the write's transaction with its previous value; a refused attempt is audited too. Aggregates
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

// SQL of the population_figures table; called inside Database::Read/Write.
class PopulationStore {
 public:
  // Figures of `year` (every year when 0), by org code then year.
  static std::vector<PopulationFigure> List(soci::session& s, int year);
  static std::optional<PopulationFigure> Find(soci::session& s, const std::string& org, int year);
  // Inserts or replaces the figure of (org, year).
  static void Put(soci::session& s, const PopulationFigure& f);
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
  // figures. Field errors name the path, e.g. "figures[2].huji_population".
  Result<std::vector<PopulationFigure>> SetPopulationFigures(const auth::Principal& who,
                                                             const nlohmann::json& body);

  const AssessmentScheme& scheme() const { return scheme_; }
  const FundingConfig& funding() const { return funding_; }

 private:
  Result<registry::OrgUnit> UnitInScope(const auth::Principal& who, const std::string& code) const;
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

}  // namespace jd::kpi
