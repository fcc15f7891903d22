// Fuzz target: the CSV reader (core/csv.h) and the persons CSV import built on it
// (registry/person_csv.h), on arbitrary bytes as an upload would bring them.
// Properties checked beyond "no crash, no sanitizer report":
// - reading stops with OK or with exactly one of the two documented error codes;
// - every record read back from what CsvWriter wrote of the records is the same record
//   (round trip), when the input was read without error.
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/text.h"
#include "fuzz_support.h"
#include "registry/person_csv.h"
#include "registry/person_json.h"

namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text, jd::Status& status) {
  jd::CsvReader reader(text);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  while (reader.Next(fields)) {
    JD_FUZZ_CHECK(reader.line() >= 1);
    records.push_back(fields);
  }
  status = reader.status();
  return records;
}

void ImportPersons(const std::vector<std::vector<std::string>>& records) {
  if (records.empty()) return;
  auto header = jd::registry::MapHeader(records[0]);
  if (!header.ok()) {
    JD_FUZZ_CHECK(!header.status().field_errors().empty());
    return;
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    std::vector<jd::FieldError> errors;
    nlohmann::json person = jd::registry::RowToPersonJson(*header, records[i], errors);
    jd::FieldErrors person_errors;
    (void)jd::registry::PersonFromJson(person, person_errors);
    for (const auto& e : errors) (void)header->ColumnFor(e.field);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = jd::fuzz::AsText(data, size);
  // An upload is decoded first (UTF-8 or GB18030), as the import does.
  auto decoded = jd::DecodeToUtf8(bytes);
  if (decoded.ok()) JD_FUZZ_CHECK(jd::IsValidUtf8(decoded->first));

  // The reader itself takes any bytes.
  jd::Status status;
  const auto records = ReadAll(bytes, status);
  if (!status.ok()) {
    JD_FUZZ_CHECK(status.field_errors().size() == 1);
    const std::string& code = status.field_errors()[0].code;
    JD_FUZZ_CHECK(code == "csv_unterminated_quote" || code == "csv_malformed_quote");
    return 0;
  }

  // Round trip. The writer puts a BOM first so that a first field that itself starts with one
  // survives the reader's BOM skipping.
  std::ostringstream out;
  jd::CsvWriter writer(out, {.bom = jd::CsvBom::kUtf8, .formula_guard = jd::FormulaGuard::kOff});
  for (const auto& r : records) writer.Row(r);
  jd::Status again_status;
  const auto again = ReadAll(out.str(), again_status);
  JD_FUZZ_CHECK(again_status.ok());
  JD_FUZZ_CHECK(again == records);

  if (decoded.ok()) {
    jd::Status decoded_status;
    const auto decoded_records = ReadAll(decoded->first, decoded_status);
    if (decoded_status.ok()) ImportPersons(decoded_records);
  }
  return 0;
}
