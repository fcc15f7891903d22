#include "immunization/programme_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "auth/access.h"
#include "auth/permissions.h"
#include "core/csv.h"
#include "core/ids.h"
#include "immunization/input_fields.h"
#include "immunization/xlsx_writer.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::immunization {

namespace {

using auth::Permission;
using auth::Principal;
using nlohmann::json;
using registry::PersonStore;

// The most rows a roster may hold: the largest schools enrol a few thousand children.
constexpr int kMaxRosterRows = 5000;

Status RoundNotFound() {
  return Status::NotFound("no such catch-up round in your jurisdiction",
                          "您的辖区内没有此查漏补种");
}
Status CampaignNotFound() {
  return Status::NotFound("no such campaign in your jurisdiction", "您的辖区内没有此接种活动");
}
Status CheckNotFound() {
  return Status::NotFound("no such entry check in your jurisdiction", "您的辖区内没有此查验记录");
}
Status OrgNotFound() {
  return Status::NotFound("no such org unit in your jurisdiction", "您的辖区内没有此机构");
}
Status NotAnObject() {
  return Status::Invalid(
      {{"", "wrong_type", "请求体应为 JSON 对象", "the body must be a JSON object"}});
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json RateOrNull(const std::optional<double>& r) {
  // Four decimals: a rate shown as a percentage with two.
  return r ? json(std::round(*r * 10000) / 10000) : json(nullptr);
}

std::string SexZh(const std::string& code) { return code == "F" ? "女" : code == "M" ? "男" : ""; }

}  // namespace

ProgrammeService::ProgrammeService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                                   const registry::RegistryService& registry,
                                   ImmunizationService& records, const Schedule& schedule,
                                   const CoverageTargets& targets)
    : db_(db),
      audit_(audit),
      clock_(clock),
      registry_(registry),
      records_(records),
      schedule_(schedule),
      targets_(targets) {}

Status ProgrammeService::Refuse(const Principal& who, const std::string& action,
                                const std::string& object_type, const std::string& object_id,
                                Status not_found) {
  return auth::RefuseOutsideScope(
      audit_, who, {.action = action, .object_type = object_type, .object_id = object_id},
      std::move(not_found));
}

Forecast ProgrammeService::ForecastFrom(Date birth, const std::vector<VaccinationRecord>& records,
                                        Date as_of) const {
  std::vector<DoseEvent> history;
  for (const auto& r : records) {
    if (r.voided) continue;
    if (const VaccineInfo* v = schedule_.Find(r.vaccine)) history.push_back({v->id, r.date});
  }
  return ForecastChild(schedule_, birth, history, as_of);
}

// ---- Catch-up rounds ----

void ProgrammeService::FillRound(soci::session& s, const auth::Scope& scope, RoundDetail& d,
                                 int limit, int offset) const {
  // Progress is over the whole list (items and doses of a round within the scope); the children
  // listed are those living within the scope now: those who moved out are counted, not listed.
  std::vector<CatchUpItem> items = ProgrammeStore::ListItems(s, scope, d.round.id);
  std::vector<GivenDose> given = ProgrammeStore::RoundDoses(s, scope, d.round.id, d.round.as_of);
  std::vector<ListedChild> children = ProgrammeStore::RoundChildren(s, scope, d.round.id);
  std::map<std::string, std::vector<CatchUpItem>> by_child;
  for (auto& it : items) by_child[it.person_id].push_back(std::move(it));
  std::map<std::string, std::vector<DoseEvent>> doses;
  for (const GivenDose& g : given) {
    if (const VaccineInfo* v = schedule_.Find(g.vaccine)) {
      doses[g.person_id].push_back({v->id, g.date});
    }
  }
  const auto& series_ids = schedule_.series_ids();
  d.progress = {};
  d.children.clear();
  std::map<std::string, RoundChild> by_person;
  for (const auto& [person_id, planned] : by_child) {
    RoundChild rc;
    std::vector<PlannedRef> refs;
    for (const CatchUpItem& it : planned) {
      PlannedRef ref;
      auto s_it = std::find(series_ids.begin(), series_ids.end(), it.series);
      if (s_it != series_ids.end()) {
        ref.series = static_cast<std::size_t>(s_it - series_ids.begin());
      }
      const VaccineInfo* v = schedule_.Find(it.vaccine);
      ref.vaccine = v ? v->id : VaccineId{255};
      refs.push_back(ref);
    }
    std::vector<bool> done = FulfilledDoses(schedule_, refs, doses[person_id], d.round.as_of);
    rc.completed = !planned.empty();
    for (std::size_t i = 0; i < planned.size(); ++i) {
      rc.doses.push_back({planned[i], done[i]});
      if (done[i]) ++d.progress.doses_given;
      rc.completed = rc.completed && done[i];
    }
    ++d.progress.children;
    d.progress.doses += static_cast<int>(planned.size());
    if (rc.completed) ++d.progress.children_completed;
    by_person.emplace(person_id, std::move(rc));
  }
  std::vector<RoundChild> visible;
  for (ListedChild& c : children) {
    auto it = by_person.find(c.person_id);
    if (it == by_person.end()) continue;
    RoundChild rc = std::move(it->second);
    rc.child = std::move(c);
    visible.push_back(std::move(rc));
  }
  d.total = static_cast<int>(visible.size());
  std::size_t from = std::min(visible.size(), static_cast<std::size_t>(std::max(offset, 0)));
  std::size_t to =
      limit > 0 ? std::min(visible.size(), from + static_cast<std::size_t>(limit)) : visible.size();
  for (std::size_t i = from; i < to; ++i) d.children.push_back(std::move(visible[i]));
}

