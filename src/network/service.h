// File: network/service.h
// Use cases of the stored service network for the HTTP API: list, create and change service
// points and gathering places, record the "六个一" checklist of a demonstration point, store a
// community's position, the per-district figures (demonstration points against the deadline,
// association coverage of gathering places) and the ten-minute circle of an area over the stored
// points (network/circle.h, the engine of `jundeng network circle`).
//
// Access, decided by auth (auth/access.h, auth/scope.h): reading points, places and the figures
// needs kOrgRead, writing them kNetworkWrite (refusals audited). Rows are scoped by
// auth::OrgScopeOf(caller) on the row's org unit: a centre reads and changes the points of its
// street, a district's health bureau its district's, the city everything. A row outside the scope
// is "not found", audited as denied; a new row or a move into a unit outside the scope is a field
// error "outside_jurisdiction" on org_code, audited as denied. The circle counts women of
// reproductive age (an aggregate, kAggregateRead) within auth::AggregateScopeOf(caller).
// Writes are audited ("network.point.create", "network.point.update", "network.place.create",
// "network.place.update", "network.checklist", "network.position"), each with its audit row in
// the same transaction. Reads of the network hand out no person and are not audited, except
// refusals. Inputs are typed (the transport reads JSON, http/network_routes.cc). Thread-safe.
//
// Circle(who, area, options). Policy where the pilot plan and the 实施办法 are silent:
//   - points: the area's stored points that are active and dispense free contraceptives to the
//     public (ServicePoint::InCircle); points beyond the area's boundary are not counted.
//   - communities: the org units of level community under the area; people = women of
//     reproductive age (15–49, REFERENCE.md §5 [unc]) of the registry living there. A community
//     without a stored position is listed as unlocated and counted in no coverage.
//
// Placement(who, area, k, options): where k new points would bring the most women into the
// circle, by PlaceGreedy (network/circle.h, the engine of `jundeng network circle --place`) over
// the same points and communities as Circle. Access and scope as Circle (refusals audited as
// "network.placement"). Policy where the documents are silent (the text):
//   - candidates, in this order (ties go to the candidate listed first): the area's active points
//     that do not dispense free contraceptives to the public (a point that could start to, in the
//     store's order: org path, name, id), then the centroids (stored positions) of the area's
//     located communities by code.
//   - each suggestion: the candidate, the people it newly covers (people of communities within
//     the radius of it and covered neither by a point nor by an earlier suggestion, listed in
//     `covers`), and the people covered after it (cumulative). A step that covers no one is still
//     listed (newly_covered 0), as the engine gives it; min(k, candidates) suggestions.
//   - bounds (CheckPlacement): k 1..50, radius 50..5000 m, detour 1..3; field errors k, radius_m,
//     detour otherwise.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "core/dates.h"
#include "core/status.h"
#include "network/circle.h"
#include "network/rules.h"
#include "network/store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::network {

struct PointInput {
  PointKind kind = PointKind::kChsCentre;
  std::string name;
  std::string org_code;  // default the caller's unit
  std::string address;
  LatLon at;  // WGS-84 (the transport converts GCJ-02 with ToWgs84)
  std::string opening_hours;
  int staff_count = 0;
  std::vector<std::string> services;
  bool free_contraceptives = false;
  bool open_to_public = true;
  bool active = true;
};

// Only what is given changes.
struct PointChange {
  std::optional<PointKind> kind;
  std::optional<std::string> name, org_code, address, opening_hours;
  std::optional<LatLon> at;
  std::optional<int> staff_count;
  std::optional<std::vector<std::string>> services;
  std::optional<bool> free_contraceptives, open_to_public, active;
};

struct PlaceInput {
  PlaceKind kind = PlaceKind::kEnterprise;
  std::string name;
  std::string org_code;  // default the caller's unit
  LatLon at;
  bool has_fp_association = false;
};

struct PlaceChange {
  std::optional<PlaceKind> kind;
  std::optional<std::string> name, org_code;
  std::optional<LatLon> at;
  std::optional<bool> has_fp_association;
};

struct CheckInput {
  ChecklistItem item = ChecklistItem::kFreeServices;
  Date checked_on{};
};

struct PointDetail {
  ServicePoint point;
  std::vector<CheckRecord> checks;       // demonstration points only
  std::optional<Compliance> compliance;  // demonstration points only, as of today
  Date as_of{};
};

struct DistrictFigures {
  std::string code, name;
  DistrictDemo demo;
  AssociationFigures associations;
};

struct NetworkSummary {
  std::vector<DistrictFigures> districts;  // the districts within the caller's scope, by code
  Date deadline = kDemoDeadline;
  Date as_of{};
};

struct CommunityReach {
  std::string code, name, street_code;
  LatLon at;
  std::int64_t people = 0;
  std::string nearest_point_id;  // empty without points
  std::optional<double> distance_m;
  bool covered = false;
};

struct CircleReport {
  registry::OrgUnit area;
  CircleOptions options;
  int points = 0;                              // the points of the circle counted
  std::vector<CommunityReach> communities;     // located communities, by code
  std::vector<CommunityReach> outside_ranked;  // not covered, most people first
  std::vector<std::string> unlocated;          // community codes without a position
  Coverage total;
  std::map<std::string, Coverage> by_street;
  Date as_of{};
};

