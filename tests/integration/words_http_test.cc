// Names, not codes, over the JSON API: the eligibility explanation names places and labels its
// dates; documents and the audit log name their actors; the audit log is searched by a person's
// name or ID number within the auditor's area, with persons shown masked.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";
constexpr const char* kName = "武冈丽";  // a name no demo person has
constexpr const char* kMasked = "武**";  // as the audit log shows it
constexpr const char* kCenterName = "测试街道社区卫生服务中心";

std::string Encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

class WordsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    ASSERT_FALSE(street_a_.empty());
    CommandResult added =
        server_->Run({"user", "add", "--username", "w_center_a", "--role", "center", "--org",
                      street_a_, "--display-name", kCenterName, "--password-stdin"},
                     std::string(kPassword) + "\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    server_->AddUser("w_auditor", "auditor", "450100", kPassword);
    server_->AddUser("w_auditor_b", "auditor", streets.district_b, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);

    id_number_ = MakeResidentId("430581", "19900512", 7);
    json body = {{"name", kName},
                 {"id_number", id_number_},
                 {"phone", "13812345678"},
                 {"hukou_division", "430581"},
                 {"hukou_address", "湖南省邵阳市武冈市测试村"},
                 {"residence_org", street_a_},
                 {"residence_address", "测试路1号"},
                 {"left_hukou_on", "2020-02-20"},
                 {"arrived_on", "2020-03-01"},
                 {"move_reason", "work"}};
    ApiReply created = api_->Post("/api/v1/persons", "w_center_a", body);
    ASSERT_EQ(created.status, 201) << created.raw;
    person_ = created.body.value("id", "");
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_a_, id_number_, person_;
};

// Every text a person reads in an explanation: no programme keys, no codes.
void ExpectWordsOnly(const json& eligibility, const std::string& code) {
  ASSERT_EQ(eligibility["rules"].size(), 7u) << eligibility.dump();
  for (const auto& rule : eligibility["rules"]) {
    for (const char* field : {"label", "label_en", "detail", "detail_en"}) {
      const std::string text = rule.value(field, "");
      EXPECT_FALSE(text.empty()) << field;
      for (const std::string& bad : {std::string("as_of"), std::string("qualifies_on"),
                                     std::string("arrived_on"), code, rule.value("rule", "?")}) {
        EXPECT_EQ(text.find(bad), std::string::npos) << field << ": " << text;
      }
    }
    ASSERT_EQ(rule["date_list"].size(), rule["dates"].size());
    for (const auto& d : rule["date_list"]) {
      EXPECT_NE(d.value("label", ""), d.value("key", "")) << d.dump();
      EXPECT_NE(d.value("label_en", ""), d.value("key", "")) << d.dump();
      EXPECT_EQ(d.value("date", "").size(), 10u) << d.dump();
    }
  }
}

const json* Rule(const json& eligibility, const std::string& name) {
  for (const auto& r : eligibility["rules"])
    if (r.value("rule", "") == name) return &r;
  return nullptr;
}

TEST_F(WordsHttpTest, EvaluateExplainsPlacesByName) {
  json facts = {{"as_of", "2026-03-01"},
                {"birth_date", "1990-05-12"},
                {"hukou_division", "430581"},
                {"residence_division", "450103"},
                {"arrived_on", "2025-06-02"},
                {"left_hukou_on", "2025-06-01"},
                {"reason", "work"}};
  ApiReply r = api_->Post("/api/v1/eligibility/evaluate", "w_center_a", facts);
  ASSERT_EQ(r.status, 200) << r.raw;
  const json* city = Rule(r.body, "not_same_city");
  ASSERT_NE(city, nullptr);
  EXPECT_EQ(city->value("detail", ""),
            "户籍地与现居住地不在同一地级市：湖南省邵阳市武冈市 → 南宁市青秀区");
  EXPECT_NE(city->value("detail_en", "").find("湖南省邵阳市武冈市 → 南宁市青秀区"),
            std::string::npos);
  EXPECT_EQ(city->value("label", ""), "户籍不在本市");
  ExpectWordsOnly(r.body, "430581");
  EXPECT_EQ(r.raw.find("户籍 county"), std::string::npos);
}

TEST_F(WordsHttpTest, PersonViewExplainsPlacesAndNamesTheSubmitter) {
  json certificate = {{"type", "residence_certificate"},
                      {"number", "南公证字2024第0099号"},
                      {"issued_by", "南宁市公安局测试派出所"},
                      {"issued_on", "2024-01-10"},
                      {"valid_until", "2099-12-31"}};
  ApiReply submitted =
      api_->Post("/api/v1/persons/" + person_ + "/documents", "w_center_a", certificate);
  ASSERT_EQ(submitted.status, 201) << submitted.raw;
  EXPECT_EQ(submitted.body.value("submitted_by_name", ""), kCenterName);
  EXPECT_EQ(submitted.body.value("submitted_by_name_en", ""), kCenterName);

  ApiReply view = api_->Get("/api/v1/persons/" + person_, "w_center_a");
  ASSERT_EQ(view.status, 200) << view.raw;
  const json* city = Rule(view.body["eligibility"], "not_same_city");
  ASSERT_NE(city, nullptr);
  EXPECT_NE(city->value("detail", "").find("湖南省邵阳市武冈市 → "), std::string::npos)
      << city->dump();
  ExpectWordsOnly(view.body["eligibility"], "430581");
  ASSERT_FALSE(view.body["documents"].empty());
  EXPECT_EQ(view.body["documents"][0].value("submitted_by_name", ""), kCenterName);
  ASSERT_FALSE(view.body["residence_events"].empty());
  EXPECT_EQ(view.body["residence_events"][0].value("recorded_by_name", ""), kCenterName);
}