Result<RoundDetail> ProgrammeService::CreateRound(const Principal& who, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  std::string area_code = TextMember(body, "area", FieldKind::kCode, errors);
  Date today = clock_.Today();
  Date as_of = DateMember(body, "as_of", DateKind::kPastEvent, today, Presence::kOptional, errors)
                   .value_or(today);
  if (as_of > today) {
    errors.Add("as_of", "in_future", "as_of 不能晚于今天", "as_of is in the future");
  }
  std::string note = TextMember(body, "note", FieldKind::kNote, errors);
  std::optional<registry::OrgUnit> area;
  if (area_code.empty()) {
    if (!errors.Has("area")) {
      errors.Add("area", "required", "area 为必填项（查漏补种地区的机构代码）",
                 "area is required (the org code of the round's area)");
    }
  } else if (!(area = registry_.FindOrg(area_code))) {
    errors.Add("area", "unknown_org", "机构代码不存在：" + area_code,
               "no org unit has the code " + area_code);
  } else if (!auth::ScopeOf(who).Covers(area->path)) {
    errors.Add("area", "outside_jurisdiction", "该地区不在您的辖区内",
               "the area is outside your jurisdiction");
  }
  if (!errors.empty()) return errors.ToStatus();

  const auth::Scope scope = auth::ScopeOf(who);
  const auth::Scope area_scope = scope.Narrow(area->path);
  RoundDetail out;
  out.area_name = area->name;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    // 说明 二(一): catch-up runs under 18, so older children are never on the list.
    Date born_after = AddYears(as_of, -18);
    std::vector<DueCandidate> children = ImmunizationStore::AreaChildren(s, area_scope, born_after);
    std::vector<AreaDose> doses = ImmunizationStore::AreaDoses(s, area_scope, born_after);
    CatchUpRound round;
    round.id = NewId();
    round.area_code = area->code;
    round.area_path = area->path;
    round.as_of = as_of;
    round.note = note;
    round.created_at = FormatTimestamp(clock_.Now());
    round.created_by = who.username;
    std::vector<CatchUpItem> items;
    std::vector<DoseEvent> history;
    Forecast forecast;
    std::size_t di = 0;
    // Both lists are ordered by person id: one merge walk.
    for (const DueCandidate& c : children) {
      history.clear();
      while (di < doses.size() && doses[di].person_id < c.person_id) ++di;
      for (; di < doses.size() && doses[di].person_id == c.person_id; ++di) {
        if (const VaccineInfo* v = schedule_.Find(doses[di].vaccine)) {
          history.push_back({v->id, doses[di].date});
        }
      }
      if (!InCatchUpPopulation(c.birth_date, c.has_file, as_of)) continue;
      ForecastChild(schedule_, c.birth_date, history, as_of, {}, forecast);
      std::vector<PlannedDose> plan = CatchUpPlan(forecast, as_of);
      if (plan.empty()) continue;
      ++round.children;
      int position = 0;
      for (const PlannedDose& p : plan) {
        CatchUpItem it;
        it.person_id = c.person_id;
        it.position = ++position;
        it.series = schedule_.series_ids()[p.series];
        it.vaccine = schedule_.info(p.vaccine).code;
        it.dose = p.dose;
        it.status = std::string(StatusCode(p.status));
        it.earliest = p.earliest;
        it.timely_by = p.timely_by;
        it.planned_on = p.planned_on;
        items.push_back(std::move(it));
      }
    }
    round.doses = static_cast<int>(items.size());
    ProgrammeStore::InsertRound(s, round);
    ProgrammeStore::InsertItems(s, round.id, items);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "catch_up_round.create",
         .object_type = "catch_up_round",
         .object_id = round.id,
         .detail = fmt::format("area={} as_of={} children={} doses={}", round.area_code,
                               FormatDate(as_of), round.children, round.doses)}));
    out.round = round;
    FillRound(s, scope, out, 50, 0);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<CatchUpRound>> ProgrammeService::ListRounds(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  std::vector<CatchUpRound> out;
  const auth::Scope scope = auth::ScopeOf(who);
  if (scope.empty()) return out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = ProgrammeStore::ListRounds(s, scope, kMaxListed);
    return Status::Ok();
  }));
  return out;
}

Result<RoundDetail> ProgrammeService::GetRound(const Principal& who, const std::string& id,
                                               int limit, int offset) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(id)) return RoundNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<CatchUpRound> round;
  RoundDetail out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    round = ProgrammeStore::GetRound(s, scope, id);
    if (!round) return Status::Ok();
    out.round = *round;
    FillRound(s, scope, out, limit, offset);
    return Status::Ok();
  }));
  if (round.outside_scope()) {
    return Refuse(who, "catch_up_round.read", "catch_up_round", id, RoundNotFound());
  }
  if (!round) return RoundNotFound();
  auto area = registry_.FindOrg(out.round.area_code);
  out.area_name = area ? area->name : "";
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "catch_up_round.read",
            .object_type = "catch_up_round",
            .object_id = id,
            .detail = fmt::format("children={} listed={}", out.total, out.children.size())}));
  return out;
}

