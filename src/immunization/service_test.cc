// The immunisation use cases over a real database file: certificates, doses and their versions,
// the due list and appointments, with the clock pinned at 2026-11-22.
#include "immunization/service.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "immunization/programme_store.h"
#include "immunization/test_support.h"

namespace jd::immunization {
namespace {

using nlohmann::json;
using namespace testing_support;

const DoseForecast* FindDose(const Forecast& f, const char* vaccine, int dose) {
  const VaccineInfo* v = Schedule::Default().Find(vaccine);
  for (const auto& d : f.doses)
    if (d.vaccine == v->id && d.dose == dose) return &d;
  return nullptr;
}

class ImmunizationServiceTest : public ServiceFixture {
 protected:
  std::vector<auth::AuditEntry> AuditOf(const std::string& person_id) {
    auto rows = audit_->Query({.person_id = person_id, .limit = 500});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<auth::AuditEntry>{};
  }
};

TEST_F(ImmunizationServiceTest, RecordingADoseChangesTheForecastAtOnce) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  json birth_doses = {{"date", "2026-07-10"}, {"source", "transcribed"}};
  birth_doses["vaccine"] = "HepB";
  ASSERT_TRUE(records_->RecordDose(center_a_, id, birth_doses).ok());
  birth_doses["vaccine"] = "BCG";
  ASSERT_TRUE(records_->RecordDose(center_a_, id, birth_doses).ok());

  auto before = records_->Get(center_a_, id, "");
  ASSERT_TRUE(before.ok()) << Dump(before.status());
  EXPECT_EQ(before->as_of, D("2026-11-22"));
  ASSERT_NE(FindDose(before->forecast, "HepB", 2), nullptr);
  EXPECT_EQ(FindDose(before->forecast, "HepB", 2)->status, DoseStatus::kDue);
  EXPECT_EQ(FindDose(before->forecast, "HepB", 1)->status, DoseStatus::kDone);

  auto ch = records_->RecordDose(center_a_, id,
                                 {{"vaccine", "HepB"},
                                  {"date", "2026-11-22"},
                                  {"clinic", "450103001"},
                                  {"lot", "202611A"},
                                  {"dose_number", 2}});
  ASSERT_TRUE(ch.ok()) << Dump(ch.status());
  EXPECT_EQ(ch->record.route, "IM");  // the catalogue's route for a dose given here
  EXPECT_EQ(ch->record.dose_number, 2);
  EXPECT_EQ(FindDose(ch->view.forecast, "HepB", 2)->status, DoseStatus::kDone);
  EXPECT_EQ(FindDose(ch->view.forecast, "HepB", 2)->given, D("2026-11-22"));

  // The stored page agrees, and an earlier as-of date sees the dose as not yet given.
  auto after = records_->Get(center_a_, id, "");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->records.size(), 3u);
  EXPECT_EQ(FindDose(after->forecast, "HepB", 2)->status, DoseStatus::kDone);
  auto earlier = records_->Get(center_a_, id, "2026-11-01");
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(FindDose(earlier->forecast, "HepB", 2)->status, DoseStatus::kDue);
  EXPECT_TRUE(
      HasFieldError(records_->Get(center_a_, id, "2026-13-01").status(), "as_of", "invalid_date"));
  EXPECT_TRUE(
      HasFieldError(records_->Get(center_a_, id, "2026-07-09").status(), "as_of", "before_birth"));

  // Reads and writes are audited under the child.
  std::set<std::string> actions;
  for (const auto& e : AuditOf(id)) actions.insert(e.action);
  EXPECT_TRUE(actions.count("vaccination.record"));
  EXPECT_TRUE(actions.count("immunization.read"));
}

