// File: immunization/programme_store.h
// The SQL of the immunisation programme's work over many children (migration 0003): catch-up
// rounds and their items, campaigns and their doses, entry checks with their rows and errors,
// and the reads coverage needs. Bound parameters only; every function runs on the session it is
// given, inside the caller's transaction.
//
// Jurisdiction (auth/scope.h): every read of children takes an auth::Scope and keeps to the
// children whose persons.residence_path lies within it; rounds and entry checks, and the rows
// that belong to them (a round's planned items and the later doses its progress counts, a
// check's roster rows and rejected rows), keep to those whose area (area_path, org_path) lies
// within it. An empty scope reads nothing; reads by id return an auth::ScopedRow that says only
// "outside the scope" for a round or check elsewhere. Campaigns are city-wide metadata and
// unscoped; their children are read through CampaignCandidates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/scope.h"
#include "immunization/campaign.h"
#include "immunization/entry_check.h"
#include "registry/model.h"
#include "storage/database.h"

namespace jd::immunization {

// ---- Catch-up rounds ----

struct CatchUpRound {
  std::string id;
  std::string area_code;
  std::string area_path;
  Date as_of{};
  int children = 0;
  int doses = 0;
  std::string note;
  std::string created_at, created_by;
};

// One planned dose of a round as stored.
struct CatchUpItem {
  std::string person_id;
  int position = 0;
  std::string series;  // the schedule's series id ("HepB", "Polio", …)
  std::string vaccine;
  int dose = 0;
  std::string status;  // due, overdue, needs_test
  Date earliest{};
  std::optional<Date> timely_by;
  Date planned_on{};
};

// A child of a list (round, campaign targets) with what a worker calling the family needs.
struct ListedChild {
  std::string person_id;
  std::string name;
  std::string sex;
  Date birth{};
  std::string id_number;
  std::string residence_org;
  std::string residence_path;
  std::string guardian_name;
  std::string guardian_phone;  // the certificate's, else the child's record's
  bool has_file = false;
};

// A dose record reduced to what progress needs.
struct GivenDose {
  std::string person_id;
  std::string vaccine;
  Date date{};
};

// ---- Campaigns ----

struct CampaignTarget {
  ListedChild child;
  std::optional<Date> campaign_dose;  // the first active dose recorded against the campaign
};

// ---- Entry checks ----

struct EntryCheck {
  std::string id;
  std::string school;
  Date check_date{};
  std::string org_code;
  std::string org_path;
  std::string file_name;
  int rows_total = 0;
  int rows_invalid = 0;
  int complete = 0;
  int needs_catch_up = 0;
  int not_found = 0;
  std::string created_at, created_by;
};

struct EntryCheckRow {
  RosterRow roster;
  CheckResult result = CheckResult::kNotFound;
  MatchMethod method = MatchMethod::kNone;
  std::string not_found_reason;
  std::string person_id;
  bool has_file = false;
  std::string doses_json = "[]";  // [{"vaccine","dose","status","earliest"}]
};

// ---- Coverage ----

struct CoveragePerson {
  std::string person_id;
  registry::Person person;  // the fields eligibility needs
  bool has_file = false;
};

class ProgrammeStore {
 public:
  // Catch-up rounds.
  static void InsertRound(soci::session& s, const CatchUpRound& r);
  static void InsertItems(soci::session& s, const std::string& round_id,
                          const std::vector<CatchUpItem>& items);
  static auth::ScopedRow<CatchUpRound> GetRound(soci::session& s, const auth::Scope& scope,
                                                const std::string& id);
  // Rounds whose area lies within `scope`, newest first.
  static std::vector<CatchUpRound> ListRounds(soci::session& s, const auth::Scope& scope,
                                              int limit);
  // Items by child then position, of a round whose area lies within `scope` (every child of the
  // list, wherever it lives now: progress is over the whole list).
  static std::vector<CatchUpItem> ListItems(soci::session& s, const auth::Scope& scope,
                                            const std::string& round_id);
  // The children of a round living within `scope` now, by name then id.
  static std::vector<ListedChild> RoundChildren(soci::session& s, const auth::Scope& scope,
                                                const std::string& round_id);
  // Active doses given on or after `from` to the children of a round whose area lies within
  // `scope`, by child then date (for the progress over the whole list, as ListItems).
  static std::vector<GivenDose> RoundDoses(soci::session& s, const auth::Scope& scope,
                                           const std::string& round_id, Date from);

  // Campaigns.
  static void InsertCampaign(soci::session& s, const Campaign& c);
  static std::optional<Campaign> GetCampaign(soci::session& s, const std::string& id);
  // Every campaign, newest start first (a city runs few).
  static std::vector<Campaign> ListCampaigns(soci::session& s, int limit);
  // Active children living within `area` (the caller's scope narrowed to the campaign's area)
  // born in (born_after, born_on_or_before], with their first dose recorded against the
  // campaign, by name then id.
  static std::vector<CampaignTarget> CampaignCandidates(soci::session& s, const auth::Scope& area,
                                                        const std::string& campaign_id,
                                                        Date born_after, Date born_on_or_before);

  // Entry checks.
  // Active persons within `scope` holding `id_number` (any document type).
  static std::vector<MatchCandidate> FindById(soci::session& s, const auth::Scope& scope,
                                              const std::string& id_number);
  // Active persons within `scope` with this name and birth date.
  static std::vector<MatchCandidate> FindByNameBirth(soci::session& s, const auth::Scope& scope,
                                                     const std::string& name, Date birth);
  static void InsertCheck(soci::session& s, const EntryCheck& c);
  static void InsertCheckRow(soci::session& s, const std::string& check_id, const EntryCheckRow& r);
  static void InsertCheckError(soci::session& s, const std::string& check_id, int seq,
                               const RosterError& e);
  static auth::ScopedRow<EntryCheck> GetCheck(soci::session& s, const auth::Scope& scope,
                                              const std::string& id);
  // Checks whose unit lies within `scope`, newest first.
  static std::vector<EntryCheck> ListChecks(soci::session& s, const auth::Scope& scope, int limit);
  // The rows and rejected rows of a check whose unit lies within `scope`.
  static std::vector<EntryCheckRow> ListCheckRows(soci::session& s, const auth::Scope& scope,
                                                  const std::string& check_id);
  static std::vector<RosterError> ListCheckErrors(soci::session& s, const auth::Scope& scope,
                                                  const std::string& check_id);

  // Coverage: the active persons living within `area` born from `born_from` to `born_to`, by
  // id, and their active doses, by child and date.
  static std::vector<CoveragePerson> CoveragePersons(soci::session& s, const auth::Scope& area,
                                                     Date born_from, Date born_to);
  static std::vector<GivenDose> CoverageDoses(soci::session& s, const auth::Scope& area,
                                              Date born_from, Date born_to);
};

}  // namespace jd::immunization
