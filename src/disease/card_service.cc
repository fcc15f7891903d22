#include "disease/card_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "disease/card_json.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::disease {

// Why a card was not handed out; audited after the transaction.
struct CardService::Refusal {
  bool outside = false;  // exists beyond the caller's scope
  bool hidden = false;   // an HIV/TB card and the caller lacks kHivTbCare
  bool missing = false;  // no such card
  bool any() const { return outside || hidden || missing; }
};

namespace {

using auth::Permission;
using auth::Principal;

constexpr const char* kObject = "disease_card";

Status CardNotFound() {
  return Status::NotFound("no such case card in your jurisdiction", "您的辖区内没有此传染病报告卡");
}

// The district segment of an org path "city/district/…/".
std::string DistrictOf(const std::string& path) {
  auto first = path.find('/');
  if (first == std::string::npos) return {};
  auto second = path.find('/', first + 1);
  if (second == std::string::npos) return {};
  return path.substr(first + 1, second - first - 1);
}

// Midnight at the start of an Asia/Shanghai date.
Instant StartOf(Date d) { return std::chrono::sys_days(d) - std::chrono::hours(8); }

Card Masked(Card c) {
  c.fields.patient_name = registry::MaskName(c.fields.patient_name);
  c.fields.parent_name = registry::MaskName(c.fields.parent_name);
  c.fields.id_number = registry::MaskIdNumber(c.fields.id_number);
  c.fields.phone = registry::MaskPhone(c.fields.phone);
  return c;
}

void RequireReason(const std::string& reason, FieldErrors& errors) {
  if (reason.empty()) {
    errors.Add("reason", "required", "请填写原因", "a reason is required");
  }
}

Status RequireActive(const Card& c) {
  if (c.status == CardStatus::kActive) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("the card is {}; only an active card can be changed", CardStatusCode(c.status)),
      "该报告卡已删除或已合并，不能修改");
}

}  // namespace

CardService::CardService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                         const registry::RegistryService& registry, CardListener listener)
    : db_(db), audit_(audit), clock_(clock), registry_(registry), listener_(std::move(listener)) {}

Status CardService::Refuse(const Principal& who, const std::string& action, const std::string& id,
                           const Refusal& r) {
  if (r.outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = kObject, .object_id = id}, CardNotFound());
  }
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = kObject,
                                         .object_id = id,
                                         .result = r.hidden ? "denied" : "not_found",
                                         .detail = r.hidden ? "hiv_tb_care required" : ""}));
  return CardNotFound();
}

Status CardService::RequireAudited(const Principal& who, Permission permission,
                                   const std::string& action, const std::string& id) {
  Status st = auth::Require(who, permission);
  if (st.ok()) return st;
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action, .object_type = kObject, .object_id = id, .result = "denied"}));
  return st;
}

std::string CardService::LinkedPerson(soci::session& s, const Principal& who,
                                      const std::string& id_number) const {
  if (id_number.empty()) return {};
  auto found = registry::PersonStore::FindIdentity(s, "resident_id", id_number);
  if (found && auth::ScopeOf(who).Covers(found->second)) return found->first;
  return {};
}

Status CardService::Save(soci::session& s, const Principal& who, const std::string& action,
                         const Card& old, Card& next, const std::string& kind,
                         const std::string& reason, const std::string& detail) {
  const std::string now = FormatTimestamp(clock_.Now()), by = auth::ActorRef(who);
  CardStore::InsertRevision(s, {.card_id = old.id,
                                .version = old.version,
                                .kind = kind,
                                .reason = reason,
                                .before = BeforeImage(old),
                                .changed_at = now,
                                .changed_by = by});
  next.version = old.version + 1;
  next.updated_at = now;
  next.updated_by = by;
  if (!CardStore::Update(s, next, old.version)) return StaleVersion();
  return audit_.Append(s, who,
                       {.action = action,
                        .object_type = kObject,
                        .object_id = next.id,
                        .person_id = next.person_id,
                        .detail = fmt::format("version={} {}", next.version, detail)});
}

Result<Card> CardService::LoadVisible(soci::session& s, const Principal& who, const std::string& id,
                                      Refusal& r) const {
  if (!IsUuid(id)) {
    r.missing = true;
    return CardNotFound();
  }
  auto card = CardStore::Get(s, auth::ScopeOf(who), id);
  r.outside = card.outside_scope();
  if (!card) {
    r.missing = !r.outside;
    return CardNotFound();
  }
  if (NeedsHivTbCare(card->fields.disease_code) && !auth::Holds(who, Permission::kHivTbCare)) {
    r.hidden = true;
    return CardNotFound();
  }
  return *std::move(card).release();
}

