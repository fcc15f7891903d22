// Worked cases of registry/division_lookup.h from tests/data/registry/division_lookup_cases.json.
#include "registry/division_lookup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace jd::registry {
namespace {

using nlohmann::json;

// Read once and kept: a range-for over Cases()[...] must not outlive the document.
const json& Cases() {
  static const json cases = [] {
    std::ifstream in(std::string(JD_SOURCE_DIR) +
                     "/tests/data/registry/division_lookup_cases.json");
    return json::parse(in);
  }();
  return cases;
}

std::vector<std::string> Codes(const std::vector<DivisionRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.code);
  return out;
}

bool Has(const std::vector<DivisionRef>& refs, const std::string& code) {
  auto codes = Codes(refs);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

TEST(DivisionLookup, ResolveCases) {
  const Divisions& d = Divisions::Builtin();
  for (const json& c : Cases()["resolve"]) {
    SCOPED_TRACE(c["why"].get<std::string>());
    auto r = ResolveDivision(d, c["code"].get<std::string>(), c["year"].get<int>());
    if (c.value("unknown", false)) {
      EXPECT_FALSE(r.has_value());
      EXPECT_EQ(DivisionFullName(c["code"].get<std::string>()), "");
      continue;
    }
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->full_name, c["full_name"].get<std::string>());
    EXPECT_EQ(r->current, c["current"].get<bool>());
    EXPECT_EQ(r->end_year, c["end_year"].get<int>());
    EXPECT_EQ(Codes(r->successors), c["successors"].get<std::vector<std::string>>());
    if (c.contains("successor_names")) {
      std::vector<std::string> names;
      for (const auto& s : r->successors) names.push_back(s.full_name);
      EXPECT_EQ(names, c["successor_names"].get<std::vector<std::string>>());
    }
    if (c.contains("path")) {
      EXPECT_EQ(r->path, c["path"].get<std::vector<std::string>>());
    }
    EXPECT_EQ(DivisionFullName(c["code"].get<std::string>(), c["year"].get<int>()), r->full_name);
  }
}

TEST(DivisionLookup, SearchCases) {
  const Divisions& d = Divisions::Builtin();
  for (const json& c : Cases()["search"]) {
    SCOPED_TRACE(c["q"].get<std::string>());
    auto hits = SearchDivisions(d, c["q"].get<std::string>(), 50);
    EXPECT_TRUE(Has(hits, c["includes"].get<std::string>()));
    if (!c["first_name"].is_null()) {
      ASSERT_FALSE(hits.empty());
      EXPECT_EQ(hits.front().name, c["first_name"].get<std::string>());
    }
  }
  EXPECT_TRUE(SearchDivisions(d, "  ", 20).empty());
  EXPECT_EQ(SearchDivisions(d, "区", 7).size(), 7u);
}

TEST(DivisionLookup, ChildrenCases) {
  const Divisions& d = Divisions::Builtin();
  for (const json& c : Cases()["children"]) {
    SCOPED_TRACE(c["parent"].get<std::string>());
    auto kids = ChildDivisions(d, c["parent"].get<std::string>());
    if (c.value("empty", false)) {
      EXPECT_TRUE(kids.empty());
      continue;
    }
    EXPECT_TRUE(Has(kids, c["includes"].get<std::string>()));
    EXPECT_FALSE(Has(kids, c["excludes"].get<std::string>()));
  }
}

TEST(DivisionLookup, NameInitials) {
  EXPECT_EQ(NameInitials("武冈市"), "wgs");
  EXPECT_EQ(NameInitials("壮族"), "zz");
  EXPECT_EQ(NameInitials("A1"), "");
}

}  // namespace
}  // namespace jd::registry
