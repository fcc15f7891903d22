#include "child/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "auth/access.h"
#include "core/ids.h"
#include "registry/person_store.h"

namespace jd::child {

namespace {

using auth::Permission;
using auth::Principal;
using registry::Person;
using registry::PersonStore;

// The 0–6 population of 规范 0～6岁儿童健康管理 一、服务对象: younger than 7 years (84 months).
constexpr int kManagementMonths = 84;

Status ChildNotFound() {
  return Status::NotFound("no such child in your jurisdiction", "您的辖区内没有此儿童");
}

// A number within [lo, hi] or a field error "out_of_range".
void CheckRange(const std::optional<double>& v, double lo, double hi, const char* field,
                const char* label_zh, const char* unit, FieldErrors& errors) {
  if (!v) return;
  if (!std::isfinite(*v) || *v < lo || *v > hi) {
    errors.Add(field, "out_of_range", fmt::format("{}应在{}～{}{}之间", label_zh, lo, hi, unit),
               fmt::format("{} must be between {} and {} {}", field, lo, hi, unit));
  }
}

Sex SexOf(const Person& p) { return p.sex == registry::Sex::kMale ? Sex::kMale : Sex::kFemale; }

// The field errors of a check-up of a child born `birth`, on `today`.
void CheckInput(const CheckupRecordInput& in, Date birth, Date today, FieldErrors& errors) {
  if (in.date < birth) {
    errors.Add("date", "before_birth", "检查日期早于出生日期", "the check-up is before the birth");
  } else if (today < in.date) {
    errors.Add("date", "in_future", "检查日期晚于今天", "the check-up is in the future");
  } else if (!(in.date < AddMonths(birth, kManagementMonths))) {
    errors.Add("date", "over_age", "0～6岁儿童健康管理的对象为7岁以下儿童",
               "the child was 7 years or older on that day");
  }
  if (in.discharged_on) {
    if (*in.discharged_on < birth) {
      errors.Add("discharged_on", "before_birth", "出院日期早于出生日期",
                 "the discharge is before the birth");
    } else if (in.date < *in.discharged_on) {
      errors.Add("discharged_on", "after_checkup", "出院日期晚于检查日期",
                 "the discharge is after the check-up");
    }
  }
  CheckRange(in.weight_kg, 0.3, 60, "weight_kg", "体重", "kg", errors);
  CheckRange(in.length_height_cm, 30, 150, "length_height_cm", "身长/身高", "cm", errors);
  CheckRange(in.head_cm, 25, 60, "head_cm", "头围", "cm", errors);
  CheckRange(in.haemoglobin_g_l, 30, 250, "haemoglobin_g_l", "血红蛋白", "g/L", errors);
}

}  // namespace

CheckupView ViewCheckup(const Checkup& c, Sex sex, Date birth) {
  CheckupView v;
  v.checkup = c;
  v.age_days = DaysBetween(birth, c.date);
  v.measure = c.measure.value_or(DefaultMeasure(v.age_days));
  GrowthMeasurement m;
  m.sex = sex;
  m.age_days = v.age_days;
  m.weight_kg = c.weight_kg;
  m.length_height_cm = c.length_height_cm;
  m.measure = v.measure;
  m.head_cm = c.head_cm;
  v.z = GrowthStandards::Builtin().Compute(m);
  v.nutrition = Classify(v.z);
  return v;
}

ChildService::ChildService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                           const registry::RegistryService& registry)
    : db_(db), audit_(audit), clock_(clock), registry_(registry) {}

Status ChildService::RefuseOutside(const Principal& who, const std::string& action,
                                   const std::string& person_id) {
  return auth::RefuseOutsideScope(
      audit_, who, {.action = action, .object_type = "person", .object_id = person_id},
      ChildNotFound());
}

