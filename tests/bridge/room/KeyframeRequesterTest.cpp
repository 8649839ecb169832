#include "bridge/room/KeyframeRequester.hpp"

#include <gtest/gtest.h>

#include <vector>

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

// A subscriber whose connection comes up just after the keyframe of another's request went by:
// that keyframe was too early for it, so it does not wait for the rest of the interval.
TEST(KeyframeRequester, ANewConnectionAfterTheKeyframeIsNotHeldBack) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  ASSERT_TRUE(requester.poll(1000 * kMs));
  requester.onKeyframe();  // 60 ms later
  requester.requestForNewConnection();
  EXPECT_TRUE(requester.poll(1080 * kMs));
  EXPECT_EQ(requester.sent(), 2u);
  EXPECT_EQ(requester.sentEarly(), 1u);
  // The early request restarts the interval for everyone else.
  requester.request();
  EXPECT_FALSE(requester.poll(1300 * kMs));
  EXPECT_TRUE(requester.poll(1380 * kMs));
  EXPECT_EQ(requester.sentEarly(), 1u);
}

// While the requested keyframe is still on its way it will reach the new connection too.
TEST(KeyframeRequester, ANewConnectionWaitsForAKeyframeInFlight) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  ASSERT_TRUE(requester.poll(1000 * kMs));
  requester.requestForNewConnection();
  EXPECT_FALSE(requester.poll(1020 * kMs));
  requester.onKeyframe();  // arrives after the connection is up: serves it
  EXPECT_FALSE(requester.pending());
  EXPECT_FALSE(requester.poll(1400 * kMs));
  EXPECT_EQ(requester.sent(), 1u);
  EXPECT_EQ(requester.sentEarly(), 0u);
}

// Receivers' own PLIs after a keyframe still wait out the interval: no keyframe per round trip.
TEST(KeyframeRequester, ReceiverRequestsAfterAKeyframeStillWaitTheInterval) {
  KeyframeRequester requester(300 * kMs);
  requester.request();
  ASSERT_TRUE(requester.poll(1000 * kMs));
  requester.onKeyframe();
  requester.request();
  EXPECT_FALSE(requester.poll(1100 * kMs));
  EXPECT_TRUE(requester.poll(1300 * kMs));
}

// The first request never waits, whatever kind it is.
TEST(KeyframeRequester, ANewConnectionWithNothingSentGoesOutAtOnce) {
  KeyframeRequester requester(300 * kMs);
  requester.requestForNewConnection();
  EXPECT_TRUE(requester.poll(7));
  EXPECT_EQ(requester.sentEarly(), 0u);
}

// A track's switches (300 ms) and its receivers' own PLIs (1 s): a lossy receiver asking every
// 100 ms gets a request out once a second, while a switch is served within its own interval.
TEST(KeyframeRequester, ReceiversAskingOftenGetOneRequestASecond) {
  KeyframeRequester switches(300 * kMs);
  KeyframeRequester receivers(1000 * kMs);
  int sent = 0;
  for (int64_t now = 0; now < 3000 * kMs; now += 100 * kMs) {
    receivers.request();
    if (pollEither(switches, receivers, now)) ++sent;
  }
  EXPECT_EQ(sent, 3);  // at 0, 1 s and 2 s
  EXPECT_EQ(receivers.sent(), 3u);
  EXPECT_EQ(switches.sent(), 0u);
}

TEST(KeyframeRequester, OneRequestServesBothAndRestartsTheOthersInterval) {
  KeyframeRequester switches(300 * kMs);
  KeyframeRequester receivers(1000 * kMs);
  receivers.request();
  ASSERT_TRUE(pollEither(switches, receivers, 0));
  // A switch 100 ms later waits for the switch interval since that request, not longer.
  switches.request();
  EXPECT_FALSE(pollEither(switches, receivers, 100 * kMs));
  EXPECT_TRUE(pollEither(switches, receivers, 300 * kMs));
  // The switch's request went out at 300 ms: a receiver asking now waits a second from then.
  receivers.request();
  EXPECT_FALSE(pollEither(switches, receivers, 1000 * kMs));
  EXPECT_FALSE(pollEither(switches, receivers, 1299 * kMs));
  EXPECT_TRUE(pollEither(switches, receivers, 1300 * kMs));
}

TEST(KeyframeRequester, AKeyframeForAnyReasonServesAHeldReceiverRequest) {
  KeyframeRequester switches(300 * kMs);
  KeyframeRequester receivers(1000 * kMs);
  receivers.request();
  ASSERT_TRUE(pollEither(switches, receivers, 0));
  receivers.request();  // held back
  receivers.onKeyframe();
  switches.onKeyframe();
  EXPECT_FALSE(pollEither(switches, receivers, 1500 * kMs));
}

