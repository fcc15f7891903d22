#include "core/dates.h"

#include <fmt/format.h>

namespace jd {

using namespace std::chrono;

namespace {
// China Standard Time; no daylight saving since 1991, so a fixed offset is exact for current dates.
constexpr hours kShanghaiOffset{8};

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::string_view y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  Date date{year{ToInt(y)}, month{static_cast<unsigned>(ToInt(m))},
            day{static_cast<unsigned>(ToInt(d))}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(const Date& d) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

Date AddMonths(const Date& d, int n) {
  year_month ym = year_month{d.year(), d.month()} + months{n};
  day last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  return Date{ym.year(), ym.month(), d.day() > last ? last : d.day()};
}

Date AddYears(const Date& d, int n) { return AddMonths(d, 12 * n); }

Date AddDays(const Date& d, int n) { return Date{sys_days{d} + days{n}}; }

int DaysBetween(const Date& from, const Date& to) {
  return static_cast<int>((sys_days{to} - sys_days{from}).count());
}

int AgeInYears(const Date& birth, const Date& as_of) {
  int age = static_cast<int>(as_of.year()) - static_cast<int>(birth.year());
  if (AddYears(birth, age) > as_of) --age;
  return age;
}

std::string FormatTimestamp(system_clock::time_point t) {
  auto ms = duration_cast<milliseconds>(t.time_since_epoch());
  auto day_point = floor<days>(ms);
  Date d{sys_days{day_point}};
  auto in_day = ms - day_point;
  auto h = duration_cast<hours>(in_day);
  auto mi = duration_cast<minutes>(in_day - h);
  auto s = duration_cast<seconds>(in_day - h - mi);
  auto milli = in_day - h - mi - s;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:03d}Z", FormatDate(d), h.count(), mi.count(),
                     s.count(), static_cast<long long>(milli.count()));
}

std::optional<system_clock::time_point> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.mmm]Z
  if (text.size() != 20 && text.size() != 24) return std::nullopt;
  if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text.back() != 'Z')
    return std::nullopt;
  auto d = ParseDate(text.substr(0, 10));
  if (!d) return std::nullopt;
  std::string_view hh = text.substr(11, 2), mm = text.substr(14, 2), ss = text.substr(17, 2);
  if (!AllDigits(hh) || !AllDigits(mm) || !AllDigits(ss)) return std::nullopt;
  int h = ToInt(hh), mi = ToInt(mm), s = ToInt(ss), ms = 0;
  if (text.size() == 24) {
    if (text[19] != '.' || !AllDigits(text.substr(20, 3))) return std::nullopt;
    ms = ToInt(text.substr(20, 3));
  }
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  return system_clock::time_point{sys_days{*d} + hours{h} + minutes{mi} + seconds{s} +
                                  milliseconds{ms}};
}

Date Clock::Today() const { return Date{floor<days>(Now() + kShanghaiOffset)}; }

FixedClock FixedClock::AtDate(const Date& d) { return FixedClock(sys_days{d} - kShanghaiOffset); }

}  // namespace jd
