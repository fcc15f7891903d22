// Use cases of health education (education/service.h).
#include "education/service.h"

#include <fmt/format.h>

#include "auth/access.h"
#include "core/ids.h"

namespace jd::education {

namespace {

using auth::Permission;
using auth::Principal;

Status PointNotFound() {
  return Status::NotFound("no such service point in your area", "您的辖区内没有此服务点");
}
Status ActivityNotFound() {
  return Status::NotFound("no such health-education activity in your area",
                          "您的辖区内没有此健康教育活动");
}

Status RequireAudited(auth::AuditLog& audit, const Principal& who, Permission permission,
                      const std::string& action, const std::string& object_type,
                      const std::string& object_id) {
  return auth::RequireAudited(
      audit, who, permission,
      {.action = action, .object_type = object_type, .object_id = object_id});
}

// The caller-facing name of a rule's field: the API calls the activity's date held_on.
FieldError Renamed(FieldError e) {
  if (e.field == "date") e.field = "held_on";
  return e;
}

PointYear Measure(const network::ServicePoint& p, int year, const Date& as_of,
                  const std::vector<Activity>& activities) {
  PointYear out;
  out.point_id = p.id;
  out.name = p.name;
  out.org_code = p.org_code;
  out.kind = p.kind;
  out.type = NormsTypeOfPointKind(network::PointKindCode(p.kind));
  out.measure.year = year;
  if (!out.type) return out;
  auto m = MeasureYear(DefaultNorms(), *out.type, year, as_of, activities);
  if (!m.ok()) return out;  // CheckYear made as_of fall within or after the year
  out.measure = *std::move(m);
  for (const NormResult& n : out.measure.norms) {
    if (n.shortfall > 0) ++out.behind;
    out.gaps += static_cast<int>(n.gaps.size());
  }
  return out;
}

}  // namespace

EducationService::EducationService(storage::Database& db, auth::AuditLog& audit, const Clock& clock)
    : db_(db), audit_(audit), clock_(clock) {}

Status EducationService::CheckYear(int year, Date today) const {
  if (year < 2000) {
    return Status::Invalid(
        {{"year", "too_early", "年份应不早于2000年", "year must be 2000 or later"}});
  }
  if (year > static_cast<int>(today.year())) {
    return Status::Invalid({{"year", "in_future", "年份晚于今年", "the year is in the future"}});
  }
  return Status::Ok();
}

Result<ActivityRow> EducationService::Record(const Principal& who, const ActivityInput& in) {
  const std::string action = "education.activity.record";
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kEducationWrite, action,
                                    "service_point", in.point_id));
  if (!in.attendee_ids.empty()) {
    JD_RETURN_IF_ERROR(
        RequireAudited(audit_, who, Permission::kPersonRead, action, "service_point", in.point_id));
  }
  const Date today = clock_.Today();
  FieldErrors errors;
  for (FieldError& e : CheckActivity(in.activity, today)) errors.Add(Renamed(std::move(e)));
  if (in.activity.attendance < static_cast<int>(in.attendee_ids.size()) &&
      !errors.Has("attendance")) {
    errors.Add("attendance", "below_attendees", "参加人数少于登记的参加者人数",
               "the attendance is below the number of linked attendees");
  }
  if (!errors.empty()) return errors.ToStatus();
  if (!IsUuid(in.point_id)) {
    return Status::Invalid({{"point_id", "not_found", "服务点不存在", "no such service point"}});
  }
  const auth::Scope scope = auth::OrgScopeOf(who);
  const auth::Scope persons = auth::ScopeOf(who);
  bool outside = false;
  std::vector<std::string> outside_persons;
  Result<ActivityRow> out = PointNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto point = network::NetworkStore::GetPoint(s, scope, in.point_id);
    outside = point.outside_scope();
    if (!point) return PointNotFound();
    FieldErrors people;
    for (std::size_t i = 0; i < in.attendee_ids.size(); ++i) {
      const std::string& id = in.attendee_ids[i];
      auto person =
          IsUuid(id) ? EducationStore::PersonIn(s, persons, id) : auth::ScopedRow<std::string>();
      if (person) continue;
      if (person.outside_scope()) outside_persons.push_back(id);
      people.Add(fmt::format("attendees[{}]", i), "not_found", "您的辖区内没有此人",
                 "no such person in your area");
    }
    if (!people.empty()) return people.ToStatus();
    ActivityRow row;
    row.id = NewId();
    row.point_id = point->id;
    row.point_name = point->name;
    row.activity = in.activity;
    row.topic = in.topic;
    row.organiser = in.organiser;
    row.attendees = static_cast<int>(in.attendee_ids.size());
    row.org_path = point->org_path;
    row.recorded_at = FormatTimestamp(clock_.Now());
    row.recorded_by = who.username;
    EducationStore::InsertActivity(s, row, in.attendee_ids);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = action,
         .object_type = "education_activity",
         .object_id = row.id,
         .detail = fmt::format("point={} kind={} on={} attendance={}", row.point_id,
                               ActivityKindCode(row.activity.kind), FormatDate(row.activity.date),
                               row.activity.attendance)}));
    for (const std::string& person : in.attendee_ids) {
      JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                       {.action = "education.attendee.link",
                                        .object_type = "education_activity",
                                        .object_id = row.id,
                                        .person_id = person}));
    }
    out = std::move(row);
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "service_point", .object_id = in.point_id},
        PointNotFound());
  }
  for (const std::string& person : outside_persons) {
    JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "education.attendee.link",
                                           .object_type = "person",
                                           .object_id = person,
                                           .person_id = person,
                                           .result = "denied",
                                           .detail = "outside jurisdiction"}));
  }
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<ActivityRow>> EducationService::List(const Principal& who,
                                                        const ActivityFilter& f) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kOrgRead, "education.activity.list",
                                    "org_unit", who.org_code));
  const auth::Scope scope = auth::OrgScopeOf(who);
  std::vector<ActivityRow> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = EducationStore::ListActivities(s, scope, f);
    return Status::Ok();
  }));
  return out;
}