// ---- Campaigns ----

CampaignProgress ProgrammeService::Progress(soci::session& s, const Campaign& c,
                                            const auth::Scope& area,
                                            std::vector<CampaignTarget>* targets) const {
  CampaignProgress p;
  if (area.empty()) return p;
  // A few days' margin around the band: the exact test is InTargetBand.
  Date born_after = AddDays(AddMonths(c.start, -(c.age_to_months + 1)), -3);
  Date born_until = AddDays(AddMonths(c.start, -c.age_from_months), 3);
  for (CampaignTarget& t :
       ProgrammeStore::CampaignCandidates(s, area, c.id, born_after, born_until)) {
    if (!InTargetBand(c, t.child.birth)) continue;
    ++p.targets;
    if (t.campaign_dose) ++p.vaccinated;
    if (targets) targets->push_back(std::move(t));
  }
  return p;
}

Result<CampaignDetail> ProgrammeService::CreateCampaign(const Principal& who, const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!body.is_object()) return NotAnObject();
  FieldErrors errors;
  Campaign c = CampaignFromJson(schedule_, body, clock_.Today(), errors);
  std::optional<registry::OrgUnit> area;
  if (!c.area_code.empty()) {
    if (!(area = registry_.FindOrg(c.area_code))) {
      errors.Add("area", "unknown_org", "机构代码不存在：" + c.area_code,
                 "no org unit has the code " + c.area_code);
    } else if (!auth::ScopeOf(who).Covers(area->path)) {
      errors.Add("area", "outside_jurisdiction", "该地区不在您的辖区内",
                 "the area is outside your jurisdiction");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  c.id = NewId();
  c.area_path = area->path;
  c.created_at = FormatTimestamp(clock_.Now());
  c.created_by = who.username;
  CampaignDetail out;
  out.area_name = area->name;
  out.scope_path = c.area_path;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    ProgrammeStore::InsertCampaign(s, c);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "campaign.create",
         .object_type = "campaign",
         .object_id = c.id,
         .detail = fmt::format("kind={} vaccine={} area={} ages={}-{}m dates={}..{}",
                               CampaignKindCode(c.kind), c.vaccine, c.area_code, c.age_from_months,
                               c.age_to_months, FormatDate(c.start), FormatDate(c.end))}));
    out.progress = Progress(s, c, auth::ScopeOf(who).Narrow(c.area_path), nullptr);
    return Status::Ok();
  }));
  out.campaign = c;
  return out;
}

Result<std::vector<CampaignDetail>> ProgrammeService::ListCampaigns(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  std::vector<CampaignDetail> out;
  const auth::Scope scope = auth::ScopeOf(who);
  if (scope.empty()) return out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (Campaign& c : ProgrammeStore::ListCampaigns(s, kMaxListed)) {
      const auth::Scope part = scope.Narrow(c.area_path);
      if (part.empty()) continue;
      CampaignDetail d;
      d.scope_path = part.path();
      d.progress = Progress(s, c, part, nullptr);
      auto area = registry_.FindOrg(c.area_code);
      d.area_name = area ? area->name : "";
      d.campaign = std::move(c);
      out.push_back(std::move(d));
    }
    return Status::Ok();
  }));
  return out;
}

Result<CampaignDetail> ProgrammeService::GetCampaign(const Principal& who, const std::string& id,
                                                     bool with_targets, int limit, int offset) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(id)) return CampaignNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  std::optional<Campaign> campaign;
  bool outside = false;
  CampaignDetail out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    campaign = ProgrammeStore::GetCampaign(s, id);
    if (!campaign) return Status::Ok();
    const auth::Scope area = scope.Narrow(campaign->area_path);
    if (area.empty()) {
      outside = true;
      return Status::Ok();
    }
    out.scope_path = area.path();
    std::vector<CampaignTarget> targets;
    out.progress = Progress(s, *campaign, area, with_targets ? &targets : nullptr);
    out.total = static_cast<int>(targets.size());
    std::size_t from = std::min(targets.size(), static_cast<std::size_t>(std::max(offset, 0)));
    std::size_t to = limit > 0 ? std::min(targets.size(), from + static_cast<std::size_t>(limit))
                               : targets.size();
    for (std::size_t i = from; i < to; ++i) out.targets.push_back(std::move(targets[i]));
    return Status::Ok();
  }));
  if (!campaign) return CampaignNotFound();
  if (outside) return Refuse(who, "campaign.read", "campaign", id, CampaignNotFound());
  auto area = registry_.FindOrg(campaign->area_code);
  out.area_name = area ? area->name : "";
  out.campaign = std::move(*campaign);
  if (with_targets) {
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = "campaign.targets",
              .object_type = "campaign",
              .object_id = id,
              .detail = fmt::format("targets={} listed={}", out.total, out.targets.size())}));
  }
  return out;
}

