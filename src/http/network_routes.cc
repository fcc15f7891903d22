// The service-network API (network/service.h): list, create and change service points and
// gathering places, record the "六个一" checklist of a demonstration point, record a community's
// position, the per-district figures, and the ten-minute circle of an area over the stored points.
// This file reads bodies and queries into the service's typed inputs (every problem as a field
// error in Chinese and English) and shapes its views as JSON. Positions are answered in WGS-84;
// they are accepted in WGS-84 or GCJ-02 ("coord_system": "wgs84", the default, or "gcj02", the
// datum of Chinese web maps) and stored in WGS-84.
#include <cmath>

#include "core/input.h"
#include "http/json_members.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "network/service.h"

namespace jd::http {

namespace {

using nlohmann::json;
namespace nw = jd::network;

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

// lat, lon and coord_system: the WGS-84 position to store. Both coordinates or neither; with
// `required`, neither is an error too.
std::optional<nw::LatLon> PositionMembers(const json& body, bool required, FieldErrors& errors) {
  auto system = nw::CoordSystem::kWgs84;
  if (auto given = EnumMember<nw::CoordSystem>(body, "coord_system", "坐标系", "wgs84, gcj02",
                                               nw::ParseCoordSystem, false, errors)) {
    system = *given;
  }
  auto lat = NumberMember(body, "lat", errors);
  auto lon = NumberMember(body, "lon", errors);
  if (errors.Has("lat") || errors.Has("lon") || errors.Has("coord_system")) return std::nullopt;
  if (!lat && !lon && !required) return std::nullopt;
  if (!lat) errors.Add("lat", "required", "纬度为必填项", "lat is required");
  if (!lon) errors.Add("lon", "required", "经度为必填项", "lon is required");
  if (!lat || !lon) return std::nullopt;
  return nw::ToWgs84(*lat, *lon, system, errors);
}

// An optional flag: nullopt when absent or null.
std::optional<bool> FlagMember(const json& body, const char* key, FieldErrors& errors) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  const bool before = errors.Has(key);
  const bool v = BoolMember(body, key, errors);
  if (!before && errors.Has(key)) return std::nullopt;
  return v;
}

std::optional<std::vector<std::string>> ServicesMember(const json& body, FieldErrors& errors) {
  auto it = body.find("services");
  if (it == body.end() || it->is_null()) return std::nullopt;
  std::vector<std::string> out;
  if (!it->is_array()) {
    errors.Add("services", "wrong_type", "服务项目应为代码数组",
               "services must be an array of codes");
    return std::nullopt;
  }
  for (const auto& x : *it) {
    if (!x.is_string()) {
      errors.Add("services", "wrong_type", "服务项目应为代码数组",
                 "services must be an array of codes");
      return std::nullopt;
    }
    out.push_back(x.get<std::string>());
  }
  return out;
}

std::optional<int> StaffMember(const json& body, FieldErrors& errors) {
  auto v = IntMember(body, "staff_count", errors);
  return v;
}

// kind, name (both required), org_code and the position of a new point or place.
template <class Input, class Parse>
void ReadNewRow(const json& body, const char* kind_label, const char* kinds, Parse parse, Input& in,
                FieldErrors& errors) {
  if (auto kind =
          EnumMember<decltype(in.kind)>(body, "kind", kind_label, kinds, parse, true, errors)) {
    in.kind = *kind;
  }
  in.name = TextMember(body, "name", FieldKind::kAddress, errors, "名称");
  if (in.name.empty() && !errors.Has("name")) {
    errors.Add("name", "required", "名称为必填项", "name is required");
  }
  in.org_code = TextMember(body, "org_code", FieldKind::kCode, errors, "所属机构");
  if (auto at = PositionMembers(body, true, errors)) in.at = *at;
}

// {"items": [...], "total": n}.
template <class Row, class ToJson>
Reply ItemsJson(std::vector<Row>& rows, ToJson to_json) {
  json items = json::array();
  for (Row& r : rows) items.push_back(to_json(r));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

json PointJson(const nw::PointDetail& d) {
  const nw::ServicePoint& p = d.point;
  json j = {{"id", p.id},
            {"kind", nw::PointKindCode(p.kind)},
            {"name", p.name},
            {"org_code", p.org_code},
            {"address", p.address},
            {"lat", p.at.lat},
            {"lon", p.at.lon},
            {"coord_system", "wgs84"},
            {"opening_hours", p.opening_hours},
            {"staff_count", p.staff_count},
            {"services", p.services},
            {"free_contraceptives", p.free_contraceptives},
            {"open_to_public", p.open_to_public},
            {"active", p.active},
            {"in_circle", p.InCircle()},
            {"version", p.version},
            {"updated_at", p.updated_at},
            {"updated_by", p.updated_by}};
  if (p.kind == nw::PointKind::kDemonstration) {
    json checks = json::array();
    for (const nw::CheckRecord& c : d.checks) {
      checks.push_back({{"item", nw::ChecklistItemCode(c.item)},
                        {"checked_on", FormatDate(c.checked_on)},
                        {"recorded_by", c.recorded_by}});
    }
    j["checklist"] = std::move(checks);
    if (d.compliance) {
      json missing = json::array();
      for (nw::ChecklistItem i : d.compliance->missing) missing.push_back(nw::ChecklistItemCode(i));
      j["compliance"] = {{"compliant", d.compliance->compliant},
                         {"since", DateOrNull(d.compliance->since)},
                         {"missing", std::move(missing)},
                         {"as_of", FormatDate(d.as_of)}};
    }
  }
  return j;
}

json PlaceJson(const nw::GatheringPlace& p) {
  return {{"id", p.id},
          {"kind", nw::PlaceKindCode(p.kind)},
          {"name", p.name},
          {"org_code", p.org_code},
          {"lat", p.at.lat},
          {"lon", p.at.lon},
          {"coord_system", "wgs84"},
          {"has_fp_association", p.has_fp_association},
          {"version", p.version},
          {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

json CoverageJson(const nw::Coverage& c) {
  auto share = c.Share();
  return {{"people", c.people},
          {"people_covered", c.people_covered},
          {"communities", c.communities},
          {"communities_covered", c.communities_covered},
          {"share", share ? json(*share) : json()}};
}

json ReachJson(const nw::CommunityReach& c) {
  return {{"code", c.code},
          {"name", c.name},
          {"street_code", c.street_code},
          {"lat", c.at.lat},
          {"lon", c.at.lon},
          {"people", c.people},
          {"nearest_point_id", c.nearest_point_id.empty() ? json() : json(c.nearest_point_id)},
          {"distance_m", c.distance_m ? json(std::round(*c.distance_m * 10) / 10) : json()},
          {"covered", c.covered}};
}

Result<Reply> ListPoints(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::PointFilter f;
  const std::string kind = Param(c.req, "kind");
  if (!kind.empty()) {
    f.kind = nw::ParsePointKind(kind);
    if (!f.kind) {
      errors.Add("kind", "invalid_value", std::string("类型应为 ") + nw::kPointKinds,
                 std::string("kind must be one of ") + nw::kPointKinds);
    }
  }
  const std::string active = Param(c.req, "active");
  if (active == "true") {
    f.active_only = true;
  } else if (!active.empty() && active != "false") {
    errors.Add("active", "invalid_value", "active 应为 true 或 false",
               "active must be true or false");
  }
  auto limit = IntParam(c.req, "limit", 1000, 1, 5000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  f.limit = *limit;
  auto r = app.network->ListPoints(*c.who, f);
  if (!r.ok()) return r.status();
  return ItemsJson(*r, [](nw::ServicePoint& p) { return PointJson({.point = std::move(p)}); });
}

Result<Reply> CreatePoint(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::PointInput in;
  ReadNewRow(c.body, "服务点类型", nw::kPointKinds, nw::ParsePointKind, in, errors);
  in.address = TextMember(c.body, "address", FieldKind::kAddress, errors, "地址");
  in.opening_hours = TextMember(c.body, "opening_hours", FieldKind::kShortText, errors, "开放时间");
  if (auto staff = StaffMember(c.body, errors)) in.staff_count = *staff;
  if (auto services = ServicesMember(c.body, errors)) in.services = *services;
  if (auto v = FlagMember(c.body, "free_contraceptives", errors)) in.free_contraceptives = *v;
  if (auto v = FlagMember(c.body, "open_to_public", errors)) in.open_to_public = *v;
  if (auto v = FlagMember(c.body, "active", errors)) in.active = *v;
  if (!errors.empty()) {
    // The rules' checks too, so that one answer lists every problem.
    nw::CheckPoint({.name = "-", .staff_count = in.staff_count, .services = in.services}, errors);
    return errors.ToStatus();
  }
  auto r = app.network->CreatePoint(*c.who, in);
  if (!r.ok()) return r.status();
  return Json(PointJson(*r), 201);
}

Result<Reply> GetPoint(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.network->GetPoint(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(PointJson(*r));
}

Result<Reply> UpdatePoint(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  nw::PointChange change;
  change.kind = EnumMember<nw::PointKind>(c.body, "kind", "服务点类型", nw::kPointKinds,
                                          nw::ParsePointKind, false, errors);
  change.name = OptionalTextMember(c.body, "name", FieldKind::kAddress, errors);
  auto org = OptionalTextMember(c.body, "org_code", FieldKind::kCode, errors);
  if (org && !org->empty()) change.org_code = *org;
  change.address = OptionalTextMember(c.body, "address", FieldKind::kAddress, errors);
  change.opening_hours = OptionalTextMember(c.body, "opening_hours", FieldKind::kShortText, errors);
  change.at = PositionMembers(c.body, false, errors);
  change.staff_count = StaffMember(c.body, errors);
  change.services = ServicesMember(c.body, errors);
  change.free_contraceptives = FlagMember(c.body, "free_contraceptives", errors);
  change.open_to_public = FlagMember(c.body, "open_to_public", errors);
  change.active = FlagMember(c.body, "active", errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->UpdatePoint(*c.who, c.params[0], change, version);
  if (!r.ok()) return r.status();
  return Json(PointJson(*r));
}

Result<Reply> RecordCheck(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::CheckInput in;
  auto item = EnumMember<nw::ChecklistItem>(c.body, "item", "检查项目", nw::kChecklistCodes,
                                            nw::ParseChecklistItem, true, errors);
  if (item) in.item = *item;
  auto on = DateMember(c.body, "checked_on", DateKind::kPastEvent, app.clock->Today(),
                       Presence::kRequired, errors);
  if (on) in.checked_on = *on;
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->RecordCheck(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(PointJson(*r), 201);
}

Result<Reply> ListPlaces(App& app, Ctx& c, const ServerOptions&) {
  auto limit = IntParam(c.req, "limit", 1000, 1, 5000);
  if (!limit.ok()) return limit.status();
  auto r = app.network->ListPlaces(*c.who, *limit);
  if (!r.ok()) return r.status();
  return ItemsJson(*r, [](nw::GatheringPlace& p) { return PlaceJson(p); });
}

Result<Reply> CreatePlace(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::PlaceInput in;
  ReadNewRow(c.body, "场所类型", nw::kPlaceKinds, nw::ParsePlaceKind, in, errors);
  if (auto v = FlagMember(c.body, "has_fp_association", errors)) in.has_fp_association = *v;
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->CreatePlace(*c.who, in);
  if (!r.ok()) return r.status();
  return Json(PlaceJson(*r), 201);
}

Result<Reply> UpdatePlace(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  nw::PlaceChange change;
  change.kind = EnumMember<nw::PlaceKind>(c.body, "kind", "场所类型", nw::kPlaceKinds,
                                          nw::ParsePlaceKind, false, errors);
  change.name = OptionalTextMember(c.body, "name", FieldKind::kAddress, errors);
  auto org = OptionalTextMember(c.body, "org_code", FieldKind::kCode, errors);
  if (org && !org->empty()) change.org_code = *org;
  change.at = PositionMembers(c.body, false, errors);
  change.has_fp_association = FlagMember(c.body, "has_fp_association", errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->UpdatePlace(*c.who, c.params[0], change, version);
  if (!r.ok()) return r.status();
  return Json(PlaceJson(*r));
}

Result<Reply> SetPosition(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  auto at = PositionMembers(c.body, true, errors);
  if (!errors.empty()) return errors.ToStatus();
  JD_RETURN_IF_ERROR(app.network->SetPosition(*c.who, c.params[0], *at));
  return Json(
      {{"code", c.params[0]}, {"lat", at->lat}, {"lon", at->lon}, {"coord_system", "wgs84"}}, 201);
}

Result<Reply> Summary(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.network->Summary(*c.who);
  if (!r.ok()) return r.status();
  json districts = json::array();
  for (const nw::DistrictFigures& d : r->districts) {
    const nw::AssociationFigures& a = d.associations;
    districts.push_back({{"code", d.code},
                         {"name", d.name},
                         {"demonstration",
                          {{"points", d.demo.demonstration_points},
                           {"compliant", d.demo.compliant},
                           {"has_compliant", d.demo.has_compliant},
                           {"met_deadline", d.demo.met_deadline},
                           {"first_compliant", DateOrNull(d.demo.first_compliant)}}},
                         {"associations",
                          {{"places", a.places},
                           {"with_association", a.with_association},
                           {"share", a.share ? json(*a.share) : json()},
                           {"meets_target", a.meets_target}}}});
  }
  return Json({{"as_of", FormatDate(r->as_of)},
               {"deadline", FormatDate(r->deadline)},
               {"association_target", nw::kAssociationTarget},
               {"districts", std::move(districts)}});
}

// The query parameter `key` as a number in [lo, hi] into `out`; untouched when absent.
void NumberParam(const Ctx& c, const char* key, double lo, double hi, double& out,
                 FieldErrors& errors) {
  const std::string v = Param(c.req, key);
  if (v.empty()) return;
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size() || !std::isfinite(d) || d < lo || d > hi) {
    errors.Add(key, "out_of_range", fmt::format("{} 应为 {}–{} 之间的数", key, lo, hi),
               fmt::format("{} must be a number from {} to {}", key, lo, hi));
    return;
  }
  out = d;
}

json AreaJson(const registry::OrgUnit& area) { return {{"code", area.code}, {"name", area.name}}; }

Result<Reply> Circle(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::CircleOptions options;
  // As `jundeng network circle`: radius in (0, 1,000,000] m, detour in [1, 10].
  NumberParam(c, "radius_m", 1e-9, 1e6, options.radius_m, errors);
  NumberParam(c, "detour", 1, 10, options.detour, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->Circle(*c.who, c.params[0], options);
  if (!r.ok()) return r.status();
  json communities = json::array();
  for (const auto& x : r->communities) communities.push_back(ReachJson(x));
  json outside = json::array();
  int rank = 0;
  for (const auto& x : r->outside_ranked) {
    json j = ReachJson(x);
    j["rank"] = ++rank;
    outside.push_back(std::move(j));
  }
  json streets = json::object();
  for (const auto& [code, cov] : r->by_street) streets[code] = CoverageJson(cov);
  return Json({{"area", AreaJson(r->area)},
               {"radius_m", r->options.radius_m},
               {"detour", r->options.detour},
               {"points", r->points},
               {"coverage", CoverageJson(r->total)},
               {"by_street", std::move(streets)},
               {"communities", std::move(communities)},
               {"outside", std::move(outside)},
               {"unlocated", r->unlocated},
               {"as_of", FormatDate(r->as_of)}});
}

Result<Reply> Placement(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  nw::CircleOptions options;
  NumberParam(c, "radius_m", nw::kPlacementMinRadiusM, nw::kPlacementMaxRadiusM, options.radius_m,
              errors);
  NumberParam(c, "detour", 1, nw::kPlacementMaxDetour, options.detour, errors);
  auto k = IntParam(c.req, "k", 3, 1, nw::kMaxPlacement);
  if (!k.ok()) errors.Append(k.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.network->Placement(*c.who, c.params[0], *k, options);
  if (!r.ok()) return r.status();
  json suggestions = json::array();
  for (const nw::SuggestedSite& s : r->suggestions) {
    const auto people = r->before.people;
    suggestions.push_back(
        {{"rank", s.rank},
         {"kind", nw::CandidateKindCode(s.kind)},
         {"id", s.id},
         {"name", s.name},
         {"lat", s.at.lat},
         {"lon", s.at.lon},
         {"newly_covered", s.newly_covered},
         {"people_covered", s.people_covered},
         {"share_after",
          people > 0 ? json(static_cast<double>(s.people_covered) / people) : json()},
         {"covers", s.covers}});
  }
  return Json(
      {{"area", AreaJson(r->area)},
       {"k", r->k},
       {"radius_m", r->options.radius_m},
       {"detour", r->options.detour},
       {"points", r->points},
       {"candidates", {{"points", r->candidate_points}, {"communities", r->candidate_communities}}},
       {"before", CoverageJson(r->before)},
       {"after", CoverageJson(r->after)},
       {"suggestions", std::move(suggestions)},
       {"as_of", FormatDate(r->as_of)}});
}

}  // namespace

std::vector<Route> NetworkRoutes() {
  return {
      {{"GET", "/api/v1/network/points", true}, false, ListPoints},
      {{"POST", "/api/v1/network/points", true}, true, CreatePoint},
      {{"GET", "/api/v1/network/points/{id}", true}, false, GetPoint},
      {{"PATCH", "/api/v1/network/points/{id}", true}, true, UpdatePoint},
      {{"POST", "/api/v1/network/points/{id}/checklist", true}, true, RecordCheck},
      {{"GET", "/api/v1/network/places", true}, false, ListPlaces},
      {{"POST", "/api/v1/network/places", true}, true, CreatePlace},
      {{"PATCH", "/api/v1/network/places/{id}", true}, true, UpdatePlace},
      {{"POST", "/api/v1/network/communities/{code}/position", true}, true, SetPosition},
      {{"GET", "/api/v1/network/summary", true}, false, Summary},
      {{"GET", "/api/v1/network/areas/{code}/circle", true}, false, Circle},
      {{"GET", "/api/v1/network/areas/{code}/placement", true}, false, Placement},
  };
}

}  // namespace jd::http
