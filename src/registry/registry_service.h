// File: registry/registry_service.h
// Use cases of the migrant registry, shared by the HTTP API, the command line and benchmarks:
// validate with the rules, authorise by role and jurisdiction, write in one transaction together
// with the audit row, and answer. A person outside the caller's jurisdiction is "not found" (and
// the attempt is audited), so the API does not reveal who is registered elsewhere. Lists return
// masked ID numbers and phones; the full values only on the detail view, which is audited.
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <vector>

#include "auth/access.h"
#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "core/dates.h"
#include "registry/eligibility.h"
#include "registry/model.h"
#include "registry/person_store.h"
#include "storage/database.h"

namespace jd::registry {

// A person with everything the detail page shows.
struct PersonView {
  Person person;
  std::vector<Document> documents;
  std::vector<ResidenceEvent> events;
  EligibilityResult eligibility;
  std::string as_of;
};

struct PendingDocument {
  Document document;
  Person person;
};

// One rejected row of an import: row number (1 = first data row after the header, as shown by a
// spreadsheet minus the header), column, code and messages.
struct ImportRowError {
  std::int64_t row = 0;
  std::string column;
  std::string code;
  std::string message_zh;
  std::string message_en;
};

struct ImportReport {
  std::string batch_id;
  std::int64_t rows_total = 0;
  std::int64_t rows_ok = 0;
  std::int64_t rows_failed = 0;
  std::vector<ImportRowError> errors;
  bool dry_run = false;
};

// What an export file holds: de-identified persons, or whole identifiers.
enum class ExportIdentifiers { kMasked, kFull };

struct ImportOptions {
  std::string file_name;
  bool dry_run = false;
  int batch_size = 5000;
  // Called after each batch with (rows done, fraction of the input read), for a progress bar.
  std::function<void(std::int64_t, double)> progress;
};

// One input row of an import: the person's JSON form and the row's own errors so far (from
// decoding the file, already naming the file's columns).
struct ImportRow {
  std::int64_t row = 0;
  nlohmann::json person;
  std::vector<FieldError> errors;
};

// Rows to import, delivered a chunk at a time, so that a file of millions of rows is never held
// whole in memory.
class ImportSource {
 public:
  virtual ~ImportSource() = default;
  // Replaces `out` with up to `max` rows; false when none are left.
  virtual bool Next(std::vector<ImportRow>& out, std::size_t max) = 0;
  // Problems with the input itself found so far (e.g. an unterminated quote), by row.
  virtual std::vector<ImportRowError> InputErrors() const { return {}; }
  // The fraction of the input read so far, 0 to 1.
  virtual double Fraction() const { return 0; }
  // How the input names a person's JSON field (a file's own column header), for error reports.
  virtual std::string ColumnName(const std::string& field) const { return field; }
};

// An ImportSource over rows already in memory (the API, tests).
class VectorImportSource final : public ImportSource {
 public:
  explicit VectorImportSource(std::vector<ImportRow> rows) : rows_(std::move(rows)) {}
  bool Next(std::vector<ImportRow>& out, std::size_t max) override;
  double Fraction() const override {
    return rows_.empty() ? 1.0 : static_cast<double>(next_) / static_cast<double>(rows_.size());
  }

 private:
  std::vector<ImportRow> rows_;
  std::size_t next_ = 0;
};

class RegistryService {
 public:
  RegistryService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                  EligibilityPolicy policy = {});

  // Loads the org-unit tree into memory (it is small and read on every write).
  Status LoadOrgUnits();
  // Writes the search keys of persons registered before they existed, once (at start-up).
  Status BackfillSearchKeys();

  // ---- Org units ----
  Result<std::vector<OrgUnit>> ListOrgUnits(const auth::Principal& who) const;
  std::optional<OrgUnit> FindOrg(const std::string& code) const;
  // The root (city) unit, when the tree exists.
  std::optional<OrgUnit> RootOrg() const;
  // Who counts as a migrant (registry/eligibility.h), for statistics counted elsewhere.
  const EligibilityPolicy& policy() const { return policy_; }
  // Creates units (parents before children). REQUIRES: kConfigure or the system principal.
  Status AddOrgUnits(const auth::Principal& who, const std::vector<OrgUnit>& units);
  // Adds one street/township under a district or one community/village under a street, from
  // {"code","name","parent_code"}: the level follows the parent's, and the code extends the
  // parent's (GB/T 2260 county code + 3 digits for a street, street code + 3 for a community).
  Result<OrgUnit> CreateOrgUnit(const auth::Principal& who, const nlohmann::json& body);