Result<RecordChange> ProgrammeService::RecordCampaignDose(const Principal& who,
                                                          const std::string& campaign_id,
                                                          const json& body) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kVaccinationWrite));
  if (!IsUuid(campaign_id)) return CampaignNotFound();
  if (!body.is_object()) return NotAnObject();
  const auth::Scope scope = auth::ScopeOf(who);
  std::optional<Campaign> campaign;
  FieldErrors errors;
  std::string person_id = TextMember(body, "person_id", FieldKind::kCode, errors);
  if (person_id.empty() && !errors.Has("person_id")) {
    errors.Add("person_id", "required", "person_id 为必填项", "person_id is required");
  }
  auth::ScopedRow<registry::Person> person;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    campaign = ProgrammeStore::GetCampaign(s, campaign_id);
    if (IsUuid(person_id)) person = PersonStore::Get(s, scope, person_id);
    return Status::Ok();
  }));
  if (!campaign) return CampaignNotFound();
  if (scope.Narrow(campaign->area_path).empty()) {
    return Refuse(who, "campaign.dose", "campaign", campaign_id, CampaignNotFound());
  }
  auto date = DateMember(body, "date", DateKind::kDose, clock_.Today(), Presence::kRequired, errors,
                         person ? std::optional<Date>(person->birth_date) : std::nullopt);
  if (date && (*date < campaign->start || *date > campaign->end)) {
    errors.Add("date", "outside_campaign",
               fmt::format("接种日期不在活动期内（{} 至 {}）", FormatDate(campaign->start),
                           FormatDate(campaign->end)),
               fmt::format("the date is outside the campaign ({} to {})",
                           FormatDate(campaign->start), FormatDate(campaign->end)));
  }
  std::string vaccine = TextMember(body, "vaccine", FieldKind::kCode, errors);
  if (!vaccine.empty() && vaccine != campaign->vaccine) {
    errors.Add("vaccine", "not_campaign_vaccine", "本次活动接种的疫苗为 " + campaign->vaccine,
               "the campaign's vaccine is " + campaign->vaccine);
  }
  // Whether the child is a target is told only about children the caller may see; the others
  // go on to RecordDose, which answers "not found" and audits the attempt.
  bool visible = person.has_value();
  if (visible) {
    if (!auth::PathCovers(campaign->area_path, person->residence_path) ||
        !InTargetBand(*campaign, person->birth_date) ||
        person->status != registry::PersonStatus::kActive) {
      errors.Add(
          "person_id", "not_in_target",
          fmt::format("该儿童不是本次活动的目标儿童（{}，{}–{}月龄）", campaign->area_code,
                      campaign->age_from_months, campaign->age_to_months),
          fmt::format("the child is not a target of the campaign ({}, {}-{} months)",
                      campaign->area_code, campaign->age_from_months, campaign->age_to_months));
    }
  }
  if (visible && !errors.empty()) return errors.ToStatus();
  if (!visible && errors.Has("person_id")) return errors.ToStatus();
  json record = body;
  record.erase("person_id");
  record["vaccine"] = campaign->vaccine;
  record["campaign_id"] = campaign->id;
  return records_.RecordDose(who, person_id, record);
}

// ---- Entry checks ----

