// The SQL of severe-mental-disorder management (mental/store.h).
#include "mental/store.h"

#include <sstream>
#include <unordered_map>

namespace jd::mental {

namespace {

constexpr const char* kPatientColumns =
    "m.id, m.person_id, m.diagnosis, m.diagnosed_on, m.consent, m.consent_on, m.managing_unit, "
    "m.registered_on, m.status, m.class, m.next_due, m.version, m.created_at, m.created_by, "
    "m.updated_at, m.updated_by, p.name, p.id_number, p.residence_address, p.residence_org, "
    "p.residence_path, (SELECT electronic FROM health_records h WHERE h.person_id = m.person_id)";
constexpr std::size_t kPathColumn = 20;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}
std::optional<Date> OptDate(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}
Date DateOf(const soci::row& r, std::size_t i) { return OptDate(r, i).value_or(Date{}); }
long long Int(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : storage::RowInt64(r, i);
}

PatientRow ReadPatient(const soci::row& r) {
  PatientRow row;
  Patient& x = row.patient;
  x.id = r.get<std::string>(0);
  x.person_id = r.get<std::string>(1);
  x.diagnosis = ParseDiagnosis(r.get<std::string>(2)).value_or(Diagnosis::kSchizophrenia);
  x.diagnosed_on = DateOf(r, 3);
  x.consent = ParseConsent(r.get<std::string>(4)).value_or(Consent::kNotYet);
  x.consent_on = OptDate(r, 5);
  x.managing_unit = r.get<std::string>(6);
  x.registered_on = DateOf(r, 7);
  x.status = ParsePatientStatus(r.get<std::string>(8)).value_or(PatientStatus::kActive);
  x.cls = ParsePatientClass(Text(r, 9));
  x.next_due = DateOf(r, 10);
  x.version = static_cast<int>(storage::RowInt64(r, 11));
  x.created_at = r.get<std::string>(12);
  x.created_by = r.get<std::string>(13);
  x.updated_at = r.get<std::string>(14);
  x.updated_by = r.get<std::string>(15);
  row.name = Text(r, 16);
  row.id_number = Text(r, 17);
  row.address = Text(r, 18);
  row.residence_org = Text(r, 19);
  row.has_electronic_record = Int(r, 21) == 1;
  return row;
}

std::string Join(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}
std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

constexpr const char* kFollowUpColumns =
    "id, patient_id, visited_on, danger_level, symptoms, insight, sleep, social_function, "
    "adherence, side_effects, physical_illness, hospitalisation, last_discharge_on, lab_done, "
    "lab_note, rehabilitation, improving, note, class, next_due, recorded_at, recorded_by";

FollowUp ReadFollowUp(const soci::row& r) {
  FollowUp f;
  FollowUpFacts& x = f.facts;
  f.id = r.get<std::string>(0);
  f.patient_id = r.get<std::string>(1);
  x.visited_on = DateOf(r, 2);
  x.danger_level = static_cast<int>(storage::RowInt64(r, 3));
  x.symptoms = ParseSymptoms(r.get<std::string>(4)).value_or(Symptoms::kNone);
  x.insight = ParseInsight(r.get<std::string>(5)).value_or(Insight::kComplete);
  x.sleep = ParseGrade3(r.get<std::string>(6)).value_or(Grade3::kGood);
  x.social_function = ParseGrade3(r.get<std::string>(7)).value_or(Grade3::kGood);
  x.adherence = ParseAdherence(r.get<std::string>(8)).value_or(Adherence::kRegular);
  x.side_effects = ParseSeverity(r.get<std::string>(9)).value_or(Severity::kNone);
  x.physical_illness = ParseSeverity(r.get<std::string>(10)).value_or(Severity::kNone);
  x.hospitalisation =
      ParseHospitalisation(r.get<std::string>(11)).value_or(Hospitalisation::kNever);
  x.last_discharge_on = OptDate(r, 12);
  x.lab_done = storage::RowInt64(r, 13) == 1;
  x.lab_note = Text(r, 14);
  x.rehabilitation = Split(Text(r, 15));
  x.improving = storage::RowInt64(r, 16) == 1;
  x.note = Text(r, 17);
  f.cls = ParsePatientClass(r.get<std::string>(18)).value_or(PatientClass::kStable);
  f.next_due = DateOf(r, 19);
  f.recorded_at = r.get<std::string>(20);
  f.recorded_by = r.get<std::string>(21);
  return f;
}

constexpr const char* kAlertColumns =
    "a.id, a.patient_id, a.follow_up_id, a.area_path, a.danger_level, a.raised_at, "
    "a.acknowledged_at, a.acknowledged_by, p.name, p.residence_address, p.residence_org, p.id";

AlertRow ReadAlert(const soci::row& r) {
  AlertRow row;
  Alert& a = row.alert;
  a.id = r.get<std::string>(0);
  a.patient_id = r.get<std::string>(1);
  a.follow_up_id = r.get<std::string>(2);
  a.area_path = r.get<std::string>(3);
  a.danger_level = static_cast<int>(storage::RowInt64(r, 4));
  a.raised_at = r.get<std::string>(5);
  a.acknowledged_at = Text(r, 6);
  a.acknowledged_by = Text(r, 7);
  row.name = Text(r, 8);
  row.address = Text(r, 9);
  row.residence_org = Text(r, 10);
  row.person_id = r.get<std::string>(11);
  return row;
}

std::string OptText(const std::optional<Date>& d, soci::indicator& ind) {
  ind = d ? soci::i_ok : soci::i_null;
  return d ? FormatDate(*d) : std::string();
}

}  // namespace

