#include "education/norms.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "core/code_table.h"
#include "core/embedded.h"
#include "core/input.h"
#include "core/shipped_data.h"
#include "core/text.h"

namespace jd::education {
namespace {

using std::chrono::day;
using std::chrono::December;
using std::chrono::January;
using std::chrono::year;

constexpr CodeTable<ActivityKind, 6> kKinds{{
    {ActivityKind::kLecture, "lecture"},
    {ActivityKind::kConsultation, "consultation"},
    {ActivityKind::kFreeClinic, "free_clinic"},
    {ActivityKind::kBulletinBoard, "bulletin_board"},
    {ActivityKind::kMaterialDistribution, "material_distribution"},
    {ActivityKind::kVideoScreening, "video_screening"},
}};
constexpr CodeTable<Venue, 6> kVenues{{
    {Venue::kCommunity, "community"},
    {Venue::kEnterprise, "enterprise"},
    {Venue::kMarket, "market"},
    {Venue::kConstructionSite, "construction_site"},
    {Venue::kSchool, "school"},
    {Venue::kIndustrialPark, "industrial_park"},
}};
constexpr CodeTable<PointType, 2> kPointTypes{{
    {PointType::kCentre, "centre"},
    {PointType::kStation, "station"},
}};
constexpr CodeTable<MaterialFormat, 2> kFormats{{
    {MaterialFormat::kPrinted, "printed"},
    {MaterialFormat::kAudioVideo, "audio_video"},
}};

constexpr std::string_view kMeasures[] = {"lectures",      "consultations", "boards",
                                          "board_updates", "printed_kinds", "audio_video_kinds"};

// An attendance or a quantity above this is a typing mistake, not a record (our bound).
constexpr int kMaxCount = 100000;

Status BadNorms(const std::string& what) {
  return Status::Invalid({{"norms", "invalid_norms", "健康教育服务规范数据有误：" + what,
                           "the health education norms are broken: " + what}});
}

std::optional<int> Required(const nlohmann::json& req, const char* type) {
  if (!req.contains(type)) return std::nullopt;
  return req[type].get<int>();
}

// Calendar months of `y` whose last day is on or before `as_of` (0–12).
int MonthsCompleted(int y, const Date& as_of) {
  if (static_cast<int>(as_of.year()) > y) return 12;
  if (static_cast<int>(as_of.year()) < y) return 0;
  const unsigned m = static_cast<unsigned>(as_of.month());
  const bool last_day = as_of.day() == std::chrono::year_month_day_last(
                                           as_of.year(), std::chrono::month_day_last(as_of.month()))
                                           .day();
  return static_cast<int>(m) - 1 + (last_day ? 1 : 0);
}

std::vector<BoardGap> Gaps(int y, const Date& period_end, int every_months,
                           const std::vector<Activity>& activities) {
  const Date start{year{y}, January, day{1}};
  std::map<std::string, std::optional<Date>> before;  // board → last change before the year
  std::map<std::string, std::vector<Date>> changes;   // board → changes in the period
  for (const auto& a : activities) {
    if (a.kind != ActivityKind::kBulletinBoard || a.date > period_end) continue;
    const std::string board = Trim(a.board);
    if (a.date < start) {
      auto& b = before[board];
      if (!b || *b < a.date) b = a.date;
      changes[board];
    } else {
      changes[board].push_back(a.date);
      before[board];
    }
  }
  if (changes.empty()) changes[""];
  std::vector<BoardGap> gaps;
  for (auto& [board, dates] : changes) {
    std::sort(dates.begin(), dates.end());
    Date from = before[board].value_or(start);
    for (const Date& d : dates) {
      if (d > AddMonths(from, every_months)) {
        gaps.push_back({board, from, d, false, DaysBetween(from, d)});
      }
      from = d;
    }
    if (period_end > AddMonths(from, every_months)) {
      gaps.push_back({board, from, period_end, true, DaysBetween(from, period_end)});
    }
  }
  return gaps;
}

}  // namespace

std::string_view ActivityKindCode(ActivityKind k) { return CodeOf(kKinds, k); }
std::optional<ActivityKind> ParseActivityKind(std::string_view code) {
  return ParseCode(kKinds, code);
}
std::string_view VenueCode(Venue v) { return CodeOf(kVenues, v); }
std::optional<Venue> ParseVenue(std::string_view code) { return ParseCode(kVenues, code); }
std::string_view PointTypeCode(PointType t) { return CodeOf(kPointTypes, t); }
std::optional<PointType> ParsePointType(std::string_view code) {
  return ParseCode(kPointTypes, code);
}

std::optional<PointType> NormsTypeOfPointKind(std::string_view point_kind) {
  if (point_kind == "chs_centre" || point_kind == "township_centre") return PointType::kCentre;
  if (point_kind == "chs_station" || point_kind == "village_clinic") return PointType::kStation;
  return std::nullopt;
}
std::string_view MaterialFormatCode(MaterialFormat f) { return CodeOf(kFormats, f); }
std::optional<MaterialFormat> ParseMaterialFormat(std::string_view code) {
  return ParseCode(kFormats, code);
}

Result<Norms> ParseNorms(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("norms") || !j["norms"].is_array()) {
    return BadNorms("no norms array");
  }
  Norms out;
  out.source = j.value("source", "");
  std::set<std::string> ids;
  for (const auto& n : j["norms"]) {
    if (!n.is_object() || !n.contains("id") || !n["id"].is_string() || !n.contains("measure") ||
        !n["measure"].is_string() || !n.contains("required") || !n["required"].is_object()) {
      return BadNorms("a norm needs an id, a measure and the required counts");
    }
    Norm norm;
    norm.id = n["id"].get<std::string>();
    norm.measure = n["measure"].get<std::string>();
    if (!ids.insert(norm.id).second) return BadNorms("norm " + norm.id + " twice");
    if (std::find(std::begin(kMeasures), std::end(kMeasures), norm.measure) ==
        std::end(kMeasures)) {
      return BadNorms("norm " + norm.id + ": unknown measure " + norm.measure);
    }
    const auto& req = n["required"];
    for (const auto& [type, count] : req.items()) {
      if (!ParsePointType(type)) return BadNorms("norm " + norm.id + ": unknown type " + type);
      if (!count.is_number_integer() || count.get<int>() < 0) {
        return BadNorms("norm " + norm.id + ": a count is a whole number ≥ 0");
      }
    }
    norm.required_centre = Required(req, "centre");
    norm.required_station = Required(req, "station");
    norm.every_months = n.value("every_months", 0);
    if (norm.measure == "board_updates" && norm.every_months <= 0) {
      return BadNorms("norm " + norm.id + ": board_updates needs every_months ≥ 1");
    }
    norm.section = n.value("section", "");
    norm.label_zh = n.value("label_zh", norm.id);
    norm.label_en = n.value("label_en", norm.id);
    out.norms.push_back(std::move(norm));
  }
  return out;
}

