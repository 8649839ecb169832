// Resuming a seat after a lost link (docs/PROTOCOL.md, "Resuming after a lost link"), driven by the
// fixture's clock: nothing here waits for real time.
#include "signaling/meeting/MeetingLiveStatus.hpp"
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

using tokens::Role;

class ResumeTest : public MeetingFixture {
 protected:
  ResumeTest() {
    // The kit's service has no resume window; this one holds seats for 30 s.
    dispatcher_ = protocol::Dispatcher{};
    service_.reset();
    auto factory = std::make_unique<FakeRoomFactory>();
    rooms_ = factory.get();
    MeetingServiceOptions options;
    options.dataDir = dir_;
    options.now = [this] { return now_; };
    options.resumeWindow = 30s;
    service_ = std::make_shared<MeetingService>(*store_, *tokens_, std::move(factory), options);
    dispatcher_.registerService(service_);
  }

  Json rejoin(const std::string& site, Role role, bool resume = true) {
    FakeConnection& c = connect();
    Json message = {{"type", "join"}, {"token", token(site, role)}};
    if (resume) message["resume"] = true;
    return request(c, message);
  }

  std::vector<Json> logged(const std::string& type) {
    std::vector<Json> out;
    for (const auto& line : eventLog()) {
      if (line["type"] == type) out.push_back(line);
    }
    return out;
  }
};

TEST_F(ResumeTest, ClosedWebSocketHoldsTheSeatAndTellsTheOthers) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(site, {{"type", "hand.raise"}})["ok"], true);
  ASSERT_EQ(request(hall, {{"type", "mute"}, {"participant", "lang-can"}, {"muted", true}})["ok"], true);
  ASSERT_EQ(request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}})["ok"], true);
  hall.sent.clear();

  closed(site);
  EXPECT_EQ(hall.types(), std::vector<std::string>{"participant.reconnecting"});
  EXPECT_EQ(hall.events("participant.reconnecting")[0]["participant"], "lang-can");
  // The bridge keeps its connections: media may still flow with only the WebSocket gone.
  EXPECT_TRUE(room().removed.empty());
  const LiveMeeting* meeting = service_->find("mtg-1");
  ASSERT_TRUE(meeting->participants().contains("lang-can"));
  EXPECT_TRUE(meeting->participants().at("lang-can").lostAt.has_value());
  EXPECT_EQ(meeting->floor, std::optional<std::string>("lang-can"));

  // The others' roster shows the state.
  FakeConnection& late = connect();
  Json reply = request(late, {{"type", "join"}, {"token", token("na-hang", Role::Site)}});
  bool seen = false;
  for (const auto& p : reply["participants"]) {
    if (p["id"] == "lang-can") seen = p["reconnecting"] == true;
  }
  EXPECT_TRUE(seen) << reply.dump();
}

TEST_F(ResumeTest, ComingBackWithinTheWindowRestoresTheState) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(site, {{"type", "hand.raise"}})["ok"], true);
  ASSERT_EQ(request(hall, {{"type", "mute"}, {"participant", "lang-can"}, {"muted", true}})["ok"], true);
  closed(site);
  now_ += 12'345ms;
  service_->tick();
  hall.sent.clear();

  Json reply = rejoin("lang-can", Role::Site);
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["resumed"], true);
  // No leave and join for the others: one reconnected event with the gap.
  EXPECT_EQ(hall.types(), std::vector<std::string>{"participant.reconnected"});
  EXPECT_EQ(hall.events("participant.reconnected")[0]["gapMs"], 12345);
  for (const auto& p : reply["participants"]) {
    if (p["id"] != "lang-can") continue;
    EXPECT_EQ(p["hand"], true);
    EXPECT_EQ(p["audioMuted"], true);
    EXPECT_EQ(p["reconnecting"], false);
  }
  const LiveMeeting* meeting = service_->find("mtg-1");
  EXPECT_FALSE(meeting->participants().at("lang-can").lostAt.has_value());
  EXPECT_TRUE(meeting->isAudioMuted("lang-can"));
  // New connections for the site's media.
  EXPECT_EQ(room().added.back().id, "lang-can");

  // The event log records the gap for the minutes.
  const auto lost = logged("participant.reconnecting");
  const auto back = logged("participant.reconnected");
  ASSERT_EQ(lost.size(), 1u);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(lost[0]["cause"], "signaling");
  EXPECT_EQ(back[0]["gapMs"], 12345);
  EXPECT_TRUE(logged("participant.left").empty());
}

TEST_F(ResumeTest, AfterTheWindowTheSeatIsGivenUp) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  ASSERT_EQ(request(hall, {{"type", "floor.give"}, {"participant", "lang-can"}})["ok"], true);
  closed(site);
  now_ += 29'999ms;
  service_->tick();
  EXPECT_TRUE(hall.events("participant.left").empty());
  now_ += 1ms;
  service_->tick();
  const auto left = hall.events("participant.left");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0]["reason"], "connection lost");
  EXPECT_EQ(hall.events("floor.changed").back()["participant"], nullptr);
  EXPECT_EQ(room().removed, std::vector<std::string>{"lang-can"});
  EXPECT_EQ(logged("participant.left").at(0)["gapMs"], 30000);

  // Too late: joining again is a fresh join.
  hall.sent.clear();
  Json reply = rejoin("lang-can", Role::Site);
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["resumed"], false);
  EXPECT_EQ(hall.types(), std::vector<std::string>{"participant.joined"});
}

