#include "exchange/fhir.h"

#include <fmt/format.h>

#include <map>
#include <regex>

#include "registry/codes.h"
#include "registry/person_rules.h"

namespace jd::exchange {

namespace {

using nlohmann::json;
namespace im = jd::immunization;
namespace rg = jd::registry;

constexpr std::string_view kV2IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
constexpr std::string_view kV3MaritalStatus =
    "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";
constexpr std::string_view kV3NullFlavor = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor";
constexpr std::string_view kV3ObservationValue =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
constexpr std::string_view kRecommendationStatus =
    "http://terminology.hl7.org/CodeSystem/immunization-recommendation-status";
constexpr std::string_view kLoinc = "http://loinc.org";

json Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json c = {{"system", system}, {"code", code}};
  if (!display.empty()) c["display"] = display;
  return c;
}

json Meta(int version, const std::string& updated_at) {
  json m = {{"versionId", std::to_string(version)}};
  if (std::string at = FhirInstant(updated_at); !at.empty()) m["lastUpdated"] = at;
  return m;
}

// The identity document as a FHIR identifier: HL7 v2-0203 NNCHN (national person identifier of
// China) for the 居民身份证, PPN for a passport, and our code for the permits and the birth
// certificate, which have no v2 type of their own.
json IdentityDocument(const rg::Person& p, Disclosure disclosure) {
  const std::string value =
      disclosure == Disclosure::kFull ? p.id_number : rg::MaskIdNumber(p.id_number);
  if (p.id_type == rg::IdType::kResidentId) {
    return {
        {"use", "official"},
        {"type",
         {{"coding", json::array({Coding(kV2IdentifierType, "NNCHN")})}, {"text", "居民身份证"}}},
        {"system", kSystemResidentId},
        {"value", value}};
  }
  json type = {{"text", std::string(rg::ToCode(p.id_type))}};
  if (p.id_type == rg::IdType::kPassport) {
    type["coding"] = json::array({Coding(kV2IdentifierType, "PPN")});
  }
  return {{"use", "official"},
          {"type", type},
          {"system", fmt::format("{}:{}", kSystemOtherDocument, rg::ToCode(p.id_type))},
          {"value", value}};
}

std::string_view MaritalCode(rg::MaritalStatus m) {
  switch (m) {
    case rg::MaritalStatus::kSingle:
      return "S";
    case rg::MaritalStatus::kMarried:
      return "M";
    case rg::MaritalStatus::kDivorced:
      return "D";
    case rg::MaritalStatus::kWidowed:
      return "W";
    case rg::MaritalStatus::kUnknown:
      break;
  }
  return "UNK";
}

// Our forecast status, and the HL7 recommendation status where one means the same.
json ForecastStatus(im::DoseStatus s) {
  std::string_view ours, hl7;
  switch (s) {
    case im::DoseStatus::kDone:
      ours = "done", hl7 = "complete";
      break;
    case im::DoseStatus::kUpcoming:
      ours = "upcoming";
      break;
    case im::DoseStatus::kDue:
      ours = "due", hl7 = "due";
      break;
    case im::DoseStatus::kOverdue:
      ours = "overdue", hl7 = "overdue";
      break;
    case im::DoseStatus::kNeedsTest:
      ours = "needs_test";
      break;
    case im::DoseStatus::kNotNeeded:
      ours = "not_needed";
      break;
  }
  json codings = json::array({Coding(kSystemForecastStatus, ours)});
  if (!hl7.empty()) codings.push_back(Coding(kRecommendationStatus, hl7));
  return {{"coding", codings}, {"text", ours}};
}

json DateCriterion(std::string_view loinc, std::string_view display, Date d) {
  return {{"code", {{"coding", json::array({Coding(kLoinc, loinc, display)})}}},
          {"value", FormatDate(d)}};
}

json VaccineCode(const im::Schedule& schedule, const std::string& code) {
  const im::VaccineInfo* v = schedule.Find(code);
  json c = Coding(kSystemVaccine, code, v ? v->name_zh : std::string());
  json out = {{"coding", json::array({c})}};
  if (v) out["text"] = v->name_zh;
  return out;
}

std::string_view IssueCode(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
      return "invalid";
    case StatusCode::kNotFound:
      return "not-found";
    case StatusCode::kAlreadyExists:
      return "duplicate";
    case StatusCode::kFailedPrecondition:
      return "conflict";
    case StatusCode::kPermissionDenied:
      return "forbidden";
    case StatusCode::kUnauthenticated:
      return "login";
    case StatusCode::kTooLarge:
      return "too-costly";
    case StatusCode::kTooManyRequests:
      return "throttled";
    case StatusCode::kUnavailable:
      return "transient";
    case StatusCode::kOk:
    case StatusCode::kInternal:
      break;
  }
  return "exception";
}

}  // namespace

