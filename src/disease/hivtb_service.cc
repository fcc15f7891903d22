#include "disease/hivtb_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "maternal/pmtct_store.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::disease {

namespace {

using auth::Permission;
using auth::Principal;
using registry::PersonStore;

Status PersonMissing() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}

Status CourseMissing() {
  return Status::NotFound("no such TB treatment course in your jurisdiction",
                          "您的辖区内没有此肺结核治疗疗程");
}

// How a read of a person's or a course's records ends: a refusal when it lies outside the
// caller's scope (audited as denied, answered as unknown), else its audit row (ok or not_found)
// and `missing` when it was not found.
Status FinishRead(auth::AuditLog& audit, const Principal& who, const std::string& action,
                  const std::string& object_type, const std::string& object_id,
                  const std::string& person_id, bool outside, bool found, Status missing) {
  if (outside) {
    return auth::RefuseOutsideScope(
        audit, who, {.action = action, .object_type = object_type, .object_id = object_id},
        std::move(missing));
  }
  JD_RETURN_IF_ERROR(audit.Record(who, {.action = action,
                                        .object_type = object_type,
                                        .object_id = object_id,
                                        .person_id = person_id,
                                        .result = found ? "ok" : "not_found"}));
  return found ? Status::Ok() : missing;
}

Status CourseClosed() {
  return Status::FailedPrecondition("the course has an outcome and is closed",
                                    "该疗程已登记转归并结案");
}

// The field of the pure rule's error about the one visit added last.
std::string VisitField(const std::string& field, std::size_t index) {
  const std::string prefix = fmt::format("visits[{}].", index);
  if (!field.starts_with(prefix)) return field;
  const std::string rest = field.substr(prefix.size());
  return rest == "doses" ? "doses_taken" : rest;
}

TbCourseInput RuleInput(const TbCourse& c, const std::vector<TbVisitRow>& visits, Date today) {
  TbCourseInput in;
  in.regimen = c.regimen;
  in.notified_on = c.notified_on;
  in.started_on = c.started_on;
  for (const auto& v : visits) in.visits.push_back(v.visit);
  in.outcome = c.outcome;
  in.outcome_on = c.outcome_on;
  in.as_of = today;
  return in;
}

// The answer of a write: "not found" (audited as denied) when the object lay outside the scope,
// else the transaction's failure, else its view.
template <class T>
Result<T> Settle(auth::AuditLog& audit, const Principal& who, auth::AuditEvent refused,
                 bool outside, const Status& st, Result<T> out, Status missing) {
  if (outside) return auth::RefuseOutsideScope(audit, who, std::move(refused), std::move(missing));
  if (!st.ok()) return st;
  return out;
}

// The frame of a write on a course (kHivTbCare already checked): the course in scope (else not
// found, audited as denied) and not closed; `change(session, course, visits, today, detail)`
// writes and fills the audit detail; then the audit row and the new view (`view`).
template <class Change, class View>
Result<TbCourseView> ChangeCourse(storage::Database& db, auth::AuditLog& audit,
                                  const Principal& who, const std::string& course_id,
                                  const std::string& action, Date today, Change change, View view) {
  if (!IsUuid(course_id)) return CourseMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<TbCourseView> out = CourseMissing();
  Status st = db.Write([&](soci::session& s) -> Status {
    auto row = HivTbStore::GetCourse(s, scope, course_id);
    outside = row.outside_scope();
    if (!row) return CourseMissing();
    if (row->course.outcome) return CourseClosed();
    std::string detail;
    JD_RETURN_IF_ERROR(change(s, row->course, HivTbStore::Visits(s, course_id), today, detail));
    JD_RETURN_IF_ERROR(audit.Append(s, who,
                                    {.action = action,
                                     .object_type = "tb_course",
                                     .object_id = course_id,
                                     .person_id = row->course.person_id,
                                     .detail = detail}));
    out = view(s, *std::move(row).release(), today);
    return out.ok() ? Status::Ok() : out.status();
  });
  return Settle(audit, who, {.action = action, .object_type = "tb_course", .object_id = course_id},
                outside, st, std::move(out), CourseMissing());
}

}  // namespace

