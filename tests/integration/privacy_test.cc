// Privacy by default, end to end on a demo city served by the real `jundeng serve`: every list and
// search the API describes (openapi.json) and the default `export persons` file carry no whole ID
// number, 居民健康卡 or 居住证 number, or mobile phone, while the audited detail read still does;
// the export file is 0600; searched names reach the audit log masked; aggregates for roles that may
// not read persons suppress small cells; a partner's import lands in its own jurisdiction and
// reads nobody back.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

// A whole 18-character ID number or 居民健康卡 number; an 11-digit mobile phone; a 16-digit
// 居住证 number as the demo issues them.
const std::regex kIdNumber(R"(\b\d{17}[\dX]\b)");
const std::regex kPhone(R"(\b1\d{10}\b)");
const std::regex kPermit(R"(\b\d{16}\b)");

// What of `text` looks like a whole identifier ("" when nothing does).
std::string FindIdentifier(const std::string& text) {
  for (const std::regex* re : {&kIdNumber, &kPhone, &kPermit}) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), *re);
         it != std::sregex_iterator(); ++it) {
      // The decimals of a rate (0.8888888888888888) are no identifier.
      const auto at = static_cast<std::size_t>(it->position());
      if (at > 0 && text[at - 1] == '.') continue;
      return it->str();
    }
  }
  return "";
}

unsigned FileMode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class PrivacyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/600, /*seed=*/11);
    std::map<std::string, std::string> first_street_of;
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "district") districts_.push_back(u.code);
      if (u.level == "street" && street_.empty()) street_ = u.code;
      if (u.level == "community" && community_.empty()) community_ = u.code;
    }
    ASSERT_GE(districts_.size(), 2u);
    server_->AddUser("v_city", "commission", "450100", kPassword);
    server_->AddUser("v_auditor", "auditor", "450100", kPassword);
    server_->AddUser("v_finance", "finance", "450100", kPassword);
    server_->AddUser("v_partner", "partner", "450100", kPassword);
    server_->AddUser("v_partner_d", "partner", districts_[0], kPassword);
    server_->AddUser("v_district_a", "district", districts_[0], kPassword);
    server_->AddUser("v_district_b", "district", districts_[1], kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() {
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0);
    }
    delete api_;
    delete server_;
    delete tmp_;
    api_ = nullptr;
    server_ = nullptr;
    tmp_ = nullptr;
  }

  static TempDir* tmp_;
  static ServerProcess* server_;
  static ApiClient* api_;
  static std::vector<std::string> districts_;
  static std::string street_, community_;
};

TempDir* PrivacyTest::tmp_ = nullptr;
ServerProcess* PrivacyTest::server_ = nullptr;
ApiClient* PrivacyTest::api_ = nullptr;
std::vector<std::string> PrivacyTest::districts_;
std::string PrivacyTest::street_;
std::string PrivacyTest::community_;

// A read of one person's whole record (audited), one case card (audited: the CDC calls the
// patient to verify it), or the call list (audited per child): the only places whole identifiers
// may appear. A card's duplicates are a list, masked like the others.
bool IsDetailRead(const std::string& path) {
  return path.starts_with("/api/v1/persons/{id}") || path.starts_with("/fhir/r4/Patient/{id}") ||
         path.starts_with("/api/v1/vaccinations/{id}") || path.ends_with("/call-list") ||
         path == "/api/v1/disease/cards/{id}";
}

