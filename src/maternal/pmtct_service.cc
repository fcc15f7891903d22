// MaternalService's PMTCT use cases (maternal/pmtct_service.h): infection tests in pregnancy, the
// case a positive result opens, its items, and a person's cases with their plans.
#include <fmt/format.h>

#include <algorithm>

#include "auth/access.h"
#include "core/ids.h"
#include "maternal/service.h"
#include "registry/person_store.h"

namespace jd::maternal {

namespace {

using auth::Permission;
using auth::Principal;
using registry::PersonStore;

Status CaseNotFound() {
  return Status::NotFound("no such PMTCT case in your jurisdiction",
                          "您的辖区内没有此母婴阻断个案");
}

// kInfectionRead for `action`, the refusal audited (infection data: 规范2020 四、保密).
Status RequireInfectionRead(auth::AuditLog& audit, const Principal& who, const std::string& action,
                            const std::string& object_type, const std::string& id) {
  Status st = auth::Require(who, Permission::kInfectionRead);
  if (st.ok()) return st;
  JD_RETURN_IF_ERROR(audit.Record(who, {.action = action,
                                        .object_type = object_type,
                                        .object_id = id,
                                        .result = "denied",
                                        .detail = "infection_read required"}));
  return st;
}

// The flag of a positive test as a risk fact (the 评估表's derived conditions P3, P2, Y2.3).
void SetFlag(RiskInput& r, PmtctInfection i) {
  switch (i) {
    case PmtctInfection::kHiv:
      r.hiv_positive = true;
      break;
    case PmtctInfection::kSyphilis:
      r.syphilis_positive = true;
      break;
    case PmtctInfection::kHbv:
      r.hbsag_positive = true;
      break;
  }
}

// The re-assessment a positive test makes: the latest assessment's conditions (those from a
// measurement kept as they were found; those from an infection test as flags) and the colour it
// stated, with the new flag.
RiskInput ReassessmentInput(const RiskCatalogue& catalogue,
                            const std::vector<StoredAssessment>& assessments, PmtctInfection now) {
  RiskInput r;
  SetFlag(r, now);
  if (assessments.empty()) return r;
  const StoredAssessment* latest = &assessments.front();
  for (const auto& a : assessments) {
    if (!(a.assessed_on < latest->assessed_on)) latest = &a;
  }
  for (const std::string& code : latest->conditions) {
    const RiskCondition* c = catalogue.FindCondition(code);
    bool from_test = false;
    if (c) {
      for (const RiskClause& w : c->when) {
        if (!w.test) continue;
        from_test = true;
        SetFlag(r, *w.test == Infection::kHiv        ? PmtctInfection::kHiv
                   : *w.test == Infection::kSyphilis ? PmtctInfection::kSyphilis
                                                     : PmtctInfection::kHbv);
      }
    }
    if (!from_test) r.conditions.push_back(code);
  }
  r.colour = latest->stated_colour;
  return r;
}

// The schedule's input for case `c` on `today`: its infection and facts, the birth (the EDD
// before the delivery: only the mother's items are read then), no records yet.
PmtctInput CaseInput(const PmtctCase& c, Date birth, Date today) {
  PmtctInput in;
  in.infections = {{c.infection, c.diagnosed_on}};
  in.birth = birth;
  in.hiv_high_exposure_risk = c.hiv_high_exposure_risk;
  in.hiv_12m_antibody_negative = c.hiv_12m_antibody_negative;
  in.syphilis_prophylaxis_indicated = c.syphilis_prophylaxis_indicated;
  in.as_of = today;
  return in;
}

// The field of PlanPmtct's error about the one record it was given.
std::string RecordField(const std::string& field) {
  if (field == "records[0].item") return "item";
  if (field == "records[0].date") return "done_on";
  return field;
}

}  // namespace

Result<InfectionTestOutcome> MaternalService::RecordInfectionTest(const Principal& who,
                                                                  const std::string& pregnancy_id,
                                                                  const InfectionTestInput& in) {
  const std::string action = "pregnancy.infection_test";
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  JD_RETURN_IF_ERROR(RequireInfectionRead(audit_, who, action, "pregnancy", pregnancy_id));
  const Date today = clock_.Today();
  InfectionTestOutcome out;
  auto view = Change(
      who, pregnancy_id, action,
      [&](soci::session& s, Pregnancy& p, std::vector<PregnancyVisit>&,
          std::string& detail) -> Status {
        FieldErrors errors;
        // 规范2020 二、工作内容: tested at the first antenatal contact (or at delivery).
        if (today < in.tested_on) {
          errors.Add("tested_on", "in_future", "检测日期晚于今天", "the test is in the future");
        } else if (in.tested_on < p.registered_on) {
          errors.Add("tested_on", "before_registration", "检测日期早于建册日期",
                     "the test is before the registration of the pregnancy");
        } else if (p.closed_on && *p.closed_on < in.tested_on) {
          errors.Add("tested_on", "episode_closed", "本次孕产期管理已结案",
                     "the pregnancy's care has been closed");
        }
        if (!errors.empty()) return errors.ToStatus();
        InfectionTest t;
        t.id = NewId();
        t.pregnancy_id = p.id;
        t.infection = in.infection;
        t.tested_on = in.tested_on;
        t.result = in.result;
        t.recorded_at = FormatTimestamp(clock_.Now());
        t.recorded_by = who.username;
        PmtctStore::InsertTest(s, t);
        // The audit detail never names an infection or a result (docs/maternal.md, Privacy).
        detail = "tested_on=" + FormatDate(in.tested_on);
        if (in.result == InfectionResult::kPositive) {
          PmtctCase c;
          c.id = NewId();
          c.pregnancy_id = p.id;
          c.person_id = p.person_id;
          c.infection = in.infection;
          c.diagnosed_on = in.tested_on;
          c.opened_at = t.recorded_at;
          c.opened_by = who.username;
          if (PmtctStore::InsertCase(s, c)) {
            out.opened = c;
          }
          // 孕产妇妊娠风险评估与管理工作规范 附件2: 传染病 (purple) beside the ranked colour, so
          // the high-risk register and the requirement "pmtct" follow the test.
          auto person = PersonStore::Get(s, auth::ScopeOf(who), p.person_id);
          RiskInput risk =
              ReassessmentInput(catalogue_, PregnancyStore::Assessments(s, p.id), in.infection);
          Date on = std::max(in.tested_on, p.risk_assessed_on.value_or(in.tested_on));
          const Date birth = person ? person->birth_date : Date{};
          FieldErrors risk_errors;
          auto a = AssessRisk(who, risk, birth, on, risk_errors);
          if (!a.ok() && risk.colour && a.status().code() == StatusCode::kInvalidArgument) {
            // A colour stated before now below the test's condition (green under Y2.3): the
            // conditions decide.
            risk.colour.reset();
            risk_errors = FieldErrors{};
            a = AssessRisk(who, risk, birth, on, risk_errors);
          }
          if (!a.ok()) return a.status();
          a->pregnancy_id = p.id;
          PregnancyStore::InsertAssessment(s, *a);
          ApplyLatest(p, *a);
        }
        out.test = t;
        out.tests = PmtctStore::Tests(s, p.id);
        out.cases = PmtctStore::CasesOfPregnancy(s, p.id);
        return Status::Ok();
      });
  if (!view.ok()) return view.status();
  out.risk_colour = view->pregnancy.risk_colour;
  out.risk_coexisting = view->pregnancy.risk_coexisting;
  return out;
}

Result<PmtctCaseView> MaternalService::CaseView(soci::session& s, const auth::Scope& scope,
                                                PmtctCase c, const std::string& person_id,
                                                Date today) const {
  PmtctCaseView v;
  auto dates = PmtctStore::PregnancyDates(s, c.pregnancy_id);
  if (!dates) return Status::Internal("a PMTCT case without its pregnancy");
  v.delivered_on = dates->delivered_on;
  v.records = PmtctStore::Records(s, c.id);
  const bool mother = person_id == c.person_id;
  std::vector<std::pair<PmtctSubject, Newborn>> subjects;
  if (mother) subjects.push_back({PmtctSubject::kMother, Newborn{}});
  // Before the delivery there is no baby to plan for (规范2020: the baby's items run from birth).
  if (dates->delivered_on) {
    for (auto& n : PregnancyStore::Newborns(s, scope, c.pregnancy_id)) {
      if (mother || n.person_id == person_id) subjects.push_back({PmtctSubject::kInfant, n});
    }
  }
  for (auto& [subject, baby] : subjects) {
    PmtctInput in = CaseInput(c, dates->delivered_on.value_or(dates->edd), today);
    for (const auto& r : v.records) {
      if (r.subject == PmtctSubject::kMother || r.infant_person_id == baby.person_id) {
        in.records.push_back({r.item, r.done_on});
      }
    }
    auto plan = PlanPmtct(in);
    if (!plan.ok()) return plan.status();
    // A copy: clang 14 cannot capture a structured binding in a lambda.
    const PmtctSubject own = subject;
    std::erase_if(plan->entries, [own](const PmtctEntry& e) { return e.item->subject != own; });
    std::erase_if(plan->repeats, [own](const PmtctRepeat& r) { return r.item->subject != own; });
    PmtctSubjectPlan sp;
    sp.subject = subject;
    sp.person_id = subject == PmtctSubject::kMother ? c.person_id : baby.person_id;
    sp.name = baby.name;
    sp.plan = *std::move(plan);
    v.plans.push_back(std::move(sp));
  }
  if (!mother) {
    std::erase_if(v.records, [&](const PmtctCaseRecord& r) {
      return r.subject == PmtctSubject::kMother || r.infant_person_id != person_id;
    });
  }
  v.pmtct_case = std::move(c);
  return v;
}

Result<PmtctCaseView> MaternalService::RecordPmtctItem(const Principal& who,
                                                       const std::string& case_id,
                                                       const PmtctItemInput& in) {
  const std::string action = "pmtct.record";
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kMaternalCare));
  JD_RETURN_IF_ERROR(RequireInfectionRead(audit_, who, action, "pmtct_case", case_id));
  if (!IsUuid(case_id)) return CaseNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  const Date today = clock_.Today();
  bool outside = false;
  Result<PmtctCaseView> out = CaseNotFound();
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto c = PmtctStore::GetCase(s, case_id);
    if (!c) return CaseNotFound();
    // The case is the mother's: it is in scope where she lives (maternal/store.h).
    auto p = PregnancyStore::Get(s, scope, c->pregnancy_id);
    outside = p.outside_scope();
    if (!p) return CaseNotFound();
    FieldErrors errors;
    const PmtctItemSpec* spec = FindPmtctItem(in.item);
    PmtctCaseRecord r;
    r.id = NewId();
    r.case_id = c->id;
    r.item = in.item;
    r.done_on = in.done_on;
    if (!spec) {
      errors.Add("item", "unknown_item", "未知的随访项目：" + in.item,
                 "not an item of the PMTCT schedule: " + in.item);
    } else if (spec->subject == PmtctSubject::kMother) {
      if (!in.infant_person_id.empty()) {
        errors.Add("infant_person_id", "not_for_mother", "孕产妇本人的项目不填写婴儿",
                   "a mother's item names no baby");
      }
    } else if (!p->delivered_on) {
      errors.Add("item", "not_born", "尚未登记分娩，婴儿项目不能记录",
                 "no delivery is recorded: the baby's items cannot be recorded yet");
    } else {
      r.subject = PmtctSubject::kInfant;
      auto newborns = PregnancyStore::Newborns(s, scope, p->id);
      if (in.infant_person_id.empty()) {
        if (newborns.size() == 1) {
          r.infant_person_id = newborns.front().person_id;
        } else {
          errors.Add("infant_person_id", "required",
                     newborns.empty() ? "分娩时未登记新生儿，请先登记婴儿" : "多胞胎请选择婴儿",
                     newborns.empty() ? "the delivery registered no newborn"
                                      : "name the baby (several newborns)");
        }
      } else if (std::none_of(newborns.begin(), newborns.end(), [&](const Newborn& n) {
                   return n.person_id == in.infant_person_id;
                 })) {
        errors.Add("infant_person_id", "not_a_newborn", "不是本次分娩登记的新生儿",
                   "not a newborn of this pregnancy");
      } else {
        r.infant_person_id = in.infant_person_id;
      }
    }
    if (today < in.done_on) {
      errors.Add("done_on", "in_future", "日期晚于今天", "the date is in the future");
    }
    if (spec && errors.empty()) {
      // Whether the item applies, and its date against the birth: the schedule's own checks.
      PmtctInput check = CaseInput(*c, p->delivered_on.value_or(p->dating.edd), today);
      check.records = {{in.item, in.done_on}};
      auto plan = PlanPmtct(check);
      if (!plan.ok()) {
        for (FieldError e : plan.status().field_errors()) {
          e.field = RecordField(e.field);
          errors.Add(std::move(e));
        }
      }
    }
    if (!errors.empty()) return errors.ToStatus();
    r.recorded_at = FormatTimestamp(clock_.Now());
    r.recorded_by = who.username;
    PmtctStore::InsertRecord(s, r);
    JD_RETURN_IF_ERROR(
        audit_.Append(s, who,
                      {.action = action,
                       .object_type = "pmtct_case",
                       .object_id = c->id,
                       .person_id = r.infant_person_id.empty() ? c->person_id : r.infant_person_id,
                       .detail = fmt::format("done_on={} subject={}", FormatDate(r.done_on),
                                             PmtctSubjectCode(r.subject))}));
    out = CaseView(s, scope, *c, c->person_id, today);
    return out.ok() ? Status::Ok() : out.status();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "pmtct_case", .object_id = case_id},
        CaseNotFound());
  }
  if (!st.ok()) return st;
  return out;
}

