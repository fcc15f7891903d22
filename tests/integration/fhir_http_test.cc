// The HL7 FHIR R4 API (/fhir/r4) on the real `jundeng serve` over a demo city: the
// CapabilityStatement without a session; a centre reads a child of its street as a Patient with
// the whole ID number under the 居民身份证 OID, finds her by that number or by name with the
// number masked (MASKED label), gets her doses as Immunizations and her forecast as an
// ImmunizationRecommendation, all of it in Patient/$everything, and records a dose from a FHIR
// Immunization that the native API then shows; another district's centre gets 404 for the same
// child and dose, audited as denied; a role without person_read gets 403; bad input (unknown
// search parameter, wrong resourceType, no vaccine code, a dose date in the future, a body that
// is not JSON) is 400; every failure is an OperationOutcome with Chinese and English text, never
// problem+json and never 5xx. A transaction Bundle registers a newborn with her doses (referenced
// by urn:uuid, in any order), and a conditional create sent again finds her; a Bundle with one bad
// entry keeps nothing and names the entry, a refusal inside it stays audited, a stale ifMatch is
// 412 and a role without the entry's permission 403.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Fhir-Test-Passw0rd!";
constexpr const char* kResidentIdSystem = "urn:oid:2.16.156.10011.1.3";

// A newborn of street A as a Patient with a fullUrl; and a dose that references her by it.
json NewbornEntry(const std::string& full_url, const std::string& number, const std::string& street,
                  const std::string& birth) {
  json patient = {
      {"resourceType", "Patient"},
      {"identifier", json::array({{{"system", kResidentIdSystem}, {"value", number}}})},
      {"name", json::array({{{"text", "韦小禾"}}})},
      {"birthDate", birth},
      {"address",
       json::array({{{"use", "home"}, {"text", "事务路1号"}, {"period", {{"start", birth}}}},
                    {{"use", "old"}, {"district", "450803"}}})},
      {"extension",
       json::array(
           {{{"url", "urn:jundeng:fhir:extension:residence-org"}, {"valueCode", street}},
            {{"url", "urn:jundeng:fhir:extension:move-reason"}, {"valueCode", "family"}}})}};
  return {{"fullUrl", full_url},
          {"resource", patient},
          {"request",
           {{"method", "POST"},
            {"url", "Patient"},
            {"ifNoneExist", std::string("identifier=") + kResidentIdSystem + "|" + number}}}};
}

json DoseEntry(const std::string& patient_ref, const std::string& vaccine, const std::string& date,
               const std::string& clinic) {
  return {
      {"resource",
       {{"resourceType", "Immunization"},
        {"status", "completed"},
        {"vaccineCode",
         {{"coding", json::array({{{"system", "urn:jundeng:fhir:vaccine"}, {"code", vaccine}}})}}},
        {"patient", {{"reference", patient_ref}}},
        {"occurrenceDateTime", date},
        {"primarySource", true},
        {"performer",
         json::array({{{"actor",
                        {{"identifier",
                          {{"system", "urn:jundeng:fhir:org-unit"}, {"value", clinic}}}}}}})}}},
      {"request", {{"method", "POST"}, {"url", "Immunization"}}}};
}

