#include "disease/hivtb_store.h"

namespace jd::disease {

namespace {

using storage::RowInt64;

std::optional<std::string> OptText(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return r.get<std::string>(i);
}

std::optional<Date> OptDate(const soci::row& r, std::size_t i) {
  auto t = OptText(r, i);
  return t ? ParseDate(*t) : std::nullopt;
}

std::optional<int> OptInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return static_cast<int>(RowInt64(r, i));
}

// An optional date bound as text with its NULL indicator.
struct BoundDate {
  explicit BoundDate(const std::optional<Date>& d)
      : text(d ? FormatDate(*d) : std::string()), ind(d ? soci::i_ok : soci::i_null) {}
  std::string text;
  soci::indicator ind;
};

constexpr const char* kCareColumns =
    "c.id, c.person_id, c.diagnosed_on, c.art_started_on, c.regimen, c.treating_unit, c.status, "
    "c.version, c.created_at, c.created_by, c.updated_at, c.updated_by, p.residence_path";
constexpr std::size_t kCarePath = 12;

HivCare ReadCare(const soci::row& r) {
  HivCare c;
  c.id = r.get<std::string>(0);
  c.person_id = r.get<std::string>(1);
  c.diagnosed_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
  c.art_started_on = OptDate(r, 3);
  c.regimen = r.get<std::string>(4);
  c.treating_unit = r.get<std::string>(5);
  c.status = ParseHivCareStatus(r.get<std::string>(6)).value_or(HivCareStatus::kNotStarted);
  c.version = static_cast<int>(RowInt64(r, 7));
  c.created_at = r.get<std::string>(8);
  c.created_by = r.get<std::string>(9);
  c.updated_at = r.get<std::string>(10);
  c.updated_by = r.get<std::string>(11);
  return c;
}

constexpr const char* kCourseColumns =
    "c.id, c.person_id, c.notified_on, c.started_on, c.regimen, c.treating_unit, c.outcome, "
    "c.outcome_on, c.outcome_note, c.created_at, c.created_by, c.updated_at, c.updated_by, "
    "p.name, p.residence_org, p.residence_path";
constexpr std::size_t kCoursePath = 15;

TbCourseRow ReadCourse(const soci::row& r) {
  TbCourseRow row;
  TbCourse& c = row.course;
  c.id = r.get<std::string>(0);
  c.person_id = r.get<std::string>(1);
  c.notified_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
  c.started_on = ParseDate(r.get<std::string>(3)).value_or(Date{});
  c.regimen = ParseTbRegimen(r.get<std::string>(4)).value_or(TbRegimen::kNew6m);
  c.treating_unit = r.get<std::string>(5);
  if (auto o = OptText(r, 6)) c.outcome = ParseTbOutcome(*o);
  c.outcome_on = OptDate(r, 7);
  c.outcome_note = r.get<std::string>(8);
  c.created_at = r.get<std::string>(9);
  c.created_by = r.get<std::string>(10);
  c.updated_at = r.get<std::string>(11);
  c.updated_by = r.get<std::string>(12);
  row.person_name = r.get<std::string>(13);
  row.residence_org = r.get<std::string>(14);
  return row;
}

}  // namespace

void HivTbStore::InsertCare(soci::session& s, const HivCare& c) {
  BoundDate art(c.art_started_on);
  std::string diagnosed = FormatDate(c.diagnosed_on), status(HivCareStatusCode(c.status));
  s << "INSERT INTO hiv_care(id, person_id, diagnosed_on, art_started_on, regimen, treating_unit, "
       "status, version, created_at, created_by, updated_at, updated_by) VALUES (:id, :p, :d, "
       ":a, :r, :u, :s, :v, :ca, :cb, :ua, :ub)",
      soci::use(c.id), soci::use(c.person_id), soci::use(diagnosed), soci::use(art.text, art.ind),
      soci::use(c.regimen), soci::use(c.treating_unit), soci::use(status), soci::use(c.version),
      soci::use(c.created_at), soci::use(c.created_by), soci::use(c.updated_at),
      soci::use(c.updated_by);
}

