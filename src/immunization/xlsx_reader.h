// File: immunization/xlsx_reader.h
// The first worksheet of an Office Open XML workbook (.xlsx, ECMA-376), as rows of text: enough
// to read the rosters kindergartens and schools keep in a spreadsheet. The archive is opened in
// memory with libzip and its parts parsed with expat; nothing is written to disk.
//
// ReadXlsxFirstSheet(bytes, limits): the sheet's cells as text, row by row. Shared strings,
//   inline strings and formula results read as their text; numbers as written in the file
//   (a date cell is its serial number, see ExcelSerialToDate); booleans as "TRUE"/"FALSE".
//   Missing cells inside a row are "" and rows skipped in the file are empty rows, so a row's
//   index + 1 is the spreadsheet's row number. Trailing empty cells are dropped. Fails with
//   Status::Invalid (field "", codes "xlsx_not_zip", "xlsx_missing_part", "xlsx_bad_xml",
//   "xlsx_too_large") when the input is not a workbook or exceeds `limits`.
// ExcelSerialToDate(text): the date of a spreadsheet date serial ("45292" or "45292.5": days
//   since 1899-12-30 in the 1900 date system, whose fictitious 1900-02-29 only shifts serials
//   below 61, which no child's birth date has); nullopt unless a number from 1 to 2958465.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::immunization {

struct XlsxLimits {
  std::size_t max_part_bytes = 64u << 20;  // uncompressed size of any one part read
  std::size_t max_rows = 100000;
  std::size_t max_columns = 256;
};

struct XlsxSheet {
  std::string name;
  std::vector<std::vector<std::string>> rows;
};

Result<XlsxSheet> ReadXlsxFirstSheet(std::string_view bytes, const XlsxLimits& limits = {});

std::optional<Date> ExcelSerialToDate(std::string_view text);

}  // namespace jd::immunization
