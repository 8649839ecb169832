// RepairMeter: what became of the packets a received stream lacked (repaired in time, given up by
// the jitter buffer, or arriving after that), as nack_delay.sh reads it from the peers' reports.
#include "tests/peers/RepairMeter.hpp"

#include <gtest/gtest.h>

namespace diemcau::peers {
namespace {

TEST(RepairMeter, InOrderStreamHasNothingMissing) {
  RepairMeter meter;
  for (int s = 0; s < 10; ++s) meter.onArrival(static_cast<std::uint16_t>(100 + s), s * 20'000);
  const auto c = meter.counts();
  EXPECT_EQ(c.packets, 10u);
  EXPECT_EQ(c.missing, 0u);
  EXPECT_EQ(c.unresolved, 0u);
}

TEST(RepairMeter, RepairedGivenUpAndLateAreTold) {
  RepairMeter meter;
  meter.onArrival(100, 0);
  meter.onArrival(103, 60'000);   // 101 and 102 missing
  meter.onArrival(101, 310'000);  // repaired 250 ms after the gap showed
  meter.onGivenUp(102);           // the jitter buffer's deadline passed
  meter.onArrival(102, 500'000);  // of no use now
  meter.onArrival(101, 520'000);  // a duplicate repair: nothing changes
  const auto c = meter.counts();
  EXPECT_EQ(c.packets, 4u);
  EXPECT_EQ(c.missing, 2u);
  EXPECT_EQ(c.repaired, 1u);
  EXPECT_EQ(c.givenUp, 1u);
  EXPECT_EQ(c.late, 1u);
  EXPECT_EQ(c.unresolved, 0u);
  const auto j = meter.toJson();
  EXPECT_DOUBLE_EQ(j["repair_ms_median"].get<double>(), 250.0);
  EXPECT_DOUBLE_EQ(j["repair_ms_max"].get<double>(), 250.0);
}

TEST(RepairMeter, SequenceWrapIsOneStream) {
  RepairMeter meter;
  meter.onArrival(65534, 0);
  meter.onArrival(1, 40'000);  // 65535 and 0 missing across the wrap
  meter.onArrival(0, 90'000);
  meter.onGivenUp(65535);
  const auto c = meter.counts();
  EXPECT_EQ(c.missing, 2u);
  EXPECT_EQ(c.repaired, 1u);
  EXPECT_EQ(c.givenUp, 1u);
}

TEST(RepairMeter, StillPendingAtTheEndIsUnresolved) {
  RepairMeter meter;
  meter.onArrival(10, 0);
  meter.onArrival(12, 40'000);
  EXPECT_EQ(meter.counts().unresolved, 1u);
  meter.onGivenUp(11);
  EXPECT_EQ(meter.counts().unresolved, 0u);
  meter.onGivenUp(11);  // told twice: counted once
  EXPECT_EQ(meter.counts().givenUp, 1u);
}

TEST(RepairMeter, AJumpPastTheLongestGapRestartsInsteadOfCountingLoss) {
  RepairMeter meter;
  meter.onArrival(10, 0);
  meter.onArrival(12, 1'000);
  meter.onArrival(static_cast<std::uint16_t>(12 + RepairMeter::kMaxGap + 5), 2'000);
  const auto c = meter.counts();
  EXPECT_EQ(c.missing, 1u);
  EXPECT_EQ(c.unresolved, 1u);
}

TEST(RepairMeter, AnOldPacketNeverMissedIsIgnored) {
  RepairMeter meter;
  meter.onArrival(50, 0);
  meter.onArrival(49, 1'000);  // before the first one seen: not ours to judge
  meter.onGivenUp(48);
  const auto c = meter.counts();
  EXPECT_EQ(c.packets, 1u);
  EXPECT_EQ(c.missing, 0u);
  EXPECT_EQ(c.givenUp, 0u);
}

}  // namespace
}  // namespace diemcau::peers
