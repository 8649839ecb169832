#include "signaling/meeting/LinkQuality.hpp"

#include <gtest/gtest.h>

namespace diemcau::signaling::meeting {
namespace {

using namespace std::chrono_literals;

struct LevelCase {
  double lossPct;
  uint32_t rttMs;
  int level;
};

class QualityLevelTest : public ::testing::TestWithParam<LevelCase> {};

TEST_P(QualityLevelTest, WorseOfLossAndRoundTrip) {
  EXPECT_EQ(qualityLevel(GetParam().lossPct, GetParam().rttMs), GetParam().level)
      << GetParam().lossPct << "% " << GetParam().rttMs << " ms";
}

INSTANTIATE_TEST_SUITE_P(Grades, QualityLevelTest,
                         ::testing::Values(LevelCase{0.0, 20, 5}, LevelCase{0.99, 149, 5}, LevelCase{1.0, 20, 4},
                                           LevelCase{0.0, 150, 4}, LevelCase{2.9, 299, 4}, LevelCase{3.0, 20, 3},
                                           LevelCase{0.0, 499, 3}, LevelCase{5.9, 20, 3}, LevelCase{6.0, 20, 2},
                                           LevelCase{0.0, 999, 2}, LevelCase{12.0, 20, 1}, LevelCase{0.0, 1000, 1},
                                           LevelCase{0.5, 1200, 1}, LevelCase{20.0, 1200, 1}));

bridge::ParticipantStats counters(uint64_t received, uint64_t sent) {
  bridge::ParticipantStats s;
  s.bytesReceived = received;
  s.bytesSent = sent;
  s.connected = true;
  return s;
}

TEST(MeasureLinkTest, RatesOverTheIntervalAndTheWorseLoss) {
  auto after = counters(125'000, 25'000);
  after.fractionLost = 0.01;
  after.fractionLostDown = 0.08;
  after.rttMs = 210;
  const LinkQuality q = measureLink(counters(0, 0), after, 1000ms);
  EXPECT_EQ(q.upKbps, 1000u);
  EXPECT_EQ(q.downKbps, 200u);
  EXPECT_DOUBLE_EQ(q.lossPct, 8.0);
  EXPECT_EQ(q.rttMs, 210u);
  EXPECT_EQ(q.level, 2);
}

TEST(MeasureLinkTest, NothingMovingIsLevelZero) {
  const LinkQuality q = measureLink(counters(1000, 1000), counters(1000, 1000), 2000ms);
  EXPECT_EQ(q.level, 0);
  EXPECT_EQ(q.upKbps, 0u);
}

TEST(MeasureLinkTest, DisconnectedIsLevelZeroEvenWithBytes) {
  auto after = counters(5000, 5000);
  after.connected = false;
  EXPECT_EQ(measureLink(counters(0, 0), after, 2000ms).level, 0);
}

TEST(MeasureLinkTest, CountersThatRestartGiveNoRate) {
  // A new connection starts its counters at zero: no negative, no wrapped rate.
  const LinkQuality q = measureLink(counters(900'000, 900'000), counters(1000, 2000), 2000ms);
  EXPECT_EQ(q.upKbps, 0u);
  EXPECT_EQ(q.downKbps, 0u);
  EXPECT_EQ(q.level, 5);
}

TEST(MeaningfulChangeTest, Thresholds) {
  const LinkQuality base{4, 1.5, 200, 800, 1600};
  EXPECT_FALSE(meaningfulChange(base, base));
  auto q = base;
  q.level = 3;
  EXPECT_TRUE(meaningfulChange(base, q));
  q = base;
  q.lossPct = 3.4;
  EXPECT_FALSE(meaningfulChange(base, q));
  q.lossPct = 3.5;
  EXPECT_TRUE(meaningfulChange(base, q));
  q = base;
  q.rttMs = 249;  // 49 ms: under the absolute step
  EXPECT_FALSE(meaningfulChange(base, q));
  q.rttMs = 270;  // 70 ms, a quarter of 270 is 67.5
  EXPECT_TRUE(meaningfulChange(base, q));
  q = base;
  q.upKbps = 1000;  // 200 of 1000: under a quarter
  EXPECT_FALSE(meaningfulChange(base, q));
  q.upKbps = 1100;
  EXPECT_TRUE(meaningfulChange(base, q));
  q = LinkQuality{4, 0, 20, 30, 40};
  auto small = q;
  small.downKbps = 100;  // 60 kbit/s: a large ratio but under 64 kbit/s
  EXPECT_FALSE(meaningfulChange(q, small));
}

TEST(LinkQualityJsonTest, FieldsAndSummary) {
  const LinkQuality q{4, 1.2345, 85, 812, 1650};
  const auto json = toJson(q);
  EXPECT_EQ(json["level"], 4);
  EXPECT_DOUBLE_EQ(json["lossPct"].get<double>(), 1.2);
  EXPECT_EQ(json["rttMs"], 85);
  EXPECT_EQ(summary(q), "4/5 1.2% 85ms 812/1650k");
}

}  // namespace
}  // namespace diemcau::signaling::meeting
