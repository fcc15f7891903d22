// File: exchange/federation_store.h
// The SQL of the federation (migration 0030): peers' public keys and the transfer ledger. The
// ledger holds no personal data beyond the local person's id, and peers are node-level, so no
// jurisdiction scope applies: only the federation service (system principal) calls these.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "exchange/federation.h"

namespace jd::exchange {

struct FederationStore {
  static void PutPeer(soci::session& s, const NodePublicKeys& peer, const std::string& at,
                      const std::string& by);
  static std::vector<NodePublicKeys> Peers(soci::session& s);
  static std::optional<NodePublicKeys> Peer(soci::session& s, const std::string& node_id);

  // False when a row with the id exists already (the ledger's primary key).
  static bool InsertTransfer(soci::session& s, const TransferRow& row, const std::string& envelope);
  static bool HasTransfer(soci::session& s, const std::string& id);
  // Queued outgoing transfers, oldest first, with their envelopes.
  static std::vector<std::pair<TransferRow, std::string>> Queued(soci::session& s, int limit);
  static void MarkSent(soci::session& s, const std::string& id, const std::string& at);
  static std::vector<TransferRow> Recent(soci::session& s, int limit);

  // Aggregate reports (migration 0031). False when the report's id is stored already.
  static bool InsertReport(soci::session& s, const CityReportRow& row, const std::string& sha256);
  static std::vector<CityReportRow> Reports(soci::session& s, const std::string& period);
  static std::vector<std::string> ReportPeriods(soci::session& s);
};

}  // namespace jd::exchange
