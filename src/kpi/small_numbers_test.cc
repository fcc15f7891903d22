#include "kpi/small_numbers.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace jd::kpi {
namespace {

nlohmann::json Cases() {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/kpi/small_numbers.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

TEST(SmallNumbers, WilsonIntervalsOfTheWorkedCases) {
  const nlohmann::json cases = Cases()["wilson_95"];  // a copy, not a reference into a temporary
  ASSERT_GE(cases.size(), 5u);
  for (const auto& c : cases) {
    auto ci = WilsonInterval(c["x"].get<double>(), c["n"].get<double>());
    ASSERT_TRUE(ci) << c.dump();
    EXPECT_NEAR(ci->low, c["low"].get<double>(), 5e-7) << c.dump();
    EXPECT_NEAR(ci->high, c["high"].get<double>(), 5e-7) << c.dump();
  }
  EXPECT_FALSE(WilsonInterval(0, 0));
  // The interval holds its own value exactly at the ends, for any n.
  for (double n : {1.0, 3.0, 7.0, 29.0, 1000.0}) {
    EXPECT_EQ(WilsonInterval(n, n)->high, 1.0) << n;
    EXPECT_EQ(WilsonInterval(0, n)->low, 0.0) << n;
  }
}

TEST(SmallNumbers, FunnelLimitsNarrowWithTheDenominator) {
  const nlohmann::json cases = Cases();  // not a temporary: the loop holds references into it
  for (const auto& c : cases["funnel_p0_0_9"]) {
    const double n = c["n"].get<double>();
    auto l95 = FunnelLimits(0.9, n, kZ95), l998 = FunnelLimits(0.9, n, kZ998);
    ASSERT_TRUE(l95 && l998);
    EXPECT_NEAR(l95->low, c["low95"].get<double>(), 5e-7) << n;
    EXPECT_NEAR(l95->high, c["high95"].get<double>(), 5e-7) << n;
    EXPECT_NEAR(l998->low, c["low998"].get<double>(), 5e-7) << n;
    EXPECT_NEAR(l998->high, c["high998"].get<double>(), 5e-7) << n;
  }
  // 85% is within expectation for 20 children, below it for 400.
  EXPECT_EQ(PositionIn(*FunnelLimits(0.9, 20, kZ95), 0.85), FunnelPosition::kWithin);
  EXPECT_EQ(PositionIn(*FunnelLimits(0.9, 400, kZ95), 0.85), FunnelPosition::kBelow);
  EXPECT_EQ(PositionIn(*FunnelLimits(0.9, 400, kZ95), 0.95), FunnelPosition::kAbove);
  EXPECT_EQ(FunnelPositionCode(FunnelPosition::kBelow), "below");
}

TEST(SmallNumbers, ShrinkageTowardTheParent) {
  const nlohmann::json cases = Cases();
  for (const auto& c : cases["shrinkage"]) {
    EXPECT_NEAR(ShrunkValue(c["numerator"].get<double>(), c["denominator"].get<double>(),
                            c["parent"].get<double>(), c["strength"].get<double>()),
                c["value"].get<double>(), 5e-7)
        << c.dump();
  }
}

}  // namespace
}  // namespace jd::kpi
