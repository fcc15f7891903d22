#include "immunization/store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace jd::immunization {

namespace {

using storage::NullIfEmpty;

std::string TextOrEmpty(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

Date DateAt(const soci::row& r, std::size_t i) {
  return ParseDate(r.get<std::string>(i)).value_or(Date{});
}

// A certificate with its linked guardian's record (g); the child's residence path is column 18.
constexpr const char* kFileColumns =
    "v.person_id, v.certificate_no, v.card_no, v.issued_on, v.issuing_clinic_code, "
    "v.guardian_name, v.guardian_relation, v.guardian_phone, v.version, v.created_at, "
    "v.created_by, v.updated_at, v.updated_by, v.guardian_person_id, g.name, g.phone, "
    "g.id_number, g.residence_path";
constexpr const char* kFileFrom =
    " FROM vaccination_files v LEFT JOIN persons g ON g.id = v.guardian_person_id";

VaccinationFile ReadFile(const soci::row& r) {
  VaccinationFile f;
  f.person_id = r.get<std::string>(0);
  f.certificate_no = r.get<std::string>(1);
  f.card_no = TextOrEmpty(r, 2);
  f.issued_on = DateAt(r, 3);
  f.issuing_clinic_code = r.get<std::string>(4);
  f.guardian_name = TextOrEmpty(r, 5);
  f.guardian_relation = TextOrEmpty(r, 6);
  f.guardian_phone = TextOrEmpty(r, 7);
  f.version = static_cast<int>(storage::RowInt64(r, 8));
  f.created_at = r.get<std::string>(9);
  f.created_by = r.get<std::string>(10);
  f.updated_at = r.get<std::string>(11);
  f.updated_by = r.get<std::string>(12);
  f.guardian_person_id = TextOrEmpty(r, 13);
  if (!f.guardian_person_id.empty()) {
    // Read through the link: the guardian's own record is current.
    if (std::string name = TextOrEmpty(r, 14); !name.empty()) f.guardian_name = name;
    if (std::string phone = TextOrEmpty(r, 15); !phone.empty()) f.guardian_phone = phone;
    f.guardian_id_number = TextOrEmpty(r, 16);
    f.guardian_residence_path = TextOrEmpty(r, 17);
  }
  return f;
}

constexpr const char* kRecordColumns =
    "id, person_id, vaccine, dose_number, given_on, lot, manufacturer, site, route, clinic_code, "
    "clinic_name, vaccinator, source, campaign_id, status, void_reason, version, created_at, "
    "created_by, updated_at, updated_by";

VaccinationRecord ReadRecord(const soci::row& r) {
  VaccinationRecord v;
  v.id = r.get<std::string>(0);
  v.person_id = r.get<std::string>(1);
  v.vaccine = r.get<std::string>(2);
  if (r.get_indicator(3) != soci::i_null) v.dose_number = static_cast<int>(storage::RowInt64(r, 3));
  v.date = DateAt(r, 4);
  v.lot = TextOrEmpty(r, 5);
  v.manufacturer = TextOrEmpty(r, 6);
  v.site = TextOrEmpty(r, 7);
  v.route = TextOrEmpty(r, 8);
  v.clinic_code = TextOrEmpty(r, 9);
  v.clinic_name = TextOrEmpty(r, 10);
  v.vaccinator = TextOrEmpty(r, 11);
  v.source = ParseSource(r.get<std::string>(12)).value_or(RecordSource::kGivenHere);
  v.campaign_id = TextOrEmpty(r, 13);
  v.voided = r.get<std::string>(14) == "voided";
  v.void_reason = TextOrEmpty(r, 15);
  v.version = static_cast<int>(storage::RowInt64(r, 16));
  v.created_at = r.get<std::string>(17);
  v.created_by = r.get<std::string>(18);
  v.updated_at = r.get<std::string>(19);
  v.updated_by = r.get<std::string>(20);
  return v;
}

constexpr const char* kAppointmentColumns =
    "a.id, a.person_id, a.clinic_code, a.appointment_date, a.vaccines, a.status, "
    "a.rescheduled_to, a.created_at, a.created_by, a.updated_at, a.updated_by";
constexpr std::size_t kAppointmentColumnCount = 11;

Appointment ReadAppointment(const soci::row& r) {
  Appointment a;
  a.id = r.get<std::string>(0);
  a.person_id = r.get<std::string>(1);
  a.clinic_code = r.get<std::string>(2);
  a.date = DateAt(r, 3);
  nlohmann::json codes = nlohmann::json::parse(r.get<std::string>(4), nullptr, false);
  if (codes.is_array()) {
    for (const auto& c : codes)
      if (c.is_string()) a.vaccines.push_back(c.get<std::string>());
  }
  a.status = ParseAppointmentStatus(r.get<std::string>(5)).value_or(AppointmentStatus::kBooked);
  a.rescheduled_to = TextOrEmpty(r, 6);
  a.created_at = r.get<std::string>(7);
  a.created_by = r.get<std::string>(8);
  a.updated_at = r.get<std::string>(9);
  a.updated_by = r.get<std::string>(10);
  return a;
}

// Appointments that hold a place on their day.
constexpr const char* kHoldsPlace = "status IN ('booked', 'attended', 'missed')";

// The rows of a table keyed by person_id whose person lies within the scope bound to :slo/:shi
// (auth::Scope::Range): an index range of persons.residence_path.
std::string PersonWithin(const char* column) { return auth::PersonInRange(column, ":slo", ":shi"); }

}  // namespace

std::string_view SourceCode(RecordSource s) {
  switch (s) {
    case RecordSource::kGivenHere:
      return "given_here";
    case RecordSource::kTranscribed:
      return "transcribed";
    case RecordSource::kOtherRegion:
      return "other_region";
  }
  return "";
}

std::optional<RecordSource> ParseSource(std::string_view code) {
  for (RecordSource s :
       {RecordSource::kGivenHere, RecordSource::kTranscribed, RecordSource::kOtherRegion}) {
    if (SourceCode(s) == code) return s;
  }
  return std::nullopt;
}

std::string_view AppointmentStatusCode(AppointmentStatus s) {
  switch (s) {
    case AppointmentStatus::kBooked:
      return "booked";
    case AppointmentStatus::kAttended:
      return "attended";
    case AppointmentStatus::kMissed:
      return "missed";
    case AppointmentStatus::kRescheduled:
      return "rescheduled";
    case AppointmentStatus::kCancelled:
      return "cancelled";
  }
  return "";
}

std::optional<AppointmentStatus> ParseAppointmentStatus(std::string_view code) {
  for (AppointmentStatus s :
       {AppointmentStatus::kBooked, AppointmentStatus::kAttended, AppointmentStatus::kMissed,
        AppointmentStatus::kRescheduled, AppointmentStatus::kCancelled}) {
    if (AppointmentStatusCode(s) == code) return s;
  }
  return std::nullopt;
}

// ---- Certificates ----

auth::ScopedRow<VaccinationFile> ImmunizationStore::GetFile(soci::session& s,
                                                            const auth::Scope& scope,
                                                            const std::string& person_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kFileColumns +
                        ", (SELECT residence_path FROM persons WHERE id = v.person_id)" +
                        kFileFrom + " WHERE v.person_id = :p",
       soci::use(person_id));
  for (const auto& r : rows) {
    if (!scope.Covers(TextOrEmpty(r, 18))) return auth::ScopedRow<VaccinationFile>::Outside();
    return auth::ScopedRow<VaccinationFile>::Found(ReadFile(r));
  }
  return {};
}

