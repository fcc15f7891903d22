#include "kpi/evaluation_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "kpi/test_city.h"

namespace jd::kpi {
namespace {

using nlohmann::json;

auth::Principal Who(auth::Role role, const std::string& org, const std::string& path) {
  auth::Principal p;
  p.user_id = p.username = "u_" + org;
  p.role = role;
  p.org_code = org;
  p.org_path = path;
  return p;
}

class EvaluationServiceTest : public TestCity {
 protected:
  void SetUp() override {
    TestCity::SetUp();
    audit_ = std::make_unique<auth::AuditLog>(
        *db_, auth::AuditKey::FromBytesForTest(std::string(32, 'k')), clock_);
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, clock_);
    ASSERT_TRUE(registry_->LoadOrgUnits().ok());
    kpi_ = std::make_unique<KpiService>(*db_, clock_);
    // The test city counts persons on one hand: every rate would be "insufficient" under the
    // shipped minimum of 20. These tests are about the service's wiring, so they score as if one
    // person were enough; DefaultSchemeDoesNotRankATinyDistrict keeps the shipped policy.
    tiny_scheme_ = DefaultAssessmentScheme();
    tiny_scheme_.small_numbers.min_denominator = 1;
    for (AssessmentItem& i : tiny_scheme_.items) i.min_denominator = 1;
    service_ =
        std::make_unique<EvaluationService>(*db_, *audit_, clock_, *registry_, *kpi_, tiny_scheme_);
  }
  void TearDown() override {
    service_.reset();
    kpi_.reset();
    registry_.reset();
    audit_.reset();
    TestCity::TearDown();
  }

  static std::vector<std::string> Fields(const Status& st) {
    std::vector<std::string> out;
    for (const auto& e : st.field_errors()) out.push_back(e.field + ":" + e.code);
    return out;
  }

  std::vector<auth::AuditEntry> Audit(const std::string& prefix) {
    auto rows = audit_->Query({.action_prefix = prefix, .limit = 100});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<auth::AuditEntry>{};
  }

  FixedClock clock_ = FixedClock::AtDate(kToday);
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<KpiService> kpi_;
  AssessmentScheme tiny_scheme_;
  std::unique_ptr<EvaluationService> service_;

  const auth::Principal city_ = Who(auth::Role::kCommission, "450100", "450100/");
  const auth::Principal finance_ = Who(auth::Role::kFinance, "450100", "450100/");
  const auth::Principal sysadmin_ = Who(auth::Role::kSysadmin, "450100", "450100/");
  const auth::Principal district_ = Who(auth::Role::kDistrict, "450103", "450100/450103/");
  const auth::Principal center_ = Who(auth::Role::kCenter, "450103001", "450100/450103/450103001/");
};

// 450103 in 2026 (as of 2026-11-22): the one entitled child (P3) has her certificate (100%, the
// threshold met) and the one review took 3 days (≤ 5: full points), so the district has a total;
// 450107's only person moved out, so nothing applies there and it is not ranked.
TEST_F(EvaluationServiceTest, RanksTheDistrictsOfTheCity) {
  auto e = service_->Evaluate(city_, {.period = "2026"});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->level, AssessmentLevel::kDistrict);
  EXPECT_EQ(e->org, "450100");
  EXPECT_EQ(FormatDate(e->as_of), "2026-11-22");
  ASSERT_EQ(e->units.size(), 2u);
  EXPECT_EQ(e->units[0].code, "450103");
  EXPECT_EQ(e->units[0].rank, 1);
  EXPECT_TRUE(e->units[0].total.has_value());
  EXPECT_EQ(e->units[1].code, "450107");
  EXPECT_FALSE(e->units[1].rank.has_value());
  for (const ItemScore& s : e->units[0].items) {
    if (s.code == "IMM_FILE_RATE") {
      EXPECT_DOUBLE_EQ(*s.value, 1.0);
      EXPECT_EQ(s.outcome, Outcome::kMet);
    }
    if (s.code == "DOC_REVIEW_DAYS") {
      EXPECT_DOUBLE_EQ(*s.value, 3.0);
      EXPECT_DOUBLE_EQ(*s.points, 10.0);
    }
  }
  EXPECT_EQ(e->bulletin.best, std::vector<std::string>{"450103"});
}

TEST_F(EvaluationServiceTest, StreetsOfADistrictAndOfTheCity) {
  auto e = service_->Evaluate(district_, {.period = "2026-Q4"});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->level, AssessmentLevel::kStreet);
  EXPECT_EQ(e->period.Code(), "2026Q4");
  ASSERT_EQ(e->units.size(), 1u);
  EXPECT_EQ(e->units[0].code, "450103001");
  e = service_->Evaluate(city_, {.period = "2026-11", .level = "street"});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->units.size(), 2u);  // 450103001 and 450107001
}

