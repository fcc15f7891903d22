// Use cases of the stored service network (network/service.h).
#include "network/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"

namespace jd::network {

namespace {

using auth::Permission;
using auth::Principal;

Status PointNotFound() {
  return Status::NotFound("no such service point in your area", "您的辖区内没有此服务点");
}
Status PlaceNotFound() {
  return Status::NotFound("no such gathering place in your area", "您的辖区内没有此聚集场所");
}
Status AreaNotFound() {
  return Status::NotFound("no such org unit in your area", "您的辖区内没有此机构");
}

Status RequireAudited(auth::AuditLog& audit, const Principal& who, Permission permission,
                      const std::string& action, const std::string& object_type,
                      const std::string& object_id) {
  return auth::RequireAudited(
      audit, who, permission,
      {.action = action, .object_type = object_type, .object_id = object_id});
}

// The district segment of an org path ("450100/450103/…" → "450103"); empty above districts.
std::string DistrictOf(const std::string& path) {
  const std::size_t first = path.find('/');
  if (first == std::string::npos) return {};
  const std::size_t second = path.find('/', first + 1);
  if (second == std::string::npos) return {};
  return path.substr(first + 1, second - first - 1);
}

// kOrgRead (refusal audited), then the rows `list` reads within the caller's OrgScopeOf.
template <class T, class F>
Result<std::vector<T>> ListWithin(auth::AuditLog& audit, storage::Database& db,
                                  const Principal& who, const std::string& action, F list) {
  JD_RETURN_IF_ERROR(
      RequireAudited(audit, who, Permission::kOrgRead, action, "org_unit", who.org_code));
  const auth::Scope scope = auth::OrgScopeOf(who);
  std::vector<T> out;
  JD_RETURN_IF_ERROR(db.Read([&](soci::session& s) {
    out = list(s, scope);
    return Status::Ok();
  }));
  return out;
}

Status OutsideOrg() {
  return Status::Invalid({{"org_code", "outside_jurisdiction", "该机构不在您的辖区内",
                           "the org unit is outside your jurisdiction"}});
}

}  // namespace

NetworkService::NetworkService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                               const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Result<registry::OrgUnit> NetworkService::UnitFor(const Principal& who, const auth::Scope& scope,
                                                  const std::string& code,
                                                  const std::string& action) {
  const std::string unit = code.empty() ? who.org_code : code;
  auto org = registry_.FindOrg(unit);
  if (!org) {
    return Status::Invalid({{"org_code", "unknown_org", "机构代码不存在：" + unit,
                             "no org unit has the code " + unit}});
  }
  if (!scope.Covers(org->path)) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "org_unit", .object_id = unit},
        OutsideOrg());
  }
  return *org;
}

PointDetail NetworkService::Detail(soci::session& s, ServicePoint p, Date today) const {
  PointDetail d;
  d.as_of = today;
  if (p.kind == PointKind::kDemonstration) {
    d.checks = NetworkStore::Checks(s, p.id);
    DemoPoint demo{
        .id = p.id, .district = DistrictOf(p.org_path), .kind = p.kind, .active = p.active};
    for (const CheckRecord& c : d.checks) demo.checked[c.item] = c.checked_on;
    d.compliance = DemoPointCompliance(demo, today);
  }
  d.point = std::move(p);
  return d;
}

Result<std::vector<ServicePoint>> NetworkService::ListPoints(const Principal& who,
                                                             const PointFilter& f) {
  return ListWithin<ServicePoint>(audit_, db_, who, "network.point.list",
                                  [&](soci::session& s, const auth::Scope& scope) {
                                    return NetworkStore::ListPoints(s, scope, f);
                                  });
}

Result<PointDetail> NetworkService::GetPoint(const Principal& who, const std::string& id) {
  const std::string action = "network.point.read";
  JD_RETURN_IF_ERROR(
      RequireAudited(audit_, who, Permission::kOrgRead, action, "service_point", id));
  if (!IsUuid(id)) return PointNotFound();
  const auth::Scope scope = auth::OrgScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<PointDetail> out = PointNotFound();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto row = NetworkStore::GetPoint(s, scope, id);
    outside = row.outside_scope();
    if (row) out = Detail(s, *std::move(row).release(), today);
    return Status::Ok();
  }));
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "service_point", .object_id = id},
        PointNotFound());
  }
  return out;
}

