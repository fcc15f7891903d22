#include "registry/person_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "core/text.h"
#include "registry/codes.h"
#include "registry/search_keys.h"

namespace jd::registry {

namespace {

using storage::NullIfEmpty;

std::string DateText(const std::optional<Date>& d) { return d ? FormatDate(*d) : std::string(); }

std::optional<Date> DateOrNull(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}
std::string TextOrEmpty(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

constexpr const char* kPersonColumns =
    "p.id, p.name, p.sex, p.birth_date, p.id_type, p.id_number, p.ethnicity, p.phone, "
    "p.hukou_division, p.hukou_address, p.residence_org, p.residence_path, p.residence_address, "
    "p.left_hukou_on, p.arrived_on, p.move_reason, p.occupation, p.employer, p.marital_status, "
    "p.residence_permit_no, p.residence_permit_valid_until, p.health_card_no, p.status, p.version, "
    "p.created_at, p.created_by, p.updated_at, p.updated_by";

Person ReadPerson(const soci::row& r, std::size_t o = 0) {
  Person p;
  p.id = r.get<std::string>(o + 0);
  p.name = r.get<std::string>(o + 1);
  p.sex = ParseSex(r.get<std::string>(o + 2)).value_or(Sex::kMale);
  p.birth_date = ParseDate(r.get<std::string>(o + 3)).value_or(Date{});
  p.id_type = ParseIdType(r.get<std::string>(o + 4)).value_or(IdType::kResidentId);
  p.id_number = r.get<std::string>(o + 5);
  p.ethnicity = TextOrEmpty(r, o + 6);
  p.phone = TextOrEmpty(r, o + 7);
  p.hukou_division = r.get<std::string>(o + 8);
  p.hukou_address = TextOrEmpty(r, o + 9);
  p.residence_org = r.get<std::string>(o + 10);
  p.residence_path = r.get<std::string>(o + 11);
  p.residence_address = TextOrEmpty(r, o + 12);
  p.left_hukou_on = DateOrNull(r, o + 13);
  p.arrived_on = ParseDate(r.get<std::string>(o + 14)).value_or(Date{});
  p.move_reason = ParseMoveReason(r.get<std::string>(o + 15)).value_or(MoveReason::kOther);
  p.occupation = TextOrEmpty(r, o + 16);
  p.employer = TextOrEmpty(r, o + 17);
  p.marital_status =
      ParseMaritalStatus(r.get<std::string>(o + 18)).value_or(MaritalStatus::kUnknown);
  p.residence_permit_no = TextOrEmpty(r, o + 19);
  p.residence_permit_valid_until = DateOrNull(r, o + 20);
  p.health_card_no = TextOrEmpty(r, o + 21);
  p.status = ParsePersonStatus(r.get<std::string>(o + 22)).value_or(PersonStatus::kActive);
  p.version = static_cast<int>(storage::RowInt64(r, o + 23));
  p.created_at = r.get<std::string>(o + 24);
  p.created_by = r.get<std::string>(o + 25);
  p.updated_at = r.get<std::string>(o + 26);
  p.updated_by = r.get<std::string>(o + 27);
  return p;
}

constexpr const char* kDocumentColumns =
    "d.id, d.person_id, d.type, d.number, d.issued_by, d.issued_on, d.valid_until, d.status, "
    "d.submitted_at, d.submitted_by, d.reviewed_at, d.reviewed_by, d.review_reason";

Document ReadDocument(const soci::row& r) {
  Document d;
  d.id = r.get<std::string>(0);
  d.person_id = r.get<std::string>(1);
  d.type = ParseDocumentType(r.get<std::string>(2)).value_or(DocumentType::kOther);
  d.number = TextOrEmpty(r, 3);
  d.issued_by = TextOrEmpty(r, 4);
  d.issued_on = DateOrNull(r, 5);
  d.valid_until = DateOrNull(r, 6);
  d.status = ParseDocumentStatus(r.get<std::string>(7)).value_or(DocumentStatus::kPending);
  d.submitted_at = r.get<std::string>(8);
  d.submitted_by = r.get<std::string>(9);
  d.reviewed_at = TextOrEmpty(r, 10);
  d.reviewed_by = TextOrEmpty(r, 11);
  d.review_reason = TextOrEmpty(r, 12);
  return d;
}

}  // namespace

// ---- PersonInserter ----

struct PersonInserter::Buffers {
  std::string id, name, sex, birth_date, id_type, id_number, ethnicity, phone, hukou_division,
      hukou_address, residence_org, residence_path, residence_address, left_hukou_on, arrived_on,
      move_reason, occupation, employer, marital_status, residence_permit_no,
      residence_permit_valid_until, health_card_no, status, created_at, created_by, updated_at,
      updated_by, import_batch;
  int version = 1;
  // Search keys (registry/search_keys.h) wait here and are written sorted by Flush: in key order
  // the index pages are touched once each instead of at random.
  std::vector<std::array<std::string, 3>> pending_keys;  // key, residence path, person id
  std::string key, key_path, key_person;
  soci::indicator i_ethnicity, i_phone, i_hukou_address, i_residence_address, i_left, i_occupation,
      i_employer, i_permit_no, i_permit_until, i_health_card, i_batch;
};

PersonInserter::PersonInserter(soci::session& s) : b_(std::make_unique<Buffers>()) {
  Buffers& b = *b_;
  st_ = std::make_unique<soci::statement>(
      (s.prepare << "INSERT INTO persons(id, name, sex, birth_date, id_type, id_number, ethnicity, "
                    "phone, hukou_division, hukou_address, residence_org, residence_path, "
                    "residence_address, left_hukou_on, arrived_on, move_reason, occupation, "
                    "employer, marital_status, residence_permit_no, residence_permit_valid_until, "
                    "health_card_no, status, version, created_at, created_by, updated_at, "
                    "updated_by, import_batch) VALUES (:id, :name, :sex, :bd, :it, :inum, :eth, "
                    ":phone, :hd, :ha, :ro, :rp, :ra, :lh, :ao, :mr, :occ, :emp, :ms, :rpn, :rpu, "
                    ":hc, :st, :ver, :ca, :cb, :ua, :ub, :batch) "
                    "ON CONFLICT (id_number, id_type) DO NOTHING",
       soci::use(b.id), soci::use(b.name), soci::use(b.sex), soci::use(b.birth_date),
       soci::use(b.id_type), soci::use(b.id_number), soci::use(b.ethnicity, b.i_ethnicity),
       soci::use(b.phone, b.i_phone), soci::use(b.hukou_division),
       soci::use(b.hukou_address, b.i_hukou_address), soci::use(b.residence_org),
       soci::use(b.residence_path), soci::use(b.residence_address, b.i_residence_address),
       soci::use(b.left_hukou_on, b.i_left), soci::use(b.arrived_on), soci::use(b.move_reason),
       soci::use(b.occupation, b.i_occupation), soci::use(b.employer, b.i_employer),
       soci::use(b.marital_status), soci::use(b.residence_permit_no, b.i_permit_no),
       soci::use(b.residence_permit_valid_until, b.i_permit_until),
       soci::use(b.health_card_no, b.i_health_card), soci::use(b.status), soci::use(b.version),
       soci::use(b.created_at), soci::use(b.created_by), soci::use(b.updated_at),
       soci::use(b.updated_by), soci::use(b.import_batch, b.i_batch)));
  key_st_ = std::make_unique<soci::statement>(
      (s.prepare << "INSERT OR IGNORE INTO person_search_keys(key, residence_path, person_id) "
                    "VALUES (:k, :r, :p)",
       soci::use(b.key), soci::use(b.key_path), soci::use(b.key_person)));
}

PersonInserter::~PersonInserter() {
  if (b_->pending_keys.empty()) return;
  // Every caller flushes before its transaction ends; this is the net under a forgotten one.
  try {
    Flush();
  } catch (const std::exception& e) {
    spdlog::error("search keys of {} persons not written: {}", b_->pending_keys.size(), e.what());
  }
}

void PersonInserter::Flush() {
  Buffers& b = *b_;
  std::sort(b.pending_keys.begin(), b.pending_keys.end());
  for (auto& [key, path, person] : b.pending_keys) {
    b.key = std::move(key);
    b.key_path = std::move(path);
    b.key_person = std::move(person);
    key_st_->execute(true);
  }
  b.pending_keys.clear();
}

bool PersonInserter::Insert(const Person& p, const std::string& import_batch) {
  Buffers& b = *b_;
  b.id = p.id;
  b.name = p.name;
  b.sex = std::string(ToCode(p.sex));
  b.birth_date = FormatDate(p.birth_date);
  b.id_type = std::string(ToCode(p.id_type));
  b.id_number = p.id_number;
  b.ethnicity = p.ethnicity;
  b.i_ethnicity = NullIfEmpty(b.ethnicity);
  b.phone = p.phone;
  b.i_phone = NullIfEmpty(b.phone);
  b.hukou_division = p.hukou_division;
  b.hukou_address = p.hukou_address;
  b.i_hukou_address = NullIfEmpty(b.hukou_address);
  b.residence_org = p.residence_org;
  b.residence_path = p.residence_path;
  b.residence_address = p.residence_address;
  b.i_residence_address = NullIfEmpty(b.residence_address);
  b.left_hukou_on = DateText(p.left_hukou_on);
  b.i_left = NullIfEmpty(b.left_hukou_on);
  b.arrived_on = FormatDate(p.arrived_on);
  b.move_reason = std::string(ToCode(p.move_reason));
  b.occupation = p.occupation;
  b.i_occupation = NullIfEmpty(b.occupation);
  b.employer = p.employer;
  b.i_employer = NullIfEmpty(b.employer);
  b.marital_status = std::string(ToCode(p.marital_status));
  b.residence_permit_no = p.residence_permit_no;
  b.i_permit_no = NullIfEmpty(b.residence_permit_no);
  b.residence_permit_valid_until = DateText(p.residence_permit_valid_until);
  b.i_permit_until = NullIfEmpty(b.residence_permit_valid_until);
  b.health_card_no = p.health_card_no;
  b.i_health_card = NullIfEmpty(b.health_card_no);
  b.status = std::string(ToCode(p.status));
  b.version = p.version;
  b.created_at = p.created_at;
  b.created_by = p.created_by;
  b.updated_at = p.updated_at;
  b.updated_by = p.updated_by;
  b.import_batch = import_batch;
  b.i_batch = NullIfEmpty(b.import_batch);
  st_->execute(true);
  if (st_->get_affected_rows() != 1) return false;
  for (auto& key : PersonSearchKeys(p.name, p.phone, p.id_number)) {
    b.pending_keys.push_back({std::move(key), p.residence_path, p.id});
  }
  if (b.pending_keys.size() >= 200000) Flush();
  return true;
}

// ---- PersonStore ----

// ---- EventInserter -----------------------------------------------------------------------------

struct EventInserter::Buffers {
  std::string id, person_id, type, date, org_code, address, note, recorded_at, recorded_by;
  soci::indicator i_org, i_addr, i_note;
};

EventInserter::EventInserter(soci::session& s) : b_(std::make_unique<Buffers>()) {
  Buffers& b = *b_;
  st_ = std::make_unique<soci::statement>(
      (s.prepare << "INSERT INTO residence_events(id, person_id, type, event_date, org_code, "
                    "address, note, recorded_at, recorded_by) VALUES (:id, :p, :t, :d, :o, :a, "
                    ":n, :ra, :rb)",
       soci::use(b.id), soci::use(b.person_id), soci::use(b.type), soci::use(b.date),
       soci::use(b.org_code, b.i_org), soci::use(b.address, b.i_addr), soci::use(b.note, b.i_note),
       soci::use(b.recorded_at), soci::use(b.recorded_by)));
}

EventInserter::~EventInserter() = default;

void EventInserter::Insert(const ResidenceEvent& e) {
  Buffers& b = *b_;
  b.id = e.id;
  b.person_id = e.person_id;
  b.type = std::string(ToCode(e.type));
  b.date = FormatDate(e.date);
  b.org_code = e.org_code;
  b.i_org = NullIfEmpty(b.org_code);
  b.address = e.address;
  b.i_addr = NullIfEmpty(b.address);
  b.note = e.note;
  b.i_note = NullIfEmpty(b.note);
  b.recorded_at = e.recorded_at;
  b.recorded_by = e.recorded_by;
  st_->execute(true);
}

void PersonStore::InsertOrgUnit(soci::session& s, const OrgUnit& u) {
  std::string level(ToCode(u.level));
  soci::indicator pind = NullIfEmpty(u.parent_code);
  s << "INSERT INTO org_units(code, name, level, parent_code, path) VALUES (:c, :n, :l, :p, :path)",
      soci::use(u.code), soci::use(u.name), soci::use(level), soci::use(u.parent_code, pind),
      soci::use(u.path);
}

std::vector<OrgUnit> PersonStore::ListOrgUnits(soci::session& s) {
  std::vector<OrgUnit> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT code, name, level, parent_code, path FROM org_units ORDER BY path");
  for (const auto& r : rows) {
    OrgUnit u;
    u.code = r.get<std::string>(0);
    u.name = r.get<std::string>(1);
    u.level = ParseOrgLevel(r.get<std::string>(2)).value_or(OrgLevel::kCommunity);
    u.parent_code = TextOrEmpty(r, 3);
    u.path = r.get<std::string>(4);
    out.push_back(std::move(u));
  }
  return out;
}

bool PersonStore::Insert(soci::session& s, const Person& p, const std::string& import_batch) {
  PersonInserter ins(s);
  bool inserted = ins.Insert(p, import_batch);
  ins.Flush();
  return inserted;
}

bool PersonStore::Update(soci::session& s, const auth::Scope& scope, const Person& p,
                         int expected_version) {
  const auth::PathRange range = scope.Range();
  // The keys the stored row has now (read in scope, as the update), to replace after it.
  std::string old_name, old_phone, old_id_number, old_path;
  soci::indicator i_old_phone = soci::i_ok;
  s << "SELECT name, phone, id_number, residence_path FROM persons WHERE id = :id AND "
       "residence_path >= :slo AND residence_path < :shi",
      soci::into(old_name), soci::into(old_phone, i_old_phone), soci::into(old_id_number),
      soci::into(old_path), soci::use(p.id), soci::use(range.lo), soci::use(range.hi);
  if (i_old_phone == soci::i_null) old_phone.clear();
  std::string sex(ToCode(p.sex)),
      bd = FormatDate(p.birth_date), it(ToCode(p.id_type)), left = DateText(p.left_hukou_on),
      arrived = FormatDate(p.arrived_on), reason(ToCode(p.move_reason)),
      marital(ToCode(p.marital_status)), permit_until = DateText(p.residence_permit_valid_until),
      status(ToCode(p.status));
  soci::indicator i_eth = NullIfEmpty(p.ethnicity), i_phone = NullIfEmpty(p.phone),
                  i_ha = NullIfEmpty(p.hukou_address), i_ra = NullIfEmpty(p.residence_address),
                  i_left = NullIfEmpty(left), i_occ = NullIfEmpty(p.occupation),
                  i_emp = NullIfEmpty(p.employer), i_rpn = NullIfEmpty(p.residence_permit_no),
                  i_rpu = NullIfEmpty(permit_until), i_hc = NullIfEmpty(p.health_card_no);
  soci::statement st =
      (s.prepare << "UPDATE persons SET name = :name, sex = :sex, birth_date = :bd, id_type = :it, "
                    "id_number = :inum, ethnicity = :eth, phone = :phone, hukou_division = :hd, "
                    "hukou_address = :ha, residence_org = :ro, residence_path = :rp, "
                    "residence_address = :ra, left_hukou_on = :lh, arrived_on = :ao, "
                    "move_reason = :mr, occupation = :occ, employer = :emp, marital_status = :ms, "
                    "residence_permit_no = :rpn, residence_permit_valid_until = :rpu, "
                    "health_card_no = :hc, status = :st, version = :ver, updated_at = :ua, "
                    "updated_by = :ub WHERE id = :id AND version = :expected AND residence_path >= "
                    ":slo AND residence_path < :shi",
       soci::use(p.name), soci::use(sex), soci::use(bd), soci::use(it), soci::use(p.id_number),
       soci::use(p.ethnicity, i_eth), soci::use(p.phone, i_phone), soci::use(p.hukou_division),
       soci::use(p.hukou_address, i_ha), soci::use(p.residence_org), soci::use(p.residence_path),
       soci::use(p.residence_address, i_ra), soci::use(left, i_left), soci::use(arrived),
       soci::use(reason), soci::use(p.occupation, i_occ), soci::use(p.employer, i_emp),
       soci::use(marital), soci::use(p.residence_permit_no, i_rpn), soci::use(permit_until, i_rpu),
       soci::use(p.health_card_no, i_hc), soci::use(status), soci::use(p.version),
       soci::use(p.updated_at), soci::use(p.updated_by), soci::use(p.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  if (st.get_affected_rows() != 1) return false;
  std::string key;
  soci::statement del = (s.prepare << "DELETE FROM person_search_keys WHERE key = :k AND "
                                      "residence_path = :r AND person_id = :p",
                         soci::use(key), soci::use(old_path), soci::use(p.id));
  for (auto& k : PersonSearchKeys(old_name, old_phone, old_id_number)) {
    key = std::move(k);
    del.execute(true);
  }
  soci::statement ins = (s.prepare << "INSERT OR IGNORE INTO person_search_keys(key, "
                                      "residence_path, person_id) VALUES (:k, :r, :p)",
                         soci::use(key), soci::use(p.residence_path), soci::use(p.id));
  for (auto& k : PersonSearchKeys(p.name, p.phone, p.id_number)) {
    key = std::move(k);
    ins.execute(true);
  }
  return true;
}

std::int64_t PersonStore::BackfillSearchKeys(soci::session& s) {
  int pending = 0;
  s << "SELECT COUNT(*) FROM pending_backfills WHERE name = 'person_search_keys'",
      soci::into(pending);
  if (pending == 0) return 0;
  std::int64_t n = 0;
  std::string id, path, key;
  soci::statement ins = (s.prepare << "INSERT OR IGNORE INTO person_search_keys(key, "
                                      "residence_path, person_id) VALUES (:k, :r, :p)",
                         soci::use(key), soci::use(path), soci::use(id));
  // Another table than the one read: SQLite lets the inserts run while the rows stream.
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, name, phone, id_number, residence_path FROM persons");
  for (const auto& r : rows) {
    id = r.get<std::string>(0);
    path = r.get<std::string>(4);
    std::string phone = r.get_indicator(2) == soci::i_null ? "" : r.get<std::string>(2);
    for (auto& k : PersonSearchKeys(r.get<std::string>(1), phone, r.get<std::string>(3))) {
      key = std::move(k);
      ins.execute(true);
    }
    ++n;
  }
  s << "DELETE FROM pending_backfills WHERE name = 'person_search_keys'";
  return n;
}

void PersonStore::InsertVersion(soci::session& s, const std::string& person_id, int version,
                                const std::string& data_json, const std::string& at,
                                const std::string& by) {
  s << "INSERT INTO person_versions(person_id, version, data, replaced_at, replaced_by) VALUES "
       "(:p, :v, :d, :a, :b)",
      soci::use(person_id), soci::use(version), soci::use(data_json), soci::use(at), soci::use(by);
}

auth::ScopedRow<Person> PersonStore::Get(soci::session& s, const auth::Scope& scope,
                                         const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kPersonColumns + " FROM persons p WHERE p.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    Person p = ReadPerson(r);
    if (!scope.Covers(p.residence_path)) return auth::ScopedRow<Person>::Outside();
    return auth::ScopedRow<Person>::Found(std::move(p));
  }
  return {};
}

std::optional<std::pair<std::string, std::string>> PersonStore::FindIdentity(
    soci::session& s, std::string_view id_type, const std::string& id_number) {
  std::string type(id_type), id, path;
  s << "SELECT id, residence_path FROM persons WHERE id_number = :n AND id_type = :t",
      soci::into(id), soci::into(path), soci::use(id_number), soci::use(type);
  if (!s.got_data()) return std::nullopt;
  return std::make_pair(id, path);
}

namespace {

// The conditions of a search on the person's row beyond the jurisdiction, with parameters named
// with `tag` (a query may hold several parts, each with its own).
std::string RowFilters(const PersonSearch& q, const std::string& tag) {
  std::string w;
  if (!q.status.empty()) w += " AND p.status = :st" + tag;
  if (!q.born.from.empty()) w += " AND p.birth_date >= :bf" + tag;
  if (!q.born.before.empty()) w += " AND p.birth_date < :bb" + tag;
  if (!q.updated.from.empty()) w += " AND p.updated_at >= :uf" + tag;
  if (!q.updated.before.empty()) w += " AND p.updated_at < :ub" + tag;
  return w;
}

template <class Prep>
void BindRowFilters(Prep& prep, const PersonSearch& q, const std::string& tag) {
  if (!q.status.empty()) prep, soci::use(q.status, "st" + tag);
  if (!q.born.from.empty()) prep, soci::use(q.born.from, "bf" + tag);
  if (!q.born.before.empty()) prep, soci::use(q.born.before, "bb" + tag);
  if (!q.updated.from.empty()) prep, soci::use(q.updated.from, "uf" + tag);
  if (!q.updated.before.empty()) prep, soci::use(q.updated.before, "ub" + tag);
}

}  // namespace

PersonPage PersonStore::Search(soci::session& s, const PersonSearch& q) {
  // Counting stops here: "10,000+" is as useful to a person paging a list as the exact figure,
  // and counting a whole district's index range on every keystroke is not.
  constexpr int kCountCap = 10000;
  // A search's matches are counted to 1,000: more than that is a reason to type more, not to page.
  constexpr int kSearchCountCap = 1000;
  PersonPage page;
  const auth::PathRange scope = q.scope.Range();
  if (q.scope.empty()) return page;
  int limit = std::clamp(q.limit, 1, 200);
  int offset = std::max(q.offset, 0);
  const PersonSearchPlan plan = PlanPersonSearch(q.q);
  if (plan.empty() && !Trim(q.q).empty()) return page;  // text that is no search (bad UTF-8)

  if (plan.empty()) {
    // Everyone in scope: the jurisdiction's range of the residence index.
    std::string where = "p.residence_path >= :slo AND p.residence_path < :shi" + RowFilters(q, "");
    auto bind = [&](auto& prep) {
      prep, soci::use(scope.lo, "slo"), soci::use(scope.hi, "shi");
      BindRowFilters(prep, q, "");
    };
    {
      std::string sql = std::string("SELECT ") + kPersonColumns + " FROM persons p WHERE " + where +
                        " ORDER BY p.residence_path, p.id LIMIT :lim OFFSET :off";
      auto prep = (s.prepare << sql);
      bind(prep);
      prep, soci::use(limit, "lim"), soci::use(offset, "off");
      soci::rowset<soci::row> rows(prep);
      for (const auto& r : rows) page.items.push_back(ReadPerson(r));
    }
    long long count = 0;
    auto prep = (s.prepare << "SELECT COUNT(*) FROM (SELECT 1 FROM persons p WHERE " + where +
                                  " LIMIT " + std::to_string(kCountCap + 1) + ") AS capped");
    bind(prep);
    prep, soci::into(count);
    soci::statement st(prep);
    st.execute(true);
    page.total = std::min<long long>(count, kCountCap);
    page.total_is_lower_bound = count > kCountCap;
    return page;
  }

  // One part per range of the plan, each read in its index's order and stopped after the rows
  // this page can need; the parts are merged by the key matched. The jurisdiction is a filter on
  // each match (written so that it cannot be taken for an index range: SQLite's planner would
  // otherwise walk the whole jurisdiction's range when it is the city).
  struct Part {
    std::string from;  // FROM … WHERE … without the jurisdiction and status
    std::string key, order, path, pid;
    const KeyRange* range;
  };
  std::vector<Part> parts;
  // A key part reads the keys' index alone (the residence path is in it) unless the status needs
  // the person's row. Its sort key is the key then the residence path, the index's own order.
  // One exact key (a single character) is the other way round: its rows are in residence-path
  // order, so the jurisdiction is that index's range and a street reads only its own matches.
  const bool needs_row = !RowFilters(q, "").empty();
  for (const auto& r : plan.keys) {
    parts.push_back(
        {std::string("person_search_keys k") +
             (needs_row ? " JOIN persons p ON p.id = k.person_id" : "") +
             (r.exact ? " WHERE k.key = :lo{0}" : " WHERE k.key >= :lo{0} AND k.key < :hi{0}"),
         "k.key || char(1) || k.residence_path", "k.key, k.residence_path, k.person_id",
         "k.residence_path", "k.person_id", &r});
  }
  for (const auto& r : plan.id_number) {
    parts.push_back({"persons p WHERE p.id_number >= :lo{0} AND p.id_number < :hi{0}",
                     "'i:' || p.id_number", "p.id_number, p.id", "p.residence_path", "p.id", &r});
  }
  const int scope_len = static_cast<int>(scope.lo.size());
  const int wanted = offset + limit;
  auto where_of = [&](const Part& part, std::size_t i) {
    std::string w =
        fmt::format(fmt::runtime(part.from), i) +
        (part.range->exact ? fmt::format(" AND {0} >= :slo{1} AND {0} < :shi{1}", part.path, i)
                           : fmt::format(" AND substr({0}, 1, :slen{1}) = :slo{1}", part.path, i));
    return w + RowFilters(q, std::to_string(i));
  };
  auto bind_part = [&](auto& prep, std::size_t i) {
    const std::string n = std::to_string(i);
    prep, soci::use(parts[i].range->lo, "lo" + n), soci::use(scope.lo, "slo" + n);
    if (parts[i].range->exact) {
      prep, soci::use(scope.hi, "shi" + n);
    } else {
      prep, soci::use(parts[i].range->hi, "hi" + n), soci::use(scope_len, "slen" + n);
    }
    BindRowFilters(prep, q, n);
  };
  {
    std::string merged;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) merged += " UNION ALL ";
      merged += fmt::format(
          "SELECT * FROM (SELECT {} AS sk, {} AS pid FROM {} ORDER BY {} LIMIT :want{}) AS s{}",
          parts[i].key, parts[i].pid, where_of(parts[i], i), parts[i].order, i, i);
    }
    std::string sql = std::string("SELECT ") + kPersonColumns + " FROM (" + merged +
                      ") AS m JOIN persons p ON p.id = m.pid ORDER BY m.sk, m.pid LIMIT :lim "
                      "OFFSET :off";
    auto prep = (s.prepare << sql);
    for (std::size_t i = 0; i < parts.size(); ++i) {
      bind_part(prep, i);
      prep, soci::use(wanted, "want" + std::to_string(i));
    }
    prep, soci::use(limit, "lim"), soci::use(offset, "off");
    soci::rowset<soci::row> rows(prep);
    std::vector<std::string> seen;
    for (const auto& r : rows) {
      Person p = ReadPerson(r);
      // A person matched twice (a phone and an ID number ending alike) is listed once.
      if (std::find(seen.begin(), seen.end(), p.id) != seen.end()) continue;
      seen.push_back(p.id);
      page.items.push_back(std::move(p));
    }
  }
  // The parts' matches as a set (UNION): a person matched twice, by a phone and an ID number
  // ending alike, counts once.
  long long total = 0;
  {
    std::string matched;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) matched += " UNION ";
      matched += fmt::format("SELECT * FROM (SELECT {} AS pid FROM {} LIMIT {}) AS c{}",
                             parts[i].pid, where_of(parts[i], i), kSearchCountCap + 1, i);
    }
    auto prep = (s.prepare << "SELECT COUNT(*) FROM (" + matched + ") AS u");
    for (std::size_t i = 0; i < parts.size(); ++i) bind_part(prep, i);
    prep, soci::into(total);
    soci::statement st(prep);
    st.execute(true);
  }
  page.total = std::min<long long>(total, kSearchCountCap);
  page.total_is_lower_bound = total > kSearchCountCap;
  return page;
}

