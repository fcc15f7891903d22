// The family-planning API (流动人口计划生育基本公共服务, 南宁市实施办法 四(七)) under
// /api/v1/family-planning: the area's register of women of reproductive age with the guidance and
// free-service coverage of the year, a person's record, recording and voiding methods,
// distributions of free contraceptives (to a person or anonymously at a point), procedures, checks
// and guidance, reward facts and the payment list (JSON and .xlsx). family_planning/service.h
// holds the rules and the access decisions; this file reads request bodies into the service's
// typed inputs (every problem as a field error) and shapes its views as JSON.
#include <fmt/format.h>

#include <cmath>

#include "core/input.h"
#include "family_planning/service.h"
#include "http/json_members.h"
#include "http/module_routes.h"

namespace jd::http {

namespace {

using nlohmann::json;
namespace fp = family_planning;

json DateJson(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

json EntryJson(const fp::Entry& e) {
  json j = {{"id", e.id},
            {"kind", std::string(fp::RecordKindCode(e.kind))},
            {"person_id", e.person_id.empty() ? json() : json(e.person_id)},
            {"on", FormatDate(e.on)},
            {"code", e.code},
            {"recorded_at", e.recorded_at},
            {"recorded_by", e.recorded_by},
            {"voided", e.voided()},
            {"voided_at", e.voided() ? json(e.voided_at) : json()},
            {"void_reason", e.voided() ? json(e.void_reason) : json()}};
  switch (e.kind) {
    case fp::RecordKind::kMethod: {
      const auto m = fp::ParseMethod(e.code);
      j["method"] = e.code;
      j["label_zh"] = m ? std::string(fp::MethodLabelZh(*m)) : e.code;
      j["started_on"] = FormatDate(e.on);
      j["ended_on"] = DateJson(e.ended_on);
      j["note"] = e.note;
      break;
    }
    case fp::RecordKind::kDistribution: {
      j["item"] = e.code;
      if (auto i = fp::ParseItem(e.code)) {
        const auto& cap = fp::DefaultCaps().Of(*i);
        j["label_zh"] = cap.label_zh;
        j["unit_zh"] = cap.unit_zh;
      }
      j["quantity"] = e.quantity;
      j["dispensed_on"] = FormatDate(e.on);
      j["point_id"] = e.point_id.empty() ? json() : json(e.point_id);
      j["point_name"] = e.point_name.empty() ? json() : json(e.point_name);
      j["anonymous"] = e.person_id.empty();
      break;
    }
    case fp::RecordKind::kProcedure: {
      j["procedure"] = e.code;
      if (auto p = fp::ParseProcedure(e.code)) {
        j["label_zh"] = fp::DefaultProcedures().Of(*p).label_zh;
      }
      j["done_on"] = FormatDate(e.on);
      j["point_id"] = e.point_id.empty() ? json() : json(e.point_id);
      j["note"] = e.note;
      break;
    }
    case fp::RecordKind::kCheck:
      j["check_kind"] = e.code;
      j["checked_on"] = FormatDate(e.on);
      j["result"] = e.result;
      j["note"] = e.note;
      break;
    case fp::RecordKind::kGuidance:
      j["topic"] = e.code;
      j["given_on"] = FormatDate(e.on);
      break;
  }
  return j;
}

json ProcedureJson(const fp::ProcedureView& v) {
  json j = EntryJson(v.entry);
  json days = json::array();
  for (const Date& d : v.follow_ups) days.push_back(FormatDate(d));
  j["follow_ups"] = std::move(days);
  j["next_follow_up"] = DateJson(v.next_follow_up);
  j["follow_up_due"] = v.follow_up_due;
  return j;
}

json OutcomesJson(const std::vector<fp::RewardOutcome>& outcomes) {
  json out = json::array();
  for (const auto& o : outcomes) {
    json failed = json::array();
    for (const auto& f : o.failed) {
      failed.push_back({{"fact", f.condition.fact}, {"zh", f.detail_zh}, {"en", f.detail_en}});
    }
    out.push_back({{"id", o.id},
                   {"label_zh", o.label_zh},
                   {"label_en", o.label_en},
                   {"seed_criteria", o.seed_criteria},
                   {"eligible", o.eligible},
                   {"failed", std::move(failed)}});
  }
  return out;
}

json RewardJson(const fp::RewardView& v) {
  const auto& f = v.facts;
  return {{"year", f.year},
          {"facts",
           {{"floating", f.floating},
            {"practises_family_planning", f.practises_family_planning},
            {"hardship", f.hardship},
            {"only_child_certificate", f.only_child_certificate},
            {"children_born", f.children_born},
            {"living_children", f.living_children},
            {"child_disabled_grade_3", f.child_disabled_grade_3},
            {"woman_age", f.woman_age}}},
          {"recorded_at", f.recorded_at},
          {"recorded_by", f.recorded_by},
          {"outcomes", OutcomesJson(v.outcomes)}};
}

json CoverageJson(const fp::Coverage& c) {
  return {{"numerator", c.numerator},
          {"denominator", c.denominator},
          {"percent", c.denominator == 0
                          ? json()
                          : json(std::round(1000.0 * c.numerator / c.denominator) / 10.0)}};
}

// The body's date member `key` as a past event (1900..today), optional.
std::optional<Date> Day(const json& body, const char* key, Date today, FieldErrors& errors) {
  return DateMember(body, key, DateKind::kPastEvent, today, Presence::kOptional, errors);
}

Result<Reply> Created(Result<fp::Entry> r) {
  if (!r.ok()) return r.status();
  return Json(EntryJson(*r), 201);
}

Result<Reply> Register(App& app, Ctx& c, const ServerOptions&) {
  auto limit = IntParam(c.req, "limit", 2000, 1, 10000);
  if (!limit.ok()) return limit.status();
  auto r = app.family_planning->Register(*c.who, Param(c.req, "area"), *limit);
  if (!r.ok()) return r.status();
  json rows = json::array();
  for (const auto& w : r->rows) {
    rows.push_back({{"person_id", w.person_id},
                    {"name", w.name},
                    {"residence_org", w.residence_org},
                    {"age", w.age},
                    {"married", w.married},
                    {"method", w.method ? json(w.method->code) : json()},
                    {"method_label_zh",
                     w.method && fp::ParseMethod(w.method->code)
                         ? json(std::string(fp::MethodLabelZh(*fp::ParseMethod(w.method->code))))
                         : json()},
                    {"last_guidance", DateJson(w.last_guidance)},
                    {"last_free_service", DateJson(w.last_free_service)},
                    {"guided_this_year", w.guided_this_year},
                    {"served_this_year", w.served_this_year},
                    {"follow_ups_due", w.follow_ups_due}});
  }
  return Json({{"as_of", FormatDate(r->as_of)},
               {"from", FormatDate(r->from)},
               {"to", FormatDate(r->to)},
               {"women", r->women},
               {"follow_ups_due", r->follow_ups_due},
               {"coverage",
                {{"FP_GUIDANCE", CoverageJson(r->guidance)},
                 {"FP_FREE_CONTRACEPTION", CoverageJson(r->free_service)}}},
               {"rows_included", r->rows_included},
               {"items", std::move(rows)}});
}

Result<Reply> PersonRecord(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.family_planning->RecordOf(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  auto list = [](const std::vector<fp::Entry>& v) {
    json out = json::array();
    for (const auto& e : v) out.push_back(EntryJson(e));
    return out;
  };
  json procedures = json::array();
  for (const auto& p : r->procedures) procedures.push_back(ProcedureJson(p));
  json received = json::array();
  for (const auto& [item, qty] : r->received_this_year) {
    const auto& cap = fp::DefaultCaps().Of(item);
    received.push_back({{"item", std::string(fp::ItemCode(item))},
                        {"label_zh", cap.label_zh},
                        {"unit_zh", cap.unit_zh},
                        {"quantity", qty},
                        {"yearly_cap", cap.yearly_cap ? json(*cap.yearly_cap) : json()}});
  }
  json rewards = json::array();
  for (const auto& v : r->rewards) rewards.push_back(RewardJson(v));
  return Json({{"person_id", r->person_id},
               {"name", r->name},
               {"sex", r->sex == fp::Sex::kFemale ? "F" : "M"},
               {"birth_date", FormatDate(r->birth)},
               {"as_of", FormatDate(r->as_of)},
               {"woman_of_reproductive_age", r->woman_of_reproductive_age},
               {"methods", list(r->methods)},
               {"distributions", list(r->distributions)},
               {"procedures", std::move(procedures)},
               {"checks", list(r->checks)},
               {"guidance", list(r->guidance)},
               {"received_this_year", std::move(received)},
               {"rewards", std::move(rewards)}});
}

Result<Reply> RecordMethod(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  fp::MethodInput in;
  if (auto m = EnumMember<fp::Method>(c.body, "method", "避孕方法",
                                      "female_sterilisation, male_sterilisation, iud, implant, "
                                      "oral_pill, injection, condom, spermicide, emergency, other",
                                      fp::ParseMethod, true, errors)) {
    in.method = *m;
  }
  in.started_on = Day(c.body, "started_on", app.clock->Today(), errors);
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  return Created(app.family_planning->RecordMethod(*c.who, c.params[0], in));
}

Result<fp::DistributionInput> ReadDistribution(const json& body, Date today) {
  FieldErrors errors;
  fp::DistributionInput in;
  if (auto i = EnumMember<fp::Item>(body, "item", "药具",
                                    "oral_pill, emergency_pill, injectable, spermicide, condom",
                                    fp::ParseItem, true, errors)) {
    in.item = *i;
  }
  if (auto q = IntMember(body, "quantity", errors)) {
    in.quantity = *q;
  } else if (!errors.Has("quantity")) {
    errors.Add("quantity", "required", "数量为必填项", "quantity is required");
  }
  in.dispensed_on = Day(body, "dispensed_on", today, errors);
  in.point_id = TextMember(body, "point_id", FieldKind::kCode, errors, "发放点");
  if (!errors.empty()) return errors.ToStatus();
  return in;
}

Result<Reply> RecordDistribution(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(auto in, ReadDistribution(c.body, app.clock->Today()));
  return Created(app.family_planning->RecordDistribution(*c.who, c.params[0], in));
}

Result<Reply> RecordAnonymous(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(auto in, ReadDistribution(c.body, app.clock->Today()));
  return Created(app.family_planning->RecordAnonymousDistribution(*c.who, in));
}

Result<Reply> PointDistributions(App& app, Ctx& c, const ServerOptions&) {
  auto limit = IntParam(c.req, "limit", 500, 1, 5000);
  if (!limit.ok()) return limit.status();
  auto r = app.family_planning->PointDistributions(*c.who, *limit);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& e : *r) items.push_back(EntryJson(e));
  return Json({{"items", std::move(items)}});
}

Result<Reply> RecordProcedure(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  fp::ProcedureInput in;
  if (auto p = EnumMember<fp::Procedure>(
          c.body, "procedure", "手术",
          "iud_insertion, iud_removal, implant_insertion, implant_removal, tubal_ligation, "
          "vasectomy, tubal_reversal, vasectomy_reversal",
          fp::ParseProcedure, true, errors)) {
    in.procedure = *p;
  }
  in.done_on = Day(c.body, "done_on", app.clock->Today(), errors);
  in.point_id = TextMember(c.body, "point_id", FieldKind::kCode, errors, "服务点");
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.family_planning->RecordProcedure(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(ProcedureJson(*r), 201);
}

Result<Reply> RecordCheck(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  fp::CheckInput in;
  if (auto k = EnumMember<fp::CheckKind>(c.body, "kind", "检查类别",
                                         "pregnancy_iud, reproductive_health", fp::ParseCheckKind,
                                         true, errors)) {
    in.kind = *k;
  }
  in.checked_on = Day(c.body, "checked_on", app.clock->Today(), errors);
  in.result = TextMember(c.body, "result", FieldKind::kCode, errors, "检查结果");
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  return Created(app.family_planning->RecordCheck(*c.who, c.params[0], in));
}

Result<Reply> RecordGuidance(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  fp::GuidanceInput in;
  in.given_on = Day(c.body, "given_on", app.clock->Today(), errors);
  in.topic = TextMember(c.body, "topic", FieldKind::kShortText, errors, "指导内容");
  if (!errors.empty()) return errors.ToStatus();
  return Created(app.family_planning->RecordGuidance(*c.who, c.params[0], in));
}

Handler VoidOf(fp::RecordKind kind) {
  return [kind](App& app, Ctx& c, const ServerOptions&) -> Result<Reply> {
    FieldErrors errors;
    const std::string reason = TextMember(c.body, "reason", FieldKind::kNote, errors, "作废原因");
    if (!errors.empty()) return errors.ToStatus();
    auto r = app.family_planning->Void(*c.who, kind, c.params[0], reason);
    if (!r.ok()) return r.status();
    return Json(EntryJson(*r));
  };
}

Result<Reply> PutRewardFacts(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const auto year = IntMember(c.body, "year", errors);
  if (!year && !errors.Has("year")) {
    errors.Add("year", "required", "年度为必填项", "year is required");
  }
  fp::RewardFacts f;
  f.floating = BoolMember(c.body, "floating", errors);
  f.practises_family_planning = BoolMember(c.body, "practises_family_planning", errors);
  f.hardship = BoolMember(c.body, "hardship", errors);
  f.only_child_certificate = BoolMember(c.body, "only_child_certificate", errors);
  f.child_disabled_grade_3 = BoolMember(c.body, "child_disabled_grade_3", errors);
  f.children_born = IntMember(c.body, "children_born", errors).value_or(0);
  f.living_children = IntMember(c.body, "living_children", errors).value_or(0);
  f.woman_age = IntMember(c.body, "woman_age", errors).value_or(0);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.family_planning->PutRewardFacts(*c.who, c.params[0], *year, f);
  if (!r.ok()) return r.status();
  return Json(RewardJson(*r), 201);
}

Result<int> YearParam(App& app, Ctx& c) {
  const int this_year = static_cast<int>(app.clock->Today().year());
  return IntParam(c.req, "year", this_year, 1900, this_year);
}

Result<Reply> Payments(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int year, YearParam(app, c));
  auto r = app.family_planning->Payments(*c.who, year);
  if (!r.ok()) return r.status();
  json lines = json::array();
  for (const auto& l : r->lines) {
    lines.push_back({{"person_id", l.person_id.empty() ? json() : json(l.person_id)},
                     {"name", l.name},
                     {"residence_org", l.residence_org},
                     {"year", l.year},
                     {"rule_id", l.rule_id},
                     {"label_zh", l.label_zh},
                     {"label_en", l.label_en},
                     {"seed_criteria", l.seed_criteria},
                     {"paid_on", l.paid_on.empty() ? json() : json(l.paid_on)}});
  }
  return Json({{"year", r->year}, {"names_masked", r->names_masked}, {"items", std::move(lines)}});
}

Result<Reply> PaymentsWorkbook(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int year, YearParam(app, c));
  auto r = app.family_planning->Payments(*c.who, year);
  if (!r.ok()) return r.status();
  auto bytes = fp::FpService::PaymentsXlsx(*r);
  if (!bytes.ok()) return bytes.status();
  Reply reply;
  reply.raw = std::move(*bytes);
  reply.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  reply.headers.emplace_back("Content-Disposition",
                             fmt::format("attachment; filename=\"fp-payments-{}.xlsx\"", year));
  return reply;
}

Result<Reply> MarkPaid(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  const std::string person = TextMember(c.body, "person_id", FieldKind::kCode, errors, "对象");
  const std::string rule = TextMember(c.body, "rule_id", FieldKind::kCode, errors, "项目");
  const auto year = IntMember(c.body, "year", errors);
  const auto paid_on =
      DateMember(c.body, "paid_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  if (!year && !errors.Has("year")) {
    errors.Add("year", "required", "年度为必填项", "year is required");
  }
  if (!errors.empty()) return errors.ToStatus();
  JD_RETURN_IF_ERROR(
      app.family_planning->MarkPaid(*c.who, person, *year, rule, paid_on.value_or(today)));
  return Json({{"person_id", person},
               {"year", *year},
               {"rule_id", rule},
               {"paid_on", FormatDate(paid_on.value_or(today))}},
              201);
}

}  // namespace

std::vector<Route> FamilyPlanningRoutes() {
  const std::string base = "/api/v1/family-planning";
  return {
      {{"GET", base + "/register", true}, false, Register},
      {{"GET", base + "/persons/{id}", true}, false, PersonRecord},
      {{"POST", base + "/persons/{id}/methods", true}, true, RecordMethod},
      {{"POST", base + "/persons/{id}/distributions", true}, true, RecordDistribution},
      {{"POST", base + "/persons/{id}/procedures", true}, true, RecordProcedure},
      {{"POST", base + "/persons/{id}/checks", true}, true, RecordCheck},
      {{"POST", base + "/persons/{id}/guidance", true}, true, RecordGuidance},
      {{"POST", base + "/persons/{id}/reward-facts", true}, true, PutRewardFacts},
      {{"GET", base + "/distributions", true}, false, PointDistributions},
      {{"POST", base + "/distributions", true}, true, RecordAnonymous},
      {{"POST", base + "/methods/{id}/void", true}, true, VoidOf(fp::RecordKind::kMethod)},
      {{"POST", base + "/distributions/{id}/void", true},
       true,
       VoidOf(fp::RecordKind::kDistribution)},
      {{"POST", base + "/procedures/{id}/void", true}, true, VoidOf(fp::RecordKind::kProcedure)},
      {{"POST", base + "/checks/{id}/void", true}, true, VoidOf(fp::RecordKind::kCheck)},
      {{"POST", base + "/guidance/{id}/void", true}, true, VoidOf(fp::RecordKind::kGuidance)},
      {{"GET", base + "/payments", true}, false, Payments},
      {{"GET", base + "/payments.xlsx", true}, false, PaymentsWorkbook},
      {{"POST", base + "/payments", true}, true, MarkPaid},
  };
}

}  // namespace jd::http
