#include "core/text.h"

#include <fmt/format.h>
#include <iconv.h>

#include <cerrno>
#include <optional>

namespace jd {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The offset of the first byte that is not part of a well-formed UTF-8 sequence, or nullopt.
// Follows the table of well-formed byte sequences in RFC 3629 §4 (which rules out overlong forms,
// UTF-16 surrogates and code points above U+10FFFF).
std::optional<std::size_t> FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;  // the allowed range of the second byte
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

// Converts GB18030 to UTF-8 with glibc iconv; on failure, the offset of the offending input byte.
struct Gb18030Outcome {
  std::string utf8;
  std::optional<std::size_t> bad_offset;
};

Gb18030Outcome Gb18030ToUtf8(std::string_view in) {
  Gb18030Outcome out;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    out.bad_offset = 0;  // the converter is missing: nothing can be decoded
    return out;
  }
  // Two GB18030 bytes become at most three UTF-8 bytes (four become four), so 3/2 of the input is
  // always enough; the loop still grows the buffer rather than rely on it.
  std::string buf(in.size() + in.size() / 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write the input
  std::size_t src_left = in.size();
  std::size_t used = 0;
  // GB18030 is stateless, so there is no shift state to flush at the end.
  while (src_left > 0) {
    char* dst = buf.data() + used;
    std::size_t dst_left = buf.size() - used;
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    used = buf.size() - dst_left;
    if (rc != static_cast<std::size_t>(-1)) break;  // all converted
    if (errno == E2BIG) {
      buf.resize(buf.size() * 2);
      continue;
    }
    // EILSEQ: an invalid sequence; EINVAL: a sequence cut off at the end of the input.
    out.bad_offset = in.size() - src_left;
    iconv_close(cd);
    return out;
  }
  iconv_close(cd);
  buf.resize(used);
  out.utf8 = std::move(buf);
  return out;
}

bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// The length of the blank (see Trim) that starts at the front of `s`, or 0.
std::size_t LeadingBlank(std::string_view s) {
  if (s.empty()) return 0;
  if (IsAsciiSpace(static_cast<unsigned char>(s[0]))) return 1;
  if (s.starts_with("\xE3\x80\x80")) return 3;  // U+3000
  if (s.starts_with("\xC2\xA0")) return 2;      // U+00A0
  return 0;
}

// The length of the blank that ends `s`, or 0.
std::size_t TrailingBlank(std::string_view s) {
  if (s.empty()) return 0;
  if (IsAsciiSpace(static_cast<unsigned char>(s.back()))) return 1;
  if (s.ends_with("\xE3\x80\x80")) return 3;
  if (s.ends_with("\xC2\xA0")) return 2;
  return 0;
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return !FirstInvalidUtf8(s).has_value(); }

std::optional<std::u32string> DecodeUtf8(std::string_view s) {
  if (FirstInvalidUtf8(s)) return std::nullopt;
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = p[i];
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

double DisplayWidth(std::string_view s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += n >= 3 ? 2 : 1;
    i += n;
  }
  return w;
}

std::string StripUtf8Bom(std::string_view s) {
  if (s.starts_with(kUtf8Bom)) s.remove_prefix(kUtf8Bom.size());
  return std::string(s);
}

Result<std::pair<std::string, TextEncoding>> DecodeToUtf8(std::string_view bytes) {
  const std::optional<std::size_t> utf8_bad = FirstInvalidUtf8(bytes);
  if (!utf8_bad) return std::pair{StripUtf8Bom(bytes), TextEncoding::kUtf8};
  Gb18030Outcome gb = Gb18030ToUtf8(bytes);
  if (!gb.bad_offset) {
    // A GB18030 file may start with the GB18030 form of U+FEFF, which converts to a UTF-8 BOM.
    return std::pair{StripUtf8Bom(gb.utf8), TextEncoding::kGb18030};
  }
  return Status::Invalid({FieldError{
      "", "invalid_encoding",
      fmt::format("文件编码无法识别：既不是 UTF-8（偏移 {} 处字节无效），也不是 GB18030（偏移 {} "
                  "处字节无效）",
                  *utf8_bad, *gb.bad_offset),
      fmt::format("the file is neither UTF-8 (invalid byte at offset {}) nor GB18030 (invalid byte "
                  "at offset {})",
                  *utf8_bad, *gb.bad_offset)}});
}

std::string Trim(std::string_view s) {
  while (std::size_t n = LeadingBlank(s)) s.remove_prefix(n);
  while (std::size_t n = TrailingBlank(s)) s.remove_suffix(n);
  return std::string(s);
}

}  // namespace jd