Result<PointDetail> NetworkService::CreatePoint(const Principal& who, const PointInput& in) {
  const std::string action = "network.point.create";
  JD_RETURN_IF_ERROR(
      RequireAudited(audit_, who, Permission::kNetworkWrite, action, "service_point", ""));
  FieldErrors errors;
  CheckPoint({.name = in.name, .staff_count = in.staff_count, .services = in.services}, errors);
  CheckLatLon(in.at.lat, in.at.lon, "", errors);
  if (!errors.empty()) return errors.ToStatus();
  const auth::Scope scope = auth::OrgScopeOf(who);
  JD_ASSIGN_OR_RETURN(registry::OrgUnit org, UnitFor(who, scope, in.org_code, action));
  const Date today = clock_.Today();
  ServicePoint p = NewRow<ServicePoint>(who, org);
  p.kind = in.kind;
  p.name = in.name;
  p.address = in.address;
  p.at = in.at;
  p.opening_hours = in.opening_hours;
  p.staff_count = in.staff_count;
  p.services = in.services;
  p.free_contraceptives = in.free_contraceptives;
  p.open_to_public = in.open_to_public;
  p.active = in.active;
  Result<PointDetail> out = PointNotFound();
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    NetworkStore::InsertPoint(s, p);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = action,
         .object_type = "service_point",
         .object_id = p.id,
         .detail = fmt::format("kind={} org={}", PointKindCode(p.kind), p.org_code)}));
    out = Detail(s, p, today);
    return Status::Ok();
  }));
  return out;
}

template <class Row, class T, class Get, class F>
Result<T> NetworkService::ChangeRow(const Principal& who, const std::string& id,
                                    const RowAction& what, Get get, F change) {
  JD_RETURN_IF_ERROR(
      RequireAudited(audit_, who, Permission::kNetworkWrite, what.action, what.object_type, id));
  if (!IsUuid(id)) return what.not_found;
  const auth::Scope scope = auth::OrgScopeOf(who);
  bool outside = false;
  Result<T> out = what.not_found;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auth::ScopedRow<Row> row = get(s, scope, id);
    outside = row.outside_scope();
    if (!row) return what.not_found;
    JD_ASSIGN_OR_RETURN(T value, change(s, scope, *std::move(row).release()));
    out = std::move(value);
    return Status::Ok();
  });
  const auth::AuditEvent refusal{
      .action = what.action, .object_type = what.object_type, .object_id = id};
  if (outside) return auth::RefuseOutsideScope(audit_, who, refusal, what.not_found);
  // A move to a unit outside the jurisdiction is refused like a new row there.
  if (!st.field_errors().empty() && st.field_errors()[0].code == "outside_jurisdiction") {
    return auth::RefuseOutsideScope(audit_, who, refusal, st);
  }
  if (!st.ok()) return st;
  return out;
}

Result<registry::OrgUnit> NetworkService::AreaFor(const Principal& who, Permission permission,
                                                  const auth::Scope& scope, const std::string& code,
                                                  const std::string& action) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, permission, action, "org_unit", code));
  auto org = registry_.FindOrg(code);
  if (!org) return AreaNotFound();
  if (!scope.Covers(org->path)) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "org_unit", .object_id = code},
        AreaNotFound());
  }
  return *org;
}

template <class Row>
Row NetworkService::NewRow(const Principal& who, const registry::OrgUnit& org) const {
  Row row;
  row.id = NewId();
  row.org_code = org.code;
  row.org_path = org.path;
  row.created_at = row.updated_at = FormatTimestamp(clock_.Now());
  row.created_by = row.updated_by = who.username;
  return row;
}

Status NetworkService::MoveTo(const auth::Scope& scope, const std::optional<std::string>& code,
                              std::string& org_code, std::string& org_path) const {
  if (!code || *code == org_code) return Status::Ok();
  auto org = registry_.FindOrg(*code);
  if (!org) {
    return Status::Invalid({{"org_code", "unknown_org", "机构代码不存在：" + *code,
                             "no org unit has the code " + *code}});
  }
  if (!scope.Covers(org->path)) return OutsideOrg();
  org_code = org->code;
  org_path = org->path;
  return Status::Ok();
}