TEST_F(ImmunizationServiceTest, BadDosesAreFieldErrorsAllAtOnce) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  auto r = records_->RecordDose(center_a_, id,
                                {{"vaccine", "XYZ"},
                                 {"date", "2026-07-01"},
                                 {"dose_number", "two"},
                                 {"route", "IV"},
                                 {"source", "mars"}});
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasFieldError(r.status(), "vaccine", "unknown_vaccine")) << Dump(r.status());
  EXPECT_TRUE(HasFieldError(r.status(), "date", "before_birth"));
  EXPECT_TRUE(HasFieldError(r.status(), "dose_number", "wrong_type"));
  EXPECT_TRUE(HasFieldError(r.status(), "route", "invalid_value"));
  EXPECT_TRUE(HasFieldError(r.status(), "source", "invalid_value"));

  auto future = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-23"}, {"clinic", "450103001"}});
  EXPECT_TRUE(HasFieldError(future.status(), "date", "in_future")) << Dump(future.status());

  auto missing = records_->RecordDose(center_a_, id, json::object());
  EXPECT_TRUE(HasFieldError(missing.status(), "vaccine", "required"));
  EXPECT_TRUE(HasFieldError(missing.status(), "date", "required"));
  EXPECT_TRUE(HasFieldError(missing.status(), "clinic", "required"));  // given here by default

  auto bad_date = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-02-30"}, {"clinic", "450103001"}});
  EXPECT_TRUE(HasFieldError(bad_date.status(), "date", "invalid_date"));
  EXPECT_FALSE(HasFieldError(bad_date.status(), "date", "required"));

  // A clinic of another district, and one that does not exist.
  auto other = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-20"}, {"clinic", "450105001"}});
  EXPECT_TRUE(HasFieldError(other.status(), "clinic", "outside_jurisdiction"));
  auto unknown = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-20"}, {"clinic", "450199999"}});
  EXPECT_TRUE(HasFieldError(unknown.status(), "clinic", "unknown_org"));

  EXPECT_EQ(records_->RecordDose(center_a_, id, json::array()).status().code(),
            StatusCode::kInvalidArgument);
  // Nothing was written.
  auto view = records_->Get(center_a_, id, "");
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->records.empty());
}

TEST_F(ImmunizationServiceTest, SameVaccineSameDayIsADuplicateUntilVoided) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  json dose = {{"vaccine", "IPV"}, {"date", "2026-09-10"}, {"clinic", "450103001"}};
  auto first = records_->RecordDose(center_a_, id, dose);
  ASSERT_TRUE(first.ok()) << Dump(first.status());
  auto dup = records_->RecordDose(center_a_, id, dose);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(HasFieldError(dup.status(), "date", "duplicate_dose"));
  EXPECT_EQ(dup.status().detail_ref(), first->record.id);

  // Another vaccine the same day is fine.
  dose["vaccine"] = "DTaP";
  EXPECT_TRUE(records_->RecordDose(center_a_, id, dose).ok());

  auto voided = records_->VoidDose(center_a_, first->record.id, {{"reason", "录入重复"}});
  ASSERT_TRUE(voided.ok()) << Dump(voided.status());
  EXPECT_TRUE(voided->record.voided);
  EXPECT_EQ(FindDose(voided->view.forecast, "IPV", 1)->status, DoseStatus::kDue);
  dose["vaccine"] = "IPV";
  EXPECT_TRUE(records_->RecordDose(center_a_, id, dose).ok());
  // A voided record is not corrected or voided again.
  auto again = records_->VoidDose(center_a_, first->record.id, {{"reason", "x"}});
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HasFieldError(again.status(), "status", "voided"));
  EXPECT_TRUE(
      HasFieldError(records_->VoidDose(center_a_, first->record.id, json::object()).status(),
                    "reason", "required"));
}

