// The severe-mental-disorder API (mental/service.h): register a patient, list the jurisdiction's
// patients (overdue filter), read one with follow-ups, emergencies and schedule, change the
// registration (If-Match), record a follow-up and an emergency handling, list and acknowledge the
// partner alerts, and the summary for the home worklist card. This file reads bodies and queries
// into the service's typed inputs (every problem as a field error in Chinese and English) and
// shapes its views as JSON. An alert as JSON carries name, address, level and times only.
#include "core/input.h"
#include "http/json_members.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "mental/service.h"

namespace jd::http {

namespace {

using nlohmann::json;
namespace mh = jd::mental;

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }
json TextOrNull(const std::string& s) { return s.empty() ? json() : json(s); }
json RateOrNull(const std::optional<double>& r) { return r ? json(*r) : json(); }

constexpr const char* kDiagnoses =
    "schizophrenia, schizoaffective, paranoid_psychosis, bipolar, epilepsy_psychosis, "
    "intellectual_disability_psychosis";
constexpr const char* kConsents = "signed, refused, not_yet";
constexpr const char* kStatuses = "active, moved, died, closed";

json PatientJson(const mh::Patient& p) {
  return {{"id", p.id},
          {"person_id", p.person_id},
          {"diagnosis", mh::DiagnosisCode(p.diagnosis)},
          {"diagnosed_on", FormatDate(p.diagnosed_on)},
          {"consent", mh::ConsentCode(p.consent)},
          {"consent_on", DateOrNull(p.consent_on)},
          {"managing_unit", p.managing_unit},
          {"registered_on", FormatDate(p.registered_on)},
          {"status", mh::PatientStatusCode(p.status)},
          {"class", p.cls ? json(mh::PatientClassCode(*p.cls)) : json()},
          {"next_due", FormatDate(p.next_due)},
          {"version", p.version},
          {"updated_at", p.updated_at}};
}

json FollowUpJson(const mh::FollowUp& f) {
  const mh::FollowUpFacts& x = f.facts;
  return {{"id", f.id},
          {"visited_on", FormatDate(x.visited_on)},
          {"danger_level", x.danger_level},
          {"symptoms", mh::SymptomsCode(x.symptoms)},
          {"insight", mh::InsightCode(x.insight)},
          {"sleep", mh::Grade3Code(x.sleep)},
          {"social_function", mh::Grade3Code(x.social_function)},
          {"adherence", mh::AdherenceCode(x.adherence)},
          {"side_effects", mh::SeverityCode(x.side_effects)},
          {"physical_illness", mh::SeverityCode(x.physical_illness)},
          {"hospitalisation", mh::HospitalisationCode(x.hospitalisation)},
          {"last_discharge_on", DateOrNull(x.last_discharge_on)},
          {"lab_done", x.lab_done},
          {"lab_note", x.lab_note},
          {"rehabilitation", x.rehabilitation},
          {"improving", x.improving},
          {"note", x.note},
          {"class", mh::PatientClassCode(f.cls)},
          {"next_due", FormatDate(f.next_due)},
          {"recorded_at", f.recorded_at},
          {"recorded_by", f.recorded_by}};
}

// The alert as everyone sees it: no diagnosis, no follow-up.
json AlertJson(const mh::Alert& a) {
  return {{"id", a.id},
          {"danger_level", a.danger_level},
          {"raised_at", a.raised_at},
          {"acknowledged_at", TextOrNull(a.acknowledged_at)},
          {"acknowledged_by", TextOrNull(a.acknowledged_by)}};
}

json AlertRowJson(const mh::AlertRow& r) {
  json j = AlertJson(r.alert);
  j["name"] = r.name;
  j["address"] = r.address;
  j["residence_org"] = r.residence_org;
  return j;
}

json DetailJson(const mh::PatientDetail& d) {
  json j = PatientJson(d.patient);
  j["name"] = d.name;
  j["id_number"] = d.masked_id_number;
  j["address"] = d.address;
  j["residence_org"] = d.residence_org;
  json fs = json::array();
  for (const auto& f : d.follow_ups) fs.push_back(FollowUpJson(f));
  j["follow_ups"] = std::move(fs);
  json es = json::array();
  for (const auto& e : d.emergencies) {
    es.push_back({{"id", e.id},
                  {"occurred_on", FormatDate(e.occurred_on)},
                  {"situation", e.situation},
                  {"measures", e.measures},
                  {"outcome", e.outcome},
                  {"recorded_at", e.recorded_at},
                  {"recorded_by", e.recorded_by}});
  }
  j["emergencies"] = std::move(es);
  json as = json::array();
  for (const auto& a : d.alerts) as.push_back(AlertJson(a));
  j["alerts"] = std::move(as);
  j["schedule"] = {{"next_due", FormatDate(d.patient.next_due)},
                   {"overdue", d.overdue},
                   {"follow_ups_this_year", d.follow_ups_this_year},
                   {"required_this_year", d.required_this_year},
                   {"as_of", FormatDate(d.as_of)}};
  return j;
}

Result<Reply> Register(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  mh::PatientInput in;
  in.person_id = TextMember(c.body, "person_id", FieldKind::kCode, errors, "人员");
  if (in.person_id.empty() && !errors.Has("person_id")) {
    errors.Add("person_id", "required", "人员为必填项", "person_id is required");
  }
  auto diagnosis = EnumMember<mh::Diagnosis>(c.body, "diagnosis", "诊断", kDiagnoses,
                                             mh::ParseDiagnosis, true, errors);
  if (diagnosis) in.diagnosis = *diagnosis;
  auto diagnosed =
      DateMember(c.body, "diagnosed_on", DateKind::kPastEvent, today, Presence::kRequired, errors);
  if (diagnosed) in.diagnosed_on = *diagnosed;
  auto consent = EnumMember<mh::Consent>(c.body, "consent", "知情同意", kConsents, mh::ParseConsent,
                                         true, errors);
  if (consent) in.consent = *consent;
  in.consent_on =
      DateMember(c.body, "consent_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  in.managing_unit = TextMember(c.body, "managing_unit", FieldKind::kCode, errors, "管理机构");
  in.registered_on =
      DateMember(c.body, "registered_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.mental->Register(*c.who, in);
  if (!r.ok()) return r.status();
  return Json(DetailJson(*r), 201);
}

Result<Reply> List(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  mh::PatientQuery q;
  const std::string overdue = Param(c.req, "overdue");
  if (overdue == "true") {
    q.overdue_only = true;
  } else if (!overdue.empty() && overdue != "false") {
    errors.Add("overdue", "invalid_value", "overdue 应为 true 或 false",
               "overdue must be true or false");
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = *limit;
  auto r = app.mental->List(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) {
    json j = PatientJson(v.patient);
    j.erase("diagnosis");  // a list shows who is due, not what they have
    j["name"] = v.masked_name;
    j["id_number"] = v.masked_id_number;
    j["residence_org"] = v.residence_org;
    j["overdue"] = v.overdue;
    j["follow_ups_this_year"] = v.follow_ups_this_year;
    j["required_this_year"] = v.required_this_year;
    items.push_back(std::move(j));
  }
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

Result<Reply> GetOne(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.mental->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(DetailJson(*r));
}

Result<Reply> Update(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  const Date today = app.clock->Today();
  mh::PatientChange change;
  change.diagnosis = EnumMember<mh::Diagnosis>(c.body, "diagnosis", "诊断", kDiagnoses,
                                               mh::ParseDiagnosis, false, errors);
  change.diagnosed_on =
      DateMember(c.body, "diagnosed_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  change.consent = EnumMember<mh::Consent>(c.body, "consent", "知情同意", kConsents,
                                           mh::ParseConsent, false, errors);
  change.consent_on =
      DateMember(c.body, "consent_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  change.status = EnumMember<mh::PatientStatus>(c.body, "status", "管理状态", kStatuses,
                                                mh::ParsePatientStatus, false, errors);
  auto unit = OptionalTextMember(c.body, "managing_unit", FieldKind::kCode, errors);
  if (unit && !unit->empty()) change.managing_unit = *unit;
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.mental->Update(*c.who, c.params[0], change, version);
  if (!r.ok()) return r.status();
  return Json(DetailJson(*r));
}

Result<Reply> FollowUp(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  mh::FollowUpFacts in;
  auto visited =
      DateMember(c.body, "visited_on", DateKind::kPastEvent, today, Presence::kRequired, errors);
  if (visited) in.visited_on = *visited;
  if (!c.body.contains("danger_level") || c.body["danger_level"].is_null()) {
    errors.Add("danger_level", "required", "危险性评估等级为必填项", "danger_level is required");
  } else if (!c.body["danger_level"].is_number_integer()) {
    errors.Add("danger_level", "invalid_level", "危险性评估等级应为 0–5 级",
               "danger_level must be a level from 0 to 5");
  } else {
    // Out-of-range levels are judged by mental::CheckFollowUp (invalid_level).
    const auto level = c.body["danger_level"].get<long long>();
    in.danger_level = level < -1 ? -1 : level > 99 ? 99 : static_cast<int>(level);
  }
  auto set = [&](auto& field, const char* key, const char* label, const char* allowed, auto parse) {
    auto v =
        EnumMember<std::decay_t<decltype(field)>>(c.body, key, label, allowed, parse, true, errors);
    if (v) field = *v;
  };
  set(in.symptoms, "symptoms", "精神症状", "none, present, marked", mh::ParseSymptoms);
  set(in.insight, "insight", "自知力", "complete, partial, none", mh::ParseInsight);
  set(in.sleep, "sleep", "睡眠情况", "good, fair, poor", mh::ParseGrade3);
  set(in.social_function, "social_function", "社会功能", "good, fair, poor", mh::ParseGrade3);
  set(in.adherence, "adherence", "服药依从性", "regular, intermittent, none", mh::ParseAdherence);
  set(in.side_effects, "side_effects", "药物不良反应", "none, present, serious", mh::ParseSeverity);
  set(in.physical_illness, "physical_illness", "躯体疾病", "none, present, serious",
      mh::ParseSeverity);
  set(in.hospitalisation, "hospitalisation", "住院情况", "never, past, current",
      mh::ParseHospitalisation);
  in.last_discharge_on = DateMember(c.body, "last_discharge_on", DateKind::kPastEvent, today,
                                    Presence::kOptional, errors);
  if (auto lab = c.body.find("lab_done"); lab != c.body.end() && !lab->is_null()) {
    if (!lab->is_boolean()) {
      errors.Add("lab_done", "wrong_type", "实验室检查应为 true 或 false",
                 "lab_done must be true or false");
    } else {
      in.lab_done = lab->get<bool>();
    }
  }
  in.lab_note = TextMember(c.body, "lab_note", FieldKind::kNote, errors, "实验室检查结果");
  if (auto imp = c.body.find("improving"); imp != c.body.end() && !imp->is_null()) {
    if (!imp->is_boolean()) {
      errors.Add("improving", "wrong_type", "是否好转应为 true 或 false",
                 "improving must be true or false");
    } else {
      in.improving = imp->get<bool>();
    }
  }
  if (auto rehab = c.body.find("rehabilitation"); rehab != c.body.end() && !rehab->is_null()) {
    if (!rehab->is_array()) {
      errors.Add("rehabilitation", "wrong_type", "康复措施应为代码数组",
                 "rehabilitation must be an array of codes");
    } else {
      for (const auto& x : *rehab) {
        if (!x.is_string()) {
          errors.Add("rehabilitation", "wrong_type", "康复措施应为代码数组",
                     "rehabilitation must be an array of codes");
          break;
        }
        in.rehabilitation.push_back(x.get<std::string>());
      }
    }
  }
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.mental->RecordFollowUp(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  json j = {{"follow_up", FollowUpJson(r->follow_up)},
            {"alert", r->alert ? AlertJson(*r->alert) : json()},
            {"alert_notices", r->alert_notices},
            {"patient", DetailJson(r->patient)}};
  return Json(std::move(j), 201);
}

Result<Reply> Emergency(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  mh::EmergencyInput in;
  auto on =
      DateMember(c.body, "occurred_on", DateKind::kPastEvent, today, Presence::kRequired, errors);
  if (on) in.occurred_on = *on;
  struct Text {
    const char* key;
    const char* label;
    std::string* out;
  };
  for (const Text& t :
       {Text{"situation", "情况", &in.situation}, Text{"measures", "处置措施", &in.measures},
        Text{"outcome", "处置结果", &in.outcome}}) {
    *t.out = TextMember(c.body, t.key, FieldKind::kNote, errors, t.label);
    if (t.out->empty() && !errors.Has(t.key)) {
      errors.Add(t.key, "required", std::string(t.label) + "为必填项",
                 std::string(t.key) + " is required");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.mental->RecordEmergency(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(DetailJson(*r), 201);
}

Result<Reply> Alerts(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const std::string state = Param(c.req, "state");
  bool open_only = true;
  if (state == "all") {
    open_only = false;
  } else if (!state.empty() && state != "open") {
    errors.Add("state", "invalid_value", "state 应为 open 或 all", "state must be open or all");
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.mental->Alerts(*c.who, open_only, *limit);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& a : *r) items.push_back(AlertRowJson(a));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

Result<Reply> Acknowledge(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.mental->Acknowledge(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(AlertRowJson(*r));
}

Result<Reply> Summary(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.mental->Summary(*c.who);
  if (!r.ok()) return r.status();
  const mh::PatientCounts& n = r->counts;
  return Json({{"as_of", FormatDate(r->as_of)},
               {"overdue", n.overdue},
               {"registered", n.registered},
               {"residents", n.residents},
               {"expected_patients", r->expected_patients},
               {"indicators",
                {{"SMD_REGISTERED_RATE", RateOrNull(r->registered_rate)},
                 {"SMD_STANDARD_MGMT", RateOrNull(r->standardised_rate)},
                 {"SMD_ADHERENCE", RateOrNull(r->adherence_rate)},
                 {"SMD_STABLE", RateOrNull(r->stable_rate)},
                 {"KEY_EHR_SMD", RateOrNull(r->electronic_file_rate)}}}});
}

}  // namespace

std::vector<Route> MentalRoutes() {
  return {
      {{"GET", "/api/v1/mental/patients", true}, false, List},
      {{"POST", "/api/v1/mental/patients", true}, true, Register},
      {{"GET", "/api/v1/mental/patients/{id}", true}, false, GetOne},
      {{"PATCH", "/api/v1/mental/patients/{id}", true}, true, Update},
      {{"POST", "/api/v1/mental/patients/{id}/follow-ups", true}, true, FollowUp},
      {{"POST", "/api/v1/mental/patients/{id}/emergencies", true}, true, Emergency},
      {{"GET", "/api/v1/mental/alerts", true}, false, Alerts},
      {{"POST", "/api/v1/mental/alerts/{id}/acknowledge", true}, false, Acknowledge},
      {{"GET", "/api/v1/mental/summary", true}, false, Summary},
  };
}

}  // namespace jd::http