std::vector<Person> PersonStore::Scan(soci::session& s, const PersonScan& q) {
  std::vector<Person> out;
  if (q.scope.empty()) return out;
  const auth::PathRange scope = q.scope.Range();
  PersonSearch filters;
  filters.updated = q.updated;
  const int limit = std::clamp(q.limit, 1, 5000);
  // The cursor as a row value in the residence index's order, so each page is an index range
  // that starts where the last one ended (SQLite >= 3.15 and PostgreSQL compare row values).
  std::string after_path, after_birth, after_id;
  // A cursor outside the scope would open the range below it: fail closed.
  if (q.after && (q.after->residence_path < scope.lo || q.after->residence_path >= scope.hi)) {
    return out;
  }
  if (q.after) {
    after_path = q.after->residence_path;
    after_birth = FormatDate(q.after->birth_date);
    after_id = q.after->id;
  }
  std::string sql =
      std::string("SELECT ") + kPersonColumns +
      " FROM persons p WHERE p.residence_path < :shi AND " +
      // Resuming, the cursor is the lower bound (it lies in scope, being a row of it); with the
      // scope's own lower bound beside it SQLite would start every page at the scope's start.
      (q.after ? "(p.residence_path, p.birth_date, p.id) > (:ap, :ab, :aid)"
               : "p.residence_path >= :slo") +
      RowFilters(filters, "") + " ORDER BY p.residence_path, p.birth_date, p.id LIMIT :lim";
  auto prep = (s.prepare << sql);
  prep, soci::use(scope.hi, "shi");
  if (q.after) {
    prep, soci::use(after_path, "ap"), soci::use(after_birth, "ab"), soci::use(after_id, "aid");
  } else {
    prep, soci::use(scope.lo, "slo");
  }
  BindRowFilters(prep, filters, "");
  prep, soci::use(limit, "lim");
  soci::rowset<soci::row> rows(prep);
  for (const auto& r : rows) out.push_back(ReadPerson(r));
  return out;
}

