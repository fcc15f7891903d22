// File: family_planning/demo_fp.h
// Family-planning records for `jundeng demo`: for the active women aged 15–49 of the demo city, a
// method for about 60% (an IUD or sterilisation with its procedure), free contraceptives handed
// out at the dispensing point of their area (service_points with free_contraceptives; for half of
// them last year) within the
// yearly caps, 孕情环情 checks of most women with an IUD, guidance this year for about 80%, reward
// facts for some older married women; and a few anonymous machine distributions at every
// self-service machine. Deterministic from the seed; run after the service network's demo.
// Writes rows straight through family_planning/store.h in one transaction, with no audit rows
// (as the other demo generators).
#pragma once

#include <cstdint>
#include <string>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::family_planning {

struct DemoFpOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  std::string created_by = "demo";
  std::string created_at;
};

struct DemoFpCounts {
  std::int64_t women = 0, methods = 0, distributions = 0, anonymous = 0, procedures = 0, checks = 0,
               guidance = 0, reward_facts = 0;
};

Result<DemoFpCounts> DemoFamilyPlanning(storage::Database& db, const DemoFpOptions& options);

}  // namespace jd::family_planning
