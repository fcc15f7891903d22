// File: maternal/service.h
// Use cases of maternal health management (孕产妇健康管理, 规范 第三版) for the HTTP API and the
// command line: register a pregnancy (open the 母子健康手册), read it with its schedule, record
// visits, assess the risk colour, record the delivery or the end of the pregnancy, the centre's
// worklists (visits due, the high-risk register), and HIV, syphilis and hepatitis B tests with the
// PMTCT follow-up of mother and baby (maternal/pmtct_service.h, in pmtct_service.cc). Inputs and
// outputs are typed structs; the transport reads and writes JSON (http/maternal_routes.cc).
//
// Access, decided by auth (auth/access.h): reads need kPersonRead, writes kMaternalCare, and the
// woman's current residence within auth::ScopeOf(caller): a pregnancy follows her when she moves
// within the city, and is "not found" (audited as denied) for a caller whose jurisdiction she has
// left. Infection results (HIV, syphilis, hepatitis B) and the conditions of a coexisting colour
// (purple) are written only with kInfectionRead, and hidden from a reader without it: the view
// then says only that something is hidden (infection_hidden), never which. Every read and write of
// a woman's pregnancy is audited, refusals too; the write and its audit row share one transaction,
// and the table's triggers add the change event the live statistics read after the commit.
//
// Each write recomputes the schedule (maternal/antenatal.h) as of the server's today and keeps
// next_due_on and the visit count with the pregnancy for the worklists and the statistics. The
// 42-day check closes the pregnancy; so does an end without a delivery. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "maternal/antenatal.h"
#include "maternal/model.h"
#include "maternal/pmtct_service.h"
#include "maternal/risk.h"
#include "maternal/store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::maternal {

// What a risk assessment is given besides the woman's age (taken from the registry on the day).
struct RiskInput {
  std::optional<double> height_cm;  // with weight_kg: the BMI
  std::optional<double> weight_kg;
  std::optional<double> haemoglobin_g_l;
  std::optional<double> platelets_10e9_l;
  bool hiv_positive = false;
  bool syphilis_positive = false;
  bool hbsag_positive = false;
  std::vector<std::string> conditions;  // ticked condition codes of the catalogue
  std::optional<std::string> colour;    // a colour the clinician states
};

struct RegistrationInput {
  DatingInput dating;                 // lmp, and optionally an early ultrasound
  std::optional<Date> registered_on;  // default today
  int gravidity = 1;
  int parity = 0;
  std::string clinic;  // org code of the centre that keeps the handbook; default the caller's unit
  RiskInput risk;  // the first assessment, made at registration (工作规范 二(一) 妊娠风险筛查)
};

struct VisitInput {
  VisitKind kind = VisitKind::kAntenatal;
  Date date{};
  std::string clinic;  // default the pregnancy's clinic
  VisitMeasures measures;
  // A re-assessment made at the visit (工作规范: 每次产前检查时动态评估); the visit's Hb feeds it.
  std::optional<RiskInput> risk;
};

struct AssessmentInput {
  Date assessed_on{};
  RiskInput risk;
};

// A child of the delivery, registered as a person with its 出生医学证明 number.
struct NewbornInput {
  std::string name;  // default: the mother's name + 之子 / 之女
  registry::Sex sex = registry::Sex::kFemale;
  std::string birth_certificate_no;
  std::optional<int> birth_weight_g;
  std::optional<double> birth_length_cm;
};

struct DeliveryInput {
  Date delivered_on{};
  std::optional<Date> discharged_on;
  DeliveryMode mode = DeliveryMode::kVaginal;
  std::string place;  // the hospital, as written
  int live_births = 1;
  // Each becomes a registry person living with the mother (residence, hukou, phone and ethnicity
  // hers, arrived on the day of birth), linked to this pregnancy. When given, their number is the
  // number of live births.
  std::vector<NewbornInput> newborns;
};

struct EndInput {
  Date ended_on{};
  EndReason reason = EndReason::kOther;
};

// A pregnancy as a reader sees it on `as_of`.
struct PregnancyView {
  Pregnancy pregnancy;
  std::vector<PregnancyVisit> visits;
  std::vector<StoredAssessment> assessments;
  std::vector<Newborn> newborns;
  CareSchedule schedule;
  GestationalAge ga_today;  // meaningful while not delivered or ended
  Date as_of{};
  bool infection_hidden = false;  // parts left out for a reader without kInfectionRead
};

struct WorklistItem {
  Pregnancy pregnancy;
  std::string person_name;
  std::string residence_org;
  GestationalAge ga_today;
  // The first contact still open on the day: due, overdue or upcoming; none when every contact is
  // done or past.
  std::optional<ContactState> next_contact;
};

