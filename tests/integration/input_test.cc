// The one input layer (core/input.h) seen from outside: the real `jundeng serve`, every module's
// write endpoints given text with a NUL byte or only invisible characters, dates of year 0000 and
// 1800, a month 13 with a day 45 and an arrival tomorrow. Each is a 400 problem+json naming the
// field in Chinese and English, never a stored value. Every update of an existing record without
// If-Match is 428, with a version that is not the current one 412, and nothing is changed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";
const std::string kNul("X\0Y", 3);
const std::string kZeroWidth = "\xE2\x80\x8B";                          // U+200B alone
const std::string kInvisible = "\xE2\x80\x8C\xEF\xBB\xBF\xE2\x81\xA0";  // ZWNJ, BOM, WJ

class InputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/3);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_ = streets.street_a;
    ASSERT_FALSE(street_.empty());
    server_->AddUser("in_center", "center", street_, kPassword);
    server_->AddUser("in_sysadmin", "sysadmin", "450100", kPassword);
    server_->AddUser("in_secadmin", "secadmin", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
    tomorrow_ = Iso(AddDays(Today(), 1));
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A person born `months` ago who arrived `arrived_months_ago` months ago (at birth for a child).
  static json PersonBody(int months, int arrived_months_ago) {
    const auto birth = MonthsBefore(Today(), months);
    return {{"name", "输入测试"},
            {"id_number", MakeResidentId("430528", Compact(birth), ++id_seq_)},
            {"phone", "13912345678"},
            {"hukou_division", "430528"},
            {"residence_org", street_},
            {"residence_address", "测试路1号"},
            {"arrived_on", Iso(MonthsBefore(Today(), arrived_months_ago))},
            {"move_reason", "work"}};
  }
  static std::string CreatePerson(int months, int arrived_months_ago) {
    ApiReply r = api_->Post("/api/v1/persons", "in_center", PersonBody(months, arrived_months_ago));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static ApiReply Send(const std::string& method, const std::string& path, const std::string& user,
                       const json& body, const std::string& if_match) {
    httplib::Headers headers;
    if (!if_match.empty()) headers.emplace("If-Match", if_match);
    return api_->Call(method, path, user, body.dump(), headers);
  }

  // `method path` without If-Match is 428 and with `stale` 412, both problem+json; the record is
  // then still as `check_unchanged` finds it.
  static void ExpectVersionRequired(const std::string& method, const std::string& path,
                                    const std::string& user, const json& body,
                                    const std::string& stale) {
    ApiReply blind = Send(method, path, user, body, "");
    EXPECT_EQ(blind.status, 428) << method << " " << path << ": " << blind.raw;
    EXPECT_EQ(blind.content_type.rfind("application/problem+json", 0), 0u) << blind.content_type;
    EXPECT_FALSE(blind.body.value("detail", "").empty()) << blind.raw;
    ApiReply wrong = Send(method, path, user, body, stale);
    EXPECT_EQ(wrong.status, 412) << method << " " << path << ": " << wrong.raw;
    EXPECT_EQ(wrong.content_type.rfind("application/problem+json", 0), 0u) << wrong.content_type;
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string street_, tomorrow_;
  static inline int id_seq_ = 500;
};

TEST_F(InputTest, PersonsRefuseNulInvisibleNamesImpossibleAndFutureDates) {
  auto post = [](json body) { return api_->Post("/api/v1/persons", "in_center", body); };
  json b = PersonBody(360, 12);
  b["residence_address"] = "青秀区" + kNul;
  ExpectFieldProblem(post(b), 400, "residence_address", "control_character");
  b = PersonBody(360, 12);
  b["hukou_address"] = kNul;
  ExpectFieldProblem(post(b), 400, "hukou_address", "control_character");
  b = PersonBody(360, 12);
  b["name"] = kZeroWidth;
  ExpectFieldProblem(post(b), 400, "name", "blank");
  b["name"] = kInvisible;
  ExpectFieldProblem(post(b), 400, "name", "blank");
  b = PersonBody(360, 12);
  b["id_type"] = "passport";
  b["id_number"] = "E1234567";
  b["sex"] = "female";
  for (const char* year : {"0000-01-01", "1800-06-01"}) {
    b["birth_date"] = year;
    ExpectFieldProblem(post(b), 400, "birth_date", "too_early");
  }
  b = PersonBody(360, 12);
  b["arrived_on"] = "2026-13-45";
  ExpectFieldProblem(post(b), 400, "arrived_on", "invalid_date");
  b["arrived_on"] = "2026-02-30";
  ExpectFieldProblem(post(b), 400, "arrived_on", "invalid_date");
  b["arrived_on"] = tomorrow_;
  ExpectFieldProblem(post(b), 400, "arrived_on", "in_future");
  b["arrived_on"] = "1800-01-01";
  ExpectFieldProblem(post(b), 400, "arrived_on", "too_early");
  b = PersonBody(360, 12);
  b["residence_permit_no"] = kNul;
  ExpectFieldProblem(post(b), 400, "residence_permit_no", "control_character");
  // Nothing of the refused bodies was stored.
  EXPECT_EQ(api_->Get("/api/v1/persons?page_size=200", "in_center").body["items"].size(), 0u);
}

TEST_F(InputTest, PersonUpdatesNeedTheVersionAndTheSameChecks) {
  const std::string id = CreatePerson(360, 12);
  const std::string path = "/api/v1/persons/" + id;
  ExpectVersionRequired("PATCH", path, "in_center", {{"occupation", "厨师"}}, "7");
  ExpectFieldProblem(Send("PATCH", path, "in_center", {{"employer", kNul}}, "1"), 400, "employer",
                     "control_character");
  ExpectFieldProblem(Send("PATCH", path, "in_center", {{"name", kZeroWidth}}, "1"), 400, "name",
                     "blank");
  ExpectFieldProblem(Send("PATCH", path, "in_center", {{"arrived_on", tomorrow_}}, "1"), 400,
                     "arrived_on", "in_future");
  ExpectFieldProblem(Send("PATCH", path, "in_center", {{"birth_date", "1800-01-01"}}, "1"), 400,
                     "birth_date", "too_early");
  ApiReply ok = Send("PATCH", path, "in_center", {{"occupation", "厨师"}}, "\"1\"");
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body.value("version", 0), 2);
  EXPECT_EQ(ok.body.value("employer", "?"), "");
}

TEST_F(InputTest, ResidenceEventsDocumentsOrgUnitsAndImports) {
  const std::string id = CreatePerson(360, 12);
  const std::string events = "/api/v1/persons/" + id + "/residence-events";
  json move = {{"type", "moved_within_city"}, {"date", Iso(Today())}, {"org_code", street_}};
  json e = move;
  e["address"] = "新地址" + kNul;
  ExpectFieldProblem(api_->Post(events, "in_center", e), 400, "address", "control_character");
  e = move;
  e["date"] = "2026-13-45";
  ExpectFieldProblem(api_->Post(events, "in_center", e), 400, "date", "invalid_date");
  e["date"] = tomorrow_;
  ExpectFieldProblem(api_->Post(events, "in_center", e), 400, "date", "in_future");
  e["date"] = "0000-01-01";
  ExpectFieldProblem(api_->Post(events, "in_center", e), 400, "date", "too_early");

  const std::string docs = "/api/v1/persons/" + id + "/documents";
  json doc = {{"type", "residence_permit"},
              {"number", "4501" + kNul},
              {"issued_on", Iso(MonthsBefore(Today(), 6))},
              {"valid_until", Iso(AddDays(Today(), 200))}};
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "number", "control_character");
  doc["number"] = "45010012345";
  doc["issued_on"] = "1800-01-01";
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "issued_on", "too_early");
  doc["issued_on"] = "2026-02-30";
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "issued_on", "invalid_date");
  doc["issued_on"] = tomorrow_;
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "issued_on", "in_future");
  doc["issued_on"] = Iso(MonthsBefore(Today(), 6));
  doc["valid_until"] = "9999-12-31";
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "valid_until", "too_late");
  doc["valid_until"] = Iso(AddDays(Today(), 200));
  doc["issued_by"] = kInvisible;
  ExpectFieldProblem(api_->Post(docs, "in_center", doc), 400, "issued_by", "blank");

  json unit = {{"code", "450103999"}, {"name", kZeroWidth}, {"parent_code", "450103"}};
  ExpectFieldProblem(api_->Post("/api/v1/org-units", "in_sysadmin", unit), 400, "name", "blank");
  unit["name"] = "测试街道" + kNul;
  ExpectFieldProblem(api_->Post("/api/v1/org-units", "in_sysadmin", unit), 400, "name",
                     "control_character");

  // An import keeps the good rows and reports the bad ones with the same codes.
  const std::string good = MakeResidentId("430528", "19900101", ++id_seq_);
  const std::string nul_row = MakeResidentId("430528", "19900102", ++id_seq_);
  const std::string future_row = MakeResidentId("430528", "19900103", ++id_seq_);
  const std::string csv =
      "姓名,证件号码,户籍地区划代码,现居住地单位代码,现居住地址,来本地日期,流动原因\n" +
      ("甲," + good + ",430528," + street_ + ",一号,2023-05-01,务工\n") +
      ("乙," + nul_row + ",430528," + street_ + ",二" + kNul + ",2023-05-01,务工\n") +
      ("丙," + future_row + ",430528," + street_ + ",三号," + tomorrow_ + ",务工\n");
  ApiReply imported =
      api_->Call("POST", "/api/v1/imports/persons", "in_center", csv, {}, "text/csv");
  ASSERT_EQ(imported.status, 200) << imported.raw;
  EXPECT_EQ(imported.body.value("rows_ok", 0), 1);
  EXPECT_EQ(imported.body.value("rows_failed", 0), 2);
  std::set<std::pair<int, std::string>> rows;
  for (const auto& err : imported.body["errors"]) {
    rows.insert({err.value("row", 0), err.value("code", "")});
  }
  EXPECT_TRUE(rows.count({2, "control_character"})) << imported.raw;
  EXPECT_TRUE(rows.count({3, "in_future"})) << imported.raw;
}

