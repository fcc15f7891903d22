// The role × route × jurisdiction matrix, generated from the server's own OpenAPI document: a real
// `jundeng serve` on a demo city, one user of every role, and every operation of openapi.json.
//   1. Roles: every operation is called as every role. A role that holds none of the operation's
//      x-permission codes must get 403; a role that holds one must not (whatever else the input
//      makes of it). Public operations answer without a session; the others say 401 without one.
//   2. Jurisdiction: every operation with an object id in its path is called by a user of another
//      district (the first of center, district that may call it) on an object of district B. The
//      answer must be 404 with no data of the object, and the audit log must gain a "denied" row
//      for that user.
//   3. Aggregates: the periodic analysis of a district's user covers that district only.
// A route added without an x-permission fails server start-up, and therefore this test.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "auth/permissions.h"
#include "core/dates.h"
#include "integration/api_client.h"
#include "integration/disease_cards_fixture.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Matrix-Test-Passw0rd!";

struct Operation {
  std::string method;   // "GET", …
  std::string pattern;  // "/api/v1/persons/{id}"
  json permission;      // the x-permission value
};

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

class AccessMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/1500, /*seed=*/3);
    const std::string db = server_->db_path();
    for (const auto& u : ReadOrgUnits(db)) {
      if (u.level == "city") city_ = u.code;
    }
    ASSERT_FALSE(city_.empty());
    StreetsOfTwoDistricts streets = FindStreetsOfTwoDistricts(db);
    street_a_ = streets.street_a;
    district_a_ = streets.district_a;
    ASSERT_FALSE(street_a_.empty());
    // District B: another district that holds a child with doses, documents and an appointment.
    auto rows = QueryRows(db,
                          "SELECT p.id, substr(p.residence_path, 8, 6) FROM persons p "
                          "WHERE EXISTS (SELECT 1 FROM vaccination_records r WHERE r.person_id = "
                          "p.id) AND EXISTS (SELECT 1 FROM documents d WHERE d.person_id = p.id) "
                          "AND substr(p.residence_path, 8, 6) <> ?1 ORDER BY p.id LIMIT 1",
                          {district_a_});
    ASSERT_EQ(rows.size(), 1u) << "the demo city has no child with doses and documents";
    person_b_ = rows[0][0];
    district_b_ = rows[0][1];
    const std::string like_b = city_ + "/" + district_b_ + "/%";
    auto first = [&](const std::string& sql) {
      auto r = QueryRows(db, sql, {like_b});
      return r.empty() ? std::string() : r[0][0];
    };
    street_b_ = QueryRows(db, "SELECT code FROM org_units WHERE parent_code = ?1 ORDER BY code",
                          {district_b_})[0][0];
    dose_b_ = first(
        "SELECT r.id FROM vaccination_records r JOIN persons p ON p.id = r.person_id WHERE "
        "p.residence_path LIKE ?1 ORDER BY r.id LIMIT 1");
    document_b_ = first(
        "SELECT d.id FROM documents d JOIN persons p ON p.id = d.person_id WHERE "
        "p.residence_path LIKE ?1 ORDER BY d.id LIMIT 1");
    auto booked = QueryRows(db,
                            "SELECT a.id, a.clinic_code, a.appointment_date FROM appointments a "
                            "JOIN persons p ON p.id = a.person_id WHERE p.residence_path LIKE ?1 "
                            "AND a.status = 'booked' ORDER BY a.appointment_date DESC LIMIT 1",
                            {like_b});
    ASSERT_FALSE(booked.empty()) << "no booked appointment in district B";
    // Family-planning records of district B's women, written by the demo.
    for (auto& [table, id] :
         {std::pair{"fp_methods", &fp_method_b_},
          std::pair{"fp_distributions", &fp_distribution_b_},
          std::pair{"fp_procedures", &fp_procedure_b_}, std::pair{"fp_checks", &fp_check_b_},
          std::pair{"fp_guidance", &fp_guidance_b_}}) {
      *id = first(std::string("SELECT x.id FROM ") + table +
                  " x JOIN persons p ON p.id = x.person_id WHERE p.residence_path LIKE ?1 ORDER "
                  "BY x.id LIMIT 1");
      ASSERT_FALSE(id->empty()) << "no " << table << " row in district B";
    }
    appointment_b_ = booked[0][0];
    clinic_b_ = booked[0][1];
    appointment_date_b_ = booked[0][2];

    // One user of every role; the jurisdictional ones in district A (or its first street).
    community_a_ = QueryRows(db, "SELECT code FROM org_units WHERE parent_code = ?1 ORDER BY code",
                             {street_a_})[0][0];
    struct Seat {
      const char* role;
      std::string org;
    };
    for (const Seat& s :
         {Seat{"sysadmin", city_}, Seat{"secadmin", city_}, Seat{"auditor", city_},
          Seat{"commission", city_}, Seat{"district", district_a_}, Seat{"center", street_a_},
          Seat{"village", community_a_}, Seat{"cdc", district_a_}, Seat{"finance", city_},
          Seat{"partner", city_}, Seat{"psychiatry", district_a_}}) {
      server_->AddUser(std::string("m_") + s.role, s.role, s.org, kPassword);
    }
    server_->AddUser("m_district_b", "district", district_b_, kPassword);
    server_->AddUser("m_psychiatry_b", "psychiatry", district_b_, kPassword);
    // A partner of district A: district B's alerts are outside its area.
    server_->AddUser("m_partner_a", "partner", district_a_, kPassword);
    server_->AddUser("m_cdc_b", "cdc", district_b_, kPassword);
    server_->AddUser("m_center_b", "center", street_b_, kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);

    // Objects of district B that the demo does not make, made by district B's own user.
    ApiReply round =
        api_->Post("/api/v1/immunization/catch-up-rounds", "m_district_b", {{"area", street_b_}});
    ASSERT_EQ(round.status, 201) << round.raw;
    round_b_ = round.body.value("id", "");
    ApiReply campaign = api_->Post("/api/v1/immunization/campaigns", "m_district_b",
                                   {{"name", "矩阵测试活动"},
                                    {"kind", "supplementary"},
                                    {"vaccine", "MMR"},
                                    {"age_from_months", 8},
                                    {"age_to_months", 179},
                                    {"area", street_b_},
                                    {"start_date", Iso(AddDays(Today(), -1))},
                                    {"end_date", Iso(AddDays(Today(), 30))}});
    ASSERT_EQ(campaign.status, 201) << campaign.raw;
    campaign_b_ = campaign.body.value("id", "");
    std::string csv = "儿童姓名,性别,出生日期,身份证号码,监护人姓名,监护人电话,幼儿园,班级\r\n";
    csv += "矩阵儿童,男,2021-05-01,,王芳,13900001111,矩阵幼儿园,中班\r\n";
    ApiReply check = api_->Call("POST", "/api/v1/immunization/entry-checks?file_name=roster.csv",
                                "m_district_b", csv, {}, "text/csv");
    ASSERT_EQ(check.status, 201) << check.raw;
    check_b_ = check.body.value("id", "");
    ApiReply contact = api_->Put("/api/v1/notify/clinics/" + clinic_b_ + "/contact", "m_district_b",
                                 {{"address", "矩阵路1号"}, {"phone", "0771-1234567"}});
    ASSERT_EQ(contact.status, 200) << contact.raw;
    ApiReply plan = api_->Post(
        "/api/v1/notify/reminders", "m_district_b",
        {{"clinic_code", clinic_b_}, {"from", appointment_date_b_}, {"to", appointment_date_b_}});
    ASSERT_EQ(plan.status, 200) << plan.raw;
    notice_b_ = first(
        "SELECT n.id FROM notices n JOIN persons p ON p.id = n.person_id WHERE "
        "p.residence_path LIKE ?1 AND n.recipient_user IS NULL ORDER BY n.id LIMIT 1");
    ASSERT_FALSE(notice_b_.empty()) << plan.raw;
    // A pregnancy of a woman of district B, registered by district B.
    auto women = QueryRows(db,
                           "SELECT id FROM persons WHERE residence_path LIKE ?1 AND sex = 'F' AND "
                           "birth_date BETWEEN '1980-01-01' AND '2005-12-31' ORDER BY id LIMIT 1",
                           {like_b});
    ASSERT_FALSE(women.empty()) << "no woman of childbearing age in district B";
    ApiReply pregnancy = api_->Post("/api/v1/persons/" + women[0][0] + "/pregnancies",
                                    "m_district_b", {{"lmp", Iso(AddDays(Today(), -60))}});
    ASSERT_EQ(pregnancy.status, 201) << pregnancy.raw;
    pregnancy_b_ = pregnancy.body.value("id", "");
    // Her PMTCT case (预防艾滋病、梅毒和乙肝母婴传播), opened by a positive test.
    ApiReply test = api_->Post("/api/v1/pregnancies/" + pregnancy_b_ + "/infection-tests",
                               "m_district_b", {{"infection", "hbv"}, {"result", "positive"}});
    ASSERT_EQ(test.status, 201) << test.raw;
    pmtct_case_b_ = test.body["opened_case"].value("id", "");
    ASSERT_FALSE(pmtct_case_b_.empty()) << test.raw;
    // Her green-channel referral.
    ApiReply referral = api_->Post(
        "/api/v1/persons/" + women[0][0] + "/referrals", "m_district_b",
        {{"kind", "green_channel"}, {"reason", "矩阵测试"}, {"to_facility", "矩阵医院"}});
    ASSERT_EQ(referral.status, 201) << referral.raw;
    referral_b_ = referral.body.value("id", "");
    // An adult's severe-mental-disorder registration by district B's 精防 institution, and the
    // danger alert of a level-3 follow-up.
    auto adults = QueryRows(db,
                            "SELECT id FROM persons WHERE residence_path LIKE ?1 AND birth_date "
                            "BETWEEN '1960-01-01' AND '2005-12-31' AND id NOT IN (SELECT "
                            "person_id FROM mental_patients) ORDER BY id LIMIT 1",
                            {like_b});
    ASSERT_FALSE(adults.empty()) << "no adult in district B";
    ApiReply patient = api_->Post("/api/v1/mental/patients", "m_psychiatry_b",
                                  {{"person_id", adults[0][0]},
                                   {"diagnosis", "bipolar"},
                                   {"diagnosed_on", Iso(AddDays(Today(), -30))},
                                   {"consent", "not_yet"}});
    ASSERT_EQ(patient.status, 201) << patient.raw;
    mental_b_ = patient.body.value("id", "");
    ApiReply follow_up = api_->Post("/api/v1/mental/patients/" + mental_b_ + "/follow-ups",
                                    "m_psychiatry_b", MentalFollowUp(3));
    ASSERT_EQ(follow_up.status, 201) << follow_up.raw;
    mental_alert_b_ = follow_up.body["alert"].value("id", "");
    ASSERT_FALSE(mental_alert_b_.empty()) << follow_up.raw;

    // An early-warning signal of district B (a plague card, fixed threshold) and an event opened
    // by district B's CDC on another (cholera), raised by the daily run.
    const std::string now = FormatTimestamp(std::chrono::system_clock::now());
    const std::string plague = InsertDiseaseCard(
        db, city_, {"plague", district_b_, street_b_, Iso(Today()), now, "", "矩阵病人"});
    const std::string cholera = InsertDiseaseCard(
        db, city_, {"cholera", district_b_, street_b_, Iso(Today()), now, "", "矩阵病人"});
    ASSERT_EQ(server_->Run({"surveillance", "run", "--as-of", Iso(Today())}).exit_code, 0);
    auto signal_of = [&](const std::string& card) {
      auto r = QueryRows(db, "SELECT id FROM disease_signals WHERE card_ids LIKE ?1",
                         {"%" + card + "%"});
      return r.empty() ? std::string() : r[0][0];
    };
    signal_b_ = signal_of(plague);
    ASSERT_FALSE(signal_b_.empty());
    ApiReply event = api_->Post("/api/v1/disease/events", "m_cdc_b",
                                {{"signal_ids", {signal_of(cholera)}}, {"kind", "cluster"}});
    ASSERT_EQ(event.status, 201) << event.raw;
    disease_event_b_ = event.body.value("id", "");

    // A TB treatment course and an HIV care record of district B, by district B's CDC.
    ApiReply course = api_->Post(
        "/api/v1/persons/" + person_b_ + "/tb-courses", "m_cdc_b",
        {{"notified_on", Iso(Today())}, {"started_on", Iso(Today())}, {"regimen", "new_6m"}});
    ASSERT_EQ(course.status, 201) << course.raw;
    tb_course_b_ = course.body.value("id", "");
    ApiReply care = api_->Put("/api/v1/persons/" + person_b_ + "/hiv-care", "m_cdc_b",
                              {{"diagnosed_on", Iso(Today())}, {"status", "not_started"}});
    ASSERT_EQ(care.status, 200) << care.raw;

    // An infectious-disease case card of a patient living in district B, reported by its CDC.
    ApiReply card = api_->Post("/api/v1/disease/cards", "m_cdc_b",
                               {{"patient_name", "矩阵病例"},
                                {"sex", "male"},
                                {"age_years", 30},
                                {"patient_belongs", "other_province"},
                                {"current_address", "矩阵路2号"},
                                {"address_unit", street_b_},
                                {"occupation", "民工"},
                                {"disease_code", "mumps"},
                                {"case_class", "clinical"},
                                {"onset_date", Iso(AddDays(Today(), -3))},
                                {"diagnosed_at", Iso(AddDays(Today(), -2)) + "T10:00:00+08:00"},
                                {"reporting_doctor", "矩阵医生"}});
    ASSERT_EQ(card.status, 201) << card.raw;
    disease_card_b_ = card.body.value("id", "");

    // A service point and a gathering place of district B, by district B's health bureau.
    ApiReply point =
        api_->Post("/api/v1/network/points", "m_district_b",
                   {{"kind", "fp_station"}, {"name", "矩阵服务站"}, {"lat", 22.8}, {"lon", 108.3}});
    ASSERT_EQ(point.status, 201) << point.raw;
    network_point_b_ = point.body.value("id", "");
    ApiReply place =
        api_->Post("/api/v1/network/places", "m_district_b",
                   {{"kind", "market"}, {"name", "矩阵市场"}, {"lat", 22.8}, {"lon", 108.3}});
    ASSERT_EQ(place.status, 201) << place.raw;
    network_place_b_ = place.body.value("id", "");

    // A health-education activity at the demo centre of district B's street, by its centre.
    auto centre_b =
        QueryRows(server_->db_path(),
                  "SELECT id FROM service_points WHERE org_code = ?1 ORDER BY name", {street_b_});
    ASSERT_FALSE(centre_b.empty());
    ApiReply lecture = api_->Post("/api/v1/education/activities", "m_center_b",
                                  {{"point_id", centre_b[0][0]},
                                   {"kind", "lecture"},
                                   {"venue", "community"},
                                   {"held_on", Iso(Today())},
                                   {"attendance", 20}});
    ASSERT_EQ(lecture.status, 201) << lecture.raw;
    education_activity_b_ = lecture.body.value("id", "");

    // A FHIR bulk export of district B's manager, finished: its status and files are hers alone.
    ApiReply kick =
        api_->Call("GET", "/fhir/r4/$export", "m_district_b", "", {{"Prefer", "respond-async"}});
    ASSERT_EQ(kick.status, 202) << kick.raw;
    const std::string status = kick.Header("Content-Location");
    export_job_b_ = status.substr(status.rfind('/') + 1);
    for (int i = 0; i < 600; ++i) {
      if (api_->Get(status.substr(status.find("/fhir/r4")), "m_district_b").status != 202) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // A follow-up of today at `level` with every finding given.
  static json MentalFollowUp(int level) {
    return {{"visited_on", Iso(Today())}, {"danger_level", level},  {"symptoms", "none"},
            {"insight", "complete"},      {"sleep", "good"},        {"social_function", "good"},
            {"adherence", "regular"},     {"side_effects", "none"}, {"physical_illness", "none"},
            {"hospitalisation", "never"}};
  }

  static void TearDownTestSuite() { EndSuite(api_, server_, tmp_); }

  static std::vector<Operation> Operations() {
    ApiReply doc = api_->Get("/api/v1/openapi.json", "");
    EXPECT_EQ(doc.status, 200);
    std::vector<Operation> out;
    for (const auto& [path, item] : doc.body["paths"].items()) {
      for (const auto& [method, op] : item.items()) {
        if (method == "parameters") continue;
        out.push_back({Upper(method), path, op.value("x-permission", json())});
      }
    }
    return out;
  }

  // Whether `role` holds one of the operation's permissions (the matrix of auth/permissions.h).
  static bool Allowed(const std::string& role, const json& permission) {
    auto r = auth::ParseRole(role);
    EXPECT_TRUE(r.has_value()) << role;
    std::vector<std::string> codes;
    if (permission.is_string()) codes.push_back(permission.get<std::string>());
    if (permission.is_array())
      for (const auto& c : permission) codes.push_back(c.get<std::string>());
    for (const auto& code : codes) {
      if (code == "authenticated") return true;
      auto p = auth::ParsePermission(code);
      EXPECT_TRUE(p.has_value()) << "unknown permission " << code;
      if (p && auth::Allows(*r, *p)) return true;
    }
    return false;
  }

  // The path with every parameter filled: objects of district B when `of_b`, else well-formed
  // ids that match nothing.
  static std::string Fill(const std::string& pattern, bool of_b) {
    std::string id = "00000000-0000-4000-8000-000000000000", code = street_a_;
    if (of_b) {
      code = pattern.find("/clinics/") != std::string::npos ? clinic_b_ : street_b_;
      if (pattern.starts_with("/api/v1/persons/")) id = person_b_;
      if (pattern.starts_with("/fhir/r4/Patient/")) id = person_b_;
      if (pattern.starts_with("/fhir/r4/Immunization/")) id = dose_b_;
      if (pattern.starts_with("/api/v1/vaccinations/")) id = dose_b_;
      if (pattern.starts_with("/api/v1/documents/")) id = document_b_;
      if (pattern.starts_with("/api/v1/appointments/")) id = appointment_b_;
      if (pattern.starts_with("/api/v1/immunization/catch-up-rounds/")) id = round_b_;
      if (pattern.starts_with("/api/v1/immunization/campaigns/")) id = campaign_b_;
      if (pattern.starts_with("/api/v1/immunization/entry-checks/")) id = check_b_;
      if (pattern.starts_with("/api/v1/notify/notices/")) id = notice_b_;
      if (pattern.starts_with("/api/v1/pregnancies/")) id = pregnancy_b_;
      if (pattern.starts_with("/api/v1/pmtct-cases/")) id = pmtct_case_b_;
      if (pattern.starts_with("/api/v1/referrals/")) id = referral_b_;
      if (pattern.starts_with("/api/v1/mental/patients/")) id = mental_b_;
      if (pattern.starts_with("/api/v1/mental/alerts/")) id = mental_alert_b_;
      if (pattern.starts_with("/api/v1/disease/signals/")) id = signal_b_;
      if (pattern.starts_with("/api/v1/disease/events/")) id = disease_event_b_;
      if (pattern.starts_with("/api/v1/tb-courses/")) id = tb_course_b_;
      if (pattern.starts_with("/api/v1/disease/cards/")) id = disease_card_b_;
      if (pattern.starts_with("/api/v1/network/points/")) id = network_point_b_;
      if (pattern.starts_with("/api/v1/network/places/")) id = network_place_b_;
      if (pattern.starts_with("/api/v1/education/activities/")) id = education_activity_b_;
      if (pattern.starts_with("/api/v1/education/points/")) id = network_point_b_;
      if (pattern.starts_with("/api/v1/family-planning/persons/")) id = person_b_;
      if (pattern.starts_with("/api/v1/family-planning/methods/")) id = fp_method_b_;
      if (pattern.starts_with("/api/v1/family-planning/distributions/")) id = fp_distribution_b_;
      if (pattern.starts_with("/api/v1/family-planning/procedures/")) id = fp_procedure_b_;
      if (pattern.starts_with("/api/v1/family-planning/checks/")) id = fp_check_b_;
      if (pattern.starts_with("/api/v1/family-planning/guidance/")) id = fp_guidance_b_;
      if (pattern.starts_with("/fhir/r4/$export-")) id = export_job_b_;
    }
    std::string out = std::regex_replace(pattern, std::regex(R"(\{id\})"), id);
    out = std::regex_replace(out, std::regex(R"(\{code\})"), code);
    out = std::regex_replace(out, std::regex(R"(\{date\})"), Iso(AddDays(Today(), 7)));
    out = std::regex_replace(out, std::regex(R"(\{name\})"), "Patient.ndjson");
    return out;
  }

  // A body the operation would accept from district A's user, so that the answer is decided by
  // the object and not by the input.
  static json ValidBody(const Operation& op) {
    const std::string& p = op.pattern;
    const std::string today = Iso(Today());
    if (p == "/api/v1/persons/{id}") return {{"occupation", "工人"}};
    if (p == "/fhir/r4/Patient/{id}") return {{"resourceType", "Patient"}};
    if (p.ends_with("/transfers")) return {{"to_node", "440300"}, {"to_division", "440303"}};
    if (p.ends_with("/residence-events")) return {{"type", "moved_out"}, {"date", today}};
    if (p.ends_with("/documents")) return {{"type", "other"}, {"number", "MX-1"}};
    if (p.ends_with("/review")) return {{"decision", "approved"}};
    if (p.ends_with("/vaccination-file"))
      return {{"certificate_no", "450100" + std::to_string(900000 + op.method.size())},
              {"issuing_clinic", street_a_},
              {"guardian_name", "王芳"},
              {"guardian_relation", "mother"},
              {"guardian_phone", "13900001111"}};
    if (p.ends_with("/vaccinations")) return {{"vaccine", "HepB"}, {"date", today}};
    if (p == "/api/v1/vaccinations/{id}") return {{"lot", "L1"}, {"reason", "矩阵测试"}};
    if (p.ends_with("/void")) return {{"reason", "矩阵测试"}};
    if (p.ends_with("/reschedule")) return {{"date", Iso(AddDays(Today(), 14))}};
    if (p.ends_with("/sessions/{date}")) return {{"capacity", 30}};
    if (p.ends_with("/doses")) return {{"person_id", person_b_}, {"date", today}};
    if (p.ends_with("/health-record")) return {{"clinic", street_a_}};
    if (p.ends_with("/contact")) return {{"address", "测试路1号"}, {"phone", "0771-1234567"}};
    if (p.ends_with("/hiv-care")) return {{"diagnosed_on", today}, {"status", "not_started"}};
    if (p.ends_with("/hiv-care/follow-ups")) return {{"followed_on", today}};
    if (p.ends_with("/tb-courses"))
      return {{"notified_on", today}, {"started_on", today}, {"regimen", "new_6m"}};
    if (p.ends_with("/tb-courses/{id}/visits")) return {{"date", today}};
    if (p.ends_with("/tb-courses/{id}/outcome"))
      return {{"outcome", "died"}, {"outcome_on", today}};
    if (p.ends_with("/outcome")) return {{"status", "delivered"}};
    if (p.ends_with("/notify-opt-out") || p.ends_with("/notify-opt-in"))
      return {{"channels", {"sms"}}};
    if (p.ends_with("/pregnancies")) return {{"lmp", Iso(AddDays(Today(), -60))}};
    if (p.ends_with("/pregnancies/{id}/visits")) return {{"date", today}};
    if (p.ends_with("/pregnancies/{id}/delivery")) return {{"delivered_on", today}};
    if (p.ends_with("/pregnancies/{id}/end")) return {{"ended_on", today}, {"reason", "other"}};
    if (p.ends_with("/infection-tests")) return {{"infection", "hiv"}, {"result", "negative"}};
    if (p.ends_with("/pmtct-cases/{id}/records")) return {{"item", "mother_hbv_dna"}};
    if (p.ends_with("/child-checkups")) return {{"date", today}, {"weight_kg", 9.5}};
    if (p.ends_with("/newborn-screenings"))
      return {{"kind", "hearing_initial"}, {"date", today}, {"result", "pass"}};
    if (p.ends_with("/preconception-checks"))
      return {{"man_name", "矩阵男方"}, {"woman_items", {"education"}}};
    if (p.ends_with("/folic-acid")) return {{"quantity_days", 30}};
    if (p.ends_with("/premarital-checks"))
      return {{"partner_name", "矩阵对方"}, {"opinion", "no_contraindication"}};
    if (p.ends_with("/referrals"))
      return {{"kind", "green_channel"}, {"reason", "矩阵测试"}, {"to_facility", "矩阵医院"}};
    if (p == "/api/v1/referrals/{id}") return {{"outcome_note", "矩阵测试"}};
    if (p == "/api/v1/mental/patients/{id}") return {{"consent", "not_yet"}};
    if (p.ends_with("/mental/patients/{id}/follow-ups")) return MentalFollowUp(0);
    if (p.ends_with("/mental/patients/{id}/emergencies"))
      return {{"occurred_on", today},
              {"situation", "矩阵测试"},
              {"measures", "矩阵测试"},
              {"outcome", "矩阵测试"}};
    if (p.ends_with("/signals/{id}/verify")) return {{"outcome", "excluded"}, {"note", "矩阵测试"}};
    if (p == "/api/v1/disease/events/{id}") return {{"investigation", "矩阵测试"}};
    if (p.ends_with("/events/{id}/close")) return {{"closure_note", "矩阵测试"}};
    if (p == "/api/v1/disease/cards/{id}") return {{"notes", "矩阵测试"}, {"reason", "矩阵测试"}};
    if (p == "/api/v1/disease/cards/{id}/delete") return {{"reason", "矩阵测试"}};
    if (p == "/api/v1/disease/cards/{id}/merge")
      return {{"into", "00000000-0000-4000-8000-000000000000"}, {"reason", "矩阵测试"}};
    if (p == "/api/v1/network/points/{id}") return {{"name", "矩阵测试"}};
    if (p.ends_with("/network/points/{id}/checklist"))
      return {{"item", "plaque"}, {"checked_on", today}};
    if (p == "/api/v1/network/places/{id}") return {{"name", "矩阵测试"}};
    if (p.ends_with("/position")) return {{"lat", 22.8}, {"lon", 108.3}};
    if (p == "/api/v1/education/activities/{id}/void") return {{"reason", "矩阵测试"}};
    if (p.ends_with("/family-planning/persons/{id}/distributions"))
      return {{"item", "condom"}, {"quantity", 10}};
    if (p.ends_with("/family-planning/persons/{id}/guidance")) return {{"topic", "矩阵测试"}};
    if (p.ends_with("/family-planning/persons/{id}/methods")) return {{"method", "condom"}};
    if (p.ends_with("/family-planning/persons/{id}/procedures"))
      return {{"procedure", "iud_insertion"}};
    if (p.ends_with("/family-planning/persons/{id}/checks"))
      return {{"kind", "reproductive_health"}, {"result", "normal"}};
    if (p.ends_with("/family-planning/persons/{id}/reward-facts"))
      return {{"year", static_cast<int>(Today().year())}};
    return json::object();
  }

  static ApiReply CallAs(const std::string& user, const Operation& op, const std::string& path,
                         const json& body) {
    httplib::Headers headers;
    // Changes name the version they were made on (closing an event is one).
    if (op.method == "PATCH" || op.method == "PUT" || op.pattern.ends_with("/close")) {
      headers.emplace("If-Match", "\"1\"");
    }
    if (op.method == "GET") return api_->Call("GET", path, user, "", headers);
    return api_->Call(op.method, path, user, body.dump(), headers);
  }

  static long long DeniedRows(const std::string& username) {
    auto rows = QueryRows(server_->db_path(),
                          "SELECT COUNT(*) FROM audit_log WHERE username = ?1 AND result = "
                          "'denied'",
                          {username});
    return rows.empty() ? -1 : std::stoll(rows[0][0]);
  }

  static inline TempDir* tmp_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline ApiClient* api_ = nullptr;
  static inline std::string city_, district_a_, street_a_, community_a_, district_b_, street_b_;
  static inline std::string pregnancy_b_, pmtct_case_b_, referral_b_, mental_b_, mental_alert_b_;
  static inline std::string signal_b_, disease_event_b_, tb_course_b_, disease_card_b_;
  static inline std::string network_point_b_, network_place_b_;
  static inline std::string education_activity_b_, export_job_b_;
  static inline std::string fp_method_b_, fp_distribution_b_, fp_procedure_b_, fp_check_b_,
      fp_guidance_b_;
  static inline std::string person_b_, dose_b_, document_b_, appointment_b_, clinic_b_,
      appointment_date_b_, round_b_, campaign_b_, check_b_, notice_b_;
};