template <class Row>
Status NetworkService::Bump(const Principal& who, int expected_version, Row& row) const {
  if (row.version != expected_version) return StaleVersion();
  row.version = expected_version + 1;
  row.updated_at = FormatTimestamp(clock_.Now());
  row.updated_by = who.username;
  return Status::Ok();
}

Result<PointDetail> NetworkService::UpdatePoint(const Principal& who, const std::string& id,
                                                const PointChange& change, int expected_version) {
  const Date today = clock_.Today();
  return ChangeRow<ServicePoint, PointDetail>(
      who, id, {"network.point.update", "service_point", PointNotFound()}, NetworkStore::GetPoint,
      [&](soci::session& s, const auth::Scope& scope, ServicePoint p) -> Result<PointDetail> {
        if (change.kind) p.kind = *change.kind;
        if (change.name) p.name = *change.name;
        if (change.address) p.address = *change.address;
        if (change.opening_hours) p.opening_hours = *change.opening_hours;
        if (change.at) p.at = *change.at;
        if (change.staff_count) p.staff_count = *change.staff_count;
        if (change.services) p.services = *change.services;
        if (change.free_contraceptives) p.free_contraceptives = *change.free_contraceptives;
        if (change.open_to_public) p.open_to_public = *change.open_to_public;
        if (change.active) p.active = *change.active;
        FieldErrors errors;
        CheckPoint({.name = p.name, .staff_count = p.staff_count, .services = p.services}, errors);
        CheckLatLon(p.at.lat, p.at.lon, "", errors);
        if (!errors.empty()) return errors.ToStatus();
        JD_RETURN_IF_ERROR(MoveTo(scope, change.org_code, p.org_code, p.org_path));
        JD_RETURN_IF_ERROR(Bump(who, expected_version, p));
        if (!NetworkStore::UpdatePoint(s, scope, p, expected_version)) return StaleVersion();
        JD_RETURN_IF_ERROR(
            audit_.Append(s, who,
                          {.action = "network.point.update",
                           .object_type = "service_point",
                           .object_id = id,
                           .detail = fmt::format("kind={} org={} active={}", PointKindCode(p.kind),
                                                 p.org_code, p.active ? 1 : 0)}));
        return Detail(s, std::move(p), today);
      });
}

Result<PointDetail> NetworkService::RecordCheck(const Principal& who, const std::string& point_id,
                                                const CheckInput& in) {
  const Date today = clock_.Today();
  return ChangeRow<ServicePoint, PointDetail>(
      who, point_id, {"network.checklist", "service_point", PointNotFound()},
      NetworkStore::GetPoint,
      [&](soci::session& s, const auth::Scope&, ServicePoint p) -> Result<PointDetail> {
        FieldErrors errors;
        if (p.kind != PointKind::kDemonstration) {
          errors.Add("point", "not_demonstration", "“六个一”清单只适用于示范点",
                     "the checklist is for demonstration points only");
        }
        if (today < in.checked_on) {
          errors.Add("checked_on", "in_future", "检查日期晚于今天", "the check is in the future");
        }
        if (!errors.empty()) return errors.ToStatus();
        NetworkStore::PutCheck(s, point_id,
                               {.item = in.item,
                                .checked_on = in.checked_on,
                                .recorded_at = FormatTimestamp(clock_.Now()),
                                .recorded_by = who.username});
        JD_RETURN_IF_ERROR(
            audit_.Append(s, who,
                          {.action = "network.checklist",
                           .object_type = "service_point",
                           .object_id = point_id,
                           .detail = fmt::format("item={} on={}", ChecklistItemCode(in.item),
                                                 FormatDate(in.checked_on))}));
        return Detail(s, std::move(p), today);
      });
}

Result<std::vector<GatheringPlace>> NetworkService::ListPlaces(const Principal& who, int limit) {
  return ListWithin<GatheringPlace>(audit_, db_, who, "network.place.list",
                                    [&](soci::session& s, const auth::Scope& scope) {
                                      return NetworkStore::ListPlaces(s, scope, limit);
                                    });
}