inline constexpr int kMaxPlacement = 50;
inline constexpr double kPlacementMinRadiusM = 50, kPlacementMaxRadiusM = 5000;
inline constexpr double kPlacementMaxDetour = 3;

// Field errors on k, radius_m and detour outside the bounds of Placement.
FieldErrors CheckPlacement(int k, const CircleOptions& options);

enum class CandidateKind { kPoint, kCommunity };
const char* CandidateKindCode(CandidateKind kind);  // "point", "community"

struct SuggestedSite {
  int rank = 0;  // 1..k
  CandidateKind kind = CandidateKind::kPoint;
  std::string id;  // the point's id or the community's code
  std::string name;
  LatLon at;
  std::int64_t newly_covered = 0;
  std::int64_t people_covered = 0;  // after this step, cumulative
  std::vector<std::string> covers;  // codes of the communities newly covered, by code
};

struct PlacementReport {
  registry::OrgUnit area;
  CircleOptions options;
  int k = 0;
  int points = 0;                 // the points of the circle counted
  int candidate_points = 0;       // active points not dispensing to the public
  int candidate_communities = 0;  // located communities
  Coverage before, after;         // after all suggestions
  std::vector<SuggestedSite> suggestions;
  Date as_of{};
};

class NetworkService {
 public:
  NetworkService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                 const registry::RegistryService& registry);

  Result<std::vector<ServicePoint>> ListPoints(const auth::Principal& who, const PointFilter& f);
  Result<PointDetail> GetPoint(const auth::Principal& who, const std::string& id);
  // Field errors: name, staff_count, services, org_code (unknown_org, outside_jurisdiction).
  Result<PointDetail> CreatePoint(const auth::Principal& who, const PointInput& in);
  Result<PointDetail> UpdatePoint(const auth::Principal& who, const std::string& id,
                                  const PointChange& change, int expected_version);
  // Field errors: point (not_demonstration), checked_on (in_future).
  Result<PointDetail> RecordCheck(const auth::Principal& who, const std::string& point_id,
                                  const CheckInput& in);

  Result<std::vector<GatheringPlace>> ListPlaces(const auth::Principal& who, int limit);
  Result<GatheringPlace> CreatePlace(const auth::Principal& who, const PlaceInput& in);
  Result<GatheringPlace> UpdatePlace(const auth::Principal& who, const std::string& id,
                                     const PlaceChange& change, int expected_version);

  // The position of a community (org unit of level community) within the caller's scope.
  Status SetPosition(const auth::Principal& who, const std::string& code, LatLon at);

  Result<NetworkSummary> Summary(const auth::Principal& who);
  Result<CircleReport> Circle(const auth::Principal& who, const std::string& area_code,
                              const CircleOptions& options);
  // Field errors from CheckPlacement first (nothing read, nothing audited).
  Result<PlacementReport> Placement(const auth::Principal& who, const std::string& area_code, int k,
                                    const CircleOptions& options);

 private:
  // The org unit `code` (default the caller's) when it lies within `scope`: field errors on
  // org_code otherwise, the outside case audited as denied under `action`.
  Result<registry::OrgUnit> UnitFor(const auth::Principal& who, const auth::Scope& scope,
                                    const std::string& code, const std::string& action);
  PointDetail Detail(soci::session& s, ServicePoint p, Date today) const;
  struct RowAction {
    std::string action, object_type;
    Status not_found;
  };
  // kNetworkWrite (refusal audited), then `change(session, scope, row)` in one write transaction
  // on the row `id` read by `get` in the caller's scope; outside it: not found, audited as
  // denied; a move outside the scope (field error outside_jurisdiction): audited as denied.
  template <class Row, class T, class Get, class F>
  Result<T> ChangeRow(const auth::Principal& who, const std::string& id, const RowAction& what,
                      Get get, F change);
  // `permission` (refusal audited), then the org unit `code` when it lies within `scope`; not
  // found otherwise, the outside case audited as denied under `action`.
  Result<registry::OrgUnit> AreaFor(const auth::Principal& who, auth::Permission permission,
                                    const auth::Scope& scope, const std::string& code,
                                    const std::string& action);
  // The area's active points and its communities (women aged 15–49 today), for Circle and
  // Placement: kAggregateRead (refusal audited under `action`), the area within the caller's
  // AggregateScopeOf (not found otherwise, audited).
  struct AreaNetwork {
    registry::OrgUnit area;
    std::vector<ServicePoint> points;  // active
    std::vector<CommunityRow> communities;
    Date today{};
  };
  Result<AreaNetwork> ReadArea(const auth::Principal& who, const std::string& area_code,
                               const std::string& action);
  // A new point or place of `org`: a new id, created and updated now by `who`.
  template <class Row>
  Row NewRow(const auth::Principal& who, const registry::OrgUnit& org) const;
  // Sets org_code/org_path to the unit `code` when given and different: field errors on
  // org_code for an unknown unit or one outside `scope`.
  Status MoveTo(const auth::Scope& scope, const std::optional<std::string>& code,
                std::string& org_code, std::string& org_path) const;
  // StaleVersion unless the row is at `expected_version`; then the next version, by `who`, now.
  template <class Row>
  Status Bump(const auth::Principal& who, int expected_version, Row& row) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

}  // namespace jd::network
