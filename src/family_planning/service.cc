#include "family_planning/service.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <map>
#include <set>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "core/temp_file.h"
#include "network/store.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::family_planning {

namespace {

using auth::Permission;
using auth::Principal;
using registry::PersonStore;

// A follow-up is due within this many days either side of today (our policy, see the header).
constexpr int kDueWindowDays = 30;
constexpr int kMaxYearsBack = 30;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}

Status RecordNotFound() {
  return Status::NotFound("no such record in your jurisdiction", "您的辖区内没有此记录");
}

Person RulesPerson(const registry::Person& p) {
  Person r;
  r.sex = p.sex;
  r.birth = p.birth_date;
  r.married = p.marital_status == registry::MaritalStatus::kMarried;
  return r;
}

// Whether `day` is in [from, to].
bool Within(const Date& day, const Date& from, const Date& to) {
  return !(day < from) && !(to < day);
}

// The follow-ups of procedure `e` among the person's `procedures` (oldest first): up to a year
// after today, or to the day the device was removed.
ProcedureView FollowUps(const Entry& e, const std::vector<Entry>& procedures,
                        const std::vector<Date>& checked_on, const Date& today) {
  ProcedureView v{.entry = e};
  const auto p = ParseProcedure(e.code);
  if (!p || e.voided()) return v;
  Date until = AddYears(today, 1);
  const auto removal = *p == Procedure::kIudInsertion       ? Procedure::kIudRemoval
                       : *p == Procedure::kImplantInsertion ? Procedure::kImplantRemoval
                                                            : *p;
  if (removal != *p) {
    for (const auto& other : procedures) {
      if (!other.voided() && other.code == ProcedureCode(removal) && e.on < other.on) {
        until = std::min(until, other.on);
        break;
      }
    }
  }
  v.follow_ups = FollowUpsDue(DefaultProcedures().Of(*p), e.on, until);
  for (const Date& d : v.follow_ups) {
    if (!v.next_follow_up && !(d < today)) v.next_follow_up = d;
    if (Within(d, AddDays(today, -kDueWindowDays), AddDays(today, kDueWindowDays))) {
      const bool checked = std::any_of(checked_on.begin(), checked_on.end(), [&](const Date& c) {
        return !(c < AddDays(d, -kDueWindowDays));
      });
      if (!checked) v.follow_up_due = true;
    }
  }
  return v;
}

void CheckPoint(soci::session& s, const Principal& who, const std::string& point_id, bool required,
                FieldErrors& errors, std::string* org_path) {
  if (point_id.empty()) {
    if (required) {
      errors.Add("point_id", "required", "匿名发放须注明发放点",
                 "an anonymous distribution names its point");
    }
    return;
  }
  auto point = IsUuid(point_id) ? network::NetworkStore::GetPoint(s, auth::ScopeOf(who), point_id)
                                : auth::ScopedRow<network::ServicePoint>();
  if (!point) {
    errors.Add("point_id", "not_found", "您的辖区内没有此服务点",
               "no such service point in your jurisdiction");
  } else if (!point->free_contraceptives && required) {
    errors.Add("point_id", "not_distribution_point", "该服务点不发放免费避孕药具",
               "the point does not hand out free contraceptives");
  } else if (org_path) {
    *org_path = point->org_path;
  }
}

// supplies.h CheckDistribution's errors, the day named as the stored column (dispensed_on).
std::vector<FieldError> DistributionErrors(const Distribution& d, int received, const Date& today) {
  auto errors = CheckDistribution(d, DefaultCaps(), received, today);
  for (auto& e : errors) {
    if (e.field == "given_on") e.field = "dispensed_on";
  }
  return errors;
}

RewardFacts FactsOf(const RewardFactsRow& f) {
  return {f.floating,
          f.practises_family_planning,
          f.hardship,
          f.only_child_certificate,
          f.children_born,
          f.living_children,
          f.child_disabled_grade_3,
          f.woman_age};
}