template <class T, class F>
Result<T> EducationService::OnActivity(const Principal& who, const std::string& id,
                                       Permission permission, const std::string& action, F fn) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, permission, action, "education_activity", id));
  if (!IsUuid(id)) return ActivityNotFound();
  const auth::Scope scope = auth::OrgScopeOf(who);
  bool outside = false;
  Result<T> out = ActivityNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = EducationStore::GetActivity(s, scope, id);
    outside = row.outside_scope();
    if (!row) return ActivityNotFound();
    JD_ASSIGN_OR_RETURN(T value, fn(s, scope, *std::move(row).release()));
    out = std::move(value);
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "education_activity", .object_id = id},
        ActivityNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<ActivityRow> EducationService::Get(const Principal& who, const std::string& id) {
  return OnActivity<ActivityRow>(who, id, Permission::kOrgRead, "education.activity.read",
                                 [](soci::session&, const auth::Scope&,
                                    ActivityRow row) -> Result<ActivityRow> { return row; });
}

Result<ActivityRow> EducationService::Void(const Principal& who, const std::string& id,
                                           const std::string& reason) {
  const std::string action = "education.activity.void";
  if (reason.empty()) {
    JD_RETURN_IF_ERROR(
        RequireAudited(audit_, who, Permission::kEducationWrite, action, "education_activity", id));
    return Status::Invalid(
        {{"reason", "required", "作废原因为必填项", "a reason is required to void an activity"}});
  }
  return OnActivity<ActivityRow>(
      who, id, Permission::kEducationWrite, action,
      [&](soci::session& s, const auth::Scope& scope, ActivityRow row) -> Result<ActivityRow> {
        const std::string at = FormatTimestamp(clock_.Now());
        if (row.voided_at || !EducationStore::Void(s, scope, id, at, who.username, reason)) {
          return Status::FailedPrecondition("the activity is already void", "该活动已作废");
        }
        JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                         {.action = action,
                                          .object_type = "education_activity",
                                          .object_id = id,
                                          .detail = "reason=" + reason}));
        row.voided_at = at;
        row.voided_by = who.username;
        row.void_reason = reason;
        return row;
      });
}

Result<AttendeeList> EducationService::Attendees(const Principal& who, const std::string& id) {
  const std::string action = "education.attendee.read";
  const auth::Scope persons = auth::ScopeOf(who);
  return OnActivity<AttendeeList>(
      who, id, Permission::kPersonRead, action,
      [&](soci::session& s, const auth::Scope&, const ActivityRow&) -> Result<AttendeeList> {
        AttendeeList list;
        list.activity_id = id;
        list.attendees = EducationStore::Attendees(s, persons, id, list.outside);
        for (const AttendeeRow& a : list.attendees) {
          JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                           {.action = action,
                                            .object_type = "education_activity",
                                            .object_id = id,
                                            .person_id = a.person_id}));
        }
        return list;
      });
}

Result<PointYear> EducationService::PointNorms(const Principal& who, const std::string& point_id,
                                               int year) {
  const std::string action = "education.norms.read";
  JD_RETURN_IF_ERROR(
      RequireAudited(audit_, who, Permission::kOrgRead, action, "service_point", point_id));
  const Date today = clock_.Today();
  JD_RETURN_IF_ERROR(CheckYear(year, today));
  if (!IsUuid(point_id)) return PointNotFound();
  const auth::Scope scope = auth::OrgScopeOf(who);
  bool outside = false;
  Result<PointYear> out = PointNotFound();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto point = network::NetworkStore::GetPoint(s, scope, point_id);
    outside = point.outside_scope();
    if (!point) return Status::Ok();
    auto activities = EducationStore::YearActivities(s, scope, point_id, year, today);
    out = Measure(*point, year, today, activities[point_id]);
    return Status::Ok();
  }));
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "service_point", .object_id = point_id},
        PointNotFound());
  }
  return out;
}

Result<AreaYear> EducationService::AreaNorms(const Principal& who, int year, bool behind_only) {
  JD_RETURN_IF_ERROR(RequireAudited(audit_, who, Permission::kOrgRead, "education.norms.list",
                                    "org_unit", who.org_code));
  const Date today = clock_.Today();
  JD_RETURN_IF_ERROR(CheckYear(year, today));
  const auth::Scope scope = auth::OrgScopeOf(who);
  AreaYear out;
  out.year = year;
  out.as_of = today;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    auto points =
        network::NetworkStore::ListPoints(s, scope, {.active_only = true, .limit = 1000000});
    auto activities = EducationStore::YearActivities(s, scope, "", year, today);
    for (const network::ServicePoint& p : points) {
      if (!NormsTypeOfPointKind(network::PointKindCode(p.kind))) continue;
      PointYear m = Measure(p, year, today, activities[p.id]);
      if (behind_only && m.behind == 0) continue;
      out.points.push_back(std::move(m));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace jd::education
