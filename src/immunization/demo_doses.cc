#include "immunization/demo_doses.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "core/ids.h"
#include "immunization/service.h"
#include "immunization/synthetic.h"
#include "registry/demo.h"
#include "registry/divisions.h"

namespace jd::immunization {

namespace {

// SplitMix64 (Steele, Lea and Flood, 2014), as the registry's demo generator: the same numbers on
// every platform, so a seed names the same data everywhere.
constexpr std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t HashText(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  return h;
}

int Weekday(Date d) {
  return static_cast<int>(std::chrono::weekday{std::chrono::sys_days{d}}.c_encoding());
}

// Producers of each vaccine as a certificate names them. Plausible names for made-up records:
// which clinic was supplied by whom is invented.
struct Producers {
  std::string_view vaccine;
  std::array<std::string_view, 3> names;
};
constexpr std::array<Producers, 14> kProducers = {{
    {"HepB",
     {"深圳康泰生物制品股份有限公司", "大连汉信生物制药有限公司",
      "华北制药金坦生物技术股份有限公司"}},
    {"BCG", {"成都生物制品研究所有限责任公司", "上海生物制品研究所有限责任公司", ""}},
    {"IPV", {"北京生物制品研究所有限责任公司", "中国医学科学院医学生物学研究所", ""}},
    {"bOPV", {"北京生物制品研究所有限责任公司", "中国医学科学院医学生物学研究所", ""}},
    {"DTaP", {"武汉生物制品研究所有限责任公司", "兰州生物制品研究所有限责任公司", ""}},
    {"DT", {"武汉生物制品研究所有限责任公司", "成都生物制品研究所有限责任公司", ""}},
    {"MMR", {"北京生物制品研究所有限责任公司", "上海生物制品研究所有限责任公司", ""}},
    {"JE-L", {"成都生物制品研究所有限责任公司", "", ""}},
    {"JE-I", {"辽宁成大生物股份有限公司", "", ""}},
    {"MPSV-A", {"兰州生物制品研究所有限责任公司", "武汉生物制品研究所有限责任公司", ""}},
    {"MPSV-AC", {"兰州生物制品研究所有限责任公司", "北京智飞绿竹生物制药有限公司", ""}},
    {"HepA-L", {"长春生物制品研究所有限责任公司", "中国医学科学院医学生物学研究所", ""}},
    {"HepA-I", {"北京科兴生物制品有限公司", "", ""}},
    {"VAR", {"长春祈健生物制品有限公司", "上海荣盛生物药业股份有限公司", ""}},
}};
constexpr std::string_view kOtherProducer = "北京生物制品研究所有限责任公司";

constexpr std::array<std::string_view, 22> kMobilePrefixes = {
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158",
    "159", "166", "177", "180", "182", "186", "187", "188", "189", "198", "199"};

// Where the doses before arrival were given, after the 户籍 county's name.
constexpr std::array<std::string_view, 2> kBirthHospitals = {"妇幼保健院", "人民医院"};
constexpr std::array<std::string_view, 3> kHomeClinics = {
    "疾病预防控制中心预防接种门诊", "人民医院预防接种门诊", "中心卫生院预防接种门诊"};

enum class ClinicKind { kStreet, kTown, kTownship };

// 街道 001–099, 镇 100–199, 乡 200–299 (registry/demo.h).
ClinicKind KindOf(const std::string& street_code) {
  int n = street_code.size() == 9 ? std::stoi(street_code.substr(6)) : 0;
  return n >= 200 ? ClinicKind::kTownship : n >= 100 ? ClinicKind::kTown : ClinicKind::kStreet;
}

bool Wanted(DoseStatus s) { return s == DoseStatus::kDue || s == DoseStatus::kOverdue; }

void AddCode(std::vector<std::string>& codes, const std::string& code) {
  if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
}

}  // namespace

struct DemoImmunization::Rng {
  explicit Rng(std::uint64_t seed) : state(seed) {}
  std::uint64_t Next() {
    state += 0x9E3779B97F4A7C15ULL;
    return Mix(state);
  }
  std::uint32_t Below(std::size_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<std::size_t>(hi - lo + 1)));
  }
  bool PerMille(int p) { return static_cast<int>(Below(1000)) < p; }
  std::uint64_t state;
};