void CheckDay(const Date& day, const Date& today, const char* field, FieldErrors& errors) {
  if (auto e = CheckDate(day, DateKind::kPastEvent, today, field)) errors.Add(*e);
}

}  // namespace

std::string_view CheckKindCode(CheckKind k) {
  return k == CheckKind::kPregnancyIud ? "pregnancy_iud" : "reproductive_health";
}

std::optional<CheckKind> ParseCheckKind(std::string_view code) {
  if (code == "pregnancy_iud") return CheckKind::kPregnancyIud;
  if (code == "reproductive_health") return CheckKind::kReproductiveHealth;
  return std::nullopt;
}

bool IsCheckResult(std::string_view code) {
  for (std::string_view c : {"normal", "abnormal", "pregnant", "iud_in_place", "iud_missing"}) {
    if (code == c) return true;
  }
  return false;
}

FpService::FpService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                     const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Entry FpService::NewEntry(const Principal& who, RecordKind kind, const std::string& person_id,
                          const std::string& org_path) const {
  Entry e;
  e.kind = kind;
  e.id = NewId();
  e.person_id = person_id;
  e.recorded_at = FormatTimestamp(clock_.Now());
  e.recorded_by = who.username;
  e.org_path = org_path;
  return e;
}

Status FpService::AuditRecord(soci::session& s, const Principal& who, const Entry& e,
                              const std::string& detail) {
  return audit_.Append(s, who,
                       {.action = "fp.record",
                        .object_type = fmt::format("fp_{}", RecordKindCode(e.kind)),
                        .object_id = e.id,
                        .person_id = e.person_id,
                        .detail = detail});
}

template <class Fn>
Status FpService::WritePerson(const Principal& who, const std::string& person_id,
                              const std::string& action, Fn&& write) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kFamilyPlanning));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonNotFound();
    return write(s, *person);
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
        PersonNotFound());
  }
  return st;
}

Result<Entry> FpService::RecordMethod(const Principal& who, const std::string& person_id,
                                      const MethodInput& in) {
  const Date today = clock_.Today();
  Entry out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.record", [&](soci::session& s, const registry::Person& p) -> Status {
        const Date on = in.started_on.value_or(today);
        FieldErrors errors;
        errors.Append(CheckMethod(in.method, on, RulesPerson(p), today));
        if (!errors.empty()) return errors.ToStatus();
        // A new method ends the one in force the day before it starts.
        for (Entry& old : FpStore::RecordOf(s, auth::ScopeOf(who), person_id)) {
          if (old.kind == RecordKind::kMethod && !old.voided() && !old.ended_on && old.on < on) {
            const std::string ended = FormatDate(AddDays(on, -1));
            s << "UPDATE fp_methods SET ended_on = :d WHERE id = :id", soci::use(ended),
                soci::use(old.id);
          }
        }
        out = NewEntry(who, RecordKind::kMethod, person_id, p.residence_path);
        out.code = std::string(MethodCode(in.method));
        out.on = on;
        out.note = in.note;
        FpStore::Insert(s, out);
        return AuditRecord(s, who, out,
                           fmt::format("method={} started_on={}", out.code, FormatDate(on)));
      }));
  return out;
}

