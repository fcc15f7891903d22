// The live view on a small city whose figures are worked out by hand below, on a real SQLite file.
#include "kpi/live_view.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "kpi/test_city.h"

namespace jd::kpi {
namespace {

class LiveViewTest : public TestCity {
 protected:
  std::map<std::string, IndicatorValue> Values(const LiveView& view, const std::string& org,
                                               const std::string& period, Breakdown b = {}) {
    std::vector<const Indicator*> all;
    for (const auto& ind : Catalogue::Default().indicators()) all.push_back(&ind);
    std::map<std::string, IndicatorValue> out;
    for (auto& v : view.Compute(all, {org}, *ParsePeriod(period), b)) out[v.code] = v;
    return out;
  }
  std::unique_ptr<LiveView> Load() {
    auto view =
        LiveView::Load(*db_, Catalogue::Default(), immunization::Schedule::Default(), kToday);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    return view.ok() ? std::move(*view) : nullptr;
  }
  // A health record (居民健康档案) of `person`, established on `on`, electronic or on paper.
  void Record(const std::string& person, const std::string& on, int electronic) {
    Exec(
        "INSERT INTO health_records (person_id, record_no, established_on, clinic_code, "
        "electronic, created_at, created_by, updated_at, updated_by) VALUES ('" +
        person + "', 'R-" + person + "', '" + on + "', '450103001', " + std::to_string(electronic) +
        ", 'x', 'x', 'x', 'x')");
  }
  // Numerator and denominator of `code`.
  static std::pair<double, double> Nd(std::map<std::string, IndicatorValue>& v,
                                      const std::string& code) {
    return {v[code].numerator, v[code].denominator};
  }
  // Every figure of `view` equals a fresh load's, for these units and periods.
  void ExpectEqualToAFreshLoad(const LiveView& view, const std::vector<std::string>& orgs,
                               const std::vector<std::string>& periods) {
    auto fresh = Load();
    ASSERT_TRUE(fresh);
    for (const std::string& org : orgs) {
      for (const std::string& period : periods) {
        auto a = Values(view, org, period);
        auto b = Values(*fresh, org, period);
        for (const auto& [code, x] : a) {
          EXPECT_EQ(x.numerator, b[code].numerator) << org << " " << period << " " << code;
          EXPECT_EQ(x.denominator, b[code].denominator) << org << " " << period << " " << code;
        }
      }
    }
  }
};

TEST_F(LiveViewTest, HandComputedFiguresOfTheCurrentMonth) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["REG_REGISTERED"].value, 4);   // P1–P4; P5 moved out in May
  EXPECT_EQ(v["REG_FLOATING"].value, 3);     // not P2
  EXPECT_EQ(v["REG_HR_ENTITLED"].value, 2);  // P1 and P3; P4 only from 2027-04-01
  EXPECT_EQ(v["REG_HR_RATE"].denominator, 2);
  EXPECT_EQ(v["REG_HR_RATE"].numerator, 0);      // no health records table yet
  EXPECT_EQ(v["KEY_EHR_CHILD"].denominator, 1);  // P3
  EXPECT_EQ(v["KEY_EHR_CHILD"].target, 0.80);
  EXPECT_EQ(v["KEY_EHR_CHILD"].met, false);
  EXPECT_EQ(v["IMM_FILE_RATE"].numerator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].denominator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].value, 1.0);
  // HepB1: P3 given at birth (timely: by birth + 1 day); P4 past its day without it.
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_1"].denominator, 2);
  EXPECT_EQ(v["IMM_TIMELY_HepB_1"].numerator, 1);
  // HepB3: only P3 is past its completion age (12 months, 2026-03-15), and has not had it.
  EXPECT_EQ(v["IMM_COV_HepB_3"].denominator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_3"].numerator, 0);
  EXPECT_EQ(v["IMM_COV_HepB_3"].met, false);
  // BCG given on day 1, before its completion age of 3 months.
  EXPECT_EQ(v["IMM_COV_BCG_1"].numerator, 1);
  EXPECT_EQ(v["IMM_TIMELY_BCG_1"].numerator, 1);
  EXPECT_EQ(v["DOC_PENDING"].value, 1);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 3);
  // An inactive indicator is listed without a value (every shipped one is active).
  Indicator off = *Catalogue::Default().Find("FP_GUIDANCE");
  off.active = false;
  auto listed = view->Compute({&off}, {"450100"}, *ParsePeriod("2026-11"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].value.has_value());
  EXPECT_EQ(listed[0].target, 0.95);

  // The district without anyone: zeros and no rates.
  auto empty = Values(*view, "450107", "2026-11");
  EXPECT_EQ(empty["REG_REGISTERED"].value, 0);
  EXPECT_FALSE(empty["IMM_FILE_RATE"].value.has_value());
  // A street sums its communities and itself.
  auto street = Values(*view, "450103001", "2026-11");
  EXPECT_EQ(street["REG_REGISTERED"].value, 4);
  auto community = Values(*view, "450103001001", "2026-11");
  EXPECT_EQ(community["REG_REGISTERED"].value, 2);
}

TEST_F(LiveViewTest, PastPeriodsAndBreakdowns) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto april = Values(*view, "450100", "2026-04");
  EXPECT_EQ(april["REG_REGISTERED"].value, 4);   // P1, P2, P3, P5 (P4 not born)
  EXPECT_EQ(april["REG_FLOATING"].value, 3);     // P1 (from 02-09), P3, P5
  EXPECT_EQ(april["REG_HR_ENTITLED"].value, 2);  // P3 (from 2025-12-01), P5; P1 from 07-10
  EXPECT_EQ(april["DOC_PENDING"].value, 0);
  EXPECT_FALSE(april["DOC_REVIEW_DAYS"].value.has_value());

  auto girls = Values(*view, "450100", "2026-11", {.sex = "F"});
  EXPECT_EQ(girls["REG_REGISTERED"].value, 2);  // P2, P3
  auto hunan = Values(*view, "450100", "2026-11", {.hukou_province = "43"});
  EXPECT_EQ(hunan["REG_REGISTERED"].value, 3);
  auto young = Values(*view, "450100", "2026-11", {.age_group = "0-6"});
  EXPECT_EQ(young["REG_REGISTERED"].value, 2);
  Breakdown c2025;
  c2025.cohort = 2025;
  auto cohort = Values(*view, "450100", "2026-11", c2025);
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].denominator, 1);  // P3 only
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].value, 1.0);
}

