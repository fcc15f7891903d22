// The assessment and funding API (kpi/evaluation_service.h): scores, ranks and the bulletin of the
// districts or streets, the funding table per district, and the population figures it needs: set,
// their history, a spreadsheet import (read with immunization/xlsx_reader.h: libzip and expat)
// and its template.
#include "auth/access.h"
#include "auth/permissions.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "immunization/xlsx_reader.h"
#include "immunization/xlsx_writer.h"
#include "kpi/evaluation_service.h"

namespace jd::http {

namespace {

using nlohmann::json;

Result<Reply> Evaluation(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.evaluation->Evaluate(*c.who, {.period = Param(c.req, "period"),
                                             .level = Param(c.req, "level"),
                                             .org = Param(c.req, "org")});
  if (!r.ok()) return r.status();
  return Json(kpi::EvaluationToJson(*r));
}

Result<Reply> Funding(App& app, Ctx& c, const ServerOptions&) {
  auto r =
      app.evaluation->Funding(*c.who, {.year = Param(c.req, "year"), .org = Param(c.req, "org")});
  if (!r.ok()) return r.status();
  return Json(kpi::FundingReportToJson(*r));
}

// The figures listed, with their version: a year's figures are replaced as one set, so a change of
// a year that has figures names the version of that year's list.
json Items(const std::vector<kpi::PopulationFigure>& figures) {
  json items = json::array();
  for (const auto& f : figures) items.push_back(kpi::PopulationFigureToJson(f));
  std::string version = ContentTag(items);
  return {{"items", std::move(items)}, {"version", std::move(version)}};
}

Result<Reply> PopulationList(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.evaluation->PopulationFigures(
      *c.who, {.year = Param(c.req, "year"), .org = Param(c.req, "org")});
  if (!r.ok()) return r.status();
  return Json(Items(*r));
}

Result<Reply> PopulationSet(App& app, Ctx& c, const ServerOptions&) {
  // Only a caller who may set figures is asked for the version (the others are refused, audited).
  const bool may_set = auth::Holds(*c.who, auth::Permission::kPopulationSet);
  auto year = c.body.find("year");
  if (may_set && c.body.is_object() && year != c.body.end() && year->is_number_integer()) {
    auto current = app.evaluation->PopulationFigures(
        *c.who, {.year = std::to_string(year->get<long long>()), .org = ""});
    if (current.ok() && !current->empty()) {
      JD_RETURN_IF_ERROR(MatchContentTag(c, Items(*current)["version"].get<std::string>()));
    }
  }
  auto r = app.evaluation->SetPopulationFigures(*c.who, c.body);
  if (!r.ok()) return r.status();
  return Json(Items(*r));
}

Result<Reply> PopulationHistory(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.evaluation->PopulationHistory(
      *c.who, {.org = Param(c.req, "org"), .year = Param(c.req, "year")});
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& change : *r) items.push_back(kpi::PopulationChangeToJson(change));
  return Json({{"items", std::move(items)}});
}

// The workbook as the body (Content-Type of .xlsx) or as the form field "file".
Result<Reply> PopulationImport(App& app, Ctx& c, const ServerOptions&) {
  std::string_view bytes = c.req.body;
  httplib::MultipartFormData upload;  // holds the form's file while it is read
  if (c.req.is_multipart_form_data()) {
    if (!c.req.has_file("file")) {
      return Invalid("file", "required", "请以 file 字段上传 XLSX 文件",
                     "upload the workbook as the form field \"file\"");
    }
    upload = c.req.get_file_value("file");
    bytes = upload.content;
  }
  if (bytes.empty()) {
    return Invalid("file", "required", "请上传 XLSX 文件", "upload an .xlsx workbook");
  }
  // Permission first, so a refused caller learns nothing about the file (and is audited).
  if (!auth::Holds(*c.who, auth::Permission::kPopulationSet)) {
    auto refused = app.evaluation->ImportPopulationFigures(*c.who, {});
    return refused.status();
  }
  auto sheet = immunization::ReadXlsxFirstSheet(bytes);
  if (!sheet.ok()) return sheet.status();
  auto r = app.evaluation->ImportPopulationFigures(*c.who, sheet->rows);
  if (!r.ok()) return r.status();
  return Json(kpi::PopulationImportReportToJson(*r));
}

Result<Reply> PopulationTemplate(App& app, Ctx& c, const ServerOptions&) {
  auto rows = app.evaluation->PopulationTemplate(*c.who, Param(c.req, "year"));
  if (!rows.ok()) return rows.status();
  auto bytes = immunization::WriteXlsx("人口数", *rows);
  if (!bytes.ok()) return bytes.status();
  Reply r;
  r.raw = std::move(bytes).value();
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"population-figures.xlsx\"");
  return r;
}

}  // namespace

std::vector<Route> EvaluationRoutes() {
  return {
      {{"GET", "/api/v1/evaluation", true}, false, Evaluation},
      {{"GET", "/api/v1/funding", true}, false, Funding},
      {{"GET", "/api/v1/population-figures", true}, false, PopulationList},
      {{"PUT", "/api/v1/population-figures", true}, true, PopulationSet},
      {{"GET", "/api/v1/population-figures/history", true}, false, PopulationHistory},
      {{"POST", "/api/v1/population-figures/import", true}, false, PopulationImport},
      {{"GET", "/api/v1/population-figures/template", true}, false, PopulationTemplate},
  };
}

}  // namespace jd::http