bool MentalStore::InsertPatient(soci::session& s, const Patient& p) {
  int n = 0;
  s << "SELECT COUNT(*) FROM mental_patients WHERE person_id = :p", soci::use(p.person_id),
      soci::into(n);
  if (n > 0) return false;
  std::string diagnosis(DiagnosisCode(p.diagnosis)), consent(ConsentCode(p.consent)),
      status(PatientStatusCode(p.status)), diagnosed = FormatDate(p.diagnosed_on),
                                           registered = FormatDate(p.registered_on),
                                           due = FormatDate(p.next_due);
  soci::indicator i_consent_on, i_class;
  std::string consent_on = OptText(p.consent_on, i_consent_on);
  std::string cls = p.cls ? std::string(PatientClassCode(*p.cls)) : std::string();
  i_class = p.cls ? soci::i_ok : soci::i_null;
  s << "INSERT INTO mental_patients(id, person_id, diagnosis, diagnosed_on, consent, consent_on, "
       "managing_unit, registered_on, status, class, next_due, version, created_at, created_by, "
       "updated_at, updated_by) VALUES (:id, :person, :diagnosis, :diagnosed, :consent, "
       ":consent_on, :unit, :registered, :status, :class, :due, :version, :ca, :cb, :ua, :ub)",
      soci::use(p.id), soci::use(p.person_id), soci::use(diagnosis), soci::use(diagnosed),
      soci::use(consent), soci::use(consent_on, i_consent_on), soci::use(p.managing_unit),
      soci::use(registered), soci::use(status), soci::use(cls, i_class), soci::use(due),
      soci::use(p.version), soci::use(p.created_at), soci::use(p.created_by),
      soci::use(p.updated_at), soci::use(p.updated_by);
  return true;
}

bool MentalStore::UpdatePatient(soci::session& s, const auth::Scope& scope, const Patient& p,
                                int expected_version) {
  const auth::PathRange range = scope.Range();
  std::string diagnosis(DiagnosisCode(p.diagnosis)), consent(ConsentCode(p.consent)),
      status(PatientStatusCode(p.status)), diagnosed = FormatDate(p.diagnosed_on),
                                           due = FormatDate(p.next_due);
  soci::indicator i_consent_on, i_class;
  std::string consent_on = OptText(p.consent_on, i_consent_on);
  std::string cls = p.cls ? std::string(PatientClassCode(*p.cls)) : std::string();
  i_class = p.cls ? soci::i_ok : soci::i_null;
  soci::statement st =
      (s.prepare << "UPDATE mental_patients SET diagnosis = :diagnosis, diagnosed_on = :diagnosed, "
                    "consent = :consent, consent_on = :consent_on, managing_unit = :unit, "
                    "status = :status, class = :class, next_due = :due, version = :version, "
                    "updated_at = :ua, updated_by = :ub WHERE id = :id AND version = :ev AND " +
                        auth::PersonInRange("person_id", ":lo", ":hi"),
       soci::use(diagnosis), soci::use(diagnosed), soci::use(consent),
       soci::use(consent_on, i_consent_on), soci::use(p.managing_unit), soci::use(status),
       soci::use(cls, i_class), soci::use(due), soci::use(p.version), soci::use(p.updated_at),
       soci::use(p.updated_by), soci::use(p.id), soci::use(expected_version), soci::use(range.lo),
       soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<PatientRow> MentalStore::Get(soci::session& s, const auth::Scope& scope,
                                             const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kPatientColumns +
                        " FROM mental_patients m JOIN persons p ON p.id = m.person_id "
                        "WHERE m.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kPathColumn))) {
      return auth::ScopedRow<PatientRow>::Outside();
    }
    return auth::ScopedRow<PatientRow>::Found(ReadPatient(r));
  }
  return {};
}