TEST_F(PrivacyTest, NoListSearchOrExportCarriesAWholeIdentifier) {
  // The detail read does carry them: the scan would see one.
  ApiReply page = api_->Get("/api/v1/persons?page_size=50", "v_city");
  ASSERT_EQ(page.status, 200) << page.raw;
  std::string person_id, name, id_number;
  for (const auto& p : page.body["items"]) {
    ApiReply one = api_->Get("/api/v1/persons/" + p.value("id", ""), "v_city");
    ASSERT_EQ(one.status, 200);
    if (one.body.value("id_type", "") == "resident_id" && !one.body.value("phone", "").empty()) {
      person_id = p.value("id", "");
      name = one.body.value("name", "");
      id_number = one.body.value("id_number", "");
      EXPECT_NE(FindIdentifier(one.raw), "");
      break;
    }
  }
  ASSERT_FALSE(person_id.empty());

  ApiReply doc = api_->Get("/api/v1/openapi.json", "");
  ASSERT_EQ(doc.status, 200);
  const std::string today = Iso(Today()), later = Iso(AddDays(Today(), 28));
  const std::string year = today.substr(0, 4);
  const std::string query = "?clinic=" + street_ + "&from=" + today + "&to=" + later +
                            "&org=450100&cohort=" + std::to_string(std::stoi(year) - 1) +
                            "&code=REG_REGISTERED&period=" + year + "&year=" + year +
                            "&page_size=200&limit=500";
  std::vector<std::string> urls = {"/api/v1/persons?q=" + name,
                                   "/api/v1/persons?q=" + id_number,
                                   "/api/v1/persons/" + person_id + "/notices",
                                   "/fhir/r4/Patient?name=" + name,
                                   "/fhir/r4/Patient?identifier=" + id_number,
                                   "/fhir/r4/Patient?_id=" + person_id,
                                   "/api/v1/documents?status=pending&page_size=200"};
  int scanned = 0;
  for (const auto& [path, ops] : doc.body["paths"].items()) {
    if (!ops.contains("get") || IsDetailRead(path)) continue;
    std::string url = path;
    if (url.find("{code}") != std::string::npos) {
      url.replace(url.find("{code}"), 6, street_);
    }
    if (url.find("{id}") != std::string::npos) {
      // A programme's one round, campaign or check: the first the list has.
      std::string list = url.substr(0, url.find("/{id}"));
      ApiReply l = api_->Get(list, "v_city");
      if (l.status != 200 || !l.body.contains("items") || l.body["items"].empty()) continue;
      url.replace(url.find("{id}"), 4, l.body["items"][0].value("id", ""));
    }
    urls.push_back(url + query);
  }
  std::set<std::string> ok;
  for (const auto& url : urls) {
    ApiReply r = api_->Get(url, "v_city");
    ++scanned;
    if (r.status == 200) ok.insert(url.substr(0, url.find('?')));
    EXPECT_EQ(FindIdentifier(r.raw), "") << url << " (" << r.status << ")";
  }
  EXPECT_GE(scanned, 30);
  for (const char* must :
       {"/api/v1/persons", "/fhir/r4/Patient", "/api/v1/documents", "/api/v1/immunization/due",
        "/api/v1/appointments", "/api/v1/audit", "/api/v1/notify/notices"}) {
    EXPECT_TRUE(ok.count(must)) << must << " did not answer 200";
  }

  // The export, by default de-identified, and made 0600.
  const std::string out = tmp_->File("persons.csv");
  CommandResult e = server_->Run({"export", "persons", "--out", out});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(FileMode(out), 0600u);
  std::string exported = ReadFileBytes(out);
  EXPECT_GT(exported.size(), 10000u);
  EXPECT_EQ(FindIdentifier(exported), "");
  EXPECT_EQ(exported.find(name), std::string::npos) << name;
}

