#include "bridge/room/RtcpReports.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "bridge/room/NtpTime.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/Sdes.hpp"

namespace diemcau::bridge {
namespace {

namespace rtp = media::rtp;

TEST(RtcpReports, ReceiverReportCompoundCarriesBlocksAndCname) {
  rtp::ReportBlock block;
  block.ssrc = 0x11223344;
  block.fractionLost = 51;
  block.cumulativeLost = 2;
  block.highestSeq = 0x0001'0005;
  block.jitter = 30;
  block.lastSr = 0xAABBCCDD;
  block.delaySinceLastSr = 32768;
  std::array<uint8_t, 256> buffer{};
  const size_t len = writeReceiverReportCompound(buffer, 0xB0B0B0B0, std::span(&block, 1), "hall");
  // RR: 8 bytes of header and sender SSRC, 24 per block; SDES: 4 + SSRC 4 + item 2 + "hall" 4, padded to 16.
  ASSERT_EQ(len, 8u + 24u + 16u);
  const uint8_t expectedRrHeader[] = {
      0x81, 201, 0x00, 0x07,  // V=2, RC=1, PT=RR, length 7 words
      0xB0, 0xB0, 0xB0, 0xB0,  // reporter SSRC
      0x11, 0x22, 0x33, 0x44,  // block: source SSRC
      51,   0x00, 0x00, 0x02,  // fraction lost, cumulative lost
  };
  EXPECT_TRUE(std::equal(std::begin(expectedRrHeader), std::end(expectedRrHeader), buffer.begin()));

  rtp::RtcpCompound compound(buffer.data(), len);
  auto rr = compound.next();
  ASSERT_TRUE(rr);
  const auto report = rtp::ReceiverReport::parse(*rr);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->ssrc(), 0xB0B0B0B0u);
  ASSERT_EQ(report->reportCount(), 1u);
  EXPECT_EQ(report->reportBlock(0), block);
  auto sdesPacket = compound.next();
  ASSERT_TRUE(sdesPacket);
  const auto sdes = rtp::Sdes::parse(*sdesPacket);
  ASSERT_TRUE(sdes);
  auto chunks = sdes->chunks();
  const auto chunk = chunks.next();
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->ssrc, 0xB0B0B0B0u);
  EXPECT_EQ(chunk->cname, "hall");
  EXPECT_TRUE(compound.complete());
}

TEST(RtcpReports, SenderReportCompound) {
  rtp::SenderInfo info{0x01020304, 0xE000000080000000ULL, 123456, 42, 4200};
  std::array<uint8_t, 256> buffer{};
  const size_t len = writeSenderReportCompound(buffer, info, "lang-can");
  ASSERT_GT(len, 28u);
  rtp::RtcpCompound compound(buffer.data(), len);
  auto packet = compound.next();
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->packetType(), rtp::rtcp_type::kSr);
  const auto sr = rtp::SenderReport::parse(*packet);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->ssrc(), 0x01020304u);
  EXPECT_EQ(sr->ntpTimestamp(), 0xE000000080000000ULL);
  EXPECT_EQ(sr->rtpTimestamp(), 123456u);
  EXPECT_EQ(sr->packetCount(), 42u);
  EXPECT_EQ(sr->octetCount(), 4200u);
  EXPECT_EQ(sr->reportCount(), 0u);
  auto sdes = compound.next();
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->packetType(), rtp::rtcp_type::kSdes);
  EXPECT_TRUE(compound.complete());
}

TEST(RtcpReports, TooSmallBufferWritesNothing) {
  rtp::SenderInfo info{1, 0, 0, 0, 0};
  std::array<uint8_t, 30> buffer{};
  EXPECT_EQ(writeSenderReportCompound(buffer, info, "a-rather-long-cname"), 0u);
}

TEST(RtcpReports, TimestampExtrapolatesWithTheWallClock) {
  EXPECT_EQ(extrapolateTimestamp(1000, 0, 500'000, 90000), 1000u + 45000u);
  EXPECT_EQ(extrapolateTimestamp(0xFFFFFF00u, 0, 20'000, 48000), 0xFFFFFF00u + 960u);  // wraps
  EXPECT_EQ(extrapolateTimestamp(1000, 500, 400, 90000), 1000u);  // clock never runs backwards
}

TEST(RtcpReports, RoundTripFromLsrAndDlsr) {
  rtp::ReportBlock block;
  EXPECT_FALSE(roundTripMs(block, 0x10000));  // no SR echoed yet
  block.lastSr = 0x00010000;           // our SR at 1 s
  block.delaySinceLastSr = 0x00008000;  // receiver held it 0.5 s
  EXPECT_EQ(roundTripMs(block, 0x00018000 + 0x0000199A), 100u);  // back at 1.6 s: 100 ms
}

TEST(RtcpReports, NtpOfTheUnixEpoch) {
  const uint64_t ntp = toNtp(std::chrono::system_clock::time_point{} + std::chrono::milliseconds(1500));
  EXPECT_EQ(ntp >> 32, 2'208'988'801ULL);
  EXPECT_EQ(ntp & 0xFFFFFFFFu, 0x80000000u);
  EXPECT_EQ(compactNtp(ntp), static_cast<uint32_t>(((2'208'988'801ULL & 0xFFFF) << 16) | 0x8000));
}

}  // namespace
}  // namespace diemcau::bridge