TEST_F(LiveViewTest, CommittedWritesShowAfterRefreshAndEqualAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  Dose("p4", "HepB", "2026-10-01");
  Exec(
      "UPDATE documents SET status = 'approved', reviewed_at = '2026-11-21T01:00:00.000Z' WHERE "
      "id = 'd2'");
  Person("p6", "F", "1995-01-01", "430528", "450107001", "", "2026-09-01", "work");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3u);  // p4, p2 (its document) and p6
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 2);
  EXPECT_EQ(v["DOC_PENDING"].value, 0);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 2);  // (3 + 1) / 2
  EXPECT_EQ(v["REG_REGISTERED"].value, 5);

  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450107", "450103001001"}, {"2026-11"});
  // Nothing new: nothing reloaded.
  auto again = view->Refresh(*db_, kToday);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

// Pregnancies (maternal/, migration 0010) of migrant women, worked out by hand against the schedule
// of maternal/antenatal.h. Weeks are completed weeks since the LMP ("15+0" = 105 days).
class MaternalViewTest : public LiveViewTest {
 protected:
  void SetUp() override {
    LiveViewTest::SetUp();
    // Migrant women from Hunan here since 2025-01-01 (floating from 2025-01-31, entitled to a
    // health record from 2025-07-01), except W7 (here from 2026-07-15: floating from 2026-08-14,
    // no health record entitlement before 2027-01-15) and W8 (户籍 in Nanning: never floating).
    for (const char* w : {"w1", "w2", "w3", "w4", "w5", "w9", "w10"}) Woman(w, "450103001001");
    Woman("w6", "450107001");
    Person("w7", "F", "1994-04-04", "430528", "450103001", "2026-07-14", "2026-07-15", "work");
    Person("w8", "F", "1994-04-04", "450122", "450103001", "", "2025-01-01", "work");
    // Health records: W1 electronic since 2026-01-01, W5 since 2026-09-01, W9 since 2026-11-01;
    // W3 on paper.
    Record("w1", "2026-01-01", 1);
    Record("w3", "2026-01-01", 0);
    Record("w5", "2026-09-01", 1);
    Record("w9", "2026-11-01", 1);

    // G1 (W1): registered 2026-03-10 at 7+0 (early) with the first check that day; checks at
    // 17+1, 21+4, 30+2 and 37+4: 5 visits. Delivered 2026-11-03, discharged 11-05, home visit
    // 11-10 (in its week).
    Pregnancy("g1", "w1", "2026-01-20", "2026-03-10", "yellow");
    Visits("g1", "antenatal",
           {"2026-03-10", "2026-05-20", "2026-06-20", "2026-08-20", "2026-10-10"});
    Deliver("g1", "2026-11-03", "2026-11-05");
    Visits("g1", "postpartum_home", {"2026-11-10"});
    // G2 (W2): registered at 15+0 (late) with its first check, then 19+6 and 28+4: 3 visits.
    // Delivered 11-10, discharged 11-12; home visit 11-21, late but within 28 days.
    Pregnancy("g2", "w2", "2026-02-01", "2026-05-17", "green");
    Visits("g2", "antenatal", {"2026-05-17", "2026-06-20", "2026-08-20"});
    Deliver("g2", "2026-11-10", "2026-11-12");
    Visits("g2", "postpartum_home", {"2026-11-21"});
    // G3 (W3): registered at 10+0 (early) but first checked at 17+1; 4 visits. Delivered 11-15
    // (no discharge day: the delivery's), no home visit yet.
    Pregnancy("g3", "w3", "2026-02-10", "2026-04-21", "green");
    Visits("g3", "antenatal", {"2026-06-10", "2026-07-15", "2026-09-01", "2026-10-30"});
    Deliver("g3", "2026-11-15", "");
    // G4 (W4): registered 2026-10-27 at 8+0, miscarriage on 11-05 (closed that day).
    Pregnancy("g4", "w4", "2026-09-01", "2026-10-27", "green");
    Exec(
        "UPDATE pregnancies SET ended_on = '2026-11-05', closed_on = '2026-11-05' WHERE id = 'g4'");
    // G5 (W5): orange from the registration on 2026-07-01; checks at 4+2 and 17+3. On 11-22 she
    // is at 24+6, the last day of the third check's window: nothing overdue.
    Pregnancy("g5", "w5", "2026-06-01", "2026-07-01", "orange");
    Visits("g5", "antenatal", {"2026-07-01", "2026-10-01"});
    // G6 (W6, district 450107): red from 2026-06-10; checks at 3+5 and 16+6. The third check's
    // window is 10-09 – 11-05: due on 10-31, overdue on 11-22 (until 11-26).
    Pregnancy("g6", "w6", "2026-05-15", "2026-06-10", "red");
    Visits("g6", "antenatal", {"2026-06-10", "2026-09-10"});
    // G7 (W7): green at the registration on 2026-08-01 (first check that day), orange from
    // 2026-11-10; the second check is due 10-21 – 11-24.
    Pregnancy("g7", "w7", "2026-07-01", "2026-08-01", "green");
    Visits("g7", "antenatal", {"2026-08-01"});
    Assess("g7", "2026-11-10", "orange");
    // G8 (W8, not a migrant): delivered 11-12, early, checked: counted nowhere.
    Pregnancy("g8", "w8", "2026-02-01", "2026-03-01", "green");
    Visits("g8", "antenatal", {"2026-03-01"});
    Deliver("g8", "2026-11-12", "2026-11-12");
    // G9 (W9): early (5+3) with the first check; 5 visits; delivered 2026-10-05, discharged
    // 10-07; home visit 11-03 (27 days after the discharge, recorded after October); the 42-day
    // check on 11-16 closes it.
    Pregnancy("g9", "w9", "2025-12-25", "2026-02-01", "green");
    Visits("g9", "antenatal",
           {"2026-02-01", "2026-04-20", "2026-05-25", "2026-07-20", "2026-09-10"});
    Deliver("g9", "2026-10-05", "2026-10-07");
    Visits("g9", "postpartum_home", {"2026-11-03"});
    Visits("g9", "postpartum_42d", {"2026-11-16"});
    Exec("UPDATE pregnancies SET closed_on = '2026-11-16' WHERE id = 'g9'");
    // G10 (W10): registered at 14+1 with its first check (late); 5 visits; delivered 2026-10-01;
    // home visit 10-30, 29 days after: too late to count.
    Pregnancy("g10", "w10", "2026-01-01", "2026-04-10", "green");
    Visits("g10", "antenatal",
           {"2026-04-10", "2026-04-25", "2026-06-01", "2026-07-20", "2026-09-20"});
    Deliver("g10", "2026-10-01", "");
    Visits("g10", "postpartum_home", {"2026-10-30"});
  }

