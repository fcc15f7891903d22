#include "registry/divisions.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "core/embedded.h"

namespace jd::registry {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The tables are plain comma-separated text without quoting (checked when they are replaced), so a
// simple split is exact.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
}

// Calls `fn(fields)` for every non-empty line after the header.
template <typename Fn>
void ForEachRow(std::string_view csv, Fn fn) {
  if (csv.starts_with(kUtf8Bom)) csv.remove_prefix(kUtf8Bom.size());
  bool header = true;
  while (!csv.empty()) {
    std::size_t nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view() : csv.substr(nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    fn(SplitFields(line));
  }
}

bool IsCode6(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ParseYear(std::string_view text) {
  int year = 0;
  std::from_chars(text.data(), text.data() + text.size(), year);
  return year;
}

std::optional<DivisionLevel> ParseLevel(std::string_view text) {
  if (text == "province" || text == "省级") return DivisionLevel::kProvince;
  if (text == "prefecture" || text == "地级") return DivisionLevel::kPrefecture;
  if (text == "county" || text == "县级") return DivisionLevel::kCounty;
  return std::nullopt;
}

// 新代码 "430502;430511" of a row no longer in use; a "[1997]" note is dropped.
std::vector<std::string> ParseSuccessors(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    std::size_t semi = text.find(';');
    std::string_view part = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    part = part.substr(0, part.find('['));
    if (IsCode6(part)) out.emplace_back(part);
  }
  return out;
}

}  // namespace

Divisions::Divisions(std::string_view history_csv, std::string_view current_csv) {
  ForEachRow(history_csv, [this](const std::vector<std::string_view>& f) {
    if (f.size() < 8 || !IsCode6(f[0])) return;
    HistoryEntry entry{.province = std::string(f[1]),
                       .prefecture = std::string(f[2]),
                       .name = std::string(f[3]),
                       .in_use = f[5] == "在用",
                       .start_year = ParseYear(f[6]),
                       .end_year = ParseYear(f[7])};
    rows_.emplace(
        std::string(f[0]),
        DivisionHistoryRow{.code = std::string(f[0]),
                           .province = entry.province,
                           .prefecture = entry.prefecture,
                           .name = entry.name,
                           .level = ParseLevel(f[4]).value_or(DivisionLevel::kCounty),
                           .in_use = entry.in_use,
                           .start_year = entry.start_year,
                           .end_year = entry.end_year,
                           .successors = entry.in_use || f.size() < 9 ? std::vector<std::string>()
                                                                      : ParseSuccessors(f[8])});
    auto it = history_.find(f[0]);
    if (it == history_.end()) {
      history_.emplace(std::string(f[0]), std::move(entry));
      return;
    }
    // A code may have several rows (renamed, or retired and later reused): keep the latest, the
    // one in use if any.
    const HistoryEntry& old = it->second;
    auto rank = [](const HistoryEntry& e) {
      return std::tuple(e.in_use, e.end_year, e.start_year);
    };
    if (rank(entry) > rank(old)) it->second = std::move(entry);
  });
  ForEachRow(current_csv, [this](const std::vector<std::string_view>& f) {
    if (f.size() < 3 || !IsCode6(f[0])) return;
    std::optional<DivisionLevel> level = ParseLevel(f[2]);
    if (!level) return;
    current_.emplace(
        std::string(f[0]),
        Division{.code = std::string(f[0]), .name = std::string(f[1]), .level = *level});
  });
}

const Divisions& Divisions::Builtin() {
  static const Divisions kBuiltin(embedded::divisions_history(), embedded::divisions_current());
  return kBuiltin;
}

bool Divisions::EverExisted(std::string_view code6) const {
  return history_.find(code6) != history_.end() || current_.find(code6) != current_.end();
}

bool Divisions::IsCurrent(std::string_view code6) const {
  return current_.find(code6) != current_.end();
}

std::optional<std::string> Divisions::Name(std::string_view code6) const {
  if (auto it = current_.find(code6); it != current_.end()) return it->second.name;
  if (auto it = history_.find(code6); it != history_.end()) return it->second.name;
  return std::nullopt;
}

std::string Divisions::ProvinceName(std::string_view code6) const {
  if (!IsCode6(code6)) return "";
  std::string province_code = std::string(code6.substr(0, 2)) + "0000";
  if (auto it = current_.find(province_code); it != current_.end()) return it->second.name;
  if (auto it = history_.find(code6); it != history_.end()) return it->second.province;
  if (auto it = history_.find(province_code); it != history_.end()) return it->second.name;
  return "";
}

std::string Divisions::FullName(std::string_view code6) const {
  if (auto it = current_.find(code6); it != current_.end()) {
    const Division& d = it->second;
    if (d.level == DivisionLevel::kProvince) return d.name;
    std::string full = ProvinceName(code6);
    if (d.level == DivisionLevel::kCounty) {
      // Counties of municipalities and province-administered county-level units (xx90xx) have no
      // prefecture above them.
      auto pref = current_.find(std::string(code6.substr(0, 4)) + "00");
      if (pref != current_.end() && pref->second.level == DivisionLevel::kPrefecture) {
        full += pref->second.name;
      }
    }
    return full + d.name;
  }
  if (auto it = history_.find(code6); it != history_.end()) {
    const HistoryEntry& e = it->second;
    std::string full = e.province;
    if (!e.prefecture.empty() && e.prefecture != "直辖" && e.prefecture != e.province) {
      full += e.prefecture;
    }
    if (e.name != e.province && e.name != e.prefecture) full += e.name;
    return full;
  }
  return "";
}

std::vector<Division> Divisions::CountiesOf(std::string_view prefecture_code6) const {
  std::vector<Division> out;
  if (!IsCode6(prefecture_code6) || !prefecture_code6.ends_with("00") ||
      prefecture_code6.ends_with("0000")) {
    return out;
  }
  std::string_view prefix = prefecture_code6.substr(0, 4);
  for (auto it = current_.lower_bound(prefix); it != current_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    if (it->second.level == DivisionLevel::kCounty) out.push_back(it->second);
  }
  return out;
}

std::vector<Division> Divisions::CurrentCounties() const {
  std::vector<Division> out;
  for (const auto& [code, d] : current_) {
    if (d.level == DivisionLevel::kCounty) out.push_back(d);
  }
  return out;
}

std::vector<DivisionHistoryRow> Divisions::HistoryOf(std::string_view code6) const {
  std::vector<DivisionHistoryRow> out;
  auto [lo, hi] = rows_.equal_range(code6);
  for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end(), [](const DivisionHistoryRow& a, const DivisionHistoryRow& b) {
    return std::tuple(a.start_year, a.in_use, a.end_year) <
           std::tuple(b.start_year, b.in_use, b.end_year);
  });
  return out;
}

std::optional<Division> Divisions::CurrentDivision(std::string_view code6) const {
  if (auto it = current_.find(code6); it != current_.end()) return it->second;
  return std::nullopt;
}

bool Divisions::SameCity(std::string_view a, std::string_view b) {
  // 南宁市实施办法 §三(一): 同城区间人户分离 is not migration. A prefecture-level city is the first
  // four digits of GB/T 2260.
  return IsCode6(a) && IsCode6(b) && a.substr(0, 4) == b.substr(0, 4);
}

}  // namespace jd::registry