bool ImmunizationStore::CertificateTaken(soci::session& s, const std::string& certificate_no,
                                         const std::string& except_person_id) {
  int n = 0;
  s << "SELECT COUNT(*) FROM vaccination_files WHERE certificate_no = :c AND person_id <> :p",
      soci::into(n), soci::use(certificate_no), soci::use(except_person_id);
  return n > 0;
}

bool ImmunizationStore::CardTaken(soci::session& s, const std::string& card_no,
                                  const std::string& except_person_id) {
  int n = 0;
  s << "SELECT COUNT(*) FROM vaccination_files WHERE card_no = :c AND person_id <> :p",
      soci::into(n), soci::use(card_no), soci::use(except_person_id);
  return n > 0;
}

void ImmunizationStore::InsertFile(soci::session& s, const VaccinationFile& f) {
  std::string issued = FormatDate(f.issued_on);
  soci::indicator i_card = NullIfEmpty(f.card_no), i_gn = NullIfEmpty(f.guardian_name),
                  i_gr = NullIfEmpty(f.guardian_relation), i_gp = NullIfEmpty(f.guardian_phone),
                  i_gid = NullIfEmpty(f.guardian_person_id);
  s << "INSERT INTO vaccination_files(person_id, certificate_no, card_no, issued_on, "
       "issuing_clinic_code, guardian_person_id, guardian_name, guardian_relation, "
       "guardian_phone, version, created_at, created_by, updated_at, updated_by) VALUES (:p, :c, "
       ":card, :io, :ic, :gid, :gn, :gr, :gp, :v, :ca, :cb, :ua, :ub)",
      soci::use(f.person_id), soci::use(f.certificate_no), soci::use(f.card_no, i_card),
      soci::use(issued), soci::use(f.issuing_clinic_code), soci::use(f.guardian_person_id, i_gid),
      soci::use(f.guardian_name, i_gn), soci::use(f.guardian_relation, i_gr),
      soci::use(f.guardian_phone, i_gp), soci::use(f.version), soci::use(f.created_at),
      soci::use(f.created_by), soci::use(f.updated_at), soci::use(f.updated_by);
}

