#include "http/request_guard.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace jd::http {

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

bool IsCrossSiteWrite(std::string_view method, std::string_view sec_fetch_site,
                      std::string_view origin, std::string_view host) {
  if (method == "GET" || method == "HEAD" || method == "OPTIONS") return false;
  if (!sec_fetch_site.empty()) {
    std::string site = Lower(sec_fetch_site);
    return site != "same-origin" && site != "none";
  }
  if (origin.empty()) return false;
  // Origin is scheme "://" host [":" port], nothing after.
  std::size_t sep = origin.find("://");
  if (sep == std::string_view::npos || host.empty()) return true;
  std::string_view authority = origin.substr(sep + 3);
  if (authority.empty() || authority.find('/') != std::string_view::npos) return true;
  std::string_view scheme = origin.substr(0, sep);
  std::string a = Lower(authority), h = Lower(host);
  // The default port may be written out on one side only.
  auto strip_default = [&](std::string& v) {
    const std::string port = Lower(scheme) == "https" ? ":443" : ":80";
    if (v.size() > port.size() && v.compare(v.size() - port.size(), port.size(), port) == 0) {
      v.resize(v.size() - port.size());
    }
  };
  strip_default(a);
  strip_default(h);
  return a != h;
}

}  // namespace jd::http
