// File: kpi/report.h
// Statistical reports (统计月报 / 季报 / 年报): one table for one period, a row per org unit (a
// unit and the units under it, e.g. the city and its districts, a district and its streets), a
// column per indicator in the order given, and a row of targets. Built as a pure function over the
// engine's values (kpi/model.h), then written as XLSX (libxlsxwriter: the table, plus a second
// sheet with each indicator's definition) or as CSV (UTF-8 with BOM, core/csv.h). docs/kpi.md.
//
// Cells: rates as percentages with one decimal ("85.3%"), counts as integers, mean days with one
// decimal, "—" where there is no value (denominator 0, inactive indicator, no value computed).
// Rounding is half away from zero, as spreadsheets round, so the CSV and the XLSX show the same
// text. Rates and mean days also get their numerator and denominator columns (when `components`),
// since a rate alone hides how many persons it stands for; an indicator with a target gets a 达标
// column
// ("达标" / "未达标"), coloured green or red in the XLSX together with the value.
//
// BuildReport(input): the table, or field errors (field "units", "indicators", "values") for no
//   units, no indicators, a duplicate unit or indicator, a value of another period, or two values
//   for one unit and indicator. Values of units or indicators not in the report are ignored (a
//   caller may pass every value it computed).
// WriteReportXlsx / WriteReportCsv: the file's bytes. libxlsxwriter writes to a file, so the XLSX
//   passes through a private temporary file (under $TMPDIR or /tmp), removed before returning.
// WriteReportXlsxFile / WriteReportCsvFile: the same written at `path`. kUnavailable when the file
//   cannot be written.
//
// The one-sheet helper of immunization/xlsx_writer.h writes text cells only, one sheet, no title:
// a report needs numeric cells with number formats (so that a spreadsheet can add them up), a
// title, colours and a second sheet, hence a writer of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "kpi/model.h"
#include "registry/model.h"

namespace jd::kpi {

struct ReportInput {
  Period period;
  // The unit named in the title ("南宁市"); empty: the name of the first unit.
  std::string issuer;
  std::vector<registry::OrgUnit> units;  // the rows, in this order
  std::vector<Indicator> indicators;     // the columns, in this order
  std::vector<IndicatorValue> values;
  // The day stocks were counted on when it is not the period's last day (the current period).
  std::optional<Date> as_of;
  bool components = true;  // numerator and denominator columns for rates and mean days
};

// How a cell is shown. The XLSX writes numbers with the matching number format.
enum class CellFormat : std::uint8_t {
  kText,
  kInteger,   // "1234"
  kPercent1,  // 0.853 → "85.3%"
  kDecimal1,  // 3.25 → "3.3"
};

struct ReportCell {
  std::string text;              // as the CSV shows it
  std::optional<double> number;  // the number behind `text` (a rate as a fraction); none: text
  CellFormat format = CellFormat::kText;
  std::optional<bool> met;  // the target: true met (green), false missed (red)
};

enum class ColumnRole : std::uint8_t {
  kUnitCode,
  kUnitName,
  kValue,
  kNumerator,
  kDenominator,
  kMet,
};

struct ReportColumn {
  std::string header;          // Chinese
  std::string indicator_code;  // empty for the unit columns
  ColumnRole role = ColumnRole::kValue;
};

struct ReportTable {
  std::string title;  // "南宁市流动人口基本公共卫生计生服务统计月报 2026年11月"
  std::string subtitle;    // "统计期：2026-11-01 至 2026-11-30"
  std::string sheet_name;  // "月报" / "季报" / "年报"
  std::vector<ReportColumn> columns;
  std::vector<std::vector<ReportCell>> rows;  // one per unit, then the target row
  // The definitions sheet: a header row, then one row per indicator.
  std::vector<std::vector<std::string>> definitions;
};

// "月报", "季报", "年报".
std::string ReportKindZh(Period::Type type);
// "计数", "率", "平均天数".
std::string IndicatorKindZh(IndicatorKind kind);
// The text of a value of an indicator of `kind` ("85.3%", "1234", "3.5"); "—" for none.
std::string FormatIndicatorValue(IndicatorKind kind, std::optional<double> value);
// A numerator or denominator: an integer when it is whole, else one decimal.
std::string FormatComponent(double x);

Result<ReportTable> BuildReport(const ReportInput& input);

Result<std::string> WriteReportXlsx(const ReportTable& table);
Status WriteReportXlsxFile(const ReportTable& table, const std::string& path);
std::string WriteReportCsv(const ReportTable& table);
Status WriteReportCsvFile(const ReportTable& table, const std::string& path);

}  // namespace jd::kpi
