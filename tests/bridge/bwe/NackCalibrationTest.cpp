#include "bridge/bwe/NackCalibration.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

TEST(NackCalibrationTest, NacksCountInFullUntilAReportSaysOtherwise) {
  NackCalibration calibration;
  EXPECT_EQ(calibration.onSample(100, 8), 8u);
  EXPECT_EQ(calibration.onSample(100, 5), 5u);
}

TEST(NackCalibrationTest, OneHeavySampleAloneIsHeldAtTheThresholdTwoInARowCount) {
  NackCalibration calibration;
  // A burst of late packets NACKed once: held at 10 % (no cut).
  EXPECT_EQ(calibration.onSample(100, 30), 10u);
  EXPECT_EQ(calibration.onSample(100, 2), 2u);
  // A link too narrow: heavy loss in every sample; the second and later count in full.
  EXPECT_EQ(calibration.onSample(100, 60), 10u);
  EXPECT_EQ(calibration.onSample(100, 55), 55u);
  EXPECT_EQ(calibration.onSample(100, 40), 40u);
}

TEST(NackCalibrationTest, AReportOfNoLossAfterManyNacksDiscountsThem) {
  NackCalibration calibration;
  calibration.onSample(100, 40);
  calibration.onSample(100, 20);
  // The receiver's report: nothing lost over the same time. Its NACKs were for late packets.
  calibration.onReport(0);
  EXPECT_EQ(calibration.factor(), 0.0);
  EXPECT_EQ(calibration.onSample(100, 18), 0u);
}

TEST(NackCalibrationTest, AReportConfirmingTheLossKeepsThemAndPartialConfirmationScales) {
  NackCalibration calibration;
  calibration.onSample(100, 50);
  calibration.onReport(70);  // more lost than NACKed (a receiver gives up NACKing): capped at 1
  EXPECT_EQ(calibration.factor(), 1.0);
  // Judged by a report: a heavy sample counts at once.
  EXPECT_EQ(calibration.onSample(100, 40), 40u);
  calibration.onReport(10);  // a quarter of them were losses
  EXPECT_EQ(calibration.onSample(100, 20), 5u);
}

TEST(NackCalibrationTest, NacksBeforeTheFirstReportIntervalAreNotJudgedByIt) {
  NackCalibration calibration;
  calibration.onSample(100, 5);
  calibration.onSample(100, 60);  // an overload before the receiver's reports start
  calibration.onBaselineReport();
  calibration.onSample(100, 1);
  calibration.onReport(0);  // the first interval, on a smaller layer: nothing lost, nor NACKed
  EXPECT_EQ(calibration.factor(), 1.0);
}

TEST(NackCalibrationTest, TooFewNacksToJudgeKeepTheFactor) {
  NackCalibration calibration;
  calibration.onSample(100, 40);
  calibration.onReport(20);
  calibration.onSample(100, NackCalibration::kMinEvidence - 1);
  calibration.onReport(0);  // 9 NACKed, 0 reported: too little to change anything
  EXPECT_EQ(calibration.factor(), 0.5);
}

}  // namespace
}  // namespace diemcau::bridge
