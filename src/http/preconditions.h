// File: http/preconditions.h
// Conditional updates (RFC 9110 §13.1.1 If-Match, RFC 6585 §3 428 Precondition Required): every
// route that changes an existing record (PATCH, or PUT over a record that exists) requires the
// If-Match header naming the version the client last read, so that two people editing the same
// record cannot overwrite each other unseen. Pure functions of the request; thread-safe.
//
// RequiredVersion(c): the record version in If-Match, accepted as 3, "3" or W/"3". Absent, empty
//   or "*" (which names no version) is VersionRequired() (core/input.h, 428); anything else that is
//   not a version number is a field error on "If-Match" (400). The service compares it with the
//   stored version and answers StaleVersion() (412) when they differ.
// ContentTag(representation): for records without a version column (accounts, session days, a
//   clinic's contact, population figures): a entity tag "c-<16 hex digits>" of the
//   record's JSON representation (FNV-1a 64 of its compact dump). Routes that read such a record
//   send it as its "version" and ETag.
// MatchContentTag(c, current): Ok when If-Match names `current` (quoted or not); VersionRequired()
//   when If-Match is absent, empty or "*"; StaleVersion() otherwise.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "http/handler.h"

namespace jd::http {

Result<int> RequiredVersion(const Ctx& c);

std::string ContentTag(const nlohmann::json& representation);

Status MatchContentTag(const Ctx& c, const std::string& current);

}  // namespace jd::http
