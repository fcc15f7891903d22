// The programme's use cases over a real database file, with the clock pinned at 2026-11-22:
// a catch-up round and its progress, a campaign with its doses and coverage, an entry check with
// its exports, the coverage report, and refusals outside the caller's jurisdiction.
#include "immunization/programme_service.h"

#include <gtest/gtest.h>

#include "immunization/test_support.h"
#include "immunization/xlsx_reader.h"
#include "registry/person_rules.h"

namespace jd::immunization {
namespace {

using nlohmann::json;
using namespace testing_support;

class ProgrammeServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<ProgrammeService>(*db_, *audit_, clock_, *registry_, *records_);
  }
  void TearDown() override {
    service_.reset();
    ServiceFixture::TearDown();
  }

  void Dose(const std::string& person, const char* vaccine, const char* date,
            const char* source = "given_here") {
    json body = {{"vaccine", vaccine}, {"date", date}, {"source", source}};
    if (std::string(source) == "given_here") body["clinic"] = "450103001";
    auto r = records_->RecordDose(system_, person, body);
    ASSERT_TRUE(r.ok()) << Dump(r.status());
  }

  bool Audited(const std::string& action, const std::string& object_id, const std::string& result) {
    auto rows = audit_->Query({.action_prefix = action, .limit = 500});
    EXPECT_TRUE(rows.ok());
    for (const auto& e : *rows)
      if (e.object_id == object_id && e.result == result && e.action == action) return true;
    return false;
  }

  std::unique_ptr<ProgrammeService> service_;
  auth::Principal finance_ = User(auth::Role::kFinance, "450100", "450100/");
};

