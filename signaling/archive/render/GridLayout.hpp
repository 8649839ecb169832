#pragma once
// Where each tile goes: the large tile spans 2x2 cells in the top-left corner of a cols x rows grid and
// the others fill the remaining cells in order, row by row. The grid is the smallest of 3x2, 3x3, 4x3,
// 4x4, 5x4, ... that holds everyone; one participant alone fills the frame.
//
//   3 tiles (3x2)      6 tiles (3x3)      9 tiles (4x3)
//   +-----+--+         +-----+--+         +-----+--+--+
//   |     |1 |         |     |1 |         |     |1 |2 |
//   | big +--+         | big +--+         | big +--+--+
//   |     |2 |         |     |2 |         |     |3 |4 |
//   +-----+--+         +--+--+--+         +--+--+--+--+
//                      |3 |4 |5 |         |5 |6 |7 |8 |
//                      +--+--+--+         +--+--+--+--+
#include <cstddef>
#include <vector>

namespace diemcau::signaling::archive::render {

struct TileRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const TileRect&) const = default;
};

struct GridShape {
  int columns = 1;
  int rows = 1;
};

GridShape gridShapeFor(size_t tiles);

/// One rectangle per tile index; `big` is the index shown large. Cells are whole pixels (the last
/// column and row absorb the remainder).
std::vector<TileRect> gridLayout(size_t tiles, size_t big, int width, int height);

}  // namespace diemcau::signaling::archive::render
