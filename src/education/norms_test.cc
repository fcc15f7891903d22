// The driver of the worked cases in tests/data/education/ (see SOURCE.md there): year_cases.json
// (a service point's year against the 规范's norms, per point type) and activity_cases.json (the
// validation of one activity). Each case cites its source.
#include "education/norms.h"

#include <gtest/gtest.h>

#include "core/embedded.h"
#include "core/test_support.h"

namespace jd::education {
namespace {

using nlohmann::json;
using testing_support::ForEachCase;
using testing_support::ReadCases;

Date D(const json& j) {
  auto d = ParseDate(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << j;
  return d.value_or(Date{});
}

Activity ActivityOf(const json& a, const Date& date) {
  Activity out;
  auto kind = ParseActivityKind(a["kind"].get<std::string>());
  EXPECT_TRUE(kind.has_value()) << a;
  out.kind = kind.value_or(ActivityKind::kLecture);
  auto venue = ParseVenue(a.value("venue", "community"));
  EXPECT_TRUE(venue.has_value()) << a;
  out.venue = venue.value_or(Venue::kCommunity);
  out.date = date;
  out.board = a.value("board", "");
  out.attendance = a.value("attendance", 0);
  for (const auto& m : a.value("materials", json::array())) {
    auto format = ParseMaterialFormat(m["format"].get<std::string>());
    EXPECT_TRUE(format.has_value()) << m;
    out.materials.push_back({m["title"].get<std::string>(),
                             format.value_or(MaterialFormat::kPrinted), m.value("quantity", 1)});
  }
  return out;
}

// An entry with "dates" stands for one activity on each of them.
std::vector<Activity> Activities(const json& list) {
  std::vector<Activity> out;
  for (const auto& a : list) {
    if (a.contains("dates")) {
      for (const auto& d : a["dates"]) out.push_back(ActivityOf(a, D(d)));
    } else {
      out.push_back(ActivityOf(a, D(a["date"])));
    }
  }
  return out;
}

json NormJson(const NormResult& r) {
  return {{"id", r.id},         {"required", r.required},   {"due", r.due},
          {"actual", r.actual}, {"shortfall", r.shortfall}, {"met", r.met}};
}

TEST(EducationNorms, YearCases) {
  json cases = ReadCases("tests/data/education/year_cases.json");
  ASSERT_GE(cases.size(), 9u);
  int measured = 0;
  ForEachCase(cases, [&](const json& c) {
    auto type = ParsePointType(c["point_type"].get<std::string>());
    ASSERT_TRUE(type.has_value());
    auto got = MeasureYear(DefaultNorms(), *type, c["year"].get<int>(), D(c["as_of"]),
                           Activities(c["activities"]));
    const json& expect = c["expect"];
    if (testing_support::ExpectedErrors(expect, got.status())) return;
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (expect.contains("whole_year")) {
      EXPECT_EQ(got->whole_year, expect["whole_year"].get<bool>());
    }
    if (expect.contains("period_end")) {
      EXPECT_EQ(FormatDate(got->period_end), expect["period_end"].get<std::string>());
    }
    json norms = json::array();
    json ids = json::array();
    json gaps = json::array();
    for (const auto& r : got->norms) {
      norms.push_back(NormJson(r));
      ids.push_back(r.id);
      for (const auto& g : r.gaps) {
        gaps.push_back({{"board", g.board},
                        {"from", FormatDate(g.from)},
                        {"to", FormatDate(g.to)},
                        {"open", g.open},
                        {"days", g.days}});
      }
    }
    if (expect.contains("ids")) {
      EXPECT_EQ(ids, expect["ids"]);
    }
    if (expect.contains("norms")) {
      EXPECT_EQ(testing_support::ExpectMembers(norms, expect["norms"], "id"),
                static_cast<int>(expect["norms"].size()));
    }
    if (expect.contains("gaps")) {
      EXPECT_EQ(gaps, expect["gaps"]);
    }
    ++measured;
  });
  EXPECT_GE(measured, 8);
}

TEST(EducationNorms, ActivityCases) {
  json cases = ReadCases("tests/data/education/activity_cases.json");
  ASSERT_GE(cases.size(), 8u);
  ForEachCase(cases, [&](const json& c) {
    const json& a = c["activity"];
    Activity activity = ActivityOf(a, D(a["date"]));
    json got = json::array();
    for (const auto& e : CheckActivity(activity, D(c["today"]))) {
      got.push_back({{"field", e.field}, {"code", e.code}});
      EXPECT_FALSE(e.message_zh.empty());
      EXPECT_FALSE(e.message_en.empty());
    }
    EXPECT_EQ(got, c["expect"]["errors"]);
  });
}

TEST(EducationNorms, ShippedFileHoldsTheFiguresOfTheStandard) {
  const Norms& n = DefaultNorms();
  ASSERT_EQ(n.norms.size(), 6u);
  auto find = [&](std::string_view id) -> const Norm& {
    for (const auto& norm : n.norms) {
      if (norm.id == id) return norm;
    }
    ADD_FAILURE() << id;
    return n.norms.front();
  };
  EXPECT_EQ(find("lectures").required_centre, 12);
  EXPECT_EQ(find("lectures").required_station, 6);
  EXPECT_EQ(find("consultations").required_centre, 9);
  EXPECT_FALSE(find("consultations").required_station.has_value());
  EXPECT_EQ(find("printed_kinds").required_centre, 12);
  EXPECT_EQ(find("audio_video_kinds").required_centre, 6);
  EXPECT_EQ(find("board_updates").every_months, 2);
  for (const auto& norm : n.norms) EXPECT_FALSE(norm.section.empty()) << norm.id;
}

TEST(EducationNorms, BrokenNormsFilesAreRefused) {
  EXPECT_FALSE(ParseNorms("[]").ok());
  EXPECT_FALSE(ParseNorms(R"({"norms":[{"id":"x","measure":"dances","required":{}}]})").ok());
  EXPECT_FALSE(
      ParseNorms(R"({"norms":[{"id":"x","measure":"lectures","required":{"ward":3}}]})").ok());
  EXPECT_FALSE(
      ParseNorms(R"({"norms":[{"id":"x","measure":"lectures","required":{"centre":-1}}]})").ok());
  EXPECT_FALSE(
      ParseNorms(R"({"norms":[{"id":"x","measure":"board_updates","required":{"centre":1}}]})")
          .ok());
  auto twice = ParseNorms(
      R"({"norms":[{"id":"x","measure":"lectures","required":{}},{"id":"x","measure":"lectures","required":{}}]})");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().field_errors().at(0).code, "invalid_norms");
}

TEST(EducationNorms, CodesRoundTrip) {
  for (auto k : {ActivityKind::kLecture, ActivityKind::kConsultation, ActivityKind::kFreeClinic,
                 ActivityKind::kBulletinBoard, ActivityKind::kMaterialDistribution,
                 ActivityKind::kVideoScreening}) {
    EXPECT_EQ(ParseActivityKind(ActivityKindCode(k)), k);
  }
  for (auto v : {Venue::kCommunity, Venue::kEnterprise, Venue::kMarket, Venue::kConstructionSite,
                 Venue::kSchool, Venue::kIndustrialPark}) {
    EXPECT_EQ(ParseVenue(VenueCode(v)), v);
  }
  EXPECT_FALSE(ParseVenue("moon").has_value());
  EXPECT_FALSE(ParseActivityKind("").has_value());
}

}  // namespace
}  // namespace jd::education

namespace jd::education {
namespace {

// 规范 二(二) names 社区卫生服务中心 / 乡镇卫生院 (centres) and 社区卫生服务站 / 村卫生室
// (stations); the network's other kinds have no norms.
TEST(EducationNorms, NormsTypeOfTheNetworksPointKinds) {
  EXPECT_EQ(NormsTypeOfPointKind("chs_centre"), PointType::kCentre);
  EXPECT_EQ(NormsTypeOfPointKind("township_centre"), PointType::kCentre);
  EXPECT_EQ(NormsTypeOfPointKind("chs_station"), PointType::kStation);
  EXPECT_EQ(NormsTypeOfPointKind("village_clinic"), PointType::kStation);
  for (const char* kind :
       {"fp_station", "distribution_staffed", "distribution_machine", "demonstration", ""}) {
    EXPECT_FALSE(NormsTypeOfPointKind(kind).has_value()) << kind;
  }
}

}  // namespace
}  // namespace jd::education