HivTbService::HivTbService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                           const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Status HivTbService::RequireCare(const Principal& who, const std::string& action,
                                 const std::string& object_type, const std::string& id) {
  Status st = auth::Require(who, Permission::kHivTbCare);
  if (st.ok()) return st;
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = object_type,
                                         .object_id = id,
                                         .result = "denied",
                                         .detail = "hiv_tb_care required"}));
  return st;
}

std::string HivTbService::UnitOf(const Principal& who, const std::string& code,
                                 FieldErrors& errors) const {
  const std::string unit = code.empty() ? who.org_code : code;
  if (!registry_.FindOrg(unit)) {
    errors.Add("treating_unit", "unknown_org", "机构代码不存在：" + unit,
               "no org unit has the code " + unit);
  }
  return unit;
}

Result<HivCareView> HivTbService::HivView(soci::session& s, std::optional<HivCare> care,
                                          const std::string& person_id, Date today) const {
  HivCareView v;
  v.as_of = today;
  // PMTCT in maternal care (预防艾滋病、梅毒和乙肝母婴传播): read-only, the person read in scope.
  for (const auto& c : maternal::PmtctStore::CasesOfPerson(s, person_id)) {
    PmtctLink link;
    link.case_id = c.id;
    link.infection = std::string(maternal::PmtctInfectionCode(c.infection));
    link.diagnosed_on = c.diagnosed_on;
    auto dates = maternal::PmtctStore::PregnancyDates(s, c.pregnancy_id);
    link.stage = c.closed_on ? "closed" : (dates && dates->delivered_on) ? "delivered" : "pregnant";
    v.pmtct.push_back(std::move(link));
  }
  if (!care) return v;
  v.follow_ups = HivTbStore::FollowUps(s, care->id);
  HivCareInput in;
  in.diagnosed_on = care->diagnosed_on;
  in.art_started_on = care->art_started_on;
  in.status = care->status;
  std::vector<TbVisit> doses;
  for (const auto& f : v.follow_ups) {
    in.follow_ups.push_back({f.followed_on, f.cd4.has_value(), f.viral_load.has_value()});
    doses.push_back({f.followed_on, f.doses_taken, f.doses_missed, SputumResult::kNone});
  }
  in.as_of = today;
  auto plan = PlanHivCare(in);
  if (!plan.ok()) return plan.status();
  v.plan = *std::move(plan);
  v.adherence = Adherence(doses);
  v.care = std::move(care);
  return v;
}

Result<HivCareView> HivTbService::GetHivCare(const Principal& who, const std::string& person_id) {
  const std::string action = "hiv_care.read";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "person", person_id));
  if (!IsUuid(person_id)) return PersonMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false, found = false;
  Result<HivCareView> out = PersonMissing();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return Status::Ok();
    found = true;
    auto care = HivTbStore::CareOfPerson(s, scope, person_id);
    out = HivView(s, std::move(care).release(), person_id, today);
    return out.ok() ? Status::Ok() : out.status();
  }));
  JD_RETURN_IF_ERROR(FinishRead(audit_, who, action, "person", person_id, found ? person_id : "",
                                outside, found, PersonMissing()));
  return out;
}

