// File: http/problem.h
// The one mapping from Status codes to HTTP statuses, and RFC 7807 problem+json bodies with a
// field list. Messages are given in Chinese and English; `message` follows Accept-Language
// (Chinese unless the client prefers English).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace jd::http {

enum class Lang { kZh, kEn };
Lang LangFromAcceptLanguage(const std::string& header);

int HttpStatusOf(StatusCode code);
// The HTTP status of a whole Status: HttpStatusOf(code), except for conditional updates
// (core/input.h): a failed precondition on "If-Match" is 428 when the version is missing
// (RFC 6585 §3) and 412 when it is stale (RFC 9110 §15.5.13).
int HttpStatusOf(const Status& status);

// {"type","title","status","detail","detail_en","detail_zh","code","instance","request_id",
//  "errors":[{"field","code","message","message_zh","message_en"}], "existing_id"?}
nlohmann::json ProblemJson(const Status& status, const std::string& instance,
                           const std::string& request_id, Lang lang);

inline constexpr const char* kProblemContentType = "application/problem+json";

}  // namespace jd::http
