// File: kpi/catalogue.h
// The indicator catalogue (data/kpi/indicators.json): fixed indicators, and per-dose templates
// expanded over every programme dose of the schedule versions ("IMM_COV_HepB_1", …, dose numbers
// counted within each vaccine as the forecast names them). Validated on load: unknown kinds,
// duplicate codes and templates without {vaccine}/{dose} are field errors.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "immunization/forecast.h"
#include "kpi/model.h"

namespace jd::kpi {

class Catalogue {
 public:
  static Result<Catalogue> Load(std::string_view json_text, const immunization::Schedule& schedule);
  // data/kpi/indicators.json over the shipped schedule.
  static const Catalogue& Default();

  const std::vector<Indicator>& indicators() const { return indicators_; }
  const Indicator* Find(std::string_view code) const;
  const std::string& id() const { return id_; }

 private:
  std::string id_;
  std::vector<Indicator> indicators_;
  std::unordered_map<std::string, std::size_t> by_code_;
};

std::string_view KindCode(IndicatorKind kind);
// Whether an indicator's denominator counts persons or items: false for SMD_REGISTERED_RATE
// (measure "smd_registered_rate"), whose denominator is an expected number of patients (migrants
// × 4.5‰), so its value is no share (no interval) and its denominator no count to suppress.
bool DenominatorCounts(const Indicator& indicator);
// A stable DHIS2-style UID (a letter then 10 letters or digits) derived from the code, for
// catalogue entries that do not give one.
std::string Dhis2Uid(std::string_view code);

}  // namespace jd::kpi
