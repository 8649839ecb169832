// publish, subscribe.answer, candidate and the room's reports (tracks, offers, candidates).
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class MediaRequestsTest : public MeetingFixture {};

TEST_F(MediaRequestsTest, PublishIsAnsweredWhenTheRoomHasTheAnswer) {
  FakeConnection& site = joined("lang-can", Role::Site);
  const Json id = nextRequest_;
  EXPECT_TRUE(request(site, {{"type", "publish"}, {"sdp", "v=0 publish offer"}}).is_null());
  ASSERT_EQ(room().publishes.size(), 1u);
  EXPECT_EQ(room().publishes[0].participant, "lang-can");
  EXPECT_EQ(room().publishes[0].sdp, "v=0 publish offer");
  room().publishes[0].done("v=0 answer", std::nullopt);
  Json reply = site.reply(id);
  ASSERT_TRUE(reply["ok"].get<bool>()) << reply.dump();
  EXPECT_EQ(reply["sdp"], "v=0 answer");
}

TEST_F(MediaRequestsTest, PublishRefusalCarriesTheBridgeError) {
  FakeConnection& site = joined("lang-can", Role::Site);
  const Json id = nextRequest_;
  request(site, {{"type", "publish"}, {"sdp", "v=0"}});
  room().publishes[0].done("", RoomPort::Error{protocol::ErrorCode::SdpRejected, "no usable codec"});
  EXPECT_EQ(errorCode(site.reply(id)), "sdp_rejected");
  EXPECT_EQ(errorMessage(site.reply(id)), "no usable codec");
}

TEST_F(MediaRequestsTest, ViewersDoNotPublish) {
  FakeConnection& viewer = joined("thuong-lam", Role::Viewer);
  EXPECT_EQ(errorCode(request(viewer, {{"type", "publish"}, {"sdp", "v=0"}})), "not_allowed");
  EXPECT_EQ(errorCode(request(viewer, {{"type", "candidate"}, {"transport", "publish"}, {"candidate", ""}})),
            "not_allowed");
  EXPECT_TRUE(room().publishes.empty());
}

TEST_F(MediaRequestsTest, OversizedSdpIsTooLarge) {
  FakeConnection& site = joined("lang-can", Role::Site);
  std::string sdp(MeetingService::kMaxPublishSdpBytes + 1, 'a');
  EXPECT_EQ(errorCode(request(site, {{"type", "publish"}, {"sdp", sdp}})), "too_large");
  EXPECT_TRUE(room().publishes.empty());
  // A subscribe answer may be far larger (one section per received track), but not without bound.
  std::string answer(MeetingService::kMaxAnswerSdpBytes + 1, 'a');
  EXPECT_EQ(errorCode(request(site, {{"type", "subscribe.answer"}, {"version", 1}, {"sdp", answer}})), "too_large");
}

TEST_F(MediaRequestsTest, AnswerToALeftParticipantIsDropped) {
  FakeConnection& site = joined("lang-can", Role::Site);
  joined("huyen", Role::Host);
  request(site, {{"type", "publish"}, {"sdp", "v=0"}});
  auto done = room().publishes[0].done;
  closed(site);
  const size_t seen = site.sent.size();
  done("v=0 answer", std::nullopt);
  EXPECT_EQ(site.sent.size(), seen);
}

TEST_F(MediaRequestsTest, SubscribeAnswerMustMatchTheCurrentOffer) {
  FakeConnection& site = joined("lang-can", Role::Site);
  EXPECT_EQ(errorCode(request(site, {{"type", "subscribe.answer"}, {"version", 1}, {"sdp", "v=0"}})), "not_allowed");
  room().events->onSubscriberOffer("lang-can", 1, "offer 1");
  room().events->onSubscriberOffer("lang-can", 2, "offer 2");
  Json stale = request(site, {{"type", "subscribe.answer"}, {"version", 1}, {"sdp", "v=0"}});
  EXPECT_EQ(errorCode(stale), "not_allowed");
  EXPECT_EQ(errorMessage(stale), "subscribe offer version 1 is stale; the current one is 2");
  EXPECT_EQ(errorCode(request(site, {{"type", "subscribe.answer"}, {"version", "2"}, {"sdp", "v=0"}})), "bad_request");
  EXPECT_TRUE(room().pending.empty());

  const Json id = nextRequest_;
  EXPECT_TRUE(request(site, {{"type", "subscribe.answer"}, {"version", 2}, {"sdp", "v=0 answer"}}).is_null());
  ASSERT_EQ(room().pending.size(), 1u);
  EXPECT_EQ(room().pending[0].what, "answer v2");
  // Answering the same offer twice is refused before the room sees it.
  EXPECT_EQ(errorCode(request(site, {{"type", "subscribe.answer"}, {"version", 2}, {"sdp", "v=0"}})), "not_allowed");
  room().pending[0].done(std::nullopt);
  EXPECT_TRUE(site.reply(id)["ok"].get<bool>());
}