// Validates the fields and derives what the card keeps from them (address, district, work-site
// key, lateness).
Status CardService::Complete(const Principal& who, Card& card, FieldErrors& errors) const {
  CardFields& f = card.fields;
  if (f.reporting_unit.empty()) f.reporting_unit = who.org_code;
  errors.Append(ValidateCard(f, DiseaseCatalogue::Builtin(), clock_.Now()));
  if (!f.address_unit.empty()) {
    auto unit = registry_.FindOrg(f.address_unit);
    if (!unit) {
      errors.Add("address_unit", "unknown_org", "未知的现住址所属单位：" + f.address_unit,
                 "unknown unit: " + f.address_unit);
    } else if (unit->level == registry::OrgLevel::kCity) {
      errors.Add("address_unit", "not_in_district", "现住址须具体到区县或以下",
                 "the address unit must be a district or a unit within one");
    } else if (!auth::ScopeOf(who).Covers(unit->path)) {
      errors.Add("address_unit", "outside_jurisdiction", "现住址所属单位不在您的辖区内",
                 "the address unit is outside your jurisdiction");
    } else {
      card.residence_path = unit->path;
      card.district_code = DistrictOf(unit->path);
    }
  }
  if (!f.reporting_unit.empty() && !errors.Has("reporting_unit") &&
      !registry_.FindOrg(f.reporting_unit)) {
    errors.Add("reporting_unit", "unknown_org", "未知的报告单位：" + f.reporting_unit,
               "unknown reporting unit: " + f.reporting_unit);
  }
  if (!errors.empty()) return errors.ToStatus();
  if (NeedsHivTbCare(f.disease_code)) {
    JD_RETURN_IF_ERROR(auth::Require(who, Permission::kHivTbCare));
  }
  auto disease = DiseaseCatalogue::Builtin().Find(f.disease_code, ShanghaiDate(f.diagnosed_at));
  if (!disease.ok()) return disease.status();
  card.late = IsLate(f.diagnosed_at, f.reported_at, ReportLimitHours(*disease, f.disease_subtype));
  card.work_site_key = f.work_site_kind == WorkSiteKind::kNone ? "" : WorkSiteKey(f.work_site_name);
  return Status::Ok();
}

CardView CardService::View(soci::session& s, Card card) const {
  CardView v;
  auto d = DiseaseCatalogue::Builtin().Find(card.fields.disease_code,
                                            ShanghaiDate(card.fields.diagnosed_at));
  if (d.ok()) {
    v.disease_name_zh = d->entry->name_zh;
    v.disease_name_en = d->entry->name_en;
    v.report_limit_hours = ReportLimitHours(*d, card.fields.disease_subtype);
  }
  for (auto& r : CardStore::Revisions(s, card.id)) {
    RevisionView rv{.version = r.version,
                    .kind = r.kind,
                    .reason = r.reason,
                    .changed_at = r.changed_at,
                    .changed_by = r.changed_by};
    rv.before = ReadBeforeImage(r.before, clock_.Now());
    v.revisions.push_back(std::move(rv));
  }
  v.card = std::move(card);
  return v;
}

void CardService::Notify(const Card& card, CardChange change) const {
  if (!listener_) return;
  CardSaved saved{.change = change,
                  .card_id = card.id,
                  .disease_code = card.fields.disease_code,
                  .district_code = card.district_code,
                  .residence_path = card.residence_path,
                  .work_site_key = card.work_site_key,
                  .work_site_kind = std::string(WorkSiteKindCode(card.fields.work_site_kind)),
                  .onset_date = card.fields.onset_date,
                  .reported_at = FormatTimestamp(card.fields.reported_at),
                  .active = card.status == CardStatus::kActive};
  try {
    listener_(saved);
  } catch (const std::exception& e) {
    // The card is saved; the daily run catches up (disease/card_events.h).
    spdlog::warn("case card listener failed for {}: {}", card.id, e.what());
  }
}

