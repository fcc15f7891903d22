// The pure rules of resident health records: the number's layout and the next serial, the checks
// of a record against its person, reading a body, and the entitlement of 试点工作方案 §四(一).
#include "records/health_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace jd::records {
namespace {

using nlohmann::json;

Date D(const char* text) { return *ParseDate(text); }

bool Has(const std::vector<FieldError>& errors, const std::string& field, const std::string& code) {
  for (const auto& e : errors)
    if (e.field == field && e.code == code) return true;
  return false;
}

TEST(RecordNumberTest, AreaIsTheResidenceCodePaddedToTwelveDigits) {
  EXPECT_EQ(RecordAreaOf("450103001002"), "450103001002");
  EXPECT_EQ(RecordAreaOf("450103001"), "450103001000");
  EXPECT_EQ(RecordAreaOf("450103"), "450103000000");
  EXPECT_FALSE(RecordAreaOf("4501030010"));
  EXPECT_FALSE(RecordAreaOf("45010300100A"));
  EXPECT_FALSE(RecordAreaOf(""));
}

TEST(RecordNumberTest, FormatsCountyTownshipVillageAndFiveDigitSerial) {
  std::string no = FormatRecordNo("450103001002", 7);
  EXPECT_EQ(no, "45010300100200007");
  EXPECT_EQ(no.size(), kRecordNoDigits);
  EXPECT_EQ(SerialOf(no), 7);
  EXPECT_EQ(SerialOf(FormatRecordNo("450103001002", kMaxSerial)), kMaxSerial);
}

TEST(RecordNumberTest, NextSerialFollowsTheHighestOfTheArea) {
  auto first = NextRecordNo("450103001002", std::nullopt);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, "45010300100200001");
  auto next = NextRecordNo("450103001002", std::string("45010300100200041"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, "45010300100200042");
  auto full = NextRecordNo("450103001002", std::string("45010300100299999"));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), StatusCode::kFailedPrecondition);
}

TEST(RecordNumberTest, ChecksLengthDigitsCountyAndSerial) {
  EXPECT_TRUE(CheckRecordNo("45010300100200001").empty());
  EXPECT_TRUE(Has(CheckRecordNo("4501030010020001"), "record_no", "invalid_format"));
  EXPECT_TRUE(Has(CheckRecordNo("450103001002000011"), "record_no", "invalid_format"));
  EXPECT_TRUE(Has(CheckRecordNo("4501030010020000A"), "record_no", "invalid_format"));
  EXPECT_TRUE(Has(CheckRecordNo("05010300100200001"), "record_no", "invalid_county"));
  EXPECT_TRUE(Has(CheckRecordNo("45010300100200000"), "record_no", "invalid_serial"));
  EXPECT_FALSE(SerialOf("45010300100200000"));
}

TEST(CheckRecordTest, EstablishedBetweenBirthAndToday) {
  HealthRecord r{.established_on = D("2026-01-10"), .clinic_code = "450103001"};
  FieldErrors ok;
  CheckRecord(r, D("1990-05-01"), D("2026-11-22"), ok);
  EXPECT_TRUE(ok.empty());

  FieldErrors before;
  CheckRecord(r, D("2026-02-01"), D("2026-11-22"), before);
  EXPECT_TRUE(Has(before.errors(), "established_on", "before_birth"));

  FieldErrors future;
  r.established_on = D("2026-11-23");
  CheckRecord(r, D("1990-05-01"), D("2026-11-22"), future);
  EXPECT_TRUE(Has(future.errors(), "established_on", "in_future"));

  // The birth day and today themselves are allowed.
  FieldErrors edges;
  r.established_on = D("2026-11-22");
  CheckRecord(r, D("2026-11-22"), D("2026-11-22"), edges);
  EXPECT_TRUE(edges.empty());
}

TEST(CheckRecordTest, ClinicAndDateAreRequired) {
  FieldErrors errors;
  CheckRecord(HealthRecord{}, D("1990-05-01"), D("2026-11-22"), errors);
  EXPECT_TRUE(Has(errors.errors(), "established_on", "required"));
  EXPECT_TRUE(Has(errors.errors(), "clinic", "required"));
}

TEST(CheckRecordTest, AFieldAlreadyInErrorIsNotReportedTwice) {
  FieldErrors errors;
  errors.Add("established_on", "invalid_date", "zh", "en");
  CheckRecord(HealthRecord{.clinic_code = "450103001"}, D("1990-05-01"), D("2026-11-22"), errors);
  EXPECT_EQ(errors.errors().size(), 1u);
}

