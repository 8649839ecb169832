#include "tools/load/StreamLedger.hpp"

#include <gtest/gtest.h>

namespace diemcau::load {
namespace {

using Result = StreamLedger::Result;

TEST(StreamLedger, CountsInOrderPacketsAndTailLoss) {
  StreamLedger ledger;
  EXPECT_EQ(ledger.onPacket(0, 10), Result::First);
  for (uint32_t s = 11; s <= 20; ++s) EXPECT_EQ(ledger.onPacket(0, s), Result::New);
  EXPECT_EQ(ledger.unique(), 11u);
  EXPECT_EQ(ledger.gaps(), 0u);
  // The sender went on to 25: five packets never arrived.
  EXPECT_EQ(ledger.lostUpTo(25), 5u);
}

TEST(StreamLedger, FindsGapsDuplicatesAndLateArrivals) {
  StreamLedger ledger;
  ledger.onPacket(0, 1);
  ledger.onPacket(0, 2);
  ledger.onPacket(0, 5);  // 3 and 4 missing for now
  EXPECT_EQ(ledger.gaps(), 2u);
  EXPECT_EQ(ledger.onPacket(0, 2), Result::Duplicate);
  EXPECT_EQ(ledger.onPacket(0, 4), Result::New);  // late, not a duplicate
  EXPECT_EQ(ledger.onPacket(0, 4), Result::Duplicate);
  EXPECT_EQ(ledger.gaps(), 1u);
  EXPECT_EQ(ledger.duplicates(), 2u);
  EXPECT_EQ(ledger.unique(), 4u);
}

TEST(StreamLedger, AWindowJumpForgetsOldSequences) {
  StreamLedger ledger;
  ledger.onPacket(0, 1);
  ledger.onPacket(0, 5000);
  EXPECT_EQ(ledger.gaps(), 4998u);
  // Older than the window: counted, not checked for duplication.
  EXPECT_EQ(ledger.onPacket(0, 2), Result::New);
  EXPECT_EQ(ledger.gaps(), 4997u);
}

TEST(StreamLedger, ANewGenerationClosesTheOldOne) {
  StreamLedger ledger;
  ledger.onPacket(0, 1);
  ledger.onPacket(0, 3);  // 2 lost
  EXPECT_EQ(ledger.onPacket(1, 1), Result::Restarted);
  EXPECT_EQ(ledger.closedLost(), 1u);
  EXPECT_EQ(ledger.closedUnique(), 2u);
  EXPECT_EQ(ledger.generation(), 1);
  EXPECT_EQ(ledger.unique(), 1u);
  EXPECT_EQ(ledger.lostUpTo(1), 0u);
}

TEST(StreamLedger, NothingReceivedMeansNothingCounted) {
  StreamLedger ledger;
  EXPECT_FALSE(ledger.started());
  EXPECT_EQ(ledger.lostUpTo(100), 0u);
}

TEST(StreamLedger, APauseOfTheBridgeIsSkippedNotLost) {
  // Source sequences 1-3 arrive as RTP 500-502; the bridge pauses the stream (last-N) over
  // 4-9 and resumes with 10 as RTP 503: the receiver saw no gap in the RTP numbering.
  StreamLedger ledger;
  ledger.onPacket(0, 1, {0xAABBCCDD, 500, 1'000});
  ledger.onPacket(0, 2, {0xAABBCCDD, 501, 2'000});
  ledger.onPacket(0, 3, {0xAABBCCDD, 502, 3'000});
  ledger.onPacket(0, 10, {0xAABBCCDD, 503, 9'000});
  EXPECT_EQ(ledger.skipped(), 6u);
  EXPECT_EQ(ledger.gaps(), 0u);
  EXPECT_EQ(ledger.lastArrivalNs(), 9'000);
  // A real loss after it: 11 never arrives, 12 comes as RTP 505 (504 missing too).
  ledger.onPacket(0, 12, {0xAABBCCDD, 505, 10'000});
  EXPECT_EQ(ledger.skipped(), 6u);
  EXPECT_EQ(ledger.gaps(), 1u);
  EXPECT_EQ(ledger.lostUpTo(14), 3u);  // 11, 13 and 14
}

TEST(StreamLedger, AJumpOnAnotherSsrcOrWithAnRtpGapIsLoss) {
  StreamLedger ledger;
  ledger.onPacket(0, 1, {1, 100, 0});
  ledger.onPacket(0, 5, {1, 104, 0});  // RTP 101-103 missing as well: three lost
  EXPECT_EQ(ledger.gaps(), 3u);
  ledger.onPacket(0, 8, {2, 105, 0});  // another down track: nothing proves a pause
  EXPECT_EQ(ledger.gaps(), 5u);
  EXPECT_EQ(ledger.skipped(), 0u);
}

TEST(StreamLedger, ANewGenerationForgetsTheSkippedCount) {
  StreamLedger ledger;
  ledger.onPacket(0, 1, {7, 10, 0});
  ledger.onPacket(0, 50, {7, 11, 0});
  EXPECT_EQ(ledger.skipped(), 48u);
  // The source joined again; its new stream starts at 1, first packet 3 after a real loss.
  EXPECT_EQ(ledger.onPacket(1, 3, {9, 200, 0}), StreamLedger::Result::Restarted);
  EXPECT_EQ(ledger.closedLost(), 0u);
  EXPECT_EQ(ledger.skipped(), 0u);
  ledger.onPacket(1, 4, {9, 201, 0});
  EXPECT_EQ(ledger.lostUpTo(6), 2u);
}

}  // namespace
}  // namespace diemcau::load
