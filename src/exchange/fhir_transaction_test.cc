#include "exchange/fhir_transaction.h"

#include <gtest/gtest.h>

namespace jd::exchange {
namespace {

using nlohmann::json;
using Kind = TransactionEntry::Kind;

constexpr const char* kUuid = "urn:uuid:6f1c8a9e-2b4d-4c3a-9e1f-0a7b5c3d2e10";
constexpr const char* kPerson = "0190c0de-0000-7000-8000-000000000001";

json PatientEntry(const std::string& number) {
  return {{"fullUrl", kUuid},
          {"resource",
           {{"resourceType", "Patient"},
            {"identifier",
             json::array({{{"system", "urn:oid:2.16.156.10011.1.3"}, {"value", number}}})}}},
          {"request",
           {{"method", "POST"},
            {"url", "Patient"},
            {"ifNoneExist", "identifier=urn:oid:2.16.156.10011.1.3|" + number}}}};
}

json Bundle(json entries) {
  return {{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", std::move(entries)}};
}

bool Names(const Status& st, const std::string& field, const std::string& code) {
  for (const auto& e : st.field_errors()) {
    if (e.field == field && e.code == code) return true;
  }
  return false;
}

// R4 http.html#transaction: the three interactions the node takes, typed.
TEST(FhirTransactionParseTest, TakesPatientCreateAndUpdateAndImmunizationCreate) {
  json put = {
      {"resource", {{"resourceType", "Patient"}, {"id", kPerson}}},
      {"request",
       {{"method", "PUT"}, {"url", std::string("Patient/") + kPerson}, {"ifMatch", "W/\"4\""}}}};
  json dose = {
      {"resource", {{"resourceType", "Immunization"}, {"patient", {{"reference", kUuid}}}}},
      {"request", {{"method", "POST"}, {"url", "Immunization"}}}};
  auto entries =
      ParseTransaction(Bundle(json::array({PatientEntry("450103202303150023"), put, dose})));
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].kind, Kind::kCreatePatient);
  EXPECT_EQ((*entries)[0].if_none_exist_id_number, "450103202303150023");
  EXPECT_EQ((*entries)[0].full_url, kUuid);
  EXPECT_EQ((*entries)[1].kind, Kind::kUpdatePatient);
  EXPECT_EQ((*entries)[1].id, kPerson);
  EXPECT_EQ((*entries)[1].if_match, 4);
  EXPECT_EQ((*entries)[2].kind, Kind::kCreateImmunization);
  EXPECT_EQ((*entries)[2].index, 2u);
}

TEST(FhirTransactionParseTest, RefusesWhatItCannotDoAllOrNothingNamingTheElement) {
  json batch = Bundle(json::array({PatientEntry("450103202303150023")}));
  batch["type"] = "batch";
  EXPECT_TRUE(Names(ParseTransaction(batch).status(), "Bundle.type", "unsupported_bundle_type"));
  EXPECT_TRUE(Names(ParseTransaction(Bundle(json::array())).status(), "Bundle.entry", "required"));
  json too_many = Bundle(json::array());
  for (std::size_t i = 0; i <= kMaxTransactionEntries; ++i)
    too_many["entry"].push_back(json::object());
  EXPECT_TRUE(Names(ParseTransaction(too_many).status(), "Bundle.entry", "too_many_entries"));

  // ifNoneExist may only name the resource's own 居民身份证 number.
  json other_number = PatientEntry("450103202303150023");
  other_number["request"]["ifNoneExist"] =
      "identifier=urn:oid:2.16.156.10011.1.3|450103202303150031";
  json by_name = PatientEntry("450103202303150023");
  by_name["request"]["ifNoneExist"] = "name=王";
  json put_without_version = {
      {"resource", {{"resourceType", "Patient"}}},
      {"request", {{"method", "PUT"}, {"url", std::string("Patient/") + kPerson}}}};
  json remove = {{"resource", {{"resourceType", "Patient"}}},
                 {"request", {{"method", "DELETE"}, {"url", std::string("Patient/") + kPerson}}}};
  json mismatched = {{"resource", {{"resourceType", "Immunization"}}},
                     {"request", {{"method", "POST"}, {"url", "Patient"}}}};
  json twice = PatientEntry("450103202303150040");
  twice["request"].erase("ifNoneExist");
  Status st =
      ParseTransaction(Bundle(json::array({other_number, by_name, put_without_version, remove,
                                           mismatched, twice, json("not an entry")})))
          .status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Names(st, "Bundle.entry[0].request.ifNoneExist", "unsupported_condition"));
  EXPECT_TRUE(Names(st, "Bundle.entry[1].request.ifNoneExist", "unsupported_condition"));
  EXPECT_TRUE(Names(st, "Bundle.entry[2].request.ifMatch", "version_required"));
  EXPECT_TRUE(Names(st, "Bundle.entry[3].request", "unsupported_interaction"));
  EXPECT_TRUE(Names(st, "Bundle.entry[4].request", "unsupported_interaction"));
  EXPECT_TRUE(Names(st, "Bundle.entry[5].fullUrl", "duplicate"));
  EXPECT_TRUE(Names(st, "Bundle.entry[6]", "invalid_entry"));
}

}  // namespace
}  // namespace jd::exchange
