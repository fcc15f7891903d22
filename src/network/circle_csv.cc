#include "network/circle_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <string>

#include "core/csv.h"
#include "core/input.h"
#include "core/text.h"

namespace jd::network {

namespace {

constexpr std::size_t kMaxErrors = 50;
constexpr std::int64_t kMaxPeople = 100'000'000;

enum class PeopleColumn { kNo, kYes };

struct Row {
  std::string id;
  LatLon at;
  std::int64_t people = 0;
};

std::optional<double> ParseDouble(const std::string& s) {
  double v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParsePeople(const std::string& s) {
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end || v < 0 || v > kMaxPeople) return std::nullopt;
  return v;
}

Result<std::vector<Row>> ReadRows(std::string_view text, std::string_view file,
                                  PeopleColumn people_column) {
  FieldErrors errors;
  auto full = [&errors] { return errors.errors().size() >= kMaxErrors; };
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.Next(fields)) {
    if (!reader.status().ok()) return reader.status();
    errors.Add(fmt::format("{}:1", file), "missing_header", fmt::format("{} 缺少表头行", file),
               fmt::format("{} has no header row", file));
    return errors.ToStatus();
  }
  std::vector<std::string> names = {"id", "lat", "lon"};
  if (people_column == PeopleColumn::kYes) names.push_back("people");
  std::vector<std::size_t> column(names.size(), 0);
  for (std::size_t n = 0; n < names.size(); ++n) {
    std::size_t c = 0;
    while (c < fields.size() && Trim(fields[c]) != names[n]) ++c;
    if (c == fields.size()) {
      errors.Add(fmt::format("{}:1:{}", file, names[n]), "missing_column",
                 fmt::format("{} 的表头缺少列 {}", file, names[n]),
                 fmt::format("the header of {} has no column {}", file, names[n]));
    }
    column[n] = c;
  }
  if (!errors.empty()) return errors.ToStatus();
  std::size_t needed = *std::max_element(column.begin(), column.end()) + 1;

  std::vector<Row> rows;
  std::set<std::string> ids;
  while (!full() && reader.Next(fields)) {
    int line = reader.line();
    auto field = [&](std::size_t n) { return fmt::format("{}:{}:{}", file, line, names[n]); };
    if (fields.size() < needed) {
      errors.Add(fmt::format("{}:{}", file, line), "missing_field",
                 fmt::format("{} 第 {} 行的字段少于表头", file, line),
                 fmt::format("line {} of {} has fewer fields than the header", line, file));
      continue;
    }
    Row row;
    std::size_t before = errors.errors().size();
    row.id = Trim(fields[column[0]]);
    if (row.id.empty()) {
      errors.Add(field(0), "required", fmt::format("{} 第 {} 行缺少 id", file, line),
                 fmt::format("line {} of {} has no id", line, file));
    } else if (auto e = CheckText(row.id, FieldKind::kCode, field(0), "id")) {
      errors.Add(*e);
    } else if (!ids.insert(row.id).second) {
      errors.Add(field(0), "duplicate_id",
                 fmt::format("{} 第 {} 行的 id {} 重复", file, line, row.id),
                 fmt::format("the id {} on line {} of {} is listed twice", row.id, line, file));
    }
    auto lat = ParseDouble(Trim(fields[column[1]]));
    auto lon = ParseDouble(Trim(fields[column[2]]));
    for (std::size_t n : {1, 2}) {
      if (!(n == 1 ? lat : lon)) {
        errors.Add(
            field(n), "not_a_number",
            fmt::format("{} 第 {} 行的 {} 应为十进制度数", file, line, names[n]),
            fmt::format("{} on line {} of {} must be decimal degrees", names[n], line, file));
      }
    }
    if (lat && lon) {
      CheckLatLon(*lat, *lon, fmt::format("{}:{}:", file, line), errors);
      row.at = {.lat = *lat, .lon = *lon};
    }
    if (people_column == PeopleColumn::kYes) {
      auto people = ParsePeople(Trim(fields[column[3]]));
      if (!people) {
        errors.Add(field(3), "invalid_people",
                   fmt::format("{} 第 {} 行的 people 应为 0 到 100000000 的整数", file, line),
                   fmt::format("people on line {} of {} must be a whole number from 0 to "
                               "100000000",
                               line, file));
      } else {
        row.people = *people;
      }
    }
    if (errors.errors().size() == before) rows.push_back(std::move(row));
  }
  // A row may add several errors past the limit: the list is cut at it.
  std::vector<FieldError> list = errors.errors();
  if (list.size() > kMaxErrors) list.resize(kMaxErrors);
  if (!reader.status().ok()) {
    list.insert(list.end(), reader.status().field_errors().begin(),
                reader.status().field_errors().end());
  }
  if (!list.empty()) return Status::Invalid(std::move(list));
  return rows;
}

// RFC 4180 quoting, only where needed.
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

Result<std::vector<Site>> ReadSitesCsv(std::string_view text, std::string_view file) {
  auto rows = ReadRows(text, file, PeopleColumn::kNo);
  if (!rows.ok()) return rows.status();
  std::vector<Site> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back({.id = std::move(r.id), .at = r.at});
  return out;
}

Result<std::vector<Community>> ReadCommunitiesCsv(std::string_view text, std::string_view file) {
  auto rows = ReadRows(text, file, PeopleColumn::kYes);
  if (!rows.ok()) return rows.status();
  std::vector<Community> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back({.id = std::move(r.id), .at = r.at, .people = r.people});
  return out;
}

void WriteReachCsv(std::ostream& out, const std::vector<Site>& points,
                   const std::vector<Community>& communities, const std::vector<Reach>& reach) {
  out << "community_id,nearest_point_id,distance_m,covered\n";
  for (std::size_t i = 0; i < communities.size(); ++i) {
    out << CsvField(communities[i].id) << ',';
    if (reach[i].nearest) {
      out << CsvField(points[*reach[i].nearest].id) << ','
          << fmt::format("{:.1f}", reach[i].distance_m);
    } else {
      out << ',';
    }
    out << ',' << (reach[i].covered ? 1 : 0) << '\n';
  }
}

void WritePlacementCsv(std::ostream& out, const std::vector<Site>& candidates,
                       const std::vector<Placement>& placements) {
  out << "rank,candidate_id,newly_covered\n";
  for (std::size_t r = 0; r < placements.size(); ++r) {
    out << (r + 1) << ',' << CsvField(candidates[placements[r].candidate].id) << ','
        << placements[r].newly_covered << '\n';
  }
}

}  // namespace jd::network