Result<HivCareView> HivTbService::PutHivCare(const Principal& who, const std::string& person_id,
                                             const HivCareChange& in,
                                             std::optional<int> expected_version) {
  const std::string action = "hiv_care.write";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "person", person_id));
  if (!IsUuid(person_id)) return PersonMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<HivCareView> out = PersonMissing();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonMissing();
    auto existing = HivTbStore::CareOfPerson(s, scope, person_id);
    if (existing && !expected_version) return VersionRequired();
    if (existing && *expected_version != existing->version) return StaleVersion();
    FieldErrors errors;
    HivCare c = existing ? *existing : HivCare{};
    c.diagnosed_on = in.diagnosed_on;
    c.art_started_on = in.art_started_on;
    c.regimen = in.regimen;
    c.status = in.status;
    c.treating_unit = UnitOf(who, in.treating_unit, errors);
    if (today < in.diagnosed_on) {
      errors.Add("diagnosed_on", "in_future", "确诊日期晚于今天", "the diagnosis is in the future");
    } else if (in.diagnosed_on < person->birth_date) {
      errors.Add("diagnosed_on", "before_birth", "确诊日期早于出生日期",
                 "the diagnosis is before the birth");
    }
    if (in.status == HivCareStatus::kOnArt && !in.art_started_on) {
      errors.Add("art_started_on", "required", "正在抗病毒治疗时须填写治疗开始日期",
                 "on ART needs the ART start date");
    }
    if (in.status == HivCareStatus::kNotStarted && in.art_started_on) {
      errors.Add("status", "art_started", "已填写抗病毒治疗开始日期，状态不能为未开始",
                 "an ART start date was given: the status cannot be not_started");
    }
    if (errors.empty()) {
      // The schedule's own checks of the dates (ART not before the diagnosis nor after today).
      auto plan = PlanHivCare({.diagnosed_on = in.diagnosed_on,
                               .art_started_on = in.art_started_on,
                               .status = in.status,
                               .follow_ups = {},
                               .as_of = today});
      if (!plan.ok()) errors.Append(plan.status().field_errors());
    }
    if (!errors.empty()) return errors.ToStatus();
    c.updated_at = FormatTimestamp(clock_.Now());
    c.updated_by = who.username;
    if (existing) {
      c.version = existing->version + 1;
      if (!HivTbStore::UpdateCare(s, scope, c, existing->version)) return StaleVersion();
    } else {
      c.id = NewId();
      c.person_id = person_id;
      c.version = 1;
      c.created_at = c.updated_at;
      c.created_by = who.username;
      HivTbStore::InsertCare(s, c);
    }
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "hiv_care",
                                      .object_id = c.id,
                                      .person_id = person_id,
                                      .detail = fmt::format("version={}", c.version)}));
    out = HivView(s, c, person_id, today);
    return out.ok() ? Status::Ok() : out.status();
  });
  return Settle(audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
                outside, st, std::move(out), PersonMissing());
}

Result<HivCareView> HivTbService::AddHivFollowUp(const Principal& who, const std::string& person_id,
                                                 const HivFollowUpInput& in) {
  const std::string action = "hiv_care.follow_up";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "person", person_id));
  if (!IsUuid(person_id)) return PersonMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<HivCareView> out = PersonMissing();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonMissing();
    auto care = HivTbStore::CareOfPerson(s, scope, person_id);
    if (!care) {
      return Status::FailedPrecondition("the person has no HIV care record yet",
                                        "此人尚无艾滋病治疗随访记录");
    }
    FieldErrors errors;
    if (today < in.followed_on) {
      errors.Add("followed_on", "in_future", "随访日期晚于今天", "the follow-up is in the future");
    } else if (in.followed_on < care->diagnosed_on) {
      errors.Add("followed_on", "before_diagnosis", "随访日期早于确诊日期",
                 "the follow-up is before the diagnosis");
    }
    if (!errors.empty()) return errors.ToStatus();
    HivFollowUp f;
    f.id = NewId();
    f.care_id = care->id;
    f.followed_on = in.followed_on;
    f.cd4 = in.cd4;
    f.viral_load = in.viral_load;
    f.doses_taken = in.doses_taken;
    f.doses_missed = in.doses_missed;
    f.notes = in.notes;
    f.recorded_at = FormatTimestamp(clock_.Now());
    f.recorded_by = who.username;
    HivTbStore::InsertFollowUp(s, f);
    // The detail never names a result (CD4, viral load).
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "hiv_care",
                                      .object_id = care->id,
                                      .person_id = person_id,
                                      .detail = "followed_on=" + FormatDate(in.followed_on)}));
    out = HivView(s, std::move(care).release(), person_id, today);
    return out.ok() ? Status::Ok() : out.status();
  });
  return Settle(audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
                outside, st, std::move(out), PersonMissing());
}

