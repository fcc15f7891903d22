#include "exchange/fhir.h"

#include <gtest/gtest.h>

namespace jd::exchange {
namespace {

using nlohmann::json;

registry::Person Sample() {
  registry::Person p;
  p.id = "0190c0de-0000-7000-8000-000000000001";
  p.name = "王小芳";
  p.sex = registry::Sex::kFemale;
  p.birth_date = ParseDate("2023-03-15").value();
  p.id_number = "450103202303150023";
  p.phone = "13900001111";
  p.residence_org = "450103001001";
  p.residence_address = "民族大道1号";
  p.arrived_on = ParseDate("2024-01-02").value();
  p.hukou_division = "431102";
  p.health_card_no = "HC4501030001";
  p.version = 3;
  p.updated_at = "2026-12-07T02:03:04.005Z";
  return p;
}

std::string ValueOf(const json& patient, std::string_view system) {
  for (const auto& id : patient["identifier"]) {
    if (id.value("system", "") == system) return id.value("value", "");
  }
  return "<none>";
}

TEST(FhirPatientTest, FullShowsIdentifiersUnderTheirSystems) {
  json p = PatientOf(Sample(), Disclosure::kFull);
  EXPECT_EQ(p["resourceType"], "Patient");
  EXPECT_EQ(p["gender"], "female");
  EXPECT_EQ(p["birthDate"], "2023-03-15");
  EXPECT_EQ(p["meta"]["versionId"], "3");
  EXPECT_EQ(p["meta"]["lastUpdated"], "2026-12-07T02:03:04.005Z");
  EXPECT_EQ(ValueOf(p, kSystemResidentId), "450103202303150023");
  EXPECT_EQ(ValueOf(p, kSystemHealthCard), "HC4501030001");
  EXPECT_EQ(ValueOf(p, kSystemUri), "urn:uuid:0190c0de-0000-7000-8000-000000000001");
  EXPECT_EQ(p["telecom"][0]["value"], "13900001111");
  EXPECT_EQ(p["address"][0]["district"], "450103");
  EXPECT_EQ(p["address"][0]["text"], "民族大道1号");
  EXPECT_FALSE(p["meta"].contains("security"));
}

TEST(FhirPatientTest, MaskedHidesNumberPhoneAndAddressAndSaysSo) {
  json p = PatientOf(Sample(), Disclosure::kMasked);
  const std::string dumped = p.dump();
  EXPECT_EQ(dumped.find("450103202303150023"), std::string::npos);
  EXPECT_EQ(dumped.find("13900001111"), std::string::npos);
  EXPECT_EQ(dumped.find("民族大道"), std::string::npos);
  EXPECT_EQ(p["meta"]["security"][0]["code"], "MASKED");
  EXPECT_NE(ValueOf(p, kSystemResidentId), "<none>");
}

TEST(FhirInstantTest, AcceptsOurTimestampsAndSqlitesAndNothingElse) {
  EXPECT_EQ(FhirInstant("2026-12-07T02:03:04.005Z"), "2026-12-07T02:03:04.005Z");
  EXPECT_EQ(FhirInstant("2026-12-07 02:03:04"), "2026-12-07T02:03:04Z");
  EXPECT_EQ(FhirInstant("2026-12-07"), "");
  EXPECT_EQ(FhirInstant(""), "");
}

TEST(FhirTokenTest, SystemMustBeOneOfOurs) {
  EXPECT_EQ(TokenValue("450103", {kSystemResidentId}), "450103");
  EXPECT_EQ(TokenValue("|450103", {kSystemResidentId}), "450103");
  EXPECT_EQ(TokenValue("urn:oid:2.16.156.10011.1.3|450103", {kSystemResidentId}), "450103");
  EXPECT_FALSE(TokenValue("urn:other|450103", {kSystemResidentId}).has_value());
}

TEST(FhirOutcomeTest, OneIssuePerFieldInBothLanguages) {
  Status st = Status::Invalid({{"date", "in_future", "日期晚于今天", "the date is in the future"},
                               {"vaccine", "unknown", "疫苗代码未知", "unknown vaccine"}});
  json o = OperationOutcomeOf(st);
  ASSERT_EQ(o["issue"].size(), 2u);
  EXPECT_EQ(o["issue"][0]["code"], "invalid");
  EXPECT_EQ(o["issue"][0]["expression"][0], "date");
  EXPECT_EQ(o["issue"][0]["details"]["text"], "日期晚于今天");
  EXPECT_EQ(o["issue"][0]["diagnostics"], "the date is in the future");
  json nf = OperationOutcomeOf(Status::NotFound("no such person", "无此人员"));
  ASSERT_EQ(nf["issue"].size(), 1u);
  EXPECT_EQ(nf["issue"][0]["code"], "not-found");
}

TEST(FhirRecommendationTest, OpenDosesOnlyWithTheirDates) {
  const auto& schedule = immunization::Schedule::Default();
  immunization::Forecast f;
  immunization::DoseForecast done{
      .vaccine = 0, .dose = 1, .status = immunization::DoseStatus::kDone};
  immunization::DoseForecast due{.vaccine = 0, .dose = 2, .status = immunization::DoseStatus::kDue};
  due.recommended = ParseDate("2023-04-15").value();
  due.earliest = due.recommended;
  due.timely_by = ParseDate("2023-05-15").value();
  f.doses = {done, due};
  json r = RecommendationOf(schedule, "p1", f, ParseDate("2023-04-20").value());
  ASSERT_EQ(r["recommendation"].size(), 1u);
  const json& rec = r["recommendation"][0];
  EXPECT_EQ(rec["doseNumberPositiveInt"], 2);
  EXPECT_EQ(rec["vaccineCode"][0]["coding"][0]["code"], schedule.info(0).code);
  EXPECT_EQ(rec["forecastStatus"]["coding"][1]["code"], "due");
  ASSERT_EQ(rec["dateCriterion"].size(), 3u);
  EXPECT_EQ(rec["dateCriterion"][2]["value"], "2023-05-15");
  // Nothing open: R4 still wants one recommendation, which says "complete".
  f.doses = {done};
  json none = RecommendationOf(schedule, "p1", f, ParseDate("2023-04-20").value());
  ASSERT_EQ(none["recommendation"].size(), 1u);
  EXPECT_EQ(none["recommendation"][0]["forecastStatus"]["coding"][0]["code"], "complete");
}

}  // namespace
}  // namespace jd::exchange
