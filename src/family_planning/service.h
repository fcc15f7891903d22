// File: family_planning/service.h
// Use cases of the free family-planning services for migrants (流动人口计划生育基本公共服务,
// 南宁市流动人口基本公共卫生计生服务均等化实施办法 (2017) 四(七)) for the HTTP API and the
// command line: the area's register of women of reproductive age with the two coverage figures of
// the year, a person's family-planning record, recording and voiding a method, a distribution of
// free contraceptives (to a person, or anonymously at a self-service machine), a procedure with its
// follow-up days, a 孕情环情 or reproductive-health check and a guidance session, the reward facts
// of a person and year with their evaluation (rewards.h), and the payment list of the year.
//
// Access, decided by auth (auth/access.h): reads need kPersonRead, writes kFamilyPlanning, and the
// person's current residence within auth::ScopeOf(caller); a person outside it is "not found"
// (404) and the attempt is audited as denied. An anonymous distribution is recorded at a service
// point within auth::ScopeOf (a centre: its street's points). The register's coverage figures are
// aggregates: a caller with kAggregateRead but no kPersonRead gets the figures of
// auth::AggregateScopeOf and no row. The payment list gives names to a reader with kPersonRead
// within its scope; to an aggregate-only reader (finance) the masked name (registry MaskName) and
// no person id (our policy: the centres, which hold the identities, pay).
//
// Policies where the seed texts are silent (docs/family_planning.md): the year of the coverage
// figures is the calendar year of the as-of day; the registry keeps no spouse link, so a couple's
// free service is counted from the woman's own distributions and procedures; a procedure's
// follow-ups are those of rules.h FollowUpsDue until the device's removal, and one is "due" when
// its day lies within 30 days either side of today with no check of the woman from 30 days before
// it on; a correction voids a row with a reason (audited), nothing is deleted.
//
// Every read and write of a person is audited ("fp.read", "fp.record", "fp.void",
// "fp.reward_facts", "fp.payment"), refusals too; a write and its audit row share one transaction.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "family_planning/rewards.h"
#include "family_planning/rules.h"
#include "family_planning/store.h"
#include "family_planning/supplies.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::family_planning {

enum class CheckKind { kPregnancyIud, kReproductiveHealth };
std::string_view CheckKindCode(CheckKind k);
std::optional<CheckKind> ParseCheckKind(std::string_view code);
// normal, abnormal, pregnant, iud_in_place, iud_missing.
bool IsCheckResult(std::string_view code);

struct MethodInput {
  Method method = Method::kCondom;
  std::optional<Date> started_on;  // default today
  std::string note;
};

struct DistributionInput {
  Item item = Item::kCondom;
  int quantity = 0;
  std::optional<Date> dispensed_on;  // default today
  std::string point_id;              // required for an anonymous distribution
};

struct ProcedureInput {
  Procedure procedure = Procedure::kIudInsertion;
  std::optional<Date> done_on;  // default today
  std::string point_id;
  std::string note;
};

struct CheckInput {
  CheckKind kind = CheckKind::kPregnancyIud;
  std::optional<Date> checked_on;  // default today
  std::string result;              // IsCheckResult
  std::string note;
};

struct GuidanceInput {
  std::optional<Date> given_on;  // default today
  std::string topic;             // required, free text
};

// A procedure as shown: the record with its follow-up days up to a year ahead.
struct ProcedureView {
  Entry entry;
  std::vector<Date> follow_ups;
  std::optional<Date> next_follow_up;  // the first on or after today
  bool follow_up_due = false;
};

struct RewardView {
  RewardFactsRow facts;
  std::vector<RewardOutcome> outcomes;
};

struct PersonRecord {
  std::string person_id, name;
  Sex sex = Sex::kFemale;
  Date birth{};
  Date as_of{};
  bool woman_of_reproductive_age = false;
  std::vector<Entry> methods, distributions, checks, guidance;  // voided ones too
  std::vector<ProcedureView> procedures;
  // Item code → quantity received this calendar year, with the cap (supplies.h).
  std::vector<std::pair<Item, int>> received_this_year;
  std::vector<RewardView> rewards;
};