TEST_F(ProgrammeServiceTest, CatchUpRoundListsMissingDosesAndTracksWhatGetsDone) {
  // Four months old with the birth doses: HepB2, polio 1 and DTaP1 are due.
  std::string infant = Child("20260710", "450103001", "2026-07-10", "小婴");
  Dose(infant, "HepB", "2026-07-10", "transcribed");
  Dose(infant, "BCG", "2026-07-10", "transcribed");
  std::string six = Child("20200301", "450103001", "2025-01-01", "六岁");  // no records at all
  Child("20160301", "450103001", "2025-01-01", "十岁无证");  // over 7 without a certificate
  std::string elsewhere = Child("20260701", "450105001", "2026-07-01", "江南儿童");

  auto round = service_->CreateRound(center_a_, {{"area", "450103001"}});
  ASSERT_TRUE(round.ok()) << Dump(round.status());
  EXPECT_EQ(round->round.as_of, D("2026-11-22"));
  EXPECT_EQ(round->round.children, 2);
  EXPECT_EQ(round->progress.children, 2);
  EXPECT_EQ(round->progress.doses_given, 0);
  ASSERT_EQ(round->children.size(), 2u);
  const RoundChild* baby = nullptr;
  for (const auto& c : round->children) {
    EXPECT_NE(c.child.person_id, elsewhere);
    if (c.child.person_id == infant) baby = &c;
  }
  ASSERT_NE(baby, nullptr);
  ASSERT_EQ(baby->doses.size(), 3u);
  EXPECT_EQ(baby->doses[0].item.vaccine, "HepB");  // earliest first: HepB2 from 2026-08-10
  EXPECT_EQ(baby->doses[0].item.dose, 2);
  EXPECT_EQ(baby->doses[0].item.planned_on, D("2026-11-22"));
  EXPECT_TRUE(Audited("catch_up_round.create", round->round.id, "ok"));

  // Two of the three given today (entered after the list was made), then the third.
  Dose(infant, "HepB", "2026-11-22");
  Dose(infant, "IPV", "2026-11-22");
  auto after = service_->GetRound(center_a_, round->round.id, 0, 0);
  ASSERT_TRUE(after.ok()) << Dump(after.status());
  EXPECT_EQ(after->progress.doses_given, 2);
  EXPECT_EQ(after->progress.children_completed, 0);
  Dose(infant, "DTaP", "2026-11-22");
  after = service_->GetRound(center_a_, round->round.id, 0, 0);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->progress.doses_given, 3);
  EXPECT_EQ(after->progress.children_completed, 1);
  EXPECT_EQ(after->progress.doses, round->progress.doses);
  // Paging: one child per page, the total stays.
  auto page = service_->GetRound(center_a_, round->round.id, 1, 1);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(page->children.size(), 1u);

  auto listed = service_->ListRounds(center_a_);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_TRUE(service_->ListRounds(center_b_)->empty());

  // Another district's center: not found, and the attempt is in the audit log.
  auto other = service_->GetRound(center_b_, round->round.id, 0, 0);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Audited("catch_up_round.read", round->round.id, "denied"));
  // The store hands the other district nothing of the round, and the default scope nothing at all.
  Status read = db_->Read([&](soci::session& s) -> Status {
    const auth::Scope theirs = auth::ScopeOf(center_b_);
    auto r = ProgrammeStore::GetRound(s, theirs, round->round.id);
    EXPECT_TRUE(r.outside_scope());
    EXPECT_FALSE(r.has_value());
    EXPECT_TRUE(ProgrammeStore::ListItems(s, theirs, round->round.id).empty());
    EXPECT_TRUE(ProgrammeStore::RoundChildren(s, theirs, round->round.id).empty());
    EXPECT_FALSE(ProgrammeStore::ListItems(s, auth::ScopeOf(center_a_), round->round.id).empty());
    EXPECT_TRUE(ProgrammeStore::ListItems(s, auth::Scope(), round->round.id).empty());
    EXPECT_TRUE(ProgrammeStore::ListRounds(s, auth::Scope(), kMaxListed).empty());
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  auto outside = service_->CreateRound(center_b_, {{"area", "450103001"}});
  EXPECT_TRUE(HasFieldError(outside.status(), "area", "outside_jurisdiction"));
  auto village = service_->CreateRound(
      User(auth::Role::kVillage, "450103001", "450100/450103/450103001/"), {{"area", "450103001"}});
  EXPECT_EQ(village.status().code(), StatusCode::kPermissionDenied);
  (void)six;
}

TEST_F(ProgrammeServiceTest, CampaignTargetsDosesAndCoverage) {
  std::string six = Child("20200301", "450103001", "2025-01-01", "六岁");
  std::string ten = Child("20160301", "450103001", "2025-01-01", "十岁");
  std::string infant = Child("20260710", "450103001", "2026-07-10", "小婴");
  Child("20200301", "450105001", "2025-01-01", "江南六岁");
  json body = {{"name", "2026年麻腮风补充免疫"}, {"kind", "supplementary"}, {"vaccine", "MMR"},
               {"age_from_months", 8},           {"age_to_months", 179},    {"area", "450103001"},
               {"start_date", "2026-11-01"},     {"end_date", "2026-12-31"}};
  auto c = service_->CreateCampaign(center_a_, body);
  ASSERT_TRUE(c.ok()) << Dump(c.status());
  EXPECT_EQ(c->progress.targets, 2);  // the six- and ten-year-olds; the infant is too young
  EXPECT_EQ(c->progress.vaccinated, 0);
  EXPECT_TRUE(Audited("campaign.create", c->campaign.id, "ok"));

  json dose = {{"person_id", six}, {"date", "2026-11-22"}, {"clinic", "450103001"}};
  auto r = service_->RecordCampaignDose(center_a_, c->campaign.id, dose);
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  EXPECT_EQ(r->record.vaccine, "MMR");
  EXPECT_EQ(r->record.campaign_id, c->campaign.id);

  auto d = service_->GetCampaign(center_a_, c->campaign.id, true, 0, 0);
  ASSERT_TRUE(d.ok()) << Dump(d.status());
  EXPECT_EQ(d->progress.targets, 2);
  EXPECT_EQ(d->progress.vaccinated, 1);
  EXPECT_DOUBLE_EQ(*CampaignRate(d->progress.targets, d->progress.vaccinated), 0.5);
  ASSERT_EQ(d->targets.size(), 2u);
  for (const auto& t : d->targets) {
    EXPECT_EQ(t.campaign_dose.has_value(), t.child.person_id == six);
    EXPECT_NE(t.child.person_id, infant);
  }
  json j = CampaignToJson(Schedule::Default(), *d);
  EXPECT_DOUBLE_EQ(j["coverage"]["rate"].get<double>(), 0.5);

  // Not a target, outside the dates, another vaccine: refused with the reason.
  dose["person_id"] = infant;
  EXPECT_TRUE(HasFieldError(service_->RecordCampaignDose(center_a_, c->campaign.id, dose).status(),
                            "person_id", "not_in_target"));
  dose["person_id"] = ten;
  dose["date"] = "2026-10-31";
  dose["vaccine"] = "HepB";
  auto bad = service_->RecordCampaignDose(center_a_, c->campaign.id, dose);
  EXPECT_TRUE(HasFieldError(bad.status(), "date", "outside_campaign"));
  EXPECT_TRUE(HasFieldError(bad.status(), "vaccine", "not_campaign_vaccine"));

  // Another district sees neither the campaign nor its children.
  auto other = service_->GetCampaign(center_b_, c->campaign.id, true, 0, 0);
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Audited("campaign.read", c->campaign.id, "denied"));
  EXPECT_TRUE(service_->ListCampaigns(center_b_)->empty());
  // A city-wide user sees it, with the same figures.
  auto city = service_->ListCampaigns(User(auth::Role::kCommission, "450100", "450100/"));
  ASSERT_TRUE(city.ok());
  ASSERT_EQ(city->size(), 1u);
  EXPECT_EQ(city->front().progress.vaccinated, 1);
}

