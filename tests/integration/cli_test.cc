// The command line end to end: `jundeng id check`, `eligibility`, `import persons`,
// `export persons`, `backup`, `audit verify`, `growth zscore`, `education norms` and
// `family-planning payments`, run as child processes on
// databases in a private temporary directory.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/csv.h"
#include "core/dates.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

json ParseOut(const CommandResult& r) {
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << r.err;
  return j;
}

// Runs `sql` on a database with the sqlite3 C API; returns the first column of the first row.
std::string Sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK) << db_path;
  std::string first;
  char* err = nullptr;
  int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int n, char** values, char**) {
        auto* s = static_cast<std::string*>(out);
        if (s->empty() && n > 0 && values[0]) *s = values[0];
        return 0;
      },
      &first, &err);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
  return first;
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::string text = ReadFileBytes(path);
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(text);
  std::vector<std::string> fields;
  while (reader.Next(fields)) rows.push_back(fields);
  EXPECT_TRUE(reader.status().ok()) << path;
  return rows;
}

unsigned FileMode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class CliTest : public ::testing::Test {
 protected:
  CommandResult Run(const std::vector<std::string>& args, const std::string& input = "") {
    return RunJundeng(args, input, tmp_.path());
  }
  TempDir tmp_;
};

TEST_F(CliTest, IdCheckDecodesAValidNumber) {
  CommandResult r = Run({"id", "check", "11010519491231002x"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = ParseOut(r);
  EXPECT_TRUE(j.value("valid", false));
  EXPECT_EQ(j.value("birth_date", ""), "1949-12-31");
  EXPECT_EQ(j.value("sex", ""), "F");
  EXPECT_EQ(j.value("region_code", ""), "110105");
  EXPECT_NE(j.value("region_name", "").find("朝阳区"), std::string::npos) << r.out;
  EXPECT_EQ(j.value("normalized", ""), "11010519491231002X");
  EXPECT_TRUE(j["errors"].empty());

  std::string man = MakeResidentId("450803", "19850315", 123);
  json m = ParseOut(Run({"id", "check", man}));
  EXPECT_EQ(m.value("sex", ""), "M");
  EXPECT_EQ(m.value("region_code", ""), "450803");
  EXPECT_EQ(m.value("birth_date", ""), "1985-03-15");
}

TEST_F(CliTest, IdCheckRejectsAnInvalidNumber) {
  CommandResult r = Run({"id", "check", "110105194912310021"});
  EXPECT_EQ(r.exit_code, 1);
  json j = ParseOut(r);
  EXPECT_FALSE(j.value("valid", true));
  bool check_digit = false;
  for (const auto& e : j["errors"]) check_digit |= e.value("code", "") == "invalid_check_digit";
  EXPECT_TRUE(check_digit) << r.out;

  CommandResult garbage = Run({"id", "check", "12345"});
  EXPECT_EQ(garbage.exit_code, 1);
  EXPECT_FALSE(ParseOut(garbage).value("valid", true));
}

TEST_F(CliTest, EligibilityOfAFloatingWorkerAndOfASameCityPerson) {
  json worker = {
      {"as_of", "2026-03-01"},
      {"birth_date", "1990-05-01"},
      {"hukou_division", "450803"},
      {"residence_division", "450103"},
      {"left_hukou_on", "2025-06-01"},
      {"arrived_on", "2025-06-02"},
      {"reason", "work"},
      {"documents",
       {{{"type", "residence_permit"}, {"status", "approved"}, {"valid_until", "2027-06-01"}}}}};
  CommandResult r = Run({"eligibility"}, worker.dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseOut(r);
  EXPECT_TRUE(j.value("floating", false));
  EXPECT_TRUE(j["entitlements"].value("health_record", false));
  EXPECT_TRUE(j["entitlements"].value("free_services", false));
  EXPECT_FALSE(j["entitlements"].value("vaccination_file", true));
  ASSERT_EQ(j["rules"].size(), 7u);
  for (const auto& rule : j["rules"]) {
    EXPECT_FALSE(rule.value("detail", "").empty());
    EXPECT_FALSE(rule.value("detail_en", "").empty());
  }

  // 户籍 in 兴宁区, living in 青秀区: both in 南宁市, so not a floating person (实施办法 §三(一)).
  json local = worker;
  local["hukou_division"] = "450102";
  local["residence_division"] = "450103";
  CommandResult l = Run({"eligibility"}, local.dump());
  ASSERT_EQ(l.exit_code, 0) << l.err;
  json lj = ParseOut(l);
  EXPECT_FALSE(lj.value("floating", true));
  EXPECT_FALSE(lj["entitlements"].value("free_services", true));
  EXPECT_FALSE(lj["entitlements"].value("health_record", true));
  bool same_city_failed = false;
  for (const auto& rule : lj["rules"]) {
    if (rule.value("rule", "") == "not_same_city") same_city_failed = !rule.value("passed", true);
  }
  EXPECT_TRUE(same_city_failed) << l.out;

  // Bad input: the problems on standard error, a usage exit code, nothing on standard output.
  CommandResult bad = Run({"eligibility"}, R"({"as_of": "2026-02-30", "reason": "flying"})");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("as_of"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("reason"), std::string::npos) << bad.err;
  EXPECT_EQ(Run({"eligibility"}, "not json").exit_code, 2);
}

TEST_F(CliTest, ImportReportsBadRowsWritesGoodOnesAndReadsGb18030) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  const std::string a = MakeResidentId("450803", "19880101", 11);
  const std::string b = MakeResidentId("450803", "19920202", 22);
  const std::string c = MakeResidentId("450803", "19950303", 33);
  std::string bad = a.substr(0, 17) + (a[17] == '0' ? "1" : "0");
  const std::string header =
      "姓名,证件号码,户籍地区划代码,现居住地单位代码,来本地日期,流动原因,手机号码\n";
  std::string csv = header +                                                        //
                    "张一," + a + ",450803,450102,2023-05-01,务工,13800000001\n" +  // row 1
                    "王二," + b + ",450803,450103,2023/6/1,经商,13800000002\n" +    // row 2
                    "李三," + bad + ",450803,450102,2023-05-01,务工,\n" +           // row 3
                    "," + c + ",450803,450102,2023-05-01,务工,\n" +                 // row 4
                    "赵五," + a + ",450803,450102,2023-05-01,务工,\n";              // row 5
  const std::string file = tmp_.File("persons.csv");
  WriteFileBytes(file, csv);

  // A dry run validates and reports, and writes nothing.
  CommandResult dry = node.Run({"import", "persons", file, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  json dj = ParseOut(dry);
  EXPECT_TRUE(dj.value("dry_run", false));
  EXPECT_EQ(dj.value("rows_total", 0), 5);
  EXPECT_EQ(dj.value("rows_ok", 0), 2);
  EXPECT_EQ(dj.value("rows_failed", 0), 3);
  EXPECT_EQ(Sql(node.db_path(), "SELECT COUNT(*) FROM persons"), "0");
  EXPECT_EQ(Sql(node.db_path(), "SELECT COUNT(*) FROM import_batches"), "0");

  CommandResult r = node.Run({"import", "persons", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = ParseOut(r);
  EXPECT_FALSE(j.value("dry_run", true));
  EXPECT_EQ(j.value("rows_total", 0), 5);
  EXPECT_EQ(j.value("rows_ok", 0), 2);
  EXPECT_EQ(j.value("rows_failed", 0), 3);
  EXPECT_EQ(j.value("errors_file", ""), file + ".errors.csv");

  // Each bad row is listed with its row, column, code and messages.
  auto errors = ReadCsv(file + ".errors.csv");
  ASSERT_GE(errors.size(), 4u) << ReadFileBytes(file + ".errors.csv");
  EXPECT_EQ(errors[0],
            (std::vector<std::string>{"row", "column", "code", "message", "message_en"}));
  std::map<std::string, std::vector<std::string>> by_row;
  for (std::size_t i = 1; i < errors.size(); ++i) {
    ASSERT_EQ(errors[i].size(), 5u);
    EXPECT_FALSE(errors[i][3].empty());
    EXPECT_FALSE(errors[i][4].empty());
    by_row[errors[i][0]].push_back(errors[i][1] + "/" + errors[i][2]);
  }
  EXPECT_EQ(by_row.count("1"), 0u);
  EXPECT_EQ(by_row.count("2"), 0u);
  auto has = [&](const std::string& row, const std::vector<std::string>& any_of) {
    for (const auto& e : by_row[row]) {
      for (const auto& want : any_of) {
        if (e == want) return true;
      }
    }
    return false;
  };
  // The column is named by its JSON name or as the file's header wrote it.
  EXPECT_TRUE(has("3", {"id_number/invalid_check_digit", "证件号码/invalid_check_digit"}))
      << testing::PrintToString(by_row["3"]);
  EXPECT_TRUE(has("4", {"name/required", "姓名/required"})) << testing::PrintToString(by_row["4"]);
  EXPECT_TRUE(has("5", {"id_number/duplicate_in_file", "证件号码/duplicate_in_file"}))
      << testing::PrintToString(by_row["5"]);

  // A file saved by Chinese office software in GB18030.
  const std::string gb_file = tmp_.File("persons-gb18030.csv");
  std::string gb =
      "\xd0\xd5\xc3\xfb,\xd6\xa4\xbc\xfe\xba\xc5\xc2\xeb,"                 // 姓名,证件号码,
      "\xbb\xa7\xbc\xae\xb5\xd8\xc7\xf8\xbb\xae\xb4\xfa\xc2\xeb,"          // 户籍地区划代码,
      "\xcf\xd6\xbe\xd3\xd7\xa1\xb5\xd8\xb5\xa5\xce\xbb\xb4\xfa\xc2\xeb,"  // 现居住地单位代码,
      "\xc0\xb4\xb1\xbe\xb5\xd8\xc8\xd5\xc6\xda,"                          // 来本地日期,
      "\xc1\xf7\xb6\xaf\xd4\xad\xd2\xf2\r\n";                              // 流动原因
  gb += "\xc0\xee\xcb\xc4,";                                               // 李四
  gb += c + ",450803,450102,2024-01-15,";
  gb += "\xce\xf1\xb9\xa4\r\n";  // 务工
  WriteFileBytes(gb_file, gb);
  CommandResult g = node.Run({"import", "persons", gb_file});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  json gj = ParseOut(g);
  EXPECT_EQ(gj.value("rows_ok", 0), 1) << g.out;
  EXPECT_EQ(gj.value("rows_failed", -1), 0) << g.out;
  EXPECT_FALSE(std::filesystem::exists(gb_file + ".errors.csv"));

  // Importing the same file again: every row is a duplicate of a stored person.
  CommandResult again = node.Run({"import", "persons", gb_file});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ParseOut(again).value("rows_ok", -1), 0);
  EXPECT_EQ(ParseOut(again).value("rows_failed", 0), 1);

  // By default the export is de-identified: no name, ID number or phone in full; mode 0600.
  const std::string masked = tmp_.File("masked.csv");
  CommandResult m = node.Run({"export", "persons", "--out", masked});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(FileMode(masked), 0600u);
  ASSERT_EQ(ReadCsv(masked).size(), 4u);
  std::string deidentified = ReadFileBytes(masked);
  for (const auto& s : {std::string("张一"), std::string("王二"), std::string("李四"), a, b, c}) {
    EXPECT_EQ(deidentified.find(s), std::string::npos) << s;
  }
  EXPECT_NE(deidentified.find("张*"), std::string::npos);
  EXPECT_NE(deidentified.find(c.substr(0, 4) + "**********" + c.substr(14)), std::string::npos);

  // --full shows exactly the good rows, with full values, in UTF-8; an existing file readable
  // by others is narrowed to 0600 before anything is written; the audit row says which kind.
  const std::string out = tmp_.File("export.csv");
  WriteFileBytes(out, "old");
  ASSERT_EQ(::chmod(out.c_str(), 0644), 0);
  CommandResult e = node.Run({"export", "persons", "--full", "--out", out});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(FileMode(out), 0600u);
  EXPECT_EQ(Sql(node.db_path(),
                "SELECT COUNT(*) FROM audit_log WHERE action = 'person.export' AND detail LIKE "
                "'identifiers=full%'"),
            "1");
  auto rows = ReadCsv(out);
  ASSERT_EQ(rows.size(), 4u) << ReadFileBytes(out);  // header + 3 persons
  std::string exported = ReadFileBytes(out);
  for (const auto& s : {std::string("张一"), std::string("王二"), std::string("李四"), a, b, c}) {
    EXPECT_NE(exported.find(s), std::string::npos) << s;
  }
  for (const auto& s : {std::string("李三"), std::string("赵五"), bad}) {
    EXPECT_EQ(exported.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(Sql(node.db_path(), "SELECT COUNT(*) FROM persons"), "3");
  EXPECT_EQ(Sql(node.db_path(), "SELECT name FROM persons WHERE id_number = '" + c + "'"), "李四");

  // An unreadable header is refused as a whole.
  WriteFileBytes(tmp_.File("junk.csv"), "foo,bar\n1,2\n");
  CommandResult junk = node.Run({"import", "persons", tmp_.File("junk.csv")});
  EXPECT_EQ(junk.exit_code, 2) << junk.out << junk.err;
  EXPECT_EQ(Sql(node.db_path(), "SELECT COUNT(*) FROM persons"), "3");
}

TEST_F(CliTest, BackupIsAConsistentCopy) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  std::string csv = "姓名,证件号码,户籍地区划代码,现居住地单位代码,来本地日期,流动原因\n";
  for (int i = 1; i <= 20; ++i) {
    csv += "人员" + std::to_string(i) + "," + MakeResidentId("450803", "19900101", i) +
           ",450803,450102,2023-05-01,务工\n";
  }
  WriteFileBytes(tmp_.File("p.csv"), csv);
  ASSERT_EQ(node.Run({"import", "persons", tmp_.File("p.csv")}).exit_code, 0);

  const std::string copy = tmp_.File("backup.db");
  CommandResult r = node.Run({"backup", copy});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(copy));
  // The database and the copy are the owner's only.
  EXPECT_EQ(FileMode(node.db_path()), 0600u);
  EXPECT_EQ(FileMode(copy), 0600u);
  EXPECT_EQ(Sql(copy, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Sql(copy, "SELECT COUNT(*) FROM persons"), "20");
  EXPECT_EQ(Sql(copy, "SELECT COUNT(*) FROM org_units"),
            Sql(node.db_path(), "SELECT COUNT(*) FROM org_units"));
  // The copy is a working database: its audit chain verifies under the node's key.
  CommandResult verify =
      RunJundeng({"audit", "verify", "--db", copy, "--audit-key", node.db_path() + ".audit-key"},
                 "", tmp_.path());
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // An existing file is not overwritten.
  CommandResult again = node.Run({"backup", copy});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_EQ(Sql(copy, "SELECT COUNT(*) FROM persons"), "20");
}

// A database other accounts on the host can read is not served; the message says how to fix it.
TEST_F(CliTest, ServeRefusesADatabaseOthersCanRead) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  ASSERT_EQ(FileMode(node.db_path()), 0600u);
  ASSERT_EQ(::chmod(node.db_path().c_str(), 0644), 0);
  CommandResult r = node.Run({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("chmod 600 " + node.db_path()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0644"), std::string::npos) << r.err;

  // So is a key others can read.
  ASSERT_EQ(::chmod(node.db_path().c_str(), 0600), 0);
  ASSERT_EQ(::chmod((node.db_path() + ".audit-key").c_str(), 0644), 0);
  CommandResult k = node.Run({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_NE(k.exit_code, 0);
  EXPECT_NE(k.err.find("chmod 600"), std::string::npos) << k.err;
}

TEST_F(CliTest, AuditVerifyDetectsAnEditedRow) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  node.AddUser("t_secadmin", "secadmin", "450100", "Correct-Horse-42!");
  CommandResult ok = node.Run({"audit", "verify"});
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  json oj = ParseOut(ok);
  EXPECT_TRUE(oj.value("ok", false));
  EXPECT_GE(oj.value("rows_checked", 0), 2);

  // The table refuses edits...
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(node.db_path().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET detail = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(node.Run({"audit", "verify"}).exit_code, 0);

  // ...but someone with the file can drop the trigger; the chain still tells.
  std::string seq = Sql(node.db_path(), "SELECT MIN(seq) FROM audit_log");
  Sql(node.db_path(),
      "DROP TRIGGER audit_log_no_update; "
      "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = " +
          seq);
  CommandResult tampered = node.Run({"audit", "verify"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  json tj = ParseOut(tampered);
  EXPECT_FALSE(tj.value("ok", true));
  ASSERT_TRUE(tj["findings"].is_array());
  ASSERT_FALSE(tj["findings"].empty());
  bool names_row = false;
  for (const auto& f : tj["findings"]) names_row |= std::to_string(f.value("seq", -1)) == seq;
  EXPECT_TRUE(names_row) << tampered.out;
}

TEST_F(CliTest, AuditVerifyDetectsADeletedRow) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  node.AddUser("t_secadmin", "secadmin", "450100", "Correct-Horse-42!");
  node.AddUser("t_auditor", "auditor", "450100", "Correct-Horse-42!");
  ASSERT_EQ(node.Run({"audit", "verify"}).exit_code, 0);
  Sql(node.db_path(),
      "DROP TRIGGER audit_log_no_delete; "
      "DELETE FROM audit_log WHERE seq = (SELECT MIN(seq) + 1 FROM audit_log)");
  CommandResult tampered = node.Run({"audit", "verify"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_FALSE(ParseOut(tampered).value("ok", true));
}

// Rows deleted from the end leave no gap in the chain; the head recorded beside the database
// after every write tells (issue: audit verify detects the last three rows deleted).
TEST_F(CliTest, AuditVerifyDetectsTheLastThreeRowsDeleted) {
  ServerProcess node(tmp_.File("node"));
  node.Init("450100");
  node.AddUser("t_secadmin", "secadmin", "450100", "Correct-Horse-42!");
  node.AddUser("t_auditor", "auditor", "450100", "Correct-Horse-42!");
  node.AddUser("t_other", "auditor", "450100", "Correct-Horse-42!");
  ASSERT_EQ(node.Run({"audit", "verify"}).exit_code, 0);
  const std::string head = node.db_path() + ".audit-head";
  ASSERT_TRUE(std::filesystem::exists(head));
  EXPECT_EQ(FileMode(head), 0600u);
  const std::string last = Sql(node.db_path(), "SELECT MAX(seq) FROM audit_log");
  Sql(node.db_path(),
      "DROP TRIGGER audit_log_no_delete; "
      "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 3 FROM audit_log)");
  CommandResult tampered = node.Run({"audit", "verify"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  json tj = ParseOut(tampered);
  ASSERT_EQ(tj["findings"].size(), 1u) << tampered.out;
  EXPECT_EQ(tj["findings"][0].value("kind", ""), "truncated");
  EXPECT_EQ(tj["findings"][0].value("seq", 0), std::stoll(last) - 2);

  // New writes after the cut do not wash it out: the head is kept as the evidence.
  node.AddUser("t_later", "auditor", "450100", "Correct-Horse-42!");
  CommandResult later = node.Run({"audit", "verify"});
  EXPECT_EQ(later.exit_code, 1) << later.out << later.err;

  // A deleted head file is reported too, not silently re-created from the shortened log.
  std::filesystem::remove(head);
  EXPECT_EQ(node.Run({"audit", "verify"}).exit_code, 1);
}

TEST_F(CliTest, CommandsOnAMissingDatabaseFail) {
  const std::string missing = tmp_.File("nothing-here.db");
  CommandResult r = Run({"audit", "verify", "--db", missing});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.exit_code, 1);  // not "tampered": the database is not there
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_NE(Run({"export", "persons", "--db", missing}).exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
}  // namespace jd::integration

namespace jd::integration {
namespace {

// The command contract of `jundeng growth zscore` against WHO's own output: every z-score of the
// weight, length/height, BMI and head indicators and their flags in WHO's igrowup sample survey
// (tests/data/child/SOURCE.md), to ±0.01, through the command line as users call it.
TEST_F(CliTest, GrowthZscoreReproducesTheWhoSurvey) {
  auto rows = ReadCsv(std::string(JD_SOURCE_DIR) + "/tests/data/child/who_igrowup_survey_z_st.csv");
  ASSERT_EQ(rows.size(), 499u);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  const Date birth = *ParseDate("2019-02-28");
  // One command per child, four at a time (a process start dominates). Under the sanitizers a
  // command takes about 1.4 s, so that build runs every 10th child; growth_test checks the whole
  // survey there through the library.
#if defined(__SANITIZE_ADDRESS__)  // g++
  constexpr std::size_t kStride = 10;
#elif defined(__has_feature)  // clang, which builds the sanitizer tree
#if __has_feature(address_sanitizer)
  constexpr std::size_t kStride = 10;
#else
  constexpr std::size_t kStride = 1;
#endif
#else
  constexpr std::size_t kStride = 1;
#endif
  int expected = 0;
  std::vector<std::vector<std::string>> commands(rows.size());
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if ((k - 1) % kStride != 0) continue;
    const auto& row = rows[k];
    auto at = [&](const char* name) -> const std::string& { return row.at(col.at(name)); };
    if (at("_agedays").empty()) continue;  // the command takes dates
    int days = std::stoi(at("_agedays"));
    std::vector<std::string> args = {
        "growth",  "zscore",          "--sex",  at("GENDER") == "1" ? "M" : "F",
        "--birth", FormatDate(birth), "--date", FormatDate(AddDays(birth, days))};
    if (!at("WEIGHT").empty()) args.insert(args.end(), {"--weight", at("WEIGHT")});
    if (!at("HEIGHT").empty()) {
      // Without a stated measure WHO takes the one the age calls for.
      bool lying = at("measure") == "l" || (at("measure").empty() && days < 731);
      args.insert(args.end(), {lying ? "--length" : "--height", at("HEIGHT")});
    }
    if (!at("HEAD").empty()) args.insert(args.end(), {"--head", at("HEAD")});
    if (at("oedema") == "y") args.push_back("--oedema");
    for (const char* column : {"_ZWEI", "_ZLEN", "_ZWFL", "_ZBMI", "_ZHC"}) {
      if (!at(column).empty()) ++expected;
    }
    commands[k] = std::move(args);
  }
  std::vector<CommandResult> results(rows.size());
  std::atomic<std::size_t> next{1};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (std::size_t k = next++; k < rows.size(); k = next++) {
        if (!commands[k].empty()) results[k] = Run(commands[k]);
      }
    });
  }
  for (auto& t : workers) t.join();

  int compared = 0;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (commands[k].empty()) continue;
    const auto& row = rows[k];
    auto at = [&](const char* name) -> const std::string& { return row.at(col.at(name)); };
    const CommandResult& r = results[k];
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json j = ParseOut(r);
    const bool height = std::stoi(at("_agedays")) >= 731;
    const std::pair<const char*, const char*> keys[] = {{"waz", "_ZWEI"},
                                                        {height ? "haz" : "laz", "_ZLEN"},
                                                        {height ? "whz" : "wlz", "_ZWFL"},
                                                        {"baz", "_ZBMI"},
                                                        {"hcz", "_ZHC"}};
    for (const auto& [key, column] : keys) {
      ASSERT_TRUE(j.contains(key)) << r.out;
      if (at(column).empty()) {
        EXPECT_TRUE(j[key].is_null()) << "child " << at("id") << " " << key << ": " << r.out;
        continue;
      }
      ASSERT_TRUE(j[key].is_number()) << "child " << at("id") << " " << key << ": " << r.out;
      EXPECT_NEAR(j[key].get<double>(), std::stod(at(column)), 0.01 + 1e-9)
          << "child " << at("id") << " " << key << ": " << r.out;
      ++compared;
    }
    // No child of the survey is flagged on these five; the flags are checked case by case in
    // child/growth_test.cc.
    EXPECT_TRUE(j["flags"].empty()) << "child " << at("id") << ": " << r.out;
  }
  EXPECT_EQ(compared, expected);
  if (kStride == 1) {
    EXPECT_EQ(compared, 489 + 475 + 467 + 468 + 94);  // every value WHO computed
  }
}

TEST_F(CliTest, GrowthZscoreRefusesImpossibleInput) {
  CommandResult bad = Run({"growth", "zscore", "--sex", "X", "--birth", "2024-02-30", "--date",
                           "2024-05-01", "--weight", "7"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("sex"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("birth"), std::string::npos) << bad.err;
  EXPECT_TRUE(bad.out.empty());
  CommandResult before = Run({"growth", "zscore", "--sex", "F", "--birth", "2024-02-29", "--date",
                              "2024-02-28", "--weight", "3"});
  EXPECT_EQ(before.exit_code, 2);
  EXPECT_NE(before.err.find("before_birth"), std::string::npos) << before.err;
  CommandResult both = Run({"growth", "zscore", "--sex", "F", "--birth", "2024-02-29", "--date",
                            "2024-08-28", "--length", "60", "--height", "60"});
  EXPECT_NE(both.exit_code, 0);
  // Over the standards' 1856 days and a non-positive weight: null, not an error.
  CommandResult old = Run({"growth", "zscore", "--sex", "M", "--birth", "2018-01-01", "--date",
                           "2024-01-01", "--weight", "20", "--height", "115"});
  ASSERT_EQ(old.exit_code, 0) << old.err;
  json j = ParseOut(old);
  EXPECT_TRUE(j["waz"].is_null() && j["haz"].is_null() && j["whz"].is_null()) << old.out;
}

}  // namespace
}  // namespace jd::integration

namespace jd::integration {
namespace {

// `jundeng education norms` and `jundeng family-planning payments` on a demo city.
TEST_F(CliTest, EducationNormsAndThePaymentListOfTheDemoCity) {
  const std::string db = tmp_.File("city.db");
  CommandResult demo = Run({"demo", "--db", db, "--persons", "200", "--seed", "3"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  CommandResult all = Run({"education", "norms", "--db", db});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  CommandResult behind = Run({"education", "norms", "--behind", "--db", db});
  ASSERT_EQ(behind.exit_code, 0) << behind.err;
  EXPECT_TRUE(behind.out.starts_with(
      "point_id,point_name,org_code,type,norm,required,due,actual,shortfall\r\n"))
      << behind.out.substr(0, 200);
  // The demo leaves some points behind, not all: fewer rows, and each point listed has a shortfall.
  const auto lines = [](const std::string& text) {
    return std::count(text.begin(), text.end(), '\n');
  };
  EXPECT_GT(lines(behind.out), 1);
  EXPECT_LT(lines(behind.out), lines(all.out));
  CommandResult bad = Run({"education", "norms", "--year", "1999", "--db", db});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.out.empty());

  const std::string xlsx = tmp_.File("payments.xlsx");
  const std::string year = std::to_string(static_cast<int>(SystemClock().Today().year()));
  CommandResult paid =
      Run({"family-planning", "payments", "--year", year, "--out", xlsx, "--db", db});
  ASSERT_EQ(paid.exit_code, 0) << paid.err;
  EXPECT_TRUE(ReadFileBytes(xlsx).starts_with("PK"));  // a zip: the workbook
  EXPECT_EQ(FileMode(xlsx), 0600u);
}

}  // namespace
}  // namespace jd::integration
