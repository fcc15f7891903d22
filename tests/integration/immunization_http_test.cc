// Child immunisation over the JSON API, end to end: the real `jundeng serve` on a free port, a
// demo city without persons, two health centers of two districts. Dates are relative to the
// server's today (Asia/Shanghai).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;
using std::chrono::year_month_day;

constexpr const char* kPassword = "Correct-Horse-42!";

class ImmunizationHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/0, /*seed=*/1);
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(server_->db_path());
    street_a_ = streets.street_a;
    street_b_ = streets.street_b;
    ASSERT_FALSE(street_a_.empty());
    ASSERT_FALSE(street_b_.empty());
    server_->AddUser("i_center_a", "center", street_a_, kPassword);
    server_->AddUser("i_center_b", "center", street_b_, kPassword);
    server_->AddUser("i_cdc_a", "cdc", street_a_, kPassword);
    server_->AddUser("i_auditor", "auditor", "450100", kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  // A child born `months` months ago who arrived with the family at birth; returns its id.
  static std::string CreateChild(int months, const std::string& org, const std::string& name,
                                 int arrived_days_ago = -1) {
    year_month_day birth = MonthsBefore(Today(), months);
    year_month_day arrived = arrived_days_ago < 0 ? birth : AddDays(Today(), -arrived_days_ago);
    json body = {{"name", name},
                 {"id_number", MakeResidentId("450803", Compact(birth), ++id_seq_)},
                 {"phone", "13812345678"},
                 {"hukou_division", "450803"},
                 {"residence_org", org},
                 {"residence_address", "测试路8号"},
                 {"arrived_on", Iso(arrived)},
                 {"move_reason", "family"}};
    ApiReply r = api_->Post("/api/v1/persons", "i_center_a", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  }

  static ApiReply IssueFile(const std::string& child, const std::string& certificate_no) {
    return api_->Post("/api/v1/persons/" + child + "/vaccination-file", "i_center_a",
                      {{"certificate_no", certificate_no},
                       {"issuing_clinic", street_a_},
                       {"guardian_name", "王芳"},
                       {"guardian_relation", "mother"},
                       {"guardian_phone", "139-0000-1111"}});
  }

  // HepB1 and BCG at birth, copied from the birth hospital's record.
  static void BirthDoses(const std::string& child) {
    for (const char* v : {"HepB", "BCG"}) {
      ApiReply r = api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_center_a",
                              {{"vaccine", v},
                               {"date", Iso(MonthsBefore(Today(), 4))},
                               {"source", "transcribed"},
                               {"clinic_name", "某妇幼保健院"}});
      ASSERT_EQ(r.status, 201) << r.raw;
    }
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string street_a_, street_b_;
  static inline ApiClient* api_ = nullptr;
  static inline int id_seq_ = 300;
};

const json* FindDose(const json& forecast, const std::string& vaccine, int dose) {
  for (const auto& d : forecast["doses"]) {
    if (d.value("vaccine", "") == vaccine && d.value("dose", 0) == dose) return &d;
  }
  return nullptr;
}

std::string StatusOf(const json& forecast, const std::string& vaccine, int dose) {
  const json* d = FindDose(forecast, vaccine, dose);
  return d ? d->value("status", "?") : "missing";
}

TEST_F(ImmunizationHttpTest, RecordedDosesChangeTheStatusesAtOnce) {
  const std::string child = CreateChild(4, street_a_, "李小宝");
  const std::string page = "/api/v1/persons/" + child + "/immunization";

  ApiReply empty = api_->Get(page, "i_center_a");
  ASSERT_EQ(empty.status, 200) << empty.raw;
  EXPECT_TRUE(empty.body["file"].is_null());
  EXPECT_TRUE(empty.body["records"].empty());
  EXPECT_EQ(empty.body["person"].value("age_months", -1), 4);
  EXPECT_FALSE(empty.body["person"].contains("id_number"));  // masked only
  EXPECT_EQ(empty.body["forecast"].value("as_of", ""), Iso(Today()));
  EXPECT_EQ(StatusOf(empty.body["forecast"], "HepB", 1), "overdue");

  ApiReply file = IssueFile(child, "450-IMM-0001");
  ASSERT_EQ(file.status, 201) << file.raw;
  EXPECT_EQ(file.body.value("guardian_phone", ""), "13900001111");
  EXPECT_EQ(file.body.value("issued_on", ""), Iso(Today()));

  // HepB1 copied from the birth record: HepB1 done, HepB2 due.
  ApiReply first = api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_center_a",
                              {{"vaccine", "HepB"},
                               {"date", Iso(MonthsBefore(Today(), 4))},
                               {"dose_number", 1},
                               {"source", "transcribed"}});
  ASSERT_EQ(first.status, 201) << first.raw;
  EXPECT_EQ(first.body["record"].value("source", ""), "transcribed");
  EXPECT_EQ(StatusOf(first.body["forecast"], "HepB", 1), "done");
  EXPECT_EQ(StatusOf(first.body["forecast"], "HepB", 2), "due");

  // HepB2 given here today: done in the answer and in the page.
  ApiReply second = api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_center_a",
                               {{"vaccine", "HepB"},
                                {"date", Iso(Today())},
                                {"clinic", street_a_},
                                {"lot", "20261101"},
                                {"manufacturer", "某生物制品公司"},
                                {"site", "左上臂三角肌"},
                                {"vaccinator", "张护士"}});
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body["record"].value("route", ""), "IM");
  EXPECT_EQ(StatusOf(second.body["forecast"], "HepB", 2), "done");
  const json* hepb2 = FindDose(second.body["forecast"], "HepB", 2);
  ASSERT_NE(hepb2, nullptr);
  EXPECT_EQ(hepb2->value("given", ""), Iso(Today()));

  ApiReply after = api_->Get(page, "i_center_a");
  ASSERT_EQ(after.status, 200) << after.raw;
  EXPECT_EQ(after.body["records"].size(), 2u);
  EXPECT_EQ(after.body["file"].value("certificate_no", ""), "450-IMM-0001");
  EXPECT_EQ(StatusOf(after.body["forecast"], "HepB", 2), "done");
  // As of yesterday the second dose was not given yet.
  ApiReply yesterday = api_->Get(page + "?as_of=" + Iso(AddDays(Today(), -1)), "i_center_a");
  ASSERT_EQ(yesterday.status, 200) << yesterday.raw;
  EXPECT_EQ(StatusOf(yesterday.body["forecast"], "HepB", 2), "due");

  // A correction keeps the earlier version; voiding brings the dose back to due.
  const std::string rid = second.body["record"].value("id", "");
  ApiReply corrected =
      api_->Call("PATCH", "/api/v1/vaccinations/" + rid, "i_center_a",
                 json{{"lot", "20261102"}, {"reason", "批号抄错"}}.dump(), {{"If-Match", "1"}});
  ASSERT_EQ(corrected.status, 200) << corrected.raw;
  EXPECT_EQ(corrected.body["record"].value("version", 0), 2);
  ApiReply history = api_->Get("/api/v1/vaccinations/" + rid + "/history", "i_center_a");
  ASSERT_EQ(history.status, 200) << history.raw;
  ASSERT_EQ(history.body["items"].size(), 2u);
  EXPECT_EQ(history.body["items"][0]["data"].value("lot", ""), "20261101");
  EXPECT_EQ(history.body["items"][1]["data"].value("lot", ""), "20261102");
  EXPECT_EQ(history.body["items"][1].value("reason", ""), "批号抄错");
  ApiReply voided =
      api_->Post("/api/v1/vaccinations/" + rid + "/void", "i_center_a", {{"reason", "误录"}});
  ASSERT_EQ(voided.status, 200) << voided.raw;
  EXPECT_EQ(voided.body["record"].value("status", ""), "voided");
  EXPECT_EQ(StatusOf(voided.body["forecast"], "HepB", 2), "due");

  // A CDC user reads but does not record.
  EXPECT_EQ(api_->Get(page, "i_cdc_a").status, 200);
  EXPECT_EQ(api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_cdc_a",
                       {{"vaccine", "BCG"}, {"date", Iso(Today())}, {"clinic", street_a_}})
                .status,
            403);
}

