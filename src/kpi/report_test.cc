#include "kpi/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/csv.h"
#include "immunization/xlsx_reader.h"

namespace jd::kpi {
namespace {

using registry::OrgLevel;
using registry::OrgUnit;

Period P(const char* text) { return *ParsePeriod(text); }

Indicator Count() {
  Indicator i;
  i.code = "REG_FLOATING";
  i.name_zh = "流动人口数";
  i.kind = IndicatorKind::kCount;
  i.numerator_zh = "统计日符合流动人口认定条件的在住人员数";
  i.dhis2_uid = "Abcdefghij1";
  return i;
}

Indicator Rate() {
  Indicator i;
  i.code = "KEY_EHR_CHILD";
  i.name_zh = "0-6岁儿童电子健康档案建档率";
  i.kind = IndicatorKind::kRate;
  i.numerator_zh = "已建电子健康档案的0-6岁流动儿童数";
  i.denominator_zh = "应建档的0-6岁流动儿童数";
  i.target = 0.8;
  i.deadline = std::chrono::year{2020} / 12 / 31;
  i.target_section = "南宁市实施办法 四(一)";
  i.dhis2_uid = "Bbcdefghij2";
  return i;
}

Indicator Days() {
  Indicator i;
  i.code = "DOC_REVIEW_DAYS";
  i.name_zh = "材料平均审核天数";
  i.kind = IndicatorKind::kMeanDays;
  i.numerator_zh = "审核用时合计（天）";
  i.denominator_zh = "本期审核的材料数";
  i.dhis2_uid = "Cbcdefghij3";
  return i;
}

Indicator Inactive() {
  Indicator i;
  i.code = "FP_GUIDANCE";
  i.name_zh = "计划生育指导覆盖率";
  i.kind = IndicatorKind::kRate;
  i.active = false;
  i.target = 0.95;
  i.dhis2_uid = "Dbcdefghij4";
  return i;
}

std::vector<OrgUnit> Units() {
  return {
      {"450100", "南宁市", OrgLevel::kCity, "", "450100/"},
      {"450102", "兴宁区", OrgLevel::kDistrict, "450100", "450100/450102/"},
      {"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
  };
}

IndicatorValue V(const char* code, const char* org, const Period& p, double num, double den,
                 std::optional<double> value, std::optional<bool> met = std::nullopt,
                 std::optional<double> target = std::nullopt) {
  return IndicatorValue{code, org, p, num, den, value, target, met};
}

ReportInput Input() {
  Period p = P("2026-11");
  ReportInput in;
  in.period = p;
  in.units = Units();
  in.indicators = {Count(), Rate(), Days(), Inactive()};
  in.values = {
      V("REG_FLOATING", "450100", p, 1500, 0, 1500),
      V("REG_FLOATING", "450102", p, 600, 0, 600),
      V("REG_FLOATING", "450103", p, 900, 0, 900),
      V("KEY_EHR_CHILD", "450100", p, 85, 100, 0.85, true, 0.8),
      V("KEY_EHR_CHILD", "450102", p, 70, 100, 0.7, false, 0.8),
      V("KEY_EHR_CHILD", "450103", p, 0, 0, std::nullopt, std::nullopt, 0.8),
      V("DOC_REVIEW_DAYS", "450100", p, 35, 10, 3.5),
      V("DOC_REVIEW_DAYS", "450102", p, 7, 3, 7.0 / 3),
      // A unit outside the report: ignored.
      V("REG_FLOATING", "450105", p, 1, 0, 1),
  };
  return in;
}

std::vector<std::string> Texts(const std::vector<ReportCell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(c.text);
  return out;
}

TEST(ReportFormatTest, RatesCountsMeansAndNulls) {
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 0.853), "85.3%");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 1.0), "100.0%");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 0.0), "0.0%");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 2.0 / 3), "66.7%");
  // A decimal tie rounds up, as a spreadsheet shows it, though 0.8525 is below it in binary.
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 0.8525), "85.3%");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, 0.80049), "80.0%");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kCount, 1234), "1234");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kCount, 0), "0");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kMeanDays, 3.25), "3.3");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kMeanDays, 3.04), "3.0");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kMeanDays, 12), "12.0");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kRate, std::nullopt), "—");
  EXPECT_EQ(FormatIndicatorValue(IndicatorKind::kMeanDays, std::nan("")), "—");
  EXPECT_EQ(FormatComponent(12), "12");
  EXPECT_EQ(FormatComponent(12.25), "12.3");
  EXPECT_EQ(ReportKindZh(Period::Type::kMonth), "月报");
  EXPECT_EQ(ReportKindZh(Period::Type::kQuarter), "季报");
  EXPECT_EQ(ReportKindZh(Period::Type::kYear), "年报");
}

