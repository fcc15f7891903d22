// File: immunization/catchup.h
// 查漏补种 (试点工作方案 §四(三), 实施办法 §四(五) 三: a yearly round finding the children who
// missed doses and catching them up). Pure rules: who is looked at, which doses of a child's
// forecast make the plan, and which planned doses later records fulfil.
//
// InCatchUpPopulation(birth, has_file, as_of): under 18 on `as_of` (说明 二(一): catch-up runs to
//   18) and either holding a vaccination certificate or under 7 (the 0-6 year olds the file is
//   for, 试点工作方案 §四(三)); born on or before `as_of`.
// CatchUpPlan(forecast, as_of): the doses that are due, overdue or need a skin test (BCG), in the
//   order to give them: by earliest date, then by the schedule's series order. planned_on is the
//   earliest date, or `as_of` when that is later. Doses waiting for a previous dose of their series
//   (upcoming) are not in the plan: the next round finds them.
// SeriesVaccines(schedule, series): every vaccine any version of the series accepts (polio: IPV
//   and bOPV; DTP: DTaP and DT).
// FulfilledDoses(schedule, planned, given, as_of): for each planned dose, whether a record given on
//   or after `as_of` of a vaccine of the same series fulfils it (a dose given on the round's own
//   day but entered later counts). Records are taken in date order and each fulfils one planned
//   dose, the first of its series still open, so two doses of one series need two records.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "immunization/forecast.h"

namespace jd::immunization {

bool InCatchUpPopulation(Date birth, bool has_file, Date as_of);

struct PlannedDose {
  std::uint8_t series = 0;  // index into Schedule::series_ids()
  VaccineId vaccine = 0;
  int dose = 0;
  DoseStatus status = DoseStatus::kDue;  // due, overdue or needs_test
  Date earliest{};
  std::optional<Date> timely_by;
  Date planned_on{};
};

std::vector<PlannedDose> CatchUpPlan(const Forecast& forecast, Date as_of);

std::vector<VaccineId> SeriesVaccines(const Schedule& schedule, std::size_t series);

// A planned dose as stored: the series may be unknown to this schedule (then only the same
// vaccine fulfils it).
struct PlannedRef {
  std::optional<std::size_t> series;
  VaccineId vaccine = 0;
};

std::vector<bool> FulfilledDoses(const Schedule& schedule, std::span<const PlannedRef> planned,
                                 std::span<const DoseEvent> given, Date as_of);

}  // namespace jd::immunization