const Norms& DefaultNorms() {
  static const Norms kNorms =
      ParseShipped(ParseNorms, embedded::education_norms(), "education norms");
  return kNorms;
}

std::vector<FieldError> CheckActivity(const Activity& a, const Date& today) {
  FieldErrors errors;
  if (auto e = CheckDate(a.date, DateKind::kPastEvent, today, "date", "活动日期")) errors.Add(*e);
  if (a.attendance < 0) {
    errors.Add("attendance", "negative", "参加人数不能为负数", "attendance is negative");
  } else if (a.attendance > kMaxCount) {
    errors.Add("attendance", "too_large", fmt::format("参加人数不能超过{}", kMaxCount),
               fmt::format("attendance is above {}", kMaxCount));
  }
  const bool needs_material =
      a.kind == ActivityKind::kMaterialDistribution || a.kind == ActivityKind::kVideoScreening;
  if (needs_material && a.materials.empty()) {
    errors.Add("materials", "required", "发放资料或播放音像须列出资料",
               "materials are required for a distribution or a screening");
  }
  for (std::size_t i = 0; i < a.materials.size(); ++i) {
    const Material& m = a.materials[i];
    const std::string at = fmt::format("materials[{}]", i);
    const std::string nth = fmt::format("第{}项资料", i + 1);
    if (Trim(m.title).empty()) {
      errors.Add(at + ".title", "required", nth + "须填写名称", at + ".title is required");
    }
    if (m.quantity <= 0) {
      errors.Add(at + ".quantity", "not_positive", nth + "数量须大于0",
                 at + ".quantity must be above 0");
    } else if (m.quantity > kMaxCount) {
      errors.Add(at + ".quantity", "too_large", fmt::format("{}数量不能超过{}", nth, kMaxCount),
                 fmt::format("{}.quantity is above {}", at, kMaxCount));
    }
    if (a.kind == ActivityKind::kVideoScreening && m.format != MaterialFormat::kAudioVideo) {
      errors.Add(at + ".format", "wrong_format", nth + "须为音像资料",
                 at + ".format must be audio_video for a video screening");
    }
  }
  return errors.errors();
}