std::int64_t PersonStore::CountInScope(soci::session& s, const auth::Scope& scope) {
  const auth::PathRange r = scope.Range();
  long long n = 0;
  s << "SELECT COUNT(*) FROM persons WHERE residence_path >= :lo AND residence_path < :hi",
      soci::into(n), soci::use(r.lo), soci::use(r.hi);
  return n;
}

void PersonStore::InsertEvent(soci::session& s, const ResidenceEvent& e) {
  EventInserter ins(s);
  ins.Insert(e);
}

std::vector<ResidenceEvent> PersonStore::ListEvents(soci::session& s, const auth::Scope& scope,
                                                    const std::string& person_id) {
  std::vector<ResidenceEvent> out;
  const auth::PathRange r = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT e.id, e.person_id, e.type, e.event_date, e.org_code, e.address, e.note, "
              "e.recorded_at, e.recorded_by FROM residence_events e JOIN persons p ON p.id = "
              "e.person_id WHERE e.person_id = :p AND p.residence_path >= :lo AND "
              "p.residence_path < :hi ORDER BY e.event_date, e.recorded_at",
       soci::use(person_id), soci::use(r.lo), soci::use(r.hi));
  for (const auto& r : rows) {
    ResidenceEvent e;
    e.id = r.get<std::string>(0);
    e.person_id = r.get<std::string>(1);
    e.type = ParseResidenceEventType(r.get<std::string>(2)).value_or(ResidenceEventType::kArrived);
    e.date = ParseDate(r.get<std::string>(3)).value_or(Date{});
    e.org_code = TextOrEmpty(r, 4);
    e.address = TextOrEmpty(r, 5);
    e.note = TextOrEmpty(r, 6);
    e.recorded_at = r.get<std::string>(7);
    e.recorded_by = r.get<std::string>(8);
    out.push_back(std::move(e));
  }
  return out;
}