DemoImmunization::DemoImmunization(const Schedule& schedule,
                                   std::span<const registry::OrgUnit> units,
                                   DemoImmunizationOptions options)
    : schedule_(schedule), options_(std::move(options)) {
  using registry::demo_tables::NameUse;
  for (const auto& s : registry::demo_tables::Surnames()) {
    std::uint32_t last = surname_cumulative_.empty() ? 0 : surname_cumulative_.back();
    surname_cumulative_.push_back(last + static_cast<std::uint32_t>(s.national_weight));
    if (s.surname.size() > 3) compound_surnames_.emplace_back(s.surname);
  }
  for (const auto& c : registry::demo_tables::GivenNameChars()) {
    if (c.use != NameUse::kFemale) male_chars_.emplace_back(c.ch);
    if (c.use != NameUse::kMale) female_chars_.emplace_back(c.ch);
  }

  first_session_day_ = AddDays(options_.as_of, -options_.window_days);
  last_session_day_ = AddDays(options_.as_of, options_.session_weeks * 7 - 1);
  const int days = DaysBetween(first_session_day_, last_session_day_) + 1;
  Rng rng(Mix(options_.seed ^ 0x3C6EF372FE94F82BULL));
  for (const auto& u : units) {
    if (u.level != registry::OrgLevel::kStreet) continue;
    Clinic c;
    c.code = u.code;
    // Fixed vaccination days: a 社区卫生服务中心 three a week, a 镇卫生院 two, a 乡卫生院 one.
    switch (KindOf(u.code)) {
      case ClinicKind::kStreet:
        c.weekdays = rng.PerMille(500) ? 0b0101010 : 0b1010100;  // Mon/Wed/Fri or Tue/Thu/Sat
        c.capacity = 10 * rng.Between(6, 12);
        break;
      case ClinicKind::kTown:
        c.weekdays = rng.PerMille(500) ? 0b0100100 : 0b0010010;  // Tue/Fri or Mon/Thu
        c.capacity = 10 * rng.Between(4, 8);
        break;
      case ClinicKind::kTownship:
        c.weekdays = 1 << rng.Between(2, 4);
        c.capacity = 10 * rng.Between(2, 4);
        break;
    }
    c.capacity = std::max(1, c.capacity * options_.capacity_percent / 100);
    c.booked.assign(static_cast<std::size_t>(days), 0);
    for (int k = 0, n = rng.Between(3, 5); k < n; ++k) {
      c.vaccinators.push_back(MadeUpName(rng, "", /*paternal=*/false, /*female=*/k > 0));
    }
    clinic_of_unit_[u.code] = clinics_.size();
    clinics_.push_back(std::move(c));
  }
  for (const auto& u : units) {
    if (u.level != registry::OrgLevel::kCommunity) continue;
    auto it = clinic_of_unit_.find(u.parent_code);
    if (it != clinic_of_unit_.end()) clinic_of_unit_[u.code] = it->second;
  }
  for (const Clinic& c : clinics_) {
    for (Date d = first_session_day_; d <= last_session_day_; d = AddDays(d, 1)) {
      if (HasSession(c, d)) sessions_.push_back({c.code, d, c.capacity});
    }
  }
}

bool DemoImmunization::HasSession(const Clinic& c, Date d) const {
  return d >= first_session_day_ && d <= last_session_day_ && ((c.weekdays >> Weekday(d)) & 1) != 0;
}

std::optional<Date> DemoImmunization::TakePlace(Clinic& c, Date from, Date to) {
  for (Date d = std::max(from, first_session_day_); d <= to && d <= last_session_day_;
       d = AddDays(d, 1)) {
    if (!HasSession(c, d)) continue;
    int& taken = c.booked[static_cast<std::size_t>(DaysBetween(first_session_day_, d))];
    if (taken >= c.capacity) continue;
    ++taken;
    return d;
  }
  return std::nullopt;
}

