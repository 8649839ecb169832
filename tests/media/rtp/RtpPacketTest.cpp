#include "media/rtp/RtpPacket.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace diemcau::media::rtp {
namespace {

TEST(RtpPacket, ParsesFixedHeaderAndPayload) {
  std::array<uint8_t, 16> buf = {
      0x80, 0xE0, 0x12, 0x34,  // V=2 P=0 X=0 CC=0 | M=1 PT=96 | seq 0x1234
      0x00, 0x01, 0xE2, 0x40,  // timestamp 123456
      0xDE, 0xAD, 0xBE, 0xEF,  // SSRC
      0x01, 0x02, 0x03, 0x04,  // payload
  };
  const auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payloadType(), 96);
  EXPECT_TRUE(packet->marker());
  EXPECT_EQ(packet->sequence(), 0x1234);
  EXPECT_EQ(packet->timestamp(), 123456u);
  EXPECT_EQ(packet->ssrc(), 0xDEADBEEFu);
  EXPECT_EQ(packet->csrcCount(), 0);
  EXPECT_EQ(packet->headerSize(), 12u);
  EXPECT_EQ(packet->paddingSize(), 0u);
  EXPECT_EQ(packet->size(), 16u);
  EXPECT_EQ(packet->data(), buf.data());
  ASSERT_EQ(packet->payload().size(), 4u);
  EXPECT_EQ(packet->payload()[0], 0x01);
  EXPECT_EQ(packet->payload()[3], 0x04);
  EXPECT_FALSE(packet->hasExtension());
}

TEST(RtpPacket, ParsesCsrcListAndPadding) {
  std::array<uint8_t, 28> buf = {
      0xA2, 0x6F, 0x00, 0x07,  // V=2 P=1 CC=2 | M=0 PT=111 | seq 7
      0x00, 0x00, 0x00, 0x10,  // timestamp 16
      0x00, 0x00, 0x00, 0x01,  // SSRC 1
      0x11, 0x11, 0x11, 0x11,  // CSRC 0
      0x22, 0x22, 0x22, 0x22,  // CSRC 1
      0xAA, 0xBB, 0x00, 0x00,  // payload AA BB, padding 00 00
      0x00, 0x00, 0x00, 0x06,  // padding, count 6 (itself included)
  };
  const auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->csrcCount(), 2);
  EXPECT_EQ(packet->csrc(0), 0x11111111u);
  EXPECT_EQ(packet->csrc(1), 0x22222222u);
  EXPECT_EQ(packet->csrc(2), 0u);
  EXPECT_EQ(packet->headerSize(), 20u);
  EXPECT_EQ(packet->paddingSize(), 6u);
  ASSERT_EQ(packet->payload().size(), 2u);
  EXPECT_EQ(packet->payload()[1], 0xBB);
}

TEST(RtpPacket, SettersRewriteInPlace) {
  std::array<uint8_t, 12> buf = {
      0x80, 0x60, 0x00, 0x01,  // PT 96, M=0, seq 1
      0x00, 0x00, 0x00, 0x02,  // timestamp 2
      0x00, 0x00, 0x00, 0x03,  // SSRC 3
  };
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  packet->setPayloadType(111);
  packet->setMarker(true);
  packet->setSequence(0xFFFE);
  packet->setTimestamp(0x01020304);
  packet->setSsrc(0xCAFEBABE);
  const std::array<uint8_t, 12> expected = {
      0x80, 0xEF, 0xFF, 0xFE,  // M=1 PT=111, seq 65534
      0x01, 0x02, 0x03, 0x04,  // timestamp
      0xCA, 0xFE, 0xBA, 0xBE,  // SSRC
  };
  EXPECT_EQ(buf, expected);
  packet->setMarker(false);
  EXPECT_EQ(buf[1], 0x6F);
  packet->setPayloadType(0xFF);  // only 7 bits are written; the marker is kept
  EXPECT_EQ(buf[1], 0x7F);
  EXPECT_FALSE(packet->marker());
}

TEST(RtpPacket, RejectsWrongVersionAndShortBuffers) {
  std::array<uint8_t, 12> buf = {
      0x40, 0x60, 0x00, 0x01,  // V=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
  };
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
  buf[0] = 0x80;
  EXPECT_TRUE(RtpPacket::parse(buf.data(), buf.size()));
  for (size_t len = 0; len < 12; ++len) {
    EXPECT_FALSE(RtpPacket::parse(buf.data(), len)) << len;
  }
  EXPECT_FALSE(RtpPacket::parse(nullptr, 12));
}

TEST(RtpPacket, RejectsCsrcCountBeyondTheEnd) {
  std::array<uint8_t, 20> buf = {
      0x83, 0x60, 0x00, 0x01,  // CC=3: needs 12 + 12 bytes
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0x11, 0x11, 0x11, 0x11,  // CSRC 0
      0x22, 0x22, 0x22, 0x22,  // CSRC 1, then the buffer ends
  };
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
  buf[0] = 0x82;  // CC=2 fits exactly, empty payload
  const auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->payload().empty());
}

TEST(RtpPacket, RejectsExtensionLengthBeyondTheEnd) {
  std::array<uint8_t, 20> buf = {
      0x90, 0x60, 0x00, 0x01,  // X=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0xBE, 0xDE, 0x00, 0x02,  // one-byte form, 2 words announced
      0x10, 0xAA, 0x00, 0x00,  // only 1 word present
  };
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
  buf[15] = 0x01;
  EXPECT_TRUE(RtpPacket::parse(buf.data(), buf.size()));
  // X set but not even the 4-byte extension header fits.
  EXPECT_FALSE(RtpPacket::parse(buf.data(), 14));
  buf[14] = 0xFF;  // 0xFF01 words
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
}

TEST(RtpPacket, RejectsBadPadding) {
  std::array<uint8_t, 16> buf = {
      0xA0, 0x60, 0x00, 0x01,  // P=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0x01, 0x00, 0x00, 0x05,  // padding count 5 > 4 bytes after the header
  };
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
  buf[15] = 0x00;  // a zero count cannot include itself
  EXPECT_FALSE(RtpPacket::parse(buf.data(), buf.size()));
  buf[15] = 0x04;  // padding only, empty payload
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->paddingSize(), 4u);
  EXPECT_TRUE(packet->payload().empty());
  buf[15] = 0x03;
  packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payload().size(), 1u);
  // P set on a header-only packet: the padding count would be part of the header.
  EXPECT_FALSE(RtpPacket::parse(buf.data(), 12));
}

TEST(RtpPacket, EveryTruncationOfAFullPacketIsRejectedOrConsistent) {
  std::vector<uint8_t> full = {
      0xB1, 0x60, 0x00, 0x01,  // P=1 X=1 CC=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0x44, 0x44, 0x44, 0x44,  // CSRC
      0xBE, 0xDE, 0x00, 0x01,  // one-byte extensions, 1 word
      0x10, 0x7F, 0x00, 0x00,  // id 1 len 1
      0xAB, 0xCD, 0x00, 0x02,  // payload AB CD, padding 2
  };
  for (size_t len = 0; len <= full.size(); ++len) {
    std::vector<uint8_t> copy(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    const auto packet = RtpPacket::parse(copy.data(), copy.size());
    if (packet) {
      EXPECT_LE(packet->headerSize() + packet->paddingSize(), len);
      EXPECT_EQ(packet->payload().size(), len - packet->headerSize() - packet->paddingSize());
    }
  }
  EXPECT_TRUE(RtpPacket::parse(full.data(), full.size()));
}

}  // namespace
}  // namespace diemcau::media::rtp
