// File: registry/person_csv.h
// The CSV form of persons, for `jundeng import persons FILE` and `jundeng export persons`. Each
// column is one field of the JSON form of person_json.h, named in the header row either by that
// JSON name ("id_number", ASCII case ignored) or by a Chinese name ("证件号码"; some fields have
// several, e.g. "身份证号"). A leading or trailing '*' (the "required" mark of many templates) is
// ignored, as is surrounding white space. Pure functions, thread-safe.
//
// MapHeader(header): the column → field map of a header row. Errors (Status::Invalid, every problem
//   listed): "unknown_column" (field = the column as written), "duplicate_column" (a field named
//   twice, also under two names), "missing_column" (field = the JSON name) for each of name,
//   id_number, hukou_division, residence_org, arrived_on, move_reason. A column with an empty
//   header (left behind by spreadsheets) is allowed and ignored, as long as its cells are empty.
// RowToPersonJson(header, row, errors): the JSON object PersonFromJson takes, from one data row.
//   Cells are trimmed (including U+3000 full-width spaces); empty cells are left out. Chinese
//   labels become codes (sex 男/女 or GB/T 2261.1 "1"/"2", id_type, move_reason, marital_status,
//   ethnicity names); dates written as 2024/3/1, 2024.3.1, 20240301 or 2024年3月1日 (a time after
//   the date, as some spreadsheets add, is dropped) become "YYYY-MM-DD". Problems are appended to
//   `errors`, each naming the column as it appears in the file's header: "wrong_cell_count" (field
//   "", the row is not read further), "invalid_value" (an unknown label), "invalid_date",
//   "spreadsheet_number" (an ID number a spreadsheet turned into a number such as 4.50103E+17),
//   "value_in_unnamed_column". A cell with a problem is left out of the result. Other checks are
//   PersonFromJson's and ValidatePerson's; PersonCsvHeader::ColumnFor maps their field names back
//   to the file's columns.
// ExportHeaderZh(): the Chinese header of an export, one column per field, in the order above;
//   MapHeader accepts it, so an export can be imported again.
// PersonJsonToExportRow(person): the cells of one person in ExportHeaderZh's order, from the JSON
// of
//   PersonToJson (a masked one exports the masked id_number and phone). Codes become Chinese labels
//   ("work" → "务工", "01" → "汉族"); unknown codes and other values are written as they are,
//   absent and null ones as "".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd::registry {

struct PersonCsvHeader {
  // Per column of the file: the JSON field it holds ("" for an ignored column without a name) and
  // its header as written (trimmed).
  std::vector<std::string> fields;
  std::vector<std::string> columns;

  // The column holding JSON field `field` as written in the file, or `field` itself when the file
  // has no such column (so an error about a field can always be reported).
  std::string ColumnFor(std::string_view field) const;
};

Result<PersonCsvHeader> MapHeader(const std::vector<std::string>& header);

nlohmann::json RowToPersonJson(const PersonCsvHeader& header, const std::vector<std::string>& row,
                               std::vector<FieldError>& errors);

std::vector<std::string> ExportHeaderZh();

std::vector<std::string> PersonJsonToExportRow(const nlohmann::json& person);

}  // namespace jd::registry
