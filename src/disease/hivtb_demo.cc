#include "disease/hivtb_demo.h"

#include <algorithm>
#include <set>
#include <vector>

#include "core/ids.h"
#include "core/stable_hash.h"
#include "disease/hivtb_store.h"

namespace jd::disease {

namespace {

struct Adult {
  std::uint64_t rank = 0;
  std::string person_id;
  std::string clinic;
};

// One visit of a demo course on `on`: `doses` prescribed, one of them missed now and then.
TbVisitRow DemoVisit(const TbCourse& c, Date on, int doses, std::uint64_t h,
                     const DemoHivTbOptions& o) {
  TbVisitRow v;
  v.id = NewId();
  v.course_id = c.id;
  v.visit.date = on;
  v.visit.doses_missed = (h % 5 == 0) ? 1 : 0;
  v.visit.doses_taken = doses - v.visit.doses_missed;
  v.recorded_at = o.created_at;
  v.recorded_by = o.created_by;
  return v;
}

}  // namespace

Result<DemoHivTbCounts> DemoHivTb(storage::Database& db, const DemoHivTbOptions& options) {
  DemoHivTbCounts counts;
  std::vector<Adult> adults;
  const std::string oldest = FormatDate(AddYears(options.as_of, -66));
  const std::string youngest = FormatDate(AddYears(options.as_of, -18));
  JD_RETURN_IF_ERROR(db.Read([&](soci::session& s) -> Status {
    std::set<std::string> orgs;
    soci::rowset<soci::row> units = (s.prepare << "SELECT code FROM org_units");
    for (const auto& r : units) orgs.insert(r.get<std::string>(0));
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, id_type, id_number, residence_org FROM persons WHERE status = "
                      "'active' AND birth_date > :oldest AND birth_date <= :youngest",
         soci::use(oldest), soci::use(youngest));
    for (const auto& r : rows) {
      Adult a;
      a.person_id = r.get<std::string>(0);
      a.rank =
          SplitMix64(options.seed ^ Fnv1a64(r.get<std::string>(1) + ":" + r.get<std::string>(2)));
      const std::string residence = r.get<std::string>(3);
      // The street's health centre, as for the demo's pregnancies.
      a.clinic = residence.size() == 12 && orgs.count(residence.substr(0, 9))
                     ? residence.substr(0, 9)
                     : residence;
      adults.push_back(std::move(a));
    }
    return Status::Ok();
  }));
  std::sort(adults.begin(), adults.end(), [](const Adult& a, const Adult& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.person_id < b.person_id;
  });
  const std::size_t n = adults.size();
  const std::size_t tb = std::min(n, std::max<std::size_t>(4, n / 300));
  const std::size_t hiv = std::min(n - tb, std::max<std::size_t>(3, n / 800));
  const Date today = options.as_of;
  JD_RETURN_IF_ERROR(db.Write([&](soci::session& s) -> Status {
    for (std::size_t i = 0; i < tb; ++i) {
      const Adult& a = adults[i];
      TbCourse c;
      c.id = NewId();
      c.person_id = a.person_id;
      c.regimen = TbRegimen::kNew6m;
      c.treating_unit = a.clinic;
      c.created_at = c.updated_at = options.created_at;
      c.created_by = c.updated_by = options.created_by;
      std::vector<Date> visits;
      switch (i % 4) {
        case 0:  // visited once, the next 10-day visit missed: overdue
          c.notified_on = AddDays(today, -20);
          c.started_on = AddDays(today, -22);
          visits = {AddDays(today, -18)};
          break;
        case 1:  // intensive phase, on schedule
          c.notified_on = AddDays(today, -40);
          c.started_on = AddDays(today, -41);
          for (int d : {-38, -28, -18, -8}) visits.push_back(AddDays(today, d));
          break;
        case 2:  // continuation phase, monthly
          c.notified_on = AddDays(today, -100);
          c.started_on = AddDays(today, -101);
          for (int d = -99; d < -60; d += 10) visits.push_back(AddDays(today, d));
          visits.push_back(AddMonths(AddDays(today, -10), -1));
          visits.push_back(AddDays(today, -10));
          break;
        default:  // completed
          c.notified_on = AddDays(today, -200);
          c.started_on = AddDays(today, -200);
          for (int d = -198; d < -20; d += 30) visits.push_back(AddDays(today, d));
          c.outcome = TbOutcome::kCompleted;
          c.outcome_on = AddDays(AddMonths(c.started_on, 6), -1);
          break;
      }
      HivTbStore::InsertCourse(s, c);
      std::vector<TbVisit> facts;
      for (std::size_t k = 0; k < visits.size(); ++k) {
        TbVisitRow v = DemoVisit(c, visits[k], k == 0 ? 3 : 10, a.rank >> (k + 1), options);
        HivTbStore::InsertVisit(s, v);
        facts.push_back(v.visit);
        ++counts.tb_visits;
      }
      if (c.outcome) HivTbStore::SetOutcome(s, c);
      auto plan = PlanTbCourse({.regimen = c.regimen,
                                .notified_on = c.notified_on,
                                .started_on = c.started_on,
                                .visits = facts,
                                .outcome = c.outcome,
                                .outcome_on = c.outcome_on,
                                .as_of = today});
      if (plan.ok() && plan->overdue) ++counts.tb_overdue;
      ++counts.tb_courses;
    }
    for (std::size_t i = 0; i < hiv; ++i) {
      const Adult& a = adults[tb + i];
      HivCare c;
      c.id = NewId();
      c.person_id = a.person_id;
      c.treating_unit = a.clinic;
      c.created_at = c.updated_at = options.created_at;
      c.created_by = c.updated_by = options.created_by;
      std::vector<HivFollowUp> follow_ups;
      auto follow = [&](Date on, bool labs) {
        HivFollowUp f;
        f.id = NewId();
        f.care_id = c.id;
        f.followed_on = on;
        if (labs) {
          f.cd4 = 250 + static_cast<int>(a.rank % 400);
          f.viral_load = (a.rank % 7 == 0) ? 1200 : 20;
        }
        f.doses_taken = 88;
        f.doses_missed = static_cast<int>(a.rank % 4);
        f.recorded_at = options.created_at;
        f.recorded_by = options.created_by;
        follow_ups.push_back(std::move(f));
      };
      switch (i % 3) {
        case 0:  // on ART for about 13 months, tests at 6 and 12 months
          c.diagnosed_on = AddDays(today, -410);
          c.art_started_on = AddDays(today, -400);
          c.regimen = "TDF+3TC+EFV";
          c.status = HivCareStatus::kOnArt;
          for (int m = 1; m <= 12; m += (m < 3 ? 1 : 3)) {
            follow(AddMonths(*c.art_started_on, m), m == 6 || m == 12);
          }
          break;
        case 1:  // ART started 20 days ago
          c.diagnosed_on = AddDays(today, -27);
          c.art_started_on = AddDays(today, -20);
          c.regimen = "TDF+3TC+DTG";
          c.status = HivCareStatus::kOnArt;
          break;
        default:  // diagnosed, ART not started yet
          c.diagnosed_on = AddDays(today, -10);
          c.status = HivCareStatus::kNotStarted;
          break;
      }
      HivTbStore::InsertCare(s, c);
      for (const auto& f : follow_ups) {
        HivTbStore::InsertFollowUp(s, f);
        ++counts.hiv_follow_ups;
      }
      ++counts.hiv_records;
    }
    return Status::Ok();
  }));
  return counts;
}

}  // namespace jd::disease