TEST_F(ProgrammeServiceTest, EntryCheckMatchesReportsAndExports) {
  std::string six_id;
  std::string six = Child("20200301", "450103001", "2025-01-01", "六岁", &six_id);
  std::string infant = Child("20260710", "450103001", "2026-07-10", "小婴");
  auto file = records_->IssueFile(center_a_, infant,
                                  {{"certificate_no", "QX-0001"},
                                   {"issuing_clinic", "450103001"},
                                   {"guardian_name", "王芳"},
                                   {"guardian_relation", "mother"},
                                   {"guardian_phone", "13900001111"}});
  ASSERT_TRUE(file.ok()) << Dump(file.status());
  std::string newborn_id;
  std::string newborn = Child("20261120", "450103001", "2026-11-20", "新生", &newborn_id);
  Dose(newborn, "HepB", "2026-11-20", "transcribed");
  Dose(newborn, "BCG", "2026-11-20", "transcribed");
  std::string elsewhere_id;
  Child("20200301", "450105001", "2025-01-01", "江南六岁", &elsewhere_id);

  std::string csv = "儿童姓名,性别,出生日期,身份证号码,监护人姓名,监护人电话,幼儿园,班级\n";
  csv += "六岁,男,2020-03-01," + six_id + ",,,阳光幼儿园,大班\n";
  csv += "小婴,女,2026/7/10,,王芳,139 0000 1111,阳光幼儿园,托班\n";
  csv += "新生,男,20261120," + newborn_id + ",,,阳光幼儿园,托班\n";
  csv += "江南六岁,男,2020-03-01," + elsewhere_id + ",,,阳光幼儿园,大班\n";
  csv += ",女,2020-13-01,,,,阳光幼儿园,大班\n";
  auto check = service_->RunEntryCheck(center_a_, csv, {.date = "2026-11-22"});
  ASSERT_TRUE(check.ok()) << Dump(check.status());
  const EntryCheck& c = check->check;
  EXPECT_EQ(c.school, "阳光幼儿园");
  EXPECT_EQ(c.rows_total, 5);
  EXPECT_EQ(c.rows_invalid, 1);
  EXPECT_EQ(c.complete, 1);
  EXPECT_EQ(c.needs_catch_up, 2);
  EXPECT_EQ(c.not_found, 1);  // the child of another district is not visible here
  ASSERT_EQ(check->rows.size(), 4u);
  EXPECT_EQ(check->rows[0].method, MatchMethod::kIdNumber);
  EXPECT_EQ(check->rows[0].person_id, six);
  EXPECT_EQ(check->rows[0].result, CheckResult::kNeedsCatchUp);
  EXPECT_EQ(check->rows[1].method, MatchMethod::kNameBirthPhone);
  EXPECT_EQ(check->rows[1].person_id, infant);
  EXPECT_TRUE(check->rows[1].has_file);
  EXPECT_EQ(check->rows[2].result, CheckResult::kComplete);
  EXPECT_EQ(check->rows[3].result, CheckResult::kNotFound);
  EXPECT_EQ(check->rows[3].not_found_reason, "no_match");
  EXPECT_TRUE(check->rows[3].person_id.empty());
  ASSERT_FALSE(check->errors.empty());
  EXPECT_EQ(check->errors[0].row, 5);
  EXPECT_TRUE(Audited("entry_check.create", c.id, "ok"));

  // Stored: the same answer when read back.
  auto again = service_->GetEntryCheck(center_a_, c.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rows.size(), 4u);
  EXPECT_EQ(again->errors.size(), check->errors.size());
  EXPECT_EQ(again->rows[0].doses_json, check->rows[0].doses_json);
  EXPECT_EQ(service_->ListEntryChecks(center_a_)->size(), 1u);

  auto report = service_->ExportEntryCheck(center_a_, c.id, "report", "csv");
  ASSERT_TRUE(report.ok()) << Dump(report.status());
  EXPECT_EQ(report->bytes.rfind("\xEF\xBB\xBF行号,儿童姓名", 0), 0u);  // BOM, Chinese header
  EXPECT_EQ(report->bytes.find(six_id), std::string::npos);            // ID numbers masked
  EXPECT_NE(report->bytes.find(registry::MaskIdNumber(six_id)), std::string::npos);
  EXPECT_NE(report->bytes.find("名单信息有误"), std::string::npos);  // the bad row is reported

  auto referral = service_->ExportEntryCheck(center_a_, c.id, "referral", "xlsx");
  ASSERT_TRUE(referral.ok()) << Dump(referral.status());
  auto sheet = ReadXlsxFirstSheet(referral->bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  ASSERT_EQ(sheet->rows.size(), 4u);  // header + two to catch up + one not found
  EXPECT_EQ(sheet->rows[0][0], "儿童姓名");
  EXPECT_EQ(sheet->rows[2][0], "小婴");
  EXPECT_EQ(sheet->rows[2][5], "13900001111");  // the school's phone, for the slip

  EXPECT_TRUE(HasFieldError(service_->ExportEntryCheck(center_a_, c.id, "all", "pdf").status(),
                            "list", "invalid_value"));
  auto other = service_->GetEntryCheck(center_b_, c.id);
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Audited("entry_check.read", c.id, "denied"));
  EXPECT_EQ(service_->ExportEntryCheck(center_b_, c.id, "report", "csv").status().code(),
            StatusCode::kNotFound);

  auto empty = service_->RunEntryCheck(center_a_, "", {});
  EXPECT_TRUE(HasFieldError(empty.status(), "file", "required"));
  auto no_column = service_->RunEntryCheck(center_a_, "学生,生日\n张三,2020-01-01\n", {});
  EXPECT_TRUE(HasFieldError(no_column.status(), "儿童姓名", "missing_column"));
}

