// File: family_planning/store.h
// The SQL of the family-planning records (migration 0027): a person's contraception methods,
// free contraceptives handed out (to a person, or anonymously by a self-service machine at a
// service point), basic contraceptive procedures, 孕情环情 and reproductive-health checks, guidance
// and counselling, and the reward facts per person and year with the payments made. Bound
// parameters only; every function runs on the session it is given, inside the caller's
// transaction; inserts and updates of the five record tables leave a change event (the
// migration's triggers, entity "fp").
//
// Scope: a person's rows are read only where the person currently lives within the auth::Scope
// (persons.residence_path, as every person-level store); an anonymous distribution is read where
// its service point's org_path lies within the scope. The default scope reads nothing. Rows are
// never deleted: Void sets voided_at/voided_by/void_reason on a row read within the scope, and
// every read but RecordOf leaves voided rows out.
//
// Register(s, scope, born_from, born_to, from, to): the active women living within `scope` born
// in [born_from, born_to] (the caller passes the dates that make ages 15–49 on its as-of day),
// each with her current method, her non-voided guidance days, free-service days (distributions
// and procedures) and checks in [from, to], and all her non-voided procedures.
// Stateless; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "core/dates.h"
#include "storage/database.h"

namespace jd::family_planning {

enum class RecordKind { kMethod, kDistribution, kProcedure, kCheck, kGuidance };

std::string_view RecordKindCode(RecordKind k);  // method, distribution, procedure, check, guidance
std::optional<RecordKind> ParseRecordKind(std::string_view code);

// One stored record of any kind. `code` is the method (rules.h MethodCode), the item
// (supplies.h ItemCode), the procedure (rules.h ProcedureCode), the check kind (pregnancy_iud,
// reproductive_health) or, for guidance, the topic; `on` the day it started, was handed out, done,
// checked or given.
struct Entry {
  RecordKind kind = RecordKind::kGuidance;
  std::string id;
  std::string person_id;  // empty: an anonymous distribution
  std::string point_id;   // distributions and procedures; empty when none
  std::string point_name;
  std::string code;
  Date on{};
  std::optional<Date> ended_on;  // methods
  int quantity = 0;              // distributions
  std::string result;            // checks
  std::string note;
  std::string voided_at, voided_by, void_reason;  // empty when in force
  std::string recorded_at, recorded_by, org_path;

  bool voided() const { return !voided_at.empty(); }
};

// A woman of the register, with what the register shows of her.
struct RegisterRow {
  std::string person_id, name, residence_org, residence_path, marital_status;
  Date birth{};
  std::optional<Entry> method;  // the newest method in force (not ended, not voided)
  std::vector<Date> guidance_on, free_service_on, checked_on;
  std::vector<Entry> procedures;  // all, oldest first
};

struct RewardFactsRow {
  std::string person_id;
  int year = 0;
  bool floating = false, practises_family_planning = false, hardship = false,
       only_child_certificate = false, child_disabled_grade_3 = false;
  int children_born = 0, living_children = 0, woman_age = 0;
  std::string recorded_at, recorded_by, org_path;
  // Filled by reads joined to the person.
  std::string name, id_number, residence_org;
};

struct PaymentRow {
  std::string person_id, rule_id, paid_on, paid_by;
  int year = 0;
};

// What Void found.
enum class VoidOutcome { kVoided, kNotFound, kOutside, kAlreadyVoided };

class FpStore {
 public:
  static void Insert(soci::session& s, const Entry& e);
  // Every record of the person (voided ones too), by kind then day; empty when she or he lives
  // outside `scope`.
  static std::vector<Entry> RecordOf(soci::session& s, const auth::Scope& scope,
                                     const std::string& person_id);
  // One record by id, scoped as above (an anonymous distribution by its point).
  static auth::ScopedRow<Entry> Get(soci::session& s, const auth::Scope& scope, RecordKind kind,
                                    const std::string& id);
  // REQUIRES: the row was read with Get in the caller's scope.
  static bool Void(soci::session& s, RecordKind kind, const std::string& id, const std::string& at,
                   const std::string& by, const std::string& reason);
  // The quantity of `item` the person received (not voided) in calendar year `year`.
  static int QuantityInYear(soci::session& s, const std::string& person_id, const std::string& item,
                            int year);
  // Distributions at points within `scope` in [from, to], newest first; the person id is kept only
  // where the person lives within `scope` (anonymous otherwise).
  static std::vector<Entry> DistributionsAtPoints(soci::session& s, const auth::Scope& scope,
                                                  Date from, Date to, int limit);
  static std::vector<RegisterRow> Register(soci::session& s, const auth::Scope& scope,
                                           Date born_from, Date born_to, Date from, Date to);

  // Replaces the person's facts of the year.
  static void PutRewardFacts(soci::session& s, const RewardFactsRow& f);
  static std::vector<RewardFactsRow> RewardFactsOf(soci::session& s, const auth::Scope& scope,
                                                   const std::string& person_id);
  // The facts of `year` of the persons living within `scope`, by residence then name.
  static std::vector<RewardFactsRow> RewardFactsOfYear(soci::session& s, const auth::Scope& scope,
                                                       int year);
  // The payments of `year` of the persons living within `scope`.
  static std::vector<PaymentRow> Payments(soci::session& s, const auth::Scope& scope, int year);
  // False when the payment was already marked.
  static bool MarkPaid(soci::session& s, const PaymentRow& p, const std::string& paid_at);
};

}  // namespace jd::family_planning