std::string DemoImmunization::MadeUpName(Rng& rng, const std::string& child_name, bool paternal,
                                         bool female) const {
  std::string name;
  if (paternal && !child_name.empty()) {
    for (const auto& compound : compound_surnames_) {
      if (child_name.starts_with(compound)) name = compound;
    }
    if (name.empty()) name = child_name.substr(0, std::min<std::size_t>(3, child_name.size()));
  } else {
    std::uint32_t r = rng.Below(surname_cumulative_.back());
    auto at = std::upper_bound(surname_cumulative_.begin(), surname_cumulative_.end(), r) -
              surname_cumulative_.begin();
    name = registry::demo_tables::Surnames()[static_cast<std::size_t>(at)].surname;
  }
  const auto& chars = female ? female_chars_ : male_chars_;
  for (int i = 0, n = rng.PerMille(250) ? 1 : 2; i < n; ++i) name += chars[rng.Below(chars.size())];
  return name;
}

void DemoImmunization::FillDose(Rng& rng, const Clinic& clinic, const registry::Person& person,
                                const std::string& home_clinic_name, VaccinationRecord& r) const {
  const VaccineInfo* info = schedule_.Find(r.vaccine);
  r.route = info ? info->route : "";
  const bool here = r.source == RecordSource::kGivenHere;
  // One supplier per clinic, vaccine and year; lots made 3–10 months before use, numbered within
  // the month, so the children of one clinic share lots as they would.
  const std::string& where = here ? clinic.code : person.hukou_division;
  std::string_view producer = kOtherProducer;
  for (const auto& p : kProducers) {
    if (p.vaccine != r.vaccine) continue;
    std::size_t n = 0;
    while (n < p.names.size() && !p.names[n].empty()) ++n;
    std::uint64_t h = HashText(where) ^ HashText(r.vaccine) ^
                      static_cast<std::uint64_t>(static_cast<int>(r.date.year())) * 0x9E37ULL;
    producer = p.names[Mix(h) % n];
  }
  r.manufacturer = producer;
  const auto month_of_use =
      static_cast<std::uint64_t>(std::chrono::sys_days{r.date}.time_since_epoch().count() / 30);
  Date made = AddMonths(
      r.date, -3 - static_cast<int>(Mix(HashText(where) ^ HashText(r.vaccine) ^ month_of_use) % 8));
  r.lot = fmt::format("{:04}{:02}{:03}", static_cast<int>(made.year()),
                      static_cast<unsigned>(made.month()),
                      1 + Mix(HashText(producer) ^
                              static_cast<std::uint64_t>(static_cast<unsigned>(made.month()))) %
                              40);
  // The usual sites of the 2021 说明 for each route; infants often in the thigh.
  const bool left = rng.PerMille(500);
  if (r.route == "PO") {
    r.site = "口服";
  } else if (r.route == "ID") {
    r.site = "左上臂外侧三角肌中部略下处";
  } else if (r.route == "IM" && r.date < AddMonths(person.birth_date, 12) && rng.PerMille(400)) {
    r.site = left ? "左大腿前外侧中部" : "右大腿前外侧中部";
  } else if (r.route == "IM") {
    r.site = left ? "左上臂三角肌" : "右上臂三角肌";
  } else {
    r.site = left ? "左上臂外侧三角肌下缘附着处" : "右上臂外侧三角肌下缘附着处";
  }
  if (here) {
    r.clinic_code = clinic.code;
    r.vaccinator = clinic.vaccinators[rng.Below(clinic.vaccinators.size())];
  } else {
    r.clinic_name = home_clinic_name;
    r.vaccinator = MadeUpName(rng, "", false, /*female=*/rng.PerMille(850));
  }
}