TEST(ReportTest, TitleColumnsRowsTargetsAndFlags) {
  auto r = BuildReport(Input());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const ReportTable& t = *r;
  EXPECT_EQ(t.title, "南宁市流动人口基本公共卫生计生服务统计月报 2026年11月");
  EXPECT_EQ(t.subtitle, "统计期：2026-11-01 至 2026-11-30");
  EXPECT_EQ(t.sheet_name, "月报");

  std::vector<std::string> headers;
  for (const auto& c : t.columns) headers.push_back(c.header);
  EXPECT_EQ(headers, (std::vector<std::string>{
                         "单位代码",
                         "单位名称",
                         "流动人口数",
                         "0-6岁儿童电子健康档案建档率（分子）",
                         "0-6岁儿童电子健康档案建档率（分母）",
                         "0-6岁儿童电子健康档案建档率",
                         "0-6岁儿童电子健康档案建档率（达标情况）",
                         "材料平均审核天数（分子）",
                         "材料平均审核天数（分母）",
                         "材料平均审核天数",
                         "计划生育指导覆盖率（分子）",
                         "计划生育指导覆盖率（分母）",
                         "计划生育指导覆盖率",
                         "计划生育指导覆盖率（达标情况）",
                     }));
  EXPECT_EQ(t.columns[5].indicator_code, "KEY_EHR_CHILD");
  EXPECT_EQ(t.columns[5].role, ColumnRole::kValue);
  EXPECT_EQ(t.columns[6].role, ColumnRole::kMet);

  ASSERT_EQ(t.rows.size(), 4u);  // three units, then the targets
  EXPECT_EQ(Texts(t.rows[0]),
            (std::vector<std::string>{"450100", "南宁市", "1500", "85", "100", "85.0%", "达标",
                                      "35", "10", "3.5", "—", "—", "—", "—"}));
  EXPECT_EQ(Texts(t.rows[1]),
            (std::vector<std::string>{"450102", "兴宁区", "600", "70", "100", "70.0%", "未达标",
                                      "7", "3", "2.3", "—", "—", "—", "—"}));
  // Denominator 0: the components are real zeros, the rate is null and so is the flag.
  EXPECT_EQ(Texts(t.rows[2]), (std::vector<std::string>{"450103", "青秀区", "900", "0", "0", "—",
                                                        "—", "—", "—", "—", "—", "—", "—", "—"}));
  EXPECT_EQ(Texts(t.rows[3]),
            (std::vector<std::string>{"", "目标值", "", "", "", "80.0%", "2020-12-31 前", "", "",
                                      "", "", "", "95.0%", ""}));

  // Numbers behind the text, with the format the workbook gives them, and the colours.
  const ReportCell& rate = t.rows[0][5];
  ASSERT_TRUE(rate.number.has_value());
  EXPECT_DOUBLE_EQ(*rate.number, 0.85);
  EXPECT_EQ(rate.format, CellFormat::kPercent1);
  EXPECT_EQ(rate.met, std::optional<bool>(true));
  EXPECT_EQ(t.rows[0][6].met, std::optional<bool>(true));
  EXPECT_EQ(t.rows[1][5].met, std::optional<bool>(false));
  EXPECT_EQ(t.rows[1][6].met, std::optional<bool>(false));
  EXPECT_FALSE(t.rows[2][5].number.has_value());
  EXPECT_FALSE(t.rows[2][5].met.has_value());
  EXPECT_EQ(t.rows[0][2].format, CellFormat::kInteger);
  EXPECT_EQ(t.rows[0][9].format, CellFormat::kDecimal1);
  EXPECT_DOUBLE_EQ(*t.rows[3][5].number, 0.8);

  ASSERT_EQ(t.definitions.size(), 5u);
  EXPECT_EQ(t.definitions[0][0], "指标代码");
  EXPECT_EQ(t.definitions[2],
            (std::vector<std::string>{"KEY_EHR_CHILD", "0-6岁儿童电子健康档案建档率", "率",
                                      "已建电子健康档案的0-6岁流动儿童数",
                                      "应建档的0-6岁流动儿童数", "80.0%", "2020-12-31",
                                      "南宁市实施办法 四(一)", "启用", "Bbcdefghij2"}));
  EXPECT_EQ(t.definitions[4][8], "未启用");
  EXPECT_EQ(t.definitions[1][4], "");  // a count has no denominator
}