std::vector<Ward> ImmunizationStore::WardsOf(soci::session& s, const auth::Scope& scope,
                                             const std::string& guardian_person_id) {
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, v.guardian_relation, "
                    "v.certificate_no FROM vaccination_files v JOIN persons p ON p.id = "
                    "v.person_id WHERE v.guardian_person_id = :g AND p.residence_path >= :lo AND "
                    "p.residence_path < :hi ORDER BY p.birth_date, p.id",
       soci::use(guardian_person_id), soci::use(range.lo), soci::use(range.hi));
  std::vector<Ward> out;
  for (const auto& r : rows) {
    out.push_back({.person_id = r.get<std::string>(0),
                   .name = r.get<std::string>(1),
                   .sex = r.get<std::string>(2),
                   .birth_date = DateAt(r, 3),
                   .id_number = r.get<std::string>(4),
                   .guardian_relation = TextOrEmpty(r, 5),
                   .certificate_no = r.get<std::string>(6)});
  }
  return out;
}

bool ImmunizationStore::UpdateFile(soci::session& s, const auth::Scope& scope,
                                   const VaccinationFile& f, int expected_version) {
  const auth::PathRange range = scope.Range();
  std::string issued = FormatDate(f.issued_on);
  soci::indicator i_card = NullIfEmpty(f.card_no), i_gn = NullIfEmpty(f.guardian_name),
                  i_gr = NullIfEmpty(f.guardian_relation), i_gp = NullIfEmpty(f.guardian_phone),
                  i_gid = NullIfEmpty(f.guardian_person_id);
  soci::statement st =
      (s.prepare
           << "UPDATE vaccination_files SET certificate_no = :c, card_no = :card, "
              "issued_on = :io, issuing_clinic_code = :ic, guardian_person_id = :gid, "
              "guardian_name = :gn, guardian_relation = :gr, guardian_phone = :gp, version = :v, "
              "updated_at = :ua, updated_by = :ub WHERE person_id = :p AND version = :ev AND " +
                  PersonWithin("person_id"),
       soci::use(f.certificate_no), soci::use(f.card_no, i_card), soci::use(issued),
       soci::use(f.issuing_clinic_code), soci::use(f.guardian_person_id, i_gid),
       soci::use(f.guardian_name, i_gn), soci::use(f.guardian_relation, i_gr),
       soci::use(f.guardian_phone, i_gp), soci::use(f.version), soci::use(f.updated_at),
       soci::use(f.updated_by), soci::use(f.person_id), soci::use(expected_version),
       soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

// ---- Dose records ----

void ImmunizationStore::InsertRecord(soci::session& s, const VaccinationRecord& r) {
  std::string date = FormatDate(r.date), source(SourceCode(r.source)),
              status = r.voided ? "voided" : "active";
  int dose = r.dose_number.value_or(0);
  soci::indicator i_dose = r.dose_number ? soci::i_ok : soci::i_null;
  soci::indicator i_lot = NullIfEmpty(r.lot), i_man = NullIfEmpty(r.manufacturer),
                  i_site = NullIfEmpty(r.site), i_route = NullIfEmpty(r.route),
                  i_cc = NullIfEmpty(r.clinic_code), i_cn = NullIfEmpty(r.clinic_name),
                  i_vac = NullIfEmpty(r.vaccinator), i_camp = NullIfEmpty(r.campaign_id),
                  i_vr = NullIfEmpty(r.void_reason);
  s << "INSERT INTO vaccination_records(id, person_id, vaccine, dose_number, given_on, lot, "
       "manufacturer, site, route, clinic_code, clinic_name, vaccinator, source, campaign_id, "
       "status, void_reason, version, created_at, created_by, updated_at, updated_by) VALUES "
       "(:id, :p, :v, :dn, :g, :lot, :man, :site, :route, :cc, :cn, :vac, :src, :camp, :st, :vr, "
       ":ver, :ca, :cb, :ua, :ub)",
      soci::use(r.id), soci::use(r.person_id), soci::use(r.vaccine), soci::use(dose, i_dose),
      soci::use(date), soci::use(r.lot, i_lot), soci::use(r.manufacturer, i_man),
      soci::use(r.site, i_site), soci::use(r.route, i_route), soci::use(r.clinic_code, i_cc),
      soci::use(r.clinic_name, i_cn), soci::use(r.vaccinator, i_vac), soci::use(source),
      soci::use(r.campaign_id, i_camp), soci::use(status), soci::use(r.void_reason, i_vr),
      soci::use(r.version), soci::use(r.created_at), soci::use(r.created_by),
      soci::use(r.updated_at), soci::use(r.updated_by);
}

bool ImmunizationStore::UpdateRecord(soci::session& s, const auth::Scope& scope,
                                     const VaccinationRecord& r, int expected_version) {
  const auth::PathRange range = scope.Range();
  std::string date = FormatDate(r.date), source(SourceCode(r.source)),
              status = r.voided ? "voided" : "active";
  int dose = r.dose_number.value_or(0);
  soci::indicator i_dose = r.dose_number ? soci::i_ok : soci::i_null;
  soci::indicator i_lot = NullIfEmpty(r.lot), i_man = NullIfEmpty(r.manufacturer),
                  i_site = NullIfEmpty(r.site), i_route = NullIfEmpty(r.route),
                  i_cc = NullIfEmpty(r.clinic_code), i_cn = NullIfEmpty(r.clinic_name),
                  i_vac = NullIfEmpty(r.vaccinator), i_camp = NullIfEmpty(r.campaign_id),
                  i_vr = NullIfEmpty(r.void_reason);
  soci::statement st =
      (s.prepare << "UPDATE vaccination_records SET vaccine = :v, dose_number = :dn, given_on = "
                    ":g, lot = :lot, manufacturer = :man, site = :site, route = :route, "
                    "clinic_code = :cc, clinic_name = :cn, vaccinator = :vac, source = :src, "
                    "campaign_id = :camp, status = :st, void_reason = :vr, version = :ver, "
                    "updated_at = :ua, updated_by = :ub WHERE id = :id AND version = :ev AND " +
                        PersonWithin("person_id"),
       soci::use(r.vaccine), soci::use(dose, i_dose), soci::use(date), soci::use(r.lot, i_lot),
       soci::use(r.manufacturer, i_man), soci::use(r.site, i_site), soci::use(r.route, i_route),
       soci::use(r.clinic_code, i_cc), soci::use(r.clinic_name, i_cn),
       soci::use(r.vaccinator, i_vac), soci::use(source), soci::use(r.campaign_id, i_camp),
       soci::use(status), soci::use(r.void_reason, i_vr), soci::use(r.version),
       soci::use(r.updated_at), soci::use(r.updated_by), soci::use(r.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<VaccinationRecord> ImmunizationStore::GetRecord(soci::session& s,
                                                                const auth::Scope& scope,
                                                                const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kRecordColumns +
                        ", (SELECT residence_path FROM persons WHERE id = person_id) FROM "
                        "vaccination_records WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(TextOrEmpty(r, 21))) return auth::ScopedRow<VaccinationRecord>::Outside();
    return auth::ScopedRow<VaccinationRecord>::Found(ReadRecord(r));
  }
  return {};
}

std::vector<VaccinationRecord> ImmunizationStore::ListRecords(soci::session& s,
                                                              const auth::Scope& scope,
                                                              const std::string& person_id) {
  std::vector<VaccinationRecord> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kRecordColumns +
                        " FROM vaccination_records WHERE person_id = :p AND " +
                        PersonWithin("person_id") + " ORDER BY given_on, id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadRecord(r));
  return out;
}

std::vector<VaccinationRecord> ImmunizationStore::ScanRecords(soci::session& s,
                                                              const auth::Scope& scope,
                                                              const std::string& after_id,
                                                              const std::string& since, int limit) {
  std::vector<VaccinationRecord> out;
  if (scope.empty()) return out;
  const auth::PathRange range = scope.Range();
  limit = std::clamp(limit, 1, 5000);
  auto prep = (s.prepare << std::string("SELECT ") + kRecordColumns +
                                " FROM vaccination_records WHERE id > :after AND " +
                                (since.empty() ? "" : "updated_at >= :since AND ") +
                                PersonWithin("person_id") + " ORDER BY id LIMIT :lim");
  prep, soci::use(after_id, "after");
  if (!since.empty()) prep, soci::use(since, "since");
  prep, soci::use(range.lo, "slo"), soci::use(range.hi, "shi"), soci::use(limit, "lim");
  soci::rowset<soci::row> rows(prep);
  for (const auto& r : rows) out.push_back(ReadRecord(r));
  return out;
}

std::optional<std::string> ImmunizationStore::SameDayRecord(soci::session& s,
                                                            const auth::Scope& scope,
                                                            const std::string& person_id,
                                                            const std::string& vaccine, Date date,
                                                            const std::string& except_id) {
  std::string d = FormatDate(date);
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id FROM vaccination_records WHERE person_id = :p AND vaccine = :v AND "
                    "given_on = :d AND status = 'active' AND id <> :x AND " +
                        PersonWithin("person_id"),
       soci::use(person_id), soci::use(vaccine), soci::use(d), soci::use(except_id),
       soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) return r.get<std::string>(0);
  return std::nullopt;
}

void ImmunizationStore::InsertVersion(soci::session& s, const std::string& record_id,
                                      const RecordVersion& v) {
  soci::indicator i_reason = NullIfEmpty(v.reason);
  s << "INSERT INTO vaccination_record_versions(record_id, version, data, changed_at, changed_by, "
       "change, reason) VALUES (:r, :v, :d, :a, :b, :c, :reason)",
      soci::use(record_id), soci::use(v.version), soci::use(v.data), soci::use(v.changed_at),
      soci::use(v.changed_by), soci::use(v.change), soci::use(v.reason, i_reason);
}

std::vector<RecordVersion> ImmunizationStore::ListVersions(soci::session& s,
                                                           const auth::Scope& scope,
                                                           const std::string& record_id) {
  std::vector<RecordVersion> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT version, data, changed_at, changed_by, change, reason FROM "
                    "vaccination_record_versions WHERE record_id = :r AND record_id IN (SELECT "
                    "id FROM vaccination_records WHERE " +
                        PersonWithin("person_id") + ") ORDER BY version",
       soci::use(record_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    out.push_back({static_cast<int>(storage::RowInt64(r, 0)), r.get<std::string>(1),
                   r.get<std::string>(2), r.get<std::string>(3), r.get<std::string>(4),
                   TextOrEmpty(r, 5)});
  }
  return out;
}

// ---- Sessions and appointments ----

std::optional<int> ImmunizationStore::SessionCapacity(soci::session& s,
                                                      const std::string& clinic_code, Date date) {
  std::string d = FormatDate(date);
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT capacity FROM clinic_sessions WHERE clinic_code = :c AND "
                    "session_date = :d",
       soci::use(clinic_code), soci::use(d));
  for (const auto& r : rows) return static_cast<int>(storage::RowInt64(r, 0));
  return std::nullopt;
}

void ImmunizationStore::PutSession(soci::session& s, const std::string& clinic_code, Date date,
                                   int capacity, const std::string& at, const std::string& by) {
  std::string d = FormatDate(date);
  s << "INSERT INTO clinic_sessions(clinic_code, session_date, capacity, updated_at, updated_by) "
       "VALUES (:c, :d, :cap, :a, :b) ON CONFLICT (clinic_code, session_date) DO UPDATE SET "
       "capacity = excluded.capacity, updated_at = excluded.updated_at, updated_by = "
       "excluded.updated_by",
      soci::use(clinic_code), soci::use(d), soci::use(capacity), soci::use(at), soci::use(by);
}

int ImmunizationStore::CountBooked(soci::session& s, const std::string& clinic_code, Date date) {
  std::string d = FormatDate(date);
  int n = 0;
  s << std::string(
           "SELECT COUNT(*) FROM appointments WHERE clinic_code = :c AND "
           "appointment_date = :d AND ") +
           kHoldsPlace,
      soci::into(n), soci::use(clinic_code), soci::use(d);
  return n;
}

std::vector<SessionDay> ImmunizationStore::ListSessionDays(soci::session& s,
                                                           const std::string& clinic_code,
                                                           Date from, Date to) {
  std::string f = FormatDate(from), t = FormatDate(to);
  std::vector<SessionDay> out;
  // The days with a row, then the days with bookings, merged by date (both lists are short).
  std::vector<std::pair<std::string, int>> capacities, counts;
  {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT session_date, capacity FROM clinic_sessions WHERE clinic_code = :c "
                      "AND session_date >= :f AND session_date <= :t ORDER BY session_date",
         soci::use(clinic_code), soci::use(f), soci::use(t));
    for (const auto& r : rows) {
      capacities.emplace_back(r.get<std::string>(0), static_cast<int>(storage::RowInt64(r, 1)));
    }
  }
  {
    soci::rowset<soci::row> rows =
        (s.prepare << std::string("SELECT appointment_date, COUNT(*) FROM appointments WHERE "
                                  "clinic_code = :c AND appointment_date >= :f AND "
                                  "appointment_date <= :t AND ") +
                          kHoldsPlace + " GROUP BY appointment_date ORDER BY appointment_date",
         soci::use(clinic_code), soci::use(f), soci::use(t));
    for (const auto& r : rows) {
      counts.emplace_back(r.get<std::string>(0), static_cast<int>(storage::RowInt64(r, 1)));
    }
  }
  std::size_t i = 0, j = 0;
  while (i < capacities.size() || j < counts.size()) {
    SessionDay day;
    std::string key;
    if (j >= counts.size() || (i < capacities.size() && capacities[i].first <= counts[j].first)) {
      key = capacities[i].first;
      day.capacity = capacities[i].second;
      ++i;
      if (j < counts.size() && counts[j].first == key) day.booked = counts[j++].second;
    } else {
      key = counts[j].first;
      day.booked = counts[j++].second;
    }
    day.date = ParseDate(key).value_or(Date{});
    out.push_back(day);
  }
  return out;
}

void ImmunizationStore::InsertAppointment(soci::session& s, const Appointment& a) {
  std::string date = FormatDate(a.date), vaccines = nlohmann::json(a.vaccines).dump(),
              status(AppointmentStatusCode(a.status));
  soci::indicator i_to = NullIfEmpty(a.rescheduled_to);
  s << "INSERT INTO appointments(id, person_id, clinic_code, appointment_date, vaccines, status, "
       "rescheduled_to, created_at, created_by, updated_at, updated_by) VALUES (:id, :p, :c, :d, "
       ":v, :st, :to, :ca, :cb, :ua, :ub)",
      soci::use(a.id), soci::use(a.person_id), soci::use(a.clinic_code), soci::use(date),
      soci::use(vaccines), soci::use(status), soci::use(a.rescheduled_to, i_to),
      soci::use(a.created_at), soci::use(a.created_by), soci::use(a.updated_at),
      soci::use(a.updated_by);
}

void ImmunizationStore::UpdateAppointmentStatus(soci::session& s, const auth::Scope& scope,
                                                const Appointment& a) {
  std::string status(AppointmentStatusCode(a.status));
  soci::indicator i_to = NullIfEmpty(a.rescheduled_to);
  const auth::PathRange range = scope.Range();
  s << "UPDATE appointments SET status = :st, rescheduled_to = :to, updated_at = :ua, "
       "updated_by = :ub WHERE id = :id AND " +
           PersonWithin("person_id"),
      soci::use(status), soci::use(a.rescheduled_to, i_to), soci::use(a.updated_at),
      soci::use(a.updated_by), soci::use(a.id), soci::use(range.lo), soci::use(range.hi);
}

auth::ScopedRow<Appointment> ImmunizationStore::GetAppointment(soci::session& s,
                                                               const auth::Scope& scope,
                                                               const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAppointmentColumns +
                        ", (SELECT residence_path FROM persons WHERE id = a.person_id) FROM "
                        "appointments a WHERE a.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(TextOrEmpty(r, kAppointmentColumnCount))) {
      return auth::ScopedRow<Appointment>::Outside();
    }
    return auth::ScopedRow<Appointment>::Found(ReadAppointment(r));
  }
  return {};
}

