// File: network/store.h
// The SQL of the stored service network (migration 0026): service points, gathering places, the
// "六个一" checklist of demonstration points and the positions of communities. Bound parameters
// only; every function runs on the session it is given, inside the caller's transaction.
//
// Scope: service points and gathering places carry the materialised path of their org unit
// (org_path), and every read of them takes an auth::Scope and keeps the rows whose org_path it
// covers (a centre reads its street's, the city everything; the default scope reads nothing). A
// read by id never hands out a row outside the scope (ScopedRow::Outside), and an update changes a
// row only within the scope and at the expected version. Checklist rows are read and written only
// through a point read in scope (REQUIRES below).
//
// Communities(s, area, women_from, women_to): the org units of level community that `area` covers,
// with their street, their position when one is stored (nullopt otherwise) and the number of women
// of reproductive age living there: active persons of sex F born in [women_from, women_to] (the
// caller passes the dates that make ages 15–49 today, REFERENCE.md §5 育龄妇女 15–49, unconfirmed).
// A count only: no person leaves the store.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "network/coordinates.h"
#include "network/rules.h"
#include "storage/database.h"

namespace jd::network {

struct ServicePoint {
  std::string id;
  PointKind kind = PointKind::kChsCentre;
  std::string name;
  std::string org_code, org_path;
  std::string address;
  LatLon at;  // WGS-84
  std::string opening_hours;
  int staff_count = 0;
  std::vector<std::string> services;  // codes (network/rules.h IsServiceCode)
  bool free_contraceptives = false;   // dispenses free contraceptives
  bool open_to_public = true;
  bool active = true;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;

  // A point of the ten-minute circle: active, dispensing free contraceptives to the public.
  bool InCircle() const { return active && free_contraceptives && open_to_public; }
};

struct GatheringPlace {
  std::string id;
  PlaceKind kind = PlaceKind::kEnterprise;
  std::string name;
  std::string org_code, org_path;
  LatLon at;
  bool has_fp_association = false;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

struct CheckRecord {
  ChecklistItem item = ChecklistItem::kFreeServices;
  Date checked_on{};
  std::string recorded_at, recorded_by;
};

struct CommunityRow {
  std::string code, name, street_code, path;
  std::optional<LatLon> at;
  std::int64_t women = 0;  // women of reproductive age living there
};

struct PointFilter {
  std::optional<PointKind> kind;
  bool active_only = false;
  int limit = 1000;
};

class NetworkStore {
 public:
  static void InsertPoint(soci::session& s, const ServicePoint& p);
  static bool UpdatePoint(soci::session& s, const auth::Scope& scope, const ServicePoint& p,
                          int expected_version);
  static auth::ScopedRow<ServicePoint> GetPoint(soci::session& s, const auth::Scope& scope,
                                                const std::string& id);
  // Within `scope`, by org_path then name then id.
  static std::vector<ServicePoint> ListPoints(soci::session& s, const auth::Scope& scope,
                                              const PointFilter& f);

  static void InsertPlace(soci::session& s, const GatheringPlace& p);
  static bool UpdatePlace(soci::session& s, const auth::Scope& scope, const GatheringPlace& p,
                          int expected_version);
  static auth::ScopedRow<GatheringPlace> GetPlace(soci::session& s, const auth::Scope& scope,
                                                  const std::string& id);
  static std::vector<GatheringPlace> ListPlaces(soci::session& s, const auth::Scope& scope,
                                                int limit);

  // REQUIRES: the point was read in the caller's scope. One row per item: a later check replaces
  // the earlier date.
  static void PutCheck(soci::session& s, const std::string& point_id, const CheckRecord& c);
  // In checklist order (network/rules.h kChecklistItems).
  static std::vector<CheckRecord> Checks(soci::session& s, const std::string& point_id);
  // point id → item → date, for the points within `scope`.
  static std::map<std::string, std::map<ChecklistItem, Date>> ChecksWithin(
      soci::session& s, const auth::Scope& scope);

  static std::vector<CommunityRow> Communities(soci::session& s, const auth::Scope& area,
                                               Date women_from, Date women_to);
  static void PutPosition(soci::session& s, const std::string& code, LatLon at,
                          const std::string& updated_at, const std::string& updated_by);
};

}  // namespace jd::network
