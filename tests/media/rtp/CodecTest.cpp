#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "media/rtp/H264Payload.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::media::rtp {
namespace {

TEST(Vp8PayloadDescriptor, ParsesAllExtensions) {
  const std::vector<uint8_t> payload = {
      0x90, 0xF0, 0x81, 0x23,  // X=1 S=1 PID=0 | I L T K | M=1 picture id 0x0123
      0x45, 0x6A, 0x50, 0x02,  // TL0PICIDX 0x45 | TID=1 Y=1 KEYIDX=10 | VP8 header: P=0 (key frame)
      0x00, 0x9D, 0x01, 0x2A,  // rest of the key frame header (start code 9D 01 2A)
  };
  const auto d = Vp8PayloadDescriptor::parse(payload);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->startOfPartition);
  EXPECT_EQ(d->partitionId, 0);
  EXPECT_EQ(d->pictureId, 0x0123);
  EXPECT_TRUE(d->pictureId15Bit);
  EXPECT_EQ(d->tl0PicIdx, 0x45);
  EXPECT_EQ(d->temporalId, 1);
  EXPECT_TRUE(d->layerSync);
  EXPECT_EQ(d->keyIdx, 10);
  EXPECT_EQ(d->size, 6u);
  EXPECT_TRUE(isVp8Keyframe(payload));
}

TEST(Vp8PayloadDescriptor, DetectsKeyframesOnlyAtTheStartOfPartitionZero) {
  std::vector<uint8_t> payload = {
      0x10, 0x50, 0x02, 0x00,  // S=1 PID=0, no X | VP8 header P=0
  };
  EXPECT_TRUE(isVp8Keyframe(payload));
  payload[1] = 0x51;  // P=1: inter frame
  EXPECT_FALSE(isVp8Keyframe(payload));
  payload[1] = 0x50;
  payload[0] = 0x00;  // S=0: continuation
  EXPECT_FALSE(isVp8Keyframe(payload));
  payload[0] = 0x11;  // S=1 but partition 1
  EXPECT_FALSE(isVp8Keyframe(payload));
  EXPECT_FALSE(isVp8Keyframe({}));
  const std::vector<uint8_t> descriptorOnly = {0x10};
  EXPECT_FALSE(isVp8Keyframe(descriptorOnly));
}

TEST(Vp8PayloadDescriptor, RejectsTruncatedDescriptors) {
  const std::vector<uint8_t> full = {
      0x90, 0xF0, 0x81, 0x23,  // X=1 S=1 | I L T K | 15-bit picture id
      0x45, 0x6A, 0x50,        // TL0PICIDX | TID/Y/KEYIDX | VP8 data
  };
  for (size_t len = 0; len < full.size(); ++len) {
    EXPECT_FALSE(Vp8PayloadDescriptor::parse(std::span(full).first(len))) << len;
    EXPECT_FALSE(vp8PictureId(std::span(full).first(len))) << len;
  }
  EXPECT_TRUE(Vp8PayloadDescriptor::parse(full));
}

TEST(Vp8PayloadDescriptor, RewritesPictureIdAndTl0PicIdxInPlace) {
  std::vector<uint8_t> payload = {
      0x90, 0xC0, 0x81, 0x23,  // X=1 S=1 | I L | M=1 picture id 0x0123
      0x45, 0x50, 0x02, 0x00,  // TL0PICIDX 0x45 | VP8 data
  };
  EXPECT_TRUE(setVp8PictureId(payload, 0x7FFF));
  EXPECT_EQ(vp8PictureId(payload), 0x7FFF);
  EXPECT_EQ(payload[2], 0xFF);
  EXPECT_TRUE(setVp8PictureId(payload, 0x8005));  // truncated to 15 bits, M kept
  EXPECT_EQ(vp8PictureId(payload), 0x0005);
  EXPECT_EQ(payload[2], 0x80);
  EXPECT_TRUE(setVp8Tl0PicIdx(payload, 0xAB));
  EXPECT_EQ(vp8Tl0PicIdx(payload), 0xAB);
  EXPECT_EQ(payload[4], 0xAB);
  EXPECT_TRUE(isVp8Keyframe(payload));

  std::vector<uint8_t> short7 = {
      0x90, 0x80, 0x7E, 0x50,  // X=1 S=1 | I | 7-bit picture id 126 | VP8 data
  };
  EXPECT_EQ(vp8PictureId(short7), 126);
  EXPECT_TRUE(setVp8PictureId(short7, 300));  // keeps the 7-bit width
  EXPECT_EQ(vp8PictureId(short7), 300 & 0x7F);
  EXPECT_FALSE(setVp8Tl0PicIdx(short7, 1));
  EXPECT_FALSE(vp8Tl0PicIdx(short7));

  std::vector<uint8_t> none = {0x10, 0x50};
  EXPECT_FALSE(setVp8PictureId(none, 1));
  EXPECT_EQ(none[1], 0x50);
}

