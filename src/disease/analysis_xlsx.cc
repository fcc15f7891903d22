#include "disease/analysis_xlsx.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <map>

#include "core/temp_file.h"
#include "core/text.h"

namespace jd::disease {

namespace {

SheetCell Text(std::string s, bool bold = false, bool alert = false) {
  return SheetCell{.text = std::move(s), .bold = bold, .alert = alert};
}

SheetCell Number(double x, int decimals = 0, bool bold = false, bool alert = false) {
  return SheetCell{.number = x, .decimals = decimals, .bold = bold, .alert = alert};
}

SheetCell Maybe(std::optional<double> x, int decimals) {
  return x ? Number(*x, decimals) : SheetCell{};
}

std::string NameZh(const DiseaseCatalogue& catalogue, const std::string& code) {
  if (code.empty()) return "其他病种";
  std::string name = DiseaseNames(catalogue, code).first;
  return name.empty() ? code : name;
}

// "细菌性和阿米巴性痢疾 9，手足口病 3".
std::string Breakdown(const DiseaseCatalogue& catalogue,
                      const std::vector<std::pair<std::string, int>>& diseases) {
  std::string out;
  for (const auto& [code, n] : diseases) {
    out += fmt::format("{}{} {}", out.empty() ? "" : "，", NameZh(catalogue, code), n);
  }
  return out;
}

std::string Window(const DateWindow& w) { return FormatDate(w.first) + "至" + FormatDate(w.last); }

std::string Title(const Analysis& a, const std::string& what) {
  return fmt::format("{} {} {}", a.area_name, what, a.windows.period.LabelZh());
}

std::string Counted(const Analysis& a) {
  std::string s = "按报告日期统计：" + Window(a.windows.current);
  if (a.windows.partial) s += "（统计期未结束，截至当日）";
  return s;
}

std::string ScopeText(const Analysis& a, const DiseaseCatalogue& catalogue) {
  return a.disease_filter.empty() ? "全部法定传染病" : NameZh(catalogue, a.disease_filter);
}

void AddComparison(std::vector<SheetCell>& row, const Comparison& c, bool bold = false) {
  row.push_back(Number(c.cases, 0, bold));
  row.push_back(Maybe(c.change_pct, 1));
}

AnalysisSheet Overview(const Analysis& a, const DiseaseCatalogue& catalogue) {
  AnalysisSheet s{.name = "概况", .title = Title(a, "传染病疫情分析")};
  s.subtitle = fmt::format("{}；{}；上期：{}；去年同期：{}", ScopeText(a, catalogue), Counted(a),
                           Window(a.windows.previous), Window(a.windows.year_before));
  s.header = {"疾病",       "类别",    "病例数",         "其中流动人口病例", "死亡数",
              "上期病例数", "环比(%)", "去年同期病例数", "同比(%)",          "备注"};
  std::vector<SheetCell> total = {Text("合计", true), Text(""), Number(a.cases, 0, true),
                                  Number(a.migrant_cases, 0, true), Number(a.deaths, 0, true)};
  AddComparison(total, a.previous, true);
  AddComparison(total, a.year_before, true);
  total.push_back(Text(""));
  s.rows.push_back(std::move(total));
  for (const ClassRow& c : a.classes) {
    std::vector<SheetCell> row = {Text(DiseaseClassZh(c.disease_class) + "传染病", true),
                                  Text(DiseaseClassZh(c.disease_class)), Number(c.cases), Text(""),
                                  Number(c.deaths)};
    AddComparison(row, c.previous);
    AddComparison(row, c.year_before);
    row.push_back(Text(""));
    s.rows.push_back(std::move(row));
  }
  for (const DiseaseRow& d : a.diseases) {
    std::vector<SheetCell> row = {Text(d.name_zh.empty() ? d.code : d.name_zh),
                                  Text(DiseaseClassZh(d.disease_class)), Number(d.cases),
                                  Number(d.migrant_cases), Number(d.deaths)};
    AddComparison(row, d.previous);
    AddComparison(row, d.year_before);
    row.push_back(Text(d.detail_withheld ? "只计总数，不分地区、职业、场所" : ""));
    s.rows.push_back(std::move(row));
  }
  return s;
}

void AddAreaRow(AnalysisSheet& s, const AreaRow& r, const std::string& name, bool bold) {
  std::vector<SheetCell> row = {Text(r.code, bold), Text(name, bold)};
  row.push_back(r.migrants ? Number(static_cast<double>(*r.migrants), 0, bold) : SheetCell{});
  row.push_back(Number(r.total.cases, 0, bold));
  row.push_back(Number(r.total.migrant_cases, 0, bold));
  row.push_back(Maybe(r.total.incidence, 2));
  for (const AreaCell& c : r.cells) {
    row.push_back(Number(c.cases, 0, bold));
    row.push_back(Maybe(c.incidence, 2));
  }
  s.rows.push_back(std::move(row));
}

AnalysisSheet Areas(const Analysis& a, const DiseaseCatalogue& catalogue) {
  AnalysisSheet s{.name = "地区", .title = Title(a, "各地区传染病发病")};
  s.subtitle = fmt::format("{}；{}；发病率 = 流动人口病例数 ÷ 流动人口数 × 10万（本期，未年化）",
                           ScopeText(a, catalogue), Counted(a));
  s.header = {"地区代码", "地区",           "流动人口数",
              "病例数",   "流动人口病例数", "流动人口发病率(1/10万)"};
  s.shaded_columns.push_back(5);
  for (const std::string& code : a.areas.diseases) {
    s.header.push_back(NameZh(catalogue, code) + "病例数");
    s.header.push_back(NameZh(catalogue, code) + "发病率(1/10万)");
    s.shaded_columns.push_back(s.header.size() - 1);
  }
  for (const AreaRow& r : a.areas.rows) {
    AddAreaRow(s, r, r.own_level ? r.name + "（未细分到下级单位）" : r.name, false);
  }
  AddAreaRow(s, a.areas.total, "合计（" + a.areas.total.name + "）", true);
  return s;
}

AnalysisSheet Occupations(const Analysis& a, const DiseaseCatalogue& catalogue) {
  AnalysisSheet s{.name = "职业", .title = Title(a, "传染病病例人群分类")};
  s.subtitle = fmt::format("{}；{}；人群分类按报告卡填写", ScopeText(a, catalogue), Counted(a));
  s.header = {"人群分类", "病例数", "构成比(%)", "病种构成"};
  for (const OccupationRow& o : a.occupations) {
    s.rows.push_back({Text(o.occupation), Number(o.cases), Number(o.share_pct, 1),
                      Text(Breakdown(catalogue, o.diseases))});
  }
  return s;
}

AnalysisSheet Sites(const Analysis& a, const DiseaseCatalogue& catalogue) {
  AnalysisSheet s{.name = "工作场所", .title = Title(a, "流动人口密集场所传染病病例")};
  s.subtitle = fmt::format("{}；{}；共 {} 个场所，其中 {} 个同一病种≥{}例（标记），列出 {} 个",
                           ScopeText(a, catalogue), Counted(a), a.sites_total, a.marked_sites,
                           kSiteMarkCases, a.sites.size());
  s.header = {"场所类别", "场所名称", "病例数", "病种构成", "标记"};
  for (const SiteRow& r : a.sites) {
    std::string mark;
    for (const std::string& code : r.marked_diseases) {
      mark += (mark.empty() ? "" : "，") + NameZh(catalogue, code);
    }
    if (!mark.empty()) mark = fmt::format("同一病种≥{}例：{}", kSiteMarkCases, mark);
    const bool m = r.marked();
    s.rows.push_back({Text(WorkSiteKindZh(r.kind), false, m), Text(r.name, m, m),
                      Number(r.cases, 0, m, m), Text(Breakdown(catalogue, r.diseases), false, m),
                      Text(mark, m, m)});
  }
  return s;
}

AnalysisSheet Curve(const Analysis& a, const DiseaseCatalogue& catalogue) {
  AnalysisSheet s{.name = "流行曲线", .title = Title(a, "传染病流行曲线")};
  s.subtitle = fmt::format("{}；按发病日期：{}（统计期及此前{}周），统计期末以前报告的病例",
                           ScopeText(a, catalogue), Window(a.curve.window), kCurveWeeksBefore);
  s.header = {"发病日期"};
  for (const CurveSeries& c : a.curve.series) s.header.push_back(NameZh(catalogue, c.disease));
  s.header.push_back("合计");
  for (std::size_t d = 0; d < a.curve.total.size(); ++d) {
    std::vector<SheetCell> row = {
        Text(FormatDate(AddDays(a.curve.window.first, static_cast<int>(d))))};
    for (const CurveSeries& c : a.curve.series) row.push_back(Number(c.counts[d]));
    row.push_back(Number(a.curve.total[d], 0, true));
    s.rows.push_back(std::move(row));
  }
  return s;
}

AnalysisSheet Definitions(const Analysis& a) {
  AnalysisSheet s{.name = "说明"};
  s.header = {"项目", "说明"};
  const std::vector<std::pair<std::string, std::string>> notes = {
      {"统计范围", a.area_name + "（" + a.area_code +
                       "）辖区现住址的有效报告卡：已删除的卡不计，合并的重复报告只计保留的一张，"
                       "订正过的卡按订正后的内容计"},
      {"统计期", a.windows.period.LabelZh() + "，按报告日期（北京时间）归入统计期；" +
                     (a.windows.partial ? "统计期未结束，计至 " + FormatDate(a.windows.through) +
                                              "，上期和去年同期取相同天数"
                                        : std::string("统计期已结束"))},
      {"环比", "与上一统计期（" + Window(a.windows.previous) +
                   "）比较：(本期 − 上期) ÷ 上期 × 100%，上期为 0 时不计算"},
      {"同比", "与去年同期（" + Window(a.windows.year_before) +
                   "，周为上一年同一 ISO 周次，月为上一年同月）比较，算法同环比"},
      {"死亡数", "本期报告的病例中填有死亡日期的人数"},
      {"流动人口病例", "报告卡“病人属于”为本省其他地市或外省（户籍不在本市，实施办法 §三(一)）"},
      {"发病率", "流动人口病例数 ÷ 该地区流动人口数 × 100,000，为本期发病率，未年化；流动人口数为" +
                     (a.migrants_on ? FormatDate(*a.migrants_on) : std::string("统计期末")) +
                     "当月登记的流动人口（REG_FLOATING），无此数时不计算"},
      {"工作场所",
       fmt::format("按报告卡的工作场所类别和名称（忽略空格和标点）归并；同一场所同一病种本期"
                   "≥{}例的标记（与预警的工作场所聚集规则同一阈值）",
                   kSiteMarkCases)},
      {"流行曲线",
       fmt::format("按发病日期，统计期及此前{}周，统计期末以前报告的病例；列出病例最多的"
                   "病种，其余合为“其他病种”",
                   kCurveWeeksBefore)},
      {"艾滋病、肺结核", a.withheld.empty()
                             ? std::string("与其他病种同样统计")
                             : std::string("无艾滋病和结核病诊疗权限的用户只看到总数（概况表），"
                                           "不分地区、职业、场所和发病日期")},
  };
  for (const auto& [item, text] : notes) s.rows.push_back({Text(item), Text(text)});
  return s;
}

// The formats of one workbook, made once each: [bold][alert][0, 1, 2 decimals or 3 for text].
struct Formats {
  explicit Formats(lxw_workbook* wb) {
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_text_wrap(header);
    format_set_border(header, LXW_BORDER_THIN);
    format_set_bg_color(header, 0xDDEBF7);
    format_set_align(header, LXW_ALIGN_CENTER);
    format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    static constexpr const char* kNumbers[] = {"0", "0.0", "0.00"};
    for (int bold = 0; bold < 2; ++bold) {
      for (int alert = 0; alert < 2; ++alert) {
        for (int kind = 0; kind < 4; ++kind) {
          lxw_format* f = workbook_add_format(wb);
          format_set_border(f, LXW_BORDER_THIN);
          if (kind < 3) format_set_num_format(f, kNumbers[kind]);
          if (bold) format_set_bold(f);
          if (alert) {  // the spreadsheet's own "bad" colours
            format_set_bg_color(f, 0xFFC7CE);
            format_set_font_color(f, 0x9C0006);
          }
          cell[bold][alert][kind] = f;
        }
      }
    }
  }
  lxw_format* Of(const SheetCell& c) const {
    return cell[c.bold ? 1 : 0][c.alert ? 1 : 0][c.number ? std::clamp(c.decimals, 0, 2) : 3];
  }
  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* cell[2][2][4] = {};
};

void WriteSheet(lxw_workbook* wb, Formats& f, const AnalysisSheet& s) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
  lxw_row_t row = 0;
  if (!s.title.empty()) {
    worksheet_write_string(ws, row++, 0, s.title.c_str(), f.title);
    worksheet_write_string(ws, row++, 0, s.subtitle.c_str(), nullptr);
  }
  const lxw_row_t header_row = row;
  std::vector<double> widths(s.header.size(), 8);
  for (std::size_t c = 0; c < s.header.size(); ++c) {
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), s.header[c].c_str(), f.header);
    widths[c] = std::max(widths[c], std::min(16.0, DisplayWidth(s.header[c]) / 2 + 2));
  }
  worksheet_set_row(ws, row++, 32, nullptr);
  for (const auto& cells : s.rows) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const SheetCell& cell = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (cell.number) {
        worksheet_write_number(ws, row, col, *cell.number, f.Of(cell));
      } else {
        // Strings only: nothing a site's name holds can become a formula.
        worksheet_write_string(ws, row, col, cell.text.c_str(), f.Of(cell));
      }
      if (c < widths.size()) {
        widths[c] = std::max(widths[c], std::min(60.0, DisplayWidth(cell.text) + 2));
      }
    }
    ++row;
  }
  for (std::size_t c = 0; c < widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                         nullptr);
  }
  if (s.rows.size() > 1) {
    for (std::size_t c : s.shaded_columns) {
      lxw_conditional_format scale{};
      scale.type = LXW_CONDITIONAL_2_COLOR_SCALE;
      scale.min_color = 0xFFFFFF;
      scale.max_color = 0xF8696B;
      const auto col = static_cast<lxw_col_t>(c);
      // The areas' rows only: the total would flatten the scale.
      worksheet_conditional_format_range(ws, header_row + 1, col,
                                         header_row + static_cast<lxw_row_t>(s.rows.size()) - 1,
                                         col, &scale);
    }
  }
  worksheet_freeze_panes(ws, header_row + 1, s.title.empty() ? 0 : 2);
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
}

}  // namespace

