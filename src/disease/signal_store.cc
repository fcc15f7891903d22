// The SQL of signals and events (disease/signal_store.h).
#include "disease/signal_store.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace jd::disease {

namespace {

constexpr const char* kSignalColumns =
    "id, kind, disease_code, district_code, district_path, period_key, period_start, period_end, "
    "observed, threshold, card_ids, work_site_key, work_site_kind, raised_at, raised_by, status, "
    "verify_due_at, verified_at, verified_by, note, event_id, version";
constexpr std::size_t kSignalPath = 4;

constexpr const char* kEventColumns =
    "id, signal_id, kind, disease_code, district_code, district_path, opened_at, opened_by, "
    "investigation, investigated_at, measures, measures_at, closed_at, closed_by, closure_note, "
    "handled_to_standard, version";
constexpr std::size_t kEventPath = 5;

// Card columns of a CardFact, then its report day (Asia/Shanghai).
constexpr const char* kCardColumns =
    "id, disease_code, district_code, work_site_key, work_site_kind, onset_date, "
    "date(reported_at, '+8 hours')";

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

double Real(const soci::row& r, std::size_t i) {
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  return static_cast<double>(storage::RowInt64(r, i));
}

Date DateOf(const soci::row& r, std::size_t i) { return ParseDate(Text(r, i)).value_or(Date{}); }

// The UTC timestamp at which the Asia/Shanghai day `d` begins.
std::string DayStartUtc(Date d) { return FormatDate(AddDays(d, -1)) + "T16:00:00"; }

std::string IdsJson(const std::vector<std::string>& ids) { return nlohmann::json(ids).dump(); }

std::vector<std::string> IdsOf(const std::string& text) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

Signal ReadSignal(const soci::row& r) {
  Signal x;
  x.id = r.get<std::string>(0);
  x.kind = ParseSignalKind(r.get<std::string>(1)).value_or(SignalKind::kFixedThreshold);
  x.disease_code = r.get<std::string>(2);
  x.district_code = r.get<std::string>(3);
  x.district_path = r.get<std::string>(4);
  x.period_key = r.get<std::string>(5);
  x.period_start = DateOf(r, 6);
  x.period_end = DateOf(r, 7);
  x.observed = storage::RowInt64(r, 8);
  if (r.get_indicator(9) != soci::i_null) x.threshold = Real(r, 9);
  x.card_ids = IdsOf(Text(r, 10));
  x.work_site_key = Text(r, 11);
  x.work_site_kind = Text(r, 12);
  x.raised_at = Text(r, 13);
  x.raised_by = Text(r, 14);
  x.status = ParseSignalStatus(Text(r, 15)).value_or(SignalStatus::kOpen);
  x.verify_due_at = Text(r, 16);
  x.verified_at = Text(r, 17);
  x.verified_by = Text(r, 18);
  x.note = Text(r, 19);
  x.event_id = Text(r, 20);
  x.version = static_cast<int>(storage::RowInt64(r, 21));
  return x;
}

DiseaseEvent ReadEvent(const soci::row& r) {
  DiseaseEvent e;
  e.id = r.get<std::string>(0);
  e.signal_id = r.get<std::string>(1);
  e.kind = ParseEventKind(r.get<std::string>(2)).value_or(EventKind::kCluster);
  e.disease_code = r.get<std::string>(3);
  e.district_code = r.get<std::string>(4);
  e.district_path = r.get<std::string>(5);
  e.opened_at = Text(r, 6);
  e.opened_by = Text(r, 7);
  e.investigation = Text(r, 8);
  e.investigated_at = Text(r, 9);
  e.measures = Text(r, 10);
  e.measures_at = Text(r, 11);
  e.closed_at = Text(r, 12);
  e.closed_by = Text(r, 13);
  e.closure_note = Text(r, 14);
  if (r.get_indicator(15) != soci::i_null) e.handled_to_standard = storage::RowInt64(r, 15) != 0;
  e.version = static_cast<int>(storage::RowInt64(r, 16));
  return e;
}

CardFact ReadCard(const soci::row& r) {
  CardFact c;
  c.id = r.get<std::string>(0);
  c.disease_code = r.get<std::string>(1);
  c.district_code = r.get<std::string>(2);
  c.work_site_key = Text(r, 3);
  c.work_site_kind = Text(r, 4);
  c.onset = DateOf(r, 5);
  return c;
}

// " AND disease_code NOT IN ('a','b')" for codes of the catalogue (letters, digits, '_' only).
std::string NotIn(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& c : codes) {
    bool plain = !c.empty();
    for (char ch : c) plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!plain) continue;
    out += (out.empty() ? "'" : ", '") + c + "'";
  }
  return out.empty() ? std::string() : " AND disease_code NOT IN (" + out + ")";
}