Result<EntryCheckDetail> ProgrammeService::RunEntryCheck(const Principal& who,
                                                         std::string_view bytes,
                                                         const EntryCheckRequest& request) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  FieldErrors errors;
  Date today = clock_.Today();
  Date check_date =
      DateParam(request.date, "date", DateKind::kPastEvent, today, Presence::kOptional, errors)
          .value_or(today);
  if (check_date > today) {
    errors.Add("date", "in_future", "查验日期不能晚于今天", "the check date is in the future");
  }
  json fields = {{"school", request.school}, {"file_name", request.file_name}};
  std::string school = TextMember(fields, "school", FieldKind::kShortText, errors);
  std::string file_name = TextMember(fields, "file_name", FieldKind::kFileName, errors);
  std::string format = request.format;
  if (format.empty()) format = bytes.substr(0, 2) == "PK" ? "xlsx" : "csv";
  if (format != "csv" && format != "xlsx") {
    errors.Add("format", "invalid_value", "format 应为 csv 或 xlsx", "format must be csv or xlsx");
  }
  if (bytes.empty()) {
    errors.Add("file", "required", "请上传名单文件（CSV 或 XLSX）",
               "upload the roster (CSV or XLSX)");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto table = format == "xlsx" ? TableFromXlsx(bytes) : TableFromCsv(bytes);
  if (!table.ok()) return table.status();
  auto roster = ParseRoster(*table, check_date);
  if (!roster.ok()) return roster.status();
  if (roster->rows_total > kMaxRosterRows) {
    return Status::Invalid(
        {{"file", "too_many_rows",
          fmt::format("名单不能超过 {} 行，请按年级或班级分批导入", kMaxRosterRows),
          fmt::format("a roster holds at most {} rows: split it by grade or "
                      "class",
                      kMaxRosterRows)}});
  }
  if (school.empty()) {
    // The roster's own school column, by its most frequent value.
    std::map<std::string, int> counts;
    for (const RosterRow& r : roster->rows)
      if (!r.school.empty()) ++counts[r.school];
    int best = 0;
    for (const auto& [name, n] : counts) {
      if (n > best) {
        best = n;
        school = name;
      }
    }
  }
  if (school.empty()) {
    return Status::Invalid({{"school", "required", "请填写学校或幼儿园名称",
                             "give the name of the school or kindergarten"}});
  }
  const auth::Scope scope = auth::ScopeOf(who);
  std::optional<registry::OrgUnit> org =
      scope.whole_city() ? registry_.RootOrg() : registry_.FindOrg(who.org_code);
  if (!org || scope.empty()) return OrgNotFound();

  EntryCheckDetail out;
  EntryCheck& check = out.check;
  check.id = NewId();
  check.school = school;
  check.check_date = check_date;
  check.org_code = org->code;
  check.org_path = org->path;
  check.file_name = file_name;
  check.rows_total = roster->rows_total;
  check.rows_invalid = roster->rows_invalid;
  out.errors = roster->errors;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (const RosterRow& row : roster->rows) {
      EntryCheckRow r;
      r.roster = row;
      std::vector<MatchCandidate> by_id, by_name;
      if (!row.id_number.empty()) by_id = ProgrammeStore::FindById(s, scope, row.id_number);
      if (by_id.size() != 1)
        by_name = ProgrammeStore::FindByNameBirth(s, scope, row.name, row.birth);
      MatchOutcome m = ChooseMatch(row, by_id, by_name);
      r.method = m.method;
      r.person_id = m.person_id;
      r.not_found_reason = m.not_found_reason;
      auth::ScopedRow<registry::Person> person;
      if (!m.person_id.empty()) person = PersonStore::Get(s, scope, m.person_id);
      if (!person) {
        r.result = CheckResult::kNotFound;
        r.person_id.clear();
        ++check.not_found;
      } else {
        r.has_file = ImmunizationStore::GetFile(s, scope, person->id).has_value();
        Forecast f = ForecastFrom(person->birth_date,
                                  ImmunizationStore::ListRecords(s, scope, person->id), check_date);
        json doses = json::array();
        for (const CheckDose& d : EntryCheckDoses(f)) {
          doses.push_back({{"vaccine", schedule_.info(d.vaccine).code},
                           {"dose", d.dose},
                           {"status", StatusCode(d.status)},
                           {"earliest", DateOrNull(d.earliest)}});
        }
        r.doses_json = doses.dump();
        r.result = doses.empty() ? CheckResult::kComplete : CheckResult::kNeedsCatchUp;
        ++(doses.empty() ? check.complete : check.needs_catch_up);
      }
      out.rows.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  check.created_at = FormatTimestamp(clock_.Now());
  check.created_by = who.username;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    ProgrammeStore::InsertCheck(s, check);
    for (const EntryCheckRow& r : out.rows) ProgrammeStore::InsertCheckRow(s, check.id, r);
    int seq = 0;
    for (const RosterError& e : out.errors) ProgrammeStore::InsertCheckError(s, check.id, ++seq, e);
    return audit_.Append(
        s, who,
        {.action = "entry_check.create",
         .object_type = "entry_check",
         .object_id = check.id,
         .detail = fmt::format("date={} rows={} invalid={} complete={} needs_catch_up={} "
                               "not_found={}",
                               FormatDate(check.check_date), check.rows_total, check.rows_invalid,
                               check.complete, check.needs_catch_up, check.not_found)});
  }));
  return out;
}

Result<std::vector<EntryCheck>> ProgrammeService::ListEntryChecks(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  std::vector<EntryCheck> out;
  const auth::Scope scope = auth::ScopeOf(who);
  if (scope.empty()) return out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = ProgrammeStore::ListChecks(s, scope, kMaxListed);
    return Status::Ok();
  }));
  return out;
}

Result<EntryCheckDetail> ProgrammeService::GetEntryCheck(const Principal& who,
                                                         const std::string& id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(id)) return CheckNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<EntryCheck> check;
  EntryCheckDetail out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    check = ProgrammeStore::GetCheck(s, scope, id);
    if (!check) return Status::Ok();
    out.check = *check;
    out.rows = ProgrammeStore::ListCheckRows(s, scope, id);
    out.errors = ProgrammeStore::ListCheckErrors(s, scope, id);
    return Status::Ok();
  }));
  if (check.outside_scope()) {
    return Refuse(who, "entry_check.read", "entry_check", id, CheckNotFound());
  }
  if (!check) return CheckNotFound();
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "entry_check.read",
                                         .object_type = "entry_check",
                                         .object_id = id,
                                         .detail = fmt::format("rows={}", out.rows.size())}));
  return out;
}

namespace {

std::string DosesZh(const Schedule& schedule, const std::string& doses_json) {
  json doses = json::parse(doses_json, nullptr, false);
  std::string out;
  if (!doses.is_array()) return out;
  for (const auto& d : doses) {
    const VaccineInfo* v = schedule.Find(d.value("vaccine", ""));
    if (!out.empty()) out += "；";
    out += fmt::format("{}第{}剂", v ? v->name_zh : d.value("vaccine", ""), d.value("dose", 0));
  }
  return out;
}

std::string NotFoundZh(const std::string& reason) {
  return reason == "ambiguous" ? "辖区内有多名儿童与名单信息相符，请核对"
                               : "辖区内未查到该儿童的登记或接种档案";
}

}  // namespace