TEST_F(EvaluationServiceTest, BadQueriesAreFieldErrors) {
  auto e = service_->Evaluate(city_, {.period = "2026-Q5", .level = "village"});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(e.status()),
            (std::vector<std::string>{"period:invalid_period", "level:invalid_level"}));
  e = service_->Evaluate(city_, {});
  EXPECT_EQ(Fields(e.status()), std::vector<std::string>{"period:required"});
  e = service_->Evaluate(city_, {.period = "2027"});  // starts after 2026-11-22
  EXPECT_EQ(Fields(e.status()), std::vector<std::string>{"period:period_not_started"});
  e = service_->Evaluate(district_, {.period = "2026", .level = "district"});
  EXPECT_EQ(Fields(e.status()), std::vector<std::string>{"level:no_units_at_level"});
}

TEST_F(EvaluationServiceTest, OutsideTheJurisdictionIsNotFound) {
  auto e = service_->Evaluate(center_, {.period = "2026", .org = "450100"});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  e = service_->Evaluate(district_, {.period = "2026", .org = "450107"});
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  auto f = service_->Funding(center_, {.year = "2026", .org = "450100"});
  EXPECT_EQ(f.status().code(), StatusCode::kNotFound);
  // The system administrator holds no statistics permission.
  e = service_->Evaluate(sysadmin_, {.period = "2026"});
  EXPECT_EQ(e.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(EvaluationServiceTest, FundingNeedsTheFiguresThenAddsUp) {
  auto f = service_->Funding(finance_, {.year = "2026"});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Fields(f.status()),
            (std::vector<std::string>{"population_figures.450103:missing_population",
                                      "population_figures.450107:missing_population"}));

  auto set = service_->SetPopulationFigures(sysadmin_, json::parse(R"({"year": 2026, "figures": [
          {"org": "450103", "huji_population": 1000, "source": "统计年鉴"},
          {"org": "450107", "huji_population": 3000, "migrant_population": 10}]})"));
  ASSERT_TRUE(set.ok()) << set.status().ToString();

  f = service_->Funding(finance_, {.year = "2026"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const FundingTable& t = f->table;
  ASSERT_EQ(t.rows.size(), 2u);
  // 450103: the registry's floating persons on 2026-11-22 are P1, P3 and P4.
  EXPECT_EQ(t.rows[0].migrants, 3);
  EXPECT_EQ(t.rows[0].migrant_source, MigrantSource::kRegistry);
  EXPECT_EQ(t.rows[0].resident, 1003);
  EXPECT_EQ(t.rows[1].migrants, 10);
  EXPECT_EQ(t.rows[1].migrant_source, MigrantSource::kFigure);
  // 2026: 99 yuan (carried forward, unconfirmed) × 4,013 residents.
  EXPECT_EQ(t.standard.fen, 9900);
  EXPECT_FALSE(t.standard.confirmed);
  EXPECT_EQ(t.pool_fen, 9900 * 4013);
  EXPECT_EQ(t.performance_pool_fen, 3'972'870);  // 10%
  // 450107 has no score: all the performance share goes to 450103.
  EXPECT_EQ(t.rows[1].performance_fen, 0);
  EXPECT_EQ(t.rows[0].performance_fen, 3'972'870);
  EXPECT_EQ(t.total_sum_fen, t.pool_fen);
  EXPECT_EQ(t.rows[0].base_fen + t.rows[1].base_fen, t.base_pool_fen);

  f = service_->Funding(finance_, {.year = "2027"});
  EXPECT_EQ(Fields(f.status()), std::vector<std::string>{"year:assessment_not_available"});
  f = service_->Funding(finance_, {.year = "26"});
  EXPECT_EQ(Fields(f.status()), std::vector<std::string>{"year:invalid_year"});
  f = service_->Funding(finance_, {.year = "2026", .org = "450103001"});
  EXPECT_EQ(Fields(f.status()), std::vector<std::string>{"org:no_units_to_fund"});
}

TEST_F(EvaluationServiceTest, SettingFiguresNeedsThePermissionAndIsAudited) {
  json body =
      json::parse(R"({"year": 2026, "figures": [{"org": "450103", "huji_population": 5}]})");
  // A district health administration reads figures but does not set them (population_set).
  auto denied = service_->SetPopulationFigures(district_, body);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);
  auto rows = Audit("population_figures.set");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].result, "denied");

  ASSERT_TRUE(service_->SetPopulationFigures(sysadmin_, body).ok());
  body["figures"][0]["huji_population"] = 7;
  ASSERT_TRUE(service_->SetPopulationFigures(sysadmin_, body).ok());
  rows = Audit("population_figures.set");
  ASSERT_EQ(rows.size(), 3u);  // newest first
  EXPECT_EQ(rows[0].object_id, "450103/2026");
  json detail = json::parse(rows[0].detail);
  EXPECT_EQ(detail["huji_population"], 7);
  EXPECT_EQ(detail["previous"]["huji_population"], 5);

  auto list = service_->PopulationFigures(finance_, {.year = "2026"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].huji_population, 7);
  EXPECT_FALSE((*list)[0].migrant_population.has_value());
  EXPECT_EQ((*list)[0].updated_by, sysadmin_.username);
}

