// Live recording wired into the meeting: real recorders (GStreamer) and a real archive, with a room
// port that hands the test the recorder taps instead of a media worker. The test thread plays both
// the signaling thread (it runs what the service posts) and the worker (it feeds the taps).
#include <gst/gst.h>

#include <deque>
#include <mutex>
#include <thread>

#include "signaling/archive/Sha256Sums.hpp"
#include "tests/media/recorder/RtpFeed.hpp"
#include "tests/signaling/meeting/MeetingTestKit.hpp"

// GLib keeps a per-thread buffer for GStreamer's streaming threads that outlives them (not ours).
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libglib-2.0.so\n";
}

namespace diemcau::signaling::meeting::testing {
namespace {

namespace fs = std::filesystem;
namespace feed = media::recorder::test;

/// Records what the service attaches; detaching runs its callback at once, as a worker would after
/// the packets already given.
struct TapRecord {
  std::map<std::string, media::recorder::RtpSink*> attached;  // by track id
  std::vector<std::string> keyframeRequests;
  std::map<std::string, RoomPort::AnswerDone> publishes;  // by participant, until the test answers
  RoomPort::Events* events = nullptr;
};

class TapRoomPort final : public RoomPort {
 public:
  TapRoomPort(std::shared_ptr<TapRecord> record, Events& events) : record_(std::move(record)) {
    record_->events = &events;
  }
  ~TapRoomPort() override { record_->events = nullptr; }
  void addParticipant(const bridge::ParticipantInfo&) override {}
  void removeParticipant(const std::string&) override {}
  void publish(const std::string& id, const std::string&, AnswerDone done) override {
    record_->publishes[id] = std::move(done);
  }
  void subscriberAnswer(const std::string&, uint32_t, const std::string&, Done) override {}
  void addRemoteCandidate(const std::string&, bridge::TransportKind, const std::string&, Done) override {}
  void setRoutingState(const bridge::RoutingState&) override {}
  void attachRecorder(const std::vector<RecorderTap>& taps) override {
    for (const auto& tap : taps) record_->attached[tap.trackId] = tap.sink;
  }
  void detachRecorder(const std::vector<RecorderTap>& taps, std::function<void()> detached) override {
    for (const auto& tap : taps) {
      auto it = record_->attached.find(tap.trackId);
      if (it != record_->attached.end() && it->second == tap.sink) record_->attached.erase(it);
    }
    detached();
  }
  void requestKeyframe(const std::string& trackId) override { record_->keyframeRequests.push_back(trackId); }

 private:
  std::shared_ptr<TapRecord> record_;
};

class TapRoomFactory final : public RoomPortFactory {
 public:
  std::unique_ptr<RoomPort> create(const std::string& meetingId, RoomPort::Events& events) override {
    auto record = std::make_shared<TapRecord>();
    rooms[meetingId] = record;
    return std::make_unique<TapRoomPort>(record, events);
  }
  std::map<std::string, std::shared_ptr<TapRecord>> rooms;
};

class RecordingTest : public MeetingFixture {
 protected:
  RecordingTest() {
    gst_init(nullptr, nullptr);
    dispatcher_ = protocol::Dispatcher{};
    service_.reset();
    auto factory = std::make_unique<TapRoomFactory>();
    taps_ = factory.get();
    MeetingServiceOptions options;
    options.dataDir = dir_;
    options.now = [this] { return now_; };
    options.post = [this](std::function<void()> task) {
      std::lock_guard lock(mutex_);
      posted_.push_back(std::move(task));
    };
    service_ = std::make_shared<MeetingService>(*store_, *tokens_, std::move(factory), options);
    dispatcher_.registerService(service_);
  }
  ~RecordingTest() override {
    dispatcher_ = protocol::Dispatcher{};
    service_.reset();
    runPosted();
  }

