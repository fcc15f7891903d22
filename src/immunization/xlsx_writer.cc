#include "immunization/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>

#include "core/temp_file.h"
#include "core/text.h"

namespace jd::immunization {

namespace {

// Sheet names hold at most 31 characters and none of []:*?/\ (ECMA-376 §18.2.19); the name is
// ours, so a bad one is a bug.
std::string SafeSheetName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string_view("[]:*?/\\").find(c) == std::string_view::npos) out += c;
  }
  if (out.empty()) out = "Sheet1";
  return out;
}

}  // namespace

Result<std::string> WriteXlsx(const std::string& sheet_name,
                              const std::vector<std::vector<std::string>>& rows) {
  return BytesViaTempFile("jundeng-xlsx", [&](const std::string& path) -> Status {
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) return Status::Unavailable("cannot create the workbook", "无法生成 XLSX 文件");
    lxw_worksheet* ws = workbook_add_worksheet(wb, SafeSheetName(sheet_name).c_str());
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    std::vector<double> widths;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        if (widths.size() <= c) widths.resize(c + 1, 6);
        widths[c] = std::max(widths[c], std::min(60.0, DisplayWidth(rows[r][c]) + 2));
        if (rows[r][c].empty()) continue;
        worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c),
                               rows[r][c].c_str(), r == 0 ? bold : nullptr);
      }
    }
    for (std::size_t c = 0; c < widths.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c],
                           nullptr);
    }
    if (!rows.empty()) worksheet_freeze_panes(ws, 1, 0);
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
      return Status::Unavailable(std::string("cannot write the workbook: ") + lxw_strerror(err),
                                 "无法生成 XLSX 文件");
    }
    return Status::Ok();
  });
}

}  // namespace jd::immunization
