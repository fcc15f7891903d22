#include "exchange/bulk_export_store.h"

#include <nlohmann/json.hpp>

#include "core/code_list.h"

namespace jd::exchange {

namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "id, requested_by, requested_at, request_url, types, since, state, transaction_time, "
    "output_json, error, finished_at, expires_at, purged_at";

std::string TextOr(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

std::optional<BulkExportState> ParseState(const std::string& code) {
  for (auto s :
       {BulkExportState::kAccepted, BulkExportState::kInProgress, BulkExportState::kCompleted,
        BulkExportState::kFailed, BulkExportState::kCancelled}) {
    if (ToCode(s) == code) return s;
  }
  return std::nullopt;
}

BulkExportJob Read(const soci::row& r) {
  BulkExportJob j;
  j.id = r.get<std::string>(0);
  j.requested_by = r.get<std::string>(1);
  j.requested_at = r.get<std::string>(2);
  j.request_url = r.get<std::string>(3);
  j.types = SplitCodes(r.get<std::string>(4));
  j.since = TextOr(r, 5);
  j.state = ParseState(r.get<std::string>(6)).value_or(BulkExportState::kFailed);
  j.transaction_time = TextOr(r, 7);
  const json out = json::parse(TextOr(r, 8), nullptr, false);
  if (out.is_array()) {
    for (const auto& f : out) {
      j.output.push_back({f.value("type", ""), f.value("name", ""), f.value("count", 0LL)});
    }
  }
  j.error = TextOr(r, 9);
  j.finished_at = TextOr(r, 10);
  j.expires_at = TextOr(r, 11);
  j.purged = !TextOr(r, 12).empty();
  return j;
}

std::string OutputJson(const BulkExportJob& j) {
  json out = json::array();
  for (const auto& f : j.output) {
    out.push_back({{"type", f.type}, {"name", f.name}, {"count", f.count}});
  }
  return out.dump();
}

soci::indicator NullIfEmpty(const std::string& s) { return s.empty() ? soci::i_null : soci::i_ok; }

}  // namespace

void BulkExportStore::Insert(soci::session& s, const BulkExportJob& j) {
  std::string types = JoinCodes(j.types);
  std::string state(ToCode(j.state));
  soci::indicator since_ind = NullIfEmpty(j.since);
  s << "INSERT INTO fhir_export_jobs (id, requested_by, requested_at, request_url, types, since, "
       "state) VALUES (:id, :by, :at, :url, :types, :since, :state)",
      soci::use(j.id), soci::use(j.requested_by), soci::use(j.requested_at),
      soci::use(j.request_url), soci::use(types), soci::use(j.since, since_ind), soci::use(state);
}

std::optional<BulkExportJob> BulkExportStore::Get(soci::session& s, const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns + " FROM fhir_export_jobs WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) return Read(r);
  return std::nullopt;
}

void BulkExportStore::Update(soci::session& s, const BulkExportJob& j) {
  std::string state(ToCode(j.state));
  std::string output = OutputJson(j);
  soci::indicator tt = NullIfEmpty(j.transaction_time), err = NullIfEmpty(j.error),
                  fin = NullIfEmpty(j.finished_at), exp = NullIfEmpty(j.expires_at);
  s << "UPDATE fhir_export_jobs SET state = :state, transaction_time = :tt, output_json = :out, "
       "error = :err, finished_at = :fin, expires_at = :exp WHERE id = :id",
      soci::use(state), soci::use(j.transaction_time, tt), soci::use(output),
      soci::use(j.error, err), soci::use(j.finished_at, fin), soci::use(j.expires_at, exp),
      soci::use(j.id);
}

int BulkExportStore::CountActive(soci::session& s, const std::string& user_id) {
  int n = 0;
  s << "SELECT COUNT(*) FROM fhir_export_jobs WHERE requested_by = :u AND state IN ('accepted', "
       "'in_progress')",
      soci::into(n), soci::use(user_id);
  return n;
}

std::vector<std::string> BulkExportStore::InStates(soci::session& s,
                                                   const std::vector<std::string>& states) {
  std::vector<std::string> ids;
  for (const auto& state : states) {
    soci::rowset<std::string> rows =
        (s.prepare << "SELECT id FROM fhir_export_jobs WHERE state = :s", soci::use(state));
    for (const auto& id : rows) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> BulkExportStore::Expired(soci::session& s, const std::string& now) {
  std::vector<std::string> ids;
  soci::rowset<std::string> rows =
      (s.prepare << "SELECT id FROM fhir_export_jobs WHERE expires_at < :now AND purged_at IS NULL",
       soci::use(now));
  for (const auto& id : rows) ids.push_back(id);
  return ids;
}

void BulkExportStore::MarkPurged(soci::session& s, const std::string& id) {
  // The purge's time is the expiry already passed: the row records that the files are gone.
  s << "UPDATE fhir_export_jobs SET purged_at = expires_at WHERE id = :id", soci::use(id);
}

}  // namespace jd::exchange