std::string FhirInstant(const std::string& timestamp) {
  // Ours are instants already ("2026-12-07T10:00:00.000Z"); SQLite's datetime() writes a space
  // for the "T" and no zone (UTC).
  static const std::regex kInstant(
      R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)");
  if (!std::regex_match(timestamp, kInstant)) return {};
  std::string out = timestamp;
  out[10] = 'T';
  if (out.back() != 'Z' && out.find_first_of("+-", 19) == std::string::npos) out += 'Z';
  return out;
}

json PatientOf(const rg::Person& p, Disclosure disclosure) {
  const bool full = disclosure == Disclosure::kFull;
  json identifiers = json::array();
  if (!p.id_number.empty()) identifiers.push_back(IdentityDocument(p, disclosure));
  if (!p.health_card_no.empty()) {
    identifiers.push_back(
        {{"use", "secondary"},
         {"type", {{"text", "居民健康卡"}}},
         {"system", kSystemHealthCard},
         {"value", full ? p.health_card_no : rg::MaskDocumentNumber(p.health_card_no)}});
  }
  identifiers.push_back({{"use", "usual"}, {"system", kSystemUri}, {"value", "urn:uuid:" + p.id}});
  json patient = {{"resourceType", "Patient"},
                  {"id", p.id},
                  {"meta", Meta(p.version, p.updated_at)},
                  {"identifier", identifiers},
                  {"active", p.status == rg::PersonStatus::kActive},
                  {"name", json::array({{{"use", "official"}, {"text", p.name}}})},
                  {"gender", p.sex == rg::Sex::kFemale ? "female" : "male"},
                  {"birthDate", FormatDate(p.birth_date)}};
  if (!full) {
    patient["meta"]["security"] = json::array({Coding(kV3ObservationValue, "MASKED", "masked")});
  }
  if (p.status == rg::PersonStatus::kDied) patient["deceasedBoolean"] = true;
  if (!p.phone.empty()) {
    patient["telecom"] = json::array({{{"system", "phone"},
                                       {"value", full ? p.phone : rg::MaskPhone(p.phone)},
                                       {"use", "mobile"}}});
  }
  json addresses = json::array();
  if (!p.residence_org.empty()) {
    json home = {{"use", "home"}, {"type", "physical"}};
    if (full && !p.residence_address.empty()) home["text"] = p.residence_address;
    // The residence unit's code: its first six digits are the GB/T 2260 county.
    home["district"] = p.residence_org.substr(0, 6);
    home["period"] = {{"start", FormatDate(p.arrived_on)}};
    addresses.push_back(home);
  }
  if (!p.hukou_division.empty()) {
    json hukou = {{"use", "old"}, {"type", "postal"}, {"district", p.hukou_division}};
    if (full && !p.hukou_address.empty()) hukou["text"] = p.hukou_address;
    addresses.push_back(hukou);
  }
  if (!addresses.empty()) patient["address"] = addresses;
  if (full) {
    json extensions = json::array();
    auto code = [&](std::string_view url, std::string_view value) {
      if (!value.empty()) extensions.push_back({{"url", url}, {"valueCode", value}});
    };
    code(kExtResidenceOrg, p.residence_org);
    code(kExtMoveReason, rg::ToCode(p.move_reason));
    code(kExtEthnicity, p.ethnicity);
    if (p.left_hukou_on) {
      extensions.push_back({{"url", kExtLeftHukouOn}, {"valueDate", FormatDate(*p.left_hukou_on)}});
    }
    if (!extensions.empty()) patient["extension"] = extensions;
  }
  const std::string_view marital = MaritalCode(p.marital_status);
  patient["maritalStatus"] = {
      {"coding",
       json::array({Coding(marital == "UNK" ? kV3NullFlavor : kV3MaritalStatus, marital)})}};
  return patient;
}

