// The health-education API (education/service.h): record, list, read and void the activities of
// the service points, read their linked attendees, and a point's year or every point of the
// caller's area measured against the norms of 规范 第三版 健康教育服务规范 二(二). This file reads
// bodies and queries into the service's typed inputs (every problem as a field error in Chinese
// and English) and shapes its views as JSON.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/input.h"
#include "education/service.h"
#include "http/json_members.h"
#include "http/module_routes.h"

namespace jd::http {

namespace {

using nlohmann::json;
namespace ed = jd::education;

constexpr const char* kKinds =
    "lecture, consultation, free_clinic, bulletin_board, material_distribution, video_screening";
constexpr const char* kVenues =
    "community, enterprise, market, construction_site, school, industrial_park";
constexpr const char* kFormats = "printed, audio_video";

// A count member (attendance, quantity): a whole number; its range is the rules' check
// (education/norms.h CheckActivity), so an absurd figure is "too_large" there, not a type error.
std::optional<int> CountMember(const json& j, const std::string& key, FieldErrors& errors) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  const json& v = j[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) ||
      v.get<double>() != std::floor(v.get<double>())) {
    errors.Add(key, "wrong_type", key + " 应为整数", key + " must be a whole number");
    return std::nullopt;
  }
  const double d = v.get<double>();
  constexpr double kMax = std::numeric_limits<int>::max(), kMin = std::numeric_limits<int>::min();
  return static_cast<int>(std::clamp(d, kMin, kMax));
}

void ReadMaterials(const json& body, ed::Activity& a, FieldErrors& errors) {
  auto it = body.find("materials");
  if (it == body.end() || it->is_null()) return;
  if (!it->is_array()) {
    errors.Add("materials", "wrong_type", "资料应为数组", "materials must be an array");
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& m = (*it)[i];
    const std::string at = fmt::format("materials[{}]", i);
    if (!m.is_object()) {
      errors.Add(at, "wrong_type", "资料应为对象", "a material must be an object");
      continue;
    }
    FieldErrors own;
    ed::Material out;
    out.title = TextMember(m, "title", FieldKind::kShortText, own, "资料名称");
    if (auto f = EnumMember<ed::MaterialFormat>(m, "format", "资料形式", kFormats,
                                                ed::ParseMaterialFormat, true, own)) {
      out.format = *f;
    }
    if (auto q = CountMember(m, "quantity", own)) out.quantity = *q;
    for (FieldError e : own.errors()) {
      e.field = at + "." + e.field;
      errors.Add(std::move(e));
    }
    a.materials.push_back(std::move(out));
  }
}