Result<ChildCard> ChildService::BuildCard(const Person& p, std::vector<Checkup> checkups,
                                          std::optional<BirthLink> birth,
                                          std::vector<NewbornScreening> screenings) const {
  ChildCard card;
  card.as_of = clock_.Today();
  card.person_id = p.id;
  card.name = p.name;
  card.sex = SexOf(p);
  card.birth = p.birth_date;
  // The newborn visit is due within a week of the discharge (规范 二(一)): the delivery's when
  // the child was born here, else the one written on a newborn visit.
  if (birth && birth->discharged_on) card.discharge = birth->discharged_on;
  for (const auto& c : checkups) {
    if (!card.discharge && c.discharged_on) card.discharge = c.discharged_on;
  }
  if (card.discharge && *card.discharge < p.birth_date) card.discharge.reset();
  card.birth_here = std::move(birth);
  card.schedule_input.birth = p.birth_date;
  card.schedule_input.discharge = card.discharge;
  card.schedule_input.as_of = std::max(card.as_of, p.birth_date);
  // Records that no longer fit the birth date (corrected since) are shown but not scheduled.
  std::vector<std::size_t> scheduled;
  for (std::size_t i = 0; i < checkups.size(); ++i) {
    const Checkup& c = checkups[i];
    if (c.date < p.birth_date || card.schedule_input.as_of < c.date) continue;
    scheduled.push_back(i);
    card.schedule_input.contacts.push_back({c.date, c.kind});
  }
  auto plan = PlanCheckups(card.schedule_input);
  if (!plan.ok()) return plan.status();
  card.plan = *std::move(plan);
  card.summary = Summarize(card.schedule_input, card.plan);
  for (const auto& c : checkups) card.checkups.push_back(ViewCheckup(c, card.sex, p.birth_date));
  for (const auto& e : card.plan.entries) {
    if (e.record_index) card.checkups[scheduled.at(*e.record_index)].contact = e.kind;
  }
  // The screening items (新生儿疾病筛查), from the results that fit the birth date as above.
  card.screening_input.birth = p.birth_date;
  card.screening_input.discharge = card.discharge;
  card.screening_input.as_of = card.schedule_input.as_of;
  for (const auto& r : screenings) {
    FieldErrors misfit;
    CheckScreeningRecord(r.record, p.birth_date, card.screening_input.as_of, "", misfit);
    if (misfit.empty()) card.screening_input.records.push_back(r.record);
  }
  auto screening = PlanScreening(card.screening_input);
  if (!screening.ok()) return screening.status();
  card.screening = *std::move(screening);
  card.screenings = std::move(screenings);
  return card;
}

Result<ChildCard> ChildService::Card(const Principal& who, const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return ChildNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Person> person;
  std::vector<Checkup> checkups;
  std::optional<BirthLink> birth;
  std::vector<NewbornScreening> screenings;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    person = PersonStore::Get(s, scope, person_id);
    if (person) {
      checkups = CheckupStore::ForPerson(s, person_id);
      birth = CheckupStore::Birth(s, person_id);
      screenings = ScreeningStore::ForPerson(s, person_id);
    }
    return Status::Ok();
  }));
  if (person.outside_scope()) return RefuseOutside(who, "child.read", person_id);
  // The read is recorded before the data leaves; so is the answer that there is none.
  JD_RETURN_IF_ERROR(audit_.Record(
      who,
      {.action = "child.read",
       .object_type = "person",
       .object_id = person_id,
       .person_id = person ? person_id : "",
       .result = person ? "ok" : "not_found",
       .detail = fmt::format("checkups={} screenings={}", checkups.size(), screenings.size())}));
  if (!person) return ChildNotFound();
  return BuildCard(*person, std::move(checkups), std::move(birth), std::move(screenings));
}

Result<ChildCard> ChildService::WriteOnCard(const Principal& who, const std::string& person_id,
                                            const std::string& action, FieldErrors errors,
                                            const RowWriter& write) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return ChildNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<ChildCard> out = ChildNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return ChildNotFound();
    JD_RETURN_IF_ERROR(write(s, *person, today, errors));
    auto card =
        BuildCard(*person, CheckupStore::ForPerson(s, person_id), CheckupStore::Birth(s, person_id),
                  ScreeningStore::ForPerson(s, person_id));
    if (!card.ok()) return card.status();
    out = std::move(card);
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, action, person_id);
  if (st.code() == StatusCode::kInvalidArgument) {
    JD_RETURN_IF_ERROR(audit_.Record(who, {.action = action,
                                           .object_type = "person",
                                           .object_id = person_id,
                                           .person_id = person_id,
                                           .result = "invalid"}));
  }
  if (!st.ok()) return st;
  return out;
}

// The clinic or screening centre `code` (default the caller's unit) or a field error on `field`.
std::string ChildService::OrgOrError(const Principal& who, const std::string& code,
                                     const char* field, FieldErrors& errors) const {
  const std::string org = code.empty() ? who.org_code : code;
  if (!registry_.FindOrg(org)) {
    errors.Add(field, "unknown_org", "机构代码不存在：" + org, "no org unit has the code " + org);
  }
  return org;
}