void PersonStore::InsertDocument(soci::session& s, const Document& d) {
  std::string type(ToCode(d.type)), status(ToCode(d.status)), issued = DateText(d.issued_on),
                                                              until = DateText(d.valid_until);
  soci::indicator i_num = NullIfEmpty(d.number), i_by = NullIfEmpty(d.issued_by),
                  i_on = NullIfEmpty(issued), i_until = NullIfEmpty(until),
                  i_rat = NullIfEmpty(d.reviewed_at), i_rby = NullIfEmpty(d.reviewed_by),
                  i_rr = NullIfEmpty(d.review_reason);
  s << "INSERT INTO documents(id, person_id, type, number, issued_by, issued_on, valid_until, "
       "status, submitted_at, submitted_by, reviewed_at, reviewed_by, review_reason) VALUES (:id, "
       ":p, :t, :n, :ib, :io, :vu, :st, :sa, :sb, :ra, :rb, :rr)",
      soci::use(d.id), soci::use(d.person_id), soci::use(type), soci::use(d.number, i_num),
      soci::use(d.issued_by, i_by), soci::use(issued, i_on), soci::use(until, i_until),
      soci::use(status), soci::use(d.submitted_at), soci::use(d.submitted_by),
      soci::use(d.reviewed_at, i_rat), soci::use(d.reviewed_by, i_rby),
      soci::use(d.review_reason, i_rr);
}