TEST_F(InputTest, ImmunizationWritesCheckTextDatesAndVersions) {
  const std::string child = CreatePerson(4, 4);
  const std::string file = "/api/v1/persons/" + child + "/vaccination-file";
  json f = {{"certificate_no", "450-IN-0001"},
            {"issuing_clinic", street_},
            {"guardian_name", "王芳" + kNul},
            {"guardian_relation", "mother"},
            {"guardian_phone", "13900001111"}};
  ExpectFieldProblem(api_->Post(file, "in_center", f), 400, "guardian_name", "control_character");
  f["guardian_name"] = kZeroWidth;
  ExpectFieldProblem(api_->Post(file, "in_center", f), 400, "guardian_name", "blank");
  f["guardian_name"] = "王芳";
  f["issued_on"] = "1800-01-01";
  ExpectFieldProblem(api_->Post(file, "in_center", f), 400, "issued_on", "too_early");
  f.erase("issued_on");
  ASSERT_EQ(api_->Post(file, "in_center", f).status, 201);
  ExpectVersionRequired("PATCH", file, "in_center", {{"guardian_name", "李芳"}}, "9");
  ExpectFieldProblem(Send("PATCH", file, "in_center", {{"card_no", kNul}}, "1"), 400, "card_no",
                     "control_character");

  const std::string doses = "/api/v1/persons/" + child + "/vaccinations";
  json dose = {{"vaccine", "HepB"},
               {"date", Iso(AddDays(Today(), -3))},
               {"source", "transcribed"},
               {"clinic_name", "某妇幼保健院"},
               {"lot", "2026" + kNul}};
  ExpectFieldProblem(api_->Post(doses, "in_center", dose), 400, "lot", "control_character");
  dose["lot"] = "20261101";
  for (const char* bad : {"2026-13-45", "2026-02-30"}) {
    dose["date"] = bad;
    ExpectFieldProblem(api_->Post(doses, "in_center", dose), 400, "date", "invalid_date");
  }
  dose["date"] = "1800-01-01";
  ExpectFieldProblem(api_->Post(doses, "in_center", dose), 400, "date", "too_early");
  dose["date"] = tomorrow_;
  ExpectFieldProblem(api_->Post(doses, "in_center", dose), 400, "date", "in_future");
  dose["date"] = Iso(MonthsBefore(Today(), 5));
  ExpectFieldProblem(api_->Post(doses, "in_center", dose), 400, "date", "before_birth");
  dose["date"] = Iso(AddDays(Today(), -3));
  ApiReply given = api_->Post(doses, "in_center", dose);
  ASSERT_EQ(given.status, 201) << given.raw;
  const std::string record = "/api/v1/vaccinations/" + given.body["record"].value("id", "");
  ExpectVersionRequired("PATCH", record, "in_center", {{"lot", "B2"}, {"reason", "批号抄错"}}, "5");
  ExpectFieldProblem(
      Send("PATCH", record, "in_center", {{"lot", "B2"}, {"reason", "抄错" + kNul}}, "1"), 400,
      "reason", "control_character");

  json booking = {
      {"person_id", child}, {"clinic", street_}, {"date", "2026-13-45"}, {"vaccines", {"HepB"}}};
  ExpectFieldProblem(api_->Post("/api/v1/appointments", "in_center", booking), 400, "date",
                     "invalid_date");
  booking["date"] = Iso(AddDays(Today(), 365 * 5));
  ExpectFieldProblem(api_->Post("/api/v1/appointments", "in_center", booking), 400, "date",
                     "too_late");

  const std::string sessions = "/api/v1/clinics/" + street_ + "/sessions/";
  ExpectFieldProblem(Send("PUT", sessions + "0000-01-01", "in_center", {{"capacity", 5}}, ""), 400,
                     "date", "too_early");
  ExpectFieldProblem(Send("PUT", sessions + "2026-13-45", "in_center", {{"capacity", 5}}, ""), 400,
                     "date", "invalid_date");
  const std::string day = Iso(AddDays(Today(), 10));
  ApiReply set = Send("PUT", sessions + day, "in_center", {{"capacity", 5}}, "");
  ASSERT_EQ(set.status, 200) << set.raw;
  ExpectVersionRequired("PUT", sessions + day, "in_center", {{"capacity", 9}}, "c-0");
  ApiReply listed =
      api_->Get("/api/v1/clinics/" + street_ + "/sessions?from=" + day + "&to=" + day, "in_center");
  ASSERT_EQ(listed.status, 200) << listed.raw;
  ASSERT_EQ(listed.body["days"].size(), 1u) << listed.raw;
  EXPECT_EQ(listed.body["days"][0].value("capacity", 0), 5);
  const std::string version = listed.body["days"][0].value("version", "");
  ApiReply changed = Send("PUT", sessions + day, "in_center", {{"capacity", 9}}, version);
  EXPECT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body.value("capacity", 0), 9);
}