  void Woman(const std::string& id, const std::string& org) {
    Person(id, "F", "1995-03-01", "430528", org, "2024-12-31", "2025-01-01", "work");
  }
  // A pregnancy dated by its LMP, with the risk assessment made at the registration.
  void Pregnancy(const std::string& id, const std::string& person, const std::string& lmp,
                 const std::string& registered, const std::string& colour) {
    Exec(
        "INSERT INTO pregnancies (id, person_id, clinic_code, lmp, edd, dating_method, "
        "registered_on, gravidity, parity, risk_colour, created_at, created_by, updated_at, "
        "updated_by) VALUES ('" +
        id + "', '" + person + "', '450103001', '" + lmp + "', date('" + lmp +
        "', '+280 days'), 'lmp', '" + registered + "', 1, 0, '" + colour +
        "', 'x', 'x', 'x', 'x')");
    Assess(id, registered, colour);
  }
  void Assess(const std::string& pregnancy, const std::string& on, const std::string& colour) {
    Exec(
        "INSERT INTO risk_assessments (id, pregnancy_id, assessed_on, colour, colour_set, "
        "recorded_at, recorded_by) VALUES ('" +
        NewId() + "', '" + pregnancy + "', '" + on + "', '" + colour + "', 'national', '" + on +
        "T00:00:00.000Z', 'x')");
  }
  void Visits(const std::string& pregnancy, const std::string& kind,
              const std::vector<std::string>& dates) {
    for (const auto& d : dates) {
      Exec(
          "INSERT INTO pregnancy_visits (id, pregnancy_id, kind, visit_date, clinic_code, "
          "recorded_at, recorded_by) VALUES ('" +
          NewId() + "', '" + pregnancy + "', '" + kind + "', '" + d + "', '450103001', 'x', 'x')");
    }
  }
  void Deliver(const std::string& pregnancy, const std::string& on, const std::string& discharged) {
    Exec("UPDATE pregnancies SET delivered_on = '" + on +
         "', discharged_on = " + (discharged.empty() ? "NULL" : "'" + discharged + "'") +
         ", live_births = 1 WHERE id = '" + pregnancy + "'");
  }
};

using Fraction = std::pair<double, double>;

TEST_F(MaternalViewTest, DeliveriesOfThePeriodAndTheirCare) {
  auto view = Load();
  ASSERT_TRUE(view);
  // November (to 11-22): G1, G2, G3 delivered (G8's mother is not a migrant).
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "MAT_EARLY_REG"), Fraction(2, 3));  // G1 (7+0), G3 (10+0)
  EXPECT_EQ(Nd(nov, "MAT_MGMT"), Fraction(1, 3));       // G1: G3 was first checked at 17+1
  EXPECT_EQ(Nd(nov, "MAT_ANC5"), Fraction(1, 3));       // G1 (5); G2 3, G3 4
  EXPECT_EQ(Nd(nov, "MAT_PNC_VISIT"), Fraction(2, 3));  // G1, G2 (late but within 28 days)
  EXPECT_NEAR(*nov["MAT_EARLY_REG"].value, 2.0 / 3, 1e-12);
  // October: G9 and G10. G9's home visit was recorded in November, 27 days after the discharge;
  // G10's came 29 days after.
  auto oct = Values(*view, "450100", "2026-10");
  EXPECT_EQ(Nd(oct, "MAT_EARLY_REG"), Fraction(1, 2));
  EXPECT_EQ(Nd(oct, "MAT_MGMT"), Fraction(1, 2));
  EXPECT_EQ(Nd(oct, "MAT_ANC5"), Fraction(2, 2));
  EXPECT_EQ(Nd(oct, "MAT_PNC_VISIT"), Fraction(1, 2));
  // The year so far: both months.
  auto year = Values(*view, "450100", "2026");
  EXPECT_EQ(Nd(year, "MAT_EARLY_REG"), Fraction(3, 5));
  // The district without deliveries: no rate.
  auto district = Values(*view, "450107", "2026-11");
  EXPECT_FALSE(district["MAT_EARLY_REG"].value.has_value());
}

