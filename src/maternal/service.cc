#include "maternal/service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "auth/access.h"
#include "core/ids.h"
#include "core/input.h"
#include "registry/person_rules.h"
#include "registry/person_store.h"

namespace jd::maternal {

namespace {

using auth::Permission;
using auth::Principal;
using registry::Person;
using registry::PersonStore;

// 《妇产科学》第9版 流产: 妊娠未达到28周、胎儿体重不足1000g而终止者称为流产 — a pregnancy that ends
// before 28+0 weeks is recorded as an end, from 28+0 as a delivery.
constexpr int kDeliveryFromDays = 28 * 7;

Status PersonNotFound() {
  return Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
}
Status PregnancyNotFound() {
  return Status::NotFound("no such pregnancy in your jurisdiction", "您的辖区内没有此孕产期档案");
}

// A number within [lo, hi] or a field error "out_of_range".
template <typename T>
void CheckRange(const std::optional<T>& v, double lo, double hi, const char* field,
                const char* label_zh, const char* unit, FieldErrors& errors) {
  if (!v) return;
  if (!std::isfinite(static_cast<double>(*v)) || *v < lo || *v > hi) {
    errors.Add(field, "out_of_range", fmt::format("{}应在{}～{}{}之间", label_zh, lo, hi, unit),
               fmt::format("{} must be between {} and {} {}", field, lo, hi, unit));
  }
}

void CheckMeasures(const VisitMeasures& m, FieldErrors& errors) {
  CheckRange(m.systolic, 50, 260, "systolic", "收缩压", "mmHg", errors);
  CheckRange(m.diastolic, 30, 160, "diastolic", "舒张压", "mmHg", errors);
  if (m.systolic && m.diastolic && *m.diastolic >= *m.systolic && !errors.Has("diastolic")) {
    errors.Add("diastolic", "above_systolic", "舒张压应低于收缩压",
               "the diastolic pressure must be below the systolic");
  }
  CheckRange(m.weight_kg, 25, 250, "weight_kg", "体重", "kg", errors);
  CheckRange(m.fundal_height_cm, 5, 50, "fundal_height_cm", "宫底高度", "cm", errors);
  CheckRange(m.fetal_heart_rate, 60, 220, "fetal_heart_rate", "胎心率", "次/分", errors);
  CheckRange(m.haemoglobin_g_l, 20, 250, "haemoglobin_g_l", "血红蛋白", "g/L", errors);
  static constexpr std::string_view kUrine[] = {"", "-", "±", "+", "++", "+++", "++++"};
  if (std::find(std::begin(kUrine), std::end(kUrine), m.urine_protein) == std::end(kUrine)) {
    errors.Add("urine_protein", "invalid_value", "尿蛋白应为 -、±、+、++、+++ 或 ++++",
               "urine_protein must be one of -, ±, +, ++, +++, ++++");
  }
}

// A delivery or an end is recorded once.
Status StillPregnant(const Pregnancy& p) {
  if (p.delivered_on || p.ended_on) {
    return Status::FailedPrecondition("the pregnancy has already ended",
                                      "本次妊娠已记录分娩或终止");
  }
  return Status::Ok();
}

// 出生 at 300–6500 g and 20–65 cm: outside, the value is a typing error (our bounds).
constexpr int kMinBirthWeightG = 300, kMaxBirthWeightG = 6500;

// The registry persons of a delivery's children: living with the mother, born on the day.
std::vector<std::pair<Person, Newborn>> NewbornPersons(const Person& mother,
                                                       const DeliveryInput& in,
                                                       FieldErrors& errors) {
  std::vector<std::pair<Person, Newborn>> out;
  for (std::size_t i = 0; i < in.newborns.size(); ++i) {
    const NewbornInput& n = in.newborns[i];
    const std::string at = fmt::format("newborns[{}].", i);
    Person c;
    c.id = NewId();
    c.sex = n.sex;
    c.name =
        n.name.empty() ? mother.name + (n.sex == registry::Sex::kMale ? "之子" : "之女") : n.name;
    c.birth_date = in.delivered_on;
    c.id_type = registry::IdType::kBirthCertificate;
    c.id_number = n.birth_certificate_no;
    c.ethnicity = mother.ethnicity;
    c.phone = mother.phone;
    c.hukou_division = mother.hukou_division;
    c.hukou_address = mother.hukou_address;
    c.residence_org = mother.residence_org;
    c.residence_path = mother.residence_path;
    c.residence_address = mother.residence_address;
    c.arrived_on = in.delivered_on;
    c.move_reason = registry::MoveReason::kFamily;
    for (auto e : registry::ValidatePerson(c, in.delivered_on)) {
      e.field = at + (e.field == "id_number" ? "birth_certificate_no" : e.field);
      errors.Add(std::move(e));
    }
    if (n.birth_weight_g &&
        (*n.birth_weight_g < kMinBirthWeightG || *n.birth_weight_g > kMaxBirthWeightG)) {
      errors.Add(at + "birth_weight_g", "out_of_range", "出生体重应在300～6500克之间",
                 "a birth weight must be 300–6500 g");
    }
    if (n.birth_length_cm && (!std::isfinite(*n.birth_length_cm) || *n.birth_length_cm < 20 ||
                              *n.birth_length_cm > 65)) {
      errors.Add(at + "birth_length_cm", "out_of_range", "出生身长应在20～65厘米之间",
                 "a birth length must be 20–65 cm");
    }
    Newborn link;
    link.seq = static_cast<int>(i) + 1;
    link.person_id = c.id;
    link.name = c.name;
    link.sex = c.sex;
    link.birth_weight_g = n.birth_weight_g;
    link.birth_length_cm = n.birth_length_cm;
    out.emplace_back(std::move(c), std::move(link));
  }
  return out;
}

// The coexisting colours' conditions are infection data (purple: 传染病).
bool IsInfectionCode(const RiskCatalogue& c, const std::string& code) {
  const RiskCondition* cond = c.FindCondition(code);
  if (!cond) return false;
  const RiskColour* colour = c.FindColour(cond->colour);
  return colour && colour->coexisting;
}

bool TouchesInfection(const RiskCatalogue& c, const RiskInput& in) {
  if (in.hiv_positive || in.syphilis_positive || in.hbsag_positive) return true;
  return std::any_of(in.conditions.begin(), in.conditions.end(),
                     [&](const std::string& code) { return IsInfectionCode(c, code); });
}

void ApplyAssessment(Pregnancy& p, const StoredAssessment& a, const RiskCatalogue& c) {
  if (p.risk_assessed_on && a.assessed_on < *p.risk_assessed_on) return;  // an older one
  p.risk_colour = a.colour;
  p.risk_coexisting = a.coexisting;
  p.risk_assessed_on = a.assessed_on;
  const RiskColour* colour = c.FindColour(a.colour);
  p.high_risk = colour && std::find(colour->requires_codes.begin(), colour->requires_codes.end(),
                                    "referral_designated_hospital") != colour->requires_codes.end();
}

}  // namespace

MaternalService::MaternalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                                 const registry::RegistryService& registry,
                                 const RiskCatalogue& catalogue)
    : db_(db), audit_(audit), clock_(clock), registry_(registry), catalogue_(catalogue) {}

