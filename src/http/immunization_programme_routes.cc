// The immunisation programme's API over many children: 查漏补种 rounds, supplementary and
// emergency campaigns, 入托入学查验 of kindergarten and school rosters, and the coverage report
// for the statistics module (immunization/programme_service.h holds the rules; this file reads
// requests and shapes answers).
#include "http/module_routes.h"
#include "immunization/programme_service.h"

namespace jd::http {

namespace {

using immunization::ProgrammeService;
using nlohmann::json;

// The service holds only references to the app's parts: one per request costs nothing.
ProgrammeService Programme(App& app) {
  return ProgrammeService(*app.db, *app.audit, *app.clock, *app.registry, *app.immunization);
}

struct Paging {
  int page = 1, size = 50;
};

Result<Paging> PagingOf(const Ctx& c) {
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) return page.status();
  auto size = IntParam(c.req, "page_size", 50, 1, 200);
  if (!size.ok()) return size.status();
  return Paging{*page, *size};
}

Result<Reply> RoundCreate(App& app, Ctx& c, const ServerOptions&) {
  auto service = Programme(app);
  auto d = service.CreateRound(*c.who, c.body);
  if (!d.ok()) return d.status();
  json j = immunization::RoundDetailToJson(service.schedule(), *d);
  j["page"] = 1;
  j["page_size"] = 50;
  Reply r = Json(j, 201);
  r.headers.emplace_back("Location", "/api/v1/immunization/catch-up-rounds/" + d->round.id);
  return r;
}

Result<Reply> RoundList(App& app, Ctx& c, const ServerOptions&) {
  auto rounds = Programme(app).ListRounds(*c.who);
  if (!rounds.ok()) return rounds.status();
  json items = json::array();
  for (const auto& r : *rounds) {
    auto area = app.registry->FindOrg(r.area_code);
    items.push_back(immunization::RoundToJson(r, area ? area->name : ""));
  }
  return Json({{"items", items}});
}

Result<Reply> RoundGet(App& app, Ctx& c, const ServerOptions&) {
  auto paging = PagingOf(c);
  if (!paging.ok()) return paging.status();
  auto service = Programme(app);
  auto d = service.GetRound(*c.who, c.params[0], paging->size, (paging->page - 1) * paging->size);
  if (!d.ok()) return d.status();
  json j = immunization::RoundDetailToJson(service.schedule(), *d);
  j["page"] = paging->page;
  j["page_size"] = paging->size;
  return Json(j);
}

Result<Reply> CampaignCreate(App& app, Ctx& c, const ServerOptions&) {
  auto service = Programme(app);
  auto d = service.CreateCampaign(*c.who, c.body);
  if (!d.ok()) return d.status();
  Reply r = Json(immunization::CampaignToJson(service.schedule(), *d), 201);
  r.headers.emplace_back("Location", "/api/v1/immunization/campaigns/" + d->campaign.id);
  return r;
}

Result<Reply> CampaignList(App& app, Ctx& c, const ServerOptions&) {
  auto service = Programme(app);
  auto list = service.ListCampaigns(*c.who);
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const auto& d : *list) items.push_back(immunization::CampaignToJson(service.schedule(), d));
  return Json({{"items", items}});
}

Result<Reply> CampaignGet(App& app, Ctx& c, const ServerOptions&) {
  auto service = Programme(app);
  auto d = service.GetCampaign(*c.who, c.params[0], false, 0, 0);
  if (!d.ok()) return d.status();
  return Json(immunization::CampaignToJson(service.schedule(), *d));
}

Result<Reply> CampaignTargets(App& app, Ctx& c, const ServerOptions&) {
  auto paging = PagingOf(c);
  if (!paging.ok()) return paging.status();
  auto service = Programme(app);
  auto d = service.GetCampaign(*c.who, c.params[0], true, paging->size,
                               (paging->page - 1) * paging->size);
  if (!d.ok()) return d.status();
  json items = json::array();
  for (const auto& t : d->targets) {
    items.push_back(immunization::CampaignTargetToJson(t, d->campaign.start));
  }
  return Json({{"campaign", immunization::CampaignToJson(service.schedule(), *d)},
               {"items", items},
               {"total", d->total},
               {"page", paging->page},
               {"page_size", paging->size}});
}

Result<Reply> CampaignDose(App& app, Ctx& c, const ServerOptions&) {
  auto ch = Programme(app).RecordCampaignDose(*c.who, c.params[0], c.body);
  if (!ch.ok()) return ch.status();
  const auto& schedule = app.immunization->schedule();
  Reply r = Json(
      {{"record", immunization::RecordToJson(schedule, ch->record, app.registry.get())},
       {"forecast", immunization::ForecastToJson(schedule, ch->view.forecast, ch->view.as_of)}},
      201);
  r.headers.emplace_back("Location", "/api/v1/vaccinations/" + ch->record.id);
  return r;
}

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

