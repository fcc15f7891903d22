#include "family_planning/demo_fp.h"

#include <algorithm>
#include <map>
#include <vector>

#include "core/ids.h"
#include "family_planning/store.h"

namespace jd::family_planning {

namespace {

// splitmix64: a stable stream of numbers from the seed.
struct Stream {
  std::uint64_t state;
  std::uint64_t Next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
};

struct Point {
  std::string id, org_path, kind;
};

struct Woman {
  std::string id, path;
  Date birth{};
  bool married = false;
};

}  // namespace

Result<DemoFpCounts> DemoFamilyPlanning(storage::Database& db, const DemoFpOptions& o) {
  DemoFpCounts n;
  const Date jan1{o.as_of.year(), std::chrono::January, std::chrono::day{1}};
  const int days_this_year = DaysBetween(jan1, o.as_of);
  Status st = db.Write([&](soci::session& s) -> Status {
    std::vector<Point> points;
    {
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT id, org_path, kind FROM service_points WHERE free_contraceptives "
                        "= 1 AND active = 1 ORDER BY id");
      for (const auto& r : rows) {
        points.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2)});
      }
    }
    std::vector<Woman> women;
    {
      const std::string from = FormatDate(AddDays(AddYears(o.as_of, -50), 1));
      const std::string to = FormatDate(AddYears(o.as_of, -15));
      soci::rowset<soci::row> rows =
          (s.prepare << "SELECT id, residence_path, birth_date, marital_status FROM persons WHERE "
                        "status = 'active' AND sex = 'F' AND birth_date >= :f AND birth_date <= "
                        ":t ORDER BY id",
           soci::use(from), soci::use(to));
      for (const auto& r : rows) {
        women.push_back({r.get<std::string>(0), r.get<std::string>(1),
                         ParseDate(r.get<std::string>(2)).value_or(Date{}),
                         r.get<std::string>(3) == "married"});
      }
    }
    // The dispensing point of a residence: the one with the longest org path covering it.
    auto point_of = [&](const std::string& path) -> const Point* {
      const Point* best = nullptr;
      for (const auto& p : points) {
        if (path.starts_with(p.org_path) && (!best || best->org_path.size() < p.org_path.size())) {
          best = &p;
        }
      }
      return best;
    };
    Stream rng{o.seed * 7919 + 27};
    auto entry = [&](RecordKind kind, const Woman& w, Date on) {
      Entry e;
      e.kind = kind;
      e.id = NewId();
      e.person_id = w.id;
      e.on = on;
      e.recorded_at = o.created_at;
      e.recorded_by = o.created_by;
      e.org_path = w.path;
      return e;
    };
    // A day in the last `days` days, not before the woman's 18th birthday.
    auto day_back = [&](const Woman& w, int days) {
      Date d = AddDays(o.as_of, -rng.Below(std::max(days, 1)));
      const Date adult = AddYears(w.birth, 18);
      return d < adult ? std::min(adult, o.as_of) : d;
    };
    for (const Woman& w : women) {
      ++n.women;
      const Point* point = point_of(w.path);
      // About 60% use a method.
      if (rng.Chance(60)) {
        static constexpr const char* kMethods[] = {
            "iud",       "iud",       "iud",     "condom",
            "condom",    "oral_pill", "implant", "female_sterilisation",
            "oral_pill", "injection"};
        const std::string method = kMethods[rng.Below(10)];
        const Date started = day_back(w, 365 * 6);
        Entry m = entry(RecordKind::kMethod, w, started);
        m.code = method;
        FpStore::Insert(s, m);
        ++n.methods;
        const char* procedure = method == "iud"                    ? "iud_insertion"
                                : method == "implant"              ? "implant_insertion"
                                : method == "female_sterilisation" ? "tubal_ligation"
                                                                   : nullptr;
        if (procedure) {
          Entry p = entry(RecordKind::kProcedure, w, started);
          p.code = procedure;
          if (point) p.point_id = point->id;
          FpStore::Insert(s, p);
          ++n.procedures;
          if (method == "iud" && rng.Chance(70)) {
            Entry c = entry(RecordKind::kCheck, w, day_back(w, 300));
            c.code = "pregnancy_iud";
            c.result = "iud_in_place";
            FpStore::Insert(s, c);
            ++n.checks;
          }
        }
        if ((method == "condom" || method == "oral_pill") && point) {
          // One to three hand-outs this year, within the caps (120 condoms, 13 packs).
          const int times = 1 + rng.Below(3);
          const bool last_year = rng.Chance(50);
          for (int i = 0; i < times; ++i) {
            // Half of them were last served last year: the year's coverage falls short.
            const Date start = last_year ? AddYears(jan1, -1) : jan1;
            Entry d = entry(RecordKind::kDistribution, w,
                            AddDays(start, rng.Below(std::max(days_this_year, 1))));
            d.code = method;
            d.quantity = method == "condom" ? 10 + 10 * rng.Below(3) : 1 + rng.Below(3);
            d.point_id = point->id;
            FpStore::Insert(s, d);
            ++n.distributions;
          }
        }
      }
      if (rng.Chance(20)) {
        Entry c = entry(RecordKind::kCheck, w, day_back(w, 365));
        c.code = "reproductive_health";
        c.result = rng.Chance(90) ? "normal" : "abnormal";
        FpStore::Insert(s, c);
        ++n.checks;
      }
      // About 80% guided this year.
      if (rng.Chance(80)) {
        static constexpr const char* kTopics[] = {"避孕方法知情选择", "优生优育", "生殖健康",
                                                  "产后避孕"};
        Entry g =
            entry(RecordKind::kGuidance, w, AddDays(jan1, rng.Below(std::max(days_this_year, 1))));
        g.code = kTopics[rng.Below(4)];
        FpStore::Insert(s, g);
        ++n.guidance;
      }
      const int age = AgeInYears(w.birth, o.as_of);
      if (w.married && age >= 40 && rng.Chance(25)) {
        RewardFactsRow f;
        f.person_id = w.id;
        f.year = static_cast<int>(o.as_of.year());
        f.floating = true;
        f.practises_family_planning = true;
        f.hardship = rng.Chance(40);
        f.only_child_certificate = rng.Chance(50);
        f.children_born = 1 + rng.Below(2);
        f.living_children = f.children_born - (rng.Chance(10) ? 1 : 0);
        f.woman_age = age;
        f.recorded_at = o.created_at;
        f.recorded_by = o.created_by;
        f.org_path = w.path;
        FpStore::PutRewardFacts(s, f);
        ++n.reward_facts;
      }
    }
    // A few anonymous hand-outs at every self-service machine this year.
    for (const auto& p : points) {
      if (p.kind != "distribution_machine") continue;
      const int times = 2 + rng.Below(4);
      for (int i = 0; i < times; ++i) {
        Entry d;
        d.kind = RecordKind::kDistribution;
        d.id = NewId();
        d.point_id = p.id;
        d.code = rng.Chance(80) ? "condom" : "emergency_pill";
        d.quantity = d.code == "condom" ? 5 + rng.Below(6) : 1;
        d.on = AddDays(jan1, rng.Below(std::max(days_this_year, 1)));
        d.recorded_at = o.created_at;
        d.recorded_by = o.created_by;
        d.org_path = p.org_path;
        FpStore::Insert(s, d);
        ++n.anonymous;
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

}  // namespace jd::family_planning
