#include "immunization/xlsx_reader.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <functional>
#include <memory>

namespace jd::immunization {

namespace {

Status Bad(const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Invalid({{"", code, zh, en}});
}

Status NotWorkbook() {
  return Bad("xlsx_not_zip", "文件不是有效的 XLSX 工作簿", "the file is not an XLSX workbook");
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

// One part of the archive, uncompressed; nullopt when absent.
Result<std::optional<std::string>> ReadPart(zip_t* z, const std::string& name,
                                            const XlsxLimits& limits) {
  zip_int64_t index = zip_name_locate(z, name.c_str(), 0);
  if (index < 0) return std::optional<std::string>();
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, static_cast<zip_uint64_t>(index), 0, &st) != 0) return NotWorkbook();
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.max_part_bytes) {
    return Bad("xlsx_too_large", fmt::format("工作簿中的 {} 解压后过大", name),
               fmt::format("the part {} is too large once uncompressed", name));
  }
  zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(index), 0);
  if (!f) return NotWorkbook();
  std::string out;
  char buf[16384];
  for (;;) {
    zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      zip_fclose(f);
      return NotWorkbook();
    }
    if (n == 0) break;
    // The size in the directory can lie: count what really comes out.
    if (out.size() + static_cast<std::size_t>(n) > limits.max_part_bytes) {
      zip_fclose(f);
      return Bad("xlsx_too_large", fmt::format("工作簿中的 {} 解压后过大", name),
                 fmt::format("the part {} is too large once uncompressed", name));
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  zip_fclose(f);
  return std::optional<std::string>(std::move(out));
}

// The local name of an element ("x:row" → "row"): some producers prefix the namespace.
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  std::size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* Attr(const XML_Char** atts, std::string_view wanted) {
  for (int i = 0; atts[i]; i += 2) {
    if (Local(atts[i]) == wanted) return atts[i + 1];
  }
  return nullptr;
}

// A SAX pass over one XML part with start/end/text callbacks.
class Sax {
 public:
  std::function<void(std::string_view, const XML_Char**)> on_start;
  std::function<void(std::string_view)> on_end;
  std::function<void(std::string_view)> on_text;
  bool stop = false;  // set by a callback to abandon the parse (a limit was hit)

  Status Parse(const std::string& xml, const std::string& part) {
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> p(
        XML_ParserCreate(nullptr), &XML_ParserFree);
    if (!p) return Status::Internal("cannot create an XML parser");
    XML_SetUserData(p.get(), this);
    XML_SetElementHandler(
        p.get(),
        [](void* self, const XML_Char* name, const XML_Char** atts) {
          auto* s = static_cast<Sax*>(self);
          if (s->on_start) s->on_start(Local(name), atts);
        },
        [](void* self, const XML_Char* name) {
          auto* s = static_cast<Sax*>(self);
          if (s->on_end) s->on_end(Local(name));
        });
    XML_SetCharacterDataHandler(p.get(), [](void* self, const XML_Char* text, int len) {
      auto* s = static_cast<Sax*>(self);
      if (s->on_text) s->on_text(std::string_view(text, static_cast<std::size_t>(len)));
    });
    // Parsed in slices so that a callback's stop request takes effect soon.
    constexpr std::size_t kSlice = 1 << 16;
    for (std::size_t at = 0; at <= xml.size() && !stop; at += kSlice) {
      std::size_t n = std::min(kSlice, xml.size() - at);
      bool last = at + n >= xml.size();
      if (XML_Parse(p.get(), xml.data() + at, static_cast<int>(n), last) == XML_STATUS_ERROR) {
        return Bad("xlsx_bad_xml",
                   fmt::format("工作簿中的 {} 不是有效的 XML（第 {} 行）", part,
                               XML_GetCurrentLineNumber(p.get())),
                   fmt::format("the part {} is not valid XML (line {}): {}", part,
                               XML_GetCurrentLineNumber(p.get()),
                               XML_ErrorString(XML_GetErrorCode(p.get()))));
      }
      if (last) break;
    }
    return Status::Ok();
  }
};