Result<YearMeasure> MeasureYear(const Norms& norms, PointType type, int y, const Date& as_of,
                                const std::vector<Activity>& activities) {
  const Date start{year{y}, January, day{1}};
  const Date end{year{y}, December, day{31}};
  if (!as_of.ok() || as_of < start) {
    return Status::Invalid({{"as_of", "before_year", fmt::format("统计日期不能早于{}年1月1日", y),
                             fmt::format("as_of is before 1 January {}", y)}});
  }
  YearMeasure out;
  out.year = y;
  out.period_end = std::min(as_of, end);
  out.whole_year = as_of >= end;
  const int months = MonthsCompleted(y, out.period_end);

  auto in_period = [&](const Activity& a) { return a.date >= start && a.date <= out.period_end; };
  int lectures = 0;
  int consultations = 0;
  int board_updates = 0;
  std::set<std::string> boards;
  std::set<std::string> printed;
  std::set<std::string> audio_video;
  for (const auto& a : activities) {
    if (a.kind == ActivityKind::kBulletinBoard && a.date <= out.period_end) {
      boards.insert(Trim(a.board));
    }
    if (!in_period(a)) continue;
    switch (a.kind) {
      case ActivityKind::kLecture:
        ++lectures;
        break;
      case ActivityKind::kConsultation:
      case ActivityKind::kFreeClinic:
        ++consultations;
        break;
      case ActivityKind::kBulletinBoard:
        ++board_updates;
        break;
      case ActivityKind::kMaterialDistribution:
      case ActivityKind::kVideoScreening:
        break;
    }
    for (const auto& m : a.materials) {
      (m.format == MaterialFormat::kPrinted ? printed : audio_video).insert(Trim(m.title));
    }
  }

  for (const Norm& n : norms.norms) {
    const std::optional<int> req =
        type == PointType::kCentre ? n.required_centre : n.required_station;
    if (!req) continue;
    NormResult r{.id = n.id,
                 .measure = n.measure,
                 .section = n.section,
                 .label_zh = n.label_zh,
                 .label_en = n.label_en,
                 .required = *req};
    r.due = n.measure == "boards" ? *req : *req * months / 12;
    if (n.measure == "lectures") r.actual = lectures;
    if (n.measure == "consultations") r.actual = consultations;
    if (n.measure == "boards") r.actual = static_cast<int>(boards.size());
    if (n.measure == "board_updates") {
      r.actual = board_updates;
      r.gaps = Gaps(y, out.period_end, n.every_months, activities);
    }
    if (n.measure == "printed_kinds") r.actual = static_cast<int>(printed.size());
    if (n.measure == "audio_video_kinds") r.actual = static_cast<int>(audio_video.size());
    r.shortfall = std::max(0, r.due - r.actual);
    r.met = r.shortfall == 0 && r.gaps.empty();
    out.norms.push_back(std::move(r));
  }
  return out;
}

}  // namespace jd::education