TEST_F(ImmunizationServiceTest, ABatchOfDosesIsCheckedDoseByDoseAndWrittenOnce) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  ASSERT_TRUE(
      records_
          ->RecordDose(center_a_, id,
                       {{"vaccine", "HepB"}, {"date", "2026-07-10"}, {"source", "transcribed"}})
          .ok());
  const std::vector<json> batch = {
      {{"vaccine", "HepB"}, {"date", "2026-07-10"}, {"source", "other_region"}},  // already here
      {{"vaccine", "BCG"}, {"date", "2026-07-10"}, {"source", "other_region"}},
      {{"vaccine", "HepB"}, {"date", "2026-08-10"}, {"source", "other_region"}},
      {{"vaccine", "NoSuchVaccine"}, {"date", "2026-08-10"}},  // invalid
      {{"vaccine", "IPV"}, {"date", "2030-01-01"}},            // in the future: invalid
      json::array()};                                          // not an object
  auto r = records_->RecordDoses(center_a_, id, batch);
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  EXPECT_EQ(r->added, 2);
  EXPECT_EQ(r->already, 1);
  EXPECT_EQ(r->invalid, 3);
  auto view = records_->Get(center_a_, id, "");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->records.size(), 3u);
  EXPECT_EQ(FindDose(view->forecast, "HepB", 2)->status, DoseStatus::kDone);
  // The same batch again changes nothing.
  auto again = records_->RecordDoses(center_a_, id, batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->already, 3);
  // Another area's child is not found, and nothing is written.
  EXPECT_EQ(records_->RecordDoses(center_b_, id, batch).status().code(), StatusCode::kNotFound);
}

TEST_F(ImmunizationServiceTest, CorrectionsKeepEveryVersion) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  auto rec = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-20"}, {"clinic", "450103001"}});
  ASSERT_TRUE(rec.ok());
  const std::string rid = rec->record.id;

  auto no_reason = records_->CorrectDose(center_a_, rid, {{"lot", "B2"}}, 0);
  EXPECT_TRUE(HasFieldError(no_reason.status(), "reason", "required"));
  auto bad = records_->CorrectDose(center_a_, rid, {{"date", "2026-01-01"}, {"reason", "x"}}, 0);
  EXPECT_TRUE(HasFieldError(bad.status(), "date", "before_birth"));
  auto nothing = records_->CorrectDose(center_a_, rid, {{"reason", "x"}}, 0);
  EXPECT_TRUE(HasFieldError(nothing.status(), "", "nothing_to_change"));

  auto fixed = records_->CorrectDose(
      center_a_, rid, {{"date", "2026-11-19"}, {"lot", "B2"}, {"reason", "日期录错"}}, 1);
  ASSERT_TRUE(fixed.ok()) << Dump(fixed.status());
  EXPECT_EQ(fixed->record.version, 2);
  EXPECT_EQ(fixed->record.date, D("2026-11-19"));
  EXPECT_EQ(FindDose(fixed->view.forecast, "HepB", 1)->given, D("2026-11-19"));
  // A stale version is refused.
  auto stale = records_->CorrectDose(center_a_, rid, {{"lot", "B3"}, {"reason", "x"}}, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);

  auto history = records_->DoseHistory(center_a_, rid);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].change, "created");
  EXPECT_EQ(json::parse((*history)[0].data)["date"], "2026-11-20");
  EXPECT_EQ((*history)[1].change, "corrected");
  EXPECT_EQ((*history)[1].reason, "日期录错");
  EXPECT_EQ(json::parse((*history)[1].data)["lot"], "B2");
}

