// The HIV and TB care API: a person's HIV care record (free ART, 四免一关怀) with its follow-ups
// and schedule, the TB treatment courses (国家基本公共卫生服务规范（第三版）肺结核患者健康管理)
// with their visits, outcome and schedule, and the worklist of open and overdue courses.
// disease/hivtb_service.h holds the rules and the access decisions; this file reads bodies into
// the service's typed inputs (every problem as a field error in Chinese and English) and shapes
// its views as JSON.
#include <cmath>

#include "core/input.h"
#include "disease/hivtb_service.h"
#include "http/json_members.h"
#include "http/module_routes.h"
#include "http/preconditions.h"

namespace jd::http {

namespace {

using nlohmann::json;

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

json AdherenceJson(const disease::TbAdherence& a) {
  return {{"taken", a.taken},
          {"prescribed", a.prescribed},
          {"ratio", a.ratio ? json(*a.ratio) : json()},
          {"regular", a.regular}};
}

json HivViewJson(const disease::HivCareView& v) {
  json out = {{"rules", disease::kHivRules}, {"as_of", FormatDate(v.as_of)}};
  json pmtct = json::array();
  for (const auto& p : v.pmtct) {
    pmtct.push_back({{"case_id", p.case_id},
                     {"infection", p.infection},
                     {"stage", p.stage},
                     {"diagnosed_on", FormatDate(p.diagnosed_on)}});
  }
  out["pmtct"] = std::move(pmtct);
  if (!v.care) {
    out["care"] = nullptr;
    return out;
  }
  const disease::HivCare& c = *v.care;
  out["care"] = {{"id", c.id},
                 {"person_id", c.person_id},
                 {"diagnosed_on", FormatDate(c.diagnosed_on)},
                 {"art_started_on", DateOrNull(c.art_started_on)},
                 {"regimen", c.regimen},
                 {"treating_unit", c.treating_unit},
                 {"status", disease::HivCareStatusCode(c.status)},
                 {"version", c.version},
                 {"updated_by", c.updated_by}};
  json follow_ups = json::array();
  for (const auto& f : v.follow_ups) {
    follow_ups.push_back({{"id", f.id},
                          {"followed_on", FormatDate(f.followed_on)},
                          {"cd4", f.cd4 ? json(*f.cd4) : json()},
                          {"viral_load", f.viral_load ? json(*f.viral_load) : json()},
                          {"doses_taken", f.doses_taken},
                          {"doses_missed", f.doses_missed},
                          {"notes", f.notes},
                          {"recorded_by", f.recorded_by}});
  }
  out["follow_ups"] = std::move(follow_ups);
  json items = json::array();
  bool overdue = false;
  if (v.plan) {
    overdue = v.plan->overdue;
    for (const auto& i : v.plan->items) {
      items.push_back({{"item", disease::HivItemCode(i.item)},
                       {"months", i.months},
                       {"due", FormatDate(i.due)},
                       {"window_end", FormatDate(i.window_end)},
                       {"status", disease::TbDueStatusCode(i.status)},
                       {"done_on", DateOrNull(i.done_on)}});
    }
  }
  out["schedule"] = std::move(items);
  out["overdue"] = overdue;
  out["adherence"] = AdherenceJson(v.adherence);
  return out;
}

json CourseJson(const disease::TbCourseView& v, bool with_visits) {
  const disease::TbCourse& c = v.course;
  const disease::TbCoursePlan& p = v.plan;
  json out = {{"id", c.id},
              {"person_id", c.person_id},
              {"person_name", v.person_name},
              {"notified_on", FormatDate(c.notified_on)},
              {"started_on", FormatDate(c.started_on)},
              {"regimen", disease::TbRegimenCode(c.regimen)},
              {"regimen_label_zh", p.regimen->label_zh},
              {"regimen_label_en", p.regimen->label_en},
              {"treating_unit", c.treating_unit},
              {"phase", disease::TbPhaseCode(p.phase)},
              {"intensive_end", FormatDate(p.intensive_end)},
              {"planned_end", FormatDate(p.planned_end)},
              {"outcome", c.outcome ? json(disease::TbOutcomeCode(*c.outcome)) : json()},
              {"outcome_on", DateOrNull(c.outcome_on)},
              {"overdue", p.overdue},
              {"visit_count", p.visits},
              {"adherence", AdherenceJson(p.adherence)},
              {"as_of", FormatDate(v.as_of)}};
  json schedule = json::array();
  for (const auto& d : p.schedule) {
    schedule.push_back({{"kind", disease::TbVisitKindCode(d.kind)},
                        {"phase", disease::TbPhaseCode(d.phase)},
                        {"due", FormatDate(d.due)},
                        {"window_end", FormatDate(d.window_end)},
                        {"status", disease::TbDueStatusCode(d.status)},
                        {"done_on", DateOrNull(d.done_on)}});
  }
  out["schedule"] = std::move(schedule);
  if (with_visits) {
    out["rules"] = disease::kTbRules;
    out["outcome_note"] = c.outcome_note;
    json visits = json::array();
    for (const auto& r : v.visits) {
      visits.push_back({{"id", r.id},
                        {"date", FormatDate(r.visit.date)},
                        {"doses_taken", r.visit.doses_taken},
                        {"doses_missed", r.visit.doses_missed},
                        {"sputum", disease::SputumCode(r.visit.sputum)},
                        {"notes", r.notes},
                        {"recorded_by", r.recorded_by}});
    }
    out["visits"] = std::move(visits);
  }
  return out;
}

// A count of doses: a whole number from 0 to 1000 (a course has at most ~600 daily doses).
int DosesMember(const json& body, const char* key, FieldErrors& errors) {
  auto n = IntMember(body, key, errors);
  if (n && (*n < 0 || *n > 1000)) {
    errors.Add(key, "out_of_range", fmt::format("{} 应为 0–1000 之间的整数", key),
               fmt::format("{} must be from 0 to 1000", key));
    return 0;
  }
  return n.value_or(0);
}

// A laboratory value within [0, hi].
std::optional<int> LabMember(const json& body, const char* key, double hi, FieldErrors& errors) {
  auto v = NumberMember(body, key, errors);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > hi || *v != std::floor(*v)) {
    errors.Add(key, "out_of_range", fmt::format("{} 应为 0–{:.0f} 之间的整数", key, hi),
               fmt::format("{} must be a whole number from 0 to {:.0f}", key, hi));
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<Date> RequiredDate(const json& body, const char* key, Date today,
                                 FieldErrors& errors) {
  return DateMember(body, key, DateKind::kPastEvent, today, Presence::kRequired, errors);
}

// The HIV view with the record's version as its ETag (the If-Match of the next change).
Result<Reply> HivReply(const Result<disease::HivCareView>& r, int status) {
  if (!r.ok()) return r.status();
  Reply reply = Json(HivViewJson(*r), status);
  if (r->care) reply.headers.push_back({"ETag", fmt::format("\"{}\"", r->care->version)});
  return reply;
}

Result<Reply> GetHivCare(App& app, Ctx& c, const ServerOptions&) {
  return HivReply(app.hivtb->GetHivCare(*c.who, c.params[0]), 200);
}

Result<Reply> PutHivCare(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::HivCareChange in;
  auto diagnosed = RequiredDate(c.body, "diagnosed_on", today, errors);
  in.diagnosed_on = diagnosed.value_or(today);
  in.art_started_on = DateMember(c.body, "art_started_on", DateKind::kPastEvent, today,
                                 Presence::kOptional, errors);
  in.regimen = TextMember(c.body, "regimen", FieldKind::kShortText, errors, "治疗方案");
  in.treating_unit = TextMember(c.body, "treating_unit", FieldKind::kCode, errors, "治疗机构");
  std::string status = TextMember(c.body, "status", FieldKind::kCode, errors, "治疗状态");
  if (auto s = disease::ParseHivCareStatus(status)) {
    in.status = *s;
  } else if (!errors.Has("status")) {
    errors.Add("status", status.empty() ? "required" : "invalid_value",
               "治疗状态应为 not_started、on_art、stopped、transferred_out、died 或 lost",
               "status must be not_started, on_art, stopped, transferred_out, died or lost");
  }
  if (!errors.empty()) return errors.ToStatus();
  std::optional<int> version;
  if (c.req.has_header("If-Match")) {
    auto v = RequiredVersion(c);
    if (!v.ok()) return v.status();
    version = *v;
  }
  return HivReply(app.hivtb->PutHivCare(*c.who, c.params[0], in, version), 200);
}

Result<Reply> AddHivFollowUp(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::HivFollowUpInput in;
  auto on = RequiredDate(c.body, "followed_on", today, errors);
  in.followed_on = on.value_or(today);
  // CD4 in cells/µL, viral load in copies/mL (plausible upper bounds).
  in.cd4 = LabMember(c.body, "cd4", 5000, errors);
  in.viral_load = LabMember(c.body, "viral_load", 1e9, errors);
  in.doses_taken = DosesMember(c.body, "doses_taken", errors);
  in.doses_missed = DosesMember(c.body, "doses_missed", errors);
  in.notes = TextMember(c.body, "notes", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  return HivReply(app.hivtb->AddHivFollowUp(*c.who, c.params[0], in), 201);
}

Result<Reply> PersonTbCourses(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.hivtb->CoursesOfPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(CourseJson(v, /*with_visits=*/true));
  return Json({{"items", std::move(items)}, {"rules", disease::kTbRules}});
}

Result<Reply> OpenTbCourse(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::TbCourseCreate in;
  auto notified = RequiredDate(c.body, "notified_on", today, errors);
  in.notified_on = notified.value_or(today);
  auto started = RequiredDate(c.body, "started_on", today, errors);
  in.started_on = started.value_or(today);
  std::string regimen = TextMember(c.body, "regimen", FieldKind::kCode, errors, "治疗方案");
  if (auto g = disease::ParseTbRegimen(regimen)) {
    in.regimen = *g;
  } else if (!errors.Has("regimen")) {
    errors.Add("regimen", regimen.empty() ? "required" : "invalid_value",
               "治疗方案应为 new_6m（初治）、retreatment_8m（复治）或 drug_resistant（耐药）",
               "regimen must be new_6m, retreatment_8m or drug_resistant");
  }
  in.treating_unit = TextMember(c.body, "treating_unit", FieldKind::kCode, errors, "治疗机构");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.hivtb->OpenCourse(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(CourseJson(*r, /*with_visits=*/true), 201);
}

Result<Reply> GetTbCourse(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.hivtb->GetCourse(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(CourseJson(*r, /*with_visits=*/true));
}

Result<Reply> AddTbVisit(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::TbVisitInput in;
  auto date = RequiredDate(c.body, "date", today, errors);
  in.date = date.value_or(today);
  in.doses_taken = DosesMember(c.body, "doses_taken", errors);
  in.doses_missed = DosesMember(c.body, "doses_missed", errors);
  std::string sputum = TextMember(c.body, "sputum", FieldKind::kCode, errors, "痰检结果");
  if (sputum.empty()) sputum = "none";
  if (auto s = disease::ParseSputum(sputum)) {
    in.sputum = *s;
  } else if (!errors.Has("sputum")) {
    errors.Add("sputum", "invalid_value", "痰检结果应为 none、negative（阴性）或 positive（阳性）",
               "sputum must be none, negative or positive");
  }
  in.notes = TextMember(c.body, "notes", FieldKind::kNote, errors, "备注");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.hivtb->RecordVisit(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(CourseJson(*r, /*with_visits=*/true), 201);
}

Result<Reply> SetTbOutcome(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::TbOutcomeInput in;
  std::string outcome = TextMember(c.body, "outcome", FieldKind::kCode, errors, "治疗转归");
  if (auto o = disease::ParseTbOutcome(outcome)) {
    in.outcome = *o;
  } else if (!errors.Has("outcome")) {
    errors.Add("outcome", outcome.empty() ? "required" : "invalid_value",
               "治疗转归应为 cured（治愈）、completed（完成疗程）、failed（失败）、died（死亡）或 "
               "lost（失访）",
               "outcome must be cured, completed, failed, died or lost");
  }
  auto on =
      DateMember(c.body, "outcome_on", DateKind::kPastEvent, today, Presence::kOptional, errors);
  in.on = on.value_or(today);
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "说明");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.hivtb->RecordOutcome(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(CourseJson(*r, /*with_visits=*/true));
}

Result<Reply> TbWorklist(App& app, Ctx& c, const ServerOptions&) {
  const std::string overdue = Param(c.req, "overdue");
  if (!overdue.empty() && overdue != "0" && overdue != "1") {
    return Invalid("overdue", "invalid_value", "overdue 应为 0 或 1", "overdue must be 0 or 1");
  }
  auto r = app.hivtb->Worklist(*c.who, overdue == "1");
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(CourseJson(v, /*with_visits=*/false));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

}  // namespace

std::vector<Route> HivTbRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/hiv-care", true}, false, GetHivCare},
      {{"PUT", "/api/v1/persons/{id}/hiv-care", true}, true, PutHivCare},
      {{"POST", "/api/v1/persons/{id}/hiv-care/follow-ups", true}, true, AddHivFollowUp},
      {{"GET", "/api/v1/persons/{id}/tb-courses", true}, false, PersonTbCourses},
      {{"POST", "/api/v1/persons/{id}/tb-courses", true}, true, OpenTbCourse},
      {{"GET", "/api/v1/tb-courses", true}, false, TbWorklist},
      {{"GET", "/api/v1/tb-courses/{id}", true}, false, GetTbCourse},
      {{"POST", "/api/v1/tb-courses/{id}/visits", true}, true, AddTbVisit},
      {{"POST", "/api/v1/tb-courses/{id}/outcome", true}, true, SetTbOutcome},
  };
}

}  // namespace jd::http
