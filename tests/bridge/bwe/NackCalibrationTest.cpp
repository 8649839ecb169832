#include "bridge/bwe/NackCalibration.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr uint64_t kRate = 300'000;

// A clock one second further at each reading: samples and reports a second apart.
struct Clock {
  int64_t now = 0;
  int64_t operator()() { return now += 1'000'000; }
};

TEST(NackCalibrationTest, NacksCountInFullUntilAReportSaysOtherwise) {
  NackCalibration calibration;
  Clock tick;
  EXPECT_EQ(calibration.onSample(100, 8, kRate, tick()), 8u);
  EXPECT_EQ(calibration.onSample(100, 5, kRate, tick()), 5u);
}

TEST(NackCalibrationTest, OneHeavySampleAloneIsHeldAtTheThresholdTwoInARowCount) {
  NackCalibration calibration;
  Clock tick;
  // A burst of late packets NACKed once: held at 10 % (no cut).
  EXPECT_EQ(calibration.onSample(100, 30, kRate, tick()), 10u);
  EXPECT_EQ(calibration.onSample(100, 2, kRate, tick()), 2u);
  // A link too narrow: heavy loss in every sample; the second and later count in full.
  EXPECT_EQ(calibration.onSample(100, 60, kRate, tick()), 10u);
  EXPECT_EQ(calibration.onSample(100, 55, kRate, tick()), 55u);
  EXPECT_EQ(calibration.onSample(100, 40, kRate, tick()), 40u);
}

TEST(NackCalibrationTest, AReportOfNoLossAfterManyNacksDiscountsThem) {
  NackCalibration calibration;
  Clock tick;
  calibration.onSample(100, 40, kRate, tick());
  calibration.onSample(100, 20, kRate, tick());
  // The receiver's report: nothing lost over the same time. Its NACKs were for late packets.
  calibration.onReport(0, tick());
  EXPECT_EQ(calibration.factor(), 0.0);
  EXPECT_EQ(calibration.onSample(100, 18, kRate, tick()), 0u);
}

TEST(NackCalibrationTest, AReportConfirmingTheLossKeepsThemAndPartialConfirmationScales) {
  NackCalibration calibration;
  Clock tick;
  calibration.onSample(100, 50, kRate, tick());
  calibration.onReport(70, tick());  // more lost than NACKed (a receiver gives up NACKing): capped at 1
  EXPECT_EQ(calibration.factor(), 1.0);
  // Judged by a report: a heavy sample counts at once.
  EXPECT_EQ(calibration.onSample(100, 40, kRate, tick()), 40u);
  calibration.onReport(10, tick());  // a quarter of them were losses
  EXPECT_EQ(calibration.onSample(100, 20, kRate, tick()), 5u);
}

TEST(NackCalibrationTest, NacksBeforeTheFirstReportIntervalAreNotJudgedByIt) {
  NackCalibration calibration;
  Clock tick;
  calibration.onSample(100, 5, kRate, tick());
  calibration.onSample(100, 60, kRate, tick());  // an overload before the receiver's reports start
  calibration.onBaselineReport();
  calibration.onSample(100, 1, kRate, tick());
  calibration.onReport(0, tick());  // the first interval, on a smaller layer: nothing lost, nor NACKed
  EXPECT_EQ(calibration.factor(), 1.0);
}

TEST(NackCalibrationTest, TooFewNacksToJudgeKeepTheFactor) {
  NackCalibration calibration;
  Clock tick;
  calibration.onSample(100, 40, kRate, tick());
  calibration.onReport(20, tick());
  calibration.onSample(100, NackCalibration::kMinEvidence - 1, kRate, tick());
  calibration.onReport(0, tick());  // 9 NACKed, 0 reported: too little to change anything
  EXPECT_EQ(calibration.factor(), 0.5);
}

// A judgment made on a calm link does not outlive its conditions: after kJudgmentLifetimeUs the
// receiver's NACKs count in full again (a lone heavy sample still held), as a probe's would need.
TEST(NackCalibrationTest, AJudgmentLapsesAfterItsLifetime) {
  NackCalibration calibration;
  calibration.onSample(100, 40, kRate, 1'000'000);
  calibration.onReport(0, 2'000'000);
  const int64_t lapsed = 2'000'000 + NackCalibration::kJudgmentLifetimeUs;
  EXPECT_TRUE(calibration.judges(kRate, lapsed));
  EXPECT_EQ(calibration.onSample(100, 30, kRate, lapsed), 0u);
  EXPECT_FALSE(calibration.judges(kRate, lapsed + 1));
  EXPECT_EQ(calibration.onSample(100, 30, kRate, lapsed + 1), 10u);  // the hold of an unjudged receiver
  EXPECT_EQ(calibration.onSample(100, 30, kRate, lapsed + 2), 30u);
  EXPECT_EQ(calibration.factor(), 0.0);  // the old judgment, kept for the record
}

