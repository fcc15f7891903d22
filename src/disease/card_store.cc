#include "disease/card_store.h"

#include <algorithm>
#include <deque>

namespace jd::disease {

namespace {

using storage::RowInt64;

constexpr const char* kColumns =
    "id, person_id, patient_name, parent_name, id_number, sex, birth_date, age_years, employer, "
    "phone, patient_belongs, current_address, residence_path, district_code, occupation, "
    "work_site_kind, work_site_name, work_site_key, disease_code, disease_subtype, case_class, "
    "chronicity, onset_date, diagnosed_at, death_date, reported_at, reporting_unit, "
    "reporting_doctor, notes, late, status, status_reason, merged_into, version, created_at, "
    "created_by, updated_at, updated_by";

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

// The unit code of a materialised path: its last segment.
std::string LastSegment(const std::string& path) {
  std::string p = path;
  if (!p.empty() && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

Card ReadCard(const soci::row& r) {
  Card c;
  CardFields& f = c.fields;
  c.id = r.get<std::string>(0);
  c.person_id = Text(r, 1);
  f.patient_name = r.get<std::string>(2);
  f.parent_name = r.get<std::string>(3);
  f.id_number = r.get<std::string>(4);
  f.sex = ParseCardSex(r.get<std::string>(5)).value_or(CardSex::kUnknown);
  if (r.get_indicator(6) != soci::i_null) f.birth_date = ParseDate(r.get<std::string>(6));
  if (r.get_indicator(7) != soci::i_null) f.age_years = static_cast<int>(RowInt64(r, 7));
  f.employer = r.get<std::string>(8);
  f.phone = r.get<std::string>(9);
  f.patient_belongs =
      ParsePatientBelongs(r.get<std::string>(10)).value_or(PatientBelongs::kThisCounty);
  f.current_address = r.get<std::string>(11);
  c.residence_path = r.get<std::string>(12);
  f.address_unit = LastSegment(c.residence_path);
  c.district_code = r.get<std::string>(13);
  f.occupation = r.get<std::string>(14);
  f.work_site_kind = ParseWorkSiteKind(r.get<std::string>(15)).value_or(WorkSiteKind::kNone);
  f.work_site_name = r.get<std::string>(16);
  c.work_site_key = r.get<std::string>(17);
  f.disease_code = r.get<std::string>(18);
  f.disease_subtype = r.get<std::string>(19);
  f.case_class = ParseCaseClass(r.get<std::string>(20)).value_or(CaseClass::kConfirmed);
  f.chronicity = ParseChronicity(r.get<std::string>(21)).value_or(Chronicity::kNone);
  f.onset_date = ParseDate(r.get<std::string>(22)).value_or(Date{});
  f.diagnosed_at = ParseTimestamp(r.get<std::string>(23)).value_or(Instant{});
  if (r.get_indicator(24) != soci::i_null) f.death_date = ParseDate(r.get<std::string>(24));
  f.reported_at = ParseTimestamp(r.get<std::string>(25)).value_or(Instant{});
  f.reporting_unit = r.get<std::string>(26);
  f.reporting_doctor = r.get<std::string>(27);
  f.notes = r.get<std::string>(28);
  c.late = RowInt64(r, 29) != 0;
  c.status = ParseCardStatus(r.get<std::string>(30)).value_or(CardStatus::kActive);
  c.status_reason = r.get<std::string>(31);
  c.merged_into = Text(r, 32);
  c.version = static_cast<int>(RowInt64(r, 33));
  c.created_at = r.get<std::string>(34);
  c.created_by = r.get<std::string>(35);
  c.updated_at = r.get<std::string>(36);
  c.updated_by = r.get<std::string>(37);
  return c;
}

// A card's columns as bound values (they must outlive the statement).
struct Bound {
  std::string id, person_id, patient_name, parent_name, id_number, sex, birth_date, employer, phone,
      belongs, address, path, district, occupation, site_kind, site_name, site_key, disease,
      subtype, case_class, chronicity, onset, diagnosed, death, reported, unit, doctor, notes,
      status, reason, merged_into, created_at, created_by, updated_at, updated_by;
  int age = 0, late = 0, version = 1;
  soci::indicator i_person, i_birth, i_age, i_death, i_merged;

  explicit Bound(const Card& c) {
    const CardFields& f = c.fields;
    id = c.id;
    person_id = c.person_id;
    patient_name = f.patient_name;
    parent_name = f.parent_name;
    id_number = f.id_number;
    sex = CardSexCode(f.sex);
    birth_date = f.birth_date ? FormatDate(*f.birth_date) : "";
    age = f.age_years.value_or(0);
    employer = f.employer;
    phone = f.phone;
    belongs = PatientBelongsCode(f.patient_belongs);
    address = f.current_address;
    path = c.residence_path;
    district = c.district_code;
    occupation = f.occupation;
    site_kind = WorkSiteKindCode(f.work_site_kind);
    site_name = f.work_site_name;
    site_key = c.work_site_key;
    disease = f.disease_code;
    subtype = f.disease_subtype;
    case_class = CaseClassCode(f.case_class);
    chronicity = ChronicityCode(f.chronicity);
    onset = FormatDate(f.onset_date);
    diagnosed = FormatTimestamp(f.diagnosed_at);
    death = f.death_date ? FormatDate(*f.death_date) : "";
    reported = FormatTimestamp(f.reported_at);
    unit = f.reporting_unit;
    doctor = f.reporting_doctor;
    notes = f.notes;
    late = c.late ? 1 : 0;
    status = CardStatusCode(c.status);
    reason = c.status_reason;
    merged_into = c.merged_into;
    version = c.version;
    created_at = c.created_at;
    created_by = c.created_by;
    updated_at = c.updated_at;
    updated_by = c.updated_by;
    i_person = storage::NullIfEmpty(person_id);
    i_birth = storage::NullIfEmpty(birth_date);
    i_age = f.age_years ? soci::i_ok : soci::i_null;
    i_death = storage::NullIfEmpty(death);
    i_merged = storage::NullIfEmpty(merged_into);
  }

  // Every column but id, by the column's name.
  template <class Prep>
  void BindColumns(Prep& p) {
    p, soci::use(person_id, i_person, "person_id"), soci::use(patient_name, "patient_name"),
        soci::use(parent_name, "parent_name"), soci::use(id_number, "id_number"),
        soci::use(sex, "sex"), soci::use(birth_date, i_birth, "birth_date"),
        soci::use(age, i_age, "age_years"), soci::use(employer, "employer"),
        soci::use(phone, "phone"), soci::use(belongs, "patient_belongs"),
        soci::use(address, "current_address"), soci::use(path, "residence_path"),
        soci::use(district, "district_code"), soci::use(occupation, "occupation"),
        soci::use(site_kind, "work_site_kind"), soci::use(site_name, "work_site_name"),
        soci::use(site_key, "work_site_key"), soci::use(disease, "disease_code"),
        soci::use(subtype, "disease_subtype"), soci::use(case_class, "case_class"),
        soci::use(chronicity, "chronicity"), soci::use(onset, "onset_date"),
        soci::use(diagnosed, "diagnosed_at"), soci::use(death, i_death, "death_date"),
        soci::use(reported, "reported_at"), soci::use(unit, "reporting_unit"),
        soci::use(doctor, "reporting_doctor"), soci::use(notes, "notes"), soci::use(late, "late"),
        soci::use(status, "status"), soci::use(reason, "status_reason"),
        soci::use(merged_into, i_merged, "merged_into"), soci::use(version, "version"),
        soci::use(created_at, "created_at"), soci::use(created_by, "created_by"),
        soci::use(updated_at, "updated_at"), soci::use(updated_by, "updated_by");
  }
};

// ":a, :b, …" and "a = :a, b = :b, …" of the column list.
std::vector<std::string> ColumnNames() {
  std::vector<std::string> out;
  std::string all = kColumns;
  for (std::size_t pos = 0; pos < all.size();) {
    std::size_t end = all.find(',', pos);
    if (end == std::string::npos) end = all.size();
    std::string name = all.substr(pos, end - pos);
    name.erase(0, name.find_first_not_of(' '));
    out.push_back(name);
    pos = end + 1;
  }
  return out;
}

int Changes(soci::session& s) {
  int changed = 0;
  s << "SELECT changes()", soci::into(changed);
  return changed;
}

}  // namespace

void CardStore::Insert(soci::session& s, const Card& c) {
  static const std::string kSql = [] {
    std::string values;
    for (const auto& n : ColumnNames()) values += (values.empty() ? ":" : ", :") + n;
    return std::string("INSERT INTO disease_cards(") + kColumns + ") VALUES (" + values + ")";
  }();
  Bound b(c);
  auto prep = (s.prepare << kSql);
  prep, soci::use(b.id, "id");
  b.BindColumns(prep);
  soci::statement st(prep);
  st.execute(true);
}

auth::ScopedRow<Card> CardStore::Get(soci::session& s, const auth::Scope& scope,
                                     const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns + " FROM disease_cards WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    Card c = ReadCard(r);
    if (!scope.Covers(c.residence_path)) return auth::ScopedRow<Card>::Outside();
    return auth::ScopedRow<Card>::Found(std::move(c));
  }
  return {};
}

bool CardStore::Update(soci::session& s, const Card& c, int expected_version) {
  static const std::string kSql = [] {
    std::string sets;
    for (const auto& n : ColumnNames()) {
      if (n == "id") continue;
      sets += (sets.empty() ? "" : ", ") + n + " = :" + n;
    }
    return "UPDATE disease_cards SET " + sets + " WHERE id = :id AND version = :expected";
  }();
  Bound b(c);
  int expected = expected_version;
  auto prep = (s.prepare << kSql);
  b.BindColumns(prep);
  prep, soci::use(b.id, "id"), soci::use(expected, "expected");
  soci::statement st(prep);
  st.execute(true);
  return Changes(s) == 1;
}

void CardStore::InsertRevision(soci::session& s, const CardRevision& r) {
  s << "INSERT INTO disease_card_revisions(card_id, version, kind, reason, before, changed_at, "
       "changed_by) VALUES (:c, :v, :k, :r, :b, :at, :by)",
      soci::use(r.card_id), soci::use(r.version), soci::use(r.kind), soci::use(r.reason),
      soci::use(r.before), soci::use(r.changed_at), soci::use(r.changed_by);
}

std::vector<CardRevision> CardStore::Revisions(soci::session& s, const std::string& card_id) {
  std::vector<CardRevision> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT card_id, version, kind, reason, before, changed_at, changed_by FROM "
                    "disease_card_revisions WHERE card_id = :c ORDER BY version",
       soci::use(card_id));
  for (const auto& r : rows) {
    CardRevision x;
    x.card_id = r.get<std::string>(0);
    x.version = static_cast<int>(RowInt64(r, 1));
    x.kind = r.get<std::string>(2);
    x.reason = r.get<std::string>(3);
    x.before = r.get<std::string>(4);
    x.changed_at = r.get<std::string>(5);
    x.changed_by = r.get<std::string>(6);
    out.push_back(std::move(x));
  }
  return out;
}

CardPage CardStore::List(soci::session& s, const auth::Scope& scope, const CardQuery& q) {
  CardPage page;
  if (scope.empty()) return page;
  const auth::PathRange range = scope.Range();
  // Values bound by name; a deque keeps their addresses while the statement runs.
  std::deque<std::pair<std::string, std::string>> params = {{"slo", range.lo}, {"shi", range.hi}};
  std::string where = "residence_path >= :slo AND residence_path < :shi";
  auto add = [&](const std::string& clause, const std::string& name, std::string value) {
    where += " AND " + clause;
    params.emplace_back(name, std::move(value));
  };
  if (!q.disease_code.empty()) add("disease_code = :disease", "disease", q.disease_code);
  if (!q.district_code.empty()) add("district_code = :district", "district", q.district_code);
  if (q.status) add("status = :status", "status", std::string(CardStatusCode(*q.status)));
  if (q.late) add("late = :late", "late", *q.late ? "1" : "0");
  if (q.from) add("diagnosed_at >= :from", "from", FormatTimestamp(*q.from));
  if (q.to) add("diagnosed_at < :to", "to", FormatTimestamp(*q.to));
  if (!q.include_hiv_tb) where += " AND disease_code NOT IN ('hiv_aids', 'tuberculosis')";
  auto bind = [&](auto& prep) {
    for (auto& [name, value] : params) prep, soci::use(value, name);
  };
  int limit = std::clamp(q.limit, 1, 200), offset = std::max(q.offset, 0);
  {
    auto prep =
        (s.prepare << std::string("SELECT ") + kColumns + " FROM disease_cards WHERE " + where +
                          " ORDER BY reported_at DESC, id DESC LIMIT :lim OFFSET :off");
    bind(prep);
    prep, soci::use(limit, "lim"), soci::use(offset, "off");
    soci::rowset<soci::row> rows(prep);
    for (const auto& r : rows) page.items.push_back(ReadCard(r));
  }
  auto prep = (s.prepare << "SELECT COUNT(*) FROM disease_cards WHERE " + where);
  bind(prep);
  prep, soci::into(page.total);
  soci::statement st(prep);
  st.execute(true);
  return page;
}

std::vector<Card> CardStore::Candidates(soci::session& s, const auth::Scope& scope,
                                        const Card& card, int window_days) {
  std::vector<Card> out;
  if (scope.empty()) return out;
  const auth::PathRange range = scope.Range();
  const auto window = std::chrono::days(window_days + 1);
  std::string from = FormatTimestamp(card.fields.diagnosed_at - window),
              to = FormatTimestamp(card.fields.diagnosed_at + window);
  // An empty key matches nothing: NULL never equals anything in SQL.
  std::string person = card.person_id, id_number = card.fields.id_number,
              name = card.fields.patient_name,
              birth = card.fields.birth_date ? FormatDate(*card.fields.birth_date) : "";
  soci::indicator i_person = storage::NullIfEmpty(person),
                  i_number = storage::NullIfEmpty(id_number), i_birth = storage::NullIfEmpty(birth);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM disease_cards WHERE disease_code = :d AND status = 'active' AND "
                        "id <> :id AND residence_path >= :slo AND residence_path < :shi AND "
                        "diagnosed_at >= :from AND diagnosed_at <= :to AND (person_id = :p OR "
                        "id_number = :n OR (patient_name = :name AND birth_date = :b)) ORDER BY "
                        "diagnosed_at, id",
       soci::use(card.fields.disease_code, "d"), soci::use(card.id, "id"),
       soci::use(range.lo, "slo"), soci::use(range.hi, "shi"), soci::use(from, "from"),
       soci::use(to, "to"), soci::use(person, i_person, "p"), soci::use(id_number, i_number, "n"),
       soci::use(name, "name"), soci::use(birth, i_birth, "b"));
  for (const auto& r : rows) out.push_back(ReadCard(r));
  return out;
}

}  // namespace jd::disease
