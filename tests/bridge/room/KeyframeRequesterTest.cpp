#include "bridge/room/KeyframeRequester.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;

TEST(KeyframeRequester, NothingToSendWithoutARequest) {
  KeyframeRequester requester;
  EXPECT_FALSE(requester.poll(0));
  EXPECT_FALSE(requester.poll(10'000 * kMs));
}

TEST(KeyframeRequester, ManySubscribersAskingTogetherMakeOneRequest) {
  KeyframeRequester requester(300 * kMs);
  for (int subscriber = 0; subscriber < 5; ++subscriber) requester.request();
  EXPECT_TRUE(requester.poll(1000 * kMs));
  EXPECT_FALSE(requester.poll(1000 * kMs));
  EXPECT_EQ(requester.requests(), 5u);
  EXPECT_EQ(requester.sent(), 1u);
}

TEST(KeyframeRequester, RateLimitedToOnePerInterval) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  ASSERT_TRUE(requester.poll(1000 * kMs));
  requester.request();  // 100 ms later: held back, not forgotten
  EXPECT_FALSE(requester.poll(1100 * kMs));
  EXPECT_FALSE(requester.poll(1299 * kMs));
  EXPECT_TRUE(requester.pending());
  EXPECT_TRUE(requester.poll(1300 * kMs));
  EXPECT_EQ(requester.sent(), 2u);
}

TEST(KeyframeRequester, AKeyframeServesTheRequestsHeldBack) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  ASSERT_TRUE(requester.poll(0));
  requester.request();
  requester.onKeyframe();  // the first request's keyframe arrived: it repairs the second asker too
  EXPECT_FALSE(requester.poll(400 * kMs));
  EXPECT_EQ(requester.sent(), 1u);
}

TEST(KeyframeRequester, FirstRequestGoesOutAtOnceWhateverTheClock) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  EXPECT_TRUE(requester.poll(5));  // a monotonic clock may start near zero
}

}  // namespace
}  // namespace diemcau::bridge