Result<GatheringPlace> NetworkService::CreatePlace(const Principal& who, const PlaceInput& in) {
  const std::string action = "network.place.create";
  JD_RETURN_IF_ERROR(
      RequireAudited(audit_, who, Permission::kNetworkWrite, action, "gathering_place", ""));
  FieldErrors errors;
  CheckPlaceName(in.name, errors);
  CheckLatLon(in.at.lat, in.at.lon, "", errors);
  if (!errors.empty()) return errors.ToStatus();
  const auth::Scope scope = auth::OrgScopeOf(who);
  JD_ASSIGN_OR_RETURN(registry::OrgUnit org, UnitFor(who, scope, in.org_code, action));
  GatheringPlace p = NewRow<GatheringPlace>(who, org);
  p.kind = in.kind;
  p.name = in.name;
  p.at = in.at;
  p.has_fp_association = in.has_fp_association;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    NetworkStore::InsertPlace(s, p);
    return audit_.Append(
        s, who,
        {.action = action,
         .object_type = "gathering_place",
         .object_id = p.id,
         .detail = fmt::format("kind={} org={} association={}", PlaceKindCode(p.kind), p.org_code,
                               p.has_fp_association ? 1 : 0)});
  }));
  return p;
}

Result<GatheringPlace> NetworkService::UpdatePlace(const Principal& who, const std::string& id,
                                                   const PlaceChange& change,
                                                   int expected_version) {
  return ChangeRow<GatheringPlace, GatheringPlace>(
      who, id, {"network.place.update", "gathering_place", PlaceNotFound()}, NetworkStore::GetPlace,
      [&](soci::session& s, const auth::Scope& scope, GatheringPlace p) -> Result<GatheringPlace> {
        if (change.kind) p.kind = *change.kind;
        if (change.name) p.name = *change.name;
        if (change.at) p.at = *change.at;
        if (change.has_fp_association) p.has_fp_association = *change.has_fp_association;
        FieldErrors errors;
        CheckPlaceName(p.name, errors);
        CheckLatLon(p.at.lat, p.at.lon, "", errors);
        if (!errors.empty()) return errors.ToStatus();
        JD_RETURN_IF_ERROR(MoveTo(scope, change.org_code, p.org_code, p.org_path));
        JD_RETURN_IF_ERROR(Bump(who, expected_version, p));
        if (!NetworkStore::UpdatePlace(s, scope, p, expected_version)) return StaleVersion();
        JD_RETURN_IF_ERROR(audit_.Append(
            s, who,
            {.action = "network.place.update",
             .object_type = "gathering_place",
             .object_id = id,
             .detail = fmt::format("kind={} org={} association={}", PlaceKindCode(p.kind),
                                   p.org_code, p.has_fp_association ? 1 : 0)}));
        return p;
      });
}

Status NetworkService::SetPosition(const Principal& who, const std::string& code, LatLon at) {
  const std::string action = "network.position";
  JD_ASSIGN_OR_RETURN(registry::OrgUnit unit,
                      AreaFor(who, Permission::kNetworkWrite, auth::OrgScopeOf(who), code, action));
  const registry::OrgUnit* org = &unit;
  FieldErrors errors;
  if (org->level != registry::OrgLevel::kCommunity) {
    errors.Add("code", "not_community", "只有社区/村有位置", "only a community has a position");
  }
  CheckLatLon(at.lat, at.lon, "", errors);
  if (!errors.empty()) return errors.ToStatus();
  return db_.Write([&](soci::session& s) -> Status {
    NetworkStore::PutPosition(s, code, at, FormatTimestamp(clock_.Now()), who.username);
    return audit_.Append(s, who,
                         {.action = action,
                          .object_type = "org_unit",
                          .object_id = code,
                          .detail = fmt::format("lat={:.6f} lon={:.6f}", at.lat, at.lon)});
  });
}

