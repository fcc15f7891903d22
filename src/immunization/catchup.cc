#include "immunization/catchup.h"

#include <algorithm>

namespace jd::immunization {

bool InCatchUpPopulation(Date birth, bool has_file, Date as_of) {
  if (birth > as_of) return false;
  if (as_of >= AddYears(birth, 18)) return false;
  return has_file || as_of < AddYears(birth, 7);
}

std::vector<PlannedDose> CatchUpPlan(const Forecast& forecast, Date as_of) {
  std::vector<PlannedDose> plan;
  for (const DoseForecast& d : forecast.doses) {
    if (d.status != DoseStatus::kDue && d.status != DoseStatus::kOverdue &&
        d.status != DoseStatus::kNeedsTest) {
      continue;
    }
    PlannedDose p;
    p.series = d.series;
    p.vaccine = d.vaccine;
    p.dose = d.dose;
    p.status = d.status;
    p.earliest = d.earliest.value_or(as_of);
    p.timely_by = d.timely_by;
    p.planned_on = std::max(p.earliest, as_of);
    plan.push_back(p);
  }
  // The forecast lists series in schedule order; a stable sort keeps that order within a date.
  std::stable_sort(plan.begin(), plan.end(), [](const PlannedDose& a, const PlannedDose& b) {
    return a.earliest < b.earliest;
  });
  return plan;
}

std::vector<VaccineId> SeriesVaccines(const Schedule& schedule, std::size_t series) {
  std::vector<VaccineId> out;
  if (series >= schedule.series_ids().size()) return out;
  const std::string& id = schedule.series_ids()[series];
  for (const ScheduleVersion& v : schedule.versions()) {
    for (const SeriesSpec& s : v.series) {
      if (s.id != id) continue;
      for (const DoseSpec& d : s.doses) {
        for (VaccineId a : d.accepts) {
          if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
        }
        if (std::find(out.begin(), out.end(), d.vaccine) == out.end()) out.push_back(d.vaccine);
      }
    }
  }
  return out;
}

std::vector<bool> FulfilledDoses(const Schedule& schedule, std::span<const PlannedRef> planned,
                                 std::span<const DoseEvent> given, Date as_of) {
  std::vector<bool> done(planned.size(), false);
  std::vector<std::vector<VaccineId>> accepts(planned.size());
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (planned[i].series) accepts[i] = SeriesVaccines(schedule, *planned[i].series);
    if (accepts[i].empty()) accepts[i].push_back(planned[i].vaccine);
  }
  std::vector<DoseEvent> events(given.begin(), given.end());
  std::stable_sort(events.begin(), events.end(),
                   [](const DoseEvent& a, const DoseEvent& b) { return a.date < b.date; });
  for (const DoseEvent& e : events) {
    if (e.date < as_of) continue;
    for (std::size_t i = 0; i < planned.size(); ++i) {
      if (done[i]) continue;
      if (std::find(accepts[i].begin(), accepts[i].end(), e.vaccine) == accepts[i].end()) continue;
      done[i] = true;
      break;
    }
  }
  return done;
}

}  // namespace jd::immunization