void DemoImmunization::PlanAppointments(Rng& rng, Clinic& clinic, const registry::Person& person,
                                        const std::vector<DoseEvent>& history,
                                        DemoChildPlan& plan) {
  const Date as_of = options_.as_of;
  const Date past_from = AddDays(as_of, -options_.window_days);
  const Date yesterday = AddDays(as_of, -1);
  const Date coming_to = AddDays(as_of, options_.window_days);
  auto appointment = [&](Date d, std::vector<std::string> codes, AppointmentStatus status) {
    Appointment a;
    a.person_id = person.id;
    a.clinic_code = clinic.code;
    a.date = d;
    a.vaccines = std::move(codes);
    a.status = status;
    plan.appointments.push_back(std::move(a));
  };

  // Came by appointment: the doses given here on a session day of the past window.
  std::optional<Date> last_dose;
  for (const auto& r : plan.records) last_dose = r.date;
  for (std::size_t i = 0; i < plan.records.size();) {
    const Date d = plan.records[i].date;
    std::vector<std::string> codes;
    std::size_t j = i;
    for (; j < plan.records.size() && plan.records[j].date == d; ++j) {
      if (plan.records[j].source == RecordSource::kGivenHere)
        AddCode(codes, plan.records[j].vaccine);
    }
    if (d >= past_from && d <= yesterday && !codes.empty() && HasSession(clinic, d) &&
        rng.PerMille(options_.attended_per_mille) && TakePlace(clinic, d, d)) {
      appointment(d, std::move(codes), AppointmentStatus::kAttended);
    }
    i = j;
  }

  // Missed: overdue today, booked in the past window after the last dose, and not come.
  Forecast today = ForecastChild(schedule_, person.birth_date, history, as_of);
  std::optional<Date> overdue_from;
  for (const auto& d : today.doses) {
    if (d.status == DoseStatus::kOverdue && d.earliest) {
      overdue_from = overdue_from ? std::min(*overdue_from, *d.earliest) : *d.earliest;
    }
  }
  if (overdue_from && rng.PerMille(options_.missed_per_mille)) {
    Date from =
        std::max({past_from, *overdue_from, last_dose ? AddDays(*last_dose, 1) : past_from});
    if (auto d = TakePlace(clinic, AddDays(from, rng.Between(0, 6)), yesterday)) {
      std::vector<std::string> codes;
      for (const auto& dose : today.doses) {
        if (dose.status == DoseStatus::kOverdue && dose.earliest && *dose.earliest <= *d) {
          AddCode(codes, schedule_.info(dose.vaccine).code);
        }
      }
      appointment(*d, std::move(codes), AppointmentStatus::kMissed);
    }
  }

  // Booked: the doses due or overdue by a session day of the coming window.
  Forecast coming = ForecastChild(schedule_, person.birth_date, history, coming_to);
  std::optional<Date> due_from;
  for (const auto& d : coming.doses) {
    if (Wanted(d.status) && d.earliest) {
      due_from = due_from ? std::min(*due_from, *d.earliest) : *d.earliest;
    }
  }
  if (due_from && rng.PerMille(options_.booked_per_mille)) {
    Date from = std::max(AddDays(as_of, 1), *due_from);
    auto d = TakePlace(clinic, AddDays(from, rng.Between(0, 6)), coming_to);
    if (!d) d = TakePlace(clinic, from, coming_to);
    if (d) {
      std::vector<std::string> codes;
      for (const auto& dose : coming.doses) {
        if (Wanted(dose.status) && dose.earliest && *dose.earliest <= *d) {
          AddCode(codes, schedule_.info(dose.vaccine).code);
        }
      }
      appointment(*d, std::move(codes), AppointmentStatus::kBooked);
    }
  }
  std::stable_sort(plan.appointments.begin(), plan.appointments.end(),
                   [](const Appointment& a, const Appointment& b) { return a.date < b.date; });
}

