#include "disease/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "auth/scope.h"

namespace jd::disease {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date MondayOf(Date d) {
  const sys_days s{d};
  const unsigned iso = std::chrono::weekday{s}.iso_encoding();  // Monday 1 … Sunday 7
  return Date{s - days(iso - 1)};
}

// ISO 8601: week 1 is the week with the year's first Thursday, i.e. the one holding 4 January.
Date IsoWeekStart(int year, int week) {
  const Date jan4{std::chrono::year{year} / std::chrono::January / 4};
  return AddDays(MondayOf(jan4), 7 * (week - 1));
}

int IsoWeeksIn(int year) {
  const Date dec28{std::chrono::year{year} / std::chrono::December / 28};
  return PeriodContaining(PeriodKind::kWeek, dec28).number;
}

ReportPeriod Week(int year, int week) {
  ReportPeriod p{.kind = PeriodKind::kWeek, .year = year, .number = week};
  p.first = IsoWeekStart(year, week);
  p.last = AddDays(p.first, 6);
  return p;
}

ReportPeriod Month(int year, int month) {
  ReportPeriod p{.kind = PeriodKind::kMonth, .year = year, .number = month};
  const auto ym = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)};
  p.first = Date{ym / 1};
  p.last = Date{std::chrono::year_month_day_last{ym / std::chrono::last}};
  return p;
}

// The window of `p` that is as long as the first `n` days counted of the current period.
DateWindow FirstDays(const ReportPeriod& p, int n) {
  DateWindow w{p.first, AddDays(p.first, n - 1)};
  if (w.last > p.last) w.last = p.last;
  return w;
}

double Round(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;  // std::round: half away from zero
}

// The disease's class on `on`; its last listing's class when it is not listed that day.
DiseaseClass ClassOn(const DiseaseCatalogue& catalogue, const std::string& code, Date on) {
  auto listed = catalogue.Find(code, on);
  if (listed.ok()) return listed->disease_class;
  for (const DiseaseEntry& e : catalogue.entries()) {
    if (e.code == code && !e.listed.empty()) return e.listed.back().disease_class;
  }
  return DiseaseClass::kB;
}

// Catalogue order of the codes, unknown codes after every known one.
class CatalogueOrder {
 public:
  explicit CatalogueOrder(const DiseaseCatalogue& catalogue) {
    for (const DiseaseEntry& e : catalogue.entries()) rank_.emplace(e.code, rank_.size());
  }
  std::size_t operator()(const std::string& code) const {
    auto it = rank_.find(code);
    return it == rank_.end() ? rank_.size() : it->second;
  }

 private:
  std::map<std::string, std::size_t> rank_;
};

// Sorts (code, count) pairs most first, then in catalogue order.
void SortByCount(std::vector<std::pair<std::string, int>>& v, const CatalogueOrder& order) {
  std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return order(a.first) < order(b.first);
  });
}

std::vector<std::pair<std::string, int>> Pairs(const std::map<std::string, int>& m,
                                               const CatalogueOrder& order) {
  std::vector<std::pair<std::string, int>> v(m.begin(), m.end());
  SortByCount(v, order);
  return v;
}

void SetChanges(Comparison& c, int now) { c.change_pct = ChangePercent(now, c.cases); }

