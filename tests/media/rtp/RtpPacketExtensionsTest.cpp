#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "media/rtp/RtpPacket.hpp"

namespace diemcau::media::rtp {
namespace {

// One-byte form (RFC 8285 §4.2) with the extensions a browser sends on video.
std::array<uint8_t, 36> oneBytePacket() {
  return {
      0x90, 0x60, 0x00, 0x01,  // V=2 X=1, PT 96, seq 1
      0x00, 0x00, 0x00, 0x02,  // timestamp
      0x00, 0x00, 0x00, 0x03,  // SSRC
      0xBE, 0xDE, 0x00, 0x04,  // one-byte profile, 4 words
      0x10, 0x9E, 0x22, 0x12,  // id 1 len 1: audio level V=1 level 30 | id 2 len 3: abs-send-time 12 34 56
      0x34, 0x56, 0x31, 0x03,  // .. | id 3 len 2: transport seq 0x0305
      0x05, 0x00, 0x41, 0x30,  // .. | padding | id 4 len 2: mid "0h"
      0x68, 0x50, 0x6C, 0x00,  // .. | id 5 len 1: rid "l" | padding
      0xFF, 0xFF, 0xFF, 0xFF,  // payload
  };
}

TEST(RtpPacketExtensions, ReadsOneByteForm) {
  auto buf = oneBytePacket();
  const auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extensionProfile(), 0xBEDE);
  EXPECT_EQ(packet->headerSize(), 32u);
  EXPECT_EQ(packet->payload().size(), 4u);

  const auto level = packet->audioLevel(1);
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice);
  EXPECT_EQ(level->level, 30);
  EXPECT_EQ(packet->absSendTime(2), 0x123456u);
  EXPECT_EQ(packet->transportSequence(3), 0x0305);
  EXPECT_EQ(packet->mid(4), "0h");
  EXPECT_EQ(packet->rid(5), "l");
  EXPECT_TRUE(packet->extension(6).empty());
  EXPECT_TRUE(packet->extension(0).empty());
  EXPECT_TRUE(packet->extension(15).empty());
  EXPECT_FALSE(packet->audioLevel(6));
  EXPECT_FALSE(packet->absSendTime(3));  // wrong size for abs-send-time
}

TEST(RtpPacketExtensions, OverwritesAndRemovesInPlace) {
  auto buf = oneBytePacket();
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->setTransportSequence(3, 0xBEEF));
  EXPECT_EQ(packet->transportSequence(3), 0xBEEF);
  EXPECT_EQ(buf[23], 0xBE);
  EXPECT_EQ(buf[24], 0xEF);
  const std::array<uint8_t, 3> wrongSize = {1, 2, 3};
  EXPECT_FALSE(packet->setExtension(3, wrongSize));
  EXPECT_FALSE(packet->setTransportSequence(9, 1));

  EXPECT_TRUE(packet->removeExtension(2));
  EXPECT_FALSE(packet->absSendTime(2));
  EXPECT_EQ(buf[18], 0x00);
  EXPECT_EQ(buf[21], 0x00);
  // The elements after it are still found: zero bytes are padding.
  EXPECT_EQ(packet->transportSequence(3), 0xBEEF);
  EXPECT_EQ(packet->mid(4), "0h");
  EXPECT_EQ(packet->rid(5), "l");
  EXPECT_FALSE(packet->removeExtension(2));
  EXPECT_EQ(packet->size(), buf.size());
}

TEST(RtpPacketExtensions, ReadsTwoByteForm) {
  std::array<uint8_t, 32> buf = {
      0x90, 0x6F, 0x00, 0x01,  // X=1, PT 111
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0x10, 0x00, 0x00, 0x04,  // two-byte profile 0x1000, 4 words
      0x01, 0x01, 0x05, 0x00,  // id 1 len 1: level 5, V=0 | padding
      0x20, 0x00, 0x21, 0x05,  // id 32 len 0 | id 33 len 5
      0x61, 0x75, 0x64, 0x69,  // "audi"
      0x6F, 0x00, 0x00, 0x00,  // "o" | padding
  };
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  const auto level = packet->audioLevel(1);
  ASSERT_TRUE(level);
  EXPECT_FALSE(level->voice);
  EXPECT_EQ(level->level, 5);
  EXPECT_TRUE(packet->extension(32).empty());
  EXPECT_TRUE(packet->hasExtension(32));  // present with a zero-length value
  EXPECT_FALSE(packet->hasExtension(34));
  EXPECT_TRUE(packet->removeExtension(32));
  EXPECT_FALSE(packet->hasExtension(32));
  EXPECT_EQ(packet->mid(33), "audio");
  EXPECT_TRUE(packet->removeExtension(33));
  EXPECT_TRUE(packet->mid(33).empty());
  EXPECT_TRUE(packet->audioLevel(1));
}

TEST(RtpPacketExtensions, StopsAtElementsThatOverrunTheBlock) {
  std::array<uint8_t, 24> buf = {
      0x90, 0x60, 0x00, 0x01,  // X=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0xBE, 0xDE, 0x00, 0x01,  // one word of elements
      0x10, 0xAA, 0x2F, 0xBB,  // id 1 len 1 | id 2 claims 16 bytes
      0x01, 0x02, 0x03, 0x04,  // payload, not extension data
  };
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extension(1).size(), 1u);
  EXPECT_TRUE(packet->extension(2).empty());
  EXPECT_FALSE(packet->removeExtension(2));
  EXPECT_EQ(buf[20], 0x01);

  buf[18] = 0xF0;  // id 15 ends processing of the block
  packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->extension(2).empty());

  buf[12] = 0x10;  // two-byte form: id 0x10 len 0xAA overruns
  buf[13] = 0x00;
  packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->extension(0x10).empty());
}

TEST(RtpPacketExtensions, UnknownProfileHasNoElements) {
  std::array<uint8_t, 20> buf = {
      0x90, 0x60, 0x00, 0x01,  // X=1
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x00, 0x00, 0x03,  //
      0xAB, 0xCD, 0x00, 0x01,  // profile 0xABCD
      0x10, 0xAA, 0x00, 0x00,  // looks like an element, but is not one
  };
  const auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->extensionProfile(), 0xABCD);
  EXPECT_EQ(packet->extensionBlock().size(), 4u);
  EXPECT_TRUE(packet->extension(1).empty());
}

}  // namespace
}  // namespace diemcau::media::rtp