std::vector<std::string> ReadAttendees(const json& body, FieldErrors& errors) {
  std::vector<std::string> out;
  auto it = body.find("attendees");
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    errors.Add("attendees", "wrong_type", "参加者应为人员编号数组",
               "attendees must be an array of person ids");
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      errors.Add(fmt::format("attendees[{}]", i), "wrong_type", "参加者应为人员编号",
                 "an attendee must be a person id");
      continue;
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

json ActivityJson(const ed::ActivityRow& r) {
  json materials = json::array();
  for (const ed::Material& m : r.activity.materials) {
    materials.push_back({{"title", m.title},
                         {"format", ed::MaterialFormatCode(m.format)},
                         {"quantity", m.quantity}});
  }
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  return {{"id", r.id},
          {"point_id", r.point_id},
          {"point_name", r.point_name},
          {"kind", ed::ActivityKindCode(r.activity.kind)},
          {"venue", ed::VenueCode(r.activity.venue)},
          {"held_on", FormatDate(r.activity.date)},
          {"topic", r.topic},
          {"organiser", r.organiser},
          {"attendance", r.activity.attendance},
          {"board", r.activity.board},
          {"materials", std::move(materials)},
          {"attendees", r.attendees},
          {"voided", r.voided_at.has_value()},
          {"voided_at", opt(r.voided_at)},
          {"voided_by", opt(r.voided_by)},
          {"void_reason", opt(r.void_reason)},
          {"recorded_at", r.recorded_at},
          {"recorded_by", r.recorded_by}};
}

json PointYearJson(const ed::PointYear& p) {
  json norms = json::array();
  for (const ed::NormResult& n : p.measure.norms) {
    json gaps = json::array();
    for (const ed::BoardGap& g : n.gaps) {
      gaps.push_back({{"board", g.board},
                      {"from", FormatDate(g.from)},
                      {"to", FormatDate(g.to)},
                      {"open", g.open},
                      {"days", g.days}});
    }
    norms.push_back({{"id", n.id},
                     {"measure", n.measure},
                     {"section", n.section},
                     {"label_zh", n.label_zh},
                     {"label_en", n.label_en},
                     {"required", n.required},
                     {"due", n.due},
                     {"actual", n.actual},
                     {"shortfall", n.shortfall},
                     {"met", n.met},
                     {"gaps", std::move(gaps)}});
  }
  return {{"point_id", p.point_id},
          {"name", p.name},
          {"org_code", p.org_code},
          {"kind", network::PointKindCode(p.kind)},
          {"type", p.type ? json(ed::PointTypeCode(*p.type)) : json()},
          {"year", p.measure.year},
          {"period_end", p.type ? json(FormatDate(p.measure.period_end)) : json()},
          {"behind", p.behind},
          {"gaps", p.gaps},
          {"norms", std::move(norms)}};
}

Result<int> YearParam(App& app, Ctx& c) {
  const int this_year = static_cast<int>(app.clock->Today().year());
  return IntParam(c.req, "year", this_year, 2000, 9999);
}

Result<Reply> RecordActivity(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  ed::ActivityInput in;
  in.point_id = TextMember(c.body, "point_id", FieldKind::kCode, errors, "服务点");
  if (in.point_id.empty() && !errors.Has("point_id")) {
    errors.Add("point_id", "required", "服务点为必填项", "point_id is required");
  }
  ed::Activity& a = in.activity;
  if (auto k = EnumMember<ed::ActivityKind>(c.body, "kind", "活动形式", kKinds,
                                            ed::ParseActivityKind, true, errors)) {
    a.kind = *k;
  }
  if (auto v = EnumMember<ed::Venue>(c.body, "venue", "活动场所", kVenues, ed::ParseVenue, true,
                                     errors)) {
    a.venue = *v;
  }
  // The rules check the range (CheckActivity: in_future, too_early); here only the form.
  if (auto d = DateMember(c.body, "held_on", DateKind::kAsOf, app.clock->Today(),
                          Presence::kRequired, errors)) {
    a.date = *d;
  }
  in.topic = TextMember(c.body, "topic", FieldKind::kShortText, errors, "主题");
  in.organiser = TextMember(c.body, "organiser", FieldKind::kShortText, errors, "组织者");
  a.board = TextMember(c.body, "board", FieldKind::kShortText, errors, "宣传栏");
  if (auto n = CountMember(c.body, "attendance", errors)) a.attendance = *n;
  ReadMaterials(c.body, a, errors);
  in.attendee_ids = ReadAttendees(c.body, errors);
  if (!errors.empty()) {
    // The rules' checks too, so that one answer lists every problem.
    for (FieldError& e : ed::CheckActivity(a, app.clock->Today())) {
      if (e.field == "date") e.field = "held_on";
      if (!errors.Has(e.field)) errors.Add(std::move(e));
    }
    return errors.ToStatus();
  }
  auto r = app.education->Record(*c.who, in);
  if (!r.ok()) return r.status();
  return Json(ActivityJson(*r), 201);
}

Result<Reply> ListActivities(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  ed::ActivityFilter f;
  f.point_id = Param(c.req, "point_id");
  if (c.req.has_param("year")) {
    auto y = IntParam(c.req, "year", 0, 2000, 9999);
    if (!y.ok())
      errors.Append(y.status().field_errors());
    else
      f.year = *y;
  }
  const std::string kind = Param(c.req, "kind");
  if (!kind.empty()) {
    f.kind = ed::ParseActivityKind(kind);
    if (!f.kind) {
      errors.Add("kind", "invalid_value", std::string("活动形式应为 ") + kKinds,
                 std::string("kind must be one of ") + kKinds);
    }
  }
  f.include_voided = Param(c.req, "voided") == "true";
  auto limit = IntParam(c.req, "limit", 500, 1, 5000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  f.limit = *limit;
  auto r = app.education->List(*c.who, f);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const ed::ActivityRow& a : *r) items.push_back(ActivityJson(a));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

Result<Reply> GetActivity(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.education->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(ActivityJson(*r));
}

Result<Reply> VoidActivity(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const std::string reason = TextMember(c.body, "reason", FieldKind::kNote, errors, "作废原因");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.education->Void(*c.who, c.params[0], reason);
  if (!r.ok()) return r.status();
  return Json(ActivityJson(*r));
}

Result<Reply> Attendees(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.education->Attendees(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const ed::AttendeeRow& a : r->attendees) {
    items.push_back({{"person_id", a.person_id}, {"name", a.name}});
  }
  return Json(
      {{"activity_id", r->activity_id}, {"items", std::move(items)}, {"outside", r->outside}});
}

Result<Reply> PointNorms(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int year, YearParam(app, c));
  auto r = app.education->PointNorms(*c.who, c.params[0], year);
  if (!r.ok()) return r.status();
  json j = PointYearJson(*r);
  j["as_of"] = FormatDate(app.clock->Today());
  return Json(std::move(j));
}

Result<Reply> AreaNorms(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int year, YearParam(app, c));
  const std::string behind = Param(c.req, "behind");
  if (!behind.empty() && behind != "true" && behind != "false") {
    return Invalid("behind", "invalid_value", "behind 应为 true 或 false",
                   "behind must be true or false");
  }
  auto r = app.education->AreaNorms(*c.who, year, behind == "true");
  if (!r.ok()) return r.status();
  json points = json::array();
  int behind_points = 0;
  for (const ed::PointYear& p : r->points) {
    behind_points += p.behind > 0 ? 1 : 0;
    points.push_back(PointYearJson(p));
  }
  return Json({{"year", r->year},
               {"as_of", FormatDate(r->as_of)},
               {"total", r->points.size()},
               {"behind", behind_points},
               {"points", std::move(points)}});
}

}  // namespace

std::vector<Route> EducationRoutes() {
  return {
      {{"GET", "/api/v1/education/activities", true}, false, ListActivities},
      {{"POST", "/api/v1/education/activities", true}, true, RecordActivity},
      {{"GET", "/api/v1/education/activities/{id}", true}, false, GetActivity},
      {{"POST", "/api/v1/education/activities/{id}/void", true}, true, VoidActivity},
      {{"GET", "/api/v1/education/activities/{id}/attendees", true}, false, Attendees},
      {{"GET", "/api/v1/education/norms", true}, false, AreaNorms},
      {{"GET", "/api/v1/education/points/{id}/norms", true}, false, PointNorms},
  };
}

}  // namespace jd::http