Status MaternalService::RefuseOutside(const Principal& who, const std::string& action,
                                      const std::string& object_type, const std::string& id) {
  return auth::RefuseOutsideScope(audit_, who,
                                  {.action = action, .object_type = object_type, .object_id = id},
                                  object_type == "person" ? PersonNotFound() : PregnancyNotFound());
}

Result<StoredAssessment> MaternalService::AssessRisk(const Principal& who, const RiskInput& in,
                                                     Date birth, Date on, FieldErrors& errors) {
  if (TouchesInfection(catalogue_, in)) {
    JD_RETURN_IF_ERROR(auth::Require(who, Permission::kInfectionRead));
  }
  CheckRange(in.height_cm, 100, 250, "height_cm", "身高", "cm", errors);
  CheckRange(in.weight_kg, 25, 250, "weight_kg", "体重", "kg", errors);
  CheckRange(in.haemoglobin_g_l, 20, 250, "haemoglobin_g_l", "血红蛋白", "g/L", errors);
  CheckRange(in.platelets_10e9_l, 1, 1500, "platelets_10e9_l", "血小板", "×10⁹/L", errors);
  RiskFacts facts;
  facts.age_years = AgeInYears(birth, on);
  if (in.height_cm && in.weight_kg && !errors.Has("height_cm") && !errors.Has("weight_kg")) {
    const double m = *in.height_cm / 100.0;
    facts.bmi = std::round(*in.weight_kg / (m * m) * 10.0) / 10.0;  // BMI to 0.1, as recorded
  }
  facts.haemoglobin_g_l = in.haemoglobin_g_l;
  facts.platelets_10e9_l = in.platelets_10e9_l;
  facts.hiv_positive = in.hiv_positive;
  facts.syphilis_positive = in.syphilis_positive;
  facts.hbsag_positive = in.hbsag_positive;
  facts.ticked = in.conditions;
  facts.stated_colour = in.colour;
  auto assessed = maternal::Assess(catalogue_, facts);
  if (!assessed.ok()) {
    errors.Append(assessed.status().field_errors());
    return assessed.status();
  }
  StoredAssessment a;
  a.id = NewId();
  a.assessed_on = on;
  a.colour = assessed->colour;
  a.coexisting = assessed->coexisting;
  for (const auto& m : assessed->conditions) {
    a.conditions.push_back(m.code);
    if (m.derived) a.derived.push_back(m.code);
  }
  a.stated_colour = in.colour;
  a.colour_set = catalogue_.colour_set();
  a.recorded_at = FormatTimestamp(clock_.Now());
  a.recorded_by = who.username;
  return a;
}

