// File: http/request_guard.h
// Cross-site request refusal for the cookie session (OWASP CSRF Prevention Cheat Sheet, "Fetch
// Metadata" and "Verifying Origin with standard headers"). The session cookie is already
// SameSite=Strict; this is the second line for browsers or proxies that do not honour it.
//
// IsCrossSiteWrite(method, sec_fetch_site, origin, host): true when a state-changing request
//   (any method but GET, HEAD, OPTIONS) comes from another site:
//   - Sec-Fetch-Site present: anything but "same-origin" or "none" (typed or bookmarked) is
//     cross-site ("same-site" too: a sibling sub-domain of a city portal is not this node);
//   - otherwise Origin present: its host[:port] must equal the Host header (so a TLS front such as
//     nginx that keeps Host works); "null" (sandboxed or file pages) is cross-site;
//   - neither header: not a browser's cross-site request (scripts and the command line), allowed.
//   Pure; header values as received.
#pragma once

#include <string_view>

namespace jd::http {

bool IsCrossSiteWrite(std::string_view method, std::string_view sec_fetch_site,
                      std::string_view origin, std::string_view host);

}  // namespace jd::http
