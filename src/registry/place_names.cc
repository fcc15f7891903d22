#include "registry/place_names.h"

namespace jd::registry {

std::string PlaceName(const Divisions& divisions, std::string_view code6, bool with_province) {
  std::string full = divisions.FullName(code6);
  if (full.empty()) return std::string(code6);
  if (with_province) return full;
  // The four 直辖市 are provinces and cities at once: their name is the city's.
  std::string_view p = code6.substr(0, 2);
  if (p == "11" || p == "12" || p == "31" || p == "50") return full;
  std::string province = divisions.ProvinceName(code6);
  if (!province.empty() && full.size() > province.size() && full.starts_with(province)) {
    return full.substr(province.size());
  }
  return full;
}

}  // namespace jd::registry
