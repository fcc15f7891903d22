// The data-quality report on the small test city plus a few broken records, counted by hand.
#include "kpi/data_quality.h"

#include <gtest/gtest.h>

#include "auth/auth_service.h"
#include "auth/scope.h"
#include "kpi/test_city.h"

namespace jd::kpi {
namespace {

class DataQualityTest : public TestCity {};

TEST_F(DataQualityTest, CountsEachProblemOncePerPersonAndUnit) {
  // P7 is born in the future; P8 repeats P1's name, sex and birth date; P9, a girl here since
  // 2025-01-01, is entitled to a certificate since 2025-04-01 and has none; P4 has a dose dated
  // before his birth; P1 has a document pending since 2026-10-01 (more than 15 days).
  Person("p7", "F", "2030-01-01", "430528", "450107001", "", "2026-01-01", "work");
  Person("p8", "M", "1990-05-01", "430528", "450107001", "", "2026-02-01", "work");
  Person("p9", "F", "2024-01-01", "430528", "450103001", "", "2025-01-01", "family");
  Dose("p4", "HepB", "2026-09-01");
  Exec(
      "INSERT INTO documents (id, person_id, type, status, submitted_at, submitted_by) VALUES "
      "('d3', 'p1', 'residence_permit', 'pending', '2026-10-01T01:00:00.000Z', 'x')");
  registry::OrgUnit city{.code = "450100", .name = "city", .path = "450100/"};
  registry::OrgUnit a{
      .code = "450103", .name = "a", .parent_code = "450100", .path = "450100/450103/"};
  registry::OrgUnit b{
      .code = "450107", .name = "b", .parent_code = "450100", .path = "450100/450107/"};
  const auth::Scope whole = auth::ScopeOf(auth::AuthService::SystemPrincipal("test"));
  auto r = DataQuality(*db_, immunization::Schedule::Default(), whole, city, {a, b}, kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->units.size(), 3u);
  const QualityCounts& all = r->units[0];
  EXPECT_EQ(all.persons, 7);               // P5 moved out
  EXPECT_EQ(all.missing_phone, 7);         // the fixture records no phones
  EXPECT_EQ(all.impossible_dates, 1);      // P7
  EXPECT_EQ(all.impossible_doses, 1);      // P4
  EXPECT_EQ(all.duplicate_suspects, 2);    // P1 and P8
  EXPECT_EQ(all.reviews_overdue, 1);       // d3; d2 is 2 days old
  EXPECT_EQ(all.certificates_missing, 1);  // P9 (P3 has one, P4 is not yet entitled)
  // Under 7 with an overdue programme dose: P3 (HepB3), P4 (HepB1: the record before birth does
  // not count), P9 (everything).
  EXPECT_EQ(all.doses_overdue, 3);
  EXPECT_EQ(r->units[1].persons, 5);  // P1–P4, P9 in 450103
  EXPECT_EQ(r->units[2].persons, 2);  // P7, P8 in 450107
  EXPECT_EQ(r->units[2].duplicate_suspects, 1);
  EXPECT_EQ(r->units[1].certificates_missing, 1);
  int examples_of_duplicates = 0;
  for (const auto& e : r->examples) examples_of_duplicates += e.check == "duplicate_suspects";
  EXPECT_EQ(examples_of_duplicates, 2);

  // A district's scope counts only its own persons, whatever unit it asks for; the default scope
  // counts no one.
  auth::Principal district;
  district.role = auth::Role::kDistrict;
  district.org_path = "450100/450107/";
  auto d = DataQuality(*db_, immunization::Schedule::Default(), auth::ScopeOf(district), city,
                       {a, b}, kToday);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->units[0].persons, 2);
  EXPECT_EQ(d->units[1].persons, 0);
  auto none =
      DataQuality(*db_, immunization::Schedule::Default(), auth::Scope(), city, {a, b}, kToday);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->units[0].persons, 0);
  EXPECT_TRUE(none->examples.empty());
}

}  // namespace
}  // namespace jd::kpi
