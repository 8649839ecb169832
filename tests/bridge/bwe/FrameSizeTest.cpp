#include "bridge/bwe/FrameSize.hpp"

#include <gtest/gtest.h>

#include <array>

namespace diemcau::bridge {
namespace {

// A VP8 keyframe's first packet, 640x360:
//   10                descriptor: S=1, PID=0, no extensions
//   50 42 00          frame tag: P=0 (keyframe), show_frame, first partition size
//   9d 01 2a          start code
//   80 02             width 0x0280 = 640, scale 0
//   68 41             height 0x0168 = 360, scale 1 (the top two bits, ignored)
constexpr std::array<uint8_t, 11> kKeyframe = {0x10, 0x50, 0x42, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x41};

TEST(FrameSizeTest, ReadsTheKeyframeHeader) {
  const auto size = vp8KeyframeSize(kKeyframe);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 640);
  EXPECT_EQ(size->height, 360);
}

TEST(FrameSizeTest, DeltaFramesAndDamagedHeadersGiveNothing) {
  auto delta = kKeyframe;
  delta[1] = 0x51;  // P=1: an interframe
  EXPECT_FALSE(vp8KeyframeSize(delta));
  auto badStart = kKeyframe;
  badStart[5] = 0x00;
  EXPECT_FALSE(vp8KeyframeSize(badStart));
  // Cut inside the size fields: no read past the end.
  EXPECT_FALSE(vp8KeyframeSize(std::span(kKeyframe).first(9)));
  EXPECT_FALSE(vp8KeyframeSize({}));
}

TEST(FrameSizeTest, SkipsAnExtendedDescriptor) {
  // 90 80 81 23: X=1, S=1; I=1; 15-bit picture id 0x0123; then the same keyframe header.
  const std::array<uint8_t, 14> withPictureId = {0x90, 0x80, 0x81, 0x23, 0x50, 0x42, 0x00,
                                                 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xB4, 0x00};
  const auto size = vp8KeyframeSize(withPictureId);
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 320);
  EXPECT_EQ(size->height, 180);
}

}  // namespace
}  // namespace diemcau::bridge
