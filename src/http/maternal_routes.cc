// The maternal health API (孕产妇健康管理): a woman's pregnancies, registering one, its visits,
// risk assessments, delivery or end, and the centre's worklists. maternal/service.h holds the
// rules and the access decisions; this file reads request bodies into the service's typed inputs
// (every problem as a field error) and shapes its views as JSON.
#include <cmath>

#include "core/input.h"
#include "core/json_array.h"
#include "http/json_members.h"
#include "http/module_routes.h"
#include "maternal/service.h"

namespace jd::http {

namespace {

using maternal::ContactState;
using maternal::PregnancyView;
using nlohmann::json;

std::vector<std::string> CodeList(const json& j, const char* key, FieldErrors& errors) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array()) {
    errors.Add(key, "wrong_type", fmt::format("{} 应为代码列表", key),
               fmt::format("{} must be a list of codes", key));
    return out;
  }
  for (const auto& item : j[key]) {
    if (!item.is_string()) {
      errors.Add(key, "wrong_type", fmt::format("{} 应为代码列表", key),
                 fmt::format("{} must be a list of codes", key));
      return {};
    }
    if (auto e = CheckText(item.get<std::string>(), FieldKind::kCode, key)) {
      errors.Add(*e);
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

maternal::RiskInput ReadRisk(const json& j, FieldErrors& errors) {
  maternal::RiskInput r;
  r.height_cm = NumberMember(j, "height_cm", errors);
  r.weight_kg = NumberMember(j, "weight_kg", errors);
  r.haemoglobin_g_l = NumberMember(j, "haemoglobin_g_l", errors);
  r.platelets_10e9_l = NumberMember(j, "platelets_10e9_l", errors);
  r.hiv_positive = BoolMember(j, "hiv_positive", errors);
  r.syphilis_positive = BoolMember(j, "syphilis_positive", errors);
  r.hbsag_positive = BoolMember(j, "hbsag_positive", errors);
  r.conditions = CodeList(j, "conditions", errors);
  r.colour = OptionalTextMember(j, "colour", FieldKind::kCode, errors);
  if (r.colour && r.colour->empty()) r.colour.reset();
  return r;
}

maternal::VisitMeasures ReadMeasures(const json& j, FieldErrors& errors) {
  maternal::VisitMeasures m;
  m.systolic = IntMember(j, "systolic", errors);
  m.diastolic = IntMember(j, "diastolic", errors);
  m.weight_kg = NumberMember(j, "weight_kg", errors);
  m.fundal_height_cm = NumberMember(j, "fundal_height_cm", errors);
  m.fetal_heart_rate = IntMember(j, "fetal_heart_rate", errors);
  m.haemoglobin_g_l = NumberMember(j, "haemoglobin_g_l", errors);
  m.urine_protein = TextMember(j, "urine_protein", FieldKind::kCode, errors, "尿蛋白");
  m.advice = TextMember(j, "advice", FieldKind::kNote, errors, "指导意见");
  return m;
}

// The gestational age text "12+6" of a body member.
std::optional<maternal::GestationalAge> GaMember(const json& j, const char* key,
                                                 FieldErrors& errors) {
  auto text = OptionalTextMember(j, key, FieldKind::kCode, errors);
  if (!text || text->empty()) return std::nullopt;
  auto ga = maternal::ParseGestationalAge(*text);
  if (!ga) {
    errors.Add(key, "invalid_gestational_age", "孕周应写作“周+天”，如 12+6",
               "a gestational age is weeks+days, e.g. 12+6");
  }
  return ga;
}

Result<maternal::RegistrationInput> ReadRegistration(const json& j, Date today) {
  FieldErrors errors;
  maternal::RegistrationInput in;
  auto lmp = DateMember(j, "lmp", DateKind::kPastEvent, today, Presence::kRequired, errors);
  if (lmp) in.dating.lmp = *lmp;
  in.dating.ultrasound_date =
      DateMember(j, "ultrasound_date", DateKind::kPastEvent, today, Presence::kOptional, errors);
  in.dating.ultrasound_ga = GaMember(j, "ultrasound_ga", errors);
  in.dating.ultrasound_edd =
      DateMember(j, "ultrasound_edd", DateKind::kScheduled, today, Presence::kOptional, errors);
  in.registered_on =
      DateMember(j, "registered_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  if (j.contains("edd_rule") && !j["edd_rule"].is_null()) {
    std::string rule = TextMember(j, "edd_rule", FieldKind::kCode, errors);
    if (rule == "plus_280_days") {
      in.dating.rule = maternal::EddRule::kPlus280Days;
    } else if (rule != "naegele") {
      errors.Add("edd_rule", "invalid_value", "edd_rule 应为 naegele 或 plus_280_days",
                 "edd_rule must be naegele or plus_280_days");
    }
  }
  in.gravidity = IntMember(j, "gravidity", errors).value_or(1);
  in.parity = IntMember(j, "parity", errors).value_or(0);
  in.clinic = TextMember(j, "clinic", FieldKind::kCode, errors, "建册机构");
  in.risk = ReadRisk(j.value("risk", json::object()), errors);
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

Result<maternal::VisitInput> ReadVisit(const json& j, Date today) {
  FieldErrors errors;
  maternal::VisitInput in;
  std::string kind = TextMember(j, "kind", FieldKind::kCode, errors, "随访类型");
  if (kind.empty()) kind = "antenatal";
  if (auto k = maternal::ParseVisitKind(kind)) {
    in.kind = *k;
  } else if (!errors.Has("kind")) {
    errors.Add("kind", "invalid_value", "随访类型应为 antenatal、postpartum_home 或 postpartum_42d",
               "kind must be antenatal, postpartum_home or postpartum_42d");
  }
  // Any date is read; whether it fits the pregnancy is the service's rule (maternal::CheckVisit).
  auto date = DateMember(j, "date", DateKind::kAsOf, today, Presence::kRequired, errors);
  if (date) in.date = *date;
  in.clinic = TextMember(j, "clinic", FieldKind::kCode, errors, "检查机构");
  in.measures = ReadMeasures(j, errors);
  if (j.contains("risk") && j["risk"].is_object()) in.risk = ReadRisk(j["risk"], errors);
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

json ContactJson(const ContactState& c) {
  auto date = [](const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); };
  return {{"contact", maternal::ContactCode(c.contact)},
          {"label", maternal::ContactLabelZh(c.contact)},
          {"status", maternal::ContactStatusCode(c.status)},
          {"status_label", maternal::ContactStatusLabelZh(c.status)},
          {"window_start", date(c.window_start)},
          {"window_end", date(c.window_end)},
          {"overdue_until", date(c.overdue_until)},
          {"done_on", date(c.done_on)},
          {"on_time", c.on_time}};
}

json RiskJson(const maternal::RiskCatalogue& catalogue, const maternal::Pregnancy& p) {
  json required = json::array();
  const maternal::RiskColour* colour = catalogue.FindColour(p.risk_colour);
  std::vector<std::string> codes = colour ? colour->requires_codes : std::vector<std::string>{};
  for (const auto& c : p.risk_coexisting) {
    if (const auto* other = catalogue.FindColour(c)) {
      codes.insert(codes.end(), other->requires_codes.begin(), other->requires_codes.end());
    }
  }
  std::vector<std::string> seen;
  for (const auto& code : codes) {
    if (std::find(seen.begin(), seen.end(), code) != seen.end()) continue;
    seen.push_back(code);
    const auto* r = catalogue.FindRequirement(code);
    required.push_back({{"code", code}, {"zh", r ? r->zh : ""}, {"en", r ? r->en : ""}});
  }
  return {{"colour", p.risk_colour},
          {"colour_zh", colour ? colour->zh : ""},
          {"coexisting", p.risk_coexisting},
          {"assessed_on", p.risk_assessed_on ? json(FormatDate(*p.risk_assessed_on)) : json()},
          {"high_risk", p.high_risk},
          {"requires", required}};
}

json ViewJson(App& app, const PregnancyView& v) {
  const maternal::Pregnancy& p = v.pregnancy;
  const maternal::RiskCatalogue& catalogue = app.maternal->catalogue();
  auto date = [](const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); };
  auto num = [](const auto& x) { return x ? json(*x) : json(); };
  const bool pregnant = !p.delivered_on && !p.ended_on;
  json j = {
      {"id", p.id},
      {"person_id", p.person_id},
      {"clinic", p.clinic_code},
      {"lmp", FormatDate(p.dating.lmp)},
      {"edd", FormatDate(p.dating.edd)},
      {"dating_method", maternal::DatingMethodCode(p.dating.method)},
      {"ultrasound_date", date(p.ultrasound_date)},
      {"ultrasound_ga",
       p.ultrasound_ga ? json(maternal::FormatGestationalAge(*p.ultrasound_ga)) : json()},
      {"registered_on", FormatDate(p.registered_on)},
      {"registered_ga", maternal::FormatGestationalAge(p.dating.AgeOn(p.registered_on))},
      {"early_registration", v.schedule.early_registration},
      {"gravidity", p.gravidity},
      {"parity", p.parity},
      {"ga_today", pregnant ? json(maternal::FormatGestationalAge(v.ga_today)) : json()},
      {"status", p.closed_on ? "closed" : (p.delivered_on ? "delivered" : "pregnant")},
      {"risk", RiskJson(catalogue, p)},
      {"delivery",
       p.delivered_on
           ? json{{"delivered_on", FormatDate(*p.delivered_on)},
                  {"delivered_ga", maternal::FormatGestationalAge(p.dating.AgeOn(*p.delivered_on))},
                  {"discharged_on", date(p.discharged_on)},
                  {"mode",
                   p.delivery_mode ? json(maternal::DeliveryModeCode(*p.delivery_mode)) : json()},
                  {"place", p.delivery_place},
                  {"live_births", num(p.live_births)}}
           : json()},
      {"ended",
       p.ended_on
           ? json{{"ended_on", FormatDate(*p.ended_on)},
                  {"reason", p.end_reason ? json(maternal::EndReasonCode(*p.end_reason)) : json()}}
           : json()},
      {"closed_on", date(p.closed_on)},
      {"next_due_on", date(p.next_due_on)},
      {"antenatal_visits", p.antenatal_visits},
      {"infection_hidden", v.infection_hidden},
      {"version", p.version},
      {"as_of", FormatDate(v.as_of)},
  };
  if (auto org = app.registry->FindOrg(p.clinic_code)) j["clinic_name"] = org->name;
  json schedule = json::array();
  for (const auto& c : v.schedule.contacts) schedule.push_back(ContactJson(c));
  j["schedule"] = std::move(schedule);
  json extra = json::array();
  for (const auto& e : v.schedule.extra_visits) {
    extra.push_back({{"visit_id", v.visits.at(static_cast<std::size_t>(e.visit_id)).id},
                     {"date", FormatDate(e.date)},
                     {"kind", maternal::VisitKindCode(e.kind)},
                     {"reason", maternal::ExtraReasonCode(e.reason)}});
  }
  j["extra_visits"] = std::move(extra);
  json visits = json::array();
  for (const auto& x : v.visits) {
    const auto& m = x.measures;
    visits.push_back({{"id", x.id},
                      {"kind", maternal::VisitKindCode(x.kind)},
                      {"date", FormatDate(x.date)},
                      {"ga", x.ga ? json(maternal::FormatGestationalAge(*x.ga)) : json()},
                      {"clinic", x.clinic_code},
                      {"systolic", num(m.systolic)},
                      {"diastolic", num(m.diastolic)},
                      {"weight_kg", num(m.weight_kg)},
                      {"fundal_height_cm", num(m.fundal_height_cm)},
                      {"fetal_heart_rate", num(m.fetal_heart_rate)},
                      {"haemoglobin_g_l", num(m.haemoglobin_g_l)},
                      {"urine_protein", m.urine_protein},
                      {"advice", m.advice},
                      {"recorded_by", x.recorded_by}});
  }
  j["visits"] = std::move(visits);
  json assessments = json::array();
  for (const auto& a : v.assessments) {
    json conditions = json::array();
    for (const auto& code : a.conditions) {
      const auto* c = catalogue.FindCondition(code);
      conditions.push_back(
          {{"code", code},
           {"zh", c ? c->zh : ""},
           {"colour", c ? c->colour : ""},
           {"derived", std::find(a.derived.begin(), a.derived.end(), code) != a.derived.end()}});
    }
    assessments.push_back({{"id", a.id},
                           {"assessed_on", FormatDate(a.assessed_on)},
                           {"colour", a.colour},
                           {"coexisting", a.coexisting},
                           {"conditions", conditions},
                           {"stated_colour", a.stated_colour ? json(*a.stated_colour) : json()},
                           {"colour_set", a.colour_set},
                           {"recorded_by", a.recorded_by}});
  }
  j["assessments"] = std::move(assessments);
  json newborns = json::array();
  for (const auto& n : v.newborns) {
    newborns.push_back({{"seq", n.seq},
                        {"person_id", n.person_id},
                        {"name", n.name.empty() ? json() : json(n.name)},
                        {"sex", n.sex == registry::Sex::kMale ? "M" : "F"},
                        {"birth_weight_g", num(n.birth_weight_g)},
                        {"birth_length_cm", num(n.birth_length_cm)}});
  }
  j["newborns"] = std::move(newborns);
  return j;
}

Result<Reply> ListForPerson(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.maternal->ListForPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(ViewJson(app, v));
  return Json({{"items", items}});
}

Result<Reply> Register(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadRegistration(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.maternal->Register(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r), 201);
}

Result<Reply> GetPregnancy(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.maternal->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r));
}

Result<Reply> AddVisit(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadVisit(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.maternal->RecordVisit(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r), 201);
}

Result<Reply> AddAssessment(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::AssessmentInput in;
  in.assessed_on =
      DateMember(c.body, "assessed_on", DateKind::kAsOf, today, Presence::kOptional, errors)
          .value_or(today);
  in.risk = ReadRisk(c.body, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.maternal->Assess(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r), 201);
}

Result<Reply> Deliver(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::DeliveryInput in;
  auto delivered =
      DateMember(c.body, "delivered_on", DateKind::kAsOf, today, Presence::kRequired, errors);
  if (delivered) in.delivered_on = *delivered;
  in.discharged_on =
      DateMember(c.body, "discharged_on", DateKind::kAsOf, today, Presence::kOptional, errors);
  std::string mode = TextMember(c.body, "mode", FieldKind::kCode, errors, "分娩方式");
  if (auto m = maternal::ParseDeliveryMode(mode.empty() ? "vaginal" : mode)) {
    in.mode = *m;
  } else if (!errors.Has("mode")) {
    errors.Add("mode", "invalid_value", "分娩方式应为 vaginal、caesarean 或 assisted",
               "mode must be vaginal, caesarean or assisted");
  }
  in.place = TextMember(c.body, "place", FieldKind::kAddress, errors, "分娩地点");
  ForEachObject(c.body, "newborns", 8, errors, [&](const json& n, const std::string& at) {
    // Each child's errors carry its place in the list ("newborns[0].sex").
    FieldErrors own;
    maternal::NewbornInput child;
    child.name = TextMember(n, "name", FieldKind::kName, own, "新生儿姓名");
    std::string sex = TextMember(n, "sex", FieldKind::kCode, own, "性别");
    if (sex == "M" || sex == "F") {
      child.sex = sex == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
    } else if (!own.Has("sex")) {
      own.Add("sex", sex.empty() ? "required" : "invalid_value", "新生儿性别应为 M 或 F",
              "a newborn's sex is M or F");
    }
    child.birth_certificate_no =
        TextMember(n, "birth_certificate_no", FieldKind::kNumber, own, "出生医学证明编号");
    if (child.birth_certificate_no.empty() && !own.Has("birth_certificate_no")) {
      own.Add("birth_certificate_no", "required", "出生医学证明编号为必填项",
              "birth_certificate_no is required");
    }
    child.birth_weight_g = IntMember(n, "birth_weight_g", own);
    child.birth_length_cm = NumberMember(n, "birth_length_cm", own);
    for (FieldError e : own.errors()) {
      e.field = at + "." + e.field;
      errors.Add(std::move(e));
    }
    in.newborns.push_back(std::move(child));
  });
  in.live_births = IntMember(c.body, "live_births", errors)
                       .value_or(in.newborns.empty() ? 1 : static_cast<int>(in.newborns.size()));
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.maternal->RecordDelivery(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r));
}