TEST_F(InputTest, ProgrammeWritesCheckTextAndDates) {
  json campaign = {{"name", kZeroWidth},         {"kind", "supplementary"},
                   {"vaccine", "MMR"},           {"age_from_months", 8},
                   {"age_to_months", 179},       {"area", street_},
                   {"start_date", Iso(Today())}, {"end_date", Iso(AddDays(Today(), 20))}};
  auto create = [](const json& b) {
    return api_->Post("/api/v1/immunization/campaigns", "in_center", b);
  };
  ExpectFieldProblem(create(campaign), 400, "name", "blank");
  campaign["name"] = "麻疹" + kNul;
  ExpectFieldProblem(create(campaign), 400, "name", "control_character");
  campaign["name"] = "麻疹补充免疫";
  campaign["start_date"] = "1800-01-01";
  ExpectFieldProblem(create(campaign), 400, "start_date", "too_early");
  campaign["start_date"] = "2026-13-45";
  ExpectFieldProblem(create(campaign), 400, "start_date", "invalid_date");

  json round = {{"area", street_}, {"note", "第一轮" + kNul}};
  ExpectFieldProblem(api_->Post("/api/v1/immunization/catch-up-rounds", "in_center", round), 400,
                     "note", "control_character");
  round = {{"area", street_}, {"as_of", "2026-13-45"}};
  ExpectFieldProblem(api_->Post("/api/v1/immunization/catch-up-rounds", "in_center", round), 400,
                     "as_of", "invalid_date");

  const std::string roster = "姓名,性别,出生日期\n张三,男,2020-01-01\n";
  ExpectFieldProblem(api_->Call("POST", "/api/v1/immunization/entry-checks?school=%00", "in_center",
                                roster, {}, "text/csv"),
                     400, "school", "control_character");
  ExpectFieldProblem(api_->Call("POST", "/api/v1/immunization/entry-checks?date=2026-13-45",
                                "in_center", roster, {}, "text/csv"),
                     400, "date", "invalid_date");
}

