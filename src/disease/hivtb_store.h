// File: disease/hivtb_store.h
// What HIV care and TB treatment courses keep (migration 0023) and its SQL: a person's HIV care
// record (one per person; free ART under 四免一关怀) and its follow-ups, and the TB treatment
// courses (国家基本公共卫生服务规范（第三版）肺结核患者健康管理) with their visits and outcome.
// The schedules are not stored: disease/tb_course.h and disease/hivtb_art.h compute them.
//
// Scope: every read of a record, a course or a list takes an auth::Scope and filters by the
// current residence of the person (persons.residence_path); the default scope reads nothing, and
// a read by id of an object outside the scope answers ScopedRow::Outside() without the object.
// Follow-ups and visits are read by the id of a record the caller has already read in scope.
// Bound parameters only; every function runs on the session it is given, inside the caller's
// transaction; the migration's triggers leave a change event on every insert and update.
// Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "disease/hivtb_art.h"
#include "disease/tb_course.h"
#include "storage/database.h"

namespace jd::disease {

struct HivCare {
  std::string id;
  std::string person_id;
  Date diagnosed_on{};
  std::optional<Date> art_started_on;
  std::string regimen;        // as prescribed, e.g. "TDF+3TC+EFV"; "" before ART
  std::string treating_unit;  // org unit code
  HivCareStatus status = HivCareStatus::kNotStarted;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

struct HivFollowUp {
  std::string id;
  std::string care_id;
  Date followed_on{};
  std::optional<int> cd4;         // cells/µL
  std::optional<int> viral_load;  // copies/mL
  int doses_taken = 0;
  int doses_missed = 0;
  std::string notes;
  std::string recorded_at, recorded_by;
};

struct TbCourse {
  std::string id;
  std::string person_id;
  Date notified_on{};
  Date started_on{};
  TbRegimen regimen = TbRegimen::kNew6m;
  std::string treating_unit;
  std::optional<TbOutcome> outcome;
  std::optional<Date> outcome_on;
  std::string outcome_note;
  std::string created_at, created_by, updated_at, updated_by;
};

struct TbVisitRow {
  std::string id;
  std::string course_id;
  TbVisit visit;
  std::string notes;
  std::string recorded_at, recorded_by;
};

// A course with who it is about (lists show the name only).
struct TbCourseRow {
  TbCourse course;
  std::string person_name;
  std::string residence_org;
};

class HivTbStore {
 public:
  static void InsertCare(soci::session& s, const HivCare& c);
  // Optimistic update of the changeable columns: false when the stored version is not
  // `expected_version` or the person lives outside `scope`.
  static bool UpdateCare(soci::session& s, const auth::Scope& scope, const HivCare& c,
                         int expected_version);
  // The person's HIV care record; Outside() when the person lives outside `scope`, empty when
  // the person (in scope) has none.
  static auth::ScopedRow<HivCare> CareOfPerson(soci::session& s, const auth::Scope& scope,
                                               const std::string& person_id);
  static void InsertFollowUp(soci::session& s, const HivFollowUp& f);
  // By date, then as recorded.
  static std::vector<HivFollowUp> FollowUps(soci::session& s, const std::string& care_id);

  static void InsertCourse(soci::session& s, const TbCourse& c);
  static auth::ScopedRow<TbCourseRow> GetCourse(soci::session& s, const auth::Scope& scope,
                                                const std::string& id);
  // The person's courses, newest start first; empty when the person lives outside `scope`.
  static std::vector<TbCourse> CoursesOfPerson(soci::session& s, const auth::Scope& scope,
                                               const std::string& person_id);
  // Courses without an outcome of persons living within `scope`, oldest start first.
  static std::vector<TbCourseRow> OpenCourses(soci::session& s, const auth::Scope& scope);
  static void SetOutcome(soci::session& s, const TbCourse& c);
  static void InsertVisit(soci::session& s, const TbVisitRow& v);
  // By date, then as recorded.
  static std::vector<TbVisitRow> Visits(soci::session& s, const std::string& course_id);
};

}  // namespace jd::disease
