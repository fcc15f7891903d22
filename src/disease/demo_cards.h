// File: disease/demo_cards.h
// Infectious-disease case cards (传染病报告卡) for the synthetic city of `jundeng demo`, so that
// the early-warning rules have the three years of history the moving-percentile method compares
// with (disease/detectors.h) and the CDC pages show a realistic season, plus one planted outbreak.
//
// DemoCards(db, options): writes the cards of the `history_days` days up to options.as_of
//   (inclusive) into disease_cards (migration 0020) for every district of the demo city, and
//   returns the counts. What is drawn is invented for the demo, shaped after published seasonal
//   patterns, not facts:
//   - per district and day (up to the day before as_of: no card lies in the future) a Poisson
//   number of cases of each of eleven common diseases, with a
//     seasonal daily rate (hand, foot and mouth disease peaking in April–June with a smaller
//     autumn wave; influenza in December–February; other infectious diarrhoea and dysentery in
//     summer; scarlet fever and mumps in spring; dengue from July to October; tuberculosis,
//     viral hepatitis, syphilis and HIV/AIDS flat); urban districts (区) at 1.5 times the rate of
//     counties; the ages follow each disease (children for HFMD and scarlet fever, adults for
//     tuberculosis and syphilis), so a child's card names a parent; every rate times
//     options.rate_scale;
//   - up to a third of the adult patients are registry persons of that district (the card links
//     them and copies their identity), drawn from about 6% of the registry, each at most once; the
//     others are residents typed on the card, not in the registry;
//   - onset, then diagnosis 0–3 days later in working hours, then the report: within 12 hours in
//     97% of the cards, 25–48 hours later (late, flagged) in 3%;
//   - the planted outbreak: options.outbreak_cases cases of bacillary dysentery among male migrant
//     workers of one construction site in the first street of the first district, with onsets 6 to
//     2 days before as_of, all reported in time. It is what the work-site cluster and the
//     moving-percentile rules must find (docs/disease.md).
//   Everything is drawn from SplitMix64 streams of (seed, district, day), so the same seed and
//   population give the same cards. Rows are written in one transaction per district. A card
//   counts as late when the report came after the disease's limit (DiseaseCatalogue::Find).
//   Status::Invalid when the city has no district.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::disease {

struct DemoCardOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  int history_days =
      1130;  // 3 years × 364 days + 3 weekly periods + the 7-day window, and a margin
  int outbreak_cases = 9;
  // Multiplies every daily rate (1 = the rates below): a small demo city gets fewer cards.
  double rate_scale = 1.0;
};

struct DemoCardCounts {
  std::int64_t cards = 0;
  std::int64_t registry_linked = 0;
  std::int64_t late = 0;
  std::int64_t outbreak_cards = 0;
  std::string outbreak_district;  // district code
  std::string outbreak_site;      // work-site name
};

Result<DemoCardCounts> DemoCards(storage::Database& db, const DemoCardOptions& options);

}  // namespace jd::disease
