// The federation of city nodes over the JSON API (exchange/federation.h): which nodes this node
// exchanges records with, and a person's move out to another node's city, which sends the
// person's record there. The move is queued in the ledger with the residence event; a node
// running `serve --federation` publishes it at once, any other when it next connects. On an
// aggregator node, the board of the pilot cities from the reports the city nodes sent.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth/access.h"
#include "http/module_routes.h"
#include "kpi/dhis2.h"
#include "kpi/pilot_board.h"
#include "kpi/service.h"
#include "registry/divisions.h"

namespace jd::http {

namespace {

using nlohmann::json;

Status NotFederated() {
  return Status::FailedPrecondition(
      "this node is in no federation (jundeng federation init)",
      "本节点未加入城市节点联邦，不能随人转档（jundeng federation init）");
}

bool DivisionCode(const std::string& s) {
  return s.size() == 6 && s.find_first_not_of("0123456789") == std::string::npos;
}

Result<Reply> FederationInfo(App& app, Ctx&, const ServerOptions&) {
  if (!app.federation) return Json({{"node_id", nullptr}, {"peers", json::array()}});
  auto peers = app.federation->Peers();
  if (!peers.ok()) return peers.status();
  json list = json::array();
  for (const auto& p : *peers) list.push_back({{"node_id", p.node_id}});
  return Json({{"node_id", app.federation->node_id()}, {"peers", list}});
}

Result<Reply> TransferCreate(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  auto text = [&](const char* key) {
    auto it = c.body.find(key);
    return it != c.body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string to_node = text("to_node");
  const std::string to_division = text("to_division");
  if (!DivisionCode(to_node)) {
    errors.Add("to_node", "invalid_value", "迁往的城市节点应为 6 位代码",
               "to_node must be a node's 6-digit code");
  }
  if (!DivisionCode(to_division)) {
    errors.Add("to_division", "invalid_value", "迁往地应为 6 位行政区划代码",
               "to_division must be a 6-digit division code");
  }
  if (!errors.empty()) return errors.ToStatus();
  if (!app.federation) {
    // The person's area decides first: another area's person is "not found", as everywhere.
    auto person = app.registry->GetPerson(*c.who, c.params[0]);
    if (!person.ok()) return person.status();
    return NotFederated();
  }
  auto t = app.federation->SendPerson(*c.who, c.params[0], to_node, to_division);
  if (!t.ok()) return t.status();
  return Json({{"id", t->id},
               {"state", t->state},
               {"to_node", t->peer},
               {"to_division", t->to_division},
               {"resources", t->resources},
               {"created_at", t->created_at}},
              202);
}

// The pilot-wide board (kpi/pilot_board.h): the 40 pilot cities, and the evaluation of those that
// reported the period (default: the newest period any city reported, else last month). A node
// that took in no report lists the 40 with none reported. A report whose document cannot be read
// is left out and named in "unreadable".
Result<Reply> PilotCities(App& app, Ctx& c, const ServerOptions&) {
  JD_RETURN_IF_ERROR(auth::Require(*c.who, auth::Permission::kAggregateRead));
  std::vector<std::string> periods;
  if (app.federation) {
    auto p = app.federation->ReportPeriods(*c.who);
    if (!p.ok()) return p.status();
    periods = std::move(*p);
  }
  std::string asked = Param(c.req, "period");
  if (asked.empty()) {
    asked =
        periods.empty() ? kpi::Previous(kpi::MonthOf(app.clock->Today())).Code() : periods.front();
  }
  auto period = kpi::ParsePeriod(asked);
  if (!period.ok()) return period.status();
  std::vector<exchange::CityReportRow> rows;
  if (app.federation) {
    auto r = app.federation->Reports(*c.who, period->Code());
    if (!r.ok()) return r.status();
    rows = std::move(*r);
  }
  std::vector<kpi::CityReport> reports;
  json unreadable = json::array();
  const auto& divisions = registry::Divisions::Builtin();
  for (const auto& row : rows) {
    auto values = kpi::ReadDataValueSets(row.document, app.kpi->catalogue().indicators());
    if (!values.ok()) {
      spdlog::warn("pilot board: report {} of {} cannot be read: {}", row.id, row.city,
                   values.status().ToString());
      unreadable.push_back({{"id", row.id}, {"city", row.city}, {"node", row.node}});
      continue;
    }
    reports.push_back({.city = row.city,
                       .name = divisions.Name(row.city).value_or(row.city),
                       .node = row.node,
                       .received_at = row.received_at,
                       .values = std::move(*values)});
  }
  json out =
      kpi::PilotBoardToJson(kpi::MakePilotBoard(kpi::DefaultAssessmentScheme(), *period, reports));
  out["periods"] = periods;
  out["unreadable"] = std::move(unreadable);
  out["aggregator"] = app.federation ? json(app.federation->node_id()) : json(nullptr);
  return Json(out);
}

}  // namespace

std::vector<Route> FederationRoutes() {
  return {
      {{"GET", "/api/v1/federation", true}, false, FederationInfo},
      {{"GET", "/api/v1/federation/pilot-cities", true}, false, PilotCities},
      {{"POST", "/api/v1/persons/{id}/transfers", true}, true, TransferCreate},
  };
}

}  // namespace jd::http
