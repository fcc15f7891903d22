#include "exchange/fhir_search.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <regex>

#include "core/dates.h"

namespace jd::exchange {

namespace {

using namespace std::chrono;

// The node's civil dates are in Asia/Shanghai, UTC+8 without daylight saving (core/dates.h).
constexpr hours kShanghaiOffset{8};

// [lo, hi) of the stored text a value's precision spans.
struct Span {
  std::string lo, hi;
};

std::string StartOfDay(const Date& d) {
  return FormatTimestamp(time_point_cast<system_clock::duration>(sys_days(d) - kShanghaiOffset));
}

int Number(const std::ssub_match& m) { return std::stoi(m.str()); }

// A date of year, month or day precision as the days it spans; nullopt when not a date.
std::optional<std::pair<Date, Date>> DaySpan(std::string_view text) {
  static const std::regex kDate(R"(^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$)");
  std::smatch m;
  const std::string s(text);
  if (!std::regex_match(s, m, kDate)) return std::nullopt;
  const year y{Number(m[1])};
  if (!m[2].matched) return std::pair{Date{y, January, 1d}, Date{y + years{1}, January, 1d}};
  const int mo = Number(m[2]);
  if (mo < 1 || mo > 12) return std::nullopt;
  const Date first{y, month(static_cast<unsigned>(mo)), 1d};
  if (!m[3].matched) return std::pair{first, AddMonths(first, 1)};
  auto day = ParseDate(s);
  if (!day) return std::nullopt;
  return std::pair{*day, AddDays(*day, 1)};
}

// A dateTime with seconds and a zone as the instant it names and its precision.
std::optional<Span> InstantSpan(std::string_view text) {
  static const std::regex kDateTime(
      R"(^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$)");
  std::smatch m;
  const std::string s(text);
  if (!std::regex_match(s, m, kDateTime)) return std::nullopt;
  auto day = ParseDate(m[1].str());
  const int h = Number(m[2]), mi = Number(m[3]), sec = Number(m[4]);
  if (!day || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  system_clock::time_point t = sys_days(*day) + hours(h) + minutes(mi) + seconds(sec);
  milliseconds precision = seconds(1);
  if (m[5].matched) {
    // The node keeps milliseconds: a finer fraction is cut to them.
    std::string frac = m[5].str().substr(1);
    frac.resize(3, '0');
    t += milliseconds(std::stoi(frac));
    precision = milliseconds(1);
  }
  if (m[6].str() != "Z") {
    const minutes offset = hours(Number(m[8])) + minutes(Number(m[9]));
    if (Number(m[8]) > 14 || Number(m[9]) > 59) return std::nullopt;
    t += m[7].str() == "+" ? -offset : offset;
  }
  return Span{FormatTimestamp(t), FormatTimestamp(t + precision)};
}

std::optional<Span> SpanOf(std::string_view text, DateKind kind) {
  if (auto days = DaySpan(text)) {
    if (kind == DateKind::kDate) return Span{FormatDate(days->first), FormatDate(days->second)};
    return Span{StartOfDay(days->first), StartOfDay(days->second)};
  }
  if (kind == DateKind::kInstant) return InstantSpan(text);
  return std::nullopt;
}

Status Refuse(std::string_view name, const std::string& code, const std::string& zh,
              const std::string& en) {
  return Status::Invalid({{std::string(name), code, zh, en}});
}

}  // namespace

Result<registry::TextRange> DateSearchRange(std::string_view name,
                                            const std::vector<std::string>& values, DateKind kind) {
  registry::TextRange range;
  for (const std::string& value : values) {
    if (value.find(',') != std::string::npos) {
      return Refuse(
          name, "unsupported_or",
          fmt::format("{} 不支持以逗号列出多个值（“或”）；同一参数可重复（“且”）", name),
          fmt::format("{}: a comma (OR) is not supported; repeat the parameter for AND", name));
    }
    std::string_view v = value;
    std::string prefix = "eq";
    if (v.size() >= 2 && v[0] >= 'a' && v[0] <= 'z' && v[1] >= 'a' && v[1] <= 'z') {
      prefix = std::string(v.substr(0, 2));
      v.remove_prefix(2);
    }
    if (prefix == "ne" || prefix == "ap") {
      return Refuse(
          name, "unsupported_prefix",
          fmt::format("{} 不支持前缀 {}（可用 eq、gt、lt、ge、le、sa、eb）", name, prefix),
          fmt::format("{}: the prefix {} is not supported (eq, gt, lt, ge, le, sa, eb are)", name,
                      prefix));
    }
    const bool known = prefix == "eq" || prefix == "gt" || prefix == "lt" || prefix == "ge" ||
                       prefix == "le" || prefix == "sa" || prefix == "eb";
    auto span = known ? SpanOf(v, kind) : std::nullopt;
    if (!span) {
      return kind == DateKind::kDate
                 ? Refuse(name, "invalid_date",
                          fmt::format("{} 应为日期：可带前缀的 YYYY、YYYY-MM 或 YYYY-MM-DD", name),
                          fmt::format("{} must be a date: YYYY, YYYY-MM or YYYY-MM-DD, with an "
                                      "optional prefix",
                                      name))
                 : Refuse(name, "invalid_instant",
                          fmt::format("{} 应为日期或带时区的时间（如 2026-12-01T10:00:00+08:00）",
                                      name),
                          fmt::format("{} must be a date or a dateTime with seconds and a zone "
                                      "(e.g. 2026-12-01T10:00:00+08:00)",
                                      name));
    }
    // search.html#prefix: what each prefix leaves of the stored values.
    std::string from, before;
    if (prefix == "eq") {
      from = span->lo;
      before = span->hi;
    } else if (prefix == "gt" || prefix == "sa") {
      from = span->hi;
    } else if (prefix == "ge") {
      from = span->lo;
    } else if (prefix == "lt" || prefix == "eb") {
      before = span->lo;
    } else {  // le
      before = span->hi;
    }
    // AND: the ranges' intersection.
    if (!from.empty() && (range.from.empty() || from > range.from)) range.from = from;
    if (!before.empty() && (range.before.empty() || before < range.before)) range.before = before;
  }
  return range;
}

Result<std::string> InstantParam(std::string_view name, std::string_view value) {
  auto span = SpanOf(value, DateKind::kInstant);
  if (!span) {
    return Refuse(
        name, "invalid_instant",
        fmt::format("{} 应为带时区的时间（如 2026-12-01T10:00:00+08:00）或日期", name),
        fmt::format("{} must be an instant (e.g. 2026-12-01T10:00:00+08:00) or a date", name));
  }
  return span->lo;
}

}  // namespace jd::exchange
