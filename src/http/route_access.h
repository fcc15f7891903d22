// File: http/route_access.h
// What each API operation requires, as the OpenAPI document says it: every operation carries
// `x-permission`, either "public" (no sign-in: login, health, the document itself, the gateway's
// signed receipts), "authenticated" (any signed-in user: their own session and password, pure
// calculators that read no stored data), or one permission code or a list of codes of which any
// one suffices (auth::PermissionCode). The server reads it once for every route and checks it,
// through auth::RequireAny, before the handler runs; the services check again, so a route and its
// service must both be wrong for a role to get through. A route whose operation has no valid
// x-permission is a build mistake: the route table refuses to start (and server_test fails).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.h"

namespace jd::http {

struct RouteAccess {
  enum class Kind { kPublic, kAuthenticated, kPermission };
  Kind kind = Kind::kPermission;
  std::vector<auth::Permission> any_of;  // for kPermission: non-empty
};

// The access of operation `method` `pattern` (e.g. "GET", "/api/v1/persons/{id}") in the merged
// OpenAPI document; nullopt when the operation is missing or its x-permission is absent or names
// an unknown permission.
std::optional<RouteAccess> AccessOf(const std::string& method, const std::string& pattern);

}  // namespace jd::http