Result<Reply> CheckCreate(App& app, Ctx& c, const ServerOptions&) {
  immunization::EntryCheckRequest q{.school = Param(c.req, "school"),
                                    .date = Param(c.req, "date"),
                                    .format = Param(c.req, "format"),
                                    .file_name = Param(c.req, "file_name")};
  std::string_view bytes = c.req.body;
  httplib::MultipartFormData upload;  // holds the form's file while it is read
  // A browser form sends the file as multipart/form-data under "file".
  if (c.req.is_multipart_form_data()) {
    if (!c.req.has_file("file")) {
      return Invalid("file", "required", "请以 file 字段上传名单文件",
                     "upload the roster as the form field \"file\"");
    }
    upload = c.req.get_file_value("file");
    bytes = upload.content;
    if (q.file_name.empty()) q.file_name = upload.filename;
    if (q.format.empty() && upload.content_type == kXlsxType) q.format = "xlsx";
  } else if (q.format.empty()) {
    std::string type = c.req.get_header_value("Content-Type");
    if (type.rfind(kXlsxType, 0) == 0) q.format = "xlsx";
    if (type.rfind("text/csv", 0) == 0) q.format = "csv";
  }
  auto d = Programme(app).RunEntryCheck(*c.who, bytes, q);
  if (!d.ok()) return d.status();
  Reply r = Json(immunization::EntryCheckDetailToJson(*d), 201);
  r.headers.emplace_back("Location", "/api/v1/immunization/entry-checks/" + d->check.id);
  return r;
}

Result<Reply> CheckList(App& app, Ctx& c, const ServerOptions&) {
  auto list = Programme(app).ListEntryChecks(*c.who);
  if (!list.ok()) return list.status();
  json items = json::array();
  for (const auto& e : *list) items.push_back(immunization::EntryCheckToJson(e));
  return Json({{"items", items}});
}

Result<Reply> CheckGet(App& app, Ctx& c, const ServerOptions&) {
  auto d = Programme(app).GetEntryCheck(*c.who, c.params[0]);
  if (!d.ok()) return d.status();
  return Json(immunization::EntryCheckDetailToJson(*d));
}

Result<Reply> CheckExport(App& app, Ctx& c, const ServerOptions&) {
  std::string list = Param(c.req, "list"), format = Param(c.req, "format");
  auto f = Programme(app).ExportEntryCheck(*c.who, c.params[0], list.empty() ? "report" : list,
                                           format.empty() ? "csv" : format);
  if (!f.ok()) return f.status();
  Reply r;
  r.raw = std::move(f->bytes);
  r.content_type = f->content_type;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + f->file_name + "\"");
  return r;
}

Result<Reply> CoverageGet(App& app, Ctx& c, const ServerOptions&) {
  auto service = Programme(app);
  auto report = service.Coverage(*c.who, Param(c.req, "org"), Param(c.req, "cohort"),
                                 Param(c.req, "as_of"), Param(c.req, "timely"));
  if (!report.ok()) return report.status();
  return Json(immunization::CoverageToJson(service.schedule(), service.targets(), *report));
}

}  // namespace

std::vector<Route> ImmunizationProgrammeRoutes() {
  return {
      {{"POST", "/api/v1/immunization/catch-up-rounds", true}, true, RoundCreate},
      {{"GET", "/api/v1/immunization/catch-up-rounds", true}, false, RoundList},
      {{"GET", "/api/v1/immunization/catch-up-rounds/{id}", true}, false, RoundGet},
      {{"POST", "/api/v1/immunization/campaigns", true}, true, CampaignCreate},
      {{"GET", "/api/v1/immunization/campaigns", true}, false, CampaignList},
      {{"GET", "/api/v1/immunization/campaigns/{id}", true}, false, CampaignGet},
      {{"GET", "/api/v1/immunization/campaigns/{id}/targets", true}, false, CampaignTargets},
      {{"POST", "/api/v1/immunization/campaigns/{id}/doses", true}, true, CampaignDose},
      {{"POST", "/api/v1/immunization/entry-checks", true}, false, CheckCreate},
      {{"GET", "/api/v1/immunization/entry-checks", true}, false, CheckList},
      {{"GET", "/api/v1/immunization/entry-checks/{id}", true}, false, CheckGet},
      {{"GET", "/api/v1/immunization/entry-checks/{id}/export", true}, false, CheckExport},
      {{"GET", "/api/v1/immunization/coverage", true}, false, CoverageGet},
  };
}

}  // namespace jd::http