Result<TbCourseView> HivTbService::CourseView(soci::session& s, TbCourseRow row, Date today) const {
  TbCourseView v;
  v.as_of = today;
  v.visits = HivTbStore::Visits(s, row.course.id);
  auto plan = PlanTbCourse(RuleInput(row.course, v.visits, today));
  if (!plan.ok()) return plan.status();
  v.plan = *std::move(plan);
  v.person_name = std::move(row.person_name);
  v.course = std::move(row.course);
  return v;
}

Result<std::vector<TbCourseView>> HivTbService::CoursesOfPerson(const Principal& who,
                                                                const std::string& person_id) {
  const std::string action = "tb_course.read";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "person", person_id));
  if (!IsUuid(person_id)) return PersonMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false, found = false;
  std::vector<TbCourseView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return Status::Ok();
    found = true;
    for (auto& c : HivTbStore::CoursesOfPerson(s, scope, person_id)) {
      auto v = CourseView(s, {std::move(c), person->name, person->residence_org}, today);
      if (!v.ok()) return v.status();
      out.push_back(*std::move(v));
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(FinishRead(audit_, who, action, "person", person_id, found ? person_id : "",
                                outside, found, PersonMissing()));
  return out;
}

Result<TbCourseView> HivTbService::OpenCourse(const Principal& who, const std::string& person_id,
                                              const TbCourseCreate& in) {
  const std::string action = "tb_course.create";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "person", person_id));
  if (!IsUuid(person_id)) return PersonMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<TbCourseView> out = PersonMissing();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonMissing();
    FieldErrors errors;
    TbCourse c;
    c.treating_unit = UnitOf(who, in.treating_unit, errors);
    if (today < in.notified_on) {
      errors.Add("notified_on", "in_future", "通知日期晚于今天", "the notice is in the future");
    } else if (in.notified_on < person->birth_date) {
      errors.Add("notified_on", "before_birth", "通知日期早于出生日期",
                 "the notice is before the birth");
    }
    if (today < in.started_on) {
      errors.Add("started_on", "in_future", "治疗开始日期晚于今天",
                 "the start of treatment is in the future");
    }
    c.id = NewId();
    c.person_id = person_id;
    c.notified_on = in.notified_on;
    c.started_on = in.started_on;
    c.regimen = in.regimen;
    if (errors.empty()) {
      auto plan = PlanTbCourse(RuleInput(c, {}, today));
      if (!plan.ok()) errors.Append(plan.status().field_errors());
    }
    if (!errors.empty()) return errors.ToStatus();
    for (const auto& other : HivTbStore::CoursesOfPerson(s, scope, person_id)) {
      if (!other.outcome) {
        return Status::FailedPrecondition(
            "the person has an open TB course: record its outcome first",
            "此人有未结案的肺结核治疗疗程，请先登记其转归");
      }
    }
    c.created_at = c.updated_at = FormatTimestamp(clock_.Now());
    c.created_by = c.updated_by = who.username;
    HivTbStore::InsertCourse(s, c);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "tb_course",
                                      .object_id = c.id,
                                      .person_id = person_id,
                                      .detail = "started_on=" + FormatDate(c.started_on)}));
    out = CourseView(s, {c, person->name, person->residence_org}, today);
    return out.ok() ? Status::Ok() : out.status();
  });
  return Settle(audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
                outside, st, std::move(out), PersonMissing());
}