json Transaction(json entries) {
  return {{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", std::move(entries)}};
}

class FhirHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/1500, /*seed=*/41);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    ASSERT_FALSE(streets.street_b.empty());
    server_->AddUser("fhir_center_a", "center", street_a_, kPassword);
    server_->AddUser("fhir_center_b", "center", streets.street_b, kPassword);
    server_->AddUser("fhir_finance", "finance", streets.district_a, kPassword);
    server_->AddUser("fhir_district_a", "district", streets.district_a, kPassword);
    server_->AddUser("fhir_district_b", "district", streets.district_b, kPassword);
    district_a_ = streets.district_a;
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
    auto path =
        QueryRows(server_->db_path(), "SELECT path FROM org_units WHERE code = ?1", {street_a_});
    ASSERT_EQ(path.size(), 1u);
    // A child of street A with doses and a resident ID number.
    auto rows = QueryRows(server_->db_path(),
                          "SELECT p.id, p.id_number, p.name FROM persons p WHERE "
                          "p.residence_path LIKE ?1 || '%' AND p.id_type = 'resident_id' AND "
                          "p.birth_date >= ?2 AND EXISTS (SELECT 1 FROM vaccination_records r "
                          "WHERE r.person_id = p.id AND r.status = 'active') ORDER BY p.id LIMIT 1",
                          {path[0][0], Iso(MonthsBefore(Today(), 5 * 12))});
    ASSERT_EQ(rows.size(), 1u) << "no child with doses on street A";
    child_ = rows[0][0];
    id_number_ = rows[0][1];
    name_ = rows[0][2];
    dose_ = QueryRows(server_->db_path(),
                      "SELECT id FROM vaccination_records WHERE person_id = ?1 ORDER BY given_on "
                      "LIMIT 1",
                      {child_})[0][0];
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static long long Denied(const std::string& user) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = "
                          "'denied'",
                          {user});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  // A FHIR failure: `status`, an OperationOutcome whose issues are in both languages, and (when
  // given) one issue whose expression is `expression`.
  static void ExpectOutcome(const ApiReply& r, int status, const std::string& expression = "") {
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_EQ(r.content_type.rfind("application/fhir+json", 0), 0u) << r.content_type;
    ASSERT_EQ(r.body.value("resourceType", ""), "OperationOutcome") << r.raw;
    ASSERT_FALSE(r.body["issue"].empty());
    bool named = expression.empty();
    for (const auto& issue : r.body["issue"]) {
      EXPECT_EQ(issue.value("severity", ""), "error");
      EXPECT_FALSE(issue["details"].value("text", "").empty()) << issue;
      EXPECT_FALSE(issue.value("diagnostics", "").empty()) << issue;
      for (const auto& e : issue.value("expression", json::array())) {
        if (e == expression) named = true;
      }
    }
    EXPECT_TRUE(named) << expression << " not named in " << r.raw;
  }

  static json Dose(const std::string& vaccine, const std::string& date) {
    return {
        {"resourceType", "Immunization"},
        {"status", "completed"},
        {"vaccineCode",
         {{"coding", json::array({{{"system", "urn:jundeng:fhir:vaccine"}, {"code", vaccine}}})}}},
        {"patient", {{"reference", "Patient/" + child_}}},
        {"occurrenceDateTime", date},
        {"lotNumber", "FHIR-LOT-1"},
        {"primarySource", true},
        {"performer",
         json::array({{{"actor",
                        {{"identifier",
                          {{"system", "urn:jundeng:fhir:org-unit"}, {"value", street_a_}}}}}}})}};
  }

  static ApiReply PostFhir(const std::string& path, const std::string& user,
                           const std::string& body) {
    return api_->Call("POST", path, user, body, {}, "application/fhir+json");
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, district_a_, child_, id_number_, name_, dose_;
};

TEST_F(FhirHttpTest, CapabilityStatementNeedsNoSession) {
  ApiReply r = api_->Get("/fhir/r4/metadata", "");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.content_type.rfind("application/fhir+json", 0), 0u);
  EXPECT_EQ(r.body.value("resourceType", ""), "CapabilityStatement");
  EXPECT_EQ(r.body.value("fhirVersion", ""), "4.0.1");
  std::vector<std::string> types;
  for (const auto& res : r.body["rest"][0]["resource"]) types.push_back(res.value("type", ""));
  EXPECT_EQ(types,
            (std::vector<std::string>{"Patient", "Immunization", "ImmunizationRecommendation"}));
}

TEST_F(FhirHttpTest, ReadShowsTheWholeIdNumberAndIsAudited) {
  ApiReply r = api_->Get("/fhir/r4/Patient/" + child_, "fhir_center_a");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body.value("resourceType", ""), "Patient");
  EXPECT_EQ(r.body.value("id", ""), child_);
  EXPECT_EQ(r.body["name"][0].value("text", ""), name_);
  bool found = false;
  for (const auto& id : r.body["identifier"]) {
    if (id.value("system", "") == kResidentIdSystem) {
      EXPECT_EQ(id.value("value", ""), id_number_);
      found = true;
    }
  }
  EXPECT_TRUE(found) << r.raw;
  EXPECT_FALSE(r.Header("ETag").empty());
  auto audited = QueryRows(server_->db_path(),
                           "SELECT COUNT(*) FROM audit_log WHERE username = 'fhir_center_a' AND "
                           "person_id = ?1 AND result = 'ok'",
                           {child_});
  EXPECT_GE(std::stoll(audited[0][0]), 1);
}

TEST_F(FhirHttpTest, SearchFindsByIdentifierOrNameWithTheNumberMasked) {
  for (const std::string& query :
       {std::string("identifier=") + kResidentIdSystem + "|" + id_number_,
        "identifier=" + id_number_, "name=" + name_}) {
    ApiReply r = api_->Get("/fhir/r4/Patient?" + query, "fhir_center_a");
    ASSERT_EQ(r.status, 200) << query << " " << r.raw;
    EXPECT_EQ(r.body.value("type", ""), "searchset");
    bool found = false;
    for (const auto& e : r.body["entry"]) {
      if (e["resource"].value("id", "") == child_) found = true;
      EXPECT_EQ(e["search"].value("mode", ""), "match");
      EXPECT_EQ(e["resource"]["meta"]["security"][0].value("code", ""), "MASKED");
    }
    EXPECT_TRUE(found) << query;
    EXPECT_EQ(r.raw.find(id_number_), std::string::npos) << query << ": the whole number shows";
  }
  // Another system's identifier is not searched as if it were an ID number.
  ExpectOutcome(api_->Get("/fhir/r4/Patient?identifier=urn:other|" + id_number_, "fhir_center_a"),
                400, "identifier");
}

