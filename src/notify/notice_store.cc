#include "notify/notice_store.h"

#include <algorithm>

#include "immunization/store.h"

namespace jd::notify {

namespace {

using storage::NullIfEmpty;

constexpr const char* kNoticeColumns =
    "n.id, n.person_id, n.appointment_id, n.channel, n.recipient, n.template_code, "
    "n.rendered_text, n.payload, n.clinic_code, n.appointment_date, n.status, n.attempts, "
    "n.next_attempt_at, n.last_error, n.gateway_message_id, n.idempotency_key, n.created_at, "
    "n.updated_at, n.sent_at, n.finished_at, n.recipient_user";
constexpr std::size_t kNoticeColumnCount = 21;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

Notice ReadNotice(const soci::row& r) {
  Notice n;
  n.id = r.get<std::string>(0);
  n.person_id = r.get<std::string>(1);
  n.appointment_id = Text(r, 2);
  n.channel = ParseChannel(r.get<std::string>(3)).value_or(Channel::kSms);
  n.recipient = Text(r, 4);
  n.template_code = r.get<std::string>(5);
  n.text = r.get<std::string>(6);
  n.payload = r.get<std::string>(7);
  n.clinic_code = Text(r, 8);
  n.appointment_date = Text(r, 9);
  n.status = ParseNoticeStatus(r.get<std::string>(10)).value_or(NoticeStatus::kQueued);
  n.attempts = static_cast<int>(storage::RowInt64(r, 11));
  n.next_attempt_at = r.get<std::string>(12);
  n.last_error = Text(r, 13);
  n.gateway_message_id = Text(r, 14);
  n.idempotency_key = r.get<std::string>(15);
  n.created_at = r.get<std::string>(16);
  n.updated_at = r.get<std::string>(17);
  n.sent_at = Text(r, 18);
  n.finished_at = Text(r, 19);
  n.recipient_user = Text(r, 20);
  return n;
}

NoticeRow ReadNoticeRow(const soci::row& r) {
  NoticeRow out;
  out.notice = ReadNotice(r);
  out.child_name = Text(r, kNoticeColumnCount);
  out.residence_path = Text(r, kNoticeColumnCount + 1);
  return out;
}

std::string RowSelect() {
  return std::string("SELECT ") + kNoticeColumns +
         ", p.name, p.residence_path FROM notices n JOIN persons p ON p.id = n.person_id ";
}

int Changed(soci::statement& st) { return static_cast<int>(st.get_affected_rows()); }

// The condition that a notice's child (n.person_id, or `column`) lives within the bound range
// :slo .. :shi, for tables without a join to persons.
std::string ChildWithin(const char* column) {
  return " AND " + auth::PersonInRange(column, ":slo", ":shi");
}

// A read by id: the row when its child lies within `scope`, else only that it exists.
auth::ScopedRow<NoticeRow> Scoped(const auth::Scope& scope, NoticeRow row) {
  if (!scope.Covers(row.residence_path)) return auth::ScopedRow<NoticeRow>::Outside();
  return auth::ScopedRow<NoticeRow>::Found(std::move(row));
}

}  // namespace

std::optional<std::string> NoticeStore::Enqueue(soci::session& s, const Notice& n) {
  std::string channel(ChannelCode(n.channel)), status(NoticeStatusCode(n.status));
  soci::indicator i_appt = NullIfEmpty(n.appointment_id), i_rec = NullIfEmpty(n.recipient),
                  i_clinic = NullIfEmpty(n.clinic_code), i_date = NullIfEmpty(n.appointment_date),
                  i_user = NullIfEmpty(n.recipient_user);
  soci::statement st =
      (s.prepare << "INSERT INTO notices(id, person_id, appointment_id, channel, recipient, "
                    "template_code, rendered_text, payload, clinic_code, appointment_date, "
                    "status, attempts, next_attempt_at, idempotency_key, created_at, updated_at, "
                    "recipient_user) "
                    "VALUES (:id, :pid, :aid, :ch, :rec, :tpl, :txt, :pl, :cc, :ad, :st, 0, :na, "
                    ":key, :ca, :ua, :ru) ON CONFLICT (idempotency_key) DO UPDATE SET "
                    "recipient = excluded.recipient, rendered_text = excluded.rendered_text, "
                    "payload = excluded.payload, status = 'queued', attempts = 0, "
                    "next_attempt_at = excluded.next_attempt_at, last_error = NULL, "
                    "finished_at = NULL, updated_at = excluded.updated_at "
                    "WHERE notices.status = 'cancelled'",
       soci::use(n.id), soci::use(n.person_id), soci::use(n.appointment_id, i_appt),
       soci::use(channel), soci::use(n.recipient, i_rec), soci::use(n.template_code),
       soci::use(n.text), soci::use(n.payload), soci::use(n.clinic_code, i_clinic),
       soci::use(n.appointment_date, i_date), soci::use(status), soci::use(n.next_attempt_at),
       soci::use(n.idempotency_key), soci::use(n.created_at), soci::use(n.updated_at),
       soci::use(n.recipient_user, i_user));
  st.execute(true);
  if (Changed(st) != 1) return std::nullopt;
  std::string id;
  s << "SELECT id FROM notices WHERE idempotency_key = :k", soci::into(id),
      soci::use(n.idempotency_key);
  return id;
}

auth::ScopedRow<NoticeRow> NoticeStore::Get(soci::session& s, const auth::Scope& scope,
                                            const std::string& id) {
  // Staff notices (danger alerts) are not the clinics' to read or work.
  soci::rowset<soci::row> rows =
      (s.prepare << RowSelect() + "WHERE n.id = :id AND n.recipient_user IS NULL", soci::use(id));
  for (const auto& r : rows) return Scoped(scope, ReadNoticeRow(r));
  return {};
}

auth::ScopedRow<NoticeRow> NoticeStore::FindForReceipt(soci::session& s, const auth::Scope& scope,
                                                       const std::string& key_or_id) {
  {
    soci::rowset<soci::row> rows =
        (s.prepare << RowSelect() + "WHERE n.idempotency_key = :k", soci::use(key_or_id));
    for (const auto& r : rows) return Scoped(scope, ReadNoticeRow(r));
  }
  soci::rowset<soci::row> rows =
      (s.prepare << RowSelect() + "WHERE n.gateway_message_id = :g ORDER BY n.id LIMIT 1",
       soci::use(key_or_id));
  for (const auto& r : rows) return Scoped(scope, ReadNoticeRow(r));
  return {};
}

std::vector<NoticeRow> NoticeStore::List(soci::session& s, const auth::Scope& scope,
                                         const NoticeFilter& f) {
  if (scope.empty()) return {};
  const auth::PathRange range = scope.Range();
  std::string where =
      "WHERE p.residence_path >= :slo AND p.residence_path < :shi AND n.recipient_user IS NULL";
  std::string status = f.status ? std::string(NoticeStatusCode(*f.status)) : "";
  std::string channel = f.channel ? std::string(ChannelCode(*f.channel)) : "";
  if (!f.person_id.empty()) where += " AND n.person_id = :pid";
  if (!f.clinic_code.empty()) where += " AND n.clinic_code = :cc";
  if (!status.empty()) where += " AND n.status = :st";
  if (!channel.empty()) where += " AND n.channel = :ch";
  if (!f.date_from.empty()) where += " AND n.appointment_date >= :df";
  if (!f.date_to.empty()) where += " AND n.appointment_date <= :dt";
  if (!f.template_code.empty()) where += " AND n.template_code = :tpl";
  int limit = std::clamp(f.limit, 1, 5000), offset = std::max(f.offset, 0);
  auto prep = (s.prepare << RowSelect() + where +
                                " ORDER BY n.appointment_date, n.clinic_code, p.name, n.person_id, "
                                "n.channel, n.id LIMIT :lim OFFSET :off");
  prep, soci::use(range.lo, "slo"), soci::use(range.hi, "shi");
  if (!f.person_id.empty()) prep, soci::use(f.person_id, "pid");
  if (!f.clinic_code.empty()) prep, soci::use(f.clinic_code, "cc");
  if (!status.empty()) prep, soci::use(status, "st");
  if (!channel.empty()) prep, soci::use(channel, "ch");
  if (!f.date_from.empty()) prep, soci::use(f.date_from, "df");
  if (!f.date_to.empty()) prep, soci::use(f.date_to, "dt");
  if (!f.template_code.empty()) prep, soci::use(f.template_code, "tpl");
  prep, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::rowset<soci::row> rows(prep);
  std::vector<NoticeRow> out;
  for (const auto& r : rows) out.push_back(ReadNoticeRow(r));
  return out;
}

std::vector<Notice> NoticeStore::ClaimDue(soci::session& s, const auth::Scope& scope,
                                          const std::string& now, const std::string& claimed_until,
                                          const std::string& token, int limit) {
  if (scope.empty()) return {};
  std::vector<std::string> ids;
  {
    const auth::PathRange range = scope.Range();
    std::string sql =
        "SELECT n.id FROM notices n WHERE n.status = 'queued' AND n.next_attempt_at <= :now "
        "AND n.channel IN ('sms', 'web') "
        "AND (n.claimed_until IS NULL OR n.claimed_until <= :now2)" +
        ChildWithin("n.person_id") + " ORDER BY n.next_attempt_at, n.id LIMIT :lim";
    auto prep = (s.prepare << sql, soci::use(now, "now"), soci::use(now, "now2"),
                 soci::use(range.lo, "slo"), soci::use(range.hi, "shi"), soci::use(limit, "lim"));
    soci::rowset<soci::row> rows(prep);
    for (const auto& r : rows) ids.push_back(r.get<std::string>(0));
  }
  std::vector<Notice> out;
  for (const auto& id : ids) {
    s << "UPDATE notices SET claim_token = :t, claimed_until = :cu, attempts = attempts + 1, "
         "updated_at = :now WHERE id = :id",
        soci::use(token), soci::use(claimed_until), soci::use(now), soci::use(id);
    soci::rowset<soci::row> rows =
        (s.prepare << std::string("SELECT ") + kNoticeColumns + " FROM notices n WHERE n.id = :id",
         soci::use(id));
    for (const auto& r : rows) out.push_back(ReadNotice(r));
  }
  return out;
}

bool NoticeStore::MarkSent(soci::session& s, const std::string& id, const std::string& token,
                           const std::string& message_id, const std::string& now) {
  soci::indicator i_mid = NullIfEmpty(message_id);
  soci::statement st =
      (s.prepare
           << "UPDATE notices SET status = 'sent', gateway_message_id = :mid, sent_at = :now, "
              "updated_at = :now2, last_error = NULL, claim_token = NULL, "
              "claimed_until = NULL WHERE id = :id AND claim_token = :t AND status = 'queued'",
       soci::use(message_id, i_mid), soci::use(now), soci::use(now), soci::use(id),
       soci::use(token));
  st.execute(true);
  return Changed(st) == 1;
}

bool NoticeStore::MarkRetry(soci::session& s, const std::string& id, const std::string& token,
                            const std::string& next_attempt_at, const std::string& error,
                            const std::string& now) {
  soci::statement st =
      (s.prepare
           << "UPDATE notices SET next_attempt_at = :na, last_error = :err, updated_at = :now, "
              "claim_token = NULL, claimed_until = NULL "
              "WHERE id = :id AND claim_token = :t AND status = 'queued'",
       soci::use(next_attempt_at), soci::use(error), soci::use(now), soci::use(id),
       soci::use(token));
  st.execute(true);
  return Changed(st) == 1;
}

bool NoticeStore::MarkFailed(soci::session& s, const std::string& id, const std::string& token,
                             const std::string& error, const std::string& now) {
  soci::statement st =
      (s.prepare << "UPDATE notices SET status = 'failed', last_error = :err, updated_at = :now, "
                    "finished_at = :now2, claim_token = NULL, claimed_until = NULL "
                    "WHERE id = :id AND claim_token = :t AND status = 'queued'",
       soci::use(error), soci::use(now), soci::use(now), soci::use(id), soci::use(token));
  st.execute(true);
  return Changed(st) == 1;
}

bool NoticeStore::SetOutcome(soci::session& s, const auth::Scope& scope, const std::string& id,
                             NoticeStatus status, const std::string& error,
                             const std::string& now) {
  const auth::PathRange range = scope.Range();
  std::string code(NoticeStatusCode(status));
  soci::indicator i_err = NullIfEmpty(error);
  // sent only from queued; delivered and failed from queued or sent (a receipt may overtake the
  // drainer's own commit). A finished notice stays as it is.
  std::string from = status == NoticeStatus::kSent ? "('queued')" : "('queued', 'sent')";
  soci::statement st =
      (s.prepare << "UPDATE notices SET status = :st, last_error = COALESCE(:err, last_error), "
                    "updated_at = :now, sent_at = COALESCE(sent_at, :now2), "
                    "finished_at = CASE WHEN :st2 = 'sent' THEN NULL ELSE :now3 END, "
                    "claim_token = NULL, claimed_until = NULL WHERE id = :id AND status IN " +
                        from + ChildWithin("person_id"),
       soci::use(code), soci::use(error, i_err), soci::use(now), soci::use(now), soci::use(code),
       soci::use(now), soci::use(id), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return Changed(st) == 1;
}

int NoticeStore::CancelQueued(soci::session& s, const auth::Scope& scope,
                              const std::string& person_id, Channel channel,
                              const std::string& reason, const std::string& now) {
  const auth::PathRange range = scope.Range();
  std::string ch(ChannelCode(channel));
  soci::statement st =
      (s.prepare << "UPDATE notices SET status = 'cancelled', last_error = :r, updated_at = :now, "
                    "finished_at = :now2, claim_token = NULL, claimed_until = NULL "
                    "WHERE person_id = :pid AND channel = :ch AND status = 'queued' AND "
                    "recipient_user IS NULL" +
                        ChildWithin("person_id"),
       soci::use(reason), soci::use(now), soci::use(now), soci::use(person_id), soci::use(ch),
       soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return Changed(st);
}

std::vector<std::pair<std::string, std::string>> NoticeStore::CancelStale(
    soci::session& s, const auth::Scope& scope, const std::string& clinic_code,
    const std::string& date_from, const std::string& date_to, const std::string& now) {
  std::vector<std::pair<std::string, std::string>> stale;
  if (scope.empty()) return stale;
  {
    const auth::PathRange range = scope.Range();
    std::string sql =
        "SELECT n.id, n.person_id FROM notices n JOIN appointments a ON a.id = n.appointment_id "
        "JOIN persons p ON p.id = n.person_id WHERE n.status = 'queued' AND n.clinic_code = :cc "
        "AND n.appointment_date >= :df AND n.appointment_date <= :dt AND "
        "(a.status <> 'booked' OR a.clinic_code <> n.clinic_code OR "
        "a.appointment_date <> n.appointment_date) AND p.residence_path >= :slo AND "
        "p.residence_path < :shi";
    auto prep = (s.prepare << sql, soci::use(clinic_code, "cc"), soci::use(date_from, "df"),
                 soci::use(date_to, "dt"), soci::use(range.lo, "slo"), soci::use(range.hi, "shi"));
    soci::rowset<soci::row> rows(prep);
    for (const auto& r : rows) stale.emplace_back(r.get<std::string>(0), r.get<std::string>(1));
  }
  for (const auto& [id, person] : stale) {
    s << "UPDATE notices SET status = 'cancelled', last_error = 'appointment_not_booked', "
         "updated_at = :now, finished_at = :now2, claim_token = NULL, claimed_until = NULL "
         "WHERE id = :id",
        soci::use(now), soci::use(now), soci::use(id);
  }
  return stale;
}

bool NoticeStore::CancelOne(soci::session& s, const auth::Scope& scope, const std::string& id,
                            const std::string& reason, const std::string& now) {
  const auth::PathRange range = scope.Range();
  soci::statement st =
      (s.prepare << "UPDATE notices SET status = 'cancelled', last_error = :r, updated_at = :now, "
                    "finished_at = :now2, claim_token = NULL, claimed_until = NULL "
                    "WHERE id = :id AND status = 'queued' AND recipient_user IS NULL" +
                        ChildWithin("person_id"),
       soci::use(reason), soci::use(now), soci::use(now), soci::use(id), soci::use(range.lo),
       soci::use(range.hi));
  st.execute(true);
  return Changed(st) == 1;
}

std::vector<Notice> NoticeStore::CancelQueuedOfAlert(soci::session& s,
                                                     const auth::Scope& alert_scope,
                                                     const std::string& alert_id,
                                                     const std::string& reason,
                                                     const std::string& now) {
  if (alert_scope.empty()) return {};
  const auth::PathRange range = alert_scope.Range();
  // The keys of one alert sort together: "alert:<id>:" up to "alert:<id>;" (';' follows ':').
  const std::string lo = AlertKeyPrefix(alert_id);
  const std::string hi = lo.substr(0, lo.size() - 1) + ";";
  std::vector<Notice> out;
  {
    soci::rowset<soci::row> rows =
        (s.prepare << std::string("SELECT ") + kNoticeColumns +
                          " FROM notices n WHERE n.idempotency_key >= :lo AND "
                          "n.idempotency_key < :hi AND n.status = 'queued' AND EXISTS (SELECT 1 "
                          "FROM mental_alerts a WHERE a.id = :alert AND a.area_path >= :alo AND "
                          "a.area_path < :ahi) ORDER BY n.id",
         soci::use(lo), soci::use(hi), soci::use(alert_id), soci::use(range.lo),
         soci::use(range.hi));
    for (const auto& r : rows) out.push_back(ReadNotice(r));
  }
  for (Notice& n : out) {
    s << "UPDATE notices SET status = 'cancelled', last_error = :r, updated_at = :now, "
         "finished_at = :now2, claim_token = NULL, claimed_until = NULL WHERE id = :id",
        soci::use(reason), soci::use(now), soci::use(now), soci::use(n.id);
    n.status = NoticeStatus::kCancelled;
    n.last_error = reason;
  }
  return out;
}

std::optional<Guardian> NoticeStore::GuardianOf(soci::session& s, const auth::Scope& scope,
                                                const std::string& person_id) {
  if (scope.empty()) return std::nullopt;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + immunization::kGuardianName + ", " +
                        immunization::kGuardianPhone +
                        ", p.residence_path FROM persons p "
                        "LEFT JOIN vaccination_files v ON v.person_id = p.id" +
                        immunization::kGuardianJoin +
                        "WHERE p.id = :p AND "
                        "p.residence_path >= :slo AND p.residence_path < :shi",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    if (!scope.Covers(Text(r, 2))) return std::nullopt;
    return Guardian{Text(r, 0), Text(r, 1)};
  }
  return std::nullopt;
}

void NoticeStore::SetOptOut(soci::session& s, const OptOut& o) {
  std::string ch(ChannelCode(o.channel));
  s << "INSERT INTO notify_opt_outs(person_id, channel, reason, at, recorded_by) "
       "VALUES (:p, :c, :r, :a, :b) ON CONFLICT (person_id, channel) DO UPDATE SET "
       "reason = excluded.reason, at = excluded.at, recorded_by = excluded.recorded_by",
      soci::use(o.person_id), soci::use(ch), soci::use(o.reason), soci::use(o.at), soci::use(o.by);
}

bool NoticeStore::RemoveOptOut(soci::session& s, const auth::Scope& scope,
                               const std::string& person_id, Channel channel) {
  const auth::PathRange range = scope.Range();
  std::string ch(ChannelCode(channel));
  soci::statement st =
      (s.prepare << "DELETE FROM notify_opt_outs WHERE person_id = :p AND channel = :c" +
                        ChildWithin("person_id"),
       soci::use(person_id), soci::use(ch), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return Changed(st) == 1;
}

std::vector<OptOut> NoticeStore::OptOuts(soci::session& s, const auth::Scope& scope,
                                         const std::string& person_id) {
  std::vector<OptOut> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT o.channel, o.reason, o.at, o.recorded_by FROM notify_opt_outs o "
                    "JOIN persons p ON p.id = o.person_id WHERE o.person_id = :p AND "
                    "p.residence_path >= :slo AND p.residence_path < :shi ORDER BY o.channel",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    auto ch = ParseChannel(r.get<std::string>(0));
    if (!ch) continue;
    out.push_back(
        {person_id, *ch, r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)});
  }
  return out;
}

void NoticeStore::PutClinicContact(soci::session& s, const ClinicContact& c) {
  s << "INSERT INTO clinic_contacts(org_code, address, phone, updated_at, updated_by) "
       "VALUES (:o, :a, :p, :u, :b) ON CONFLICT (org_code) DO UPDATE SET "
       "address = excluded.address, phone = excluded.phone, updated_at = excluded.updated_at, "
       "updated_by = excluded.updated_by",
      soci::use(c.org_code), soci::use(c.address), soci::use(c.phone), soci::use(c.updated_at),
      soci::use(c.updated_by);
}

std::optional<ClinicContact> NoticeStore::GetClinicContact(soci::session& s,
                                                           const std::string& org_code) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT org_code, address, phone, updated_at, updated_by FROM clinic_contacts "
                    "WHERE org_code = :o",
       soci::use(org_code));
  for (const auto& r : rows) {
    return ClinicContact{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                         r.get<std::string>(3), r.get<std::string>(4)};
  }
  return std::nullopt;
}

