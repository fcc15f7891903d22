// The driver of the worked cases in tests/data/mental/ (see SOURCE.md there): follow_up.json (the
// validation, class and next due day of a follow-up), year.json (follow-ups a year asks for,
// overdue) and indicators.json (what a patient counts for on a day). Each case cites its source.
#include "mental/rules.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::mental {
namespace {

using nlohmann::json;
using testing_support::ForEachCase;
using testing_support::ReadCases;

Date D(const json& j) {
  auto d = ParseDate(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << j;
  return d.value_or(Date{});
}

template <class E, class Parse>
E Enum(const json& f, const char* key, E fallback, Parse parse) {
  if (!f.contains(key)) return fallback;
  auto v = parse(f[key].get<std::string>());
  EXPECT_TRUE(v.has_value()) << key;
  return v.value_or(fallback);
}

FollowUpFacts Facts(const json& f) {
  FollowUpFacts in;
  in.visited_on = D(f["visited_on"]);
  in.danger_level = f.value("danger_level", 0);
  in.symptoms = Enum(f, "symptoms", Symptoms::kNone, ParseSymptoms);
  in.insight = Enum(f, "insight", Insight::kComplete, ParseInsight);
  in.sleep = Enum(f, "sleep", Grade3::kGood, ParseGrade3);
  in.social_function = Enum(f, "social_function", Grade3::kGood, ParseGrade3);
  in.adherence = Enum(f, "adherence", Adherence::kRegular, ParseAdherence);
  in.side_effects = Enum(f, "side_effects", Severity::kNone, ParseSeverity);
  in.physical_illness = Enum(f, "physical_illness", Severity::kNone, ParseSeverity);
  in.hospitalisation = Enum(f, "hospitalisation", Hospitalisation::kNever, ParseHospitalisation);
  if (f.contains("last_discharge_on")) in.last_discharge_on = D(f["last_discharge_on"]);
  in.rehabilitation = f.value("rehabilitation", std::vector<std::string>{});
  in.improving = f.value("improving", false);
  return in;
}

TEST(MentalRules, FollowUpCases) {
  json cases = ReadCases("tests/data/mental/follow_up.json");
  ASSERT_GE(cases.size(), 15u);
  int classified = 0;
  ForEachCase(cases, [&](const json& c) {
    const FollowUpFacts in = Facts(c["follow_up"]);
    const json& expect = c["expect"];
    std::vector<FieldError> errors = CheckFollowUp(in, D(c["registered_on"]), D(c["today"]));
    json got = json::array();
    for (const auto& e : errors) got.push_back({{"field", e.field}, {"code", e.code}});
    EXPECT_EQ(got, expect["errors"]);
    if (!errors.empty()) return;
    std::optional<PreviousFollowUp> previous;
    if (c.contains("previous")) {
      previous = PreviousFollowUp{
          .visited_on = D(c["previous"]["visited_on"]),
          .cls = ParsePatientClass(c["previous"]["class"].get<std::string>()).value()};
    }
    const PatientClass cls = Classify(in);
    EXPECT_EQ(PatientClassCode(cls), expect["class"].get<std::string>());
    EXPECT_EQ(FormatDate(NextDue(in, cls, previous)), expect["next_due"].get<std::string>());
    ++classified;
  });
  EXPECT_GE(classified, 10);
}

TEST(MentalRules, YearCases) {
  json cases = ReadCases("tests/data/mental/year.json");
  ASSERT_GE(cases.size(), 5u);
  ForEachCase(cases, [&](const json& c) {
    const json& expect = c["expect"];
    if (expect.contains("required")) {
      EXPECT_EQ(RequiredFollowUps(D(c["registered_on"]), c["year"].get<int>()),
                expect["required"].get<int>());
    }
    for (const auto& d : expect.value("overdue_on", json::array())) {
      EXPECT_TRUE(Overdue(D(c["next_due"]), D(d))) << d;
    }
    for (const auto& d : expect.value("not_overdue_on", json::array())) {
      EXPECT_FALSE(Overdue(D(c["next_due"]), D(d))) << d;
    }
  });
}

TEST(MentalRules, IndicatorCases) {
  json cases = ReadCases("tests/data/mental/indicators.json");
  ASSERT_GE(cases.size(), 6u);
  int checked = 0;
  ForEachCase(cases, [&](const json& c) {
    const json& p = c["patient"];
    PatientTimeline t;
    t.registered_on = D(p["registered_on"]);
    if (p.contains("left_on")) t.left_on = D(p["left_on"]);
    std::optional<Date> electronic;
    if (p.contains("electronic_record_on")) electronic = D(p["electronic_record_on"]);
    for (const auto& f : p["follow_ups"]) {
      t.follow_ups.push_back({.visited_on = D(f[0]),
                              .cls = ParsePatientClass(f[1].get<std::string>()).value(),
                              .adherence = ParseAdherence(f[2].get<std::string>()).value()});
    }
    for (const auto& on : c["on"]) {
      const PatientStanding s = StandingOn(t, electronic, D(on["day"]));
      const json got = {{"managed", s.managed},         {"standard", s.standard},
                        {"followed_up", s.followed_up}, {"regular", s.regular},
                        {"stable", s.stable},           {"electronic", s.electronic}};
      EXPECT_EQ(got, on["expect"]) << on["day"];
      ++checked;
    }
  });
  EXPECT_GE(checked, 12);
  const Date day = *ParseDate("2026-09-01");
  EXPECT_FALSE(LeftManagementOn(PatientStatus::kActive, day).has_value());
  EXPECT_EQ(LeftManagementOn(PatientStatus::kMoved, day), day);
  EXPECT_DOUBLE_EQ(ExpectedPatients(2000), 9.0);  // 2,000 × 4.5‰
}

TEST(MentalRules, CodesRoundTrip) {
  for (auto d : {Diagnosis::kSchizophrenia, Diagnosis::kSchizoaffective,
                 Diagnosis::kParanoidPsychosis, Diagnosis::kBipolar, Diagnosis::kEpilepsyPsychosis,
                 Diagnosis::kIntellectualDisabilityPsychosis}) {
    EXPECT_EQ(ParseDiagnosis(DiagnosisCode(d)), d);
  }
  EXPECT_FALSE(ParseDiagnosis("depression"));
  EXPECT_EQ(FormatDate(FirstDue(*ParseDate("2026-01-10"))), "2026-01-24");
}

}  // namespace
}  // namespace jd::mental