TEST_F(FhirHttpTest, SearchPagesWithNextLinks) {
  ApiReply first = api_->Get("/fhir/r4/Patient?_count=5", "fhir_center_a");
  ASSERT_EQ(first.status, 200) << first.raw;
  ASSERT_EQ(first.body["entry"].size(), 5u);
  std::string next;
  for (const auto& l : first.body["link"]) {
    if (l.value("relation", "") == "next") next = l.value("url", "");
  }
  ASSERT_NE(next.find("_getpagesoffset=5"), std::string::npos) << first.raw;
  ApiReply second = api_->Get(next.substr(next.find("/fhir/r4")), "fhir_center_a");
  ASSERT_EQ(second.status, 200) << second.raw;
  ASSERT_FALSE(second.body["entry"].empty());
  EXPECT_NE(second.body["entry"][0]["resource"].value("id", ""),
            first.body["entry"][0]["resource"].value("id", ""));
}

// birthdate and _lastUpdated narrow the search (search.html#date), repeated as AND, and the
// paging links keep them; the count is the street's own, checked in the database.
TEST_F(FhirHttpTest, SearchByBirthDateAndLastChange) {
  const std::string path = QueryRows(
      server_->db_path(), "SELECT path FROM org_units WHERE code = ?1", {street_a_})[0][0];
  const std::string born =
      QueryRows(server_->db_path(), "SELECT birth_date FROM persons WHERE id = ?1", {child_})[0][0];
  const std::string year = born.substr(0, 4);
  const std::string next_year = std::to_string(std::stoi(year) + 1);
  auto count_where = [&](const std::string& condition, const std::vector<std::string>& args) {
    std::vector<std::string> all = {path};
    all.insert(all.end(), args.begin(), args.end());
    return std::stoll(QueryRows(server_->db_path(),
                                "SELECT COUNT(*) FROM persons WHERE residence_path LIKE ?1 || '%' "
                                "AND " +
                                    condition,
                                all)[0][0]);
  };

  ApiReply day = api_->Get("/fhir/r4/Patient?birthdate=" + born, "fhir_center_a");
  ASSERT_EQ(day.status, 200) << day.raw;
  bool found = false;
  for (const auto& e : day.body["entry"]) {
    EXPECT_EQ(e["resource"].value("birthDate", ""), born);
    if (e["resource"].value("id", "") == child_) found = true;
  }
  EXPECT_TRUE(found) << day.raw;
  EXPECT_EQ(day.body.value("total", -1), count_where("birth_date = ?2", {born}));

  const std::string of_year = "birthdate=ge" + year + "&birthdate=lt" + next_year;
  ApiReply page = api_->Get("/fhir/r4/Patient?_count=2&" + of_year, "fhir_center_a");
  ASSERT_EQ(page.status, 200) << page.raw;
  const long long in_year =
      count_where("birth_date >= ?2 AND birth_date < ?3", {year + "-01-01", next_year + "-01-01"});
  EXPECT_EQ(page.body.value("total", -1), in_year);
  for (const auto& e : page.body["entry"]) {
    EXPECT_EQ(e["resource"].value("birthDate", "").substr(0, 4), year);
  }
  if (in_year > 2) {
    std::string next;
    for (const auto& l : page.body["link"]) {
      if (l.value("relation", "") == "next") next = l.value("url", "");
    }
    EXPECT_NE(next.find("birthdate=ge" + year), std::string::npos) << next;
    EXPECT_NE(next.find("birthdate=lt" + next_year), std::string::npos) << next;
    ApiReply second = api_->Get(next.substr(next.find("/fhir/r4")), "fhir_center_a");
    ASSERT_EQ(second.status, 200) << second.raw;
    for (const auto& e : second.body["entry"]) {
      EXPECT_EQ(e["resource"].value("birthDate", "").substr(0, 4), year);
    }
  }

  // Nobody has changed in the future; everyone of the street changed since 2000.
  ApiReply none =
      api_->Get("/fhir/r4/Patient?_lastUpdated=gt2099-01-01T00:00:00%2B08:00", "fhir_center_a");
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_EQ(none.body.value("total", -1), 0);
  ApiReply since = api_->Get("/fhir/r4/Patient?_count=1&_lastUpdated=ge2000", "fhir_center_a");
  ASSERT_EQ(since.status, 200) << since.raw;
  EXPECT_EQ(since.body.value("total", -1), count_where("1 = 1", {}));
}