TEST_F(MaternalViewTest, PregnantWomenInCareAndHighRisk) {
  auto view = Load();
  ASSERT_TRUE(view);
  // On 11-22, in care and entitled to a health record: W1, W2, W3 (delivered within 42 days),
  // W5, W6; not W4 (ended), W9 and W10 (past 42 days), W7 (not entitled), W8 (not a migrant).
  // With an electronic record: W1, W5 (W3's is on paper).
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "KEY_EHR_PREGNANT"), Fraction(2, 5));
  EXPECT_EQ(nov["KEY_EHR_PREGNANT"].target, 0.80);
  EXPECT_EQ(nov["KEY_EHR_PREGNANT"].met, false);
  // On 10-31: W1–W6, W9, W10; W9's electronic record came on 11-01.
  auto oct = Values(*view, "450100", "2026-10");
  EXPECT_EQ(Nd(oct, "KEY_EHR_PREGNANT"), Fraction(2, 8));
  // High risk on 11-22: G5 (orange), G6 (red, third check overdue), G7 (orange from 11-10).
  EXPECT_EQ(Nd(nov, "MAT_HIGH_RISK_MGMT"), Fraction(2, 3));
  // On 10-31 G7 was green and G6's third check was still due.
  EXPECT_EQ(Nd(oct, "MAT_HIGH_RISK_MGMT"), Fraction(2, 2));
  // Where the women live: W6 in 450107.
  auto district = Values(*view, "450107", "2026-11");
  EXPECT_EQ(Nd(district, "MAT_HIGH_RISK_MGMT"), Fraction(0, 1));
  EXPECT_EQ(Nd(district, "KEY_EHR_PREGNANT"), Fraction(0, 1));
  auto community = Values(*view, "450103001001", "2026-11");
  EXPECT_EQ(Nd(community, "MAT_HIGH_RISK_MGMT"), Fraction(1, 1));  // G5; G7 lives in the street
  // Breakdowns: by 户籍 province (W8's Guangxi pregnancy is not a migrant's anyway).
  auto guangxi = Values(*view, "450100", "2026-11", {.hukou_province = "45"});
  EXPECT_EQ(Nd(guangxi, "MAT_EARLY_REG"), Fraction(0, 0));
  auto adults = Values(*view, "450100", "2026-11", {.age_group = "18-59"});
  EXPECT_EQ(Nd(adults, "MAT_PNC_VISIT"), Fraction(2, 3));
}

TEST_F(MaternalViewTest, AVisitRecordedLaterShowsAfterRefreshAndEqualsAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  // G6's third check on 11-20 (27+0, in its overdue period), written as the service writes it:
  // the visit and the pregnancy's update (whose trigger leaves the change event).
  Visits("g6", "antenatal", {"2026-11-20"});
  Exec("UPDATE pregnancies SET antenatal_visits = 3, version = 2 WHERE id = 'g6'");
  // G3's home visit on 11-22; a new pregnancy of W4, registered early today.
  Visits("g3", "postpartum_home", {"2026-11-22"});
  Exec("UPDATE pregnancies SET version = 2 WHERE id = 'g3'");
  Pregnancy("g11", "w4", "2026-10-10", "2026-11-22", "red");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3u);  // W6, W3 and W4
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(v, "MAT_HIGH_RISK_MGMT"), Fraction(4, 4));  // G11 has nothing overdue yet
  EXPECT_EQ(Nd(v, "MAT_PNC_VISIT"), Fraction(3, 3));
  EXPECT_EQ(Nd(v, "KEY_EHR_PREGNANT"), Fraction(2, 6));  // W4 again

  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450107", "450103001001"},
                          {"2026-11", "2026-10"});
}

// Child health 0–6 (child/, migration 0011), worked out by hand against the schedule of
// child/checkups.h. P3 is the girl born 2025-03-15 (floating from 2025-07-01), P4 the boy born
// 2026-10-01 (floating from 10-31); P6, a girl born 2026-09-01 here (floating from 10-01), and P7,
// a boy born 2026-11-02 (floating only from 12-02), are added.
class ChildViewTest : public LiveViewTest {
 protected:
  void SetUp() override {
    LiveViewTest::SetUp();
    Person("p6", "F", "2026-09-01", "430528", "450103001001", "", "2026-09-01", "family");
    Person("p7", "M", "2026-11-02", "430528", "450103001", "", "2026-11-02", "family");
    // P3: the 12-month check-up on 2026-03-20 (Hb 100 g/L: anaemic), the 18-month one on 11-10
    // (its window 09-15 – 11-14) at 9.5 kg and 72.0 cm (stunted), and a haemoglobin test alone on
    // 11-20 (118 g/L), an extra contact.
    Checkup("p3", "m12", "2026-03-20", "8.9", "74.0", "100", "");
    Checkup("p3", "m18", "2026-11-10", "9.5", "72.0", "105", "");
    Checkup("p3", "", "2026-11-20", "", "", "118", "");
    // P4: no birth recorded here, so the newborn visit is due from the birth (10-01 – 10-08):
    // made 10-05. The one-month check-up on 11-01 (days 28–35: 10-29 – 11-05) at 6.0 kg and
    // 54.5 cm: overweight for his length.
    Checkup("p4", "newborn_visit", "2026-10-05", "3.4", "50.0", "", "");
    Checkup("p4", "month_1", "2026-11-01", "6.0", "54.5", "", "");
    // P6: discharged 09-03, visited 09-12 (late: the window ended 09-10); no one-month check-up
    // (due by 10-06).
    Checkup("p6", "newborn_visit", "2026-09-12", "3.6", "51.0", "", "2026-09-03");
    // P7: visited on the day of the discharge, but not yet a migrant on 11-22.
    Checkup("p7", "newborn_visit", "2026-11-06", "3.5", "50.0", "", "2026-11-06");
  }
  void Checkup(const std::string& person, const std::string& kind, const std::string& date,
               const std::string& weight, const std::string& length, const std::string& hb,
               const std::string& discharged) {
    auto value = [](const std::string& v) { return v.empty() ? std::string("NULL") : v; };
    auto text = [](const std::string& v) {
      return v.empty() ? std::string("NULL") : "'" + v + "'";
    };
    Exec(
        "INSERT INTO child_checkups (id, person_id, contact_kind, checkup_date, clinic_code, "
        "weight_kg, length_height_cm, haemoglobin_g_l, discharged_on, recorded_at, recorded_by) "
        "VALUES ('" +
        NewId() + "', '" + person + "', " + text(kind) + ", '" + date + "', '450103001', " +
        value(weight) + ", " + value(length) + ", " + value(hb) + ", " + text(discharged) + ", '" +
        date + "T00:00:00.000Z', 'x')");
  }
};