void BuildDiseases(const AnalysisInput& in, const DiseaseCatalogue& catalogue,
                   const CatalogueOrder& order, const std::set<std::string>& withheld,
                   Analysis& a) {
  std::map<std::string, DiseaseRow> rows;
  auto row = [&](const std::string& code) -> DiseaseRow& {
    auto [it, added] = rows.try_emplace(code);
    if (added) {
      DiseaseRow& r = it->second;
      r.code = code;
      std::tie(r.name_zh, r.name_en) = DiseaseNames(catalogue, code);
      r.disease_class = ClassOn(catalogue, code, in.windows.through);
      r.detail_withheld = withheld.contains(code);
    }
    return it->second;
  };
  for (const DiseaseTally& t : in.counts.current) {
    DiseaseRow& r = row(t.disease);
    r.cases += t.cases;
    r.deaths += t.deaths;
    r.migrant_cases += t.migrant_cases;
  }
  for (const DiseaseTally& t : in.counts.previous) row(t.disease).previous.cases += t.cases;
  for (const DiseaseTally& t : in.counts.year_before) row(t.disease).year_before.cases += t.cases;

  std::array<ClassRow, 3> classes{ClassRow{.disease_class = DiseaseClass::kA},
                                  ClassRow{.disease_class = DiseaseClass::kB},
                                  ClassRow{.disease_class = DiseaseClass::kC}};
  for (auto& [code, r] : rows) {
    SetChanges(r.previous, r.cases);
    SetChanges(r.year_before, r.cases);
    ClassRow& c = classes[static_cast<std::size_t>(r.disease_class)];
    c.cases += r.cases;
    c.deaths += r.deaths;
    c.previous.cases += r.previous.cases;
    c.year_before.cases += r.year_before.cases;
    a.cases += r.cases;
    a.deaths += r.deaths;
    a.migrant_cases += r.migrant_cases;
    a.previous.cases += r.previous.cases;
    a.year_before.cases += r.year_before.cases;
    a.diseases.push_back(r);
  }
  for (ClassRow& c : classes) {
    SetChanges(c.previous, c.cases);
    SetChanges(c.year_before, c.cases);
    a.classes.push_back(c);
  }
  SetChanges(a.previous, a.cases);
  SetChanges(a.year_before, a.cases);
  std::sort(a.diseases.begin(), a.diseases.end(), [&](const DiseaseRow& x, const DiseaseRow& y) {
    if (x.cases != y.cases) return x.cases > y.cases;
    return order(x.code) < order(y.code);
  });
}

void BuildAreas(const AnalysisInput& in, const CatalogueOrder& order,
                const std::set<std::string>& withheld, Analysis& a) {
  AreaTable& t = a.areas;
  auto migrants_of = [&](const std::string& code) -> std::optional<std::int64_t> {
    auto it = in.migrants.find(code);
    if (it == in.migrants.end()) return std::nullopt;
    return it->second;
  };
  std::map<std::string, int> by_disease;
  for (const UnitTally& u : in.counts.by_unit) {
    if (!withheld.contains(u.disease)) by_disease[u.disease] += u.cases;
  }
  for (const auto& [code, n] : Pairs(by_disease, order)) t.diseases.push_back(code);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < t.diseases.size(); ++i) column[t.diseases[i]] = i;

  auto blank = [&](const registry::OrgUnit& u) {
    AreaRow r{.code = u.code, .name = u.name, .migrants = migrants_of(u.code)};
    r.cells.resize(t.diseases.size());
    return r;
  };
  for (const registry::OrgUnit& u : in.sub_units) t.rows.push_back(blank(u));
  AreaRow own = blank(in.area);
  own.own_level = true;
  own.migrants.reset();  // the area's migrants live in its sub-units' rows
  t.total = blank(in.area);
  for (const UnitTally& u : in.counts.by_unit) {
    if (withheld.contains(u.disease)) continue;
    AreaRow* target = &own;
    for (std::size_t i = 0; i < in.sub_units.size(); ++i) {
      if (auth::PathCovers(in.sub_units[i].path, u.residence_path)) {
        target = &t.rows[i];
        break;
      }
    }
    for (AreaRow* r : {target, &t.total}) {
      AreaCell& cell = r->cells[column.at(u.disease)];
      cell.cases += u.cases;
      cell.migrant_cases += u.migrant_cases;
      r->total.cases += u.cases;
      r->total.migrant_cases += u.migrant_cases;
    }
  }
  if (own.total.cases > 0) t.rows.push_back(std::move(own));
  auto rates = [](AreaRow& r) {
    r.total.incidence = IncidencePer100k(r.total.migrant_cases, r.migrants);
    for (AreaCell& c : r.cells) c.incidence = IncidencePer100k(c.migrant_cases, r.migrants);
  };
  rates(t.total);
  for (AreaRow& r : t.rows) rates(r);
}