std::string WorkSiteKindZh(WorkSiteKind kind) {
  switch (kind) {
    case WorkSiteKind::kConstructionSite:
      return "建筑工地";
    case WorkSiteKind::kFactory:
      return "工厂/企业";
    case WorkSiteKind::kMarket:
      return "农贸市场";
    case WorkSiteKind::kDormitory:
      return "集体宿舍";
    case WorkSiteKind::kOther:
    case WorkSiteKind::kNone:
      break;
  }
  return "其他场所";
}

std::string DiseaseClassZh(DiseaseClass c) {
  switch (c) {
    case DiseaseClass::kA:
      return "甲类";
    case DiseaseClass::kB:
      return "乙类";
    case DiseaseClass::kC:
      break;
  }
  return "丙类";
}

std::vector<AnalysisSheet> AnalysisSheets(const Analysis& a, const DiseaseCatalogue& catalogue) {
  return {Overview(a, catalogue), Areas(a, catalogue), Occupations(a, catalogue),
          Sites(a, catalogue),    Curve(a, catalogue), Definitions(a)};
}

Result<std::string> WriteAnalysisXlsx(const Analysis& a, const DiseaseCatalogue& catalogue) {
  const std::vector<AnalysisSheet> sheets = AnalysisSheets(a, catalogue);
  return BytesViaTempFile("jundeng-analysis", [&](const std::string& path) -> Status {
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) return Status::Unavailable("cannot create the workbook", "无法生成 XLSX 文件");
    const std::string title = sheets.front().title;
    lxw_doc_properties props{};
    props.title = const_cast<char*>(title.c_str());
    workbook_set_properties(wb, &props);
    Formats formats(wb);
    for (const AnalysisSheet& s : sheets) WriteSheet(wb, formats, s);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
      return Status::Unavailable(std::string("cannot write the workbook: ") + lxw_strerror(err),
                                 "无法生成 XLSX 文件");
    }
    return Status::Ok();
  });
}

}  // namespace jd::disease