bool ImmunizationStore::HasBooked(soci::session& s, const auth::Scope& scope,
                                  const std::string& person_id, const std::string& clinic_code,
                                  Date date) {
  std::string d = FormatDate(date);
  const auth::PathRange range = scope.Range();
  int n = 0;
  s << "SELECT COUNT(*) FROM appointments WHERE person_id = :p AND clinic_code = :c AND "
       "appointment_date = :d AND status = 'booked' AND " +
           PersonWithin("person_id"),
      soci::into(n), soci::use(person_id), soci::use(clinic_code), soci::use(d),
      soci::use(range.lo), soci::use(range.hi);
  return n > 0;
}

std::vector<AppointmentRow> ImmunizationStore::ListAppointments(soci::session& s,
                                                                const auth::Scope& scope,
                                                                const std::string& clinic_code,
                                                                Date from, Date to,
                                                                const std::string& status) {
  std::string f = FormatDate(from), t = FormatDate(to);
  const auth::PathRange range = scope.Range();
  std::string sql = std::string("SELECT ") + kAppointmentColumns +
                    ", p.name, p.sex, p.birth_date, p.id_number, " + std::string(kGuardianName) +
                    ", " + kGuardianPhone +
                    " FROM appointments a JOIN "
                    "persons p ON p.id = a.person_id LEFT JOIN vaccination_files v ON "
                    "v.person_id = a.person_id " +
                    kGuardianJoin +
                    " WHERE a.clinic_code = :c AND a.appointment_date "
                    ">= :f AND a.appointment_date <= :t AND p.residence_path >= :slo AND "
                    "p.residence_path < :shi";
  if (!status.empty()) sql += " AND a.status = :st";
  sql += " ORDER BY a.appointment_date, p.name, a.id";
  auto prep = (s.prepare << sql, soci::use(clinic_code, "c"), soci::use(f, "f"), soci::use(t, "t"),
               soci::use(range.lo, "slo"), soci::use(range.hi, "shi"));
  if (!status.empty()) prep, soci::use(status, "st");
  soci::rowset<soci::row> rows(prep);
  std::vector<AppointmentRow> out;
  constexpr std::size_t o = kAppointmentColumnCount;
  for (const auto& r : rows) {
    AppointmentRow row;
    row.appointment = ReadAppointment(r);
    row.name = r.get<std::string>(o);
    row.sex = r.get<std::string>(o + 1);
    row.birth_date = DateAt(r, o + 2);
    row.id_number = r.get<std::string>(o + 3);
    row.guardian_name = TextOrEmpty(r, o + 4);
    row.guardian_phone = TextOrEmpty(r, o + 5);
    out.push_back(std::move(row));
  }
  return out;
}

