// File: immunization/programme_service.h
// Use cases of the immunisation programme over many children, shared by the HTTP API and the
// command line: 查漏补种 rounds and their progress, supplementary / emergency campaigns with their
// target lists, doses and coverage, 入托入学查验 of kindergarten and school rosters with their
// exports, and the coverage report for the statistics module. Each use case checks the caller's
// permission (auth::Require) and reads within auth::ScopeOf(caller), narrowed to an area with
// auth::Scope::Narrow (auth/scope.h): a round, campaign, check or org unit outside the caller's
// jurisdiction is "not found", and the attempt is audited as denied (auth::RefuseOutsideScope);
// lists of children hold only children living in the caller's jurisdiction, with masked ID numbers
// and phones. Coverage, figures without persons, reads within auth::AggregateScopeOf(caller).
// Writes commit with their audit row; reads of children are audited once with the count.
// Thread-safe (holds references only).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "auth/access.h"
#include "auth/audit_log.h"
#include "auth/model.h"
#include "immunization/campaign.h"
#include "immunization/catchup.h"
#include "immunization/coverage.h"
#include "immunization/entry_check.h"
#include "immunization/programme_store.h"
#include "immunization/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::immunization {

inline constexpr int kMaxListed = 500;  // rounds, campaigns and checks listed at most

// ---- Catch-up rounds ----

struct RoundProgress {
  int children = 0;            // children on the list
  int doses = 0;               // planned doses
  int doses_given = 0;         // fulfilled by a later record
  int children_completed = 0;  // every planned dose fulfilled
};

struct RoundChildDose {
  CatchUpItem item;
  bool given = false;
};

struct RoundChild {
  ListedChild child;
  std::vector<RoundChildDose> doses;
  bool completed = false;
};

struct RoundDetail {
  CatchUpRound round;
  std::string area_name;
  RoundProgress progress;            // over the whole list
  std::vector<RoundChild> children;  // those living in the caller's jurisdiction now, a page
  int total = 0;                     // of those
};

// ---- Campaigns ----

struct CampaignProgress {
  int targets = 0;
  int vaccinated = 0;  // targets with a dose recorded against the campaign
};

struct CampaignDetail {
  Campaign campaign;
  std::string area_name;
  std::string scope_path;  // the part of the area the figures cover (area ∩ jurisdiction)
  CampaignProgress progress;
  std::vector<CampaignTarget> targets;  // a page, when asked for
  int total = 0;
};

// ---- Entry checks ----

struct EntryCheckDetail {
  EntryCheck check;
  std::vector<EntryCheckRow> rows;
  std::vector<RosterError> errors;
};

struct ExportFile {
  std::string file_name;
  std::string content_type;
  std::string bytes;
};

// What a roster upload carries besides its bytes.
struct EntryCheckRequest {
  std::string school;     // empty: the roster's school column (its most frequent value)
  std::string date;       // YYYY-MM-DD; empty: today
  std::string format;     // "csv" or "xlsx"; empty: from the bytes (a ZIP is XLSX)
  std::string file_name;  // as uploaded, for the record
};

// ---- Coverage ----

struct CoverageReport {
  registry::OrgUnit org;
  CoverageQuery query;
  std::vector<UnitCoverage> units;  // the org unit first, then its child units by code
};