TEST_F(FhirHttpTest, DosesForecastAndEverything) {
  ApiReply doses = api_->Get("/fhir/r4/Immunization?patient=Patient/" + child_, "fhir_center_a");
  ASSERT_EQ(doses.status, 200) << doses.raw;
  ASSERT_FALSE(doses.body["entry"].empty());
  for (const auto& e : doses.body["entry"]) {
    EXPECT_EQ(e["resource"].value("resourceType", ""), "Immunization");
    EXPECT_EQ(e["resource"]["patient"].value("reference", ""), "Patient/" + child_);
  }
  ApiReply one = api_->Get("/fhir/r4/Immunization/" + dose_, "fhir_center_a");
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body.value("id", ""), dose_);

  ApiReply forecast =
      api_->Get("/fhir/r4/ImmunizationRecommendation?patient=" + child_, "fhir_center_a");
  ASSERT_EQ(forecast.status, 200) << forecast.raw;
  const json rec = forecast.body["entry"][0]["resource"];
  EXPECT_EQ(rec.value("resourceType", ""), "ImmunizationRecommendation");
  EXPECT_EQ(rec.value("date", ""), Iso(Today()));
  ASSERT_FALSE(rec["recommendation"].empty());

  ApiReply all = api_->Get("/fhir/r4/Patient/" + child_ + "/$everything", "fhir_center_a");
  ASSERT_EQ(all.status, 200) << all.raw;
  std::map<std::string, int> kinds;
  for (const auto& e : all.body["entry"]) kinds[e["resource"].value("resourceType", "")]++;
  EXPECT_EQ(kinds["Patient"], 1);
  EXPECT_EQ(kinds["Immunization"], static_cast<int>(doses.body["entry"].size()));
  EXPECT_EQ(kinds["ImmunizationRecommendation"], 1);
  EXPECT_EQ(all.body.value("total", 0), static_cast<int>(all.body["entry"].size()));
}

TEST_F(FhirHttpTest, CreateRecordsADoseTheNativeApiShows) {
  const std::string day = Iso(AddDays(Today(), -1));
  ApiReply r = PostFhir("/fhir/r4/Immunization", "fhir_center_a", Dose("HepA-L", day).dump());
  ASSERT_EQ(r.status, 201) << r.raw;
  EXPECT_EQ(r.body.value("resourceType", ""), "Immunization");
  EXPECT_EQ(r.body.value("lotNumber", ""), "FHIR-LOT-1");
  const std::string id = r.body.value("id", "");
  EXPECT_NE(r.Header("Location").find("/fhir/r4/Immunization/" + id), std::string::npos);
  ApiReply native = api_->Get("/api/v1/persons/" + child_ + "/immunization", "fhir_center_a");
  ASSERT_EQ(native.status, 200);
  bool shown = false;
  for (const auto& rec : native.body["records"]) {
    if (rec.value("id", "") == id) {
      shown = true;
      EXPECT_EQ(rec.value("vaccine", ""), "HepA-L");
      EXPECT_EQ(rec.value("date", ""), day);
      EXPECT_EQ(rec.value("clinic", ""), street_a_);
    }
  }
  EXPECT_TRUE(shown) << native.raw;
  // The same dose again is the duplicate the native API refuses, named at the FHIR element.
  ExpectOutcome(PostFhir("/fhir/r4/Immunization", "fhir_center_a", Dose("HepA-L", day).dump()), 409,
                "Immunization.occurrenceDateTime");
}

TEST_F(FhirHttpTest, BadInputIsAnOperationOutcome) {
  ExpectOutcome(api_->Get("/fhir/r4/Patient?gender=female", "fhir_center_a"), 400, "gender");
  for (const char* bad : {"ne2020-01-01", "2020-13", "2020-01-01,2021-01-01", "yesterday"}) {
    ExpectOutcome(api_->Get(std::string("/fhir/r4/Patient?birthdate=") + bad, "fhir_center_a"), 400,
                  "birthdate");
  }
  ExpectOutcome(api_->Get("/fhir/r4/Patient?_lastUpdated=gt2026-01-01T10:00", "fhir_center_a"), 400,
                "_lastUpdated");
  ExpectOutcome(api_->Get("/fhir/r4/Patient?_count=0", "fhir_center_a"), 400, "_count");
  ExpectOutcome(api_->Get("/fhir/r4/Immunization", "fhir_center_a"), 400, "patient");
  ExpectOutcome(PostFhir("/fhir/r4/Immunization", "fhir_center_a", "{not json"), 400);
  ExpectOutcome(
      PostFhir("/fhir/r4/Immunization", "fhir_center_a", json{{"resourceType", "Patient"}}.dump()),
      400, "resourceType");
  json no_code = Dose("HepA-L", Iso(Today()));
  no_code["vaccineCode"] = {{"text", "甲肝"}};
  ExpectOutcome(PostFhir("/fhir/r4/Immunization", "fhir_center_a", no_code.dump()), 400,
                "Immunization.vaccineCode");
  ExpectOutcome(PostFhir("/fhir/r4/Immunization", "fhir_center_a",
                         Dose("HepA-L", Iso(AddDays(Today(), 3))).dump()),
                400, "Immunization.occurrenceDateTime");
  ExpectOutcome(api_->Get("/fhir/r4/Patient/not-an-id", "fhir_center_a"), 404);
}