// Runs `sql` with the texts `binds` bound to :p0, :p1, … and calls each(row) per row.
template <class Each>
void EachRow(soci::session& s, const std::string& sql, const std::vector<std::string>& binds,
             Each each) {
  soci::row r;
  soci::statement st = (s.prepare << sql);
  st.exchange(soci::into(r));
  for (std::size_t i = 0; i < binds.size(); ++i) {
    st.exchange(soci::use(binds[i], "p" + std::to_string(i)));
  }
  st.define_and_bind();
  st.execute();
  while (st.fetch()) each(r);
}

}  // namespace

bool SignalStore::InsertSignal(soci::session& s, const Signal& x) {
  std::string kind(SignalKindCode(x.kind)), status(SignalStatusCode(x.status));
  std::string start = FormatDate(x.period_start), end = FormatDate(x.period_end);
  std::string ids = IdsJson(x.card_ids);
  double threshold = x.threshold.value_or(0);
  soci::indicator i_threshold = x.threshold ? soci::i_ok : soci::i_null;
  soci::statement st =
      (s.prepare << "INSERT INTO disease_signals(id, kind, disease_code, district_code, "
                    "district_path, period_key, period_start, period_end, observed, threshold, "
                    "card_ids, work_site_key, work_site_kind, raised_at, raised_by, status, "
                    "verify_due_at, note, version) VALUES (:id, :kind, :disease, :district, "
                    ":path, :key, :start, :end, :observed, :threshold, :ids, :site, :site_kind, "
                    ":raised_at, :raised_by, :status, :due, :note, :version) ON CONFLICT DO "
                    "NOTHING",
       soci::use(x.id), soci::use(kind), soci::use(x.disease_code), soci::use(x.district_code),
       soci::use(x.district_path), soci::use(x.period_key), soci::use(start), soci::use(end),
       soci::use(static_cast<long long>(x.observed)), soci::use(threshold, i_threshold),
       soci::use(ids), soci::use(x.work_site_key), soci::use(x.work_site_kind),
       soci::use(x.raised_at), soci::use(x.raised_by), soci::use(status),
       soci::use(x.verify_due_at), soci::use(x.note), soci::use(x.version));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<Signal> SignalStore::GetSignal(soci::session& s, const auth::Scope& scope,
                                               const std::string& id) {
  soci::rowset<soci::row> rows = (s.prepare << std::string("SELECT ") + kSignalColumns +
                                                   " FROM disease_signals WHERE id = :id",
                                  soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kSignalPath))) return auth::ScopedRow<Signal>::Outside();
    return auth::ScopedRow<Signal>::Found(ReadSignal(r));
  }
  return {};
}

