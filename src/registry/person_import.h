// File: registry/person_import.h
// Turns a persons CSV file (UTF-8 with or without BOM, or GB18030; Chinese or English header) into
// import rows for RegistryService::ImportPersons. Shared by the command line, the API and
// benchmarks, so they all accept exactly the same files.
#pragma once

#include <string_view>
#include <vector>

#include "core/status.h"
#include "registry/registry_service.h"

namespace jd::registry {

struct ParsedPersonFile {
  std::vector<ImportRow> rows;
  // Problems with the file itself after the header (e.g. an unterminated quote), by row.
  std::vector<ImportRowError> file_errors;
};

// A non-OK status when the file cannot be read at all (undecodable bytes, no header, unknown or
// missing columns); otherwise every data row, each with its own decoding errors.
Result<ParsedPersonFile> ParsePersonFile(std::string_view bytes);

}  // namespace jd::registry