TEST_F(EvaluationServiceTest, BadFiguresListEveryFieldAndWriteNothing) {
  auto r = service_->SetPopulationFigures(sysadmin_, json::parse(R"({"year": "2026", "figures": [
      {"org": "450103"},
      {"org": "450100", "huji_population": 10},
      {"org": "450107", "huji_population": 10, "migrant_population": -1},
      {"org": "999999", "huji_population": 1.5},
      {"org": "450107001", "huji_population": 10, "source": 3}]})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Fields(r.status()),
            (std::vector<std::string>{
                "year:invalid_year", "figures[0].huji_population:required",
                "figures[1].org:invalid_level", "figures[2].migrant_population:invalid_population",
                "figures[3].org:unknown_org", "figures[3].huji_population:invalid_population",
                "figures[4].source:wrong_type"}));
  auto list = service_->PopulationFigures(sysadmin_, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(EvaluationServiceTest, FiguresAreReadWithinTheJurisdiction) {
  ASSERT_TRUE(service_
                  ->SetPopulationFigures(sysadmin_, json::parse(R"({"year": 2026, "figures": [
          {"org": "450103", "huji_population": 1}, {"org": "450107", "huji_population": 2},
          {"org": "450103001", "huji_population": 3}]})"))
                  .ok());
  auto list = service_->PopulationFigures(district_, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].org, "450103");
  EXPECT_EQ((*list)[1].org, "450103001");
  auto outside = service_->PopulationFigures(district_, {.org = "450107"});
  EXPECT_EQ(outside.status().code(), StatusCode::kNotFound);
}

// The shipped policy on the same city: 450103's rates are over one or two persons, all below the
// minimum of 20, so its 100% certificates and 3-day review are "insufficient" and it is listed
// but not ranked (nothing is ranked). Funding then has no ranked unit: the performance pool is
// split like the base, and each row says why it has no score.
TEST_F(EvaluationServiceTest, DefaultSchemeDoesNotRankATinyDistrict) {
  EvaluationService shipped(*db_, *audit_, clock_, *registry_, *kpi_);
  auto e = shipped.Evaluate(city_, {.period = "2026"});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->units.size(), 2u);
  for (const UnitScore& u : e->units) EXPECT_FALSE(u.rank) << u.code;
  const UnitScore& d = e->units[0];
  EXPECT_EQ(d.code, "450103");
  EXPECT_TRUE(d.not_ranked);
  bool insufficient = false;
  for (const ItemScore& s : d.items) {
    if (s.code == "IMM_FILE_RATE") {
      EXPECT_EQ(s.outcome, Outcome::kInsufficient);
      insufficient = true;
    }
  }
  EXPECT_TRUE(insufficient);
  EXPECT_TRUE(e->bulletin.best.empty());

  ASSERT_TRUE(shipped
                  .SetPopulationFigures(sysadmin_, json::parse(R"({"year": 2026, "figures": [
          {"org": "450103", "huji_population": 1000, "source": "统计年鉴"},
          {"org": "450107", "huji_population": 3000, "migrant_population": 10}]})"))
                  .ok());
  auto f = shipped.Funding(finance_, {.year = "2026"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const FundingTable& t = f->table;
  EXPECT_TRUE(t.performance_by_population);
  EXPECT_FALSE(t.rows[0].score);
  EXPECT_NE(t.rows[0].no_score_zh.find("绩效经费按常住人口分配"), std::string::npos)
      << t.rows[0].no_score_zh;
  EXPECT_EQ(t.total_sum_fen, t.pool_fen);
}

}  // namespace
}  // namespace jd::kpi
