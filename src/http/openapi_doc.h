// File: http/openapi_doc.h
// /api/v1/openapi.json: the base description (http/openapi/base.json) with each module's fragment
// (http/openapi/<module>.json: "paths" and "components.schemas") merged in.
#pragma once

#include <string>

namespace jd::http {

// The merged document, serialised once.
const std::string& OpenApiDocument();

}  // namespace jd::http