TEST_F(MediaRequestsTest, RefusedSubscribeAnswerMayBeSentAgain) {
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onSubscriberOffer("lang-can", 1, "offer 1");
  const Json id = nextRequest_;
  request(site, {{"type", "subscribe.answer"}, {"version", 1}, {"sdp", "bad"}});
  room().pending[0].done(RoomPort::Error{protocol::ErrorCode::SdpRejected, "the answer has no BUNDLE group"});
  EXPECT_EQ(errorCode(site.reply(id)), "sdp_rejected");
  EXPECT_TRUE(request(site, {{"type", "subscribe.answer"}, {"version", 1}, {"sdp", "v=0"}}).is_null());
  EXPECT_EQ(room().pending.size(), 2u);
}

TEST_F(MediaRequestsTest, CandidatesBothWays) {
  FakeConnection& site = joined("lang-can", Role::Site);
  const Json id = nextRequest_;
  request(site, {{"type", "candidate"}, {"transport", "subscribe"},
                 {"candidate", "a=candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host"}, {"sdpMid", "0"},
                 {"sdpMLineIndex", 0}});
  request(site, {{"type", "candidate"}, {"transport", "publish"}, {"candidate", ""}});
  ASSERT_EQ(room().pending.size(), 2u);
  // The "a=" prefix some libraries keep is dropped; "" is end-of-candidates.
  EXPECT_EQ(room().pending[0].what, "candidate subscribe candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  EXPECT_EQ(room().pending[1].what, "candidate publish ");
  room().pending[0].done(std::nullopt);
  EXPECT_TRUE(site.reply(id)["ok"].get<bool>());

  EXPECT_EQ(errorCode(request(site, {{"type", "candidate"}, {"transport", "sideways"}, {"candidate", ""}})),
            "bad_request");
  EXPECT_EQ(errorCode(request(site, {{"type", "candidate"}, {"transport", "publish"},
                                     {"candidate", std::string(2000, 'c')}})),
            "too_large");
  EXPECT_EQ(errorCode(request(site, {{"type", "candidate"}, {"transport", "publish"}, {"candidate", ""},
                                     {"sdpMLineIndex", "zero"}})),
            "bad_request");

  room().events->onLocalCandidate("lang-can", bridge::TransportKind::Publish, "candidate:9 1 UDP 1 10.0.0.1 9 typ host",
                                  "0");
  auto events = site.events("candidate");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], (Json{{"type", "candidate"}, {"transport", "publish"},
                             {"candidate", "candidate:9 1 UDP 1 10.0.0.1 9 typ host"}, {"sdpMid", "0"},
                             {"sdpMLineIndex", 0}}));
}

TEST_F(MediaRequestsTest, TracksAreAnnouncedAndListed) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onTrackAdded({"huyen:video", "huyen", bridge::TrackKind::Video, "VP8"});
  auto added = site.events("track.added");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0]["track"], (Json{{"id", "huyen:video"}, {"participant", "huyen"}, {"kind", "video"}}));
  EXPECT_EQ(hall.events("track.added").size(), 1u);

  FakeConnection& late = connect();
  Json reply = request(late, {{"type", "join"}, {"token", token("na-hang", Role::Site)}});
  EXPECT_EQ(reply["participants"][0]["tracks"], (Json::array({{{"id", "huyen:video"}, {"kind", "video"}}})));

  room().events->onTrackRemoved({"huyen:video", "huyen", bridge::TrackKind::Video, "VP8"});
  EXPECT_EQ(late.events("track.removed").size(), 1u);
  // A report about a track nobody knows (already announced) is not repeated.
  room().events->onTrackRemoved({"huyen:video", "huyen", bridge::TrackKind::Video, "VP8"});
  EXPECT_EQ(late.events("track.removed").size(), 1u);
}

TEST_F(MediaRequestsTest, LeavingAnnouncesTheTracksGoing) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onTrackAdded({"lang-can:audio", "lang-can", bridge::TrackKind::Audio, "opus"});
  closed(site);
  EXPECT_EQ(hall.events("track.removed").size(), 1u);
  // The room's own report of the removal arrives later and is not repeated.
  room().events->onTrackRemoved({"lang-can:audio", "lang-can", bridge::TrackKind::Audio, "opus"});
  EXPECT_EQ(hall.events("track.removed").size(), 1u);
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