TEST_F(FhirHttpTest, AnotherAreaAndOtherRolesAreRefused) {
  const long long before = Denied("fhir_center_b");
  for (const std::string& path :
       {"/fhir/r4/Patient/" + child_, "/fhir/r4/Patient/" + child_ + "/$everything",
        "/fhir/r4/Immunization/" + dose_, "/fhir/r4/Immunization?patient=" + child_,
        "/fhir/r4/Patient?_id=" + child_}) {
    ApiReply r = api_->Get(path, "fhir_center_b");
    if (path.find("_id=") != std::string::npos) {
      // A search finds no one rather than saying "not found".
      ASSERT_EQ(r.status, 200) << r.raw;
      EXPECT_EQ(r.body.value("total", -1), 0);
    } else {
      ExpectOutcome(r, 404);
    }
    EXPECT_EQ(r.raw.find(name_), std::string::npos) << path;
  }
  EXPECT_GE(Denied("fhir_center_b"), before + 5);
  ExpectOutcome(PostFhir("/fhir/r4/Immunization", "fhir_center_b",
                         Dose("HepA-L", Iso(AddDays(Today(), -2))).dump()),
                404);
  ExpectOutcome(api_->Get("/fhir/r4/Patient/" + child_, "fhir_finance"), 403);
  ExpectOutcome(api_->Get("/fhir/r4/Patient/" + child_, ""), 401);
}

TEST_F(FhirHttpTest, CreateAndUpdateAPatientWithItsVersion) {
  const std::string number = MakeResidentId("450803", "19900412", 38);
  json patient = {
      {"resourceType", "Patient"},
      {"identifier", json::array({{{"system", kResidentIdSystem}, {"value", number}}})},
      {"name", json::array({{{"family", "黄"}, {"given", json::array({"立新"})}}})},
      {"telecom", json::array({{{"system", "phone"}, {"value", "13812345678"}}})},
      {"address",
       json::array({{{"use", "home"}, {"text", "测试路8号"}, {"period", {{"start", "2021-05-01"}}}},
                    {{"use", "old"}, {"district", "450803"}}})},
      {"extension",
       json::array(
           {{{"url", "urn:jundeng:fhir:extension:residence-org"}, {"valueCode", street_a_}},
            {{"url", "urn:jundeng:fhir:extension:move-reason"}, {"valueCode", "work"}},
            {{"url", "urn:jundeng:fhir:extension:left-hukou-on"}, {"valueDate", "2021-04-20"}}})}};
  ApiReply created = PostFhir("/fhir/r4/Patient", "fhir_center_a", patient.dump());
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body.value("id", "");
  EXPECT_EQ(created.body["name"][0].value("text", ""), "黄立新");
  EXPECT_EQ(created.body.value("gender", ""), "female");  // from the ID number's sequence digit
  EXPECT_EQ(created.body.value("birthDate", ""), "1990-04-12");
  EXPECT_EQ(created.Header("ETag"), "W/\"1\"");
  ApiReply native = api_->Get("/api/v1/persons/" + id, "fhir_center_a");
  ASSERT_EQ(native.status, 200);
  EXPECT_EQ(native.body.value("hukou_division", ""), "450803");
  EXPECT_EQ(native.body.value("arrived_on", ""), "2021-05-01");

  // The same document again is a duplicate; a person of another street cannot be registered here.
  ExpectOutcome(PostFhir("/fhir/r4/Patient", "fhir_center_a", patient.dump()), 409);

  // Update: the version read is required, a stale one is refused, and what is left out stays.
  json change = created.body;
  change["telecom"] = json::array({{{"system", "phone"}, {"value", "13912345678"}}});
  change.erase("address");
  ApiReply no_version = api_->Call("PUT", "/fhir/r4/Patient/" + id, "fhir_center_a", change.dump(),
                                   {}, "application/fhir+json");
  ExpectOutcome(no_version, 428);
  ApiReply updated = api_->Call("PUT", "/fhir/r4/Patient/" + id, "fhir_center_a", change.dump(),
                                {{"If-Match", "W/\"1\""}}, "application/fhir+json");
  ASSERT_EQ(updated.status, 200) << updated.raw;
  EXPECT_EQ(updated.body["meta"].value("versionId", ""), "2");
  EXPECT_EQ(updated.body["telecom"][0].value("value", ""), "13912345678");
  native = api_->Get("/api/v1/persons/" + id, "fhir_center_a");
  EXPECT_EQ(native.body.value("arrived_on", ""), "2021-05-01");
  ApiReply stale = api_->Call("PUT", "/fhir/r4/Patient/" + id, "fhir_center_a", change.dump(),
                              {{"If-Match", "W/\"1\""}}, "application/fhir+json");
  ExpectOutcome(stale, 412);
  // Another district's centre: not found, audited.
  const long long before = Denied("fhir_center_b");
  ApiReply other = api_->Call("PUT", "/fhir/r4/Patient/" + id, "fhir_center_b", change.dump(),
                              {{"If-Match", "W/\"2\""}}, "application/fhir+json");
  ExpectOutcome(other, 404);
  EXPECT_GT(Denied("fhir_center_b"), before);
  // A bad value is named by its element.
  json bad = patient;
  bad["identifier"][0]["value"] = "450803199004120000";
  ExpectOutcome(PostFhir("/fhir/r4/Patient", "fhir_center_a", bad.dump()), 400,
                "Patient.identifier");
}

