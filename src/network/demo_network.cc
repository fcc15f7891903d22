// The service network of the demo city (network/demo_network.h).
#include "network/demo_network.h"

#include <array>
#include <cmath>
#include <numbers>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "network/circle.h"
#include "network/store.h"

namespace jd::network {

namespace {

struct Seat {
  std::string_view code;
  LatLon at;
};

// Approximate WGS-84 positions of the seats of Nanning's districts and counties (demo only).
constexpr std::array<Seat, 12> kSeats = {{
    {"450102", {22.854, 108.368}},  // 兴宁区
    {"450103", {22.816, 108.395}},  // 青秀区
    {"450105", {22.781, 108.273}},  // 江南区
    {"450107", {22.833, 108.306}},  // 西乡塘区
    {"450108", {22.759, 108.393}},  // 良庆区
    {"450109", {22.758, 108.487}},  // 邕宁区
    {"450110", {23.159, 108.275}},  // 武鸣区
    {"450123", {23.166, 107.696}},  // 隆安县
    {"450124", {23.708, 108.177}},  // 马山县
    {"450125", {23.432, 108.605}},  // 上林县
    {"450126", {23.217, 108.810}},  // 宾阳县
    {"450181", {22.680, 109.261}},  // 横州市
}};
constexpr LatLon kCitySeat{22.817, 108.366};

LatLon SeatOf(const std::string& code) {
  for (const Seat& s : kSeats) {
    if (s.code == code) return s.at;
  }
  return kCitySeat;
}

// `from` moved `metres` towards `bearing` (radians from north), on the sphere's local plane.
LatLon Offset(LatLon from, double metres, double bearing) {
  constexpr double kMetresPerDegree = kEarthRadiusM * std::numbers::pi / 180.0;
  const double dlat = metres * std::cos(bearing) / kMetresPerDegree;
  const double dlon = metres * std::sin(bearing) /
                      (kMetresPerDegree * std::cos(from.lat * std::numbers::pi / 180.0));
  return {from.lat + dlat, from.lon + dlon};
}

double Angle(SplitMixStream& r) { return r.Between(0, 3599) * std::numbers::pi / 1800.0; }

struct Unit {
  std::string code, name, parent, path, level;
};

constexpr std::array<PlaceKind, 5> kPlaceCycle = {
    PlaceKind::kEnterprise, PlaceKind::kMarket, PlaceKind::kIndustrialPark,
    PlaceKind::kConstructionSite, PlaceKind::kDormitory};
constexpr std::array<std::string_view, 5> kPlaceSuffix = {"电子厂", "农贸市场", "工业园",
                                                          "建设工地", "员工宿舍"};

}  // namespace

Result<DemoNetworkCounts> DemoNetwork(storage::Database& db, const DemoNetworkOptions& options) {
  DemoNetworkCounts counts;
  Status st = db.Write([&](soci::session& s) -> Status {
    std::vector<Unit> units;
    {
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT code, name, COALESCE(parent_code, ''), path, level FROM org_units "
                        "ORDER BY path");
      for (const auto& r : rows) {
        units.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                         r.get<std::string>(3), r.get<std::string>(4)});
      }
    }
    auto children = [&](const std::string& parent, const char* level) {
      std::vector<const Unit*> out;
      for (const Unit& u : units) {
        if (u.parent == parent && u.level == level) out.push_back(&u);
      }
      return out;
    };
    auto stamp = [&](auto& row, const Unit& org) {
      row.id = NewId();
      row.org_code = org.code;
      row.org_path = org.path;
      row.created_at = row.updated_at = options.created_at;
      row.created_by = row.updated_by = options.created_by;
    };
    std::vector<Site> dispensing;
    std::vector<Community> communities;
    int district_index = 0;
    for (const Unit& district : units) {
      if (district.level != "district") continue;
      SplitMixStream r{SplitMix64(options.seed ^ Fnv1a64(district.code))};
      const LatLon seat = SeatOf(district.code);
      const std::vector<const Unit*> streets = children(district.code, "street");
      for (std::size_t si = 0; si < streets.size(); ++si) {
        const Unit& street = *streets[si];
        const LatLon street_at =
            Offset(seat, r.Between(2000, 4000), 2 * std::numbers::pi * si / streets.size());
        const bool township = !street.name.ends_with("街道");
        ServicePoint centre;
        stamp(centre, street);
        centre.kind = township ? PointKind::kTownshipCentre : PointKind::kChsCentre;
        centre.name = street.name + (township ? "卫生院" : "社区卫生服务中心");
        centre.address = street.name + "卫生路" + std::to_string(r.Between(1, 99)) + "号";
        centre.at = street_at;
        centre.opening_hours = "周一至周日 8:00-17:30";
        centre.staff_count = r.Between(12, 45);
        centre.services = {"contraceptives", "fp_guidance",   "iud_check", "health_education",
                           "immunization",   "maternal_care", "child_care"};
        centre.free_contraceptives = true;
        NetworkStore::InsertPoint(s, centre);
        dispensing.push_back({centre.id, centre.at});
        ++counts.points;
        if (si == 0) {
          // The district's demonstration point, beside its first street's centre.
          ServicePoint demo;
          stamp(demo, street);
          demo.kind = PointKind::kDemonstration;
          demo.name = district.name + "流动人口基本公共卫生计生服务示范点";
          demo.address = centre.address;
          demo.at = Offset(street_at, 300, Angle(r));
          demo.opening_hours = centre.opening_hours;
          demo.staff_count = r.Between(3, 8);
          demo.services = {"contraceptives", "fp_guidance", "health_education"};
          demo.free_contraceptives = true;
          NetworkStore::InsertPoint(s, demo);
          ++counts.points;
          ++counts.demonstration;
          const bool late = district_index % 4 == 3;
          const bool no_plaque = district_index % 5 == 4;
          const Date first =
              late ? Date{std::chrono::year(2019), std::chrono::March, std::chrono::day(1)}
                   : Date{std::chrono::year(2018), std::chrono::March, std::chrono::day(1)};
          for (ChecklistItem item : kChecklistItems) {
            if (no_plaque && item == ChecklistItem::kPlaque) continue;
            NetworkStore::PutCheck(s, demo.id,
                                   {.item = item,
                                    .checked_on = AddDays(first, r.Between(0, 80)),
                                    .recorded_at = options.created_at,
                                    .recorded_by = options.created_by});
          }
          if (!no_plaque) ++counts.compliant_districts;
        }
        for (const Unit* c : children(street.code, "community")) {
          const LatLon at = Offset(street_at, r.Between(450, 1300), Angle(r));
          NetworkStore::PutPosition(s, c->code, at, options.created_at, options.created_by);
          communities.push_back({c->code, at, 1});
          ++counts.communities;
          const int draw = r.Between(0, 99);
          if (draw >= 70) continue;  // no point of its own
          const bool village = c->name.ends_with("村");
          ServicePoint p;
          stamp(p, *c);
          p.kind = draw < 55 ? (village ? PointKind::kVillageClinic : PointKind::kChsStation)
                             : PointKind::kDistributionMachine;
          p.name = c->name + (draw >= 55 ? "避孕药具自助发放机"
                              : village  ? "卫生室"
                                         : "社区卫生服务站");
          p.address = c->name + "服务中心一楼";
          p.at = Offset(at, r.Between(0, 200), Angle(r));
          p.opening_hours = draw >= 55 ? "全天" : "周一至周六 8:00-12:00 14:30-17:30";
          p.staff_count = draw >= 55 ? 0 : r.Between(1, 5);
          p.services = {"contraceptives"};
          p.free_contraceptives = true;
          NetworkStore::InsertPoint(s, p);
          dispensing.push_back({p.id, p.at});
          ++counts.points;
        }
        const int n_places = r.Between(2, 4);
        for (int k = 0; k < n_places; ++k) {
          GatheringPlace g;
          stamp(g, street);
          const std::size_t kind = static_cast<std::size_t>(k + si) % kPlaceCycle.size();
          g.kind = kPlaceCycle[kind];
          g.name = street.name + std::string(kPlaceSuffix[kind]);
          g.at = Offset(street_at, r.Between(300, 2500), Angle(r));
          g.has_fp_association = r.PerMille(900);
          NetworkStore::InsertPlace(s, g);
          ++counts.places;
          counts.with_association += g.has_fp_association ? 1 : 0;
        }
      }
      ++district_index;
    }
    const std::vector<Reach> reach = ReachOf(dispensing, communities, CircleOptions{});
    for (const Reach& x : reach) counts.communities_outside += x.covered ? 0 : 1;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return counts;
}

}  // namespace jd::network
