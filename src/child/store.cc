#include "child/store.h"

#include <algorithm>

namespace jd::child {

namespace {

using storage::RowInt64;

constexpr const char* kColumns =
    "id, person_id, contact_kind, checkup_date, clinic_code, weight_kg, length_height_cm, "
    "measure, head_cm, haemoglobin_g_l, hearing, development, vision, feeding_guidance, "
    "tcm_guidance, advice, discharged_on, recorded_at, recorded_by";

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}
std::optional<Date> OptDate(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}
std::optional<double> OptDouble(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  return static_cast<double>(RowInt64(r, i));
}

Checkup ReadCheckup(const soci::row& r) {
  Checkup c;
  c.id = r.get<std::string>(0);
  c.person_id = r.get<std::string>(1);
  c.kind = ContactFromCode(Text(r, 2));
  c.date = ParseDate(r.get<std::string>(3)).value_or(Date{});
  c.clinic_code = r.get<std::string>(4);
  c.weight_kg = OptDouble(r, 5);
  c.length_height_cm = OptDouble(r, 6);
  c.measure = ParseMeasure(Text(r, 7));
  c.head_cm = OptDouble(r, 8);
  c.haemoglobin_g_l = OptDouble(r, 9);
  c.hearing = ParseHearing(Text(r, 10));
  c.development = ParseDevelopment(Text(r, 11));
  c.vision = Text(r, 12);
  c.feeding_guidance = RowInt64(r, 13) != 0;
  c.tcm_guidance = RowInt64(r, 14) != 0;
  c.advice = Text(r, 15);
  c.discharged_on = OptDate(r, 16);
  c.recorded_at = r.get<std::string>(17);
  c.recorded_by = r.get<std::string>(18);
  return c;
}

}  // namespace

void CheckupStore::Insert(soci::session& s, const Checkup& c) {
  auto ind = [](bool present) { return present ? soci::i_ok : soci::i_null; };
  std::string kind(c.kind ? ContactCode(*c.kind) : ""),
      date = FormatDate(c.date), measure(c.measure ? MeasureCode(*c.measure) : ""),
      hearing(c.hearing ? HearingCode(*c.hearing) : ""),
      development(c.development ? DevelopmentCode(*c.development) : ""),
      discharged = c.discharged_on ? FormatDate(*c.discharged_on) : "";
  double weight = c.weight_kg.value_or(0), length = c.length_height_cm.value_or(0),
         head = c.head_cm.value_or(0), hb = c.haemoglobin_g_l.value_or(0);
  int feeding = c.feeding_guidance ? 1 : 0, tcm = c.tcm_guidance ? 1 : 0;
  soci::indicator i_kind = storage::NullIfEmpty(kind), i_measure = storage::NullIfEmpty(measure),
                  i_hearing = storage::NullIfEmpty(hearing),
                  i_development = storage::NullIfEmpty(development),
                  i_vision = storage::NullIfEmpty(c.vision),
                  i_discharged = storage::NullIfEmpty(discharged),
                  i_weight = ind(c.weight_kg.has_value()),
                  i_length = ind(c.length_height_cm.has_value()),
                  i_head = ind(c.head_cm.has_value()), i_hb = ind(c.haemoglobin_g_l.has_value());
  s << "INSERT INTO child_checkups(id, person_id, contact_kind, checkup_date, clinic_code, "
       "weight_kg, length_height_cm, measure, head_cm, haemoglobin_g_l, hearing, development, "
       "vision, feeding_guidance, tcm_guidance, advice, discharged_on, recorded_at, recorded_by) "
       "VALUES (:id, :p, :kind, :date, :clinic, :w, :l, :measure, :head, :hb, :hearing, :dev, "
       ":vision, :feeding, :tcm, :advice, :discharged, :at, :by)",
      soci::use(c.id), soci::use(c.person_id), soci::use(kind, i_kind), soci::use(date),
      soci::use(c.clinic_code), soci::use(weight, i_weight), soci::use(length, i_length),
      soci::use(measure, i_measure), soci::use(head, i_head), soci::use(hb, i_hb),
      soci::use(hearing, i_hearing), soci::use(development, i_development),
      soci::use(c.vision, i_vision), soci::use(feeding), soci::use(tcm), soci::use(c.advice),
      soci::use(discharged, i_discharged), soci::use(c.recorded_at), soci::use(c.recorded_by);
}

std::vector<Checkup> CheckupStore::ForPerson(soci::session& s, const std::string& person_id) {
  std::vector<Checkup> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM child_checkups WHERE person_id = :p ORDER BY checkup_date, "
                        "recorded_at, id",
       soci::use(person_id));
  for (const auto& r : rows) out.push_back(ReadCheckup(r));
  return out;
}

