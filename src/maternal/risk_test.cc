// The catalogue itself: the shipped one loads and is whole; a broken one is refused with field
// errors, not an exception. The colour rules are in tests/data/maternal/risk.json (cases_test.cc).
#include "maternal/risk.h"

#include <gtest/gtest.h>

#include <set>

namespace jd::maternal {
namespace {

TEST(RiskCatalogueTest, ShippedCatalogueIsTheNationalFiveColours) {
  const RiskCatalogue& c = RiskCatalogue::Builtin();
  EXPECT_EQ(c.colour_set(), "national-2017");
  std::set<std::string> colours;
  for (const auto& colour : c.colours()) {
    colours.insert(colour.code);
    for (const auto& r : colour.requires_codes) EXPECT_NE(c.FindRequirement(r), nullptr) << r;
  }
  EXPECT_EQ(colours, (std::set<std::string>{"green", "yellow", "orange", "red", "purple"}));
  EXPECT_EQ(c.lowest().code, "green");
  EXPECT_TRUE(c.FindColour("purple")->coexisting);
  // Every colour but green has conditions to tick.
  for (const char* colour : {"yellow", "orange", "red", "purple"}) {
    int n = 0;
    for (const auto& cond : c.conditions()) n += cond.colour == colour;
    EXPECT_GT(n, 2) << colour;
  }
}

TEST(RiskCatalogueTest, BrokenCataloguesAreRefusedWithFieldErrors) {
  auto not_json = RiskCatalogue::Load("{");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.status().field_errors()[0].code, "invalid_json");

  auto bad = RiskCatalogue::Load(R"({"colour_set": "x",
    "colours": [{"code": "green", "rank": 0, "zh": "绿", "requires": ["nope"]},
                {"code": "green", "rank": 1, "zh": "绿"}],
    "conditions": [{"code": "A", "colour": "blue", "zh": "a"},
                   {"code": "A", "colour": "green", "zh": "a", "when": [{"measure": "bmi"}]},
                   {"code": "B", "colour": "green", "zh": "b", "when": [{"test": "flu"}]}]})");
  ASSERT_FALSE(bad.ok());
  std::set<std::string> codes;
  for (const auto& e : bad.status().field_errors()) codes.insert(e.code);
  EXPECT_EQ(codes,
            (std::set<std::string>{"duplicate_colour", "unknown_colour", "duplicate_condition",
                                   "unbounded_clause", "unknown_test", "unknown_requirement"}));

  auto wrong_type = RiskCatalogue::Load(R"({"colour_set": "x", "colours": 3, "conditions": []})");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.status().field_errors()[0].code, "invalid_catalogue");
}

}  // namespace
}  // namespace jd::maternal
