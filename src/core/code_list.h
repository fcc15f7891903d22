// File: core/code_list.h
// A list of codes kept in one text column: "a,b,c" ↔ {"a","b","c"}. The codes are the callers'
// (lower-case identifiers without commas). Pure functions, thread-safe.
//
// JoinCodes(codes): the codes joined by ','; "" for none.
// SplitCodes(text): the codes between the commas, empty pieces dropped ("" and ",," are none).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jd {

std::string JoinCodes(const std::vector<std::string>& codes);
std::vector<std::string> SplitCodes(std::string_view text);

}  // namespace jd