TEST(Vp8PayloadDescriptor, RewritesACopyWithTheOriginalsDescriptor) {
  // A fan-out parses the source packet's descriptor once and rewrites every receiver's copy.
  const std::vector<uint8_t> source = {
      0x90, 0xC0, 0x81, 0x23,  // X=1 S=1 | I L | M=1 picture id 0x0123
      0x45, 0x50, 0x02, 0x00,  // TL0PICIDX 0x45 | VP8 data
  };
  const auto descriptor = Vp8PayloadDescriptor::parse(source);
  ASSERT_TRUE(descriptor);
  std::vector<uint8_t> copy = source;
  EXPECT_TRUE(setVp8PictureId(copy, *descriptor, 0x0456));
  EXPECT_TRUE(setVp8Tl0PicIdx(copy, *descriptor, 0x99));
  EXPECT_EQ(vp8PictureId(copy), 0x0456);
  EXPECT_EQ(vp8Tl0PicIdx(copy), 0x99);
  EXPECT_EQ(source[2], 0x81);  // the original is untouched

  // Offsets are checked against the buffer written: a shorter one is refused, not overrun.
  std::vector<uint8_t> shortCopy(source.begin(), source.begin() + 3);
  EXPECT_FALSE(setVp8PictureId(shortCopy, *descriptor, 1));
  EXPECT_FALSE(setVp8Tl0PicIdx(std::span(shortCopy).first(3), *descriptor, 1));
  EXPECT_EQ(shortCopy[2], 0x81);

  const std::vector<uint8_t> noFields = {0x10, 0x50};  // no X: neither field
  const auto bare = Vp8PayloadDescriptor::parse(noFields);
  ASSERT_TRUE(bare);
  EXPECT_FALSE(setVp8PictureId(copy, *bare, 1));
  EXPECT_FALSE(setVp8Tl0PicIdx(copy, *bare, 1));
  EXPECT_EQ(vp8PictureId(copy), 0x0456);
}

TEST(H264Payload, DetectsSingleNalKeyframes) {
  const std::vector<uint8_t> idr = {0x65, 0x88, 0x84};    // NRI=3 type 5
  const std::vector<uint8_t> sps = {0x67, 0x42, 0xC0};    // type 7
  const std::vector<uint8_t> pps = {0x68, 0xCE};          // type 8
  const std::vector<uint8_t> slice = {0x41, 0x9A};        // type 1
  EXPECT_TRUE(isH264Keyframe(idr));
  EXPECT_TRUE(isH264Keyframe(sps));
  EXPECT_FALSE(isH264Keyframe(pps));
  EXPECT_FALSE(isH264Keyframe(slice));
  EXPECT_FALSE(isH264Keyframe({}));
}

TEST(H264Payload, ScansStapA) {
  std::vector<uint8_t> stap = {
      0x78, 0x00, 0x02, 0x68,  // STAP-A | size 2 | PPS
      0xCE, 0x00, 0x03, 0x67,  //   .. | size 3 | SPS
      0x42, 0xC0,              //   ..
  };
  EXPECT_TRUE(isH264Keyframe(stap));
  stap[7] = 0x41;  // non-IDR slice instead of SPS
  EXPECT_FALSE(isH264Keyframe(stap));
  stap[7] = 0x67;
  stap[6] = 0x09;  // size runs past the payload: the SPS is not trusted
  EXPECT_FALSE(isH264Keyframe(stap));
  stap[6] = 0x03;
  stap[2] = 0x00;  // zero-size NAL unit
  EXPECT_FALSE(isH264Keyframe(stap));
}

TEST(H264Payload, ChecksFuAStartFragments) {
  std::vector<uint8_t> fu = {
      0x7C, 0x85, 0x88, 0x84,  // FU-A indicator (NRI=3, type 28) | S=1 type 5 | data
  };
  EXPECT_TRUE(isH264Keyframe(fu));
  fu[1] = 0x05;  // middle fragment
  EXPECT_FALSE(isH264Keyframe(fu));
  fu[1] = 0x45;  // end fragment
  EXPECT_FALSE(isH264Keyframe(fu));
  fu[1] = 0x81;  // start of a non-IDR slice
  EXPECT_FALSE(isH264Keyframe(fu));
  EXPECT_FALSE(isH264Keyframe(std::span(fu).first(1)));
}

}  // namespace
}  // namespace diemcau::media::rtp
