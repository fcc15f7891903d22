// The child health API (0～6岁儿童健康管理): a child's card with the schedule, the check-ups and
// their WHO z-scores and the newborn screening, recording a check-up or a screening result, the
// WHO growth curves for the charts and the centre's
// list of children with a check-up due. child/service.h holds the rules and the access decisions;
// this file reads request bodies into the service's typed inputs (every problem as a field error)
// and shapes its views as JSON.
#include <cmath>

#include "child/service.h"
#include "core/input.h"
#include "http/json_members.h"
#include "http/module_routes.h"

namespace jd::http {

namespace {

using child::ChildCard;
using child::GrowthStandards;
using nlohmann::json;

json Num(const std::optional<double>& x) { return x ? json(*x) : json(); }
json Z(const std::optional<double>& z) { return z ? json(child::RoundZ(*z)) : json(); }
json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

// A code member that must be one of a few values, read with `parse`.
template <typename T, typename Parse>
std::optional<T> EnumMember(const json& j, const char* key, Parse parse, const char* values,
                            FieldErrors& errors) {
  std::string code = TextMember(j, key, FieldKind::kCode, errors);
  if (code.empty()) return std::nullopt;
  std::optional<T> v = parse(code);
  if (!v) {
    errors.Add(key, "invalid_value", fmt::format("{} 应为 {}", key, values),
               fmt::format("{} must be one of {}", key, values));
  }
  return v;
}

Result<child::CheckupRecordInput> ReadCheckup(const json& j, Date today) {
  FieldErrors errors;
  child::CheckupRecordInput in;
  in.kind = EnumMember<child::ContactKind>(
      j, "kind", [](const std::string& c) { return child::ContactFromCode(c); },
      "newborn_visit, month_1, m3, m6, m8, m12, m18, m24, m30, m36, y4, y5, y6", errors);
  // Any date is read; whether it fits the child is the service's rule.
  auto date = DateMember(j, "date", DateKind::kAsOf, today, Presence::kRequired, errors);
  if (date) in.date = *date;
  in.clinic = TextMember(j, "clinic", FieldKind::kCode, errors, "检查机构");
  in.weight_kg = NumberMember(j, "weight_kg", errors);
  in.length_height_cm = NumberMember(j, "length_height_cm", errors);
  in.measure = EnumMember<child::LengthMeasure>(
      j, "measure", [](const std::string& c) { return child::ParseMeasure(c); },
      "recumbent, standing", errors);
  in.head_cm = NumberMember(j, "head_cm", errors);
  in.haemoglobin_g_l = NumberMember(j, "haemoglobin_g_l", errors);
  in.hearing = EnumMember<child::HearingResult>(
      j, "hearing", [](const std::string& c) { return child::ParseHearing(c); }, "pass, refer",
      errors);
  in.development = EnumMember<child::DevelopmentResult>(
      j, "development", [](const std::string& c) { return child::ParseDevelopment(c); },
      "normal, abnormal", errors);
  in.vision = TextMember(j, "vision", FieldKind::kCode, errors, "视力");
  in.feeding_guidance = BoolMember(j, "feeding_guidance", errors);
  in.tcm_guidance = BoolMember(j, "tcm_guidance", errors);
  in.advice = TextMember(j, "advice", FieldKind::kNote, errors, "指导意见");
  in.discharged_on =
      DateMember(j, "discharged_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

Result<child::ScreeningRecordInput> ReadScreening(const json& j, Date today) {
  FieldErrors errors;
  child::ScreeningRecordInput in;
  if (!j.is_object()) {
    errors.Add("", "wrong_type", "输入应为 JSON 对象", "the input must be a JSON object");
    return errors.ToStatus();
  }
  auto record = child::ScreeningRecordFromJson(j, "", today, errors);
  if (record) in.record = *record;
  in.facility_code = TextMember(j, "facility_code", FieldKind::kCode, errors, "筛查机构");
  in.facility_name = TextMember(j, "facility_name", FieldKind::kShortText, errors, "筛查机构名称");
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

json ScreeningJson(const ChildCard& card) {
  json j = child::ScreeningPlanToJson(card.screening_input, card.screening);
  json results = json::array();
  for (const auto& r : card.screenings) {
    results.push_back(
        {{"id", r.id},
         {"kind", child::ScreeningKindCode(r.record.kind)},
         {"date", FormatDate(r.record.date)},
         {"result", child::ScreenResultCode(r.record.result)},
         {"diagnosis",
          r.record.diagnosis ? json(child::ScreenDiagnosisCode(*r.record.diagnosis)) : json()},
         {"facility_code", r.facility_code.empty() ? json() : json(r.facility_code)},
         {"facility_name", r.facility_name},
         {"recorded_at", r.recorded_at},
         {"recorded_by", r.recorded_by}});
  }
  j["results"] = std::move(results);
  return j;
}

json CheckupJson(const child::CheckupView& v) {
  const child::Checkup& c = v.checkup;
  const child::GrowthZScores& z = v.z;
  const child::NutritionStatus& n = v.nutrition;
  json nutrition = json::array();
  for (auto [on, code] : {std::pair{n.underweight, "underweight"},
                          {n.severe_underweight, "severe_underweight"},
                          {n.stunted, "stunted"},
                          {n.severe_stunted, "severe_stunted"},
                          {n.wasted, "wasted"},
                          {n.severe_wasted, "severe_wasted"},
                          {n.overweight, "overweight"},
                          {n.obese, "obese"}}) {
    if (on) nutrition.push_back(code);
  }
  return {{"id", c.id},
          {"date", FormatDate(c.date)},
          {"age_days", v.age_days},
          {"kind", c.kind ? json(child::ContactCode(*c.kind)) : json()},
          {"contact", v.contact ? json(child::ContactCode(*v.contact)) : json()},
          {"clinic", c.clinic_code},
          {"weight_kg", Num(c.weight_kg)},
          {"length_height_cm", Num(c.length_height_cm)},
          {"measure", child::MeasureCode(v.measure)},
          {"head_cm", Num(c.head_cm)},
          {"haemoglobin_g_l", Num(c.haemoglobin_g_l)},
          {"hearing", c.hearing ? json(child::HearingCode(*c.hearing)) : json()},
          {"development", c.development ? json(child::DevelopmentCode(*c.development)) : json()},
          {"vision", c.vision},
          {"feeding_guidance", c.feeding_guidance},
          {"tcm_guidance", c.tcm_guidance},
          {"advice", c.advice},
          {"discharged_on", DateOrNull(c.discharged_on)},
          {"z",
           {{"waz", Z(z.waz)},
            {"lhaz", Z(z.lhaz)},
            {"wlhz", Z(z.wlhz)},
            {"baz", Z(z.baz)},
            {"hcz", Z(z.hcz)},
            {"height_based", z.height_based},
            {"bmi", Num(z.bmi)},
            {"flags", z.flags}}},
          {"nutrition", std::move(nutrition)},
          {"recorded_by", c.recorded_by}};
}

json CardJson(const ChildCard& card) {
  json j = child::CheckupPlanToJson(card.schedule_input, card.plan);
  j["person_id"] = card.person_id;
  j["name"] = card.name;
  j["sex"] = card.sex == child::Sex::kMale ? "M" : "F";
  j["birth_date"] = FormatDate(card.birth);
  j["age_days"] = DaysBetween(card.birth, card.as_of);
  j["discharge_date"] = DateOrNull(card.discharge);
  j["as_of"] = FormatDate(card.as_of);
  json birth;
  if (card.birth_here) {
    const child::BirthLink& b = *card.birth_here;
    birth = {{"pregnancy_id", b.pregnancy_id},
             {"discharged_on", DateOrNull(b.discharged_on)},
             {"birth_weight_g", b.birth_weight_g ? json(*b.birth_weight_g) : json()},
             {"birth_length_cm", Num(b.birth_length_cm)}};
  }
  j["birth"] = std::move(birth);
  j["mother_pregnancy_id"] = card.birth_here ? json(card.birth_here->pregnancy_id) : json();
  json checkups = json::array();
  for (const auto& v : card.checkups) checkups.push_back(CheckupJson(v));
  j["checkups"] = std::move(checkups);
  j["screening"] = ScreeningJson(card);
  return j;
}

Result<Reply> GetCard(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.child->Card(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(CardJson(*r));
}

Result<Reply> AddCheckup(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadCheckup(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.child->RecordCheckup(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(CardJson(*r), 201);
}

Result<Reply> AddScreening(App& app, Ctx& c, const ServerOptions&) {
  auto in = ReadScreening(c.body, app.clock->Today());
  if (!in.ok()) return in.status();
  auto r = app.child->RecordScreening(*c.who, c.params[0], *in);
  if (!r.ok()) return r.status();
  return Json(CardJson(*r), 201);
}

// The value at z of an LMS row (WHO Child Growth Standards 2006, ch. 7: the inverse of the LMS
// transformation), the SD curves of the charts.
double LmsValue(const child::Lms& p, double z) {
  if (std::abs(p.l) < 1e-12) return p.m * std::exp(p.s * z);
  return p.m * std::pow(1 + p.l * p.s * z, 1 / p.l);
}

// The WHO −3…+3 SD curves of one indicator and sex: by age every 7 days from birth to 5 years
// (1856 days, the tables' last row), or every 0.5 cm for weight-for-length (45–110 cm) and
// weight-for-height (65–120 cm, measure=height).
Result<Reply> Curves(App&, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const std::string indicator = Param(c.req, "indicator");
  const std::string sex = Param(c.req, "sex");
  const std::string measure = Param(c.req, "measure");
  using Table = GrowthStandards::Table;
  std::optional<Table> table;
  if (indicator == "wfa") table = Table::kWfa;
  if (indicator == "lhfa") table = Table::kLhfa;
  if (indicator == "bfa") table = Table::kBfa;
  if (indicator == "hcfa") table = Table::kHcfa;
  if (indicator == "wflh") table = measure == "height" ? Table::kWfh : Table::kWfl;
  if (!table) {
    errors.Add("indicator", "invalid_value", "indicator 应为 wfa、lhfa、wflh、bfa 或 hcfa",
               "indicator must be wfa, lhfa, wflh, bfa or hcfa");
  }
  if (sex != "M" && sex != "F") {
    errors.Add("sex", "invalid_value", "sex 应为 M 或 F", "sex must be M or F");
  }
  if (!measure.empty() && measure != "length" && measure != "height") {
    errors.Add("measure", "invalid_value", "measure 应为 length 或 height",
               "measure must be length or height");
  }
  if (!errors.empty()) return errors.ToStatus();
  const child::Sex s = sex == "M" ? child::Sex::kMale : child::Sex::kFemale;
  const bool by_length = *table == Table::kWfl || *table == Table::kWfh;
  double from = 0, to = 1856, step = 7;
  if (*table == Table::kWfl) from = 45, to = 110, step = 0.5;
  if (*table == Table::kWfh) from = 65, to = 120, step = 0.5;
  json x = json::array();
  std::map<std::string, json> sd;
  const int kSds[] = {-3, -2, -1, 0, 1, 2, 3};
  for (int z : kSds) sd[std::to_string(z)] = json::array();
  const auto& standards = GrowthStandards::Builtin();
  for (double at = from; at <= to + 1e-9; at += step) {
    auto row = standards.At(*table, s, at);
    if (!row) continue;
    x.push_back(at);
    for (int z : kSds) {
      sd[std::to_string(z)].push_back(std::round(LmsValue(*row, z) * 1000) / 1000);
    }
  }
  return Json({{"indicator", indicator},
               {"sex", sex},
               {"x_unit", by_length ? "cm" : "days"},
               {"y_unit", *table == Table::kBfa                                ? "kg/m2"
                          : (*table == Table::kLhfa || *table == Table::kHcfa) ? "cm"
                                                                               : "kg"},
               {"source", "WHO Child Growth Standards (2006)"},
               {"x", std::move(x)},
               {"sd", sd}});
}

Result<Reply> Due(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  child::DueQuery q;
  q.due_by = DateParam(Param(c.req, "due_by"), "due_by", DateKind::kAsOf, today,
                       Presence::kOptional, errors)
                 .value_or(today);
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = limit.ok() ? *limit : 200;
  q.count_only = Param(c.req, "count_only") == "true";
  auto r = app.child->Due(*c.who, q);
  if (!r.ok()) return r.status();
  if (q.count_only) {
    return Json({{"items", json::array()}, {"total", r->size()}, {"as_of", FormatDate(today)}});
  }
  json items = json::array();
  for (const auto& item : *r) {
    items.push_back({{"person_id", item.person_id},
                     {"name", item.name},
                     {"sex", item.sex == child::Sex::kMale ? "M" : "F"},
                     {"birth_date", FormatDate(item.birth)},
                     {"residence_org", item.residence_org},
                     {"next",
                      {{"code", child::ContactCode(item.next.kind)},
                       {"label_zh", child::ContactLabelZh(item.next.kind)},
                       {"label_en", child::ContactLabelEn(item.next.kind)},
                       {"status", child::StatusCode(item.next.status)},
                       {"window_start", FormatDate(item.next.window_start)},
                       {"window_end", FormatDate(item.next.window_end)}}}});
  }
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}, {"as_of", FormatDate(today)}});
}

}  // namespace

std::vector<Route> ChildRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/child-health", true}, false, GetCard},
      {{"POST", "/api/v1/persons/{id}/child-checkups", true}, true, AddCheckup},
      {{"POST", "/api/v1/persons/{id}/newborn-screenings", true}, true, AddScreening},
      {{"GET", "/api/v1/growth/curves", true}, false, Curves},
      {{"GET", "/api/v1/child-checkups/due", true}, false, Due},
  };
}

}  // namespace jd::http
