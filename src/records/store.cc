#include "records/store.h"

namespace jd::records {

namespace {

// The record's columns and its holder's residence (for the scope).
constexpr const char* kColumns =
    "h.person_id, h.record_no, h.established_on, h.clinic_code, h.electronic, h.version, "
    "h.created_at, h.created_by, h.updated_at, h.updated_by, p.residence_path";

HealthRecord ReadRecord(const soci::row& r) {
  HealthRecord h;
  h.person_id = r.get<std::string>(0);
  h.record_no = r.get<std::string>(1);
  h.established_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
  h.clinic_code = r.get<std::string>(3);
  h.electronic = storage::RowInt64(r, 4) != 0;
  h.version = static_cast<int>(storage::RowInt64(r, 5));
  h.created_at = r.get<std::string>(6);
  h.created_by = r.get<std::string>(7);
  h.updated_at = r.get<std::string>(8);
  h.updated_by = r.get<std::string>(9);
  return h;
}

}  // namespace

auth::ScopedRow<HealthRecord> HealthRecordStore::Get(soci::session& s, const auth::Scope& scope,
                                                     const std::string& person_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM health_records h JOIN persons p ON p.id = h.person_id "
                        "WHERE h.person_id = :p",
       soci::use(person_id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(10))) return auth::ScopedRow<HealthRecord>::Outside();
    return auth::ScopedRow<HealthRecord>::Found(ReadRecord(r));
  }
  return {};
}

std::optional<std::string> HealthRecordStore::HolderOf(soci::session& s,
                                                       const std::string& record_no) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT person_id FROM health_records WHERE record_no = :n",
       soci::use(record_no));
  for (const auto& r : rows) return r.get<std::string>(0);
  return std::nullopt;
}

std::optional<std::string> HealthRecordStore::HighestInArea(soci::session& s,
                                                            const std::string& area) {
  // The area's numbers are exactly the 17-character texts from area+"00000" to area+"99999": a
  // range of the record_no index, read backwards for its last entry.
  std::string lo = area + "00000", hi = area + "99999";
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT record_no FROM health_records WHERE record_no >= :lo AND "
                    "record_no <= :hi ORDER BY record_no DESC LIMIT 1",
       soci::use(lo), soci::use(hi));
  for (const auto& r : rows) return r.get<std::string>(0);
  return std::nullopt;
}

void HealthRecordStore::Insert(soci::session& s, const HealthRecord& r) {
  std::string established = FormatDate(r.established_on);
  int electronic = r.electronic ? 1 : 0;
  s << "INSERT INTO health_records(person_id, record_no, established_on, clinic_code, electronic, "
       "version, created_at, created_by, updated_at, updated_by) VALUES (:p, :n, :e, :c, :el, "
       ":v, :ca, :cb, :ua, :ub)",
      soci::use(r.person_id), soci::use(r.record_no), soci::use(established),
      soci::use(r.clinic_code), soci::use(electronic), soci::use(r.version),
      soci::use(r.created_at), soci::use(r.created_by), soci::use(r.updated_at),
      soci::use(r.updated_by);
}

bool HealthRecordStore::Update(soci::session& s, const auth::Scope& scope, const HealthRecord& r,
                               int expected_version) {
  const auth::PathRange range = scope.Range();
  std::string established = FormatDate(r.established_on);
  int electronic = r.electronic ? 1 : 0;
  soci::statement st =
      (s.prepare << "UPDATE health_records SET record_no = :n, established_on = :e, "
                    "clinic_code = :c, electronic = :el, version = :v, updated_at = :ua, "
                    "updated_by = :ub WHERE person_id = :p AND version = :ev AND person_id IN "
                    "(SELECT id FROM persons WHERE residence_path >= :lo AND residence_path < :hi)",
       soci::use(r.record_no), soci::use(established), soci::use(r.clinic_code),
       soci::use(electronic), soci::use(r.version), soci::use(r.updated_at),
       soci::use(r.updated_by), soci::use(r.person_id), soci::use(expected_version),
       soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

struct HealthRecordInserter::Buffers {
  std::string person_id, record_no, established_on, clinic_code, created_at, created_by, updated_at,
      updated_by;
  int electronic = 0;
  int version = 1;
};

HealthRecordInserter::HealthRecordInserter(soci::session& s) : b_(std::make_unique<Buffers>()) {
  Buffers& b = *b_;
  st_ = std::make_unique<soci::statement>(
      (s.prepare << "INSERT INTO health_records(person_id, record_no, established_on, "
                    "clinic_code, electronic, version, created_at, created_by, updated_at, "
                    "updated_by) VALUES (:p, :n, :e, :c, :el, :v, :ca, :cb, :ua, :ub)",
       soci::use(b.person_id), soci::use(b.record_no), soci::use(b.established_on),
       soci::use(b.clinic_code), soci::use(b.electronic), soci::use(b.version),
       soci::use(b.created_at), soci::use(b.created_by), soci::use(b.updated_at),
       soci::use(b.updated_by)));
}

HealthRecordInserter::~HealthRecordInserter() = default;

void HealthRecordInserter::Insert(const HealthRecord& r) {
  Buffers& b = *b_;
  b.person_id = r.person_id;
  b.record_no = r.record_no;
  b.established_on = FormatDate(r.established_on);
  b.clinic_code = r.clinic_code;
  b.electronic = r.electronic ? 1 : 0;
  b.version = r.version;
  b.created_at = r.created_at;
  b.created_by = r.created_by;
  b.updated_at = r.updated_at;
  b.updated_by = r.updated_by;
  st_->execute(true);
}

}  // namespace jd::records