std::optional<BirthLink> CheckupStore::Birth(soci::session& s, const std::string& person_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT n.pregnancy_id, g.person_id, g.discharged_on, n.birth_weight_g, "
                    "n.birth_length_cm FROM pregnancy_newborns n JOIN pregnancies g ON g.id = "
                    "n.pregnancy_id WHERE n.person_id = :p",
       soci::use(person_id));
  for (const auto& r : rows) {
    BirthLink b;
    b.pregnancy_id = r.get<std::string>(0);
    b.mother_id = r.get<std::string>(1);
    b.discharged_on = OptDate(r, 2);
    if (r.get_indicator(3) != soci::i_null) b.birth_weight_g = static_cast<int>(RowInt64(r, 3));
    b.birth_length_cm = OptDouble(r, 4);
    return b;
  }
  return std::nullopt;
}

std::vector<ChildRow> CheckupStore::Children(soci::session& s, const auth::Scope& scope,
                                             Date born_from, int limit) {
  const auth::PathRange range = scope.Range();
  const std::string from = FormatDate(born_from);
  limit = std::clamp(limit, 1, 1000000);
  std::vector<ChildRow> out;
  // One walk of the area's persons (the residence index carries the birth date, so only the
  // children's rows are read), each child's check-ups found by their index, in the child's order.
  // A second query joining persons again for the check-ups read every child's row twice.
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT p.id, p.name, p.sex, p.birth_date, p.residence_org, "
                    "p.residence_path, g.discharged_on, c.contact_kind, c.checkup_date, "
                    "c.discharged_on FROM persons p LEFT JOIN pregnancy_newborns n ON "
                    "n.person_id = p.id LEFT JOIN pregnancies g ON g.id = n.pregnancy_id LEFT "
                    "JOIN child_checkups c ON c.person_id = p.id WHERE p.residence_path >= :lo "
                    "AND p.residence_path < :hi AND p.birth_date >= :from AND p.status = "
                    "'active' ORDER BY p.birth_date, p.id, c.checkup_date, c.recorded_at, c.id",
       soci::use(range.lo), soci::use(range.hi), soci::use(from));
  std::string last;
  bool in_scope = false;
  for (const auto& r : rows) {
    std::string id = r.get<std::string>(0);
    if (id != last) {
      last = id;
      // The range filter is the scope; Covers also checks whole path segments.
      in_scope = scope.Covers(r.get<std::string>(5));
      if (!in_scope) continue;
      if (out.size() == static_cast<std::size_t>(limit)) break;
      ChildRow c;
      c.person_id = std::move(id);
      c.name = r.get<std::string>(1);
      c.sex = r.get<std::string>(2) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
      c.birth = ParseDate(r.get<std::string>(3)).value_or(Date{});
      c.residence_org = r.get<std::string>(4);
      c.discharge = OptDate(r, 6);
      out.push_back(std::move(c));
    }
    if (!in_scope || r.get_indicator(8) == soci::i_null) continue;
    auto date = ParseDate(r.get<std::string>(8));
    if (!date) continue;
    ChildRow& c = out.back();
    c.contacts.push_back({*date, ContactFromCode(Text(r, 7))});
    if (!c.discharge) c.discharge = OptDate(r, 9);
  }
  return out;
}

void ScreeningStore::Insert(soci::session& s, const NewbornScreening& r) {
  std::string kind(ScreeningKindCode(r.record.kind)),
      date = FormatDate(r.record.date), result(ScreenResultCode(r.record.result)),
      diagnosis(r.record.diagnosis ? ScreenDiagnosisCode(*r.record.diagnosis) : "");
  soci::indicator i_diagnosis = storage::NullIfEmpty(diagnosis),
                  i_facility = storage::NullIfEmpty(r.facility_code);
  s << "INSERT INTO newborn_screenings(id, person_id, kind, test_date, result, diagnosis, "
       "facility_code, facility_name, recorded_at, recorded_by) VALUES (:id, :p, :kind, :date, "
       ":result, :diagnosis, :facility, :name, :at, :by)",
      soci::use(r.id), soci::use(r.person_id), soci::use(kind), soci::use(date), soci::use(result),
      soci::use(diagnosis, i_diagnosis), soci::use(r.facility_code, i_facility),
      soci::use(r.facility_name), soci::use(r.recorded_at), soci::use(r.recorded_by);
}

std::vector<NewbornScreening> ScreeningStore::ForPerson(soci::session& s,
                                                        const std::string& person_id) {
  std::vector<NewbornScreening> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, person_id, kind, test_date, result, diagnosis, facility_code, "
                    "facility_name, recorded_at, recorded_by FROM newborn_screenings WHERE "
                    "person_id = :p ORDER BY test_date, recorded_at, id",
       soci::use(person_id));
  for (const auto& row : rows) {
    auto kind = ScreeningKindFromCode(row.get<std::string>(2));
    auto date = ParseDate(row.get<std::string>(3));
    auto result = ScreenResultFromCode(row.get<std::string>(4));
    if (!kind || !date || !result) continue;  // the table's CHECKs keep these out
    NewbornScreening r;
    r.id = row.get<std::string>(0);
    r.person_id = row.get<std::string>(1);
    r.record = {*kind, *date, *result, ScreenDiagnosisFromCode(Text(row, 5))};
    r.facility_code = Text(row, 6);
    r.facility_name = Text(row, 7);
    r.recorded_at = row.get<std::string>(8);
    r.recorded_by = row.get<std::string>(9);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace jd::child
