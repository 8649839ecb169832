#include "signaling/archive/render/GridLayout.hpp"

namespace diemcau::signaling::archive::render {

GridShape gridShapeFor(size_t tiles) {
  if (tiles <= 1) return {1, 1};
  // The large tile takes four cells, so a grid of c x r cells holds c * r - 3 tiles.
  for (int k = 2;; ++k) {
    if (static_cast<size_t>((k + 1) * k - 3) >= tiles) return {k + 1, k};
    if (static_cast<size_t>((k + 1) * (k + 1) - 3) >= tiles) return {k + 1, k + 1};
  }
}

std::vector<TileRect> gridLayout(size_t tiles, size_t big, int width, int height) {
  std::vector<TileRect> rects(tiles);
  if (tiles == 0) return rects;
  const GridShape shape = gridShapeFor(tiles);
  if (tiles == 1) {
    rects[0] = {0, 0, width, height};
    return rects;
  }
  const int cellW = width / shape.columns;
  const int cellH = height / shape.rows;
  auto cell = [&](int column, int row, int spanColumns, int spanRows) {
    const int x = column * cellW;
    const int y = row * cellH;
    const int right = column + spanColumns == shape.columns ? width : x + spanColumns * cellW;
    const int bottom = row + spanRows == shape.rows ? height : y + spanRows * cellH;
    return TileRect{x, y, right - x, bottom - y};
  };
  if (big >= tiles) big = 0;
  rects[big] = cell(0, 0, 2, 2);
  size_t next = 0;
  for (int row = 0; row < shape.rows; ++row) {
    for (int column = 0; column < shape.columns; ++column) {
      if (row < 2 && column < 2) continue;  // the large tile's cells
      if (next == big) ++next;
      if (next >= tiles) return rects;
      rects[next++] = cell(column, row, 1, 1);
    }
  }
  return rects;
}

}  // namespace diemcau::signaling::archive::render