TEST_F(ImmunizationHttpTest, DueListAndAppointmentsWithinCapacity) {
  const std::string child = CreateChild(4, street_a_, "赵小宝");
  BirthDoses(child);
  ASSERT_EQ(IssueFile(child, "450-IMM-0101").status, 201);
  const std::string due_url = "/api/v1/immunization/due?clinic=" + street_a_ +
                              "&from=" + Iso(Today()) + "&to=" + Iso(AddDays(Today(), 6));

  ApiReply due = api_->Get(due_url + "&page_size=200", "i_center_a");
  ASSERT_EQ(due.status, 200) << due.raw;
  const json* item = nullptr;
  for (const auto& i : due.body["items"])
    if (i.value("person_id", "") == child) item = &i;
  ASSERT_NE(item, nullptr) << due.raw;
  // A list: the phone masked and no address; the call list gives the whole number.
  EXPECT_EQ(item->value("guardian_phone_masked", ""), "139****1111");
  EXPECT_FALSE(item->contains("guardian_phone"));
  EXPECT_FALSE(item->contains("residence_address"));
  EXPECT_EQ(item->value("guardian_name", ""), "王芳");
  EXPECT_EQ(item->value("age_months", 0), 4);
  EXPECT_NE(item->value("id_number_masked", "").find("**********"), std::string::npos);
  EXPECT_FALSE(item->contains("id_number"));
  std::set<std::string> doses;
  for (const auto& d : (*item)["doses"]) {
    doses.insert(d.value("vaccine", "") + std::to_string(d.value("dose", 0)) + ":" +
                 d.value("status", ""));
  }
  EXPECT_TRUE(doses.count("HepB2:due")) << item->dump();
  EXPECT_TRUE((*item)["next_appointment"].is_null());
  // Sorted by the earliest date.
  std::string previous;
  for (const auto& i : due.body["items"]) {
    EXPECT_LE(previous, i.value("earliest", "")) << due.raw;
    previous = i.value("earliest", "");
  }

  // Two places on a day a week from now.
  const std::string day = Iso(AddDays(Today(), 7));
  const std::string sessions = "/api/v1/clinics/" + street_a_ + "/sessions";
  ApiReply set =
      api_->Call("PUT", sessions + "/" + day, "i_center_a", json{{"capacity", 2}}.dump());
  ASSERT_EQ(set.status, 200) << set.raw;
  EXPECT_EQ(set.body.value("capacity", 0), 2);
  EXPECT_FALSE(set.body.value("default_capacity", true));

  const std::string second = CreateChild(5, street_a_, "钱小宝");
  const std::string third = CreateChild(6, street_a_, "孙小宝");
  auto book = [&](const std::string& who, const std::string& date) {
    return api_->Post(
        "/api/v1/appointments", "i_center_a",
        {{"person_id", who}, {"clinic", street_a_}, {"date", date}, {"vaccines", {"HepB", "IPV"}}});
  };
  ApiReply a1 = book(child, day);
  ASSERT_EQ(a1.status, 201) << a1.raw;
  EXPECT_EQ(a1.body.value("status", ""), "booked");
  ASSERT_EQ(book(second, day).status, 201);
  ApiReply full = book(third, day);
  ExpectFieldProblem(full, 409, "date", "session_full");

  ApiReply list = api_->Get(sessions + "?from=" + Iso(Today()) + "&to=" + Iso(AddDays(Today(), 14)),
                            "i_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body.value("default_capacity", 0), 100);
  ASSERT_EQ(list.body["days"].size(), 1u) << list.raw;
  EXPECT_EQ(list.body["days"][0].value("booked", 0), 2);
  EXPECT_EQ(list.body["days"][0].value("available", -1), 0);

  // The due list now shows the appointment.
  ApiReply with_appt = api_->Get(due_url + "&page_size=200", "i_center_a");
  ASSERT_EQ(with_appt.status, 200);
  for (const auto& i : with_appt.body["items"]) {
    if (i.value("person_id", "") == child) {
      EXPECT_EQ(i["next_appointment"].value("date", ""), day) << i.dump();
    }
  }

  // Reschedule: a new appointment; the old one points to it and frees its place.
  const std::string old_id = a1.body.value("id", "");
  ApiReply moved = api_->Post("/api/v1/appointments/" + old_id + "/reschedule", "i_center_a",
                              {{"date", Iso(AddDays(Today(), 8))}});
  ASSERT_EQ(moved.status, 201) << moved.raw;
  const std::string new_id = moved.body.value("id", "");
  EXPECT_NE(new_id, old_id);
  EXPECT_EQ(moved.body.value("date", ""), Iso(AddDays(Today(), 8)));
  EXPECT_EQ(moved.body["previous"].value("status", ""), "rescheduled");
  EXPECT_EQ(moved.body["previous"].value("rescheduled_to", ""), new_id);
  ASSERT_EQ(book(third, day).status, 201);
  // The old one cannot change any more; the new one is not attended before its day.
  ExpectFieldProblem(api_->Call("POST", "/api/v1/appointments/" + old_id + "/cancel", "i_center_a"),
                     409, "status", "invalid_transition");
  ExpectFieldProblem(api_->Call("POST", "/api/v1/appointments/" + new_id + "/attend", "i_center_a"),
                     409, "date", "not_yet");

  ApiReply appts = api_->Get("/api/v1/appointments?clinic=" + street_a_ + "&from=" + Iso(Today()) +
                                 "&to=" + Iso(AddDays(Today(), 14)),
                             "i_center_a");
  ASSERT_EQ(appts.status, 200) << appts.raw;
  std::map<std::string, std::string> status_of;
  for (const auto& a : appts.body["items"]) {
    status_of[a.value("id", "")] = a.value("status", "");
    EXPECT_EQ(a["child"].value("guardian_phone_masked", "").find("****"), 3u) << a.dump();
  }
  EXPECT_EQ(status_of[old_id], "rescheduled");
  EXPECT_EQ(status_of[new_id], "booked");
  EXPECT_EQ(appts.body["items"].size(), 4u);
  ApiReply cancelled =
      api_->Call("POST", "/api/v1/appointments/" + new_id + "/cancel", "i_center_a");
  ASSERT_EQ(cancelled.status, 200) << cancelled.raw;
  EXPECT_EQ(cancelled.body.value("status", ""), "cancelled");

  // The due list read is audited once, with the count.
  ApiReply audit = api_->Get("/api/v1/audit?action=immunization.due_list&limit=50", "i_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool counted = false;
  for (const auto& row : audit.body["items"]) {
    if (row.value("detail", "").find("results=") != std::string::npos) counted = true;
  }
  EXPECT_TRUE(counted) << audit.raw;
}

// The home page's counts: the number alone, equal to the list's, with no child in the answer and
// no audit row (nothing about a person leaves); a user of another district counts nothing there.
TEST_F(ImmunizationHttpTest, CountsOnlyGiveTheListsTotalsWithoutPersons) {
  const std::string child = CreateChild(4, street_a_, "周小宝");
  BirthDoses(child);
  const std::string due_url = "/api/v1/immunization/due?clinic=" + street_a_ +
                              "&from=" + Iso(Today()) + "&to=" + Iso(AddDays(Today(), 6));
  ApiReply list = api_->Get(due_url + "&page_size=200", "i_center_a");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_GT(list.body.value("total", 0), 0);
  auto audit_rows = [&](const std::string& action) {
    ApiReply a = api_->Get("/api/v1/audit?action=" + action + "&limit=500", "i_auditor");
    EXPECT_EQ(a.status, 200) << a.raw;
    return a.body["items"].size();
  };
  const auto due_audits = audit_rows("immunization.due_list");
  const auto appt_audits = audit_rows("appointment.list");
  ApiReply count = api_->Get(due_url + "&count_only=true", "i_center_a");
  ASSERT_EQ(count.status, 200) << count.raw;
  EXPECT_EQ(count.body.value("total", -1), list.body.value("total", -2));
  EXPECT_TRUE(count.body["items"].empty()) << count.raw;
  EXPECT_EQ(count.raw.find("周小宝"), std::string::npos);

  const std::string day = Iso(AddDays(Today(), 2));
  ASSERT_EQ(
      api_->Post(
              "/api/v1/appointments", "i_center_a",
              {{"person_id", child}, {"clinic", street_a_}, {"date", day}, {"vaccines", {"HepB"}}})
          .status,
      201);
  const std::string appts =
      "/api/v1/appointments?clinic=" + street_a_ + "&from=" + day + "&to=" + day;
  ApiReply appt_list = api_->Get(appts, "i_center_a");
  ASSERT_EQ(appt_list.status, 200) << appt_list.raw;
  ApiReply appt_count = api_->Get(appts + "&count_only=true", "i_center_a");
  ASSERT_EQ(appt_count.status, 200) << appt_count.raw;
  EXPECT_EQ(appt_count.body.value("total", -1), appt_list.body["items"].size());
  EXPECT_GE(appt_count.body.value("total", -1), 1);
  EXPECT_TRUE(appt_count.body["items"].empty());

  EXPECT_EQ(audit_rows("immunization.due_list"), due_audits);
  EXPECT_EQ(audit_rows("appointment.list"), appt_audits + 1);  // the list above, not the count
  // Another district's user is refused the clinic as for the list.
  EXPECT_EQ(api_->Get(due_url + "&count_only=true", "i_center_b").status,
            api_->Get(due_url, "i_center_b").status);
}

TEST_F(ImmunizationHttpTest, BadInputsAreProblemsNamingTheField) {
  const std::string child = CreateChild(4, street_a_, "周小宝");
  const std::string doses = "/api/v1/persons/" + child + "/vaccinations";
  auto dose = [&](json body) { return api_->Post(doses, "i_center_a", body); };
  const std::string today = Iso(Today());

  ExpectFieldProblem(dose({{"vaccine", "XYZ"}, {"date", today}, {"clinic", street_a_}}), 400,
                     "vaccine", "unknown_vaccine");
  ExpectFieldProblem(
      dose({{"vaccine", "HepB"}, {"date", Iso(MonthsBefore(Today(), 5))}, {"clinic", street_a_}}),
      400, "date", "before_birth");
  ExpectFieldProblem(
      dose({{"vaccine", "HepB"}, {"date", Iso(AddDays(Today(), 1))}, {"clinic", street_a_}}), 400,
      "date", "in_future");
  ExpectFieldProblem(dose({{"vaccine", "HepB"}, {"date", "2026-02-30"}, {"clinic", street_a_}}),
                     400, "date", "invalid_date");
  ApiReply missing = dose(json::object());
  ExpectFieldProblem(missing, 400, "vaccine", "required");
  ExpectFieldProblem(missing, 400, "date", "required");
  ExpectFieldProblem(dose({{"vaccine", 7}, {"date", today}, {"clinic", street_a_}}), 400, "vaccine",
                     "wrong_type");
  ExpectFieldProblem(
      dose({{"vaccine", "HepB"}, {"date", today}, {"clinic", street_a_}, {"dose_number", "1"}}),
      400, "dose_number", "wrong_type");
  ExpectFieldProblem(dose({{"vaccine", "HepB"}, {"date", today}, {"clinic", "450199999"}}), 400,
                     "clinic", "unknown_org");
  ExpectFieldProblem(dose({{"vaccine", "HepB"}, {"date", today}, {"clinic", street_b_}}), 400,
                     "clinic", "outside_jurisdiction");
  ExpectFieldProblem(api_->Call("POST", doses, "i_center_a", "[1]"), 400, "", "wrong_type");
  ExpectFieldProblem(api_->Call("POST", doses, "i_center_a", "{\"vaccine\":"), 400, "",
                     "invalid_json");

  // The same vaccine twice on one day.
  json good = {{"vaccine", "HepB"}, {"date", today}, {"clinic", street_a_}};
  ApiReply first = dose(good);
  ASSERT_EQ(first.status, 201) << first.raw;
  ApiReply dup = dose(good);
  ExpectFieldProblem(dup, 409, "date", "duplicate_dose");
  EXPECT_EQ(dup.body.value("existing_id", ""), first.body["record"].value("id", "?"));
  const std::string rid = first.body["record"].value("id", "");
  ExpectFieldProblem(api_->Call("PATCH", "/api/v1/vaccinations/" + rid, "i_center_a",
                                json{{"lot", "x"}}.dump(), {{"If-Match", "1"}}),
                     400, "reason", "required");
  ExpectFieldProblem(
      api_->Post("/api/v1/vaccinations/" + rid + "/void", "i_center_a", json::object()), 400,
      "reason", "required");
  EXPECT_EQ(
      api_->Get("/api/v1/vaccinations/01890000-0000-7000-8000-000000000000/history", "i_center_a")
          .status,
      404);
  ExpectFieldProblem(
      api_->Get("/api/v1/persons/" + child + "/immunization?as_of=yesterday", "i_center_a"), 400,
      "as_of", "invalid_date");

  // Certificates: a newcomer of one month is not entitled (试点工作方案 §四(三)), the rule named.
  const std::string newcomer = CreateChild(4, street_a_, "吴小宝", /*arrived_days_ago=*/30);
  ExpectFieldProblem(IssueFile(newcomer, "450-IMM-0201"), 400,
                     "eligibility.vaccination_file_child_0_6", "not_entitled");
  ASSERT_EQ(IssueFile(child, "450-IMM-0202").status, 201);
  EXPECT_EQ(IssueFile(child, "450-IMM-0203").status, 409);
  const std::string other = CreateChild(5, street_a_, "郑小宝");
  ExpectFieldProblem(IssueFile(other, "450-IMM-0202"), 409, "certificate_no", "duplicate");
  ApiReply bad_file = api_->Post("/api/v1/persons/" + other + "/vaccination-file", "i_center_a",
                                 {{"certificate_no", "A B"}, {"guardian_phone", "12"}});
  ExpectFieldProblem(bad_file, 400, "certificate_no", "invalid_format");
  ExpectFieldProblem(bad_file, 400, "issuing_clinic", "required");
  ExpectFieldProblem(bad_file, 400, "guardian_phone", "invalid_phone");

  // Appointments and sessions.
  auto book = [&](json body) { return api_->Post("/api/v1/appointments", "i_center_a", body); };
  ExpectFieldProblem(book({{"person_id", child},
                           {"clinic", street_a_},
                           {"date", Iso(AddDays(Today(), -1))},
                           {"vaccines", {"HepB"}}}),
                     400, "date", "in_past");
  ExpectFieldProblem(
      book(
          {{"person_id", child}, {"clinic", "450199999"}, {"date", today}, {"vaccines", {"HepB"}}}),
      400, "clinic", "unknown_org");
  ExpectFieldProblem(
      book({{"person_id", child}, {"clinic", street_a_}, {"date", today}, {"vaccines", {"Nope"}}}),
      400, "vaccines[0]", "unknown_vaccine");
  ApiReply no_fields = book(json::object());
  for (const char* f : {"person_id", "clinic", "date", "vaccines"}) {
    ExpectFieldProblem(no_fields, 400, f, "required");
  }
  ExpectFieldProblem(
      book({{"person_id", child}, {"clinic", street_a_}, {"date", today}, {"vaccines", "HepB"}}),
      400, "vaccines", "wrong_type");
  const std::string session = "/api/v1/clinics/" + street_a_ + "/sessions/";
  ExpectFieldProblem(
      api_->Call("PUT", session + today, "i_center_a", json{{"capacity", -1}}.dump()), 400,
      "capacity", "out_of_range");
  ExpectFieldProblem(
      api_->Call("PUT", session + today, "i_center_a", json{{"capacity", "9"}}.dump()), 400,
      "capacity", "wrong_type");
  ExpectFieldProblem(
      api_->Call("PUT", session + "2026-02-30", "i_center_a", json{{"capacity", 9}}.dump()), 400,
      "date", "invalid_date");
  EXPECT_EQ(api_->Call("PUT", "/api/v1/clinics/450199999/sessions/" + today, "i_center_a",
                       json{{"capacity", 9}}.dump())
                .status,
            404);

  // The due list's query.
  ApiReply no_query = api_->Get("/api/v1/immunization/due", "i_center_a");
  for (const char* f : {"clinic", "from", "to"}) ExpectFieldProblem(no_query, 400, f, "required");
  ExpectFieldProblem(api_->Get("/api/v1/immunization/due?clinic=" + street_a_ + "&from=" + today +
                                   "&to=" + Iso(AddDays(Today(), -3)),
                               "i_center_a"),
                     400, "to", "before_from");
  ExpectFieldProblem(api_->Get("/api/v1/immunization/due?clinic=" + street_a_ + "&from=" + today +
                                   "&to=" + today + "&status=late",
                               "i_center_a"),
                     400, "status", "invalid_value");
  ExpectFieldProblem(api_->Get("/api/v1/immunization/due?clinic=" + street_a_ + "&from=" + today +
                                   "&to=" + today + "&page_size=0",
                               "i_center_a"),
                     400, "page_size", "invalid_integer");
  ExpectFieldProblem(
      api_->Get("/api/v1/appointments?clinic=" + street_a_ + "&from=x&to=" + today, "i_center_a"),
      400, "from", "invalid_date");
}

TEST_F(ImmunizationHttpTest, OtherDistrictGetsNotFoundAndTheAttemptIsAudited) {
  const std::string child = CreateChild(4, street_a_, "陈小宝");
  ApiReply rec = api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_center_a",
                            {{"vaccine", "BCG"}, {"date", Iso(Today())}, {"clinic", street_a_}});
  ASSERT_EQ(rec.status, 201) << rec.raw;
  const std::string rid = rec.body["record"].value("id", "");

  ApiReply read = api_->Get("/api/v1/persons/" + child + "/immunization", "i_center_b");
  EXPECT_EQ(read.status, 404) << read.raw;
  EXPECT_EQ(read.content_type.rfind("application/problem+json", 0), 0u);
  EXPECT_EQ(read.raw.find("陈小宝"), std::string::npos);
  EXPECT_EQ(api_->Post("/api/v1/persons/" + child + "/vaccinations", "i_center_b",
                       {{"vaccine", "HepB"}, {"date", Iso(Today())}, {"clinic", street_b_}})
                .status,
            404);
  EXPECT_EQ(api_->Post("/api/v1/persons/" + child + "/vaccination-file", "i_center_b",
                       {{"certificate_no", "450-IMM-0301"}, {"issuing_clinic", street_b_}})
                .status,
            404);
  EXPECT_EQ(
      api_->Post("/api/v1/vaccinations/" + rid + "/void", "i_center_b", {{"reason", "x"}}).status,
      404);
  EXPECT_EQ(api_->Get("/api/v1/vaccinations/" + rid + "/history", "i_center_b").status, 404);
  EXPECT_EQ(api_->Post("/api/v1/appointments", "i_center_b",
                       {{"person_id", child},
                        {"clinic", street_b_},
                        {"date", Iso(AddDays(Today(), 3))},
                        {"vaccines", {"HepB"}}})
                .status,
            404);
  // Nor the other center's clinic.
  ExpectFieldProblem(api_->Get("/api/v1/immunization/due?clinic=" + street_a_ +
                                   "&from=" + Iso(Today()) + "&to=" + Iso(Today()),
                               "i_center_b"),
                     400, "clinic", "outside_jurisdiction");
  EXPECT_EQ(api_->Get("/api/v1/clinics/" + street_a_ + "/sessions?from=" + Iso(Today()) +
                          "&to=" + Iso(Today()),
                      "i_center_b")
                .status,
            404);

  // Refusals of a dose record name the record (reading its child would mean reading outside the
  // jurisdiction), so the other center's denied rows are gathered by user, not by person.
  ApiReply audit = api_->Get("/api/v1/audit?limit=500", "i_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  std::set<std::string> denied;
  for (const auto& row : audit.body["items"]) {
    if (row.value("result", "") != "denied" || row.value("username", "") != "i_center_b") continue;
    denied.insert(row.value("action", ""));
  }
  for (const char* action : {"immunization.read", "vaccination.record", "vaccination_file.issue",
                             "vaccination.void", "vaccination.history", "appointment.book"}) {
    EXPECT_TRUE(denied.count(action)) << action << " in " << audit.raw;
  }
  // The record is untouched.
  ApiReply mine = api_->Get("/api/v1/persons/" + child + "/immunization", "i_center_a");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["records"][0].value("status", ""), "active");
}

// The command line's due list: CSV with Chinese headers for calling the guardians.
TEST_F(ImmunizationHttpTest, CommandLineWritesTheDueListAsCsv) {
  const std::string child = CreateChild(4, street_a_, "冯小宝");
  BirthDoses(child);
  ASSERT_EQ(IssueFile(child, "450-IMM-0401").status, 201);
  std::string csv = tmp_->File("due.csv");
  CommandResult r = server_->Run({"immunization", "due", "--clinic", street_a_, "--from",
                                  Iso(Today()), "--to", Iso(AddDays(Today(), 6)), "--csv", csv});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string text = ReadFileBytes(csv);
  EXPECT_EQ(text.rfind("\xEF\xBB\xBF姓名,性别,出生日期,月龄", 0), 0u) << text.substr(0, 200);
  EXPECT_NE(text.find("冯小宝"), std::string::npos);
  // Masked: the full number only on the audited call list.
  EXPECT_EQ(text.find("13900001111"), std::string::npos);
  EXPECT_NE(text.find("139****1111"), std::string::npos);
  EXPECT_NE(text.find("乙肝疫苗第2剂（应种）"), std::string::npos) << text;
}

// 监护人 (issue 15 Families): a certificate needs a guardian, a registered one where possible; the
// link is checked (within the jurisdiction, not the child, an adult, the right sex for mother or
// father), the guardian's current phone reaches the due list, and the guardian's record lists
// the child.
TEST_F(ImmunizationHttpTest, CertificateLinksARegisteredGuardian) {
  const std::string child = CreateChild(4, street_a_, "周小宝");
  const std::string file_url = "/api/v1/persons/" + child + "/vaccination-file";
  // The 17th digit of an ID number gives the sex: even for a woman.
  auto adult = [](const std::string& user, const std::string& org, const std::string& name,
                  const std::string& birth8, const std::string& phone) {
    do ++id_seq_;
    while (id_seq_ % 2 != 0);
    json body = {{"name", name},
                 {"id_number", MakeResidentId("450803", birth8, id_seq_)},
                 {"phone", phone},
                 {"hukou_division", "450803"},
                 {"residence_org", org},
                 {"residence_address", "测试路8号"},
                 {"arrived_on", Iso(MonthsBefore(Today(), 24))},
                 {"move_reason", "work"}};
    ApiReply r = api_->Post("/api/v1/persons", user, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", "");
  };
  const std::string mother = adult("i_center_a", street_a_, "周丽", "19950305", "13711112222");
  const std::string elsewhere = adult("i_center_b", street_b_, "吴敏", "19930101", "13722223333");
  ApiReply mother_record = api_->Get("/api/v1/persons/" + mother, "i_center_a");
  ASSERT_EQ(mother_record.status, 200) << mother_record.raw;
  ASSERT_EQ(mother_record.body.value("sex", ""), "F");
  const std::string relation = "mother";

  // No guardian at all: refused, naming the missing fields (Chinese and English messages).
  ApiReply none = api_->Post(file_url, "i_center_a",
                             {{"certificate_no", "450-GD-0001"}, {"issuing_clinic", street_a_}});
  ExpectFieldProblem(none, 400, "guardian_name", "required");
  ExpectFieldProblem(none, 400, "guardian_relation", "required");
  ExpectFieldProblem(none, 400, "guardian_phone", "required");
  json base = {{"certificate_no", "450-GD-0001"},
               {"issuing_clinic", street_a_},
               {"guardian_relation", relation}};
  // A person of another district, the child itself, a wrong relationship for her sex.
  json outside = base;
  outside["guardian_person_id"] = elsewhere;
  ExpectFieldProblem(api_->Post(file_url, "i_center_a", outside), 400, "guardian_person_id",
                     "not_found");
  json self = base;
  self["guardian_person_id"] = child;
  ExpectFieldProblem(api_->Post(file_url, "i_center_a", self), 400, "guardian_person_id",
                     "is_child");
  json wrong_sex = base;
  wrong_sex["guardian_person_id"] = mother;
  wrong_sex["guardian_relation"] = "father";
  ExpectFieldProblem(api_->Post(file_url, "i_center_a", wrong_sex), 400, "guardian_relation",
                     "sex_mismatch");
  json minor_body = base;
  minor_body["guardian_person_id"] = CreateChild(60, street_a_, "周小哥");
  ExpectFieldProblem(api_->Post(file_url, "i_center_a", minor_body), 400, "guardian_person_id",
                     "too_young");
  // The refused link to a person elsewhere is audited as denied.
  ApiReply audit = api_->Get("/api/v1/audit?person_id=" + elsewhere, "i_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool denied = false;
  for (const auto& e : audit.body["items"])
    denied |= e.value("action", "") == "vaccination_file.issue.guardian" &&
              e.value("result", "") == "denied";
  EXPECT_TRUE(denied) << audit.raw;

  // Linked: name and phone come from her record.
  json linked = base;
  linked["guardian_person_id"] = mother;
  ApiReply file = api_->Post(file_url, "i_center_a", linked);
  ASSERT_EQ(file.status, 201) << file.raw;
  EXPECT_EQ(file.body.value("guardian_person_id", ""), mother);
  EXPECT_EQ(file.body.value("guardian_name", ""), "周丽");
  EXPECT_EQ(file.body.value("guardian_phone", ""), "13711112222");
  EXPECT_EQ(file.body.value("guardian_id_number_masked", "").find("19950305"), std::string::npos);

  // Her phone changes on her record: the certificate and the due list read it through the link.
  ApiReply changed =
      api_->Send("PATCH", "/api/v1/persons/" + mother, api_->Token("i_center_a"),
                 json{{"phone", "13633334444"}}.dump(),
                 {{"If-Match", std::to_string(mother_record.body.value("version", 1))}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  ApiReply page = api_->Get("/api/v1/persons/" + child + "/immunization", "i_center_a");
  ASSERT_EQ(page.status, 200) << page.raw;
  EXPECT_EQ(page.body["file"].value("guardian_phone", ""), "13633334444");
  ApiReply due =
      api_->Get("/api/v1/immunization/due?clinic=" + street_a_ + "&from=" + Iso(Today()) +
                    "&to=" + Iso(AddDays(Today(), 6)) + "&page_size=200",
                "i_center_a");
  ASSERT_EQ(due.status, 200) << due.raw;
  const json* item = nullptr;
  for (const auto& i : due.body["items"])
    if (i.value("person_id", "") == child) item = &i;
  ASSERT_NE(item, nullptr) << due.raw;
  EXPECT_EQ(item->value("guardian_name", ""), "周丽");
  EXPECT_EQ(item->value("guardian_phone_masked", ""), "136****4444");

  // Her record lists the child; another district does not see her.
  ApiReply wards = api_->Get("/api/v1/persons/" + mother + "/wards", "i_center_a");
  ASSERT_EQ(wards.status, 200) << wards.raw;
  ASSERT_EQ(wards.body["items"].size(), 1u) << wards.raw;
  EXPECT_EQ(wards.body["items"][0].value("person_id", ""), child);
  EXPECT_EQ(wards.body["items"][0].value("guardian_relation", ""), relation);
  EXPECT_FALSE(wards.body["items"][0].contains("id_number"));
  EXPECT_EQ(api_->Get("/api/v1/persons/" + mother + "/wards", "i_center_b").status, 404);

  // Unlinking leaves the guardian as written (a complete unregistered one is still required).
  ApiReply unlink = api_->Send("PATCH", file_url, api_->Token("i_center_a"),
                               json{{"guardian_person_id", nullptr}, {"guardian_phone", ""}}.dump(),
                               {{"If-Match", "1"}});
  ExpectFieldProblem(unlink, 400, "guardian_phone", "required");
}

}  // namespace
}  // namespace jd::integration