Result<ChildCard> ChildService::RecordCheckup(const Principal& who, const std::string& person_id,
                                              const CheckupRecordInput& in) {
  FieldErrors errors;
  const std::string clinic = OrgOrError(who, in.clinic, "clinic", errors);
  return WriteOnCard(
      who, person_id, "child.checkup", std::move(errors),
      [&](soci::session& s, const Person& person, Date today, FieldErrors& problems) -> Status {
        CheckInput(in, person.birth_date, today, problems);
        if (!problems.empty()) return problems.ToStatus();
        Checkup c;
        c.id = NewId();
        c.person_id = person_id;
        c.kind = in.kind;
        c.date = in.date;
        c.clinic_code = clinic;
        c.weight_kg = in.weight_kg;
        c.length_height_cm = in.length_height_cm;
        c.measure = in.measure;
        c.head_cm = in.head_cm;
        c.haemoglobin_g_l = in.haemoglobin_g_l;
        c.hearing = in.hearing;
        c.development = in.development;
        c.vision = in.vision;
        c.feeding_guidance = in.feeding_guidance;
        c.tcm_guidance = in.tcm_guidance;
        c.advice = in.advice;
        c.discharged_on = in.discharged_on;
        c.recorded_at = FormatTimestamp(clock_.Now());
        c.recorded_by = who.username;
        CheckupStore::Insert(s, c);
        return audit_.Append(
            s, who,
            {.action = "child.checkup",
             .object_type = "child_checkup",
             .object_id = c.id,
             .person_id = person_id,
             .detail = fmt::format("date={} kind={}", FormatDate(c.date),
                                   c.kind ? ContactCode(*c.kind) : std::string_view("auto"))});
      });
}

Result<ChildCard> ChildService::RecordScreening(const Principal& who, const std::string& person_id,
                                                const ScreeningRecordInput& in) {
  FieldErrors errors;
  // A centre outside the registry is named; else an org unit, the caller's by default.
  std::string facility;
  if (!in.facility_code.empty() || in.facility_name.empty()) {
    facility = OrgOrError(who, in.facility_code, "facility_code", errors);
  }
  return WriteOnCard(
      who, person_id, "child.screening", std::move(errors),
      [&](soci::session& s, const Person& person, Date today, FieldErrors& problems) -> Status {
        CheckScreeningRecord(in.record, person.birth_date, today, "", problems);
        if (!problems.empty()) return problems.ToStatus();
        NewbornScreening r;
        r.id = NewId();
        r.person_id = person_id;
        r.record = in.record;
        r.facility_code = facility;
        r.facility_name = in.facility_name;
        r.recorded_at = FormatTimestamp(clock_.Now());
        r.recorded_by = who.username;
        ScreeningStore::Insert(s, r);
        // The kind and date only: a result is health data the audit log does not repeat.
        return audit_.Append(s, who,
                             {.action = "child.screening",
                              .object_type = "newborn_screening",
                              .object_id = r.id,
                              .person_id = person_id,
                              .detail = fmt::format("date={} kind={}", FormatDate(r.record.date),
                                                    ScreeningKindCode(r.record.kind))});
      });
}

Result<std::vector<DueItem>> ChildService::Due(const Principal& who, const DueQuery& q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  std::vector<ChildRow> children;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    // Born after the day 7 years before today: younger than 7 (规范 一、服务对象).
    children =
        CheckupStore::Children(s, scope, AddDays(AddMonths(today, -kManagementMonths), 1), 1000000);
    return Status::Ok();
  }));
  std::vector<DueItem> out;
  for (auto& c : children) {
    CheckupInput in{c.birth, c.discharge, {}, std::max(today, c.birth)};
    for (const auto& r : c.contacts) {
      if (!(r.date < c.birth) && !(in.as_of < r.date)) in.contacts.push_back(r);
    }
    auto plan = PlanCheckups(in);
    if (!plan.ok()) continue;
    for (const auto& e : plan->entries) {
      const bool open = e.status == CheckupStatus::kDue || e.status == CheckupStatus::kOverdue ||
                        e.status == CheckupStatus::kUpcoming;
      if (!open || q.due_by < e.window_start) continue;
      out.push_back({c.person_id, c.name, c.sex == registry::Sex::kMale ? Sex::kMale : Sex::kFemale,
                     c.birth, c.residence_org, e});
      break;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DueItem& a, const DueItem& b) {
    return a.next.window_start < b.next.window_start;
  });
  if (out.size() > static_cast<std::size_t>(std::max(q.limit, 0)) && !q.count_only) {
    out.resize(static_cast<std::size_t>(std::max(q.limit, 0)));
  }
  // A count alone shows no one: not a read of personal data (as the other home-page counts).
  if (q.count_only) return out;
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "child.list",
            .object_type = "worklist",
            .object_id = "due",
            .detail = fmt::format("due_by={} count={}", FormatDate(q.due_by), out.size())}));
  return out;
}

}  // namespace jd::child