DemoChildPlan DemoImmunization::Plan(const registry::Person& person, std::int64_t index) {
  DemoChildPlan plan;
  const Date as_of = options_.as_of;
  const registry::EligibilityPolicy& policy = options_.policy;
  // Only the ages the rule can pass need the rule's evaluation.
  if (person.status != registry::PersonStatus::kActive || person.birth_date > as_of ||
      AddYears(person.birth_date, policy.vaccination_file_before_birthday) <= as_of) {
    return plan;
  }
  registry::EligibilityFacts facts;
  facts.as_of = as_of;
  facts.birth_date = person.birth_date;
  facts.hukou_division = person.hukou_division;
  facts.residence_division = person.residence_org.substr(0, 6);
  facts.left_hukou_on = person.left_hukou_on;
  facts.arrived_on = person.arrived_on;
  facts.reason = person.move_reason;
  // The vaccination-file rule looks at age and residence only (试点工作方案 §四(三)), so the
  // person's documents are not needed here.
  if (!registry::Evaluate(facts, policy).entitlements.vaccination_file) return plan;
  plan.entitled = true;
  ++counts_.entitled;
  auto clinic_it = clinic_of_unit_.find(person.residence_org);
  if (clinic_it == clinic_of_unit_.end()) return plan;
  Clinic& clinic = clinics_[clinic_it->second];

  Rng rng(Mix(Mix(options_.seed ^ 0xA54FF53A5F1D36F1ULL) ^
              (static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ULL)));
  if (!rng.PerMille(options_.file_per_mille)) return plan;

  // The certificate, within a month of the day the child became entitled.
  const Date entitled_from =
      registry::Windows(facts, policy).vaccination_file_from.value_or(person.birth_date);
  VaccinationFile f;
  f.person_id = person.id;
  f.issued_on = std::min(as_of, AddDays(entitled_from, rng.Between(0, 30)));
  f.issuing_clinic_code = clinic.code;
  ++clinic.certificates;
  f.certificate_no = fmt::format("{}{:04}{:05}", clinic.code, static_cast<int>(f.issued_on.year()),
                                 clinic.certificates);
  f.card_no = fmt::format("{}-{:06}", clinic.code, clinic.certificates);
  const int relation = rng.Between(0, 99);
  const bool father = relation >= 62 && relation < 92;
  if (relation < 62) {
    f.guardian_relation = "mother";
    f.guardian_name = MadeUpName(rng, person.name, false, true);
  } else if (father) {
    f.guardian_relation = "father";
    f.guardian_name = MadeUpName(rng, person.name, true, false);
  } else if (relation < 99) {
    f.guardian_relation = "grandparent";
    f.guardian_name = MadeUpName(rng, person.name, rng.PerMille(500), rng.PerMille(600));
  } else {
    f.guardian_relation = "other";
    f.guardian_name = MadeUpName(rng, person.name, false, rng.PerMille(500));
  }
  if (!person.phone.empty()) {
    f.guardian_phone = person.phone;  // a child's phone on record is the guardian's
  } else {
    f.guardian_phone = kMobilePrefixes[rng.Below(kMobilePrefixes.size())];
    for (int i = 0; i < 8; ++i) f.guardian_phone += static_cast<char>('0' + rng.Below(10));
  }
  plan.file = std::move(f);
  ++counts_.files;

  // The doses, as the certificate holds them; the same vaccine twice on one day is one entry.
  std::vector<DoseEvent> history =
      SyntheticHistory(schedule_, person.birth_date, as_of, rng.Next(), options_.history);
  auto by_date = [](const DoseEvent& a, const DoseEvent& b) { return a.date < b.date; };
  std::stable_sort(history.begin(), history.end(), by_date);
  // The vaccines due at one visit are given together: SyntheticHistory delays each dose on its
  // own, which would put most children's injected live vaccines a few days apart (说明 二(三):
  // 28 days unless given the same day). An injected live vaccine less than 28 days before another
  // waits for the later one's visit (waiting keeps every minimum age).
  const int spacing = schedule_.rules().live_spacing_days;
  for (std::size_t k = 0; k < history.size(); ++k) {
    if (!schedule_.info(history[k].vaccine).live_injected) continue;
    for (std::size_t j = 0; j < k; ++j) {
      DoseEvent& e = history[j];
      if (e.vaccine == history[k].vaccine || !schedule_.info(e.vaccine).live_injected) continue;
      const int gap = DaysBetween(e.date, history[k].date);
      if (gap > 0 && gap < spacing) e.date = history[k].date;
    }
  }
  std::stable_sort(history.begin(), history.end(), by_date);
  std::vector<DoseEvent> kept;
  kept.reserve(history.size());
  for (const auto& e : history) {
    if (e.date < person.birth_date || e.date > as_of) continue;
    bool twice = std::any_of(kept.begin(), kept.end(), [&](const DoseEvent& k) {
      return k.vaccine == e.vaccine && k.date == e.date;
    });
    if (!twice) kept.push_back(e);
  }
  std::string county;
  if (!kept.empty() && kept.front().date < person.arrived_on) {
    county = registry::Divisions::Builtin().Name(person.hukou_division).value_or("");
  }
  const std::string hospital = county + std::string(kBirthHospitals[rng.Below(2)]);
  const std::string home_clinic = county + std::string(kHomeClinics[rng.Below(3)]);
  std::array<int, 256> dose_counts{};
  plan.records.reserve(kept.size());
  for (const auto& e : kept) {
    VaccinationRecord r;
    r.person_id = person.id;
    r.vaccine = schedule_.info(e.vaccine).code;
    r.dose_number = ++dose_counts[e.vaccine];
    r.date = e.date;
    r.source = e.date < person.arrived_on ? RecordSource::kTranscribed : RecordSource::kGivenHere;
    const bool at_birth = DaysBetween(person.birth_date, e.date) < 7;
    FillDose(rng, clinic, person, at_birth ? hospital : home_clinic, r);
    counts_.transcribed += r.source == RecordSource::kTranscribed;
    plan.records.push_back(std::move(r));
  }
  counts_.records += static_cast<std::int64_t>(plan.records.size());

  PlanAppointments(rng, clinic, person, kept, plan);
  for (const auto& a : plan.appointments) {
    ++counts_.appointments;
    counts_.booked += a.status == AppointmentStatus::kBooked;
    counts_.attended += a.status == AppointmentStatus::kAttended;
    counts_.missed += a.status == AppointmentStatus::kMissed;
  }
  return plan;
}

