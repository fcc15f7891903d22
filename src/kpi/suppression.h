// File: kpi/suppression.h
// Small-cell suppression of aggregate tables for readers who may not see persons (finance,
// partner): a count of 1 to 4 people could point at someone (PIPL 第73条(四) 匿名化: 经过处理无法
// 识别特定自然人且不能复原; 国家卫生健康委《人口健康信息管理办法(试行)》第十条 not to disclose
// individuals through statistics). Pure functions; thread-safe.
//
// SuppressSmallCells(cells, threshold): which entries of a table to hide. `cells` is R rows of C
//   counts (every row the same length; R, C >= 1). The table is read with its margins, as a
//   reader sees it: the (R+1)×(C+1) table whose last column holds the row totals, last row the
//   column totals and last entry the grand total. The answer has that shape; true means hidden.
//   1. Primary suppression: every entry, interior or margin, from 1 to threshold−1 (0 is shown:
//      nobody to point at).
//   2. Complementary suppression: every row and column of the extended table is one linear
//      relation (the interior entries add up to the margin), so a line with exactly one hidden
//      entry gives it back by subtraction. While some line has exactly one hidden entry, the
//      smallest shown interior entry of that line (a non-zero one before a zero one, then the
//      first in order) is hidden too; the line's margin only when no interior entry is left.
//      Lines are visited rows first, top to bottom, then columns, left to right, until nothing
//      changes, so the answer is deterministic.
//   Afterwards no line has exactly one hidden entry. That defeats subtraction from row and
//   column totals; it does not guarantee against every linear combination of several lines, nor
//   against differences between separate queries (a unit asked for alone and its children).
//   Worked example (kpi/suppression_test.cc): in
//          M   F  | total
//     A   10   3  |  13
//     B    8  12  |  20
//     C   20  15  |  35
//     ----------------
//         38  30  |  68
//   A/F (3) is primary; row A then hides A/M (10); column M, which now has A/M alone, hides B/M
//   (8); column F hides B/F (12). Every line then has 0 or 2 hidden entries: A/F can be anything
//   from 0 to 13.
#pragma once

#include <cstdint>
#include <vector>

namespace jd::kpi {

// Counts below this are shown as "<5".
inline constexpr std::int64_t kSmallCellThreshold = 5;

std::vector<std::vector<bool>> SuppressSmallCells(
    const std::vector<std::vector<std::int64_t>>& cells,
    std::int64_t threshold = kSmallCellThreshold);

}  // namespace jd::kpi
