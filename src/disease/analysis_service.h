// File: disease/analysis_service.h
// The periodic infectious-disease analysis as a use case (传染病疫情定期分析, 南宁市实施办法
// §四(六)): one week or month of the caller's area, as the typed tables of disease/analysis.h or as
// a workbook (disease/analysis_xlsx.h). Aggregates only: no card and no person is handed out.
//
// Access (auth/access.h): kDiseaseRead; without it PermissionDenied (403), audited as denied. The
// area is the caller's jurisdiction (auth::ScopeOf: the unit and everything under it; the whole
// city for the system principal), and only cards whose patient lives there are counted. HIV/AIDS
// and TB (disease::NeedsHivTbCare): a caller holding kHivTbCare gets them like any disease; for the
// others they are counted without detail — their lines in the per-disease table (cases, deaths,
// 环比, 同比: the figures the public bulletins print) and in the totals, and nothing of them in the
// area, occupation, work-site and curve tables, where a small count could point at a person (the
// card list leaves them out entirely; a bulletin of the area must still add up). Every analysis
// is audited as an aggregate read (action "disease.analysis", the period, area, disease and format
// in the detail, no person).
//
// Analyse(who, request, format): request.date must be a day not after today (Asia/Shanghai) —
//   field "date", code "in_future"; request.disease empty or a code of the catalogue (any code it
//   ever listed) — field "disease", code "unknown_disease". The period is the week or month holding
//   request.date (disease/analysis.h WindowsFor). The migrants of the area and of the units under
//   it (the incidence's denominators) come from the MigrantCounter, asked for the last day counted;
//   without one, or when it fails, the incidences are null (the counts do not depend on them).
// Workbook(who, request): the same analysis as an XLSX file (format "xlsx" in the audit).
// Thread-safe: the counter is set once at start-up, before requests are served.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "disease/analysis.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::disease {

struct AnalysisRequest {
  PeriodKind period = PeriodKind::kWeek;
  Date date{};
  std::string disease;  // empty: every disease
};

// The migrants living in `area` (an org code) and in each unit directly under it on `on`, by org
// code. A unit left out has no known figure.
using MigrantCounter = std::function<Result<std::map<std::string, std::int64_t>>(
    const auth::Principal& who, const std::string& area, Date on)>;

struct AnalysisFile {
  std::string file_name;   // Chinese: "传染病疫情分析-南宁市-2026-W45.xlsx"
  std::string ascii_name;  // "disease-analysis-450100-2026-W45.xlsx"
  std::string content_type;
  std::string bytes;
};

class AnalysisService {
 public:
  AnalysisService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                  const registry::RegistryService& registry, MigrantCounter counter = {});

  void SetMigrantCounter(MigrantCounter counter) { counter_ = std::move(counter); }

  Result<Analysis> Analyse(const auth::Principal& who, const AnalysisRequest& request,
                           const std::string& format = "json");
  Result<AnalysisFile> Workbook(const auth::Principal& who, const AnalysisRequest& request);

 private:
  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  MigrantCounter counter_;
};

}  // namespace jd::disease
