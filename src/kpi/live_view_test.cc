// The live view on a small city whose figures are worked out by hand below, on a real SQLite file.
#include "kpi/live_view.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/ids.h"

namespace jd::kpi {
namespace {

namespace fs = std::filesystem;
using std::chrono::year;

const Date kToday = year{2026} / 11 / 22;

class LiveViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("jd_kpi_test_" + RandomHex(6));
    fs::create_directories(dir_);
    auto db = storage::Database::Open({.path = (dir_ / "t.db").string()});
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Org("450100", "", "city");
    Org("450103", "450100", "district");
    Org("450103001", "450103", "street");
    Org("450103001001", "450103001", "community");
    Org("450107", "450100", "district");
    Org("450107001", "450107", "street");

    // P1: a worker from Hunan, arrived 2026-01-10 (left home the day before): floating from
    // 2026-02-09 (30 days here), entitled to a health record from 2026-07-10 (6 months); has an
    // electronic record since 2026-08-01 (set in tests that add the records table).
    Person("p1", "M", "1990-05-01", "430528", "450103001001", "2026-01-09", "2026-01-10", "work");
    // P2: 户籍 in Nanning (450122): registered, never floating (实施办法 §三(一) 同城除外).
    Person("p2", "F", "1988-02-02", "450122", "450103001001", "", "2025-03-01", "work");
    // P3: a girl born 2025-03-15, here since 2025-06-01: floating from 2025-07-01, file entitled
    // from 2025-09-01 (3 months), health record from 2025-12-01; certificate 2025-09-10.
    Person("p3", "F", "2025-03-15", "430528", "450103001", "", "2025-06-01", "family");
    Exec(
        "INSERT INTO vaccination_files (person_id, certificate_no, issued_on, "
        "issuing_clinic_code, created_at, created_by, updated_at, updated_by) VALUES ('p3', "
        "'C-1', '2025-09-10', '450103001', 'x', 'x', 'x', 'x')");
    Dose("p3", "HepB", "2025-03-15");
    Dose("p3", "BCG", "2025-03-16");
    Dose("p3", "HepB", "2025-04-15");
    // P4: a boy born here 2026-10-01 to migrant parents: floating from 2026-10-31; not yet
    // entitled to a certificate (3 months on 2027-01-01); no dose.
    Person("p4", "M", "2026-10-01", "430528", "450103001", "", "2026-10-01", "family");
    // P5: arrived 2025-01-01, moved out on 2026-05-01.
    Person("p5", "M", "1985-01-01", "430528", "450107001", "", "2025-01-01", "work");
    Exec("UPDATE persons SET status = 'moved_out' WHERE id = 'p5'");
    Exec(
        "INSERT INTO residence_events (person_id, event_date, id, type, recorded_at, "
        "recorded_by) VALUES ('p5', '2026-05-01', 'e5', 'moved_out', 'x', 'x')");
    // Documents: D1 of P1 submitted 2026-11-02 10:00 and reviewed 2026-11-05 11:00 Beijing time
    // (3 days); D2 of P2 submitted 2026-11-20, pending.
    Exec(
        "INSERT INTO documents (id, person_id, type, status, submitted_at, submitted_by, "
        "reviewed_at, reviewed_by) VALUES ('d1', 'p1', 'residence_permit', 'approved', "
        "'2026-11-02T02:00:00.000Z', 'x', '2026-11-05T03:00:00.000Z', 'x')");
    Exec(
        "INSERT INTO documents (id, person_id, type, status, submitted_at, submitted_by) VALUES "
        "('d2', 'p2', 'residence_permit', 'pending', '2026-11-20T01:00:00.000Z', 'x')");
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  void Exec(const std::string& sql) {
    Status st = db_->Write([&](soci::session& s) {
      s << sql;
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString() << " in " << sql;
  }
  void Org(const std::string& code, const std::string& parent, const std::string& level) {
    std::string path = parent.empty() ? code + "/" : paths_[parent] + code + "/";
    paths_[code] = path;
    Exec("INSERT INTO org_units (code, name, level, parent_code, path) VALUES ('" + code + "', '" +
         code + "', '" + level + "', " + (parent.empty() ? "NULL" : "'" + parent + "'") + ", '" +
         path + "')");
  }
  void Person(const std::string& id, const std::string& sex, const std::string& birth,
              const std::string& hukou, const std::string& org, const std::string& left,
              const std::string& arrived, const std::string& reason) {
    Exec(
        "INSERT INTO persons (id, name, sex, birth_date, id_type, id_number, hukou_division, "
        "residence_org, residence_path, left_hukou_on, arrived_on, move_reason, created_at, "
        "created_by, updated_at, updated_by) VALUES ('" +
        id + "', 'n', '" + sex + "', '" + birth + "', 'resident_id', '" + id + "', '" + hukou +
        "', '" + org + "', '" + paths_[org] + "', " + (left.empty() ? "NULL" : "'" + left + "'") +
        ", '" + arrived + "', '" + reason + "', 'x', 'x', 'x', 'x')");
  }
  void Dose(const std::string& person, const std::string& vaccine, const std::string& date) {
    Exec(
        "INSERT INTO vaccination_records (id, person_id, vaccine, given_on, source, created_at, "
        "created_by, updated_at, updated_by) VALUES ('" +
        NewId() + "', '" + person + "', '" + vaccine + "', '" + date +
        "', 'transcribed', 'x', 'x', 'x', 'x')");
  }

  std::map<std::string, IndicatorValue> Values(const LiveView& view, const std::string& org,
                                               const std::string& period, Breakdown b = {}) {
    std::vector<const Indicator*> all;
    for (const auto& ind : Catalogue::Default().indicators()) all.push_back(&ind);
    std::map<std::string, IndicatorValue> out;
    for (auto& v : view.Compute(all, {org}, *ParsePeriod(period), b)) out[v.code] = v;
    return out;
  }
  std::unique_ptr<LiveView> Load() {
    auto view =
        LiveView::Load(*db_, Catalogue::Default(), immunization::Schedule::Default(), kToday);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    return view.ok() ? std::move(*view) : nullptr;
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::map<std::string, std::string> paths_;
};

TEST_F(LiveViewTest, HandComputedFiguresOfTheCurrentMonth) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["REG_REGISTERED"].value, 4);   // P1–P4; P5 moved out in May
  EXPECT_EQ(v["REG_FLOATING"].value, 3);     // not P2
  EXPECT_EQ(v["REG_HR_ENTITLED"].value, 2);  // P1 and P3; P4 only from 2027-04-01
  EXPECT_EQ(v["REG_HR_RATE"].denominator, 2);
  EXPECT_EQ(v["REG_HR_RATE"].numerator, 0);      // no health records table yet
  EXPECT_EQ(v["KEY_EHR_CHILD"].denominator, 1);  // P3
  EXPECT_EQ(v["KEY_EHR_CHILD"].target, 0.80);
  EXPECT_EQ(v["KEY_EHR_CHILD"].met, false);
  EXPECT_EQ(v["IMM_FILE_RATE"].numerator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].denominator, 1);
  EXPECT_EQ(v["IMM_FILE_RATE"].value, 1.0);
  // HepB1: P3 given at birth (timely: by birth + 1 day); P4 past its day without it.
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_1"].denominator, 2);
  EXPECT_EQ(v["IMM_TIMELY_HepB_1"].numerator, 1);
  // HepB3: only P3 is past its completion age (12 months, 2026-03-15), and has not had it.
  EXPECT_EQ(v["IMM_COV_HepB_3"].denominator, 1);
  EXPECT_EQ(v["IMM_COV_HepB_3"].numerator, 0);
  EXPECT_EQ(v["IMM_COV_HepB_3"].met, false);
  // BCG given on day 1, before its completion age of 3 months.
  EXPECT_EQ(v["IMM_COV_BCG_1"].numerator, 1);
  EXPECT_EQ(v["IMM_TIMELY_BCG_1"].numerator, 1);
  EXPECT_EQ(v["DOC_PENDING"].value, 1);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 3);
  // Inactive indicators are listed without a value.
  EXPECT_FALSE(v["FP_GUIDANCE"].value.has_value());
  EXPECT_EQ(v["FP_GUIDANCE"].target, 0.95);

