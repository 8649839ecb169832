// The chair's actions, the sites' hand and chat, and who may do what.
#include "signaling/meeting/SchedulerRelay.hpp"
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class ChairRequestsTest : public MeetingFixture {};

TEST_F(ChairRequestsTest, ChairActionsAreRefusedForSitesAndViewers) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  FakeConnection& viewer = joined("thuong-lam", Role::Viewer);
  const size_t hallSeen = hall.sent.size();
  const std::vector<Json> actions = {
      {{"type", "floor.give"}, {"participant", "lang-can"}},
      {{"type", "floor.take"}},
      {{"type", "mute"}, {"participant", "huyen"}, {"muted", true}},
      {{"type", "spotlight"}, {"participant", "lang-can"}},
      {{"type", "remove"}, {"participant", "huyen"}},
      {{"type", "lock"}, {"locked", true}},
      {{"type", "end"}},
  };
  for (FakeConnection* who : {&site, &viewer}) {
    for (const Json& action : actions) {
      Json reply = request(*who, action);
      EXPECT_EQ(errorCode(reply), "not_allowed") << action.dump();
      EXPECT_EQ(errorMessage(reply), "only the chair may do this");
    }
  }
  EXPECT_EQ(hall.sent.size(), hallSeen);
  EXPECT_FALSE(hall.closed);
  EXPECT_EQ(store_->findMeeting("mtg-1")->state, store::MeetingState::Live);
  EXPECT_FALSE(service_->find("mtg-1")->locked);
}

TEST_F(ChairRequestsTest, HandsAreForSites) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  FakeConnection& viewer = joined("thuong-lam", Role::Viewer);
  EXPECT_EQ(errorCode(request(hall, {{"type", "hand.raise"}})), "not_allowed");
  EXPECT_EQ(errorCode(request(viewer, {{"type", "hand.raise"}})), "not_allowed");
  EXPECT_EQ(request(site, {{"type", "hand.raise"}})["ok"], true);
  EXPECT_EQ(request(site, {{"type", "hand.raise"}})["ok"], true);  // no change, no second event
  auto changed = hall.events("hand.changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0], (Json{{"type", "hand.changed"}, {"participant", "lang-can"}, {"raised", true}}));
  EXPECT_EQ(viewer.events("hand.changed").size(), 1u);
  EXPECT_EQ(request(site, {{"type", "hand.lower"}})["ok"], true);
  EXPECT_EQ(hall.events("hand.changed").back()["raised"], false);
}

TEST_F(ChairRequestsTest, GivingTheFloorLowersTheHandAndReroutes) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  request(site, {{"type", "hand.raise"}});
  hall.sent.clear();
  ASSERT_EQ(request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}})["ok"], true);
  EXPECT_EQ(hall.types(), (std::vector<std::string>{"hand.changed", "floor.changed", "reply"}));
  EXPECT_EQ(site.events("floor.changed").back()["participant"], "lang-can");
  EXPECT_EQ(site.events("hand.changed").back()["raised"], false);
  ASSERT_FALSE(room().routing.empty());
  EXPECT_EQ(room().routing.back().floor, std::optional<std::string>("lang-can"));

  EXPECT_EQ(errorCode(request(hall, {{"type", "floor.give"}, {"participant", "nobody"}})), "not_found");
  ASSERT_EQ(request(hall, {{"type", "floor.take"}})["ok"], true);
  EXPECT_TRUE(site.events("floor.changed").back()["participant"].is_null());
  EXPECT_FALSE(room().routing.back().floor.has_value());
}