TEST_F(ImmunizationServiceTest, CertificateOnlyForEntitledChildren) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  json body = {{"certificate_no", "450103-2026-0001"},
               {"issuing_clinic", "450103001"},
               {"guardian_name", "王芳"},
               {"guardian_relation", "mother"},
               {"guardian_phone", "139 0000 1111"}};
  auto f = records_->IssueFile(center_a_, id, body);
  ASSERT_TRUE(f.ok()) << Dump(f.status());
  EXPECT_EQ(f->issued_on, D("2026-11-22"));
  EXPECT_EQ(f->guardian_phone, "13900001111");
  EXPECT_EQ(records_->IssueFile(center_a_, id, body).status().code(), StatusCode::kAlreadyExists);

  // Arrived a month ago: 试点工作方案 §四(三) asks for 3 months here; the failed rule is named.
  std::string newcomer = Child("20250101", "450103001", "2026-10-22");
  body["certificate_no"] = "450103-2026-0002";
  auto refused = records_->IssueFile(center_a_, newcomer, body);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      HasFieldError(refused.status(), "eligibility.vaccination_file_child_0_6", "not_entitled"))
      << Dump(refused.status());

  // A taken certificate number, a bad phone and relation.
  std::string other = Child("20260301", "450103001", "2026-03-01");
  body["certificate_no"] = "450103-2026-0001";
  auto taken = records_->IssueFile(center_a_, other, body);
  EXPECT_TRUE(HasFieldError(taken.status(), "certificate_no", "duplicate")) << Dump(taken.status());
  body["certificate_no"] = "450103-2026-0003";
  body["guardian_phone"] = "12345";
  body["guardian_relation"] = "uncle";
  auto bad = records_->IssueFile(center_a_, other, body);
  EXPECT_TRUE(HasFieldError(bad.status(), "guardian_phone", "invalid_phone"));
  EXPECT_TRUE(HasFieldError(bad.status(), "guardian_relation", "invalid_value"));

  auto updated = records_->UpdateFile(center_a_, id, {{"guardian_phone", "13900002222"}}, 1);
  ASSERT_TRUE(updated.ok()) << Dump(updated.status());
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->guardian_phone, "13900002222");
  EXPECT_EQ(updated->certificate_no, "450103-2026-0001");
  EXPECT_EQ(records_->UpdateFile(center_a_, id, {{"guardian_name", "x"}}, 1).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ImmunizationServiceTest, OtherJurisdictionIsNotFoundAndAuditedAsDenied) {
  std::string id = Child("20260710", "450103001", "2026-07-10");
  auto rec = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-20"}, {"clinic", "450103001"}});
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(records_->Get(center_b_, id, "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(records_
                ->RecordDose(center_b_, id,
                             {{"vaccine", "BCG"}, {"date", "2026-11-20"}, {"clinic", "450105001"}})
                .status()
                .code(),
            StatusCode::kNotFound);
  EXPECT_EQ(records_->DoseHistory(center_b_, rec->record.id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(records_->VoidDose(center_b_, rec->record.id, {{"reason", "x"}}).status().code(),
            StatusCode::kNotFound);
  auto appointment = records_->Book(
      center_a_,
      {{"person_id", id}, {"clinic", "450103001"}, {"date", "2026-11-25"}, {"vaccines", {"BCG"}}});
  ASSERT_TRUE(appointment.ok()) << Dump(appointment.status());
  EXPECT_EQ(records_
                ->SetAppointmentStatus(center_b_, appointment->appointment.id,
                                       AppointmentStatus::kCancelled)
                .status()
                .code(),
            StatusCode::kNotFound);
  // Each refusal is audited under what was asked for: the child, the record or the appointment
  // (a refusal names no more than the caller gave).
  std::map<std::string, std::string> denied;
  auto rows = audit_->Query({.user_id = center_b_.user_id, .limit = 500});
  ASSERT_TRUE(rows.ok());
  for (const auto& e : *rows) {
    if (e.result == "denied") denied[e.action] = e.object_id;
  }
  EXPECT_EQ(denied, (std::map<std::string, std::string>{
                        {"immunization.read", id},
                        {"vaccination.record", id},
                        {"vaccination.history", rec->record.id},
                        {"vaccination.void", rec->record.id},
                        {"appointment.cancel", appointment->appointment.id}}));
  for (const auto& e : AuditOf(id)) {
    if (e.result == "denied") {
      EXPECT_EQ(e.username, center_b_.username);
    }
  }
  auto still = records_->ListAppointments(center_a_, "450103001", "2026-11-25", "2026-11-25", "");
  ASSERT_TRUE(still.ok());
  ASSERT_EQ(still->size(), 1u);
  EXPECT_EQ((*still)[0].appointment.status, AppointmentStatus::kBooked);
  // The record is untouched.
  auto view = records_->Get(center_a_, id, "");
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->records.size(), 1u);
  EXPECT_FALSE(view->records[0].voided);

  // Roles: a village doctor reads but does not record; an auditor does neither.
  auto village = User(auth::Role::kVillage, "450103001", "450100/450103/450103001/");
  EXPECT_TRUE(records_->Get(village, id, "").ok());
  EXPECT_EQ(records_->RecordDose(village, id, {{"vaccine", "BCG"}}).status().code(),
            StatusCode::kPermissionDenied);
  auto auditor = User(auth::Role::kAuditor, "450100", "450100/");
  EXPECT_EQ(records_->Get(auditor, id, "").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ImmunizationServiceTest, DueListHasTheChildrenWithDosesDueByTheEndDate) {
  // Four months old with the birth doses: HepB2, IPV1, DTaP1 due.
  std::string baby = Child("20260710", "450103001", "2026-07-10", "乙宝");
  for (const char* v : {"HepB", "BCG"}) {
    ASSERT_TRUE(
        records_
            ->RecordDose(center_a_, baby,
                         {{"vaccine", v}, {"date", "2026-07-10"}, {"source", "transcribed"}})
            .ok());
  }
  ASSERT_TRUE(records_
                  ->IssueFile(center_a_, baby,
                              {{"certificate_no", "C1"},
                               {"issuing_clinic", "450103001"},
                               {"guardian_name", "王芳"},
                               {"guardian_relation", "mother"},
                               {"guardian_phone", "13900001111"}})
                  .ok());
  // Born in March with nothing recorded: BCG needs a skin test, HepB1 overdue.
  std::string march = Child("20260301", "450103001", "2026-03-01", "甲宝");
  // Ten years old without a certificate: not on the list.
  Child("20160101", "450103001", "2020-01-01", "丁哥");
  // Another street of the district, and another district.
  std::string other_street = Child("20260710", "450103002", "2026-07-10", "戊宝");
  Child("20260710", "450105001", "2026-07-10", "己宝");

  ASSERT_TRUE(records_
                  ->Book(center_a_, {{"person_id", baby},
                                     {"clinic", "450103001"},
                                     {"date", "2026-11-25"},
                                     {"vaccines", {"HepB", "IPV"}}})
                  .ok());

  auto page = records_->DueList(center_a_,
                                {.clinic = "450103001", .from = "2026-11-22", .to = "2026-11-28"});
  ASSERT_TRUE(page.ok()) << Dump(page.status());
  ASSERT_EQ(page->total, 2);
  // HepB1 of the March child is the earliest (birth day), then the baby's HepB2.
  EXPECT_EQ(page->items[0].child.person_id, march);
  EXPECT_EQ(page->items[0].earliest, D("2026-03-01"));
  EXPECT_FALSE(page->items[0].child.has_file);
  const DueItem& b = page->items[1];
  EXPECT_EQ(b.child.person_id, baby);
  EXPECT_EQ(b.age_months, 4);
  EXPECT_EQ(b.child.guardian_phone, "13900001111");
  ASSERT_TRUE(b.next_appointment.has_value());
  EXPECT_EQ(b.next_appointment->date, D("2026-11-25"));
  std::set<std::string> due;
  for (const auto& d : b.doses) {
    due.insert(Schedule::Default().info(d.vaccine).code + std::to_string(d.dose));
  }
  EXPECT_TRUE(due.count("HepB2"));
  EXPECT_TRUE(due.count("DTaP1"));
  EXPECT_FALSE(due.count("HepB1"));
  std::set<std::string> march_doses;
  for (const auto& d : page->items[0].doses) {
    march_doses.insert(Schedule::Default().info(d.vaccine).code + ":" +
                       std::string(StatusCode(d.status)));
  }
  EXPECT_TRUE(march_doses.count("BCG:needs_test"));
  EXPECT_TRUE(march_doses.count("HepB:overdue"));

  // Only skin tests.
  auto tests = records_->DueList(
      center_a_,
      {.clinic = "450103001", .from = "2026-11-22", .to = "2026-11-28", .status = "needs_test"});
  ASSERT_TRUE(tests.ok());
  ASSERT_EQ(tests->total, 1);
  EXPECT_EQ(tests->items[0].child.person_id, march);

  // Recording the baby's HepB2 takes it off a HepB-only view at once.
  ASSERT_TRUE(
      records_
          ->RecordDose(center_a_, baby,
                       {{"vaccine", "HepB"}, {"date", "2026-11-22"}, {"clinic", "450103001"}})
          .ok());
  auto again = records_->DueList(center_a_,
                                 {.clinic = "450103001", .from = "2026-11-22", .to = "2026-11-28"});
  ASSERT_TRUE(again.ok());
  for (const auto& d : again->items[1].doses) {
    EXPECT_FALSE(Schedule::Default().info(d.vaccine).code == "HepB" && d.dose == 2);
  }

  // The district sees both of its streets; paging.
  auto district = User(auth::Role::kDistrict, "450103", "450100/450103/");
  auto whole = records_->DueList(
      district,
      {.clinic = "450103", .from = "2026-11-22", .to = "2026-11-28", .limit = 1, .offset = 2});
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->total, 3);
  ASSERT_EQ(whole->items.size(), 1u);
  (void)other_street;

  // Bad queries.
  auto bad = records_->DueList(
      center_a_,
      {.clinic = "450105001", .from = "2026-11-30", .to = "2026-11-28", .status = "late"});
  EXPECT_TRUE(HasFieldError(bad.status(), "clinic", "outside_jurisdiction")) << Dump(bad.status());
  EXPECT_TRUE(HasFieldError(bad.status(), "to", "before_from"));
  EXPECT_TRUE(HasFieldError(bad.status(), "status", "invalid_value"));
  auto empty = records_->DueList(center_a_, {});
  EXPECT_TRUE(HasFieldError(empty.status(), "clinic", "required"));
  EXPECT_TRUE(HasFieldError(empty.status(), "from", "required"));
  auto audit = audit_->Query({.action_prefix = "immunization.due_list"});
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), 4u);  // one row per list read, none for the refused ones
}