Result<Entry> FpService::RecordDistribution(const Principal& who, const std::string& person_id,
                                            const DistributionInput& in) {
  const Date today = clock_.Today();
  Entry out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.record", [&](soci::session& s, const registry::Person& p) -> Status {
        const Date on = in.dispensed_on.value_or(today);
        FieldErrors errors;
        CheckPoint(s, who, in.point_id, false, errors, nullptr);
        const int received = FpStore::QuantityInYear(s, person_id, std::string(ItemCode(in.item)),
                                                     static_cast<int>(on.year()));
        errors.Append(DistributionErrors({in.item, in.quantity, on, false}, received, today));
        if (!errors.Has("dispensed_on") && on < p.birth_date) {
          errors.Add("dispensed_on", "before_birth", "日期早于出生日期",
                     "dispensed_on is before the date of birth");
        }
        if (!errors.empty()) return errors.ToStatus();
        out = NewEntry(who, RecordKind::kDistribution, person_id, p.residence_path);
        out.code = std::string(ItemCode(in.item));
        out.quantity = in.quantity;
        out.on = on;
        out.point_id = in.point_id;
        FpStore::Insert(s, out);
        return AuditRecord(s, who, out,
                           fmt::format("item={} quantity={} point={}", out.code, out.quantity,
                                       out.point_id.empty() ? "-" : out.point_id));
      }));
  return out;
}

Result<Entry> FpService::RecordAnonymousDistribution(const Principal& who,
                                                     const DistributionInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kFamilyPlanning));
  const Date today = clock_.Today();
  Entry out;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    FieldErrors errors;
    std::string path;
    CheckPoint(s, who, in.point_id, true, errors, &path);
    const Date on = in.dispensed_on.value_or(today);
    errors.Append(DistributionErrors({in.item, in.quantity, on, true}, 0, today));
    if (!errors.empty()) return errors.ToStatus();
    out = NewEntry(who, RecordKind::kDistribution, "", path);
    out.code = std::string(ItemCode(in.item));
    out.quantity = in.quantity;
    out.on = on;
    out.point_id = in.point_id;
    FpStore::Insert(s, out);
    return AuditRecord(s, who, out,
                       fmt::format("anonymous item={} quantity={} point={}", out.code, out.quantity,
                                   out.point_id));
  }));
  return out;
}

Result<ProcedureView> FpService::RecordProcedure(const Principal& who, const std::string& person_id,
                                                 const ProcedureInput& in) {
  const Date today = clock_.Today();
  ProcedureView out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.record", [&](soci::session& s, const registry::Person& p) -> Status {
        const Date on = in.done_on.value_or(today);
        FieldErrors errors;
        errors.Append(CheckProcedure(in.procedure, on, RulesPerson(p), DefaultProcedures(), today));
        CheckPoint(s, who, in.point_id, false, errors, nullptr);
        if (!errors.empty()) return errors.ToStatus();
        Entry e = NewEntry(who, RecordKind::kProcedure, person_id, p.residence_path);
        e.code = std::string(ProcedureCode(in.procedure));
        e.on = on;
        e.point_id = in.point_id;
        e.note = in.note;
        FpStore::Insert(s, e);
        out = FollowUps(e, {e}, {}, today);
        return AuditRecord(s, who, e,
                           fmt::format("procedure={} done_on={}", e.code, FormatDate(on)));
      }));
  return out;
}

Result<Entry> FpService::RecordCheck(const Principal& who, const std::string& person_id,
                                     const CheckInput& in) {
  const Date today = clock_.Today();
  Entry out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.record", [&](soci::session& s, const registry::Person& p) -> Status {
        const Date on = in.checked_on.value_or(today);
        FieldErrors errors;
        CheckDay(on, today, "checked_on", errors);
        if (p.sex != Sex::kFemale) {
          errors.Add("person", "not_female", "孕情环情及生殖健康检查记录在女方档案中",
                     "the check is recorded on a woman's record");
        }
        if (!IsCheckResult(in.result)) {
          errors.Add("result", "invalid_value",
                     "检查结果应为 normal、abnormal、pregnant、iud_in_place 或 iud_missing",
                     "result must be normal, abnormal, pregnant, iud_in_place or iud_missing");
        }
        if (!errors.empty()) return errors.ToStatus();
        out = NewEntry(who, RecordKind::kCheck, person_id, p.residence_path);
        out.code = std::string(CheckKindCode(in.kind));
        out.on = on;
        out.result = in.result;
        out.note = in.note;
        FpStore::Insert(s, out);
        return AuditRecord(s, who, out, fmt::format("kind={} result={}", out.code, out.result));
      }));
  return out;
}

