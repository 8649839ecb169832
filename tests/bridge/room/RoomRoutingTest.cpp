// A join routes only the newcomer and a finished publish only the new tracks (Room::Impl's
// routeSubscriber / routePublisher): what they give must be what a whole rebuild gives. A real
// room and connections over loopback; the whole rebuild is forced with an unchanged routing state.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;
using namespace std::chrono_literals;

class RoomRouting : public RoomFixture<> {
 protected:
  bool hasOffer(const std::string& participant, uint32_t version) {
    return events_.offerFor(participant, version).has_value();
  }
  // Past the offer spacing of a one- or two-section offer (200 ms) and a few room ticks: a
  // renegotiation held back by the spacing would have gone by then.
  static void pastTheSpacing() { std::this_thread::sleep_for(600ms); }
};

TEST_F(RoomRouting, AJoinRoutesOnlyTheNewcomerAndAWholeRebuildChangesNothing) {
  startRoom();
  // The hall publishes after lang-can joined: its track reaches lang-can (routePublisher).
  ASSERT_NO_FATAL_FAILURE(publishHall(hallVideoOffer(hallVp8Section())));
  ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
  ASSERT_EQ(siteOffer_.media.size(), 1u);
  EXPECT_EQ(siteOffer_.media[0].msid, "hall hall.video");

  // A site joins after the hall published: it receives the hall's video (routeSubscriber), and
  // nobody else's subscriptions change, so no one else is offered anything.
  media::invokeAndWait(roomWorker(), [&] { room_->addParticipant({"xa-b", "Xã B", Role::Site}); });
  std::optional<RoomEvents::Offer> newcomer;
  ASSERT_TRUE(waitFor([&] { return (newcomer = events_.offerFor("xa-b", 1)).has_value(); }))
      << "the newcomer was offered nothing";
  const auto offer = sdp::parseSdp(newcomer->sdp);
  ASSERT_EQ(offer.media.size(), 1u);
  EXPECT_EQ(offer.media[0].msid, "hall hall.video");
  pastTheSpacing();
  EXPECT_FALSE(hasOffer("lang-can", 2));
  EXPECT_FALSE(hasOffer("hall", 1)) << "the hall receives from sites only, and no site publishes";

  // A whole rebuild of the routing (the state as it was) finds nothing to add or remove.
  media::invokeAndWait(roomWorker(), [&] { room_->setRoutingState(RoutingState{}); });
  pastTheSpacing();
  EXPECT_FALSE(hasOffer("lang-can", 2));
  EXPECT_FALSE(hasOffer("xa-b", 2));
  EXPECT_FALSE(hasOffer("hall", 1));

  // A whole rebuild that changes something still does: the hall leaves and lang-can loses its
  // video (xa-b, whose client never answered offer 1, is offered again only after an answer).
  media::invokeAndWait(roomWorker(), [&] { room_->removeParticipant("hall"); });
  EXPECT_TRUE(waitFor([&] { return hasOffer("lang-can", 2); }));
}

TEST_F(RoomRouting, TheRoomTicksOnlyWhileSomeoneIsIn) {
  startRoom();
  auto ticking = [&] { return media::invokeAndWait(roomWorker(), [&] { return room_->ticking(); }); };
  EXPECT_TRUE(ticking());
  media::invokeAndWait(roomWorker(), [&] { room_->removeParticipant("hall"); });
  EXPECT_TRUE(ticking()) << "lang-can is still in";
  media::invokeAndWait(roomWorker(), [&] { room_->removeParticipant("lang-can"); });
  EXPECT_FALSE(ticking()) << "an empty room needs no slices";
  media::invokeAndWait(roomWorker(), [&] { room_->addParticipant({"xa-b", "Xã B", Role::Site}); });
  EXPECT_TRUE(ticking()) << "the first to come back starts them again";
  // A participant replaced under the same id (a rejoin) leaves the room ticking.
  media::invokeAndWait(roomWorker(), [&] { room_->addParticipant({"xa-b", "Xã B", Role::Site}); });
  EXPECT_TRUE(ticking());
}

TEST_F(RoomRouting, ARoomOnItsOwnClockNeverTicksByItself) {
  startRoom([] { return int64_t{1'000'000}; });
  EXPECT_FALSE(media::invokeAndWait(roomWorker(), [&] { return room_->ticking(); }));
}

}  // namespace
}  // namespace diemcau::bridge