// Receivers' requests with a retry floor (PublishedTrack: 1 s interval, 300 ms floor). A request
// made after the keyframe of the last one arrived comes from a receiver that keyframe did not
// repair: it goes out once the floor has passed.
TEST(KeyframeRequester, ARequestAfterTheKeyframeArrivedGoesOutAfterTheFloor) {
  KeyframeRequester receivers(1000 * kMs, 300 * kMs);
  receivers.request();
  ASSERT_TRUE(receivers.poll(0));
  receivers.onKeyframe();  // at 100 ms: it did not reach this receiver whole
  receivers.request();
  EXPECT_FALSE(receivers.poll(200 * kMs));
  EXPECT_FALSE(receivers.poll(299 * kMs));
  EXPECT_TRUE(receivers.poll(300 * kMs));
  EXPECT_EQ(receivers.sentRetries(), 1u);
  EXPECT_EQ(receivers.sentEarly(), 0u);
}

TEST(KeyframeRequester, ARequestWhileTheKeyframeIsOnItsWayWaitsTheInterval) {
  KeyframeRequester receivers(1000 * kMs, 300 * kMs);
  receivers.request();
  ASSERT_TRUE(receivers.poll(0));
  receivers.request();  // asked again before any keyframe came: the one asked for may still serve it
  EXPECT_FALSE(receivers.poll(300 * kMs));
  EXPECT_FALSE(receivers.poll(999 * kMs));
  EXPECT_TRUE(receivers.poll(1000 * kMs));
  EXPECT_EQ(receivers.sentRetries(), 0u);
}

TEST(KeyframeRequester, WithoutAFloorARequestAfterAKeyframeWaitsTheInterval) {
  KeyframeRequester receivers(1000 * kMs);
  receivers.request();
  ASSERT_TRUE(receivers.poll(0));
  receivers.onKeyframe();
  receivers.request();
  EXPECT_FALSE(receivers.poll(300 * kMs));
  EXPECT_FALSE(receivers.poll(999 * kMs));
  EXPECT_TRUE(receivers.poll(1000 * kMs));
}

// The keyframe storm the 1 s interval stopped: a weak receiver asking every 100 ms, each keyframe
// arriving 100 ms after its request and failing it again. One early retry, then one a second.
TEST(KeyframeRequester, AReceiverFailedByEveryKeyframeStillGetsOneRequestASecond) {
  KeyframeRequester switches(300 * kMs);
  KeyframeRequester receivers(1000 * kMs, 300 * kMs);
  std::vector<int64_t> sentAt;
  int64_t keyframeDueUs = -1;
  for (int64_t now = 0; now < 10'000 * kMs; now += 10 * kMs) {
    if (now == keyframeDueUs) {
      switches.onKeyframe();
      receivers.onKeyframe();
    }
    if (now % (100 * kMs) == 0) receivers.request();
    if (pollEither(switches, receivers, now)) {
      sentAt.push_back(now);
      keyframeDueUs = now + 100 * kMs;
    }
  }
  const std::vector<int64_t> expected{0,           300 * kMs,   1300 * kMs,  2300 * kMs, 3300 * kMs, 4300 * kMs,
                                      5300 * kMs,  6300 * kMs,  7300 * kMs,  8300 * kMs, 9300 * kMs};
  EXPECT_EQ(sentAt, expected);
  EXPECT_EQ(receivers.sentRetries(), 1u);
}

TEST(KeyframeRequester, AQuietSpellEarnsTheNextEarlyRetry) {
  KeyframeRequester receivers(1000 * kMs, 300 * kMs);
  receivers.request();
  ASSERT_TRUE(receivers.poll(0));
  receivers.onKeyframe();
  receivers.request();
  ASSERT_TRUE(receivers.poll(300 * kMs));  // the credit spent
  receivers.onKeyframe();
  receivers.request();
  EXPECT_FALSE(receivers.poll(600 * kMs));  // none left: the interval from the retry
  EXPECT_TRUE(receivers.poll(1300 * kMs));
  receivers.onKeyframe();
  // A second and more without requests: the next loss is served after the floor again.
  receivers.request();
  ASSERT_TRUE(receivers.poll(3500 * kMs));
  receivers.onKeyframe();
  receivers.request();
  EXPECT_TRUE(receivers.poll(3800 * kMs));
  EXPECT_EQ(receivers.sentRetries(), 2u);
}

// The bridge's own request (a packet it gave up NACKing: NackGenerator's keyframe fallback,
// sent by the 300 ms requester) restarts the receivers' interval; a receiver still frozen after
// that keyframe arrived is served after the floor, not a second later.
TEST(KeyframeRequester, AReceiverStillFrozenAfterTheBridgesOwnRequestIsServedAfterTheFloor) {
  KeyframeRequester switches(300 * kMs);
  KeyframeRequester receivers(1000 * kMs, 300 * kMs);
  switches.request();
  ASSERT_TRUE(pollEither(switches, receivers, 0));
  switches.onKeyframe();
  receivers.onKeyframe();
  receivers.request();
  EXPECT_FALSE(pollEither(switches, receivers, 250 * kMs));
  EXPECT_TRUE(pollEither(switches, receivers, 300 * kMs));
  EXPECT_EQ(receivers.sentRetries(), 1u);
}

}  // namespace
}  // namespace diemcau::bridge
