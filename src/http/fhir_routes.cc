// The HL7 FHIR R4 API under /fhir/r4 (exchange/fhir.h maps the records): the CapabilityStatement,
// Patient read and search and $everything, Immunization read, search and create, and the
// ImmunizationRecommendation of a child's forecast. Every read goes through the same services as
// /api/v1, so roles, jurisdiction (another area's person is "not found", audited as denied),
// masking and audit are the same; a failure is an OperationOutcome (the server renders every
// failure under /fhir/ so, including a refused session or permission).
//
// Search parameters the CapabilityStatement does not list are refused with 400 rather than
// ignored: a client that filters by birthdate must not be handed everyone.
#include <fmt/format.h>

#include <set>

#include "exchange/fhir.h"
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
  JD_RETURN_IF_ERROR(
      UnknownParameters(c.req, {"_id", "identifier", "name", "_count", "_getpagesoffset"}));
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
  for (const char* name : {"identifier", "name"}) {
    if (c.req.has_param(name)) {
      query += fmt::format("{}={}&", name, httplib::detail::encode_query_param(Param(c.req, name)));
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

// A service's field errors named by the FHIR elements they come from.
Status WithElements(const Status& st, std::string (*element_of)(const std::string&)) {
  if (st.field_errors().empty()) return st;
  std::vector<FieldError> errors = st.field_errors();
  for (FieldError& e : errors) e.field = element_of(e.field);
  Status out = st;
  out.WithFieldErrors(std::move(errors));
  return out;
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
  auto in = ex::PersonInputOf(*body);
  if (!in.ok()) return in.status();
  auto v = app.registry->CreatePerson(*c.who, *in);
  if (!v.ok()) return WithElements(v.status(), ex::PatientElementOf);
  return PatientReply(v->person, 201);
}

// FHIR update (PUT) of a person who exists, with If-Match naming the version read (W/"3"). What
// the resource leaves out stays as it was: the registry holds more than a Patient can say.
Result<Reply> PatientUpdate(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto body = ResourceBody(c, "Patient");
  if (!body.ok()) return body.status();
  if (body->contains("id") && body->value("id", "") != c.params[0]) {
    return Invalid("Patient.id", "id_mismatch", "资源的 id 与地址中的不一致",
                   "the resource's id differs from the one in the URL");
  }
  auto in = ex::PersonInputOf(*body);
  if (!in.ok()) return in.status();
  // The residence changes by a residence event (moved within the city), which keeps the history:
  // the extension may repeat the current unit, not name another.
  if (in->contains("residence_org")) {
    auto current = app.registry->GetPerson(*c.who, c.params[0]);
    if (!current.ok()) return current.status();
    if ((*in)["residence_org"] != current->person.residence_org) {
      return Invalid("Patient.extension", "use_residence_event",
                     "变更现居住地请登记居住事件（市内迁移）",
                     "record a residence event (moved_within_city) to change the residence");
    }
    in->erase("residence_org");
  }
  auto v = app.registry->UpdatePerson(*c.who, c.params[0], *in, *expected);
  if (!v.ok()) return WithElements(v.status(), ex::PatientElementOf);
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

// The FHIR element each of the dose service's fields comes from, for the OperationOutcome.
std::string ExpressionOf(const std::string& field) {
  static const std::map<std::string, std::string> kElements = {
      {"vaccine", "Immunization.vaccineCode"},
      {"date", "Immunization.occurrenceDateTime"},
      {"dose_number", "Immunization.protocolApplied[0].doseNumberPositiveInt"},
      {"lot", "Immunization.lotNumber"},
      {"manufacturer", "Immunization.manufacturer.display"},
      {"site", "Immunization.site.text"},
      {"route", "Immunization.route.text"},
      {"clinic", "Immunization.performer[0].actor.identifier.value"},
      {"clinic_name", "Immunization.performer[0].actor.display"},
      {"source", "Immunization.primarySource"}};
  auto it = kElements.find(field);
  return it == kElements.end() ? field : it->second;
}

// A FHIR Immunization as the dose service's input: the patient, and the record's fields.
struct DoseInput {
  std::string person_id;
  json record;
};

Result<DoseInput> DoseOf(const json& imm) {
  FieldErrors errors;
  DoseInput in;
  in.record = json::object();
  const std::string status = imm.value("status", "");
  if (status != "completed") {
    errors.Add("Immunization.status", "unsupported_status",
               "只接收已完成的接种（status = completed）",
               "only completed immunizations are accepted (status = completed)");
  }
  std::string patient;
  if (auto p = imm.find("patient"); p != imm.end() && p->is_object()) {
    patient = p->value("reference", "");
  }
  if (patient.rfind("Patient/", 0) != 0 || patient.size() <= 8) {
    errors.Add("Immunization.patient", "required", "patient.reference 应为 Patient/<编号>",
               "patient.reference must be Patient/<id>");
  } else {
    in.person_id = patient.substr(8);
  }
  // vaccineCode: a coding of our vaccine system (or without a system).
  std::string vaccine;
  if (auto vc = imm.find("vaccineCode"); vc != imm.end() && vc->is_object()) {
    for (const auto& coding : vc->value("coding", json::array())) {
      if (!coding.is_object()) continue;
      const std::string system = coding.value("system", "");
      if (system.empty() || system == ex::kSystemVaccine) {
        vaccine = coding.value("code", "");
        break;
      }
    }
  }
  if (vaccine.empty()) {
    errors.Add("Immunization.vaccineCode", "required",
               "vaccineCode 应含本系统疫苗代码（" + std::string(ex::kSystemVaccine) + "）",
               "vaccineCode must hold a code of " + std::string(ex::kSystemVaccine));
  } else {
    in.record["vaccine"] = vaccine;
  }
  // occurrenceDateTime: the day of the dose (a time of day, if given, is not kept).
  const auto when = imm.find("occurrenceDateTime");
  if (when == imm.end() || !when->is_string() || when->get<std::string>().size() < 10) {
    errors.Add("Immunization.occurrenceDateTime", "required",
               "occurrenceDateTime 为必填项（YYYY-MM-DD）",
               "occurrenceDateTime is required (YYYY-MM-DD)");
  } else {
    in.record["date"] = when->get<std::string>().substr(0, 10);
  }
  if (auto lot = imm.find("lotNumber"); lot != imm.end()) in.record["lot"] = *lot;
  if (auto m = imm.find("manufacturer"); m != imm.end() && m->is_object()) {
    in.record["manufacturer"] = m->value("display", "");
  }
  if (auto s = imm.find("site"); s != imm.end() && s->is_object()) {
    in.record["site"] = s->value("text", "");
  }
  if (auto r = imm.find("route"); r != imm.end() && r->is_object()) {
    in.record["route"] = r->value("text", "");
  }
  if (auto pa = imm.find("protocolApplied"); pa != imm.end() && pa->is_array() && !pa->empty()) {
    if (auto n = (*pa)[0].find("doseNumberPositiveInt"); n != (*pa)[0].end()) {
      in.record["dose_number"] = *n;
    }
  }
  if (auto perf = imm.find("performer"); perf != imm.end() && perf->is_array() && !perf->empty()) {
    const json actor = (*perf)[0].value("actor", json::object());
    if (actor.contains("identifier") && actor["identifier"].is_object() &&
        actor["identifier"].value("system", "") == ex::kSystemOrgUnit) {
      in.record["clinic"] = actor["identifier"].value("value", "");
    } else if (actor.contains("display")) {
      in.record["clinic_name"] = actor["display"];
    }
  }
  // A record that is not first-hand was copied from the child's certificate (补录).
  if (auto ps = imm.find("primarySource"); ps != imm.end() && ps->is_boolean() && !*ps) {
    in.record["source"] = "transcribed";
  }
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

Result<Reply> ImmunizationCreate(App& app, Ctx& c, const ServerOptions&) {
  auto body = ResourceBody(c, "Immunization");
  if (!body.ok()) return body.status();
  auto in = DoseOf(*body);
  if (!in.ok()) return in.status();
  auto ch = app.immunization->RecordDose(*c.who, in->person_id, in->record);
  if (!ch.ok()) return WithElements(ch.status(), ExpressionOf);
  const auto& r = ch->record;
  Reply out = Fhir(
      ex::ImmunizationOf(app.immunization->schedule(), r, ClinicName(app, r.clinic_code)), 201);
  out.headers.emplace_back("Location",
                           fmt::format("/fhir/r4/Immunization/{}/_history/{}", r.id, r.version));
  out.headers.emplace_back("ETag", fmt::format("W/\"{}\"", r.version));
  return out;
}

}  // namespace

std::vector<Route> FhirRoutes() {
  return {
      {{"GET", "/fhir/r4/metadata", false}, false, Metadata},
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
