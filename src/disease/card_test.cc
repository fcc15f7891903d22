#include "disease/card.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "disease/card_json.h"

namespace jd::disease {
namespace {

using nlohmann::json;

// Read once and kept: a range-for over Cases()[...] must not outlive the document.
const json& Cases() {
  static const json cases = [] {
    std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/disease/cards.json");
    return json::parse(in, nullptr, false);
  }();
  EXPECT_TRUE(cases.is_object());
  return cases;
}

Instant AsOf() { return ParseInstant(Cases()["as_of"].get<std::string>()).value(); }

// The base card with `with` applied and `without` removed.
json CardJson(const json& with, const json& without = json::array()) {
  json j = Cases()["base"];
  for (const auto& [k, v] : with.items()) j[k] = v;
  for (const auto& k : without) j.erase(k.get<std::string>());
  return j;
}

// 传染病信息报告管理规范（2015年版）: each worked case's field errors exactly, and for a valid card
// its reporting limit and lateness.
TEST(CardRulesTest, WorkedValidationCases) {
  const DiseaseCatalogue& catalogue = DiseaseCatalogue::Builtin();
  int n = 0;
  for (const json& c : Cases()["validation"]) {
    SCOPED_TRACE(c["id"].get<std::string>() + " (" + c["section"].get<std::string>() + ")");
    FieldErrors errors;
    CardFields f =
        FieldsFromJson(CardJson(c.value("with", json::object()), c.value("without", json::array())),
                       AsOf(), errors);
    // As the API does: the rules run on a card whose members all read.
    if (errors.empty()) errors.Append(ValidateCard(f, catalogue, AsOf()));
    std::set<std::string> got, want;
    for (const auto& e : errors.errors()) got.insert(e.field + ":" + e.code);
    for (const auto& e : c["errors"]) want.insert(e.get<std::string>());
    EXPECT_EQ(got, want);
    for (const auto& e : errors.errors()) {
      EXPECT_FALSE(e.message_zh.empty()) << e.field;
      EXPECT_FALSE(e.message_en.empty()) << e.field;
    }
    if (c.contains("limit_hours")) {
      auto d = catalogue.Find(f.disease_code, ShanghaiDate(f.diagnosed_at));
      ASSERT_TRUE(d.ok());
      const int limit = ReportLimitHours(*d, f.disease_subtype);
      EXPECT_EQ(limit, c["limit_hours"].get<int>());
      EXPECT_EQ(IsLate(f.diagnosed_at, f.reported_at, limit), c["late"].get<bool>());
    }
    ++n;
  }
  EXPECT_GE(n, 40);
}

Card CardOf(const std::string& id, const json& with) {
  FieldErrors errors;
  Card c;
  c.id = id;
  json j = CardJson(with);
  if (j.contains("person_id")) {
    c.person_id = j["person_id"].get<std::string>();
    j.erase("person_id");
  }
  c.fields = FieldsFromJson(j, AsOf(), errors);
  EXPECT_TRUE(errors.empty()) << j.dump();
  return c;
}

// 规范2015 报告数据管理: the same person, disease and a diagnosis within the window.
TEST(CardRulesTest, WorkedDuplicateCases) {
  int n = 0;
  for (const json& c : Cases()["duplicates"]) {
    SCOPED_TRACE(c["id"].get<std::string>());
    Card a = CardOf("a", c["a"]), b = CardOf("b", c["b"]);
    const int window = c.value("window_days", kDuplicateWindowDays);
    EXPECT_EQ(IsDuplicate(a, b, window), c["duplicate"].get<bool>());
    EXPECT_EQ(IsDuplicate(b, a, window), c["duplicate"].get<bool>()) << "not symmetric";
    EXPECT_FALSE(IsDuplicate(a, a, window)) << "a card is no duplicate of itself";
    ++n;
  }
  EXPECT_GE(n, 10);
}

TEST(CardRulesTest, WorkSiteKeys) {
  for (const json& c : Cases()["work_site_keys"]) {
    EXPECT_EQ(WorkSiteKey(c["name"].get<std::string>()), c["key"].get<std::string>());
  }
}

TEST(CardRulesTest, InstantsAndShanghaiDates) {
  auto t = ParseInstant("2026-03-08T00:30:00+08:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatTimestamp(*t), "2026-03-07T16:30:00.000Z");
  EXPECT_EQ(FormatDate(ShanghaiDate(*t)), "2026-03-08");
  EXPECT_EQ(ParseInstant("2026-03-07T16:30Z"), t);
  EXPECT_FALSE(ParseInstant("2026-03-08T00:30:00+09:00"));
  EXPECT_FALSE(ParseInstant("2026-03-08"));
}

TEST(CardRulesTest, CodesRoundTrip) {
  for (auto v :
       {CaseClass::kSuspected, CaseClass::kClinical, CaseClass::kConfirmed, CaseClass::kCarrier}) {
    EXPECT_EQ(ParseCaseClass(CaseClassCode(v)), v);
  }
  EXPECT_EQ(ParsePatientBelongs("hmt"), PatientBelongs::kHmt);
  EXPECT_EQ(ParseChronicity(""), Chronicity::kNone);
  EXPECT_EQ(ParseWorkSiteKind("construction_site"), WorkSiteKind::kConstructionSite);
  EXPECT_FALSE(ParseCardStatus("gone"));
  EXPECT_TRUE(NeedsHivTbCare("hiv_aids"));
  EXPECT_TRUE(NeedsHivTbCare("tuberculosis"));
  EXPECT_FALSE(NeedsHivTbCare("syphilis"));
}

// The before-image kept in the history reads back as the card it was.
TEST(CardJsonTest, CardRoundTrips) {
  Card c = CardOf("0190d8c2-0000-7000-8000-000000000001", {{"person_id", "p-1"},
                                                           {"disease_code", "viral_hepatitis"},
                                                           {"disease_subtype", "b"},
                                                           {"chronicity", "chronic"},
                                                           {"work_site_kind", "factory"},
                                                           {"work_site_name", "某厂"},
                                                           {"death_date", "2026-03-09"}});
  c.residence_path = "450100/450103/450103001/";
  c.district_code = "450103";
  c.late = true;
  c.version = 3;
  auto back = CardFromJson(CardToJson(c), AsOf());
  ASSERT_TRUE(back);
  EXPECT_EQ(CardToJson(*back), CardToJson(c));
}

}  // namespace
}  // namespace jd::disease