Result<Reply> EndPregnancy(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::EndInput in;
  auto ended = DateMember(c.body, "ended_on", DateKind::kAsOf, today, Presence::kRequired, errors);
  if (ended) in.ended_on = *ended;
  std::string reason = TextMember(c.body, "reason", FieldKind::kCode, errors, "终止原因");
  if (auto r = maternal::ParseEndReason(reason)) {
    in.reason = *r;
  } else if (!errors.Has("reason")) {
    errors.Add("reason", "invalid_value",
               "终止原因应为 miscarriage、induced_abortion、ectopic、molar 或 other",
               "reason must be miscarriage, induced_abortion, ectopic, molar or other");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.maternal->End(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(app, *r));
}

Result<Reply> Worklist(App& app, Ctx& c, bool high_risk_only) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::WorklistQuery q;
  q.high_risk_only = high_risk_only;
  if (!high_risk_only) {
    q.due_by = DateParam(Param(c.req, "due_by"), "due_by", DateKind::kAsOf, today,
                         Presence::kOptional, errors)
                   .value_or(today);
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = limit.ok() ? *limit : 200;
  q.count_only = Param(c.req, "count_only") == "true";
  auto r = app.maternal->Worklist(*c.who, q);
  if (!r.ok()) return r.status();
  if (q.count_only) {
    return Json({{"items", json::array()}, {"total", r->size()}, {"as_of", FormatDate(today)}});
  }
  json items = json::array();
  for (const auto& item : *r) {
    const auto& p = item.pregnancy;
    const bool pregnant = !p.delivered_on && !p.ended_on;
    items.push_back(
        {{"id", p.id},
         {"person_id", p.person_id},
         {"name", item.person_name},
         {"residence_org", item.residence_org},
         {"clinic", p.clinic_code},
         {"edd", FormatDate(p.dating.edd)},
         {"ga_today", pregnant ? json(maternal::FormatGestationalAge(item.ga_today)) : json()},
         {"status", p.delivered_on ? "delivered" : "pregnant"},
         {"risk", RiskJson(app.maternal->catalogue(), p)},
         {"next_contact", item.next_contact ? ContactJson(*item.next_contact) : json()}});
  }
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}, {"as_of", FormatDate(today)}});
}

}  // namespace

