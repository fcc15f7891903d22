// File: exchange/fhir_search.h
// FHIR R4 date search parameters (search.html#date, with the prefixes of search.html#prefix) as
// ranges of the node's stored text, for the registry's search (registry/person_store.h
// TextRange). Pure functions, no I/O.
//
// A parameter's value is a date of year, month or day precision ("2015", "2015-03",
// "2015-03-04") or, for instants, a dateTime with seconds and a time zone
// ("2026-12-01T10:00:00+08:00", "…Z", optional fraction). The value stands for the whole range
// its precision names ("2015" = all of 2015), and the prefix compares the resource's value with
// that range:
//   eq (or no prefix)  within it                 ge  from its start
//   gt, sa             after its end             le  before its end
//   lt, eb             before its start
// `ne` and `ap` (approximately) are refused: an answer that looks narrowed and is not is worse than
// a 400. A parameter repeated is AND (birthdate=ge2015&birthdate=lt2016); a comma (OR) is refused.
// Dates without a time zone are calendar days in Asia/Shanghai (the node's dates); instants are
// compared in UTC, as the node stores them (core/dates.h FormatTimestamp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "registry/person_store.h"

namespace jd::exchange {

enum class DateKind {
  kDate,     // a calendar date column ("YYYY-MM-DD"), e.g. Patient.birthDate
  kInstant,  // a timestamp column (FormatTimestamp), e.g. meta.lastUpdated
};

// The range the values (each a repeat of parameter `name`) leave. Errors are field errors named
// `name`, in Chinese and English.
Result<registry::TextRange> DateSearchRange(std::string_view name,
                                            const std::vector<std::string>& values, DateKind kind);

// A FHIR instant ("2026-12-01T10:00:00+08:00", "…Z", or a date, taken as its first moment in
// Asia/Shanghai) as the node's timestamp text, for the bulk export's `_since`.
Result<std::string> InstantParam(std::string_view name, std::string_view value);

}  // namespace jd::exchange