Result<ExportFile> ProgrammeService::ExportEntryCheck(const Principal& who, const std::string& id,
                                                      const std::string& list,
                                                      const std::string& format) {
  FieldErrors errors;
  if (list != "report" && list != "referral") {
    errors.Add("list", "invalid_value", "list 应为 report（查验报告）或 referral（补种转介名单）",
               "list must be report or referral");
  }
  if (format != "csv" && format != "xlsx") {
    errors.Add("format", "invalid_value", "format 应为 csv 或 xlsx", "format must be csv or xlsx");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto detail = GetEntryCheck(who, id);
  if (!detail.ok()) return detail.status();
  const EntryCheck& c = detail->check;
  std::vector<std::vector<std::string>> rows;
  if (list == "report") {
    rows.push_back({"行号", "儿童姓名", "性别", "出生日期", "身份证号码", "监护人", "监护人电话",
                    "学校/幼儿园", "班级", "查验结果", "需补种疫苗", "核对方式", "说明"});
    for (const EntryCheckRow& r : detail->rows) {
      const RosterRow& x = r.roster;
      std::string method = r.method == MatchMethod::kIdNumber ? "身份证号码"
                           : r.method == MatchMethod::kNameBirthPhone ? "姓名+出生日期+监护人电话"
                                                                      : "";
      std::string note = r.result == CheckResult::kNotFound ? NotFoundZh(r.not_found_reason)
                         : !r.has_file                      ? "未建立接种证"
                                                            : "";
      rows.push_back({std::to_string(x.row), x.name, SexZh(x.sex), FormatDate(x.birth),
                      registry::MaskIdNumber(x.id_number), x.guardian_name,
                      registry::MaskPhone(x.guardian_phone), x.school, x.class_name,
                      std::string(CheckResultZh(r.result)), DosesZh(schedule_, r.doses_json),
                      method, note});
    }
    // Rows the roster got wrong, so the school can correct them.
    std::map<int, std::string> bad;
    for (const RosterError& e : detail->errors) {
      std::string& text = bad[e.row];
      if (!text.empty()) text += "；";
      text += e.column + "：" + e.message_zh;
    }
    for (const auto& [row, text] : bad) {
      rows.push_back(
          {std::to_string(row), "", "", "", "", "", "", "", "", "名单信息有误", "", "", text});
    }
  } else {
    rows.push_back({"儿童姓名", "性别", "出生日期", "身份证号码", "监护人", "监护人电话",
                    "学校/幼儿园", "班级", "转介原因", "需补种疫苗"});
    for (const EntryCheckRow& r : detail->rows) {
      if (r.result == CheckResult::kComplete) continue;
      const RosterRow& x = r.roster;
      std::string reason =
          r.result == CheckResult::kNotFound ? NotFoundZh(r.not_found_reason) : "需补种";
      // The referral slip goes to the family: the guardian's phone as the school gave it.
      rows.push_back({x.name, SexZh(x.sex), FormatDate(x.birth),
                      registry::MaskIdNumber(x.id_number), x.guardian_name, x.guardian_phone,
                      x.school, x.class_name, reason, DosesZh(schedule_, r.doses_json)});
    }
  }
  ExportFile out;
  std::string base = fmt::format("entry-check-{}-{}", FormatDate(c.check_date), list);
  if (format == "csv") {
    std::ostringstream buf;
    CsvWriter w(buf, {.bom = CsvBom::kUtf8});
    for (const auto& r : rows) w.Row(r);
    out.bytes = buf.str();
    out.content_type = "text/csv; charset=utf-8";
    out.file_name = base + ".csv";
  } else {
    auto bytes = WriteXlsx(list == "report" ? "查验报告" : "补种转介名单", rows);
    if (!bytes.ok()) return bytes.status();
    out.bytes = std::move(bytes).value();
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.file_name = base + ".xlsx";
  }
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "entry_check.export",
            .object_type = "entry_check",
            .object_id = id,
            .detail = fmt::format("list={} format={} rows={}", list, format, rows.size() - 1)}));
  return out;
}

// ---- Coverage ----

