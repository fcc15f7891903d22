#include "disease/hivtb_art.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace jd::disease {
namespace {

using nlohmann::json;

const json& Cases() {
  static const json cases = [] {
    std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/disease/hiv_care.json");
    return json::parse(in, nullptr, false);
  }();
  EXPECT_TRUE(cases.is_object());
  return cases;
}

Date D(const json& j) { return ParseDate(j.get<std::string>()).value(); }

HivCareInput InputOf(const json& j) {
  HivCareInput in;
  in.diagnosed_on = D(j.at("diagnosed_on"));
  if (j.contains("art_started_on")) in.art_started_on = D(j["art_started_on"]);
  in.status = ParseHivCareStatus(j.at("status").get<std::string>()).value();
  for (const auto& f : j.at("follow_ups")) {
    in.follow_ups.push_back({D(f.at("date")), f.value("cd4", false), f.value("viral_load", false)});
  }
  in.as_of = D(j.at("as_of"));
  return in;
}

TEST(HivCare, WorkedCases) {
  int checked = 0;
  for (const auto& c : Cases()["plans"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto plan = PlanHivCare(InputOf(c["input"]));
    ASSERT_TRUE(plan.ok()) << plan.status().message_en();
    const json& e = c["expect"];
    EXPECT_EQ(plan->overdue, e["overdue"].get<bool>());
    ASSERT_EQ(plan->items.size(), e["items"].size());
    for (std::size_t i = 0; i < plan->items.size(); ++i) {
      const HivDueItem& it = plan->items[i];
      const json& w = e["items"][i];
      EXPECT_EQ(HivItemCode(it.item), w[0].get<std::string>()) << i;
      EXPECT_EQ(it.months, w[1].get<int>()) << i;
      EXPECT_EQ(FormatDate(it.due), w[2].get<std::string>()) << i;
      EXPECT_EQ(FormatDate(it.window_end), w[3].get<std::string>()) << i;
      EXPECT_EQ(TbDueStatusCode(it.status), w[4].get<std::string>()) << i;
      EXPECT_EQ(it.done_on ? json(FormatDate(*it.done_on)) : json(), w[5]) << i;
    }
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(HivCare, BadInputIsFieldErrors) {
  for (const auto& c : Cases()["errors"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto plan = PlanHivCare(InputOf(c["input"]));
    ASSERT_FALSE(plan.ok());
    std::vector<std::string> fields;
    for (const auto& f : plan.status().field_errors()) fields.push_back(f.field);
    EXPECT_EQ(fields, c["fields"].get<std::vector<std::string>>());
  }
}

TEST(HivCare, StatusCodesRoundTrip) {
  for (const char* code : {"not_started", "on_art", "stopped", "transferred_out", "died", "lost"}) {
    auto s = ParseHivCareStatus(code);
    ASSERT_TRUE(s.has_value()) << code;
    EXPECT_EQ(HivCareStatusCode(*s), code);
  }
  EXPECT_FALSE(ParseHivCareStatus("cured").has_value());
}

}  // namespace
}  // namespace jd::disease
