#include "bridge/bwe/BandwidthAllocator.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace diemcau::bridge {
namespace {

using Track = BandwidthAllocator::Track;
constexpr int kPaused = BandwidthAllocator::kPaused;

Track audio(uint64_t bps) {
  Track t;
  t.audio = true;
  t.layerBps[0] = bps;
  return t;
}

// Three layers as a browser sends them (~150, ~450, ~1200 kbit/s), in the publisher's order.
Track simulcast(int priority, int currentLayer = kPaused) {
  Track t;
  t.priority = priority;
  t.layerBps = {150'000, 450'000, 1'200'000, 0};
  t.layerCount = 3;
  t.currentLayer = currentLayer;
  return t;
}

std::vector<int> run(uint64_t budget, const std::vector<Track>& tracks, uint64_t* used = nullptr) {
  std::vector<int> layers(tracks.size(), 99);
  const uint64_t u = BandwidthAllocator::allocate(budget, tracks, layers);
  if (used != nullptr) *used = u;
  return layers;
}

TEST(BandwidthAllocatorTest, AmpleBandwidthGetsTheTopLayer) {
  uint64_t used = 0;
  EXPECT_EQ(run(3'000'000, {audio(40'000), simulcast(0)}, &used), (std::vector<int>{0, 2}));
  EXPECT_EQ(used, 1'240'000u);
}

TEST(BandwidthAllocatorTest, ThreeHundredKilobitsGetTheLowLayer) {
  EXPECT_EQ(run(300'000, {audio(40'000), simulcast(0)}), (std::vector<int>{0, 0}));
}

TEST(BandwidthAllocatorTest, AudioIsNeverCut) {
  EXPECT_EQ(run(10'000, {audio(40'000), simulcast(0), audio(40'000)}), (std::vector<int>{0, kPaused, 0}));
}

TEST(BandwidthAllocatorTest, ThumbnailsArePausedBeforeTheSpeakerAndTheSpeakerBeforeTheHall) {
  // Hall (0), speaker (1), two thumbnails (2), listed in routing order, not importance.
  const std::vector<Track> tracks = {simulcast(2), simulcast(1), simulcast(0), simulcast(2)};
  EXPECT_EQ(run(320'000, tracks), (std::vector<int>{kPaused, 0, 0, kPaused}));
  EXPECT_EQ(run(160'000, tracks), (std::vector<int>{kPaused, kPaused, 0, kPaused}));
  EXPECT_EQ(run(460'000, tracks), (std::vector<int>{0, 0, 0, kPaused}));
}

TEST(BandwidthAllocatorTest, TheMostImportantClimbsFirst) {
  const std::vector<Track> tracks = {simulcast(1), simulcast(0)};
  // Both lows (300) then the hall climbs to 1200: 150 + 1200 = 1350 <= 0.85 * 1600.
  EXPECT_EQ(run(1'600'000, tracks), (std::vector<int>{0, 2}));
  // 900 kbit/s: the hall to 450 (600 <= 765), not to 1200.
  EXPECT_EQ(run(900'000, tracks), (std::vector<int>{0, 1}));
}

TEST(BandwidthAllocatorTest, ClimbingNeedsAMarginStayingDoesNot) {
  // 1.3 Mbit/s: 1200 fits but not with 15 % to spare.
  EXPECT_EQ(run(1'300'000, {simulcast(0, kPaused)}), (std::vector<int>{1}));
  EXPECT_EQ(run(1'300'000, {simulcast(0, 1)}), (std::vector<int>{1}));
  EXPECT_EQ(run(1'300'000, {simulcast(0, 2)}), (std::vector<int>{2}));
}

TEST(BandwidthAllocatorTest, AForwardedVideoIsNotPausedForASmallOvershoot) {
  // The lowest layer (150) plus audio (40) against 180 kbit/s: a new video does not start, one
  // being forwarded stays (190 <= 180 / 0.85), until the overshoot passes the margin.
  EXPECT_EQ(run(180'000, {audio(40'000), simulcast(0, kPaused)}), (std::vector<int>{0, kPaused}));
  EXPECT_EQ(run(180'000, {audio(40'000), simulcast(0, 0)}), (std::vector<int>{0, 0}));
  EXPECT_EQ(run(150'000, {audio(40'000), simulcast(0, 0)}), (std::vector<int>{0, kPaused}));
}

TEST(BandwidthAllocatorTest, DisplayedSizeLimitsTheLayer) {
  Track thumbnail = simulcast(0);
  thumbnail.maxRank = 0;
  EXPECT_EQ(run(5'000'000, {thumbnail}), (std::vector<int>{0}));
  thumbnail.maxRank = 1;
  EXPECT_EQ(run(5'000'000, {thumbnail}), (std::vector<int>{1}));
}

TEST(BandwidthAllocatorTest, DisplayedHeightPicksTheCheapestLayerTallEnough) {
  const Track t = simulcast(0);
  const std::array<uint16_t, BandwidthAllocator::kMaxLayers> heights = {90, 180, 360, 0};
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 0), 4);     // no size given: no limit
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 90), 0);    // a thumbnail
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 100), 0);   // 90 is within 10 %
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 170), 1);
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 360), 2);
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, heights, 1080), 4);  // none tall enough: the best there is
  const std::array<uint16_t, BandwidthAllocator::kMaxLayers> unknown = {90, 0, 360, 0};
  EXPECT_EQ(BandwidthAllocator::maxRankFor(t, unknown, 170), 4);
}

TEST(BandwidthAllocatorTest, LayersAreRankedByBitrateNotByIndex) {
  Track reversed;  // a publisher listing its layers high to low
  reversed.layerBps = {1'200'000, 450'000, 150'000, 0};
  reversed.layerCount = 3;
  EXPECT_EQ(run(300'000, {reversed}), (std::vector<int>{2}));
  EXPECT_EQ(run(5'000'000, {reversed}), (std::vector<int>{0}));
}

TEST(BandwidthAllocatorTest, LayersNotArrivingAreSkipped) {
  Track t = simulcast(0);
  t.layerBps[2] = 0;  // the publisher's own estimate stopped the top layer
  EXPECT_EQ(run(5'000'000, {t}), (std::vector<int>{1}));
  Track none;
  none.layerCount = 3;
  EXPECT_EQ(run(5'000'000, {none}), (std::vector<int>{kPaused}));
}

TEST(BandwidthAllocatorTest, AKeptVideoGetsItsLowestLayerWhateverTheBudgetAndClimbsOnlyWithIt) {
  Track hall = simulcast(0, 0);
  hall.keep = true;
  // Two audio tracks and the hall's lowest layer against 200 kbit/s: the thumbnail is paused, the
  // hall is not.
  EXPECT_EQ(run(200'000, {audio(45'000), hall, audio(45'000), simulcast(2, 0)}),
            (std::vector<int>{0, 0, 0, kPaused}));
  EXPECT_EQ(run(10'000, {hall}), (std::vector<int>{0}));
  EXPECT_EQ(run(800'000, {hall}), (std::vector<int>{1}));
}

TEST(BandwidthAllocatorTest, SingleLayerVideoIsForwardedOrPaused) {
  Track camera;
  camera.layerBps[0] = 600'000;
  EXPECT_EQ(run(700'000, {camera}), (std::vector<int>{0}));
  EXPECT_EQ(run(500'000, {camera}), (std::vector<int>{kPaused}));
}

}  // namespace
}  // namespace diemcau::bridge