Result<TbCourseView> HivTbService::GetCourse(const Principal& who, const std::string& course_id) {
  const std::string action = "tb_course.read";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "tb_course", course_id));
  if (!IsUuid(course_id)) return CourseMissing();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false, found = false;
  std::string person_id;
  Result<TbCourseView> out = CourseMissing();
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    auto row = HivTbStore::GetCourse(s, scope, course_id);
    outside = row.outside_scope();
    if (!row) return Status::Ok();
    found = true;
    person_id = row->course.person_id;
    out = CourseView(s, *std::move(row).release(), today);
    return out.ok() ? Status::Ok() : out.status();
  }));
  JD_RETURN_IF_ERROR(FinishRead(audit_, who, action, "tb_course", course_id, person_id, outside,
                                found, CourseMissing()));
  return out;
}

Result<TbCourseView> HivTbService::RecordVisit(const Principal& who, const std::string& course_id,
                                               const TbVisitInput& in) {
  const std::string action = "tb_course.visit";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "tb_course", course_id));
  return ChangeCourse(
      db_, audit_, who, course_id, action, clock_.Today(),
      [&](soci::session& s, TbCourse& c, std::vector<TbVisitRow> visits, Date today,
          std::string& detail) -> Status {
        TbVisitRow v;
        v.id = NewId();
        v.course_id = c.id;
        v.visit = {in.date, in.doses_taken, in.doses_missed, in.sputum};
        v.notes = in.notes;
        visits.push_back(v);
        // The schedule's checks of the new visit (not before the start, not after today).
        auto plan = PlanTbCourse(RuleInput(c, visits, today));
        if (!plan.ok()) {
          FieldErrors errors;
          for (FieldError e : plan.status().field_errors()) {
            e.field = VisitField(e.field, visits.size() - 1);
            errors.Add(std::move(e));
          }
          return errors.ToStatus();
        }
        v.recorded_at = FormatTimestamp(clock_.Now());
        v.recorded_by = who.username;
        HivTbStore::InsertVisit(s, v);
        detail = "visited_on=" + FormatDate(in.date);
        return Status::Ok();
      },
      [this](soci::session& s, TbCourseRow row, Date today) {
        return CourseView(s, std::move(row), today);
      });
}

Result<TbCourseView> HivTbService::RecordOutcome(const Principal& who, const std::string& course_id,
                                                 const TbOutcomeInput& in) {
  const std::string action = "tb_course.outcome";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "tb_course", course_id));
  return ChangeCourse(
      db_, audit_, who, course_id, action, clock_.Today(),
      [&](soci::session& s, TbCourse& c, std::vector<TbVisitRow> visits, Date today,
          std::string& detail) -> Status {
        auto errors = CheckTbOutcome(RuleInput(c, visits, today), in.outcome, in.on);
        if (!errors.empty()) return Status::Invalid(errors);
        c.outcome = in.outcome;
        c.outcome_on = in.on;
        c.outcome_note = in.note;
        c.updated_at = FormatTimestamp(clock_.Now());
        c.updated_by = who.username;
        HivTbStore::SetOutcome(s, c);
        // 规范 第三版 TB 二(四) 结案评估; the detail never names the outcome.
        detail = "outcome_on=" + FormatDate(in.on);
        return Status::Ok();
      },
      [this](soci::session& s, TbCourseRow row, Date today) {
        return CourseView(s, std::move(row), today);
      });
}

Result<std::vector<TbCourseView>> HivTbService::Worklist(const Principal& who, bool overdue_only) {
  const std::string action = "tb_course.list";
  JD_RETURN_IF_ERROR(RequireCare(who, action, "search", ""));
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  std::vector<TbCourseView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    for (auto& row : HivTbStore::OpenCourses(s, scope)) {
      auto v = CourseView(s, std::move(row), today);
      if (!v.ok()) return v.status();
      if (overdue_only && !v->plan.overdue) continue;
      v->person_name = registry::MaskName(v->person_name);
      out.push_back(*std::move(v));
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action,
            .object_type = "search",
            .detail = fmt::format("overdue={} results={}", overdue_only ? 1 : 0, out.size())}));
  return out;
}

}  // namespace jd::disease