TEST_F(FhirHttpTest, ATransactionRegistersANewbornWithHerDosesOrNothing) {
  const auto born = AddDays(Today(), -40);
  const std::string birth = Iso(born);
  const std::string number = MakeResidentId("450803", Compact(born), 52);
  const std::string uuid = "urn:uuid:6f1c8a9e-2b4d-4c3a-9e1f-0a7b5c3d2e10";
  // The doses come first in the Bundle: references resolve whatever the order.
  json bundle = Transaction(json::array({DoseEntry(uuid, "HepB", birth, street_a_),
                                         DoseEntry(uuid, "BCG", birth, street_a_),
                                         NewbornEntry(uuid, number, street_a_, birth)}));
  ApiReply r = PostFhir("/fhir/r4", "fhir_center_a", bundle.dump());
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body.value("type", ""), "transaction-response");
  ASSERT_EQ(r.body["entry"].size(), 3u);
  EXPECT_EQ(r.body["entry"][0]["response"].value("status", ""), "201 Created");
  EXPECT_EQ(r.body["entry"][0]["resource"].value("resourceType", ""), "Immunization");
  EXPECT_EQ(r.body["entry"][2]["response"].value("status", ""), "201 Created");
  const std::string location = r.body["entry"][2]["response"].value("location", "");
  ASSERT_EQ(location.rfind("Patient/", 0), 0u) << location;
  const std::string id = location.substr(8, location.find("/_history") - 8);
  EXPECT_EQ(r.body["entry"][0]["resource"]["patient"].value("reference", ""), "Patient/" + id);
  ApiReply native = api_->Get("/api/v1/persons/" + id + "/immunization", "fhir_center_a");
  ASSERT_EQ(native.status, 200) << native.raw;
  EXPECT_EQ(native.body["records"].size(), 2u);

  // Sent again with only the Patient: the conditional create finds her and creates nobody.
  ApiReply again =
      PostFhir("/fhir/r4", "fhir_center_a",
               Transaction(json::array({NewbornEntry(uuid, number, street_a_, birth)})).dump());
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["entry"][0]["response"].value("status", ""), "200 OK");
  EXPECT_EQ(again.body["entry"][0]["response"].value("location", ""), location);
  EXPECT_EQ(QueryRows(server_->db_path(), "SELECT COUNT(*) FROM persons WHERE id_number = ?1",
                      {number})[0][0],
            "1");
  EXPECT_EQ(QueryRows(server_->db_path(),
                      "SELECT COUNT(*) FROM audit_log WHERE action = 'fhir.transaction' AND "
                      "username = 'fhir_center_a' AND result = 'ok'")[0][0],
            "2");
}