void PersonStore::UpdateReview(soci::session& s, const auth::Scope& scope, const Document& d) {
  std::string status(ToCode(d.status));
  soci::indicator i_rr = NullIfEmpty(d.review_reason);
  const auth::PathRange r = scope.Range();
  s << "UPDATE documents SET status = :st, reviewed_at = :ra, reviewed_by = :rb, review_reason = "
       ":rr WHERE id = :id AND status = 'pending' AND " +
           auth::PersonInRange("person_id", ":lo", ":hi"),
      soci::use(status), soci::use(d.reviewed_at), soci::use(d.reviewed_by),
      soci::use(d.review_reason, i_rr), soci::use(d.id), soci::use(r.lo), soci::use(r.hi);
}

auth::ScopedRow<Document> PersonStore::GetDocument(soci::session& s, const auth::Scope& scope,
                                                   const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kDocumentColumns +
                        ", p.residence_path FROM documents d JOIN persons p ON p.id = d.person_id "
                        "WHERE d.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(13))) return auth::ScopedRow<Document>::Outside();
    return auth::ScopedRow<Document>::Found(ReadDocument(r));
  }
  return {};
}

std::vector<Document> PersonStore::ListDocuments(soci::session& s, const auth::Scope& scope,
                                                 const std::string& person_id) {
  std::vector<Document> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kDocumentColumns +
                        " FROM documents d JOIN persons p ON p.id = d.person_id WHERE d.person_id "
                        "= :p AND p.residence_path >= :lo AND p.residence_path < :hi ORDER BY "
                        "d.submitted_at",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadDocument(r));
  return out;
}