TEST_F(ChairRequestsTest, MuteIsEnforcedOnTheBridgeAndSurvivesAReconnect) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(hall, {{"type", "mute"}, {"participant", "lang-can"}, {"muted", true}})["ok"], true);
  EXPECT_EQ(room().routing.back().audioMuted, std::vector<std::string>{"lang-can"});
  EXPECT_EQ(site.events("mute.changed")[0],
            (Json{{"type", "mute.changed"}, {"participant", "lang-can"}, {"audioMuted", true}}));
  EXPECT_EQ(errorCode(request(hall, {{"type", "mute"}, {"participant", "lang-can"}})), "bad_request");
  EXPECT_EQ(errorCode(request(hall, {{"type", "mute"}, {"participant", "ghost"}, {"muted", true}})), "not_found");

  // Leaving and joining again does not lift a chair mute.
  closed(site);
  FakeConnection& again = connect();
  Json reply = request(again, {{"type", "join"}, {"token", token("lang-can", Role::Site)}});
  ASSERT_TRUE(reply["ok"].get<bool>());
  EXPECT_EQ(reply["participants"][1]["audioMuted"], true);
  EXPECT_EQ(room().routing.back().audioMuted, std::vector<std::string>{"lang-can"});

  ASSERT_EQ(request(hall, {{"type", "mute"}, {"participant", "lang-can"}, {"muted", false}})["ok"], true);
  EXPECT_TRUE(room().routing.back().audioMuted.empty());
  EXPECT_EQ(again.events("mute.changed").back()["audioMuted"], false);
}

TEST_F(ChairRequestsTest, SpotlightSetAndClear) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  EXPECT_EQ(errorCode(request(hall, {{"type", "spotlight"}})), "bad_request");
  ASSERT_EQ(request(hall, {{"type", "spotlight"}, {"participant", "lang-can"}})["ok"], true);
  EXPECT_EQ(site.events("spotlight.changed").back()["participant"], "lang-can");
  EXPECT_EQ(room().routing.back().spotlight, std::optional<std::string>("lang-can"));
  ASSERT_EQ(request(hall, {{"type", "spotlight"}, {"participant", nullptr}})["ok"], true);
  EXPECT_TRUE(site.events("spotlight.changed").back()["participant"].is_null());
  EXPECT_FALSE(room().routing.back().spotlight.has_value());
  EXPECT_EQ(errorCode(request(hall, {{"type", "spotlight"}, {"participant", 5}})), "bad_request");
}

TEST_F(ChairRequestsTest, RemovedSiteIsClosedAndCannotRejoin) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& other = joined("na-hang", Role::Site);
  FakeConnection& site = connect();
  const std::string siteToken = token("lang-can", Role::Site);
  ASSERT_TRUE(request(site, {{"type", "join"}, {"token", siteToken}})["ok"].get<bool>());
  request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}});

  ASSERT_EQ(request(hall, {{"type", "remove"}, {"participant", "lang-can"}})["ok"], true);
  EXPECT_EQ(site.events("removed").size(), 1u);
  EXPECT_TRUE(site.closed);
  auto left = other.events("participant.left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["reason"], "removed");
  // The floor it held is taken back.
  EXPECT_TRUE(other.events("floor.changed").back()["participant"].is_null());
  EXPECT_EQ(room().removed, std::vector<std::string>{"lang-can"});
  EXPECT_TRUE(store_->isTokenRevoked(tokens_->readSigned(siteToken)->tokenId));

  FakeConnection& retry = connect();
  Json reply = request(retry, {{"type", "join"}, {"token", siteToken}});
  EXPECT_EQ(errorCode(reply), "unauthorized");
  EXPECT_EQ(errorMessage(reply), "the token has been revoked");

  EXPECT_EQ(errorCode(request(hall, {{"type", "remove"}, {"participant", "lang-can"}})), "not_found");
  EXPECT_EQ(errorCode(request(hall, {{"type", "remove"}, {"participant", "huyen"}})), "not_allowed");
}

TEST_F(ChairRequestsTest, LockAnnouncesTheChange) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(hall, {{"type", "lock"}, {"locked", true}})["ok"], true);
  EXPECT_EQ(site.events("meeting.locked")[0], (Json{{"type", "meeting.locked"}, {"locked", true}}));
  EXPECT_EQ(errorCode(request(hall, {{"type", "lock"}})), "bad_request");
  ASSERT_EQ(request(hall, {{"type", "lock"}, {"locked", false}})["ok"], true);
  EXPECT_EQ(site.events("meeting.locked").back()["locked"], false);
}

