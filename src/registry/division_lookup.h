// File: registry/division_lookup.h
// Names for GB/T 2260 division codes as people read them, for pickers and for what is shown of a
// person (户籍地): a code's full name at a given year, what an old code became, the divisions under
// a parent, and a search by name or pinyin initials. Pure functions over a Divisions table
// (registry/divisions.h); the *Builtin forms use Divisions::Builtin().
//
// ResolveDivision(divisions, code6, year): the code as it was named in `year` (0: its latest
//   name), with
//   - full_name: province + prefecture + name of that row ("湖南省邵阳市武冈县");
//   - current: the code is in the current list under that same row (its name unchanged);
//   - successors: for a code retired or changed (状态 弃用/变更) the current divisions that took
//   its
//     area over, following 新代码 through later changes (430526 武冈县, 1986–1994 → 430581
//     湖南省邵阳市武冈市); empty for a current code. 行政区划代码 history: 民政部 县级以上行政区划
//     变更情况, compiled in data/divisions/areacodes_history_1981_2024.csv (SOURCE.md);
//   - path: the current province, prefecture and county codes down to the code, for a picker
//     (empty when the code is not current).
//   A row is "of" a year when start_year <= year < end_year (in use: no end). A year no row
//   covers, or 0, takes the latest row (the one in use if any). nullopt: not a 6-digit code, or a
//   code never used since 1981.
// DivisionFullName(code6, year): ResolveDivision(Builtin, ...).full_name, "" for an unknown code.
// ChildDivisions(divisions, parent6): the current divisions directly under `parent6`, by code:
//   "" → the provinces; a province → its prefectures, or, for a municipality or a province's
//   directly administered counties (xx90xx), those counties; a prefecture → its counties. Empty
//   for a county or an unknown code.
// SearchDivisions(divisions, q, limit): current divisions whose name contains q, whose pinyin
//   initials start with q (ASCII letters, case-insensitive: "wg" → 武冈市), or whose code starts
//   with q (digits); exact names first, then name prefixes, then by code; at most `limit`.
// NameInitials(name): the first pinyin letter of each Chinese character of `name` ("武冈市" →
//   "wgs"), other characters skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/divisions.h"

namespace jd::registry {

struct DivisionRef {
  std::string code;
  std::string name;
  std::string full_name;
  DivisionLevel level = DivisionLevel::kCounty;
  std::vector<std::string> path;  // current province, prefecture (where there is one), the code

  bool operator==(const DivisionRef&) const = default;
};

struct ResolvedDivision {
  std::string code;
  std::string name;
  std::string full_name;
  DivisionLevel level = DivisionLevel::kCounty;
  bool current = false;
  int start_year = 0;
  int end_year = 0;  // 0 while in use
  std::vector<DivisionRef> successors;
  std::vector<std::string> path;
};

std::optional<ResolvedDivision> ResolveDivision(const Divisions& divisions, std::string_view code6,
                                                int year = 0);
std::string DivisionFullName(std::string_view code6, int year = 0);
std::vector<DivisionRef> ChildDivisions(const Divisions& divisions, std::string_view parent6);
std::vector<DivisionRef> SearchDivisions(const Divisions& divisions, std::string_view q,
                                         std::size_t limit);
std::string NameInitials(std::string_view name);

}  // namespace jd::registry