  /// Runs what was posted to the signaling thread, once.
  void runPosted() {
    for (;;) {
      std::function<void()> task;
      {
        std::lock_guard lock(mutex_);
        if (posted_.empty()) return;
        task = std::move(posted_.front());
        posted_.pop_front();
      }
      task();
    }
  }
  /// Runs posted tasks until `done` holds (at most 10 s).
  bool runUntil(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      runPosted();
      if (done()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }

  TapRecord& taps(const std::string& meeting = "mtg-1") { return *taps_->rooms.at(meeting); }

  /// `site` publishes: the room reports its tracks (audio, and video unless `audioOnly`), then the
  /// answer, in that order, as the worker does.
  void publishes(FakeConnection& c, const std::string& site, const std::string& meeting = "mtg-1",
                 bool audioOnly = false) {
    request(c, {{"type", "publish"}, {"sdp", "v=0\r\n"}});
    TapRecord& room = taps(meeting);
    ASSERT_TRUE(room.publishes.contains(site));
    ASSERT_NE(room.events, nullptr);
    room.events->onTrackAdded({site + ".audio", site, bridge::TrackKind::Audio, "opus", 111, 48000});
    // A sync between the two reports (the worker had not posted the second yet) must not split them.
    runPosted();
    if (!audioOnly) room.events->onTrackAdded({site + ".video", site, bridge::TrackKind::Video, "VP8", 96, 90000});
    auto done = std::move(room.publishes[site]);
    room.publishes.erase(site);
    done("v=0\r\n", std::nullopt);
  }

  /// Feeds `seconds` of real VP8+Opus to the site's taps at real pace (the test plays the worker).
  void feed(const std::string& site, double seconds) {
    auto packets = feed::merge(feed::encodeVp8(seconds, 1), feed::encodeOpus(seconds, 0));
    media::recorder::RtpSink* audio = taps().attached.at(site + ".audio");
    media::recorder::RtpSink* video = taps().attached.at(site + ".video");
    feed::feedRealTime(packets,
                       [&](const feed::FedPacket& p) { (p.track == 0 ? audio : video)->onRtp(p.bytes); });
  }

  std::vector<Json> logged(const std::string& type) {
    std::vector<Json> out;
    for (const Json& line : eventLog()) {
      if (line.value("type", "") == type) out.push_back(line);
    }
    return out;
  }

  fs::path folder() const { return dir_ / "archive" / "mtg-1"; }

  TapRoomFactory* taps_ = nullptr;
  std::mutex mutex_;
  std::deque<std::function<void()>> posted_;
};

TEST_F(RecordingTest, OnlyTheChairStartsOrStopsRecording) {
  joined("huyen", tokens::Role::Host);
  FakeConnection& site = joined("lang-can", tokens::Role::Site);
  for (const char* type : {"recording.start", "recording.stop"}) {
    const Json reply = request(site, {{"type", type}});
    EXPECT_EQ(errorCode(reply), "not_allowed") << type;
    EXPECT_EQ(errorMessage(reply), "only the chair may do this") << type;
  }
  EXPECT_TRUE(logged("recording.changed").empty());
}

TEST_F(RecordingTest, EveryoneHearsTheChairStartAndStopAndLateJoinersAreTold) {
  FakeConnection& chair = joined("huyen", tokens::Role::Host);
  FakeConnection& site = joined("lang-can", tokens::Role::Site);
  Json reply = request(chair, {{"type", "recording.start"}});
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  EXPECT_EQ(reply["recording"], true);
  for (FakeConnection* c : {&chair, &site}) {
    const auto events = c->events("recording.changed");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["recording"], true);
    EXPECT_EQ(events[0]["scope"], "all");
  }
  // A second start is answered, not announced again.
  EXPECT_TRUE(request(chair, {{"type", "recording.start"}}).value("ok", false));
  EXPECT_EQ(site.events("recording.changed").size(), 1u);

  FakeConnection& late = connect();
  reply = request(late, {{"type", "join"}, {"token", token("na-hang", tokens::Role::Site)}});
  EXPECT_EQ(reply["recording"], true);

  ASSERT_TRUE(request(chair, {{"type", "recording.stop"}}).value("ok", false));
  EXPECT_EQ(late.events("recording.changed").back()["recording"], false);
  const auto changes = logged("recording.changed");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]["by"], "huyen");
  EXPECT_EQ(changes[1]["recording"], false);
}

