#pragma once
// A meeting service with everything real except the media: a SqliteStore file in a temporary folder, a
// TokenService with fresh keys, a Dispatcher, fake connections that record what they are sent, and a fake
// room port that records what the service asks of the bridge and lets the test answer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "signaling/meeting/MeetingService.hpp"
#include "signaling/protocol/Dispatcher.hpp"
#include "signaling/store/SqliteStore.hpp"
#include "signaling/tokens/TokenService.hpp"

namespace diemcau::signaling::meeting::testing {

using namespace std::chrono_literals;
using Json = nlohmann::json;

class FakeConnection final : public protocol::Connection {
 public:
  explicit FakeConnection(uint64_t id) : id_(id) {}
  uint64_t id() const override { return id_; }
  // Like the WebSocket connection: nothing more is sent once a close has started.
  void send(const Json& message) override {
    if (!closed) sent.push_back(message);
  }
  void close(std::string_view reason) override {
    if (closed) return;
    closed = true;
    closeReason = std::string(reason);
  }
  std::string remoteAddress() const override { return "127.0.0.1:" + std::to_string(40000 + id_); }

  /// Events of one type, in order.
  std::vector<Json> events(const std::string& type) const {
    std::vector<Json> out;
    for (const auto& m : sent) {
      if (m.value("type", "") == type) out.push_back(m);
    }
    return out;
  }
  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& m : sent) out.push_back(m.value("type", ""));
    return out;
  }
  /// The reply to request `id`, or null.
  Json reply(const Json& id) const {
    for (const auto& m : sent) {
      if (m.value("type", "") == "reply" && m["id"] == id) return m;
    }
    return nullptr;
  }

  std::vector<Json> sent;
  bool closed = false;
  std::string closeReason;

 private:
  uint64_t id_;
};

/// What the service asked of one meeting's room. Kept by the factory after the port is destroyed.
struct RoomRecord {
  bool destroyed = false;
  RoomPort::Events* events = nullptr;
  std::vector<bridge::ParticipantInfo> added;
  std::vector<std::string> removed;
  std::vector<bridge::RoutingState> routing;
  struct Publish {
    std::string participant;
    std::string sdp;
    RoomPort::AnswerDone done;
  };
  std::vector<Publish> publishes;
  struct Pending {
    std::string participant;
    std::string what;  // "answer v<N>" or "candidate <transport> <text>"
    RoomPort::Done done;
  };
  std::vector<Pending> pending;
  struct VideoSize {
    std::string participant;
    std::string track;
    uint16_t height;
  };
  std::vector<VideoSize> videoSizes;
};

class FakeRoomPort final : public RoomPort {
 public:
  FakeRoomPort(std::shared_ptr<RoomRecord> record, Events& events) : record_(std::move(record)) {
    record_->events = &events;
  }
  ~FakeRoomPort() override {
    record_->destroyed = true;
    record_->events = nullptr;
  }
  void addParticipant(const bridge::ParticipantInfo& p) override { record_->added.push_back(p); }
  void removeParticipant(const std::string& id) override { record_->removed.push_back(id); }
  void publish(const std::string& id, const std::string& sdp, AnswerDone done) override {
    record_->publishes.push_back({id, sdp, std::move(done)});
  }
  void subscriberAnswer(const std::string& id, uint32_t version, const std::string&, Done done) override {
    record_->pending.push_back({id, "answer v" + std::to_string(version), std::move(done)});
  }
  void addRemoteCandidate(const std::string& id, bridge::TransportKind transport, const std::string& candidate,
                          Done done) override {
    const char* name = transport == bridge::TransportKind::Publish ? "publish" : "subscribe";
    record_->pending.push_back({id, std::string("candidate ") + name + " " + candidate, std::move(done)});
  }
  void setRoutingState(const bridge::RoutingState& state) override { record_->routing.push_back(state); }
  void setVideoSize(const std::string& id, const std::string& track, uint16_t height) override {
    record_->videoSizes.push_back({id, track, height});
  }

 private:
  std::shared_ptr<RoomRecord> record_;
};

class FakeRoomFactory final : public RoomPortFactory {
 public:
  std::unique_ptr<RoomPort> create(const std::string& meetingId, RoomPort::Events& events) override {
    auto record = std::make_shared<RoomRecord>();
    rooms[meetingId].push_back(record);
    return std::make_unique<FakeRoomPort>(record, events);
  }
  /// Every room made for a meeting, oldest first.
  std::map<std::string, std::vector<std::shared_ptr<RoomRecord>>> rooms;
};