TEST_F(FhirHttpTest, AFailingEntryRollsBackTheWholeTransaction) {
  const auto born = AddDays(Today(), -20);
  const std::string number = MakeResidentId("450803", Compact(born), 64);
  const std::string uuid = "urn:uuid:0b7e4f2a-9c1d-4e8b-a3f6-5d2c1b0a9e87";
  // The second dose is dated in the future: the newborn and the first dose are not kept either.
  json bundle =
      Transaction(json::array({NewbornEntry(uuid, number, street_a_, Iso(born)),
                               DoseEntry(uuid, "HepB", Iso(born), street_a_),
                               DoseEntry(uuid, "BCG", Iso(AddDays(Today(), 2)), street_a_)}));
  ApiReply r = PostFhir("/fhir/r4", "fhir_center_a", bundle.dump());
  ExpectOutcome(r, 400, "Bundle.entry[2].resource.Immunization.occurrenceDateTime");
  ExpectOutcome(r, 400, "Bundle.entry[2]");
  EXPECT_EQ(QueryRows(server_->db_path(), "SELECT COUNT(*) FROM persons WHERE id_number = ?1",
                      {number})[0][0],
            "0");
  EXPECT_EQ(
      QueryRows(server_->db_path(),
                "SELECT COUNT(*) FROM audit_log WHERE action = 'person.create' AND "
                "username = 'fhir_center_a' AND object_id NOT IN (SELECT id FROM persons)")[0][0],
      "0");
  EXPECT_EQ(QueryRows(server_->db_path(),
                      "SELECT COUNT(*) FROM audit_log WHERE action = 'fhir.transaction' AND "
                      "result = 'invalid' AND detail LIKE '%\"failed_entry\":2%'")[0][0],
            "1");

  // A dose for a child of another district: 404 for the whole Bundle, and the refusal stays
  // audited although the transaction was rolled back.
  const long long before = Denied("fhir_center_b");
  ApiReply other = PostFhir(
      "/fhir/r4", "fhir_center_b",
      Transaction(json::array({DoseEntry("Patient/" + child_, "HepA-L", Iso(Today()), street_a_)}))
          .dump());
  ExpectOutcome(other, 404, "Bundle.entry[0]");
  EXPECT_GT(Denied("fhir_center_b"), before);

  // A stale ifMatch is still 412; a role without the entry's permission 403.
  auto version =
      QueryRows(server_->db_path(), "SELECT version FROM persons WHERE id = ?1", {child_});
  json put = {{"resource", {{"resourceType", "Patient"}, {"id", child_}}},
              {"request",
               {{"method", "PUT"},
                {"url", "Patient/" + child_},
                {"ifMatch", "W/\"" + std::to_string(std::stoi(version[0][0]) + 7) + "\""}}}};
  ExpectOutcome(PostFhir("/fhir/r4", "fhir_center_a", Transaction(json::array({put})).dump()), 412,
                "If-Match");
  ExpectOutcome(
      PostFhir("/fhir/r4", "fhir_finance",
               Transaction(json::array({NewbornEntry(uuid, number, street_a_, Iso(born))})).dump()),
      403);

  // The Bundle's own shape: a batch, an unsupported interaction, a reference to nothing.
  json batch = Transaction(json::array({NewbornEntry(uuid, number, street_a_, Iso(born))}));
  batch["type"] = "batch";
  ExpectOutcome(PostFhir("/fhir/r4", "fhir_center_a", batch.dump()), 400, "Bundle.type");
  json del = {{"resource", {{"resourceType", "Patient"}}},
              {"request", {{"method", "DELETE"}, {"url", "Patient/" + child_}}}};
  ExpectOutcome(PostFhir("/fhir/r4", "fhir_center_a", Transaction(json::array({del})).dump()), 400,
                "Bundle.entry[0].request");
  ExpectOutcome(
      PostFhir("/fhir/r4", "fhir_center_a",
               Transaction(json::array({DoseEntry(uuid, "HepB", Iso(born), street_a_)})).dump()),
      400, "Bundle.entry[0].resource.Immunization.patient");
  ExpectOutcome(PostFhir("/fhir/r4", "fhir_center_a", Transaction(json::array()).dump()), 400,
                "Bundle.entry");
}

}  // namespace
}  // namespace jd::integration

namespace jd::integration {
namespace {

// FHIR Bulk Data export ($export): a district manager's kick-off is 202 with a status URL; the
// poll ends in a manifest whose files hold every person and dose of the district (counted in the
// database) as NDJSON with whole ID numbers; the files are the requester's alone (another
// district's manager gets 404, audited as denied); a cancelled job's files are gone; a centre,
// without person_export_full, is refused; the kick-off without Prefer: respond-async, with an
// unknown type or a bad _since is a 400 OperationOutcome.
class FhirBulkExportTest : public FhirHttpTest {
 protected:
  static ApiReply KickOff(const std::string& query, const std::string& user, bool async = true) {
    httplib::Headers headers = {{"Accept", "application/fhir+json"}};
    if (async) headers.emplace("Prefer", "respond-async");
    return api_->Call("GET", "/fhir/r4/Patient/$export" + query, user, "", headers);
  }

