// Search keys and plans (registry/search_keys.h): what a health worker types finds the person.
#include "registry/search_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jd::registry {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

TEST(SearchKeys, NamePartsInitialsPhoneTailAndIdTail) {
  auto keys = PersonSearchKeys("王丽萍", "138 0077 1234", "45010319900101123x");
  EXPECT_THAT(keys, ElementsAre("c:丽", "c:王", "c:萍", "d:X32110100991301054", "m:43217700831",
                                "n:丽萍", "n:王丽萍", "n:萍", "p:lp", "p:wlp", "p:ylp"));
}

TEST(SearchKeys, SurnameInEachReadingGivenNameInItsCommonOne) {
  // 单 reads dān, chán or shàn (the surname); 曾 céng or zēng (the surname).
  auto shan = PersonSearchKeys("单伟", "", "");
  EXPECT_THAT(shan, Contains("p:sw"));
  EXPECT_THAT(shan, Contains("p:dw"));
  auto zeng = PersonSearchKeys("曾小红", "", "");
  EXPECT_THAT(zeng, Contains("p:zxh"));
  EXPECT_THAT(zeng, Contains("p:xh"));
}

TEST(SearchKeys, LatinAndTransliteratedNames) {
  auto latin = PersonSearchKeys("  John SMITH ", "", "");
  EXPECT_THAT(latin, ElementsAre("n:john smith", "n:smith"));
  auto uyghur = PersonSearchKeys("阿依古丽·买买提", "", "");
  EXPECT_THAT(uyghur, Contains("n:买买提"));
  EXPECT_THAT(uyghur, Not(Contains("c:·")));
  EXPECT_THAT(uyghur, Not(Contains("n:·买买提")));
  EXPECT_THAT(uyghur, Contains("p:aygl"
                               "mmt"));
  // A character without a reading: no initials, the name parts still.
  EXPECT_THAT(PersonSearchKeys("王A", "", ""), ElementsAre("c:王", "n:a", "n:王a"));
}

KeyRange P(std::string lo) { return {lo, lo + "\xf4\x8f\xbf\xbf"}; }

TEST(SearchKeys, PlansByTheShapeOfTheText) {
  EXPECT_TRUE(PlanPersonSearch("  ").empty());
  auto given = PlanPersonSearch("丽萍");
  EXPECT_THAT(given.keys, ElementsAre(P("n:丽萍")));
  EXPECT_TRUE(given.id_number.empty());
  EXPECT_THAT(PlanPersonSearch("WLP").keys, ElementsAre(P("n:wlp"), P("p:wlp")));
  // One character: its own key, exactly (a street's matches are then one range of that key).
  KeyRange li = P("c:丽");
  li.exact = true;
  EXPECT_THAT(PlanPersonSearch(" 丽 ").keys, ElementsAre(li));
  EXPECT_THAT(PlanPersonSearch("a").keys, ElementsAre(P("n:a"), P("p:a")));
  EXPECT_THAT(PlanPersonSearch("450").id_number, ElementsAre(P("450")));
  auto tail4 = PlanPersonSearch("1234");
  EXPECT_THAT(tail4.keys, ElementsAre(P("m:4321")));
  EXPECT_TRUE(tail4.id_number.empty());
  EXPECT_THAT(PlanPersonSearch("123456").keys, ElementsAre(P("d:654321"), P("m:654321")));
  auto id = PlanPersonSearch("45010319900101123x");
  EXPECT_TRUE(id.keys.empty());  // a whole number: found once, by the number's own index
  EXPECT_THAT(id.id_number, ElementsAre(P("45010319900101123X")));
  auto part = PlanPersonSearch("0319900101123x");
  EXPECT_THAT(part.keys, ElementsAre(P("d:X3211010099130")));
  EXPECT_THAT(part.id_number, ElementsAre(P("0319900101123X")));
  EXPECT_THAT(PlanPersonSearch("1123X").keys, ElementsAre(P("d:X3211")));
}

// Each plan range finds the keys (or the ID number) of the person it should, and only by a prefix.
TEST(SearchKeys, EveryPlanFindsItsPerson) {
  const std::string id_number = "45010319900101123X";
  auto keys = PersonSearchKeys("王丽萍", "13800771234", id_number);
  auto found = [&](std::string_view q) {
    auto plan = PlanPersonSearch(q);
    for (const auto& r : plan.keys) {
      for (const auto& k : keys)
        if (r.exact ? k == r.lo : k >= r.lo && k < r.hi) return true;
    }
    for (const auto& r : plan.id_number)
      if (id_number >= r.lo && id_number < r.hi) return true;
    return false;
  };
  for (auto q : {"王", "王丽", "丽萍", "萍", "wlp", "lp", "1234", "71234", "0771234", "01123x",
                 "45010319900101123X", "4501031990010", "450"}) {
    EXPECT_TRUE(found(q)) << q;
  }
  for (auto q : {"丽王", "李", "pl", "4321", "138007"}) EXPECT_FALSE(found(q)) << q;
}

}  // namespace
}  // namespace jd::registry