namespace {

// A string member of an object, "" when absent or not a string.
std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The entries of an array member, none when absent or not an array.
const json& Array(const json& j, const char* key) {
  static const json kNone = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kNone;
}

}  // namespace

std::string PatientElementOf(const std::string& field) {
  static const std::map<std::string, std::string, std::less<>> kElements = {
      {"name", "Patient.name"},
      {"sex", "Patient.gender"},
      {"birth_date", "Patient.birthDate"},
      {"id_type", "Patient.identifier"},
      {"id_number", "Patient.identifier"},
      {"health_card_no", "Patient.identifier"},
      {"phone", "Patient.telecom"},
      {"residence_address", "Patient.address"},
      {"arrived_on", "Patient.address.period.start"},
      {"hukou_division", "Patient.address.district"},
      {"hukou_address", "Patient.address"},
      {"marital_status", "Patient.maritalStatus"},
      {"residence_org", "Patient.extension"},
      {"move_reason", "Patient.extension"},
      {"ethnicity", "Patient.extension"},
      {"left_hukou_on", "Patient.extension"}};
  auto it = kElements.find(field);
  return it == kElements.end() ? field : it->second;
}

Result<json> PersonInputOf(const json& patient) {
  FieldErrors errors;
  json in = json::object();
  if (Text(patient, "resourceType") != "Patient") {
    errors.Add("resourceType", "wrong_resource_type", "resourceType 应为 Patient",
               "resourceType must be Patient");
    return errors.ToStatus();
  }
  // Chinese names are family name then given name, without a space.
  for (const json& n : Array(patient, "name")) {
    if (!n.is_object()) continue;
    std::string name = Text(n, "text");
    if (name.empty()) {
      name = Text(n, "family");
      for (const json& g : Array(n, "given")) {
        if (g.is_string()) name += g.get<std::string>();
      }
    }
    if (!name.empty()) {
      in["name"] = name;
      break;
    }
  }
  if (const std::string g = Text(patient, "gender"); !g.empty()) {
    if (g == "male" || g == "female") {
      in["sex"] = g == "male" ? "M" : "F";
    } else {
      errors.Add("Patient.gender", "invalid_value", "性别应为 male 或 female",
                 "gender must be male or female");
    }
  }
  if (const std::string d = Text(patient, "birthDate"); !d.empty()) in["birth_date"] = d;
  for (const json& id : Array(patient, "identifier")) {
    if (!id.is_object()) continue;
    const std::string system = Text(id, "system"), value = Text(id, "value");
    if (system == kSystemResidentId) {
      in["id_type"] = "resident_id";
      in["id_number"] = value;
    } else if (system == kSystemHealthCard) {
      in["health_card_no"] = value;
    } else if (system.rfind(std::string(kSystemOtherDocument) + ":", 0) == 0) {
      in["id_type"] = system.substr(kSystemOtherDocument.size() + 1);
      in["id_number"] = value;
    }
  }
  for (const json& t : Array(patient, "telecom")) {
    if (t.is_object() && Text(t, "system") == "phone") {
      in["phone"] = Text(t, "value");
      break;
    }
  }
  for (const json& a : Array(patient, "address")) {
    if (!a.is_object()) continue;
    const std::string use = Text(a, "use");
    if (use == "home") {
      if (const std::string text = Text(a, "text"); !text.empty()) in["residence_address"] = text;
      if (auto period = a.find("period"); period != a.end() && period->is_object()) {
        if (const std::string start = Text(*period, "start"); !start.empty()) {
          in["arrived_on"] = start.substr(0, 10);
        }
      }
    } else if (use == "old") {
      if (const std::string d = Text(a, "district"); !d.empty()) in["hukou_division"] = d;
      if (const std::string text = Text(a, "text"); !text.empty()) in["hukou_address"] = text;
    }
  }
  if (auto m = patient.find("maritalStatus"); m != patient.end() && m->is_object()) {
    static const std::map<std::string, std::string, std::less<>> kMarital = {
        {"S", "single"}, {"M", "married"}, {"D", "divorced"}, {"W", "widowed"}, {"UNK", "unknown"}};
    for (const json& c : Array(*m, "coding")) {
      auto it = kMarital.find(Text(c, "code"));
      if (c.is_object() && it != kMarital.end()) in["marital_status"] = it->second;
    }
  }
  for (const json& e : Array(patient, "extension")) {
    if (!e.is_object()) continue;
    const std::string url = Text(e, "url");
    if (url == kExtResidenceOrg) in["residence_org"] = Text(e, "valueCode");
    if (url == kExtMoveReason) in["move_reason"] = Text(e, "valueCode");
    if (url == kExtEthnicity) in["ethnicity"] = Text(e, "valueCode");
    if (url == kExtLeftHukouOn) in["left_hukou_on"] = Text(e, "valueDate");
  }
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

std::string ImmunizationElementOf(const std::string& field) {
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

Result<DoseInput> DoseInputOf(const json& imm) {
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
      if (system.empty() || system == kSystemVaccine) {
        vaccine = coding.value("code", "");
        break;
      }
    }
  }
  if (vaccine.empty()) {
    errors.Add("Immunization.vaccineCode", "required",
               "vaccineCode 应含本系统疫苗代码（" + std::string(kSystemVaccine) + "）",
               "vaccineCode must hold a code of " + std::string(kSystemVaccine));
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
        actor["identifier"].value("system", "") == kSystemOrgUnit) {
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

json ImmunizationOf(const im::Schedule& schedule, const im::VaccinationRecord& r,
                    const std::string& clinic_name) {
  json imm = {{"resourceType", "Immunization"},
              {"id", r.id},
              {"meta", Meta(r.version, r.updated_at)},
              {"status", r.voided ? "entered-in-error" : "completed"},
              {"vaccineCode", VaccineCode(schedule, r.vaccine)},
              {"patient", {{"reference", "Patient/" + r.person_id}}},
              {"occurrenceDateTime", FormatDate(r.date)},
              // Given here is first-hand; transcribed from the certificate or received from
              // another region's system is not.
              {"primarySource", r.source == im::RecordSource::kGivenHere}};
  if (std::string at = FhirInstant(r.created_at); !at.empty()) imm["recorded"] = at;
  if (r.source != im::RecordSource::kGivenHere) {
    imm["reportOrigin"] = {
        {"coding", json::array({Coding("urn:jundeng:fhir:record-source", SourceCode(r.source))})},
        {"text", std::string(SourceCode(r.source))}};
  }
  if (r.voided && !r.void_reason.empty()) imm["statusReason"] = {{"text", r.void_reason}};
  if (!r.lot.empty()) imm["lotNumber"] = r.lot;
  if (!r.manufacturer.empty()) imm["manufacturer"] = {{"display", r.manufacturer}};
  if (!r.site.empty()) imm["site"] = {{"text", r.site}};
  if (!r.route.empty()) imm["route"] = {{"text", r.route}};
  const std::string name = clinic_name.empty() ? r.clinic_name : clinic_name;
  if (!r.clinic_code.empty() || !name.empty()) {
    json actor = json::object();
    if (!r.clinic_code.empty()) {
      actor["identifier"] = {{"system", kSystemOrgUnit}, {"value", r.clinic_code}};
    }
    if (!name.empty()) actor["display"] = name;
    imm["performer"] = json::array({{{"actor", actor}}});
  }
  if (r.dose_number && *r.dose_number > 0) {
    imm["protocolApplied"] = json::array({{{"doseNumberPositiveInt", *r.dose_number}}});
  }
  return imm;
}

json RecommendationOf(const im::Schedule& schedule, const std::string& person_id,
                      const im::Forecast& forecast, Date as_of) {
  json recs = json::array();
  for (const im::DoseForecast& d : forecast.doses) {
    if (d.status == im::DoseStatus::kDone || d.status == im::DoseStatus::kNotNeeded) continue;
    json rec = {
        {"vaccineCode", json::array({VaccineCode(schedule, schedule.info(d.vaccine).code)})},
        {"forecastStatus", ForecastStatus(d.status)}};
    if (d.dose > 0) rec["doseNumberPositiveInt"] = d.dose;
    json criteria = json::array({DateCriterion("30980-7", "Date vaccine due", d.recommended)});
    if (d.earliest) {
      criteria.push_back(DateCriterion("30981-5", "Earliest date to give", *d.earliest));
    }
    if (d.timely_by) {
      criteria.push_back(
          DateCriterion("59778-1", "Date when overdue for immunization", *d.timely_by));
    }
    rec["dateCriterion"] = criteria;
    recs.push_back(rec);
  }
  json out = {{"resourceType", "ImmunizationRecommendation"},
              {"id", person_id},
              {"patient", {{"reference", "Patient/" + person_id}}},
              {"date", FormatDate(as_of)},
              {"recommendation", recs}};
  // R4 requires at least one recommendation: a child with nothing left says so in one.
  if (recs.empty()) {
    out["recommendation"] = json::array(
        {{{"targetDisease", {{"text", "国家免疫规划 / National Immunization Programme"}}},
          {"forecastStatus",
           {{"coding", json::array({Coding(kRecommendationStatus, "complete")})},
            {"text", "complete"}}}}});
  }
  return out;
}

json OperationOutcomeOf(const Status& st) {
  json issues = json::array();
  const std::string_view code = IssueCode(st.code());
  for (const FieldError& e : st.field_errors()) {
    json issue = {{"severity", "error"},
                  {"code", code},
                  {"details",
                   {{"coding", json::array({Coding("urn:jundeng:fhir:field-error", e.code)})},
                    {"text", e.message_zh}}},
                  {"diagnostics", e.message_en}};
    if (!e.field.empty()) issue["expression"] = json::array({e.field});
    issues.push_back(issue);
  }
  if (issues.empty()) {
    issues.push_back({{"severity", "error"},
                      {"code", code},
                      {"details", {{"text", st.message_zh()}}},
                      {"diagnostics", st.message_en()}});
  }
  return {{"resourceType", "OperationOutcome"}, {"issue", issues}};
}

json SearchBundle(const SearchPage& page, std::string_view base) {
  json links = json::array({{{"relation", "self"}, {"url", page.self_url}}});
  if (!page.next_url.empty()) links.push_back({{"relation", "next"}, {"url", page.next_url}});
  if (!page.previous_url.empty()) {
    links.push_back({{"relation", "previous"}, {"url", page.previous_url}});
  }
  json entries = json::array();
  auto add = [&](const json& r, const char* mode) {
    entries.push_back(
        {{"fullUrl", fmt::format("{}/{}/{}", base, r.value("resourceType", ""), r.value("id", ""))},
         {"resource", r},
         {"search", {{"mode", mode}}}});
  };
  for (const json& r : page.matches) add(r, "match");
  for (const json& r : page.includes) add(r, "include");
  json b = {{"resourceType", "Bundle"}, {"type", "searchset"}, {"link", links}};
  if (page.total) b["total"] = *page.total;
  b["entry"] = entries;
  return b;
}

json CapabilityStatement(std::string_view software_version, Date today) {
  auto param = [](std::string_view name, std::string_view type, std::string_view doc) {
    return json{{"name", name}, {"type", type}, {"documentation", doc}};
  };
  json count = param("_count", "number", "每页条数 1–200，默认 20 / page size 1–200, default 20");
  json patient = {
      {"type", "Patient"},
      {"versioning", "versioned-update"},
      {"updateCreate", false},
      {"conditionalUpdate", false},
      {"interaction", json::array({{{"code", "read"}},
                                   {{"code", "search-type"}},
                                   {{"code", "create"}},
                                   {{"code", "update"}}})},
      {"searchParam",
       json::array(
           {param("_id", "token", "人员编号 / the person's id"),
            param("identifier", "token",
                  "居民身份证号（完整号码）或居民健康卡号 / the full ID number or health card"),
            param("name", "string", "姓名或拼音首字母 / name or its pinyin initials"),
            param(
                "birthdate", "date",
                "出生日期，前缀 eq gt lt ge le sa eb，可重复（且） / birth date with the prefixes "
                "eq gt lt ge le sa eb, repeatable (AND)"),
            param("_lastUpdated", "date",
                  "最后修改时间，前缀同上 / time of the last change, the same prefixes"),
            count})},
      {"operation", json::array({{{"name", "everything"},
                                  {"definition",
                                   "http://hl7.org/fhir/OperationDefinition/"
                                   "Patient-everything"}},
                                 {{"name", "export"},
                                  {"definition",
                                   "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
                                   "patient-export"}}})}};
  json immunization = {
      {"type", "Immunization"},
      {"interaction",
       json::array({{{"code", "read"}}, {{"code", "search-type"}}, {{"code", "create"}}})},
      {"searchParam", json::array({param("patient", "reference", "Patient/<id>"), count})}};
  json recommendation = {
      {"type", "ImmunizationRecommendation"},
      {"interaction", json::array({{{"code", "search-type"}}})},
      {"searchParam", json::array({param("patient", "reference", "Patient/<id>")})}};
  return {{"resourceType", "CapabilityStatement"},
          {"status", "active"},
          {"date", FormatDate(today)},
          {"publisher", "均等 Jundeng"},
          {"kind", "instance"},
          {"software", {{"name", "jundeng"}, {"version", software_version}}},
          {"implementation",
           {{"description",
             "流动人口基本公共卫生计生服务 城市节点 / a city node of the migrant "
             "public-health services"}}},
          {"fhirVersion", kFhirVersion},
          {"format", json::array({"application/fhir+json", "json"})},
          {"rest",
           json::array(
               {{{"mode", "server"},
                 {"security",
                  {{"cors", false},
                   {"service", json::array({{{"text",
                                              "Bearer session token (POST /api/v1/auth/login); "
                                              "roles and jurisdiction as the rest of the "
                                              "API"}}})}}},
                 {"resource", json::array({patient, immunization, recommendation})},
                 {"interaction",
                  json::array({{{"code", "transaction"},
                                {"documentation",
                                 "POST Patient (ifNoneExist by 居民身份证), PUT Patient, POST "
                                 "Immunization; all or nothing"}}})},
                 {"operation", json::array({{{"name", "export"},
                                             {"definition",
                                              "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
                                              "export"}}})}}})}};
}

std::optional<std::string> TokenValue(std::string_view param,
                                      const std::vector<std::string_view>& systems) {
  const std::size_t bar = param.find('|');
  if (bar == std::string_view::npos) return std::string(param);
  const std::string_view system = param.substr(0, bar);
  const std::string value(param.substr(bar + 1));
  if (system.empty()) return value;
  for (std::string_view s : systems) {
    if (s == system) return value;
  }
  return std::nullopt;
}

}  // namespace jd::exchange
