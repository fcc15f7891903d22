// File: exchange/bulk_export.h
// FHIR Bulk Data export (HL7 FHIR Bulk Data Access IG 2.0.0, "$export"): a copy of the caller's
// jurisdiction as NDJSON files of FHIR resources, made in the background while the client polls.
//
//   kick-off   Start: the request is checked and recorded, audited, and queued; the answer is
//              the job (202 Accepted with the status URL in Content-Location).
//   status     Get: accepted / in progress (with what is written so far) / completed (the
//              manifest: one file per resource type with its count) / failed (why).
//   cancel     Cancel: a job still running stops after the record it is writing; its files are
//              deleted, and so are a finished job's.
//   files      File: the path of one NDJSON file of a completed job, for its requester.
//
// Who: REQUIRES kPersonRead and kPersonExportFull (a bulk copy leaves the node with whole
// identifiers, as `jundeng export persons --full`); the rows are those of the requester's
// jurisdiction at kick-off, read through the registry's and the dose service's export walks,
// which audit their start (before the first row) and their count. A job belongs to the user who
// started it: to anyone else it does not exist. One job at a time per user (a second is 429 until
// the first ends or is cancelled); one job runs at a time on the node, the others wait their turn.
//
// Files: "<dir>/<job id>/<Type>.ndjson", mode 0600 (personal data), deleted 24 hours after the
// job ends (the manifest's Expires). Types: Patient and Immunization; `_since` keeps the resources
// changed at or after an instant. A node that restarts fails the jobs it was running (their
// partial files deleted): the client starts again.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "immunization/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::exchange {

// The resource types the export writes, in the order it writes them.
inline const std::vector<std::string> kBulkExportTypes = {"Patient", "Immunization"};

struct BulkExportRequest {
  std::vector<std::string> types;  // of kBulkExportTypes; empty: all of them
  std::string since;               // a FormatTimestamp; empty: everything
  std::string request_url;         // the kick-off URL as the client sent it (for the manifest)
};

enum class BulkExportState { kAccepted, kInProgress, kCompleted, kFailed, kCancelled };
std::string_view ToCode(BulkExportState s);

struct BulkExportFile {
  std::string type;  // resource type
  std::string name;  // file name in the job's folder ("Patient.ndjson")
  std::int64_t count = 0;
};

struct BulkExportJob {
  std::string id;
  std::string requested_by;  // user id
  std::string requested_at;
  std::string request_url;
  std::vector<std::string> types;
  std::string since;
  BulkExportState state = BulkExportState::kAccepted;
  std::string transaction_time;  // when the walk began: what the files reflect
  std::vector<BulkExportFile> output;
  std::string error;  // a failed job's reason
  std::string finished_at;
  std::string expires_at;  // finished_at + 24 h
  bool purged = false;     // the files are gone (expired): the job answers "not found"
};

class BulkExports {
 public:
  // Fails the jobs a previous run left unfinished (deleting their files) and the expired ones'
  // files, then starts the worker thread.
  BulkExports(storage::Database& db, registry::RegistryService& registry,
              immunization::ImmunizationService& immunization, auth::AuditLog& audit,
              const Clock& clock, std::filesystem::path dir);
  // Stops the worker after the record it is writing; a job it was running is failed.
  ~BulkExports();
  BulkExports(const BulkExports&) = delete;
  BulkExports& operator=(const BulkExports&) = delete;

  Result<BulkExportJob> Start(const auth::Principal& who, BulkExportRequest request);
  Result<BulkExportJob> Get(const auth::Principal& who, const std::string& job_id);
  Status Cancel(const auth::Principal& who, const std::string& job_id);
  // A completed job's file by name; audited as a read of the export.
  Result<std::filesystem::path> File(const auth::Principal& who, const std::string& job_id,
                                     const std::string& name);

  // Blocks until no job is queued or running (tests, and the CLI's wait).
  void WaitIdle();

 private:
  void Work();
  void Run(const std::string& job_id, const auth::Principal& who);
  Result<BulkExportJob> Load(const std::string& job_id);
  // The job when it exists and is the caller's (else not found, a refusal audited).
  Result<BulkExportJob> Owned(const auth::Principal& who, const std::string& job_id,
                              const std::string& action);
  void RemoveFiles(const std::string& job_id);
  void PurgeExpired();

  storage::Database& db_;
  registry::RegistryService& registry_;
  immunization::ImmunizationService& immunization_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  std::filesystem::path dir_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, auth::Principal>> queue_;
  std::map<std::string, bool> cancelled_;  // job id → cancel asked (jobs queued or running)
  std::string running_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace jd::exchange