void MaternalService::ApplyLatest(Pregnancy& p, const StoredAssessment& a) const {
  ApplyAssessment(p, a, catalogue_);
}

CareSchedule MaternalService::Refresh(Pregnancy& p, const std::vector<PregnancyVisit>& visits,
                                      Date today) const {
  return RefreshPregnancy(p, visits, today);
}

PregnancyView MaternalService::View(const Principal& who, Pregnancy p,
                                    std::vector<PregnancyVisit> visits,
                                    std::vector<StoredAssessment> assessments,
                                    std::vector<Newborn> newborns) const {
  PregnancyView v;
  v.as_of = clock_.Today();
  v.schedule = Refresh(p, visits, v.as_of);
  v.ga_today = p.dating.AgeOn(v.as_of);
  if (!auth::Holds(who, Permission::kInfectionRead)) {
    // Said for every such reader, whether or not anything was left out, so that the flag
    // itself tells nothing.
    v.infection_hidden = true;
    p.risk_coexisting.clear();
    for (auto& a : assessments) {
      a.coexisting.clear();
      auto infection = [&](const std::string& code) { return IsInfectionCode(catalogue_, code); };
      std::erase_if(a.conditions, infection);
      std::erase_if(a.derived, infection);
      // Y2.3 (hepatitis B carrier) is derived from a test result.
      std::erase_if(a.conditions, [&](const std::string& code) {
        const RiskCondition* c = catalogue_.FindCondition(code);
        return c && std::any_of(c->when.begin(), c->when.end(),
                                [](const RiskClause& w) { return w.test.has_value(); });
      });
      std::erase_if(a.derived, [&](const std::string& code) {
        return std::find(a.conditions.begin(), a.conditions.end(), code) == a.conditions.end();
      });
    }
  }
  v.pregnancy = std::move(p);
  v.visits = std::move(visits);
  v.assessments = std::move(assessments);
  v.newborns = std::move(newborns);
  return v;
}