std::vector<Route> MaternalRoutes() {
  std::vector<Route> routes = {
      {{"GET", "/api/v1/persons/{id}/pregnancies", true}, false, ListForPerson},
      {{"POST", "/api/v1/persons/{id}/pregnancies", true}, true, Register},
      {{"GET", "/api/v1/pregnancies/{id}", true}, false, GetPregnancy},
      {{"POST", "/api/v1/pregnancies/{id}/visits", true}, true, AddVisit},
      {{"POST", "/api/v1/pregnancies/{id}/risk-assessments", true}, true, AddAssessment},
      {{"POST", "/api/v1/pregnancies/{id}/delivery", true}, true, Deliver},
      {{"POST", "/api/v1/pregnancies/{id}/end", true}, true, EndPregnancy},
      {{"GET", "/api/v1/maternal/due", true},
       false,
       [](App& app, Ctx& c, const ServerOptions&) { return Worklist(app, c, false); }},
      {{"GET", "/api/v1/maternal/high-risk", true},
       false,
       [](App& app, Ctx& c, const ServerOptions&) { return Worklist(app, c, true); }},
  };
  for (Route& r : PmtctRoutes()) routes.push_back(std::move(r));
  for (Route& r : ReferralRoutes()) routes.push_back(std::move(r));
  return routes;
}

}  // namespace jd::http
