// File: disease/analysis.h
// The periodic infectious-disease analysis (传染病疫情定期分析, 南宁市实施办法 §四(六): "实施传染病
// 疫情定期分析、反馈和通报制度"; 试点工作方案 §四(四): monitoring where migrants crowd — building
// sites, industrial parks, markets, dormitories) as pure functions over counts the store has
// already aggregated (disease/analysis_store.h). No I/O; thread-safe.
//
// Periods (ReportPeriod): an ISO 8601 week (Monday to Sunday, numbered in its ISO week-numbering
// year) or a calendar month, of Asia/Shanghai civil dates. PeriodContaining(kind, d) is the one
// holding d; PreviousPeriod the one before (环比); SamePeriodYearBefore the same ISO week (week 53
// becomes week 52 in a year without one) or the same month a year earlier (同比).
//
// Which date places a case (WindowsFor):
//   - counts, comparisons and every breakdown: the Asia/Shanghai date of the report (reported_at).
//     The monthly bulletins (全国法定传染病疫情概况) count the cases reported in the month
//     ("1日0时至月末24时 … 共报告发病"); strictly they count the date the county CDC audited the
//     card (终审日期) [unc], which the card does not keep, and the report is its nearest date.
//     CIDARS counts by report date as well (disease/signal_rules.h).
//   - the epidemic curve: the onset date (发病日期), the epidemiological date of a case, over the
//     period and the kCurveWeeksBefore weeks before it, of the cards reported by the end of the
//     period (what was known when the period closed).
//   - a period not yet over is counted through `today`; its comparison windows are then the same
//     number of days from the start of the previous period and of the period a year before
//     (like-for-like, "截至同期"), and `partial` says so.
//
// Analyse(input, catalogue): the tables of one period and area from the counts:
//   - diseases: every disease with a case in the period or either comparison window, most cases
//     first (then catalogue order): cases, deaths (cards with a death date), migrant cases,
//     and the change against the previous period (环比) and the year before (同比) in percent,
//     (now − then) / then × 100 to one decimal, null when `then` is 0. classes: the same for
//     甲类, 乙类, 丙类 (class on the period's last day); total: all diseases.
//   - areas: a row per unit directly under the area (the districts of the city, the streets of a
//     district …) plus, when any card's address unit is the area itself, a row for it; a column
//     per disease with a case in the table, most cases first. Each cell: cases, migrant cases
//     (病人属于 本省其他地市 or 外省: the 户籍 lies outside the city, 实施办法 §三(一)), and the
//     incidence per 100,000 migrants living in the unit = migrant cases / migrants × 100,000, two
//     decimals, for the period (not annualised); null when the unit's migrant count is unknown or
//     0. The denominator is the caller's (the registry's floating persons, analysis_service.h).
//   - occupations (人群分类 as written on the card; "不详" when empty): cases, share of all cases
//     in the breakdown in percent (one decimal), and each disease's cases, most first.
//   - sites: work sites (kind and normalised name, disease::WorkSiteKey; shown by the name written
//     on most of their cards) with their cases and each disease's; a site is marked when it has ≥
//     kSiteMarkCases cases of one disease in the period (the work-site cluster size of
//     disease/signal_rules.h SignalPolicy, 3). Marked sites first, then most cases, then name; at
//     most input.top_sites rows (marked ones always kept); sites_total and marked_sites count them
//     all.
//   - curve: a series per disease for the input.curve_diseases diseases with most cases in the
//     curve window, one "other" series (code "") for the rest when it has any, and the daily
//     total, for every day of the window (zeros included).
//   - Diseases listed in input.withheld (HIV/AIDS and TB for a caller without hiv_tb_care) are
//     counted in diseases, classes and total, marked detail_withheld, and left out of areas,
//     occupations, sites and curve (the store leaves them out already; Analyse ignores any that
//     reach it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "disease/card.h"
#include "disease/catalogue.h"
#include "registry/model.h"

namespace jd::disease {

enum class PeriodKind { kWeek, kMonth };
std::string_view PeriodKindCode(PeriodKind k);  // "week", "month"
std::optional<PeriodKind> ParsePeriodKind(std::string_view code);

struct ReportPeriod {
  PeriodKind kind = PeriodKind::kWeek;
  int year = 0;    // the ISO week-numbering year of a week; the calendar year of a month
  int number = 0;  // ISO week 1–53, or month 1–12
  Date first{}, last{};