Result<PregnancyView> MaternalService::Register(const Principal& who, const std::string& person_id,
                                                const RegistrationInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(person_id)) return PersonNotFound();
  const Date today = clock_.Today();
  FieldErrors errors;
  const Date registered_on = in.registered_on.value_or(today);
  if (today < registered_on) {
    errors.Add("registered_on", "in_future", "建册日期晚于今天",
               "the registration is in the future");
  }
  if (in.gravidity < 1 || in.gravidity > 30) {
    errors.Add("gravidity", "out_of_range", "孕次应在1～30之间（含本次妊娠）",
               "gravidity must be 1–30, this pregnancy included");
  }
  if (in.parity < 0 || in.parity >= std::max(in.gravidity, 1)) {
    errors.Add("parity", "parity_exceeds_gravidity", "产次应小于孕次（本次妊娠尚未分娩）",
               "parity must be below gravidity (this pregnancy has not been delivered)");
  }
  auto dating = DatePregnancy(in.dating, registered_on);
  if (!dating.ok()) errors.Append(dating.status().field_errors());
  const std::string clinic_code = in.clinic.empty() ? who.org_code : in.clinic;
  if (auto org = registry_.FindOrg(clinic_code); !org) {
    errors.Add("clinic", "unknown_org", "机构代码不存在：" + clinic_code,
               "no org unit has the code " + clinic_code);
  } else if (!auth::ScopeOf(who).Covers(org->path)) {
    errors.Add("clinic", "outside_jurisdiction", "该机构不在您的辖区内",
               "the clinic is outside your jurisdiction");
  }
  if (TouchesInfection(catalogue_, in.risk)) {
    JD_RETURN_IF_ERROR(auth::Require(who, Permission::kInfectionRead));
  }

  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  Result<PregnancyView> out = PersonNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto person = PersonStore::Get(s, scope, person_id);
    outside = person.outside_scope();
    if (!person) return PersonNotFound();
    if (person->sex != registry::Sex::kFemale) {
      errors.Add("person", "not_female", "孕产期档案只能为女性建立",
                 "a pregnancy can only be registered for a woman");
    } else if (dating.ok() && DaysBetween(person->birth_date, dating->lmp) < 365 * 8) {
      errors.Add("lmp", "before_childbearing_age", "末次月经日期与出生日期不符",
                 "the LMP does not fit the woman's date of birth");
    }
    Result<StoredAssessment> assessment = Status::Invalid({});
    if (dating.ok()) {
      assessment = AssessRisk(who, in.risk, person->birth_date, registered_on, errors);
      if (!assessment.ok() && assessment.status().code() != StatusCode::kInvalidArgument) {
        return assessment.status();
      }
    }
    if (!errors.empty()) return errors.ToStatus();
    if (PregnancyStore::HasOpen(s, person_id)) {
      return Status::AlreadyExists("the woman has a pregnancy that is not closed",
                                   "此人已有未结案的孕产期档案");
    }
    Pregnancy p;
    p.id = NewId();
    p.person_id = person_id;
    p.clinic_code = clinic_code;
    p.dating = *dating;
    if (in.dating.ultrasound_date && in.dating.ultrasound_ga) {
      p.ultrasound_date = in.dating.ultrasound_date;
      p.ultrasound_ga = in.dating.ultrasound_ga;
    }
    p.registered_on = registered_on;
    p.gravidity = in.gravidity;
    p.parity = in.parity;
    assessment->pregnancy_id = p.id;
    ApplyAssessment(p, *assessment, catalogue_);
    p.created_at = p.updated_at = FormatTimestamp(clock_.Now());
    p.created_by = p.updated_by = who.username;
    Refresh(p, {}, today);
    PregnancyStore::Insert(s, p);
    PregnancyStore::InsertAssessment(s, *assessment);
    JD_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {.action = "pregnancy.register",
         .object_type = "pregnancy",
         .object_id = p.id,
         .person_id = person_id,
         .detail = fmt::format("clinic={} dating={} early={}", p.clinic_code,
                               DatingMethodCode(p.dating.method),
                               IsEarlyRegistration(p.dating, p.registered_on) ? 1 : 0)}));
    out = View(who, std::move(p), {}, {*assessment});
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, "pregnancy.register", "person", person_id);
  if (!st.ok()) return st;
  return out;
}

