#include "registry/divisions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace jd::registry {
namespace {

using ::testing::ElementsAre;

TEST(DivisionsTest, BuiltinTablesAreLoaded) {
  const Divisions& d = Divisions::Builtin();
  EXPECT_GT(d.HistoryCount(), 6000u);
  EXPECT_GT(d.CurrentCount(), 3000u);
  EXPECT_EQ(&d, &Divisions::Builtin());
}

TEST(DivisionsTest, BuiltinIsSafeToInitialiseFromManyThreads) {
  std::vector<const Divisions*> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &Divisions::Builtin(); });
  }
  for (auto& t : threads) t.join();
  for (const Divisions* d : seen) EXPECT_EQ(d, seen[0]);
}

TEST(DivisionsTest, CurrentCounty) {
  const Divisions& d = Divisions::Builtin();
  EXPECT_TRUE(d.EverExisted("450103"));
  EXPECT_TRUE(d.IsCurrent("450103"));
  // 450103 was 新城区 until 2004; the current name wins.
  EXPECT_EQ(d.Name("450103"), "青秀区");
  EXPECT_EQ(d.FullName("450103"), "广西壮族自治区南宁市青秀区");
  EXPECT_EQ(d.ProvinceName("450103"), "广西壮族自治区");
}

TEST(DivisionsTest, RetiredCodeExistedButIsNotCurrent) {
  const Divisions& d = Divisions::Builtin();
  // 崇文区 was merged into 东城区 in 2010.
  EXPECT_TRUE(d.EverExisted("110103"));
  EXPECT_FALSE(d.IsCurrent("110103"));
  EXPECT_EQ(d.Name("110103"), "崇文区");
  EXPECT_EQ(d.FullName("110103"), "北京市崇文区");
  EXPECT_EQ(d.ProvinceName("110103"), "北京市");
  // 横县 became 横州市 (450181) in 2021.
  EXPECT_TRUE(d.EverExisted("450127"));
  EXPECT_FALSE(d.IsCurrent("450127"));
  EXPECT_EQ(d.FullName("450127"), "广西壮族自治区南宁市横县");
}

TEST(DivisionsTest, UnknownCode) {
  const Divisions& d = Divisions::Builtin();
  for (std::string_view code : {"999999", "", "45010", "4501030", "abcdef"}) {
    EXPECT_FALSE(d.EverExisted(code)) << code;
    EXPECT_FALSE(d.IsCurrent(code)) << code;
    EXPECT_EQ(d.Name(code), std::nullopt) << code;
    EXPECT_EQ(d.FullName(code), "") << code;
  }
  EXPECT_EQ(d.ProvinceName("999999"), "");
}

TEST(DivisionsTest, FullNamesAtEveryLevel) {
  const Divisions& d = Divisions::Builtin();
  EXPECT_EQ(d.FullName("450000"), "广西壮族自治区");
  EXPECT_EQ(d.FullName("450100"), "广西壮族自治区南宁市");
  // Municipality districts have no prefecture level.
  EXPECT_EQ(d.FullName("110101"), "北京市东城区");
  // Province-administered county-level city.
  EXPECT_EQ(d.FullName("429004"), "湖北省仙桃市");
}

TEST(DivisionsTest, CountiesOfNanning) {
  const Divisions& d = Divisions::Builtin();
  std::vector<Division> counties = d.CountiesOf("450100");
  std::vector<std::string> codes;
  for (const Division& c : counties) {
    codes.push_back(c.code);
    EXPECT_EQ(c.level, DivisionLevel::kCounty);
  }
  EXPECT_THAT(codes, ElementsAre("450102", "450103", "450105", "450107", "450108", "450109",
                                 "450110", "450123", "450124", "450125", "450126", "450181"));
  EXPECT_EQ(counties[1].name, "青秀区");
  EXPECT_EQ(counties.back().name, "横州市");
}

TEST(DivisionsTest, CountiesOfNeedsAPrefectureCode) {
  const Divisions& d = Divisions::Builtin();
  EXPECT_TRUE(d.CountiesOf("450000").empty());
  EXPECT_TRUE(d.CountiesOf("450103").empty());
  EXPECT_TRUE(d.CountiesOf("4501").empty());
  EXPECT_TRUE(d.CountiesOf("999900").empty());
}

TEST(DivisionsTest, CurrentCountiesAreSortedCountiesOnly) {
  std::vector<Division> all = Divisions::Builtin().CurrentCounties();
  EXPECT_GT(all.size(), 2800u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const Division& a, const Division& b) { return a.code < b.code; }));
  EXPECT_TRUE(std::all_of(all.begin(), all.end(),
                          [](const Division& x) { return x.level == DivisionLevel::kCounty; }));
  EXPECT_TRUE(
      std::any_of(all.begin(), all.end(), [](const Division& x) { return x.code == "450103"; }));
  EXPECT_FALSE(
      std::any_of(all.begin(), all.end(), [](const Division& x) { return x.code == "450100"; }));
}

TEST(DivisionsTest, SameCity) {
  EXPECT_TRUE(Divisions::SameCity("450103", "450181"));
  EXPECT_TRUE(Divisions::SameCity("450103", "450103"));
  EXPECT_FALSE(Divisions::SameCity("450103", "450203"));
  EXPECT_FALSE(Divisions::SameCity("450103", "460103"));
  EXPECT_FALSE(Divisions::SameCity("4501", "4501"));
  EXPECT_FALSE(Divisions::SameCity("", ""));
}

TEST(DivisionsTest, ParsesBomCrlfAndKeepsTheLatestRowOfACode) {
  std::string history =
      "\xEF\xBB\xBF代码,一级行政区,二级行政区,名称,级别,状态,启用时间,变更/弃用时间,新代码\r\n"
      "990000,测试省,,测试省,省级,在用,1981,,\r\n"
      "990101,测试省,甲市,新名区,县级,在用,2004,,\r\n"
      "990101,测试省,甲市,旧名区,县级,变更,1983,2004,990101\r\n"
      "990102,测试省,甲市,早区,县级,弃用,1981,1990,990101\r\n"
      "990102,测试省,甲市,晚区,县级,弃用,1995,2000,990101\r\n"
      "\r\n"
      "bad line\r\n";
  std::string current = "code,name,level\n990000,测试省,province\n990101,新名区,county\n";
  Divisions d(history, current);
  EXPECT_EQ(d.HistoryCount(), 3u);
  EXPECT_EQ(d.CurrentCount(), 2u);
  EXPECT_EQ(d.Name("990101"), "新名区");
  EXPECT_EQ(d.Name("990102"), "晚区");
  EXPECT_TRUE(d.EverExisted("990102"));
  EXPECT_FALSE(d.IsCurrent("990102"));
  EXPECT_EQ(d.FullName("990101"), "测试省新名区");
  EXPECT_EQ(d.FullName("990102"), "测试省甲市晚区");
}

}  // namespace
}  // namespace jd::registry
