#include "bridge/bwe/BandwidthEstimator.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace diemcau::bridge {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kStart = 50 * kSecond;

BandwidthEstimator::Config config(uint64_t initial) {
  BandwidthEstimator::Config c;
  c.initialBps = initial;
  c.minBps = 50'000;
  c.maxBps = 4'000'000;
  return c;
}

TEST(BandwidthEstimatorTest, HeavyLossCutsByHalfTheLossRateWhenTheSendRateIsUnknown) {
  BandwidthEstimator estimator(config(1'000'000));
  // 20 % loss, send rate not measured (the first report): 1 - 0.5 * 0.2 = 0.9.
  estimator.onLossReport(100, 20, 0, kStart);
  EXPECT_EQ(estimator.estimateBps(kStart), 900'000u);
  EXPECT_DOUBLE_EQ(estimator.lastLoss(), 0.2);
}

TEST(BandwidthEstimatorTest, HeavyLossWhileSendingAboveTheEstimateKeepsWhatGotThrough) {
  BandwidthEstimator estimator(config(1'000'000));
  // Sending 1.5 Mbit/s (a switch down waiting for its keyframe), 20 % lost: 1.2 Mbit/s got
  // through, more than the estimate; the loss is the overshoot, the estimate stays.
  estimator.onLossReport(100, 20, 1'500'000, kStart);
  EXPECT_EQ(estimator.estimateBps(kStart), 1'000'000u);
}

TEST(BandwidthEstimatorTest, RepeatedLossDuringOneOvershootDoesNotGoBelowWhatGotThrough) {
  BandwidthEstimator estimator(config(2'500'000));
  // A 300 kbit/s link fed 1.5 Mbit/s for two seconds while the lower layer's keyframe is awaited:
  // one sample every half second, each 80 % lost. GCC's per-report cut would reach
  // 300 * 0.6^3 = 65 kbit/s; the link carried 300 every time.
  for (int i = 0; i < 4; ++i) estimator.onLossReport(200, 160, 1'500'000, kStart + i * kSecond / 2);
  EXPECT_NEAR(static_cast<double>(estimator.estimateBps(kStart + 2 * kSecond)), 300'000.0, 1.0);
}

TEST(BandwidthEstimatorTest, HeavyLossCutsToWhatGotThroughWhenThatIsLower) {
  BandwidthEstimator estimator(config(2'500'000));
  // 700 kbit/s sent into a 300 kbit/s link: 57 % lost, 300 got through.
  estimator.onLossReport(1000, 570, 700'000, kStart);
  EXPECT_NEAR(static_cast<double>(estimator.estimateBps(kStart)), 301'000.0, 1'000.0);
}

TEST(BandwidthEstimatorTest, OneCutPerIntervalForBlocksOfTheSameReport) {
  BandwidthEstimator estimator(config(1'000'000));
  estimator.onLossReport(100, 40, 0, kStart);
  const uint64_t once = estimator.estimateBps(kStart);
  estimator.onLossReport(100, 40, 0, kStart + 100'000);
  EXPECT_EQ(estimator.estimateBps(kStart + 100'000), once);
  estimator.onLossReport(100, 40, 0, kStart + 400'000);
  EXPECT_LT(estimator.estimateBps(kStart + 400'000), once);
}

TEST(BandwidthEstimatorTest, ModerateLossHolds) {
  BandwidthEstimator estimator(config(800'000));
  estimator.onLossReport(100, 5, 800'000, kStart);
  estimator.onLossReport(100, 5, 800'000, kStart + kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond), 800'000u);
}

TEST(BandwidthEstimatorTest, LowLossClimbsEightPercentPerSecond) {
  BandwidthEstimator estimator(config(500'000));
  estimator.onLossReport(100, 0, 500'000, kStart);  // the first report only sets the clock
  EXPECT_EQ(estimator.estimateBps(kStart), 500'000u);
  estimator.onLossReport(100, 1, 500'000, kStart + kSecond);
  EXPECT_NEAR(static_cast<double>(estimator.estimateBps(kStart + kSecond)), 540'000.0, 1.0);
  // Half a second later: 1.08^0.5.
  estimator.onLossReport(100, 0, 540'000, kStart + 3 * kSecond / 2);
  EXPECT_NEAR(static_cast<double>(estimator.estimateBps(kStart + 3 * kSecond / 2)), 540'000.0 * 1.0392305, 5.0);
}

TEST(BandwidthEstimatorTest, AfterACutItHoldsLongerEachTime) {
  BandwidthEstimator estimator(config(1'000'000));
  estimator.onLossReport(100, 50, 1'000'000, kStart);  // cut to 750 kbit/s, hold 2 s
  const uint64_t cut = estimator.estimateBps(kStart);
  estimator.onLossReport(100, 0, 700'000, kStart + kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond), cut);
  estimator.onLossReport(100, 0, 700'000, kStart + 3 * kSecond);
  EXPECT_GT(estimator.estimateBps(kStart + 3 * kSecond), cut);
  // A second cut soon after (the probe failed): hold 4 s.
  estimator.onLossReport(100, 50, 800'000, kStart + 4 * kSecond);
  const uint64_t second = estimator.estimateBps(kStart + 4 * kSecond);
  estimator.onLossReport(100, 0, 600'000, kStart + 7 * kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + 7 * kSecond), second);
  estimator.onLossReport(100, 0, 600'000, kStart + 9 * kSecond);
  EXPECT_GT(estimator.estimateBps(kStart + 9 * kSecond), second);
}

// The estimate climbing from `from` in clean reports every second until it reaches `bps`; returns the
// time of the last report.
int64_t climbTo(BandwidthEstimator& estimator, uint64_t bps, int64_t from) {
  int64_t now = from;
  while (estimator.estimateBps(now) < bps) {
    now += kSecond;
    estimator.onLossReport(100, 0, 200'000, now);
  }
  return now;
}

// Whether the estimate climbs on a clean report `after` the cut at `cutUs` (a throwaway copy, so the
// probe does not change the estimator under test).
bool climbsAt(const BandwidthEstimator& estimator, int64_t cutUs, int64_t after) {
  BandwidthEstimator copy = estimator;
  const uint64_t before = copy.estimateBps(cutUs + after);
  copy.onLossReport(100, 0, 200'000, cutUs + after);
  return copy.estimateBps(cutUs + after) > before;
}

// A capped link: every climb back to the layer above takes longer than 30 s and fails at the same
// ceiling. The hold still doubles each time (past 30 s, up to 120 s), so the probes grow rare.
TEST(BandwidthEstimatorTest, ProbesThatFailAtTheSameCeilingBackOffHoweverLongTheClimb) {
  BandwidthEstimator estimator(config(600'000));
  int64_t now = kStart;
  estimator.onLossReport(100, 60, 600'000, now);  // the ceiling fails: cut to 240 kbit/s, hold 2 s
  int64_t hold = 2 * kSecond;
  for (int probe = 0; probe < 7; ++probe) {
    // Slowly back up to the ceiling (a slow climb: one report every 3 s from the hold's end on).
    now += hold;
    while (estimator.estimateBps(now) < 600'000) {
      now += 3 * kSecond;
      estimator.onLossReport(100, 0, 200'000, now);
    }
    estimator.onLossReport(100, 60, 600'000, now);  // and it fails there again
    hold = std::min<int64_t>(hold * 2, BandwidthEstimator::kMaxRepeatHoldUs);
    EXPECT_FALSE(climbsAt(estimator, now, hold - kSecond)) << "probe " << probe;
    EXPECT_TRUE(climbsAt(estimator, now, hold + kSecond)) << "probe " << probe;
  }
  EXPECT_EQ(hold, BandwidthEstimator::kMaxRepeatHoldUs);
}

// A failure well above the ceiling that failed before, long after it: the link got better, and the
// hold starts again from 2 s.
TEST(BandwidthEstimatorTest, AFailureWellAboveTheLastCeilingStartsTheHoldAgain) {
  BandwidthEstimator estimator(config(600'000));
  estimator.onLossReport(100, 60, 600'000, kStart);  // cut to 240 kbit/s
  const int64_t cutUs = climbTo(estimator, 580'000, kStart + 2 * kSecond);
  estimator.onLossReport(100, 60, 600'000, cutUs);  // same ceiling: hold 4 s
  EXPECT_FALSE(climbsAt(estimator, cutUs, 3 * kSecond));
  // The link carries far more now: the estimate climbs past 1.5 Mbit/s, over 30 s after that cut.
  int64_t now = climbTo(estimator, 1'500'000, cutUs + 4 * kSecond);
  while (now - cutUs <= BandwidthEstimator::kMaxHoldUs) {
    now += kSecond;
    estimator.onLossReport(100, 0, 200'000, now);
  }
  estimator.onLossReport(100, 60, 2'000'000, now);
  EXPECT_TRUE(climbsAt(estimator, now, 2 * kSecond + kSecond / 10));
}

TEST(BandwidthEstimatorTest, LossGoingOnWithoutAClimbKeepsTheHold) {
  BandwidthEstimator estimator(config(1'000'000));
  // One lossy episode reported in three samples: the hold stays 2 s from the last of them.
  for (int i = 0; i < 3; ++i) estimator.onLossReport(100, 50, 1'000'000, kStart + i * kSecond / 2);
  const uint64_t cut = estimator.estimateBps(kStart + kSecond);
  EXPECT_EQ(cut, 500'000u);
  estimator.onLossReport(100, 0, 400'000, kStart + 2 * kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + 2 * kSecond), cut);  // 1 s after the last loss: holding
  estimator.onLossReport(100, 0, 400'000, kStart + 3 * kSecond + kSecond / 10);
  EXPECT_GT(estimator.estimateBps(kStart + 3 * kSecond + kSecond / 10), cut);  // 2.1 s after: climbing
}

TEST(BandwidthEstimatorTest, CapOfThreeHundredKilobitsConverges) {
  // A 300 kbit/s link fed at the estimate: what exceeds the link is lost.
  BandwidthEstimator estimator(config(1'500'000));
  int64_t now = kStart;
  for (int i = 0; i < 30; ++i) {
    now += kSecond / 2;
    const double sent = static_cast<double>(estimator.estimateBps(now));
    const double loss = sent > 300'000 ? (sent - 300'000) / sent : 0.0;
    estimator.onLossReport(1000, static_cast<uint64_t>(loss * 1000), static_cast<uint64_t>(sent), now);
  }
  EXPECT_LE(estimator.estimateBps(now), 360'000u);
  EXPECT_GE(estimator.estimateBps(now), 200'000u);
}

TEST(BandwidthEstimatorTest, RembAloneIsNoCeiling) {
  BandwidthEstimator estimator(config(2'500'000));
  // A browser's first REMBs: far below what its link takes, since only 300 kbit/s reached it yet.
  estimator.onRemb(300'000, kStart);
  EXPECT_FALSE(estimator.usingRemb(kStart));
  EXPECT_EQ(estimator.estimateBps(kStart), 2'500'000u);
  // A clean second at 1.5 Mbit/s, five times the REMB: refuted, still no ceiling.
  estimator.onLossReport(500, 0, 1'500'000, kStart + kSecond);
  EXPECT_FALSE(estimator.usingRemb(kStart + kSecond));
  EXPECT_GE(estimator.estimateBps(kStart + kSecond), 2'500'000u);
}

TEST(BandwidthEstimatorTest, LossWhileSendingAboveTheRembMakesItTheCeiling) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(500'000, kStart);
  // 1.5 Mbit/s sent, 20 % lost: the loss-based cut keeps 1.2 Mbit/s (what got through), but the
  // receiver said 500 kbit/s and the link just confirmed it cannot take three times that.
  estimator.onLossReport(500, 100, 1'500'000, kStart + kSecond / 2);
  EXPECT_TRUE(estimator.usingRemb(kStart + kSecond / 2));
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond / 2), 500'000u);
  // Its next REMB lower (the receiver's queue grew): the estimate follows at once, without a loss report.
  estimator.onRemb(350'000, kStart + kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond), 350'000u);
  // Higher again: the ceiling rises with it, up to the loss-based estimate and no further.
  estimator.onRemb(900'000, kStart + 2 * kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + 2 * kSecond), 900'000u);
  estimator.onRemb(3'000'000, kStart + 3 * kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + 3 * kSecond), 1'200'000u);
}

TEST(BandwidthEstimatorTest, LossAtTheRembRateConfirmsItLossWellBelowItDoesNot) {
  // Sending 95 % of the REMB and losing 3 %: the link is at its limit there, the REMB is right.
  BandwidthEstimator atRemb(config(2'500'000));
  atRemb.onRemb(800'000, kStart);
  atRemb.onLossReport(1000, 30, 760'000, kStart + kSecond);
  EXPECT_TRUE(atRemb.usingRemb(kStart + kSecond));
  EXPECT_EQ(atRemb.estimateBps(kStart + kSecond), 800'000u);

  // Losing 30 % while sending a quarter of the REMB: the REMB is too high, not too low; the loss
  // cuts to what got through and the REMB stays untrusted.
  BandwidthEstimator belowRemb(config(2'500'000));
  belowRemb.onRemb(800'000, kStart);
  belowRemb.onLossReport(1000, 300, 200'000, kStart + kSecond);
  EXPECT_FALSE(belowRemb.usingRemb(kStart + kSecond));
  EXPECT_EQ(belowRemb.estimateBps(kStart + kSecond), 140'000u);

  // Loss with the send rate unknown (the first receiver report): nothing to compare with.
  BandwidthEstimator unknownRate(config(2'500'000));
  unknownRate.onRemb(800'000, kStart);
  unknownRate.onLossReport(1000, 300, 0, kStart + kSecond);
  EXPECT_FALSE(unknownRate.usingRemb(kStart + kSecond));
}

TEST(BandwidthEstimatorTest, ACleanIntervalAboveATrustedRembRefutesIt) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(400'000, kStart);
  estimator.onLossReport(500, 100, 1'000'000, kStart + kSecond);  // trusted; loss estimate 800 kbit/s
  ASSERT_EQ(estimator.estimateBps(kStart + kSecond), 400'000u);
  // 500 kbit/s went through without loss (a layer kept above the budget): more than 110 % of 400.
  estimator.onRemb(400'000, kStart + 2 * kSecond);
  estimator.onLossReport(500, 0, 500'000, kStart + 2 * kSecond);
  EXPECT_FALSE(estimator.usingRemb(kStart + 2 * kSecond));
  EXPECT_EQ(estimator.estimateBps(kStart + 2 * kSecond), 800'000u);
  // Clean at 420 kbit/s (within 10 % of the REMB) would not have refuted it.
  BandwidthEstimator near(config(2'500'000));
  near.onRemb(400'000, kStart);
  near.onLossReport(500, 100, 1'000'000, kStart + kSecond);
  near.onLossReport(500, 0, 420'000, kStart + 2 * kSecond);
  EXPECT_TRUE(near.usingRemb(kStart + 2 * kSecond));
}

TEST(BandwidthEstimatorTest, TrustedRembStopsWhenStaleOrAfterTheTrustWindow) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(400'000, kStart);
  estimator.onLossReport(500, 100, 1'000'000, kStart);
  ASSERT_TRUE(estimator.usingRemb(kStart));
  // The receiver stops sending REMB: after kRembFreshUs its last one limits nothing.
  EXPECT_TRUE(estimator.usingRemb(kStart + 5 * kSecond));
  EXPECT_FALSE(estimator.usingRemb(kStart + 5 * kSecond + 1));
  EXPECT_EQ(estimator.estimateBps(kStart + 6 * kSecond), 800'000u);
  // It goes on sending, with no loss report confirming it (nothing sent at its rate): 30 s after
  // the confirmation the ceiling lifts, so loss can probe again.
  for (int s = 6; s <= 31; ++s) estimator.onRemb(400'000, kStart + s * kSecond);
  EXPECT_TRUE(estimator.usingRemb(kStart + 30 * kSecond));
  EXPECT_FALSE(estimator.usingRemb(kStart + 30 * kSecond + 1));
  EXPECT_EQ(estimator.estimateBps(kStart + 31 * kSecond), 800'000u);
}

TEST(BandwidthEstimatorTest, UnderATrustedRembTheLossEstimateClimbsOnlyToIt) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(500'000, kStart);
  // 1 Mbit/s sent, 70 % lost: trusted, and the loss estimate is what got through, 300 kbit/s.
  estimator.onLossReport(1000, 700, 1'000'000, kStart);
  ASSERT_TRUE(estimator.usingRemb(kStart));
  ASSERT_EQ(estimator.estimateBps(kStart), 300'000u);
  // Twenty clean seconds below the REMB (it goes on, fresh): 8 % a second would reach 1.4 Mbit/s,
  // the ceiling holds the climb at 500.
  for (int s = 1; s <= 20; ++s) {
    estimator.onRemb(500'000, kStart + s * kSecond);
    estimator.onLossReport(1000, 0, 300'000, kStart + s * kSecond);
  }
  EXPECT_EQ(estimator.estimateBps(kStart + 20 * kSecond), 500'000u);
  // The trust lifts 30 s after the confirmation: probing goes on from 500, a second at a time.
  for (int s = 21; s <= 31; ++s) {
    estimator.onRemb(500'000, kStart + s * kSecond);
    estimator.onLossReport(1000, 0, 480'000, kStart + s * kSecond);
  }
  EXPECT_FALSE(estimator.usingRemb(kStart + 31 * kSecond));
  EXPECT_NEAR(static_cast<double>(estimator.estimateBps(kStart + 31 * kSecond)), 540'000.0, 1'000.0);
}

TEST(BandwidthEstimatorTest, AStaleRembIsNotJudged) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(400'000, kStart);
  // Loss 10 s later while sending above the old REMB: that REMB described another moment.
  estimator.onLossReport(500, 100, 1'000'000, kStart + 10 * kSecond);
  estimator.onRemb(400'000, kStart + 11 * kSecond);
  EXPECT_FALSE(estimator.usingRemb(kStart + 11 * kSecond));
}

TEST(BandwidthEstimatorTest, ForgetRembKeepsTheLossEstimate) {
  BandwidthEstimator estimator(config(2'500'000));
  estimator.onRemb(400'000, kStart);
  estimator.onLossReport(500, 100, 1'000'000, kStart);
  ASSERT_EQ(estimator.estimateBps(kStart), 400'000u);
  estimator.forgetRemb();
  EXPECT_FALSE(estimator.usingRemb(kStart));
  EXPECT_EQ(estimator.estimateBps(kStart), 800'000u);
  // A REMB on the new path starts untrusted.
  estimator.onRemb(300'000, kStart + kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond), 800'000u);
}

TEST(BandwidthEstimatorTest, BoundsHold) {
  BandwidthEstimator estimator(config(60'000));
  for (int i = 0; i < 10; ++i) estimator.onLossReport(100, 90, 60'000, kStart + i * kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + 10 * kSecond), 50'000u);
  // A trusted REMB below the floor is held at the floor.
  estimator.onRemb(10'000, kStart + 10 * kSecond);
  estimator.onLossReport(100, 90, 60'000, kStart + 11 * kSecond);
  ASSERT_TRUE(estimator.usingRemb(kStart + 11 * kSecond));
  EXPECT_EQ(estimator.estimateBps(kStart + 11 * kSecond), 50'000u);
}

TEST(BandwidthEstimatorTest, EmptyReportChangesNothing) {
  BandwidthEstimator estimator(config(700'000));
  estimator.onLossReport(0, 0, 0, kStart);
  estimator.onLossReport(0, 0, 0, kStart + kSecond);
  EXPECT_EQ(estimator.estimateBps(kStart + kSecond), 700'000u);
}

}  // namespace
}  // namespace diemcau::bridge
