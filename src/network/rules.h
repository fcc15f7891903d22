// File: network/rules.h
// The rules of the stored service network: what a service point, a gathering place and a
// demonstration point's checklist may hold, and the two per-district figures built on them. Pure
// functions, thread-safe.
//
// Kinds. PointKind: the service points the network is built on (南宁市流动人口基本公共卫生计生服务
//   均等化实施办法 §六(二): "依托现有的计划生育技术服务站(所)、卫生技术服务网络,
//   合理规划流动人口基本 公共卫生计生服务点"): community health service centre and station,
//   township health centre, village clinic, family-planning service station, contraceptive
//   distribution point (staffed, or a self-service machine), demonstration point. PlaceKind: where
//   migrants gather (enterprise, market, industrial park, construction site, dormitory). Services:
//   the codes a point may list in `services` (ServiceCode). Each enum has a stable lower-case code
//   and its parse (nullopt for anything else).
//
// Positions. ToWgs84(lat, lon, system, errors): a position as given, in WGS-84 or GCJ-02 (the
//   "coord_system" of the API), checked (latitude in [-90, 90], longitude in [-180, 180]: field
//   errors "lat"/"lon", codes "lat_out_of_range"/"lon_out_of_range", network/coordinates.h) and
//   converted to the WGS-84 position that is stored (Gcj02ToWgs84). nullopt after an error.
//
// CheckPoint(p, errors) / CheckPlace(p, errors): the fields of a point or place before it is
//   stored: a name (required, "name"), staff_count from 0 to 10,000 ("staff_count",
//   "out_of_range"), known service codes ("services", "invalid_value"; no repeats).
//
// The "六个一" (实施办法 §六(二)): a demonstration point (示范点) meets the standard when it has
//   一套免费基本公共卫生计生服务项目, 一个新市民(流动人口)健康教育讲堂, 一个流动人口健康教育宣传栏,
//   一个能够播放流动人口健康教育视频资料的播放机, 一套流动人口健康教育宣传资料, and the plaque
//   "流动人口基本公共卫生计生服务点" hung where it is seen: ChecklistItem, six items. Every county/
//   district builds at least one by the end of May 2018 (kDemoDeadline, 2018-05-31).
//   DemoPointCompliance(point, on): a demonstration point is compliant on `on` when it is active,
//   of kind demonstration, and each of the six items was checked on or before `on`; compliant
//   since the latest of the six check dates. A check never lapses (the 办法 sets no re-check
//   interval). DistrictDemoStatus(points, on): per district the points' compliance; has_compliant
//   when one is compliant on `on`; met_deadline when one was compliant by kDemoDeadline.
//
// AssociationCoverage(places): gathering places with a family-planning association ÷ all of them
//   (实施办法 §六(六): associations "在流动人口集中的社区、企业、集贸市场、工业园区等", "到2020年,
//   力争实现流动人口计划生育协会组织工作覆盖率达到90%以上": kAssociationTarget, reached at 90%
//   exactly); share is nullopt without places.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "network/coordinates.h"

