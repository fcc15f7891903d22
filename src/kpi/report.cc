#include "kpi/report.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "core/csv.h"
#include "core/temp_file.h"
#include "core/text.h"

namespace jd::kpi {

namespace {

constexpr const char* kNone = "—";

// `x` × 10^decimals rounded half away from zero, as a spreadsheet rounds what it shows. The nudge
// keeps a decimal tie that binary cannot hold exactly (0.8525 is 0.85249999…) on the side a
// decimal reader expects.
long long ScaledRound(double x, int decimals) {
  double s = x * std::pow(10.0, decimals);
  return std::llround(s + std::copysign(1e-9 * std::max(1.0, std::abs(s)), s));
}

// An integer of tenths as "12.3".
std::string Tenths(long long tenths) {
  std::string sign = tenths < 0 ? "-" : "";
  long long a = std::llabs(tenths);
  return fmt::format("{}{}.{}", sign, a / 10, a % 10);
}

std::string FormatInteger(double x) { return fmt::format("{}", ScaledRound(x, 0)); }

CellFormat ValueFormat(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kCount:
      return CellFormat::kInteger;
    case IndicatorKind::kRate:
      return CellFormat::kPercent1;
    case IndicatorKind::kMeanDays:
      break;
  }
  return CellFormat::kDecimal1;
}

bool IsWhole(double x) { return std::abs(x - std::round(x)) < 1e-9; }

ReportCell TextCell(std::string text) { return ReportCell{.text = std::move(text)}; }

ReportCell NumberCell(double x, CellFormat format, std::string text) {
  return ReportCell{.text = std::move(text), .number = x, .format = format};
}

ReportCell ComponentCell(double x) {
  if (!std::isfinite(x)) return TextCell(kNone);
  return NumberCell(x, IsWhole(x) ? CellFormat::kInteger : CellFormat::kDecimal1,
                    FormatComponent(x));
}

std::string MetText(std::optional<bool> met) {
  if (!met) return kNone;
  return *met ? "达标" : "未达标";
}

bool HasComponents(const ReportInput& in, const Indicator& ind) {
  return in.components && ind.kind != IndicatorKind::kCount;
}

std::string TargetText(const Indicator& ind) {
  return ind.target ? FormatIndicatorValue(ind.kind, ind.target) : "";
}

std::vector<std::vector<std::string>> Definitions(const std::vector<Indicator>& indicators) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"指标代码", "指标名称", "类型", "分子", "分母", "目标值", "目标期限", "依据",
                  "状态", "DHIS2 数据元"});
  for (const Indicator& ind : indicators) {
    rows.push_back({ind.code, ind.name_zh, IndicatorKindZh(ind.kind), ind.numerator_zh,
                    ind.kind == IndicatorKind::kCount ? "" : ind.denominator_zh, TargetText(ind),
                    ind.deadline ? FormatDate(*ind.deadline) : "", ind.target_section,
                    ind.active ? "启用" : "未启用", ind.dhis2_uid});
  }
  return rows;
}

}  // namespace

std::string ReportKindZh(Period::Type type) {
  switch (type) {
    case Period::Type::kMonth:
      return "月报";
    case Period::Type::kQuarter:
      return "季报";
    case Period::Type::kYear:
      break;
  }
  return "年报";
}

std::string IndicatorKindZh(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kCount:
      return "计数";
    case IndicatorKind::kRate:
      return "率";
    case IndicatorKind::kMeanDays:
      break;
  }
  return "平均天数";
}

std::string FormatIndicatorValue(IndicatorKind kind, std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return kNone;
  switch (kind) {
    case IndicatorKind::kCount:
      return FormatInteger(*value);
    case IndicatorKind::kRate:
      return Tenths(ScaledRound(*value, 3)) + "%";
    case IndicatorKind::kMeanDays:
      break;
  }
  return Tenths(ScaledRound(*value, 1));
}

std::string FormatComponent(double x) {
  if (!std::isfinite(x)) return kNone;
  return IsWhole(x) ? FormatInteger(x) : Tenths(ScaledRound(x, 1));
}