Result<PregnancyView> MaternalService::Get(const Principal& who, const std::string& pregnancy_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(pregnancy_id)) return PregnancyNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Pregnancy> p;
  std::vector<PregnancyVisit> visits;
  std::vector<StoredAssessment> assessments;
  std::vector<Newborn> newborns;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    p = PregnancyStore::Get(s, scope, pregnancy_id);
    if (p) {
      visits = PregnancyStore::Visits(s, pregnancy_id);
      assessments = PregnancyStore::Assessments(s, pregnancy_id);
      newborns = PregnancyStore::Newborns(s, scope, pregnancy_id);
    }
    return Status::Ok();
  }));
  if (p.outside_scope()) return RefuseOutside(who, "pregnancy.read", "pregnancy", pregnancy_id);
  // The read is recorded before the data leaves; so is the answer that there is none.
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "pregnancy.read",
                                         .object_type = "pregnancy",
                                         .object_id = pregnancy_id,
                                         .person_id = p ? p->person_id : "",
                                         .result = p ? "ok" : "not_found"}));
  if (!p) return PregnancyNotFound();
  return View(who, *std::move(p).release(), std::move(visits), std::move(assessments),
              std::move(newborns));
}

Result<std::vector<PregnancyView>> MaternalService::ListForPerson(const Principal& who,
                                                                  const std::string& person_id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  if (!IsUuid(person_id)) return PersonNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Person> person;
  std::vector<std::tuple<Pregnancy, std::vector<PregnancyVisit>, std::vector<StoredAssessment>,
                         std::vector<Newborn>>>
      rows;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    person = PersonStore::Get(s, scope, person_id);
    if (!person) return Status::Ok();
    for (auto& p : PregnancyStore::ListForPerson(s, scope, person_id)) {
      auto visits = PregnancyStore::Visits(s, p.id);
      auto assessments = PregnancyStore::Assessments(s, p.id);
      auto newborns = PregnancyStore::Newborns(s, scope, p.id);
      rows.emplace_back(std::move(p), std::move(visits), std::move(assessments),
                        std::move(newborns));
    }
    return Status::Ok();
  }));
  if (person.outside_scope()) return RefuseOutside(who, "pregnancy.list", "person", person_id);
  JD_RETURN_IF_ERROR(audit_.Record(who, {.action = "pregnancy.list",
                                         .object_type = "person",
                                         .object_id = person_id,
                                         .person_id = person ? person_id : "",
                                         .result = person ? "ok" : "not_found",
                                         .detail = fmt::format("count={}", rows.size())}));
  if (!person) return PersonNotFound();
  std::vector<PregnancyView> out;
  out.reserve(rows.size());
  for (auto& [p, visits, assessments, newborns] : rows) {
    out.push_back(
        View(who, std::move(p), std::move(visits), std::move(assessments), std::move(newborns)));
  }
  return out;
}

Result<PregnancyView> MaternalService::Change(
    const Principal& who, const std::string& pregnancy_id, const std::string& action,
    const std::function<Status(soci::session&, Pregnancy&, std::vector<PregnancyVisit>&,
                               std::string& detail)>& change) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  if (!IsUuid(pregnancy_id)) return PregnancyNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<PregnancyView> out = PregnancyNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto current = PregnancyStore::Get(s, scope, pregnancy_id);
    outside = current.outside_scope();
    if (!current) return PregnancyNotFound();
    std::vector<PregnancyVisit> visits = PregnancyStore::Visits(s, pregnancy_id);
    Pregnancy next = *current;
    std::string detail;
    JD_RETURN_IF_ERROR(change(s, next, visits, detail));
    Refresh(next, visits, today);
    next.version = current->version + 1;
    next.updated_at = FormatTimestamp(clock_.Now());
    next.updated_by = who.username;
    if (!PregnancyStore::Update(s, scope, next, current->version)) return StaleVersion();
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "pregnancy",
                                      .object_id = pregnancy_id,
                                      .person_id = next.person_id,
                                      .detail = detail}));
    out =
        View(who, std::move(next), std::move(visits), PregnancyStore::Assessments(s, pregnancy_id),
             PregnancyStore::Newborns(s, scope, pregnancy_id));
    return Status::Ok();
  });
  if (outside) return RefuseOutside(who, action, "pregnancy", pregnancy_id);
  if (!st.ok()) return st;
  return out;
}

