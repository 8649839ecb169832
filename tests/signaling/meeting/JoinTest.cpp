// join, leave, connection loss and the newer-connection-wins rule.
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class JoinTest : public MeetingFixture {};

TEST_F(JoinTest, JoinRepliesWithTheRoomState) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& c = connect();
  Json reply = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site)}});
  ASSERT_TRUE(reply["ok"].get<bool>()) << reply.dump();
  EXPECT_EQ(reply["participant"], (Json{{"id", "lang-can"}, {"displayName", "Xã Lăng Can"}, {"role", "site"}}));
  EXPECT_EQ(reply["meeting"]["id"], "mtg-1");
  EXPECT_EQ(reply["meeting"]["title"], "Giao ban tháng 12");
  EXPECT_EQ(reply["meeting"]["state"], "live");
  EXPECT_EQ(reply["meeting"]["agenda"], "1. Báo cáo\n2. Thảo luận");
  ASSERT_EQ(reply["participants"].size(), 2u);
  EXPECT_EQ(reply["participants"][0]["id"], "huyen");
  EXPECT_EQ(reply["participants"][0]["role"], "host");
  EXPECT_EQ(reply["participants"][0]["tracks"], Json::array());
  EXPECT_EQ(reply["participants"][0]["hand"], false);
  EXPECT_EQ(reply["participants"][0]["audioMuted"], false);
  EXPECT_TRUE(reply["floor"].is_null());
  EXPECT_TRUE(reply["spotlight"].is_null());
  EXPECT_EQ(reply["locked"], false);

  // The hall hears of the newcomer; the newcomer is not told about itself.
  auto joinedEvents = hall.events("participant.joined");
  ASSERT_EQ(joinedEvents.size(), 1u);
  EXPECT_EQ(joinedEvents[0]["participant"]["id"], "lang-can");
  EXPECT_TRUE(c.events("participant.joined").empty());

  // One room for the meeting, both participants added with their bridge roles.
  ASSERT_EQ(rooms_->rooms.at("mtg-1").size(), 1u);
  ASSERT_EQ(room().added.size(), 2u);
  EXPECT_EQ(room().added[1].id, "lang-can");
  EXPECT_EQ(room().added[1].role, bridge::Role::Site);
  EXPECT_EQ(room().added[0].role, bridge::Role::Host);
}

TEST_F(JoinTest, DisplayNameFromTheRequestWinsAndIsBounded) {
  FakeConnection& c = connect();
  Json reply = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site)}, {"displayName", "Lăng Can (phòng 2)"}});
  EXPECT_EQ(reply["participant"]["displayName"], "Lăng Can (phòng 2)");
  FakeConnection& d = connect();
  reply = request(d, {{"type", "join"}, {"token", token("na-hang", Role::Site)}, {"displayName", std::string(101, 'x')}});
  EXPECT_EQ(errorCode(reply), "too_large");
  reply = request(d, {{"type", "join"}, {"token", token("na-hang", Role::Site)}, {"displayName", ""}});
  EXPECT_EQ(errorCode(reply), "bad_request");
}

TEST_F(JoinTest, SubscribeOfferFollowsTheReply) {
  FakeConnection& c = joined("lang-can", Role::Site);
  ASSERT_NE(room().events, nullptr);
  room().events->onSubscriberOffer("lang-can", 1, "v=0 offer");
  ASSERT_EQ(c.types(), (std::vector<std::string>{"reply", "subscribe.offer"}));
  EXPECT_EQ(c.sent[1]["version"], 1);
  EXPECT_EQ(c.sent[1]["sdp"], "v=0 offer");
}

TEST_F(JoinTest, SecondJoinOnTheSameConnectionIsRefused) {
  FakeConnection& c = joined("lang-can", Role::Site);
  Json reply = request(c, {{"type", "join"}, {"token", token("na-hang", Role::Site)}});
  EXPECT_EQ(errorCode(reply), "not_allowed");
  EXPECT_EQ(service_->find("mtg-1")->participants().size(), 1u);
  EXPECT_FALSE(c.closed);
}