TEST_F(ChildViewTest, NewbornVisitsManagementAndNutrition) {
  using Fraction = std::pair<double, double>;
  auto view = Load();
  ASSERT_TRUE(view);
  // Born in 2026 and migrants on 11-22: P4 (visited in time) and P6 (late); P7 not yet.
  auto year = Values(*view, "450100", "2026");
  EXPECT_EQ(Nd(year, "CH_NEWBORN_VISIT"), Fraction(1, 2));
  EXPECT_FALSE(year["CH_NEWBORN_VISIT"].target.has_value());
  // October: P4 (a migrant from 10-31, the period's last day); P6 was born in September.
  auto oct = Values(*view, "450100", "2026-10");
  EXPECT_EQ(Nd(oct, "CH_NEWBORN_VISIT"), Fraction(1, 1));
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "CH_NEWBORN_VISIT"), Fraction(0, 0));
  EXPECT_FALSE(nov["CH_NEWBORN_VISIT"].value.has_value());
  // Under 7 on 11-22: P3, P4, P6; seen in November: P3 and P4.
  EXPECT_EQ(Nd(nov, "CH_MGMT_0_6"), Fraction(2, 3));
  // Under 3 with a contact whose window ended in November: P3 (m18 by 11-14, done 11-10) and P4
  // (month_1 by 11-05, done 11-01); P6's next (m3) is due by 12-31.
  EXPECT_EQ(Nd(nov, "CH_SYS_MGMT_0_3"), Fraction(2, 2));
  // In October: P4 (newborn visit by 10-08, done) and P6 (month_1 by 10-06, not done).
  EXPECT_EQ(Nd(oct, "CH_SYS_MGMT_0_3"), Fraction(1, 2));
  // November's measurements: P3 on 11-10 (stunted: 72.0 cm at 605 days), P4 on 11-01
  // (overweight for his length); haemoglobin: P3's latest, 118 g/L on 11-20.
  EXPECT_EQ(Nd(nov, "CH_UNDERWEIGHT"), Fraction(0, 2));
  EXPECT_EQ(Nd(nov, "CH_STUNTING"), Fraction(1, 2));
  EXPECT_EQ(Nd(nov, "CH_WASTING"), Fraction(0, 2));
  EXPECT_EQ(Nd(nov, "CH_OVERWEIGHT"), Fraction(1, 2));
  EXPECT_EQ(Nd(nov, "CH_ANAEMIA"), Fraction(0, 1));
  // March: P3's 12-month check-up, 100 g/L at 12 months (WHO 2011: below 110).
  auto march = Values(*view, "450100", "2026-03");
  EXPECT_EQ(Nd(march, "CH_ANAEMIA"), Fraction(1, 1));
  // The year: each child's latest measurement (P6's newborn visit too, P4's one-month check-up).
  EXPECT_EQ(Nd(year, "CH_STUNTING"), Fraction(1, 3));
  EXPECT_EQ(Nd(year, "CH_ANAEMIA"), Fraction(0, 1));
  // Where the children live: P6 in the community, P3 and P4 in the street.
  auto community = Values(*view, "450103001001", "2026-11");
  EXPECT_EQ(Nd(community, "CH_MGMT_0_6"), Fraction(0, 1));
  auto girls = Values(*view, "450100", "2026-11", {.sex = "F"});
  EXPECT_EQ(Nd(girls, "CH_MGMT_0_6"), Fraction(1, 2));
}

TEST_F(ChildViewTest, ACheckupRecordedLaterShowsAfterRefreshAndEqualsAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  // P6's one-month check-up, late (10-20), and a newborn visit of P7 recorded twice.
  Checkup("p6", "month_1", "2026-10-20", "4.0", "53.0", "", "");
  Checkup("p7", "", "2026-11-08", "3.6", "50.5", "", "");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2u);
  auto oct = Values(*view, "450100", "2026-10");
  EXPECT_EQ(oct["CH_SYS_MGMT_0_3"].numerator, 2);
  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450103001001"},
                          {"2026-11", "2026-10", "2026"});
}

