#include "bridge/room/NackGenerator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace diemcau::bridge {
namespace {

using Arrival = NackGenerator::Arrival;
constexpr int64_t kMs = 1000;

std::vector<uint16_t> collect(NackGenerator& generator, int64_t nowUs) {
  std::array<uint16_t, 64> out{};
  const size_t count = generator.collect(nowUs, out);
  return {out.begin(), out.begin() + static_cast<long>(count)};
}

NackGenerator::Settings settings() {
  NackGenerator::Settings s;
  s.reorderDelayUs = 10 * kMs;
  s.minRetryUs = 20 * kMs;
  s.initialRttUs = 100 * kMs;
  s.maxRetries = 3;
  s.maxAgeUs = 1000 * kMs;
  return s;
}

TEST(NackGenerator, InOrderStreamAsksNothing) {
  NackGenerator generator(settings());
  EXPECT_EQ(generator.onPacket(100, 0), Arrival::First);
  for (uint16_t seq = 101; seq < 200; ++seq) EXPECT_EQ(generator.onPacket(seq, seq * kMs), Arrival::InOrder);
  EXPECT_FALSE(generator.due(1000 * kMs));
  EXPECT_TRUE(collect(generator, 1000 * kMs).empty());
}

TEST(NackGenerator, WaitsForReorderingBeforeAsking) {
  NackGenerator generator(settings());
  generator.onPacket(100, 0);
  EXPECT_EQ(generator.onPacket(103, 1 * kMs), Arrival::Gap);
  EXPECT_FALSE(generator.due(5 * kMs));
  EXPECT_TRUE(collect(generator, 5 * kMs).empty());
  // 101 was only reordered: it arrives in time and is never asked for.
  EXPECT_EQ(generator.onPacket(101, 6 * kMs), Arrival::Recovered);
  EXPECT_TRUE(generator.due(11 * kMs));
  EXPECT_EQ(collect(generator, 11 * kMs), (std::vector<uint16_t>{102}));
  EXPECT_EQ(generator.counters().missing, 2u);
}

TEST(NackGenerator, RetriesSpacedByRttThenGivesUpAndWantsAKeyframe) {
  NackGenerator generator(settings());
  generator.onPacket(10, 0);
  generator.onPacket(12, 0);
  EXPECT_EQ(collect(generator, 10 * kMs), (std::vector<uint16_t>{11}));
  EXPECT_TRUE(collect(generator, 60 * kMs).empty());  // 100 ms RTT not elapsed
  EXPECT_EQ(collect(generator, 110 * kMs), (std::vector<uint16_t>{11}));
  EXPECT_EQ(collect(generator, 210 * kMs), (std::vector<uint16_t>{11}));
  EXPECT_FALSE(generator.takeKeyframeRequest());
  EXPECT_TRUE(collect(generator, 310 * kMs).empty());  // three tries: given up
  EXPECT_EQ(generator.pendingCount(), 0u);
  EXPECT_EQ(generator.counters().givenUp, 1u);
  EXPECT_EQ(generator.counters().requested, 3u);
  EXPECT_TRUE(generator.takeKeyframeRequest());
  EXPECT_FALSE(generator.takeKeyframeRequest());
  EXPECT_EQ(generator.onPacket(11, 400 * kMs), Arrival::Late);  // no longer chased
}

TEST(NackGenerator, GivesUpPastTheMaximumAge) {
  auto s = settings();
  s.maxRetries = 100;
  s.initialRttUs = 400 * kMs;
  NackGenerator generator(s);
  generator.onPacket(1, 0);
  generator.onPacket(3, 0);
  EXPECT_EQ(collect(generator, 10 * kMs).size(), 1u);
  EXPECT_EQ(collect(generator, 410 * kMs).size(), 1u);
  EXPECT_EQ(collect(generator, 810 * kMs).size(), 1u);
  EXPECT_TRUE(collect(generator, 1001 * kMs).empty());
  EXPECT_EQ(generator.counters().givenUp, 1u);
  EXPECT_TRUE(generator.takeKeyframeRequest());
}

TEST(NackGenerator, RepairMeasuresTheRoundTrip) {
  NackGenerator generator(settings());
  generator.onPacket(1, 0);
  generator.onPacket(3, 0);
  ASSERT_EQ(collect(generator, 10 * kMs).size(), 1u);
  EXPECT_EQ(generator.onPacket(2, 50 * kMs), Arrival::Recovered);  // 40 ms after the NACK
  EXPECT_EQ(generator.rttUs(), (7 * 100 * kMs + 40 * kMs) / 8);
  EXPECT_EQ(generator.counters().recovered, 1u);
  // The next loss is retried at the new spacing.
  generator.onPacket(5, 100 * kMs);
  ASSERT_EQ(collect(generator, 110 * kMs).size(), 1u);
  EXPECT_TRUE(collect(generator, 110 * kMs + generator.rttUs() - 1).empty());
  EXPECT_EQ(collect(generator, 110 * kMs + generator.rttUs()), (std::vector<uint16_t>{4}));
}

TEST(NackGenerator, BatchesInAscendingOrderAcrossTheWrap) {
  NackGenerator generator(settings());
  generator.onPacket(65533, 0);
  generator.onPacket(65535, 0);
  generator.onPacket(2, 0);  // 0 and 1 missing after the wrap
  EXPECT_EQ(collect(generator, 10 * kMs), (std::vector<uint16_t>{65534, 0, 1}));
}

TEST(NackGenerator, OutputBoundLeavesTheRestForLater) {
  NackGenerator generator(settings());
  generator.onPacket(0, 0);
  generator.onPacket(11, 0);  // 1..10 missing
  std::array<uint16_t, 4> out{};
  EXPECT_EQ(generator.collect(10 * kMs, out), 4u);
  EXPECT_EQ(out[0], 1);
  EXPECT_TRUE(generator.due(10 * kMs));
  EXPECT_EQ(collect(generator, 10 * kMs), (std::vector<uint16_t>{5, 6, 7, 8, 9, 10}));
}

TEST(NackGenerator, TooMuchMissingAsksForAKeyframeInstead) {
  NackGenerator generator(settings());
  generator.onPacket(0, 0);
  generator.onPacket(5, 0);  // 4 pending
  EXPECT_EQ(generator.onPacket(static_cast<uint16_t>(6 + NackGenerator::kCapacity), 0), Arrival::Reset);
  EXPECT_EQ(generator.pendingCount(), 0u);
  EXPECT_EQ(generator.counters().overflows, 1u);
  EXPECT_EQ(generator.counters().givenUp, 4u);
  EXPECT_TRUE(generator.takeKeyframeRequest());
  // The stream goes on from the new packet.
  EXPECT_EQ(generator.onPacket(static_cast<uint16_t>(7 + NackGenerator::kCapacity), 0), Arrival::InOrder);
}

TEST(NackGenerator, DuplicatesAndOldPacketsAreLate) {
  NackGenerator generator(settings());
  generator.onPacket(50, 0);
  generator.onPacket(51, 0);
  EXPECT_EQ(generator.onPacket(51, 0), Arrival::Late);
  EXPECT_EQ(generator.onPacket(20, 0), Arrival::Late);
  EXPECT_EQ(generator.pendingCount(), 0u);
}

}  // namespace
}  // namespace diemcau::bridge