TEST_F(ChairRequestsTest, EndClosesEveryoneAndTheRoom) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  const Json id = nextRequest_;
  request(hall, {{"type", "end"}});
  EXPECT_TRUE(hall.reply(id)["ok"].get<bool>());
  EXPECT_EQ(hall.types().back(), "meeting.ended");
  EXPECT_EQ(site.events("meeting.ended")[0]["reason"], "ended by the chair");
  EXPECT_TRUE(hall.closed);
  EXPECT_TRUE(site.closed);
  EXPECT_TRUE(room().destroyed);
  EXPECT_EQ(store_->findMeeting("mtg-1")->state, store::MeetingState::Ended);
  EXPECT_EQ(service_->find("mtg-1"), nullptr);
  EXPECT_EQ(service_->seatedConnections(), 0u);
  closed(hall);
  closed(site);
  FakeConnection& late = connect();
  EXPECT_EQ(errorMessage(request(late, {{"type", "join"}, {"token", token("na-hang", Role::Site)}})),
            "the meeting has ended");
}

TEST_F(ChairRequestsTest, ChatIsCheckedAndSentToEveryone) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  FakeConnection& viewer = joined("thuong-lam", Role::Viewer);
  ASSERT_EQ(request(site, {{"type", "chat"}, {"text", "Xin chào huyện"}})["ok"], true);
  for (FakeConnection* c : {&hall, &site, &viewer}) {
    auto chats = c->events("chat");
    ASSERT_EQ(chats.size(), 1u);
    EXPECT_EQ(chats[0], (Json{{"type", "chat"}, {"from", "lang-can"}, {"text", "Xin chào huyện"},
                              {"at", "2026-11-30T00:53:20.123Z"}}));
  }
  EXPECT_EQ(errorCode(request(viewer, {{"type", "chat"}, {"text", "hi"}})), "not_allowed");
  EXPECT_EQ(errorCode(request(site, {{"type", "chat"}, {"text", ""}})), "bad_request");
  // 2000 characters of three bytes each are fine; one more is too many.
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "ệ";
  EXPECT_EQ(request(site, {{"type", "chat"}, {"text", longest}})["ok"], true);
  EXPECT_EQ(errorCode(request(site, {{"type", "chat"}, {"text", longest + "a"}})), "too_large");
  // Invalid UTF-8 never gets past the JSON parser.
  EXPECT_EQ(errorCode(requestRaw(site, "{\"type\":\"chat\",\"id\":1,\"text\":\"\xC3\x28\"}")), "bad_json");
}

TEST_F(ChairRequestsTest, SchedulerWarningAndEnd) {
  FakeConnection& site = joined("lang-can", Role::Site);
  store::Meeting info = *store_->findMeeting("mtg-1");
  now_ = std::chrono::system_clock::time_point(info.end - std::chrono::minutes(5) + std::chrono::seconds(1));
  service_->onMeetingEndingSoon(info);
  auto ending = site.events("meeting.ending");
  ASSERT_EQ(ending.size(), 1u);
  EXPECT_EQ(ending[0]["minutesLeft"], 5);
  EXPECT_EQ(ending[0]["endsAt"], "2026-11-30T01:43:20Z");
  info.state = store::MeetingState::Ended;
  service_->onMeetingEnded(info);
  EXPECT_EQ(site.events("meeting.ended")[0]["reason"], "the scheduled time is over");
  EXPECT_TRUE(site.closed);
  EXPECT_TRUE(room().destroyed);
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing

namespace diemcau::signaling::meeting::testing {
namespace {

TEST_F(ChairRequestsTest, SchedulerRelayForwardsOnlyWhileTheServiceLives) {
  SchedulerRelay relay;
  FakeConnection& site = joined("lang-can", tokens::Role::Site);
  store::Meeting info = *store_->findMeeting("mtg-1");
  relay.onMeetingEndingSoon(info);  // no target yet: dropped
  EXPECT_TRUE(site.events("meeting.ending").empty());
  relay.setTarget(service_);
  relay.onMeetingEndingSoon(info);
  EXPECT_EQ(site.events("meeting.ending").size(), 1u);
  dispatcher_ = protocol::Dispatcher{};
  service_.reset();
  relay.onMeetingEnded(info);  // the service is gone: nothing happens
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
