// A subscriber's renegotiations are spaced (Participant::maybeOffer): the first offer goes at once,
// a change soon after the previous offer waits for a room tick at least the spacing later and then
// goes as one offer. A real room on an injected clock, real connections over loopback.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

constexpr uint32_t kHallVideoSsrc = 0x0A0B0C0D;
constexpr int64_t kStartUs = 5'000'000'000;

class RoomOfferSpacing : public RoomFixture<> {
 protected:
  void tickAt(int64_t offsetUs) {
    nowUs_ = kStartUs + offsetUs;
    media::invokeAndWait(roomWorker(), [&] { room_->tick(); });
  }
  bool hasOffer(uint32_t version) {
    return media::invokeAndWait(roomWorker(), [&] { return events_.offerFor("lang-can", version).has_value(); });
  }

  std::atomic<int64_t> nowUs_{kStartUs};
};

TEST_F(RoomOfferSpacing, ARenegotiationSoonAfterAnOfferWaitsForATickPastTheSpacing) {
  startRoom([this] { return nowUs_.load(); });
  ASSERT_NO_FATAL_FAILURE(publishHall(hallVideoOffer(hallVp8Section(kHallVideoSsrc))));

  // The first offer is not held back, though the clock has not moved: a joining site waits for it.
  ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
  ASSERT_EQ(siteOffer_.media.size(), 1u);
  const std::string mid = siteOffer_.media[0].mid;

  // The hall leaves 50 ms later: the site's section must go inactive, but within the spacing
  // (200 ms for a one-section offer) of offer 1 that waits, through ticks, until 200 ms are past.
  nowUs_ = kStartUs + 50'000;
  media::invokeAndWait(roomWorker(), [&] { room_->removeParticipant("hall"); });
  EXPECT_FALSE(hasOffer(2));
  tickAt(100'000);
  EXPECT_FALSE(hasOffer(2));
  tickAt(199'000);
  EXPECT_FALSE(hasOffer(2));
  tickAt(200'000);
  ASSERT_TRUE(hasOffer(2));
  const auto second = sdp::parseSdp(events_.offerFor("lang-can", 2)->sdp);
  ASSERT_NE(second.findMedia(mid), nullptr);
  EXPECT_EQ(second.findMedia(mid)->direction, sdp::Direction::Inactive);
  // One offer for the change, not one per tick.
  tickAt(600'000);
  EXPECT_FALSE(hasOffer(3));
}

}  // namespace
}  // namespace diemcau::bridge
