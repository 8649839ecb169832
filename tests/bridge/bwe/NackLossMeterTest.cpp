#include "bridge/bwe/NackLossMeter.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
// A monotonic clock far from zero, on a bucket boundary.
constexpr int64_t kStart = 9'000'000'000;

// Sends `count` packets of `bytes` from `first`, spread evenly over [at, at + spanMs).
void send(NackLossMeter& meter, uint16_t first, int count, size_t bytes, int64_t at, int64_t spanMs) {
  for (int i = 0; i < count; ++i) {
    meter.onSent(static_cast<uint16_t>(first + i), bytes, at + i * spanMs * kMs / count);
  }
}

TEST(NackLossMeterTest, NothingIsSettledBeforeTheSettleDelay) {
  NackLossMeter meter;
  meter.settle(kStart);  // starts counting from here
  send(meter, 100, 10, 1000, kStart, 100);
  auto totals = meter.settle(kStart + 900 * kMs);
  EXPECT_EQ(totals.packets, 0u);
  // The bucket [0, 100 ms) is settled once 1.1 s have passed.
  totals = meter.settle(kStart + 1100 * kMs);
  EXPECT_EQ(totals.packets, 10u);
  EXPECT_EQ(totals.bytes, 10'000u);
  EXPECT_EQ(totals.untilUs, kStart + 100 * kMs);
}

TEST(NackLossMeterTest, ANackBeforeAnythingWasSentIsIgnored) {
  NackLossMeter meter;
  meter.settle(kStart);
  EXPECT_FALSE(meter.onNack(100, kStart));
  send(meter, 100, 10, 1000, kStart, 100);
  EXPECT_TRUE(meter.onNack(100, kStart + 150 * kMs));
}

// An audio stream is never NACKed: it counts its packets and bytes (the link's send rate) but
// keeps no per-packet slots, so a NACK naming one of its sequence numbers counts nothing.
TEST(NackLossMeterTest, WithoutPacketTrackingOnlyTheSendRateCounts) {
  NackLossMeter meter(false);
  meter.settle(kStart);
  send(meter, 100, 10, 200, kStart, 100);
  EXPECT_FALSE(meter.onNack(103, kStart + 150 * kMs));
  const auto totals = meter.settle(kStart + 1100 * kMs);
  EXPECT_EQ(totals.packets, 10u);
  EXPECT_EQ(totals.bytes, 2'000u);
  EXPECT_EQ(totals.lost, 0u);
}

TEST(NackLossMeterTest, EachPacketCountsOnceWhileTheReceiverRepeatsItsNack) {
  NackLossMeter meter;
  meter.settle(kStart);
  send(meter, 100, 10, 1000, kStart, 100);
  EXPECT_TRUE(meter.onNack(103, kStart + 150 * kMs));
  // RFC 4585 section 3.6: asked again every round trip until the repair arrives.
  EXPECT_FALSE(meter.onNack(103, kStart + 300 * kMs));
  EXPECT_FALSE(meter.onNack(103, kStart + 450 * kMs));
  EXPECT_TRUE(meter.onNack(104, kStart + 150 * kMs));
  const auto totals = meter.settle(kStart + 1100 * kMs);
  EXPECT_EQ(totals.packets, 10u);
  EXPECT_EQ(totals.lost, 2u);
}

TEST(NackLossMeterTest, LossBelongsToWhenThePacketWasSent) {
  NackLossMeter meter;
  meter.settle(kStart);
  // 0-500 ms: a thick layer, 100 packets; 500-1000 ms: a thin one, 10 packets.
  send(meter, 0, 100, 1200, kStart, 500);
  send(meter, 100, 10, 300, kStart + 500 * kMs, 500);
  // The thick layer's losses are NACKed late, while the thin one is sent: 60 of 100.
  for (uint16_t s = 0; s < 60; ++s) meter.onNack(s, kStart + 700 * kMs);
  auto totals = meter.settle(kStart + 1500 * kMs);
  EXPECT_EQ(totals.packets, 100u);
  EXPECT_EQ(totals.lost, 60u);
  totals = meter.settle(kStart + 2000 * kMs);
  EXPECT_EQ(totals.packets, 110u);
  EXPECT_EQ(totals.lost, 60u);  // none of the thin layer's packets was lost
  EXPECT_EQ(totals.bytes, 100u * 1200 + 10u * 300);
}

TEST(NackLossMeterTest, NacksAfterTheBucketSettledAreNotCounted) {
  NackLossMeter meter;
  meter.settle(kStart);
  send(meter, 500, 10, 1000, kStart, 100);
  meter.settle(kStart + 1100 * kMs);
  EXPECT_TRUE(meter.onNack(505, kStart + 1200 * kMs));
  EXPECT_EQ(meter.settle(kStart + 1300 * kMs).lost, 0u);
}

TEST(NackLossMeterTest, UnknownAndOverwrittenNumbersAreIgnored) {
  NackLossMeter meter;
  meter.settle(kStart);
  EXPECT_FALSE(meter.onNack(42, kStart));  // never sent
  meter.onSent(7, 100, kStart);
  meter.onSent(static_cast<uint16_t>(7 + NackLossMeter::kSlots), 100, kStart + kMs);
  EXPECT_FALSE(meter.onNack(7, kStart + 2 * kMs));  // its slot holds a later packet now
  EXPECT_TRUE(meter.onNack(static_cast<uint16_t>(7 + NackLossMeter::kSlots), kStart + 2 * kMs));
  EXPECT_EQ(meter.settle(kStart + 1100 * kMs).lost, 1u);
}

TEST(NackLossMeterTest, TheSameNumberAfterTheSequenceWrapsIsANewPacket) {
  NackLossMeter meter;
  meter.settle(kStart);
  meter.onSent(9, 100, kStart);
  EXPECT_TRUE(meter.onNack(9, kStart + 50 * kMs));
  meter.onSent(9, 100, kStart + 60 * kMs);  // 65536 packets later, in a test's compressed time
  EXPECT_TRUE(meter.onNack(9, kStart + 90 * kMs));
  EXPECT_EQ(meter.settle(kStart + 1100 * kMs).lost, 2u);
}

TEST(NackLossMeterTest, RetransmissionsAddBytesButNoPackets) {
  NackLossMeter meter;
  meter.settle(kStart);
  send(meter, 0, 4, 1000, kStart, 100);
  meter.onResent(1000, kStart + 50 * kMs);
  const auto totals = meter.settle(kStart + 1100 * kMs);
  EXPECT_EQ(totals.packets, 4u);
  EXPECT_EQ(totals.bytes, 5000u);
}

TEST(NackLossMeterTest, ALongSilenceSettlesOnlyWhatTheRingHolds) {
  NackLossMeter meter;
  meter.settle(kStart);
  send(meter, 0, 10, 1000, kStart, 100);
  // No settle for a minute: the bucket is long overwritten or out of reach, and nothing breaks.
  const auto totals = meter.settle(kStart + 60'000 * kMs);
  EXPECT_EQ(totals.packets, 0u);
  EXPECT_EQ(totals.untilUs, kStart + 59'000 * kMs);
  send(meter, 10, 10, 1000, kStart + 60'000 * kMs, 100);
  EXPECT_EQ(meter.settle(kStart + 61'100 * kMs).packets, 10u);
}

}  // namespace
}  // namespace diemcau::bridge