Result<PmtctPersonView> MaternalService::PmtctForPerson(const Principal& who,
                                                        const std::string& person_id) {
  const std::string action = "pmtct.read";
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kPersonRead));
  Status missing = Status::NotFound("no such person in your jurisdiction", "您的辖区内没有此人");
  if (!IsUuid(person_id)) return missing;
  const auth::Scope scope = auth::ScopeOf(who);
  const bool infections = auth::Holds(who, Permission::kInfectionRead);
  PmtctPersonView out;
  out.as_of = clock_.Today();
  out.infection_hidden = !infections;
  auth::ScopedRow<registry::Person> person;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) -> Status {
    person = PersonStore::Get(s, scope, person_id);
    if (!person || !infections) return Status::Ok();
    for (auto& c : PmtctStore::CasesOfPerson(s, person_id)) {
      auto v = CaseView(s, scope, std::move(c), person_id, out.as_of);
      if (!v.ok()) return v.status();
      out.cases.push_back(*std::move(v));
    }
    for (const auto& p : PregnancyStore::ListForPerson(s, scope, person_id)) {
      auto tests = PmtctStore::Tests(s, p.id);
      out.tests.insert(out.tests.end(), tests.begin(), tests.end());
    }
    std::stable_sort(out.tests.begin(), out.tests.end(),
                     [](const auto& a, const auto& b) { return a.tested_on < b.tested_on; });
    return Status::Ok();
  }));
  if (person.outside_scope()) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "person", .object_id = person_id}, missing);
  }
  // The read is recorded before the data leaves; so are the answers that there is none and that
  // the reader may not see it.
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = action,
                          .object_type = "person",
                          .object_id = person_id,
                          .person_id = person ? person_id : "",
                          .result = !person ? "not_found" : (infections ? "ok" : "denied"),
                          .detail = infections ? "" : "infection_read required"}));
  if (!person) return missing;
  return out;
}

}  // namespace jd::maternal
