// The demo city's vaccination data: certificates only for children entitled to a vaccination
// file and for about 92% of them, doses within the child's life and sourced by the arrival date,
// appointments in their windows and within the sessions' places, the same data for the same
// seed; and, written to a database, one row per planned item with its change event.
#include "immunization/demo_doses.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "auth/auth_service.h"
#include "auth/scope.h"
#include "core/ids.h"
#include "registry/demo.h"
#include "registry/person_store.h"
#include "storage/database.h"

namespace jd::immunization {
namespace {

namespace fs = std::filesystem;

const Date kAsOf = *ParseDate("2026-11-22");

struct City {
  registry::DemoOrgTree tree;
  std::vector<registry::Person> persons;
  std::vector<DemoChildPlan> plans;
  std::vector<DemoSession> sessions;
  DemoImmunizationCounts counts;
};

City MakeCity(std::uint64_t seed, std::int64_t persons, DemoImmunizationOptions options = {}) {
  City c;
  c.tree = registry::GenerateOrgTree(seed);
  registry::DemoPersonGenerator gen(c.tree, {.persons = persons, .seed = seed, .as_of = kAsOf});
  options.seed = seed;
  options.as_of = kAsOf;
  DemoImmunization demo(Schedule::Default(), c.tree.units, options);
  for (std::int64_t i = 0; i < persons; ++i) {
    registry::Person p = gen.Generate(i).person;
    p.id = "person-" + std::to_string(i);
    c.plans.push_back(demo.Plan(p, i));
    c.persons.push_back(std::move(p));
  }
  c.sessions = demo.sessions();
  c.counts = demo.counts();
  return c;
}

registry::EligibilityFacts FactsOf(const registry::Person& p) {
  registry::EligibilityFacts f;
  f.as_of = kAsOf;
  f.birth_date = p.birth_date;
  f.hukou_division = p.hukou_division;
  f.residence_division = p.residence_org.substr(0, 6);
  f.left_hukou_on = p.left_hukou_on;
  f.arrived_on = p.arrived_on;
  f.reason = p.move_reason;
  return f;
}

// The street (clinic) of a community of the tree.
std::string StreetOf(const registry::DemoOrgTree& tree, const std::string& community) {
  for (const auto& u : tree.units)
    if (u.code == community) return u.parent_code;
  return "";
}

class DemoDosesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { city_ = new City(MakeCity(7, 20000)); }
  static void TearDownTestSuite() {
    delete city_;
    city_ = nullptr;
  }
  static City* city_;
};
City* DemoDosesTest::city_ = nullptr;

TEST_F(DemoDosesTest, CertificatesOnlyForEntitledChildren) {
  int entitled = 0, files = 0;
  for (std::size_t i = 0; i < city_->persons.size(); ++i) {
    const registry::Person& p = city_->persons[i];
    const DemoChildPlan& plan = city_->plans[i];
    bool rule = registry::Evaluate(FactsOf(p)).entitlements.vaccination_file;
    EXPECT_EQ(plan.entitled, rule) << i;
    entitled += rule;
    if (!plan.file) {
      EXPECT_TRUE(plan.records.empty()) << i;
      EXPECT_TRUE(plan.appointments.empty()) << i;
      continue;
    }
    ++files;
    EXPECT_TRUE(rule) << "person " << i << " is not entitled but has a certificate";
    EXPECT_LT(kAsOf, AddYears(p.birth_date, 7)) << i;
  }
  // About 10% of the demo population is aged 0–6; most of them have lived here 3 months.
  EXPECT_GT(entitled, 1000);
  EXPECT_EQ(city_->counts.entitled, entitled);
  EXPECT_EQ(city_->counts.files, files);
}

TEST_F(DemoDosesTest, AboutNinetyTwoPercentOfEntitledChildrenHoldACertificate) {
  double share = static_cast<double>(city_->counts.files) / city_->counts.entitled;
  EXPECT_GT(share, 0.89);
  EXPECT_LT(share, 0.95);
  // Fewer when asked for fewer.
  City half = MakeCity(7, 5000, {.file_per_mille = 500});
  double half_share = static_cast<double>(half.counts.files) / half.counts.entitled;
  EXPECT_GT(half_share, 0.42);
  EXPECT_LT(half_share, 0.58);
}

TEST_F(DemoDosesTest, CertificateIsIssuedByTheStreetClinicAfterEntitlement) {
  std::set<std::string> certificates, cards;
  for (std::size_t i = 0; i < city_->persons.size(); ++i) {
    const registry::Person& p = city_->persons[i];
    const auto& file = city_->plans[i].file;
    if (!file) continue;
    EXPECT_EQ(file->person_id, p.id);
    EXPECT_EQ(file->issuing_clinic_code, StreetOf(city_->tree, p.residence_org));
    Date from = *registry::Windows(FactsOf(p)).vaccination_file_from;
    EXPECT_GE(file->issued_on, from) << i;
    EXPECT_LE(file->issued_on, std::min(kAsOf, AddDays(from, 30))) << i;
    EXPECT_TRUE(certificates.insert(file->certificate_no).second) << file->certificate_no;
    EXPECT_TRUE(cards.insert(file->card_no).second) << file->card_no;
    EXPECT_TRUE(file->certificate_no.starts_with(file->issuing_clinic_code));
    EXPECT_TRUE(std::set<std::string>({"mother", "father", "grandparent", "other"})
                    .count(file->guardian_relation));
    EXPECT_FALSE(file->guardian_name.empty());
    EXPECT_EQ(file->guardian_phone.size(), 11u);
    if (!p.phone.empty()) {
      EXPECT_EQ(file->guardian_phone, p.phone);
    }
  }
}

TEST_F(DemoDosesTest, DosesFallWithinTheChildsLifeAndTheirSourceFollowsArrival) {
  const Schedule& schedule = Schedule::Default();
  std::int64_t transcribed = 0, here = 0, records = 0;
  for (std::size_t i = 0; i < city_->persons.size(); ++i) {
    const registry::Person& p = city_->persons[i];
    const DemoChildPlan& plan = city_->plans[i];
    std::map<std::string, int> last_number;
    std::set<std::pair<std::string, Date>> seen;
    Date previous = p.birth_date;
    for (const auto& r : plan.records) {
      ++records;
      EXPECT_GE(r.date, p.birth_date) << i << " " << r.vaccine;
      EXPECT_LE(r.date, kAsOf) << i << " " << r.vaccine;
      EXPECT_GE(r.date, previous) << "records are by date";
      previous = r.date;
      EXPECT_TRUE(seen.insert({r.vaccine, r.date}).second) << "the same dose twice";
      EXPECT_EQ(r.person_id, p.id);
      const VaccineInfo* info = schedule.Find(r.vaccine);
      ASSERT_NE(info, nullptr) << r.vaccine;
      EXPECT_EQ(r.route, info->route);
      EXPECT_EQ(r.dose_number.value_or(0), ++last_number[r.vaccine]);
      EXPECT_FALSE(r.lot.empty());
      EXPECT_FALSE(r.manufacturer.empty());
      EXPECT_FALSE(r.site.empty());
      EXPECT_FALSE(r.vaccinator.empty());
      if (r.date < p.arrived_on) {
        ++transcribed;
        EXPECT_EQ(r.source, RecordSource::kTranscribed) << i << " " << FormatDate(r.date);
        EXPECT_TRUE(r.clinic_code.empty());
        EXPECT_FALSE(r.clinic_name.empty());
      } else {
        ++here;
        EXPECT_EQ(r.source, RecordSource::kGivenHere) << i << " " << FormatDate(r.date);
        EXPECT_EQ(r.clinic_code, plan.file->issuing_clinic_code);
        EXPECT_TRUE(r.clinic_name.empty());
      }
    }
  }
  EXPECT_EQ(records, city_->counts.records);
  EXPECT_EQ(transcribed, city_->counts.transcribed);
  // Children who came here after some doses and children born here: both kinds are there.
  EXPECT_GT(transcribed, records / 20);
  EXPECT_GT(here, records / 5);
  // A child 0–6 has well over a handful of programme doses on average.
  EXPECT_GT(records, 8 * city_->counts.files);
}

TEST_F(DemoDosesTest, EarlyDosesAreKeptAndLiveVaccinesShareAVisit) {
  int with_invalid = 0, live_spacing = 0;
  for (std::size_t i = 0; i < city_->persons.size(); ++i) {
    const DemoChildPlan& plan = city_->plans[i];
    if (plan.records.empty()) continue;
    std::vector<DoseEvent> history;
    for (const auto& r : plan.records)
      history.push_back({Schedule::Default().Find(r.vaccine)->id, r.date});
    Forecast f = ForecastChild(Schedule::Default(), city_->persons[i].birth_date, history, kAsOf);
    with_invalid += !f.invalid_records.empty();
    for (const auto& ir : f.invalid_records)
      live_spacing += ir.reason == Reason::kLiveVaccineSpacing;
  }
  // The synthetic histories' few early doses stay, for the forecast to list as invalid.
  EXPECT_GT(with_invalid, 0);
  EXPECT_LT(with_invalid, city_->counts.files / 4);
  // Injected live vaccines due around the same age are given at one visit, not days apart.
  EXPECT_EQ(live_spacing, 0);
}

TEST_F(DemoDosesTest, AppointmentsFallInTheirWindowsOnSessionDaysWithinCapacity) {
  std::map<std::pair<std::string, Date>, int> capacity, taken;
  for (const auto& s : city_->sessions) {
    EXPECT_GE(s.date, AddDays(kAsOf, -14));
    EXPECT_LE(s.date, AddDays(kAsOf, 27));
    capacity[{s.clinic_code, s.date}] = s.capacity;
  }
  const Schedule& schedule = Schedule::Default();
  std::map<AppointmentStatus, int> by_status;
  for (std::size_t i = 0; i < city_->persons.size(); ++i) {
    const registry::Person& p = city_->persons[i];
    const DemoChildPlan& plan = city_->plans[i];
    std::vector<DoseEvent> history;
    for (const auto& r : plan.records) history.push_back({schedule.Find(r.vaccine)->id, r.date});
    for (const auto& a : plan.appointments) {
      ++by_status[a.status];
      EXPECT_EQ(a.person_id, p.id);
      EXPECT_EQ(a.clinic_code, plan.file->issuing_clinic_code);
      ASSERT_TRUE(capacity.count({a.clinic_code, a.date})) << "not a session day";
      ++taken[{a.clinic_code, a.date}];
      ASSERT_FALSE(a.vaccines.empty());
      if (a.status == AppointmentStatus::kBooked) {
        EXPECT_GT(a.date, kAsOf);
        EXPECT_LE(a.date, AddDays(kAsOf, 14));
        // Every vaccine booked has a dose due or overdue on the day.
        Forecast f = ForecastChild(schedule, p.birth_date, history, a.date);
        for (const auto& code : a.vaccines) {
          bool wanted = false;
          for (const auto& d : f.doses) {
            wanted |= schedule.info(d.vaccine).code == code &&
                      (d.status == DoseStatus::kDue || d.status == DoseStatus::kOverdue);
          }
          EXPECT_TRUE(wanted) << code << " booked on " << FormatDate(a.date);
        }
      } else {
        EXPECT_LT(a.date, kAsOf);
        EXPECT_GE(a.date, AddDays(kAsOf, -14));
      }
      if (a.status == AppointmentStatus::kAttended) {
        for (const auto& code : a.vaccines) {
          bool given = false;
          for (const auto& r : plan.records) {
            given |= r.vaccine == code && r.date == a.date && r.source == RecordSource::kGivenHere;
          }
          EXPECT_TRUE(given) << code << " attended on " << FormatDate(a.date);
        }
      }
      if (a.status == AppointmentStatus::kMissed) {
        for (const auto& r : plan.records) EXPECT_LT(r.date, a.date) << "came after all";
      }
    }
  }
  for (const auto& [key, n] : taken) EXPECT_LE(n, capacity[key]) << key.first;
  EXPECT_GT(by_status[AppointmentStatus::kBooked], 0);
  EXPECT_GT(by_status[AppointmentStatus::kAttended], 0);
  EXPECT_GT(by_status[AppointmentStatus::kMissed], 0);
  EXPECT_EQ(by_status[AppointmentStatus::kBooked], city_->counts.booked);
}

TEST(DemoDosesCapacityTest, FullSessionsTakeNoMoreAppointments) {
  City c = MakeCity(7, 20000, {.booked_per_mille = 1000, .capacity_percent = 1});
  std::map<std::pair<std::string, Date>, int> capacity, taken;
  for (const auto& s : c.sessions) capacity[{s.clinic_code, s.date}] = s.capacity;
  for (const auto& plan : c.plans)
    for (const auto& a : plan.appointments) ++taken[{a.clinic_code, a.date}];
  int full = 0;
  for (const auto& [key, n] : taken) {
    EXPECT_LE(n, capacity[key]);
    full += n == capacity[key];
  }
  EXPECT_GT(full, 0);
  // Children who wanted a place and found none: fewer appointments than with room.
  City roomy = MakeCity(7, 20000, {.booked_per_mille = 1000});
  EXPECT_LT(c.counts.booked, roomy.counts.booked);
}

TEST(DemoDosesSeedTest, TheSameSeedGivesTheSameDataAnotherSeedOther) {
  auto digest = [](const City& c) {
    std::string out;
    for (const auto& plan : c.plans) {
      if (!plan.file) continue;
      out += plan.file->certificate_no + FormatDate(plan.file->issued_on) +
             plan.file->guardian_name + plan.file->guardian_phone;
      for (const auto& r : plan.records) {
        out += r.vaccine + FormatDate(r.date) + std::string(SourceCode(r.source)) + r.lot +
               r.manufacturer + r.site + r.vaccinator + r.clinic_code + r.clinic_name;
      }
      for (const auto& a : plan.appointments) {
        out += FormatDate(a.date) + std::string(AppointmentStatusCode(a.status));
        for (const auto& v : a.vaccines) out += v;
      }
    }
    return out;
  };
  City a = MakeCity(11, 3000), b = MakeCity(11, 3000), other = MakeCity(12, 3000);
  EXPECT_FALSE(digest(a).empty());
  EXPECT_EQ(digest(a), digest(b));
  EXPECT_NE(digest(a), digest(other));
}

TEST(DemoDosesWriteTest, WritesEveryPlannedRowWithItsVersionAndChangeEvent) {
  fs::path dir = fs::temp_directory_path() / ("jd_demo_doses_" + RandomHex(6));
  fs::create_directories(dir);
  {
    auto opened = storage::Database::Open({.path = (dir / "t.db").string()});
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    storage::Database& db = **opened;
    registry::DemoOrgTree tree = registry::GenerateOrgTree(3);
    registry::DemoPersonGenerator gen(tree, {.persons = 1500, .seed = 3, .as_of = kAsOf});
    DemoImmunization demo(Schedule::Default(), tree.units, {.seed = 3, .as_of = kAsOf});
    const std::string at = "2026-11-22T00:00:00.000Z", by = "demo";
    std::string child_id;
    std::size_t child_records = 0;
    Status st = db.Write([&](soci::session& s) {
      for (const auto& u : tree.units) registry::PersonStore::InsertOrgUnit(s, u);
      registry::PersonInserter ins(s);
      for (std::int64_t i = 0; i < 1500; ++i) {
        registry::Person p = gen.Generate(i).person;
        p.id = NewId();
        p.created_at = p.updated_at = at;
        p.created_by = p.updated_by = by;
        if (!ins.Insert(p, "")) continue;
        DemoChildPlan plan = demo.Plan(p, i);
        if (child_id.empty() && plan.records.size() > 3) {
          child_id = p.id;
          child_records = plan.records.size();
        }
        demo.Write(s, plan, at, by);
      }
      demo.WriteSessions(s, at, by);
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    const DemoImmunizationCounts& n = demo.counts();
    ASSERT_GT(n.files, 0);
    ASSERT_FALSE(child_id.empty());
    (void)db.Read([&](soci::session& s) {
      auto count = [&](const std::string& sql) {
        long long v = 0;
        soci::rowset<soci::row> rows = s.prepare << sql;
        for (const auto& r : rows) v = storage::RowInt64(r, 0);
        return v;
      };
      EXPECT_EQ(count("SELECT COUNT(*) FROM vaccination_files"), n.files);
      EXPECT_EQ(count("SELECT COUNT(*) FROM vaccination_records"), n.records);
      EXPECT_EQ(count("SELECT COUNT(*) FROM vaccination_record_versions WHERE version = 1 AND "
                      "change = 'created'"),
                n.records);
      EXPECT_EQ(count("SELECT COUNT(*) FROM appointments"), n.appointments);
      EXPECT_EQ(count("SELECT COUNT(*) FROM appointments WHERE status = 'booked'"), n.booked);
      EXPECT_EQ(count("SELECT COUNT(*) FROM clinic_sessions"), n.sessions);
      EXPECT_GT(n.sessions, 0);
      // Only the clinics with children of their own hold sessions.
      EXPECT_EQ(count("SELECT COUNT(*) FROM clinic_sessions WHERE clinic_code NOT IN (SELECT "
                      "issuing_clinic_code FROM vaccination_files)"),
                0);
      EXPECT_EQ(count("SELECT COUNT(*) FROM vaccination_records WHERE source = 'transcribed'"),
                n.transcribed);
      // The triggers of migration 0005 saw every certificate and dose.
      EXPECT_EQ(count("SELECT COUNT(*) FROM change_events WHERE entity = 'vaccination_record'"),
                n.records);
      EXPECT_EQ(count("SELECT COUNT(*) FROM change_events WHERE entity = 'vaccination_file'"),
                n.files);
      const auth::Scope city = auth::ScopeOf(auth::AuthService::SystemPrincipal("test"));
      auto records = ImmunizationStore::ListRecords(s, city, child_id);
      EXPECT_EQ(records.size(), child_records);
      for (const auto& r : records) {
        EXPECT_EQ(ImmunizationStore::ListVersions(s, city, r.id).size(), 1u);
      }
      EXPECT_TRUE(ImmunizationStore::GetFile(s, city, child_id).has_value());
      return Status::Ok();
    });
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace jd::immunization