TEST_F(InputTest, HealthRecordsCheckTextDatesAndVersions) {
  const std::string id = CreatePerson(360, 8);
  const std::string path = "/api/v1/persons/" + id + "/health-record";
  ExpectFieldProblem(api_->Post(path, "in_center", {{"clinic", street_ + kNul}}), 400, "clinic",
                     "control_character");
  for (const char* bad : {"2026-13-45", "2026-02-30"}) {
    ExpectFieldProblem(
        api_->Post(path, "in_center", {{"clinic", street_}, {"established_on", bad}}), 400,
        "established_on", "invalid_date");
  }
  ExpectFieldProblem(
      api_->Post(path, "in_center", {{"clinic", street_}, {"established_on", "1800-01-01"}}), 400,
      "established_on", "too_early");
  ExpectFieldProblem(
      api_->Post(path, "in_center", {{"clinic", street_}, {"established_on", tomorrow_}}), 400,
      "established_on", "in_future");
  ApiReply made = api_->Post(path, "in_center", {{"clinic", street_}, {"electronic", false}});
  ASSERT_EQ(made.status, 201) << made.raw;
  ExpectVersionRequired("PATCH", path, "in_center", {{"electronic", true}}, "2");
  EXPECT_FALSE(api_->Get(path, "in_center").body.value("electronic", true));
}