TEST_F(RecordingTest, PublisherIsRecordedToAFileThatPlaysAndTheMinutesListIt) {
  FakeConnection& chair = joined("huyen", tokens::Role::Host);
  FakeConnection& site = joined("lang-can", tokens::Role::Site);
  ASSERT_TRUE(request(chair, {{"type", "recording.start"}}).value("ok", false));
  publishes(site, "lang-can");
  ASSERT_TRUE(runUntil([&] { return taps().attached.size() == 2; }));
  feed("lang-can", 2.0);
  request(site, {{"type", "leave"}});
  EXPECT_TRUE(taps().attached.empty());  // detached as the participant left
  ASSERT_TRUE(runUntil([&] { return !logged("recording.stopped").empty(); }));

  const auto started = logged("recording.started");
  ASSERT_EQ(started.size(), 1u);
  const std::string file = started[0]["file"];
  EXPECT_TRUE(file.starts_with("lang-can-")) << file;
  // Owner-only, like the rest of the archive.
  EXPECT_EQ(fs::status(folder() / file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const auto found = feed::discover((folder() / file).string());
  ASSERT_TRUE(found.ok) << found.output;
  EXPECT_NEAR(found.durationSeconds, 2.0, 0.5) << found.output;
  EXPECT_EQ(logged("recording.stopped")[0]["droppedPackets"], 0);

  ASSERT_TRUE(request(chair, {{"type", "end"}}).value("ok", false));
  ASSERT_TRUE(runUntil([&] { return fs::exists(folder() / "SHA256SUMS"); }));
  EXPECT_TRUE(archive::verifySha256Sums(folder()).ok());
  std::ifstream in(folder() / "minutes.json");
  const Json minutes = Json::parse(in);
  ASSERT_EQ(minutes["recordings"].size(), 1u) << minutes.dump(2);
  EXPECT_EQ(minutes["recordings"][0]["file"], file);
  EXPECT_EQ(minutes["recordings"][0]["participant"], "lang-can");
}

TEST_F(RecordingTest, ARejoinOpensANewFileAndTheEndClosesTheArchive) {
  FakeConnection& chair = joined("huyen", tokens::Role::Host);
  ASSERT_TRUE(request(chair, {{"type", "recording.start"}}).value("ok", false));
  FakeConnection& first = joined("lang-can", tokens::Role::Site);
  publishes(first, "lang-can");
  ASSERT_TRUE(runUntil([&] { return taps().attached.size() == 2; }));
  feed("lang-can", 1.0);
  closed(first);  // the link drops
  FakeConnection& again = joined("lang-can", tokens::Role::Site);
  publishes(again, "lang-can");
  ASSERT_TRUE(
      runUntil([&] { return taps().attached.size() == 2 && logged("recording.started").size() == 2; }));
  feed("lang-can", 1.0);
  ASSERT_TRUE(request(chair, {{"type", "end"}}).value("ok", false));
  EXPECT_TRUE(taps_->rooms.at("mtg-1")->attached.empty());
  ASSERT_TRUE(runUntil([&] { return fs::exists(folder() / "SHA256SUMS"); }));

  const auto started = logged("recording.started");
  ASSERT_EQ(started.size(), 2u);
  EXPECT_NE(started[0]["file"], started[1]["file"]);
  EXPECT_EQ(logged("recording.stopped").size(), 2u);
  for (const Json& s : started)
    EXPECT_TRUE(feed::discover((folder() / s["file"].get<std::string>()).string()).ok);
  std::ifstream in(folder() / "minutes.json");
  const Json minutes = Json::parse(in);
  EXPECT_EQ(minutes["recordings"].size(), 2u) << minutes.dump(2);
  // The recording.changed off at the end is the meeting's, not a chair action.
  EXPECT_EQ(logged("recording.changed").back()["recording"], false);
}

TEST_F(RecordingTest, PolicyStartsRecordingWhenTheMeetingIsLiveAndOnlyHostsUnderHostPolicy) {
  store::Meeting m = *store_->findMeeting("mtg-1");
  m.id = "mtg-2";
  m.recording = store::RecordingPolicy::Host;
  store_->addMeeting(m);
  FakeConnection& chair = connect();
  const Json reply =
      request(chair, {{"type", "join"}, {"token", token("huyen", tokens::Role::Host, "mtg-2")}});
  EXPECT_EQ(reply["recording"], true) << reply.dump();
  FakeConnection& site = connect();
  request(site, {{"type", "join"}, {"token", token("lang-can", tokens::Role::Site, "mtg-2")}});
  publishes(site, "lang-can", "mtg-2", /*audioOnly=*/true);
  publishes(chair, "huyen", "mtg-2", /*audioOnly=*/true);
  ASSERT_TRUE(runUntil([&] { return !taps("mtg-2").attached.empty(); }));
  runPosted();
  EXPECT_EQ(taps("mtg-2").attached.size(), 1u);
  EXPECT_TRUE(taps("mtg-2").attached.contains("huyen.audio"));
  const auto log = eventLog("mtg-2");
  const auto changed =
      std::find_if(log.begin(), log.end(), [](const Json& l) { return l["type"] == "recording.changed"; });
  ASSERT_NE(changed, log.end());
  EXPECT_EQ((*changed)["policy"], "host");
  EXPECT_FALSE(changed->contains("by"));
}

TEST_F(RecordingTest, AnUnwritableArchiveFolderTellsTheChairAndTheMeetingGoesOn) {
  FakeConnection& chair = joined("huyen", tokens::Role::Host);
  FakeConnection& site = joined("lang-can", tokens::Role::Site);
  ASSERT_TRUE(request(chair, {{"type", "recording.start"}}).value("ok", false));
  // The folder is taken away and a file stands in its place (the event log keeps its open file).
  fs::rename(folder(), dir_ / "moved");
  { std::ofstream(folder()) << "not a folder"; }
  publishes(site, "lang-can");
  ASSERT_TRUE(runUntil([&] { return !chair.events("recording.failed").empty(); }));
  const auto failed = chair.events("recording.failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["participant"], "lang-can");
  EXPECT_NE(failed[0]["message"].get<std::string>().find("cannot create the archive folder"),
            std::string::npos);
  EXPECT_TRUE(site.events("recording.failed").empty());  // the chair's business
  EXPECT_TRUE(taps().attached.empty());
  EXPECT_TRUE(request(site, {{"type", "chat"}, {"text", "vẫn họp"}}).value("ok", false));
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