TEST_F(JoinTest, BadTokensAreUnauthorizedWithTheReason) {
  FakeConnection& hall = joined("huyen", Role::Host);
  const size_t hallSeen = hall.sent.size();

  FakeConnection& c = connect();
  Json expired = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-1", kNow - 2h, kNow - 1h)}});
  EXPECT_EQ(errorCode(expired), "unauthorized");
  EXPECT_EQ(errorMessage(expired), "the token has expired");

  Json early = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-1", kNow + 1h, kNow + 2h)}});
  EXPECT_EQ(errorCode(early), "unauthorized");
  EXPECT_EQ(errorMessage(early), "the token is not valid yet");

  // Signed with other keys.
  tokens::TokenService stranger(tokens::SigningKeys::generate(), [](const std::string&) { return false; });
  std::string forged = stranger.issue({"mtg-1", "lang-can", Role::Host, kNow - 1h, kNow + 1h, ""}, kNow);
  Json bad = request(c, {{"type", "join"}, {"token", forged}});
  EXPECT_EQ(errorCode(bad), "unauthorized");

  Json garbage = request(c, {{"type", "join"}, {"token", "not.a.token"}});
  EXPECT_EQ(errorCode(garbage), "unauthorized");
  EXPECT_EQ(errorMessage(garbage), "the token is malformed");

  std::string revokedToken = token("lang-can", Role::Site);
  store_->revokeToken(tokens_->readSigned(revokedToken)->tokenId, kNow + 2h, kNow);
  Json revoked = request(c, {{"type", "join"}, {"token", revokedToken}});
  EXPECT_EQ(errorCode(revoked), "unauthorized");
  EXPECT_EQ(errorMessage(revoked), "the token has been revoked");

  Json missing = request(c, {{"type", "join"}});
  EXPECT_EQ(errorCode(missing), "bad_request");

  // None of that disturbed the meeting, and the connection may still join properly.
  EXPECT_EQ(hall.sent.size(), hallSeen);
  EXPECT_EQ(service_->find("mtg-1")->participants().size(), 1u);
  Json ok = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site)}});
  EXPECT_TRUE(ok["ok"].get<bool>()) << ok.dump();
}

TEST_F(JoinTest, SignatureErrorNamesTheSignature) {
  FakeConnection& c = connect();
  std::string t = token("lang-can", Role::Site);
  // A character inside the signature: the last one carries only 4 bits, and changing its 2 padding bits
  // makes the text malformed base64url rather than a different signature.
  char& c5 = t[t.size() - 5];
  c5 = c5 == 'A' ? 'B' : 'A';
  Json reply = request(c, {{"type", "join"}, {"token", t}});
  EXPECT_EQ(errorCode(reply), "unauthorized");
  EXPECT_EQ(errorMessage(reply), "the token has a bad signature");
}

TEST_F(JoinTest, MeetingMustBeOpenOrLive) {
  addMeeting("mtg-later", store::MeetingState::Scheduled);
  addMeeting("mtg-over", store::MeetingState::Ended);
  addMeeting("mtg-lobby", store::MeetingState::Open);
  FakeConnection& c = connect();
  Json later = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-later")}});
  EXPECT_EQ(errorCode(later), "not_allowed");
  EXPECT_EQ(errorMessage(later), "the meeting has not opened yet");
  Json over = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-over")}});
  EXPECT_EQ(errorCode(over), "not_allowed");
  EXPECT_EQ(errorMessage(over), "the meeting has ended");
  Json nowhere = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-none")}});
  EXPECT_EQ(errorCode(nowhere), "not_found");
  Json lobby = request(c, {{"type", "join"}, {"token", token("lang-can", Role::Site, "mtg-lobby")}});
  EXPECT_TRUE(lobby["ok"].get<bool>()) << lobby.dump();
  EXPECT_EQ(lobby["meeting"]["state"], "open");
}

