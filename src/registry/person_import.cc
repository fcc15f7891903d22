#include "registry/person_import.h"

#include "core/csv.h"
#include "core/text.h"
#include "registry/person_csv.h"

namespace jd::registry {

Result<ParsedPersonFile> ParsePersonFile(std::string_view bytes) {
  auto decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) return decoded.status();
  std::string text = StripUtf8Bom(decoded->first);
  decoded->first.clear();
  decoded->first.shrink_to_fit();

  ParsedPersonFile out;
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.Next(fields)) {
    if (!reader.status().ok()) return reader.status();
    return Status::Invalid(
        {{"", "empty_file", "文件为空或缺少表头", "the file is empty or has no header"}});
  }
  auto header = MapHeader(fields);
  if (!header.ok()) return header.status();
  std::int64_t row_no = 0;
  while (true) {
    bool more = reader.Next(fields);
    if (!reader.status().ok()) {
      // A broken record (e.g. an unterminated quote) ends the readable part of the file.
      out.file_errors.push_back({row_no + 1, "", "malformed_csv", reader.status().message_zh(),
                                 reader.status().message_en()});
      break;
    }
    if (!more) break;
    ++row_no;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    ImportRow r;
    r.row = row_no;
    r.person = RowToPersonJson(*header, fields, r.errors);
    out.rows.push_back(std::move(r));
  }
  return out;
}

}  // namespace jd::registry
