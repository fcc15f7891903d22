// The SQL of the federation (exchange/federation_store.h).
#include "exchange/federation_store.h"

#include "storage/database.h"

namespace jd::exchange {

namespace {

constexpr const char* kColumns =
    "id, direction, peer, person_id, to_division, legal_basis, state, bundle_sha256, resources, "
    "detail, created_at, updated_at";

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

TransferRow ReadRow(const soci::row& r) {
  TransferRow t;
  t.id = Text(r, 0);
  t.direction = Text(r, 1);
  t.peer = Text(r, 2);
  t.person_id = Text(r, 3);
  t.to_division = Text(r, 4);
  t.legal_basis = Text(r, 5);
  t.state = Text(r, 6);
  t.bundle_sha256 = Text(r, 7);
  t.resources = r.get_indicator(8) == soci::i_null ? 0 : static_cast<int>(storage::RowInt64(r, 8));
  t.detail = Text(r, 9);
  t.created_at = Text(r, 10);
  t.updated_at = Text(r, 11);
  return t;
}

NodePublicKeys ReadPeer(const soci::row& r) {
  return {Text(r, 0), FromBase64(Text(r, 1)).value_or(""), FromBase64(Text(r, 2)).value_or("")};
}

}  // namespace

void FederationStore::PutPeer(soci::session& s, const NodePublicKeys& peer, const std::string& at,
                              const std::string& by) {
  const std::string box = Base64(peer.box_public), sign = Base64(peer.sign_public);
  s << "INSERT INTO federation_peers (node_id, box_public, sign_public, joined_at, joined_by) "
       "VALUES (:n, :b, :s, :a, :by) ON CONFLICT (node_id) DO UPDATE SET box_public = "
       "excluded.box_public, sign_public = excluded.sign_public, joined_at = excluded.joined_at, "
       "joined_by = excluded.joined_by",
      soci::use(peer.node_id), soci::use(box), soci::use(sign), soci::use(at), soci::use(by);
}

std::vector<NodePublicKeys> FederationStore::Peers(soci::session& s) {
  std::vector<NodePublicKeys> out;
  soci::rowset<soci::row> rows =
      s.prepare << "SELECT node_id, box_public, sign_public FROM federation_peers ORDER BY node_id";
  for (const auto& r : rows) out.push_back(ReadPeer(r));
  return out;
}

std::optional<NodePublicKeys> FederationStore::Peer(soci::session& s, const std::string& node_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT node_id, box_public, sign_public FROM federation_peers WHERE node_id = "
                    ":n",
       soci::use(node_id));
  for (const auto& r : rows) return ReadPeer(r);
  return std::nullopt;
}

bool FederationStore::InsertTransfer(soci::session& s, const TransferRow& t,
                                     const std::string& envelope) {
  soci::indicator env_ind = envelope.empty() ? soci::i_null : soci::i_ok;
  soci::statement st =
      (s.prepare << "INSERT INTO federation_transfers (id, direction, peer, person_id, "
                    "to_division, legal_basis, state, envelope, bundle_sha256, resources, detail, "
                    "created_at, updated_at) VALUES (:id, :d, :p, :pe, :td, :lb, :st, :env, :h, "
                    ":n, :det, :c, :u) ON CONFLICT (id) DO NOTHING",
       soci::use(t.id), soci::use(t.direction), soci::use(t.peer), soci::use(t.person_id),
       soci::use(t.to_division), soci::use(t.legal_basis), soci::use(t.state),
       soci::use(envelope, env_ind), soci::use(t.bundle_sha256), soci::use(t.resources),
       soci::use(t.detail), soci::use(t.created_at), soci::use(t.updated_at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool FederationStore::HasTransfer(soci::session& s, const std::string& id) {
  int n = 0;
  s << "SELECT COUNT(*) FROM federation_transfers WHERE id = :id", soci::use(id), soci::into(n);
  return n > 0;
}

std::vector<std::pair<TransferRow, std::string>> FederationStore::Queued(soci::session& s,
                                                                         int limit) {
  std::vector<std::pair<TransferRow, std::string>> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        ", envelope FROM federation_transfers WHERE direction = 'out' AND state "
                        "= 'queued' ORDER BY created_at, id LIMIT :n",
       soci::use(limit));
  for (const auto& r : rows) out.emplace_back(ReadRow(r), Text(r, 12));
  return out;
}

void FederationStore::MarkSent(soci::session& s, const std::string& id, const std::string& at) {
  s << "UPDATE federation_transfers SET state = 'sent', envelope = NULL, updated_at = :a WHERE "
       "id = :id AND state = 'queued'",
      soci::use(at), soci::use(id);
}

std::vector<TransferRow> FederationStore::Recent(soci::session& s, int limit) {
  std::vector<TransferRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM federation_transfers ORDER BY created_at DESC, id LIMIT :n",
       soci::use(limit));
  for (const auto& r : rows) out.push_back(ReadRow(r));
  return out;
}

bool FederationStore::InsertReport(soci::session& s, const CityReportRow& r,
                                   const std::string& sha256) {
  soci::statement st =
      (s.prepare << "INSERT INTO aggregate_reports (id, city, period, node, document, "
                    "document_sha256, sent_at, received_at) VALUES (:id, :c, :p, :n, :d, :h, :s, "
                    ":r) ON CONFLICT (id) DO NOTHING",
       soci::use(r.id), soci::use(r.city), soci::use(r.period), soci::use(r.node),
       soci::use(r.document), soci::use(sha256), soci::use(r.sent_at), soci::use(r.received_at));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<CityReportRow> FederationStore::Reports(soci::session& s, const std::string& period) {
  std::vector<CityReportRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, city, period, node, document, sent_at, received_at FROM "
                    "aggregate_reports WHERE period = :p ORDER BY city, received_at, id",
       soci::use(period));
  for (const auto& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5),
                   r.get<std::string>(6)});
  }
  return out;
}

std::vector<std::string> FederationStore::ReportPeriods(soci::session& s) {
  std::vector<std::string> out;
  soci::rowset<std::string> rows =
      s.prepare << "SELECT DISTINCT period FROM aggregate_reports ORDER BY period DESC";
  for (const auto& p : rows) out.push_back(p);
  return out;
}

}  // namespace jd::exchange