  // Polls the status URL until the job ends (at most a minute).
  static ApiReply Poll(const std::string& status_url, const std::string& user) {
    const std::string path = status_url.substr(status_url.find("/fhir/r4"));
    ApiReply r;
    for (int i = 0; i < 600; ++i) {
      r = api_->Get(path, user);
      if (r.status != 202) return r;
      EXPECT_FALSE(r.Header("Retry-After").empty());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }

  static long long Count(const std::string& sql, const std::vector<std::string>& args) {
    return std::stoll(QueryRows(server_->db_path(), sql, args)[0][0]);
  }

  static long long AuditRows(const std::string& user, const std::string& action,
                             const std::string& result) {
    return Count(
        "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND action = ?2 AND "
        "result = ?3",
        {user, action, result});
  }
};

TEST_F(FhirBulkExportTest, TheDistrictAsNdjsonForItsRequesterOnly) {
  ApiReply accepted = KickOff("?_type=Patient,Immunization", "fhir_district_a");
  ASSERT_EQ(accepted.status, 202) << accepted.raw;
  const std::string status_url = accepted.Header("Content-Location");
  ASSERT_NE(status_url.find("/fhir/r4/$export-status/"), std::string::npos) << status_url;
  const std::string status_path = status_url.substr(status_url.find("/fhir/r4"));

  ApiReply done = Poll(status_url, "fhir_district_a");
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_FALSE(done.Header("Expires").empty());
  EXPECT_TRUE(done.body.value("requiresAccessToken", false));
  EXPECT_NE(done.body.value("request", "").find("/fhir/r4/Patient/$export?_type=Patient"),
            std::string::npos)
      << done.raw;
  ASSERT_EQ(done.body["output"].size(), 2u) << done.raw;

  const std::string path = QueryRows(
      server_->db_path(), "SELECT path FROM org_units WHERE code = ?1", {district_a_})[0][0];
  const long long persons =
      Count("SELECT COUNT(*) FROM persons WHERE residence_path LIKE ?1 || '%'", {path});
  const long long doses = Count(
      "SELECT COUNT(*) FROM vaccination_records r JOIN persons p ON p.id = r.person_id WHERE "
      "p.residence_path LIKE ?1 || '%'",
      {path});
  ASSERT_GT(persons, 0);
  ASSERT_GT(doses, 0);
  std::string patient_url;
  for (const auto& f : done.body["output"]) {
    const std::string type = f.value("type", "");
    EXPECT_EQ(f.value("count", -1LL), type == "Patient" ? persons : doses) << f;
    if (type == "Patient") patient_url = f.value("url", "");
  }
  ASSERT_FALSE(patient_url.empty());
  const std::string file_path = patient_url.substr(patient_url.find("/fhir/r4"));

  ApiReply file = api_->Get(file_path, "fhir_district_a");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type.rfind("application/fhir+ndjson", 0), 0u) << file.content_type;
  std::istringstream lines(file.raw);
  long long read = 0;
  bool whole_number = false;
  for (std::string line; std::getline(lines, line);) {
    json patient = json::parse(line);
    ASSERT_EQ(patient.value("resourceType", ""), "Patient");
    ++read;
    if (patient.value("id", "") == child_) {
      whole_number = file.raw.find(id_number_) != std::string::npos;
    }
  }
  EXPECT_EQ(read, persons);
  EXPECT_TRUE(whole_number) << "the child of street A, with her whole ID number";
  EXPECT_EQ(AuditRows("fhir_district_a", "fhir.export", "ok"), 1);
  EXPECT_EQ(AuditRows("fhir_district_a", "person.export", "ok"), 1);
  EXPECT_EQ(AuditRows("fhir_district_a", "vaccination.export", "ok"), 1);
  EXPECT_EQ(AuditRows("fhir_district_a", "fhir.export_file", "ok"), 1);

  // Another district's manager: no such job, and the attempts audited.
  const long long denied = Denied("fhir_district_b");
  EXPECT_EQ(api_->Get(status_path, "fhir_district_b").status, 404);
  EXPECT_EQ(api_->Get(file_path, "fhir_district_b").status, 404);
  EXPECT_EQ(api_->Call("DELETE", status_path, "fhir_district_b").status, 404);
  EXPECT_EQ(Denied("fhir_district_b"), denied + 3);

  // Cancelled: the job and its files are gone.
  ApiReply cancelled = api_->Call("DELETE", status_path, "fhir_district_a");
  EXPECT_EQ(cancelled.status, 202) << cancelled.raw;
  EXPECT_EQ(cancelled.body.value("resourceType", ""), "OperationOutcome");
  ExpectOutcome(api_->Get(status_path, "fhir_district_a"), 404);
  ExpectOutcome(api_->Get(file_path, "fhir_district_a"), 404);
  const std::string job = status_path.substr(status_path.rfind('/') + 1);
  EXPECT_FALSE(std::filesystem::exists(server_->db_path() + ".exports/" + job));
}

TEST_F(FhirBulkExportTest, SinceKeepsOnlyWhatChanged) {
  ApiReply accepted = KickOff("?_since=2099-01-01T00:00:00%2B08:00", "fhir_district_a");
  ASSERT_EQ(accepted.status, 202) << accepted.raw;
  ApiReply done = Poll(accepted.Header("Content-Location"), "fhir_district_a");
  ASSERT_EQ(done.status, 200) << done.raw;
  ASSERT_EQ(done.body["output"].size(), 2u);
  for (const auto& f : done.body["output"]) EXPECT_EQ(f.value("count", -1), 0) << f;
}

TEST_F(FhirBulkExportTest, BadKickOffsAreRefused) {
  ExpectOutcome(KickOff("", "fhir_district_a", /*async=*/false), 400, "Prefer");
  ExpectOutcome(KickOff("?_type=Observation", "fhir_district_a"), 400, "_type");
  ExpectOutcome(KickOff("?_since=yesterday", "fhir_district_a"), 400, "_since");
  ExpectOutcome(KickOff("?_outputFormat=text/csv", "fhir_district_a"), 400, "_outputFormat");
  ExpectOutcome(KickOff("?patient=Patient/x", "fhir_district_a"), 400, "patient");
  ExpectOutcome(KickOff("", "fhir_center_a"), 403);
  ExpectOutcome(
      api_->Get("/fhir/r4/$export-status/00000000-0000-4000-8000-000000000000", "fhir_district_a"),
      404);
}

}  // namespace
}  // namespace jd::integration