std::vector<PatientRow> MentalStore::List(soci::session& s, const auth::Scope& scope,
                                          const PatientQuery& q) {
  const auth::PathRange range = scope.Range();
  const std::string today = FormatDate(q.today);
  const std::string year_start =
      FormatDate(Date{q.today.year(), std::chrono::January, std::chrono::day(1)});
  std::string sql = std::string("SELECT ") + kPatientColumns +
                    ", (SELECT COUNT(*) FROM mental_follow_ups f WHERE f.patient_id = m.id AND "
                    "f.visited_on >= :ys AND f.visited_on <= :today1)"
                    " FROM mental_patients m JOIN persons p ON p.id = m.person_id"
                    " WHERE p.residence_path >= :lo AND p.residence_path < :hi AND "
                    "m.status = 'active'";
  if (q.overdue_only) sql += " AND m.next_due < :today2";
  sql += " ORDER BY m.next_due, m.id LIMIT :limit";
  std::vector<PatientRow> out;
  auto read = [&](soci::rowset<soci::row> rows) {
    for (const auto& r : rows) {
      PatientRow row = ReadPatient(r);
      row.follow_ups_this_year = static_cast<int>(Int(r, 22));
      out.push_back(std::move(row));
    }
  };
  if (q.overdue_only) {
    read((s.prepare << sql, soci::use(year_start), soci::use(today), soci::use(range.lo),
          soci::use(range.hi), soci::use(today), soci::use(q.limit)));
  } else {
    read((s.prepare << sql, soci::use(year_start), soci::use(today), soci::use(range.lo),
          soci::use(range.hi), soci::use(q.limit)));
  }
  return out;
}

