#include "kpi/pilot_board.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::kpi {

using nlohmann::json;

const std::vector<PilotCity>& PilotCities() {
  static const std::vector<PilotCity> cities = [] {
    const json doc = json::parse(embedded::kpi_pilot_cities());
    std::vector<PilotCity> out;
    for (const auto& c : doc.at("cities")) {
      out.push_back({c.at("seq").get<int>(), c.at("province").get<std::string>(),
                     c.at("name").get<std::string>(), c.at("code").get<std::string>()});
    }
    if (out.size() != 40) throw std::logic_error("data/kpi/pilot_cities.json: not 40 cities");
    return out;
  }();
  return cities;
}

PilotBoard MakePilotBoard(const AssessmentScheme& scheme, const Period& period,
                          const std::vector<CityReport>& reports) {
  PilotBoard board;
  board.period = period;
  // The report received last of each city.
  std::map<std::string, const CityReport*> latest;
  for (const CityReport& r : reports) {
    auto [at, inserted] = latest.try_emplace(r.city, &r);
    if (!inserted && at->second->received_at < r.received_at) at->second = &r;
  }
  std::vector<UnitValues> units;
  auto add_unit = [&](const CityReport& r, const std::string& name) {
    UnitValues u;
    u.code = r.city;
    u.name = name;
    for (const IndicatorValue& v : r.values) {
      if (v.org == r.city && v.period == period) u.values.push_back(v);
    }
    units.push_back(std::move(u));
  };
  for (const PilotCity& c : PilotCities()) {
    PilotRow row{.pilot = c, .code = c.code, .name = c.name};
    if (auto it = latest.find(c.code); it != latest.end()) {
      row.reported = true;
      row.node = it->second->node;
      row.received_at = it->second->received_at;
      ++board.pilots_reported;
      add_unit(*it->second, c.name);
    }
    board.cities.push_back(std::move(row));
  }
  for (const auto& entry : latest) {
    const std::string& code = entry.first;
    const CityReport* r = entry.second;
    const auto& list = PilotCities();
    if (std::any_of(list.begin(), list.end(), [&](const PilotCity& c) { return c.code == code; }))
      continue;
    board.cities.push_back({.code = code,
                            .name = r->name,
                            .reported = true,
                            .node = r->node,
                            .received_at = r->received_at});
    add_unit(*r, r->name);
  }
  board.evaluation = Evaluate(scheme, AssessmentLevel::kDistrict, period, units);
  return board;
}

json PilotBoardToJson(const PilotBoard& board) {
  json cities = json::array();
  for (const PilotRow& r : board.cities) {
    json row = {{"code", r.code},         {"name", r.name}, {"pilot", r.pilot.has_value()},
                {"reported", r.reported}, {"node", r.node}, {"received_at", r.received_at}};
    if (r.pilot) {
      row["seq"] = r.pilot->seq;
      row["province"] = r.pilot->province;
    }
    cities.push_back(std::move(row));
  }
  return {{"period", board.period.Code()},
          {"period_label", board.period.LabelZh()},
          {"pilot_count", PilotCities().size()},
          {"pilots_reported", board.pilots_reported},
          {"scheme_note",
           "国家未公布试点城市间的考评方案；各市按本系统考评方案的区县级指标、权重与目标评分"},
          {"scheme_note_en",
           "no national scheme for comparing the pilot cities is published; each city is scored "
           "with the shipped scheme's district-level items, weights and targets"},
          {"cities", std::move(cities)},
          {"evaluation", EvaluationToJson(board.evaluation)}};
}

}  // namespace jd::kpi
