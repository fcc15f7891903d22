// Unit-level facts of the live statistics view (kpi/live_units.h).
#include "kpi/live_units.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "kpi/live_view.h"
#include "network/rules.h"
#include "storage/database.h"

namespace jd::kpi {

namespace {

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

bool HasTable(soci::session& s, const std::string& name) {
  int n = 0;
  s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n", soci::use(name),
      soci::into(n);
  return n > 0;
}

// The far day on which a point's compliance is asked: checks never lapse, so the day it became
// compliant is the `since` of any later day.
constexpr Date kFarDay{std::chrono::year(9999), std::chrono::December, std::chrono::day(31)};

}  // namespace

UnitFacts ReadUnitFacts(soci::session& s,
                        const std::unordered_map<std::string, std::uint32_t>& org_index) {
  UnitFacts out;
  if (!HasTable(s, "service_points")) return out;
  auto org_of = [&](const std::string& code) -> const std::uint32_t* {
    auto it = org_index.find(code);
    return it == org_index.end() ? nullptr : &it->second;
  };
  // Demonstration points and their checklist (实施办法 §六(二)).
  std::map<std::string, std::pair<std::uint32_t, network::DemoPoint>> demo;
  soci::rowset<soci::row> points =
      (s.prepare << "SELECT id, org_code, kind, active FROM service_points");
  std::unordered_map<std::string, std::size_t> education_at;
  for (const auto& r : points) {
    const std::uint32_t* org = org_of(r.get<std::string>(1));
    if (org == nullptr || storage::RowInt64(r, 3) == 0) continue;  // unplaced or inactive
    const std::string id = r.get<std::string>(0), kind = r.get<std::string>(2);
    if (kind == network::PointKindCode(network::PointKind::kDemonstration)) {
      network::DemoPoint p;
      p.id = id;
      demo.emplace(id, std::make_pair(*org, std::move(p)));
    } else if (auto type = education::NormsTypeOfPointKind(kind)) {
      education_at[id] = out.education_points.size();
      out.education_points.push_back({*org, *type, {}});
    }
  }
  soci::rowset<soci::row> checks =
      (s.prepare << "SELECT point_id, item, checked_on FROM demo_checklist");
  for (const auto& r : checks) {
    auto it = demo.find(r.get<std::string>(0));
    auto item = network::ParseChecklistItem(r.get<std::string>(1));
    auto on = ParseDate(r.get<std::string>(2));
    if (it != demo.end() && item && on) it->second.second.checked[*item] = *on;
  }
  for (const auto& [id, entry] : demo) {
    const network::Compliance c = network::DemoPointCompliance(entry.second, kFarDay);
    out.demo_points.push_back({entry.first, c.compliant && c.since ? DayNumber(*c.since) : kNever});
  }
  // Gathering places (实施办法 §六(六)); created_at is a UTC timestamp: its day in Beijing time.
  soci::rowset<soci::row> places =
      (s.prepare << "SELECT org_code, date(created_at, '+8 hours'), has_fp_association FROM "
                    "gathering_places");
  for (const auto& r : places) {
    const std::uint32_t* org = org_of(r.get<std::string>(0));
    auto created = ParseDate(Text(r, 1));
    if (org == nullptr || !created) continue;
    out.places.push_back({*org, DayNumber(*created), storage::RowInt64(r, 2) != 0});
  }
  // Health-education activities of the centres and stations (规范 健康教育服务规范 二(二)).
  if (!HasTable(s, "edu_activities")) return out;
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> activity_at;
  soci::rowset<soci::row> activities =
      (s.prepare << "SELECT id, point_id, kind, venue, held_on, attendance, board FROM "
                    "edu_activities WHERE voided_at IS NULL ORDER BY held_on, id");
  for (const auto& r : activities) {
    auto point = education_at.find(r.get<std::string>(1));
    auto kind = education::ParseActivityKind(r.get<std::string>(2));
    auto held = ParseDate(r.get<std::string>(4));
    if (point == education_at.end() || !kind || !held) continue;
    education::Activity a;
    a.kind = *kind;
    a.venue = education::ParseVenue(Text(r, 3)).value_or(education::Venue::kCommunity);
    a.date = *held;
    a.board = Text(r, 6);
    a.attendance =
        r.get_indicator(5) == soci::i_null ? 0 : static_cast<int>(storage::RowInt64(r, 5));
    auto& list = out.education_points[point->second].activities;
    activity_at[r.get<std::string>(0)] = {point->second, list.size()};
    list.push_back(std::move(a));
  }
  soci::rowset<soci::row> materials =
      (s.prepare << "SELECT activity_id, title, format, quantity FROM edu_materials");
  for (const auto& r : materials) {
    auto it = activity_at.find(r.get<std::string>(0));
    auto format = education::ParseMaterialFormat(Text(r, 2));
    if (it == activity_at.end() || !format) continue;
    out.education_points[it->second.first].activities[it->second.second].materials.push_back(
        {r.get<std::string>(1), *format, static_cast<int>(storage::RowInt64(r, 3))});
  }
  return out;
}

std::vector<UnitCount> CountUnitFacts(const UnitFacts& facts, std::int32_t end) {
  std::map<std::uint32_t, UnitCount> by_org;
  auto at = [&](std::uint32_t org) -> UnitCount& {
    UnitCount& c = by_org[org];
    c.org = org;
    return c;
  };
  for (const auto& p : facts.demo_points) {
    if (p.compliant_from <= end) at(p.org).demonstration_points += 1;
  }
  for (const auto& p : facts.places) {
    if (p.created > end) continue;
    UnitCount& c = at(p.org);
    c.places += 1;
    c.places_with_association += p.association;
  }
  const Date day = FromDayNumber(end);
  const int year = static_cast<int>(day.year());
  const education::Norms& norms = education::DefaultNorms();
  for (const auto& p : facts.education_points) {
    auto measure = education::MeasureYear(norms, p.type, year, day, p.activities);
    if (!measure.ok()) continue;  // not reached: the day is within its own year
    UnitCount& c = at(p.org);
    c.education_points += 1;
    c.education_points_met += std::all_of(measure->norms.begin(), measure->norms.end(),
                                          [](const auto& n) { return n.met; });
  }
  std::vector<UnitCount> out;
  out.reserve(by_org.size());
  for (auto& [org, c] : by_org) out.push_back(c);
  return out;
}

}  // namespace jd::kpi