const std::vector<std::string> kRoles = {"sysadmin", "secadmin", "auditor",   "commission",
                                         "district", "center",   "village",   "cdc",
                                         "finance",  "partner",  "psychiatry"};

TEST_F(AccessMatrixTest, EveryOperationAsEveryRole) {
  std::vector<Operation> ops = Operations();
  ASSERT_GT(ops.size(), 70u);
  int calls = 0;
  for (const Operation& op : ops) {
    ASSERT_FALSE(op.permission.is_null()) << op.method << " " << op.pattern << ": no x-permission";
    // Logging out would end the session the rest of the test uses; it is checked elsewhere.
    if (op.pattern == "/api/v1/auth/logout") continue;
    std::string path = Fill(op.pattern, /*of_b=*/false);
    if (op.permission == "public") {
      // Answered without a session (the gateway's receipts may still refuse a bad signature).
      ApiReply r = CallAs("", op, path, json::object());
      EXPECT_NE(r.status, 403) << op.method << " " << op.pattern;
      EXPECT_LT(r.status, 500) << op.method << " " << op.pattern;
      continue;
    }
    ApiReply anonymous = CallAs("", op, path, json::object());
    EXPECT_EQ(anonymous.status, 401) << op.method << " " << op.pattern << " " << anonymous.raw;
    for (const std::string& role : kRoles) {
      ApiReply r = CallAs("m_" + role, op, path, json::object());
      ++calls;
      if (Allowed(role, op.permission)) {
        EXPECT_NE(r.status, 403) << role << " may " << op.method << " " << op.pattern << ": "
                                 << r.raw;
        EXPECT_NE(r.status, 401) << role << " " << op.method << " " << op.pattern;
        EXPECT_LT(r.status, 500) << role << " " << op.method << " " << op.pattern << ": " << r.raw;
      } else {
        EXPECT_EQ(r.status, 403) << role << " may not " << op.method << " " << op.pattern << ": "
                                 << r.raw;
      }
    }
  }
  std::printf("role matrix: %zu operations of openapi.json, %d calls as %zu roles\n", ops.size(),
              calls, kRoles.size());
}