PatientCounts MentalStore::Counts(soci::session& s, const auth::Scope& scope, Date today,
                                  const registry::EligibilityPolicy& policy) {
  const auth::PathRange range = scope.Range();
  PatientCounts c;
  const std::string t = FormatDate(today);
  // A person the indicators count on `today`: living here (active, arrived) and a migrant that
  // day (实施办法 §三(一), registry/eligibility.h), as the live statistics view counts persons.
  constexpr const char* kPersonColumns =
      "p.status, p.birth_date, p.hukou_division, p.residence_org, p.left_hukou_on, p.arrived_on, "
      "p.move_reason";
  auto migrant = [&](const soci::row& r, std::size_t at) {
    if (r.get<std::string>(at) != "active") return false;
    const std::string birth = r.get<std::string>(at + 1), hukou = r.get<std::string>(at + 2),
                      org = r.get<std::string>(at + 3), left = Text(r, at + 4),
                      arrived = r.get<std::string>(at + 5), reason = r.get<std::string>(at + 6);
    if (today < ParseDate(arrived).value_or(today)) return false;
    auto w = registry::StoredWindows({birth, hukou, org, left, arrived, reason}, policy);
    return w && w->floating_from && !(today < *w->floating_from);
  };
  // The follow-ups of the patients in scope, by visit date, then as recorded.
  std::unordered_map<std::string, std::vector<FollowUpMark>> marks;
  soci::rowset<soci::row> follow_ups =
      (s.prepare << "SELECT f.patient_id, f.visited_on, f.class, f.adherence FROM "
                    "mental_follow_ups f JOIN mental_patients m ON m.id = f.patient_id JOIN "
                    "persons p ON p.id = m.person_id WHERE p.residence_path >= :lo AND "
                    "p.residence_path < :hi ORDER BY f.patient_id, f.visited_on, f.recorded_at, "
                    "f.id",
       soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : follow_ups) {
    marks[r.get<std::string>(0)].push_back(
        {.visited_on = DateOf(r, 1),
         .cls = ParsePatientClass(r.get<std::string>(2)).value_or(PatientClass::kStable),
         .adherence = ParseAdherence(r.get<std::string>(3)).value_or(Adherence::kRegular)});
  }
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT m.id, m.registered_on, m.status, date(m.updated_at, "
                                "'+8 hours'), m.next_due, (SELECT h.established_on FROM "
                                "health_records h WHERE h.person_id = m.person_id AND "
                                "h.electronic = 1), ") +
                        kPersonColumns +
                        " FROM mental_patients m JOIN persons p ON p.id = m.person_id WHERE "
                        "p.residence_path >= :lo AND p.residence_path < :hi",
       soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    const PatientStatus status =
        ParsePatientStatus(r.get<std::string>(2)).value_or(PatientStatus::kActive);
    // The worklist's overdue (List with overdue_only): every active registration.
    if (status == PatientStatus::kActive && Overdue(DateOf(r, 4), today)) ++c.overdue;
    if (!migrant(r, 6)) continue;
    auto it = marks.find(r.get<std::string>(0));
    PatientTimeline p{
        .registered_on = DateOf(r, 1),
        .left_on = LeftManagementOn(status, DateOf(r, 3)),
        .follow_ups = it == marks.end() ? std::vector<FollowUpMark>{} : std::move(it->second)};
    c.Add(StandingOn(p, OptDate(r, 5), today));
  }
  soci::rowset<soci::row> persons =
      (s.prepare << std::string("SELECT ") + kPersonColumns +
                        " FROM persons p WHERE p.residence_path >= :lo AND p.residence_path < "
                        ":hi AND p.status = 'active' AND p.arrived_on <= :t",
       soci::use(range.lo), soci::use(range.hi), soci::use(t));
  for (const auto& r : persons) c.residents += migrant(r, 0);
  return c;
}

void MentalStore::InsertFollowUp(soci::session& s, const FollowUp& f) {
  const FollowUpFacts& x = f.facts;
  std::string visited = FormatDate(x.visited_on), symptoms(SymptomsCode(x.symptoms)),
              insight(InsightCode(x.insight)), sleep(Grade3Code(x.sleep)),
              social(Grade3Code(x.social_function)), adherence(AdherenceCode(x.adherence)),
              side(SeverityCode(x.side_effects)), physical(SeverityCode(x.physical_illness)),
              hosp(HospitalisationCode(x.hospitalisation)), rehab = Join(x.rehabilitation),
              cls(PatientClassCode(f.cls)), due = FormatDate(f.next_due);
  soci::indicator i_discharge;
  std::string discharge = OptText(x.last_discharge_on, i_discharge);
  int lab = x.lab_done ? 1 : 0, improving = x.improving ? 1 : 0;
  s << "INSERT INTO mental_follow_ups(" << kFollowUpColumns
    << ") VALUES (:id, :patient, :visited, :level, :symptoms, :insight, :sleep, :social, "
       ":adherence, :side, :physical, :hosp, :discharge, :lab, :lab_note, :rehab, :improving, "
       ":note, :class, :due, :at, :by)",
      soci::use(f.id), soci::use(f.patient_id), soci::use(visited), soci::use(x.danger_level),
      soci::use(symptoms), soci::use(insight), soci::use(sleep), soci::use(social),
      soci::use(adherence), soci::use(side), soci::use(physical), soci::use(hosp),
      soci::use(discharge, i_discharge), soci::use(lab), soci::use(x.lab_note), soci::use(rehab),
      soci::use(improving), soci::use(x.note), soci::use(cls), soci::use(due),
      soci::use(f.recorded_at), soci::use(f.recorded_by);
}

std::vector<FollowUp> MentalStore::FollowUps(soci::session& s, const std::string& patient_id) {
  std::vector<FollowUp> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kFollowUpColumns +
                        " FROM mental_follow_ups WHERE patient_id = :p ORDER BY visited_on, "
                        "recorded_at, id",
       soci::use(patient_id));
  for (const auto& r : rows) out.push_back(ReadFollowUp(r));
  return out;
}