// ---- The due list ----

std::vector<DueCandidate> ImmunizationStore::AreaChildren(soci::session& s, const auth::Scope& area,
                                                          Date born_after) {
  const auth::PathRange range = area.Range();
  std::string born = FormatDate(born_after);
  std::vector<DueCandidate> out;
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT p.id, p.name, p.sex, p.birth_date, p.id_number, p.phone, "
              "p.residence_address, v.person_id, " +
                  std::string(kGuardianName) +
                  ", COALESCE(NULLIF(g.phone, ''), v.guardian_phone) FROM "
                  "persons p LEFT JOIN vaccination_files v ON v.person_id = p.id " +
                  kGuardianJoin +
                  " WHERE "
                  "p.residence_path >= :lo AND p.residence_path < :hi AND p.status = 'active' "
                  "AND p.birth_date > :born ORDER BY p.id",
       soci::use(range.lo), soci::use(range.hi), soci::use(born));
  for (const auto& r : rows) {
    DueCandidate c;
    c.person_id = r.get<std::string>(0);
    c.name = r.get<std::string>(1);
    c.sex = r.get<std::string>(2);
    c.birth_date = DateAt(r, 3);
    c.id_number = r.get<std::string>(4);
    c.phone = TextOrEmpty(r, 5);
    c.residence_address = TextOrEmpty(r, 6);
    c.has_file = r.get_indicator(7) != soci::i_null;
    c.guardian_name = TextOrEmpty(r, 8);
    c.guardian_phone = TextOrEmpty(r, 9);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<AreaDose> ImmunizationStore::AreaDoses(soci::session& s, const auth::Scope& area,
                                                   Date born_after) {
  const auth::PathRange range = area.Range();
  std::string born = FormatDate(born_after);
  std::vector<AreaDose> out;
  soci::rowset<soci::row> rows =
      // CROSS JOIN keeps persons as the outer loop (SQLite does not reorder it): the area's
      // persons by the residence index, then each one's doses. With a plain JOIN the planner
      // walked the whole city's dose index to save the sort, a cost that grew with the city.
      (s.prepare << "SELECT r.person_id, r.vaccine, r.given_on FROM persons p CROSS JOIN "
                    "vaccination_records r ON r.person_id = p.id WHERE p.residence_path >= :lo "
                    "AND p.residence_path < :hi AND p.status = 'active' AND p.birth_date > :born "
                    "AND r.status = 'active' ORDER BY r.person_id, r.given_on",
       soci::use(range.lo), soci::use(range.hi), soci::use(born));
  for (const auto& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), DateAt(r, 2)});
  }
  return out;
}

std::vector<Appointment> ImmunizationStore::AreaBookedAppointments(soci::session& s,
                                                                   const auth::Scope& area,
                                                                   Date born_after, Date from) {
  const auth::PathRange range = area.Range();
  std::string born = FormatDate(born_after), f = FormatDate(from);
  std::vector<Appointment> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAppointmentColumns +
                        " FROM persons p CROSS JOIN appointments a ON a.person_id = p.id WHERE "
                        "p.residence_path >= :lo AND p.residence_path < :hi AND p.status = "
                        "'active' AND p.birth_date > :born AND a.status = 'booked' AND "
                        "a.appointment_date >= :f ORDER BY a.person_id, a.appointment_date",
       soci::use(range.lo), soci::use(range.hi), soci::use(born), soci::use(f));
  for (const auto& r : rows) out.push_back(ReadAppointment(r));
  return out;
}

}  // namespace jd::immunization