Result<NetworkSummary> NetworkService::Summary(const Principal& who) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kOrgRead, "network.summary",
                                    "org_unit", who.org_code));
  const auth::Scope scope = auth::OrgScopeOf(who);
  const Date today = clock_.Today();
  NetworkSummary out;
  out.as_of = today;
  JD_ASSIGN_OR_RETURN(std::vector<registry::OrgUnit> units, registry_.ListOrgUnits(who));
  std::vector<std::string> districts;
  std::map<std::string, std::string> names;
  for (const registry::OrgUnit& u : units) {
    if (u.level != registry::OrgLevel::kDistrict) continue;
    if (!scope.Covers(u.path) && !auth::PathCovers(u.path, scope.path())) continue;
    districts.push_back(u.code);
    names[u.code] = u.name;
  }
  std::sort(districts.begin(), districts.end());
  std::vector<DemoPoint> demo;
  std::map<std::string, std::vector<bool>> associations;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto checks = NetworkStore::ChecksWithin(s, scope);
    PointFilter f{.kind = PointKind::kDemonstration, .active_only = true, .limit = 100000};
    for (ServicePoint& p : NetworkStore::ListPoints(s, scope, f)) {
      const std::string district = DistrictOf(p.org_path);
      if (district.empty()) continue;
      demo.push_back({.id = p.id,
                      .district = district,
                      .kind = p.kind,
                      .active = p.active,
                      .checked = checks[p.id]});
    }
    for (const GatheringPlace& p : NetworkStore::ListPlaces(s, scope, 100000)) {
      associations[DistrictOf(p.org_path)].push_back(p.has_fp_association);
    }
    return Status::Ok();
  }));
  for (DistrictDemo& d : DistrictDemoStatus(districts, demo, today)) {
    if (!names.contains(d.district)) continue;
    DistrictFigures f;
    f.code = d.district;
    f.name = names[d.district];
    f.associations = AssociationCoverage(associations[d.district]);
    f.demo = std::move(d);
    out.districts.push_back(std::move(f));
  }
  return out;
}

Result<NetworkService::AreaNetwork> NetworkService::ReadArea(const Principal& who,
                                                             const std::string& area_code,
                                                             const std::string& action) {
  const auth::Scope scope = auth::AggregateScopeOf(who);
  AreaNetwork out;
  JD_ASSIGN_OR_RETURN(out.area, AreaFor(who, Permission::kAggregateRead, scope, area_code, action));
  out.today = clock_.Today();
  // Women aged 15–49 today: born after today − 50 years and on or before today − 15 years.
  const Date women_from = AddDays(AddYears(out.today, -50), 1);
  const Date women_to = AddYears(out.today, -15);
  const auth::Scope area = scope.Narrow(out.area.path);
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out.points = NetworkStore::ListPoints(s, area, {.active_only = true, .limit = 1000000});
    out.communities = NetworkStore::Communities(s, area, women_from, women_to);
    return Status::Ok();
  }));
  return out;
}

namespace {

// The circle's points and located communities of an area, in the stored order.
struct CircleInput {
  std::vector<Site> points;
  std::vector<Community> communities;
  std::vector<const CommunityRow*> rows;  // communities[i]'s row
};

CircleInput CircleInputOf(const std::vector<ServicePoint>& stored,
                          const std::vector<CommunityRow>& rows) {
  CircleInput in;
  for (const ServicePoint& p : stored) {
    if (p.InCircle()) in.points.push_back({p.id, p.at});
  }
  for (const CommunityRow& r : rows) {
    if (!r.at) continue;
    in.communities.push_back({r.code, *r.at, r.women});
    in.rows.push_back(&r);
  }
  return in;
}

}  // namespace

Result<CircleReport> NetworkService::Circle(const Principal& who, const std::string& area_code,
                                            const CircleOptions& options) {
  JD_ASSIGN_OR_RETURN(AreaNetwork net, ReadArea(who, area_code, "network.circle"));
  CircleReport out;
  out.area = net.area;
  out.options = options;
  out.as_of = net.today;
  const CircleInput in = CircleInputOf(net.points, net.communities);
  out.points = static_cast<int>(in.points.size());
  for (const CommunityRow& r : net.communities) {
    if (!r.at) out.unlocated.push_back(r.code);
  }
  std::vector<std::string> streets;
  for (const CommunityRow* r : in.rows) {
    streets.push_back(r->street_code);
    out.communities.push_back({.code = r->code,
                               .name = r->name,
                               .street_code = r->street_code,
                               .at = *r->at,
                               .people = r->women});
  }
  const std::vector<Reach> reach = ReachOf(in.points, in.communities, options);
  for (std::size_t i = 0; i < reach.size(); ++i) {
    CommunityReach& c = out.communities[i];
    if (reach[i].nearest) {
      c.nearest_point_id = in.points[*reach[i].nearest].id;
      c.distance_m = reach[i].distance_m;
    }
    c.covered = reach[i].covered;
  }
  out.total = CoverageOf(in.communities, reach);
  out.by_street = CoverageByGroup(in.communities, reach, streets);
  for (std::size_t i : RankOutside(in.communities, reach)) {
    out.outside_ranked.push_back(out.communities[i]);
  }
  return out;
}

