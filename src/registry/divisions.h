// File: registry/divisions.h
// GB/T 2260 administrative divisions (行政区划代码): the current list (民政部, as of 2024-12-31)
// and every code used since 1981, both compiled into the binary (core/embedded.h).
//
// Divisions::Builtin(): the tables parsed once (thread-safe) on first use.
// EverExisted(code6): the code was in use at some time since 1981 (an ID number keeps the code of
//   the county where it was issued, so retired codes still identify real places).
// IsCurrent(code6): the code is in the current list.
// Name(code6): the current name, else the latest historical name; nullopt for an unknown code.
// FullName(code6): province + prefecture + county names where they exist, e.g.
//   "广西壮族自治区南宁市青秀区"; "" for an unknown code.
// ProvinceName(code6): the name of the province-level unit of the code ("" if unknown).
// CountiesOf(prefecture6): the current county-level units of a prefecture ("xxxx00"), by code.
// CurrentCounties(): every current county-level unit, by code.
// SameCity(a, b): both are 6-digit codes of the same prefecture-level city (first four digits
//   equal).
// HistoryOf(code6): every row of the history table for the code, oldest first (a code may have
//   been renamed, or retired and later reused); empty for a code the history does not know.
// CurrentDivision(code6): the entry of the current list, nullopt when the code is not current.
// Current(): the current list, by code.
// (Names for a code at a given year, successors and search: registry/division_lookup.h.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jd::registry {

enum class DivisionLevel { kProvince, kPrefecture, kCounty };

struct Division {
  std::string code;  // 6 digits
  std::string name;
  DivisionLevel level = DivisionLevel::kCounty;

  bool operator==(const Division&) const = default;
};

// One row of the history table: the name a code had from start_year until end_year.
struct DivisionHistoryRow {
  std::string code;
  std::string province;    // 一级行政区 at the time
  std::string prefecture;  // 二级行政区 ("直辖" or empty where there is none)
  std::string name;
  DivisionLevel level = DivisionLevel::kCounty;
  bool in_use = false;
  int start_year = 0;
  int end_year = 0;  // 0 while in use
  // 新代码 of a retired or changed row: the codes that took its area over (notes such as
  // "430511[1997]" on a row still in use mark a part given away and are not listed).
  std::vector<std::string> successors;
};

class Divisions {
 public:
  // Parses the two CSV tables: `history` has the header
  // 代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码 (a leading BOM is
  // skipped), `current` has code,name,level. Malformed lines are skipped.
  Divisions(std::string_view history_csv, std::string_view current_csv);

  static const Divisions& Builtin();

  bool EverExisted(std::string_view code6) const;
  bool IsCurrent(std::string_view code6) const;
  std::optional<std::string> Name(std::string_view code6) const;
  std::string FullName(std::string_view code6) const;
  std::string ProvinceName(std::string_view code6) const;
  std::vector<Division> CountiesOf(std::string_view prefecture_code6) const;
  std::vector<Division> CurrentCounties() const;
  static bool SameCity(std::string_view a, std::string_view b);
  std::vector<DivisionHistoryRow> HistoryOf(std::string_view code6) const;
  std::optional<Division> CurrentDivision(std::string_view code6) const;
  const std::map<std::string, Division, std::less<>>& Current() const { return current_; }

  // Number of distinct codes in the history table and in the current table.
  std::size_t HistoryCount() const { return history_.size(); }
  std::size_t CurrentCount() const { return current_.size(); }

 private:
  // The latest row of a code in the history table.
  struct HistoryEntry {
    std::string province;    // 一级行政区
    std::string prefecture;  // 二级行政区 ("直辖" or empty where there is none)
    std::string name;
    bool in_use = false;
    int start_year = 0;
    int end_year = 0;  // 0 while in use
  };

  std::map<std::string, HistoryEntry, std::less<>> history_;
  std::map<std::string, Division, std::less<>> current_;
  std::multimap<std::string, DivisionHistoryRow, std::less<>> rows_;
};

}  // namespace jd::registry