  std::string Code() const;     // "2026-W45", "2026-11"
  std::string LabelZh() const;  // "2026年第45周（11月2日至11月8日）", "2026年11月"
  std::string LabelEn() const;  // "week 45 of 2026 (2 to 8 November)", "November 2026"
};

ReportPeriod PeriodContaining(PeriodKind kind, Date d);
ReportPeriod PreviousPeriod(const ReportPeriod& p);
ReportPeriod SamePeriodYearBefore(const ReportPeriod& p);

// Both ends inclusive, Asia/Shanghai civil dates.
struct DateWindow {
  Date first{}, last{};
  int Days() const { return DaysBetween(first, last) + 1; }
};

inline constexpr int kCurveWeeksBefore = 8;
inline constexpr int kSiteMarkCases = 3;
inline constexpr int kDefaultTopSites = 20;
inline constexpr int kDefaultCurveDiseases = 5;

struct AnalysisWindows {
  ReportPeriod period;
  Date through{};        // the last day counted: the period's last day, or today
  bool partial = false;  // the period is not over
  DateWindow current, previous, year_before;  // by report date
  DateWindow curve;                           // by onset date
};

// REQUIRES: p.first <= today.
AnalysisWindows WindowsFor(const ReportPeriod& p, Date today);

// ---- What the store counts (active cards only: deleted and merged-away cards are not counted,
// ---- a corrected card counts with its current values) ----

struct DiseaseTally {
  std::string disease;
  int cases = 0, deaths = 0, migrant_cases = 0;
};
struct UnitTally {
  std::string residence_path, disease;
  int cases = 0, migrant_cases = 0;
};
struct OccupationTally {
  std::string occupation, disease;
  int cases = 0;
};
struct SiteTally {
  WorkSiteKind kind = WorkSiteKind::kOther;
  std::string key, name, disease;
  int cases = 0;
};
struct OnsetTally {
  Date onset{};
  std::string disease;
  int cases = 0;
};

struct AnalysisCounts {
  std::vector<DiseaseTally> current, previous, year_before;
  std::vector<UnitTally> by_unit;  // current window
  std::vector<OccupationTally> by_occupation;
  std::vector<SiteTally> by_site;
  std::vector<OnsetTally> by_onset;  // curve window
};

struct AnalysisInput {
  AnalysisWindows windows;
  registry::OrgUnit area;
  std::vector<registry::OrgUnit> sub_units;  // the units directly under the area, in order
  // Migrants living in each unit (the area and its sub-units), by org code; absent: unknown.
  std::map<std::string, std::int64_t> migrants;
  std::optional<Date> migrants_on;  // the day the migrants were counted
  AnalysisCounts counts;
  std::vector<std::string> withheld;
  std::string disease_filter;  // the one disease analysed, or empty
  int top_sites = kDefaultTopSites;
  int curve_diseases = kDefaultCurveDiseases;
};

// ---- The result ----

struct Comparison {
  int cases = 0;
  std::optional<double> change_pct;
};

struct DiseaseRow {
  std::string code, name_zh, name_en;
  DiseaseClass disease_class = DiseaseClass::kB;
  int cases = 0, deaths = 0, migrant_cases = 0;
  Comparison previous, year_before;
  bool detail_withheld = false;
};

struct ClassRow {
  DiseaseClass disease_class = DiseaseClass::kB;
  int cases = 0, deaths = 0;
  Comparison previous, year_before;
};

struct AreaCell {
  int cases = 0, migrant_cases = 0;
  std::optional<double> incidence;  // migrant cases per 100,000 migrants
};

struct AreaRow {
  std::string code, name;
  bool own_level = false;  // the cards whose address unit is the area itself
  std::optional<std::int64_t> migrants;
  AreaCell total;
  std::vector<AreaCell> cells;  // one per AreaTable::diseases
};

struct AreaTable {
  std::vector<std::string> diseases;  // the columns
  std::vector<AreaRow> rows;
  AreaRow total;  // the area
};

struct OccupationRow {
  std::string occupation;
  int cases = 0;
  double share_pct = 0;
  std::vector<std::pair<std::string, int>> diseases;  // most cases first
};

struct SiteRow {
  WorkSiteKind kind = WorkSiteKind::kOther;
  std::string name;
  int cases = 0;
  std::vector<std::pair<std::string, int>> diseases;  // most cases first
  std::vector<std::string> marked_diseases;           // ≥ kSiteMarkCases cases
  bool marked() const { return !marked_diseases.empty(); }
};

struct CurveSeries {
  std::string disease;  // "" for the other diseases together
  std::vector<int> counts;
};

struct EpidemicCurve {
  DateWindow window;
  std::vector<CurveSeries> series;
  std::vector<int> total;  // per day
};

struct Analysis {
  AnalysisWindows windows;
  std::string area_code, area_name;
  std::string disease_filter;
  int cases = 0, deaths = 0, migrant_cases = 0;
  Comparison previous, year_before;
  std::vector<DiseaseRow> diseases;
  std::vector<ClassRow> classes;  // A, B, C
  AreaTable areas;
  std::vector<OccupationRow> occupations;
  std::vector<SiteRow> sites;
  int sites_total = 0, marked_sites = 0;
  EpidemicCurve curve;
  std::vector<std::string> withheld;
  std::optional<Date> migrants_on;
};

// (now − then) / then × 100 to one decimal (half away from zero); nullopt when then is 0.
std::optional<double> ChangePercent(int now, int then);
// cases / population × 100,000 to two decimals; nullopt when the population is unknown or 0.
std::optional<double> IncidencePer100k(int cases, std::optional<std::int64_t> population);

Analysis Analyse(const AnalysisInput& input, const DiseaseCatalogue& catalogue);

// The disease's names in the catalogue ("" when the code is unknown).
std::pair<std::string, std::string> DiseaseNames(const DiseaseCatalogue& catalogue,
                                                 std::string_view code);

}  // namespace jd::disease