TEST_F(AccessMatrixTest, AnotherJurisdictionsObjectIsNotFoundAndAudited) {
  int checked = 0;
  for (const Operation& op : Operations()) {
    if (op.pattern.find('{') == std::string::npos) continue;
    // Accounts are the security administrator's, city-wide: not a jurisdiction's objects.
    if (op.pattern.starts_with("/api/v1/users/")) continue;
    // Division codes are reference data (GB/T 2260), the same for everyone.
    if (op.pattern.starts_with("/api/v1/divisions/")) continue;
    std::string actor;
    // The response to signals is the CDC's alone (signal_respond): its user sits on district A.
    for (const char* role : {"center", "district", "cdc"}) {
      if (Allowed(role, op.permission)) {
        actor = std::string("m_") + role;
        break;
      }
    }
    // Danger alerts go to partners only (auth::AlertScopeOf): district A's partner.
    if (actor.empty() && Allowed("partner", op.permission)) actor = "m_partner_a";
    ASSERT_FALSE(actor.empty()) << op.method << " " << op.pattern << ": no jurisdictional role";
    const std::string path = Fill(op.pattern, /*of_b=*/true);
    const long long before = DeniedRows(actor);
    ApiReply r = CallAs(actor, op, path, ValidBody(op));
    ++checked;
    EXPECT_EQ(r.status, 404) << actor << " " << op.method << " " << path << ": " << r.raw;
    // The FHIR API says it as FHIR does: an OperationOutcome.
    const bool fhir = op.pattern.starts_with("/fhir/");
    EXPECT_EQ(r.content_type.find(fhir ? "application/fhir+json" : "application/problem+json"), 0u)
        << op.method << " " << op.pattern << ": " << r.content_type;
    if (fhir) {
      EXPECT_EQ(r.body.value("resourceType", ""), "OperationOutcome") << r.raw;
    }
    // Nothing of the object in the answer (the problem's "instance" repeats the path asked for).
    json shown = r.body;
    if (shown.is_object()) shown.erase("instance");
    EXPECT_EQ(shown.dump().find(person_b_), std::string::npos) << op.method << " " << op.pattern;
    EXPECT_GT(DeniedRows(actor), before)
        << op.method << " " << op.pattern << ": the refusal left no denied audit row";
  }
  std::printf("jurisdiction: %d operations with an object id refused and audited\n", checked);
  EXPECT_GE(checked, 30);
}

