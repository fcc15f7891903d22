// The XLSX reader against workbooks written by libxlsxwriter (as Excel would write them: shared
// strings, numbers, date cells as serials, gaps), and against inputs that are not workbooks.
#include "immunization/xlsx_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "core/ids.h"
#include "immunization/xlsx_writer.h"

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }

std::string ReadAllBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string TempPath(const char* suffix) {
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/jd_xlsx_test_" + RandomHex(6) + suffix;
}

// A roster as a school office keeps it: a header, text, a birth date typed as a date (a number
// with a date format), an empty cell, a skipped row and a number.
std::string RosterWorkbook() {
  std::string path = TempPath(".xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "名单");
  lxw_format* date_fmt = workbook_add_format(wb);
  format_set_num_format(date_fmt, "yyyy-mm-dd");
  const char* header[] = {"儿童姓名", "性别", "出生日期", "身份证号码", "监护人电话", "班级"};
  for (int c = 0; c < 6; ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "王小明", nullptr);
  worksheet_write_string(ws, 1, 1, "男", nullptr);
  lxw_datetime birth = {2020, 3, 5, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 2, &birth, date_fmt);
  worksheet_write_string(ws, 1, 3, "450803202003051234", nullptr);
  worksheet_write_string(ws, 1, 4, "13900001111", nullptr);
  worksheet_write_string(ws, 1, 5, "小一班", nullptr);
  // Row 3 left empty; row 4 has a gap in column B and a plain number.
  worksheet_write_string(ws, 3, 0, "李 & <丽>", nullptr);
  worksheet_write_number(ws, 3, 2, 44000, nullptr);
  worksheet_write_boolean(ws, 3, 5, 1, nullptr);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string bytes = ReadAllBytes(path);
  unlink(path.c_str());
  return bytes;
}

TEST(XlsxReader, ReadsTheFirstSheetAsExcelWroteIt) {
  auto sheet = ReadXlsxFirstSheet(RosterWorkbook());
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->name, "名单");
  ASSERT_EQ(sheet->rows.size(), 4u);
  EXPECT_EQ(sheet->rows[0], (std::vector<std::string>{"儿童姓名", "性别", "出生日期", "身份证号码",
                                                      "监护人电话", "班级"}));
  const auto& r = sheet->rows[1];
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0], "王小明");
  EXPECT_EQ(r[1], "男");
  // A date cell is its serial: 2020-03-05 is day 43895 of the 1900 system.
  EXPECT_EQ(r[2], "43895");
  EXPECT_EQ(ExcelSerialToDate(r[2]), D("2020-03-05"));
  EXPECT_EQ(r[3], "450803202003051234");
  EXPECT_EQ(r[5], "小一班");
  EXPECT_TRUE(sheet->rows[2].empty());  // the skipped row keeps its place
  const auto& gap = sheet->rows[3];
  ASSERT_EQ(gap.size(), 6u);
  EXPECT_EQ(gap[0], "李 & <丽>");  // XML escapes undone
  EXPECT_EQ(gap[1], "");
  EXPECT_EQ(gap[2], "44000");
  EXPECT_EQ(gap[3], "");
  EXPECT_EQ(gap[5], "TRUE");
}

TEST(XlsxReader, ReadsBackWhatTheWriterWrites) {
  std::vector<std::vector<std::string>> rows = {
      {"儿童姓名", "查验结果"}, {"=HYPERLINK(\"x\")", "需补种"}, {"", "完成"}};
  auto bytes = WriteXlsx("查验报告", rows);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto sheet = ReadXlsxFirstSheet(*bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->name, "查验报告");
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[0], rows[0]);
  // Text stays text: a name that looks like a formula is not one.
  EXPECT_EQ(sheet->rows[1], rows[1]);
  EXPECT_EQ(sheet->rows[2], rows[2]);
}

TEST(XlsxReader, RefusesWhatIsNotAWorkbook) {
  auto not_zip = ReadXlsxFirstSheet("姓名,出生日期\n张三,2020-01-01\n");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.status().field_errors().at(0).code, "xlsx_not_zip");

  auto truncated = ReadXlsxFirstSheet(RosterWorkbook().substr(0, 200));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().field_errors().at(0).code, "xlsx_not_zip");

  // A ZIP archive without a workbook inside.
  std::string path = TempPath(".zip");
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(z, nullptr);
  static const char kText[] = "hello";
  zip_source_t* src = zip_source_buffer(z, kText, sizeof kText - 1, 0);
  ASSERT_GE(zip_file_add(z, "readme.txt", src, ZIP_FL_ENC_UTF_8), 0);
  ASSERT_EQ(zip_close(z), 0);
  std::string bytes = ReadAllBytes(path);
  unlink(path.c_str());
  auto no_book = ReadXlsxFirstSheet(bytes);
  ASSERT_FALSE(no_book.ok());
  EXPECT_EQ(no_book.status().field_errors().at(0).code, "xlsx_missing_part");
}

TEST(XlsxReader, StopsAtTheLimits) {
  std::string book = RosterWorkbook();
  auto rows = ReadXlsxFirstSheet(book, {.max_rows = 2});
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().field_errors().at(0).code, "xlsx_too_large");
  auto cols = ReadXlsxFirstSheet(book, {.max_columns = 3});
  ASSERT_FALSE(cols.ok());
  EXPECT_EQ(cols.status().field_errors().at(0).code, "xlsx_too_large");
  // A part that inflates beyond the limit (the defence against a ZIP bomb).
  auto part = ReadXlsxFirstSheet(book, {.max_part_bytes = 200});
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().field_errors().at(0).code, "xlsx_too_large");
}

TEST(XlsxReader, ExcelSerialsAreDatesOfThe1900System) {
  EXPECT_EQ(ExcelSerialToDate("1"), D("1900-01-01"));
  EXPECT_EQ(ExcelSerialToDate("59"), D("1900-02-28"));
  EXPECT_EQ(ExcelSerialToDate("61"), D("1900-03-01"));
  EXPECT_EQ(ExcelSerialToDate("45292"), D("2024-01-01"));
  EXPECT_EQ(ExcelSerialToDate("45292.75"), D("2024-01-01"));  // a time of day is dropped
  EXPECT_EQ(ExcelSerialToDate("0"), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate("-3"), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate("2020-01-01"), std::nullopt);
  EXPECT_EQ(ExcelSerialToDate(""), std::nullopt);
}

}  // namespace
}  // namespace jd::immunization
