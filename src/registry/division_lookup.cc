#include "registry/division_lookup.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/text.h"
#include "registry/search_keys.h"

namespace jd::registry {

namespace {

bool IsCode6(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The current province, prefecture and county codes down to a current code.
std::vector<std::string> PathOf(const Divisions& divisions, const Division& d) {
  std::vector<std::string> path;
  if (d.level != DivisionLevel::kProvince) path.push_back(d.code.substr(0, 2) + "0000");
  if (d.level == DivisionLevel::kCounty) {
    auto pref = divisions.CurrentDivision(d.code.substr(0, 4) + "00");
    if (pref && pref->level == DivisionLevel::kPrefecture) path.push_back(pref->code);
  }
  path.push_back(d.code);
  return path;
}

DivisionRef RefOf(const Divisions& divisions, const Division& d) {
  return DivisionRef{.code = d.code,
                     .name = d.name,
                     .full_name = divisions.FullName(d.code),
                     .level = d.level,
                     .path = PathOf(divisions, d)};
}

std::string FullNameOfRow(const DivisionHistoryRow& r) {
  std::string full = r.province;
  if (!r.prefecture.empty() && r.prefecture != "直辖" && r.prefecture != r.province) {
    full += r.prefecture;
  }
  if (r.name != r.province && r.name != r.prefecture) full += r.name;
  return full;
}

// The row of `year` (start_year <= year < end_year, or in use), else the latest row.
const DivisionHistoryRow* RowOf(const std::vector<DivisionHistoryRow>& rows, int year) {
  if (rows.empty()) return nullptr;
  if (year > 0) {
    for (const auto& r : rows) {
      if (r.start_year <= year && (r.in_use || year < r.end_year)) return &r;
    }
  }
  const DivisionHistoryRow* latest = &rows.front();
  for (const auto& r : rows) {
    if (std::tuple(r.in_use, r.end_year, r.start_year) >
        std::tuple(latest->in_use, latest->end_year, latest->start_year)) {
      latest = &r;
    }
  }
  return latest;
}

// The current divisions a retired row's area went to, following 新代码 through later changes.
void CollectSuccessors(const Divisions& divisions, const DivisionHistoryRow& row,
                       std::set<std::string>& seen, std::vector<DivisionRef>& out, int depth) {
  if (depth > 8) return;
  for (const std::string& next : row.successors) {
    if (!seen.insert(next).second) continue;
    auto rows = divisions.HistoryOf(next);
    const DivisionHistoryRow* latest = RowOf(rows, 0);
    auto current = divisions.CurrentDivision(next);
    if (current && (latest == nullptr || latest->in_use)) {
      out.push_back(RefOf(divisions, *current));
    } else if (latest != nullptr) {
      CollectSuccessors(divisions, *latest, seen, out, depth + 1);
    }
  }
}

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string NameInitials(std::string_view name) {
  std::string out;
  auto points = DecodeUtf8(name);
  if (!points) return out;
  for (char32_t c : *points) {
    std::string_view initials = PinyinInitials(c);
    if (!initials.empty()) out += initials.front();
  }
  return out;
}

std::optional<ResolvedDivision> ResolveDivision(const Divisions& divisions, std::string_view code6,
                                                int year) {
  if (!IsCode6(code6)) return std::nullopt;
  auto rows = divisions.HistoryOf(code6);
  const DivisionHistoryRow* row = RowOf(rows, year);
  auto current = divisions.CurrentDivision(code6);
  if (current && (row == nullptr || row->in_use)) {
    DivisionRef ref = RefOf(divisions, *current);
    return ResolvedDivision{.code = ref.code,
                            .name = ref.name,
                            .full_name = ref.full_name,
                            .level = ref.level,
                            .current = true,
                            .start_year = row ? row->start_year : 0,
                            .end_year = 0,
                            .successors = {},
                            .path = ref.path};
  }
  if (row == nullptr) return std::nullopt;
  ResolvedDivision out{.code = row->code,
                       .name = row->name,
                       .full_name = FullNameOfRow(*row),
                       .level = row->level,
                       .current = false,
                       .start_year = row->start_year,
                       .end_year = row->end_year,
                       .successors = {},
                       .path = {}};
  std::set<std::string> seen;
  if (!row->in_use) CollectSuccessors(divisions, *row, seen, out.successors, 0);
  return out;
}

std::string DivisionFullName(std::string_view code6, int year) {
  auto r = ResolveDivision(Divisions::Builtin(), code6, year);
  return r ? r->full_name : "";
}

std::vector<DivisionRef> ChildDivisions(const Divisions& divisions, std::string_view parent6) {
  std::vector<DivisionRef> out;
  const auto& all = divisions.Current();
  if (parent6.empty()) {
    for (const auto& [code, d] : all) {
      if (d.level == DivisionLevel::kProvince) out.push_back(RefOf(divisions, d));
    }
    return out;
  }
  auto parent = divisions.CurrentDivision(parent6);
  if (!parent || parent->level == DivisionLevel::kCounty) return out;
  const bool province = parent->level == DivisionLevel::kProvince;
  std::string_view prefix = parent6.substr(0, province ? 2 : 4);
  for (auto it = all.lower_bound(prefix); it != all.end() && it->first.starts_with(prefix); ++it) {
    const Division& d = it->second;
    if (d.code == parent->code) continue;
    if (!province) {
      if (d.level == DivisionLevel::kCounty) out.push_back(RefOf(divisions, d));
      continue;
    }
    // Under a province: its prefectures, and the counties no prefecture holds (municipalities'
    // districts, 省直辖县级行政单位 xx90xx).
    if (d.level == DivisionLevel::kPrefecture) {
      out.push_back(RefOf(divisions, d));
    } else if (d.level == DivisionLevel::kCounty) {
      auto pref = divisions.CurrentDivision(d.code.substr(0, 4) + "00");
      if (!pref || pref->level != DivisionLevel::kPrefecture) out.push_back(RefOf(divisions, d));
    }
  }
  return out;
}

std::vector<DivisionRef> SearchDivisions(const Divisions& divisions, std::string_view q,
                                         std::size_t limit) {
  std::vector<DivisionRef> out;
  std::string text = Lowered(Trim(q));
  if (text.empty() || limit == 0) return out;
  const bool digits =
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool letters =
      std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  // rank: 0 exact name, 1 name prefix or initials prefix, 2 contained; then by code.
  std::vector<std::pair<int, const Division*>> hits;
  for (const auto& [code, d] : divisions.Current()) {
    int rank = -1;
    if (digits) {
      if (code.starts_with(text)) rank = code == text ? 0 : 1;
    } else if (letters) {
      std::string initials = NameInitials(d.name);
      if (initials.starts_with(text)) rank = initials == text ? 0 : 1;
    } else if (d.name == text) {
      rank = 0;
    } else if (d.name.starts_with(text)) {
      rank = 1;
    } else if (d.name.find(text) != std::string::npos) {
      rank = 2;
    }
    if (rank >= 0) hits.emplace_back(rank, &d);
  }
  std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->code < b.second->code;
  });
  for (const auto& hit : hits) {
    if (out.size() >= limit) break;
    out.push_back(RefOf(divisions, *hit.second));
  }
  return out;
}

}  // namespace jd::registry