Result<ReportTable> BuildReport(const ReportInput& in) {
  FieldErrors errors;
  if (in.units.empty()) {
    errors.Add("units", "required", "报表至少需要一个单位", "a report needs at least one unit");
  }
  if (in.indicators.empty()) {
    errors.Add("indicators", "required", "报表至少需要一个指标",
               "a report needs at least one indicator");
  }
  std::unordered_map<std::string, std::size_t> unit_row, indicator_col;
  for (std::size_t i = 0; i < in.units.size(); ++i) {
    if (!unit_row.emplace(in.units[i].code, i).second) {
      errors.Add("units", "duplicate_unit", "单位重复：" + in.units[i].code,
                 "duplicate unit: " + in.units[i].code);
    }
  }
  for (std::size_t i = 0; i < in.indicators.size(); ++i) {
    if (!indicator_col.emplace(in.indicators[i].code, i).second) {
      errors.Add("indicators", "duplicate_indicator", "指标重复：" + in.indicators[i].code,
                 "duplicate indicator: " + in.indicators[i].code);
    }
  }
  // values[unit][indicator]
  std::vector<std::vector<const IndicatorValue*>> cell(
      in.units.size(), std::vector<const IndicatorValue*>(in.indicators.size(), nullptr));
  for (const IndicatorValue& v : in.values) {
    auto u = unit_row.find(v.org);
    auto c = indicator_col.find(v.code);
    if (u == unit_row.end() || c == indicator_col.end()) continue;
    if (!(v.period == in.period)) {
      errors.Add("values", "period_mismatch",
                 fmt::format("{} 在 {} 的值属于 {}，报表期为 {}", v.code, v.org, v.period.Code(),
                             in.period.Code()),
                 fmt::format("the value of {} for {} is for {}, the report is for {}", v.code,
                             v.org, v.period.Code(), in.period.Code()));
      continue;
    }
    const IndicatorValue*& slot = cell[u->second][c->second];
    if (slot) {
      errors.Add("values", "duplicate_value", fmt::format("{} 在 {} 有两个值", v.code, v.org),
                 fmt::format("two values of {} for {}", v.code, v.org));
      continue;
    }
    slot = &v;
  }
  if (!errors.empty()) return errors.ToStatus();

  ReportTable t;
  std::string kind = ReportKindZh(in.period.type);
  std::string issuer = in.issuer.empty() ? in.units.front().name : in.issuer;
  t.title =
      fmt::format("{}流动人口基本公共卫生计生服务统计{} {}", issuer, kind, in.period.LabelZh());
  t.subtitle =
      fmt::format("统计期：{} 至 {}", FormatDate(in.period.first), FormatDate(in.period.last));
  if (in.as_of && *in.as_of != in.period.last) {
    t.subtitle += fmt::format("（时点指标统计至 {}）", FormatDate(*in.as_of));
  }
  t.sheet_name = kind;

  t.columns.push_back({"单位代码", "", ColumnRole::kUnitCode});
  t.columns.push_back({"单位名称", "", ColumnRole::kUnitName});
  for (const Indicator& ind : in.indicators) {
    if (HasComponents(in, ind)) {
      t.columns.push_back({ind.name_zh + "（分子）", ind.code, ColumnRole::kNumerator});
      t.columns.push_back({ind.name_zh + "（分母）", ind.code, ColumnRole::kDenominator});
    }
    t.columns.push_back({ind.name_zh, ind.code, ColumnRole::kValue});
    if (ind.target) t.columns.push_back({ind.name_zh + "（达标情况）", ind.code, ColumnRole::kMet});
  }

  for (std::size_t u = 0; u < in.units.size(); ++u) {
    std::vector<ReportCell> row;
    row.push_back(TextCell(in.units[u].code));
    row.push_back(TextCell(in.units[u].name));
    for (std::size_t c = 0; c < in.indicators.size(); ++c) {
      const Indicator& ind = in.indicators[c];
      const IndicatorValue* v = cell[u][c];
      std::optional<double> value;
      std::optional<bool> met;
      if (v) {
        value = v->value;
        if (!value && ind.kind == IndicatorKind::kCount) value = v->numerator;
        met = v->met;
        if (!met && ind.target && value && std::isfinite(*value)) met = *value >= *ind.target;
      }
      if (HasComponents(in, ind)) {
        row.push_back(v ? ComponentCell(v->numerator) : TextCell(kNone));
        row.push_back(v ? ComponentCell(v->denominator) : TextCell(kNone));
      }
      ReportCell value_cell =
          value && std::isfinite(*value)
              ? NumberCell(*value, ValueFormat(ind.kind), FormatIndicatorValue(ind.kind, value))
              : TextCell(kNone);
      value_cell.met = met;
      row.push_back(std::move(value_cell));
      if (ind.target) {
        ReportCell m = TextCell(MetText(met));
        m.met = met;
        row.push_back(std::move(m));
      }
    }
    t.rows.push_back(std::move(row));
  }

  std::vector<ReportCell> target_row;
  target_row.push_back(TextCell(""));
  target_row.push_back(TextCell("目标值"));
  for (const Indicator& ind : in.indicators) {
    if (HasComponents(in, ind)) {
      target_row.push_back(TextCell(""));
      target_row.push_back(TextCell(""));
    }
    target_row.push_back(ind.target ? NumberCell(*ind.target, ValueFormat(ind.kind),
                                                 FormatIndicatorValue(ind.kind, ind.target))
                                    : TextCell(""));
    if (ind.target) {
      target_row.push_back(
          TextCell(ind.deadline ? FormatDate(*ind.deadline) + " 前" : std::string()));
    }
  }
  t.rows.push_back(std::move(target_row));
  t.definitions = Definitions(in.indicators);
  return t;
}

