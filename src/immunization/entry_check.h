// File: immunization/entry_check.h
// 入托入学查验 (试点工作方案 §四(三), 实施办法 §四(五) 三: kindergartens and schools check the
// vaccination certificate of every child they admit; children who missed doses are referred for
// catch-up). Pure rules: reading a roster, matching its children to the registry, and the result
// of each child.
//
// TableFromCsv(bytes): the records of a CSV roster, UTF-8 (with or without BOM) or GB18030.
// TableFromXlsx(bytes): the rows of the first sheet of an XLSX roster (xlsx_reader.h).
// ParseRoster(table, check_date): the first non-blank row is the header; columns are found by
//   their Chinese or English names (RosterColumns() lists them; unknown columns are ignored).
//   Without a name or a birth-date column the whole roster is refused (field = the column,
//   "missing_column"). Each later non-blank row is either kept or rejected with one error per
//   problem (row = data row number, 1 for the row after the header; column = the roster's own
//   header text). Rules: name required (≤ 50 characters); birth date required, as YYYY-MM-DD,
//   YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日 or a spreadsheet date serial, not after the check
//   date and under 18 on it; sex 男/女/M/F when given; an 18- or 15-character 居民身份证 number
//   must pass GB 11643 (registry/id_number.h) and agree with the birth date; other numbers are
//   kept as written; the guardian phone is an 11-digit mobile or a landline with area code
//   (spaces, '-' and +86 dropped); a row with neither an ID number nor a guardian phone cannot be
//   matched ("not_identifiable").
// ChooseMatch(row, by_id, by_name_birth): the registry match of a roster child. Candidates come
//   from the caller's jurisdiction only: `by_id` the persons holding the row's ID number,
//   `by_name_birth` those with the row's name and birth date. One ID holder → matched by ID.
//   Otherwise the name + birth date candidates whose certificate's guardian phone equals the
//   row's: one → matched; several → not found ("ambiguous"); none → not found ("no_match").
// EntryCheckDoses(forecast): the doses the child should already have had by its age and has not:
//   due, overdue or needing a skin test (BCG), in forecast order. Empty → complete.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "immunization/forecast.h"

namespace jd::immunization {

using Table = std::vector<std::vector<std::string>>;

Result<Table> TableFromCsv(std::string_view bytes);
Result<Table> TableFromXlsx(std::string_view bytes);

// The roster's fields and the headers they are recognised by (first: the export's header).
struct RosterColumn {
  std::string_view field;
  std::vector<std::string_view> headers;
};
const std::vector<RosterColumn>& RosterColumns();

struct RosterRow {
  int row = 0;
  std::string name;
  std::string sex;  // "M", "F" or ""
  Date birth{};
  std::string id_number;  // normalised (upper-case, 15 digits upgraded); "" when not given
  std::string guardian_name;
  std::string guardian_phone;  // digits only
  std::string school;
  std::string class_name;
};

struct RosterError {
  int row = 0;
  std::string column;
  std::string code;
  std::string message_zh;
  std::string message_en;
};

struct Roster {
  std::vector<RosterRow> rows;
  std::vector<RosterError> errors;
  int rows_total = 0;    // non-blank data rows
  int rows_invalid = 0;  // rows with at least one error
};

Result<Roster> ParseRoster(const Table& table, Date check_date);

// Digits of a phone number as the certificate stores them; "" when not a valid phone.
std::string NormalizePhone(std::string_view raw);

struct MatchCandidate {
  std::string person_id;
  std::string guardian_phone;  // the certificate's (read through its link), digits; "" without
};

enum class MatchMethod : std::uint8_t { kNone, kIdNumber, kNameBirthPhone };
std::string_view MatchMethodCode(MatchMethod m);  // "", "id_number", "name_birth_phone"

struct MatchOutcome {
  MatchMethod method = MatchMethod::kNone;
  std::string person_id;
  std::string not_found_reason;  // "no_match", "ambiguous" when not matched
};

MatchOutcome ChooseMatch(const RosterRow& row, std::span<const MatchCandidate> by_id,
                         std::span<const MatchCandidate> by_name_birth);

enum class CheckResult : std::uint8_t { kComplete, kNeedsCatchUp, kNotFound };
std::string_view CheckResultCode(CheckResult r);  // "complete", "needs_catch_up", "not_found"
std::string_view CheckResultZh(CheckResult r);    // 完成, 需补种, 未找到

struct CheckDose {
  VaccineId vaccine = 0;
  int dose = 0;
  DoseStatus status = DoseStatus::kDue;
  std::optional<Date> earliest;
};

std::vector<CheckDose> EntryCheckDoses(const Forecast& forecast);

}  // namespace jd::immunization
