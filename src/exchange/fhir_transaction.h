// File: exchange/fhir_transaction.h
// FHIR transaction Bundles (R4 http.html#transaction): creates and updates that succeed or fail as
// one. A clinic's system or another registry sends a child with the child's doses in one request;
// afterwards either all of it is in the registry or none of it is.
//
// ParseTransaction(bundle): the Bundle's entries as typed requests, or field errors named by FHIR
//   path ("Bundle.entry[2].request.url"). Accepted entries:
//     POST Patient          a person (registry CreatePerson). `ifNoneExist`
//                           "identifier=<system>|<number>" naming the resource's own 居民身份证
//                           makes it conditional (R4 http.html#ccreate): when that person is
//                           registered and visible to the caller, the entry answers 200 with
//                           their location and creates nothing, so an import sent twice
//                           registers nobody twice.
//     PUT Patient/<id>      an update; `ifMatch` W/"n" is required as on PUT /fhir/r4/Patient/{id}.
//     POST Immunization     a dose (immunisation RecordDose); patient.reference is "Patient/<id>"
//                           or the fullUrl "urn:uuid:<uuid>" of a Patient posted in the Bundle.
//   type must be "transaction" (a "batch", whose entries stand alone, is refused); at most
//   kMaxTransactionEntries entries; fullUrls unique.
//
// FhirTransactions::Run: processes the entries in the order R4 gives (http.html#trules: POST before
//   PUT), Patients before Immunizations so that references resolve whatever the order of the
//   entries, inside one database transaction (storage::Database::Atomically). Each entry goes
//   through the same service as its own request: roles, jurisdiction, rules and audit rows are
//   the same. The first entry that fails rolls every entry back; the failure is that entry's
//   status with its field errors renamed under "Bundle.entry[i].resource" (If-Match errors keep
//   their name, so a stale version is still 412) and one more error naming the entry. Reads and
//   refusals audited inside stay audited (AuditLog::Record); one row "fhir.transaction" records
//   the Bundle's outcome either way. On success: a transaction-response Bundle, one entry per
//   request entry in the request's order, each with its status, location, etag and the resource.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/status.h"
#include "immunization/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::exchange {

inline constexpr std::size_t kMaxTransactionEntries = 1000;

// One Patient create, Patient update or Immunization create from its FHIR resource, as the
// single-resource routes and a transaction's entries make them: the resource mapped to the
// service's input (fhir.h), the service called, its field errors renamed to FHIR elements. An
// update needs `expected_version`; its residence unit cannot change (that is a residence event).
Result<registry::PersonView> CreatePatient(registry::RegistryService& registry,
                                           const auth::Principal& who,
                                           const nlohmann::json& patient);
Result<registry::PersonView> UpdatePatient(registry::RegistryService& registry,
                                           const auth::Principal& who, const std::string& id,
                                           const nlohmann::json& patient, int expected_version);
Result<immunization::VaccinationRecord> CreateImmunization(
    immunization::ImmunizationService& immunization, const auth::Principal& who,
    const nlohmann::json& resource);

struct TransactionEntry {
  enum class Kind { kCreatePatient, kUpdatePatient, kCreateImmunization };
  std::size_t index = 0;  // position in Bundle.entry
  Kind kind = Kind::kCreatePatient;
  std::string full_url;                 // "urn:uuid:…" others may reference; may be empty
  std::string id;                       // kUpdatePatient: the id in request.url
  std::optional<int> if_match;          // kUpdatePatient
  std::string if_none_exist_id_number;  // kCreatePatient: the number ifNoneExist names
  nlohmann::json resource;
};

Result<std::vector<TransactionEntry>> ParseTransaction(const nlohmann::json& bundle);

class FhirTransactions {
 public:
  FhirTransactions(storage::Database& db, registry::RegistryService& registry,
                   immunization::ImmunizationService& immunization, auth::AuditLog& audit)
      : db_(db), registry_(registry), immunization_(immunization), audit_(audit) {}

  // The transaction-response Bundle, or the failure of the first entry that failed.
  Result<nlohmann::json> Run(const auth::Principal& who,
                             const std::vector<TransactionEntry>& entries);

 private:
  struct Outcome {
    int status = 0;  // 200 or 201
    std::string location;
    int version = 0;
    nlohmann::json resource;
  };
  Result<Outcome> RunEntry(const auth::Principal& who, const TransactionEntry& e,
                           std::vector<std::pair<std::string, std::string>>& patient_ids);

  storage::Database& db_;
  registry::RegistryService& registry_;
  immunization::ImmunizationService& immunization_;
  auth::AuditLog& audit_;
};

}  // namespace jd::exchange