  // ---- Persons ----
  Result<PersonView> CreatePerson(const auth::Principal& who, const nlohmann::json& body);
  Result<PersonView> GetPerson(const auth::Principal& who, const std::string& id);
  Result<PersonPage> SearchPersons(const auth::Principal& who, PersonSearch q);
  // The persons whose audit rows an auditor looks for: name or ID-number search text `q`
  // (search_keys.h), within auth::AuditScopeOf, at most `limit`. Audited as a person search.
  // REQUIRES: kAuditRead.
  Result<std::vector<Person>> FindPersonsForAudit(const auth::Principal& who, const std::string& q,
                                                  int limit);
  // The masked names (person_rules.h MaskName) of those of `ids` within auth::AuditScopeOf, by
  // id, for the audit log's object column. REQUIRES: kAuditRead.
  Result<std::map<std::string, std::string>> MaskedNamesForAudit(
      const auth::Principal& who, const std::vector<std::string>& ids);
  // Partial update. `expected_version` (0: not checked) guards against lost updates.
  Result<PersonView> UpdatePerson(const auth::Principal& who, const std::string& id,
                                  const nlohmann::json& patch, int expected_version);
  Result<PersonView> AddResidenceEvent(const auth::Principal& who, const std::string& person_id,
                                       const nlohmann::json& body);
  // Earlier versions of a person's record, newest first.
  Result<std::vector<nlohmann::json>> PersonHistory(const auth::Principal& who,
                                                    const std::string& id);

  // ---- Documents ----
  Result<Document> SubmitDocument(const auth::Principal& who, const std::string& person_id,
                                  const nlohmann::json& body);
  Result<Document> ReviewDocument(const auth::Principal& who, const std::string& document_id,
                                  const nlohmann::json& body);
  // How many documents wait for review in the caller's jurisdiction (a number: not audited).
  // REQUIRES: kDocumentReview.
  Result<std::int64_t> CountPendingDocuments(const auth::Principal& who);
  Result<std::vector<PendingDocument>> PendingDocuments(const auth::Principal& who, int limit,
                                                        int offset);

  // ---- Files ----
  // Validates every row, writes the good ones in batches (each row whole or not at all), and
  // reports the bad ones row by row. Validation of the next batch runs on a second thread while
  // the current batch is written. REQUIRES: kPersonImport.
  Result<ImportReport> ImportPersons(const auth::Principal& who, ImportSource& source,
                                     const ImportOptions& options);
  // Calls `sink` with each person in the caller's jurisdiction until it returns false. The audit
  // row (identifiers, scope) is committed before the first person is handed over, and a second one
  // gives the count when done. kMasked hands over DeidentifiedPerson(p) (person_rules.h); kFull the
  // whole record and REQUIRES kPersonExportFull as well as kPersonRead. `since` (a FormatTimestamp,
  // optional): only persons whose record changed at or after it. The walk is keyset-paged
  // (PersonScan), so its time grows with the city and not with its square.
  Status ExportPersons(const auth::Principal& who, ExportIdentifiers identifiers,
                       const std::function<bool(const Person&)>& sink,
                       const std::string& since = "");

  // The eligibility of a stored person as of `as_of`.
  EligibilityResult EligibilityOf(const Person& p, const std::vector<Document>& documents,
                                  const Date& as_of) const;

  const Clock& clock() const { return clock_; }

 private:
  // For a person outside the caller's jurisdiction: audits the attempt as denied and answers
  // "not found".
  Status RefusePerson(const auth::Principal& who, const std::string& person_id,
                      const std::string& action);
  // Validates a person and resolves its residence unit; fills residence_path.
  void ValidateForWrite(Person& p, FieldErrors& errors) const;
  // ValidateForWrite, adding only errors of fields not already in `errors`.
  void MergeRuleErrors(Person& p, FieldErrors& errors) const;
  // The person with documents, events and eligibility, read within `scope`; `outside` (optional)
  // is set when the person exists outside it.
  Result<PersonView> LoadView(soci::session& s, const auth::Scope& scope, const std::string& id,
                              bool* outside = nullptr);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  EligibilityPolicy policy_;
  mutable std::shared_mutex org_mu_;
  std::map<std::string, OrgUnit> orgs_;
};

nlohmann::json DocumentToJson(const Document& d);
nlohmann::json EventToJson(const ResidenceEvent& e);
nlohmann::json OrgUnitToJson(const OrgUnit& u);

}  // namespace jd::registry
