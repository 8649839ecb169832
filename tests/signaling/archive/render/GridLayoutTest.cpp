#include "signaling/archive/render/GridLayout.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::archive::render {
namespace {

TEST(GridLayoutTest, ShapeIsTheSmallestGridThatHoldsEveryone) {
  EXPECT_EQ(gridShapeFor(1).columns, 1);
  for (size_t n : {2u, 3u}) EXPECT_EQ(gridShapeFor(n).columns * 10 + gridShapeFor(n).rows, 32) << n;
  for (size_t n : {4u, 5u, 6u}) EXPECT_EQ(gridShapeFor(n).columns * 10 + gridShapeFor(n).rows, 33) << n;
  for (size_t n : {7u, 8u, 9u}) EXPECT_EQ(gridShapeFor(n).columns * 10 + gridShapeFor(n).rows, 43) << n;
  EXPECT_EQ(gridShapeFor(10).columns * 10 + gridShapeFor(10).rows, 44);
  EXPECT_EQ(gridShapeFor(14).columns * 10 + gridShapeFor(14).rows, 54);
}

TEST(GridLayoutTest, NineSitesOnA720pFrame) {
  // 4 x 3 cells of 320 x 240; the large tile is 2 x 2 cells.
  const auto rects = gridLayout(9, 4, 1280, 720);
  ASSERT_EQ(rects.size(), 9u);
  EXPECT_EQ(rects[4], (TileRect{0, 0, 640, 480}));
  EXPECT_EQ(rects[0], (TileRect{640, 0, 320, 240}));
  EXPECT_EQ(rects[1], (TileRect{960, 0, 320, 240}));
  EXPECT_EQ(rects[2], (TileRect{640, 240, 320, 240}));
  EXPECT_EQ(rects[3], (TileRect{960, 240, 320, 240}));
  EXPECT_EQ(rects[5], (TileRect{0, 480, 320, 240}));
  EXPECT_EQ(rects[8], (TileRect{960, 480, 320, 240}));
}

TEST(GridLayoutTest, TilesNeverOverlapAndStayInTheFrame) {
  for (size_t n = 1; n <= 17; ++n) {
    for (size_t big = 0; big < n; ++big) {
      const auto rects = gridLayout(n, big, 642, 362);  // sizes that do not divide evenly
      for (size_t i = 0; i < n; ++i) {
        const TileRect& a = rects[i];
        ASSERT_GT(a.width, 0);
        ASSERT_LE(a.x + a.width, 642);
        ASSERT_LE(a.y + a.height, 362);
        if (i == big && n > 1) {
          EXPECT_GT(a.width, rects[(i + 1) % n].width);
        }
        for (size_t j = i + 1; j < n; ++j) {
          const TileRect& b = rects[j];
          const bool apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y ||
                             b.y + b.height <= a.y;
          EXPECT_TRUE(apart) << n << " tiles, big " << big << ": " << i << " and " << j;
        }
      }
    }
  }
}

TEST(GridLayoutTest, OneParticipantFillsTheFrame) {
  EXPECT_EQ(gridLayout(1, 0, 640, 360)[0], (TileRect{0, 0, 640, 360}));
}

}  // namespace
}  // namespace diemcau::signaling::archive::render