Result<CardView> CardService::Create(const Principal& who, CardFields fields) {
  const std::string action = "disease_card.create";
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseReport, action, {}));
  Card card;
  card.id = NewId();
  card.fields = std::move(fields);
  FieldErrors errors;
  if (Status st = Complete(who, card, errors); !st.ok()) {
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = action,
              .object_type = kObject,
              .result = st.code() == StatusCode::kPermissionDenied ? "denied" : "invalid"}));
    return st;
  }
  card.created_at = card.updated_at = FormatTimestamp(clock_.Now());
  card.created_by = card.updated_by = auth::ActorRef(who);
  CardView out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    // The registry person of this resident ID, when the caller may see them.
    card.person_id = LinkedPerson(s, who, card.fields.id_number);
    CardStore::Insert(s, card);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = kObject,
                                      .object_id = card.id,
                                      .person_id = card.person_id,
                                      .detail = fmt::format("late={}", card.late ? 1 : 0)}));
    out = View(s, card);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  Notify(out.card, CardChange::kCreated);
  return out;
}

Result<CardView> CardService::Get(const Principal& who, const std::string& id) {
  const std::string action = "disease_card.read";
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseRead, action, id));
  Refusal refusal;
  CardView out;
  Status st = db_.Read([&](soci::session& s) -> Status {
    auto card = LoadVisible(s, who, id, refusal);
    if (!card.ok()) return card.status();
    out = View(s, *std::move(card));
    return Status::Ok();
  });
  if (refusal.any()) return Refuse(who, action, id, refusal);
  if (!st.ok()) return st;
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = kObject,
                                         .object_id = id,
                                         .person_id = out.card.person_id}));
  return out;
}

Result<CardList> CardService::List(const Principal& who, const CardListQuery& q) {
  const std::string action = "disease_card.list";
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseRead, action, {}));
  auth::Scope scope = auth::ScopeOf(who);
  if (!q.unit.empty()) {
    auto unit = registry_.FindOrg(q.unit);
    if (!unit) {
      return Status::Invalid(
          {{"unit", "unknown_org", "未知的单位：" + q.unit, "unknown unit: " + q.unit}});
    }
    scope = scope.Narrow(unit->path);
  }
  CardQuery sq{.disease_code = q.disease_code,
               .district_code = q.district_code,
               .status = q.status.value_or(CardStatus::kActive),
               .late = q.late,
               .include_hiv_tb = auth::Holds(who, Permission::kHivTbCare),
               .offset = (q.page - 1) * q.page_size,
               .limit = q.page_size};
  if (q.from) sq.from = StartOf(*q.from);
  if (q.to) sq.to = StartOf(AddDays(*q.to, 1));
  CardList out{.page = q.page, .page_size = q.page_size};
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    CardPage page = CardStore::List(s, scope, sq);
    out.total = page.total;
    for (auto& c : page.items) out.items.push_back(Masked(std::move(c)));
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action,
            .object_type = kObject,
            .detail = fmt::format("shown={} total={}", out.items.size(), out.total)}));
  return out;
}

Result<CardView> CardService::ChangeOne(const Principal& who, const std::string& id,
                                        const std::string& action, CardChange change,
                                        const Edit& edit) {
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseReport, action, id));
  Refusal refusal;
  CardView out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto old = LoadVisible(s, who, id, refusal);
    if (!old.ok()) return old.status();
    Card card = *old;
    JD_RETURN_IF_ERROR(edit(s, *old, card));
    out = View(s, std::move(card));
    return Status::Ok();
  });
  if (refusal.any()) return Refuse(who, action, id, refusal);
  if (!st.ok()) return st;
  Notify(out.card, change);
  return out;
}

Result<CardView> CardService::Correct(const Principal& who, const std::string& id,
                                      int expected_version, CardFields fields,
                                      const std::string& reason) {
  const std::string action = "disease_card.correct";
  return ChangeOne(who, id, action, CardChange::kCorrected,
                   [&](soci::session& s, const Card& old, Card& card) -> Status {
                     JD_RETURN_IF_ERROR(RequireActive(old));
                     if (old.version != expected_version) return StaleVersion();
                     card.fields = std::move(fields);
                     FieldErrors errors;
                     RequireReason(reason, errors);
                     JD_RETURN_IF_ERROR(Complete(who, card, errors));
                     // The person link follows the ID number typed on the card.
                     if (card.fields.id_number != old.fields.id_number) {
                       card.person_id = LinkedPerson(s, who, card.fields.id_number);
                     }
                     return Save(s, who, action, old, card, "correction", reason,
                                 fmt::format("late={}", card.late ? 1 : 0));
                   });
}