FieldErrors CheckPlacement(int k, const CircleOptions& options) {
  FieldErrors errors;
  if (k < 1 || k > kMaxPlacement) {
    errors.Add("k", "out_of_range", fmt::format("新增服务点数应为 1–{}", kMaxPlacement),
               fmt::format("k must be from 1 to {}", kMaxPlacement));
  }
  if (!(options.radius_m >= kPlacementMinRadiusM && options.radius_m <= kPlacementMaxRadiusM)) {
    errors.Add("radius_m", "out_of_range",
               fmt::format("半径应为 {}–{} 米", kPlacementMinRadiusM, kPlacementMaxRadiusM),
               fmt::format("radius_m must be from {} to {} m", kPlacementMinRadiusM,
                           kPlacementMaxRadiusM));
  }
  if (!(options.detour >= 1 && options.detour <= kPlacementMaxDetour)) {
    errors.Add("detour", "out_of_range", fmt::format("绕行系数应为 1–{}", kPlacementMaxDetour),
               fmt::format("detour must be from 1 to {}", kPlacementMaxDetour));
  }
  return errors;
}

const char* CandidateKindCode(CandidateKind kind) {
  return kind == CandidateKind::kPoint ? "point" : "community";
}

Result<PlacementReport> NetworkService::Placement(const Principal& who,
                                                  const std::string& area_code, int k,
                                                  const CircleOptions& options) {
  JD_RETURN_IF_ERROR(CheckPlacement(k, options).ToStatus());
  JD_ASSIGN_OR_RETURN(AreaNetwork net, ReadArea(who, area_code, "network.placement"));
  PlacementReport out;
  out.area = net.area;
  out.options = options;
  out.k = k;
  out.as_of = net.today;
  const CircleInput in = CircleInputOf(net.points, net.communities);
  out.points = static_cast<int>(in.points.size());
  std::vector<Site> candidates;
  std::vector<SuggestedSite> described;  // candidates[i] as a suggestion
  for (const ServicePoint& p : net.points) {
    if (p.InCircle()) continue;
    candidates.push_back({p.id, p.at});
    described.push_back({.kind = CandidateKind::kPoint, .id = p.id, .name = p.name, .at = p.at});
  }
  out.candidate_points = static_cast<int>(candidates.size());
  for (const CommunityRow* r : in.rows) {
    candidates.push_back({r->code, *r->at});
    described.push_back(
        {.kind = CandidateKind::kCommunity, .id = r->code, .name = r->name, .at = *r->at});
  }
  out.candidate_communities = static_cast<int>(in.rows.size());

  std::vector<Reach> reach = ReachOf(in.points, in.communities, options);
  out.before = CoverageOf(in.communities, reach);
  const std::vector<network::Placement> steps =
      PlaceGreedy(in.communities, reach, candidates, static_cast<std::size_t>(k), options);
  // Which communities each step took in (for the map): those within its radius not yet covered,
  // as PlaceGreedy counted them; the reach is then marked covered for the coverage after.
  std::vector<LatLon> positions;
  for (const Community& c : in.communities) positions.push_back(c.at);
  const SphereIndex index(positions);
  std::vector<std::size_t> within;
  std::int64_t covered = out.before.people_covered;
  int rank = 0;
  for (const network::Placement& step : steps) {
    SuggestedSite site = described[step.candidate];
    site.rank = ++rank;
    site.newly_covered = step.newly_covered;
    within.clear();
    index.Within(candidates[step.candidate].at, options, within);
    for (std::size_t i : within) {
      if (reach[i].covered) continue;
      reach[i].covered = true;
      site.covers.push_back(in.communities[i].id);
    }
    std::sort(site.covers.begin(), site.covers.end());
    covered += step.newly_covered;
    site.people_covered = covered;
    out.suggestions.push_back(std::move(site));
  }
  out.after = CoverageOf(in.communities, reach);
  return out;
}

}  // namespace jd::network
