// The statistics API (kpi/service.h): the indicator catalogue, values for a unit and its children
// (the dashboard and its drill-down) and trends, the data-quality report, statistical reports as
// XLSX/CSV and the aggregate exchange with DHIS2 (dataValueSets JSON, ADX).
#include "http/module_routes.h"
#include "kpi/service.h"

namespace jd::http {

namespace {

using nlohmann::json;

Result<Reply> IndicatorList(App& app, Ctx& c, const ServerOptions&) {
  auto list = app.kpi->Indicators(*c.who, Param(c.req, "module"));
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const kpi::Indicator* i : *list) items.push_back(kpi::IndicatorToJson(*i));
  return Json({{"catalogue", app.kpi->catalogue().id()}, {"items", items}});
}

Result<Reply> IndicatorValues(App& app, Ctx& c, const ServerOptions&) {
  std::string children = Param(c.req, "children");
  if (!children.empty() && children != "true" && children != "false") {
    return Invalid("children", "invalid_value", "children 应为 true 或 false",
                   "children must be true or false");
  }
  kpi::ValuesQuery q{.codes = Param(c.req, "codes"),
                     .org = Param(c.req, "org"),
                     .period = Param(c.req, "period"),
                     .children = children == "true",
                     .sex = Param(c.req, "sex"),
                     .age_group = Param(c.req, "age_group"),
                     .hukou_province = Param(c.req, "hukou_province"),
                     .cohort = Param(c.req, "cohort")};
  auto r = app.kpi->Values(*c.who, q);
  if (!r.ok()) return r.status();
  return Json(kpi::ValuesToJson(*r));
}

Result<Reply> IndicatorTrend(App& app, Ctx& c, const ServerOptions&) {
  auto count = IntParam(c.req, "count", 12, 1, 60);
  if (!count.ok()) return count.status();
  std::string code = Param(c.req, "code");
  if (code.empty()) return Invalid("code", "required", "请指定指标代码 code", "code is required");
  auto r = app.kpi->Trend(*c.who, code, Param(c.req, "org"), Param(c.req, "period"), *count);
  if (!r.ok()) return r.status();
  return Json(kpi::ValuesToJson(*r));
}

Result<Reply> Quality(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.kpi->Quality(*c.who, Param(c.req, "org"));
  if (!r.ok()) return r.status();
  return Json(kpi::QualityToJson(*r));
}

kpi::ExportQuery ExportParams(const httplib::Request& req) {
  return {.org = Param(req, "org"),
          .period = Param(req, "period"),
          .codes = Param(req, "codes"),
          .format = Param(req, "format"),
          .level = Param(req, "level"),
          .data_set = Param(req, "data_set")};
}

Reply FileReply(kpi::ExportFile f) {
  Reply r;
  r.raw = std::move(f.bytes);
  r.content_type = std::move(f.content_type);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f.file_name + "\"");
  return r;
}

Result<Reply> Report(App& app, Ctx& c, const ServerOptions&) {
  auto f = app.kpi->Report(*c.who, ExportParams(c.req));
  if (!f.ok()) return f.status();
  return FileReply(std::move(*f));
}

Result<Reply> Exchange(App& app, Ctx& c, const std::string& format) {
  kpi::ExportQuery q = ExportParams(c.req);
  q.format = format;
  auto f = app.kpi->Exchange(*c.who, q);
  if (!f.ok()) return f.status();
  Reply r;
  r.raw = std::move(f->bytes);
  r.content_type = std::move(f->content_type);
  return r;
}

}  // namespace

std::vector<Route> KpiRoutes() {
  return {
      {{"GET", "/api/v1/indicators", true}, false, IndicatorList},
      {{"GET", "/api/v1/indicators/values", true}, false, IndicatorValues},
      {{"GET", "/api/v1/indicators/trend", true}, false, IndicatorTrend},
      {{"GET", "/api/v1/data-quality", true}, false, Quality},
      {{"GET", "/api/v1/reports", true}, false, Report},
      {{"GET", "/api/v1/exchange/dataValueSets", true},
       false,
       [](App& app, Ctx& c, const ServerOptions&) { return Exchange(app, c, "json"); }},
      {{"GET", "/api/v1/exchange/adx", true},
       false,
       [](App& app, Ctx& c, const ServerOptions&) { return Exchange(app, c, "adx"); }},
  };
}

}  // namespace jd::http