Result<CardView> CardService::Delete(const Principal& who, const std::string& id,
                                     const std::string& reason) {
  const std::string action = "disease_card.delete";
  return ChangeOne(who, id, action, CardChange::kDeleted,
                   [&](soci::session& s, const Card& old, Card& card) -> Status {
                     FieldErrors errors;
                     RequireReason(reason, errors);
                     JD_RETURN_IF_ERROR(errors.ToStatus());
                     JD_RETURN_IF_ERROR(RequireActive(old));
                     card.status = CardStatus::kDeleted;
                     card.status_reason = reason;
                     return Save(s, who, action, old, card, "deletion", reason, "");
                   });
}

Result<std::vector<Card>> CardService::Duplicates(const Principal& who, const std::string& id) {
  const std::string action = "disease_card.duplicates";
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseRead, action, id));
  Refusal refusal;
  std::vector<Card> out;
  std::string person_id;
  Status st = db_.Read([&](soci::session& s) -> Status {
    auto card = LoadVisible(s, who, id, refusal);
    if (!card.ok()) return card.status();
    person_id = card->person_id;
    for (auto& c : CardStore::Candidates(s, auth::ScopeOf(who), *card, kDuplicateWindowDays)) {
      if (IsDuplicate(*card, c)) out.push_back(Masked(std::move(c)));
    }
    return Status::Ok();
  });
  if (refusal.any()) return Refuse(who, action, id, refusal);
  if (!st.ok()) return st;
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                         .object_type = kObject,
                                         .object_id = id,
                                         .person_id = person_id,
                                         .detail = fmt::format("candidates={}", out.size())}));
  return out;
}

Result<CardView> CardService::Merge(const Principal& who, const std::string& id,
                                    const std::string& into, const std::string& reason) {
  const std::string action = "disease_card.merge";
  JD_RETURN_IF_ERROR(RequireAudited(who, Permission::kDiseaseReport, action, id));
  Refusal refusal, refusal_into;
  CardView out;
  Card merged;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto gone = LoadVisible(s, who, id, refusal);
    if (!gone.ok()) return gone.status();
    FieldErrors errors;
    RequireReason(reason, errors);
    if (into.empty() || into == id) {
      errors.Add("into", into.empty() ? "required" : "same_card", "请选择保留的另一张报告卡",
                 "name the other card, the one to keep");
    }
    JD_RETURN_IF_ERROR(errors.ToStatus());
    auto kept = LoadVisible(s, who, into, refusal_into);
    if (!kept.ok()) {
      return Status::Invalid({{"into", "not_found", "保留的报告卡不存在或不在您的辖区内",
                               "the card to keep is unknown or outside your jurisdiction"}});
    }
    JD_RETURN_IF_ERROR(RequireActive(*gone));
    JD_RETURN_IF_ERROR(RequireActive(*kept));
    if (gone->fields.disease_code != kept->fields.disease_code) {
      return Status::Invalid({{"into", "other_disease", "只能合并同一疾病的报告卡",
                               "only cards of the same disease can be merged"}});
    }
    merged = *gone;
    merged.status = CardStatus::kMerged;
    merged.merged_into = kept->id;
    merged.status_reason = reason;
    Card keep = *kept;
    const std::string detail = fmt::format("merged={} kept={}", merged.id, keep.id);
    JD_RETURN_IF_ERROR(Save(s, who, action, *gone, merged, "merge", reason, detail));
    JD_RETURN_IF_ERROR(Save(s, who, action, *kept, keep, "merge", reason, detail));
    out = View(s, std::move(keep));
    return Status::Ok();
  });
  if (refusal.any()) return Refuse(who, action, id, refusal);
  if (refusal_into.outside || refusal_into.hidden) {
    // The answer is the field error; the attempt on the other card is on record.
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = action,
              .object_type = kObject,
              .object_id = into,
              .result = "denied",
              .detail = refusal_into.outside ? "outside jurisdiction" : "hiv_tb_care required"}));
  }
  if (!st.ok()) return st;
  Notify(merged, CardChange::kMerged);
  return out;
}

Result<std::vector<NotifiableDisease>> CardService::Catalogue(const Principal& who, Date on) const {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  return DiseaseCatalogue::Builtin().ListedOn(on);
}

}  // namespace jd::disease