inline const std::chrono::sys_seconds kNow{std::chrono::seconds{1'796'000'000}};

class MeetingFixture : public ::testing::Test {
 protected:
  MeetingFixture() {
    dir_ = std::filesystem::temp_directory_path() /
           ("diemcau-meeting-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::make_unique<store::SqliteStore>((dir_ / "diemcau.db").string());
    tokens_ = std::make_unique<tokens::TokenService>(
        tokens::SigningKeys::generate(), [this](const std::string& id) { return store_->isTokenRevoked(id); });
    store_->addSite({"huyen", "Hội trường UBND huyện", store::SiteKind::Hall, "", {}});
    store_->addSite({"lang-can", "Xã Lăng Can", store::SiteKind::Commune, "", {}});
    store_->addSite({"na-hang", "Xã Na Hang", store::SiteKind::Commune, "", {}});
    store_->addSite({"thuong-lam", "Xã Thượng Lâm", store::SiteKind::Commune, "", {}});
    addMeeting("mtg-1", store::MeetingState::Live);
    auto factory = std::make_unique<FakeRoomFactory>();
    rooms_ = factory.get();
    MeetingServiceOptions options;
    options.dataDir = dir_;
    options.now = [this] { return now_; };
    service_ = std::make_shared<MeetingService>(*store_, *tokens_, std::move(factory), options);
    dispatcher_.registerService(service_);
  }
  ~MeetingFixture() override {
    dispatcher_ = protocol::Dispatcher{};
    service_.reset();
    std::filesystem::remove_all(dir_);
  }

  void addMeeting(const std::string& id, store::MeetingState state) {
    store::Meeting m;
    m.id = id;
    m.title = "Giao ban tháng 12";
    m.agenda = "1. Báo cáo\n2. Thảo luận";
    m.hostSiteId = "huyen";
    m.invitedSiteIds = {"lang-can", "na-hang", "thuong-lam"};
    m.start = kNow - 10min;
    m.end = kNow + 50min;
    m.state = state;
    store_->addMeeting(m);
  }

  std::string token(const std::string& site, tokens::Role role, const std::string& meeting = "mtg-1",
                    std::chrono::sys_seconds notBefore = kNow - 1h, std::chrono::sys_seconds expiry = kNow + 2h) {
    return tokens_->issue(tokens::JoinClaims{meeting, site, role, notBefore, expiry, ""}, kNow - 1h);
  }

  FakeConnection& connect() {
    connections_.push_back(std::make_unique<FakeConnection>(nextConnection_++));
    return *connections_.back();
  }

  /// Sends a request and returns its reply (null when the service answers later).
  Json request(FakeConnection& c, Json message) {
    message["id"] = nextRequest_++;
    const Json id = message["id"];
    dispatcher_.onMessage(c, message.dump());
    return c.reply(id);
  }
  Json requestRaw(FakeConnection& c, const std::string& text) {
    const size_t before = c.sent.size();
    dispatcher_.onMessage(c, text);
    return c.sent.size() > before ? c.sent.back() : Json(nullptr);
  }

  /// Connects and joins; asserts success.
  FakeConnection& joined(const std::string& site, tokens::Role role) {
    FakeConnection& c = connect();
    Json reply = request(c, {{"type", "join"}, {"token", token(site, role)}});
    EXPECT_TRUE(reply.value("ok", false)) << reply.dump();
    return c;
  }

  /// The dispatcher reports a connection closed, as the WebSocket layer does after a close completes.
  void closed(FakeConnection& c) { dispatcher_.onClose(c); }

  static std::string errorCode(const Json& reply) {
    if (!reply.is_object() || !reply.contains("error")) return "(no error: " + reply.dump() + ")";
    return reply["error"]["code"];
  }
  static std::string errorMessage(const Json& reply) {
    if (!reply.is_object() || !reply.contains("error")) return "";
    return reply["error"]["message"];
  }

  RoomRecord& room(const std::string& meeting = "mtg-1") { return *rooms_->rooms.at(meeting).back(); }

  std::vector<Json> eventLog(const std::string& meeting = "mtg-1") {
    std::vector<Json> lines;
    std::ifstream in(dir_ / "archive" / meeting / "events.jsonl");
    std::string line;
    while (std::getline(in, line)) lines.push_back(Json::parse(line));
    return lines;
  }

  std::filesystem::path dir_;
  std::chrono::system_clock::time_point now_ = kNow + 123ms;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<tokens::TokenService> tokens_;
  FakeRoomFactory* rooms_ = nullptr;
  std::shared_ptr<MeetingService> service_;
  protocol::Dispatcher dispatcher_;
  std::vector<std::unique_ptr<FakeConnection>> connections_;
  uint64_t nextConnection_ = 1;
  int64_t nextRequest_ = 1;
};

}  // namespace diemcau::signaling::meeting::testing