bool HivTbStore::UpdateCare(soci::session& s, const auth::Scope& scope, const HivCare& c,
                            int expected_version) {
  BoundDate art(c.art_started_on);
  std::string diagnosed = FormatDate(c.diagnosed_on), status(HivCareStatusCode(c.status));
  const auth::PathRange range = scope.Range();
  soci::statement st =
      (s.prepare << "UPDATE hiv_care SET diagnosed_on = :d, art_started_on = :a, regimen = :r, "
                    "treating_unit = :u, status = :s, version = :v, updated_at = :ua, "
                    "updated_by = :ub WHERE id = :id AND version = :ev AND person_id IN (SELECT "
                    "id FROM persons WHERE residence_path >= :lo AND residence_path < :hi)",
       soci::use(diagnosed), soci::use(art.text, art.ind), soci::use(c.regimen),
       soci::use(c.treating_unit), soci::use(status), soci::use(c.version), soci::use(c.updated_at),
       soci::use(c.updated_by), soci::use(c.id), soci::use(expected_version), soci::use(range.lo),
       soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<HivCare> HivTbStore::CareOfPerson(soci::session& s, const auth::Scope& scope,
                                                  const std::string& person_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCareColumns +
                        " FROM hiv_care c JOIN persons p ON p.id = c.person_id WHERE "
                        "c.person_id = :p",
       soci::use(person_id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kCarePath))) return auth::ScopedRow<HivCare>::Outside();
    return auth::ScopedRow<HivCare>::Found(ReadCare(r));
  }
  return {};
}

void HivTbStore::InsertFollowUp(soci::session& s, const HivFollowUp& f) {
  std::string date = FormatDate(f.followed_on);
  int cd4 = f.cd4.value_or(0), vl = f.viral_load.value_or(0);
  soci::indicator i_cd4 = f.cd4 ? soci::i_ok : soci::i_null;
  soci::indicator i_vl = f.viral_load ? soci::i_ok : soci::i_null;
  s << "INSERT INTO hiv_follow_ups(id, care_id, followed_on, cd4, viral_load, doses_taken, "
       "doses_missed, notes, recorded_at, recorded_by) VALUES (:id, :c, :d, :cd4, :vl, :t, :m, "
       ":n, :at, :by)",
      soci::use(f.id), soci::use(f.care_id), soci::use(date), soci::use(cd4, i_cd4),
      soci::use(vl, i_vl), soci::use(f.doses_taken), soci::use(f.doses_missed), soci::use(f.notes),
      soci::use(f.recorded_at), soci::use(f.recorded_by);
}

std::vector<HivFollowUp> HivTbStore::FollowUps(soci::session& s, const std::string& care_id) {
  std::vector<HivFollowUp> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, care_id, followed_on, cd4, viral_load, doses_taken, doses_missed, "
                    "notes, recorded_at, recorded_by FROM hiv_follow_ups WHERE care_id = :c "
                    "ORDER BY followed_on, recorded_at, id",
       soci::use(care_id));
  for (const auto& r : rows) {
    HivFollowUp f;
    f.id = r.get<std::string>(0);
    f.care_id = r.get<std::string>(1);
    f.followed_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
    f.cd4 = OptInt(r, 3);
    f.viral_load = OptInt(r, 4);
    f.doses_taken = static_cast<int>(RowInt64(r, 5));
    f.doses_missed = static_cast<int>(RowInt64(r, 6));
    f.notes = r.get<std::string>(7);
    f.recorded_at = r.get<std::string>(8);
    f.recorded_by = r.get<std::string>(9);
    out.push_back(std::move(f));
  }
  return out;
}

void HivTbStore::InsertCourse(soci::session& s, const TbCourse& c) {
  std::string notified = FormatDate(c.notified_on), started = FormatDate(c.started_on),
              regimen(TbRegimenCode(c.regimen));
  s << "INSERT INTO tb_courses(id, person_id, notified_on, started_on, regimen, treating_unit, "
       "created_at, created_by, updated_at, updated_by) VALUES (:id, :p, :n, :s, :r, :u, :ca, "
       ":cb, :ua, :ub)",
      soci::use(c.id), soci::use(c.person_id), soci::use(notified), soci::use(started),
      soci::use(regimen), soci::use(c.treating_unit), soci::use(c.created_at),
      soci::use(c.created_by), soci::use(c.updated_at), soci::use(c.updated_by);
}

