#include "bridge/room/ReceiveStats.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;

TEST(ReceiveStats, LossAndFractionPerInterval) {
  ReceiveStats stats(48000);
  int64_t now = 0;
  for (uint16_t seq = 100; seq < 110; ++seq) {
    if (seq == 103 || seq == 104) continue;  // 2 of 10 lost
    stats.onPacket(seq, seq * 960u, now += 20 * kMs);
  }
  auto block = stats.report(0xAABBCCDD, now);
  EXPECT_EQ(block.ssrc, 0xAABBCCDDu);
  EXPECT_EQ(block.highestSeq, 109u);
  EXPECT_EQ(block.cumulativeLost, 2);
  EXPECT_EQ(block.fractionLost, (2 << 8) / 10);  // 51/256 = 20 %
  for (uint16_t seq = 110; seq < 120; ++seq) stats.onPacket(seq, seq * 960u, now += 20 * kMs);
  block = stats.report(0xAABBCCDD, now);
  EXPECT_EQ(block.fractionLost, 0);  // nothing lost in the second interval
  EXPECT_EQ(block.cumulativeLost, 2);
  EXPECT_EQ(block.highestSeq, 119u);
}

TEST(ReceiveStats, LateRetransmissionReducesCumulativeLoss) {
  ReceiveStats stats(90000);
  stats.onPacket(1, 0, 0);
  stats.onPacket(3, 0, 1);
  EXPECT_EQ(stats.cumulativeLost(), 1);
  stats.onPacket(2, 0, 2);
  EXPECT_EQ(stats.cumulativeLost(), 0);
}

TEST(ReceiveStats, ExtendedHighestSequenceCountsCycles) {
  ReceiveStats stats(48000);
  for (uint16_t seq : {65534, 65535, 0, 1}) stats.onPacket(seq, 0, 0);
  const auto block = stats.report(1, 0);
  EXPECT_EQ(block.highestSeq, 65536u + 1);  // one cycle, sequence 1 (RFC 3550 section 6.4.1)
  EXPECT_EQ(block.cumulativeLost, 0);
}

TEST(ReceiveStats, JitterFollowsRfc3550A8) {
  ReceiveStats stats(48000);
  // Timestamps 20 ms apart arrive 10 ms apart: each transit differs by 10 ms = 480 ticks.
  stats.onPacket(1, 0, 0);
  EXPECT_EQ(stats.jitter(), 0u);
  stats.onPacket(2, 960, 10 * kMs);
  EXPECT_EQ(stats.jitter(), 30u);  // 480 / 16
  stats.onPacket(3, 1920, 20 * kMs);
  EXPECT_EQ(stats.jitter(), 58u);  // 30 + (480 - 30) / 16 = 58.1
}

TEST(ReceiveStats, SteadyStreamHasNoJitter) {
  ReceiveStats stats(90000);
  for (uint16_t seq = 0; seq < 50; ++seq) stats.onPacket(seq, seq * 3000u, seq * 33'333);
  EXPECT_LE(stats.jitter(), 1u);
}

TEST(ReceiveStats, LastSrAndDelaySinceIt) {
  ReceiveStats stats(90000);
  stats.onPacket(1, 0, 0);
  auto block = stats.report(1, 0);
  EXPECT_EQ(block.lastSr, 0u);  // no SR yet: both zero (RFC 3550 section 6.4.1)
  EXPECT_EQ(block.delaySinceLastSr, 0u);
  stats.onSenderReport(0x12345678, 1000 * kMs);
  block = stats.report(1, 1500 * kMs);
  EXPECT_EQ(block.lastSr, 0x12345678u);
  EXPECT_EQ(block.delaySinceLastSr, 32768u);  // 0.5 s in 1/65536 s
}

TEST(ReceiveStats, NoPacketsNoReport) {
  ReceiveStats stats(48000);
  const auto block = stats.report(7, 0);
  EXPECT_EQ(block.highestSeq, 0u);
  EXPECT_FALSE(stats.hasPackets());
}

}  // namespace
}  // namespace diemcau::bridge