TEST_F(ResumeTest, ExpiredSeatIsNotResumedEvenBeforeTheTick) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  closed(site);
  now_ += 31s;
  hall.sent.clear();
  Json reply = rejoin("lang-can", Role::Site);
  EXPECT_EQ(reply["resumed"], false);
  EXPECT_EQ(hall.types(), (std::vector<std::string>{"participant.left", "participant.joined"}));
}

TEST_F(ResumeTest, LostMediaKeepsTheWebSocketAndTellsTheSite) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  hall.sent.clear();
  room().events->onTransportFailed("lang-can", bridge::TransportKind::Publish, "ICE failed");
  EXPECT_FALSE(site.closed);
  const auto lost = site.events("media.lost");
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0]["transport"], "publish");
  EXPECT_EQ(hall.types(), std::vector<std::string>{"participant.reconnecting"});
  // The second connection failing too says nothing new.
  room().events->onTransportFailed("lang-can", bridge::TransportKind::Subscribe, "ICE failed");
  EXPECT_EQ(hall.events("participant.reconnecting").size(), 1u);
  EXPECT_EQ(logged("participant.reconnecting").at(0)["transport"], "publish");

  // The site joins again on a new WebSocket: the old one is replaced, the seat resumed.
  now_ += 4s;
  Json reply = rejoin("lang-can", Role::Site);
  EXPECT_EQ(reply["resumed"], true);
  EXPECT_TRUE(site.closed);
  EXPECT_EQ(hall.events("participant.reconnected").at(0)["gapMs"], 4000);
  EXPECT_TRUE(hall.events("participant.left").empty());
}

TEST_F(ResumeTest, LostMediaPastTheWindowClosesTheWebSocket) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  room().events->onTransportFailed("lang-can", bridge::TransportKind::Subscribe, "ICE failed");
  now_ += 30s;
  service_->tick();
  EXPECT_TRUE(site.closed);
  EXPECT_EQ(hall.events("participant.left").size(), 1u);
  closed(site);  // the close completing later changes nothing
  EXPECT_EQ(hall.events("participant.left").size(), 1u);
  EXPECT_EQ(service_->seatedConnections(), 1u);
}

TEST_F(ResumeTest, LeavingOnPurposeIsNotHeld) {
  FakeConnection& hall = joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  request(site, {{"type", "leave"}});
  EXPECT_EQ(hall.events("participant.left").at(0)["reason"], "left");
  EXPECT_TRUE(hall.events("participant.reconnecting").empty());
}

TEST_F(ResumeTest, QualityEventsOnlyOnMeaningfulChange) {
  FakeConnection& hall = joined("huyen", Role::Host);
  joined("lang-can", Role::Site);
  const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  auto sample = [](uint64_t received, uint64_t sent, double loss, uint32_t rtt) {
    bridge::ParticipantStats s;
    s.participantId = "lang-can";
    s.bytesReceived = received;
    s.bytesSent = sent;
    s.fractionLost = loss;
    s.rttMs = rtt;
    s.connected = true;
    return s;
  };
  hall.sent.clear();
  room().events->onStats({sample(0, 0, 0, 40)}, t0);
  EXPECT_TRUE(hall.events("quality").empty());  // one sample is no rate yet
  // 2 s later: 250,000 bytes up = 1000 kbit/s, 500,000 down = 2000 kbit/s, 4 % loss.
  room().events->onStats({sample(250'000, 500'000, 0.04, 40)}, t0 + 2s);
  auto events = hall.events("quality");
  ASSERT_EQ(events.size(), 1u);
  const Json site = events[0]["sites"].at(0);
  EXPECT_EQ(site["participant"], "lang-can");
  EXPECT_EQ(site["level"], 3);
  EXPECT_EQ(site["upKbps"], 1000);
  EXPECT_EQ(site["downKbps"], 2000);
  EXPECT_EQ(site["lossPct"], 4.0);
  EXPECT_EQ(site["rttMs"], 40);
  // Nearly the same: quiet.
  room().events->onStats({sample(500'000, 1'000'000, 0.045, 45)}, t0 + 4s);
  EXPECT_EQ(hall.events("quality").size(), 1u);
  // The link stops carrying anything: level 0.
  room().events->onStats({sample(500'000, 1'000'000, 0.045, 45)}, t0 + 6s);
  ASSERT_EQ(hall.events("quality").size(), 2u);
  EXPECT_EQ(hall.events("quality")[1]["sites"][0]["level"], 0);
  // The admin status (diemcauctl status) shows the latest.
  const auto& p = service_->find("mtg-1")->participants().at("lang-can");
  ASSERT_TRUE(p.quality.has_value());
  EXPECT_EQ(p.quality->level, 0);
  const MeetingLiveStatus live(service_);
  Json row;
  const Json status = live.liveStatus("mtg-1");
  for (const auto& s : status["sites"]) {
    if (s["id"] == "lang-can") row = s;
  }
  EXPECT_EQ(row["quality"], "0/5 4.5% 45ms 0/0k") << row;
  EXPECT_EQ(row["link"]["level"], 0) << row;
  EXPECT_EQ(row["connected"], true);
  EXPECT_EQ(row["reconnecting"], false);
}

TEST_F(ResumeTest, AdminStatusShowsReconnecting) {
  joined("huyen", Role::Host);
  FakeConnection& site = joined("lang-can", Role::Site);
  closed(site);
  const MeetingLiveStatus live(service_);
  const Json status = live.liveStatus("mtg-1");
  int rows = 0;
  for (const auto& s : status["sites"]) {
    if (s["id"] != "lang-can") continue;
    ++rows;
    EXPECT_EQ(s["connected"], false);
    EXPECT_EQ(s["reconnecting"], true);
  }
  EXPECT_EQ(rows, 1) << status;
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
