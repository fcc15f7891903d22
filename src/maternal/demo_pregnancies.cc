#include "maternal/demo_pregnancies.h"

#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "maternal/model.h"
#include "maternal/pmtct_store.h"
#include "maternal/referral_store.h"
#include "maternal/risk.h"
#include "maternal/store.h"

namespace jd::maternal {

namespace {

using Draw = SplitMixStream;

struct Woman {
  std::string person_id;
  std::string identity;
  Date birth{};
  std::string clinic;
};

// What is written for one woman.
struct Generated {
  Pregnancy pregnancy;
  std::vector<PregnancyVisit> visits;
  std::vector<StoredAssessment> assessments;
  std::vector<InfectionTest> tests;
  std::vector<PmtctCase> cases;
  std::vector<PmtctCaseRecord> records;
  std::vector<Referral> referrals;
};

// 孕产妇妊娠风险评估与管理工作规范 二(三): every orange or red woman is referred to a designated
// hospital (within 3 days of the assessment that found the colour) and followed to the outcome; a
// red woman is assessed there on continuing the pregnancy (9 in 10 continue). Admitted within 1–3
// days in 85% of referrals; an outcome once the pregnancy is over, and for half of the others.
// About 1.2% of deliveries call the green channel on the day (postpartum haemorrhage), with the
// transfer leaving 8–30 minutes after the call and the admission 15–60 minutes later. The figures
// are invented for the demo. A stream of its own, so the rest of the demo draws what it drew
// before; every time lies before the demo day.
void Referrals(Generated& g, const Woman& w, Draw d, const DemoPregnancyOptions& o) {
  const Pregnancy& p = g.pregnancy;
  auto at = [](Date day, int minutes) {
    return *ParseLocalTime(FormatDate(day) + "T00:00") + std::chrono::minutes{minutes};
  };
  auto make = [&](ReferralKind kind, Instant called) {
    Referral r;
    r.id = NewId();
    r.person_id = w.person_id;
    r.pregnancy_id = p.id;
    r.kind = kind;
    r.from_clinic = w.clinic;
    r.called_at = called;
    r.created_at = r.updated_at = o.created_at;
    r.created_by = r.updated_by = o.created_by;
    return r;
  };
  const StoredAssessment* found = nullptr;
  for (const auto& a : g.assessments) {
    if ((a.colour == "orange" || a.colour == "red") && !found) found = &a;
  }
  if (found) {
    const Date day = AddDays(found->assessed_on, d.Between(0, 3));
    if (day < o.as_of) {
      Referral r = make(ReferralKind::kHighRisk, at(day, d.Between(8 * 60, 17 * 60)));
      r.risk_colour = found->colour;
      r.reason = found->colour == "red" ? "红色妊娠风险，转三级医院评估" : "橙色妊娠风险，转诊管理";
      r.to_facility = found->colour == "red" ? "医科大学第一附属医院" : "市妇幼保健院";
      const Date admitted = AddDays(day, d.Between(1, 3));
      if (d.PerMille(850) && admitted < o.as_of) {
        r.admitted_at = at(admitted, d.Between(8 * 60, 18 * 60));
        if (r.risk_colour == "red") {
          r.continuation =
              d.PerMille(900) ? Continuation::kContinue : Continuation::kTerminationAdvised;
          r.continuation_on = admitted;
        }
        const bool over = p.delivered_on || p.ended_on;
        if (over || d.PerMille(500)) {
          r.outcome = d.PerMille(700) ? ReferralOutcome::kManaged : ReferralOutcome::kReturned;
          r.outcome_on = std::min(AddDays(admitted, d.Between(1, 14)), AddDays(o.as_of, -1));
        }
      } else if (AddDays(day, 30) < o.as_of && d.PerMille(500)) {
        r.outcome = d.PerMille(600) ? ReferralOutcome::kDeclined : ReferralOutcome::kLost;
        r.outcome_on = AddDays(day, 30);
      }
      g.referrals.push_back(std::move(r));
    }
  }
  if (p.delivered_on && *p.delivered_on < o.as_of && d.PerMille(12)) {
    Referral r = make(ReferralKind::kGreenChannel, at(*p.delivered_on, d.Between(0, 23 * 60)));
    r.risk_colour = p.risk_colour;
    r.reason = "产后出血";
    r.to_facility = "市妇幼保健院";
    r.transferred_at = r.called_at + std::chrono::minutes{d.Between(8, 30)};
    r.admitted_at = *r.transferred_at + std::chrono::minutes{d.Between(15, 60)};
    r.outcome = ReferralOutcome::kManaged;
    r.outcome_on = std::min(AddDays(*p.delivered_on, 1), AddDays(o.as_of, -1));
    if (LocalDay(*r.admitted_at) < o.as_of) g.referrals.push_back(std::move(r));
  }
}

// 预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）二、工作内容: HIV, syphilis and HBsAg tested at
// the first antenatal contact (the registration here; 96% of the demo's women are tested for each),
// positive as the woman's drawn risk facts say; a positive result opens the case, and the mother's
// items (ART, syphilis treatment, HBV DNA) are done within 5 days for 90% of the cases. A stream of
// its own, so the rest of the demo draws what it drew before. The demo registers no newborn
// persons: the babies' items stay open.
void InfectionTests(Generated& g, const RiskFacts& facts, Draw d, const DemoPregnancyOptions& o) {
  const Pregnancy& p = g.pregnancy;
  for (PmtctInfection infection :
       {PmtctInfection::kHiv, PmtctInfection::kSyphilis, PmtctInfection::kHbv}) {
    if (!d.PerMille(960)) continue;
    const bool positive = infection == PmtctInfection::kHiv        ? facts.hiv_positive
                          : infection == PmtctInfection::kSyphilis ? facts.syphilis_positive
                                                                   : facts.hbsag_positive;
    InfectionTest t;
    t.id = NewId();
    t.pregnancy_id = p.id;
    t.infection = infection;
    t.tested_on = p.registered_on;
    t.result = positive ? InfectionResult::kPositive : InfectionResult::kNegative;
    t.recorded_at = o.created_at;
    t.recorded_by = o.created_by;
    g.tests.push_back(t);
    if (!positive) continue;
    PmtctCase c;
    c.id = NewId();
    c.pregnancy_id = p.id;
    c.person_id = p.person_id;
    c.infection = infection;
    c.diagnosed_on = t.tested_on;
    c.opened_at = o.created_at;
    c.opened_by = o.created_by;
    g.cases.push_back(c);
    for (const PmtctItemSpec& item : PmtctSchedule()) {
      if (item.infection != infection || item.subject != PmtctSubject::kMother) continue;
      const Date on = AddDays(c.diagnosed_on, d.Between(0, 5));
      if (!d.PerMille(900) || o.as_of < on) continue;
      g.records.push_back({NewId(), c.id, std::string(item.code), PmtctSubject::kMother, "", on,
                           o.created_at, o.created_by});
    }
  }
}

// 孕产妇妊娠风险评估表 conditions a demo woman may carry, by colour.
constexpr std::array<const char*, 3> kYellow = {"Y1.6", "Y3.3", "Y1.9"};
constexpr std::array<const char*, 3> kOrange = {"O3.2", "O2.5", "O3.3"};
constexpr std::array<const char*, 2> kRed = {"R1.10", "R1.1"};

StoredAssessment AssessOn(const RiskCatalogue& catalogue, const RiskFacts& facts, Date on,
                          const DemoPregnancyOptions& o) {
  StoredAssessment a;
  auto r = Assess(catalogue, facts);
  // The demo's conditions are the catalogue's own: an assessment cannot fail.
  if (!r.ok()) return a;
  a.id = NewId();
  a.assessed_on = on;
  a.colour = r->colour;
  a.coexisting = r->coexisting;
  for (const auto& m : r->conditions) {
    a.conditions.push_back(m.code);
    if (m.derived) a.derived.push_back(m.code);
  }
  a.colour_set = catalogue.colour_set();
  a.recorded_at = o.created_at;
  a.recorded_by = o.created_by;
  return a;
}

std::optional<Generated> Generate(const Woman& w, Draw& d, const RiskCatalogue& catalogue,
                                  const DemoPregnancyOptions& o) {
  const Date lmp = AddDays(o.as_of, -d.Between(42, 665));
  if (AgeInYears(w.birth, lmp) < 16) return std::nullopt;
  // The end of the pregnancy, if it has come: a loss before 28 weeks, or a delivery.
  const bool loss = d.PerMille(40);
  const int end_ga =
      loss ? d.Between(49, 160) : (d.PerMille(60) ? d.Between(231, 258) : d.Between(259, 290));
  const int registration_ga = d.PerMille(780) ? d.Between(42, 90) : d.Between(91, 168);
  if (registration_ga >= end_ga) return std::nullopt;
  const Date registered_on = AddDays(lmp, registration_ga);
  if (o.as_of < registered_on) return std::nullopt;  // not registered yet
  const Date end_on = AddDays(lmp, end_ga);
  const bool ended = end_on <= o.as_of;

  Generated g;
  Pregnancy& p = g.pregnancy;
  DatingInput dating{.lmp = lmp};
  if (d.PerMille(100)) dating.ultrasound_edd = AddDays(EddFromLmp(lmp), d.Between(-7, 7));
  auto dated = DatePregnancy(dating, registered_on);
  if (!dated.ok()) return std::nullopt;
  p.id = NewId();
  p.person_id = w.person_id;
  p.clinic_code = w.clinic;
  p.dating = *dated;
  p.registered_on = registered_on;
  p.gravidity = d.Between(1, 4);
  p.parity = d.Between(0, p.gravidity - 1);
  p.created_at = p.updated_at = o.created_at;
  p.created_by = p.updated_by = o.created_by;

  // The first assessment, at registration.
  RiskFacts facts;
  facts.age_years = AgeInYears(w.birth, registered_on);
  // Most near a normal BMI; some over 25, few over 28 (orange) or under 18.5.
  const int bmi_draw = d.Between(0, 999);
  facts.bmi = (bmi_draw < 40    ? d.Between(170, 184)
               : bmi_draw < 860 ? d.Between(185, 250)
               : bmi_draw < 970 ? d.Between(251, 279)
                                : d.Between(280, 320)) /
              10.0;
  const int risk = d.Between(0, 999);
  if (risk < 25) {
    facts.ticked.push_back(kRed[d.Next() % kRed.size()]);
  } else if (risk < 115) {
    facts.ticked.push_back(kOrange[d.Next() % kOrange.size()]);
  } else if (risk < 415) {
    facts.ticked.push_back(kYellow[d.Next() % kYellow.size()]);
  }
  const int infection = d.Between(0, 999);
  facts.syphilis_positive = infection < 10;
  facts.hiv_positive = infection >= 10 && infection < 15;
  facts.hbsag_positive = infection >= 15 && infection < 45;
  g.assessments.push_back(AssessOn(catalogue, facts, registered_on, o));
  const bool turns_orange = g.assessments.back().colour == "yellow" && d.PerMille(100);

  // Antenatal visits: the booking visit, then each later contact whose window has opened.
  static constexpr std::array<std::pair<int, int>, 5> kWindows = {
      {{0, 90}, {112, 146}, {147, 174}, {196, 258}, {259, 286}}};
  const Date last_day = ended ? AddDays(end_on, -1) : o.as_of;
  auto visit = [&](VisitKind kind, Date on) {
    PregnancyVisit v;
    v.id = NewId();
    v.pregnancy_id = p.id;
    v.kind = kind;
    v.date = on;
    v.clinic_code = w.clinic;
    if (kind == VisitKind::kAntenatal) v.ga = p.dating.AgeOn(on);
    v.measures.systolic = d.Between(98, 132);
    v.measures.diastolic = d.Between(60, 86);
    v.measures.haemoglobin_g_l = d.Between(98, 135);
    v.measures.urine_protein = "-";
    v.recorded_at = o.created_at;
    v.recorded_by = o.created_by;
    g.visits.push_back(std::move(v));
  };
  visit(VisitKind::kAntenatal, registered_on);
  for (const auto& [from, to] : kWindows) {
    const Date open = AddDays(lmp, std::max(from, registration_ga + 1));
    const Date close = std::min(AddDays(lmp, to), last_day);
    if (from <= registration_ga || close < open || !d.PerMille(850)) continue;
    const Date on = AddDays(open, d.Between(0, DaysBetween(open, close)));
    visit(VisitKind::kAntenatal, on);
    if (turns_orange && from == 196) {
      RiskFacts later = facts;
      later.ticked = {"O3.3"};
      later.age_years = AgeInYears(w.birth, on);
      g.assessments.push_back(AssessOn(catalogue, later, on, o));
    }
  }

  if (ended && loss) {
    p.ended_on = end_on;
    p.end_reason = EndReason::kMiscarriage;
    p.closed_on = end_on;
  } else if (ended) {
    p.delivered_on = end_on;
    p.discharged_on = AddDays(end_on, d.Between(1, 5));
    p.delivery_mode = d.PerMille(380) ? DeliveryMode::kCaesarean : DeliveryMode::kVaginal;
    p.delivery_place = "市妇幼保健院";
    p.live_births = 1;
    if (d.PerMille(850)) {
      const Date on =
          AddDays(*p.discharged_on, d.PerMille(900) ? d.Between(1, 7) : d.Between(8, 20));
      if (on <= o.as_of) visit(VisitKind::kPostpartumHome, on);
    }
    if (d.PerMille(750)) {
      const Date on = AddDays(end_on, d.Between(42, 56));
      if (on <= o.as_of) visit(VisitKind::kPostpartum42Day, on);
    }
  }
  for (const auto& a : g.assessments) {
    p.risk_colour = a.colour;
    p.risk_coexisting = a.coexisting;
    p.risk_assessed_on = a.assessed_on;
    const RiskColour* colour = catalogue.FindColour(a.colour);
    p.high_risk =
        colour && std::find(colour->requires_codes.begin(), colour->requires_codes.end(),
                            "referral_designated_hospital") != colour->requires_codes.end();
  }
  RefreshPregnancy(p, g.visits, o.as_of);
  InfectionTests(g, facts, Draw{o.seed ^ Fnv1a64(w.identity) ^ 0x706D746374ULL}, o);
  Referrals(g, w, Draw{o.seed ^ Fnv1a64(w.identity) ^ 0x7265666572ULL}, o);
  return g;
}

}  // namespace

Result<DemoPregnancyCounts> DemoPregnancies(storage::Database& db,
                                            const DemoPregnancyOptions& options) {
  DemoPregnancyCounts counts;
  std::vector<Woman> chosen;
  const std::string oldest = FormatDate(AddYears(options.as_of, -46));
  const std::string youngest = FormatDate(AddYears(options.as_of, -18));
  Status st = db.Read([&](soci::session& s) -> Status {
    std::set<std::string> orgs;
    soci::rowset<soci::row> units = (s.prepare << "SELECT code FROM org_units");
    for (const auto& r : units) orgs.insert(r.get<std::string>(0));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, id_type, id_number, birth_date, residence_org FROM persons "
                      "WHERE status = 'active' AND sex = 'F' AND birth_date > :oldest AND "
                      "birth_date <= :youngest",
         soci::use(oldest), soci::use(youngest));
    for (const auto& r : rows) {
      ++counts.women;
      Woman w;
      w.identity = r.get<std::string>(1) + ":" + r.get<std::string>(2);
      auto birth = ParseDate(r.get<std::string>(3));
      if (!birth) continue;
      w.birth = *birth;
      const std::string residence = r.get<std::string>(4);
      // The street's health centre, as for the demo's health records.
      w.clinic = residence.size() == 12 && orgs.count(residence.substr(0, 9))
                     ? residence.substr(0, 9)
                     : residence;
      w.person_id = r.get<std::string>(0);
      chosen.push_back(std::move(w));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // Independent of the database's order.
  std::sort(chosen.begin(), chosen.end(),
            [](const Woman& a, const Woman& b) { return a.identity < b.identity; });
  const RiskCatalogue& catalogue = RiskCatalogue::Builtin();
  std::vector<Generated> generated;
  for (const Woman& w : chosen) {
    Draw d{options.seed ^ Fnv1a64(w.identity) ^ 0x6D61746572ULL};
    // Births by the mother's age: few after 35, very few after 40.
    const int age = AgeInYears(w.birth, options.as_of);
    const int weight = age < 25 ? 100 : age < 35 ? 130 : age < 40 ? 45 : 10;
    if (!d.PerMille(options.pregnant_per_mille * weight / 100)) continue;
    auto g = Generate(w, d, catalogue, options);
    if (g) generated.push_back(std::move(*g));
  }
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  for (std::size_t start = 0; start < generated.size(); start += batch) {
    const std::size_t end = std::min(generated.size(), start + batch);
    st = db.Write([&](soci::session& s) -> Status {
      for (std::size_t i = start; i < end; ++i) {
        const Generated& g = generated[i];
        PregnancyStore::Insert(s, g.pregnancy);
        for (const auto& v : g.visits) PregnancyStore::InsertVisit(s, v);
        for (auto a : g.assessments) {
          a.pregnancy_id = g.pregnancy.id;
          PregnancyStore::InsertAssessment(s, a);
        }
        for (const auto& t : g.tests) PmtctStore::InsertTest(s, t);
        for (const auto& c : g.cases) (void)PmtctStore::InsertCase(s, c);
        for (const auto& r : g.records) PmtctStore::InsertRecord(s, r);
        for (const auto& r : g.referrals) ReferralStore::Insert(s, r);
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
  }
  for (const auto& g : generated) {
    const Pregnancy& p = g.pregnancy;
    ++counts.pregnancies;
    counts.visits += static_cast<std::int64_t>(g.visits.size());
    if (p.delivered_on) ++counts.delivered;
    if (p.ended_on) ++counts.ended;
    if (!p.delivered_on && !p.ended_on) ++counts.pregnant_now;
    if (p.closed_on) ++counts.closed;
    if (p.high_risk && !p.closed_on) ++counts.high_risk;
    counts.referrals += static_cast<std::int64_t>(g.referrals.size());
  }
  return counts;
}

}  // namespace jd::maternal
