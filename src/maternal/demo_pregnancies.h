// File: maternal/demo_pregnancies.h
// Pregnancies for the synthetic city of `jundeng demo`, so that the maternal pages, worklists and
// statistics show real-looking figures: women in every stage (early, mid, late pregnancy; delivered
// and awaiting the home visit or the 42-day check; closed; a few losses) and every colour.
//
// DemoPregnancies(db, options): reads the active women aged 18–45 on options.as_of and gives a
//   pregnancy to about pregnant_per_mille / 1000 of them. Everything about one woman is drawn from
//   a hash of (seed, identity document), so the same seed and population give the same
//   pregnancies whatever the database ids are. The proportions are invented for the demo, near
//   what migrant maternal care looks like in published local figures, not facts (births fall off
//   after 35 and more after 40, so most women are 20–34):
//   - the LMP lies 6 to 95 weeks before the demo date: about a third are pregnant on that day,
//     the others delivered (from 28+0 weeks; 6% preterm before 37+0) or, 4%, lost before 28 weeks;
//   - 78% register before 13+0 weeks, the rest at 13–24 weeks (早孕建册率 below the usual 85–90%
//     target in some streets);
//   - each antenatal contact whose window has passed is attended with probability 0.85 (on a day
//     inside its window), the home visit 0.85 (within 7 days of the discharge, a few later), the
//     42-day check 0.75;
//   - the colour at registration comes from the 评估表 conditions (maternal/risk.h) of a drawn
//     profile: age and BMI as they fall, and ticked conditions for 30% yellow, 9% orange, 2.5% red;
//     1.5% carry a syphilis or HIV result and 3% are HBsAg positive; about a tenth of the yellow
//     ones turn orange at a later visit (placenta praevia, pre-eclampsia);
//   - 96% are tested for each of HIV, syphilis and HBsAg at registration, positive as drawn above
//     (HBV the most common, HIV the rarest); a positive result opens the PMTCT case, and the
//     mother's items are done within 5 days in 90% of the cases (maternal/pmtct_store.h);
//   - every orange or red woman is referred within 3 days, most are admitted and many followed to
//     the outcome, and about 1.2% of deliveries call the green channel (maternal/referral.h).
//   The pregnancy is kept by the street's health centre of her residence. Rows are written through
//   the store in batches, with the schedule's columns (next_due_on, the visit count, closed_on) as
//   the service keeps them. Returns the counts.
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::maternal {

struct DemoPregnancyOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
  int pregnant_per_mille = 120;
  int batch_size = 2000;
};

struct DemoPregnancyCounts {
  std::int64_t women = 0;  // active women aged 18–45
  std::int64_t pregnancies = 0;
  std::int64_t pregnant_now = 0;
  std::int64_t delivered = 0;
  std::int64_t ended = 0;
  std::int64_t closed = 0;
  std::int64_t high_risk = 0;
  std::int64_t visits = 0;
  std::int64_t referrals = 0;
};

Result<DemoPregnancyCounts> DemoPregnancies(storage::Database& db,
                                            const DemoPregnancyOptions& options);

}  // namespace jd::maternal
