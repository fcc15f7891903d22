// File: preconception/service.h
// Use cases of the free pre-pregnancy check (国家免费孕前优生健康检查, 技术服务规范 2010) and of
// folic-acid supplementation (增补叶酸预防神经管缺陷项目) for the HTTP API and the command line:
// record a couple's check, read the checks of either partner, record a supply of folic acid and
// read the woman's supplementation status; record a person's premarital medical check
// (婚前医学检查, preconception/premarital.h) and read a person's premarital checks. Inputs and
// outputs are typed structs; the transport reads and writes JSON (http/preconception_routes.cc).
//
// Access, decided by auth (auth/access.h): reads need kPersonRead, writes kMaternalCare, and the
// woman's current residence within auth::ScopeOf(caller). A registered man is looked up in the
// same scope: one outside it is "not found" to the caller, as an unknown id. A check is read
// through the woman's record or the registered man's, and only where the woman lives within the
// scope. Syphilis and hepatitis B results are infection data, as in the maternal module: written
// only with kInfectionRead, and left out (with the reasons they gave) for a reader without it
// (infection_hidden); so are a premarital check's 指定传染病 findings (and the reasons they gave),
// the opinion staying. Every read and write is audited ("preconception.read",
// "preconception.check", "folic_acid.supply", "premarital.check"), refusals too; a write and its
// audit row share one transaction, and the tables' triggers add the change event. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "core/dates.h"
#include "core/status.h"
#include "preconception/checks.h"
#include "preconception/model.h"
#include "preconception/store.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::preconception {

struct CheckInput {
  std::optional<Date> check_date;  // default today
  std::string clinic;              // org code; default the caller's unit
  std::string man_person_id;       // the man when he is a registry person
  std::string man_name;            // else his name as typed
  CheckRecord record;              // items done per partner, results, risk factors
  std::string advice;              // 咨询指导
  std::optional<Date> planned_pregnancy_on;
};

// A check as a reader sees it.
struct CheckView {
  StoredCheck check;
  std::string woman_name;
  std::string man_name;  // the registry name (within the scope) or the typed one
  bool man_registered = false;
  Completeness completeness;
  bool infection_hidden = false;
};

struct SupplyInput {
  std::optional<Date> supplied_on;  // default today
  int quantity_days = 0;            // 1–180 tablets of 0.4 mg
  std::string clinic;               // default the caller's unit
};

struct FolicView {
  std::vector<StoredSupply> supplies;
  std::optional<Date> lmp;      // of her pregnancy that dates the window, when any
  std::optional<Date> planned;  // of her latest check, when stated
  FolicPlan plan;
  Date as_of{};
};

struct PremaritalInput {
  std::optional<Date> check_date;  // default today
  std::string clinic;              // org code; default the caller's unit
  std::string partner_person_id;   // the partner when a registry person
  std::string partner_name;        // else the name as typed
  PremaritalRecord record;         // findings per category, close_relatives, the opinion
  std::string advice;              // 婚前卫生指导、咨询意见
};

// A premarital check as a reader sees it.
struct PremaritalView {
  StoredPremarital check;
  std::string person_name;
  std::string partner_name;  // the registry name (within the scope) or the typed one
  bool partner_registered = false;
  IndicatedOpinion indicated;  // what calls for the opinion
  bool infection_hidden = false;
};

class PreconceptionService {
 public:
  PreconceptionService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                       const registry::RegistryService& registry);

  // Records a check of the woman `person_id` (in the caller's jurisdiction). Field errors:
  // checks.h ValidateRecord's; check_date in the future (in_future) or before her birth
  // (before_birth); person not a woman (not_female); man_person_id unknown or outside the
  // jurisdiction (not_found) or not a man (same_sex); the man neither registered nor named while
  // examined (man: required); the clinic (unknown_org, outside_jurisdiction); planned pregnancy
  // before the check (before_check). REQUIRES: kMaternalCare, and kInfectionRead for a syphilis
  // or hepatitis B result.
  Result<CheckView> RecordCheck(const auth::Principal& who, const std::string& person_id,
                                const CheckInput& in);
  // The checks where the person is the woman or the registered man, newest first.
  // REQUIRES: kPersonRead.
  Result<std::vector<CheckView>> ListForPerson(const auth::Principal& who,
                                               const std::string& person_id);
  // Records a premarital check of `person_id` (in the caller's jurisdiction), of either sex.
  // Field errors: premarital.h ValidatePremarital's; check_date in the future (in_future) or
  // before birth (before_birth); partner_person_id unknown or outside the jurisdiction
  // (not_found) or of the same sex (same_sex); the partner neither registered nor named
  // (partner: required); the clinic. REQUIRES: kMaternalCare, and kInfectionRead for any
  // 指定传染病 finding.
  Result<PremaritalView> RecordPremarital(const auth::Principal& who, const std::string& person_id,
                                          const PremaritalInput& in);
  // The person's premarital checks, newest first. REQUIRES: kPersonRead.
  Result<std::vector<PremaritalView>> ListPremarital(const auth::Principal& who,
                                                     const std::string& person_id);
  // Field errors: supplied_on in the future or before her birth, quantity_days outside 1–180
  // (out_of_range), not a woman, the clinic. REQUIRES: kMaternalCare.
  Result<FolicView> RecordSupply(const auth::Principal& who, const std::string& person_id,
                                 const SupplyInput& in);
  // Her supplies and the plan on today: the window is dated by the LMP of her newest pregnancy
  // begun no earlier than 4 months before her first supply (a late start still counts), or of her
  // open pregnancy when she has no supply, else by the planned date of her latest check.
  // REQUIRES: kPersonRead.
  Result<FolicView> FolicStatus(const auth::Principal& who, const std::string& person_id);

 private:
  Status RefuseOutside(const auth::Principal& who, const std::string& action,
                       const std::string& person_id);
  // The audited read of a person's data: `read` runs when the person lives within the caller's
  // scope and returns the audit row's detail; refusals and unknown persons are audited too.
  Status ReadAudited(const auth::Principal& who, const std::string& person_id,
                     const std::string& object_type,
                     const std::function<std::string(soci::session&, const auth::Scope&)>& read);
  void CheckClinic(const auth::Principal& who, const std::string& code, FieldErrors& errors) const;
  CheckView View(const auth::Principal& who, const CheckRow& row) const;
  PremaritalView View(const auth::Principal& who, const PremaritalRow& row) const;
  // The partner `partner_id` looked up in `scope`: his or her registry name, or a field error
  // (not_found, same_sex) under `field`; `outside` tells a partner outside the scope.
  std::string LookUpPartner(soci::session& s, const auth::Scope& scope,
                            const std::string& person_id, const std::string& partner_id,
                            registry::Sex want, const char* field, bool& outside,
                            FieldErrors& errors) const;
  // Audits the refusal of a partner outside the caller's jurisdiction.
  Status RefusePartner(const auth::Principal& who, const std::string& action,
                       const std::string& partner_id);
  FolicView Folic(soci::session& s, const auth::Scope& scope, const std::string& person_id,
                  Date today) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
};

}  // namespace jd::preconception