Result<PregnancyView> MaternalService::RecordVisit(const Principal& who,
                                                   const std::string& pregnancy_id,
                                                   const VisitInput& in) {
  const Date today = clock_.Today();
  return Change(
      who, pregnancy_id, "pregnancy.visit",
      [&](soci::session& s, Pregnancy& p, std::vector<PregnancyVisit>& visits,
          std::string& detail) -> Status {
        FieldErrors errors;
        errors.Append(CheckVisit(p.Episode(), p.closed_on, in.kind, in.date, today).field_errors());
        CheckMeasures(in.measures, errors);
        PregnancyVisit v;
        // By default the clinic that keeps the handbook, or the caller's own unit once the
        // woman has moved out of that clinic's area into the caller's.
        v.clinic_code = in.clinic;
        if (v.clinic_code.empty()) {
          auto keeper = registry_.FindOrg(p.clinic_code);
          v.clinic_code =
              keeper && auth::ScopeOf(who).Covers(keeper->path) ? p.clinic_code : who.org_code;
        }
        if (auto org = registry_.FindOrg(v.clinic_code); !org) {
          errors.Add("clinic", "unknown_org", "机构代码不存在：" + v.clinic_code,
                     "no org unit has the code " + v.clinic_code);
        }
        std::optional<StoredAssessment> assessment;
        if (in.risk) {
          RiskInput risk = *in.risk;
          if (!risk.haemoglobin_g_l) risk.haemoglobin_g_l = in.measures.haemoglobin_g_l;
          if (!risk.weight_kg) risk.weight_kg = in.measures.weight_kg;
          auto person = PersonStore::Get(s, auth::ScopeOf(who), p.person_id);
          auto a = AssessRisk(who, risk, person ? person->birth_date : Date{}, in.date, errors);
          if (!a.ok() && a.status().code() != StatusCode::kInvalidArgument) {
            return a.status();
          }
          if (a.ok()) assessment = *a;
        }
        if (!errors.empty()) return errors.ToStatus();
        v.id = NewId();
        v.pregnancy_id = p.id;
        v.kind = in.kind;
        v.date = in.date;
        if (in.kind == VisitKind::kAntenatal) v.ga = p.dating.AgeOn(in.date);
        v.measures = in.measures;
        v.recorded_at = FormatTimestamp(clock_.Now());
        v.recorded_by = who.username;
        PregnancyStore::InsertVisit(s, v);
        visits.push_back(v);
        std::stable_sort(visits.begin(), visits.end(),
                         [](const auto& a, const auto& b) { return a.date < b.date; });
        detail = fmt::format("kind={} date={}", VisitKindCode(in.kind), FormatDate(in.date));
        if (assessment) {
          assessment->pregnancy_id = p.id;
          PregnancyStore::InsertAssessment(s, *assessment);
          ApplyAssessment(p, *assessment, catalogue_);
          detail += " colour=" + assessment->colour;
        }
        return Status::Ok();
      });
}

Result<PregnancyView> MaternalService::Assess(const Principal& who, const std::string& pregnancy_id,
                                              const AssessmentInput& in) {
  const Date today = clock_.Today();
  return Change(who, pregnancy_id, "pregnancy.assess",
                [&](soci::session& s, Pregnancy& p, std::vector<PregnancyVisit>&,
                    std::string& detail) -> Status {
                  FieldErrors errors;
                  // 工作规范: from the pregnancy to 42 days after the delivery.
                  if (today < in.assessed_on) {
                    errors.Add("assessed_on", "in_future", "评估日期晚于今天",
                               "the assessment is in the future");
                  } else if (in.assessed_on < p.registered_on) {
                    errors.Add("assessed_on", "before_registration", "评估日期早于建册日期",
                               "the assessment is before the registration");
                  } else if (p.closed_on && *p.closed_on < in.assessed_on) {
                    errors.Add("assessed_on", "episode_closed", "本次孕产期管理已结案",
                               "the pregnancy's care has been closed");
                  }
                  auto person = PersonStore::Get(s, auth::ScopeOf(who), p.person_id);
                  auto a = AssessRisk(who, in.risk, person ? person->birth_date : Date{},
                                      in.assessed_on, errors);
                  if (!a.ok() && a.status().code() != StatusCode::kInvalidArgument) {
                    return a.status();
                  }
                  if (!errors.empty()) return errors.ToStatus();
                  a->pregnancy_id = p.id;
                  PregnancyStore::InsertAssessment(s, *a);
                  ApplyAssessment(p, *a, catalogue_);
                  detail = "colour=" + a->colour;
                  return Status::Ok();
                });
}

