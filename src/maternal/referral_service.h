// File: maternal/referral_service.h
// Use cases of referrals and the critical-case green channel (maternal/referral.h) for the HTTP
// API: refer a woman in pregnancy or the 42 days after it, or a newborn, record the steps of the
// transfer, the outcome and a red woman's continuation decision, read a person's referrals and
// the centre's list (the open ones first, with their elapsed times). Inputs and outputs are typed
// structs; the transport reads and writes JSON (http/referral_routes.cc).
//
// Who is referred: a woman with a pregnancy not yet closed in the caller's scope is the mother
// (her pregnancy's registration day is the earliest call day, and her latest colour is kept with
// the referral); otherwise a child in the first 28 days of life is the newborn (linked to the
// mother's pregnancy when the delivery was recorded here). Anyone else: field error
// person/not_eligible.
//
// Access, decided by auth (auth/access.h): reads need kPersonRead, writes kMaternalCare, and the
// person's current residence within auth::ScopeOf(caller): outside it a person or referral is "not
// found", audited as denied. Every read and write is audited ("referral.create",
// "referral.update", "referral.read", "referral.list"), refusals too; a write and its audit row
// share one transaction, and the table's triggers add the change event. The count of open
// referrals (for the home page) shows no one and is not audited. A change names the version it
// was made on (stale: kFailedPrecondition). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "maternal/referral.h"
#include "maternal/referral_store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::maternal {

struct ReferralInput {
  ReferralKind kind = ReferralKind::kHighRisk;
  std::string reason;
  std::string to_facility;
  std::string clinic;                // the referring centre; default the caller's unit
  std::optional<Instant> called_at;  // default now
  std::optional<Instant> transferred_at;
  std::optional<Instant> admitted_at;
};

struct ReferralView {
  Referral referral;
  std::string person_name;  // empty in a person's own list (the reader has the person)
  std::string residence_org;
  ReferralStage stage = ReferralStage::kCalled;
  ReferralTimes times;
  bool continuation_pending = false;
};

class ReferralService {
 public:
  ReferralService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                  const registry::RegistryService& registry);

  // Field errors: maternal::CheckNewReferral's, person/not_eligible, the clinic (unknown_org,
  // outside_jurisdiction). REQUIRES: kMaternalCare.
  Result<ReferralView> Create(const auth::Principal& who, const std::string& person_id,
                              const ReferralInput& in);
  // Field errors: maternal::ApplyReferralChange's. REQUIRES: kMaternalCare.
  Result<ReferralView> Update(const auth::Principal& who, const std::string& referral_id,
                              const ReferralChange& change, int expected_version);
  // REQUIRES: kPersonRead.
  Result<ReferralView> Get(const auth::Principal& who, const std::string& referral_id);
  // Newest first. REQUIRES: kPersonRead.
  Result<std::vector<ReferralView>> ForPerson(const auth::Principal& who,
                                              const std::string& person_id);
  // REQUIRES: kPersonRead.
  Result<std::vector<ReferralView>> List(const auth::Principal& who, const ReferralQuery& q);
  // The number only; not audited. REQUIRES: kPersonRead.
  Result<int> Count(const auth::Principal& who, const ReferralQuery& q);

 private:
  ReferralView View(ReferralRow row) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

}  // namespace jd::maternal