// Reports with too few NACKs to judge again, at the judged rate, keep the judgment alive: a calm
// receiver whose jitter buffer NACKs a burst of late packets now and then stays discounted.
TEST(NackCalibrationTest, QuietReportsAtTheJudgedRateRenewTheJudgment) {
  NackCalibration calibration;
  calibration.onSample(100, 40, kRate, 1'000'000);
  calibration.onReport(0, 2'000'000);
  int64_t now = 2'000'000;
  for (int i = 0; i < 12; ++i) {  // a minute of quiet reports five seconds apart
    now += 5'000'000;
    calibration.onSample(100, 1, kRate * 9 / 10, now - 1'000'000);
    calibration.onReport(0, now);
  }
  ASSERT_GT(now, 2'000'000 + 2 * NackCalibration::kJudgmentLifetimeUs);  // two lifetimes past the judgment
  EXPECT_TRUE(calibration.judges(kRate, now + 1));
  EXPECT_EQ(calibration.onSample(100, 30, kRate, now + 1), 0u);
}

// Quiet reports at a much smaller rate (the receiver moved to a lower layer after an overload) do
// not renew it: by the time a probe of the larger layer comes, its NACKs count in full.
TEST(NackCalibrationTest, QuietReportsAtAMuchLowerRateLetTheJudgmentLapse) {
  NackCalibration calibration;
  calibration.onSample(100, 40, kRate * 4, 1'000'000);
  calibration.onReport(5, 2'000'000);
  int64_t now = 2'000'000;
  for (int i = 0; i < 6; ++i) {
    now += 5'000'000;
    calibration.onSample(100, 1, kRate, now - 1'000'000);
    calibration.onReport(0, now);
  }
  ASSERT_GT(now, 2'000'000 + NackCalibration::kJudgmentLifetimeUs);
  EXPECT_FALSE(calibration.judges(kRate * 4, now + 1));
  EXPECT_EQ(calibration.onSample(100, 60, kRate * 4, now + 1), 10u);  // the hold of an unjudged receiver
  EXPECT_EQ(calibration.onSample(100, 60, kRate * 4, now + 2), 60u);
}

// A judgment covers the send rates it saw (up to kJudgedRateMargin above the highest): a sample sent
// at twice that, a probe of the next layer, counts in full.
TEST(NackCalibrationTest, AJudgmentDoesNotCoverAMuchHigherSendRate) {
  NackCalibration calibration;
  calibration.onSample(100, 20, 200'000, 1'000'000);
  calibration.onSample(100, 20, kRate, 2'000'000);
  calibration.onReport(0, 3'000'000);
  EXPECT_EQ(calibration.onSample(100, 30, kRate * 5 / 4, 4'000'000), 0u);
  EXPECT_FALSE(calibration.judges(kRate * 2, 5'000'000));
  EXPECT_EQ(calibration.onSample(100, 30, kRate * 2, 5'000'000), 10u);
  EXPECT_EQ(calibration.onSample(100, 30, kRate * 2, 6'000'000), 30u);
  // Back at the judged rate, the judgment applies again.
  EXPECT_EQ(calibration.onSample(100, 30, kRate, 7'000'000), 0u);
}

// A new judgment takes the highest rate of the samples since the previous report, not older ones.
TEST(NackCalibrationTest, EachJudgmentCoversTheRatesOfItsOwnInterval) {
  NackCalibration calibration;
  calibration.onSample(100, 20, kRate * 4, 1'000'000);
  calibration.onReport(0, 2'000'000);
  EXPECT_TRUE(calibration.judges(kRate * 4, 3'000'000));
  calibration.onSample(100, 20, kRate, 3'000'000);
  calibration.onReport(0, 4'000'000);
  EXPECT_FALSE(calibration.judges(kRate * 4, 5'000'000));
  EXPECT_TRUE(calibration.judges(kRate, 5'000'000));
}

}  // namespace
}  // namespace diemcau::bridge
