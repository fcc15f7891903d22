// File: immunization/synthetic.h
// Synthetic vaccination histories for the demo city and the benchmarks: deterministic per seed,
// shaped like a migrant population's records (most doses on time or a few weeks late, some
// months late, dropping out of a series now and then, a few doses too early, non-programme
// vaccines alongside). Not used for anything a health worker sees as real.
#pragma once

#include <cstdint>
#include <vector>

#include "immunization/forecast.h"

namespace jd::immunization {

struct SyntheticOptions {
  double miss_probability = 0.03;   // per dose: the child stops the series here
  double late_probability = 0.15;   // per dose: given 1–6 months late
  double early_probability = 0.01;  // per dose: given a week too early (an invalid record)
  double inactivated_je = 0.15;     // share of children on JE-I instead of JE-L
  double inactivated_hepa = 0.2;    // share on HepA-I
  double varicella = 0.4;           // share with a non-programme varicella dose
};

// The doses a child born on `birth` would have on record by `as_of`.
std::vector<DoseEvent> SyntheticHistory(const Schedule& schedule, Date birth, Date as_of,
                                        std::uint64_t seed, const SyntheticOptions& options = {});

}  // namespace jd::immunization