// Search anywhere: a part of the given name and the last 4 digits of the phone find the person,
// only inside the searcher's jurisdiction; the list stays masked and the search is audited with
// the text masked.
TEST_F(PrivacyTest, GivenNamePartAndPhoneTailFindThePersonInScopeOnly) {
  ApiReply page = api_->Get("/api/v1/persons?page_size=50", "v_district_a");
  ASSERT_EQ(page.status, 200) << page.raw;
  std::string id, name, phone;
  for (const auto& p : page.body["items"]) {
    ApiReply one = api_->Get("/api/v1/persons/" + p.value("id", ""), "v_district_a");
    ASSERT_EQ(one.status, 200);
    name = one.body.value("name", "");
    phone = one.body.value("phone", "");
    if (name.size() == 9 && phone.size() == 11) {  // three Chinese characters and a mobile
      id = one.body.value("id", "");
      break;
    }
  }
  ASSERT_FALSE(id.empty());
  const std::string given = name.substr(3), tail = phone.substr(7);
  auto ids_found = [&](const std::string& q, const std::string& user) {
    ApiReply r = api_->Get("/api/v1/persons?page_size=200&q=" + q, user);
    EXPECT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(FindIdentifier(r.raw), "") << q;
    EXPECT_EQ(r.raw.find(phone), std::string::npos) << "whole phone in a list";
    std::set<std::string> ids;
    for (const auto& p : r.body["items"]) ids.insert(p.value("id", ""));
    return ids;
  };
  EXPECT_TRUE(ids_found(given, "v_district_a").count(id)) << given;
  EXPECT_TRUE(ids_found(tail, "v_district_a").count(id)) << tail;
  EXPECT_FALSE(ids_found(given, "v_district_b").count(id)) << given;
  EXPECT_FALSE(ids_found(tail, "v_district_b").count(id)) << tail;

  ApiReply audit = api_->Get("/api/v1/audit?action=person.search&limit=4", "v_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["items"].size(), 4u);
  int tails = 0;
  for (const auto& row : audit.body["items"]) {
    std::string detail = row.value("detail", "");
    EXPECT_EQ(detail.find("q=" + given), std::string::npos) << detail;
    EXPECT_EQ(detail.find("q=" + tail), std::string::npos) << detail;
    tails += detail.find("q_kind=phone_tail q=****") != std::string::npos;
  }
  EXPECT_EQ(tails, 2);
}

TEST_F(PrivacyTest, SearchedNamesAreMaskedInTheAuditLog) {
  ApiReply page = api_->Get("/api/v1/persons?page_size=1", "v_city");
  ASSERT_EQ(page.status, 200);
  const std::string name = page.body["items"][0].value("name", "");
  ASSERT_GE(name.size(), 6u);  // two or more Chinese characters
  ASSERT_EQ(api_->Get("/api/v1/persons?q=" + name, "v_city").status, 200);
  ASSERT_EQ(api_->Get("/api/v1/persons?q=" + name, "v_city").status, 200);
  ApiReply audit = api_->Get("/api/v1/audit?action=person.search&limit=2", "v_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["items"].size(), 2u);
  std::set<std::string> digests;
  for (const auto& row : audit.body["items"]) {
    std::string detail = row.value("detail", "");
    EXPECT_EQ(detail.find(name), std::string::npos) << detail;
    EXPECT_NE(detail.find("q_kind=name"), std::string::npos) << detail;
    EXPECT_NE(detail.find("q=" + name.substr(0, 3) + "*"), std::string::npos) << detail;
    auto at = detail.find("q_digest=");
    ASSERT_NE(at, std::string::npos) << detail;
    digests.insert(detail.substr(at, 9 + 16));
  }
  // The same text gives the same digest, so an investigation can find every search for it.
  EXPECT_EQ(digests.size(), 1u);
}

// Finance reads the same table as the commission with every count from 1 to 4 hidden, and never
// exactly one hidden child where the street's total and the other children would give it back.
TEST_F(PrivacyTest, AggregatesSuppressSmallCellsForRolesWithoutPersonRead) {
  const std::string url = "/api/v1/indicators/values?org=" + districts_[0] + "&children=true&sex=F";
  ApiReply city = api_->Get(url, "v_city");
  ApiReply fin = api_->Get(url, "v_finance");
  ASSERT_EQ(city.status, 200) << city.raw;
  ASSERT_EQ(fin.status, 200) << fin.raw;
  EXPECT_TRUE(fin.body["small_cell_suppression"].value("applied", false));
  EXPECT_EQ(fin.body["small_cell_suppression"].value("threshold", 0), 5);

  // Means of days are not counts of people: their numerators are hidden only with the items.
  // Severe mental disorders and TB (restricted_to) are suppressed for the commission too
  // (integration_kpi_http_test): the commission's figures of every other indicator are whole.
  std::set<std::string> means, restricted;
  // The reply is kept in a variable: a range-for over a member of a temporary reads freed memory.
  const ApiReply catalogue = api_->Get("/api/v1/indicators", "v_city");
  for (const auto& i : catalogue.body["items"]) {
    if (i.value("kind", "") == "mean_days") means.insert(i.value("code", ""));
    if (i["restricted_to"].is_string()) restricted.insert(i.value("code", ""));
  }
  EXPECT_GE(restricted.size(), 7u);
  EXPECT_TRUE(city.body["small_cell_suppression"].value("applied", false));
  std::map<std::pair<std::string, std::string>, json> full;
  for (const auto& v : city.body["items"]) {
    if (restricted.count(v.value("code", ""))) continue;
    EXPECT_FALSE(v.contains("suppressed")) << v.dump();
    full[{v["code"], v["org"]}] = v;
  }
  int small = 0;
  std::map<std::string, std::vector<const json*>> by_code;
  for (const auto& v : fin.body["items"]) {
    if (restricted.count(v.value("code", ""))) continue;
    const json& c = full.at({v["code"], v["org"]});
    for (const char* part : {"numerator", "denominator"}) {
      if (!c[part].is_number()) continue;
      double n = c[part].get<double>();
      if (n >= 1 && n < 5 && !(part == std::string("numerator") && means.count(c["code"]))) {
        ++small;
        EXPECT_EQ(v[part], "<5") << v.dump();
      }
      if (v[part].is_number()) {
        EXPECT_EQ(v[part], c[part]) << v.dump();
      }
    }
    if (v.value("suppressed", false)) {
      EXPECT_TRUE(v["value"].is_null());
      EXPECT_FALSE(v.contains("interval95")) << "an interval's width would give the count away";
    }
    by_code[v.value("code", "")].push_back(&v);
  }
  EXPECT_GT(small, 0) << "the demo district has no small cell: the test proves nothing";
  // With the children adding up to the district, a lone hidden numerator would be the district's
  // minus the others'.
  for (const auto& [code, items] : by_code) {
    double parent = 0, children = 0;
    int hidden = 0;
    for (const json* v : items) {
      const json& c = full.at({(*v)["code"], (*v)["org"]});
      if ((*v)["org"] == districts_[0]) {
        parent = c["numerator"].get<double>();
      } else {
        children += c["numerator"].get<double>();
      }
      if (!(*v)["numerator"].is_number()) ++hidden;
    }
    if (parent == children) {
      EXPECT_NE(hidden, 1) << code;
    }
  }
}

TEST_F(PrivacyTest, PartnerImportLandsInItsJurisdictionAndReadsNobodyBack) {
  const std::string id1 = MakeResidentId("430528", "19900101", 101);
  const std::string id2 = MakeResidentId("430528", "19910202", 102);
  std::string csv = "姓名,证件号码,户籍地区划代码,现居住地单位代码,来本地日期,流动原因,手机号码\n";
  csv += "协作甲," + id1 + ",430528," + community_ + ",2024-05-01,务工,13812345678\n";
  csv += "协作乙," + id2 + ",430528," + districts_[1] + ",2024-05-01,务工,13812345679\n";
  // A city-level partner imports anywhere in the city.
  ApiReply r = api_->Call("POST", "/api/v1/imports/persons", "v_partner", csv, {}, "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body.value("rows_ok", 0), 2) << r.raw;
  EXPECT_EQ(r.body.value("rows_failed", -1), 0) << r.raw;
  // The report holds no person's data.
  for (const std::string& s : {id1, id2, std::string("协作甲"), std::string("13812345678")}) {
    EXPECT_EQ(r.raw.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(api_->Get("/api/v1/persons?q=" + id1, "v_partner").status, 403);
  ApiReply found = api_->Get("/api/v1/persons?q=" + id1, "v_city");
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.body.value("total", 0), 1) << found.raw;

  // A district's partner only into its district; a duplicate names no record.
  const std::string id3 = MakeResidentId("430528", "19920303", 103);
  std::string other = "姓名,证件号码,户籍地区划代码,现居住地单位代码,来本地日期,流动原因\n";
  other += "协作丙," + id3 + ",430528," + districts_[1] + ",2024-05-01,务工\n";
  other += "协作甲," + id1 + ",430528," + districts_[0] + ",2024-05-01,务工\n";
  ApiReply d = api_->Call("POST", "/api/v1/imports/persons", "v_partner_d", other, {}, "text/csv");
  ASSERT_EQ(d.status, 200) << d.raw;
  EXPECT_EQ(d.body.value("rows_ok", -1), 0) << d.raw;
  ASSERT_EQ(d.body["errors"].size(), 2u) << d.raw;
  EXPECT_EQ(d.body["errors"][0].value("code", ""), "outside_jurisdiction");
  EXPECT_EQ(d.body["errors"][1].value("code", ""), "duplicate");
  EXPECT_EQ(d.raw.find(found.body["items"][0].value("id", "")), std::string::npos) << d.raw;
}

}  // namespace
}  // namespace jd::integration
