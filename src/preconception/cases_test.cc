// The one driver of the worked cases in tests/data/preconception/: checks.json (the items each
// partner lacks, the risk group and its reasons, and the records refused) and folic.json (the
// folic-acid window, the days covered and the status). Each case names its source.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "preconception/checks.h"
#include "preconception/premarital.h"

namespace jd::preconception {
namespace {

using nlohmann::json;

template <typename Check>
void ForEachCase(const std::string& name, Check check) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/preconception/" + name);
  ASSERT_TRUE(in.good()) << name;
  json cases = json::parse(in, nullptr, false);
  ASSERT_TRUE(cases.is_array()) << name;
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_TRUE(c.contains("source"));
    check(c);
  }
}

Date D(const json& j) {
  auto d = ParseDate(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << j;
  return d.value_or(Date{});
}

std::optional<Date> OptDate(const json& in, const char* key) {
  if (!in.contains(key) || in[key].is_null()) return std::nullopt;
  return D(in[key]);
}

// A refused record: its field errors as [{field, code}], in order.
void ExpectErrors(const Status& valid, const json& want) {
  ASSERT_FALSE(valid.ok());
  json got = json::array();
  for (const auto& e : valid.field_errors()) got.push_back({{"field", e.field}, {"code", e.code}});
  EXPECT_EQ(got, want);
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

TEST(PreconceptionCasesTest, Checks) {
  ForEachCase("checks.json", [](const json& c) {
    const json& in = c["input"];
    const json& expect = c["expect"];
    CheckRecord r;
    r.woman_items = in["woman_items"].get<std::vector<std::string>>();
    r.man_items = in["man_items"].get<std::vector<std::string>>();
    r.man_examined = in.value("man_examined", true);
    r.risk_factors = in.value("risk_factors", std::vector<std::string>{});
    for (const auto& res : in["results"]) {
      auto partner = ParsePartner(res["partner"].get<std::string>());
      ASSERT_TRUE(partner.has_value());
      r.results.push_back({*partner, res["item"].get<std::string>(), res.value("value", "")});
    }
    Status valid = ValidateRecord(r);
    if (expect.contains("errors")) {
      ExpectErrors(valid, expect["errors"]);
      return;
    }
    ASSERT_TRUE(valid.ok()) << valid.message_en();
    Completeness done = ExamCompleteness(r);
    Classification cls = Classify(r, in["woman_age"].get<int>());
    const json got = {{"woman_missing", done.woman_missing},
                      {"man_missing", done.man_missing},
                      {"complete", done.complete},
                      {"group", RiskGroupCode(cls.group)},
                      {"reasons", cls.reasons}};
    for (const auto& [key, value] : expect.items()) EXPECT_EQ(got[key], value) << key;
  });
}

TEST(PreconceptionCasesTest, FolicAcid) {
  ForEachCase("folic.json", [](const json& c) {
    const json& in = c["input"];
    const json& expect = c["expect"];
    std::vector<Supply> supplies;
    for (const auto& s : in["supplies"]) supplies.push_back({D(s["on"]), s["days"].get<int>()});
    FolicPlan p =
        FolicAcidPlan(supplies, OptDate(in, "lmp"), OptDate(in, "planned"), D(in["as_of"]));
    json got = {
        {"anchor", AnchorKindCode(p.anchor_kind)}, {"window_start", DateOrNull(p.window_start)},
        {"window_end", DateOrNull(p.window_end)},  {"window_days", p.window_days},
        {"started_on", DateOrNull(p.started_on)},  {"covered_until", DateOrNull(p.covered_until)},
        {"days_elapsed", p.days_elapsed},          {"days_covered", p.days_covered},
        {"status", FolicStatusCode(p.status)}};
    for (const auto& [key, value] : expect.items()) EXPECT_EQ(got[key], value) << key;
  });
}

TEST(PreconceptionCasesTest, Premarital) {
  ForEachCase("premarital.json", [](const json& c) {
    const json& in = c["input"];
    const json& expect = c["expect"];
    PremaritalRecord r;
    r.close_relatives = in.value("close_relatives", false);
    r.opinion = in.value("opinion", "");
    for (const auto& f : in["findings"]) {
      r.findings.push_back({f.value("category", ""), f.value("state", ""), f.value("disease", ""),
                            f.value("diagnosis", "")});
    }
    Status valid = ValidatePremarital(r);
    if (expect.contains("errors")) {
      ExpectErrors(valid, expect["errors"]);
      return;
    }
    ASSERT_TRUE(valid.ok()) << valid.message_en();
    const IndicatedOpinion want = Indicate(r);
    EXPECT_EQ(OpinionCode(want.opinion), expect["opinion"].get<std::string>());
    EXPECT_EQ(json(want.reasons), expect["reasons"]);
    EXPECT_FALSE(OpinionLabelZh(want.opinion).empty());
  });
}

// The catalogue itself: 19 items in the 规范's order, each with a citation, codes unique.
TEST(PreconceptionCatalogueTest, NineteenItemsInOrder) {
  std::set<std::string_view> codes;
  for (int i = 0; i < kItemCount; ++i) {
    const Item& item = Catalogue()[static_cast<std::size_t>(i)];
    EXPECT_EQ(item.number, i + 1);
    EXPECT_FALSE(item.cite.empty());
    EXPECT_TRUE(codes.insert(item.code).second) << item.code;
    for (const auto& v : Values(item)) EXPECT_FALSE(v.empty()) << item.code;
  }
  EXPECT_EQ(FindItem("gyn_ultrasound")->who, For::kWoman);
  EXPECT_EQ(FindItem("nope"), nullptr);
}

}  // namespace
}  // namespace jd::preconception
