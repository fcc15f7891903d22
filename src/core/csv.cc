#include "core/csv.h"

#include <csv.h>  // libcsv (angle brackets: this file's own directory holds a csv.h too)
#include <fmt/format.h>

namespace jd {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// RFC 4180 §2.4: "Spaces are considered part of a field and should not be ignored." libcsv trims
// spaces and tabs around unquoted fields unless told that nothing is a space.
int NothingIsSpace(unsigned char) { return 0; }

// The length of the physical line at the front of `s`, its line break included: up to and
// including the first LF, CRLF or lone CR, or all of `s`.
std::size_t LineLength(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') return i + 1;
    if (s[i] == '\r') return (i + 1 < s.size() && s[i + 1] == '\n') ? i + 2 : i + 1;
  }
  return s.size();
}

bool IsBlankLine(std::string_view line) { return line == "\n" || line == "\r\n" || line == "\r"; }

Status CsvError(std::string code, int line, std::string_view what_zh, std::string_view what_en) {
  return Status::Invalid(
      {FieldError{"", std::move(code), fmt::format("第 {} 行：{}", line, what_zh),
                  fmt::format("line {}: {}", line, what_en)}});
}

}  // namespace

// The reader feeds libcsv one physical line at a time. Every record terminator ends a line, so one
// line completes at most one record, and the line a record starts on is the first non-blank line
// fed while no record was open.
struct CsvReader::Impl {
  csv_parser parser{};
  std::string_view rest;
  int next_line = 1;      // number of the line at the front of `rest`
  int open_record = 0;    // start line of the record being parsed, 0 when none
  int line = 0;           // see CsvReader::line()
  bool finished = false;  // csv_fini called, or failed
  bool record_done = false;
  std::vector<std::string> fields;
  Status status;

  static void OnField(void* s, std::size_t len, void* data) {
    auto* self = static_cast<Impl*>(data);
    // libcsv passes a null pointer for an empty field when it has not yet allocated its buffer.
    if (s == nullptr || len == 0) {
      self->fields.emplace_back();
    } else {
      self->fields.emplace_back(static_cast<const char*>(s), len);
    }
  }
  static void OnRecord(int /*terminator*/, void* data) {
    static_cast<Impl*>(data)->record_done = true;
  }

  void Fail(Status s, int at_line) {
    status = std::move(s);
    line = at_line;
    finished = true;
    open_record = 0;
  }
};

CsvReader::CsvReader(std::string_view utf8) : impl_(std::make_unique<Impl>()) {
  if (utf8.starts_with(kUtf8Bom)) utf8.remove_prefix(kUtf8Bom.size());
  impl_->rest = utf8;
  // CSV_STRICT rejects stray quotes; CSV_STRICT_FINI makes csv_fini report an unclosed quote.
  if (csv_init(&impl_->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    impl_->Fail(Status::Internal("csv_init failed"), 0);
    return;
  }
  csv_set_space_func(&impl_->parser, NothingIsSpace);
}

CsvReader::~CsvReader() { csv_free(&impl_->parser); }

bool CsvReader::Next(std::vector<std::string>& fields) {
  Impl& m = *impl_;
  if (m.finished) return false;
  m.fields.clear();
  m.record_done = false;
  while (!m.rest.empty()) {
    const std::size_t n = LineLength(m.rest);
    const std::string_view chunk = m.rest.substr(0, n);
    const int this_line = m.next_line++;
    m.rest.remove_prefix(n);
    if (m.open_record == 0) {
      if (IsBlankLine(chunk)) continue;
      m.open_record = this_line;
    }
    const std::size_t parsed =
        csv_parse(&m.parser, chunk.data(), chunk.size(), Impl::OnField, Impl::OnRecord, &m);
    if (parsed != chunk.size()) {
      m.Fail(CsvError("csv_malformed_quote", this_line,
                      "引号使用不规范（未加引号的字段中含有引号，或右引号后还有字符）",
                      "misplaced quote (a quote inside an unquoted field, or text after a "
                      "closing quote)"),
             this_line);
      return false;
    }
    if (m.record_done) {
      m.line = m.open_record;
      m.open_record = 0;
      fields.swap(m.fields);
      return true;
    }
  }
  // End of input: a last record without a line break, or an unclosed quote.
  m.finished = true;
  if (csv_fini(&m.parser, Impl::OnField, Impl::OnRecord, &m) != 0) {
    const int at = m.open_record;
    m.Fail(
        CsvError("csv_unterminated_quote", at, "引号未闭合，该行起的记录一直到文件末尾都没有结束",
                 "a quoted field is never closed (the record starting here runs to the end "
                 "of the file)"),
        at);
    return false;
  }
  if (m.record_done) {
    m.line = m.open_record;
    m.open_record = 0;
    fields.swap(m.fields);
    return true;
  }
  return false;
}

int CsvReader::line() const { return impl_->line; }

const Status& CsvReader::status() const { return impl_->status; }

namespace {

bool IsPlainNumber(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  bool digit = false;
  bool dot = false;
  for (const char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}

// OWASP CSV Injection: the characters that make a spreadsheet read a cell as a formula.
bool LooksLikeFormula(std::string_view s) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '+':
    case '-':
      return !IsPlainNumber(s);
    default:
      return false;
  }
}

bool NeedsQuotes(std::string_view s) {
  if (s.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  return !s.empty() && (s.front() == ' ' || s.back() == ' ');
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, CsvWriterOptions options) : out_(out), options_(options) {}

void CsvWriter::Row(const std::vector<std::string>& fields) {
  if (!started_) {
    started_ = true;
    if (options_.bom == CsvBom::kUtf8) out_ << kUtf8Bom;
  }
  if (fields.size() == 1 && fields[0].empty()) {
    // A lone empty field would be a blank line, which readers skip.
    out_ << "\"\"";
  } else {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out_.put(',');
      Field(fields[i]);
    }
  }
  // RFC 4180 §2.1: records end with CRLF.
  out_ << "\r\n";
}

void CsvWriter::Field(std::string_view field) {
  std::string_view text = field;
  if (options_.formula_guard == FormulaGuard::kDefuse && LooksLikeFormula(field)) {
    scratch_.clear();  // (not assign("'"): g++ 12 -O2 raises a false -Wrestrict on it)
    scratch_.push_back('\'');
    scratch_.append(field);
    text = scratch_;
  }
  if (!NeedsQuotes(text)) {
    out_ << text;
    return;
  }
  // csv_write encloses the field in quotes and doubles the quotes inside: at most 2n + 2 bytes.
  std::string quoted(2 * text.size() + 2, '\0');
  const std::size_t n = csv_write(quoted.data(), quoted.size(), text.data(), text.size());
  out_.write(quoted.data(), static_cast<std::streamsize>(n));
}

}  // namespace jd