// Severe mental disorders (mental/, migration 0022) and pulmonary TB (migration 0023), worked out
// by hand against mental/rules.h StandingOn and disease/tb_course.h CountTbCourse. P1 is floating
// from 2026-02-09 with an electronic health record from 2026-08-01; P2 is never a migrant; P5 was
// here (district 450107) until 2026-05-01; P8, a woman floating from 2025-01-31, lives in the
// street 450103001.
class CareViewTest : public LiveViewTest {
 protected:
  void SetUp() override {
    LiveViewTest::SetUp();
    Person("p8", "F", "1980-01-01", "430528", "450103001", "", "2025-01-01", "work");
    Record("p1", "2026-08-01", 1);
    // M1 (P1): registered 2026-03-01, so 2026 asks for 4 × 306/365 → 3 follow-ups.
    Patient("m1", "p1", "2026-03-01", "active", "2026-03-01T02:00:00.000Z");
    FollowUp("m1", "2026-03-15", "stable", "regular");
    FollowUp("m1", "2026-06-15", "basically_stable", "intermittent");
    FollowUp("m1", "2026-09-10", "stable", "regular");
    // M2 (P2, not a migrant): counted nowhere.
    Patient("m2", "p2", "2026-01-10", "active", "2026-01-10T02:00:00.000Z");
    FollowUp("m2", "2026-02-10", "stable", "regular");
    // M5 (P5, gone on 05-01): registered all year.
    Patient("m5", "p5", "2025-06-01", "active", "2025-06-01T02:00:00.000Z");
    FollowUp("m5", "2026-02-01", "stable", "regular");
    // M8 (P8): registered in 2025, four follow-ups in 2026, closed on 10-01 (Beijing time).
    Patient("m8", "p8", "2025-05-01", "closed", "2026-09-30T17:00:00.000Z");
    FollowUp("m8", "2026-01-05", "unstable", "none");
    FollowUp("m8", "2026-04-01", "stable", "regular");
    FollowUp("m8", "2026-07-01", "stable", "regular");
    FollowUp("m8", "2026-09-20", "stable", "intermittent");

    // T0 (P1): notified 02-20, visited once, lost on 06-01.
    Course("t0", "p1", "2026-02-20", "2026-02-18", "lost", "2026-06-01");
    Visit("t0", "2026-02-22", 3, 0);
    // T8 (P8): notified 05-03, 175 of 184 doses taken (95.1%), completed 11-01.
    Course("t8", "p8", "2026-05-03", "2026-05-01", "completed", "2026-11-01");
    Visit("t8", "2026-05-05", 3, 0);
    Visit("t8", "2026-07-01", 54, 4);
    Visit("t8", "2026-10-30", 118, 5);
    // T1 (P1): notified 11-02, not visited yet. T2 (P2, not a migrant): counted nowhere.
    Course("t1", "p1", "2026-11-02", "2026-11-01", "", "");
    Course("t2", "p2", "2026-11-05", "2026-11-04", "", "");
  }
  void Patient(const std::string& id, const std::string& person, const std::string& registered,
               const std::string& status, const std::string& updated_at) {
    Exec(
        "INSERT INTO mental_patients (id, person_id, diagnosis, diagnosed_on, consent, "
        "managing_unit, registered_on, status, next_due, created_at, created_by, updated_at, "
        "updated_by) VALUES ('" +
        id + "', '" + person + "', 'schizophrenia', '2020-01-01', 'not_yet', '450103001', '" +
        registered + "', '" + status + "', '2026-12-01', 'x', 'x', '" + updated_at + "', 'x')");
  }
  void FollowUp(const std::string& patient, const std::string& on, const std::string& cls,
                const std::string& adherence) {
    Exec(
        "INSERT INTO mental_follow_ups (id, patient_id, visited_on, danger_level, symptoms, "
        "insight, sleep, social_function, adherence, side_effects, physical_illness, "
        "hospitalisation, class, next_due, recorded_at, recorded_by) VALUES ('" +
        NewId() + "', '" + patient + "', '" + on + "', 0, 'none', 'complete', 'good', 'good', '" +
        adherence + "', 'none', 'none', 'never', '" + cls + "', '" + on + "', '" + on +
        "T00:00:00.000Z', 'x')");
  }
  void Course(const std::string& id, const std::string& person, const std::string& notified,
              const std::string& started, const std::string& outcome, const std::string& on) {
    auto text = [](const std::string& v) {
      return v.empty() ? std::string("NULL") : "'" + v + "'";
    };
    Exec(
        "INSERT INTO tb_courses (id, person_id, notified_on, started_on, regimen, treating_unit, "
        "outcome, outcome_on, created_at, created_by, updated_at, updated_by) VALUES ('" +
        id + "', '" + person + "', '" + notified + "', '" + started + "', 'new_6m', '450103001', " +
        text(outcome) + ", " + text(on) + ", 'x', 'x', 'x', 'x')");
  }
  void Visit(const std::string& course, const std::string& on, int taken, int missed) {
    Exec(
        "INSERT INTO tb_visits (id, course_id, visited_on, doses_taken, doses_missed, "
        "recorded_at, recorded_by) VALUES ('" +
        NewId() + "', '" + course + "', '" + on + "', " + std::to_string(taken) + ", " +
        std::to_string(missed) + ", 'x', 'x')");
  }
};

TEST_F(CareViewTest, SevereMentalDisordersOnTheDayAndTheYearSoFar) {
  auto view = Load();
  ASSERT_TRUE(view);
  // On 11-22: M1 alone is managed (M8 closed on 10-01, P5 gone, P2 not a migrant). Its three
  // follow-ups meet the year's three; the latest (09-10) regular and stable; P1's electronic
  // record counts.
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "SMD_STANDARD_MGMT"), Fraction(1, 1));
  EXPECT_EQ(Nd(nov, "SMD_ADHERENCE"), Fraction(1, 1));
  EXPECT_EQ(Nd(nov, "SMD_STABLE"), Fraction(1, 1));
  EXPECT_EQ(Nd(nov, "KEY_EHR_SMD"), Fraction(1, 1));
  EXPECT_EQ(nov["KEY_EHR_SMD"].met, true);
  // 在册管理率: 1 ÷ (4 migrants: P1, P3, P4, P8 × 4.5‰).
  EXPECT_EQ(nov["SMD_REGISTERED_RATE"].numerator, 1);
  EXPECT_NEAR(nov["SMD_REGISTERED_RATE"].denominator, 4 * 0.0045, 1e-12);
  EXPECT_NEAR(*nov["SMD_REGISTERED_RATE"].value, 1 / 0.018, 1e-9);
  // On 09-30: M1 and M8, both with the year's follow-ups (3 of 3, 4 of 4); M8's latest
  // (09-20) was intermittent; P1's electronic record from 08-01, P8 has none.
  auto sep = Values(*view, "450100", "2026-09");
  EXPECT_EQ(Nd(sep, "SMD_STANDARD_MGMT"), Fraction(2, 2));
  EXPECT_EQ(Nd(sep, "SMD_ADHERENCE"), Fraction(1, 2));
  EXPECT_EQ(Nd(sep, "SMD_STABLE"), Fraction(2, 2));
  EXPECT_EQ(Nd(sep, "KEY_EHR_SMD"), Fraction(1, 2));
  EXPECT_NEAR(sep["SMD_REGISTERED_RATE"].denominator, 3 * 0.0045, 1e-12);  // P1, P3, P8
  // On 04-30: M1, M5 and M8, none yet with the year's follow-ups (1 of 3, 1 of 4, 2 of 4); each
  // latest follow-up regular and stable.
  auto apr = Values(*view, "450100", "2026-04");
  EXPECT_EQ(Nd(apr, "SMD_STANDARD_MGMT"), Fraction(0, 3));
  EXPECT_EQ(Nd(apr, "SMD_ADHERENCE"), Fraction(3, 3));
  EXPECT_EQ(Nd(apr, "SMD_STABLE"), Fraction(3, 3));
  EXPECT_EQ(Nd(apr, "KEY_EHR_SMD"), Fraction(0, 3));
  // Where they live: M5 in 450107, M8 in the street, M1 in the community.
  EXPECT_EQ(Values(*view, "450107", "2026-04")["SMD_REGISTERED_RATE"].numerator, 1);
  EXPECT_EQ(Values(*view, "450103001001", "2026-09")["SMD_REGISTERED_RATE"].numerator, 1);
  EXPECT_EQ(Values(*view, "450103001", "2026-09")["SMD_REGISTERED_RATE"].numerator, 2);
}