auth::ScopedRow<TbCourseRow> HivTbStore::GetCourse(soci::session& s, const auth::Scope& scope,
                                                   const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCourseColumns +
                        " FROM tb_courses c JOIN persons p ON p.id = c.person_id WHERE c.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kCoursePath))) {
      return auth::ScopedRow<TbCourseRow>::Outside();
    }
    return auth::ScopedRow<TbCourseRow>::Found(ReadCourse(r));
  }
  return {};
}

std::vector<TbCourse> HivTbStore::CoursesOfPerson(soci::session& s, const auth::Scope& scope,
                                                  const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<TbCourse> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCourseColumns +
                        " FROM tb_courses c JOIN persons p ON p.id = c.person_id WHERE "
                        "c.person_id = :p AND p.residence_path >= :lo AND p.residence_path < :hi "
                        "ORDER BY c.started_on DESC, c.id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadCourse(r).course);
  return out;
}

std::vector<TbCourseRow> HivTbStore::OpenCourses(soci::session& s, const auth::Scope& scope) {
  const auth::PathRange range = scope.Range();
  std::vector<TbCourseRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCourseColumns +
                        " FROM tb_courses c JOIN persons p ON p.id = c.person_id WHERE "
                        "c.outcome IS NULL AND p.residence_path >= :lo AND p.residence_path < :hi "
                        "ORDER BY c.started_on, c.id",
       soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadCourse(r));
  return out;
}

void HivTbStore::SetOutcome(soci::session& s, const TbCourse& c) {
  std::string outcome = c.outcome ? std::string(TbOutcomeCode(*c.outcome)) : std::string();
  BoundDate on(c.outcome_on);
  soci::indicator i_outcome = c.outcome ? soci::i_ok : soci::i_null;
  s << "UPDATE tb_courses SET outcome = :o, outcome_on = :d, outcome_note = :n, updated_at = :ua, "
       "updated_by = :ub WHERE id = :id",
      soci::use(outcome, i_outcome), soci::use(on.text, on.ind), soci::use(c.outcome_note),
      soci::use(c.updated_at), soci::use(c.updated_by), soci::use(c.id);
}

void HivTbStore::InsertVisit(soci::session& s, const TbVisitRow& v) {
  std::string date = FormatDate(v.visit.date), sputum(SputumCode(v.visit.sputum));
  s << "INSERT INTO tb_visits(id, course_id, visited_on, doses_taken, doses_missed, sputum, notes, "
       "recorded_at, recorded_by) VALUES (:id, :c, :d, :t, :m, :s, :n, :at, :by)",
      soci::use(v.id), soci::use(v.course_id), soci::use(date), soci::use(v.visit.doses_taken),
      soci::use(v.visit.doses_missed), soci::use(sputum), soci::use(v.notes),
      soci::use(v.recorded_at), soci::use(v.recorded_by);
}

std::vector<TbVisitRow> HivTbStore::Visits(soci::session& s, const std::string& course_id) {
  std::vector<TbVisitRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, course_id, visited_on, doses_taken, doses_missed, sputum, notes, "
                    "recorded_at, recorded_by FROM tb_visits WHERE course_id = :c ORDER BY "
                    "visited_on, recorded_at, id",
       soci::use(course_id));
  for (const auto& r : rows) {
    TbVisitRow v;
    v.id = r.get<std::string>(0);
    v.course_id = r.get<std::string>(1);
    v.visit.date = ParseDate(r.get<std::string>(2)).value_or(Date{});
    v.visit.doses_taken = static_cast<int>(RowInt64(r, 3));
    v.visit.doses_missed = static_cast<int>(RowInt64(r, 4));
    v.visit.sputum = ParseSputum(r.get<std::string>(5)).value_or(SputumResult::kNone);
    v.notes = r.get<std::string>(6);
    v.recorded_at = r.get<std::string>(7);
    v.recorded_by = r.get<std::string>(8);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace jd::disease
