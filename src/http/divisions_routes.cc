// Reference tables for pickers: GB/T 2260 divisions (by parent, by name or pinyin initials, and one
// code with its history) and GB/T 3304 ethnicities. No person data; any signed-in user may read
// them (registry/division_lookup.h holds the rules; this file reads requests and shapes answers).
#include <algorithm>

#include "http/module_routes.h"
#include "registry/division_lookup.h"
#include "registry/ethnicity.h"

namespace jd::http {

namespace {

using nlohmann::json;

std::string_view LevelCode(registry::DivisionLevel level) {
  switch (level) {
    case registry::DivisionLevel::kProvince:
      return "province";
    case registry::DivisionLevel::kPrefecture:
      return "prefecture";
    case registry::DivisionLevel::kCounty:
      break;
  }
  return "county";
}

json RefJson(const registry::DivisionRef& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"full_name", r.full_name},
          {"level", LevelCode(r.level)},
          {"initials", registry::NameInitials(r.name)},
          {"path", r.path}};
}

json RefsJson(const std::vector<registry::DivisionRef>& refs) {
  json items = json::array();
  for (const auto& r : refs) items.push_back(RefJson(r));
  return {{"items", items}};
}

bool IsCode6(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

Status BadCode(const std::string& field) {
  return Invalid(field, "invalid_format", "行政区划代码应为6位数字",
                 field + " must be a 6-digit GB/T 2260 code");
}

// GET /divisions?parent=…: the divisions under a parent (none: the provinces);
// GET /divisions?q=…: a search by name, pinyin initials or code prefix.
Result<Reply> DivisionsList(App&, Ctx& c, const ServerOptions&) {
  const registry::Divisions& divisions = registry::Divisions::Builtin();
  const bool has_q = c.req.has_param("q");
  if (has_q && c.req.has_param("parent")) {
    return Invalid("q", "conflict", "parent 与 q 只能给出一个",
                   "give either parent or q, not both");
  }
  if (has_q) {
    std::string q = Param(c.req, "q");
    if (q.empty() || q.size() > 60) {
      return Invalid("q", "invalid_length", "查询文字应为1–20个字", "q must be 1 to 20 characters");
    }
    auto limit = IntParam(c.req, "limit", 20, 1, 50);
    if (!limit.ok()) return limit.status();
    return Json(
        RefsJson(registry::SearchDivisions(divisions, q, static_cast<std::size_t>(*limit))));
  }
  std::string parent = Param(c.req, "parent");
  if (!parent.empty() && !IsCode6(parent)) return BadCode("parent");
  if (!parent.empty() && !divisions.IsCurrent(parent)) {
    return Status::NotFound("division " + parent, "行政区划 " + parent);
  }
  return Json(RefsJson(registry::ChildDivisions(divisions, parent)));
}

// GET /divisions/{code}?year=…: the code's name in that year (or its latest), whether it is
// current, and the current divisions that took over an old code.
Result<Reply> DivisionsGet(App&, Ctx& c, const ServerOptions&) {
  const std::string& code = c.params[0];
  if (!IsCode6(code)) return BadCode("code");
  auto year = IntParam(c.req, "year", 0, 1900, 2100);
  if (!year.ok()) return year.status();
  auto r = registry::ResolveDivision(registry::Divisions::Builtin(), code, *year);
  if (!r) return Status::NotFound("division " + code, "行政区划 " + code);
  json successors = json::array();
  for (const auto& s : r->successors) successors.push_back(RefJson(s));
  return Json({{"code", r->code},
               {"name", r->name},
               {"full_name", r->full_name},
               {"level", LevelCode(r->level)},
               {"current", r->current},
               {"start_year", r->start_year == 0 ? json(nullptr) : json(r->start_year)},
               {"end_year", r->end_year == 0 ? json(nullptr) : json(r->end_year)},
               {"successors", successors},
               {"path", r->path}});
}

// GET /ethnicities: the GB/T 3304 table with each name's pinyin initials.
Result<Reply> EthnicitiesList(App&, Ctx&, const ServerOptions&) {
  json items = json::array();
  for (const auto& e : registry::Ethnicities::Builtin().All()) {
    items.push_back({{"code", e.code},
                     {"name_zh", e.name_zh},
                     {"name_en", e.name_en},
                     {"initials", registry::NameInitials(e.name_zh)}});
  }
  return Json({{"items", items}});
}

}  // namespace

std::vector<Route> DivisionRoutes() {
  return {
      {{"GET", "/api/v1/divisions", true}, false, DivisionsList},
      {{"GET", "/api/v1/divisions/{code}", true}, false, DivisionsGet},
      {{"GET", "/api/v1/ethnicities", true}, false, EthnicitiesList},
  };
}

}  // namespace jd::http
