// File: core/shipped_data.h
// Reading a reference file compiled into the binary (core/embedded.h) once, with its module's
// parser.
//
// ParseShipped(parse, text, what): parse(text)'s value. A shipped file that does not parse is a
//   build mistake the unit tests catch, so it throws std::logic_error naming `what` and the
//   status; call it from a function-local static so it runs once.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace jd {

template <class Parse>
auto ParseShipped(Parse parse, std::string_view text, std::string_view what) {
  auto parsed = parse(text);
  if (!parsed.ok()) {
    throw std::logic_error("shipped " + std::string(what) + ": " + parsed.status().ToString());
  }
  return std::move(parsed).value();
}

}  // namespace jd
