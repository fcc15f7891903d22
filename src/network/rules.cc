// The rules of the stored service network (network/rules.h).
#include "network/rules.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

namespace jd::network {

namespace {

template <class E, std::size_t N>
std::optional<E> ParseOf(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view code) {
  for (const auto& [e, c] : table) {
    if (c == code) return e;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view CodeOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [x, c] : table) {
    if (x == e) return c;
  }
  return "";
}

constexpr std::array<std::pair<PointKind, std::string_view>, 8> kPointKindCodes = {{
    {PointKind::kChsCentre, "chs_centre"},
    {PointKind::kChsStation, "chs_station"},
    {PointKind::kTownshipCentre, "township_centre"},
    {PointKind::kVillageClinic, "village_clinic"},
    {PointKind::kFpStation, "fp_station"},
    {PointKind::kDistributionStaffed, "distribution_staffed"},
    {PointKind::kDistributionMachine, "distribution_machine"},
    {PointKind::kDemonstration, "demonstration"},
}};

constexpr std::array<std::pair<PlaceKind, std::string_view>, 5> kPlaceKindCodes = {{
    {PlaceKind::kEnterprise, "enterprise"},
    {PlaceKind::kMarket, "market"},
    {PlaceKind::kIndustrialPark, "industrial_park"},
    {PlaceKind::kConstructionSite, "construction_site"},
    {PlaceKind::kDormitory, "dormitory"},
}};

constexpr std::array<std::pair<ChecklistItem, std::string_view>, 6> kItemCodes = {{
    {ChecklistItem::kFreeServices, "free_services"},
    {ChecklistItem::kLectureHall, "lecture_hall"},
    {ChecklistItem::kBulletinBoard, "bulletin_board"},
    {ChecklistItem::kVideoPlayer, "video_player"},
    {ChecklistItem::kMaterials, "materials"},
    {ChecklistItem::kPlaque, "plaque"},
}};

constexpr std::array<std::string_view, 10> kServices = {
    "contraceptives",      "fp_guidance",  "iud_check",     "fp_procedures", "health_education",
    "reproductive_health", "immunization", "maternal_care", "child_care",    "chronic_disease",
};

constexpr int kMaxStaff = 10000;

}  // namespace

std::string_view PointKindCode(PointKind k) { return CodeOf(kPointKindCodes, k); }
std::optional<PointKind> ParsePointKind(std::string_view code) {
  return ParseOf(kPointKindCodes, code);
}
std::string_view PlaceKindCode(PlaceKind k) { return CodeOf(kPlaceKindCodes, k); }
std::optional<PlaceKind> ParsePlaceKind(std::string_view code) {
  return ParseOf(kPlaceKindCodes, code);
}
std::string_view ChecklistItemCode(ChecklistItem i) { return CodeOf(kItemCodes, i); }
std::optional<ChecklistItem> ParseChecklistItem(std::string_view code) {
  return ParseOf(kItemCodes, code);
}

bool IsServiceCode(std::string_view code) {
  return std::find(kServices.begin(), kServices.end(), code) != kServices.end();
}

std::optional<CoordSystem> ParseCoordSystem(std::string_view code) {
  if (code == "wgs84") return CoordSystem::kWgs84;
  if (code == "gcj02") return CoordSystem::kGcj02;
  return std::nullopt;
}

std::optional<LatLon> ToWgs84(double lat, double lon, CoordSystem system, FieldErrors& errors) {
  FieldErrors mine;
  CheckLatLon(lat, lon, "", mine);
  if (!mine.empty()) {
    errors.Append(mine.errors());
    return std::nullopt;
  }
  const LatLon given{lat, lon};
  return system == CoordSystem::kGcj02 ? Gcj02ToWgs84(given) : given;
}

void CheckPoint(const PointFields& p, FieldErrors& errors) {
  CheckPlaceName(p.name, errors);
  if (p.staff_count < 0 || p.staff_count > kMaxStaff) {
    errors.Add("staff_count", "out_of_range", "工作人员数应为 0–10000",
               "staff_count must be from 0 to 10,000");
  }
  std::set<std::string> seen;
  for (const std::string& s : p.services) {
    if (!IsServiceCode(s)) {
      errors.Add("services", "invalid_value", std::string("服务项目代码应为 ") + kServiceCodes,
                 std::string("services must be codes among ") + kServiceCodes);
      return;
    }
    if (!seen.insert(s).second) {
      errors.Add("services", "duplicate", "服务项目重复：" + s, "services lists twice: " + s);
      return;
    }
  }
}

void CheckPlaceName(const std::string& name, FieldErrors& errors) {
  if (name.empty() && !errors.Has("name")) {
    errors.Add("name", "required", "名称为必填项", "name is required");
  }
}

Compliance DemoPointCompliance(const DemoPoint& p, Date on) {
  Compliance c;
  if (!p.active || p.kind != PointKind::kDemonstration) {
    c.missing.assign(std::begin(kChecklistItems), std::end(kChecklistItems));
    return c;
  }
  Date latest{};
  for (ChecklistItem item : kChecklistItems) {
    auto it = p.checked.find(item);
    if (it == p.checked.end() || on < it->second) {
      c.missing.push_back(item);
    } else if (latest < it->second) {
      latest = it->second;
    }
  }
  c.compliant = c.missing.empty();
  if (c.compliant) c.since = latest;
  return c;
}

std::vector<DistrictDemo> DistrictDemoStatus(const std::vector<std::string>& districts,
                                             const std::vector<DemoPoint>& points, Date on) {
  std::vector<DistrictDemo> out;
  auto entry = [&](const std::string& code) -> DistrictDemo& {
    for (DistrictDemo& d : out) {
      if (d.district == code) return d;
    }
    out.push_back(DistrictDemo{.district = code});
    return out.back();
  };
  for (const std::string& d : districts) entry(d);
  for (const DemoPoint& p : points) {
    if (!p.active || p.kind != PointKind::kDemonstration) continue;
    DistrictDemo& d = entry(p.district);
    ++d.demonstration_points;
    const Compliance c = DemoPointCompliance(p, on);
    if (!c.compliant) continue;
    ++d.compliant;
    d.has_compliant = true;
    if (!d.first_compliant || *c.since < *d.first_compliant) d.first_compliant = c.since;
    if (!(kDemoDeadline < *c.since)) d.met_deadline = true;
  }
  return out;
}

AssociationFigures AssociationCoverage(const std::vector<bool>& has_association) {
  AssociationFigures f;
  f.places = static_cast<std::int64_t>(has_association.size());
  f.with_association = std::count(has_association.begin(), has_association.end(), true);
  if (f.places > 0) {
    f.share = static_cast<double>(f.with_association) / static_cast<double>(f.places);
    f.meets_target = *f.share >= kAssociationTarget;
  }
  return f;
}

}  // namespace jd::network