// The aggregate routes take no object id, so the jurisdiction test above does not reach them: the
// periodic analysis (JSON and XLSX) of each district's user covers that district only, and the
// matrix above called both routes as every role.
TEST_F(AccessMatrixTest, AggregateAnalysesStayInTheCallersArea) {
  std::set<std::string> listed;
  for (const Operation& op : Operations()) listed.insert(op.method + " " + op.pattern);
  for (const char* route : {"GET /api/v1/disease/analysis", "GET /api/v1/disease/analysis.xlsx"}) {
    EXPECT_TRUE(listed.contains(route)) << route << " is not in openapi.json";
  }
  for (const auto& [user, district] : {std::pair{std::string("m_district"), district_a_},
                                       std::pair{std::string("m_district_b"), district_b_}}) {
    ApiReply a = api_->Get("/api/v1/disease/analysis?period=month", user);
    ASSERT_EQ(a.status, 200) << user << " " << a.raw;
    EXPECT_EQ(a.body["area"]["code"], district) << user;
    ASSERT_FALSE(a.body["areas"]["rows"].empty()) << user;
    for (const auto& row : a.body["areas"]["rows"]) {
      EXPECT_EQ(row["code"].get<std::string>().rfind(district, 0), 0u) << user << " " << row;
    }
    ApiReply x = api_->Get("/api/v1/disease/analysis.xlsx?period=month", user);
    ASSERT_EQ(x.status, 200) << user;
    EXPECT_NE(x.content_disposition.find("disease-analysis-" + district), std::string::npos)
        << x.content_disposition;
  }
}

}  // namespace
}  // namespace jd::integration
