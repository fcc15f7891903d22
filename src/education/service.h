// File: education/service.h
// Use cases of health education (健康教育) for the HTTP API: record, list and void the activities
// of a service point of the network, read the attendees linked to the registry, and measure a
// point's year, or every point of the caller's area, against the norms of 国家基本公共卫生服务
// 规范（第三版）健康教育服务规范 二(二) (education/norms.h MeasureYear).
//
// Access, decided by auth (auth/access.h, auth/scope.h): recording and voiding need
// kEducationWrite (centres, stations and village clinics), reading activities and norms kOrgRead
// (they hold no person), reading the attendees kPersonRead; refusals are audited. Activities are
// scoped by auth::OrgScopeOf(caller) on the org path of their point: a centre records and sees the
// activities of its street's points, a district its district's, the city everything. A point or an
// activity outside the scope is "not found" (404), audited as denied (outside jurisdiction).
// Attendees are person data: a linked person must live within auth::ScopeOf(caller) (otherwise the
// field error attendees[i] not_found, the outside case audited as denied), and every link written
// or read is audited with the person's id ("education.attendee.link", "education.attendee.read"),
// the links in the same transaction as the activity.
// Writes are audited ("education.activity.record", "education.activity.void") in the same
// transaction. Reads of activities and norms hand out no person and are not audited, except
// refusals. Corrections void an activity (with a reason), never delete it. Thread-safe.
//
// Policies where the 规范 is silent:
//   - Only points of the four kinds the 规范 names have norms (NormsTypeOfPointKind); activities of
//     other points are recorded and listed but measured against nothing.
//   - The norms of a year are measured as of today (the period ends today in the current year);
//     a future year is a field error (year in_future).
//   - A point is "behind" when a norm's shortfall (due by today − actual) is above 0; board gaps
//     are listed but do not make a point behind by themselves (the count of board updates does).
//   - Attendance counts the linked attendees too: it may not be below their number.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "core/dates.h"
#include "core/status.h"
#include "education/norms.h"
#include "education/store.h"
#include "network/store.h"
#include "storage/database.h"

namespace jd::education {

struct ActivityInput {
  std::string point_id;
  Activity activity;  // kind, venue, date, board, attendance, materials
  std::string topic, organiser;
  std::vector<std::string> attendee_ids;  // persons of the registry (optional)
};

struct AttendeeList {
  std::string activity_id;
  std::vector<AttendeeRow> attendees;  // within the caller's person scope
  int outside = 0;                     // linked persons living outside it (not shown)
};

// A service point of the caller's area measured for a year.
struct PointYear {
  std::string point_id, name, org_code;
  network::PointKind kind = network::PointKind::kChsCentre;
  std::optional<PointType> type;  // nullopt: no norms apply
  YearMeasure measure;
  int behind = 0;  // norms with a shortfall above 0
  int gaps = 0;    // board gaps
};

struct AreaYear {
  int year = 0;
  Date as_of{};
  std::vector<PointYear> points;  // by org path, then name
};

class EducationService {
 public:
  EducationService(storage::Database& db, auth::AuditLog& audit, const Clock& clock);

  // Field errors of CheckActivity (field "date" is reported as "held_on"), "attendance"
  // below_attendees, "attendees[i]" not_found; a point outside the scope: not found.
  Result<ActivityRow> Record(const auth::Principal& who, const ActivityInput& in);
  Result<std::vector<ActivityRow>> List(const auth::Principal& who, const ActivityFilter& f);
  Result<ActivityRow> Get(const auth::Principal& who, const std::string& id);
  // FailedPrecondition (409) when already voided; field error reason required when empty.
  Result<ActivityRow> Void(const auth::Principal& who, const std::string& id,
                           const std::string& reason);
  Result<AttendeeList> Attendees(const auth::Principal& who, const std::string& id);

  // The point's year measured today.
  Result<PointYear> PointNorms(const auth::Principal& who, const std::string& point_id, int year);
  // Every active point within the caller's scope that has norms, measured today; with
  // `behind_only`, only those behind.
  Result<AreaYear> AreaNorms(const auth::Principal& who, int year, bool behind_only);

 private:
  Status CheckYear(int year, Date today) const;
  // `permission` (refusal audited under `action`), then `fn(session, scope, row)` on the activity
  // `id` read within the caller's OrgScopeOf, in one write transaction (its audit rows with it);
  // outside the scope: not found, audited as denied.
  template <class T, class F>
  Result<T> OnActivity(const auth::Principal& who, const std::string& id,
                       auth::Permission permission, const std::string& action, F fn);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace jd::education
