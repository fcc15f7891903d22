// The driver of the worked cases in tests/data/family_planning/ (see SOURCE.md there) for
// rules.h: population_cases.json (who is counted), coverage_cases.json (the two indicators),
// procedure_cases.json (validation and follow-up days) and method_cases.json. Each case cites its
// source.
#include "family_planning/rules.h"

#include <gtest/gtest.h>

#include "core/test_support.h"
#include "family_planning/test_support.h"

namespace jd::family_planning {
namespace {

using jd::testing_support::ForEachCase;
using jd::testing_support::ReadCases;
using nlohmann::json;
using testing_support::CaseDate;
using testing_support::CasePerson;
using testing_support::ErrorsJson;

TEST(FamilyPlanningRules, PopulationCases) {
  json cases = ReadCases("tests/data/family_planning/population_cases.json");
  ASSERT_GE(cases.size(), 9u);
  ForEachCase(cases, [&](const json& c) {
    const Person p = CasePerson(c["person"]);
    const Date as_of = CaseDate(c["as_of"]);
    const json& expect = c["expect"];
    EXPECT_EQ(WomanOfReproductiveAge(p, as_of), expect["woman_of_reproductive_age"].get<bool>());
    EXPECT_EQ(InFreeServiceTarget(p, as_of), expect["free_service_target"].get<bool>());
    EXPECT_EQ(InGuidancePopulation(p, as_of), expect["guidance_population"].get<bool>());
    // The live statistics count by the span: it must hold on the same days as the predicate.
    const AgeSpan span = ReproductiveAgeSpan(p.birth);
    EXPECT_EQ(p.sex == Sex::kFemale && span.from <= as_of && as_of < span.until,
              expect["woman_of_reproductive_age"].get<bool>());
  });
}

// A woman born on 29 February: 15 on 28 February of a common year (AddYears clamps to the
// month's end, as core/dates.h AgeInYears counts), no longer 49 on 28 February 50 years later.
TEST(FamilyPlanningRules, ReproductiveAgeSpanMatchesThePredicateAroundLeapDayBirthdays) {
  Person p;
  p.sex = Sex::kFemale;
  p.birth = Date{std::chrono::year(2004), std::chrono::February, std::chrono::day(29)};
  const AgeSpan span = ReproductiveAgeSpan(p.birth);
  EXPECT_EQ(FormatDate(span.from), "2019-02-28");
  EXPECT_EQ(FormatDate(span.until), "2054-02-28");
  for (Date d = AddDays(span.from, -3); d <= AddDays(span.from, 3); d = AddDays(d, 1)) {
    EXPECT_EQ(WomanOfReproductiveAge(p, d), span.from <= d && d < span.until) << FormatDate(d);
  }
  for (Date d = AddDays(span.until, -3); d <= AddDays(span.until, 3); d = AddDays(d, 1)) {
    EXPECT_EQ(WomanOfReproductiveAge(p, d), span.from <= d && d < span.until) << FormatDate(d);
  }
}

TEST(FamilyPlanningRules, CoverageCases) {
  json cases = ReadCases("tests/data/family_planning/coverage_cases.json");
  ASSERT_GE(cases.size(), 3u);
  ForEachCase(cases, [&](const json& c) {
    std::vector<Person> people;
    for (const auto& p : c["people"]) people.push_back(CasePerson(p));
    const Date from = CaseDate(c["from"]);
    const Date to = CaseDate(c["to"]);
    const Coverage g = GuidanceCoverage(people, from, to);
    const Coverage f = FreeServiceCoverage(people, from, to);
    EXPECT_EQ(json({{"numerator", g.numerator}, {"denominator", g.denominator}}),
              c["expect"]["guidance"]);
    EXPECT_EQ(json({{"numerator", f.numerator}, {"denominator", f.denominator}}),
              c["expect"]["free_service"]);
  });
}

TEST(FamilyPlanningRules, ProcedureCases) {
  json cases = ReadCases("tests/data/family_planning/procedure_cases.json");
  ASSERT_GE(cases.size(), 10u);
  int scheduled = 0;
  ForEachCase(cases, [&](const json& c) {
    auto procedure = ParseProcedure(c["procedure"].get<std::string>());
    ASSERT_TRUE(procedure.has_value());
    const Date done_on = CaseDate(c["done_on"]);
    const auto errors = CheckProcedure(*procedure, done_on, CasePerson(c["person"]),
                                       DefaultProcedures(), CaseDate(c["today"]));
    EXPECT_EQ(ErrorsJson(errors), c["expect"]["errors"]);
    if (!c["expect"].contains("follow_ups")) return;
    json days = json::array();
    for (const Date& d :
         FollowUpsDue(DefaultProcedures().Of(*procedure), done_on, CaseDate(c["until"]))) {
      days.push_back(FormatDate(d));
    }
    EXPECT_EQ(days, c["expect"]["follow_ups"]);
    ++scheduled;
  });
  EXPECT_GE(scheduled, 6);
}

TEST(FamilyPlanningRules, MethodCases) {
  json cases = ReadCases("tests/data/family_planning/method_cases.json");
  ASSERT_GE(cases.size(), 5u);
  ForEachCase(cases, [&](const json& c) {
    auto method = ParseMethod(c["method"].get<std::string>());
    ASSERT_TRUE(method.has_value());
    const auto errors = CheckMethod(*method, CaseDate(c["started_on"]), CasePerson(c["person"]),
                                    CaseDate(c["today"]));
    EXPECT_EQ(ErrorsJson(errors), c["expect"]["errors"]);
  });
}

TEST(FamilyPlanningRules, ShippedCatalogueHasEveryProcedureWithItsSex) {
  const ProcedureCatalogue& cat = DefaultProcedures();
  EXPECT_EQ(cat.rules.size(), 8u);
  EXPECT_EQ(cat.Of(Procedure::kVasectomy).sex, SexRule::kMale);
  EXPECT_EQ(cat.Of(Procedure::kVasectomyReversal).sex, SexRule::kMale);
  EXPECT_EQ(cat.Of(Procedure::kTubalLigation).sex, SexRule::kFemale);
  EXPECT_EQ(cat.Of(Procedure::kIudInsertion).follow_up_months, (std::vector<int>{1, 3, 6, 12}));
  EXPECT_TRUE(cat.Of(Procedure::kIudInsertion).then_yearly);
  // The follow-up months come from no seed or REFERENCE text: every one is marked unconfirmed.
  for (const auto& r : cat.rules) EXPECT_FALSE(r.confirmed) << ProcedureCode(r.procedure);
}

TEST(FamilyPlanningRules, BrokenCataloguesAreRefused) {
  EXPECT_FALSE(ParseProcedureCatalogue("{}").ok());
  EXPECT_FALSE(
      ParseProcedureCatalogue(
          R"({"procedures":[{"id":"iud_insertion","sex":"female","follow_up_months":[]}]})")
          .ok());  // the others are missing
  EXPECT_FALSE(
      ParseProcedureCatalogue(R"({"procedures":[{"id":"x","sex":"female","follow_up_months":[]}]})")
          .ok());
  auto backwards = ParseProcedureCatalogue(
      R"({"procedures":[{"id":"iud_insertion","sex":"female","follow_up_months":[3,1]}]})");
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.status().field_errors().at(0).code, "invalid_procedures");
}

TEST(FamilyPlanningRules, CodesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(Method::kOther); ++i) {
    const auto m = static_cast<Method>(i);
    EXPECT_EQ(ParseMethod(MethodCode(m)), m);
    EXPECT_FALSE(MethodLabelZh(m).empty());
  }
  for (int i = 0; i <= static_cast<int>(Procedure::kVasectomyReversal); ++i) {
    const auto p = static_cast<Procedure>(i);
    EXPECT_EQ(ParseProcedure(ProcedureCode(p)), p);
  }
  EXPECT_FALSE(ParseMethod("rhythm").has_value());
}

}  // namespace
}  // namespace jd::family_planning
