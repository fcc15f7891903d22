// File: registry/place_names.h
// Divisions in words for explanations shown to people (names, not codes).
//
// PlaceName(divisions, code6, with_province): the GB/T 2260 division by name, from the current
//   list or, for a retired code (an old ID number), its latest historical name: with its province
//   ("湖南省邵阳市武冈市") or without it ("南宁市青秀区"; a 直辖市 keeps its own name,
//   "北京市东城区"). A code the tables do not know is given back as it is. Pure.
#pragma once

#include <string>
#include <string_view>

#include "registry/divisions.h"

namespace jd::registry {

std::string PlaceName(const Divisions& divisions, std::string_view code6, bool with_province);

}  // namespace jd::registry
