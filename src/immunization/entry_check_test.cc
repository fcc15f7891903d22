// 入托入学查验 rules: reading rosters (headers, dates, bad rows row by row, GB18030), matching
// children to the registry, and each child's result.
#include "immunization/entry_check.h"

#include <gtest/gtest.h>

#include "registry/id_number.h"

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }

std::string Id(const std::string& birth8, int seq) {
  std::string first17 = "450803" + birth8 + std::to_string(100 + seq);
  return first17 + registry::IdCheckCharacter(first17);
}

bool HasError(const Roster& r, int row, const std::string& column, const std::string& code) {
  for (const auto& e : r.errors)
    if (e.row == row && e.column == column && e.code == code) return true;
  return false;
}

const Date kCheck = D("2026-09-01");

TEST(EntryCheck, GoodRowsAreKeptAndBadRowsReportedRowByRow) {
  std::string good_id = Id("20200305", 1);
  std::string bad_id = good_id.substr(0, 17) + (good_id.back() == '0' ? "1" : "0");
  Table table = {
      {},  // a blank line before the header is skipped
      {"序号", "儿童姓名*", "性别", "出生日期（YYYY-MM-DD）", "身份证号码", "监护人", "监护人电话",
       "幼儿园", "班级"},
      {"1", "王小明", "男", "2020-03-05", good_id, "王芳", "139-0000-1111", "阳光幼儿园", "大一班"},
      {"2", "", "女", "2020/13/01", "", "", "", "阳光幼儿园", "大一班"},
      {"3", "李丽", "女", "2020年4月1日", bad_id, "", "13900002222", "阳光幼儿园", "大二班"},
      {},
      {"5", "赵强", "x", "2030-01-01", "", "", "12345", "阳光幼儿园", "大二班"},
      {"6", "孙小", "女", "20210102", "", "", "+86 139 0000 3333", "阳光幼儿园", "大二班"},
      {"7", "周周", "男", "43895", good_id, "", "", "阳光幼儿园", "大二班"},
  };
  auto roster = ParseRoster(table, kCheck);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  EXPECT_EQ(roster->rows_total, 6);
  EXPECT_EQ(roster->rows_invalid, 3);
  ASSERT_EQ(roster->rows.size(), 3u);

  const RosterRow& a = roster->rows[0];
  EXPECT_EQ(a.row, 1);
  EXPECT_EQ(a.name, "王小明");
  EXPECT_EQ(a.sex, "M");
  EXPECT_EQ(a.birth, D("2020-03-05"));
  EXPECT_EQ(a.id_number, good_id);
  EXPECT_EQ(a.guardian_name, "王芳");
  EXPECT_EQ(a.guardian_phone, "13900001111");
  EXPECT_EQ(a.school, "阳光幼儿园");
  EXPECT_EQ(a.class_name, "大一班");

  // Row 2: no name, an impossible date, nothing to match by: three errors, named by the
  // roster's own headers.
  EXPECT_TRUE(HasError(*roster, 2, "儿童姓名*", "required"));
  EXPECT_TRUE(HasError(*roster, 2, "出生日期（YYYY-MM-DD）", "invalid_date"));
  EXPECT_TRUE(HasError(*roster, 2, "身份证号码", "not_identifiable"));
  // Row 3: a wrong check character (GB 11643).
  EXPECT_TRUE(HasError(*roster, 3, "身份证号码", "invalid_check_digit"));
  // Row 5 (the blank line still counts): a bad sex, a future birth date, a bad phone.
  EXPECT_TRUE(HasError(*roster, 5, "性别", "invalid_value"));
  EXPECT_TRUE(HasError(*roster, 5, "出生日期（YYYY-MM-DD）", "in_future"));
  EXPECT_TRUE(HasError(*roster, 5, "监护人电话", "invalid_phone"));
  for (const auto& e : roster->errors) {
    EXPECT_FALSE(e.message_zh.empty());
    EXPECT_FALSE(e.message_en.empty());
  }

  // Compact dates, +86 phones and spreadsheet serials are read.
  EXPECT_EQ(roster->rows[1].birth, D("2021-01-02"));
  EXPECT_EQ(roster->rows[1].guardian_phone, "13900003333");
  EXPECT_EQ(roster->rows[2].birth, D("2020-03-05"));
}

TEST(EntryCheck, AnIdNumberMustAgreeWithTheBirthDate) {
  Table table = {{"name", "birth_date", "id_number"}, {"王小明", "2020-03-06", Id("20200305", 2)}};
  auto roster = ParseRoster(table, kCheck);
  ASSERT_TRUE(roster.ok());
  EXPECT_TRUE(HasError(*roster, 1, "id_number", "mismatch_with_id_number"));
}

