// File: immunization/xlsx_writer.h
// A one-sheet workbook (.xlsx) of text cells with a bold header row, for the reports health
// workers hand to kindergartens and schools (libxlsxwriter). Every cell is written as a string:
// nothing a child's name holds can become a formula.
//
// WriteXlsx(sheet_name, rows): the workbook's bytes; rows[0] is the header. libxlsxwriter writes
//   to a file, so the workbook passes through a private temporary file (under $TMPDIR or /tmp),
//   removed before returning. Fails with kUnavailable when it cannot be written.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace jd::immunization {

Result<std::string> WriteXlsx(const std::string& sheet_name,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace jd::immunization