TEST(ReportTest, MetIsWorkedOutFromTheTargetWhenTheValueLacksIt) {
  ReportInput in = Input();
  in.indicators = {Rate()};
  in.values = {V("KEY_EHR_CHILD", "450100", in.period, 80, 100, 0.8)};
  auto r = BuildReport(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0][5].text, "达标");  // 80% meets ≥ 80%
  EXPECT_EQ(r->rows[1][4].text, "—");     // no value for this unit
  EXPECT_EQ(r->rows[1][2].text, "—");
}

TEST(ReportTest, WithoutComponentsAndForAQuarterOfADistrict) {
  ReportInput in = Input();
  in.period = P("2026Q4");
  for (auto& v : in.values) v.period = in.period;
  in.units = {{"450103", "青秀区", OrgLevel::kDistrict, "450100", "450100/450103/"},
              {"450103001", "新竹街道", OrgLevel::kStreet, "450103", "450100/450103/450103001/"}};
  in.components = false;
  in.as_of = std::chrono::year{2026} / 11 / 20;
  auto r = BuildReport(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "青秀区流动人口基本公共卫生计生服务统计季报 2026年第4季度");
  EXPECT_EQ(r->subtitle, "统计期：2026-10-01 至 2026-12-31（时点指标统计至 2026-11-20）");
  EXPECT_EQ(r->sheet_name, "季报");
  ASSERT_EQ(r->columns.size(), 8u);  // code, name, count, rate, flag, days, rate, flag
  EXPECT_EQ(Texts(r->rows[1]),
            (std::vector<std::string>{"450103001", "新竹街道", "—", "—", "—", "—", "—", "—"}));
  in.issuer = "南宁市青秀区";
  EXPECT_EQ(BuildReport(in)->title.rfind("南宁市青秀区流动人口", 0), 0u);
}

TEST(ReportTest, BadInputIsFieldErrors) {
  ReportInput empty;
  empty.period = P("2026-11");
  auto r = BuildReport(empty);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 2u);
  EXPECT_EQ(r.status().field_errors()[0].field, "units");
  EXPECT_EQ(r.status().field_errors()[1].field, "indicators");

  ReportInput dup = Input();
  dup.values.push_back(V("REG_FLOATING", "450100", dup.period, 1, 0, 1));
  r = BuildReport(dup);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].code, "duplicate_value");

  ReportInput other = Input();
  other.values[0].period = P("2026-10");
  r = BuildReport(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].code, "period_mismatch");

  ReportInput twice = Input();
  twice.units.push_back(twice.units[0]);
  twice.indicators.push_back(Count());
  r = BuildReport(twice);
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().field_errors().size(), 2u);
  EXPECT_EQ(r.status().field_errors()[0].code, "duplicate_unit");
  EXPECT_EQ(r.status().field_errors()[1].code, "duplicate_indicator");
}