Result<Entry> FpService::RecordGuidance(const Principal& who, const std::string& person_id,
                                        const GuidanceInput& in) {
  const Date today = clock_.Today();
  Entry out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.record", [&](soci::session& s, const registry::Person& p) -> Status {
        const Date on = in.given_on.value_or(today);
        FieldErrors errors;
        CheckDay(on, today, "given_on", errors);
        if (in.topic.empty()) {
          errors.Add("topic", "required", "指导内容为必填项", "topic is required");
        }
        if (!errors.empty()) return errors.ToStatus();
        out = NewEntry(who, RecordKind::kGuidance, person_id, p.residence_path);
        out.code = in.topic;
        out.on = on;
        FpStore::Insert(s, out);
        return AuditRecord(s, who, out, fmt::format("given_on={}", FormatDate(on)));
      }));
  return out;
}

Result<Entry> FpService::Void(const Principal& who, RecordKind kind, const std::string& id,
                              const std::string& reason) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kFamilyPlanning));
  if (reason.empty()) {
    return Status::Invalid({{"reason", "required", "作废原因为必填项", "reason is required"}});
  }
  if (!IsUuid(id)) return RecordNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Entry out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = FpStore::Get(s, scope, kind, id);
    outside = row.outside_scope();
    if (!row) return RecordNotFound();
    if (row->voided()) {
      return Status::AlreadyExists("the record is already voided", "该记录已作废");
    }
    const std::string at = FormatTimestamp(clock_.Now());
    FpStore::Void(s, kind, id, at, who.username, reason);
    out = *row;
    out.voided_at = at;
    out.voided_by = who.username;
    out.void_reason = reason;
    return audit_.Append(s, who,
                         {.action = "fp.void",
                          .object_type = fmt::format("fp_{}", RecordKindCode(kind)),
                          .object_id = id,
                          .person_id = out.person_id,
                          .detail = "reason given"});
  });
  if (outside) {
    return auth::RefuseOutsideScope(audit_, who,
                                    {.action = "fp.void",
                                     .object_type = fmt::format("fp_{}", RecordKindCode(kind)),
                                     .object_id = id},
                                    RecordNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<PersonRecord> FpService::RecordOf(const Principal& who, const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  auth::ScopedRow<registry::Person> person;
  PersonRecord rec;
  std::vector<RewardFactsRow> facts;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    person = PersonStore::Get(s, scope, person_id);
    if (!person) return Status::Ok();
    std::vector<Entry> procedures;
    std::vector<Date> checked;
    for (Entry& e : FpStore::RecordOf(s, scope, person_id)) {
      switch (e.kind) {
        case RecordKind::kMethod:
          rec.methods.push_back(std::move(e));
          break;
        case RecordKind::kDistribution:
          rec.distributions.push_back(std::move(e));
          break;
        case RecordKind::kProcedure:
          procedures.push_back(std::move(e));
          break;
        case RecordKind::kCheck:
          if (!e.voided()) checked.push_back(e.on);
          rec.checks.push_back(std::move(e));
          break;
        case RecordKind::kGuidance:
          rec.guidance.push_back(std::move(e));
          break;
      }
    }
    for (const Entry& e : procedures) {
      rec.procedures.push_back(FollowUps(e, procedures, checked, today));
    }
    for (const auto& cap : DefaultCaps().items) {
      rec.received_this_year.emplace_back(
          cap.item, FpStore::QuantityInYear(s, person_id, std::string(ItemCode(cap.item)),
                                            static_cast<int>(today.year())));
    }
    facts = FpStore::RewardFactsOf(s, scope, person_id);
    return Status::Ok();
  }));
  if (person.outside_scope()) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = "fp.read", .object_type = "person", .object_id = person_id},
        PersonNotFound());
  }
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "fp.read",
            .object_type = "person",
            .object_id = person_id,
            .person_id = person ? person_id : "",
            .result = person ? "ok" : "not_found",
            .detail = fmt::format("methods={} distributions={} procedures={}", rec.methods.size(),
                                  rec.distributions.size(), rec.procedures.size())}));
  if (!person) return PersonNotFound();
  rec.person_id = person_id;
  rec.name = person->name;
  rec.sex = person->sex;
  rec.birth = person->birth_date;
  rec.as_of = today;
  rec.woman_of_reproductive_age = WomanOfReproductiveAge(RulesPerson(*person), today);
  for (auto& f : facts) {
    const RewardFacts rf = FactsOf(f);
    rec.rewards.push_back({std::move(f), EvaluateRewards(DefaultRewardRules(), rf)});
  }
  return rec;
}