void DemoImmunization::Write(soci::session& s, DemoChildPlan& plan, const std::string& at,
                             const std::string& by) const {
  if (!plan.file) return;
  VaccinationFile& f = *plan.file;
  f.version = 1;
  f.created_at = f.updated_at = at;
  f.created_by = f.updated_by = by;
  ImmunizationStore::InsertFile(s, f);
  for (auto& r : plan.records) {
    r.id = NewId();
    r.version = 1;
    r.created_at = r.updated_at = at;
    r.created_by = r.updated_by = by;
    ImmunizationStore::InsertRecord(s, r);
    ImmunizationStore::InsertVersion(s, r.id,
                                     {1, RecordToJson(schedule_, r).dump(), at, by, "created", ""});
  }
  for (auto& a : plan.appointments) {
    a.id = NewId();
    a.created_at = a.updated_at = at;
    a.created_by = a.updated_by = by;
    ImmunizationStore::InsertAppointment(s, a);
  }
}

void DemoImmunization::Add(soci::session& s, const registry::Person& person, std::int64_t index,
                           const std::string& at, const std::string& by) {
  DemoChildPlan plan = Plan(person, index);
  Write(s, plan, at, by);
}

void DemoImmunization::WriteSessions(soci::session& s, const std::string& at,
                                     const std::string& by) {
  for (const auto& session : sessions_) {
    if (clinics_[clinic_of_unit_.at(session.clinic_code)].certificates == 0) continue;
    ImmunizationStore::PutSession(s, session.clinic_code, session.date, session.capacity, at, by);
    ++counts_.sessions;
  }
}

}  // namespace jd::immunization
