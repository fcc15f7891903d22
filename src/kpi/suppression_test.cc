#include "kpi/suppression.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace jd::kpi {
namespace {

using Table = std::vector<std::vector<std::int64_t>>;
using Mask = std::vector<std::vector<bool>>;

// Every row and column of the extended table has 0 or at least 2 hidden entries.
void ExpectNoLoneHiddenEntry(const Mask& m) {
  const std::size_t rows = m.size(), cols = m[0].size();
  for (std::size_t r = 0; r < rows; ++r) {
    int n = 0;
    for (std::size_t c = 0; c < cols; ++c) n += m[r][c];
    EXPECT_NE(n, 1) << "row " << r;
  }
  for (std::size_t c = 0; c < cols; ++c) {
    int n = 0;
    for (std::size_t r = 0; r < rows; ++r) n += m[r][c];
    EXPECT_NE(n, 1) << "column " << c;
  }
}

// The worked example of the header: units A, B, C by sex, with their totals.
TEST(SuppressSmallCells, WorkedTableWithComplementarySuppression) {
  const Table cells = {{10, 3}, {8, 12}, {20, 15}};
  const Mask m = SuppressSmallCells(cells);
  //                 M      F      total
  const Mask want = {{true, true, false},     // A: 10, 3 (primary) | 13
                     {true, true, false},     // B: 8, 12           | 20
                     {false, false, false},   // C: 20, 15          | 35
                     {false, false, false}};  // totals: 38, 30     | 68
  EXPECT_EQ(m, want);
  ExpectNoLoneHiddenEntry(m);
  // Without the complementary cells, A/F would be 13 − 10 or 30 − 12 − 15.
}

TEST(SuppressSmallCells, NothingSmallNothingHidden) {
  const Mask m = SuppressSmallCells({{5, 6}, {7, 0}});
  for (const auto& row : m)
    for (bool h : row) EXPECT_FALSE(h);
}

TEST(SuppressSmallCells, ZeroIsShownAndOneToFourAreNot) {
  const Mask m = SuppressSmallCells({{0}, {1}, {4}, {5}, {9}});
  // A single column: each row's total equals its cell, so a hidden cell hides its total too.
  EXPECT_FALSE(m[0][0]);
  EXPECT_TRUE(m[1][0]);
  EXPECT_TRUE(m[1][1]);
  EXPECT_TRUE(m[2][0]);
  EXPECT_FALSE(m[3][0]);
  EXPECT_FALSE(m[4][0]);
  ExpectNoLoneHiddenEntry(m);
}

// A drill-down: communities of a street, one count each, the street's total shown. One small
// community alone would be the total minus the others: the next smallest is hidden with it.
TEST(SuppressSmallCells, OneColumnDrillDownHidesASecondUnit) {
  const Mask m = SuppressSmallCells({{40}, {2}, {11}, {30}});
  EXPECT_TRUE(m[1][0]);
  EXPECT_TRUE(m[2][0]);  // 11: the smallest other non-zero count
  EXPECT_FALSE(m[0][0]);
  EXPECT_FALSE(m[3][0]);
  EXPECT_FALSE(m[4][0]);  // the street's total (83) stays
  ExpectNoLoneHiddenEntry(m);
}

// A small margin is hidden too, and then a second margin with it.
TEST(SuppressSmallCells, SmallTotalsAreHidden) {
  const Mask m = SuppressSmallCells({{1, 2}, {20, 30}});
  EXPECT_TRUE(m[0][2]);  // row total 3
  EXPECT_TRUE(m[0][0]);
  EXPECT_TRUE(m[0][1]);
  ExpectNoLoneHiddenEntry(m);
}

// Non-zero complements are preferred to zeros; a zero is taken only when nothing else is left.
TEST(SuppressSmallCells, ZeroComplementOnlyWhenNothingElse) {
  const Mask m = SuppressSmallCells({{3, 0, 9}, {6, 7, 8}});
  EXPECT_TRUE(m[0][0]);
  EXPECT_FALSE(m[0][1]);
  EXPECT_TRUE(m[0][2]);
  ExpectNoLoneHiddenEntry(m);
}

}  // namespace
}  // namespace jd::kpi