Result<RegisterView> FpService::Register(const Principal& who, const std::string& area, int limit) {
  JD_RETURN_IF_ERROR(auth::RequireAny(who, {Permission::kPersonRead, Permission::kAggregateRead}));
  const bool rows = auth::Holds(who, Permission::kPersonRead);
  auth::Scope scope = rows ? auth::ScopeOf(who) : auth::AggregateScopeOf(who);
  if (!area.empty()) {
    auto org = registry_.FindOrg(area);
    if (!org) {
      return Status::Invalid(
          {{"area", "unknown_org", "机构代码不存在：" + area, "no org unit has the code " + area}});
    }
    scope = scope.Narrow(org->path);
    if (scope.empty())
      return Status::NotFound("no such area in your jurisdiction", "您的辖区内没有此地区");
  }
  RegisterView v;
  v.as_of = clock_.Today();
  v.from = Date{v.as_of.year(), std::chrono::January, std::chrono::day{1}};
  v.to = v.as_of;
  v.rows_included = rows;
  // Ages 15–49 on the as-of day: born after as_of − 50 years, on or before as_of − 15 years.
  const Date born_from = AddDays(AddYears(v.as_of, -50), 1), born_to = AddYears(v.as_of, -15);
  std::vector<RegisterRow> women;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    women = FpStore::Register(s, scope, born_from, born_to, v.from, v.to);
    return Status::Ok();
  }));
  std::vector<Person> people;
  for (const auto& w : women) {
    Person p;
    p.sex = Sex::kFemale;
    p.birth = w.birth;
    p.married = w.marital_status == "married";
    p.guidance_on = w.guidance_on;
    p.free_service_on = w.free_service_on;
    if (!WomanOfReproductiveAge(p, v.as_of)) continue;
    people.push_back(p);
    RegisterWoman r;
    r.person_id = w.person_id;
    r.name = w.name;
    r.residence_org = w.residence_org;
    r.age = AgeInYears(w.birth, v.as_of);
    r.married = p.married;
    r.method = w.method;
    if (!w.guidance_on.empty()) r.last_guidance = w.guidance_on.back();
    if (!w.free_service_on.empty()) r.last_free_service = w.free_service_on.back();
    r.guided_this_year = !w.guidance_on.empty();
    r.served_this_year = !w.free_service_on.empty();
    for (const auto& e : w.procedures) {
      if (FollowUps(e, w.procedures, w.checked_on, v.as_of).follow_up_due) ++r.follow_ups_due;
    }
    v.follow_ups_due += r.follow_ups_due > 0;  // women, as the register's rows count them
    if (rows && static_cast<int>(v.rows.size()) < limit) v.rows.push_back(std::move(r));
  }
  v.women = static_cast<int>(people.size());
  v.guidance = GuidanceCoverage(people, v.from, v.to);
  v.free_service = FreeServiceCoverage(people, v.from, v.to);
  if (rows) {
    JD_RETURN_IF_ERROR(
        audit_.Record(who, {.action = "fp.read",
                            .object_type = "fp_register",
                            .object_id = area.empty() ? who.org_code : area,
                            .detail = fmt::format("women={} rows={}", v.women, v.rows.size())}));
  }
  return v;
}

