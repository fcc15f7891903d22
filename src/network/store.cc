// The SQL of the stored service network (network/store.h).
#include "network/store.h"

#include <string_view>

#include "core/code_list.h"

namespace jd::network {

namespace {

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

long long Int(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : storage::RowInt64(r, i);
}

double Double(const soci::row& r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return r.get<double>(i);
    case soci::dt_integer:
    case soci::dt_long_long:
    case soci::dt_unsigned_long_long:
      return static_cast<double>(storage::RowInt64(r, i));
    default:
      return std::stod(r.get<std::string>(i));
  }
}

constexpr const char* kPointColumns =
    "id, kind, name, org_code, org_path, address, lat, lon, opening_hours, staff_count, services, "
    "free_contraceptives, open_to_public, active, version, created_at, created_by, updated_at, "
    "updated_by";
constexpr std::size_t kPointPath = 4;

ServicePoint ReadPoint(const soci::row& r) {
  ServicePoint p;
  p.id = r.get<std::string>(0);
  p.kind = ParsePointKind(r.get<std::string>(1)).value_or(PointKind::kChsCentre);
  p.name = r.get<std::string>(2);
  p.org_code = r.get<std::string>(3);
  p.org_path = r.get<std::string>(4);
  p.address = Text(r, 5);
  p.at = {Double(r, 6), Double(r, 7)};
  p.opening_hours = Text(r, 8);
  p.staff_count = static_cast<int>(Int(r, 9));
  p.services = SplitCodes(Text(r, 10));
  p.free_contraceptives = Int(r, 11) == 1;
  p.open_to_public = Int(r, 12) == 1;
  p.active = Int(r, 13) == 1;
  p.version = static_cast<int>(Int(r, 14));
  p.created_at = r.get<std::string>(15);
  p.created_by = r.get<std::string>(16);
  p.updated_at = r.get<std::string>(17);
  p.updated_by = r.get<std::string>(18);
  return p;
}

constexpr const char* kPlaceColumns =
    "id, kind, name, org_code, org_path, lat, lon, has_fp_association, version, created_at, "
    "created_by, updated_at, updated_by";
constexpr std::size_t kPlacePath = 4;

GatheringPlace ReadPlace(const soci::row& r) {
  GatheringPlace p;
  p.id = r.get<std::string>(0);
  p.kind = ParsePlaceKind(r.get<std::string>(1)).value_or(PlaceKind::kEnterprise);
  p.name = r.get<std::string>(2);
  p.org_code = r.get<std::string>(3);
  p.org_path = r.get<std::string>(4);
  p.at = {Double(r, 5), Double(r, 6)};
  p.has_fp_association = Int(r, 7) == 1;
  p.version = static_cast<int>(Int(r, 8));
  p.created_at = r.get<std::string>(9);
  p.created_by = r.get<std::string>(10);
  p.updated_at = r.get<std::string>(11);
  p.updated_by = r.get<std::string>(12);
  return p;
}

// The row of `table` with `id` as `read` makes it, or Outside when its org_path is not covered.
template <class T, class ReadFn>
auth::ScopedRow<T> GetScoped(soci::session& s, const auth::Scope& scope, const char* table,
                             const char* columns, std::size_t path_column, const std::string& id,
                             ReadFn read) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + columns + " FROM " + table + " WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(path_column))) return auth::ScopedRow<T>::Outside();
    return auth::ScopedRow<T>::Found(read(r));
  }
  return {};
}

}  // namespace

void NetworkStore::InsertPoint(soci::session& s, const ServicePoint& p) {
  const std::string kind(PointKindCode(p.kind)), services = JoinCodes(p.services);
  const int free = p.free_contraceptives ? 1 : 0, open = p.open_to_public ? 1 : 0,
            active = p.active ? 1 : 0;
  s << "INSERT INTO service_points(id, kind, name, org_code, org_path, address, lat, lon, "
       "opening_hours, staff_count, services, free_contraceptives, open_to_public, active, "
       "version, created_at, created_by, updated_at, updated_by) VALUES (:id, :kind, :name, "
       ":org, :path, :address, :lat, :lon, :hours, :staff, :services, :free, :open, :active, "
       ":version, :ca, :cb, :ua, :ub)",
      soci::use(p.id), soci::use(kind), soci::use(p.name), soci::use(p.org_code),
      soci::use(p.org_path), soci::use(p.address), soci::use(p.at.lat), soci::use(p.at.lon),
      soci::use(p.opening_hours), soci::use(p.staff_count), soci::use(services), soci::use(free),
      soci::use(open), soci::use(active), soci::use(p.version), soci::use(p.created_at),
      soci::use(p.created_by), soci::use(p.updated_at), soci::use(p.updated_by);
}