void BuildOccupations(const AnalysisInput& in, const CatalogueOrder& order,
                      const std::set<std::string>& withheld, Analysis& a) {
  std::map<std::string, std::map<std::string, int>> by;
  int total = 0;
  for (const OccupationTally& o : in.counts.by_occupation) {
    if (withheld.contains(o.disease)) continue;
    by[o.occupation.empty() ? "不详" : o.occupation][o.disease] += o.cases;
    total += o.cases;
  }
  for (const auto& [occupation, diseases] : by) {
    OccupationRow r{.occupation = occupation, .diseases = Pairs(diseases, order)};
    for (const auto& [code, n] : r.diseases) r.cases += n;
    r.share_pct = total > 0 ? Round(100.0 * r.cases / total, 1) : 0;
    a.occupations.push_back(std::move(r));
  }
  std::stable_sort(
      a.occupations.begin(), a.occupations.end(),
      [](const OccupationRow& x, const OccupationRow& y) { return x.cases > y.cases; });
}

void BuildSites(const AnalysisInput& in, const CatalogueOrder& order,
                const std::set<std::string>& withheld, Analysis& a) {
  struct Site {
    std::map<std::string, int> names;  // as written, with their cases
    std::map<std::string, int> diseases;
  };
  std::map<std::pair<WorkSiteKind, std::string>, Site> by;
  for (const SiteTally& s : in.counts.by_site) {
    if (withheld.contains(s.disease) || s.key.empty()) continue;
    Site& site = by[{s.kind, s.key}];
    site.names[s.name] += s.cases;
    site.diseases[s.disease] += s.cases;
  }
  std::vector<SiteRow> rows;
  for (auto& [key, site] : by) {
    // The name written on most cards (the first in order among equals).
    auto name = std::max_element(site.names.begin(), site.names.end(),
                                 [](const auto& x, const auto& y) { return x.second < y.second; });
    SiteRow r{.kind = key.first, .name = name->first, .diseases = Pairs(site.diseases, order)};
    for (const auto& [code, n] : r.diseases) {
      r.cases += n;
      if (n >= kSiteMarkCases) r.marked_diseases.push_back(code);
    }
    rows.push_back(std::move(r));
  }
  std::sort(rows.begin(), rows.end(), [](const SiteRow& x, const SiteRow& y) {
    if (x.marked() != y.marked()) return x.marked();
    if (x.cases != y.cases) return x.cases > y.cases;
    return x.name < y.name;
  });
  a.sites_total = static_cast<int>(rows.size());
  a.marked_sites = static_cast<int>(
      std::count_if(rows.begin(), rows.end(), [](const SiteRow& r) { return r.marked(); }));
  const auto keep = static_cast<std::size_t>(std::max({in.top_sites, a.marked_sites, 0}));
  if (rows.size() > keep) rows.resize(keep);
  a.sites = std::move(rows);
}

void BuildCurve(const AnalysisInput& in, const CatalogueOrder& order,
                const std::set<std::string>& withheld, Analysis& a) {
  EpidemicCurve& c = a.curve;
  c.window = in.windows.curve;
  const int n = c.window.Days();
  c.total.assign(static_cast<std::size_t>(std::max(n, 0)), 0);
  std::map<std::string, std::vector<int>> per;
  std::map<std::string, int> sums;
  for (const OnsetTally& t : in.counts.by_onset) {
    const int day = DaysBetween(c.window.first, t.onset);
    if (withheld.contains(t.disease) || day < 0 || day >= n) continue;
    auto& v = per[t.disease];
    v.resize(c.total.size(), 0);
    v[static_cast<std::size_t>(day)] += t.cases;
    c.total[static_cast<std::size_t>(day)] += t.cases;
    sums[t.disease] += t.cases;
  }
  auto ranked = Pairs(sums, order);
  CurveSeries other{.disease = "", .counts = std::vector<int>(c.total.size(), 0)};
  bool any_other = false;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const std::string& code = ranked[i].first;
    if (i < static_cast<std::size_t>(std::max(in.curve_diseases, 0))) {
      c.series.push_back({code, per[code]});
      continue;
    }
    any_other = true;
    for (std::size_t d = 0; d < other.counts.size(); ++d) other.counts[d] += per[code][d];
  }
  if (any_other) c.series.push_back(std::move(other));
}

