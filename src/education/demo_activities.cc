// The health-education activities of the demo city (education/demo_activities.h).
#include "education/demo_activities.h"

#include <array>
#include <chrono>
#include <string_view>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "education/store.h"
#include "network/store.h"

namespace jd::education {

namespace {

constexpr std::array<std::string_view, 12> kPrinted = {"流动人口基本公共卫生服务项目简介",
                                                       "预防接种知识",
                                                       "孕产妇健康管理",
                                                       "儿童健康管理",
                                                       "高血压防治",
                                                       "糖尿病防治",
                                                       "结核病防治",
                                                       "艾滋病防治",
                                                       "计划生育与避孕知识",
                                                       "职业病防护",
                                                       "食品安全与卫生",
                                                       "心理健康"};
constexpr std::array<std::string_view, 6> kVideo = {"新市民健康素养66条", "科学就医",   "控烟限酒",
                                                    "合理膳食",           "传染病预防", "安全用药"};
constexpr std::array<Venue, 6> kVenueCycle = {Venue::kCommunity, Venue::kEnterprise,
                                              Venue::kMarket,    Venue::kConstructionSite,
                                              Venue::kSchool,    Venue::kIndustrialPark};

Date DayOf(int y, int m, int d) {
  return Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}

// How many of a yearly count R fall in month k so that floor(R·k/12) are held by its end.
int InMonth(int required, int k) { return required * k / 12 - required * (k - 1) / 12; }

}  // namespace

Result<DemoActivitiesCounts> DemoActivities(storage::Database& db,
                                            const DemoActivitiesOptions& options) {
  DemoActivitiesCounts counts;
  const Date today = options.as_of;
  const int y = static_cast<int>(today.year());
  const int month_now = static_cast<int>(static_cast<unsigned>(today.month()));
  // Months completed (their last day on or before today), as MeasureYear counts them.
  const int completed = AddDays(today, 1).month() != today.month() ? month_now : month_now - 1;
  Status st = db.Write([&](soci::session& s) -> Status {
    std::vector<network::ServicePoint> points;
    {
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT id, kind, name, org_path FROM service_points WHERE active = 1 "
                        "ORDER BY org_path, name, kind");
      for (const auto& r : rows) {
        network::ServicePoint p;
        p.id = r.get<std::string>(0);
        p.kind =
            network::ParsePointKind(r.get<std::string>(1)).value_or(network::PointKind::kFpStation);
        p.name = r.get<std::string>(2);
        p.org_path = r.get<std::string>(3);
        points.push_back(std::move(p));
      }
    }
    const Norms& norms = DefaultNorms();
    auto required = [&](std::string_view measure, PointType type) {
      for (const Norm& n : norms.norms) {
        if (n.measure != measure) continue;
        auto r = type == PointType::kCentre ? n.required_centre : n.required_station;
        return r.value_or(0);
      }
      return 0;
    };
    int index = 0;
    for (const network::ServicePoint& p : points) {
      auto type = NormsTypeOfPointKind(network::PointKindCode(p.kind));
      if (!type) continue;
      ++counts.points;
      SplitMixStream r{SplitMix64(options.seed ^ Fnv1a64(p.org_path + p.name))};
      const bool behind = (index++ + static_cast<int>(options.seed % 3)) % 3 == 0;
      counts.behind += behind ? 1 : 0;
      auto add = [&](ActivityKind kind, Date on, std::string topic, std::string board,
                     std::vector<Material> materials) {
        if (on > today) return;
        ActivityRow row;
        row.id = NewId();
        row.point_id = p.id;
        row.activity.kind = kind;
        row.activity.venue = kVenueCycle[r.Between(0, 5)];
        row.activity.date = on;
        row.activity.board = std::move(board);
        row.activity.attendance = kind == ActivityKind::kBulletinBoard ? 0 : r.Between(15, 120);
        row.activity.materials = std::move(materials);
        row.topic = std::move(topic);
        row.organiser = p.name;
        row.org_path = p.org_path;
        row.recorded_at = options.created_at;
        row.recorded_by = options.created_by;
        EducationStore::InsertActivity(s, row, {});
        ++counts.activities;
      };
      const int lectures = required("lectures", *type);
      const int consultations = required("consultations", *type);
      const int boards = required("boards", *type);
      for (int k = 1; k <= month_now; ++k) {
        auto day = [&] { return DayOf(y, k, r.Between(3, 26)); };
        if (!behind || k <= completed / 2) {
          for (int i = 0; i < InMonth(lectures, k); ++i) {
            add(ActivityKind::kLecture, day(), std::string(kPrinted[(k + i) % 12]) + "讲座", "",
                {});
          }
        }
        for (int i = 0; i < InMonth(consultations, k); ++i) {
          add(k % 3 == 0 ? ActivityKind::kFreeClinic : ActivityKind::kConsultation, day(),
              "健康咨询", "", {});
        }
        if (k % 2 == 1) {
          for (int b = 1; b <= boards; ++b) {
            add(ActivityKind::kBulletinBoard, DayOf(y, k, 1), std::string(kPrinted[k - 1]),
                boards > 1 ? "宣传栏" + std::to_string(b) : std::string(), {});
          }
        }
        add(ActivityKind::kMaterialDistribution, day(), "健康教育资料发放", "",
            {{.title = std::string(kPrinted[k - 1]),
              .format = MaterialFormat::kPrinted,
              .quantity = r.Between(50, 300)}});
        if (k % 2 == 0 && required("audio_video_kinds", *type) > 0) {
          add(ActivityKind::kVideoScreening, day(), "健康教育视频播放", "",
              {{.title = std::string(kVideo[(k / 2 - 1) % 6]),
                .format = MaterialFormat::kAudioVideo,
                .quantity = r.Between(1, 4)}});
        }
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return counts;
}

}  // namespace jd::education
