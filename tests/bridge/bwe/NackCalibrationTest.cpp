#include "bridge/bwe/NackCalibration.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

TEST(NackCalibrationTest, NacksCountInFullUntilAReportSaysOtherwise) {
  NackCalibration calibration;
  EXPECT_EQ(calibration.onSample(30), 30u);
  EXPECT_EQ(calibration.onSample(12), 12u);
}

TEST(NackCalibrationTest, AReportOfNoLossAfterManyNacksDiscountsThem) {
  NackCalibration calibration;
  calibration.onSample(40);
  calibration.onSample(20);
  // The receiver's report: nothing lost over the same time. Its NACKs were for late packets.
  calibration.onReport(0);
  EXPECT_EQ(calibration.factor(), 0.0);
  EXPECT_EQ(calibration.onSample(18), 0u);
}

TEST(NackCalibrationTest, AReportConfirmingTheLossKeepsThemAndPartialConfirmationScales) {
  NackCalibration calibration;
  calibration.onSample(50);
  calibration.onReport(70);  // more lost than NACKed (a receiver gives up NACKing): capped at 1
  EXPECT_EQ(calibration.factor(), 1.0);
  calibration.onSample(40);
  calibration.onReport(10);  // a quarter of them were losses
  EXPECT_EQ(calibration.onSample(20), 5u);
}

TEST(NackCalibrationTest, TooFewNacksToJudgeKeepTheFactor) {
  NackCalibration calibration;
  calibration.onSample(40);
  calibration.onReport(20);
  calibration.onSample(NackCalibration::kMinEvidence - 1);
  calibration.onReport(0);  // 9 NACKed, 0 reported: too little to change anything
  EXPECT_EQ(calibration.factor(), 0.5);
}

}  // namespace
}  // namespace diemcau::bridge