TEST(EntryCheck, ARosterWithoutNameOrBirthDateColumnsIsRefused) {
  auto r = ParseRoster({{"学生", "生日"}, {"张三", "2020-01-01"}}, kCheck);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 2u);
  EXPECT_EQ(r.status().field_errors()[0].code, "missing_column");
  EXPECT_FALSE(ParseRoster({}, kCheck).ok());
}

TEST(EntryCheck, CsvRostersMayBeGb18030) {
  // "儿童姓名,出生日期,监护人电话" / "张三,2020/3/5,13900001111" as a Chinese Windows saves it.
  std::string gb =
      "\xB6\xF9\xCD\xAF\xD0\xD5\xC3\xFB,\xB3\xF6\xC9\xFA\xC8\xD5\xC6\xDA,"
      "\xBC\xE0\xBB\xA4\xC8\xCB\xB5\xE7\xBB\xB0\r\n"
      "\xD5\xC5\xC8\xFD"
      ",2020/3/5,13900001111\r\n";
  auto table = TableFromCsv(gb);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto roster = ParseRoster(*table, kCheck);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  ASSERT_EQ(roster->rows.size(), 1u);
  EXPECT_EQ(roster->rows[0].name, "张三");
  EXPECT_EQ(roster->rows[0].birth, D("2020-03-05"));

  auto broken = TableFromCsv("儿童姓名,出生日期\n\"张三,2020-01-01\n");
  EXPECT_FALSE(broken.ok());
}

TEST(EntryCheck, MatchingPrefersTheIdNumberThenNameBirthAndGuardianPhone) {
  RosterRow row;
  row.name = "王小明";
  row.birth = D("2020-03-05");
  row.id_number = Id("20200305", 1);
  row.guardian_phone = "13900001111";

  std::vector<MatchCandidate> one = {{"p1", "13800000000"}};
  auto by_id = ChooseMatch(row, one, {});
  EXPECT_EQ(by_id.method, MatchMethod::kIdNumber);
  EXPECT_EQ(by_id.person_id, "p1");  // the ID decides, whatever the phone

  std::vector<MatchCandidate> names = {{"p2", "13900001111"}, {"p3", "13700000000"}, {"p4", ""}};
  auto by_name = ChooseMatch(row, {}, names);
  EXPECT_EQ(by_name.method, MatchMethod::kNameBirthPhone);
  EXPECT_EQ(by_name.person_id, "p2");
  EXPECT_EQ(MatchMethodCode(by_name.method), "name_birth_phone");

  std::vector<MatchCandidate> twins = {{"p5", "13900001111"}, {"p6", "13900001111"}};
  auto ambiguous = ChooseMatch(row, {}, twins);
  EXPECT_EQ(ambiguous.method, MatchMethod::kNone);
  EXPECT_EQ(ambiguous.not_found_reason, "ambiguous");

  std::vector<MatchCandidate> other_phone = {{"p7", "13700000000"}};
  auto none = ChooseMatch(row, {}, other_phone);
  EXPECT_EQ(none.method, MatchMethod::kNone);
  EXPECT_EQ(none.not_found_reason, "no_match");

  // Without a phone on the roster a name and birth date alone never match.
  row.guardian_phone.clear();
  EXPECT_EQ(ChooseMatch(row, {}, names).method, MatchMethod::kNone);
}

TEST(EntryCheck, TheResultListsTheDosesDueByTheChildsAge) {
  const Schedule& s = Schedule::Default();
  std::vector<DoseEvent> history;
  for (const char* v : {"HepB", "BCG"}) history.push_back({s.Find(v)->id, D("2020-03-05")});
  Forecast f = ForecastChild(s, D("2020-03-05"), history, kCheck);
  auto doses = EntryCheckDoses(f);
  ASSERT_FALSE(doses.empty());
  bool mmr1 = false, mmr2 = false, hepb1 = false;
  for (const auto& d : doses) {
    EXPECT_TRUE(d.status == DoseStatus::kDue || d.status == DoseStatus::kOverdue ||
                d.status == DoseStatus::kNeedsTest);
    mmr1 |= d.vaccine == s.Find("MMR")->id && d.dose == 1;
    mmr2 |= d.vaccine == s.Find("MMR")->id && d.dose == 2;
    hepb1 |= d.vaccine == s.Find("HepB")->id && d.dose == 1;
  }
  EXPECT_TRUE(mmr1);
  EXPECT_FALSE(mmr2);  // waits 28 days after the first: not yet due
  EXPECT_FALSE(hepb1);
  EXPECT_EQ(CheckResultCode(CheckResult::kNeedsCatchUp), "needs_catch_up");
  EXPECT_TRUE(EntryCheckDoses(Forecast{}).empty());
}

}  // namespace
}  // namespace jd::immunization
