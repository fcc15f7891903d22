// File: core/text.h
// UTF-8 helpers for text that comes from outside (uploaded CSV files, form fields). Files produced
// by Chinese office software are often GB18030 (GBK) rather than UTF-8; DecodeToUtf8 accepts both.
// All functions are pure and thread-safe.
//
// IsValidUtf8(s): true when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
//   nothing above U+10FFFF).
// DecodeUtf8(s): the code points of `s`, or nullopt when it is not well-formed UTF-8.
// Utf8Length(s): the number of code points. REQUIRES: IsValidUtf8(s) (otherwise it counts the bytes
//   that are not continuation bytes).
// StripUtf8Bom(s): `s` without a leading EF BB BF byte-order mark.
// DecodeToUtf8(bytes): valid UTF-8 (with or without a BOM) is returned as is, minus the BOM, with
//   kUtf8; anything else is converted from GB18030 with kGb18030. When neither works the result is
//   Status::Invalid with one FieldError (field "", code "invalid_encoding") naming the byte offsets
//   where UTF-8 and GB18030 decoding failed.
// DisplayWidth(s): the columns `s` takes in a spreadsheet or a terminal, a character of three or
//   more UTF-8 bytes (CJK, full-width forms) counting two and any other one (column widths of the
//   XLSX files written here).
// Trim(s): `s` without leading and trailing ASCII whitespace, U+3000 IDEOGRAPHIC SPACE (the
//   full-width space of Chinese input methods) and U+00A0 NO-BREAK SPACE (pasted from web pages).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace jd {

bool IsValidUtf8(std::string_view s);

std::optional<std::u32string> DecodeUtf8(std::string_view s);

std::size_t Utf8Length(std::string_view s);

std::string StripUtf8Bom(std::string_view s);

enum class TextEncoding { kUtf8, kGb18030 };

Result<std::pair<std::string, TextEncoding>> DecodeToUtf8(std::string_view bytes);

std::string Trim(std::string_view s);

double DisplayWidth(std::string_view s);

}  // namespace jd