std::int64_t PersonStore::CountPending(soci::session& s, const auth::Scope& scope) {
  if (scope.empty()) return 0;
  const auth::PathRange r = scope.Range();
  long long n = 0;
  s << "SELECT COUNT(*) FROM documents d JOIN persons p ON p.id = d.person_id WHERE d.status = "
       "'pending' AND p.residence_path >= :lo AND p.residence_path < :hi",
      soci::into(n), soci::use(r.lo), soci::use(r.hi);
  return n;
}

std::vector<std::pair<Document, Person>> PersonStore::ListPending(soci::session& s,
                                                                  const auth::Scope& scope,
                                                                  int limit, int offset) {
  std::vector<std::pair<Document, Person>> out;
  const auth::PathRange r = scope.Range();
  int lim = std::clamp(limit, 1, 200);
  int off = std::max(offset, 0);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kDocumentColumns + ", " + kPersonColumns +
                        " FROM documents d JOIN persons p ON p.id = d.person_id WHERE d.status = "
                        "'pending' AND p.residence_path >= :lo AND p.residence_path < :hi "
                        "ORDER BY d.submitted_at LIMIT :lim OFFSET :off",
       soci::use(r.lo), soci::use(r.hi), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.emplace_back(ReadDocument(row), ReadPerson(row, 13));
  return out;
}

void PersonStore::InsertBatch(soci::session& s, const std::string& id, const std::string& kind,
                              const std::string& file_name, const std::string& user_id,
                              const std::string& started_at) {
  s << "INSERT INTO import_batches(id, kind, file_name, user_id, started_at) VALUES (:i, :k, :f, "
       ":u, :s)",
      soci::use(id), soci::use(kind), soci::use(file_name), soci::use(user_id),
      soci::use(started_at);
}

void PersonStore::FinishBatch(soci::session& s, const std::string& id,
                              const std::string& finished_at, std::int64_t total, std::int64_t ok,
                              std::int64_t failed) {
  long long t = total, o = ok, f = failed;
  s << "UPDATE import_batches SET finished_at = :fa, rows_total = :t, rows_ok = :o, rows_failed = "
       ":f WHERE id = :id",
      soci::use(finished_at), soci::use(t), soci::use(o), soci::use(f), soci::use(id);
}

}  // namespace jd::registry