TEST_F(WordsHttpTest, AuditorFindsAPersonsRowsByNameAndById) {
  ASSERT_EQ(api_->Get("/api/v1/persons/" + person_, "w_center_a").status, 200);
  for (const std::string& q : {std::string(kName), id_number_}) {
    ApiReply r = api_->Get("/api/v1/audit?person=" + Encode(q), "w_auditor");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["persons"].size(), 1u) << r.raw;
    EXPECT_EQ(r.body["persons"][0].value("id", ""), person_);
    EXPECT_EQ(r.body["persons"][0].value("name_masked", ""), kMasked);
    const std::string masked_id = r.body["persons"][0].value("id_number_masked", "");
    EXPECT_FALSE(masked_id.empty());
    EXPECT_NE(masked_id, id_number_);
    ASSERT_GE(r.body["items"].size(), 2u) << r.raw;  // created and read at least
    for (const auto& row : r.body["items"]) {
      EXPECT_EQ(row.value("person_id", ""), person_);
      EXPECT_EQ(row.value("person_name", ""), kMasked);
      EXPECT_EQ(row.value("actor_name", ""), kCenterName) << row.dump();
    }
    // Neither the full name nor the full ID number leaves.
    EXPECT_EQ(r.raw.find(kName), std::string::npos);
    EXPECT_EQ(r.raw.find(id_number_), std::string::npos);
  }
  // The searches are audited as person searches, without the text searched for.
  ApiReply log = api_->Get("/api/v1/audit?action=person.search&user_id=", "w_auditor");
  ASSERT_EQ(log.status, 200) << log.raw;
  int audit_searches = 0;
  for (const auto& row : log.body["items"]) {
    if (row.value("username", "") == "w_auditor" &&
        row.value("detail", "").find("for=audit") != std::string::npos) {
      ++audit_searches;
      EXPECT_EQ(row.value("detail", "").find(kName), std::string::npos);
      EXPECT_EQ(row.value("detail", "").find(id_number_), std::string::npos);
    }
  }
  EXPECT_GE(audit_searches, 2);
}

TEST_F(WordsHttpTest, AuditSearchStaysWithinTheAuditorsArea) {
  ApiReply r = api_->Get("/api/v1/audit?person=" + Encode(kName), "w_auditor_b");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_TRUE(r.body["persons"].empty()) << r.raw;
  EXPECT_TRUE(r.body["items"].empty()) << r.raw;
  // Nor are persons of another area named in the unfiltered log.
  ApiReply all = api_->Get("/api/v1/audit?limit=500", "w_auditor_b");
  ASSERT_EQ(all.status, 200);
  for (const auto& row : all.body["items"]) EXPECT_FALSE(row.contains("person_name"));
}

TEST_F(WordsHttpTest, AuditSearchRefusesBadInputAndOtherRoles) {
  ApiReply empty = api_->Get("/api/v1/audit?person=", "w_auditor");
  EXPECT_EQ(empty.status, 400) << empty.raw;
  EXPECT_EQ(empty.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_TRUE(HasFieldError(empty.body, "person", "required")) << empty.raw;

  ApiReply long_text = api_->Get("/api/v1/audit?person=" + std::string(65, 'x'), "w_auditor");
  EXPECT_EQ(long_text.status, 400) << long_text.raw;
  EXPECT_TRUE(HasFieldError(long_text.body, "person", "too_long")) << long_text.raw;
  EXPECT_FALSE(long_text.body["errors"][0].value("message_zh", "").empty()) << long_text.raw;

  ApiReply center = api_->Get("/api/v1/audit?person=" + Encode(kName), "w_center_a");
  EXPECT_EQ(center.status, 403) << center.raw;
}

TEST_F(WordsHttpTest, AuditRowsNameTheirActorsAndUserObjects) {
  ApiReply r = api_->Get("/api/v1/audit?limit=500", "w_auditor");
  ASSERT_EQ(r.status, 200) << r.raw;
  bool center_named = false;
  for (const auto& row : r.body["items"]) {
    EXPECT_FALSE(row.value("actor_name", "").empty()) << row.dump();
    EXPECT_EQ(row.value("actor_name", "").find("cli:"), std::string::npos) << row.dump();
    center_named = center_named || row.value("actor_name", "") == kCenterName;
  }
  EXPECT_TRUE(center_named);
}

}  // namespace
}  // namespace jd::integration
