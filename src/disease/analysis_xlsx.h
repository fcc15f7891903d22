// File: disease/analysis_xlsx.h
// The periodic infectious-disease analysis (disease/analysis.h) as a workbook, the form in which
// the area's analysis is fed back and bulletined (南宁市实施办法 §四(六) 定期分析、反馈和通报).
//
// AnalysisSheets(analysis, catalogue): the sheets as data, in order — 概况 (totals, 甲/乙/丙类 and
//   each disease: cases, migrant cases, deaths, the previous period and 环比 %, the year before
//   and 同比 %), 地区 (a row per unit under the area and a 合计 row: migrants, cases, migrant cases
//   and their incidence per 100,000 migrants, then cases and incidence of each disease), 职业,
//   工作场所 (marked sites flagged, ≥ 3 cases of one disease), 流行曲线 (a row per onset day, a
//   column per series and the total) and 说明 (what each figure means and which date counts).
//   Every sheet but 说明 starts with a title naming the area and the period, a line with the
//   windows counted, and a header row. Counts, percentages and rates are numbers (an empty cell
//   where there is none: a change against 0, an unknown population).
// WriteAnalysisXlsx(analysis, catalogue): the workbook's bytes (libxlsxwriter through a private
//   temporary file, core/temp_file.h); the 地区 sheet's incidences are shaded by a colour scale.
//   kUnavailable when it cannot be written.
// Pure apart from the temporary file; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "disease/analysis.h"
#include "disease/catalogue.h"

namespace jd::disease {

struct SheetCell {
  std::string text;              // what a text cell shows
  std::optional<double> number;  // a number cell; with neither, an empty cell
  int decimals = 0;              // shown with this many decimals
  bool bold = false;             // totals
  bool alert = false;            // marked sites (the spreadsheet's red)
};

struct AnalysisSheet {
  std::string name;      // the tab: 概况, 地区, 职业, 工作场所, 流行曲线, 说明
  std::string title;     // "南宁市 传染病疫情分析 2026年第45周（…）"
  std::string subtitle;  // the windows counted
  std::vector<std::string> header;
  std::vector<std::vector<SheetCell>> rows;
  // Columns (0-based) holding incidences, shaded by a colour scale in the workbook.
  std::vector<std::size_t> shaded_columns;
};

std::vector<AnalysisSheet> AnalysisSheets(const Analysis& a, const DiseaseCatalogue& catalogue);
Result<std::string> WriteAnalysisXlsx(const Analysis& a, const DiseaseCatalogue& catalogue);

// 建筑工地, 工厂/企业, 农贸市场, 集体宿舍, 其他场所.
std::string WorkSiteKindZh(WorkSiteKind kind);
// 甲类, 乙类, 丙类.
std::string DiseaseClassZh(DiseaseClass c);

}  // namespace jd::disease
