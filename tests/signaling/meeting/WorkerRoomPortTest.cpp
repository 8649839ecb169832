// The real port: a bridge::Room on a media worker, driven from an io_context on the test thread, as the
// signaling thread drives it in the server.
#include "signaling/meeting/WorkerRoomPort.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "media/srtp/SrtpLibrary.hpp"
#include "tests/signaling/meeting/MeetingTestKit.hpp"

namespace diemcau::signaling::meeting::testing {
namespace {

struct RecordingEvents final : RoomPort::Events {
  void onTrackAdded(const bridge::TrackInfo&) override { ++tracks; }
  void onTrackRemoved(const bridge::TrackInfo&) override { --tracks; }
  void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdp) override {
    offers.push_back({participantId, version, sdp});
  }
  void onLocalCandidate(const std::string&, bridge::TransportKind, const std::string&, const std::string&) override {
    ++candidates;
  }
  void onTransportFailed(const std::string&, bridge::TransportKind, const std::string&) override { ++failures; }

  struct Offer {
    std::string participant;
    uint32_t version;
    std::string sdp;
  };
  std::vector<Offer> offers;
  int tracks = 0;
  int candidates = 0;
  int failures = 0;
};

class WorkerRoomPortTest : public ::testing::Test {
 protected:
  WorkerRoomPortTest() {
    media::IceConfig ice;
    ice.localAddresses = {"127.0.0.1"};
    engine_ = std::make_unique<media::MediaEngine>(pool_, ice, media::DtlsCertificate::generate());
  }

  template <typename Predicate>
  bool runUntil(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      io_.run_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  media::SrtpLibrary srtp_;
  media::WorkerPool pool_{1};
  std::unique_ptr<media::MediaEngine> engine_;
  boost::asio::io_context io_;
  RecordingEvents events_;
};

TEST_F(WorkerRoomPortTest, OfferAndErrorsComeBackOnTheSignalingThread) {
  WorkerRoomPortFactory factory(io_, *engine_);
  auto port = factory.create("mtg-1", events_);
  EXPECT_EQ(pool_.load(0), 1u);
  port->addParticipant({"lang-can", "Xã Lăng Can", bridge::Role::Site});
  // Alone in the room there is nothing to receive: no subscriber offer is made yet.
  EXPECT_FALSE(runUntil([&] { return !events_.offers.empty(); }, std::chrono::milliseconds(300)));
  const uint32_t version = 1;

  std::optional<std::optional<RoomPort::Error>> unknown;
  port->subscriberAnswer("nobody", version, "v=0\r\n", [&](std::optional<RoomPort::Error> e) { unknown = e; });
  std::optional<std::optional<RoomPort::Error>> stale;
  port->subscriberAnswer("lang-can", version + 7, "v=0\r\n", [&](std::optional<RoomPort::Error> e) { stale = e; });
  // An answer that does not parse is refused before it reaches the worker (it is parsed on the
  // signaling thread), with the same error the room gives.
  std::optional<std::optional<RoomPort::Error>> garbled;
  port->subscriberAnswer("lang-can", version, "this is not SDP", [&](std::optional<RoomPort::Error> e) { garbled = e; });
  std::optional<std::pair<std::string, std::optional<RoomPort::Error>>> published;
  port->publish("lang-can", "this is not SDP", [&](std::string sdp, std::optional<RoomPort::Error> e) {
    published.emplace(std::move(sdp), e);
  });
  ASSERT_TRUE(runUntil([&] { return unknown && stale && garbled && published; }));
  ASSERT_TRUE(garbled->has_value());
  EXPECT_EQ((*garbled)->code, protocol::ErrorCode::SdpRejected) << (*garbled)->message;
  ASSERT_TRUE(unknown->has_value());
  EXPECT_EQ((*unknown)->code, protocol::ErrorCode::NotFound);
  ASSERT_TRUE(stale->has_value());
  ASSERT_TRUE(published->second.has_value());
  EXPECT_EQ(published->second->code, protocol::ErrorCode::SdpRejected) << published->second->message;
}

TEST_F(WorkerRoomPortTest, NothingArrivesAfterThePortIsGone) {
  auto port = std::make_unique<WorkerRoomPort>(io_, *engine_, "mtg-1", events_);
  bool called = false;
  port->addParticipant({"lang-can", "Xã Lăng Can", bridge::Role::Site});
  port->subscriberAnswer("lang-can", 1, "v=0\r\n", [&](std::optional<RoomPort::Error>) { called = true; });
  port.reset();
  EXPECT_EQ(pool_.load(0), 0u);
  // Let the worker finish whatever it had and post back.
  media::Worker& worker = pool_.at(0);
  std::atomic<bool> drained{false};
  worker.post([&] { drained = true; });
  ASSERT_TRUE(runUntil([&] { return drained.load(); }));
  io_.restart();
  io_.run_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(called);
  EXPECT_TRUE(events_.offers.empty());
}

}  // namespace
}  // namespace diemcau::signaling::meeting::testing
