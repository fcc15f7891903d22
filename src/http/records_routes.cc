// The resident health-record API (居民健康档案): a person's record, establishing it and changing
// it (records/service.h holds the rules; this file reads requests and shapes answers).
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "records/service.h"

namespace jd::http {

namespace {

Reply RecordReply(App& app, const records::HealthRecord& r, int status) {
  return Json(records::RecordToJson(r, app.registry.get()), status);
}

Result<Reply> RecordGet(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.records->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return RecordReply(app, *r, 200);
}

Result<Reply> RecordEstablish(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.records->Establish(*c.who, c.params[0], c.body);
  if (!r.ok()) return r.status();
  return RecordReply(app, *r, 201);
}

Result<Reply> RecordUpdate(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto r = app.records->Update(*c.who, c.params[0], c.body, *expected);
  if (!r.ok()) return r.status();
  return RecordReply(app, *r, 200);
}

}  // namespace

std::vector<Route> RecordsRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/health-record", true}, false, RecordGet},
      {{"POST", "/api/v1/persons/{id}/health-record", true}, true, RecordEstablish},
      {{"PATCH", "/api/v1/persons/{id}/health-record", true}, true, RecordUpdate},
  };
}

}  // namespace jd::http
