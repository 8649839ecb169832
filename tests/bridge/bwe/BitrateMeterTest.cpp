#include "bridge/bwe/BitrateMeter.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kStart = 1'000'000'000;  // a monotonic clock far from zero

TEST(BitrateMeterTest, SteadyStreamMeasuresItsRate) {
  BitrateMeter meter;
  // 1000 bytes every 10 ms = 800 kbit/s.
  for (int i = 0; i < 300; ++i) meter.add(1000, kStart + i * 10 * kMs);
  const uint64_t bps = meter.bitsPerSecond(kStart + 2990 * kMs);
  EXPECT_GE(bps, 760'000u);
  EXPECT_LE(bps, 840'000u);
}

TEST(BitrateMeterTest, RateFallsToZeroAfterTheStreamStops) {
  BitrateMeter meter;
  for (int i = 0; i < 100; ++i) meter.add(1000, kStart + i * 10 * kMs);
  EXPECT_GT(meter.bitsPerSecond(kStart + 1000 * kMs), 0u);
  EXPECT_GT(meter.bitsPerSecond(kStart + 1500 * kMs), 0u);  // half the window still holds packets
  EXPECT_EQ(meter.bitsPerSecond(kStart + 2100 * kMs), 0u);
  EXPECT_GT(meter.peakBitsPerSecond(kStart + 2100 * kMs), 0u);  // remembered for five seconds
  EXPECT_EQ(meter.peakBitsPerSecond(kStart + 6100 * kMs), 0u);
  EXPECT_TRUE(meter.activeWithin(500 * kMs, kStart + 1300 * kMs));
  EXPECT_FALSE(meter.activeWithin(500 * kMs, kStart + 1600 * kMs));
}

TEST(BitrateMeterTest, LongGapClearsOldBuckets) {
  BitrateMeter meter;
  meter.add(100'000, kStart);
  meter.add(1000, kStart + 60'000 * kMs);
  EXPECT_EQ(meter.bitsPerSecond(kStart + 60'000 * kMs), 8000u);
}

TEST(BitrateMeterTest, PeakHoldsTheBusiestSecondOfTheLastFive) {
  BitrateMeter meter;
  // One busy second (1000 bytes every 10 ms = 800 kbit/s), then three quiet ones (100 kbit/s).
  int64_t t = kStart;
  for (int i = 0; i < 100; ++i, t += 10 * kMs) meter.add(1000, t);
  for (int i = 0; i < 300; ++i, t += 10 * kMs) meter.add(125, t);
  EXPECT_LE(meter.bitsPerSecond(t), 110'000u);
  EXPECT_GE(meter.peakBitsPerSecond(t), 700'000u);  // windows end on 100 ms buckets, not on the burst
  // Two seconds more of quiet: the busy second has left the five-second memory.
  for (int i = 0; i < 200; ++i, t += 10 * kMs) meter.add(125, t);
  EXPECT_LE(meter.peakBitsPerSecond(t), 110'000u);
}

TEST(BitrateMeterTest, EmptyMeterIsZero) {
  const BitrateMeter meter;
  EXPECT_EQ(meter.bitsPerSecond(kStart), 0u);
  EXPECT_FALSE(meter.activeWithin(1'000'000, kStart));
}

}  // namespace
}  // namespace diemcau::bridge
