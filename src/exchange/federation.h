// File: exchange/federation.h
// The record follows the migrant (试点工作方案 五(四) 信息互联互通; 南宁市实施办法 六(三)): city
// nodes federated over NATS JetStream (exchange/nats_link.h). When a person moves out to another
// node's city, this node sends that node the person's record bundle — a FHIR Bundle of the
// Patient and the Immunizations (exchange/fhir.h) — signed by this node and sealed to the
// receiver's key (exchange/federation_crypto.h), so the message engine carries only ciphertext.
// The receiver links the person into its registry (a new person, or the one already registered
// with the same identity document), adds the doses as records received from another region (so
// they count in its forecast at once), and both nodes keep a ledger row and an audit row naming
// the transfer's legal basis. Look-ups go by the keyed hash of the ID number; the answer names
// the node holding the record, not its content.
//
// Delivery is at least once and ingestion is idempotent, so nothing is lost and nothing doubled:
//   - the sender writes the sealed envelope to its ledger ('queued') before publishing, and
//     publishes with the transfer id as JetStream's message id (duplicates within 24 h dropped),
//     marking the row 'sent' only on JetStream's acknowledgement: a sender stopped in between
//     publishes the same bytes again;
//   - the receiver acknowledges a message only after it has ingested it; a receiver stopped in
//     between gets the message again, and the ledger's primary key, the registry's unique
//     identity document and the dose service's one-dose-per-vaccine-and-day rule make the second
//     ingestion change nothing.
// Policies where the documents are silent: the receiver places the person in the org unit of the
// division named by the sender (the district), else at the city; the arrival day is the day the
// transfer was sent; records the sender had voided are not sent; a person the receiver already
// holds keeps the receiver's own data and gains only the doses it lacks (conflicts listed in the
// ledger's detail for review).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "exchange/federation_crypto.h"
#include "exchange/nats_link.h"
#include "immunization/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::exchange {

// This node's keys and the federation's look-up key (the file <db>.federation-key, 0600).
struct FederationIdentity {
  NodeSecretKeys keys;
  std::string lookup_key;  // raw bytes
};
nlohmann::json IdentityJson(const FederationIdentity& id);
Result<FederationIdentity> IdentityFromJson(const nlohmann::json& j);
// The identity in the key file at `path`; nullopt when there is no such file (the node is in no
// federation), an error when it cannot be read or is damaged.
Result<std::optional<FederationIdentity>> LoadIdentityFile(const std::string& path);
std::string IdentityPath(const std::string& db_path);  // "<db>.federation-key"

struct TransferRow {
  std::string id;
  std::string direction;  // "out", "in"
  std::string peer;
  std::string person_id;
  std::string to_division;
  std::string legal_basis;
  std::string state;  // "queued", "sent", "ingested", "refused"
  std::string bundle_sha256;
  int resources = 0;
  std::string detail;
  std::string created_at, updated_at;
};

// What one receive pass did.
struct ReceiveReport {
  int ingested = 0;
  int duplicates = 0;  // already in the ledger: acknowledged, nothing changed
  int refused = 0;     // could not be opened or linked: acknowledged, ledger row 'refused'
  int left = 0;        // a passing failure (the database): not acknowledged, comes again
  int reports = 0;     // city reports taken in (an aggregator node)
  std::vector<std::string> tokens;  // look-up tokens of the persons taken in
};

// A city's report of a period as an aggregator node took it in: the city node's dataValueSets
// document (kpi/dhis2.h), signed by that node and sealed to this one on the wire.
struct CityReportRow {
  std::string id;
  std::string city;    // GB/T 2260 code of the reporting city
  std::string period;  // "2026-11", "2026Q4", "2026"
  std::string node;
  std::string document;
  std::string sent_at, received_at;
};

class Federation {
 public:
  Federation(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
             registry::RegistryService& registry, immunization::ImmunizationService& immunization,
             FederationIdentity identity);

  const std::string& node_id() const { return identity_.keys.pub.node_id; }

  // Adds (or replaces) a peer's public keys. REQUIRES: a system principal (the command line).
  Status Join(const auth::Principal& who, const NodePublicKeys& peer);
  Result<std::vector<NodePublicKeys>> Peers() const;

  // Records that `person_id` moved out to `to_division` in the city of node `to_node`, and queues
  // the person's record bundle for that node (the residence event and the ledger row; audited
  // with the legal basis). A person who is not active here, or an unknown peer, is an error; a
  // person outside the caller's area is not found (audited). REQUIRES: kPersonWrite.
  Result<TransferRow> SendPerson(const auth::Principal& who, const std::string& person_id,
                                 const std::string& to_node, const std::string& to_division);
  // Publishes the queued transfers (oldest first); the number published.
  Result<int> PublishQueued(NatsLink& link);

  // Takes up to `batch` transfers for this node from the stream and ingests them.
  Result<ReceiveReport> ReceiveOnce(NatsLink& link, int batch, int timeout_ms);
  // Ingests one envelope as it came off the wire. OK when the message may be acknowledged
  // (ingested, a duplicate or refused for good); kUnavailable when it should come again.
  Status Ingest(std::string_view envelope, ReceiveReport& report);

  // Puts the look-up tokens of this node's active persons with a resident ID into the index;
  // the number put.
  Result<int> Announce(NatsLink& link);
  // The node holding the person with this ID number, nullopt when none does.
  Result<std::optional<std::string>> Lookup(NatsLink& link, const std::string& id_number);

  Result<std::vector<TransferRow>> Ledger(int limit) const;

  // The pilot-wide aggregator (试点工作方案 五(五)): sends this city's figures of `period` (a
  // dataValueSets document made by the KPI module) to the aggregator node `to_node`, signed and
  // sealed like a record bundle, on the same stream, with JetStream's acknowledgement (an error
  // otherwise: nothing is queued, the caller sends again). The report's id is returned. Audited.
  // REQUIRES: kAggregateRead; `to_node` joined.
  Result<std::string> SendReport(const auth::Principal& who, NatsLink& link,
                                 const std::string& to_node, const std::string& city,
                                 const std::string& period, const std::string& document);
  // The reports taken in for `period` (every one; the newest of a city counts), by city and time.
  // REQUIRES: kAggregateRead.
  Result<std::vector<CityReportRow>> Reports(const auth::Principal& who,
                                             const std::string& period) const;
  // The periods reports were taken in for, newest first. REQUIRES: kAggregateRead.
  Result<std::vector<std::string>> ReportPeriods(const auth::Principal& who) const;

 private:
  Result<nlohmann::json> RecordBundle(const auth::Principal& who, const std::string& person_id,
                                      registry::Person& person);
  Result<std::string> LinkPerson(const nlohmann::json& patient, const std::string& to_division,
                                 Date arrived_on, std::string& detail);
  // The report inside an opened envelope from `from`: stored once (by its id) and audited.
  Status IngestReport(const nlohmann::json& plain, const std::string& from, ReceiveReport& report);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  registry::RegistryService& registry_;
  immunization::ImmunizationService& immunization_;
  FederationIdentity identity_;
};

}  // namespace jd::exchange