// A weekly series "giao-ban" with occurrences stored as the scheduler creates them (id "<series>-<date>").
class SeriesJoinTest : public MeetingFixture {
 protected:
  void addSeries() {
    store::Meeting series;
    series.id = "giao-ban";
    series.title = "Giao ban tuần";
    series.hostSiteId = "huyen";
    series.invitedSiteIds = {"lang-can", "na-hang"};
    series.start = kNow - 7 * 24h - 10min;
    series.end = series.start + 1h;
    series.recurrence.kind = store::RecurrenceKind::Weekly;
    series.recurrence.weekdays = 0x7f;
    store_->addMeeting(series);
  }
  void addOccurrence(const std::string& id, std::chrono::sys_seconds start, store::MeetingState state) {
    store::Meeting m = *store_->findMeeting("giao-ban");
    m.id = id;
    m.recurrence = {};
    m.seriesId = "giao-ban";
    m.start = start;
    m.end = start + 1h;
    m.state = state;
    store_->addMeeting(m);
  }
  Json joinWith(const std::string& meeting, const std::string& site = "lang-can") {
    return request(connect(), {{"type", "join"}, {"token", token(site, Role::Site, meeting)}});
  }
};

TEST_F(SeriesJoinTest, SeriesTokenJoinsTheOccurrenceOpenNow) {
  addSeries();
  addOccurrence("giao-ban-last-week", kNow - 7 * 24h - 10min, store::MeetingState::Ended);
  // Nothing open yet: the series token is told so, like any meeting before its lobby.
  Json early = joinWith("giao-ban");
  EXPECT_EQ(errorCode(early), "not_allowed");
  EXPECT_EQ(errorMessage(early), "the meeting has not opened yet");

  addOccurrence("giao-ban-today", kNow - 10min, store::MeetingState::Live);
  addOccurrence("giao-ban-next-week", kNow + 7 * 24h - 10min, store::MeetingState::Scheduled);
  Json reply = joinWith("giao-ban");
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["meeting"]["id"], "giao-ban-today");
  EXPECT_EQ(reply["meeting"]["state"], "live");
  EXPECT_EQ(rooms_->rooms.count("giao-ban"), 0u) << "no room for the series itself";
  ASSERT_EQ(rooms_->rooms.at("giao-ban-today").size(), 1u);
  // Someone holding today's occurrence token sits in the same meeting.
  Json direct = joinWith("giao-ban-today", "na-hang");
  ASSERT_TRUE(direct.value("ok", false)) << direct.dump();
  EXPECT_EQ(room("giao-ban-today").added.size(), 2u);
}

TEST_F(SeriesJoinTest, OccurrenceTokenJoinsOnlyItsOwnOccurrence) {
  addSeries();
  addOccurrence("giao-ban-last-week", kNow - 7 * 24h - 10min, store::MeetingState::Ended);
  addOccurrence("giao-ban-today", kNow - 10min, store::MeetingState::Live);
  addOccurrence("giao-ban-next-week", kNow + 7 * 24h - 10min, store::MeetingState::Scheduled);
  Json past = joinWith("giao-ban-last-week");
  EXPECT_EQ(errorCode(past), "not_allowed");
  EXPECT_EQ(errorMessage(past), "the meeting has ended");
  Json future = joinWith("giao-ban-next-week");
  EXPECT_EQ(errorCode(future), "not_allowed");
  EXPECT_EQ(errorMessage(future), "the meeting has not opened yet");
  EXPECT_EQ(rooms_->rooms.count("giao-ban-today"), 0u) << "another occurrence's token opened no room";
}

