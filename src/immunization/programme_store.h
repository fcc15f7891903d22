// File: immunization/programme_store.h
// The SQL of the immunisation programme's work over many children (migration 0003): catch-up
// rounds and their items, campaigns and their doses, entry checks with their rows and errors,
// and the reads coverage needs. Bound parameters only; every function runs on the session it is
// given, inside the caller's transaction. Queries over children take a path prefix and read it as
// an index range of persons.residence_path (registry::RangeOf).
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  static std::optional<CatchUpRound> GetRound(soci::session& s, const std::string& id);
  // Rounds whose area lies under `scope_path`, newest first.
  static std::vector<CatchUpRound> ListRounds(soci::session& s, const std::string& scope_path,
                                              int limit);
  // Items by child then position.
  static std::vector<CatchUpItem> ListItems(soci::session& s, const std::string& round_id);
  // The children of a round, by name then id.
  static std::vector<ListedChild> RoundChildren(soci::session& s, const std::string& round_id);
  // Active doses given on or after `from` to the children of a round, by child then date.
  static std::vector<GivenDose> RoundDoses(soci::session& s, const std::string& round_id,
                                           Date from);

  // Campaigns.
  static void InsertCampaign(soci::session& s, const Campaign& c);
  static std::optional<Campaign> GetCampaign(soci::session& s, const std::string& id);
  // Every campaign, newest start first (a city runs few).
  static std::vector<Campaign> ListCampaigns(soci::session& s, int limit);
  // Active children living under `area_path` born in (born_after, born_on_or_before], with
  // their first dose recorded against the campaign, by name then id.
  static std::vector<CampaignTarget> CampaignCandidates(soci::session& s,
                                                        const std::string& campaign_id,
                                                        const std::string& area_path,
                                                        Date born_after, Date born_on_or_before);

  // Entry checks.
  // Active persons under `scope_path` holding `id_number` (any document type).
  static std::vector<MatchCandidate> FindById(soci::session& s, const std::string& id_number,
                                              const std::string& scope_path);
  // Active persons under `scope_path` with this name and birth date.
  static std::vector<MatchCandidate> FindByNameBirth(soci::session& s, const std::string& name,
                                                     Date birth, const std::string& scope_path);
  static void InsertCheck(soci::session& s, const EntryCheck& c);
  static void InsertCheckRow(soci::session& s, const std::string& check_id, const EntryCheckRow& r);
  static void InsertCheckError(soci::session& s, const std::string& check_id, int seq,
                               const RosterError& e);
  static std::optional<EntryCheck> GetCheck(soci::session& s, const std::string& id);
  static std::vector<EntryCheck> ListChecks(soci::session& s, const std::string& scope_path,
                                            int limit);
  static std::vector<EntryCheckRow> ListCheckRows(soci::session& s, const std::string& check_id);
  static std::vector<RosterError> ListCheckErrors(soci::session& s, const std::string& check_id);

  // Coverage: the active persons under `area_path` born from `born_from` to `born_to`, by id,
  // and their active doses, by child and date.
  static std::vector<CoveragePerson> CoveragePersons(soci::session& s, const std::string& area_path,
                                                     Date born_from, Date born_to);
  static std::vector<GivenDose> CoverageDoses(soci::session& s, const std::string& area_path,
                                              Date born_from, Date born_to);
};

}  // namespace jd::immunization