class MaternalService {
 public:
  MaternalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                  const registry::RegistryService& registry,
                  const RiskCatalogue& catalogue = RiskCatalogue::Builtin());

  // Opens the 母子健康手册 of a woman in the caller's jurisdiction. Field errors: the dating's
  // (maternal/pregnancy.h), `registered_on` in the future or before the LMP, `gravidity` < 1 or
  // `parity` ≥ `gravidity`, `person` not a woman (not_female) or born after the LMP, the clinic
  // (unknown_org, outside_jurisdiction), the risk input's (maternal/risk.h and the ranges of the
  // measures). A second open pregnancy is kAlreadyExists. REQUIRES: kMaternalCare.
  Result<PregnancyView> Register(const auth::Principal& who, const std::string& person_id,
                                 const RegistrationInput& in);
  // REQUIRES: kPersonRead. Audited as "pregnancy.read".
  Result<PregnancyView> Get(const auth::Principal& who, const std::string& pregnancy_id);
  // The woman's pregnancies (newest first) with their schedules. REQUIRES: kPersonRead.
  Result<std::vector<PregnancyView>> ListForPerson(const auth::Principal& who,
                                                   const std::string& person_id);
  // Field errors: maternal::CheckVisit's (`date`), the measures' ranges, the clinic, the risk.
  // REQUIRES: kMaternalCare.
  Result<PregnancyView> RecordVisit(const auth::Principal& who, const std::string& pregnancy_id,
                                    const VisitInput& in);
  Result<PregnancyView> Assess(const auth::Principal& who, const std::string& pregnancy_id,
                               const AssessmentInput& in);
  // Field errors: `delivered_on` before 28+0 weeks (too_early_for_delivery: record an end),
  // after today, or before the last antenatal visit; `discharged_on` before the delivery;
  // `live_births` outside 0–8 or not the number of newborns; `newborns[i].<field>` for a child
  // the registry would refuse (registry::ValidatePerson), a birth weight outside 300–6500 g or a
  // length outside 20–65 cm, or a birth certificate already registered (duplicate). Each child is
  // audited as "person.create". A second delivery is kFailedPrecondition.
  Result<PregnancyView> RecordDelivery(const auth::Principal& who, const std::string& pregnancy_id,
                                       const DeliveryInput& in);
  Result<PregnancyView> End(const auth::Principal& who, const std::string& pregnancy_id,
                            const EndInput& in);

  // The open pregnancies of the caller's jurisdiction with a contact due by `due_by` (all open
  // ones without it), or only the high-risk register. Audited as one "pregnancy.list" row.
  // REQUIRES: kPersonRead.
  Result<std::vector<WorklistItem>> Worklist(const auth::Principal& who, const WorklistQuery& q);

  // PMTCT (maternal/pmtct_service.h). Field errors of a test: `tested_on` in the future
  // (in_future), before the registration (before_registration) or after the care was closed
  // (episode_closed). REQUIRES: kMaternalCare and kInfectionRead (refusals audited).
  Result<InfectionTestOutcome> RecordInfectionTest(const auth::Principal& who,
                                                   const std::string& pregnancy_id,
                                                   const InfectionTestInput& in);
  // Field errors: `item` unknown (unknown_item), not applying to the case (not_applicable), an
  // infant item before the delivery (not_born); `infant_person_id` missing with several newborns
  // (required), not a newborn of the pregnancy (not_a_newborn) or given for a mother's item
  // (not_for_mother); `done_on` in the future (in_future) or before the birth (before_birth).
  // REQUIRES: kMaternalCare and kInfectionRead (refusals audited).
  Result<PmtctCaseView> RecordPmtctItem(const auth::Principal& who, const std::string& case_id,
                                        const PmtctItemInput& in);
  // REQUIRES: kPersonRead; without kInfectionRead an empty view with infection_hidden.
  Result<PmtctPersonView> PmtctForPerson(const auth::Principal& who, const std::string& person_id);

  const RiskCatalogue& catalogue() const { return catalogue_; }

 private:
  // Reads a pregnancy in the caller's scope for a write, checks its version (0: not checked),
  // applies `change` and stores it with its audit row; refusals are audited.
  Result<PregnancyView> Change(
      const auth::Principal& who, const std::string& pregnancy_id, const std::string& action,
      const std::function<Status(soci::session&, Pregnancy&, std::vector<PregnancyVisit>&,
                                 std::string& detail)>& change);
  Status RefuseOutside(const auth::Principal& who, const std::string& action,
                       const std::string& object_type, const std::string& id);
  // The risk assessment of `in` on `on` for a woman born `birth`, as a row for `pregnancy_id`.
  Result<StoredAssessment> AssessRisk(const auth::Principal& who, const RiskInput& in, Date birth,
                                      Date on, FieldErrors& errors);
  // Makes `a` the pregnancy's latest assessment (colour, coexisting colours, the high-risk flag)
  // unless an assessment of a later day is already there.
  void ApplyLatest(Pregnancy& p, const StoredAssessment& a) const;
  // Recomputes the schedule and the pregnancy's list columns.
  CareSchedule Refresh(Pregnancy& p, const std::vector<PregnancyVisit>& visits, Date today) const;
  // A case with the plans of its subjects on `today`: the mother's and every baby's when
  // `person_id` is the mother, else that baby's alone.
  Result<PmtctCaseView> CaseView(soci::session& s, const auth::Scope& scope, PmtctCase c,
                                 const std::string& person_id, Date today) const;
  PregnancyView View(const auth::Principal& who, Pregnancy p, std::vector<PregnancyVisit> visits,
                     std::vector<StoredAssessment> assessments,
                     std::vector<Newborn> newborns = {}) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  const RiskCatalogue& catalogue_;
};

}  // namespace jd::maternal