TEST_F(SeriesJoinTest, LiveOccurrenceWinsOverAnOpenLobbyAndEndedSeriesRefuse) {
  addSeries();
  addOccurrence("giao-ban-b", kNow + 5min, store::MeetingState::Open);
  addOccurrence("giao-ban-a", kNow - 30min, store::MeetingState::Live);
  Json reply = joinWith("giao-ban");
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["meeting"]["id"], "giao-ban-a");
  store_->setMeetingState("giao-ban-a", store::MeetingState::Ended);
  Json lobby = joinWith("giao-ban", "na-hang");
  ASSERT_TRUE(lobby.value("ok", false)) << lobby.dump();
  EXPECT_EQ(lobby["meeting"]["id"], "giao-ban-b");
  EXPECT_EQ(lobby["meeting"]["state"], "open");
  store_->setMeetingState("giao-ban-b", store::MeetingState::Cancelled);
  store_->setMeetingState("giao-ban", store::MeetingState::Cancelled);
  Json cancelled = joinWith("giao-ban", "thuong-lam");
  EXPECT_EQ(errorCode(cancelled), "not_allowed");
  EXPECT_EQ(errorMessage(cancelled), "the meeting has been cancelled");
}

TEST_F(JoinTest, NewerConnectionOfTheSameSiteWins) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& older = joined("lang-can", Role::Site);
  ASSERT_EQ(request(older, {{"type", "hand.raise"}})["ok"], true);
  room().events->onTrackAdded({"lang-can:audio", "lang-can", bridge::TrackKind::Audio, "opus"});
  hall.sent.clear();

  FakeConnection& newer = connect();
  Json reply = request(newer, {{"type", "join"}, {"token", token("lang-can", Role::Site)}});
  ASSERT_TRUE(reply["ok"].get<bool>()) << reply.dump();

  // The older connection is told, then closed; nothing else reaches it.
  ASSERT_FALSE(older.events("session.replaced").empty());
  EXPECT_TRUE(older.closed);
  // The seat is kept: same participant, hand still raised, its old tracks are gone.
  const LiveMeeting* meeting = service_->find("mtg-1");
  ASSERT_EQ(meeting->participants().size(), 2u);
  EXPECT_TRUE(meeting->participants().at("lang-can").handRaised);
  EXPECT_TRUE(meeting->participants().at("lang-can").tracks.empty());
  EXPECT_EQ(meeting->participants().at("lang-can").connection, &newer);
  // The others see the site go (replaced) and come back.
  EXPECT_EQ(hall.types(), (std::vector<std::string>{"track.removed", "participant.left", "participant.joined"}));
  EXPECT_EQ(hall.events("participant.left")[0]["reason"], "replaced");
  // The room is told again (it replaces the participant's connections).
  EXPECT_EQ(room().added.back().id, "lang-can");
  EXPECT_EQ(room().added.size(), 3u);

  // The old connection's close, when it completes, does not take the seat away.
  closed(older);
  EXPECT_EQ(meeting->participants().size(), 2u);
  EXPECT_TRUE(room().removed.empty());
  // And requests from it are refused.
  older.closed = false;
  EXPECT_EQ(errorCode(request(older, {{"type", "hand.lower"}})), "not_allowed");
  // The newer connection works.
  EXPECT_EQ(request(newer, {{"type", "hand.lower"}})["ok"], true);
}

TEST_F(JoinTest, LeaveRepliesClosesAndTellsEveryone) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  const Json id = nextRequest_;
  request(site, {{"type", "leave"}});
  EXPECT_TRUE(site.reply(id)["ok"].get<bool>());
  EXPECT_TRUE(site.closed);
  auto left = hall.events("participant.left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["participant"], "lang-can");
  EXPECT_EQ(left[0]["reason"], "left");
  EXPECT_EQ(room().removed, std::vector<std::string>{"lang-can"});
  closed(site);
  EXPECT_EQ(hall.events("participant.left").size(), 1u);
  EXPECT_EQ(service_->seatedConnections(), 1u);
}

TEST_F(JoinTest, ClosedWebSocketIsConnectionLost) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  closed(site);
  auto left = hall.events("participant.left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["reason"], "connection lost");
}

