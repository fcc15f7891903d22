#include "immunization/synthetic.h"

#include <random>

namespace jd::immunization {

std::vector<DoseEvent> SyntheticHistory(const Schedule& schedule, Date birth, Date as_of,
                                        std::uint64_t seed, const SyntheticOptions& options) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<DoseEvent> out;
  bool je_inactivated = u(rng) < options.inactivated_je;
  bool hepa_inactivated = u(rng) < options.inactivated_hepa;
  const auto& ids = schedule.series_ids();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    if ((id == "JE-L" && je_inactivated) || (id == "JE-I" && !je_inactivated) ||
        (id == "HepA-L" && hepa_inactivated) || (id == "HepA-I" && !hepa_inactivated)) {
      continue;
    }
    std::optional<Date> prev;
    for (std::size_t k = 0;; ++k) {
      // The version in force when the dose falls due decides its age (2021 vs 2025 DTaP).
      const SeriesSpec& at_birth = schedule.SeriesOn(i, birth);
      if (k >= at_birth.doses.size()) break;
      const SeriesSpec& table = schedule.SeriesOn(i, Add(birth, at_birth.doses[k].age));
      const DoseSpec& dose = table.doses[k];
      if (u(rng) < options.miss_probability) break;
      Date date = Add(birth, dose.age);
      double r = u(rng);
      if (r < options.early_probability && k > 0) {
        date = AddDays(date, -7);
      } else if (r < options.early_probability + options.late_probability) {
        date = AddDays(date, 30 + static_cast<int>(u(rng) * 150));
      } else {
        date = AddDays(date, static_cast<int>(u(rng) * u(rng) * 28));
      }
      if (prev && dose.interval && date < Add(*prev, *dose.interval) &&
          u(rng) >= options.early_probability) {
        date = Add(*prev, *dose.interval);
      }
      if (date > as_of) break;
      out.push_back({dose.vaccine, date});
      prev = date;
    }
  }
  if (const VaccineInfo* var = schedule.Find("VAR"); var && u(rng) < options.varicella) {
    Date date = AddDays(Add(birth, Span{12, Span::Unit::kMonths}), static_cast<int>(u(rng) * 200));
    if (date <= as_of) out.push_back({var->id, date});
  }
  return out;
}

}  // namespace jd::immunization