namespace jd::network {

enum class PointKind {
  kChsCentre,            // 社区卫生服务中心
  kChsStation,           // 社区卫生服务站
  kTownshipCentre,       // 乡镇卫生院
  kVillageClinic,        // 村卫生室
  kFpStation,            // 计划生育服务站(所)
  kDistributionStaffed,  // 避孕药具发放点 (staffed)
  kDistributionMachine,  // 避孕药具自助发放机
  kDemonstration,        // 流动人口基本公共卫生计生服务示范点
};
std::string_view PointKindCode(PointKind k);
std::optional<PointKind> ParsePointKind(std::string_view code);
inline constexpr const char* kPointKinds =
    "chs_centre, chs_station, township_centre, village_clinic, fp_station, distribution_staffed, "
    "distribution_machine, demonstration";

enum class PlaceKind { kEnterprise, kMarket, kIndustrialPark, kConstructionSite, kDormitory };
std::string_view PlaceKindCode(PlaceKind k);
std::optional<PlaceKind> ParsePlaceKind(std::string_view code);
inline constexpr const char* kPlaceKinds =
    "enterprise, market, industrial_park, construction_site, dormitory";

// The codes a point may list as services offered.
bool IsServiceCode(std::string_view code);
inline constexpr const char* kServiceCodes =
    "contraceptives, fp_guidance, iud_check, fp_procedures, health_education, "
    "reproductive_health, immunization, maternal_care, child_care, chronic_disease";

enum class CoordSystem { kWgs84, kGcj02 };
std::optional<CoordSystem> ParseCoordSystem(std::string_view code);

enum class ChecklistItem {
  kFreeServices,   // 一套免费基本公共卫生计生服务项目
  kLectureHall,    // 一个新市民(流动人口)健康教育讲堂
  kBulletinBoard,  // 一个流动人口健康教育宣传栏
  kVideoPlayer,    // 一个能够播放流动人口健康教育视频资料的播放机
  kMaterials,      // 一套流动人口健康教育宣传资料
  kPlaque,         // "流动人口基本公共卫生计生服务点"牌匾
};
inline constexpr ChecklistItem kChecklistItems[] = {
    ChecklistItem::kFreeServices, ChecklistItem::kLectureHall, ChecklistItem::kBulletinBoard,
    ChecklistItem::kVideoPlayer,  ChecklistItem::kMaterials,   ChecklistItem::kPlaque,
};
std::string_view ChecklistItemCode(ChecklistItem i);
std::optional<ChecklistItem> ParseChecklistItem(std::string_view code);
inline constexpr const char* kChecklistCodes =
    "free_services, lecture_hall, bulletin_board, video_player, materials, plaque";

// 实施办法 §六(二): "2018年5月底前, 各县(区)、开发区要至少建成1个标准化的...示范点".
inline constexpr Date kDemoDeadline{std::chrono::year(2018), std::chrono::May,
                                    std::chrono::day(31)};
// 实施办法 §六(六): association coverage of the places migrants gather ≥ 90% by 2020.
inline constexpr double kAssociationTarget = 0.9;

std::optional<LatLon> ToWgs84(double lat, double lon, CoordSystem system, FieldErrors& errors);

struct PointFields {
  std::string name;
  int staff_count = 0;
  std::vector<std::string> services;
};
void CheckPoint(const PointFields& p, FieldErrors& errors);
void CheckPlaceName(const std::string& name, FieldErrors& errors);

// A demonstration point as the rule sees it.
struct DemoPoint {
  std::string id;
  std::string district;  // the county/district code the point lies in
  PointKind kind = PointKind::kDemonstration;
  bool active = true;
  std::map<ChecklistItem, Date> checked;  // item → the date it was checked
};

struct Compliance {
  bool compliant = false;
  std::optional<Date> since;           // the latest of the six dates, when compliant
  std::vector<ChecklistItem> missing;  // items not checked on or before the day
};
Compliance DemoPointCompliance(const DemoPoint& p, Date on);

struct DistrictDemo {
  std::string district;
  int demonstration_points = 0;  // active points of kind demonstration
  int compliant = 0;             // of them compliant on the day
  bool has_compliant = false;
  bool met_deadline = false;            // a point was compliant by kDemoDeadline
  std::optional<Date> first_compliant;  // the earliest `since` of the district's points

  bool operator==(const DistrictDemo&) const = default;
};
// One entry per district listed in `districts` (a district without points has has_compliant
// false), then any district met only in `points`; in the order given.
std::vector<DistrictDemo> DistrictDemoStatus(const std::vector<std::string>& districts,
                                             const std::vector<DemoPoint>& points, Date on);

struct AssociationFigures {
  std::int64_t places = 0;
  std::int64_t with_association = 0;
  std::optional<double> share;
  bool meets_target = false;  // share ≥ kAssociationTarget

  bool operator==(const AssociationFigures&) const = default;
};
AssociationFigures AssociationCoverage(const std::vector<bool>& has_association);

}  // namespace jd::network
