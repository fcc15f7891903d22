// File: education/norms.h
// Health education (健康教育) where migrants live and work, counted against the norms of
// 国家基本公共卫生服务规范（第三版）(2017) 健康教育服务规范 ("规范") 二(二) 服务形式及要求, as pure
// functions: the activity kinds and venue types, the validation of one activity, and a service
// point's year measured against the norms. Nothing here reads a clock, a file or a database.
//
// Sources: 规范 二(二)1(1) printed materials ≥12 kinds a year per institution, 二(二)1(2)
// audio-video ≥6 kinds a year (played at 乡镇卫生院 / 社区卫生服务中心), 二(二)2 bulletin boards
// (≥2 at centres, ≥1 at stations and village clinics, content changed at least every 2 months),
// 二(二)3 ≥9 public consultation events a year at centres, 二(二)4 lectures ≥1 a month at centres
// and ≥1 every 2 months at stations and village clinics. The figures are confirmed in a stored
// copy of the text; the sub-section numbers were not re-read in the issued document. The venues
// are those of 南宁市流动人口基本公共卫生计生服务均等化实施办法 (2017) 四(二).
//
// The norms are data (data/education/norms.json, compiled in): DefaultNorms() is that file;
//   ParseNorms(text) reads another (Status::Invalid naming the broken member).
// CheckActivity(a, today): field errors (Chinese and English) of one activity: "date" in the future
//   (in_future) or before 1900 (too_early), "attendance" negative (negative) or above 100,000
//   (too_large), "materials[i].title" empty (required), "materials[i].quantity" not positive
//   (not_positive) or above 100,000 (too_large), "materials" empty for a material distribution or
//   a video screening (required), a video screening's material that is not audio-video
//   (wrong_format, on "materials[i].format").
// MeasureYear(norms, type, year, as_of, activities): every norm that applies to the point type
//   with its required count for the year, the count due by `as_of`, the actual count and the
//   shortfall; bulletin-board gaps longer than 2 months. See the function for the policies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::education {

// 规范 二(二): the forms of health education, as recorded.
enum class ActivityKind {
  kLecture,        // 健康知识讲座 (二(二)4)
  kConsultation,   // 公众健康咨询 / 宣传活动 (二(二)3)
  kFreeClinic,     // 义诊 (实施办法 四(二) 关怀关爱流动人口健康义诊活动)
  kBulletinBoard,  // 宣传栏内容更换 (二(二)2)
  kMaterialDistribution,  // 发放印刷资料 (二(二)1(1))
  kVideoScreening,        // 播放音像资料 (二(二)1(2))
};

// 实施办法 四(二): 社区、企业、各类市场、建筑工地、学校、产业园区.
enum class Venue { kCommunity, kEnterprise, kMarket, kConstructionSite, kSchool, kIndustrialPark };

// 乡镇卫生院 / 社区卫生服务中心 (centre) or 村卫生室 / 社区卫生服务站 (station).
enum class PointType { kCentre, kStation };

enum class MaterialFormat { kPrinted, kAudioVideo };

std::string_view ActivityKindCode(ActivityKind k);
std::optional<ActivityKind> ParseActivityKind(std::string_view code);
std::string_view VenueCode(Venue v);
std::optional<Venue> ParseVenue(std::string_view code);
std::string_view PointTypeCode(PointType t);
// The type whose norms apply to a service point of the network (network/rules.h PointKind codes):
// 社区卫生服务中心 and 乡镇卫生院 are centres, 社区卫生服务站 and 村卫生室 stations (规范 二(二)
// names these four); other kinds (family-planning stations, distribution points, demonstration
// points) have no norms: nullopt.
std::optional<PointType> NormsTypeOfPointKind(std::string_view point_kind);
std::optional<PointType> ParsePointType(std::string_view code);
std::string_view MaterialFormatCode(MaterialFormat f);
std::optional<MaterialFormat> ParseMaterialFormat(std::string_view code);

// One kind of material (a title) handed out or played, with the number of copies or showings.
struct Material {
  std::string title;  // the kind: two records with the same title and format are one kind
  MaterialFormat format = MaterialFormat::kPrinted;
  int quantity = 1;
};

