// File: core/dates.h
// Calendar dates. All rules work on civil dates in Asia/Shanghai (UTC+8, no daylight saving since
// 1991), held as std::chrono::year_month_day, and take an explicit "as of" date.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jd {

using Date = std::chrono::year_month_day;

// Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date) and checks the date exists.
std::optional<Date> ParseDate(std::string_view text);
// "YYYY-MM-DD".
std::string FormatDate(const Date& d);

// `d` plus `n` calendar months, clamped to the end of the month (Jan 31 + 1 month = Feb 28/29):
// "N months of age" and "resident N months" both use this.
Date AddMonths(const Date& d, int n);
// `d` plus `n` calendar years, Feb 29 clamped to Feb 28.
Date AddYears(const Date& d, int n);
Date AddDays(const Date& d, int n);
// Days from `from` to `to` (negative when `to` is earlier).
int DaysBetween(const Date& from, const Date& to);
// Completed years of age on `as_of` (the birthday itself counts).
int AgeInYears(const Date& birth, const Date& as_of);

// A date-time as UTC ISO 8601 with milliseconds, e.g. "2026-11-22T06:15:00.123Z".
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

// Parses FormatTimestamp's form ("2026-11-22T06:15:00.123Z"; the milliseconds are optional).
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text);

// The source of "now" for the whole process. Tests and the demo may pin it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Today's civil date in Asia/Shanghai.
  Date Today() const;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock fixed at a civil date (midnight Asia/Shanghai) that tests may move.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  static FixedClock AtDate(const Date& d);
  std::chrono::system_clock::time_point Now() const override { return t_; }
  void Advance(std::chrono::milliseconds by) { t_ += by; }

 private:
  std::chrono::system_clock::time_point t_;
};

}  // namespace jd