TEST(ReadRecordInputTest, ReadsEveryField) {
  FieldErrors errors;
  RecordInput in = ReadRecordInput(json{{"record_no", " 45010300100200003 "},
                                        {"established_on", "2026-03-01"},
                                        {"clinic", "450103001"},
                                        {"electronic", false},
                                        {"note", "ignored"}},
                                   errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(in.record_no, "45010300100200003");
  EXPECT_EQ(in.established_on, D("2026-03-01"));
  EXPECT_EQ(in.clinic, "450103001");
  EXPECT_EQ(in.electronic, false);
  EXPECT_EQ(in.given,
            (std::vector<std::string>{"clinic", "electronic", "established_on", "record_no"}));
}

TEST(ReadRecordInputTest, EveryProblemIsAFieldError) {
  FieldErrors errors;
  RecordInput in = ReadRecordInput(json{{"record_no", "123"},
                                        {"established_on", "2026-02-30"},
                                        {"clinic", 450103001},
                                        {"electronic", "yes"}},
                                   errors);
  EXPECT_TRUE(Has(errors.errors(), "record_no", "invalid_format"));
  EXPECT_TRUE(Has(errors.errors(), "established_on", "invalid_date"));
  EXPECT_TRUE(Has(errors.errors(), "clinic", "wrong_type"));
  EXPECT_TRUE(Has(errors.errors(), "electronic", "wrong_type"));
  EXPECT_FALSE(in.record_no);
  EXPECT_FALSE(in.established_on);
  EXPECT_FALSE(in.electronic);
}

TEST(ReadRecordInputTest, NullIsAbsent) {
  FieldErrors errors;
  RecordInput in = ReadRecordInput(json{{"record_no", nullptr}, {"electronic", nullptr}}, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(in.record_no);
  EXPECT_FALSE(in.electronic);
  EXPECT_TRUE(in.given.empty());  // a patch of nulls changes nothing
}

registry::EligibilityFacts Migrant(Date arrived) {
  registry::EligibilityFacts f;
  f.as_of = D("2026-11-22");
  f.birth_date = D("1990-05-01");
  f.hukou_division = "430528";
  f.residence_division = "450103";
  f.left_hukou_on = arrived;
  f.arrived_on = arrived;
  f.reason = registry::MoveReason::kWork;
  return f;
}

TEST(EntitlementTest, SixMonthsHereEntitles) {
  // 试点工作方案 §四(一): 居住6个月以上; "6个月以上" includes the day 6 months are complete.
  auto result = registry::Evaluate(Migrant(D("2026-05-22")));
  EXPECT_TRUE(EntitlementRefusal(result).empty());
  EXPECT_EQ(EntitlementBasis(result), "health_record_6_months since 2026-11-22");
}

TEST(EntitlementTest, TooRecentArrivalIsRefusedByTheSixMonthRule) {
  auto result = registry::Evaluate(Migrant(D("2026-05-23")));
  auto errors = EntitlementRefusal(result);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "eligibility.health_record_6_months");
  EXPECT_EQ(errors[0].code, "not_entitled");
  EXPECT_FALSE(errors[0].message_zh.empty());
  EXPECT_EQ(EntitlementBasis(result), "");
}

TEST(EntitlementTest, ANonMigrantIsRefusedByEveryFailedDefinitionRule) {
  registry::EligibilityFacts f = Migrant(D("2025-01-01"));
  f.hukou_division = "450103";  // 户籍 in the same city
  f.reason = registry::MoveReason::kTravel;
  auto errors = EntitlementRefusal(registry::Evaluate(f));
  EXPECT_TRUE(Has(errors, "eligibility.not_same_city", "not_entitled"));
  EXPECT_TRUE(Has(errors, "eligibility.purpose_work_or_life", "not_entitled"));
  EXPECT_TRUE(Has(errors, "eligibility.health_record_6_months", "not_entitled"));
  // Rules of other entitlements never refuse a health record.
  EXPECT_FALSE(Has(errors, "eligibility.service_document", "not_entitled"));
  EXPECT_FALSE(Has(errors, "eligibility.vaccination_file_child_0_6", "not_entitled"));
}

}  // namespace
}  // namespace jd::records