TEST_F(CareViewTest, TbCoursesNotifiedAndCompletedInThePeriod) {
  auto view = Load();
  ASSERT_TRUE(view);
  // November: T1 notified (not visited yet; T2's patient is not a migrant); T8 completed with
  // 95% of its doses.
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "TB_MGMT_RATE"), Fraction(0, 1));
  EXPECT_EQ(Nd(nov, "TB_REGULAR_MEDICATION"), Fraction(1, 1));
  // The year: T0, T8 and T1 notified, T0 and T8 visited; T0 was lost, not completed.
  auto year = Values(*view, "450100", "2026");
  EXPECT_EQ(Nd(year, "TB_MGMT_RATE"), Fraction(2, 3));
  EXPECT_EQ(Nd(year, "TB_REGULAR_MEDICATION"), Fraction(1, 1));
  // February: T0, P1 a migrant from 02-09; June: T0 lost, nobody completed.
  auto feb = Values(*view, "450100", "2026-02");
  EXPECT_EQ(Nd(feb, "TB_MGMT_RATE"), Fraction(1, 1));
  auto june = Values(*view, "450100", "2026-06");
  EXPECT_FALSE(june["TB_REGULAR_MEDICATION"].value.has_value());
}

TEST_F(CareViewTest, AFollowUpOrAVisitReloadsOnlyThatPersonsRowsAndEqualsAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  const std::size_t persons = view->persons();
  // M1's follow-up today finds no medication and an unstable patient; T1's first home visit; a
  // partner alert raised for M1 (read by no indicator).
  FollowUp("m1", "2026-11-22", "unstable", "none");
  Visit("t1", "2026-11-03", 2, 0);
  Exec(
      "INSERT INTO mental_alerts (id, patient_id, follow_up_id, area_path, danger_level, "
      "raised_at) SELECT 'a1', 'm1', id, '450100/', 3, 'x' FROM mental_follow_ups WHERE "
      "patient_id = 'm1' AND visited_on = '2026-11-22'");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1u);  // P1's registration and courses
  EXPECT_EQ(view->persons(), persons);
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "SMD_ADHERENCE"), Fraction(0, 1));
  EXPECT_EQ(Nd(nov, "SMD_STABLE"), Fraction(0, 1));
  EXPECT_EQ(Nd(nov, "TB_MGMT_RATE"), Fraction(1, 1));
  // M1 closed today: no one managed on 11-22.
  Exec(
      "UPDATE mental_patients SET status = 'closed', updated_at = '2026-11-22T01:00:00.000Z' "
      "WHERE id = 'm1'");
  ASSERT_TRUE(view->Refresh(*db_, kToday).ok());
  EXPECT_EQ(Values(*view, "450100", "2026-11")["SMD_REGISTERED_RATE"].numerator, 0);
  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450107", "450103001001"},
                          {"2026-11", "2026-09", "2026-04", "2026"});
}

}  // namespace
}  // namespace jd::kpi

namespace jd::kpi {
namespace {

// The service network's unit facts (kpi/live_units.h) on the small city, worked out by hand:
// demonstration points against the "六个一" (实施办法 §六(二)), associations of the places migrants
// gather (§六(六)), and the centres and stations the health-education norms apply to.
class NetworkViewTest : public LiveViewTest {
 protected:
  void Point(const std::string& id, const std::string& kind, const std::string& org, int active) {
    Exec(
        "INSERT INTO service_points (id, kind, name, org_code, org_path, lat, lon, active, "
        "created_at, created_by, updated_at, updated_by) VALUES ('" +
        id + "', '" + kind + "', 'n', '" + org + "', '" + paths_[org] + "', 22.8, 108.3, " +
        std::to_string(active) + ", 'x', 'x', 'x', 'x')");
  }
  void Check(const std::string& point, const std::string& item, const std::string& on) {
    Exec(
        "INSERT INTO demo_checklist (point_id, item, checked_on, recorded_at, recorded_by) "
        "VALUES ('" +
        point + "', '" + item + "', '" + on + "', 'x', 'x')");
  }
  void Place(const std::string& id, const std::string& org, int association,
             const std::string& created_at) {
    Exec(
        "INSERT INTO gathering_places (id, kind, name, org_code, org_path, lat, lon, "
        "has_fp_association, created_at, created_by, updated_at, updated_by) VALUES ('" +
        id + "', 'market', 'n', '" + org + "', '" + paths_[org] + "', 22.8, 108.3, " +
        std::to_string(association) + ", '" + created_at + "', 'x', 'x', 'x')");
  }
  std::pair<double, double> NdOf(const LiveView& view, const std::string& org,
                                 const std::string& period, const std::string& code,
                                 Breakdown b = {}) {
    auto v = Values(view, org, period, b);
    return Nd(v, code);
  }
  void SetUp() override {
    LiveViewTest::SetUp();
    // D1: all six items, the plaque last on 2026-06-15: compliant from that day. D2: no plaque.
    // D3: all six but inactive.
    Point("d1", "demonstration", "450103001", 1);
    Point("d2", "demonstration", "450107001", 1);
    Point("d3", "demonstration", "450107001", 0);
    for (const char* item :
         {"free_services", "lecture_hall", "bulletin_board", "video_player", "materials"}) {
      Check("d1", item, "2026-03-01");
      Check("d2", item, "2026-03-01");
      Check("d3", item, "2026-03-01");
    }
    Check("d1", "plaque", "2026-06-15");
    Check("d3", "plaque", "2026-03-01");
    // G1 and G2 since February, G1 with an association; G3 recorded on 6 October Beijing time
    // (17:00 UTC on the 5th), with one.
    Place("g1", "450103001", 1, "2026-02-01T02:00:00.000Z");
    Place("g2", "450103001001", 0, "2026-02-01T02:00:00.000Z");
    Place("g3", "450107001", 1, "2026-10-05T17:00:00.000Z");
    // A centre and a village clinic with no education activity; a distribution point (no norms).
    Point("c1", "chs_centre", "450103001", 1);
    Point("v1", "village_clinic", "450107001", 1);
    Point("m1", "distribution_machine", "450107001", 1);
  }
};

TEST_F(NetworkViewTest, DemonstrationPointsAssociationsAndEducationPoints) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(nov["NET_DEMO_POINT"].value, 1);  // D1
  EXPECT_EQ(Values(*view, "450107", "2026-11")["NET_DEMO_POINT"].value, 0);
  EXPECT_EQ(Values(*view, "450100", "2026-05")["NET_DEMO_POINT"].value, 0);  // before the plaque
  EXPECT_EQ(Nd(nov, "FP_ASSOCIATION"), Fraction(2, 3));
  EXPECT_EQ(NdOf(*view, "450100", "2026-09", "FP_ASSOCIATION"), Fraction(1, 2));
  EXPECT_EQ(NdOf(*view, "450100", "2026-10", "FP_ASSOCIATION"), Fraction(2, 3));
  EXPECT_EQ(NdOf(*view, "450103001001", "2026-11", "FP_ASSOCIATION"), Fraction(0, 1));
  // On 22 November 10 of the 12 lectures are due at the centre: neither point meets the norms.
  EXPECT_EQ(Nd(nov, "EDU_NORMS_MET"), Fraction(0, 2));
  // No person breakdown applies to facts of units.
  Breakdown women;
  women.sex = "F";
  EXPECT_EQ(NdOf(*view, "450100", "2026-11", "FP_ASSOCIATION", women), Fraction(0, 0));
}

TEST_F(NetworkViewTest, ANetworkChangeEventReloadsTheFactsAndEqualsAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  Exec("UPDATE gathering_places SET has_fp_association = 1 WHERE id = 'g2'");
  Check("d2", "plaque", "2026-11-20");
  Exec("UPDATE service_points SET active = 0 WHERE id = 'c1'");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 0u);  // no person
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "FP_ASSOCIATION"), Fraction(3, 3));
  EXPECT_EQ(nov["NET_DEMO_POINT"].value, 2);
  EXPECT_EQ(Nd(nov, "EDU_NORMS_MET"), Fraction(0, 1));
  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450107", "450103001001"},
                          {"2026-11", "2026-06", "2026"});
}

}  // namespace
}  // namespace jd::kpi