Result<PregnancyView> MaternalService::RecordDelivery(const Principal& who,
                                                      const std::string& pregnancy_id,
                                                      const DeliveryInput& in) {
  const Date today = clock_.Today();
  return Change(
      who, pregnancy_id, "pregnancy.deliver",
      [&](soci::session& s, Pregnancy& p, std::vector<PregnancyVisit>& visits,
          std::string& detail) -> Status {
        JD_RETURN_IF_ERROR(StillPregnant(p));
        FieldErrors errors;
        const int ga = p.dating.AgeOn(in.delivered_on).total_days;
        if (today < in.delivered_on) {
          errors.Add("delivered_on", "in_future", "分娩日期晚于今天",
                     "the delivery is in the future");
        } else if (ga < kDeliveryFromDays) {
          errors.Add("delivered_on", "too_early_for_delivery",
                     "孕28周前终止妊娠按流产登记（请登记妊娠终止）",
                     "before 28+0 weeks the pregnancy ends as a miscarriage: record an end");
        } else if (ga > kMaxGestationDays) {
          errors.Add("delivered_on", "after_gestation", "分娩日期超出孕期（孕45周以上）",
                     "the delivery is more than 45 weeks after the LMP");
        } else {
          for (const auto& v : visits) {
            if (v.kind == VisitKind::kAntenatal && in.delivered_on < v.date) {
              errors.Add("delivered_on", "before_last_visit", "分娩日期早于最后一次产前检查",
                         "the delivery is before the last antenatal visit");
              break;
            }
          }
        }
        if (in.discharged_on) {
          if (*in.discharged_on < in.delivered_on) {
            errors.Add("discharged_on", "before_delivery", "出院日期早于分娩日期",
                       "the discharge is before the delivery");
          } else if (today < *in.discharged_on) {
            errors.Add("discharged_on", "in_future", "出院日期晚于今天",
                       "the discharge is in the future");
          }
        }
        if (in.live_births < 0 || in.live_births > 8) {
          errors.Add("live_births", "out_of_range", "活产数应在0～8之间",
                     "live_births must be 0–8");
        } else if (!in.newborns.empty() &&
                   static_cast<std::size_t>(in.live_births) != in.newborns.size()) {
          errors.Add("live_births", "newborns_mismatch", "活产数与登记的新生儿人数不一致",
                     "live_births differs from the number of newborns given");
        }
        if (auto e = CheckText(in.place, FieldKind::kAddress, "place", "分娩地点")) {
          errors.Add(*e);
        }
        std::vector<std::pair<registry::Person, Newborn>> children;
        if (!in.newborns.empty() && !errors.Has("delivered_on")) {
          auto mother = PersonStore::Get(s, auth::ScopeOf(who), p.person_id);
          if (!mother) return PersonNotFound();
          children = NewbornPersons(*mother, in, errors);
        }
        if (!errors.empty()) return errors.ToStatus();
        for (std::size_t i = 0; i < children.size(); ++i) {
          auto& [child, link] = children[i];
          child.created_at = child.updated_at = FormatTimestamp(clock_.Now());
          child.created_by = child.updated_by = who.username;
          if (!PersonStore::Insert(s, child, "")) {
            return Status::Invalid(
                {{fmt::format("newborns[{}].birth_certificate_no", i), "duplicate",
                  "该出生医学证明编号已登记", "this birth certificate is already registered"}});
          }
          PersonStore::InsertEvent(
              s, {NewId(), child.id, registry::ResidenceEventType::kArrived, child.arrived_on,
                  child.residence_org, child.residence_address, "出生", child.created_at,
                  child.created_by});
          PregnancyStore::InsertNewborn(s, p.id, link);
          JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                           {.action = "person.create",
                                            .object_type = "person",
                                            .object_id = child.id,
                                            .person_id = child.id,
                                            .detail = "newborn of pregnancy " + p.id}));
        }
        p.delivered_on = in.delivered_on;
        p.discharged_on = in.discharged_on;
        p.delivery_mode = in.mode;
        p.delivery_place = in.place;
        p.live_births = in.live_births;
        detail = fmt::format("delivered_on={} mode={} live_births={} newborns={}",
                             FormatDate(in.delivered_on), DeliveryModeCode(in.mode), in.live_births,
                             children.size());
        return Status::Ok();
      });
}