Result<CoverageReport> ProgrammeService::Coverage(const Principal& who, const std::string& org_code,
                                                  const std::string& cohort_text,
                                                  const std::string& as_of_text,
                                                  const std::string& timely_text) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kAggregateRead));
  FieldErrors errors;
  Date today = clock_.Today();
  Date as_of =
      DateParam(as_of_text, "as_of", DateKind::kPastEvent, today, Presence::kOptional, errors)
          .value_or(today);
  if (as_of > today) {
    errors.Add("as_of", "in_future", "as_of 不能晚于今天", "as_of is in the future");
  }
  int cohort = 0;
  {
    auto [p, ec] =
        std::from_chars(cohort_text.data(), cohort_text.data() + cohort_text.size(), cohort);
    if (cohort_text.empty()) {
      errors.Add("cohort", "required", "cohort 为必填项（出生年份）",
                 "cohort is required (the birth year)");
    } else if (ec != std::errc() || p != cohort_text.data() + cohort_text.size() || cohort < 1900 ||
               cohort > static_cast<int>(as_of.year())) {
      errors.Add("cohort", "invalid_value", "cohort 应为不晚于 as_of 的四位出生年份",
                 "cohort must be a birth year not after as_of");
    }
  }
  TimelyDefinition timely = TimelyDefinition::kBeforeCompletionAge;
  if (!timely_text.empty()) {
    if (auto t = ParseTimely(timely_text)) {
      timely = *t;
    } else {
      errors.Add("timely", "invalid_value",
                 "timely 应为 before_completion_age、within_30_days 或 hepb_birth_24h",
                 "timely must be before_completion_age, within_30_days or hepb_birth_24h");
    }
  }
  if (org_code.empty()) {
    errors.Add("org", "required", "org 为必填项（机构代码）", "org is required (an org code)");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto org = registry_.FindOrg(org_code);
  if (!org) return OrgNotFound();
  // Figures only, no person: the unit of a role that reads aggregates (auth/scope.h).
  const auth::Scope area = auth::AggregateScopeOf(who).Narrow(org->path);
  if (!area.Covers(org->path)) {
    return Refuse(who, "immunization.coverage", "org_unit", org_code, OrgNotFound());
  }
  CoverageReport out;
  out.org = *org;
  out.query = {as_of, cohort, timely};
  Date born_from{std::chrono::year(cohort), std::chrono::January, std::chrono::day(1)};
  Date born_to{std::chrono::year(cohort), std::chrono::December, std::chrono::day(31)};
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    std::vector<CoverageUnit> units = {{org->code, org->name, org->path}};
    std::vector<registry::OrgUnit> all = PersonStore::ListOrgUnits(s);
    std::sort(all.begin(), all.end(), [](const registry::OrgUnit& a, const registry::OrgUnit& b) {
      return a.code < b.code;
    });
    for (const auto& u : all) {
      if (u.parent_code == org->code) units.push_back({u.code, u.name, u.path});
    }
    CoverageTally tally(units, out.query);
    std::vector<CoveragePerson> persons =
        ProgrammeStore::CoveragePersons(s, area, born_from, born_to);
    std::vector<GivenDose> doses = ProgrammeStore::CoverageDoses(s, area, born_from, born_to);
    std::vector<DoseEvent> history;
    Forecast forecast;
    std::size_t di = 0;
    for (const CoveragePerson& p : persons) {
      history.clear();
      while (di < doses.size() && doses[di].person_id < p.person_id) ++di;
      for (; di < doses.size() && doses[di].person_id == p.person_id; ++di) {
        if (doses[di].date > as_of) continue;
        if (const VaccineInfo* v = schedule_.Find(doses[di].vaccine)) {
          history.push_back({v->id, doses[di].date});
        }
      }
      if (p.person.birth_date > as_of) continue;
      registry::EligibilityResult e = registry_.EligibilityOf(p.person, {}, as_of);
      CoverageChild child{p.person.birth_date, p.person.residence_path, e.floating,
                          e.entitlements.vaccination_file, p.has_file};
      if (!child.migrant) continue;
      ForecastChild(schedule_, child.birth, history, as_of, {}, forecast);
      tally.Add(child, forecast);
    }
    out.units = tally.Finish();
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "immunization.coverage",
            .object_type = "report",
            .object_id = org->code,
            .detail = fmt::format("cohort={} as_of={} timely={} children={}", cohort,
                                  FormatDate(as_of), TimelyCode(timely),
                                  out.units.empty() ? 0 : out.units.front().children)}));
  return out;
}

// ---- JSON ----

json RoundToJson(const CatchUpRound& r, const std::string& area_name) {
  return {{"id", r.id},
          {"area", r.area_code},
          {"area_name", area_name},
          {"as_of", FormatDate(r.as_of)},
          {"children", r.children},
          {"doses", r.doses},
          {"note", TextOrNull(r.note)},
          {"created_at", r.created_at},
          {"created_by", r.created_by}};
}

namespace {

json ListedChildJson(const ListedChild& c, Date as_of) {
  return {{"person_id", c.person_id},
          {"name", c.name},
          {"sex", c.sex},
          {"birth_date", FormatDate(c.birth)},
          {"age_months", CompletedMonths(c.birth, as_of)},
          {"id_number_masked", registry::MaskIdNumber(c.id_number)},
          {"residence_org", c.residence_org},
          {"has_file", c.has_file},
          {"guardian_name", c.guardian_name},
          {"guardian_phone_masked", registry::MaskPhone(c.guardian_phone)}};
}

}  // namespace

json RoundDetailToJson(const Schedule& schedule, const RoundDetail& d) {
  json j = RoundToJson(d.round, d.area_name);
  j["progress"] = {{"children", d.progress.children},
                   {"children_completed", d.progress.children_completed},
                   {"doses", d.progress.doses},
                   {"doses_given", d.progress.doses_given},
                   {"dose_rate", RateOrNull(Rate(d.progress.doses_given, d.progress.doses))}};
  json items = json::array();
  for (const RoundChild& c : d.children) {
    json child = ListedChildJson(c.child, d.round.as_of);
    json doses = json::array();
    for (const RoundChildDose& x : c.doses) {
      const VaccineInfo* v = schedule.Find(x.item.vaccine);
      doses.push_back({{"vaccine", x.item.vaccine},
                       {"name_zh", v ? v->name_zh : ""},
                       {"dose", x.item.dose},
                       {"status", x.item.status},
                       {"earliest", FormatDate(x.item.earliest)},
                       {"timely_by", DateOrNull(x.item.timely_by)},
                       {"planned_on", FormatDate(x.item.planned_on)},
                       {"given", x.given}});
    }
    child["plan"] = doses;
    child["completed"] = c.completed;
    items.push_back(std::move(child));
  }
  j["items"] = items;
  j["total"] = d.total;
  return j;
}

json CampaignTargetToJson(const CampaignTarget& t, Date start) {
  json j = ListedChildJson(t.child, start);
  j["campaign_dose"] = DateOrNull(t.campaign_dose);
  return j;
}

