// The PMTCT API (预防艾滋病、梅毒和乙肝母婴传播): infection tests of a pregnancy, a person's
// cases with the plans of the mother and the baby, and the items done. maternal/pmtct_service.h
// holds the rules and the access decisions; this file reads bodies into the service's typed inputs
// (every problem as a field error) and shapes its views as JSON.
#include "core/input.h"
#include "http/module_routes.h"
#include "maternal/service.h"

namespace jd::http {

namespace {

using nlohmann::json;

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

json TestJson(const maternal::InfectionTest& t) {
  return {{"id", t.id},
          {"pregnancy_id", t.pregnancy_id},
          {"infection", maternal::PmtctInfectionCode(t.infection)},
          {"tested_on", FormatDate(t.tested_on)},
          {"result", maternal::InfectionResultCode(t.result)},
          {"recorded_by", t.recorded_by}};
}

json CaseJson(const maternal::PmtctCase& c) {
  return {{"id", c.id},
          {"pregnancy_id", c.pregnancy_id},
          {"mother_person_id", c.person_id},
          {"infection", maternal::PmtctInfectionCode(c.infection)},
          {"diagnosed_on", FormatDate(c.diagnosed_on)},
          {"hiv_high_exposure_risk", c.hiv_high_exposure_risk},
          {"hiv_12m_antibody_negative", c.hiv_12m_antibody_negative},
          {"syphilis_prophylaxis_indicated", c.syphilis_prophylaxis_indicated},
          {"opened_by", c.opened_by},
          {"closed_on", DateOrNull(c.closed_on)}};
}

json CaseViewJson(const maternal::PmtctCaseView& v) {
  json j = CaseJson(v.pmtct_case);
  j["delivered_on"] = DateOrNull(v.delivered_on);
  json plans = json::array();
  for (const auto& p : v.plans) {
    json plan = maternal::PmtctPlanToJson(p.plan);
    plan["subject"] = maternal::PmtctSubjectCode(p.subject);
    plan["person_id"] = p.person_id;
    plan["name"] = p.name.empty() ? json() : json(p.name);
    plans.push_back(std::move(plan));
  }
  j["plans"] = std::move(plans);
  json records = json::array();
  for (const auto& r : v.records) {
    records.push_back(
        {{"id", r.id},
         {"item", r.item},
         {"subject", maternal::PmtctSubjectCode(r.subject)},
         {"infant_person_id", r.infant_person_id.empty() ? json() : json(r.infant_person_id)},
         {"done_on", FormatDate(r.done_on)},
         {"recorded_by", r.recorded_by}});
  }
  j["records"] = std::move(records);
  return j;
}

Result<Reply> AddInfectionTest(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::InfectionTestInput in;
  std::string infection = TextMember(c.body, "infection", FieldKind::kCode, errors, "感染");
  if (auto i = maternal::ParsePmtctInfection(infection)) {
    in.infection = *i;
  } else if (!errors.Has("infection")) {
    errors.Add("infection", infection.empty() ? "required" : "invalid_value",
               "感染应为 hiv（艾滋病）、syphilis（梅毒）或 hbv（乙肝）",
               "infection must be hiv, syphilis or hbv");
  }
  std::string result = TextMember(c.body, "result", FieldKind::kCode, errors, "检测结果");
  if (auto r = maternal::ParseInfectionResult(result)) {
    in.result = *r;
  } else if (!errors.Has("result")) {
    errors.Add("result", result.empty() ? "required" : "invalid_value",
               "检测结果应为 negative（阴性）、positive（阳性）或 indeterminate（不确定）",
               "result must be negative, positive or indeterminate");
  }
  // Any date is read; whether it fits the pregnancy is the service's rule.
  auto tested =
      DateMember(c.body, "tested_on", DateKind::kAsOf, today, Presence::kOptional, errors);
  in.tested_on = tested.value_or(today);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.maternal->RecordInfectionTest(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  json tests = json::array(), cases = json::array();
  for (const auto& t : r->tests) tests.push_back(TestJson(t));
  for (const auto& x : r->cases) cases.push_back(CaseJson(x));
  return Json({{"test", TestJson(r->test)},
               {"opened_case", r->opened ? CaseJson(*r->opened) : json()},
               {"tests", std::move(tests)},
               {"cases", std::move(cases)},
               {"risk", {{"colour", r->risk_colour}, {"coexisting", r->risk_coexisting}}}},
              201);
}

Result<Reply> PmtctForPerson(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.maternal->PmtctForPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array(), tests = json::array();
  for (const auto& v : r->cases) items.push_back(CaseViewJson(v));
  for (const auto& t : r->tests) tests.push_back(TestJson(t));
  return Json({{"items", std::move(items)},
               {"tests", std::move(tests)},
               {"rules", maternal::kPmtctRules},
               {"as_of", FormatDate(r->as_of)},
               {"infection_hidden", r->infection_hidden}});
}

Result<Reply> AddPmtctRecord(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::PmtctItemInput in;
  in.item = TextMember(c.body, "item", FieldKind::kCode, errors, "随访项目");
  if (in.item.empty() && !errors.Has("item")) {
    errors.Add("item", "required", "随访项目为必填项", "item is required");
  }
  auto done = DateMember(c.body, "done_on", DateKind::kAsOf, today, Presence::kOptional, errors);
  in.done_on = done.value_or(today);
  in.infant_person_id = TextMember(c.body, "infant_person_id", FieldKind::kCode, errors, "婴儿");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.maternal->RecordPmtctItem(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(CaseViewJson(*r), 201);
}

}  // namespace

std::vector<Route> PmtctRoutes() {
  return {
      {{"POST", "/api/v1/pregnancies/{id}/infection-tests", true}, true, AddInfectionTest},
      {{"GET", "/api/v1/persons/{id}/pmtct", true}, false, PmtctForPerson},
      {{"POST", "/api/v1/pmtct-cases/{id}/records", true}, true, AddPmtctRecord},
  };
}

}  // namespace jd::http
