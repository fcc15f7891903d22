// File: immunization/forecast.h
// The schedule (catalogue + official versions, from data/immunization/) and the forecast engine:
// birth date, recorded doses and an as-of date in; every dose of every programme series with its
// status and dates out, and the records that do not count with the reason. Pure functions; the
// rules cite 国家免疫规划疫苗儿童免疫程序及说明（2021年版） ("说明") and the 2025 DTaP adjustment.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "immunization/model.h"

namespace jd::immunization {

class Schedule {
 public:
  // The catalogue (vaccines, catch-up numbers) and the versions, each a JSON document.
  static Result<Schedule> Load(std::string_view catalogue_json,
                               const std::vector<std::string_view>& version_jsons);
  // The schedule shipped in the binary (data/immunization/*.json).
  static const Schedule& Default();

  const std::vector<VaccineInfo>& vaccines() const { return vaccines_; }
  const VaccineInfo& info(VaccineId id) const { return vaccines_[id]; }
  const VaccineInfo* Find(std::string_view code) const;  // by code, case-sensitive
  const CatchUpRules& rules() const { return rules_; }
  const std::vector<ScheduleVersion>& versions() const { return versions_; }

  // The version that defines `series_id` on `date` (amendments replace series from their date).
  const SeriesSpec& SeriesOn(std::size_t series_index, Date date) const;
  // The series in output order; DoseForecast::series indexes this list.
  const std::vector<std::string>& series_ids() const { return series_ids_; }
  // "nip-2021" or "nip-2021+dtap-2025": the versions in force on `date`.
  std::string NameOn(Date date) const;

 private:
  std::vector<VaccineInfo> vaccines_;
  CatchUpRules rules_;
  std::vector<ScheduleVersion> versions_;  // base first, then amendments by effective date
  std::vector<std::string> series_ids_;
  // per series index: (effective date, version index, position in that version's series), by date
  struct Def {
    Date from;
    std::size_t version;
    std::size_t position;
  };
  std::vector<std::vector<Def>> defs_;
};

// The forecast for one child. `history` need not be sorted; unknown vaccines must already be
// rejected by the caller. Non-programme vaccines only matter for the live-vaccine spacing.
Forecast ForecastChild(const Schedule& schedule, Date birth, std::span<const DoseEvent> history,
                       Date as_of, const ForecastOptions& options = {});
// The same, reusing `out`'s buffers (the due-list and benchmark loops).
void ForecastChild(const Schedule& schedule, Date birth, std::span<const DoseEvent> history,
                   Date as_of, const ForecastOptions& options, Forecast& out);

std::string_view StatusCode(DoseStatus s);  // "done", "upcoming", "due", "overdue", …
std::string_view StatusLabelZh(DoseStatus s);
std::string_view ReasonCode(Reason r);  // "" for kNone
std::string_view ReasonZh(Reason r);
std::string_view ReasonEn(Reason r);
std::string_view PolicyName(const ForecastOptions& options);

// The CLI/API shape: {"schedule","policy","doses":[…],"invalid_records":[…]}.
nlohmann::json ForecastToJson(const Schedule& schedule, const Forecast& forecast, Date as_of,
                              const ForecastOptions& options = {});

// Reads {"birth_date","as_of","history":[{"vaccine","date"}]} with field errors for bad input.
struct ForecastRequest {
  Date birth{};
  Date as_of{};
  std::vector<DoseEvent> history;
  ForecastOptions options;
};
Result<ForecastRequest> ForecastRequestFromJson(const Schedule& schedule,
                                                const nlohmann::json& body);

}  // namespace jd::immunization