TEST_F(InputTest, NotifyContactsAndPlansCheckTextDatesAndVersions) {
  const std::string contact = "/api/v1/notify/clinics/" + street_ + "/contact";
  ExpectFieldProblem(Send("PUT", contact, "in_center",
                          {{"address", "新竹路" + kNul}, {"phone", "0771-5550000"}}, ""),
                     400, "address", "control_character");
  ExpectFieldProblem(
      Send("PUT", contact, "in_center", {{"address", kInvisible}, {"phone", "0771-5550000"}}, ""),
      400, "address", "blank");
  ApiReply first =
      Send("PUT", contact, "in_center", {{"address", "新竹路1号"}, {"phone", "0771-5550000"}}, "");
  ASSERT_EQ(first.status, 200) << first.raw;
  json next = {{"address", "新竹路2号"}, {"phone", "0771-5550001"}};
  ExpectVersionRequired("PUT", contact, "in_center", next, "c-0000000000000000");
  ApiReply read = api_->Get(contact, "in_center");
  EXPECT_EQ(read.body.value("address", ""), "新竹路1号");
  ApiReply second = Send("PUT", contact, "in_center", next, read.body.value("version", ""));
  EXPECT_EQ(second.status, 200) << second.raw;

  ExpectFieldProblem(api_->Post("/api/v1/notify/reminders", "in_center",
                                {{"clinic_code", street_}, {"from", "2026-13-45"}}),
                     400, "from", "invalid_date");
}

TEST_F(InputTest, PopulationFiguresCheckTextAndVersions) {
  const std::string year = Iso(Today()).substr(0, 4);
  json figures = {{"year", std::stoi(year)},
                  {"figures", {{{"org", "450103"}, {"huji_population", 1000}, {"source", kNul}}}}};
  ExpectFieldProblem(api_->Put("/api/v1/population-figures", "in_sysadmin", figures), 400,
                     "figures[0].source", "control_character");
  figures["figures"][0]["source"] = "统计年鉴";
  ApiReply first = api_->Put("/api/v1/population-figures", "in_sysadmin", figures);
  ASSERT_EQ(first.status, 200) << first.raw;
  figures["figures"][0]["huji_population"] = 2000;
  ExpectVersionRequired("PUT", "/api/v1/population-figures", "in_sysadmin", figures, "c-1");
  ApiReply list = api_->Get("/api/v1/population-figures?year=" + year, "in_sysadmin");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0].value("huji_population", 0), 1000);
  ApiReply second = Send("PUT", "/api/v1/population-figures", "in_sysadmin", figures,
                         list.body.value("version", ""));
  EXPECT_EQ(second.status, 200) << second.raw;
}

TEST_F(InputTest, AccountsCheckDisplayNamesAndVersions) {
  json user = {{"username", "in_new_user"},
               {"display_name", kZeroWidth},
               {"role", "center"},
               {"org_code", street_},
               {"password", "Another-Horse-42!"}};
  ExpectFieldProblem(api_->Post("/api/v1/users", "in_secadmin", user), 400, "display_name",
                     "blank");
  user["display_name"] = "新用户" + kNul;
  ExpectFieldProblem(api_->Post("/api/v1/users", "in_secadmin", user), 400, "display_name",
                     "control_character");
  user["display_name"] = "新用户";
  ApiReply created = api_->Post("/api/v1/users", "in_secadmin", user);
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string path = "/api/v1/users/" + created.body.value("id", "");
  ExpectVersionRequired("PATCH", path, "in_secadmin", {{"active", false}}, "c-0");
  ApiReply off =
      Send("PATCH", path, "in_secadmin", {{"active", false}}, created.body.value("version", ""));
  EXPECT_EQ(off.status, 200) << off.raw;
  // The version changed with the account: the one read before is stale now.
  EXPECT_EQ(
      Send("PATCH", path, "in_secadmin", {{"active", true}}, created.body.value("version", ""))
          .status,
      412);
}

}  // namespace
}  // namespace jd::integration
