#include "bridge/bwe/LossSampler.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kStart = 9'000'000'000;

TEST(LossSamplerTest, FirstTotalsOnlyStartTheInterval) {
  LossSampler sampler;
  EXPECT_FALSE(sampler.onTotals(5000, 300, kStart).has_value());
}

TEST(LossSamplerTest, SamplesAfterHalfASecondOfEnoughPackets) {
  LossSampler sampler;
  sampler.onTotals(1000, 10, kStart);
  // 400 ms: too early even with plenty of packets.
  EXPECT_FALSE(sampler.onTotals(1080, 30, kStart + 400 * kMs).has_value());
  // 500 ms, 100 packets sent since the start, 40 of them NACKed: 40 % loss.
  const auto sample = sampler.onTotals(1100, 50, kStart + 500 * kMs);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 100u);
  EXPECT_EQ(sample->lost, 40u);
  // The next interval starts there.
  EXPECT_FALSE(sampler.onTotals(1120, 50, kStart + 600 * kMs).has_value());
  const auto next = sampler.onTotals(1200, 55, kStart + 1000 * kMs);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->expected, 100u);
  EXPECT_EQ(next->lost, 5u);
}

TEST(LossSamplerTest, AThinStreamIsSampledAtTheLongestInterval) {
  LossSampler sampler;
  sampler.onTotals(0, 0, kStart);
  // 20 packets a second (a 150 kbit/s layer): not enough at 1 s, sampled at 1.5 s.
  EXPECT_FALSE(sampler.onTotals(20, 0, kStart + 1000 * kMs).has_value());
  const auto sample = sampler.onTotals(30, 1, kStart + LossSampler::kMaxIntervalUs);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 30u);
  EXPECT_EQ(sample->lost, 1u);
}

TEST(LossSamplerTest, NothingSentIsNoSample) {
  LossSampler sampler;
  sampler.onTotals(500, 5, kStart);
  EXPECT_FALSE(sampler.onTotals(500, 5, kStart + 2 * LossSampler::kMaxIntervalUs).has_value());
  // The interval started again at the empty sample.
  EXPECT_FALSE(sampler.onTotals(560, 5, kStart + 2 * LossSampler::kMaxIntervalUs + 400 * kMs).has_value());
  EXPECT_TRUE(sampler.onTotals(560, 5, kStart + 2 * LossSampler::kMaxIntervalUs + 500 * kMs).has_value());
}

TEST(LossSamplerTest, LateNacksNeverMakeMoreLostThanSent) {
  LossSampler sampler;
  sampler.onTotals(0, 0, kStart);
  // NACKs of the previous interval's packets arrive in this one.
  const auto sample = sampler.onTotals(10, 25, kStart + LossSampler::kMaxIntervalUs);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->lost, 10u);
}

TEST(LossSamplerTest, TotalsGoingDownRestart) {
  LossSampler sampler;
  sampler.onTotals(1000, 100, kStart);
  // A down track went away: its packets left the totals.
  EXPECT_FALSE(sampler.onTotals(400, 20, kStart + 1000 * kMs).has_value());
  const auto sample = sampler.onTotals(500, 30, kStart + 1500 * kMs);
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 100u);
  EXPECT_EQ(sample->lost, 10u);
}

}  // namespace
}  // namespace diemcau::bridge