TEST(ReportCsvTest, Utf8WithBomChineseHeaderAndTheCellsAsShown) {
  auto t = BuildReport(Input());
  ASSERT_TRUE(t.ok());
  std::string csv = WriteReportCsv(*t);
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("单位代码,单位名称,流动人口数,"), std::string::npos);
  EXPECT_NE(csv.find("\r\n450102,兴宁区,600,70,100,70.0%,未达标,7,3,2.3,"), std::string::npos);

  CsvReader reader(csv);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.Next(fields));
  ASSERT_EQ(fields.size(), t->columns.size());
  EXPECT_EQ(fields[5], "0-6岁儿童电子健康档案建档率");
  for (const auto& row : t->rows) {
    ASSERT_TRUE(reader.Next(fields));
    EXPECT_EQ(fields, Texts(row));
  }
  EXPECT_FALSE(reader.Next(fields));
  EXPECT_TRUE(reader.status().ok());
}

TEST(ReportCsvTest, AUnitNamedLikeAFormulaIsDefused) {
  ReportInput in = Input();
  in.units[1].name = "=HYPERLINK(\"http://x\")";
  auto t = BuildReport(in);
  ASSERT_TRUE(t.ok());
  std::string csv = WriteReportCsv(*t);
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos);
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos);
}

TEST(ReportXlsxTest, TheWorkbookHoldsTitleHeadersAndNumbers) {
  auto t = BuildReport(Input());
  ASSERT_TRUE(t.ok());
  auto bytes = WriteReportXlsx(*t);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 100u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  auto sheet = immunization::ReadXlsxFirstSheet(*bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->name, "月报");
  const auto& rows = sheet->rows;
  ASSERT_EQ(rows.size(), 3u + t->rows.size());
  EXPECT_EQ(rows[0][0], "南宁市流动人口基本公共卫生计生服务统计月报 2026年11月");
  EXPECT_EQ(rows[1][0], "统计期：2026-11-01 至 2026-11-30");
  ASSERT_EQ(rows[2].size(), t->columns.size());
  EXPECT_EQ(rows[2][0], "单位代码");
  EXPECT_EQ(rows[2][6], "0-6岁儿童电子健康档案建档率（达标情况）");
  // Values are numbers in the workbook (a rate as a fraction, shown through "0.0%").
  EXPECT_EQ(rows[3][0], "450100");
  EXPECT_DOUBLE_EQ(std::stod(rows[3][2]), 1500);
  EXPECT_DOUBLE_EQ(std::stod(rows[3][5]), 0.85);
  EXPECT_EQ(rows[3][6], "达标");
  EXPECT_NEAR(std::stod(rows[4][9]), 7.0 / 3, 1e-12);
  EXPECT_EQ(rows[5][5], "—");
  EXPECT_EQ(rows[6][1], "目标值");
  EXPECT_DOUBLE_EQ(std::stod(rows[6][5]), 0.8);
}

TEST(ReportXlsxTest, FilesAreWrittenAndAnUnwritablePathIsUnavailable) {
  auto t = BuildReport(Input());
  ASSERT_TRUE(t.ok());
  std::string dir = ::testing::TempDir();
  std::string xlsx = dir + "/kpi-report-test.xlsx", csv = dir + "/kpi-report-test.csv";
  ASSERT_TRUE(WriteReportXlsxFile(*t, xlsx).ok());
  ASSERT_TRUE(WriteReportCsvFile(*t, csv).ok());
  std::ifstream in(csv, std::ios::binary);
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, WriteReportCsv(*t));
  std::remove(xlsx.c_str());
  std::remove(csv.c_str());

  EXPECT_EQ(WriteReportXlsxFile(*t, "/nonexistent-dir/r.xlsx").code(), StatusCode::kUnavailable);
  EXPECT_EQ(WriteReportCsvFile(*t, "/nonexistent-dir/r.csv").code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jd::kpi