  // The district without anyone: zeros and no rates.
  auto empty = Values(*view, "450107", "2026-11");
  EXPECT_EQ(empty["REG_REGISTERED"].value, 0);
  EXPECT_FALSE(empty["IMM_FILE_RATE"].value.has_value());
  // A street sums its communities and itself.
  auto street = Values(*view, "450103001", "2026-11");
  EXPECT_EQ(street["REG_REGISTERED"].value, 4);
  auto community = Values(*view, "450103001001", "2026-11");
  EXPECT_EQ(community["REG_REGISTERED"].value, 2);
}

TEST_F(LiveViewTest, PastPeriodsAndBreakdowns) {
  auto view = Load();
  ASSERT_TRUE(view);
  auto april = Values(*view, "450100", "2026-04");
  EXPECT_EQ(april["REG_REGISTERED"].value, 4);   // P1, P2, P3, P5 (P4 not born)
  EXPECT_EQ(april["REG_FLOATING"].value, 3);     // P1 (from 02-09), P3, P5
  EXPECT_EQ(april["REG_HR_ENTITLED"].value, 2);  // P3 (from 2025-12-01), P5; P1 from 07-10
  EXPECT_EQ(april["DOC_PENDING"].value, 0);
  EXPECT_FALSE(april["DOC_REVIEW_DAYS"].value.has_value());

  auto girls = Values(*view, "450100", "2026-11", {.sex = "F"});
  EXPECT_EQ(girls["REG_REGISTERED"].value, 2);  // P2, P3
  auto hunan = Values(*view, "450100", "2026-11", {.hukou_province = "43"});
  EXPECT_EQ(hunan["REG_REGISTERED"].value, 3);
  auto young = Values(*view, "450100", "2026-11", {.age_group = "0-6"});
  EXPECT_EQ(young["REG_REGISTERED"].value, 2);
  Breakdown c2025;
  c2025.cohort = 2025;
  auto cohort = Values(*view, "450100", "2026-11", c2025);
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].denominator, 1);  // P3 only
  EXPECT_EQ(cohort["IMM_COV_HepB_1"].value, 1.0);
}

