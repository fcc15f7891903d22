// File: child/service.h
// Use cases of child health management 0–6 years (0～6岁儿童健康管理, 国家基本公共卫生服务规范
// （第三版）) for the HTTP API: record a check-up of a child, record a newborn screening result
// (新生儿疾病筛查, child/screening.h), read the child's card (the schedule of 规范 二(一)–(四) and
// the screening items as of today, the check-ups with their WHO z-scores and nutrition status, the
// screening results, the birth here when the child is a newborn of a delivery the maternal module
// recorded), and the centre's list of children with a check-up due. Inputs and outputs are typed
// structs; the transport reads and writes JSON (http/child_routes.cc).
//
// Access, decided by auth (auth/access.h): reads need kPersonRead, writes kMaternalCare (the
// permission of the 妇幼 workers who keep the 母子健康手册, which covers the child's pages), and
// the child's current residence within auth::ScopeOf(caller): a child outside it is "not found",
// audited as denied. Every read and write of a child's data is audited ("child.read",
// "child.checkup", "child.screening"), refusals too; a write and its audit row share one
// transaction, and the table's trigger adds the change event. The count of a due list (count_only)
// shows no one and is not audited, as the other home-page counts. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "child/checkups.h"
#include "child/growth.h"
#include "child/model.h"
#include "child/screening.h"
#include "child/store.h"
#include "core/dates.h"
#include "core/status.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::child {

// A check-up as recorded. The ranges (field errors "out_of_range") are typing-error bounds of
// this project: weight 0.3–60 kg, length/height 30–150 cm, head 25–60 cm, Hb 30–250 g/L.
struct CheckupRecordInput {
  std::optional<ContactKind> kind;  // none: the schedule assigns the record by its date
  Date date{};
  std::string clinic;  // org code; default the caller's unit
  std::optional<double> weight_kg;
  std::optional<double> length_height_cm;
  std::optional<LengthMeasure> measure;
  std::optional<double> head_cm;
  std::optional<double> haemoglobin_g_l;
  std::optional<HearingResult> hearing;
  std::optional<DevelopmentResult> development;
  std::string vision;
  bool feeding_guidance = false;
  bool tcm_guidance = false;
  std::string advice;
  std::optional<Date> discharged_on;
};

// A newborn screening result as recorded: the centre is an org unit (facility_code) or, for a
// hospital outside the registry, its name (facility_name); neither: the caller's unit.
struct ScreeningRecordInput {
  ScreeningRecord record;
  std::string facility_code;
  std::string facility_name;
};

// A stored check-up with what is computed from it.
struct CheckupView {
  Checkup checkup;
  int age_days = 0;
  LengthMeasure measure = LengthMeasure::kRecumbent;  // as recorded, or the default for the age
  GrowthZScores z;
  NutritionStatus nutrition;
  std::optional<ContactKind> contact;  // the contact of the schedule it fulfils, if any
};

// A child's 0–6 card on `as_of`.
struct ChildCard {
  std::string person_id;
  std::string name;
  Sex sex = Sex::kMale;
  Date birth{};
  std::optional<BirthLink> birth_here;  // a newborn of a delivery recorded here
  std::optional<Date> discharge;        // used by the schedule
  CheckupInput schedule_input;          // what PlanCheckups was given
  CheckupPlan plan;
  ManagementSummary summary;
  std::vector<CheckupView> checkups;  // oldest first
  ScreeningInput screening_input;     // what PlanScreening was given
  ScreeningPlan screening;
  std::vector<NewbornScreening> screenings;  // by test date
  Date as_of{};
};

struct DueQuery {
  Date due_by{};
  bool count_only = false;
  int limit = 200;
};

struct DueItem {
  std::string person_id;
  std::string name;
  Sex sex = Sex::kMale;
  Date birth{};
  std::string residence_org;
  CheckupEntry next;  // the first contact due, overdue or opening by due_by
};

class ChildService {
 public:
  ChildService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
               const registry::RegistryService& registry);

  // The child's card, audited as "child.read". REQUIRES: kPersonRead.
  Result<ChildCard> Card(const auth::Principal& who, const std::string& person_id);

  // Records a check-up and returns the card. Field errors: `date` before_birth, in_future or
  // over_age (the child was 7 or older on the day); the measures out_of_range; `discharged_on`
  // before_birth or after_checkup; `clinic` unknown_org. Audited as "child.checkup" (invalid
  // input as result "invalid"). REQUIRES: kMaternalCare.
  Result<ChildCard> RecordCheckup(const auth::Principal& who, const std::string& person_id,
                                  const CheckupRecordInput& in);

  // Records a newborn screening result and returns the card. Field errors: `date` before_birth or
  // in_future; `result` not_for_kind; `diagnosis` not_applicable (child/screening.h);
  // `facility_code` unknown_org. Audited as "child.screening" with the kind, not the result
  // (invalid input as result "invalid"). REQUIRES: kMaternalCare.
  Result<ChildCard> RecordScreening(const auth::Principal& who, const std::string& person_id,
                                    const ScreeningRecordInput& in);

  // Children 0–6 of the caller's jurisdiction with a contact due, overdue or opening on or before
  // `due_by`, by that contact's opening. Audited as one "child.list" row unless count_only.
  // REQUIRES: kPersonRead.
  Result<std::vector<DueItem>> Due(const auth::Principal& who, const DueQuery& q);

 private:
  // Writes a row of a child read in the caller's scope (checking the input against the child
  // first), appends its audit row in the same transaction and answers the card; `errors` holds the
  // input's problems found before reading the child.
  using RowWriter = std::function<Status(soci::session&, const registry::Person&, Date today,
                                         FieldErrors& errors)>;
  Result<ChildCard> WriteOnCard(const auth::Principal& who, const std::string& person_id,
                                const std::string& action, FieldErrors errors,
                                const RowWriter& write);
  std::string OrgOrError(const auth::Principal& who, const std::string& code, const char* field,
                         FieldErrors& errors) const;
  Status RefuseOutside(const auth::Principal& who, const std::string& action,
                       const std::string& person_id);
  Result<ChildCard> BuildCard(const registry::Person& p, std::vector<Checkup> checkups,
                              std::optional<BirthLink> birth,
                              std::vector<NewbornScreening> screenings) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

// The z-scores of a check-up of a child of `sex` born `birth` (age in completed days, the measure
// defaulting by DefaultMeasure). Pure.
CheckupView ViewCheckup(const Checkup& c, Sex sex, Date birth);

}  // namespace jd::child