class ProgrammeService {
 public:
  ProgrammeService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                   const registry::RegistryService& registry, ImmunizationService& records,
                   const Schedule& schedule = Schedule::Default(),
                   const CoverageTargets& targets = DefaultTargets());

  // {area, as_of?, note?}: the children of the area with doses due, overdue or needing a skin
  // test as of `as_of` (default today), each with the plan, kept as a round. REQUIRES:
  // kVaccinationWrite.
  Result<RoundDetail> CreateRound(const auth::Principal& who, const nlohmann::json& body);
  // Rounds of areas inside the caller's jurisdiction, newest first. REQUIRES: kPersonRead.
  Result<std::vector<CatchUpRound>> ListRounds(const auth::Principal& who);
  // The round, its progress and a page of its children (limit 0: all). REQUIRES: kPersonRead.
  Result<RoundDetail> GetRound(const auth::Principal& who, const std::string& id, int limit,
                               int offset);

  // REQUIRES: kVaccinationWrite; the area must lie in the caller's jurisdiction.
  Result<CampaignDetail> CreateCampaign(const auth::Principal& who, const nlohmann::json& body);
  // Campaigns whose area overlaps the caller's jurisdiction, with their progress there.
  // REQUIRES: kPersonRead.
  Result<std::vector<CampaignDetail>> ListCampaigns(const auth::Principal& who);
  // One campaign with its progress and, when `with_targets`, a page of its target children
  // (limit 0: all). REQUIRES: kPersonRead.
  Result<CampaignDetail> GetCampaign(const auth::Principal& who, const std::string& id,
                                     bool with_targets, int limit, int offset);
  // {person_id, date, clinic, lot, …}: a dose of the campaign's vaccine recorded against it for
  // a target child, within the campaign's dates, through ImmunizationService::RecordDose.
  // REQUIRES: kVaccinationWrite.
  Result<RecordChange> RecordCampaignDose(const auth::Principal& who,
                                          const std::string& campaign_id,
                                          const nlohmann::json& body);

  // Reads a roster, matches each child in the caller's jurisdiction, and keeps the check with
  // its rows and rejected rows. REQUIRES: kPersonRead.
  Result<EntryCheckDetail> RunEntryCheck(const auth::Principal& who, std::string_view bytes,
                                         const EntryCheckRequest& request);
  Result<std::vector<EntryCheck>> ListEntryChecks(const auth::Principal& who);
  Result<EntryCheckDetail> GetEntryCheck(const auth::Principal& who, const std::string& id);
  // list: "report" (every child) or "referral" (children to send to a clinic); format: "csv"
  // (UTF-8 with BOM, Chinese headers) or "xlsx". REQUIRES: kPersonRead.
  Result<ExportFile> ExportEntryCheck(const auth::Principal& who, const std::string& id,
                                      const std::string& list, const std::string& format);

  // Coverage of the migrant children born in `cohort` living under `org` and under each of its
  // child units, as of `as_of` (default today). REQUIRES: kAggregateRead; `org` inside the
  // caller's unit.
  Result<CoverageReport> Coverage(const auth::Principal& who, const std::string& org,
                                  const std::string& cohort, const std::string& as_of,
                                  const std::string& timely);

  const Schedule& schedule() const { return schedule_; }
  const CoverageTargets& targets() const { return targets_; }
  const registry::RegistryService& registry() const { return registry_; }

 private:
  // Audits the attempt on an object outside the caller's jurisdiction and answers `not_found`.
  Status Refuse(const auth::Principal& who, const std::string& action,
                const std::string& object_type, const std::string& object_id, Status not_found);
  Forecast ForecastFrom(Date birth, const std::vector<VaccinationRecord>& records,
                        Date as_of) const;
  // The campaign's progress among its children within `area` (the caller's scope narrowed to the
  // campaign's area).
  CampaignProgress Progress(soci::session& s, const Campaign& c, const auth::Scope& area,
                            std::vector<CampaignTarget>* targets) const;
  void FillRound(soci::session& s, const auth::Scope& scope, RoundDetail& d, int limit,
                 int offset) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  ImmunizationService& records_;
  const Schedule& schedule_;
  const CoverageTargets& targets_;
};

// ---- JSON ----
nlohmann::json RoundToJson(const CatchUpRound& r, const std::string& area_name);
nlohmann::json RoundDetailToJson(const Schedule& schedule, const RoundDetail& d);
nlohmann::json CampaignToJson(const Schedule& schedule, const CampaignDetail& d);
nlohmann::json CampaignTargetToJson(const CampaignTarget& t, Date start);
nlohmann::json EntryCheckToJson(const EntryCheck& c);
nlohmann::json EntryCheckDetailToJson(const EntryCheckDetail& d);
nlohmann::json CoverageToJson(const Schedule& schedule, const CoverageTargets& targets,
                              const CoverageReport& r);

}  // namespace jd::immunization
