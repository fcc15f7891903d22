// The live statistics view (kpi/live_view.h).
#include "kpi/live_view.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>

#include "child/checkups.h"
#include "child/growth.h"
#include "child/model.h"
#include "child/service.h"
#include "disease/tb_course.h"
#include "family_planning/rules.h"
#include "maternal/antenatal.h"
#include "maternal/pmtct.h"
#include "maternal/pregnancy.h"
#include "maternal/risk.h"
#include "registry/codes.h"

namespace jd::kpi {

namespace {

using immunization::DoseEvent;
using immunization::DoseStatus;
using immunization::Forecast;
using immunization::Reason;

// Above this many persons changed at once (a bulk import) the view is rebuilt by table scans.
constexpr std::size_t kFullReloadAbove = 5000;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

std::int32_t DayOf(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return kNever;
  auto d = ParseDate(r.get<std::string>(i));
  return d ? DayNumber(*d) : kNever;
}

// A stored UTC timestamp's calendar day in Asia/Shanghai (UTC+8 all year).
std::int32_t ShanghaiDayOf(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return kNever;
  std::string text = r.get<std::string>(i);
  auto t = ParseTimestamp(text);
  if (!t) {
    auto d = ParseDate(text.substr(0, 10));
    return d ? DayNumber(*d) : kNever;
  }
  auto local = std::chrono::floor<std::chrono::days>(*t + std::chrono::hours(8));
  return static_cast<std::int32_t>(local.time_since_epoch().count());
}

bool TableExists(soci::session& s, const std::string& name) {
  int n = 0;
  s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n", soci::use(name),
      soci::into(n);
  return n > 0;
}

enum Counter : std::size_t {
  kRegistered,
  kFloating,
  kHrEntitled,
  kHrHas,
  kEhrHas,
  kChildDen,
  kChildEhr,
  kFileDen,
  kFileHas,
  kDocPending,
  kDocReviewDays,
  kDocReviewed,
  kCovAllDen,
  kCovAllNum,
  kMatEhrDen,
  kMatEhrNum,
  kMatDelivered,
  kMatEarly,
  kMatManaged,
  kMatAnc5,
  kMatPostpartum,
  kMatHighRisk,
  kMatHighRiskOnTrack,
  kMatTestDen,
  kMatHivTested,
  kMatSyphilisTested,
  kMatHbvTested,
  kChBirths,
  kChNewbornVisited,
  kChUnder7,
  kChSeen,
  kChSysDen,
  kChSysManaged,
  kChWazDen,
  kChUnderweight,
  kChLhazDen,
  kChStunted,
  kChWlhzDen,
  kChWasted,
  kChOverweight,
  kChHbDen,
  kChAnaemic,
  kEpiClosed,
  kEpiHandled,
  kSmdManaged,
  kSmdStandard,
  kSmdFollowedUp,
  kSmdRegular,
  kSmdStable,
  kSmdElectronic,
  kTbNotified,
  kTbManaged,
  kTbCompleted,
  kTbRegular,
  kFpGuidanceDen,
  kFpGuided,
  kFpFreeDen,
  kFpFreeServed,
  kNetDemoPoints,
  kNetPlaces,
  kNetPlacesAssociated,
  kEduPoints,
  kEduPointsMet,
  kBaseCounters,
};

// 孕产妇妊娠风险评估与管理工作规范 (国卫办妇幼发〔2017〕35号) 二(三): a ranked colour managed by
// referral to a designated hospital (orange and red of the national set) is high-risk, the same
// rule that sets a pregnancy's high_risk column (maternal/service.cc). Purple, a coexisting colour,
// is managed under the PMTCT rules instead (maternal/pmtct.h).
bool HighRiskColour(const std::string& code) {
  const maternal::RiskColour* c = maternal::RiskCatalogue::Builtin().FindColour(code);
  return c && std::find(c->requires_codes.begin(), c->requires_codes.end(),
                        "referral_designated_hospital") != c->requires_codes.end();
}

// Runs a query over every person (ids == nullptr) or once per id with `where_id` appended, then
// `tail`; `fn` gets each row.
struct Scan {
  soci::session& s;
  const std::vector<std::string>* ids;
  template <typename Fn>
  void operator()(const std::string& sql, const std::string& where_id, const std::string& tail,
                  const Fn& fn) const {
    if (ids == nullptr) {
      soci::rowset<soci::row> rs = (s.prepare << sql + tail);
      for (const auto& r : rs) fn(r);
      return;
    }
    const std::string one = sql + where_id + tail;
    for (const std::string& id : *ids) {
      soci::rowset<soci::row> rs = (s.prepare << one, soci::use(id));
      for (const auto& r : rs) fn(r);
    }
  }
};

// A pregnancy as read: its row, and what its schedule is computed from.
struct PregnancyRead {
  PregnancyRow row;
  maternal::EpisodeDates episode;
  std::optional<Date> closed;
  std::vector<maternal::VisitEvent> visits;
};

// Fills the row's days from the pregnancy's schedule (maternal/antenatal.h). Windows, overdue
// limits and the day each contact was done do not depend on the as-of day (visits are assigned in
// date order), so the row holds for any day; a contact counts as done on a day only from its visit.
void DeriveFromSchedule(PregnancyRead& g) {
  using maternal::Contact;
  const maternal::EpisodeDates& e = g.episode;
  const maternal::CareSchedule sc = maternal::ComputeCareSchedule(e, g.visits, e.registered_on);
  PregnancyRow& p = g.row;
  p.antenatal_visits = sc.antenatal_visits;
  // 规范 第三版 孕产妇健康管理服务规范 二(一): 孕13周前建册 (maternal::IsEarlyRegistration), and
  // the first antenatal check inside its window (0+0 – 12+6).
  p.early = sc.early_registration;
  const maternal::ContactState& anc1 = sc.Of(Contact::kAnc1);
  p.anc1_on_time = anc1.done_on && anc1.on_time;
  // The home visit is done only by a visit in its window or its overdue period, which ends 28 days
  // after the discharge (规范 第三版 孕产妇健康管理服务规范 考核指标 产后访视率).
  const maternal::ContactState& home = sc.Of(Contact::kPostpartumHome);
  if (home.done_on) p.home_visit = DayNumber(*home.done_on);
  // Overdue as antenatal.h defines it: past the window, not done, within the overdue period, and
  // for an antenatal contact before the pregnancy ended (then it is missed).
  const std::optional<Date> end = e.delivered_on ? e.delivered_on : e.ended_on;
  for (int k = 0; k < maternal::kContactCount; ++k) {
    const maternal::ContactState& c = sc.contacts[static_cast<std::size_t>(k)];
    if (!c.window_start || !c.window_end) continue;
    const bool antenatal = k <= static_cast<int>(Contact::kAnc5);
    if (antenatal && end && *end < *c.window_start) continue;  // not applicable
    const std::int32_t from = DayNumber(*c.window_end) + 1;
    std::int32_t to = c.overdue_until ? DayNumber(*c.overdue_until) : kNever - 1;
    if (c.done_on) to = std::min(to, DayNumber(*c.done_on) - 1);
    if (antenatal && end) to = std::min(to, DayNumber(*end) - 1);
    if (from <= to) p.overdue.emplace_back(from, to);
  }
  // In care as 孕产妇 from the registration to 42 days after the delivery (孕产妇妊娠风险评估与管理
  // 工作规范 2017: from pregnancy to 42 days postpartum, REFERENCE §3; 规范 第三版 孕产妇健康管理
  // 服务规范 二(五) 产后42天健康检查), and not after the closing, the end of the pregnancy, or 45+0
  // weeks without a delivery recorded (maternal/pregnancy.h: past it a date is not in a pregnancy).
  if (e.delivered_on) {
    p.care_until = DayNumber(*e.delivered_on) + 43;
  } else {
    const int age = e.dating.AgeOn(e.registered_on).total_days;
    p.care_until = DayNumber(e.registered_on) + (maternal::kMaxGestationDays - age);
    if (e.ended_on) p.care_until = std::min(p.care_until, DayNumber(*e.ended_on));
  }
  if (g.closed) p.care_until = std::min(p.care_until, DayNumber(*g.closed));
}

// The pregnancies of the persons `each` runs over (kpi::LiveView::ReadPersons), with their visits
// and risk assessments, as rows. A pregnancy whose dates do not parse is not counted.
template <typename Each>
void ReadPregnancies(const Each& each, bool has_tests, std::vector<PregnancyRow>& out) {
  std::vector<PregnancyRead> read;
  std::unordered_map<std::string, std::size_t> at;
  each(
      "SELECT id, person_id, lmp, edd, dating_method, registered_on, delivered_on, discharged_on, "
      "ended_on, closed_on FROM pregnancies",
      " WHERE person_id = :id", "", [&](const soci::row& r) {
        auto lmp = ParseDate(r.get<std::string>(2));
        auto edd = ParseDate(r.get<std::string>(3));
        auto method = maternal::ParseDatingMethod(r.get<std::string>(4));
        auto registered = ParseDate(r.get<std::string>(5));
        if (!lmp || !edd || !method || !registered) return;
        auto day = [&](std::size_t i) -> std::optional<Date> {
          const std::int32_t d = DayOf(r, i);
          if (d == kNever) return std::nullopt;
          return FromDayNumber(d);
        };
        PregnancyRead g;
        g.row.id = r.get<std::string>(0);
        g.row.person_id = r.get<std::string>(1);
        g.episode = {{*lmp, *edd, *method}, *registered, day(6), day(7), day(8)};
        g.closed = day(9);
        g.row.registered = DayNumber(*registered);
        if (g.episode.delivered_on) g.row.delivered = DayNumber(*g.episode.delivered_on);
        at[g.row.id] = read.size();
        read.push_back(std::move(g));
      });
  each(
      "SELECT v.pregnancy_id, v.kind, v.visit_date FROM pregnancy_visits v JOIN pregnancies g ON "
      "g.id = v.pregnancy_id",
      " WHERE g.person_id = :id", "", [&](const soci::row& r) {
        auto it = at.find(r.get<std::string>(0));
        auto kind = maternal::ParseVisitKind(r.get<std::string>(1));
        auto date = ParseDate(r.get<std::string>(2));
        if (it == at.end() || !kind || !date) return;
        auto& visits = read[it->second].visits;
        visits.push_back({static_cast<std::int64_t>(visits.size()), *date, *kind});
      });
  // The latest assessment of a day wins, as it does for the pregnancy's colour.
  each(
      "SELECT a.pregnancy_id, a.assessed_on, a.colour FROM risk_assessments a JOIN pregnancies g "
      "ON g.id = a.pregnancy_id",
      " WHERE g.person_id = :id", " ORDER BY a.assessed_on, a.recorded_at, a.id",
      [&](const soci::row& r) {
        auto it = at.find(r.get<std::string>(0));
        const std::int32_t d = DayOf(r, 1);
        if (it == at.end() || d == kNever) return;
        auto& risk = read[it->second].row.high_risk;
        const bool high = HighRiskColour(r.get<std::string>(2));
        if (!risk.empty() && risk.back().first == d) {
          risk.back().second = high;
        } else {
          risk.emplace_back(d, high);
        }
      });
  // 预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）二、工作内容: every pregnant woman is tested
  // for HIV, syphilis and HBsAg; whatever the result, the first test of each counts.
  if (has_tests) {
    each(
        "SELECT t.pregnancy_id, t.infection, t.tested_on FROM pregnancy_infection_tests t JOIN "
        "pregnancies g ON g.id = t.pregnancy_id",
        " WHERE g.person_id = :id", "", [&](const soci::row& r) {
          auto it = at.find(r.get<std::string>(0));
          auto infection = maternal::ParsePmtctInfection(r.get<std::string>(1));
          const std::int32_t d = DayOf(r, 2);
          if (it == at.end() || !infection || d == kNever) return;
          std::int32_t& first = read[it->second].row.tested[static_cast<std::size_t>(*infection)];
          first = std::min(first, d);
        });
  }
  for (auto& g : read) {
    DeriveFromSchedule(g);
    out.push_back(std::move(g.row));
  }
}

// What a check-up measured, for the prevalences (ChildCheckupFact::flags): a z-score computed and
// not flagged, at an age under 5 years (60 months), and the WHO/UNICEF class (child::Classify);
// haemoglobin at 6–59 months.
enum ChildFact : std::uint16_t {
  kFactWaz = 1 << 0,
  kFactUnderweight = 1 << 1,
  kFactLhaz = 1 << 2,
  kFactStunted = 1 << 3,
  kFactWlhz = 1 << 4,
  kFactWasted = 1 << 5,
  kFactOverweight = 1 << 6,
  kFactHb = 1 << 7,
  kFactAnaemic = 1 << 8,
};

// Anaemia in children of 6–59 months: haemoglobin below 110 g/L at sea level (WHO, Haemoglobin
// concentrations for the diagnosis of anaemia and assessment of severity, 2011,
// WHO/NMH/NHD/MNM/11.1, table 1). Not in the domain notes; no altitude adjustment.
constexpr double kAnaemiaBelowGL = 110;

// The row of a child born `birth` (a day number) of sex `sex` (0 male, 1 female) from the
// discharge after a birth recorded here and the check-ups, oldest first, as the child's card
// builds its schedule (child/service.cc): the discharge is the delivery's, else the first one a
// newborn visit gives; records before the birth are not scheduled. The schedule is planned as of
// the last record, so that nothing depends on the view's day (the assignment of records to
// contacts does not depend on the as-of day, child/checkups.h).
ChildHealthRow DeriveChildHealth(std::int32_t birth_day, std::uint8_t sex,
                                 std::optional<Date> discharge,
                                 const std::vector<child::Checkup>& checkups) {
  ChildHealthRow h;
  h.due_by.fill(kNever);
  h.done_on.fill(kNever);
  const Date birth = FromDayNumber(birth_day);
  h.third_birthday = DayNumber(AddMonths(birth, 36));
  for (const auto& c : checkups) {
    if (!discharge && c.discharged_on) discharge = c.discharged_on;
  }
  if (discharge && *discharge < birth) discharge.reset();
  child::CheckupInput in{birth, discharge, {}, birth};
  for (const auto& c : checkups) {
    if (c.date < birth) continue;
    in.contacts.push_back({c.date, c.kind});
    in.as_of = std::max(in.as_of, c.date);
  }
  if (auto plan = child::PlanCheckups(in); plan.ok()) {
    for (std::size_t k = 0; k < h.due_by.size(); ++k) {
      const child::CheckupEntry& e = plan->entries[k];
      h.due_by[k] = DayNumber(e.window_end);
      if (e.done_on) h.done_on[k] = DayNumber(*e.done_on);
    }
    // 规范 二(一) 出院后1周内: the newborn visit's on-time window is discharge … discharge + 7.
    h.newborn_visit_on_time = plan->entries[0].done_on_time;
  }
  const child::Sex child_sex = sex == 1 ? child::Sex::kFemale : child::Sex::kMale;
  const Date six_months = AddMonths(birth, 6), five_years = AddMonths(birth, 60);
  auto flagged = [](const child::GrowthZScores& z, const char* flag) {
    return std::find(z.flags.begin(), z.flags.end(), flag) != z.flags.end();
  };
  for (const auto& c : checkups) {
    if (c.date < birth) continue;
    ChildCheckupFact f;
    f.date = DayNumber(c.date);
    if (c.date < five_years) {
      // The z-scores of the child's card (child::ViewCheckup); a flagged one is left out, as
      // child::Classify leaves it out (WHO/UNICEF 2019 §1.1).
      const child::CheckupView v = child::ViewCheckup(c, child_sex, birth);
      const child::NutritionStatus& n = v.nutrition;
      if (v.z.waz && !flagged(v.z, "fwei")) {
        f.flags |= kFactWaz | (n.underweight ? kFactUnderweight : 0);
      }
      if (v.z.lhaz && !flagged(v.z, "flen")) f.flags |= kFactLhaz | (n.stunted ? kFactStunted : 0);
      if (v.z.wlhz && !flagged(v.z, "fwfl")) {
        f.flags |= kFactWlhz | (n.wasted ? kFactWasted : 0) | (n.overweight ? kFactOverweight : 0);
      }
      if (c.haemoglobin_g_l && !(c.date < six_months)) {
        f.flags |= kFactHb | (*c.haemoglobin_g_l < kAnaemiaBelowGL ? kFactAnaemic : 0);
      }
    }
    h.checkups.push_back(f);
  }
  return h;
}

// Adds a child's contribution for the period [first, end] to the counters `c`. REQUIRES: the
// child was born on or before `end` and is counted (a migrant here on `end`).
void CountChildHealth(const ChildHealthRow& h, std::int32_t birth, std::int32_t seventh,
                      std::int32_t first, std::int32_t end, double* c) {
  // 新生儿访视率: born in the period; visited within 7 days after the discharge (counted even
  // when the visit came or was recorded after the period, as the postpartum visit is).
  if (birth >= first) {
    c[kChBirths] += 1;
    c[kChNewbornVisited] += h.newborn_visit_on_time;
  }
  // 儿童健康管理率: under 7 on the day; any check-up dated in the period.
  if (end < seventh) {
    c[kChUnder7] += 1;
    c[kChSeen] += std::any_of(h.checkups.begin(), h.checkups.end(),
                              [&](const auto& f) { return first <= f.date && f.date <= end; });
  }
  // 3岁以下儿童系统管理率: under 3 on the day with a contact whose on-time window ended in the
  // period; managed when every such contact was done by the period's end.
  if (end < h.third_birthday) {
    bool due = false, managed = true;
    for (std::size_t k = 0; k < h.due_by.size(); ++k) {
      if (h.due_by[k] < first || h.due_by[k] > end) continue;
      due = true;
      managed = managed && h.done_on[k] <= end;
    }
    if (due) {
      c[kChSysDen] += 1;
      c[kChSysManaged] += managed;
    }
  }
  // Prevalences: each measure from the child's latest check-up in the period that gives it.
  std::uint16_t taken = 0;
  for (auto f = h.checkups.rbegin(); f != h.checkups.rend(); ++f) {
    if (f->date > end) continue;
    if (f->date < first) break;
    const std::uint16_t fresh = f->flags & ~taken;
    if (fresh & kFactWaz) {
      c[kChWazDen] += 1;
      c[kChUnderweight] += (f->flags & kFactUnderweight) != 0;
    }
    if (fresh & kFactLhaz) {
      c[kChLhazDen] += 1;
      c[kChStunted] += (f->flags & kFactStunted) != 0;
    }
    if (fresh & kFactWlhz) {
      c[kChWlhzDen] += 1;
      c[kChWasted] += (f->flags & kFactWasted) != 0;
      c[kChOverweight] += (f->flags & kFactOverweight) != 0;
    }
    if (fresh & kFactHb) {
      c[kChHbDen] += 1;
      c[kChAnaemic] += (f->flags & kFactAnaemic) != 0;
    }
    taken |= f->flags & (kFactWaz | kFactLhaz | kFactWlhz | kFactHb);
  }
}

// The measures read straight from the counters (kpi/model.h Indicator::measure): the numerator's
// counter, and the denominator's (kBaseCounters for a count).
struct CounterMeasure {
  std::string_view name;
  Counter numerator;
  Counter denominator;
};
constexpr CounterMeasure kCounterMeasures[] = {
    {"registered", kRegistered, kBaseCounters},
    {"floating", kFloating, kBaseCounters},
    {"health_record_entitled", kHrEntitled, kBaseCounters},
    {"health_record_rate", kHrHas, kHrEntitled},
    {"electronic_record_rate", kEhrHas, kHrEntitled},
    {"child_electronic_record_rate", kChildEhr, kChildDen},
    {"vaccination_file_rate", kFileHas, kFileDen},
    {"coverage_all", kCovAllNum, kCovAllDen},
    {"documents_pending", kDocPending, kBaseCounters},
    {"epidemics_handled", kEpiHandled, kEpiClosed},
    {"document_review_days", kDocReviewDays, kDocReviewed},
    {"pregnant_electronic_record_rate", kMatEhrNum, kMatEhrDen},
    {"early_registration_rate", kMatEarly, kMatDelivered},
    {"maternal_management_rate", kMatManaged, kMatDelivered},
    {"antenatal_5_rate", kMatAnc5, kMatDelivered},
    {"postpartum_visit_rate", kMatPostpartum, kMatDelivered},
    {"high_risk_managed_rate", kMatHighRiskOnTrack, kMatHighRisk},
    {"hiv_tested_rate", kMatHivTested, kMatTestDen},
    {"syphilis_tested_rate", kMatSyphilisTested, kMatTestDen},
    {"hbv_tested_rate", kMatHbvTested, kMatTestDen},
    {"newborn_visit_rate", kChNewbornVisited, kChBirths},
    {"child_management_rate", kChSeen, kChUnder7},
    {"child_systematic_management_rate", kChSysManaged, kChSysDen},
    {"underweight_prevalence", kChUnderweight, kChWazDen},
    {"stunting_prevalence", kChStunted, kChLhazDen},
    {"wasting_prevalence", kChWasted, kChWlhzDen},
    {"overweight_prevalence", kChOverweight, kChWlhzDen},
    {"anaemia_prevalence", kChAnaemic, kChHbDen},
    {"smd_standard_management_rate", kSmdStandard, kSmdManaged},
    {"smd_regular_medication_rate", kSmdRegular, kSmdFollowedUp},
    {"smd_stable_rate", kSmdStable, kSmdFollowedUp},
    {"smd_electronic_record_rate", kSmdElectronic, kSmdManaged},
    {"tb_management_rate", kTbManaged, kTbNotified},
    {"tb_regular_medication_rate", kTbRegular, kTbCompleted},
    {"fp_guidance_rate", kFpGuided, kFpGuidanceDen},
    {"fp_free_service_rate", kFpFreeServed, kFpFreeDen},
    {"fp_association_rate", kNetPlacesAssociated, kNetPlaces},
    {"demonstration_points", kNetDemoPoints, kBaseCounters},
    {"education_norms_met_rate", kEduPointsMet, kEduPoints},
};

const CounterMeasure* FindCounterMeasure(std::string_view name) {
  for (const CounterMeasure& m : kCounterMeasures) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

bool HighRiskOn(const PregnancyRow& g, std::int32_t day) {
  bool high = false;
  for (const auto& [from, h] : g.high_risk) {
    if (from > day) break;
    high = h;
  }
  return high;
}

bool OverdueOn(const PregnancyRow& g, std::int32_t day) {
  return std::any_of(g.overdue.begin(), g.overdue.end(),
                     [day](const auto& r) { return r.first <= day && day <= r.second; });
}

}  // namespace

std::int32_t DayNumber(Date d) {
  return static_cast<std::int32_t>(std::chrono::sys_days(d).time_since_epoch().count());
}

Date FromDayNumber(std::int32_t n) { return Date(std::chrono::sys_days(std::chrono::days(n))); }

std::optional<std::uint32_t> OrgTree::Find(const std::string& code) const {
  auto it = index.find(code);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

std::vector<std::uint32_t> OrgTree::Children(std::uint32_t i) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t c = i + 1; c < end[i]; c = end[c]) out.push_back(c);
  return out;
}

Result<std::unique_ptr<LiveView>> LiveView::Load(storage::Database& db, const Catalogue& catalogue,
                                                 const immunization::Schedule& schedule, Date today,
                                                 const registry::EligibilityPolicy& policy) {
  std::unique_ptr<LiveView> view(new LiveView(schedule, policy));
  view->day_ = DayNumber(today);
  // The dose lines, in catalogue order.
  std::set<std::pair<immunization::VaccineId, int>> seen;
  for (const Indicator& ind : catalogue.indicators()) {
    if (ind.vaccine.empty()) continue;
    const immunization::VaccineInfo* v = schedule.Find(ind.vaccine);
    if (v && seen.insert({v->id, ind.dose}).second) view->lines_.push_back({v->id, ind.dose});
  }

  Batch batch;
  Status st = db.Read([&](soci::session& s) -> Status {
    // Org units, parents first, then ordered into pre-order.
    std::vector<registry::OrgUnit> units;
    soci::rowset<soci::row> org_rows =
        (s.prepare << "SELECT code, name, level, parent_code, path FROM org_units ORDER BY path");
    for (const auto& r : org_rows) {
      registry::OrgUnit u;
      u.code = r.get<std::string>(0);
      u.name = r.get<std::string>(1);
      u.level = registry::ParseOrgLevel(r.get<std::string>(2)).value_or(registry::OrgLevel::kCity);
      u.parent_code = Text(r, 3);
      u.path = r.get<std::string>(4);
      units.push_back(std::move(u));
    }
    // Sorting by materialised path is a pre-order walk: a unit's path prefixes its subtree's.
    OrgTree& t = view->orgs_;
    t.units = std::move(units);
    t.end.assign(t.units.size(), 0);
    t.parent.assign(t.units.size(), -1);
    for (std::uint32_t i = 0; i < t.units.size(); ++i) t.index[t.units[i].code] = i;
    for (std::uint32_t i = 0; i < t.units.size(); ++i) {
      auto p = t.index.find(t.units[i].parent_code);
      if (p != t.index.end()) t.parent[i] = static_cast<std::int32_t>(p->second);
      std::uint32_t j = i + 1;
      while (j < t.units.size() && t.units[j].path.starts_with(t.units[i].path)) ++j;
      t.end[i] = j;
    }
    long long seq = 0;
    soci::indicator ind = soci::i_ok;
    s << "SELECT MAX(seq) FROM change_events", soci::into(seq, ind);
    view->last_seq_ = ind == soci::i_null ? 0 : seq;
    view->epidemics_ = view->ReadEpidemics(s);
    JD_RETURN_IF_ERROR(view->ReadPersons(s, nullptr, batch));
    ReadSmd(s, nullptr, batch);
    ReadTb(s, nullptr, batch);
    ReadFp(s, nullptr, batch);
    view->units_ = ReadUnitFacts(s, t.index);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  view->Put(batch);
  return view;
}

Status LiveView::ReadPersons(soci::session& s, const std::vector<std::string>* ids,
                             Batch& out) const {
  const Date today = FromDayNumber(day_);
  const bool has_records = TableExists(s, "health_records");
  const bool has_pregnancies = TableExists(s, "pregnancies");
  std::vector<PersonRow>& rows = out.persons;
  std::vector<DocumentRow>& docs = out.docs;
  std::unordered_map<std::string, std::size_t> at;
  const Scan each{s, ids};
  each(
      "SELECT id, sex, birth_date, hukou_division, residence_org, left_hukou_on, arrived_on, "
      "move_reason, status, marital_status FROM persons",
      " WHERE id = :id", "", [&](const soci::row& r) {
        PersonRow p;
        p.id = r.get<std::string>(0);
        auto org = orgs_.Find(r.get<std::string>(4));
        auto birth = ParseDate(r.get<std::string>(2));
        auto arrived = ParseDate(r.get<std::string>(6));
        if (!org || !birth || !arrived) return;  // cannot be placed or dated: not counted
        p.org = *org;
        p.sex = r.get<std::string>(1) == "F" ? 1 : 0;
        std::string hukou = r.get<std::string>(3);
        p.province = hukou.size() >= 2 && hukou[0] >= '0' && hukou[0] <= '9' && hukou[1] >= '0' &&
                             hukou[1] <= '9'
                         ? static_cast<std::uint8_t>((hukou[0] - '0') * 10 + (hukou[1] - '0'))
                         : 0;
        p.birth = DayNumber(*birth);
        p.arrived = DayNumber(*arrived);
        const std::string left_hukou = Text(r, 5), residence = r.get<std::string>(4),
                          reason = r.get<std::string>(7);
        const registry::EligibilityWindows w = *registry::StoredWindows(
            {r.get<std::string>(2), hukou, residence, left_hukou, r.get<std::string>(6), reason},
            policy_);
        p.floating_from = w.floating_from ? DayNumber(*w.floating_from) : kNever;
        p.health_record_from = w.health_record_from ? DayNumber(*w.health_record_from) : kNever;
        p.file_from = w.vaccination_file_from ? DayNumber(*w.vaccination_file_from) : kNever;
        p.file_until = DayNumber(w.vaccination_file_until);
        p.seventh_birthday = DayNumber(AddYears(*birth, 7));
        // Moved out or died: no longer here from the event's day (set below); until then, here.
        if (r.get<std::string>(8) != "active") p.left = p.arrived;
        p.child = *birth <= today && AddYears(*birth, 18) > today;
        p.married = Text(r, 9) == "married";
        if (p.sex == 1) {
          const family_planning::AgeSpan span = family_planning::ReproductiveAgeSpan(*birth);
          p.reproductive_from = DayNumber(span.from);
          p.reproductive_until = DayNumber(span.until);
        }
        at[p.id] = rows.size();
        rows.push_back(std::move(p));
      });
  auto row_of = [&](const std::string& id) -> PersonRow* {
    auto it = at.find(id);
    return it == at.end() ? nullptr : &rows[it->second];
  };
  each(
      "SELECT e.person_id, MAX(e.event_date) FROM residence_events e JOIN persons p ON p.id = "
      "e.person_id WHERE p.status <> 'active' AND e.type IN ('moved_out', 'died')",
      " AND e.person_id = :id", " GROUP BY e.person_id", [&](const soci::row& r) {
        if (PersonRow* p = row_of(r.get<std::string>(0))) {
          std::int32_t d = DayOf(r, 1);
          if (d != kNever) p->left = std::max(d, p->arrived);
        }
      });
  each("SELECT person_id, issued_on FROM vaccination_files", " WHERE person_id = :id", "",
       [&](const soci::row& r) {
         if (PersonRow* p = row_of(r.get<std::string>(0))) p->certificate_on = DayOf(r, 1);
       });
  if (has_records) {
    each("SELECT person_id, established_on, electronic FROM health_records",
         " WHERE person_id = :id", "", [&](const soci::row& r) {
           if (PersonRow* p = row_of(r.get<std::string>(0))) {
             p->health_record_on = DayOf(r, 1);
             if (storage::RowInt64(r, 2) != 0) p->electronic_record_on = p->health_record_on;
           }
         });
  }
  each("SELECT person_id, vaccine, given_on FROM vaccination_records WHERE status = 'active'",
       " AND person_id = :id", "", [&](const soci::row& r) {
         PersonRow* p = row_of(r.get<std::string>(0));
         if (p == nullptr || !p->child) return;
         const immunization::VaccineInfo* v = schedule_.Find(r.get<std::string>(1));
         auto d = ParseDate(r.get<std::string>(2));
         if (v && d) p->history.push_back({v->id, *d});
       });
  each("SELECT id, person_id, submitted_at, reviewed_at FROM documents", " WHERE person_id = :id",
       "", [&](const soci::row& r) {
         docs.push_back({r.get<std::string>(0), r.get<std::string>(1), ShanghaiDayOf(r, 2),
                         ShanghaiDayOf(r, 3)});
       });
  if (has_pregnancies) {
    ReadPregnancies(each, TableExists(s, "pregnancy_infection_tests"), out.pregnancies);
  }
  // Child health 0–6 (migration 0011): each child's check-ups, oldest first as the card reads
  // them, and the discharge after a birth recorded here (migration 0010).
  if (TableExists(s, "child_checkups")) {
    std::unordered_map<std::string, std::vector<child::Checkup>> checkups;
    std::unordered_map<std::string, Date> discharged;
    auto number = [](const soci::row& r, std::size_t i) -> std::optional<double> {
      if (r.get_indicator(i) == soci::i_null) return std::nullopt;
      if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
      return static_cast<double>(storage::RowInt64(r, i));
    };
    each(
        "SELECT person_id, contact_kind, checkup_date, weight_kg, length_height_cm, measure, "
        "head_cm, haemoglobin_g_l, discharged_on FROM child_checkups",
        " WHERE person_id = :id", " ORDER BY checkup_date, recorded_at, id",
        [&](const soci::row& r) {
          PersonRow* p = row_of(r.get<std::string>(0));
          auto date = ParseDate(r.get<std::string>(2));
          if (p == nullptr || !p->child || !date) return;
          child::Checkup c;
          c.person_id = p->id;
          c.kind = child::ContactFromCode(Text(r, 1));
          c.date = *date;
          c.weight_kg = number(r, 3);
          c.length_height_cm = number(r, 4);
          c.measure = child::ParseMeasure(Text(r, 5));
          c.head_cm = number(r, 6);
          c.haemoglobin_g_l = number(r, 7);
          c.discharged_on = ParseDate(Text(r, 8));
          checkups[p->id].push_back(std::move(c));
        });
    if (has_pregnancies) {
      each(
          "SELECT n.person_id, g.discharged_on FROM pregnancy_newborns n JOIN pregnancies g ON "
          "g.id = n.pregnancy_id",
          " WHERE n.person_id = :id", "", [&](const soci::row& r) {
            const std::int32_t d = DayOf(r, 1);
            if (d != kNever) discharged[r.get<std::string>(0)] = FromDayNumber(d);
          });
    }
    static const std::vector<child::Checkup> kNone;
    for (PersonRow& p : rows) {
      if (!p.child) continue;
      auto c = checkups.find(p.id);
      auto d = discharged.find(p.id);
      p.child_health = DeriveChildHealth(
          p.birth, p.sex, d == discharged.end() ? std::nullopt : std::optional<Date>(d->second),
          c == checkups.end() ? kNone : c->second);
    }
  }
  return Status::Ok();
}

void LiveView::ReadSmd(soci::session& s, const std::vector<std::string>* ids, Batch& out) {
  if (!TableExists(s, "mental_patients")) return;
  const Scan each{s, ids};
  std::unordered_map<std::string, std::size_t> at;
  // The registration's last change stands for the day it closed (mental::LeftManagementOn), in
  // Beijing time as the registration's other days.
  each(
      "SELECT id, person_id, registered_on, status, date(updated_at, '+8 hours') FROM "
      "mental_patients",
      " WHERE person_id = :id", "", [&](const soci::row& r) {
        auto registered = ParseDate(r.get<std::string>(2));
        auto status = mental::ParsePatientStatus(r.get<std::string>(3));
        auto changed = ParseDate(Text(r, 4));
        if (!registered || !status || !changed) return;  // cannot be dated: not counted
        SmdRow row{r.get<std::string>(0),
                   r.get<std::string>(1),
                   {*registered, mental::LeftManagementOn(*status, *changed), {}}};
        at[row.id] = out.smd.size();
        out.smd.push_back(std::move(row));
      });
  // By visit date, then as recorded, as the patient's file lists them (mental/store.h).
  each(
      "SELECT f.patient_id, f.visited_on, f.class, f.adherence FROM mental_follow_ups f JOIN "
      "mental_patients m ON m.id = f.patient_id",
      " WHERE m.person_id = :id", " ORDER BY f.visited_on, f.recorded_at, f.id",
      [&](const soci::row& r) {
        auto it = at.find(r.get<std::string>(0));
        auto visited = ParseDate(r.get<std::string>(1));
        auto cls = mental::ParsePatientClass(r.get<std::string>(2));
        auto adherence = mental::ParseAdherence(r.get<std::string>(3));
        if (it == at.end() || !visited || !cls || !adherence) return;
        out.smd[it->second].timeline.follow_ups.push_back({*visited, *cls, *adherence});
      });
}

void LiveView::ReadTb(soci::session& s, const std::vector<std::string>* ids, Batch& out) {
  if (!TableExists(s, "tb_courses")) return;
  const Scan each{s, ids};
  std::vector<std::pair<TbRow, disease::TbCourseInput>> read;
  std::unordered_map<std::string, std::size_t> at;
  each("SELECT id, person_id, notified_on, started_on, outcome, outcome_on FROM tb_courses",
       " WHERE person_id = :id", "", [&](const soci::row& r) {
         auto notified = ParseDate(r.get<std::string>(2));
         auto started = ParseDate(r.get<std::string>(3));
         if (!notified || !started) return;
         disease::TbCourseInput in;
         in.as_of = *notified;  // not read by CountTbCourse
         in.notified_on = *notified;
         in.started_on = *started;
         in.outcome = disease::ParseTbOutcome(Text(r, 4));
         in.outcome_on = ParseDate(Text(r, 5));
         at[r.get<std::string>(0)] = read.size();
         read.push_back({TbRow{r.get<std::string>(0), r.get<std::string>(1)}, std::move(in)});
       });
  each(
      "SELECT v.course_id, v.visited_on, v.doses_taken, v.doses_missed FROM tb_visits v JOIN "
      "tb_courses c ON c.id = v.course_id",
      " WHERE c.person_id = :id", "", [&](const soci::row& r) {
        auto it = at.find(r.get<std::string>(0));
        auto visited = ParseDate(r.get<std::string>(1));
        if (it == at.end() || !visited) return;
        read[it->second].second.visits.push_back({*visited,
                                                  static_cast<int>(storage::RowInt64(r, 2)),
                                                  static_cast<int>(storage::RowInt64(r, 3))});
      });
  // 规范 第三版 肺结核患者健康管理服务规范 四、考核指标 (disease/tb_course.h CountTbCourse).
  for (auto& [row, in] : read) {
    const disease::TbCourseCount n = disease::CountTbCourse(in);
    row.notified = DayNumber(n.notified_on);
    row.completed = n.completed_on ? DayNumber(*n.completed_on) : kNever;
    row.managed = n.managed;
    row.regular = n.regular;
    out.tb.push_back(std::move(row));
  }
}

void LiveView::ReadFp(soci::session& s, const std::vector<std::string>* ids, Batch& out) {
  std::unordered_map<std::string, std::size_t> at;
  if (ids != nullptr) {
    for (const std::string& id : *ids) {
      at[id] = out.fp.size();
      out.fp.push_back({id, id, {}, {}});
    }
  }
  if (!TableExists(s, "fp_guidance")) return;
  const Scan each{s, ids};
  auto add = [&](const soci::row& r, std::vector<std::int32_t> FpRow::*days) {
    const std::int32_t d = DayOf(r, 1);
    if (d == kNever) return;
    const std::string person = r.get<std::string>(0);
    auto it = at.find(person);
    if (it == at.end()) {
      it = at.emplace(person, out.fp.size()).first;
      out.fp.push_back({person, person, {}, {}});
    }
    (out.fp[it->second].*days).push_back(d);
  };
  // 南宁市实施办法 四(七): guidance and counselling; free contraceptives and procedures.
  each("SELECT person_id, given_on FROM fp_guidance WHERE voided_at IS NULL",
       " AND person_id = :id", "", [&](const soci::row& r) { add(r, &FpRow::guidance); });
  each(
      "SELECT person_id, dispensed_on FROM fp_distributions WHERE voided_at IS NULL AND "
      "person_id IS NOT NULL",
      " AND person_id = :id", "", [&](const soci::row& r) { add(r, &FpRow::free_service); });
  each("SELECT person_id, done_on FROM fp_procedures WHERE voided_at IS NULL",
       " AND person_id = :id", "", [&](const soci::row& r) { add(r, &FpRow::free_service); });
}

void LiveView::ForecastLines(const PersonRow& row, Line* out) const {
  std::fill(out, out + lines_.size(), Line{});
  if (!row.child) return;
  thread_local Forecast f;
  immunization::ForecastChild(schedule_, FromDayNumber(row.birth), row.history, FromDayNumber(day_),
                              {}, f);
  for (const auto& d : f.doses) {
    if (d.status == DoseStatus::kNotNeeded && d.reason == Reason::kReplacedBySeries) continue;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      if (lines_[l].first != d.vaccine || lines_[l].second != d.dose) continue;
      out[l].timely_by = d.timely_by ? DayNumber(*d.timely_by) : kNever;
      out[l].given = d.given ? DayNumber(*d.given) : kNever;
      break;
    }
  }
}

void LiveView::PutPerson(PersonRow row) {
  std::uint32_t i;
  auto it = row_of_.find(row.id);
  if (it == row_of_.end()) {
    i = static_cast<std::uint32_t>(org_.size());
    row_of_.emplace(row.id, i);
    for (auto* v : {&birth_, &seventh_, &arrived_, &left_, &floating_from_, &hr_from_, &file_from_,
                    &file_until_, &hr_on_, &ehr_on_, &cert_on_, &repro_from_, &repro_until_}) {
      v->push_back(kNever);
    }
    child_slot_.push_back(-1);
    org_.push_back(0);
    sex_.push_back(0);
    province_.push_back(0);
    married_.push_back(0);
  } else {
    i = it->second;
  }
  org_[i] = row.org;
  sex_[i] = row.sex;
  province_[i] = row.province;
  birth_[i] = row.birth;
  seventh_[i] = row.seventh_birthday;
  arrived_[i] = row.arrived;
  left_[i] = row.left;
  floating_from_[i] = row.floating_from;
  hr_from_[i] = row.health_record_from;
  file_from_[i] = row.file_from;
  file_until_[i] = row.file_until;
  hr_on_[i] = row.health_record_on;
  ehr_on_[i] = row.electronic_record_on;
  cert_on_[i] = row.certificate_on;
  married_[i] = row.married;
  repro_from_[i] = row.reproductive_from;
  repro_until_[i] = row.reproductive_until;
  if (row.child && child_slot_[i] < 0) {
    child_slot_[i] = static_cast<std::int32_t>(child_history_.size());
    child_history_.emplace_back();
    child_birth_.push_back(row.birth);
    child_lines_.resize(child_lines_.size() + lines_.size());
    child_health_.emplace_back();
  }
  if (child_slot_[i] >= 0) {
    auto slot = static_cast<std::size_t>(child_slot_[i]);
    child_birth_[slot] = row.birth;
    ForecastLines(row, &child_lines_[slot * lines_.size()]);
    child_history_[slot] = std::move(row.history);
    child_health_[slot] = std::move(row.child_health);
  }
}

namespace {

// Adds or replaces `row` (a pregnancy, a registration, a course) by id in `rows`, with its
// person's row in `keys`; skipped when the person has no row.
template <typename Row, typename Keys>
void PutKeyed(const std::unordered_map<std::string, std::uint32_t>& row_of, Row row, Keys& keys,
              std::vector<Row>& rows) {
  auto person = row_of.find(row.person_id);
  if (person == row_of.end()) return;
  auto [it, added] = keys.of.emplace(row.id, static_cast<std::uint32_t>(rows.size()));
  if (added) {
    keys.person.push_back(person->second);
    rows.push_back(std::move(row));
  } else {
    keys.person[it->second] = person->second;
    rows[it->second] = std::move(row);
  }
}

}  // namespace

void LiveView::Put(Batch& batch) {
  for (auto& row : batch.persons) PutPerson(std::move(row));
  for (auto& d : batch.docs) {
    auto person = row_of_.find(d.person_id);
    if (person == row_of_.end()) continue;
    auto [it, added] = doc_of_.emplace(d.id, static_cast<std::uint32_t>(doc_row_.size()));
    if (added) {
      doc_row_.push_back(person->second);
      doc_submitted_.push_back(d.submitted);
      doc_reviewed_.push_back(d.reviewed);
    } else {
      doc_row_[it->second] = person->second;
      doc_submitted_[it->second] = d.submitted;
      doc_reviewed_[it->second] = d.reviewed;
    }
  }
  for (auto& g : batch.pregnancies) PutKeyed(row_of_, std::move(g), preg_keys_, pregs_);
  for (auto& m : batch.smd) PutKeyed(row_of_, std::move(m), smd_keys_, smds_);
  for (auto& t : batch.tb) PutKeyed(row_of_, std::move(t), tb_keys_, tbs_);
  for (auto& f : batch.fp) PutKeyed(row_of_, std::move(f), fp_keys_, fps_);
}

std::vector<EpidemicRow> LiveView::ReadEpidemics(soci::session& s) const {
  std::vector<EpidemicRow> out;
  if (!TableExists(s, "disease_events")) return out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT district_code, date(closed_at, '+8 hours'), handled_to_standard FROM "
                    "disease_events WHERE closed_at IS NOT NULL");
  for (const auto& r : rows) {
    auto org = orgs_.Find(r.get<std::string>(0));
    auto closed = ParseDate(Text(r, 1));
    if (!org || !closed) continue;
    out.push_back({*org, DayNumber(*closed),
                   r.get_indicator(2) != soci::i_null && storage::RowInt64(r, 2) == 1});
  }
  return out;
}

Result<std::size_t> LiveView::Refresh(storage::Database& db, Date today) {
  std::lock_guard refresh(refresh_mu_);
  std::int64_t from_seq = last_seq();
  std::int64_t to_seq = from_seq;
  // Persons to reload whole; persons whose registration or TB courses alone changed.
  std::set<std::string> changed, smd_changed, tb_changed, fp_changed;
  const bool new_day = DayNumber(today) > day_;
  Batch batch;
  std::optional<std::vector<EpidemicRow>> epidemics;
  std::optional<UnitFacts> units;
  bool full = false;
  Status st = db.Read([&](soci::session& s) -> Status {
    long long after = from_seq;
    soci::rowset<soci::row> events =
        (s.prepare << "SELECT seq, person_id, entity FROM change_events WHERE seq > :s ORDER BY "
                      "seq",
         soci::use(after));
    bool epidemic_changed = false, units_changed = false;
    for (const auto& r : events) {
      to_seq = std::max<std::int64_t>(to_seq, storage::RowInt64(r, 0));
      const std::string entity = Text(r, 2);
      epidemic_changed = epidemic_changed || entity == "disease_event";
      units_changed = units_changed || entity == "network" || entity == "education";
      if (r.get_indicator(1) == soci::i_null) continue;
      std::string person = r.get<std::string>(1);
      if (entity == "mental") {
        smd_changed.insert(std::move(person));
      } else if (entity == "tb_course") {
        tb_changed.insert(std::move(person));
      } else if (entity == "fp") {
        fp_changed.insert(std::move(person));
      } else if (entity != "mental_alert" && entity != "hiv_care") {  // read by no indicator
        changed.insert(std::move(person));
      }
    }
    if (epidemic_changed) epidemics = ReadEpidemics(s);
    if (units_changed) units = ReadUnitFacts(s, orgs_.index);
    if (changed.empty() && smd_changed.empty() && tb_changed.empty() && fp_changed.empty()) {
      return Status::Ok();
    }
    // A birth's discharge is the newborn's too (the newborn visit is due from it): a change of a
    // mother's pregnancy reloads the babies born of it.
    if (changed.size() <= kFullReloadAbove && TableExists(s, "pregnancy_newborns")) {
      const std::vector<std::string> named(changed.begin(), changed.end());
      for (const std::string& id : named) {
        soci::rowset<soci::row> babies =
            (s.prepare << "SELECT n.person_id FROM pregnancy_newborns n JOIN pregnancies g ON "
                          "g.id = n.pregnancy_id WHERE g.person_id = :id",
             soci::use(id));
        for (const auto& r : babies) changed.insert(r.get<std::string>(0));
      }
    }
    full = changed.size() + smd_changed.size() + tb_changed.size() + fp_changed.size() >
           kFullReloadAbove;
    if (full) {
      JD_RETURN_IF_ERROR(ReadPersons(s, nullptr, batch));
      ReadSmd(s, nullptr, batch);
      ReadTb(s, nullptr, batch);
      ReadFp(s, nullptr, batch);
      return Status::Ok();
    }
    // A person new to the view may have been registered while it could not be placed: read
    // their registration and courses too.
    {
      std::shared_lock lock(mu_);
      for (const std::string& id : changed) {
        if (row_of_.count(id)) continue;
        smd_changed.insert(id);
        tb_changed.insert(id);
        fp_changed.insert(id);
      }
    }
    const std::vector<std::string> ids(changed.begin(), changed.end());
    const std::vector<std::string> smd_ids(smd_changed.begin(), smd_changed.end());
    const std::vector<std::string> tb_ids(tb_changed.begin(), tb_changed.end());
    const std::vector<std::string> fp_ids(fp_changed.begin(), fp_changed.end());
    if (!ids.empty()) JD_RETURN_IF_ERROR(ReadPersons(s, &ids, batch));
    if (!smd_ids.empty()) ReadSmd(s, &smd_ids, batch);
    if (!tb_ids.empty()) ReadTb(s, &tb_ids, batch);
    if (!fp_ids.empty()) ReadFp(s, &fp_ids, batch);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  changed.insert(smd_changed.begin(), smd_changed.end());
  changed.insert(tb_changed.begin(), tb_changed.end());
  changed.insert(fp_changed.begin(), fp_changed.end());
  if (changed.empty() && !new_day && !epidemics && !units) return std::size_t{0};

  std::unique_lock lock(mu_);
  if (epidemics) epidemics_ = std::move(*epidemics);
  if (units) units_ = std::move(*units);
  if (new_day) day_ = DayNumber(today);
  const std::size_t reloaded = batch.persons.size();
  Put(batch);
  if (new_day) {
    // Dose lines depend on the day (series replaced with age): forecast every child again.
    PersonRow row;
    for (std::size_t i = 0; i < child_slot_.size(); ++i) {
      if (child_slot_[i] < 0) continue;
      auto slot = static_cast<std::size_t>(child_slot_[i]);
      row.birth = birth_[i];
      row.child =
          FromDayNumber(birth_[i]) <= today && AddYears(FromDayNumber(birth_[i]), 18) > today;
      row.history = child_history_[slot];
      ForecastLines(row, &child_lines_[slot * lines_.size()]);
    }
  }
  last_seq_ = to_seq;
  if (full) spdlog::info("statistics view reloaded {} persons", reloaded);
  return changed.size();
}

std::vector<IndicatorValue> LiveView::Compute(const std::vector<const Indicator*>& indicators,
                                              const std::vector<std::string>& orgs,
                                              const Period& period,
                                              const Breakdown& breakdown) const {
  std::shared_lock lock(mu_);
  const std::int32_t end = std::min(DayNumber(period.last), day_);
  const std::int32_t first = DayNumber(period.first);
  const Date end_date = FromDayNumber(end);
  const std::size_t nlines = lines_.size();
  const std::size_t width = kBaseCounters + 3 * nlines;
  const std::size_t nunits = orgs_.units.size();
  std::vector<double> acc(nunits * width, 0.0);

  const int want_sex = breakdown.sex == "M" ? 0 : breakdown.sex == "F" ? 1 : -1;
  int want_province = -1;
  if (breakdown.hukou_province.size() == 2) want_province = std::stoi(breakdown.hukou_province);
  int age_lo = -1, age_hi = -1;
  if (breakdown.age_group == "0-6") age_lo = 0, age_hi = 6;
  if (breakdown.age_group == "7-17") age_lo = 7, age_hi = 17;
  if (breakdown.age_group == "18-59") age_lo = 18, age_hi = 59;
  if (breakdown.age_group == "60+") age_lo = 60, age_hi = 1000;
  std::int32_t cohort_from = 0, cohort_to = 0;
  if (breakdown.cohort) {
    std::chrono::year y{*breakdown.cohort};
    cohort_from = DayNumber(y / 1 / 1);
    cohort_to = DayNumber(y / 12 / 31);
  }
  auto keep = [&](std::size_t i) {
    if (want_sex >= 0 && sex_[i] != want_sex) return false;
    if (want_province >= 0 && province_[i] != want_province) return false;
    if (breakdown.cohort && (birth_[i] < cohort_from || birth_[i] > cohort_to)) return false;
    if (age_lo >= 0) {
      int age = AgeInYears(FromDayNumber(birth_[i]), end_date);
      if (age < age_lo || age > age_hi) return false;
    }
    return true;
  };

  const std::size_t n = org_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (arrived_[i] > end || left_[i] <= end) continue;
    if (!keep(i)) continue;
    double* c = &acc[org_[i] * width];
    c[kRegistered] += 1;
    if (floating_from_[i] > end) continue;
    c[kFloating] += 1;
    // Family planning (南宁市实施办法 四(七); family_planning/rules.h InGuidancePopulation,
    // InFreeServiceTarget): women of reproductive age on the day, the married of them the target of
    // free services. Married men are not counted: the registry links no spouse [unc].
    if (repro_from_[i] <= end && end < repro_until_[i]) {
      c[kFpGuidanceDen] += 1;
      c[kFpFreeDen] += married_[i];
    }
    if (hr_from_[i] <= end) {
      c[kHrEntitled] += 1;
      const bool has = hr_on_[i] <= end, electronic = ehr_on_[i] <= end;
      c[kHrHas] += has;
      c[kEhrHas] += electronic;
      if (birth_[i] <= end && end < seventh_[i]) {
        c[kChildDen] += 1;
        c[kChildEhr] += electronic;
      }
    }
    if (file_from_[i] <= end && end < file_until_[i]) {
      c[kFileDen] += 1;
      c[kFileHas] += cert_on_[i] <= end;
    }
    // Coverage: migrant children under 7 on the day, or the whole birth cohort when asked.
    const std::int32_t slot = child_slot_[i];
    if (slot < 0 || birth_[i] > end) continue;
    CountChildHealth(child_health_[static_cast<std::size_t>(slot)], birth_[i], seventh_[i], first,
                     end, c);
    if (!breakdown.cohort && end >= seventh_[i]) continue;
    const Line* lines = &child_lines_[static_cast<std::size_t>(slot) * nlines];
    double* d = c + kBaseCounters;
    for (std::size_t l = 0; l < nlines; ++l) {
      const Line& line = lines[l];
      if (line.timely_by > end) continue;  // not yet at its completion age (or not the child's)
      const bool given = line.given <= end;
      d[3 * l] += 1;
      d[3 * l + 1] += given;
      d[3 * l + 2] += given && line.given < line.timely_by;
      c[kCovAllDen] += 1;
      c[kCovAllNum] += given;
    }
  }
  // Maternal health: pregnancies of women here and migrants on the day, where they live now.
  // Deliveries are the flow of the period; a woman in care is counted once however many of her
  // pregnancies are open.
  // A migrant living here on the day, within the breakdown.
  auto migrant = [&](std::uint32_t i) {
    return arrived_[i] <= end && end < left_[i] && floating_from_[i] <= end && keep(i);
  };
  std::vector<std::uint32_t> in_care;
  for (std::size_t k = 0; k < pregs_.size(); ++k) {
    const PregnancyRow& g = pregs_[k];
    const std::uint32_t i = preg_keys_.person[k];
    if (!migrant(i)) continue;
    double* c = &acc[org_[i] * width];
    if (g.delivered >= first && g.delivered <= end) {
      c[kMatDelivered] += 1;
      c[kMatEarly] += g.early;
      c[kMatManaged] += g.early && g.anc1_on_time;
      c[kMatAnc5] += g.antenatal_visits >= 5;
      c[kMatPostpartum] += g.home_visit != kNever;
    }
    // Pregnancies registered or delivered in the period, and those tested by its end.
    if ((g.registered >= first && g.registered <= end) ||
        (g.delivered >= first && g.delivered <= end)) {
      c[kMatTestDen] += 1;
      c[kMatHivTested] += g.tested[0] <= end;
      c[kMatSyphilisTested] += g.tested[1] <= end;
      c[kMatHbvTested] += g.tested[2] <= end;
    }
    if (g.registered > end || end >= g.care_until) continue;
    if (hr_from_[i] <= end) in_care.push_back(i);
    if (HighRiskOn(g, end)) {
      c[kMatHighRisk] += 1;
      c[kMatHighRiskOnTrack] += !OverdueOn(g, end);
    }
  }
  std::sort(in_care.begin(), in_care.end());
  in_care.erase(std::unique(in_care.begin(), in_care.end()), in_care.end());
  for (const std::uint32_t i : in_care) {
    double* c = &acc[org_[i] * width];
    c[kMatEhrDen] += 1;
    c[kMatEhrNum] += ehr_on_[i] <= end;
  }
  // Severe mental disorders: the registrations of migrants here on the day, each counted by the
  // rule GET /mental/summary counts with (mental::StandingOn: the year up to the day).
  for (std::size_t k = 0; k < smds_.size(); ++k) {
    const std::uint32_t i = smd_keys_.person[k];
    if (!migrant(i)) continue;
    const std::optional<Date> electronic =
        ehr_on_[i] == kNever ? std::nullopt : std::optional<Date>(FromDayNumber(ehr_on_[i]));
    const mental::PatientStanding p = mental::StandingOn(smds_[k].timeline, electronic, end_date);
    if (!p.managed) continue;
    double* c = &acc[org_[i] * width];
    c[kSmdManaged] += 1;
    c[kSmdStandard] += p.standard;
    c[kSmdFollowedUp] += p.followed_up;
    c[kSmdRegular] += p.regular;
    c[kSmdStable] += p.stable;
    c[kSmdElectronic] += p.electronic;
  }
  // Pulmonary TB: courses notified in the period and courses completed in it, of migrants here
  // on the day (a first visit recorded after the period counts, as the newborn visit does).
  for (std::size_t k = 0; k < tbs_.size(); ++k) {
    const TbRow& t = tbs_[k];
    const std::uint32_t i = tb_keys_.person[k];
    if (!migrant(i)) continue;
    double* c = &acc[org_[i] * width];
    if (first <= t.notified && t.notified <= end) {
      c[kTbNotified] += 1;
      c[kTbManaged] += t.managed;
    }
    if (first <= t.completed && t.completed <= end) {
      c[kTbCompleted] += 1;
      c[kTbRegular] += t.regular;
    }
  }
  // Family planning: the women counted above with a guidance day, and a free service day, in the
  // year of the day up to the day (family_planning/rules.h GuidanceCoverage, FreeServiceCoverage
  // over [1 January, day]: the targets are yearly).
  const std::int32_t year_first =
      DayNumber(end_date.year() / std::chrono::January / std::chrono::day(1));
  auto any_in_year = [&](const std::vector<std::int32_t>& days) {
    return std::any_of(days.begin(), days.end(),
                       [&](std::int32_t d) { return year_first <= d && d <= end; });
  };
  for (std::size_t k = 0; k < fps_.size(); ++k) {
    const std::uint32_t i = fp_keys_.person[k];
    if (!migrant(i) || repro_from_[i] > end || end >= repro_until_[i]) continue;
    double* c = &acc[org_[i] * width];
    c[kFpGuided] += any_in_year(fps_[k].guidance);
    if (married_[i]) c[kFpFreeServed] += any_in_year(fps_[k].free_service);
  }
  // Early-warning events closed in the period, where they were (no person breakdown applies).
  const bool whole = want_sex < 0 && want_province < 0 && age_lo < 0 && !breakdown.cohort;
  for (const EpidemicRow& e : whole ? epidemics_ : std::vector<EpidemicRow>{}) {
    if (e.closed < first || e.closed > end) continue;
    double* c = &acc[e.org * width];
    c[kEpiClosed] += 1;
    c[kEpiHandled] += e.handled;
  }
  // The service network and health education, stocks on the day (kpi/live_units.h); no person
  // breakdown applies.
  if (whole) {
    for (const UnitCount& u : CountUnitFacts(units_, end)) {
      double* c = &acc[u.org * width];
      c[kNetDemoPoints] += u.demonstration_points;
      c[kNetPlaces] += u.places;
      c[kNetPlacesAssociated] += u.places_with_association;
      c[kEduPoints] += u.education_points;
      c[kEduPointsMet] += u.education_points_met;
    }
  }
  for (std::size_t k = 0; k < doc_row_.size(); ++k) {
    const std::uint32_t i = doc_row_[k];
    if (!keep(i)) continue;
    double* c = &acc[org_[i] * width];
    if (doc_submitted_[k] <= end && doc_reviewed_[k] > end) c[kDocPending] += 1;
    if (doc_reviewed_[k] >= first && doc_reviewed_[k] <= end) {
      c[kDocReviewed] += 1;
      c[kDocReviewDays] += std::max(0, doc_reviewed_[k] - doc_submitted_[k]);
    }
  }
  // Subtree totals: children follow their parent in pre-order, so add each unit into its parent
  // walking backwards.
  for (std::size_t u = nunits; u-- > 0;) {
    if (orgs_.parent[u] < 0) continue;
    double* from = &acc[u * width];
    double* to = &acc[static_cast<std::size_t>(orgs_.parent[u]) * width];
    for (std::size_t k = 0; k < width; ++k) to[k] += from[k];
  }

  std::vector<IndicatorValue> out;
  out.reserve(indicators.size() * orgs.size());
  for (const std::string& code : orgs) {
    auto u = orgs_.Find(code);
    if (!u) continue;
    const double* c = &acc[*u * width];
    for (const Indicator* ind : indicators) {
      IndicatorValue v;
      v.code = ind->code;
      v.org = code;
      v.period = period;
      v.target = ind->target;
      if (!ind->active) {
        out.push_back(std::move(v));
        continue;
      }
      const std::string& m = ind->measure;
      if (const CounterMeasure* cm = FindCounterMeasure(m)) {
        v.numerator = c[cm->numerator];
        if (cm->denominator != kBaseCounters) v.denominator = c[cm->denominator];
      } else if (m == "smd_registered_rate") {
        // 在册管理率: patients in management ÷ the migrants here × 4.5‰ (mental/rules.h).
        v.numerator = c[kSmdManaged];
        v.denominator = mental::ExpectedPatients(c[kFloating]);
      } else if (m == "dose_coverage" || m == "dose_timely") {
        const immunization::VaccineInfo* vi = schedule_.Find(ind->vaccine);
        for (std::size_t l = 0; vi && l < nlines; ++l) {
          if (lines_[l].first == vi->id && lines_[l].second == ind->dose) {
            const double* d = c + kBaseCounters + 3 * l;
            v.denominator = d[0];
            v.numerator = m == "dose_coverage" ? d[1] : d[2];
          }
        }
      }
      if (ind->kind == IndicatorKind::kCount) {
        v.value = v.numerator;
      } else if (v.denominator > 0) {
        v.value = v.numerator / v.denominator;
      }
      if (v.value && v.target) v.met = *v.value >= *v.target;
      out.push_back(std::move(v));
    }
  }
  return out;
}

Date LiveView::day() const {
  std::shared_lock lock(mu_);
  return FromDayNumber(day_);
}

std::int64_t LiveView::last_seq() const {
  std::shared_lock lock(mu_);
  return last_seq_;
}

std::size_t LiveView::persons() const {
  std::shared_lock lock(mu_);
  return org_.size();
}

std::size_t LiveView::children() const {
  std::shared_lock lock(mu_);
  return child_history_.size();
}

std::size_t LiveView::MemoryBytes() const {
  std::shared_lock lock(mu_);
  std::size_t bytes =
      org_.capacity() * 4 + sex_.capacity() + province_.capacity() + married_.capacity();
  for (const auto* v :
       {&birth_, &seventh_, &arrived_, &left_, &floating_from_, &hr_from_, &file_from_,
        &file_until_, &hr_on_, &ehr_on_, &cert_on_, &child_slot_, &repro_from_, &repro_until_}) {
    bytes += v->capacity() * sizeof(std::int32_t);
  }
  // A hash-map node holds the key (a 36-character UUID, heap-allocated), the value and links.
  bytes += row_of_.size() * (sizeof(std::string) + 37 + 16 + 16) + row_of_.bucket_count() * 8;
  bytes += doc_of_.size() * (sizeof(std::string) + 37 + 16 + 16) + doc_of_.bucket_count() * 8;
  bytes += child_lines_.capacity() * sizeof(Line) + child_birth_.capacity() * 4;
  for (const auto& h : child_history_) bytes += sizeof(h) + h.capacity() * sizeof(DoseEvent);
  bytes += child_health_.capacity() * sizeof(ChildHealthRow);
  for (const auto& h : child_health_) bytes += h.checkups.capacity() * sizeof(ChildCheckupFact);
  bytes += doc_row_.capacity() * 4 + doc_submitted_.capacity() * 4 + doc_reviewed_.capacity() * 4;
  bytes += pregs_.capacity() * sizeof(PregnancyRow);
  for (const auto& g : pregs_) {
    bytes += 2 * 37 + g.overdue.capacity() * 8 + g.high_risk.capacity() * 8;
  }
  bytes += smds_.capacity() * sizeof(SmdRow) + tbs_.capacity() * sizeof(TbRow);
  for (const auto& m : smds_) {
    bytes += 2 * 37 + m.timeline.follow_ups.capacity() * sizeof(mental::FollowUpMark);
  }
  bytes += tbs_.size() * 2 * 37;
  bytes += fps_.capacity() * sizeof(FpRow);
  for (const auto& f : fps_) {
    bytes += 2 * 37 + (f.guidance.capacity() + f.free_service.capacity()) * 4;
  }
  for (const Keyed* k : {&preg_keys_, &smd_keys_, &tb_keys_, &fp_keys_}) {
    bytes += k->person.capacity() * 4 + k->of.size() * (sizeof(std::string) + 37 + 16 + 16) +
             k->of.bucket_count() * 8;
  }
  return bytes;
}

}  // namespace jd::kpi