json CampaignToJson(const Schedule& schedule, const CampaignDetail& d) {
  const Campaign& c = d.campaign;
  const VaccineInfo* v = schedule.Find(c.vaccine);
  json j = {{"id", c.id},
            {"name", c.name},
            {"kind", CampaignKindCode(c.kind)},
            {"kind_label", CampaignKindZh(c.kind)},
            {"vaccine", c.vaccine},
            {"vaccine_name_zh", v ? v->name_zh : ""},
            {"age_from_months", c.age_from_months},
            {"age_to_months", c.age_to_months},
            {"area", c.area_code},
            {"area_name", d.area_name},
            {"start_date", FormatDate(c.start)},
            {"end_date", FormatDate(c.end)},
            {"note", TextOrNull(c.note)},
            {"created_at", c.created_at},
            {"created_by", c.created_by},
            {"coverage",
             {{"scope_path", d.scope_path},
              {"targets", d.progress.targets},
              {"vaccinated", d.progress.vaccinated},
              {"rate", RateOrNull(CampaignRate(d.progress.targets, d.progress.vaccinated))}}}};
  return j;
}

json EntryCheckToJson(const EntryCheck& c) {
  return {{"id", c.id},
          {"school", c.school},
          {"check_date", FormatDate(c.check_date)},
          {"org", c.org_code},
          {"file_name", TextOrNull(c.file_name)},
          {"rows_total", c.rows_total},
          {"rows_invalid", c.rows_invalid},
          {"complete", c.complete},
          {"needs_catch_up", c.needs_catch_up},
          {"not_found", c.not_found},
          {"created_at", c.created_at},
          {"created_by", c.created_by}};
}

json EntryCheckDetailToJson(const EntryCheckDetail& d) {
  json j = EntryCheckToJson(d.check);
  json rows = json::array();
  for (const EntryCheckRow& r : d.rows) {
    const RosterRow& x = r.roster;
    rows.push_back({{"row", x.row},
                    {"name", x.name},
                    {"sex", TextOrNull(x.sex)},
                    {"birth_date", FormatDate(x.birth)},
                    {"id_number_masked", registry::MaskIdNumber(x.id_number)},
                    {"guardian_name", x.guardian_name},
                    {"guardian_phone_masked", registry::MaskPhone(x.guardian_phone)},
                    {"school", x.school},
                    {"class", x.class_name},
                    {"result", CheckResultCode(r.result)},
                    {"result_label", CheckResultZh(r.result)},
                    {"match_method", TextOrNull(std::string(MatchMethodCode(r.method)))},
                    {"not_found_reason", TextOrNull(r.not_found_reason)},
                    {"person_id", TextOrNull(r.person_id)},
                    {"has_file", r.has_file},
                    {"doses", json::parse(r.doses_json, nullptr, false)}});
  }
  json errors = json::array();
  for (const RosterError& e : d.errors) {
    errors.push_back({{"row", e.row},
                      {"column", e.column},
                      {"code", e.code},
                      {"message_zh", e.message_zh},
                      {"message_en", e.message_en}});
  }
  j["rows"] = rows;
  j["errors"] = errors;
  return j;
}

json CoverageToJson(const Schedule& schedule, const CoverageTargets& targets,
                    const CoverageReport& r) {
  json target_list = json::array();
  for (const CoverageTarget& t : targets.targets) {
    target_list.push_back({{"id", t.id},
                           {"rate", t.rate},
                           {"label_zh", t.label_zh},
                           {"label_en", t.label_en},
                           {"section", t.section}});
  }
  auto meets = [&](const std::optional<double>& rate) {
    json m = json::object();
    for (const CoverageTarget& t : targets.targets) {
      m[t.id] = rate ? json(*rate + 1e-12 >= t.rate) : json(nullptr);
    }
    return m;
  };
  json units = json::array();
  for (const UnitCoverage& u : r.units) {
    json doses = json::array();
    for (const DoseCoverage& d : u.doses) {
      const VaccineInfo& v = schedule.info(d.vaccine);
      auto coverage = Rate(d.vaccinated, d.eligible);
      doses.push_back({{"vaccine", v.code},
                       {"name_zh", v.name_zh},
                       {"dose", d.dose},
                       {"eligible", d.eligible},
                       {"vaccinated", d.vaccinated},
                       {"coverage", RateOrNull(coverage)},
                       {"timely", d.timely},
                       {"timely_coverage", RateOrNull(Rate(d.timely, d.eligible))},
                       {"meets", meets(coverage)}});
    }
    units.push_back({{"org", {{"code", u.unit.code}, {"name", u.unit.name}}},
                     {"children", u.children},
                     {"card_issuance",
                      {{"entitled", u.entitled},
                       {"issued", u.with_file},
                       {"rate", RateOrNull(Rate(u.with_file, u.entitled))},
                       {"target", nullptr},
                       {"section", targets.card_issuance_section}}},
                     {"doses", doses}});
  }
  return {{"org", {{"code", r.org.code}, {"name", r.org.name}}},
          {"cohort", r.query.cohort},
          {"as_of", FormatDate(r.query.as_of)},
          {"timely_definition", TimelyCode(r.query.timely)},
          {"targets", target_list},
          {"targets_source", targets.source},
          {"units", units}};
}

}  // namespace jd::immunization
