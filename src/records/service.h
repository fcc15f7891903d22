// File: records/service.h
// Use cases of resident health records (居民健康档案), shared by the HTTP API and the command
// line: establish a person's record, read it, change it. Each use case validates its whole input
// (every problem as a field error), authorises by permission (writes need kPersonWrite, reads
// kPersonRead; auth::Require) and by jurisdiction (the person's current residence within
// auth::ScopeOf(caller), the scope every read of the stores is given), and writes in one
// transaction together with its audit row; the table's triggers add the change event that the live
// statistics read after the commit. A person outside the caller's jurisdiction is "not found", and
// the attempt is audited as denied. The clinic that keeps a record is an org unit within the
// caller's own unit. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "core/dates.h"
#include "records/health_record.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::records {

class HealthRecordService {
 public:
  HealthRecordService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                      const registry::RegistryService& registry);

  // The person's record; not found when the person has none. Audited as "health_record.read".
  // REQUIRES: kPersonRead.
  Result<HealthRecord> Get(const auth::Principal& who, const std::string& person_id);

  // Establishes the record of an entitled person (试点工作方案 §四(一)) from {record_no?,
  // established_on?, clinic, electronic?}. Without record_no the next serial of the person's
  // residence area is given (records/health_record.h); established_on defaults to today and
  // electronic to true (a record entered here is kept electronically). Entitlement is judged as
  // of today; a person who is not entitled gets one field error per failed rule
  // ("eligibility.<rule>", "not_entitled"). A second record is kAlreadyExists, and so is a number
  // held by someone else (with a "record_no" field error). REQUIRES: kPersonWrite.
  Result<HealthRecord> Establish(const auth::Principal& who, const std::string& person_id,
                                 const nlohmann::json& body);

  // Partial update of the same fields; `expected_version` (0: not checked) guards against lost
  // updates (kFailedPrecondition when it is not the stored one). REQUIRES: kPersonWrite.
  Result<HealthRecord> Update(const auth::Principal& who, const std::string& person_id,
                              const nlohmann::json& patch, int expected_version);

 private:
  // For a person outside the caller's jurisdiction: audits the attempt as denied and answers "not
  // found" (auth::RefuseOutsideScope).
  Status RefusePerson(const auth::Principal& who, const std::string& action,
                      const std::string& person_id);
  // The clinic of a body: known and within the caller's jurisdiction; a "clinic" field error
  // otherwise.
  std::optional<registry::OrgUnit> Clinic(const auth::Principal& who, const std::string& code,
                                          FieldErrors& errors) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

// {"person_id","record_no","established_on","clinic","clinic_name"?,"electronic","version",
//  "created_at","created_by","updated_at","updated_by"}; clinic_name when `orgs` knows the unit.
nlohmann::json RecordToJson(const HealthRecord& r, const registry::RegistryService* orgs = nullptr);

}  // namespace jd::records