TEST_F(LiveViewTest, CommittedWritesShowAfterRefreshAndEqualAFreshLoad) {
  auto view = Load();
  ASSERT_TRUE(view);
  Dose("p4", "HepB", "2026-10-01");
  Exec(
      "UPDATE documents SET status = 'approved', reviewed_at = '2026-11-21T01:00:00.000Z' WHERE "
      "id = 'd2'");
  Person("p6", "F", "1995-01-01", "430528", "450107001", "", "2026-09-01", "work");
  auto n = view->Refresh(*db_, kToday);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3u);  // p4, p2 (its document) and p6
  auto v = Values(*view, "450100", "2026-11");
  EXPECT_EQ(v["IMM_COV_HepB_1"].numerator, 2);
  EXPECT_EQ(v["DOC_PENDING"].value, 0);
  EXPECT_EQ(v["DOC_REVIEW_DAYS"].value, 2);  // (3 + 1) / 2
  EXPECT_EQ(v["REG_REGISTERED"].value, 5);

  auto fresh = Load();
  ASSERT_TRUE(fresh);
  for (const std::string org : {"450100", "450103", "450107", "450103001001"}) {
    auto a = Values(*view, org, "2026-11");
    auto b = Values(*fresh, org, "2026-11");
    for (const auto& [code, x] : a) {
      EXPECT_EQ(x.numerator, b[code].numerator) << org << " " << code;
      EXPECT_EQ(x.denominator, b[code].denominator) << org << " " << code;
    }
  }
  // Nothing new: nothing reloaded.
  auto again = view->Refresh(*db_, kToday);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

}  // namespace
}  // namespace jd::kpi