TEST_F(ImmunizationServiceTest, AppointmentsWithinCapacityAndTheirTransitions) {
  std::vector<std::string> kids;
  for (int i = 0; i < 3; ++i) kids.push_back(Child("20260710", "450103001", "2026-07-10"));
  auto day = records_->SetSession(center_a_, "450103001", "2026-11-25", {{"capacity", 2}});
  ASSERT_TRUE(day.ok()) << Dump(day.status());
  auto book = [&](const std::string& id, const char* date) {
    return records_->Book(
        center_a_,
        {{"person_id", id}, {"clinic", "450103001"}, {"date", date}, {"vaccines", {"HepB"}}});
  };
  auto a1 = book(kids[0], "2026-11-25");
  ASSERT_TRUE(a1.ok()) << Dump(a1.status());
  ASSERT_TRUE(book(kids[1], "2026-11-25").ok());
  auto full = book(kids[2], "2026-11-25");
  EXPECT_EQ(full.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HasFieldError(full.status(), "date", "session_full"));
  EXPECT_EQ(book(kids[0], "2026-11-25").status().code(), StatusCode::kAlreadyExists);

  // Cancelling frees the place.
  auto cancelled =
      records_->SetAppointmentStatus(center_a_, a1->appointment.id, AppointmentStatus::kCancelled);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->appointment.status, AppointmentStatus::kCancelled);
  auto a3 = book(kids[2], "2026-11-25");
  ASSERT_TRUE(a3.ok()) << Dump(a3.status());
  EXPECT_EQ(
      records_->SetAppointmentStatus(center_a_, a1->appointment.id, AppointmentStatus::kAttended)
          .status()
          .code(),
      StatusCode::kFailedPrecondition);
  // Not before the day.
  auto early =
      records_->SetAppointmentStatus(center_a_, a3->appointment.id, AppointmentStatus::kAttended);
  EXPECT_TRUE(HasFieldError(early.status(), "date", "not_yet"));

  // Reschedule to a day without a session row (default capacity).
  auto moved = records_->Reschedule(center_a_, a3->appointment.id, {{"date", "2026-11-26"}});
  ASSERT_TRUE(moved.ok()) << Dump(moved.status());
  ASSERT_TRUE(moved->previous.has_value());
  EXPECT_EQ(moved->previous->status, AppointmentStatus::kRescheduled);
  EXPECT_EQ(moved->previous->rescheduled_to, moved->appointment.id);
  EXPECT_EQ(moved->appointment.date, D("2026-11-26"));
  EXPECT_EQ(moved->appointment.vaccines, std::vector<std::string>{"HepB"});

  auto sessions = records_->ListSessions(center_a_, "450103001", "2026-11-22", "2026-11-30");
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->days.size(), 2u);
  EXPECT_EQ(sessions->days[0].capacity, 2);
  EXPECT_EQ(sessions->days[0].booked, 1);
  EXPECT_FALSE(sessions->days[1].capacity.has_value());
  EXPECT_EQ(sessions->days[1].booked, 1);

  auto list = records_->ListAppointments(center_a_, "450103001", "2026-11-22", "2026-11-30", "");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 4u);
  auto booked =
      records_->ListAppointments(center_a_, "450103001", "2026-11-22", "2026-11-30", "booked");
  ASSERT_TRUE(booked.ok());
  EXPECT_EQ(booked->size(), 2u);

  // Bad input.
  auto past = records_->Book(center_a_, {{"person_id", kids[0]},
                                         {"clinic", "450199999"},
                                         {"date", "2026-11-21"},
                                         {"vaccines", {"HepB", "NOPE"}}});
  EXPECT_TRUE(HasFieldError(past.status(), "date", "in_past")) << Dump(past.status());
  EXPECT_TRUE(HasFieldError(past.status(), "clinic", "unknown_org"));
  EXPECT_TRUE(HasFieldError(past.status(), "vaccines[1]", "unknown_vaccine"));
  auto negative = records_->SetSession(center_a_, "450103001", "2026-11-25", {{"capacity", -1}});
  EXPECT_TRUE(HasFieldError(negative.status(), "capacity", "out_of_range"));
  EXPECT_TRUE(HasFieldError(
      records_->SetSession(center_a_, "450103001", "tomorrow", {{"capacity", 1}}).status(), "date",
      "invalid_date"));
  EXPECT_EQ(
      records_->SetSession(center_a_, "450105001", "2026-11-25", {{"capacity", 1}}).status().code(),
      StatusCode::kNotFound);
  // Another district's center cannot book this child.
  EXPECT_EQ(records_
                ->Book(center_b_, {{"person_id", kids[0]},
                                   {"clinic", "450105001"},
                                   {"date", "2026-11-27"},
                                   {"vaccines", {"HepB"}}})
                .status()
                .code(),
            StatusCode::kNotFound);
}

