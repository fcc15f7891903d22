// File: core/code_table.h
// An enum's stable codes as a table of (value, code) pairs, read both ways. Pure, header-only.
//
// CodeOf(table, value): the code of `value`, "" when the table lacks it.
// ParseCode(table, code): the value whose code is exactly `code`, nullopt for any other text.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace jd {

template <class E, std::size_t N>
using CodeTable = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::string_view CodeOf(const CodeTable<E, N>& table, E value) {
  for (const auto& [e, code] : table) {
    if (e == value) return code;
  }
  return {};
}

template <class E, std::size_t N>
std::optional<E> ParseCode(const CodeTable<E, N>& table, std::string_view code) {
  for (const auto& [e, c] : table) {
    if (c == code) return e;
  }
  return std::nullopt;
}

}  // namespace jd
