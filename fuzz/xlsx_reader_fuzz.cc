// Fuzz target: the XLSX roster reader (immunization/xlsx_reader.h) on arbitrary bytes, as an
// uploaded kindergarten roster would bring them, and the date serials read from its cells.
// Properties checked beyond "no crash, no sanitizer report":
// - a failure is Status::Invalid with one of the documented codes;
// - a sheet read stays within the limits given; a serial date is within the documented range.
#include "fuzz_support.h"
#include "immunization/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jd::immunization;
  const std::string_view bytes = jd::fuzz::AsText(data, size);
  // Small limits, so that the fuzzer also reaches the limit checks and a decompression bomb costs
  // little.
  const XlsxLimits limits{.max_part_bytes = 1u << 20, .max_rows = 200, .max_columns = 40};
  auto sheet = ReadXlsxFirstSheet(bytes, limits);
  if (!sheet.ok()) {
    JD_FUZZ_CHECK(sheet.status().code() == jd::StatusCode::kInvalidArgument);
    JD_FUZZ_CHECK(!sheet.status().field_errors().empty());
    const std::string& code = sheet.status().field_errors()[0].code;
    JD_FUZZ_CHECK(code == "xlsx_not_zip" || code == "xlsx_missing_part" || code == "xlsx_bad_xml" ||
                  code == "xlsx_too_large");
  } else {
    JD_FUZZ_CHECK(sheet->rows.size() <= limits.max_rows);
    for (const auto& row : sheet->rows) {
      JD_FUZZ_CHECK(row.size() <= limits.max_columns);
      for (const auto& cell : row) {
        if (auto d = ExcelSerialToDate(cell)) (void)jd::FormatDate(*d);
      }
    }
  }
  // The serial parser on the raw text as well (short inputs only: it reads one cell's text).
  if (size <= 64) {
    if (auto d = ExcelSerialToDate(bytes)) {
      JD_FUZZ_CHECK(*d >= *jd::ParseDate("1899-12-31") && *d <= *jd::ParseDate("9999-12-31"));
    }
  }
  return 0;
}
