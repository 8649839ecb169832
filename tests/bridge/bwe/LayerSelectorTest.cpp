#include "bridge/bwe/LayerSelector.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

using Decision = LayerSelector::Decision;

TEST(LayerSelectorTest, StartsAtAKeyframeOfTheTarget) {
  LayerSelector selector;
  EXPECT_EQ(selector.onPacket(0, true), Decision::Drop);  // no target yet
  selector.setTarget(2);
  EXPECT_TRUE(selector.switching());
  EXPECT_EQ(selector.onPacket(2, false), Decision::Drop);  // a delta frame cannot start a stream
  EXPECT_EQ(selector.onPacket(0, true), Decision::Drop);   // a keyframe of another layer
  EXPECT_EQ(selector.onPacket(2, true), Decision::Switch);
  EXPECT_FALSE(selector.switching());
  EXPECT_EQ(selector.onPacket(2, false), Decision::Forward);
  EXPECT_EQ(selector.onPacket(1, false), Decision::Drop);
  EXPECT_EQ(selector.current(), 2);
}

TEST(LayerSelectorTest, SwitchDownKeepsTheCurrentLayerUntilTheLowerKeyframe) {
  LayerSelector selector;
  selector.setTarget(2);
  ASSERT_EQ(selector.onPacket(2, true), Decision::Switch);
  selector.setTarget(0);
  EXPECT_TRUE(selector.switching());
  // Nothing freezes while the lower layer's keyframe is on its way.
  EXPECT_EQ(selector.onPacket(2, false), Decision::Forward);
  EXPECT_EQ(selector.onPacket(0, false), Decision::Drop);
  EXPECT_EQ(selector.onPacket(0, true), Decision::Switch);
  EXPECT_EQ(selector.onPacket(2, false), Decision::Drop);
  EXPECT_EQ(selector.onPacket(2, true), Decision::Drop);  // the old layer's keyframe does not pull back
  EXPECT_EQ(selector.onPacket(0, false), Decision::Forward);
  EXPECT_EQ(selector.switches(), 2u);
}

TEST(LayerSelectorTest, RetargetingBeforeTheSwitchFollowsTheNewestTarget) {
  LayerSelector selector;
  selector.setTarget(1);
  ASSERT_EQ(selector.onPacket(1, true), Decision::Switch);
  selector.setTarget(2);
  selector.setTarget(0);
  EXPECT_EQ(selector.onPacket(2, true), Decision::Drop);
  EXPECT_EQ(selector.onPacket(1, false), Decision::Forward);
  EXPECT_EQ(selector.onPacket(0, true), Decision::Switch);
  // Back to the current layer: nothing to wait for.
  selector.setTarget(0);
  EXPECT_FALSE(selector.switching());
}

TEST(LayerSelectorTest, PauseStopsAtOnceAndResumeWaitsForAKeyframe) {
  LayerSelector selector;
  selector.setTarget(0);
  ASSERT_EQ(selector.onPacket(0, true), Decision::Switch);
  selector.setTarget(LayerSelector::kNone);
  EXPECT_EQ(selector.current(), LayerSelector::kNone);
  EXPECT_FALSE(selector.switching());
  EXPECT_EQ(selector.onPacket(0, false), Decision::Drop);
  EXPECT_EQ(selector.onPacket(0, true), Decision::Drop);
  selector.setTarget(0);
  EXPECT_EQ(selector.onPacket(0, false), Decision::Drop);
  EXPECT_EQ(selector.onPacket(0, true), Decision::Switch);
}

TEST(LayerSelectorTest, OutOfRangeTargetPauses) {
  LayerSelector selector;
  selector.setTarget(LayerSelector::kMaxLayers);
  EXPECT_EQ(selector.target(), LayerSelector::kNone);
  selector.setTarget(-7);
  EXPECT_EQ(selector.target(), LayerSelector::kNone);
}

}  // namespace
}  // namespace diemcau::bridge
