#include "bridge/bwe/LossSampler.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kStart = 9'000'000'000;

SendTotals at(int64_t ms, uint64_t packets, uint64_t lost, uint64_t bytes = 0) {
  return SendTotals{packets, lost, bytes, kStart + ms * kMs};
}

TEST(LossSamplerTest, FirstTotalsOnlyStartTheInterval) {
  LossSampler sampler;
  EXPECT_FALSE(sampler.onTotals(at(0, 5000, 300)).has_value());
}

TEST(LossSamplerTest, SamplesAfterHalfASecondOfEnoughPackets) {
  LossSampler sampler;
  sampler.onTotals(at(0, 1000, 10, 1'000'000));
  // 400 ms: too early even with plenty of packets.
  EXPECT_FALSE(sampler.onTotals(at(400, 1080, 30, 1'080'000)).has_value());
  // 500 ms, 100 packets sent since the start, 40 of them NACKed: 40 %; 100 kB in 0.5 s: 1.6 Mbit/s.
  const auto sample = sampler.onTotals(at(500, 1100, 50, 1'100'000));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 100u);
  EXPECT_EQ(sample->lost, 40u);
  EXPECT_EQ(sample->sentBps, 1'600'000u);
  // The next interval starts there.
  EXPECT_FALSE(sampler.onTotals(at(600, 1120, 50, 1'120'000)).has_value());
  const auto next = sampler.onTotals(at(1000, 1200, 55, 1'200'000));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->expected, 100u);
  EXPECT_EQ(next->lost, 5u);
}

TEST(LossSamplerTest, AThinStreamIsSampledAtTheLongestInterval) {
  LossSampler sampler;
  sampler.onTotals(at(0, 0, 0));
  // 15 packets a second (a thin layer): not enough at 1.5 s, sampled at 3 s.
  EXPECT_FALSE(sampler.onTotals(at(1500, 22, 3)).has_value());
  const auto sample = sampler.onTotals(at(3000, 45, 3, 45 * 1000));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 45u);
  EXPECT_EQ(sample->lost, 3u);
  EXPECT_EQ(sample->sentBps, 120'000u);
}

TEST(LossSamplerTest, NothingSentIsNoSample) {
  LossSampler sampler;
  sampler.onTotals(at(0, 500, 5));
  EXPECT_FALSE(sampler.onTotals(at(3000, 500, 5)).has_value());
  // The interval started again at the empty sample.
  EXPECT_FALSE(sampler.onTotals(at(3400, 560, 5)).has_value());
  EXPECT_TRUE(sampler.onTotals(at(3500, 560, 5)).has_value());
}

TEST(LossSamplerTest, NeverMoreLostThanSent) {
  LossSampler sampler;
  sampler.onTotals(at(0, 0, 0));
  const auto sample = sampler.onTotals(at(3000, 10, 25));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->lost, 10u);
}

TEST(LossSamplerTest, TotalsGoingDownRestart) {
  LossSampler sampler;
  sampler.onTotals(at(0, 1000, 100));
  // A down track went away: its packets left the totals.
  EXPECT_FALSE(sampler.onTotals(at(1000, 400, 20)).has_value());
  const auto sample = sampler.onTotals(at(1500, 500, 30));
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->expected, 100u);
  EXPECT_EQ(sample->lost, 10u);
}

}  // namespace
}  // namespace diemcau::bridge
