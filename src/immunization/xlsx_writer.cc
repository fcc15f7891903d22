#include "immunization/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

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

// Column width in characters from the longest cell (a CJK character is two wide).
double WidthOf(const std::string& s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += n >= 3 ? 2 : 1;
    i += n;
  }
  return w;
}

}  // namespace

Result<std::string> WriteXlsx(const std::string& sheet_name,
                              const std::vector<std::vector<std::string>>& rows) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/jundeng-xlsx-XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return Status::Unavailable("cannot create a temporary file", "无法创建临时文件");
  close(fd);
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    unlink(path.c_str());
    return Status::Unavailable("cannot create the workbook", "无法生成 XLSX 文件");
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, SafeSheetName(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::vector<double> widths;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (widths.size() <= c) widths.resize(c + 1, 6);
      widths[c] = std::max(widths[c], std::min(60.0, WidthOf(rows[r][c]) + 2));
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
  std::string bytes;
  if (err == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  unlink(path.c_str());
  if (err != LXW_NO_ERROR || bytes.empty()) {
    return Status::Unavailable(std::string("cannot write the workbook: ") + lxw_strerror(err),
                               "无法生成 XLSX 文件");
  }
  return bytes;
}

}  // namespace jd::immunization
