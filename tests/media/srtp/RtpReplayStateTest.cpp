#include "media/srtp/RtpReplayState.hpp"

#include <gtest/gtest.h>

namespace diemcau::media {
namespace {

RtpReplayState::Estimate take(RtpReplayState& state, uint16_t seq) {
  const auto estimate = state.estimate(seq);
  EXPECT_EQ(state.check(estimate.delta), SrtpResult::Ok) << "seq " << seq;
  state.accept(estimate.delta);
  return estimate;
}

TEST(RtpReplayStateTest, RocStaysZeroUntilTheIndexPassesHalfTheRange) {
  RtpReplayState state;
  take(state, 100);
  // Far below 100 in sequence space but no wrap can have happened yet: ROC 0, delta negative.
  const auto early = state.estimate(65000);
  EXPECT_EQ(early.roc(), 0u);
  EXPECT_EQ(early.delta, 65000 - 100);
  take(state, 0x8000);
  EXPECT_EQ(state.estimate(1).roc(), 0u);  // index == 2^15 is not past it yet
}

TEST(RtpReplayStateTest, GuessesTheRolloverAsAppendixADoes) {
  RtpReplayState state;
  take(state, 65000);
  // From 65000: 10 is after a wrap (ROC 1); 40000 is before (ROC 0, behind).
  const auto wrapped = state.estimate(10);
  EXPECT_EQ(wrapped.roc(), 1u);
  EXPECT_EQ(wrapped.delta, 10 + 65536 - 65000);
  EXPECT_EQ(state.estimate(40000).roc(), 0u);
  EXPECT_EQ(state.estimate(40000).delta, 40000 - 65000);
  take(state, 10);
  EXPECT_EQ(state.highestIndex(), (uint64_t{1} << 16) | 10);
  // From ROC 1 / 10: 65000 is the late one from ROC 0.
  const auto late = state.estimate(65000);
  EXPECT_EQ(late.roc(), 0u);
  EXPECT_EQ(late.delta, 65000 - 10 - 65536);
  EXPECT_EQ(state.check(late.delta), SrtpResult::ReplayFail);  // it was taken before the wrap
  EXPECT_EQ(state.check(state.estimate(65001).delta), SrtpResult::Ok);
}

TEST(RtpReplayStateTest, WindowEdgesAndShiftsAcrossWordBoundaries) {
  RtpReplayState state;
  take(state, 2000);
  EXPECT_EQ(state.check(state.estimate(2000).delta), SrtpResult::ReplayFail);
  EXPECT_EQ(state.check(state.estimate(2000 - 1023).delta), SrtpResult::Ok);
  EXPECT_EQ(state.check(state.estimate(2000 - 1024).delta), SrtpResult::ReplayOld);
  // Shifts of 1, 63, 64, 65 and 200 keep 2000's bit at the right distance.
  uint16_t highest = 2000;
  for (const uint16_t step : {1, 63, 64, 65, 200}) {
    highest = static_cast<uint16_t>(highest + step);
    take(state, highest);
    EXPECT_EQ(state.check(state.estimate(2000).delta), SrtpResult::ReplayFail) << "after +" << step;
    EXPECT_EQ(state.check(state.estimate(2001).delta), SrtpResult::ReplayFail) << "after +" << step;
    EXPECT_EQ(state.check(state.estimate(2002).delta), SrtpResult::Ok) << "after +" << step;
  }
  // 2000 is now 393 below the highest; 1100 more pushes it out.
  take(state, static_cast<uint16_t>(highest + 1100));
  EXPECT_EQ(state.check(state.estimate(2000).delta), SrtpResult::ReplayOld);
  EXPECT_EQ(state.check(state.estimate(static_cast<uint16_t>(highest + 1100 - 1)).delta), SrtpResult::Ok);
}

TEST(RtpReplayStateTest, SequenceZeroFirstIsAcceptedOnceAsLibsrtpDoes) {
  RtpReplayState state;
  const auto first = state.estimate(0);
  EXPECT_EQ(first.delta, 0);
  EXPECT_EQ(state.check(first.delta), SrtpResult::Ok);
  state.accept(first.delta);
  EXPECT_EQ(state.check(state.estimate(0).delta), SrtpResult::ReplayFail);
}

}  // namespace
}  // namespace diemcau::media
