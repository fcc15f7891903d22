// File: education/store.h
// The SQL of the stored health-education activities (migration 0028): activities of the service
// points (network/store.h), their materials and the attendees linked to the registry. Bound
// parameters only; every function runs on the session it is given, inside the caller's
// transaction.
//
// Scope: an activity carries the org path of its point (org_path), and every read of activities
// takes an auth::Scope and keeps the rows whose org_path it covers (a centre reads its street's,
// the city everything; the default scope reads nothing). A read by id never hands out a row
// outside the scope (ScopedRow::Outside); Void changes a row only within the scope.
// Attendees are persons: Attendees() takes the caller's person scope (auth::ScopeOf) and returns
// only persons living within it, with the number left out; linking takes persons the service read
// within that scope (REQUIRES below).
// Voided activities are kept (corrections void, never delete) and are read only when asked for;
// they count in no norm (YearActivities leaves them out).
// Stateless; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "education/norms.h"
#include "storage/database.h"

namespace jd::education {

struct ActivityRow {
  std::string id;
  std::string point_id;
  std::string point_name;  // from service_points, for lists
  Activity activity;       // kind, venue, date, board, attendance, materials
  std::string topic, organiser;
  int attendees = 0;  // linked to the registry
  std::optional<std::string> voided_at, voided_by, void_reason;
  std::string org_path;
  std::string recorded_at, recorded_by;
};

struct ActivityFilter {
  std::string point_id;     // empty: every point within the scope
  std::optional<int> year;  // held_on in that calendar year
  std::optional<ActivityKind> kind;
  bool include_voided = false;
  int limit = 500;
};

struct AttendeeRow {
  std::string person_id, name;
};

class EducationStore {
 public:
  // REQUIRES: the point was read in the caller's scope and `row.org_path` is its path; the
  // attendees were read within the caller's person scope.
  static void InsertActivity(soci::session& s, const ActivityRow& row,
                             const std::vector<std::string>& attendee_ids);
  static auth::ScopedRow<ActivityRow> GetActivity(soci::session& s, const auth::Scope& scope,
                                                  const std::string& id);
  // Within `scope`, newest first (held_on, then recorded_at).
  static std::vector<ActivityRow> ListActivities(soci::session& s, const auth::Scope& scope,
                                                 const ActivityFilter& f);
  // Marks the activity voided when it is within `scope` and not yet voided; false otherwise.
  static bool Void(soci::session& s, const auth::Scope& scope, const std::string& id,
                   const std::string& at, const std::string& by, const std::string& reason);
  // The activities (not voided) within `scope` of the point `point_id` (every point when empty)
  // for MeasureYear of `year`: those held from 1 January of the year before to `until`, so that a
  // board's last change before the year opens its first interval. point id → activities.
  static std::map<std::string, std::vector<Activity>> YearActivities(soci::session& s,
                                                                     const auth::Scope& scope,
                                                                     const std::string& point_id,
                                                                     int year, const Date& until);
  // Whether the person `id` lives within `person_scope` (Found, with the person's id), exists
  // elsewhere (Outside) or not at all.
  static auth::ScopedRow<std::string> PersonIn(soci::session& s, const auth::Scope& person_scope,
                                               const std::string& id);
  // The linked attendees of `activity_id` living within `person_scope`, by name; `outside` counts
  // the others. REQUIRES: the activity was read in the caller's scope.
  static std::vector<AttendeeRow> Attendees(soci::session& s, const auth::Scope& person_scope,
                                            const std::string& activity_id, int& outside);
};

}  // namespace jd::education
