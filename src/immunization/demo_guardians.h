// File: immunization/demo_guardians.h
// Registered guardians for the synthetic city of `jundeng demo`: links many children's
// certificates to a mother or father who is a person of the registry, so that the certificate, the
// guardian's record (their children), the due list and the reminders show linked guardians.
//
// DemoGuardians(db, options): after the certificates are written, for each certificate whose
//   guardian is the mother or the father, with probability options.link_per_mille, links an active
//   person of that sex living in the child's residence unit (the demo has no households: the
//   neighbourhood stands in for one) who was 18–45 (a mother) or 20–55 (a father) when the child
//   was born and is not already the guardian of two children; a father of the child's surname is
//   preferred. The certificate then takes that person's name and phone (the phone is read through
//   the link from then on, immunization/store.h). Drawn from a hash of (seed, the child's identity
//   document), so the same seed and population give the same links. The proportions are invented
//   for the demo, not facts. Returns how many certificates were linked.
#pragma once

#include <cstdint>

#include "core/dates.h"
#include "core/status.h"
#include "storage/database.h"

namespace jd::immunization {

struct DemoGuardianOptions {
  Date as_of{};
  std::uint64_t seed = 1;
  int link_per_mille = 800;
};

Result<std::int64_t> DemoGuardians(storage::Database& db, const DemoGuardianOptions& options);

}  // namespace jd::immunization