Result<std::vector<Entry>> FpService::PointDistributions(const Principal& who, int limit) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const Date today = clock_.Today();
  std::vector<Entry> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = FpStore::DistributionsAtPoints(
        s, auth::ScopeOf(who), Date{today.year(), std::chrono::January, std::chrono::day{1}}, today,
        limit);
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "fp.read",
                                         .object_type = "fp_distributions",
                                         .object_id = who.org_code,
                                         .detail = fmt::format("rows={}", out.size())}));
  return out;
}

Result<RewardView> FpService::PutRewardFacts(const Principal& who, const std::string& person_id,
                                             int year, const RewardFacts& facts) {
  const Date today = clock_.Today();
  RewardView out;
  JD_RETURN_IF_ERROR(WritePerson(
      who, person_id, "fp.reward_facts",
      [&](soci::session& s, const registry::Person& p) -> Status {
        FieldErrors errors;
        errors.Append(CheckRewardFacts(facts));
        if (year < static_cast<int>(today.year()) - kMaxYearsBack ||
            year > static_cast<int>(today.year())) {
          errors.Add("year", "out_of_range", "年度应为近30年内且不晚于今年",
                     "year must be within the last 30 years and not after this year");
        }
        if (!errors.empty()) return errors.ToStatus();
        RewardFactsRow f;
        f.person_id = person_id;
        f.year = year;
        f.floating = facts.floating;
        f.practises_family_planning = facts.practises_family_planning;
        f.hardship = facts.hardship;
        f.only_child_certificate = facts.only_child_certificate;
        f.children_born = facts.children_born;
        f.living_children = facts.living_children;
        f.child_disabled_grade_3 = facts.child_disabled_grade_3;
        f.woman_age = facts.woman_age;
        f.recorded_at = FormatTimestamp(clock_.Now());
        f.recorded_by = who.username;
        f.org_path = p.residence_path;
        FpStore::PutRewardFacts(s, f);
        out.facts = f;
        out.facts.name = p.name;
        out.outcomes = EvaluateRewards(DefaultRewardRules(), facts);
        const auto eligible = std::count_if(out.outcomes.begin(), out.outcomes.end(),
                                            [](const RewardOutcome& o) { return o.eligible; });
        return audit_.Append(s, who,
                             {.action = "fp.reward_facts",
                              .object_type = "fp_reward_facts",
                              .object_id = fmt::format("{}/{}", person_id, year),
                              .person_id = person_id,
                              .detail = fmt::format("year={} eligible={}", year, eligible)});
      }));
  return out;
}

Result<PaymentList> FpService::Payments(const Principal& who, int year) {
  JD_RETURN_IF_ERROR(auth::RequireAny(who, {Permission::kPersonRead, Permission::kAggregateRead}));
  const bool names = auth::Holds(who, Permission::kPersonRead);
  const auth::Scope scope = names ? auth::ScopeOf(who) : auth::AggregateScopeOf(who);
  PaymentList list;
  list.year = year;
  list.names_masked = !names;
  std::vector<RewardFactsRow> facts;
  std::map<std::pair<std::string, std::string>, std::string> paid;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    facts = FpStore::RewardFactsOfYear(s, scope, year);
    for (const auto& p : FpStore::Payments(s, scope, year))
      paid[{p.person_id, p.rule_id}] = p.paid_on;
    return Status::Ok();
  }));
  for (const auto& f : facts) {
    const RewardFacts rf = FactsOf(f);
    for (const auto& o : EvaluateRewards(DefaultRewardRules(), rf)) {
      if (!o.eligible) continue;
      PaymentLine l;
      l.person_id = names ? f.person_id : "";
      l.name = names ? f.name : registry::MaskName(f.name);
      l.residence_org = f.residence_org;
      l.year = year;
      l.rule_id = o.id;
      l.label_zh = o.label_zh;
      l.label_en = o.label_en;
      l.seed_criteria = o.seed_criteria;
      if (auto it = paid.find({f.person_id, o.id}); it != paid.end()) l.paid_on = it->second;
      list.lines.push_back(std::move(l));
    }
  }
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "fp.read",
                          .object_type = "fp_payments",
                          .object_id = std::to_string(year),
                          .detail = fmt::format("lines={} masked={}", list.lines.size(), !names)}));
  return list;
}

