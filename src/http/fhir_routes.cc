// The HL7 FHIR R4 API under /fhir/r4 (exchange/fhir.h maps the records): the CapabilityStatement,
// Patient read and search and $everything, Immunization read, search and create, the
// ImmunizationRecommendation of a child's forecast, and transaction Bundles
// (exchange/fhir_transaction.h). Every read goes through the same services as
// /api/v1, so roles, jurisdiction (another area's person is "not found", audited as denied),
// masking and audit are the same; a failure is an OperationOutcome (the server renders every
// failure under /fhir/ so, including a refused session or permission).
//
// Search parameters the CapabilityStatement does not list are refused with 400 rather than
// ignored: a client that filters by birthdate must not be handed everyone.
#include <fmt/format.h>

#include <ctime>
#include <set>

#include "core/code_list.h"
#include "exchange/bulk_export.h"
#include "exchange/fhir.h"
#include "exchange/fhir_search.h"
#include "exchange/fhir_transaction.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "immunization/service.h"
#include "registry/person_rules.h"
#include "registry/registry_service.h"

namespace jd::http {

namespace {

using nlohmann::json;
namespace ex = jd::exchange;

constexpr int kDefaultCount = 20;
constexpr int kMaxCount = 200;
constexpr int kMaxOffset = 100000;

Reply Fhir(const json& body, int status = 200) {
  Reply r;
  r.status = status;
  r.raw = body.dump(-1, ' ', false, json::error_handler_t::replace);
  r.content_type = std::string(ex::kFhirContentType);
  return r;
}

// The FHIR base of this request as the client reached it, for the Bundle's links and fullUrls.
std::string Base(const Ctx& c, const ServerOptions& o) {
  std::string host = c.req.get_header_value("Host");
  if (host.empty()) host = "localhost";
  return fmt::format("{}://{}/fhir/r4", o.tls_cert.empty() ? "http" : "https", host);
}

Status UnknownParameters(const httplib::Request& req, const std::set<std::string>& known) {
  FieldErrors errors;
  for (const auto& [name, value] : req.params) {
    if (known.contains(name) || name == "_format") continue;
    errors.Add(name, "unsupported_parameter", "不支持的查询参数：" + name,
               "unsupported search parameter: " + name);
  }
  return errors.ToStatus();
}

// Every value of a parameter given more than once (a repeated date parameter is AND).
std::vector<std::string> Values(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  auto [from, to] = req.params.equal_range(name);
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
}

// `patient=Patient/<id>` or `patient=<id>`: the person's id.
Result<std::string> PatientParam(const httplib::Request& req) {
  std::string v = Param(req, "patient");
  if (v.rfind("Patient/", 0) == 0) v = v.substr(8);
  if (v.empty()) {
    return Invalid("patient", "required", "patient 为必填项（Patient/<编号>）",
                   "patient is required (Patient/<id>)");
  }
  return v;
}

std::string ClinicName(App& app, const std::string& code) {
  if (code.empty()) return {};
  auto org = app.registry->FindOrg(code);
  return org ? org->name : std::string();
}

Result<Reply> Metadata(App& app, Ctx&, const ServerOptions&) {
  return Fhir(ex::CapabilityStatement("0.1.0", app.clock->Today()));
}

Result<Reply> PatientRead(App& app, Ctx& c, const ServerOptions&) {
  auto v = app.registry->GetPerson(*c.who, c.params[0]);
  if (!v.ok()) return v.status();
  Reply r = Fhir(ex::PatientOf(v->person, ex::Disclosure::kFull));
  r.headers.emplace_back("ETag", fmt::format("W/\"{}\"", v->person.version));
  return r;
}

Result<Reply> PatientSearch(App& app, Ctx& c, const ServerOptions& o) {
  JD_RETURN_IF_ERROR(UnknownParameters(c.req, {"_id", "identifier", "name", "birthdate",
                                               "_lastUpdated", "_count", "_getpagesoffset"}));
  auto count = IntParam(c.req, "_count", kDefaultCount, 1, kMaxCount);
  if (!count.ok()) return count.status();
  auto offset = IntParam(c.req, "_getpagesoffset", 0, 0, kMaxOffset);
  if (!offset.ok()) return offset.status();
  const std::string base = Base(c, o);
  ex::SearchPage page;
  // The self link names the search, with an ID number masked as in the entries: a link is
  // logged and cached where the number must not be.
  page.self_url = base + "/Patient";
  {
    std::string sep = "?";
    for (const auto& [name, value] : c.req.params) {
      const std::string shown =
          name == "identifier" ? registry::MaskIdNumber(value.substr(value.find('|') + 1)) : value;
      page.self_url +=
          fmt::format("{}{}={}", sep, name, httplib::detail::encode_query_param(shown));
      sep = "&";
    }
  }
  if (c.req.has_param("_id")) {
    // One person by id: the read's access and audit, shown as a list entry.
    auto v = app.registry->GetPerson(*c.who, Param(c.req, "_id"));
    if (!v.ok() && v.status().code() != StatusCode::kNotFound) return v.status();
    if (v.ok()) page.matches.push_back(ex::PatientOf(v->person, ex::Disclosure::kMasked));
    page.total = static_cast<std::int64_t>(page.matches.size());
    return Fhir(ex::SearchBundle(page, base));
  }
  registry::PersonSearch q;
  if (c.req.has_param("identifier")) {
    auto value = ex::TokenValue(Param(c.req, "identifier"), {ex::kSystemResidentId});
    if (!value) {
      return Invalid("identifier", "unsupported_system",
                     "只能按居民身份证号查找（" + std::string(ex::kSystemResidentId) + "）",
                     "only the resident ID number can be searched (" +
                         std::string(ex::kSystemResidentId) + ")");
    }
    if (value->empty()) {
      return Invalid("identifier", "required", "identifier 不能为空", "identifier is empty");
    }
    q.q = *value;
  } else if (c.req.has_param("name")) {
    q.q = Param(c.req, "name");
    if (q.q.empty()) return Invalid("name", "required", "name 不能为空", "name is empty");
  }
  if (c.req.has_param("birthdate")) {
    auto born = ex::DateSearchRange("birthdate", Values(c.req, "birthdate"), ex::DateKind::kDate);
    if (!born.ok()) return born.status();
    q.born = *born;
  }
  if (c.req.has_param("_lastUpdated")) {
    auto updated =
        ex::DateSearchRange("_lastUpdated", Values(c.req, "_lastUpdated"), ex::DateKind::kInstant);
    if (!updated.ok()) return updated.status();
    q.updated = *updated;
  }
  q.limit = *count;
  q.offset = *offset;
  auto r = app.registry->SearchPersons(*c.who, q);
  if (!r.ok()) return r.status();
  for (const auto& p : r->items) {
    page.matches.push_back(ex::PatientOf(p, ex::Disclosure::kMasked));
  }
  if (!r->total_is_lower_bound) page.total = r->total;
  // Paging links carry the same search, moved by one page.
  std::string query;
  for (const char* name : {"identifier", "name", "birthdate", "_lastUpdated"}) {
    for (const std::string& value : Values(c.req, name)) {
      query += fmt::format("{}={}&", name, httplib::detail::encode_query_param(value));
    }
  }
  auto at = [&](int off) {
    return fmt::format("{}/Patient?{}_count={}&_getpagesoffset={}", base, query, *count, off);
  };
  if (*offset + *count < r->total && *offset + *count <= kMaxOffset) {
    page.next_url = at(*offset + *count);
  }
  if (*offset > 0) page.previous_url = at(std::max(0, *offset - *count));
  return Fhir(ex::SearchBundle(page, base));
}

std::vector<json> DosesOf(App& app, const std::string&, const immunization::ImmunizationView& v) {
  std::vector<json> out;
  for (const auto& r : v.records) {
    out.push_back(
        ex::ImmunizationOf(app.immunization->schedule(), r, ClinicName(app, r.clinic_code)));
  }
  return out;
}

std::vector<json> ForecastOf(App& app, const std::string& patient,
                             const immunization::ImmunizationView& v) {
  return {ex::RecommendationOf(app.immunization->schedule(), patient, v.forecast, v.as_of)};
}

Result<Reply> PatientEverything(App& app, Ctx& c, const ServerOptions& o) {
  JD_RETURN_IF_ERROR(UnknownParameters(c.req, {}));
  auto person = app.registry->GetPerson(*c.who, c.params[0]);
  if (!person.ok()) return person.status();
  auto view = app.immunization->Get(*c.who, c.params[0], "");
  if (!view.ok()) return view.status();
  ex::SearchPage page;
  const std::string base = Base(c, o);
  page.self_url = fmt::format("{}/Patient/{}/$everything", base, c.params[0]);
  page.matches.push_back(ex::PatientOf(person->person, ex::Disclosure::kFull));
  page.includes = DosesOf(app, c.params[0], *view);
  // A forecast only for a child in the programme: one with a certificate or a dose.
  if (!view->records.empty() || view->file) {
    page.includes.push_back(ForecastOf(app, c.params[0], *view)[0]);
  }
  page.total = static_cast<std::int64_t>(page.matches.size() + page.includes.size());
  return Fhir(ex::SearchBundle(page, base));
}

// The body of a create: a JSON object of the given resourceType.
Result<json> ResourceBody(const Ctx& c, const std::string& type) {
  const std::string content_type = c.req.get_header_value("Content-Type");
  if (!content_type.empty() && content_type.rfind("application/fhir+json", 0) != 0 &&
      content_type.rfind("application/json", 0) != 0) {
    return Invalid("", "unsupported_media_type", "请求体应为 application/fhir+json",
                   "the body must be application/fhir+json");
  }
  json body = json::parse(c.req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Invalid("", "invalid_json", "请求体不是有效的 FHIR JSON 资源",
                   "the body is not a FHIR JSON resource");
  }
  if (body.value("resourceType", "") != type) {
    return Invalid("resourceType", "wrong_resource_type", "resourceType 应为 " + type,
                   "resourceType must be " + type);
  }
  return body;
}

Reply PatientReply(const registry::Person& p, int status) {
  Reply r = Fhir(ex::PatientOf(p, ex::Disclosure::kFull), status);
  r.headers.emplace_back("ETag", fmt::format("W/\"{}\"", p.version));
  r.headers.emplace_back("Location",
                         fmt::format("/fhir/r4/Patient/{}/_history/{}", p.id, p.version));
  return r;
}

Result<Reply> PatientCreate(App& app, Ctx& c, const ServerOptions&) {
  auto body = ResourceBody(c, "Patient");
  if (!body.ok()) return body.status();
  auto v = ex::CreatePatient(*app.registry, *c.who, *body);
  if (!v.ok()) return v.status();
  return PatientReply(v->person, 201);
}

// FHIR update (PUT) of a person who exists, with If-Match naming the version read (W/"3"). What
// the resource leaves out stays as it was: the registry holds more than a Patient can say.
Result<Reply> PatientUpdate(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto body = ResourceBody(c, "Patient");
  if (!body.ok()) return body.status();
  auto v = ex::UpdatePatient(*app.registry, *c.who, c.params[0], *body, *expected);
  if (!v.ok()) return v.status();
  return PatientReply(v->person, 200);
}

Result<Reply> ImmunizationRead(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.immunization->GetDose(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  Reply out =
      Fhir(ex::ImmunizationOf(app.immunization->schedule(), *r, ClinicName(app, r->clinic_code)));
  out.headers.emplace_back("ETag", fmt::format("W/\"{}\"", r->version));
  return out;
}

// A search by `patient` over one child's immunisation page (the read's access and audit): the
// searchset of what `entries` makes of the page.
Result<Reply> ChildSearch(App& app, Ctx& c, const ServerOptions& o, const char* type,
                          std::vector<json> (*entries)(App&, const std::string&,
                                                       const immunization::ImmunizationView&)) {
  JD_RETURN_IF_ERROR(UnknownParameters(c.req, {"patient"}));
  auto patient = PatientParam(c.req);
  if (!patient.ok()) return patient.status();
  auto view = app.immunization->Get(*c.who, *patient, "");
  if (!view.ok()) return view.status();
  ex::SearchPage page;
  const std::string base = Base(c, o);
  page.self_url = fmt::format("{}/{}?patient=Patient/{}", base, type, *patient);
  page.matches = entries(app, *patient, *view);
  page.total = static_cast<std::int64_t>(page.matches.size());
  return Fhir(ex::SearchBundle(page, base));
}

Result<Reply> ImmunizationSearch(App& app, Ctx& c, const ServerOptions& o) {
  return ChildSearch(app, c, o, "Immunization", DosesOf);
}

Result<Reply> RecommendationSearch(App& app, Ctx& c, const ServerOptions& o) {
  return ChildSearch(app, c, o, "ImmunizationRecommendation", ForecastOf);
}

Result<Reply> ImmunizationCreate(App& app, Ctx& c, const ServerOptions&) {
  auto body = ResourceBody(c, "Immunization");
  if (!body.ok()) return body.status();
  auto r = ex::CreateImmunization(*app.immunization, *c.who, *body);
  if (!r.ok()) return r.status();
  Reply out = Fhir(
      ex::ImmunizationOf(app.immunization->schedule(), *r, ClinicName(app, r->clinic_code)), 201);
  out.headers.emplace_back("Location",
                           fmt::format("/fhir/r4/Immunization/{}/_history/{}", r->id, r->version));
  out.headers.emplace_back("ETag", fmt::format("W/\"{}\"", r->version));
  return out;
}

// A transaction Bundle (exchange/fhir_transaction.h): every entry or none. The Bundle's body
// limit is the server's; a Bundle of more than 1,000 entries is refused, to be sent in parts.
Result<Reply> Transaction(App& app, Ctx& c, const ServerOptions&) {
  auto body = ResourceBody(c, "Bundle");
  if (!body.ok()) return body.status();
  auto entries = ex::ParseTransaction(*body);
  if (!entries.ok()) return entries.status();
  ex::FhirTransactions transactions(*app.db, *app.registry, *app.immunization, *app.audit);
  auto response = transactions.Run(*c.who, *entries);
  if (!response.ok()) return response.status();
  return Fhir(*response);
}

// ---- Bulk export (FHIR Bulk Data Access IG 2.0.0, exchange/bulk_export.h) ----

Result<ex::BulkExports*> Exports(App& app) {
  if (!app.bulk_exports) {
    return Status::Unavailable("bulk export runs only on a serving node",
                               "仅运行中的节点提供批量导出");
  }
  return app.bulk_exports.get();
}

// An OperationOutcome of one information issue, for the answers without a resource (202).
Reply Information(int status, const std::string& zh, const std::string& en) {
  return Fhir({{"resourceType", "OperationOutcome"},
               {"issue", json::array({{{"severity", "information"},
                                       {"code", "informational"},
                                       {"details", {{"text", zh}}},
                                       {"diagnostics", en}}})}},
              status);
}

// Kick-off (`[base]/$export`, `[base]/Patient/$export`): Prefer: respond-async is required
// (bulk-data export.html#headers); _outputFormat may only name NDJSON; _type lists resource
// types; _since is an instant. Answered 202 with the status URL in Content-Location.
Result<Reply> ExportKickOff(App& app, Ctx& c, const ServerOptions& o) {
  JD_RETURN_IF_ERROR(UnknownParameters(c.req, {"_outputFormat", "_type", "_since"}));
  auto exports = Exports(app);
  if (!exports.ok()) return exports.status();
  if (c.req.get_header_value("Prefer").find("respond-async") == std::string::npos) {
    return Invalid("Prefer", "respond_async_required",
                   "批量导出为异步操作：请求头应含 Prefer: respond-async",
                   "a bulk export is asynchronous: send the header Prefer: respond-async");
  }
  if (c.req.has_param("_outputFormat")) {
    const std::string format = Param(c.req, "_outputFormat");
    if (format != "application/fhir+ndjson" && format != "application/ndjson" &&
        format != "ndjson") {
      return Invalid("_outputFormat", "unsupported_format",
                     "只能导出 NDJSON（application/fhir+ndjson）",
                     "only NDJSON (application/fhir+ndjson) is exported");
    }
  }
  ex::BulkExportRequest request;
  for (const std::string& list : Values(c.req, "_type")) {
    for (const std::string& type : SplitCodes(list)) request.types.push_back(type);
  }
  if (c.req.has_param("_since")) {
    auto since = ex::InstantParam("_since", Param(c.req, "_since"));
    if (!since.ok()) return since.status();
    request.since = *since;
  }
  request.request_url = Base(c, o) + c.req.target.substr(std::string("/fhir/r4").size());
  auto job = (*exports)->Start(*c.who, request);
  if (!job.ok()) return job.status();
  Reply r = Information(202, "已受理导出，请轮询 Content-Location 所示地址",
                        "export accepted: poll the URL in Content-Location");
  r.headers.emplace_back("Content-Location", Base(c, o) + "/$export-status/" + job->id);
  return r;
}

// An HTTP date (RFC 9110 §5.6.7) of one of the node's timestamps, for Expires.
std::string HttpDate(const std::string& timestamp) {
  auto t = ParseTimestamp(timestamp);
  if (!t) return {};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(*t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

Result<Reply> ExportStatus(App& app, Ctx& c, const ServerOptions& o) {
  auto exports = Exports(app);
  if (!exports.ok()) return exports.status();
  auto job = (*exports)->Get(*c.who, c.params[0]);
  if (!job.ok()) return job.status();
  switch (job->state) {
    case ex::BulkExportState::kAccepted:
    case ex::BulkExportState::kInProgress: {
      const bool started = job->state == ex::BulkExportState::kInProgress;
      Reply r = Information(202, started ? "导出进行中" : "导出排队中",
                            started ? "export in progress" : "export queued");
      r.headers.emplace_back("X-Progress", started ? "in progress" : "queued");
      r.headers.emplace_back("Retry-After", "2");
      return r;
    }
    case ex::BulkExportState::kFailed: {
      // The export failed on the node's side (e.g. a full disk): 500 with the reason.
      Reply r = Fhir({{"resourceType", "OperationOutcome"},
                      {"issue", json::array({{{"severity", "error"},
                                              {"code", "exception"},
                                              {"details", {{"text", "导出失败：" + job->error}}},
                                              {"diagnostics", "export failed: " + job->error}}})}},
                     500);
      return r;
    }
    case ex::BulkExportState::kCompleted:
    case ex::BulkExportState::kCancelled:
      break;
  }
  const std::string base = Base(c, o);
  json output = json::array();
  for (const auto& f : job->output) {
    output.push_back({{"type", f.type},
                      {"url", fmt::format("{}/$export-file/{}/{}", base, job->id, f.name)},
                      {"count", f.count}});
  }
  Reply r;
  r.status = 200;
  r.content_type = "application/json; charset=utf-8";
  r.raw = json{{"transactionTime", ex::FhirInstant(job->transaction_time)},
               {"request", job->request_url},
               {"requiresAccessToken", true},
               {"output", output},
               {"error", json::array()}}
              .dump();
  if (std::string expires = HttpDate(job->expires_at); !expires.empty()) {
    r.headers.emplace_back("Expires", expires);
  }
  return r;
}

Result<Reply> ExportCancel(App& app, Ctx& c, const ServerOptions&) {
  auto exports = Exports(app);
  if (!exports.ok()) return exports.status();
  JD_RETURN_IF_ERROR((*exports)->Cancel(*c.who, c.params[0]));
  return Information(202, "导出已取消，文件已删除", "export cancelled and its files deleted");
}

Result<Reply> ExportFile(App& app, Ctx& c, const ServerOptions&) {
  auto exports = Exports(app);
  if (!exports.ok()) return exports.status();
  auto path = (*exports)->File(*c.who, c.params[0], c.params[1]);
  if (!path.ok()) return path.status();
  Reply r;
  r.file = path->string();
  r.content_type = "application/fhir+ndjson";
  return r;
}

}  // namespace

std::vector<Route> FhirRoutes() {
  return {
      {{"GET", "/fhir/r4/metadata", false}, false, Metadata},
      {{"POST", "/fhir/r4", true}, false, Transaction},
      // Before Patient/{id}, which would take "$export" for an id.
      {{"GET", "/fhir/r4/$export", true}, false, ExportKickOff},
      {{"GET", "/fhir/r4/Patient/$export", true}, false, ExportKickOff},
      {{"GET", "/fhir/r4/$export-status/{id}", true}, false, ExportStatus},
      {{"DELETE", "/fhir/r4/$export-status/{id}", true}, false, ExportCancel},
      {{"GET", "/fhir/r4/$export-file/{id}/{name}", true}, false, ExportFile},
      {{"GET", "/fhir/r4/Patient", true}, false, PatientSearch},
      {{"POST", "/fhir/r4/Patient", true}, false, PatientCreate},
      {{"GET", "/fhir/r4/Patient/{id}", true}, false, PatientRead},
      {{"PUT", "/fhir/r4/Patient/{id}", true}, false, PatientUpdate},
      {{"GET", "/fhir/r4/Patient/{id}/$everything", true}, false, PatientEverything},
      {{"GET", "/fhir/r4/Immunization", true}, false, ImmunizationSearch},
      {{"POST", "/fhir/r4/Immunization", true}, false, ImmunizationCreate},
      {{"GET", "/fhir/r4/Immunization/{id}", true}, false, ImmunizationRead},
      {{"GET", "/fhir/r4/ImmunizationRecommendation", true}, false, RecommendationSearch},
  };
}

}  // namespace jd::http
