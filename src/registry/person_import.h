// File: registry/person_import.h
// Reads a persons CSV file (UTF-8 with or without BOM, or GB18030; Chinese or English header) as an
// ImportSource for RegistryService::ImportPersons, a chunk of rows at a time. Shared by the
// command line, the API and benchmarks, so they all accept exactly the same files.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/status.h"
#include "registry/person_csv.h"
#include "registry/registry_service.h"

namespace jd::registry {

class PersonFileSource final : public ImportSource {
 public:
  // A non-OK status when the file cannot be read at all: undecodable bytes, no header, unknown,
  // duplicate or missing columns. Rows are decoded later, by Next.
  static Result<std::unique_ptr<PersonFileSource>> Open(std::string bytes);
  ~PersonFileSource() override;

  bool Next(std::vector<ImportRow>& out, std::size_t max) override;
  std::vector<ImportRowError> InputErrors() const override { return input_errors_; }
  double Fraction() const override;
  std::string ColumnName(const std::string& field) const override {
    return header_.ColumnFor(field);
  }

  // Every remaining row at once (small files, tests).
  std::vector<ImportRow> ReadAll();

 private:
  PersonFileSource() = default;
  std::string text_;
  std::unique_ptr<CsvReader> reader_;
  PersonCsvHeader header_;
  std::vector<ImportRowError> input_errors_;
  std::vector<std::string> fields_;
  std::int64_t row_no_ = 0;
  std::int64_t total_lines_ = 1;
  bool done_ = false;
};

}  // namespace jd::registry
