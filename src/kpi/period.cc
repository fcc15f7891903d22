// Reporting periods (kpi/model.h).
#include <fmt/format.h>

#include <charconv>

#include "kpi/model.h"

namespace jd::kpi {

namespace {

using std::chrono::day;
using std::chrono::last;
using std::chrono::month;
using std::chrono::year;

Period Make(Period::Type type, int y, int index) {
  Period p;
  p.type = type;
  p.year = y;
  p.index = index;
  switch (type) {
    case Period::Type::kMonth:
      p.first = year{y} / month{static_cast<unsigned>(index)} / day{1};
      p.last = Date{year{y} / month{static_cast<unsigned>(index)} / last};
      break;
    case Period::Type::kQuarter:
      p.first = year{y} / month{static_cast<unsigned>(index * 3 - 2)} / day{1};
      p.last = Date{year{y} / month{static_cast<unsigned>(index * 3)} / last};
      break;
    case Period::Type::kYear:
      p.first = year{y} / month{1} / day{1};
      p.last = year{y} / month{12} / day{31};
      break;
  }
  return p;
}

bool Digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::string Period::Code() const {
  switch (type) {
    case Type::kMonth:
      return fmt::format("{:04}-{:02}", year, index);
    case Type::kQuarter:
      return fmt::format("{:04}Q{}", year, index);
    case Type::kYear:
      break;
  }
  return fmt::format("{:04}", year);
}

std::string Period::Dhis2Code() const {
  if (type == Type::kMonth) return fmt::format("{:04}{:02}", year, index);
  return Code();
}

std::string Period::LabelZh() const {
  switch (type) {
    case Type::kMonth:
      return fmt::format("{}年{}月", year, index);
    case Type::kQuarter:
      return fmt::format("{}年第{}季度", year, index);
    case Type::kYear:
      break;
  }
  return fmt::format("{}年", year);
}

Result<Period> ParsePeriod(std::string_view text, std::string_view field) {
  int y = 0, i = 0;
  bool ok = false;
  Period::Type type = Period::Type::kMonth;
  if (text.size() == 7 && text[4] == '-') {  // YYYY-MM
    ok = Digits(text.substr(0, 4), y) && Digits(text.substr(5, 2), i) && i >= 1 && i <= 12;
  } else if (text.size() == 6 && text[4] == 'Q') {  // YYYYQn
    type = Period::Type::kQuarter;
    ok = Digits(text.substr(0, 4), y) && Digits(text.substr(5, 1), i) && i >= 1 && i <= 4;
  } else if (text.size() == 6) {  // YYYYMM
    ok = Digits(text.substr(0, 4), y) && Digits(text.substr(4, 2), i) && i >= 1 && i <= 12;
  } else if (text.size() == 4) {
    type = Period::Type::kYear;
    i = 1;
    ok = Digits(text, y);
  }
  if (!ok || y < 1900 || y > 2999) {
    return Status::Invalid(
        {{std::string(field), "invalid_period",
          "统计期应为 YYYY-MM（月）、YYYYQn（季度）或 YYYY（年）",
          "the period must be YYYY-MM (month), YYYYQn (quarter) or YYYY (year)"}});
  }
  return Make(type, y, i);
}

Period MonthOf(Date d) {
  return Make(Period::Type::kMonth, static_cast<int>(d.year()),
              static_cast<int>(static_cast<unsigned>(d.month())));
}

Period Previous(const Period& p, int n) {
  int per_year = p.type == Period::Type::kMonth ? 12 : p.type == Period::Type::kQuarter ? 4 : 1;
  int k = p.year * per_year + (p.index - 1) - n;
  int y = k >= 0 ? k / per_year : (k - per_year + 1) / per_year;
  return Make(p.type, y, k - y * per_year + 1);
}

}  // namespace jd::kpi