// "xl/" + a relationship target; absolute targets start at the archive's root.
std::string ResolveTarget(std::string_view target) {
  if (!target.empty() && target.front() == '/') return std::string(target.substr(1));
  std::string t(target);
  while (t.rfind("./", 0) == 0) t = t.substr(2);
  return "xl/" + t;
}

// "BC12" → column 54 (0-based) and row 12; false when malformed.
bool ParseRef(std::string_view ref, std::size_t& column, std::size_t& row) {
  std::size_t i = 0, col = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    if (col > 16384) return false;
    ++i;
  }
  if (i == 0 || i == ref.size()) return false;
  std::size_t r = 0;
  auto [p, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || p != ref.data() + ref.size() || r == 0) return false;
  column = col - 1;
  row = r;
  return true;
}

}  // namespace

std::optional<Date> ExcelSerialToDate(std::string_view text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !(v >= 1) || v > 2958465) {
    return std::nullopt;
  }
  auto days = static_cast<int>(std::floor(v));
  // Serial 1 is 1900-01-01; Excel counts a 1900-02-29 that never was, so from serial 61 on the
  // epoch is 1899-12-30.
  Date epoch = days >= 61
                   ? Date{std::chrono::year(1899), std::chrono::month(12), std::chrono::day(30)}
                   : Date{std::chrono::year(1899), std::chrono::month(12), std::chrono::day(31)};
  return AddDays(epoch, days);
}