struct Activity {
  ActivityKind kind = ActivityKind::kLecture;
  Venue venue = Venue::kCommunity;
  Date date{};
  // The bulletin board whose content was changed (kBulletinBoard); "" is the point's only board.
  std::string board;
  int attendance = 0;
  std::vector<Material> materials;
};

// One norm of the file, e.g. lectures: 12 a year at centres, 6 at stations.
struct Norm {
  std::string id;
  std::string measure;  // lectures, consultations, boards, board_updates, printed_kinds,
                        // audio_video_kinds
  std::optional<int> required_centre;
  std::optional<int> required_station;
  int every_months = 0;  // board_updates: the longest interval between two changes
  std::string section;   // the 规范 sub-section it comes from
  std::string label_zh;
  std::string label_en;
};

struct Norms {
  std::string source;
  std::vector<Norm> norms;
};

Result<Norms> ParseNorms(std::string_view text);
// data/education/norms.json. Throws std::logic_error if the shipped file is broken (a build
// mistake the unit tests catch).
const Norms& DefaultNorms();

std::vector<FieldError> CheckActivity(const Activity& a, const Date& today);

// A bulletin board left unchanged for longer than the norm allows: from `from` (the last change,
// or 1 January when none is known) to `to` (the next change, or the end of the period when
// `open`), more than `every_months` months.
struct BoardGap {
  std::string board;
  Date from{};
  Date to{};
  bool open = false;  // no change yet: the gap runs on past the end of the period
  int days = 0;       // DaysBetween(from, to)
};

struct NormResult {
  std::string id;
  std::string measure;
  std::string section;
  std::string label_zh;
  std::string label_en;
  int required = 0;            // for the whole year
  int due = 0;                 // by the end of the period (see MeasureYear)
  int actual = 0;              // in the period
  int shortfall = 0;           // max(0, due - actual)
  std::vector<BoardGap> gaps;  // board_updates only
  bool met = true;             // shortfall == 0 and no gap
};

struct YearMeasure {
  int year = 0;
  Date period_end{};  // 31 December, or `as_of` when earlier
  bool whole_year = true;
  std::vector<NormResult> norms;  // in the file's order, only those that apply to the type
};

// The point's year `year` measured on `as_of` (both chosen by the caller; `as_of` before 1 January
// of the year gives the field error as_of/before_year).
//
// Period: 1 January to period_end = min(31 December, as_of); activities outside it are not
// counted (a board change before the year only opens the first interval, see below).
//
// Due (our policy: the 规范 states yearly counts, not a calendar within the year): for a past year
// due = required. For the current year the count-per-year norms are pro-rated by the months
// completed: due = floor(required × m / 12), m = the calendar months of the year whose last day is
// on or before as_of (on 30 June m = 6, so 6 of 12 lectures are due; on 29 June m = 5). The
// number of boards (boards) is not pro-rated: the boards are fixtures.
//
// Counting: lectures = kLecture; consultations = kConsultation and kFreeClinic (our policy: a 义诊
// is held as a public health consultation event with free examinations); boards = distinct board
// names changed on or before period_end (also before the year: the board exists); board_updates =
// kBulletinBoard changes in the period; printed_kinds / audio_video_kinds = distinct material
// titles of that format (after trimming) handed out or played in the period, whatever the
// activity.
//
// Gaps (二(二)2 每2个月最少更换1次): for every board changed in the period or before it, the
// changes in date order; the first interval starts at the board's last change before the year,
// or at 1 January when none is given (our policy: the year opens as if just changed). A change on
// b after a change (or start) on a is late when b > AddMonths(a, 2) (1 January → 1 March is in
// time, 2 March is late); the interval after the last change is open and late when period_end >
// AddMonths(last, 2). Each late interval is one BoardGap; with no board changed at all, one open
// gap of the board "" from 1 January when period_end is past 1 March.
Result<YearMeasure> MeasureYear(const Norms& norms, PointType type, int year, const Date& as_of,
                                const std::vector<Activity>& activities);

}  // namespace jd::education