bool NetworkStore::UpdatePoint(soci::session& s, const auth::Scope& scope, const ServicePoint& p,
                               int expected_version) {
  const auth::PathRange range = scope.Range();
  const std::string kind(PointKindCode(p.kind)), services = JoinCodes(p.services);
  const int free = p.free_contraceptives ? 1 : 0, open = p.open_to_public ? 1 : 0,
            active = p.active ? 1 : 0;
  soci::statement st =
      (s.prepare << "UPDATE service_points SET kind = :kind, name = :name, org_code = :org, "
                    "org_path = :path, address = :address, lat = :lat, lon = :lon, "
                    "opening_hours = :hours, staff_count = :staff, services = :services, "
                    "free_contraceptives = :free, open_to_public = :open, active = :active, "
                    "version = :version, updated_at = :ua, updated_by = :ub WHERE id = :id AND "
                    "version = :ev AND org_path >= :lo AND org_path < :hi",
       soci::use(kind), soci::use(p.name), soci::use(p.org_code), soci::use(p.org_path),
       soci::use(p.address), soci::use(p.at.lat), soci::use(p.at.lon), soci::use(p.opening_hours),
       soci::use(p.staff_count), soci::use(services), soci::use(free), soci::use(open),
       soci::use(active), soci::use(p.version), soci::use(p.updated_at), soci::use(p.updated_by),
       soci::use(p.id), soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<ServicePoint> NetworkStore::GetPoint(soci::session& s, const auth::Scope& scope,
                                                     const std::string& id) {
  return GetScoped<ServicePoint>(s, scope, "service_points", kPointColumns, kPointPath, id,
                                 ReadPoint);
}

std::vector<ServicePoint> NetworkStore::ListPoints(soci::session& s, const auth::Scope& scope,
                                                   const PointFilter& f) {
  const auth::PathRange range = scope.Range();
  const std::string kind = f.kind ? std::string(PointKindCode(*f.kind)) : std::string();
  const int any_kind = f.kind ? 0 : 1, active_only = f.active_only ? 1 : 0;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kPointColumns +
                        " FROM service_points WHERE org_path >= :lo AND org_path < :hi AND "
                        "(:any = 1 OR kind = :kind) AND (:ao = 0 OR active = 1) "
                        "ORDER BY org_path, name, id LIMIT :limit",
       soci::use(range.lo), soci::use(range.hi), soci::use(any_kind), soci::use(kind),
       soci::use(active_only), soci::use(f.limit));
  std::vector<ServicePoint> out;
  for (const auto& r : rows) out.push_back(ReadPoint(r));
  return out;
}

void NetworkStore::InsertPlace(soci::session& s, const GatheringPlace& p) {
  const std::string kind(PlaceKindCode(p.kind));
  const int assoc = p.has_fp_association ? 1 : 0;
  s << "INSERT INTO gathering_places(id, kind, name, org_code, org_path, lat, lon, "
       "has_fp_association, version, created_at, created_by, updated_at, updated_by) VALUES "
       "(:id, :kind, :name, :org, :path, :lat, :lon, :assoc, :version, :ca, :cb, :ua, :ub)",
      soci::use(p.id), soci::use(kind), soci::use(p.name), soci::use(p.org_code),
      soci::use(p.org_path), soci::use(p.at.lat), soci::use(p.at.lon), soci::use(assoc),
      soci::use(p.version), soci::use(p.created_at), soci::use(p.created_by),
      soci::use(p.updated_at), soci::use(p.updated_by);
}

bool NetworkStore::UpdatePlace(soci::session& s, const auth::Scope& scope, const GatheringPlace& p,
                               int expected_version) {
  const auth::PathRange range = scope.Range();
  const std::string kind(PlaceKindCode(p.kind));
  const int assoc = p.has_fp_association ? 1 : 0;
  soci::statement st =
      (s.prepare << "UPDATE gathering_places SET kind = :kind, name = :name, org_code = :org, "
                    "org_path = :path, lat = :lat, lon = :lon, has_fp_association = :assoc, "
                    "version = :version, updated_at = :ua, updated_by = :ub WHERE id = :id AND "
                    "version = :ev AND org_path >= :lo AND org_path < :hi",
       soci::use(kind), soci::use(p.name), soci::use(p.org_code), soci::use(p.org_path),
       soci::use(p.at.lat), soci::use(p.at.lon), soci::use(assoc), soci::use(p.version),
       soci::use(p.updated_at), soci::use(p.updated_by), soci::use(p.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<GatheringPlace> NetworkStore::GetPlace(soci::session& s, const auth::Scope& scope,
                                                       const std::string& id) {
  return GetScoped<GatheringPlace>(s, scope, "gathering_places", kPlaceColumns, kPlacePath, id,
                                   ReadPlace);
}

std::vector<GatheringPlace> NetworkStore::ListPlaces(soci::session& s, const auth::Scope& scope,
                                                     int limit) {
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kPlaceColumns +
                        " FROM gathering_places WHERE org_path >= :lo AND org_path < :hi "
                        "ORDER BY org_path, name, id LIMIT :limit",
       soci::use(range.lo), soci::use(range.hi), soci::use(limit));
  std::vector<GatheringPlace> out;
  for (const auto& r : rows) out.push_back(ReadPlace(r));
  return out;
}

void NetworkStore::PutCheck(soci::session& s, const std::string& point_id, const CheckRecord& c) {
  const std::string item(ChecklistItemCode(c.item)), on = FormatDate(c.checked_on);
  s << "INSERT INTO demo_checklist(point_id, item, checked_on, recorded_at, recorded_by) VALUES "
       "(:p, :i, :on, :at, :by) ON CONFLICT(point_id, item) DO UPDATE SET checked_on = "
       "excluded.checked_on, recorded_at = excluded.recorded_at, recorded_by = "
       "excluded.recorded_by",
      soci::use(point_id), soci::use(item), soci::use(on), soci::use(c.recorded_at),
      soci::use(c.recorded_by);
}

std::vector<CheckRecord> NetworkStore::Checks(soci::session& s, const std::string& point_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT item, checked_on, recorded_at, recorded_by FROM demo_checklist "
                    "WHERE point_id = :p",
       soci::use(point_id));
  std::map<ChecklistItem, CheckRecord> by_item;
  for (const auto& r : rows) {
    auto item = ParseChecklistItem(r.get<std::string>(0));
    auto on = ParseDate(r.get<std::string>(1));
    if (!item || !on) continue;
    by_item[*item] = {*item, *on, r.get<std::string>(2), r.get<std::string>(3)};
  }
  std::vector<CheckRecord> out;
  for (ChecklistItem i : kChecklistItems) {
    if (auto it = by_item.find(i); it != by_item.end()) out.push_back(it->second);
  }
  return out;
}

std::map<std::string, std::map<ChecklistItem, Date>> NetworkStore::ChecksWithin(
    soci::session& s, const auth::Scope& scope) {
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT c.point_id, c.item, c.checked_on FROM demo_checklist c JOIN "
                    "service_points p ON p.id = c.point_id WHERE p.org_path >= :lo AND "
                    "p.org_path < :hi",
       soci::use(range.lo), soci::use(range.hi));
  std::map<std::string, std::map<ChecklistItem, Date>> out;
  for (const auto& r : rows) {
    auto item = ParseChecklistItem(r.get<std::string>(1));
    auto on = ParseDate(r.get<std::string>(2));
    if (item && on) out[r.get<std::string>(0)][*item] = *on;
  }
  return out;
}

std::vector<CommunityRow> NetworkStore::Communities(soci::session& s, const auth::Scope& area,
                                                    Date women_from, Date women_to) {
  const auth::PathRange range = area.Range();
  const std::string from = FormatDate(women_from), to = FormatDate(women_to);
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT o.code, o.name, o.parent_code, o.path, c.lat, c.lon, "
                    "(SELECT COUNT(*) FROM persons p WHERE p.residence_org = o.code AND "
                    "p.status = 'active' AND p.sex = 'F' AND p.birth_date >= :from AND "
                    "p.birth_date <= :to) FROM org_units o LEFT JOIN community_positions c ON "
                    "c.code = o.code WHERE o.level = 'community' AND o.path >= :lo AND "
                    "o.path < :hi ORDER BY o.code",
       soci::use(from), soci::use(to), soci::use(range.lo), soci::use(range.hi));
  std::vector<CommunityRow> out;
  for (const auto& r : rows) {
    CommunityRow c;
    c.code = r.get<std::string>(0);
    c.name = r.get<std::string>(1);
    c.street_code = Text(r, 2);
    c.path = r.get<std::string>(3);
    if (r.get_indicator(4) != soci::i_null && r.get_indicator(5) != soci::i_null) {
      c.at = LatLon{Double(r, 4), Double(r, 5)};
    }
    c.women = Int(r, 6);
    out.push_back(std::move(c));
  }
  return out;
}

void NetworkStore::PutPosition(soci::session& s, const std::string& code, LatLon at,
                               const std::string& updated_at, const std::string& updated_by) {
  s << "INSERT INTO community_positions(code, lat, lon, updated_at, updated_by) VALUES (:c, "
       ":lat, :lon, :at, :by) ON CONFLICT(code) DO UPDATE SET lat = excluded.lat, lon = "
       "excluded.lon, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
      soci::use(code), soci::use(at.lat), soci::use(at.lon), soci::use(updated_at),
      soci::use(updated_by);
}

}  // namespace jd::network
