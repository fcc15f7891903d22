// File: core/input.h
// The one set of checks every text and date that comes from outside goes through (request bodies,
// query strings, CSV rows, command-line options), whatever the module. Pure functions, thread-safe.
//
// Text. A value is acceptable for a FieldKind when it is well-formed UTF-8 (RFC 3629), holds no
// control character (C0, DEL, C1, U+2028/U+2029; tab and line breaks only in multi-line kinds), is
// not blank once whitespace and invisible characters (zero-width space and joiners, word joiner,
// BOM, soft hyphen, bidirectional marks, Hangul fillers, variation selectors, tags) are removed,
// and is at most the kind's length in code points. "" is acceptable: whether a field is required
// is the caller's rule. Error codes: "invalid_encoding", "control_character", "blank", "too_long".
//
// Dates. Only ISO 8601 calendar dates "YYYY-MM-DD" that exist are read (2026-13-45 and 2026-02-30
// are errors, never normalised). A DateKind fixes the plausible range relative to "today" (the
// civil date in Asia/Shanghai, from the caller's Clock): see kDateRanges in input.cc. Error codes:
// "invalid_date", "too_early", "in_future" (later than today for kinds that may not be in the
// future), "too_late" (past the kind's future bound), "before_birth" (with a `not_before` date).
//
// Request members. TextMember reads a string member of a JSON object: absent, null and "" are all
// "" (the caller decides whether the field is required), another JSON type is "wrong_type", the
// text is trimmed (core/text.h Trim) and checked with CheckText; "" after any error.
// OptionalTextMember is the same but tells "not given" (absent or null, and after an error) as
// nullopt from "given empty" (""). DateMember reads a "YYYY-MM-DD" string member as a `kind` date
// and DateParam the same from a query parameter or CSV cell: absent, null and "" are "required"
// for Presence::kRequired, nullopt otherwise; nullopt after any error.
//
// Field errors carry the JSON field name in `field` and messages in Chinese and English; the
// Chinese message names the field by `label_zh` when given, else by the field name.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/dates.h"
#include "core/status.h"

namespace jd {

enum class FieldKind {
  kName,       // a person's or account's display name: 50
  kCode,       // identifiers and codes (org codes, vaccine codes, ids, enum values): 64
  kNumber,     // document, lot, certificate, record and ID numbers: 64
  kUsername,   // account names: 64
  kPhone,      // telephone numbers as typed: 32
  kShortText,  // occupation, employer, school, titles, manufacturer: 100
  kAddress,    // addresses and place names: 200
  kFileName,   // an uploaded file's name: 200
  kNote,       // notes, reasons, comments, message text (tab and line breaks allowed): 500
};

enum class DateKind {
  kBirth,      // 1900-01-01 .. today
  kPastEvent,  // arrival, departure, residence events, reviews, checks: 1900-01-01 .. today
  kIssue,      // a document's issue date: 1900-01-01 .. today
  kExpiry,     // a document's expiry date: 1900-01-01 .. today + 100 years
  kDose,       // a vaccination: 1900-01-01 .. today, and not before birth
  kScheduled,  // appointments, session days, campaigns, health events: 2000-01-01 .. today + 2
               // years
  kAsOf,       // report periods, "as of" and filter dates: 1900-01-01 .. today + 10 years
};

// The length limit of a kind, in code points.
std::size_t MaxLength(FieldKind kind);

// The error for `value` as a `kind` text, or nullopt when it is acceptable (see above).
std::optional<FieldError> CheckText(std::string_view value, FieldKind kind, std::string_view field,
                                    std::string_view label_zh = {});

// The error for `date` as a `kind` date on `today` (and not before `not_before` when given), or
// nullopt when it is within the kind's range.
std::optional<FieldError> CheckDate(const Date& date, DateKind kind, const Date& today,
                                    std::string_view field, std::string_view label_zh = {},
                                    std::optional<Date> not_before = std::nullopt);

// Strict "YYYY-MM-DD" text read as a `kind` date: the date, or the field error ("invalid_date" or
// a range code). REQUIRES: `text` is not empty (absence is the caller's rule).
Result<Date> ReadDate(std::string_view text, DateKind kind, const Date& today,
                      std::string_view field, std::string_view label_zh = {},
                      std::optional<Date> not_before = std::nullopt);

enum class Presence { kOptional, kRequired };

std::string TextMember(const nlohmann::json& j, std::string_view key, FieldKind kind,
                       FieldErrors& errors, std::string_view label_zh = {});

std::optional<std::string> OptionalTextMember(const nlohmann::json& j, std::string_view key,
                                              FieldKind kind, FieldErrors& errors);

std::optional<Date> DateMember(const nlohmann::json& j, std::string_view key, DateKind kind,
                               const Date& today, Presence presence, FieldErrors& errors,
                               std::optional<Date> not_before = std::nullopt);

std::optional<Date> DateParam(std::string_view text, std::string_view field, DateKind kind,
                              const Date& today, Presence presence, FieldErrors& errors,
                              std::optional<Date> not_before = std::nullopt);

// Conditional updates (RFC 9110 §13.1.1 If-Match): an update of an existing record names the
// version it changes. VersionRequired(): it named none; StaleVersion(): the record was changed
// since that version. Both are kFailedPrecondition with one field error on "If-Match" (codes
// "version_required" and "version_mismatch"), which the HTTP layer answers with 428 and 412.
Status VersionRequired();
Status StaleVersion();

// Whether `cp` is removed before the blank test (whitespace or an invisible format character).
bool IsInvisible(char32_t cp);

}  // namespace jd
