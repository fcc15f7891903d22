#include "child/demo_checkups.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <set>
#include <vector>

#include "child/checkups.h"
#include "child/growth.h"
#include "child/model.h"
#include "child/store.h"
#include "core/ids.h"
#include "core/stable_hash.h"

namespace jd::child {

namespace {

using Draw = SplitMixStream;
using Table = GrowthStandards::Table;

struct Child {
  std::string person_id;
  std::string identity;
  Sex sex = Sex::kMale;
  Date birth{};
  Date arrived{};
  std::string clinic;
};

// A standard normal value (Box–Muller on two uniform draws).
double Normal(Draw& d) {
  const double u1 = d.Between(1, 1000000) / 1000001.0;
  const double u2 = d.Between(1, 1000000) / 1000001.0;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

// The value at z of the table at `age_days`; past the table's end (1856 days) the last row, its
// median grown by `per_year` a year.
std::optional<double> ValueAt(Table t, Sex sex, int age_days, double z, double per_year) {
  constexpr int kLastDay = 1856;
  auto row = GrowthStandards::Builtin().At(t, sex, std::min(age_days, kLastDay));
  if (!row) return std::nullopt;
  if (age_days > kLastDay) row->m += per_year * (age_days - kLastDay) / 365.25;
  // The LMS inverse (WHO Child Growth Standards 2006, ch. 7).
  if (std::abs(row->l) < 1e-12) return row->m * std::exp(row->s * z);
  return row->m * std::pow(1 + row->l * row->s * z, 1 / row->l);
}

double Round1(double x) { return std::round(x * 10) / 10; }

bool HbHearingAge(ContactKind k) {
  // 规范 第三版 二(三): 血常规 and 听力筛查 at 6, 12, 24 and 36 months (child/checkups.h).
  return k == ContactKind::kMonth6 || k == ContactKind::kMonth12 || k == ContactKind::kMonth24 ||
         k == ContactKind::kMonth36;
}

std::vector<Checkup> Generate(const Child& c, Draw& d, const DemoCheckupOptions& o, bool& stunted) {
  std::vector<Checkup> out;
  const double z_len = -0.35 + 1.05 * Normal(d);
  const double z_wt = 0.6 * z_len + 0.8 * (-0.2 + Normal(d));
  const double z_head = 0.9 * Normal(d);
  for (const CheckupEntry& e : ScheduleWindows(c.birth, std::nullopt)) {
    if (e.window_start < c.arrived || o.as_of < e.window_start) continue;
    if (!d.PerMille(o.attend_per_mille)) continue;
    Date on = AddDays(e.window_start, d.Between(0, DaysBetween(e.window_start, e.window_end)));
    if (d.PerMille(100) && e.window_end < AddDays(e.missed_from, -1)) {
      on = AddDays(e.window_end,
                   d.Between(1, std::max(1, DaysBetween(e.window_end, e.missed_from) - 1)));
    }
    if (o.as_of < on) continue;  // not yet made: due or overdue on the day
    const int age = DaysBetween(c.birth, on);
    Checkup k;
    k.id = NewId();
    k.person_id = c.person_id;
    k.kind = e.kind;
    k.date = on;
    k.clinic_code = c.clinic;
    const double noise_w = 0.15 * Normal(d), noise_l = 0.1 * Normal(d);
    if (auto w = ValueAt(Table::kWfa, c.sex, age, z_wt + noise_w, 2.0)) k.weight_kg = Round1(*w);
    if (auto l = ValueAt(Table::kLhfa, c.sex, age, z_len + noise_l, 6.5)) {
      k.length_height_cm = Round1(*l);
      k.measure = DefaultMeasure(age);
      stunted = (z_len + noise_l) < -2;  // as of the latest check-up
    }
    if (age <= 1096) {
      if (auto h = ValueAt(Table::kHcfa, c.sex, age, z_head, 0)) k.head_cm = Round1(*h);
    }
    if (HbHearingAge(e.kind)) {
      k.haemoglobin_g_l = d.Between(98, 138);
      k.hearing = d.PerMille(970) ? HearingResult::kPass : HearingResult::kRefer;
    }
    if (e.kind >= ContactKind::kMonth3 && e.kind <= ContactKind::kMonth36) {
      k.development = d.PerMille(950) ? DevelopmentResult::kNormal : DevelopmentResult::kAbnormal;
    }
    if (e.kind >= ContactKind::kYear4) k.vision = d.PerMille(900) ? "5.0" : "4.8";
    k.feeding_guidance = true;
    k.tcm_guidance =
        e.kind >= ContactKind::kMonth6 && e.kind <= ContactKind::kMonth36 && d.PerMille(700);
    k.recorded_at = o.created_at;
    k.recorded_by = o.created_by;
    out.push_back(std::move(k));
  }
  return out;
}

// The city's screening centre and maternity units, by name (hospitals outside the registry).
constexpr std::array<std::string_view, 4> kMaternityUnits{
    "南宁市妇幼保健院", "南宁市第一人民医院", "南宁市第二人民医院", "广西医科大学第一附属医院"};
constexpr std::string_view kScreeningCentre = "广西壮族自治区妇幼保健院新生儿疾病筛查中心";
constexpr std::string_view kHometownCentre = "户籍地新生儿疾病筛查中心";

// The newborn screening results of a child (新生儿疾病筛查技术规范（2010年版）, child/screening.h):
// blood spots on days 3–7 (one in ten delayed to days 8–20), 3% positive each and recalled, the
// recall giving a diagnosis (mostly excluded) for most; the hearing 初筛 on days 2–4, 8% refer,
// most re-screened by day 42 (one in seven refers again), half of those diagnosed before 3 months.
// A child born elsewhere has its results transcribed from the hometown's centre half the time.
std::vector<NewbornScreening> GenerateScreenings(const Child& c, Draw& d,
                                                 const DemoCheckupOptions& o) {
  std::vector<NewbornScreening> out;
  const bool born_here = !(c.birth < c.arrived);
  if (!d.PerMille(born_here ? 960 : 500)) return out;
  const std::string hospital(kMaternityUnits[static_cast<std::size_t>(d.Between(0, 3))]);
  auto add = [&](ScreeningKind kind, Date on, ScreenResult result,
                 std::optional<ScreenDiagnosis> diagnosis, std::string_view facility) {
    if (o.as_of < on) return;
    NewbornScreening r;
    r.id = NewId();
    r.person_id = c.person_id;
    r.record = {kind, on, result, diagnosis};
    r.facility_name = born_here ? std::string(facility) : std::string(kHometownCentre);
    r.recorded_at = o.created_at;
    r.recorded_by = o.created_by;
    out.push_back(std::move(r));
  };
  const Date sampled = AddDays(c.birth, d.PerMille(900) ? d.Between(3, 7) : d.Between(8, 20));
  for (ScreeningKind kind : {ScreeningKind::kPku, ScreeningKind::kCh}) {
    if (!d.PerMille(30)) {
      add(kind, sampled, ScreenResult::kNormal, std::nullopt, kScreeningCentre);
      continue;
    }
    add(kind, sampled, ScreenResult::kPositive, std::nullopt, kScreeningCentre);
    if (d.PerMille(800)) {
      add(kind, AddDays(sampled, d.Between(10, 25)), ScreenResult::kPositive,
          d.PerMille(850) ? ScreenDiagnosis::kExcluded : ScreenDiagnosis::kConfirmed,
          kScreeningCentre);
    }
  }
  const Date heard = AddDays(c.birth, d.Between(2, 4));
  if (!d.PerMille(930)) return out;
  if (!d.PerMille(80)) {
    add(ScreeningKind::kHearingInitial, heard, ScreenResult::kPass, std::nullopt, hospital);
    return out;
  }
  add(ScreeningKind::kHearingInitial, heard, ScreenResult::kRefer, std::nullopt, hospital);
  if (!d.PerMille(850)) return out;
  const Date rescreen = AddDays(c.birth, d.Between(28, 42));
  const bool again = d.PerMille(150);
  add(ScreeningKind::kHearingRescreen, rescreen, again ? ScreenResult::kRefer : ScreenResult::kPass,
      std::nullopt, hospital);
  if (again && d.PerMille(500)) {
    add(ScreeningKind::kHearingDiagnosis, AddDays(rescreen, d.Between(14, 40)),
        d.PerMille(300) ? ScreenResult::kHearingLoss : ScreenResult::kNormal, std::nullopt,
        kScreeningCentre);
  }
  return out;
}

}  // namespace

Result<DemoCheckupCounts> DemoCheckups(storage::Database& db, const DemoCheckupOptions& options) {
  DemoCheckupCounts counts;
  std::vector<Child> children;
  // Younger than 7 on the demo date (规范 一、服务对象).
  const std::string born_after = FormatDate(AddMonths(options.as_of, -84));
  Status st = db.Read([&](soci::session& s) -> Status {
    std::set<std::string> orgs;
    soci::rowset<soci::row> units = (s.prepare << "SELECT code FROM org_units");
    for (const auto& r : units) orgs.insert(r.get<std::string>(0));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, id_type, id_number, sex, birth_date, arrived_on, "
                      "residence_org FROM persons WHERE status = 'active' AND birth_date > :b",
         soci::use(born_after));
    for (const auto& r : rows) {
      Child c;
      c.person_id = r.get<std::string>(0);
      c.identity = r.get<std::string>(1) + ":" + r.get<std::string>(2);
      c.sex = r.get<std::string>(3) == "M" ? Sex::kMale : Sex::kFemale;
      auto birth = ParseDate(r.get<std::string>(4));
      auto arrived = ParseDate(r.get<std::string>(5));
      if (!birth || !arrived) continue;
      c.birth = *birth;
      c.arrived = *arrived;
      const std::string residence = r.get<std::string>(6);
      // The street's health centre, as for the demo's pregnancies and health records.
      c.clinic = residence.size() == 12 && orgs.count(residence.substr(0, 9))
                     ? residence.substr(0, 9)
                     : residence;
      children.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  // Independent of the database's order.
  std::sort(children.begin(), children.end(),
            [](const Child& a, const Child& b) { return a.identity < b.identity; });
  std::vector<Checkup> all;
  std::vector<NewbornScreening> screenings;
  for (const Child& c : children) {
    ++counts.children;
    Draw d{options.seed ^ Fnv1a64(c.identity) ^ 0x6368696C64ULL};
    bool stunted = false;
    auto rows = Generate(c, d, options, stunted);
    if (stunted) ++counts.stunted;
    for (auto& r : rows) all.push_back(std::move(r));
    // Its own stream, so that the check-ups stay those of the same seed before screening existed.
    Draw ds{options.seed ^ Fnv1a64(c.identity) ^ 0x7363726565ULL};
    auto results = GenerateScreenings(c, ds, options);
    if (!results.empty()) ++counts.screened;
    for (auto& r : results) {
      if (r.record.result == ScreenResult::kPositive || r.record.result == ScreenResult::kRefer) {
        ++counts.screening_referrals;
      }
      screenings.push_back(std::move(r));
    }
  }
  const std::size_t batch = static_cast<std::size_t>(std::max(1, options.batch_size));
  for (std::size_t start = 0; start < all.size(); start += batch) {
    const std::size_t end = std::min(all.size(), start + batch);
    st = db.Write([&](soci::session& s) -> Status {
      for (std::size_t i = start; i < end; ++i) CheckupStore::Insert(s, all[i]);
      return Status::Ok();
    });
    if (!st.ok()) return st;
  }
  st = db.Write([&](soci::session& s) -> Status {
    for (const auto& r : screenings) ScreeningStore::Insert(s, r);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  counts.checkups = static_cast<std::int64_t>(all.size());
  counts.screenings = static_cast<std::int64_t>(screenings.size());
  return counts;
}

}  // namespace jd::child