TEST_F(ProgrammeServiceTest, CoverageOfACohortPerUnit) {
  std::string a = Child("20260110", "450103001", "2026-01-10", "甲");
  Dose(a, "HepB", "2026-01-10", "transcribed");
  ASSERT_TRUE(records_
                  ->IssueFile(center_a_, a,
                              {{"certificate_no", "QX-0002"},
                               {"issuing_clinic", "450103001"},
                               {"guardian_name", "王芳"},
                               {"guardian_relation", "mother"},
                               {"guardian_phone", "13900001111"}})
                  .ok());
  Child("20260115", "450103002", "2026-01-15", "乙");    // no dose, no certificate
  Child("20261120", "450103001", "2026-11-20", "新来");  // here 2 days: not a migrant yet
  Child("20250301", "450103001", "2025-03-01", "去年");  // another cohort
  Child("20260201", "450105001", "2026-02-01", "江南");  // another district

  auto r = service_->Coverage(finance_, "450103", "2026", "", "");
  ASSERT_TRUE(r.ok()) << Dump(r.status());
  ASSERT_EQ(r->units.size(), 3u);  // the district, then its two streets
  EXPECT_EQ(r->units[0].unit.code, "450103");
  EXPECT_EQ(r->units[1].unit.code, "450103001");
  EXPECT_EQ(r->units[2].unit.code, "450103002");
  const UnitCoverage& district = r->units[0];
  EXPECT_EQ(district.children, 2);
  EXPECT_EQ(district.entitled, 2);
  EXPECT_EQ(district.with_file, 1);
  const DoseCoverage* hepb = nullptr;
  for (const auto& d : district.doses)
    if (d.vaccine == Schedule::Default().Find("HepB")->id && d.dose == 1) hepb = &d;
  ASSERT_NE(hepb, nullptr);
  EXPECT_EQ(hepb->eligible, 2);
  EXPECT_EQ(hepb->vaccinated, 1);
  EXPECT_EQ(hepb->timely, 1);
  EXPECT_EQ(r->units[1].children, 1);
  EXPECT_EQ(r->units[2].children, 1);
  EXPECT_TRUE(Audited("immunization.coverage", "450103", "ok"));

  // Outside the caller's unit: not found, audited.
  auto other = service_->Coverage(center_b_, "450103", "2026", "", "");
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Audited("immunization.coverage", "450103", "denied"));
  auto bad = service_->Coverage(finance_, "450103", "20x6", "2027-01-01", "soon");
  EXPECT_TRUE(HasFieldError(bad.status(), "cohort", "invalid_value"));
  EXPECT_TRUE(HasFieldError(bad.status(), "as_of", "in_future"));
  EXPECT_TRUE(HasFieldError(bad.status(), "timely", "invalid_value"));
  auto auditor =
      service_->Coverage(User(auth::Role::kAuditor, "450100", "450100/"), "450103", "2026", "", "");
  EXPECT_EQ(auditor.status().code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace jd::immunization
