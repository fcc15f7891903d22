// File: disease/hivtb_service.h
// HIV and TB free treatment and follow-up on the person (issue "HIV and TB", 传染病 module): a
// person's HIV care record (diagnosis, ART start, regimen, treating unit, status) with its
// follow-ups (CD4, viral load, doses) and the schedule disease/hivtb_art.h computes; the TB
// treatment courses of a person with their visits, outcome and the schedule of disease/
// tb_course.h; the worklist of open courses (overdue ones on request). The HIV view names the
// person's PMTCT cases in maternal care (id, infection, stage), read-only.
//
// Rules beyond the pure ones:
// - One HIV care record per person; PutHivCare creates it, or changes it when it exists, which
//   needs the version last read (If-Match): absent → VersionRequired, different → StaleVersion.
//   status "on_art" needs art_started_on, "not_started" refuses it; the diagnosis not before the
//   person's birth nor after today.
// - One open TB course per person (a second while one has no outcome: kFailedPrecondition); the
//   notice and the start not after today. A visit or an outcome on a closed course:
//   kFailedPrecondition.
// - The treating unit is an org unit code (default: the caller's unit); unknown → field error.
//
// Access (auth only decides): every use case needs kHivTbCare, refusals audited as "denied"; the
// person (of the record, the course) must live within auth::ScopeOf(caller): else "not found",
// audited as denied (auth::RefuseOutsideScope). Every read and write is audited ("hiv_care.read",
// "hiv_care.write", "hiv_care.follow_up", "tb_course.read", "tb_course.create", "tb_course.visit",
// "tb_course.outcome", "tb_course.list"); the detail never names a result. Nothing here is shown
// by the person's other views, so a reader without kHivTbCare cannot tell whether a record
// exists. Lists mask the person's name (registry::MaskName). Thread-safe like the database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "disease/hivtb_store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::disease {

struct HivCareChange {
  Date diagnosed_on{};
  std::optional<Date> art_started_on;
  std::string regimen;
  std::string treating_unit;  // "" = the caller's unit
  HivCareStatus status = HivCareStatus::kNotStarted;
};

struct HivFollowUpInput {
  Date followed_on{};
  std::optional<int> cd4;
  std::optional<int> viral_load;
  int doses_taken = 0;
  int doses_missed = 0;
  std::string notes;
};

// A PMTCT case of the person (maternal/pmtct_store.h), as the HIV view shows it.
struct PmtctLink {
  std::string case_id;
  std::string infection;  // "hiv", "syphilis", "hbv"
  std::string stage;      // "pregnant", "delivered", "closed"
  Date diagnosed_on{};
};

struct HivCareView {
  std::optional<HivCare> care;  // none when the person has no record
  std::vector<HivFollowUp> follow_ups;
  std::optional<HivCarePlan> plan;
  TbAdherence adherence;  // doses of the follow-ups
  std::vector<PmtctLink> pmtct;
  Date as_of{};
};

struct TbCourseCreate {
  Date notified_on{};
  Date started_on{};
  TbRegimen regimen = TbRegimen::kNew6m;
  std::string treating_unit;  // "" = the caller's unit
};

struct TbVisitInput {
  Date date{};
  int doses_taken = 0;
  int doses_missed = 0;
  SputumResult sputum = SputumResult::kNone;
  std::string notes;
};

struct TbOutcomeInput {
  TbOutcome outcome = TbOutcome::kCompleted;
  Date on{};
  std::string note;
};

struct TbCourseView {
  TbCourse course;
  std::string person_name;  // masked in lists
  std::vector<TbVisitRow> visits;
  TbCoursePlan plan;
  Date as_of{};
};

class HivTbService {
 public:
  HivTbService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
               const registry::RegistryService& registry);

  Result<HivCareView> GetHivCare(const auth::Principal& who, const std::string& person_id);
  // expected_version: the If-Match version; required when the record exists.
  Result<HivCareView> PutHivCare(const auth::Principal& who, const std::string& person_id,
                                 const HivCareChange& in, std::optional<int> expected_version);
  // kFailedPrecondition when the person has no HIV care record.
  Result<HivCareView> AddHivFollowUp(const auth::Principal& who, const std::string& person_id,
                                     const HivFollowUpInput& in);

  Result<std::vector<TbCourseView>> CoursesOfPerson(const auth::Principal& who,
                                                    const std::string& person_id);
  Result<TbCourseView> OpenCourse(const auth::Principal& who, const std::string& person_id,
                                  const TbCourseCreate& in);
  Result<TbCourseView> GetCourse(const auth::Principal& who, const std::string& course_id);
  Result<TbCourseView> RecordVisit(const auth::Principal& who, const std::string& course_id,
                                   const TbVisitInput& in);
  Result<TbCourseView> RecordOutcome(const auth::Principal& who, const std::string& course_id,
                                     const TbOutcomeInput& in);
  // Open courses of persons within the caller's scope, oldest start first; only the overdue ones
  // when `overdue_only`. Names masked.
  Result<std::vector<TbCourseView>> Worklist(const auth::Principal& who, bool overdue_only);

 private:
  Status RequireCare(const auth::Principal& who, const std::string& action,
                     const std::string& object_type, const std::string& id);
  Result<HivCareView> HivView(soci::session& s, std::optional<HivCare> care,
                              const std::string& person_id, Date today) const;
  Result<TbCourseView> CourseView(soci::session& s, TbCourseRow row, Date today) const;
  std::string UnitOf(const auth::Principal& who, const std::string& code,
                     FieldErrors& errors) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

}  // namespace jd::disease
