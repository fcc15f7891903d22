#include "kpi/pilot_board.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace jd::kpi {
namespace {

// 试点工作方案 附件 试点城市名单: 40 cities in 27 provinces, each code a division of that name.
TEST(PilotBoardTest, TheFortyPilotCitiesOfThePlanWithTheirDivisionCodes) {
  const auto& cities = PilotCities();
  ASSERT_EQ(cities.size(), 40u);
  std::map<std::string, std::string> divisions;
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/data/divisions/gbt2260_mca2024_all_levels.csv");
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string code, name;
    std::getline(row, code, ',');
    std::getline(row, name, ',');
    divisions.emplace(code, name);
  }
  std::set<std::string> provinces, codes;
  for (std::size_t i = 0; i < cities.size(); ++i) {
    const PilotCity& c = cities[i];
    EXPECT_EQ(c.seq, static_cast<int>(i) + 1);
    provinces.insert(c.province);
    EXPECT_TRUE(codes.insert(c.code).second) << c.code;
    ASSERT_TRUE(divisions.contains(c.code)) << c.name << " " << c.code;
    EXPECT_EQ(divisions[c.code].rfind(c.name, 0), 0u) << c.name << " vs " << divisions[c.code];
  }
  EXPECT_EQ(provinces.size(), 27u);
  EXPECT_EQ(cities[27].name, "深圳");
  EXPECT_EQ(cities[27].code, "440300");
}

CityReport Report(const std::string& city, const std::string& name, double share,
                  const Period& period, const std::string& received_at = "2026-12-02T08:00:00Z") {
  CityReport r{.city = city, .name = name, .node = "node-" + city, .received_at = received_at};
  for (const AssessmentItem* item :
       DefaultAssessmentScheme().ItemsFor(AssessmentLevel::kDistrict)) {
    IndicatorValue v{.code = item->code, .org = city, .period = period};
    if (item->kind == IndicatorKind::kRate) {
      v.denominator = 1000;
      v.numerator = 1000 * share;
      v.value = share;
    } else {
      v.numerator = item->direction == Direction::kHigherIsBetter ? 100 * share : 10 / share;
      v.denominator = 1;
      v.value = v.numerator;
    }
    r.values.push_back(v);
  }
  return r;
}

TEST(PilotBoardTest, EveryPilotIsListedAndTheCitiesThatReportedAreRanked) {
  const Period nov = *ParsePeriod("2026-11");
  std::vector<CityReport> reports = {
      Report("440300", "深圳市", 0.95, nov),
      Report("350200", "厦门市", 0.40, nov),
      Report("450100", "南宁市", 0.70, nov),  // not a pilot city: listed after the 40
      // Shenzhen sent the month again later: the newer report counts.
      Report("440300", "深圳市", 0.30, nov, "2026-12-03T08:00:00Z"),
  };
  // Another period's figures are not this board's.
  reports[1].values.front().period = *ParsePeriod("2026-10");
  PilotBoard board = MakePilotBoard(DefaultAssessmentScheme(), nov, reports);
  ASSERT_EQ(board.cities.size(), 41u);
  EXPECT_EQ(board.pilots_reported, 2);
  EXPECT_TRUE(board.cities[27].reported);  // 深圳
  EXPECT_EQ(board.cities[27].received_at, "2026-12-03T08:00:00Z");
  EXPECT_FALSE(board.cities[0].reported);  // 北京朝阳区
  EXPECT_EQ(board.cities[40].code, "450100");
  EXPECT_FALSE(board.cities[40].pilot.has_value());
  ASSERT_EQ(board.evaluation.units.size(), 3u);
  // Nanning at 70% ranks above Xiamen at 40% and Shenzhen's newer 30%.
  EXPECT_EQ(board.evaluation.units[0].code, "450100");
  EXPECT_EQ(board.evaluation.units[0].rank, 1);
  EXPECT_EQ(board.evaluation.units[2].code, "440300");
  const nlohmann::json j = PilotBoardToJson(board);
  EXPECT_EQ(j["pilot_count"], 40);
  EXPECT_EQ(j["cities"].size(), 41u);
  EXPECT_EQ(j["period"], "2026-11");
  EXPECT_FALSE(j["scheme_note"].get<std::string>().empty());
}

}  // namespace
}  // namespace jd::kpi
