#include "disease/demo_cards.h"

#include <soci/soci.h>

#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "disease/catalogue.h"
#include "registry/demo.h"

namespace jd::disease {

namespace {

// A disease of the demo: its code, the mean daily cases of one urban district at the seasonal
// peak and trough, the month of the peak (0 = none: flat), a second smaller wave, the ages of the
// patients and the share of cases confirmed by a laboratory. Invented for the demo.
struct DemoDisease {
  const char* code;
  double trough, peak;
  int peak_month;    // 1–12, 0 for flat
  int second_month;  // a smaller wave (half the peak), 0 for none
  int min_age, max_age;
  int confirmed_per_mille;
  const char* chronicity;  // "" when the card has none
};

constexpr std::array<DemoDisease, 11> kDiseases = {{
    {"hfmd", 0.15, 2.2, 5, 10, 1, 5, 300, ""},
    {"influenza", 0.1, 2.5, 1, 0, 1, 80, 700, ""},
    {"other_infectious_diarrhoea", 0.4, 1.4, 7, 0, 0, 80, 200, ""},
    {"dysentery", 0.02, 0.12, 8, 0, 1, 80, 500, ""},
    {"scarlet_fever", 0.02, 0.25, 4, 12, 3, 10, 400, ""},
    {"mumps", 0.05, 0.3, 4, 0, 4, 15, 300, ""},
    {"dengue", 0.0, 0.3, 9, 0, 10, 70, 800, ""},
    {"tuberculosis", 0.25, 0.25, 0, 0, 18, 75, 550, ""},
    {"viral_hepatitis", 0.35, 0.35, 0, 0, 20, 70, 900, ""},
    {"syphilis", 0.2, 0.2, 0, 0, 18, 65, 950, ""},
    {"hiv_aids", 0.03, 0.03, 0, 0, 18, 70, 1000, ""},
}};

// The seasonal rate: a cosine wave between trough and peak, peaking mid-month, with an optional
// second wave of half the amplitude.
double DailyRate(const DemoDisease& d, Date day) {
  if (d.peak_month == 0) return d.trough;
  auto wave = [&day](int month) {
    double doy = static_cast<double>(
        (std::chrono::sys_days{day} - std::chrono::sys_days{std::chrono::year_month_day{
                                          day.year(), std::chrono::January, std::chrono::day{1}}})
            .count());
    double centre = (month - 1) * 30.4 + 15;
    return 0.5 * (1 + std::cos(2 * std::numbers::pi * (doy - centre) / 365.25));
  };
  double w = std::pow(wave(d.peak_month), 3);
  if (d.second_month != 0) w = std::max(w, 0.5 * std::pow(wave(d.second_month), 3));
  return d.trough + (d.peak - d.trough) * w;
}

int Poisson(SplitMixStream& rng, double mean) {
  // Knuth's method: the means here are small (under 4).
  double limit = std::exp(-mean), p = 1.0;
  int k = 0;
  do {
    ++k;
    p *= static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
  } while (p > limit && k < 100);
  return k - 1;
}

struct Unit {
  std::string code, name, path;
};

struct Patient {
  std::string person_id, name, sex, birth_date, id_number, phone, employer, occupation, address,
      residence_path, hukou_division;
};

std::string DrawName(SplitMixStream& rng, bool male) {
  auto surnames = registry::demo_tables::Surnames();
  auto chars = registry::demo_tables::GivenNameChars();
  std::string name(surnames[rng.Next() % surnames.size()].surname);
  int n = rng.PerMille(600) ? 2 : 1;
  for (int i = 0; i < n;) {
    const auto& c = chars[rng.Next() % chars.size()];
    using registry::demo_tables::NameUse;
    if (c.use == NameUse::kAny || (c.use == NameUse::kMale) == male) {
      name += c.ch;
      ++i;
    }
  }
  return name;
}

// 人群分类 of the card (传染病报告卡 2015) for an age, as the demo draws it.
std::string OccupationFor(SplitMixStream& rng, int age) {
  if (age < 3) return "散居儿童";
  if (age < 7) return rng.PerMille(700) ? "幼托儿童" : "散居儿童";
  if (age < 19) return "学生";
  if (age >= 60) return rng.PerMille(600) ? "离退人员" : "家务及待业";
  static constexpr std::array<const char*, 6> kAdult = {"民工", "工人",       "商业服务",
                                                        "农民", "家务及待业", "干部职员"};
  return kAdult[rng.Next() % kAdult.size()];
}

std::string Timestamp(Date day, int minutes_after_midnight_shanghai) {
  auto t = std::chrono::sys_days{day} + std::chrono::minutes(minutes_after_midnight_shanghai) -
           std::chrono::hours(8);
  return FormatTimestamp(std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
}

std::string BelongsOf(const std::string& hukou_division) {
  if (hukou_division.starts_with("4501")) return "other_county";
  if (hukou_division.starts_with("45")) return "other_city";
  return "other_province";
}

}  // namespace

Result<DemoCardCounts> DemoCards(storage::Database& db, const DemoCardOptions& options) {
  DemoCardCounts counts;
  std::vector<Unit> districts;
  std::map<std::string, std::vector<Unit>> streets;  // by district code
  std::map<std::string, std::vector<Patient>> migrants;
  Status st = db.Read([&](soci::session& s) -> Status {
    soci::rowset<soci::row> units =
        (s.prepare << "SELECT code, name, level, parent_code, path FROM org_units ORDER BY code");
    for (const auto& r : units) {
      std::string level = r.get<std::string>(2);
      Unit u{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(4)};
      if (level == "district") districts.push_back(u);
      if (level == "street") streets[r.get<std::string>(3)].push_back(u);
    }
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, name, sex, birth_date, id_number, COALESCE(phone, ''), "
                      "COALESCE(employer, ''), COALESCE(occupation, ''), "
                      "COALESCE(residence_address, ''), residence_path, hukou_division "
                      "FROM persons WHERE status = 'active' ORDER BY id");
    for (const auto& r : rows) {
      Patient p{r.get<std::string>(0),
                r.get<std::string>(1),
                r.get<std::string>(2) == "M" ? "male" : "female",
                r.get<std::string>(3),
                r.get<std::string>(4),
                r.get<std::string>(5),
                r.get<std::string>(6),
                r.get<std::string>(7),
                r.get<std::string>(8),
                r.get<std::string>(9),
                r.get<std::string>(10)};
      // residence_path = city/district/street/…: the district is its second segment.
      auto a = p.residence_path.find('/');
      auto b = a == std::string::npos ? a : p.residence_path.find('/', a + 1);
      if (b == std::string::npos) continue;
      migrants[p.residence_path.substr(a + 1, b - a - 1)].push_back(std::move(p));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (districts.empty()) {
    return Status::Invalid(
        {{"districts", "missing", "示例城市没有区县", "the city has no district"}});
  }
  const DiseaseCatalogue& catalogue = DiseaseCatalogue::Builtin();

  for (std::size_t di = 0; di < districts.size(); ++di) {
    const Unit& district = districts[di];
    const std::vector<Unit>& its_streets = streets[district.code];
    if (its_streets.empty()) continue;
    const std::vector<Patient>& its_migrants = migrants[district.code];
    const double scale = (district.name.ends_with("区") ? 1.0 : 0.67) * options.rate_scale;
    st = db.Write([&](soci::session& s) -> Status {
      std::string id, person_id, name, parent, id_number, sex, birth, employer, phone, belongs,
          address, path, occupation, site_kind, site_name, site_key, disease, subtype, case_class,
          chronicity, onset, diagnosed, reported, unit, doctor, created_at;
      int late = 0;
      std::set<std::string> linked;  // registry persons given a card
      soci::indicator person_ind = soci::i_null;
      soci::statement insert =
          (s.prepare
               << "INSERT INTO disease_cards (id, person_id, patient_name, parent_name, "
                  "id_number, sex, birth_date, employer, phone, patient_belongs, "
                  "current_address, residence_path, district_code, occupation, "
                  "work_site_kind, work_site_name, work_site_key, disease_code, disease_subtype, "
                  "case_class, "
                  "chronicity, onset_date, diagnosed_at, reported_at, reporting_unit, "
                  "reporting_doctor, late, created_at, created_by, updated_at, updated_by) "
                  "VALUES (:id, :person, :name, :parent, :idno, :sex, :birth, :employer, "
                  ":phone, :belongs, :address, :path, :district, :occupation, :kind, "
                  ":site, :key, :disease, :subtype, :class, :chronicity, :onset, :diagnosed, "
                  ":reported, :unit, :doctor, :late, :created, :by, :created2, :by2)",
           soci::use(id), soci::use(person_id, person_ind), soci::use(name), soci::use(parent),
           soci::use(id_number), soci::use(sex), soci::use(birth), soci::use(employer),
           soci::use(phone), soci::use(belongs), soci::use(address), soci::use(path),
           soci::use(district.code), soci::use(occupation), soci::use(site_kind),
           soci::use(site_name), soci::use(site_key), soci::use(disease), soci::use(subtype),
           soci::use(case_class), soci::use(chronicity), soci::use(onset), soci::use(diagnosed),
           soci::use(reported), soci::use(unit), soci::use(doctor), soci::use(late),
           soci::use(created_at), soci::use(options.created_by), soci::use(created_at),
           soci::use(options.created_by));

      // One card: the patient drawn (a registry person of the district a third of the time) and
      // the dates from onset to report.
      auto write = [&](SplitMixStream& rng, const DemoDisease& d, Date day, const Patient* migrant,
                       const std::string& site) -> Status {
        const Unit& street = its_streets[rng.Next() % its_streets.size()];
        int age = rng.Between(d.min_age, d.max_age);
        if (migrant == nullptr && !its_migrants.empty() && age >= 16 && rng.PerMille(330)) {
          // About 6% of the registry persons fall ill in the demo's three years, each once: a
          // small demo city would otherwise give every migrant several diseases.
          const Patient* drawn = &its_migrants[rng.Next() % its_migrants.size()];
          if (SplitMix64(Fnv1a64(drawn->id_number) ^ options.seed) % 1000 < 60 &&
              linked.insert(drawn->person_id).second) {
            migrant = drawn;
          }
        }
        parent.clear();
        if (migrant != nullptr) {
          person_id = migrant->person_id;
          person_ind = soci::i_ok;
          name = migrant->name;
          sex = migrant->sex;
          birth = migrant->birth_date;
          id_number = migrant->id_number;
          phone = migrant->phone;
          employer = migrant->employer;
          occupation = migrant->occupation.empty() ? OccupationFor(rng, 30) : migrant->occupation;
          if (!site.empty()) occupation = "民工";
          belongs = BelongsOf(migrant->hukou_division);
          address = migrant->address.empty() ? street.name + "辖区" : migrant->address;
          path = migrant->residence_path;
          ++counts.registry_linked;
        } else {
          person_ind = soci::i_null;
          person_id.clear();
          bool male = rng.PerMille(520);
          name = DrawName(rng, male);
          sex = male ? "male" : "female";
          birth = FormatDate(AddDays(AddYears(day, -age), -rng.Between(1, 360)));
          id_number.clear();
          phone = "1" + std::to_string(3 + rng.Between(0, 5)) +
                  std::to_string(rng.Between(100000000, 999999999));
          employer.clear();
          occupation = OccupationFor(rng, age);
          if (age < 14) parent = DrawName(rng, rng.PerMille(400));
          belongs = "this_county";
          address = street.name + std::to_string(rng.Between(1, 60)) + "号";
          path = street.path;
        }
        id = NewId();
        disease = d.code;
        case_class = rng.PerMille(d.confirmed_per_mille) ? "confirmed" : "clinical";
        chronicity = d.chronicity;
        subtype.clear();
        if (disease == "viral_hepatitis") {
          // Most reported hepatitis is chronic hepatitis B, then C; the card names the type and,
          // for B and C, acute or chronic (传染病报告卡 填卡说明).
          int draw = rng.Between(1, 100);
          subtype = draw <= 70 ? "b" : draw <= 85 ? "c" : draw <= 95 ? "e" : "a";
          chronicity = (subtype == "b" || subtype == "c") ? "chronic" : "";
        }
        onset = FormatDate(day);
        Date diagnosed_day = AddDays(day, site.empty() ? rng.Between(0, 3) : rng.Between(0, 1));
        // Nothing is diagnosed or reported after the day before the demo date, so no card lies in
        // the future whatever the hour the demo is made.
        const Date last_day = AddDays(options.as_of, -1);
        if (diagnosed_day > last_day) diagnosed_day = last_day;
        int diagnosed_minute = rng.Between(8 * 60, 17 * 60);
        diagnosed = Timestamp(diagnosed_day, diagnosed_minute);
        int report_delay = (site.empty() && rng.PerMille(30)) ? rng.Between(25 * 60, 48 * 60)
                                                              : rng.Between(10, 12 * 60);
        auto limit = catalogue.Find(d.code, diagnosed_day);
        int limit_minutes = limit.ok() ? limit->report_limit_hours * 60 : 24 * 60;
        late = report_delay > limit_minutes ? 1 : 0;
        if (diagnosed_day == last_day) report_delay = std::min(report_delay, 6 * 60);
        reported = Timestamp(diagnosed_day, diagnosed_minute + report_delay);
        created_at = reported;
        unit = street.code;
        doctor = DrawName(rng, rng.PerMille(500));
        site_kind = site.empty() ? "" : "construction_site";
        site_name = site;
        site_key = site;
        insert.execute(true);
        ++counts.cards;
        counts.late += late;
        return Status::Ok();
      };

      for (int back = options.history_days; back >= 1; --back) {
        Date day = AddDays(options.as_of, -back);
        for (std::size_t k = 0; k < kDiseases.size(); ++k) {
          SplitMixStream rng{
              SplitMix64(options.seed ^ (di << 40) ^ (k << 32) ^ static_cast<std::uint64_t>(back))};
          int n = Poisson(rng, scale * DailyRate(kDiseases[k], day));
          for (int i = 0; i < n; ++i)
            JD_RETURN_IF_ERROR(write(rng, kDiseases[k], day, nullptr, ""));
        }
      }
      // The planted outbreak, in the first district's first street.
      if (di == 0 && options.outbreak_cases > 0) {
        SplitMixStream rng{SplitMix64(options.seed ^ 0x0B7B4EA4ULL)};
        counts.outbreak_district = district.code;
        counts.outbreak_site = its_streets.front().name + "安居房建筑工地";
        std::vector<const Patient*> workers;
        for (const Patient& p : its_migrants) {
          int age = AgeInYears(*ParseDate(p.birth_date), options.as_of);
          if (p.sex == "male" && age >= 18 && age <= 60) workers.push_back(&p);
        }
        const DemoDisease& dysentery = kDiseases[3];
        for (int i = 0; i < options.outbreak_cases; ++i) {
          Date day = AddDays(options.as_of, -6 + (i * 5) / options.outbreak_cases);  // −6 … −2
          const Patient* w = workers.empty() ? nullptr : workers[(i * 7) % workers.size()];
          JD_RETURN_IF_ERROR(write(rng, dysentery, day, w, counts.outbreak_site));
          ++counts.outbreak_cards;
        }
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
  }
  return counts;
}

}  // namespace jd::disease