std::vector<AppointmentInfo> NoticeStore::Appointments(soci::session& s, const auth::Scope& scope,
                                                       const std::string& clinic_code,
                                                       const std::string& date_from,
                                                       const std::string& date_to) {
  if (scope.empty()) return {};
  const auth::PathRange range = scope.Range();
  std::string sql =
      "SELECT a.id, a.person_id, p.name, p.residence_path, a.clinic_code, a.appointment_date, "
      "a.vaccines, a.status, " +
      std::string(immunization::kGuardianName) + ", " + immunization::kGuardianPhone +
      " FROM appointments a JOIN persons p ON p.id = a.person_id "
      "LEFT JOIN vaccination_files v ON v.person_id = a.person_id" +
      immunization::kGuardianJoin +
      "WHERE a.clinic_code = :cc AND a.appointment_date >= :df AND a.appointment_date <= :dt "
      "AND p.residence_path >= :slo AND p.residence_path < :shi "
      "ORDER BY a.appointment_date, p.name, a.person_id, a.id";
  auto prep = (s.prepare << sql, soci::use(clinic_code, "cc"), soci::use(date_from, "df"),
               soci::use(date_to, "dt"), soci::use(range.lo, "slo"), soci::use(range.hi, "shi"));
  soci::rowset<soci::row> rows(prep);
  std::vector<AppointmentInfo> out;
  for (const auto& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5), Text(r, 6),
                   r.get<std::string>(7), Text(r, 8), Text(r, 9)});
  }
  return out;
}

std::optional<std::string> NoticeStore::GetSetting(soci::session& s, const std::string& key) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT value FROM settings WHERE key = :k", soci::use(key));
  for (const auto& r : rows) return r.get<std::string>(0);
  return std::nullopt;
}

void NoticeStore::PutSetting(soci::session& s, const std::string& key, const std::string& value) {
  s << "INSERT INTO settings(key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET "
       "value = excluded.value",
      soci::use(key), soci::use(value);
}

}  // namespace jd::notify
