// File: disease/card_service.h
// The use cases of infectious-disease case cards (传染病报告卡, 传染病信息报告管理规范 2015):
// report a card, read it with its history, list cards, correct (订正), delete, find the duplicates
// of a card and merge two, and the catalogue of the diseases listed on a date. The rules are
// disease/card.h's; this service decides access, links the registry, keeps the history and tells
// the early-warning listener (disease/card_events.h).
//
// Access (decided by auth/access.h; every read and write audited, refusals too):
//   - writes (Create, Correct, Delete, Merge) need kDiseaseReport, reads (Get, List, Duplicates,
//     Catalogue) kDiseaseRead; without it: PermissionDenied (403), audited as denied.
//   - a card is read where the patient lives now: only callers whose scope (auth::ScopeOf) covers
//     its residence path see it; another's card answers NotFound, audited as denied.
//   - HIV/AIDS and pulmonary TB cards (disease::NeedsHivTbCare) also need kHivTbCare: without it
//     they are left out of lists and duplicates, and reading one answers NotFound (as if absent),
//     audited as denied. Reporting one without it is PermissionDenied.
//   - lists and duplicate candidates show names masked (the first character), ID numbers and phones
//     masked (registry/person_rules.h); a single card is shown whole.
//
// Create: fills reporting_unit with the caller's unit when empty; validates (ValidateCard); the
//   address unit must exist, lie in a district, and be covered by the caller's scope
//   ("address_unit": unknown_org, not_in_district, outside_jurisdiction); the reporting unit must
//   exist. residence_path and district_code come from the address unit; the registry person whose
//   resident ID number equals the card's is linked when the caller's scope covers them. late is
//   computed from the disease's limit on the diagnosis date (ReportLimitHours, IsLate).
// Correct: If-Match version (StaleVersion when it differs), a reason (field "reason"), an active
//   card (FailedPrecondition otherwise); the new fields are validated as in Create; the card as it
//   stood is kept in disease_card_revisions (kind "correction"), version + 1, late recomputed.
// Delete: a reason; an active card; status "deleted", the reason kept, history, version + 1.
// Duplicates: the active cards in the caller's view that IsDuplicate with the card.
// Merge(id, into, reason): both active, of the same disease, both visible to the caller; the card
//   `id` becomes "merged" with merged_into = `into`; both get a history row (kind "merge") and
//   version + 1.
// After each committed Create, Correct, Delete and Merge the listener, when set, is called with the
// card as it now stands (for Merge: the card merged away); its failure is not the caller's.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "core/dates.h"
#include "core/status.h"
#include "disease/card.h"
#include "disease/card_events.h"
#include "disease/card_store.h"
#include "disease/catalogue.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::disease {

struct RevisionView {
  int version = 0;  // the version the card had before the change
  std::string kind, reason, changed_at, changed_by;
  std::optional<Card> before;
};

struct CardView {
  Card card;
  std::string disease_name_zh, disease_name_en;
  int report_limit_hours = 24;
  std::vector<RevisionView> revisions;  // oldest first
};

struct CardListQuery {
  std::string disease_code, district_code;
  std::string unit;                  // an org code: only cards of addresses under it
  std::optional<Date> from, to;      // diagnosis date (Asia/Shanghai), both inclusive
  std::optional<CardStatus> status;  // default: active
  std::optional<bool> late;
  int page = 1, page_size = 50;
};

struct CardList {
  std::vector<Card> items;  // masked
  long long total = 0;
  int page = 1, page_size = 50;
};

class CardService {
 public:
  CardService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
              const registry::RegistryService& registry, CardListener listener = {});

  // The early-warning listener; set once at start-up, before requests are served.
  void SetListener(CardListener listener) { listener_ = std::move(listener); }

  Result<CardView> Create(const auth::Principal& who, CardFields fields);
  Result<CardView> Get(const auth::Principal& who, const std::string& id);
  Result<CardList> List(const auth::Principal& who, const CardListQuery& q);
  Result<CardView> Correct(const auth::Principal& who, const std::string& id, int expected_version,
                           CardFields fields, const std::string& reason);
  Result<CardView> Delete(const auth::Principal& who, const std::string& id,
                          const std::string& reason);
  Result<std::vector<Card>> Duplicates(const auth::Principal& who, const std::string& id);
  Result<CardView> Merge(const auth::Principal& who, const std::string& id, const std::string& into,
                         const std::string& reason);
  // The diseases notifiable on `on`. REQUIRES kDiseaseRead; not audited (no personal data).
  Result<std::vector<NotifiableDisease>> Catalogue(const auth::Principal& who, Date on) const;

 private:
  struct Refusal;
  Status RequireAudited(const auth::Principal& who, auth::Permission permission,
                        const std::string& action, const std::string& id);
  // The registry person holding this resident ID number, when the caller's scope covers them.
  std::string LinkedPerson(soci::session& s, const auth::Principal& who,
                           const std::string& id_number) const;
  // Keeps `old` in the history, writes `next` as version old.version + 1, audits `action`.
  Status Save(soci::session& s, const auth::Principal& who, const std::string& action,
              const Card& old, Card& next, const std::string& kind, const std::string& reason,
              const std::string& detail);
  // Reads card `id` for a write (kDiseaseReport, visible to `who`), lets `edit` change a copy and
  // save it (Save), answers its view and tells the listener `change`.
  using Edit = std::function<Status(soci::session&, const Card& old, Card& next)>;
  Result<CardView> ChangeOne(const auth::Principal& who, const std::string& id,
                             const std::string& action, CardChange change, const Edit& edit);
  Status Refuse(const auth::Principal& who, const std::string& action, const std::string& id,
                const Refusal& r);
  Result<Card> LoadVisible(soci::session& s, const auth::Principal& who, const std::string& id,
                           Refusal& r) const;
  Status Complete(const auth::Principal& who, Card& card, FieldErrors& errors) const;
  CardView View(soci::session& s, Card card) const;
  void Notify(const Card& card, CardChange change) const;

  storage::Database& db_;
  auth::AuditLog& audit_;
  const Clock& clock_;
  const registry::RegistryService& registry_;
  CardListener listener_;
};

}  // namespace jd::disease
