// File: disease/count_series.h
// A series of case counts per period as the surveillance commands read and write it: CSV with the
// header `date,count`, one row per period, oldest first (jundeng surveillance ears).
//
// ParseCountSeriesCsv(text): the periods, in order. The header must be exactly `date,count` (a
//   UTF-8 byte-order mark and CRLF line ends are accepted); each row has two fields, a real date
//   YYYY-MM-DD later than the row before (one row per period, oldest first) and a count of digits
//   only, 0 to 1,000,000,000. Every bad row is reported (up to 20) as a FieldError named
//   "line N: date" or "line N: count", in Chinese and English, in one Status::Invalid; an empty
//   input or a wrong header is one error "header". Never throws.
// FormatUpperbound(x): the shortest decimal that reads back as exactly the same double
//   (std::to_chars), e.g. "6.8812183340012805" — so a printed bound compares with R's `%.17g` to
//   the last bit.
// WriteEarsCsv(series, points): `date,count,upperbound,alarm` lines (LF ends); upperbound empty
//   where the point has no bound (baseline incomplete, or earsC's NA), alarm 1 or 0 (0 without a
//   bound). REQUIRES points.size() == series.size().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "disease/ears.h"

namespace jd::disease {

struct PeriodCount {
  Date date{};
  std::int64_t count = 0;
};

Result<std::vector<PeriodCount>> ParseCountSeriesCsv(std::string_view text);

std::string FormatUpperbound(double x);

std::string WriteEarsCsv(const std::vector<PeriodCount>& series,
                         const std::vector<EarsPoint>& points);

}  // namespace jd::disease