Status FpService::MarkPaid(const Principal& who, const std::string& person_id, int year,
                           const std::string& rule_id, Date paid_on) {
  const Date today = clock_.Today();
  return WritePerson(
      who, person_id, "fp.payment", [&](soci::session& s, const registry::Person&) -> Status {
        FieldErrors errors;
        CheckDay(paid_on, today, "paid_on", errors);
        const auto facts = FpStore::RewardFactsOf(s, auth::ScopeOf(who), person_id);
        bool eligible = false;
        for (const auto& f : facts) {
          if (f.year != year) continue;
          const RewardFacts rf = FactsOf(f);
          for (const auto& o : EvaluateRewards(DefaultRewardRules(), rf)) {
            if (o.id == rule_id && o.eligible) eligible = true;
          }
        }
        if (!eligible) {
          errors.Add("rule_id", "not_eligible", "该年度此项不符合条件",
                     "the person does not meet this rule in that year");
        }
        if (!errors.empty()) return errors.ToStatus();
        if (!FpStore::MarkPaid(s, {person_id, rule_id, FormatDate(paid_on), who.username, year},
                               FormatTimestamp(clock_.Now()))) {
          return Status::AlreadyExists("already marked paid", "已标记为已发放");
        }
        return audit_.Append(s, who,
                             {.action = "fp.payment",
                              .object_type = "fp_reward_payment",
                              .object_id = fmt::format("{}/{}/{}", person_id, year, rule_id),
                              .person_id = person_id,
                              .detail = fmt::format("paid_on={}", FormatDate(paid_on))});
      });
}

Result<std::string> FpService::PaymentsXlsx(const PaymentList& list) {
  return BytesViaTempFile("fp-payments", [&](const std::string& path) -> Status {
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) return Status::Unavailable("cannot create the workbook", "无法生成 XLSX 文件");
    lxw_worksheet* ws = workbook_add_worksheet(wb, "奖励优待发放名单");
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    const std::string title = fmt::format("{}年 计划生育奖励优待与困难家庭帮扶发放名单", list.year);
    worksheet_write_string(ws, 0, 0, title.c_str(), bold);
    const char* header[] = {"姓名", "居住地机构", "年度", "项目", "依据", "发放日期"};
    for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(ws, 2, c, header[c], bold);
    lxw_row_t row = 3;
    for (const auto& l : list.lines) {
      worksheet_write_string(ws, row, 0, l.name.c_str(), nullptr);
      worksheet_write_string(ws, row, 1, l.residence_org.c_str(), nullptr);
      worksheet_write_number(ws, row, 2, l.year, nullptr);
      worksheet_write_string(ws, row, 3, l.label_zh.c_str(), nullptr);
      worksheet_write_string(ws, row, 4, l.seed_criteria ? "文件规定" : "地方设定（待确认）",
                             nullptr);
      worksheet_write_string(ws, row, 5, l.paid_on.empty() ? "未发放" : l.paid_on.c_str(), nullptr);
      ++row;
    }
    worksheet_set_column(ws, 0, 5, 18, nullptr);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
      return Status::Unavailable(std::string("cannot write the workbook: ") + lxw_strerror(err),
                                 "无法生成 XLSX 文件");
    }
    return Status::Ok();
  });
}

}  // namespace jd::family_planning