std::vector<Signal> SignalStore::ListSignals(soci::session& s, const auth::Scope& scope,
                                             const SignalQuery& q) {
  const auth::PathRange range = scope.Range();
  std::vector<std::string> binds = {range.lo, range.hi};
  std::string where = " WHERE district_path >= :p0 AND district_path < :p1";
  auto add = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    where += std::string(" AND ") + column + " = :p" + std::to_string(binds.size());
    binds.push_back(value);
  };
  add("status", q.status ? std::string(SignalStatusCode(*q.status)) : std::string());
  add("district_code", q.district_code);
  add("disease_code", q.disease_code);
  const std::string sql = std::string("SELECT ") + kSignalColumns + " FROM disease_signals" +
                          where + NotIn(q.hidden_diseases) +
                          " ORDER BY status <> 'open', CASE WHEN status = 'open' THEN "
                          "verify_due_at END, raised_at DESC, id LIMIT " +
                          std::to_string(std::max(1, q.limit));
  std::vector<Signal> out;
  EachRow(s, sql, binds, [&](const soci::row& r) { out.push_back(ReadSignal(r)); });
  return out;
}

SignalCounts SignalStore::CountOpen(soci::session& s, const auth::Scope& scope,
                                    const std::vector<std::string>& hidden_diseases,
                                    const std::string& now_ts) {
  const auth::PathRange range = scope.Range();
  SignalCounts c;
  soci::indicator i_overdue = soci::i_ok;
  long long open = 0, overdue = 0;
  s << "SELECT COUNT(*), SUM(CASE WHEN verify_due_at < :now THEN 1 ELSE 0 END) FROM "
       "disease_signals WHERE district_path >= :lo AND district_path < :hi AND status = 'open'" +
           NotIn(hidden_diseases),
      soci::use(now_ts, "now"), soci::use(range.lo, "lo"), soci::use(range.hi, "hi"),
      soci::into(open), soci::into(overdue, i_overdue);
  c.open = static_cast<int>(open);
  c.overdue = i_overdue == soci::i_null ? 0 : static_cast<int>(overdue);
  return c;
}

bool SignalStore::UpdateSignal(soci::session& s, const auth::Scope& scope, const Signal& x,
                               int expected_version) {
  const auth::PathRange range = scope.Range();
  std::string status(SignalStatusCode(x.status));
  soci::indicator i_at = storage::NullIfEmpty(x.verified_at);
  soci::indicator i_by = storage::NullIfEmpty(x.verified_by);
  soci::indicator i_event = storage::NullIfEmpty(x.event_id);
  soci::statement st =
      (s.prepare << "UPDATE disease_signals SET status = :status, verified_at = :at, verified_by "
                    "= :by, note = :note, event_id = :event, version = :version WHERE id = :id "
                    "AND version = :ev AND district_path >= :lo AND district_path < :hi",
       soci::use(status), soci::use(x.verified_at, i_at), soci::use(x.verified_by, i_by),
       soci::use(x.note), soci::use(x.event_id, i_event), soci::use(x.version), soci::use(x.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<Signal> SignalStore::SignalsOfEvent(soci::session& s, const std::string& event_id) {
  std::vector<Signal> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kSignalColumns +
                        " FROM disease_signals WHERE event_id = :e ORDER BY raised_at, id",
       soci::use(event_id));
  for (const auto& r : rows) out.push_back(ReadSignal(r));
  return out;
}

std::optional<Signal> SignalStore::ClusterSignalSince(soci::session& s,
                                                      const std::string& disease_code,
                                                      const std::string& site_key,
                                                      Date window_start) {
  std::string start = FormatDate(window_start);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kSignalColumns +
                        " FROM disease_signals WHERE kind = 'work_site_cluster' AND disease_code "
                        "= :d AND work_site_key = :k AND period_end >= :start ORDER BY period_end "
                        "DESC, raised_at DESC LIMIT 1",
       soci::use(disease_code), soci::use(site_key), soci::use(start));
  for (const auto& r : rows) return ReadSignal(r);
  return std::nullopt;
}

void SignalStore::GrowSignal(soci::session& s, const std::string& id,
                             const std::vector<std::string>& card_ids, Date period_end) {
  std::string ids = IdsJson(card_ids), end = FormatDate(period_end);
  auto observed = static_cast<long long>(card_ids.size());
  s << "UPDATE disease_signals SET card_ids = :ids, observed = :observed, period_end = :end WHERE "
       "id = :id",
      soci::use(ids), soci::use(observed), soci::use(end), soci::use(id);
}

void SignalStore::InsertEvent(soci::session& s, const DiseaseEvent& e) {
  std::string kind(EventKindCode(e.kind));
  s << "INSERT INTO disease_events(id, signal_id, kind, disease_code, district_code, "
       "district_path, opened_at, opened_by, version) VALUES (:id, :signal, :kind, :disease, "
       ":district, :path, :at, :by, :version)",
      soci::use(e.id), soci::use(e.signal_id), soci::use(kind), soci::use(e.disease_code),
      soci::use(e.district_code), soci::use(e.district_path), soci::use(e.opened_at),
      soci::use(e.opened_by), soci::use(e.version);
}

auth::ScopedRow<DiseaseEvent> SignalStore::GetEvent(soci::session& s, const auth::Scope& scope,
                                                    const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kEventColumns + " FROM disease_events WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kEventPath))) {
      return auth::ScopedRow<DiseaseEvent>::Outside();
    }
    return auth::ScopedRow<DiseaseEvent>::Found(ReadEvent(r));
  }
  return {};
}