struct RegisterWoman {
  std::string person_id, name, residence_org;
  int age = 0;
  bool married = false;
  std::optional<Entry> method;
  std::optional<Date> last_guidance, last_free_service;
  bool guided_this_year = false, served_this_year = false;
  int follow_ups_due = 0;
};

struct RegisterView {
  Date as_of{}, from{}, to{};
  Coverage guidance, free_service;
  int women = 0;           // women 15–49 of the area
  int follow_ups_due = 0;  // women of the area with a follow-up due (the home card's count)
  bool rows_included = false;
  std::vector<RegisterWoman> rows;  // at most `limit`
};

struct PaymentLine {
  std::string person_id;  // empty for an aggregate-only reader
  std::string name;       // masked for an aggregate-only reader
  std::string residence_org;
  int year = 0;
  std::string rule_id, label_zh, label_en;
  bool seed_criteria = false;
  std::string paid_on;  // empty: not paid
};

struct PaymentList {
  int year = 0;
  bool names_masked = false;
  std::vector<PaymentLine> lines;
};

class FpService {
 public:
  FpService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
            const registry::RegistryService& registry);

  // REQUIRES: kPersonRead, or kAggregateRead for the figures only. `area` (an org code within the
  // caller's scope) narrows it; `limit` bounds the rows.
  Result<RegisterView> Register(const auth::Principal& who, const std::string& area, int limit);
  // REQUIRES: kPersonRead.
  Result<PersonRecord> RecordOf(const auth::Principal& who, const std::string& person_id);

  // Each REQUIRES kFamilyPlanning; field errors of rules.h/supplies.h and the fields' own.
  Result<Entry> RecordMethod(const auth::Principal& who, const std::string& person_id,
                             const MethodInput& in);
  Result<Entry> RecordDistribution(const auth::Principal& who, const std::string& person_id,
                                   const DistributionInput& in);
  Result<Entry> RecordAnonymousDistribution(const auth::Principal& who,
                                            const DistributionInput& in);
  Result<ProcedureView> RecordProcedure(const auth::Principal& who, const std::string& person_id,
                                        const ProcedureInput& in);
  Result<Entry> RecordCheck(const auth::Principal& who, const std::string& person_id,
                            const CheckInput& in);
  Result<Entry> RecordGuidance(const auth::Principal& who, const std::string& person_id,
                               const GuidanceInput& in);
  // Voids a record in force (reason required); 404 outside the scope, 409 when already voided.
  Result<Entry> Void(const auth::Principal& who, RecordKind kind, const std::string& id,
                     const std::string& reason);
  // Distributions at the points of the caller's scope in the year of today, newest first.
  Result<std::vector<Entry>> PointDistributions(const auth::Principal& who, int limit);

  // Replaces the facts of the person for `year` (field errors: rewards.h CheckRewardFacts, year
  // outside 2000..this year). REQUIRES: kFamilyPlanning.
  Result<RewardView> PutRewardFacts(const auth::Principal& who, const std::string& person_id,
                                    int year, const RewardFacts& facts);
  // Every eligible rule of every person of the scope with facts for `year`. REQUIRES: kPersonRead
  // or kAggregateRead (masked, see above).
  Result<PaymentList> Payments(const auth::Principal& who, int year);
  // Marks one line paid on `paid_on` (not in the future). REQUIRES: kFamilyPlanning; the rule must
  // be eligible on the stored facts.
  Status MarkPaid(const auth::Principal& who, const std::string& person_id, int year,
                  const std::string& rule_id, Date paid_on);
  // The payment list as a workbook (.xlsx bytes).
  static Result<std::string> PaymentsXlsx(const PaymentList& list);

 private:
  // Runs `write` on the person read within the caller's scope; audits a refusal.
  template <class Fn>
  Status WritePerson(const auth::Principal& who, const std::string& person_id,
                     const std::string& action, Fn&& write);
  Entry NewEntry(const auth::Principal& who, RecordKind kind, const std::string& person_id,
                 const std::string& org_path) const;
  Status AuditRecord(soci::session& s, const auth::Principal& who, const Entry& e,
                     const std::string& detail);

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

}  // namespace jd::family_planning
