#include "bridge/bwe/NackLossMeter.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kStart = 9'000'000'000;

TEST(NackLossMeterTest, EachNumberCountsOnceWhileTheReceiverRepeatsIt) {
  NackLossMeter meter;
  EXPECT_TRUE(meter.onNack(100, kStart));
  EXPECT_TRUE(meter.onNack(101, kStart));
  // RFC 4585 section 3.6: the receiver asks again every round trip until the repair arrives.
  EXPECT_FALSE(meter.onNack(100, kStart + 200 * kMs));
  EXPECT_FALSE(meter.onNack(100, kStart + 400 * kMs));
  EXPECT_FALSE(meter.onNack(101, kStart + 2900 * kMs));
  EXPECT_EQ(meter.lost(), 2u);
}

TEST(NackLossMeterTest, TheSameNumberLaterIsANewLoss) {
  NackLossMeter meter;
  EXPECT_TRUE(meter.onNack(7, kStart));
  // 65536 packets later (the sequence wrapped) the number names another packet.
  EXPECT_TRUE(meter.onNack(7, kStart + NackLossMeter::kRepeatWindowUs));
  EXPECT_EQ(meter.lost(), 2u);
}

TEST(NackLossMeterTest, NumbersSharingASlotDoNotHideEachOther) {
  NackLossMeter meter;
  // 5 and 5 + 1024 use the same slot: each is a first NACK, and 5 again after 1029 replaced it
  // counts as new too (bounded memory; a receiver repeating across 1024 losses is rare).
  EXPECT_TRUE(meter.onNack(5, kStart));
  EXPECT_TRUE(meter.onNack(5 + NackLossMeter::kSlots, kStart + kMs));
  EXPECT_FALSE(meter.onNack(5 + NackLossMeter::kSlots, kStart + 2 * kMs));
  EXPECT_TRUE(meter.onNack(5, kStart + 3 * kMs));
  EXPECT_EQ(meter.lost(), 3u);
}

TEST(NackLossMeterTest, WrapsAroundTheSequenceSpace) {
  NackLossMeter meter;
  EXPECT_TRUE(meter.onNack(65535, kStart));
  EXPECT_TRUE(meter.onNack(0, kStart));
  EXPECT_FALSE(meter.onNack(65535, kStart + kMs));
  EXPECT_FALSE(meter.onNack(0, kStart + kMs));
  EXPECT_EQ(meter.lost(), 2u);
}

}  // namespace
}  // namespace diemcau::bridge
