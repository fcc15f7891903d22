#include "kpi/suppression.h"

#include <cstddef>
#include <utility>

namespace jd::kpi {

namespace {

using Table = std::vector<std::vector<std::int64_t>>;
using Mask = std::vector<std::vector<bool>>;

// The table with its margins: row totals in the last column, column totals in the last row.
Table WithMargins(const Table& cells) {
  const std::size_t rows = cells.size(), cols = cells.empty() ? 0 : cells[0].size();
  Table t(rows + 1, std::vector<std::int64_t>(cols + 1, 0));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      t[r][c] = cells[r][c];
      t[r][cols] += cells[r][c];
      t[rows][c] += cells[r][c];
      t[rows][cols] += cells[r][c];
    }
  }
  return t;
}

// One line of the extended table: the positions of its interior entries and of its margin.
struct Line {
  std::vector<std::pair<std::size_t, std::size_t>> interior;
  std::pair<std::size_t, std::size_t> margin;
};

std::vector<Line> Lines(std::size_t rows, std::size_t cols) {
  std::vector<Line> lines;
  for (std::size_t r = 0; r <= rows; ++r) {
    Line l{{}, {r, cols}};
    for (std::size_t c = 0; c < cols; ++c) l.interior.emplace_back(r, c);
    lines.push_back(std::move(l));
  }
  for (std::size_t c = 0; c <= cols; ++c) {
    Line l{{}, {rows, c}};
    for (std::size_t r = 0; r < rows; ++r) l.interior.emplace_back(r, c);
    lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace

Mask SuppressSmallCells(const Table& cells, std::int64_t threshold) {
  const std::size_t rows = cells.size(), cols = cells.empty() ? 0 : cells[0].size();
  const Table t = WithMargins(cells);
  Mask hidden(rows + 1, std::vector<bool>(cols + 1, false));
  for (std::size_t r = 0; r <= rows; ++r) {
    for (std::size_t c = 0; c <= cols; ++c) hidden[r][c] = t[r][c] >= 1 && t[r][c] < threshold;
  }
  const std::vector<Line> lines = Lines(rows, cols);
  for (bool changed = true; changed;) {
    changed = false;
    for (const Line& line : lines) {
      int count = hidden[line.margin.first][line.margin.second] ? 1 : 0;
      for (auto [r, c] : line.interior) count += hidden[r][c] ? 1 : 0;
      if (count != 1) continue;
      // The smallest shown interior entry, non-zero ones first.
      const std::pair<std::size_t, std::size_t>* pick = nullptr;
      for (const auto& pos : line.interior) {
        if (hidden[pos.first][pos.second]) continue;
        std::int64_t v = t[pos.first][pos.second];
        if (pick == nullptr) {
          pick = &pos;
          continue;
        }
        std::int64_t best = t[pick->first][pick->second];
        bool better = (v != 0 && best == 0) || ((v != 0) == (best != 0) && v < best);
        if (better) pick = &pos;
      }
      auto [r, c] = pick ? *pick : line.margin;
      hidden[r][c] = true;
      changed = true;
    }
  }
  return hidden;
}

}  // namespace jd::kpi
