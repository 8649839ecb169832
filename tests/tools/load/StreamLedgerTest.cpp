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

}  // namespace
}  // namespace diemcau::load