Result<XlsxSheet> ReadXlsxFirstSheet(std::string_view bytes, const XlsxLimits& limits) {
  if (bytes.size() < 4 || bytes.substr(0, 2) != "PK") return NotWorkbook();
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    zip_error_fini(&err);
    return NotWorkbook();
  }
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY, &err);
  zip_error_fini(&err);
  if (!raw) {
    zip_source_free(src);
    return NotWorkbook();
  }
  ZipPtr zip(raw);

  // xl/workbook.xml names the sheets in tab order; its relationships give each one's part.
  auto missing = [](const std::string& part) {
    return Bad("xlsx_missing_part", "工作簿缺少 " + part, "the workbook has no part " + part);
  };
  JD_ASSIGN_OR_RETURN(auto workbook, ReadPart(zip.get(), "xl/workbook.xml", limits));
  if (!workbook) return missing("xl/workbook.xml");
  std::string sheet_name, sheet_rel;
  {
    Sax sax;
    sax.on_start = [&](std::string_view name, const XML_Char** atts) {
      if (name != "sheet" || !sheet_rel.empty()) return;
      const XML_Char* rid = Attr(atts, "id");
      const XML_Char* n = Attr(atts, "name");
      if (rid) {
        sheet_rel = rid;
        sheet_name = n ? n : "";
      }
    };
    JD_RETURN_IF_ERROR(sax.Parse(*workbook, "xl/workbook.xml"));
  }
  std::string sheet_part = "xl/worksheets/sheet1.xml";
  JD_ASSIGN_OR_RETURN(auto rels, ReadPart(zip.get(), "xl/_rels/workbook.xml.rels", limits));
  if (rels && !sheet_rel.empty()) {
    Sax sax;
    sax.on_start = [&](std::string_view name, const XML_Char** atts) {
      if (name != "Relationship") return;
      const XML_Char* id = Attr(atts, "Id");
      const XML_Char* target = Attr(atts, "Target");
      if (id && target && sheet_rel == id) sheet_part = ResolveTarget(target);
    };
    JD_RETURN_IF_ERROR(sax.Parse(*rels, "xl/_rels/workbook.xml.rels"));
  }

  // Shared strings: the text of each <si>, its runs concatenated, phonetic guides (<rPh>) left
  // out.
  std::vector<std::string> shared;
  JD_ASSIGN_OR_RETURN(auto sst, ReadPart(zip.get(), "xl/sharedStrings.xml", limits));
  if (sst) {
    Sax sax;
    bool in_si = false, in_t = false;
    int in_rph = 0;
    std::string current;
    sax.on_start = [&](std::string_view name, const XML_Char**) {
      if (name == "si") {
        in_si = true;
        current.clear();
      } else if (name == "rPh") {
        ++in_rph;
      } else if (name == "t" && in_si && in_rph == 0) {
        in_t = true;
      }
    };
    sax.on_end = [&](std::string_view name) {
      if (name == "si") {
        shared.push_back(std::move(current));
        current.clear();
        in_si = false;
      } else if (name == "rPh") {
        --in_rph;
      } else if (name == "t") {
        in_t = false;
      }
    };
    sax.on_text = [&](std::string_view text) {
      if (in_t) current.append(text);
    };
    JD_RETURN_IF_ERROR(sax.Parse(*sst, "xl/sharedStrings.xml"));
  }

  JD_ASSIGN_OR_RETURN(auto sheet_xml, ReadPart(zip.get(), sheet_part, limits));
  if (!sheet_xml) return missing(sheet_part);
  XlsxSheet out;
  out.name = sheet_name;
  Status limit_hit = Status::Ok();
  {
    Sax sax;
    std::size_t row_no = 0;  // 1-based number of the current row
    std::size_t next_col = 0;
    std::size_t col = 0;
    std::string type;
    std::string value;
    bool in_v = false, in_is_t = false, in_cell = false;
    std::vector<std::string>* row = nullptr;
    auto too_large = [&](const std::string& zh, const std::string& en) {
      limit_hit = Bad("xlsx_too_large", zh, en);
      sax.stop = true;
    };
    sax.on_start = [&](std::string_view name, const XML_Char** atts) {
      if (sax.stop) return;
      if (name == "row") {
        std::size_t r = row_no + 1;
        if (const XML_Char* rv = Attr(atts, "r")) {
          std::string_view s(rv);
          std::size_t parsed = 0;
          auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
          if (ec == std::errc() && p == s.data() + s.size() && parsed > row_no) r = parsed;
        }
        if (r > limits.max_rows) {
          too_large(fmt::format("工作表超过 {} 行", limits.max_rows),
                    fmt::format("the sheet has more than {} rows", limits.max_rows));
          return;
        }
        row_no = r;
        out.rows.resize(row_no);
        row = &out.rows[row_no - 1];
        next_col = 0;
      } else if (name == "c" && row) {
        in_cell = true;
        type.clear();
        value.clear();
        col = next_col;
        if (const XML_Char* ref = Attr(atts, "r")) {
          std::size_t c = 0, r = 0;
          if (ParseRef(ref, c, r)) col = c;
        }
        if (const XML_Char* t = Attr(atts, "t")) type = t;
        if (col >= limits.max_columns) {
          too_large(fmt::format("工作表超过 {} 列", limits.max_columns),
                    fmt::format("the sheet has more than {} columns", limits.max_columns));
          return;
        }
      } else if (name == "v" && in_cell) {
        in_v = true;
      } else if (name == "t" && in_cell) {
        in_is_t = true;  // inside <is> of an inline string
      }
    };
    sax.on_end = [&](std::string_view name) {
      if (sax.stop) return;
      if (name == "v") {
        in_v = false;
      } else if (name == "t") {
        in_is_t = false;
      } else if (name == "c" && in_cell && row) {
        in_cell = false;
        std::string text;
        if (type == "s") {
          std::size_t i = 0;
          auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
          if (ec == std::errc() && p == value.data() + value.size() && i < shared.size()) {
            text = shared[i];
          }
        } else if (type == "b") {
          text = value == "1" ? "TRUE" : "FALSE";
        } else {
          text = value;  // inlineStr, str, n, d, e: the text as stored
        }
        if (!text.empty()) {
          if (row->size() <= col) row->resize(col + 1);
          (*row)[col] = std::move(text);
        }
        next_col = col + 1;
      } else if (name == "row") {
        row = nullptr;
      }
    };
    sax.on_text = [&](std::string_view text) {
      if (in_v || in_is_t) value.append(text);
    };
    JD_RETURN_IF_ERROR(sax.Parse(*sheet_xml, sheet_part));
  }
  if (!limit_hit.ok()) return limit_hit;
  return out;
}

}  // namespace jd::immunization
