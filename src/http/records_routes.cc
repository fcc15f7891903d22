// The resident health-record API (居民健康档案): a person's record, establishing it and changing
// it (records/service.h holds the rules; this file reads requests and shapes answers).
#include "http/module_routes.h"
#include "records/service.h"

namespace jd::http {

namespace {

// If-Match: the version the client last saw (0 when absent: not checked).
Result<int> ExpectedVersion(const Ctx& c) {
  if (!c.req.has_header("If-Match")) return 0;
  std::string digits;
  for (char ch : c.req.get_header_value("If-Match"))
    if (ch >= '0' && ch <= '9') digits += ch;
  if (digits.empty() || digits.size() > 9) {
    return Invalid("If-Match", "invalid_value", "If-Match 应为记录版本号",
                   "If-Match must be the record version");
  }
  return std::stoi(digits);
}

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
  auto expected = ExpectedVersion(c);
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