TEST(AgeInMonthsTest, CalendarMonthsClampedAtTheMonthsEnd) {
  EXPECT_EQ(AgeInMonths(D("2026-07-10"), D("2026-11-22")), 4);
  EXPECT_EQ(AgeInMonths(D("2026-07-22"), D("2026-11-21")), 3);
  EXPECT_EQ(AgeInMonths(D("2026-01-31"), D("2026-02-28")), 1);
  EXPECT_EQ(AgeInMonths(D("2026-11-22"), D("2026-11-22")), 0);
  EXPECT_EQ(AgeInMonths(D("2020-02-29"), D("2026-02-28")), 72);
}

// The store itself keeps to the scope it is given: the default scope reads nothing, and a read by
// id of another jurisdiction's row says only that it lies outside.
TEST_F(ImmunizationServiceTest, StoreReadsKeepToTheScope) {
  std::string number;
  std::string id = Child("20260710", "450103001", "2026-07-10", "范围儿童", &number);
  auto issued = records_->IssueFile(center_a_, id,
                                    {{"certificate_no", "450103-2026-9001"},
                                     {"issuing_clinic", "450103001"},
                                     {"guardian_name", "范芳"},
                                     {"guardian_relation", "mother"},
                                     {"guardian_phone", "13900001111"}});
  ASSERT_TRUE(issued.ok()) << Dump(issued.status());
  auto rec = records_->RecordDose(
      center_a_, id, {{"vaccine", "HepB"}, {"date", "2026-11-20"}, {"clinic", "450103001"}});
  ASSERT_TRUE(rec.ok()) << Dump(rec.status());
  auto booked = records_->Book(
      center_a_,
      {{"person_id", id}, {"clinic", "450103001"}, {"date", "2026-11-25"}, {"vaccines", {"BCG"}}});
  ASSERT_TRUE(booked.ok()) << Dump(booked.status());

  const auth::Scope nothing;
  const auth::Scope mine = auth::ScopeOf(center_a_);
  const auth::Scope theirs = auth::ScopeOf(center_b_);
  const Date born_after = D("2008-11-22");
  Status st = db_->Read([&](soci::session& s) -> Status {
    // The default scope: nothing, where the caller's own scope finds the child.
    EXPECT_TRUE(ImmunizationStore::ListRecords(s, nothing, id).empty());
    EXPECT_EQ(ImmunizationStore::ListRecords(s, mine, id).size(), 1u);
    EXPECT_TRUE(ImmunizationStore::AreaChildren(s, nothing, born_after).empty());
    EXPECT_EQ(ImmunizationStore::AreaChildren(s, mine, born_after).size(), 1u);
    EXPECT_TRUE(ImmunizationStore::ListVersions(s, nothing, rec->record.id).empty());
    EXPECT_TRUE(ProgrammeStore::FindById(s, nothing, number).empty());
    EXPECT_EQ(ProgrammeStore::FindById(s, mine, number).size(), 1u);
    // Narrowing cannot widen: the other jurisdiction narrowed to this street is empty.
    EXPECT_TRUE(theirs.Narrow("450100/450103/450103001/").empty());
    EXPECT_TRUE(ImmunizationStore::AreaChildren(s, theirs, born_after).empty());

    // By id from the other jurisdiction: outside, and no data.
    auto record = ImmunizationStore::GetRecord(s, theirs, rec->record.id);
    EXPECT_TRUE(record.outside_scope());
    EXPECT_FALSE(record.has_value());
    auto file = ImmunizationStore::GetFile(s, theirs, id);
    EXPECT_TRUE(file.outside_scope());
    EXPECT_FALSE(file.has_value());
    auto appointment = ImmunizationStore::GetAppointment(s, theirs, booked->appointment.id);
    EXPECT_TRUE(appointment.outside_scope());
    EXPECT_FALSE(appointment.has_value());
    EXPECT_TRUE(ImmunizationStore::GetRecord(s, nothing, rec->record.id).outside_scope());
    // From its own: found; an unknown id: neither.
    auto own = ImmunizationStore::GetRecord(s, mine, rec->record.id);
    EXPECT_TRUE(own.has_value());
    if (own) {
      EXPECT_EQ(own->vaccine, "HepB");
    }
    auto unknown = ImmunizationStore::GetRecord(s, mine, NewId());
    EXPECT_FALSE(unknown.has_value());
    EXPECT_FALSE(unknown.outside_scope());
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();

  // Updates keep to the scope too: nothing changes from the other jurisdiction.
  st = db_->Write([&](soci::session& s) -> Status {
    VaccinationRecord changed = rec->record;
    changed.lot = "X";
    EXPECT_FALSE(ImmunizationStore::UpdateRecord(s, theirs, changed, changed.version));
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto history = records_->DoseHistory(center_a_, rec->record.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 1u);
}

}  // namespace
}  // namespace jd::immunization
