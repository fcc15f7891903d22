#include "registry/person_import.h"

#include <algorithm>

#include "core/text.h"

namespace jd::registry {

Result<std::unique_ptr<PersonFileSource>> PersonFileSource::Open(std::string bytes) {
  std::unique_ptr<PersonFileSource> src(new PersonFileSource());
  if (IsValidUtf8(bytes)) {
    src->text_ = StripUtf8Bom(bytes);
  } else {
    auto decoded = DecodeToUtf8(bytes);
    if (!decoded.ok()) return decoded.status();
    src->text_ = StripUtf8Bom(decoded->first);
  }
  bytes.clear();
  bytes.shrink_to_fit();
  src->total_lines_ = std::count(src->text_.begin(), src->text_.end(), '\n') + 1;
  src->reader_ = std::make_unique<CsvReader>(src->text_);
  if (!src->reader_->Next(src->fields_)) {
    if (!src->reader_->status().ok()) return src->reader_->status();
    return Status::Invalid(
        {{"", "empty_file", "文件为空或缺少表头", "the file is empty or has no header"}});
  }
  auto header = MapHeader(src->fields_);
  if (!header.ok()) return header.status();
  src->header_ = std::move(header).value();
  return src;
}

PersonFileSource::~PersonFileSource() = default;

bool PersonFileSource::Next(std::vector<ImportRow>& out, std::size_t max) {
  out.clear();
  while (!done_ && out.size() < max) {
    bool more = reader_->Next(fields_);
    if (!reader_->status().ok()) {
      // A broken record (e.g. an unterminated quote) ends the readable part of the file.
      input_errors_.push_back({row_no_ + 1, "", "malformed_csv", reader_->status().message_zh(),
                               reader_->status().message_en()});
      done_ = true;
      break;
    }
    if (!more) {
      done_ = true;
      break;
    }
    ++row_no_;
    if (fields_.size() == 1 && fields_[0].empty()) continue;  // a blank line
    ImportRow r;
    r.row = row_no_;
    r.person = RowToPersonJson(header_, fields_, r.errors);
    out.push_back(std::move(r));
  }
  return !out.empty();
}

double PersonFileSource::Fraction() const {
  if (done_ || text_.empty()) return 1.0;
  // Lines are a fair proxy for bytes in a file of similar rows.
  return std::min(1.0, static_cast<double>(reader_->line()) / static_cast<double>(total_lines_));
}

std::vector<ImportRow> PersonFileSource::ReadAll() {
  std::vector<ImportRow> all, chunk;
  while (Next(chunk, 10000)) {
    for (auto& r : chunk) all.push_back(std::move(r));
  }
  return all;
}

}  // namespace jd::registry
