// The assessment and funding API (kpi/evaluation_service.h): scores, ranks and the bulletin of the
// districts or streets, the funding table per district, and the population figures it needs.
#include "auth/access.h"
#include "auth/permissions.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
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
  const bool may_set = auth::Holds(*c.who, auth::Permission::kConfigure);
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

}  // namespace

std::vector<Route> EvaluationRoutes() {
  return {
      {{"GET", "/api/v1/evaluation", true}, false, Evaluation},
      {{"GET", "/api/v1/funding", true}, false, Funding},
      {{"GET", "/api/v1/population-figures", true}, false, PopulationList},
      {{"PUT", "/api/v1/population-figures", true}, true, PopulationSet},
  };
}

}  // namespace jd::http
