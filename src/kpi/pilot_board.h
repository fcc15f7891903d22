// File: kpi/pilot_board.h
// The pilot-wide board of an aggregator node: the 40 pilot cities of the national pilot plan side
// by side (试点工作方案 一, and its 附件 试点城市名单 as data in data/kpi/pilot_cities.json), each
// on the figures its own city node reported for a period (a dataValueSets document, kpi/dhis2.h
// ReadDataValueSets), scored, ranked and summed up in a bulletin by the assessment engine
// (kpi/evaluation.h Evaluate), as the districts of one city are. The national commission compares
// the pilots and adjusts them each year (试点工作方案 五(五)); it has published no scheme for
// comparing cities, so the cities are scored with the shipped scheme's district-level items,
// weights and targets. That is a policy of ours, and the board says so (`scheme_note`).
//
// PilotCities(): the list, in its order; a broken file is a build mistake (throws).
// MakePilotBoard(scheme, period, reports): one row per pilot city in the list's order, reported or
//   not, then the other cities that reported, by code; the Evaluation of every city that reported
//   (its values of `period` for its own code; another period's or unit's values are ignored). A
//   city that reported twice counts once, with the report received last.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kpi/evaluation.h"
#include "kpi/model.h"

namespace jd::kpi {

struct PilotCity {
  int seq = 0;
  std::string province, name, code;
};
const std::vector<PilotCity>& PilotCities();

// What one city node reported for a period.
struct CityReport {
  std::string city;  // GB/T 2260 code of the node's city (its root org unit)
  std::string name;  // the city's name, as the aggregator's division table gives it
  std::string node;  // the sending node's id
  std::string received_at;
  std::vector<IndicatorValue> values;
};

struct PilotRow {
  std::optional<PilotCity> pilot;  // null: a city outside the list that reported
  std::string code, name;
  bool reported = false;
  std::string node, received_at;
};

struct PilotBoard {
  Period period;
  std::vector<PilotRow> cities;
  int pilots_reported = 0;
  Evaluation evaluation;  // of the cities that reported
};

PilotBoard MakePilotBoard(const AssessmentScheme& scheme, const Period& period,
                          const std::vector<CityReport>& reports);

nlohmann::json PilotBoardToJson(const PilotBoard& board);

}  // namespace jd::kpi