// ---- CSV ----------------------------------------------------------------------------------------

std::string WriteReportCsv(const ReportTable& table) {
  std::ostringstream out;
  CsvWriter csv(out, {.bom = CsvBom::kUtf8});
  std::vector<std::string> fields;
  for (const ReportColumn& c : table.columns) fields.push_back(c.header);
  csv.Row(fields);
  for (const auto& row : table.rows) {
    fields.clear();
    for (const ReportCell& c : row) fields.push_back(c.text);
    csv.Row(fields);
  }
  return out.str();
}

Status WriteReportCsvFile(const ReportTable& table, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Unavailable("cannot write " + path, "无法写入文件 " + path);
  std::string bytes = WriteReportCsv(table);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Unavailable("cannot write " + path, "无法写入文件 " + path);
  return Status::Ok();
}

// ---- XLSX ---------------------------------------------------------------------------------------

namespace {

// The formats of body cells, made once per combination (a workbook holds a limited number).
class Formats {
 public:
  explicit Formats(lxw_workbook* wb) : wb_(wb) {}

  // A body cell: number format × target colour × whether it is the target row × centred text
  // (a "—" or a flag among numbers).
  lxw_format* Cell(CellFormat f, std::optional<bool> met, bool target_row, bool center) {
    int m = !met ? 0 : *met ? 1 : 2;
    auto key = std::make_tuple(static_cast<int>(f), m, target_row, center);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    lxw_format* fmt = workbook_add_format(wb_);
    format_set_border(fmt, LXW_BORDER_THIN);
    switch (f) {
      case CellFormat::kText:
        break;
      case CellFormat::kInteger:
        format_set_num_format(fmt, "0");
        break;
      case CellFormat::kPercent1:
        format_set_num_format(fmt, "0.0%");
        break;
      case CellFormat::kDecimal1:
        format_set_num_format(fmt, "0.0");
        break;
    }
    if (center) format_set_align(fmt, LXW_ALIGN_CENTER);
    // The spreadsheet's own "good" and "bad" colours.
    if (m == 1) {
      format_set_bg_color(fmt, 0xC6EFCE);
      format_set_font_color(fmt, 0x006100);
    } else if (m == 2) {
      format_set_bg_color(fmt, 0xFFC7CE);
      format_set_font_color(fmt, 0x9C0006);
    }
    if (target_row) {
      format_set_bold(fmt);
      format_set_bg_color(fmt, 0xF2F2F2);
    }
    cache_.emplace(key, fmt);
    return fmt;
  }