Result<PregnancyView> MaternalService::End(const Principal& who, const std::string& pregnancy_id,
                                           const EndInput& in) {
  const Date today = clock_.Today();
  return Change(
      who, pregnancy_id, "pregnancy.end",
      [&](soci::session&, Pregnancy& p, std::vector<PregnancyVisit>& visits,
          std::string& detail) -> Status {
        JD_RETURN_IF_ERROR(StillPregnant(p));
        FieldErrors errors;
        if (today < in.ended_on) {
          errors.Add("ended_on", "in_future", "终止日期晚于今天", "the end is in the future");
        } else if (in.ended_on < p.dating.lmp) {
          errors.Add("ended_on", "before_lmp", "终止日期早于末次月经", "the end is before the LMP");
        } else if (p.dating.AgeOn(in.ended_on).total_days >= kDeliveryFromDays) {
          errors.Add("ended_on", "record_delivery", "孕28周及以后终止妊娠请登记分娩（含死胎死产）",
                     "from 28+0 weeks record a delivery (stillbirths included)");
        } else {
          for (const auto& v : visits) {
            if (in.ended_on < v.date) {
              errors.Add("ended_on", "before_last_visit", "终止日期早于最后一次检查",
                         "the end is before the last visit");
              break;
            }
          }
        }
        if (!errors.empty()) return errors.ToStatus();
        p.ended_on = in.ended_on;
        p.end_reason = in.reason;
        p.closed_on = in.ended_on;
        detail =
            fmt::format("ended_on={} reason={}", FormatDate(in.ended_on), EndReasonCode(in.reason));
        return Status::Ok();
      });
}

Result<std::vector<WorklistItem>> MaternalService::Worklist(const Principal& who,
                                                            const WorklistQuery& q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  const auth::Scope scope = auth::ScopeOf(who);
  const bool infections = auth::Holds(who, Permission::kInfectionRead);
  const Date today = clock_.Today();
  std::vector<WorklistItem> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (auto& row : PregnancyStore::Worklist(s, scope, q)) {
      // A reader who may not see infections sees the register of orange and red only.
      if (q.high_risk_only && !infections && !row.pregnancy.high_risk) continue;
      WorklistItem item;
      auto visits = PregnancyStore::Visits(s, row.pregnancy.id);
      CareSchedule schedule = Refresh(row.pregnancy, visits, today);
      for (const auto& c : schedule.contacts) {
        const bool open = c.status == ContactStatus::kDue || c.status == ContactStatus::kOverdue ||
                          c.status == ContactStatus::kUpcoming;
        if (open && c.window_start &&
            (!item.next_contact || *c.window_start < *item.next_contact->window_start)) {
          item.next_contact = c;
        }
      }
      // Nothing left to do (every contact done or missed, e.g. a 42-day check never made): not on
      // a worklist. The kept next_due_on is never later than the true one (contacts only leave
      // the open states as days pass), so the list is re-checked against the day asked for.
      if (!item.next_contact) continue;
      if (q.due_by && *q.due_by < *item.next_contact->window_start) continue;
      item.ga_today = row.pregnancy.dating.AgeOn(today);
      if (!infections) row.pregnancy.risk_coexisting.clear();
      item.pregnancy = std::move(row.pregnancy);
      item.person_name = std::move(row.person_name);
      item.residence_org = std::move(row.residence_org);
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }));
  // A count alone shows no one: not a read of personal data (as the other home-page counts).
  if (q.count_only) return out;
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = "pregnancy.list",
            .object_type = "worklist",
            .object_id = q.high_risk_only ? "high_risk" : "due",
            .detail = fmt::format("due_by={} count={}", q.due_by ? FormatDate(*q.due_by) : "",
                                  out.size())}));
  return out;
}

}  // namespace jd::maternal