void MentalStore::InsertEmergency(soci::session& s, const Emergency& e) {
  std::string on = FormatDate(e.occurred_on);
  s << "INSERT INTO mental_emergencies(id, patient_id, occurred_on, situation, measures, outcome, "
       "recorded_at, recorded_by) VALUES (:id, :p, :on, :situation, :measures, :outcome, :at, "
       ":by)",
      soci::use(e.id), soci::use(e.patient_id), soci::use(on), soci::use(e.situation),
      soci::use(e.measures), soci::use(e.outcome), soci::use(e.recorded_at),
      soci::use(e.recorded_by);
}

std::vector<Emergency> MentalStore::Emergencies(soci::session& s, const std::string& patient_id) {
  std::vector<Emergency> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, patient_id, occurred_on, situation, measures, outcome, "
                    "recorded_at, recorded_by FROM mental_emergencies WHERE patient_id = :p "
                    "ORDER BY occurred_on, recorded_at",
       soci::use(patient_id));
  for (const auto& r : rows) {
    out.push_back({.id = r.get<std::string>(0),
                   .patient_id = r.get<std::string>(1),
                   .occurred_on = DateOf(r, 2),
                   .situation = r.get<std::string>(3),
                   .measures = r.get<std::string>(4),
                   .outcome = r.get<std::string>(5),
                   .recorded_at = r.get<std::string>(6),
                   .recorded_by = r.get<std::string>(7)});
  }
  return out;
}

std::vector<Alert> MentalStore::AlertsOfPatient(soci::session& s, const std::string& patient_id) {
  std::vector<Alert> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAlertColumns +
                        " FROM mental_alerts a JOIN mental_patients m ON m.id = a.patient_id "
                        "JOIN persons p ON p.id = m.person_id WHERE a.patient_id = :p "
                        "ORDER BY a.raised_at DESC, a.id",
       soci::use(patient_id));
  for (const auto& r : rows) out.push_back(ReadAlert(r).alert);
  return out;
}

void MentalStore::InsertAlert(soci::session& s, const Alert& a) {
  s << "INSERT INTO mental_alerts(id, patient_id, follow_up_id, area_path, danger_level, "
       "raised_at) VALUES (:id, :p, :f, :area, :level, :at)",
      soci::use(a.id), soci::use(a.patient_id), soci::use(a.follow_up_id), soci::use(a.area_path),
      soci::use(a.danger_level), soci::use(a.raised_at);
}

std::vector<AlertRow> MentalStore::Alerts(soci::session& s, const auth::Scope& alert_scope,
                                          bool open_only, int limit) {
  const auth::PathRange range = alert_scope.Range();
  std::string sql = std::string("SELECT ") + kAlertColumns +
                    " FROM mental_alerts a JOIN mental_patients m ON m.id = a.patient_id "
                    "JOIN persons p ON p.id = m.person_id WHERE a.area_path >= :lo AND "
                    "a.area_path < :hi";
  if (open_only) sql += " AND a.acknowledged_at IS NULL";
  sql += " ORDER BY a.acknowledged_at IS NOT NULL, a.raised_at DESC, a.id LIMIT :limit";
  std::vector<AlertRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << sql, soci::use(range.lo), soci::use(range.hi), soci::use(limit));
  for (const auto& r : rows) out.push_back(ReadAlert(r));
  return out;
}

auth::ScopedRow<AlertRow> MentalStore::GetAlert(soci::session& s, const auth::Scope& alert_scope,
                                                const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAlertColumns +
                        " FROM mental_alerts a JOIN mental_patients m ON m.id = a.patient_id "
                        "JOIN persons p ON p.id = m.person_id WHERE a.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    AlertRow row = ReadAlert(r);
    if (!alert_scope.Covers(row.alert.area_path)) return auth::ScopedRow<AlertRow>::Outside();
    return auth::ScopedRow<AlertRow>::Found(std::move(row));
  }
  return {};
}

bool MentalStore::Acknowledge(soci::session& s, const std::string& id, const std::string& at,
                              const std::string& by) {
  soci::statement st =
      (s.prepare << "UPDATE mental_alerts SET acknowledged_at = :at, acknowledged_by = :by "
                    "WHERE id = :id AND acknowledged_at IS NULL",
       soci::use(at), soci::use(by), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace jd::mental
