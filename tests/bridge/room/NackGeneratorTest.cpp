#include "bridge/room/NackGenerator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <random>
#include <utility>
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

TEST(NackGenerator, RetriesBackOffThenGivesUpAndWantsAKeyframe) {
  NackGenerator generator(settings());
  generator.onPacket(10, 0);
  generator.onPacket(12, 0);
  EXPECT_EQ(collect(generator, 10 * kMs), (std::vector<uint16_t>{11}));
  EXPECT_TRUE(collect(generator, 60 * kMs).empty());  // 100 ms RTT not elapsed
  EXPECT_EQ(collect(generator, 110 * kMs), (std::vector<uint16_t>{11}));
  // Unanswered for a whole spacing: the next one is doubled (200 ms), then 400 ms.
  EXPECT_TRUE(collect(generator, 309 * kMs).empty());
  EXPECT_EQ(collect(generator, 310 * kMs), (std::vector<uint16_t>{11}));
  EXPECT_FALSE(generator.takeKeyframeRequest());
  EXPECT_TRUE(collect(generator, 709 * kMs).empty());
  EXPECT_EQ(generator.pendingCount(), 1u);
  EXPECT_TRUE(collect(generator, 710 * kMs).empty());  // three tries: given up
  EXPECT_EQ(generator.pendingCount(), 0u);
  EXPECT_EQ(generator.counters().givenUp, 1u);
  EXPECT_EQ(generator.counters().requested, 3u);
  EXPECT_TRUE(generator.takeKeyframeRequest());
  EXPECT_FALSE(generator.takeKeyframeRequest());
  EXPECT_EQ(generator.onPacket(11, 800 * kMs), Arrival::Late);  // no longer chased
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
  EXPECT_TRUE(collect(generator, 810 * kMs).empty());  // backed off to 800 ms
  EXPECT_EQ(generator.pendingCount(), 1u);
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
  // The first measurement replaces the default (RFC 6298 section 2.2).
  EXPECT_EQ(generator.rttUs(), 40 * kMs);
  EXPECT_EQ(generator.counters().recovered, 1u);
  // The next loss is retried after SRTT + 4 RTTVAR = 40 + 4 * 20 ms.
  generator.onPacket(5, 100 * kMs);
  ASSERT_EQ(collect(generator, 110 * kMs).size(), 1u);
  EXPECT_TRUE(collect(generator, 229 * kMs).empty());
  EXPECT_EQ(collect(generator, 230 * kMs), (std::vector<uint16_t>{4}));
  // A later sample is smoothed: SRTT 7/8, RTTVAR 3/4 (section 2.3).
  generator.onPacket(7, 300 * kMs);
  ASSERT_EQ(collect(generator, 310 * kMs).size(), 1u);
  EXPECT_EQ(generator.onPacket(6, 390 * kMs), Arrival::Recovered);  // 80 ms
  EXPECT_EQ(generator.rttUs(), (7 * 40 * kMs + 80 * kMs) / 8);
}

TEST(NackGenerator, AnAnswerAfterARetryIsNoSampleButTheBackoffStays) {
  NackGenerator generator(settings());
  generator.onPacket(1, 0);
  generator.onPacket(3, 0);
  ASSERT_EQ(collect(generator, 10 * kMs).size(), 1u);
  ASSERT_EQ(collect(generator, 110 * kMs).size(), 1u);
  // 200 ms after the first request, 100 ms after the second: which one was answered is unknown.
  EXPECT_EQ(generator.onPacket(2, 210 * kMs), Arrival::Recovered);
  EXPECT_EQ(generator.rttUs(), 100 * kMs);
  // The doubled spacing carries over to the next loss, so its answer can come back first.
  generator.onPacket(5, 300 * kMs);
  ASSERT_EQ(collect(generator, 310 * kMs).size(), 1u);
  EXPECT_TRUE(collect(generator, 500 * kMs).empty());
  EXPECT_EQ(generator.onPacket(4, 505 * kMs), Arrival::Recovered);  // 195 ms: a clean sample
  EXPECT_EQ(generator.rttUs(), 195 * kMs);
}

// A publisher sending every 20 ms over a link with a fixed round trip; `lossPercent` of the
// original packets are lost (pseudo-random, fixed seed), every retransmission arrives. The bridge
// checks for due NACKs after each arrival and every millisecond (its timer).
struct LinkResult {
  int64_t rttUs = 0;
  double requestsPerLoss = 0;  // over the second half of the run, once learnt
  uint64_t givenUp = 0;        // idem
};

LinkResult runLink(int64_t roundTripUs, int lossPercent) {
  auto s = settings();
  s.maxRetries = 5;
  NackGenerator generator(s);
  std::minstd_rand random(7);
  std::deque<std::pair<int64_t, uint16_t>> answers;  // arrival time, sequence (in time order)
  constexpr int64_t kRunUs = 20'000 * kMs;
  NackGenerator::Counters half;
  uint16_t sequence = 0;
  for (int64_t now = 0; now < kRunUs; now += kMs) {
    if (now == kRunUs / 2) half = generator.counters();
    while (!answers.empty() && answers.front().first <= now) {
      generator.onPacket(answers.front().second, now);
      answers.pop_front();
    }
    if (now % (20 * kMs) == 0) {
      const bool lost = sequence > 0 && static_cast<int>(random() % 100) < lossPercent;
      if (!lost) generator.onPacket(sequence, now);
      ++sequence;
    }
    if (generator.due(now)) {
      for (uint16_t asked : collect(generator, now)) answers.emplace_back(now + roundTripUs, asked);
    }
  }
  const auto& end = generator.counters();
  LinkResult result;
  result.rttUs = generator.rttUs();
  result.requestsPerLoss =
      static_cast<double>(end.requested - half.requested) / static_cast<double>(end.missing - half.missing);
  result.givenUp = end.givenUp - half.givenUp;
  return result;
}

TEST(NackGenerator, LearnsARoundTripLongerThanTheDefault) {
  const LinkResult result = runLink(200 * kMs, 20);
  EXPECT_GT(result.rttUs, 150 * kMs);
  EXPECT_LT(result.rttUs, 250 * kMs);
  // Asked about once per loss: the answer comes back before a retry is due.
  EXPECT_LT(result.requestsPerLoss, 1.1);
  EXPECT_GE(result.requestsPerLoss, 1.0);
  EXPECT_EQ(result.givenUp, 0u);
}

TEST(NackGenerator, LearnsAShortRoundTrip) {
  const LinkResult result = runLink(50 * kMs, 20);
  EXPECT_GT(result.rttUs, 45 * kMs);
  EXPECT_LT(result.rttUs, 55 * kMs);
  EXPECT_LT(result.requestsPerLoss, 1.1);
  EXPECT_EQ(result.givenUp, 0u);
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