namespace jd::kpi {
namespace {

// Family planning on the small city, worked out by hand (南宁市实施办法 四(七); the formulas of
// family_planning/rules.h GuidanceCoverage and FreeServiceCoverage over 1 January to the day).
// W1: married, 36, a migrant since 2025 (floating from 2025-01-31); W4: 26, not married; W2:
// married but 51 (past reproductive age); W3: 15 only on 2026-12-01. P2 (38) is registered but
// never floating (户籍 in Nanning): not counted.
class FamilyPlanningViewTest : public LiveViewTest {
 protected:
  void SetUp() override {
    LiveViewTest::SetUp();
    Person("w1", "F", "1990-06-01", "430528", "450103001001", "", "2025-01-01", "work");
    Person("w2", "F", "1975-03-01", "430528", "450103001001", "", "2025-01-01", "work");
    Person("w3", "F", "2011-12-01", "430528", "450103001001", "", "2025-01-01", "family");
    Person("w4", "F", "2000-01-01", "430528", "450107001", "", "2025-01-01", "work");
    Exec("UPDATE persons SET marital_status = 'married' WHERE id IN ('w1', 'w2', 'p2')");
    Guidance("g1", "w1", "2026-03-10");
    Guidance("g2", "w2", "2026-03-10");
    Guidance("g3", "w3", "2026-03-10");
    Guidance("g4", "w4", "2025-12-30");  // last year's
    Distribution("d1", "w1", "2025-12-20");
  }
  void Guidance(const std::string& id, const std::string& person, const std::string& on) {
    Exec(
        "INSERT INTO fp_guidance (id, person_id, given_on, topic, recorded_at, recorded_by, "
        "org_path) VALUES ('" +
        id + "', '" + person + "', '" + on + "', 't', 'x', 'x', 'x')");
  }
  void Distribution(const std::string& id, const std::string& person, const std::string& on) {
    Exec(
        "INSERT INTO fp_distributions (id, person_id, item, quantity, dispensed_on, "
        "recorded_at, recorded_by, org_path) VALUES ('" +
        id + "', " + (person.empty() ? "NULL" : "'" + person + "'") + ", 'condom', 10, '" + on +
        "', 'x', 'x', 'x')");
  }
};

TEST_F(FamilyPlanningViewTest, GuidanceAndFreeServicesOfTheYearToTheDay) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "FP_GUIDANCE"), Fraction(1, 2));            // W1 of W1, W4
  EXPECT_EQ(Nd(nov, "FP_FREE_CONTRACEPTION"), Fraction(0, 1));  // W1's condoms were last year's
  auto street = Values(*view, "450107", "2026-11");
  EXPECT_EQ(Nd(street, "FP_GUIDANCE"), Fraction(0, 1));  // W4's guidance was last year's
  auto last_year = Values(*view, "450100", "2025-12");
  EXPECT_EQ(Nd(last_year, "FP_GUIDANCE"), Fraction(1, 2));  // W4 in 2025; W1 not yet
  EXPECT_EQ(Nd(last_year, "FP_FREE_CONTRACEPTION"), Fraction(1, 1));
}

TEST_F(FamilyPlanningViewTest, ARecordOrAVoidReloadsThatWomanAndEqualsAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  Distribution("d2", "w1", "2026-11-01");
  Distribution("d3", "", "2026-11-02");  // a machine's, anonymous: no one's coverage
  Exec("UPDATE fp_guidance SET voided_at = 'x' WHERE id = 'g1'");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1u);  // W1
  auto nov = Values(*view, "450100", "2026-11");
  EXPECT_EQ(Nd(nov, "FP_FREE_CONTRACEPTION"), Fraction(1, 1));
  EXPECT_EQ(Nd(nov, "FP_GUIDANCE"), Fraction(0, 2));
  auto oct = Values(*view, "450100", "2026-10");
  EXPECT_EQ(Nd(oct, "FP_FREE_CONTRACEPTION"), Fraction(0, 1));
  ExpectEqualToAFreshLoad(*view, {"450100", "450103", "450107", "450103001001"},
                          {"2026-11", "2026-10", "2025-12", "2026"});
}

}  // namespace
}  // namespace jd::kpi
