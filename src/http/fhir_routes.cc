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

#include <set>

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

}  // namespace

std::vector<Route> FhirRoutes() {
  return {
      {{"GET", "/fhir/r4/metadata", false}, false, Metadata},
      {{"POST", "/fhir/r4", true}, false, Transaction},
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
