#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/Sdes.hpp"
#include "media/rtp/SenderReport.hpp"

namespace diemcau::media::rtp {
namespace {

// An SR without report blocks followed by an SDES CNAME, the compound a browser sends for a
// video stream it has just started (layout as libwebrtc writes it: 16-character CNAME).
std::vector<uint8_t> srSdesCompound() {
  return {
      0x80, 0xC8, 0x00, 0x06,  // SR, RC=0, length 6 (28 bytes)
      0x3A, 0x1F, 0x9C, 0x52,  // SSRC
      0xE9, 0x4C, 0x2B, 0x11,  // NTP seconds
      0x80, 0x00, 0x00, 0x00,  // NTP fraction (0.5 s)
      0x00, 0x2B, 0xF2, 0x00,  // RTP timestamp 2880000
      0x00, 0x00, 0x01, 0x2C,  // packet count 300
      0x00, 0x04, 0x93, 0xE0,  // octet count 300000
      0x81, 0xCA, 0x00, 0x06,  // SDES, SC=1, length 6 (28 bytes)
      0x3A, 0x1F, 0x9C, 0x52,  // chunk SSRC
      0x01, 0x10, 0x6D, 0x32,  // CNAME, 16 bytes: "m2
      0x61, 0x37, 0x62, 0x51,  // a7bQ
      0x33, 0x52, 0x76, 0x43,  // 3RvC
      0x6E, 0x4A, 0x2B, 0x38,  // nJ+8
      0x73, 0x64, 0x00, 0x00,  // sd" | end of items, pad
  };
}

TEST(RtcpCompound, IteratesSrAndSdes) {
  const auto buf = srSdesCompound();
  RtcpCompound compound(buf.data(), buf.size());

  auto first = compound.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->packetType(), rtcp_type::kSr);
  EXPECT_EQ(first->size(), 28u);
  const auto sr = SenderReport::parse(*first);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->ssrc(), 0x3A1F9C52u);
  EXPECT_EQ(sr->ntpTimestamp(), 0xE94C2B1180000000ull);
  EXPECT_EQ(sr->compactNtp(), 0x2B118000u);
  EXPECT_EQ(sr->rtpTimestamp(), 2880000u);
  EXPECT_EQ(sr->packetCount(), 300u);
  EXPECT_EQ(sr->octetCount(), 300000u);
  EXPECT_EQ(sr->reportCount(), 0u);

  auto second = compound.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->packetType(), rtcp_type::kSdes);
  const auto sdes = Sdes::parse(*second);
  ASSERT_TRUE(sdes);
  auto chunks = sdes->chunks();
  const auto chunk = chunks.next();
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->ssrc, 0x3A1F9C52u);
  EXPECT_EQ(chunk->cname, "m2a7bQ3RvCnJ+8sd");
  EXPECT_FALSE(chunks.next());
  EXPECT_FALSE(chunks.malformed());

  EXPECT_FALSE(compound.next());
  EXPECT_FALSE(compound.malformed());
  EXPECT_TRUE(compound.complete());
}

TEST(RtcpCompound, StopsWhenALengthReachesPastTheCompound) {
  auto buf = srSdesCompound();
  buf[31] = 0x07;  // SDES claims 32 bytes, 28 remain
  RtcpCompound compound(buf.data(), buf.size());
  ASSERT_TRUE(compound.next());
  EXPECT_FALSE(compound.next());
  EXPECT_TRUE(compound.malformed());
  EXPECT_FALSE(compound.next());  // stays stopped
  EXPECT_FALSE(compound.complete());
}

TEST(RtcpCompound, EveryTruncationStopsCleanly) {
  const auto full = srSdesCompound();
  for (size_t len = 0; len < full.size(); ++len) {
    std::vector<uint8_t> copy(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
    RtcpCompound compound(copy.data(), copy.size());
    size_t bytes = 0;
    while (auto packet = compound.next()) {
      bytes += packet->size();
    }
    EXPECT_LE(bytes, len);
    EXPECT_EQ(compound.complete(), len == 0 || len == 28) << len;
  }
}

TEST(RtcpCompound, ZeroLengthInputsAndHeaderOnlyPackets) {
  RtcpCompound empty(nullptr, 0);
  EXPECT_FALSE(empty.next());
  EXPECT_FALSE(empty.malformed());

  const std::array<uint8_t, 4> headerOnly = {
      0x80, 0xC9, 0x00, 0x00,  // RR, length 0: 4 bytes, no SSRC
  };
  RtcpCompound compound(headerOnly.data(), headerOnly.size());
  const auto packet = compound.next();
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->size(), 4u);
  EXPECT_TRUE(packet->body().empty());
  EXPECT_FALSE(ReceiverReport::parse(*packet));
  EXPECT_TRUE(compound.complete());
}

TEST(RtcpCompound, RejectsBadVersionTrailingBytesAndBadPadding) {
  std::vector<uint8_t> buf = {
      0x80, 0xC9, 0x00, 0x01,  // RR, RC=0
      0x00, 0x00, 0x00, 0x01,  // SSRC
      0x40, 0xC9, 0x00, 0x01,  // V=1
      0x00, 0x00, 0x00, 0x01,  //
  };
  RtcpCompound badVersion(buf.data(), buf.size());
  EXPECT_TRUE(badVersion.next());
  EXPECT_FALSE(badVersion.next());
  EXPECT_TRUE(badVersion.malformed());

  RtcpCompound trailing(buf.data(), 10);  // 2 stray bytes after the first packet
  EXPECT_TRUE(trailing.next());
  EXPECT_FALSE(trailing.next());
  EXPECT_TRUE(trailing.malformed());

  std::vector<uint8_t> padded = {
      0xA0, 0xC9, 0x00, 0x02,  // RR with P=1, 12 bytes
      0x00, 0x00, 0x00, 0x01,  // SSRC
      0x00, 0x00, 0x00, 0x04,  // 4 bytes of padding
  };
  auto packet = RtcpPacket::parse(padded.data(), padded.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->body().size(), 4u);
  EXPECT_TRUE(ReceiverReport::parse(*packet));
  padded[11] = 0x09;  // more padding than the packet body
  EXPECT_FALSE(RtcpPacket::parse(padded.data(), padded.size()));
  padded[11] = 0x00;
  EXPECT_FALSE(RtcpPacket::parse(padded.data(), padded.size()));
}

}  // namespace
}  // namespace diemcau::media::rtp