std::vector<DiseaseEvent> SignalStore::ListEvents(soci::session& s, const auth::Scope& scope,
                                                  const EventQuery& q) {
  const auth::PathRange range = scope.Range();
  std::string sql = std::string("SELECT ") + kEventColumns +
                    " FROM disease_events WHERE district_path >= :lo AND district_path < :hi" +
                    (q.open_only ? " AND closed_at IS NULL" : "") + NotIn(q.hidden_diseases) +
                    " ORDER BY closed_at IS NOT NULL, opened_at DESC, id LIMIT :limit";
  std::vector<DiseaseEvent> out;
  soci::rowset<soci::row> rows =
      (s.prepare << sql, soci::use(range.lo), soci::use(range.hi), soci::use(q.limit));
  for (const auto& r : rows) out.push_back(ReadEvent(r));
  return out;
}

bool SignalStore::UpdateEvent(soci::session& s, const auth::Scope& scope, const DiseaseEvent& e,
                              int expected_version) {
  const auth::PathRange range = scope.Range();
  soci::indicator i_inv = storage::NullIfEmpty(e.investigated_at);
  soci::indicator i_mea = storage::NullIfEmpty(e.measures_at);
  soci::indicator i_closed = storage::NullIfEmpty(e.closed_at);
  soci::indicator i_by = storage::NullIfEmpty(e.closed_by);
  int handled = e.handled_to_standard.value_or(false) ? 1 : 0;
  soci::indicator i_handled = e.handled_to_standard ? soci::i_ok : soci::i_null;
  std::string kind(EventKindCode(e.kind));
  soci::statement st =
      (s.prepare << "UPDATE disease_events SET kind = :kind, investigation = :inv, "
                    "investigated_at = :inv_at, measures = :mea, measures_at = :mea_at, "
                    "closed_at = :closed, closed_by = :by, closure_note = :note, "
                    "handled_to_standard = :handled, version = :version WHERE id = :id AND "
                    "version = :ev AND district_path >= :lo AND district_path < :hi",
       soci::use(kind), soci::use(e.investigation), soci::use(e.investigated_at, i_inv),
       soci::use(e.measures), soci::use(e.measures_at, i_mea), soci::use(e.closed_at, i_closed),
       soci::use(e.closed_by, i_by), soci::use(e.closure_note), soci::use(handled, i_handled),
       soci::use(e.version), soci::use(e.id), soci::use(expected_version), soci::use(range.lo),
       soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

EventTally SignalStore::TallyEvents(soci::session& s, const auth::Scope& scope, Date from,
                                    Date to) {
  const auth::PathRange range = scope.Range();
  std::string lo_at = DayStartUtc(from), hi_at = DayStartUtc(AddDays(to, 1));
  long long events = 0, closed = 0, handled = 0;
  soci::indicator i_closed = soci::i_ok, i_handled = soci::i_ok;
  s << "SELECT COUNT(*), SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), "
       "SUM(CASE WHEN handled_to_standard = 1 THEN 1 ELSE 0 END) FROM disease_events WHERE "
       "district_path >= :lo AND district_path < :hi AND opened_at >= :a AND opened_at < :b",
      soci::use(range.lo), soci::use(range.hi), soci::use(lo_at), soci::use(hi_at),
      soci::into(events), soci::into(closed, i_closed), soci::into(handled, i_handled);
  EventTally t;
  t.events = static_cast<int>(events);
  t.closed = i_closed == soci::i_null ? 0 : static_cast<int>(closed);
  t.handled = i_handled == soci::i_null ? 0 : static_cast<int>(handled);
  return t;
}

std::vector<CardFact> SignalStore::CardsAtSite(soci::session& s, const std::string& disease_code,
                                               const std::string& site_key, Date from, Date to) {
  std::string a = FormatDate(from), b = FormatDate(to);
  std::vector<CardFact> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCardColumns +
                        " FROM disease_cards WHERE status = 'active' AND work_site_key = :k AND "
                        "disease_code = :d AND onset_date >= :a AND onset_date <= :b",
       soci::use(site_key), soci::use(disease_code), soci::use(a), soci::use(b));
  for (const auto& r : rows) out.push_back(ReadCard(r));
  return out;
}

std::vector<std::pair<CardFact, Date>> SignalStore::CardsReported(
    soci::session& s, const std::vector<std::string>& disease_codes, Date from, Date to) {
  std::vector<std::pair<CardFact, Date>> out;
  if (disease_codes.empty()) return out;
  std::vector<std::string> binds = {DayStartUtc(from), DayStartUtc(AddDays(to, 1))};
  std::string in;
  for (const std::string& code : disease_codes) {
    in += (in.empty() ? ":p" : ", :p") + std::to_string(binds.size());
    binds.push_back(code);
  }
  EachRow(s,
          std::string("SELECT ") + kCardColumns +
              " FROM disease_cards WHERE status = 'active' AND reported_at >= :p0 AND "
              "reported_at < :p1 AND disease_code IN (" +
              in + ") ORDER BY reported_at, id",
          binds, [&](const soci::row& r) { out.emplace_back(ReadCard(r), DateOf(r, 6)); });
  return out;
}

std::map<std::pair<std::string, std::string>, std::map<int, std::int64_t>> SignalStore::DailyCounts(
    soci::session& s, Date from, Date to) {
  std::string lo_at = DayStartUtc(from), hi_at = DayStartUtc(AddDays(to, 1));
  std::map<std::pair<std::string, std::string>, std::map<int, std::int64_t>> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT disease_code, district_code, date(reported_at, '+8 hours'), COUNT(*) "
                    "FROM disease_cards WHERE status = 'active' AND reported_at >= :lo AND "
                    "reported_at < :hi GROUP BY 1, 2, 3",
       soci::use(lo_at), soci::use(hi_at));
  for (const auto& r : rows) {
    auto day = ParseDate(Text(r, 2));
    if (!day) continue;
    out[{r.get<std::string>(0), r.get<std::string>(1)}][DaysBetween(from, *day)] +=
        storage::RowInt64(r, 3);
  }
  return out;
}

std::vector<CardBrief> SignalStore::CardBriefs(soci::session& s,
                                               const std::vector<std::string>& ids) {
  std::vector<CardBrief> out;
  for (const std::string& id : ids) {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, patient_name, onset_date, reported_at, status FROM "
                      "disease_cards WHERE id = :id",
         soci::use(id));
    for (const auto& r : rows) {
      out.push_back({r.get<std::string>(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)});
    }
  }
  return out;
}

}  // namespace jd::disease