 private:
  lxw_workbook* wb_;
  std::map<std::tuple<int, int, bool, bool>, lxw_format*> cache_;
};

void WriteTableSheet(lxw_workbook* wb, const ReportTable& t) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, t.sheet_name.c_str());
  Formats formats(wb);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  format_set_align(title, LXW_ALIGN_CENTER);
  format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* subtitle = workbook_add_format(wb);
  format_set_align(subtitle, LXW_ALIGN_CENTER);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);

  auto last_col = static_cast<lxw_col_t>(t.columns.empty() ? 0 : t.columns.size() - 1);
  if (last_col > 0) {
    worksheet_merge_range(ws, 0, 0, 0, last_col, t.title.c_str(), title);
    worksheet_merge_range(ws, 1, 0, 1, last_col, t.subtitle.c_str(), subtitle);
  } else {
    worksheet_write_string(ws, 0, 0, t.title.c_str(), title);
    worksheet_write_string(ws, 1, 0, t.subtitle.c_str(), subtitle);
  }
  worksheet_set_row(ws, 0, 24, nullptr);
  constexpr lxw_row_t kHeaderRow = 2;
  std::vector<double> widths(t.columns.size(), 8);
  double header_lines = 1;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    worksheet_write_string(ws, kHeaderRow, static_cast<lxw_col_t>(c), t.columns[c].header.c_str(),
                           header);
    // Long indicator names wrap in the header rather than widen the column past 14 characters;
    // spreadsheets do not grow a row for wrapped text written this way, so the row is set high
    // enough for the longest header.
    double w = DisplayWidth(t.columns[c].header);
    widths[c] = std::max(widths[c], std::min(14.0, w / 2 + 2));
    header_lines = std::max(header_lines, std::ceil(w / (widths[c] - 1)));
  }
  worksheet_set_row(ws, kHeaderRow, 15 * header_lines + 3, nullptr);
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    bool target_row = r + 1 == t.rows.size();
    auto row = static_cast<lxw_row_t>(kHeaderRow + 1 + r);
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const ReportCell& cell = t.rows[r][c];
      auto col = static_cast<lxw_col_t>(c);
      if (c < widths.size()) {
        widths[c] = std::max(widths[c], std::min(40.0, DisplayWidth(cell.text) + 2));
      }
      if (cell.number) {
        lxw_format* f = formats.Cell(cell.format, cell.met, target_row, false);
        worksheet_write_number(ws, row, col, *cell.number, f);
      } else {
        // Strings only: nothing a unit's name holds can become a formula.
        bool unit_column = c < t.columns.size() && (t.columns[c].role == ColumnRole::kUnitCode ||
                                                    t.columns[c].role == ColumnRole::kUnitName);
        lxw_format* f = formats.Cell(CellFormat::kText, cell.met, target_row, !unit_column);
        worksheet_write_string(ws, row, col, cell.text.c_str(), f);
      }
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                         nullptr);
  }
  worksheet_freeze_panes(ws, kHeaderRow + 1, 2);
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_repeat_rows(ws, kHeaderRow, kHeaderRow);
}

void WriteDefinitionsSheet(lxw_workbook* wb, const ReportTable& t) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "指标说明");
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_bg_color(header, 0xDDEBF7);
  lxw_format* body = workbook_add_format(wb);
  format_set_text_wrap(body);
  format_set_border(body, LXW_BORDER_THIN);
  format_set_align(body, LXW_ALIGN_VERTICAL_TOP);
  std::vector<double> widths;
  for (std::size_t r = 0; r < t.definitions.size(); ++r) {
    for (std::size_t c = 0; c < t.definitions[r].size(); ++c) {
      if (widths.size() <= c) widths.resize(c + 1, 8);
      widths[c] = std::max(widths[c], std::min(30.0, DisplayWidth(t.definitions[r][c]) + 2));
      worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                             t.definitions[r][c].c_str(), r == 0 ? header : body);
    }
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                         nullptr);
  }
  if (!t.definitions.empty()) {
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
  }
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
}

Status Unwritable(const std::string& why) {
  return Status::Unavailable("cannot write the workbook: " + why, "无法生成 XLSX 文件");
}

}  // namespace

Status WriteReportXlsxFile(const ReportTable& table, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Unwritable(path);
  lxw_doc_properties props{};
  props.title = const_cast<char*>(table.title.c_str());
  workbook_set_properties(wb, &props);
  WriteTableSheet(wb, table);
  WriteDefinitionsSheet(wb, table);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Unwritable(lxw_strerror(err));
  return Status::Ok();
}

Result<std::string> WriteReportXlsx(const ReportTable& table) {
  return BytesViaTempFile(
      "jundeng-report", [&](const std::string& path) { return WriteReportXlsxFile(table, path); });
}

}  // namespace jd::kpi
