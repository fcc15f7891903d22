#include "disease/analysis_json.h"

#include <set>

namespace jd::disease {

namespace {

using nlohmann::json;

json Optional(const std::optional<double>& x) { return x ? json(*x) : json(); }

json WindowJson(const DateWindow& w) {
  return {{"first", FormatDate(w.first)}, {"last", FormatDate(w.last)}};
}

json ComparisonJson(const Comparison& c) {
  return {{"cases", c.cases}, {"change_pct", Optional(c.change_pct)}};
}

json CountsJson(const std::vector<std::pair<std::string, int>>& diseases) {
  json out = json::array();
  for (const auto& [code, n] : diseases) out.push_back({{"code", code}, {"cases", n}});
  return out;
}

json CellJson(const AreaCell& c) {
  return {
      {"cases", c.cases}, {"migrant_cases", c.migrant_cases}, {"incidence", Optional(c.incidence)}};
}

json AreaRowJson(const AreaRow& r) {
  json cells = json::array();
  for (const AreaCell& c : r.cells) cells.push_back(CellJson(c));
  json j = CellJson(r.total);
  j["code"] = r.code;
  j["name"] = r.name;
  j["own_level"] = r.own_level;
  j["migrants"] = r.migrants ? json(*r.migrants) : json();
  j["cells"] = std::move(cells);
  return j;
}

json PeriodJson(const AnalysisWindows& w) {
  const ReportPeriod& p = w.period;
  return {{"kind", PeriodKindCode(p.kind)},   {"code", p.Code()},
          {"label_zh", p.LabelZh()},          {"label_en", p.LabelEn()},
          {"first", FormatDate(p.first)},     {"last", FormatDate(p.last)},
          {"through", FormatDate(w.through)}, {"partial", w.partial}};
}

json CurveJson(const EpidemicCurve& c) {
  json dates = json::array();
  for (std::size_t d = 0; d < c.total.size(); ++d) {
    dates.push_back(FormatDate(AddDays(c.window.first, static_cast<int>(d))));
  }
  json series = json::array();
  for (const CurveSeries& s : c.series) {
    series.push_back({{"code", s.disease}, {"counts", s.counts}});
  }
  return {{"first", FormatDate(c.window.first)}, {"last", FormatDate(c.window.last)},
          {"weeks_before", kCurveWeeksBefore},   {"dates", std::move(dates)},
          {"series", std::move(series)},         {"total", c.total}};
}

json SitesJson(const Analysis& a) {
  json items = json::array();
  for (const SiteRow& s : a.sites) {
    items.push_back({{"kind", WorkSiteKindCode(s.kind)},
                     {"name", s.name},
                     {"cases", s.cases},
                     {"diseases", CountsJson(s.diseases)},
                     {"marked", s.marked()},
                     {"marked_diseases", s.marked_diseases}});
  }
  return {{"total", a.sites_total},
          {"marked", a.marked_sites},
          {"mark_cases", kSiteMarkCases},
          {"items", std::move(items)}};
}

// Every disease code the answer names.
std::set<std::string> CodesOf(const Analysis& a) {
  std::set<std::string> codes(a.areas.diseases.begin(), a.areas.diseases.end());
  for (const DiseaseRow& d : a.diseases) codes.insert(d.code);
  for (const OccupationRow& o : a.occupations) {
    for (const auto& [code, n] : o.diseases) codes.insert(code);
  }
  for (const SiteRow& s : a.sites) {
    for (const auto& [code, n] : s.diseases) codes.insert(code);
  }
  for (const CurveSeries& s : a.curve.series) codes.insert(s.disease);
  if (!a.disease_filter.empty()) codes.insert(a.disease_filter);
  codes.erase("");
  return codes;
}

}  // namespace

json AnalysisToJson(const Analysis& a, const DiseaseCatalogue& catalogue) {
  json by_class = json::array();
  for (const ClassRow& c : a.classes) {
    by_class.push_back({{"class", DiseaseClassName(c.disease_class)},
                        {"cases", c.cases},
                        {"deaths", c.deaths},
                        {"previous", ComparisonJson(c.previous)},
                        {"year_before", ComparisonJson(c.year_before)}});
  }
  json by_disease = json::array();
  for (const DiseaseRow& d : a.diseases) {
    by_disease.push_back({{"code", d.code},
                          {"name_zh", d.name_zh},
                          {"name_en", d.name_en},
                          {"class", DiseaseClassName(d.disease_class)},
                          {"cases", d.cases},
                          {"deaths", d.deaths},
                          {"migrant_cases", d.migrant_cases},
                          {"previous", ComparisonJson(d.previous)},
                          {"year_before", ComparisonJson(d.year_before)},
                          {"detail_withheld", d.detail_withheld}});
  }
  json rows = json::array();
  for (const AreaRow& r : a.areas.rows) rows.push_back(AreaRowJson(r));
  json occupations = json::array();
  for (const OccupationRow& o : a.occupations) {
    occupations.push_back({{"occupation", o.occupation},
                           {"cases", o.cases},
                           {"share_pct", o.share_pct},
                           {"diseases", CountsJson(o.diseases)}});
  }
  json names = json::object();
  for (const std::string& code : CodesOf(a)) {
    auto [zh, en] = DiseaseNames(catalogue, code);
    names[code] = {{"name_zh", zh}, {"name_en", en}};
  }
  for (const DiseaseRow& d : a.diseases) {
    names[d.code]["class"] = DiseaseClassName(d.disease_class);
  }
  return {{"period", PeriodJson(a.windows)},
          {"windows",
           {{"current", WindowJson(a.windows.current)},
            {"previous", WindowJson(a.windows.previous)},
            {"year_before", WindowJson(a.windows.year_before)},
            {"curve", WindowJson(a.windows.curve)}}},
          {"area", {{"code", a.area_code}, {"name", a.area_name}}},
          {"disease", a.disease_filter},
          {"totals",
           {{"cases", a.cases},
            {"deaths", a.deaths},
            {"migrant_cases", a.migrant_cases},
            {"previous", ComparisonJson(a.previous)},
            {"year_before", ComparisonJson(a.year_before)}}},
          {"by_class", std::move(by_class)},
          {"by_disease", std::move(by_disease)},
          {"areas",
           {{"diseases", a.areas.diseases},
            {"rows", std::move(rows)},
            {"total", AreaRowJson(a.areas.total)}}},
          {"by_occupation", std::move(occupations)},
          {"work_sites", SitesJson(a)},
          {"curve", CurveJson(a.curve)},
          {"withheld", a.withheld},
          {"migrants_on", a.migrants_on ? json(FormatDate(*a.migrants_on)) : json()},
          {"disease_names", std::move(names)}};
}

}  // namespace jd::disease