std::string DayMonthEn(Date d) {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return fmt::format("{} {}", static_cast<unsigned>(d.day()),
                     kMonths[static_cast<unsigned>(d.month()) - 1]);
}

}  // namespace

std::string_view PeriodKindCode(PeriodKind k) { return k == PeriodKind::kWeek ? "week" : "month"; }

std::optional<PeriodKind> ParsePeriodKind(std::string_view code) {
  if (code == "week") return PeriodKind::kWeek;
  if (code == "month") return PeriodKind::kMonth;
  return std::nullopt;
}

std::string ReportPeriod::Code() const {
  return kind == PeriodKind::kWeek ? fmt::format("{:04}-W{:02}", year, number)
                                   : fmt::format("{:04}-{:02}", year, number);
}

std::string ReportPeriod::LabelZh() const {
  if (kind == PeriodKind::kMonth) return fmt::format("{}年{}月", year, number);
  return fmt::format("{}年第{}周（{}至{}）", year, number, FormatDate(first), FormatDate(last));
}

std::string ReportPeriod::LabelEn() const {
  if (kind == PeriodKind::kMonth) {
    std::string month = DayMonthEn(first);
    return month.substr(month.find(' ') + 1) + fmt::format(" {}", year);
  }
  return fmt::format("week {} of {} ({} to {})", number, year, FormatDate(first), FormatDate(last));
}

ReportPeriod PeriodContaining(PeriodKind kind, Date d) {
  if (kind == PeriodKind::kMonth) {
    return Month(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())));
  }
  const Date thursday = AddDays(MondayOf(d), 3);
  const int year = static_cast<int>(thursday.year());
  const Date jan1{thursday.year() / std::chrono::January / 1};
  return Week(year, DaysBetween(jan1, thursday) / 7 + 1);
}

ReportPeriod PreviousPeriod(const ReportPeriod& p) {
  return PeriodContaining(p.kind, AddDays(p.first, -1));
}

ReportPeriod SamePeriodYearBefore(const ReportPeriod& p) {
  if (p.kind == PeriodKind::kMonth) return Month(p.year - 1, p.number);
  return Week(p.year - 1, std::min(p.number, IsoWeeksIn(p.year - 1)));
}

AnalysisWindows WindowsFor(const ReportPeriod& p, Date today) {
  AnalysisWindows w{.period = p};
  w.partial = p.last > today;
  w.through = w.partial ? today : p.last;
  w.current = {p.first, w.through};
  // A whole period is compared with whole periods; one not over with as many of their first days.
  const int n = w.partial ? w.current.Days() : 366;
  w.previous = FirstDays(PreviousPeriod(p), n);
  w.year_before = FirstDays(SamePeriodYearBefore(p), n);
  w.curve = {AddDays(p.first, -7 * kCurveWeeksBefore), w.through};
  return w;
}

std::optional<double> ChangePercent(int now, int then) {
  if (then == 0) return std::nullopt;
  return Round(100.0 * (now - then) / then, 1);
}

std::optional<double> IncidencePer100k(int cases, std::optional<std::int64_t> population) {
  if (!population || *population <= 0) return std::nullopt;
  return Round(100000.0 * cases / static_cast<double>(*population), 2);
}

std::pair<std::string, std::string> DiseaseNames(const DiseaseCatalogue& catalogue,
                                                 std::string_view code) {
  for (const DiseaseEntry& e : catalogue.entries()) {
    if (e.code == code) return {e.name_zh, e.name_en};
  }
  return {};
}

Analysis Analyse(const AnalysisInput& in, const DiseaseCatalogue& catalogue) {
  Analysis a;
  a.windows = in.windows;
  a.area_code = in.area.code;
  a.area_name = in.area.name;
  a.disease_filter = in.disease_filter;
  a.withheld = in.withheld;
  a.migrants_on = in.migrants_on;
  const CatalogueOrder order(catalogue);
  const std::set<std::string> withheld(in.withheld.begin(), in.withheld.end());
  BuildDiseases(in, catalogue, order, withheld, a);
  BuildAreas(in, order, withheld, a);
  BuildOccupations(in, order, withheld, a);
  BuildSites(in, order, withheld, a);
  BuildCurve(in, order, withheld, a);
  return a;
}

}  // namespace jd::disease
