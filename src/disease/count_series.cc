#include "disease/count_series.h"

#include <fmt/format.h>

#include <charconv>

#include "core/csv.h"

namespace jd::disease {

namespace {

constexpr std::int64_t kMaxCount = 1'000'000'000;
constexpr std::size_t kMaxErrors = 20;

bool ParseCount(const std::string& text, std::int64_t& out) {
  if (text.empty() || text.size() > 10) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  out = std::stoll(text);
  return out <= kMaxCount;
}

}  // namespace

Result<std::vector<PeriodCount>> ParseCountSeriesCsv(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  if (!reader.Next(fields)) {
    if (!reader.status().ok()) return reader.status();
    return Status::Invalid({{"header", "missing_header", "输入为空：第一行应为表头 date,count",
                             "the input is empty: the first line must be the header date,count"}});
  }
  if (fields != std::vector<std::string>{"date", "count"}) {
    return Status::Invalid({{"header", "invalid_header", "第一行应为表头 date,count",
                             "the first line must be the header date,count"}});
  }
  std::vector<PeriodCount> series;
  std::vector<FieldError> errors;
  auto error = [&errors, &reader](const char* field, const char* code, const std::string& zh,
                                  const std::string& en) {
    if (errors.size() < kMaxErrors) {
      errors.push_back({fmt::format("line {}: {}", reader.line(), field), code,
                        fmt::format("第 {} 行：{}", reader.line(), zh),
                        fmt::format("line {}: {}", reader.line(), en)});
    }
  };
  while (reader.Next(fields)) {
    if (fields.size() != 2) {
      error("row", "invalid_row", "每行应为两列 date,count",
            "each row must have two fields, date,count");
      continue;
    }
    PeriodCount p;
    auto date = ParseDate(fields[0]);
    if (!date) {
      error("date", "invalid_date", "日期应为存在的日期 YYYY-MM-DD",
            "date must be a real date YYYY-MM-DD");
    } else if (!series.empty() && *date <= series.back().date) {
      error("date", "not_increasing", "日期应晚于上一行（每期一行，由早到晚）",
            "date must be later than the row before (one row per period, oldest first)");
    }
    if (!ParseCount(fields[1], p.count)) {
      error("count", "invalid_count", "病例数应为 0 到 1000000000 之间的整数",
            "count must be a whole number from 0 to 1000000000");
    }
    if (date) p.date = *date;
    // A row with a bad date keeps the order check of the next row meaningful.
    if (date && (series.empty() || *date > series.back().date)) series.push_back(p);
  }
  if (!reader.status().ok()) return reader.status();
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  return series;
}

std::string FormatUpperbound(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string WriteEarsCsv(const std::vector<PeriodCount>& series,
                         const std::vector<EarsPoint>& points) {
  std::string out = "date,count,upperbound,alarm\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const EarsPoint& p = points[i];
    bool bound = p.state == EarsState::kComputed;
    out += FormatDate(series[i].date);
    out += ',';
    out += std::to_string(series[i].count);
    out += ',';
    if (bound) out += FormatUpperbound(p.upperbound);
    out += bound && p.alarm ? ",1\n" : ",0\n";
  }
  return out;
}

}  // namespace jd::disease
