// File: core/csv.h
// CSV (RFC 4180) reading and writing on top of libcsv, for imports and exports of tabular data.
//
// CsvReader reads records one at a time from an in-memory UTF-8 buffer (decode uploads with
// DecodeToUtf8 of core/text.h first). Parsing is strict RFC 4180: a field is either unquoted
// (no '"' in it) or wholly enclosed in double quotes, with '"' doubled inside; records end at CRLF,
// LF or a lone CR; quoted fields may contain delimiters and line breaks (kept as they are); spaces
// are field content and are never trimmed. A leading UTF-8 byte-order mark is skipped and blank
// lines between records are skipped. Not thread-safe; the buffer must outlive the reader.
//
//   CsvReader reader(text);
//   std::vector<std::string> fields;
//   while (reader.Next(fields)) { ... reader.line() ... }
//   if (!reader.status().ok()) { ... }
//
// Next(fields): replaces `fields` with the next record and returns true; returns false at the end
//   of the input or when the input is malformed, which status() then tells apart.
// line(): the 1-based physical line on which the record last returned by Next starts (for error
//   reports such as "row at line 17"); after a failure, the line the failure is reported at.
// status(): OK, or Status::Invalid with one FieldError (field "") whose code is
//   "csv_unterminated_quote" (a quoted field never closed; reported at the line its record starts)
//   or "csv_malformed_quote" (a '"' inside an unquoted field, or text after a closing quote;
//   reported at the line where it occurs). Chinese and English messages state the line.
//
// CsvWriter writes records to a stream with CRLF line ends (RFC 4180 §2.1). A field is quoted
// (with libcsv's csv_write) only when it needs to be: when it contains a comma, a quote, CR or LF,
// or starts or ends with a space. Options: a UTF-8 byte-order mark first (Excel on Chinese Windows
// reads a CSV without one as GB18030), and spreadsheet formula defusing, on by default (see
// FormulaGuard). Not thread-safe; the stream must outlive the writer.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace jd {

class CsvReader {
 public:
  explicit CsvReader(std::string_view utf8);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  bool Next(std::vector<std::string>& fields);
  int line() const;
  const Status& status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

enum class CsvBom { kNone, kUtf8 };

// OWASP "CSV Injection": a spreadsheet treats a cell beginning with = + - @ (or a tab or CR) as a
// formula, so an exported name such as "=HYPERLINK(...)" would run when a health worker opens the
// file. kDefuse prefixes such cells with an apostrophe, which spreadsheets show as text. Plain
// numbers ("-12", "+3.5") cannot be formulas and are left alone.
enum class FormulaGuard { kDefuse, kOff };

struct CsvWriterOptions {
  CsvBom bom = CsvBom::kNone;
  FormulaGuard formula_guard = FormulaGuard::kDefuse;
};

class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, CsvWriterOptions options = {});
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Writes one record. The BOM (when asked for) goes before the first record. A record of one
  // empty field is written as "" so that it is not a blank line; a record of no fields is one.
  void Row(const std::vector<std::string>& fields);

 private:
  void Field(std::string_view field);

  std::ostream& out_;
  CsvWriterOptions options_;
  bool started_ = false;
  std::string scratch_;
};

}  // namespace jd
