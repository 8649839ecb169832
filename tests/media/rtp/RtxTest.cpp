#include "media/rtp/Rtx.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace diemcau::media::rtp {
namespace {

// A VP8 packet with one header extension and two bytes of padding.
std::vector<uint8_t> original() {
  return {
      0xA0, 0xE0, 0x12, 0x34,  // V=2 P=1 X=0 CC=0 | M=1 PT=96 | seq 0x1234
      0x00, 0x01, 0x5F, 0x90,  // timestamp 90000
      0x11, 0x22, 0x33, 0x44,  // SSRC
      0x90, 0x80, 0x05, 0xAA,  // payload: VP8 descriptor + data
      0xBB, 0x00, 0x02,        // data, then 2 bytes of padding (last byte = count)
  };
}

TEST(Rtx, WritesOwnHeaderThenOsnThenPayloadWithoutPadding) {
  auto bytes = original();
  auto packet = RtpPacket::parse(bytes.data(), bytes.size());
  ASSERT_TRUE(packet);
  std::array<uint8_t, 64> out{};
  const size_t len = writeRtx(out, *packet, RtxHeader{0x55667788, 97, 0x0102, 0xABCDEF01, 0x4321});
  const std::vector<uint8_t> expected = {
      0x80, 0xE1, 0x01, 0x02,  // P cleared | M=1 PT=97 (RTX) | RTX seq 0x0102
      0xAB, 0xCD, 0xEF, 0x01,  // timestamp as the receiver knows the original
      0x55, 0x66, 0x77, 0x88,  // RTX SSRC
      0x43, 0x21,              // OSN: the original's sequence number in the receiver's numbering
      0x90, 0x80, 0x05, 0xAA,  // original payload
      0xBB,
  };
  ASSERT_EQ(len, expected.size());
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + static_cast<long>(len)), expected);
}

TEST(Rtx, RefusesWhatDoesNotFitOrHasNothingToRepair) {
  auto bytes = original();
  auto packet = RtpPacket::parse(bytes.data(), bytes.size());
  ASSERT_TRUE(packet);
  std::array<uint8_t, 18> small{};  // one byte short
  EXPECT_EQ(writeRtx(small, *packet, RtxHeader{}), 0u);

  std::vector<uint8_t> paddingOnly = {
      0xA0, 0x60, 0x00, 0x07,  // P=1 PT=96 seq 7
      0x00, 0x00, 0x00, 0x01,  // timestamp
      0x11, 0x22, 0x33, 0x44,  // SSRC
      0x00, 0x00, 0x00, 0x04,  // 4 bytes of padding
  };
  auto padding = RtpPacket::parse(paddingOnly.data(), paddingOnly.size());
  ASSERT_TRUE(padding);
  std::array<uint8_t, 64> out{};
  EXPECT_EQ(writeRtx(out, *padding, RtxHeader{}), 0u);
}

TEST(Rtx, RestoresTheOriginalFromAnRtxPacket) {
  std::vector<uint8_t> rtx = {
      0x80, 0x61, 0x00, 0x09,  // PT 97 (RTX), RTX seq 9
      0x00, 0x01, 0x5F, 0x90,  // timestamp 90000
      0x99, 0x99, 0x99, 0x99,  // RTX SSRC
      0x12, 0x34,              // OSN 0x1234
      0x90, 0x80, 0x05,        // original payload
  };
  auto packet = RtpPacket::parse(rtx.data(), rtx.size());
  ASSERT_TRUE(packet);
  std::array<uint8_t, 64> out{};
  const size_t len = restoreFromRtx(out, *packet, 0x11223344, 96);
  const std::vector<uint8_t> expected = {
      0x80, 0x60, 0x12, 0x34,  // PT 96, seq = OSN
      0x00, 0x01, 0x5F, 0x90,  // timestamp kept
      0x11, 0x22, 0x33, 0x44,  // media SSRC
      0x90, 0x80, 0x05,        // payload
  };
  ASSERT_EQ(len, expected.size());
  EXPECT_EQ(std::vector<uint8_t>(out.begin(), out.begin() + static_cast<long>(len)), expected);
}

TEST(Rtx, RoundTripKeepsExtensionsAndMarker) {
  std::vector<uint8_t> bytes = {
      0x90, 0xE0, 0x00, 0x05,  // X=1 | M=1 PT=96 | seq 5
      0x00, 0x00, 0x00, 0x10,  // timestamp
      0x11, 0x22, 0x33, 0x44,  // SSRC
      0xBE, 0xDE, 0x00, 0x01,  // one-byte extensions, 1 word
      0x10, 0x7F, 0x00, 0x00,  // id 1 len 1 = 0x7F, padding
      0x01, 0x02, 0x03,        // payload
  };
  auto packet = RtpPacket::parse(bytes.data(), bytes.size());
  ASSERT_TRUE(packet);
  std::array<uint8_t, 64> rtx{};
  const size_t rtxLen = writeRtx(rtx, *packet, RtxHeader{0xAAAAAAAA, 97, 1, 0x10, 5});
  ASSERT_EQ(rtxLen, bytes.size() + 2);
  auto rtxView = RtpPacket::parse(rtx.data(), rtxLen);
  ASSERT_TRUE(rtxView);
  std::array<uint8_t, 64> back{};
  const size_t len = restoreFromRtx(back, *rtxView, 0x11223344, 96);
  ASSERT_EQ(len, bytes.size());
  EXPECT_EQ(std::vector<uint8_t>(back.begin(), back.begin() + static_cast<long>(len)), bytes);
}

TEST(Rtx, PaddingProbeRestoresNothing) {
  std::vector<uint8_t> probe = {
      0x80, 0x61, 0x00, 0x0A,  // PT 97, seq 10
      0x00, 0x00, 0x00, 0x01,  // timestamp
      0x99, 0x99, 0x99, 0x99,  // RTX SSRC
      0x12, 0x34,              // OSN, no media
  };
  auto packet = RtpPacket::parse(probe.data(), probe.size());
  ASSERT_TRUE(packet);
  std::array<uint8_t, 64> out{};
  EXPECT_EQ(restoreFromRtx(out, *packet, 1, 96), 0u);
  std::array<uint8_t, 14> tiny{};
  probe.push_back(0x01);
  packet = RtpPacket::parse(probe.data(), probe.size());
  EXPECT_EQ(restoreFromRtx(tiny, *packet, 1, 96), 13u);
  std::array<uint8_t, 12> tooSmall{};
  EXPECT_EQ(restoreFromRtx(tooSmall, *packet, 1, 96), 0u);
}

}  // namespace
}  // namespace diemcau::media::rtp
