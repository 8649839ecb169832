#include "bridge/bwe/DownlinkEstimate.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;
constexpr int64_t kStart = 9'000'000'000;

// The settled NACK totals at `ms`: `packets` sent, `lost` of them NACKed, 1000 bytes each.
SendTotals at(int64_t ms, uint64_t packets, uint64_t lost) {
  return SendTotals{packets, lost, packets * 1000, kStart + ms * kMs};
}

// A receiver whose NACKs its reports show to be late packets only: 40 % NACKed, nothing lost
// (calibration factor 0). Returns the time of the last step.
int64_t calibrateToZero(DownlinkEstimate& downlink) {
  downlink.onNackTotals(at(0, 1000, 0), kStart);
  downlink.onNackTotals(at(600, 1100, 40), kStart + 600 * kMs);  // held at the threshold
  downlink.onReceiverReport(100, 0, 1'000'000, kStart + 700 * kMs);
  EXPECT_EQ(downlink.nackFactor(), 0.0);
  return 700;
}

// The factor a sample is taken at: the judgment's where it holds (its send rate, 1.33 Mbit/s, and
// 20 s), 1 at twice the rate or later.
TEST(DownlinkEstimateTest, TheNackFactorAppliesWhereItsJudgmentHolds) {
  DownlinkEstimate downlink;
  const int64_t judgedUs = kStart + calibrateToZero(downlink) * kMs;
  EXPECT_EQ(downlink.nackFactorFor(1'300'000, judgedUs + kMs), 0.0);
  EXPECT_EQ(downlink.nackFactorFor(2'700'000, judgedUs + kMs), 1.0);
  EXPECT_EQ(downlink.nackFactorFor(1'300'000, judgedUs + NackCalibration::kJudgmentLifetimeUs + kMs), 1.0);
}

TEST(DownlinkEstimateTest, NackSamplesReachTheEstimatorWithTheirSendRate) {
  DownlinkEstimate downlink;
  EXPECT_FALSE(downlink.onNackTotals(at(0, 1000, 0), kStart).has_value());
  // Two heavy samples in a row (the first is held at 10 %): 100 packets of 1000 bytes in 0.6 s is
  // 1.33 Mbit/s, 60 % NACKed: what got through is 533 kbit/s.
  const auto first = downlink.onNackTotals(at(600, 1100, 60), kStart + 600 * kMs);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->lost, 10u);
  EXPECT_EQ(downlink.estimateBps(kStart + 600 * kMs), 2'500'000u);
  const auto second = downlink.onNackTotals(at(1200, 1200, 120), kStart + 1200 * kMs);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->lost, 60u);
  EXPECT_EQ(second->sentBps, 1'333'333u);
  EXPECT_NEAR(static_cast<double>(downlink.estimateBps(kStart + 1200 * kMs)), 533'333.0, 1.0);
}

TEST(DownlinkEstimateTest, ANewPathJudgesTheReceiversNacksAgain) {
  // The old path: the receiver's NACKs were late packets (a CPU-starved moment), so they count
  // for nothing. On the same path, two heavy NACK samples change nothing.
  DownlinkEstimate samePath;
  int64_t t = calibrateToZero(samePath);
  samePath.onNackTotals(at(t + 600, 1200, 100), kStart + (t + 600) * kMs);
  samePath.onNackTotals(at(t + 1200, 1300, 160), kStart + (t + 1200) * kMs);
  EXPECT_GE(samePath.estimateBps(kStart + (t + 1200) * kMs), 2'500'000u);

  // After an ICE restart onto a narrow link the same NACKs are loss again: the first interval
  // only starts, the first heavy sample is held, the second cuts.
  DownlinkEstimate newPath;
  t = calibrateToZero(newPath);
  newPath.onNewPath();
  EXPECT_EQ(newPath.nackFactor(), 1.0);
  EXPECT_FALSE(newPath.onNackTotals(at(t + 100, 1100, 40), kStart + (t + 100) * kMs).has_value());
  newPath.onNackTotals(at(t + 700, 1200, 100), kStart + (t + 700) * kMs);
  EXPECT_GE(newPath.estimateBps(kStart + (t + 700) * kMs), 2'500'000u);
  newPath.onNackTotals(at(t + 1300, 1300, 160), kStart + (t + 1300) * kMs);
  EXPECT_LT(newPath.estimateBps(kStart + (t + 1300) * kMs), 1'000'000u);
}

TEST(DownlinkEstimateTest, ANewPathRestartsTheSamplingInterval) {
  DownlinkEstimate samePath;
  samePath.onNackTotals(at(0, 1000, 0), kStart);
  EXPECT_TRUE(samePath.onNackTotals(at(600, 1100, 0), kStart + 600 * kMs).has_value());

  // Packets settled before the restart belong to the old path's interval.
  DownlinkEstimate newPath;
  newPath.onNackTotals(at(0, 1000, 0), kStart);
  newPath.onNewPath();
  EXPECT_FALSE(newPath.onNackTotals(at(600, 1100, 0), kStart + 600 * kMs).has_value());
  EXPECT_TRUE(newPath.onNackTotals(at(1200, 1200, 0), kStart + 1200 * kMs).has_value());
}

TEST(DownlinkEstimateTest, ReportSendRateIsOverTheIntervalAndStartsAgainOnANewPath) {
  DownlinkEstimate downlink;
  EXPECT_EQ(downlink.onReceiverReport(100, 0, 1'000'000, kStart).sentBps, 0u);  // nothing to compare with
  // 125 000 bytes in one second: 1 Mbit/s.
  EXPECT_EQ(downlink.onReceiverReport(100, 0, 1'125'000, kStart + 1000 * kMs).sentBps, 1'000'000u);
  downlink.onNewPath();
  // The first report on the new path only marks the bytes: the outage is no send interval.
  EXPECT_EQ(downlink.onReceiverReport(100, 0, 1'250'000, kStart + 9000 * kMs).sentBps, 0u);
  EXPECT_EQ(downlink.onReceiverReport(100, 0, 1'312'500, kStart + 9500 * kMs).sentBps, 1'000'000u);
}

TEST(DownlinkEstimateTest, ANewPathForgetsTheRembButKeepsTheLossEstimate) {
  DownlinkEstimate downlink;
  downlink.onRemb(300'000, kStart);
  downlink.onReceiverReport(1000, 0, 0, kStart);
  // 20 % lost at 1 Mbit/s (125 kB in a second): the REMB is confirmed; the loss estimate is 800.
  downlink.onReceiverReport(1000, 200, 125'000, kStart + 1000 * kMs);
  ASSERT_EQ(downlink.estimateBps(kStart + 1000 * kMs), 300'000u);
  downlink.onNewPath();
  EXPECT_EQ(downlink.estimateBps(kStart + 1000 * kMs), 800'000u);
}

}  // namespace
}  // namespace diemcau::bridge
