// The pre-pregnancy API (孕前优生健康检查 and 增补叶酸): a couple's checks read from either
// partner's record, recording one, folic-acid supplies and their status, and the catalogue of the
// 19 items; a person's premarital medical checks (婚前医学检查) and recording one.
// preconception/service.h holds the rules and the access decisions; this file reads
// request bodies into the service's typed inputs (every problem as a field error) and shapes its
// views as JSON.
#include <cmath>

#include "core/input.h"
#include "core/json_array.h"
#include "http/module_routes.h"
#include "preconception/service.h"

namespace jd::http {

namespace {

using nlohmann::json;
using preconception::CheckView;
using preconception::FolicView;
using preconception::PremaritalView;

// A list of codes: absent or null is none; anything but an array of code strings is "wrong_type".
std::vector<std::string> Codes(const json& j, const char* key, FieldErrors& errors) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  auto wrong = [&] {
    errors.Add(key, "wrong_type", fmt::format("{} 应为代码列表", key),
               fmt::format("{} must be a list of codes", key));
  };
  if (!j[key].is_array() || j[key].size() > 64) {
    wrong();
    return out;
  }
  for (const auto& item : j[key]) {
    if (!item.is_string()) {
      wrong();
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

Result<preconception::CheckInput> ReadCheck(const json& j, Date today) {
  FieldErrors errors;
  preconception::CheckInput in;
  in.check_date =
      DateMember(j, "check_date", DateKind::kPastEvent, today, Presence::kOptional, errors);
  in.clinic = TextMember(j, "clinic", FieldKind::kCode, errors, "检查机构");
  in.man_person_id = TextMember(j, "man_person_id", FieldKind::kCode, errors, "男方");
  in.man_name = TextMember(j, "man_name", FieldKind::kName, errors, "男方姓名");
  if (j.contains("man_examined") && !j["man_examined"].is_null()) {
    if (j["man_examined"].is_boolean()) {
      in.record.man_examined = j["man_examined"].get<bool>();
    } else {
      errors.Add("man_examined", "wrong_type", "man_examined 应为 true 或 false",
                 "man_examined must be true or false");
    }
  }
  in.record.woman_items = Codes(j, "woman_items", errors);
  in.record.man_items = Codes(j, "man_items", errors);
  in.record.risk_factors = Codes(j, "risk_factors", errors);
  ForEachObject(j, "results", 64, errors, [&](const json& r, const std::string& at) {
    FieldErrors own;
    preconception::ItemResult res;
    const std::string partner = TextMember(r, "partner", FieldKind::kCode, own, "检查对象");
    if (auto p = preconception::ParsePartner(partner)) {
      res.partner = *p;
    } else if (!own.Has("partner")) {
      own.Add("partner", "invalid_value", "检查对象应为 woman 或 man",
              "partner must be woman or man");
    }
    res.item = TextMember(r, "item", FieldKind::kCode, own, "检查项目");
    res.value = TextMember(r, "value", FieldKind::kCode, own, "检查结果");
    for (FieldError e : own.errors()) {
      e.field = at + "." + e.field;
      errors.Add(std::move(e));
    }
    in.record.results.push_back(std::move(res));
  });
  in.advice = TextMember(j, "advice", FieldKind::kNote, errors, "咨询指导意见");
  in.planned_pregnancy_on = DateMember(j, "planned_pregnancy_on", DateKind::kScheduled, today,
                                       Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

Result<preconception::PremaritalInput> ReadPremarital(const json& j, Date today) {
  FieldErrors errors;
  preconception::PremaritalInput in;
  in.check_date =
      DateMember(j, "check_date", DateKind::kPastEvent, today, Presence::kOptional, errors);
  in.clinic = TextMember(j, "clinic", FieldKind::kCode, errors, "检查机构");
  in.partner_person_id = TextMember(j, "partner_person_id", FieldKind::kCode, errors, "对方");
  in.partner_name = TextMember(j, "partner_name", FieldKind::kName, errors, "对方姓名");
  if (j.contains("close_relatives") && !j["close_relatives"].is_null()) {
    if (j["close_relatives"].is_boolean()) {
      in.record.close_relatives = j["close_relatives"].get<bool>();
    } else {
      errors.Add("close_relatives", "wrong_type", "close_relatives 应为 true 或 false",
                 "close_relatives must be true or false");
    }
  }
  ForEachObject(j, "findings", 32, errors, [&](const json& f, const std::string& at) {
    FieldErrors own;
    preconception::PremaritalFinding finding;
    finding.category = TextMember(f, "category", FieldKind::kCode, own, "检查类别");
    finding.state = TextMember(f, "state", FieldKind::kCode, own, "检查结论");
    finding.disease = TextMember(f, "disease", FieldKind::kCode, own, "病种");
    finding.diagnosis = TextMember(f, "diagnosis", FieldKind::kNote, own, "诊断");
    for (FieldError e : own.errors()) {
      e.field = at + "." + e.field;
      errors.Add(std::move(e));
    }
    in.record.findings.push_back(std::move(finding));
  });
  in.record.opinion = TextMember(j, "opinion", FieldKind::kCode, errors, "医学意见");
  in.advice = TextMember(j, "advice", FieldKind::kNote, errors, "指导意见");
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

json PremaritalJson(const PremaritalView& v) {
  const auto& c = v.check;
  json findings = json::array();
  for (const auto& f : c.record.findings) {
    findings.push_back({{"category", f.category},
                        {"state", f.state},
                        {"disease", f.disease.empty() ? json() : json(f.disease)},
                        {"diagnosis", f.diagnosis}});
  }
  const auto opinion = preconception::ParseOpinion(c.record.opinion);
  return {
      {"id", c.id},
      {"person_id", c.person_id},
      {"person_name", v.person_name},
      {"check_date", FormatDate(c.check_date)},
      {"clinic", c.clinic_code},
      {"partner",
       {{"person_id", c.partner_person_id.empty() ? json() : json(c.partner_person_id)},
        {"name", v.partner_name.empty() ? json() : json(v.partner_name)},
        {"registered", v.partner_registered}}},
      {"findings", std::move(findings)},
      {"close_relatives", c.record.close_relatives},
      {"opinion",
       {{"code", c.record.opinion},
        {"label_zh", opinion ? preconception::OpinionLabelZh(*opinion) : ""},
        {"label_en", opinion ? preconception::OpinionLabelEn(*opinion) : ""},
        {"reasons", v.indicated.reasons}}},
      {"advice", c.advice},
      {"recorded_at", c.recorded_at},
      {"recorded_by", c.recorded_by},
      {"version", c.version},
      {"infection_hidden", v.infection_hidden},
  };
}

json CodesJson(const std::vector<std::string>& codes) { return json(codes); }

json ViewJson(const CheckView& v, const std::string& asked_for) {
  const auto& c = v.check;
  json results = json::array();
  for (const auto& r : c.record.results) {
    const preconception::Item* item = preconception::FindItem(r.item);
    results.push_back({{"partner", preconception::PartnerCode(r.partner)},
                       {"item", r.item},
                       {"value", r.value.empty() ? json() : json(r.value)},
                       {"abnormal", item && preconception::IsAbnormal(*item, r.value)}});
  }
  return {
      {"id", c.id},
      {"as", asked_for == c.person_id ? "woman" : "man"},
      {"check_date", FormatDate(c.check_date)},
      {"clinic", c.clinic_code},
      {"woman",
       {{"person_id", c.person_id},
        {"name", v.woman_name},
        {"items", CodesJson(c.record.woman_items)},
        {"missing", CodesJson(v.completeness.woman_missing)}}},
      {"man",
       {{"person_id", c.man_person_id.empty() ? json() : json(c.man_person_id)},
        {"name", v.man_name.empty() ? json() : json(v.man_name)},
        {"registered", v.man_registered},
        {"examined", c.record.man_examined},
        {"items", CodesJson(c.record.man_items)},
        {"missing", CodesJson(v.completeness.man_missing)}}},
      {"complete", v.completeness.complete},
      {"results", std::move(results)},
      {"risk_factors", CodesJson(c.record.risk_factors)},
      {"risk", {{"group", preconception::RiskGroupCode(c.risk)}, {"reasons", c.risk_reasons}}},
      {"advice", c.advice},
      {"planned_pregnancy_on",
       c.planned_pregnancy_on ? json(FormatDate(*c.planned_pregnancy_on)) : json()},
      {"recorded_at", c.recorded_at},
      {"recorded_by", c.recorded_by},
      {"version", c.version},
      {"infection_hidden", v.infection_hidden},
  };
}

json FolicJson(const FolicView& v) {
  auto date = [](const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); };
  json supplies = json::array();
  for (const auto& s : v.supplies) {
    supplies.push_back({{"id", s.id},
                        {"supplied_on", FormatDate(s.supplied_on)},
                        {"quantity_days", s.quantity_days},
                        {"clinic", s.clinic_code},
                        {"recorded_by", s.recorded_by}});
  }
  const auto& p = v.plan;
  return {{"as_of", FormatDate(v.as_of)},
          {"dose_mg", preconception::kFolicDoseMg},
          {"supplies", std::move(supplies)},
          {"lmp", date(v.lmp)},
          {"planned_pregnancy_on", date(v.planned)},
          {"plan",
           {{"anchor", preconception::AnchorKindCode(p.anchor_kind)},
            {"window_start", date(p.window_start)},
            {"window_end", date(p.window_end)},
            {"window_days", p.window_days},
            {"started_on", date(p.started_on)},
            {"covered_until", date(p.covered_until)},
            {"days_elapsed", p.days_elapsed},
            {"days_covered", p.days_covered},
            {"status", preconception::FolicStatusCode(p.status)}}}};
}

Result<Reply> ListChecks(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.preconception->ListForPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(ViewJson(v, c.params[0]));
  return Json({{"items", std::move(items)}});
}

Result<Reply> RecordCheck(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadCheck(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.preconception->RecordCheck(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(ViewJson(*r, c.params[0]), 201);
}

Result<Reply> ListPremarital(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.preconception->ListPremarital(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(PremaritalJson(v));
  return Json({{"items", std::move(items)}});
}

Result<Reply> RecordPremarital(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadPremarital(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.preconception->RecordPremarital(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(PremaritalJson(*r), 201);
}

// The premarital check's categories, their states, the designated diseases and the opinions.
json PremaritalCatalogue() {
  json categories = json::array();
  for (const auto& cat : preconception::PremaritalCategories()) {
    json states = json::array();
    for (const auto& st : cat.states) {
      states.push_back(
          {{"code", st.code},
           {"label_zh", st.label_zh},
           {"label_en", st.label_en},
           {"calls_for", st.calls_for ? json(preconception::OpinionCode(*st.calls_for)) : json()},
           {"cite", st.cite}});
    }
    categories.push_back({{"code", cat.code},
                          {"label_zh", cat.label_zh},
                          {"label_en", cat.label_en},
                          {"states", std::move(states)},
                          {"cite", cat.cite}});
  }
  json diseases = json::array();
  for (const auto& d : preconception::DesignatedDiseases()) {
    diseases.push_back({{"code", d.code}, {"label_zh", d.label_zh}, {"label_en", d.label_en}});
  }
  json opinions = json::array();
  for (const auto o : preconception::Opinions()) {
    opinions.push_back({{"code", preconception::OpinionCode(o)},
                        {"label_zh", preconception::OpinionLabelZh(o)},
                        {"label_en", preconception::OpinionLabelEn(o)}});
  }
  return {{"categories", std::move(categories)},
          {"diseases", std::move(diseases)},
          {"opinions", std::move(opinions)}};
}

Result<Reply> SupplyFolic(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  preconception::SupplyInput in;
  in.supplied_on = DateMember(c.body, "supplied_on", DateKind::kPastEvent, app.clock->Today(),
                              Presence::kOptional, errors);
  const json& q = c.body.contains("quantity_days") ? c.body["quantity_days"] : json();
  if (q.is_number_integer()) {
    const auto days = q.get<long long>();
    in.quantity_days = days < 0 || days > 100000 ? 0 : static_cast<int>(days);
  } else if (q.is_null()) {
    errors.Add("quantity_days", "required", "发放天数为必填项", "quantity_days is required");
  } else {
    errors.Add("quantity_days", "wrong_type", "发放天数应为整数",
               "quantity_days must be a whole number");
  }
  in.clinic = TextMember(c.body, "clinic", FieldKind::kCode, errors, "发放机构");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.preconception->RecordSupply(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(FolicJson(*r), 201);
}

Result<Reply> GetFolic(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.preconception->FolicStatus(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(FolicJson(*r));
}

// The catalogue is reference data: the same for every user, no person in it.
Result<Reply> Items(App&, Ctx&, const ServerOptions&) {
  json items = json::array();
  for (const auto& i : preconception::Catalogue()) {
    items.push_back({{"number", i.number},
                     {"code", i.code},
                     {"label_zh", i.label_zh},
                     {"label_en", i.label_en},
                     {"for", preconception::ForCode(i.who)},
                     {"category", preconception::CategoryCode(i.category)},
                     {"values", preconception::Values(i)},
                     {"abnormal",
                      [&] {
                        json out = json::array();
                        for (const auto& v : preconception::Values(i)) {
                          if (preconception::IsAbnormal(i, v)) out.push_back(v);
                        }
                        return out;
                      }()},
                     {"cite", i.cite}});
  }
  json factors = json::array();
  for (const auto& f : preconception::RiskFactors()) {
    factors.push_back({{"code", f.code}, {"label_zh", f.label_zh}, {"label_en", f.label_en}});
  }
  return Json({{"items", std::move(items)},
               {"risk_factors", std::move(factors)},
               {"folic_acid",
                {{"dose_mg", preconception::kFolicDoseMg},
                 {"months_before", preconception::kFolicMonthsBefore},
                 {"until_days_after_lmp", preconception::kFirstTrimesterLastDay}}},
               {"premarital", PremaritalCatalogue()}});
}

}  // namespace

std::vector<Route> PreconceptionRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/preconception-checks", true}, false, ListChecks},
      {{"POST", "/api/v1/persons/{id}/preconception-checks", true}, true, RecordCheck},
      {{"GET", "/api/v1/persons/{id}/premarital-checks", true}, false, ListPremarital},
      {{"POST", "/api/v1/persons/{id}/premarital-checks", true}, true, RecordPremarital},
      {{"GET", "/api/v1/persons/{id}/folic-acid", true}, false, GetFolic},
      {{"POST", "/api/v1/persons/{id}/folic-acid", true}, true, SupplyFolic},
      {{"GET", "/api/v1/preconception/items", true}, false, Items},
  };
}

}  // namespace jd::http
