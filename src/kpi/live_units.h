// File: kpi/live_units.h
// What the service network and health education add to the live statistics view
// (kpi/live_view.h): facts of org units, not of persons — the demonstration points with the day
// each met the "六个一" (NET_DEMO_POINT), the places where migrants gather with or without a
// family-planning association (FP_ASSOCIATION), and the year's health-education activities of
// every centre and station (EDU_NORMS_MET). They are few (a city has thousands of points and
// places, not millions), so the view reads them all again on any change event of entity
// "network" (migration 0029) or "education" (migration 0028) instead of keeping them by id.
//
// ReadUnitFacts(s, org_index): the rows of the tables that exist (a database without migration
//   0028 has no activities), placed by their org code through `org_index`; a row whose unit is
//   unknown is skipped.
// CountUnitFacts(facts, end): per org unit (not summed up the tree) the stocks on the day `end`
//   (a day number, kpi/live_view.h):
//   - demonstration_points: active demonstration points compliant on `end` (network/rules.h
//     DemoPointCompliance: every item checked on or before the day; checks never lapse);
//   - places / places_with_association: gathering places created on or before `end`, and those of
//     them with an association now (the flag keeps no history: a past period shows today's flag,
//     our policy until the network keeps association dates);
//   - education_points / education_points_met: active centres and stations (education/norms.h
//     NormsTypeOfPointKind), and those whose year of `end` measured on `end` (MeasureYear: due
//     counts pro-rated by the months completed) meets every norm.
// Thread-compatible: values only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "education/norms.h"

namespace soci {
class session;
}

namespace jd::kpi {

struct UnitFacts {
  struct DemoPoint {
    std::uint32_t org = 0;
    std::int32_t compliant_from = 0;  // kNever (live_view.h) when not compliant on any day
  };
  struct Place {
    std::uint32_t org = 0;
    std::int32_t created = 0;
    bool association = false;
  };
  struct EducationPoint {
    std::uint32_t org = 0;
    education::PointType type = education::PointType::kCentre;
    std::vector<education::Activity> activities;  // not voided, every year
  };
  std::vector<DemoPoint> demo_points;
  std::vector<Place> places;
  std::vector<EducationPoint> education_points;
};

UnitFacts ReadUnitFacts(soci::session& s,
                        const std::unordered_map<std::string, std::uint32_t>& org_index);

struct UnitCount {
  std::uint32_t org = 0;
  int demonstration_points = 0;
  int places = 0;
  int places_with_association = 0;
  int education_points = 0;
  int education_points_met = 0;
};
std::vector<UnitCount> CountUnitFacts(const UnitFacts& facts, std::int32_t end);

}  // namespace jd::kpi