TEST_F(JoinTest, TransportFailureRemovesTheParticipant) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onTransportFailed("lang-can", bridge::TransportKind::Subscribe, "ICE consent lost");
  EXPECT_TRUE(site.closed);
  auto left = hall.events("participant.left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["reason"], "connection lost");
  EXPECT_EQ(room().removed, std::vector<std::string>{"lang-can"});
  closed(site);
  EXPECT_EQ(hall.events("participant.left").size(), 1u);
}

TEST_F(JoinTest, RoomLivesFromFirstJoinToLastLeave) {
  FakeConnection& a = joined("huyen", Role::Host);
  FakeConnection& b = joined("lang-can", Role::Site);
  closed(a);
  EXPECT_FALSE(room().destroyed);
  closed(b);
  EXPECT_TRUE(room().destroyed);
  joined("na-hang", Role::Site);
  EXPECT_EQ(rooms_->rooms.at("mtg-1").size(), 2u);
  EXPECT_FALSE(room().destroyed);
}

TEST_F(JoinTest, LockedMeetingAdmitsOnlyHosts) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(hall, {{"type", "lock"}, {"locked", true}})["ok"], true);
  FakeConnection& late = connect();
  Json refused = request(late, {{"type", "join"}, {"token", token("na-hang", Role::Site)}});
  EXPECT_EQ(errorCode(refused), "not_allowed");
  EXPECT_EQ(errorMessage(refused), "the meeting is locked");
  // A site already seated may reconnect; another chair may come in.
  FakeConnection& again = connect();
  EXPECT_TRUE(request(again, {{"type", "join"}, {"token", token("lang-can", Role::Site)}})["ok"].get<bool>());
  EXPECT_TRUE(site.closed);
  FakeConnection& chair2 = connect();
  EXPECT_TRUE(request(chair2, {{"type", "join"}, {"token", token("thuong-lam", Role::Host)}})["ok"].get<bool>());
}

TEST_F(JoinTest, EnvelopeErrorsLeaveTheMeetingAlone) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  const size_t hallSeen = hall.sent.size();
  EXPECT_EQ(errorCode(requestRaw(site, "{\"type\":\"chat\",")), "bad_json");
  EXPECT_EQ(errorCode(requestRaw(site, "[1,2]")), "bad_json");
  EXPECT_EQ(errorCode(requestRaw(site, R"({"type":"teleport","id":7})")), "unknown_type");
  EXPECT_EQ(errorCode(requestRaw(site, R"({"type":"chat","id":8})")), "bad_request");
  EXPECT_EQ(errorCode(requestRaw(site, R"({"type":"chat","id":9,"text":42})")), "bad_request");
  EXPECT_EQ(errorCode(requestRaw(site, R"({"type":"mute","id":10,"participant":"huyen","muted":"yes"})")),
            "not_allowed");
  EXPECT_EQ(hall.sent.size(), hallSeen);
  EXPECT_FALSE(site.closed);
  EXPECT_EQ(service_->find("mtg-1")->participants().size(), 2u);
  EXPECT_EQ(request(site, {{"type", "chat"}, {"text", "vẫn nghe rõ"}})["ok"], true);
}

TEST_F(JoinTest, RequestsBeforeJoinAreNotAllowed) {
  FakeConnection& c = connect();
  for (const char* type : {"publish", "subscribe.answer", "candidate", "hand.raise", "hand.lower", "chat",
                           "floor.give", "floor.take", "mute", "spotlight", "remove", "lock", "end", "leave"}) {
    Json reply = request(c, {{"type", type}, {"sdp", "v=0"}, {"version", 1}, {"transport", "publish"},
                             {"candidate", ""}, {"text", "x"}, {"participant", "huyen"}, {"muted", true},
                             {"locked", true}});
    EXPECT_EQ(errorCode(reply), "not_allowed") << type;
    EXPECT_EQ(errorMessage(reply), "join a meeting first") << type;
  }
  EXPECT_TRUE(rooms_->rooms.empty());
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
