// A room with real connections over loopback: a hall publishes through WebRtcTransport with an offer
// from media::sdp::createOffer, a site answers the bridge's subscriber offers with negotiateAnswer,
// and the hall's RTP reaches the site under the SSRC the bridge announced, after a keyframe.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "bridge/room/BridgeCodecs.hpp"
#include "bridge/room/Room.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/OfferBuilder.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/SdpTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::bridge {
namespace {

using namespace std::chrono_literals;
namespace sdp = media::sdp;
namespace rtp = media::rtp;

constexpr uint32_t kHallVideoSsrc = 0x0A0A0A0A;

template <typename Predicate>
bool waitFor(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

void addCandidates(media::WebRtcTransport& transport, const sdp::SessionDescription& description) {
  for (const auto& candidate : description.media.front().candidates) transport.addRemoteCandidate("candidate:" + candidate);
}

// One client connection, used on the peers' worker only (except the atomics and locked vectors).
class Peer final : public media::WebRtcTransport::Listener {
 public:
  struct Packet {
    uint32_t ssrc;
    uint16_t sequence;
    uint8_t payloadType;
  };

  Peer(media::Worker& worker, media::MediaEngine& engine) : engine_(engine) {
    media::IceConfig ice = engine.iceConfig();
    transport = std::make_unique<media::WebRtcTransport>(worker, engine.dtlsContext(worker), ice, *this);
  }
  /// Gathers and returns our transport parameters (runs on the worker).
  sdp::LocalTransportParams gather(media::Worker& worker) {
    std::promise<void> gathered;
    media::invokeAndWait(worker, [&] { transport->gather([&] { gathered.set_value(); }); });
    gathered.get_future().wait();
    return media::invokeAndWait(worker, [&] { return media::localTransportParams(*transport, engine_.certificate()); });
  }

  void onTransportCandidate(const std::string&) override {}
  void onTransportConnected() override { connected = true; }
  void onTransportClosed(std::string_view) override {}
  void onRtp(rtp::RtpPacket& packet) override {
    std::lock_guard lock(mutex_);
    received_.push_back({packet.ssrc(), packet.sequence(), packet.payloadType()});
  }
  void onRtcp(uint8_t* data, size_t len) override {
    rtp::RtcpCompound compound(data, len);
    while (auto packet = compound.next()) {
      if (auto pli = rtp::Pli::parse(*packet); pli && pli->mediaSsrc() == kHallVideoSsrc) ++plis;
    }
  }
  std::vector<Packet> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::unique_ptr<media::WebRtcTransport> transport;
  std::atomic<bool> connected{false};
  std::atomic<int> plis{0};

 private:
  media::MediaEngine& engine_;
  std::mutex mutex_;
  std::vector<Packet> received_;
};

// Collects the room's events; called on the room's worker.
class Events final : public Room::Listener {
 public:
  void onTrackAdded(const TrackInfo& track) override {
    std::lock_guard lock(mutex);
    added.push_back(track);
  }
  void onTrackRemoved(const TrackInfo& track) override {
    std::lock_guard lock(mutex);
    removed.push_back(track);
  }
  void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdpText) override {
    std::lock_guard lock(mutex);
    offers.push_back({participantId, version, sdpText});
  }
  void onLocalCandidate(const std::string&, TransportKind, const std::string&, const std::string&) override {}
  void onTransportFailed(const std::string&, TransportKind, std::string_view) override {}

  struct Offer {
    std::string participant;
    uint32_t version;
    std::string sdp;
  };
  std::optional<Offer> offerFor(const std::string& participant, uint32_t version) {
    std::lock_guard lock(mutex);
    for (const auto& offer : offers) {
      if (offer.participant == participant && offer.version == version) return offer;
    }
    return std::nullopt;
  }

  std::mutex mutex;
  std::vector<TrackInfo> added;
  std::vector<TrackInfo> removed;
  std::vector<Offer> offers;
};

// RTP of a VP8 stream: 12-byte header, then the payload descriptor and frame header.
//   0x80 0x60       V=2, PT=96
//   seq, ts = seq * 3000, SSRC kHallVideoSsrc
//   0x10            descriptor: S=1, partition 0
//   key ? 0x00 : 0x01   first frame header byte: P (inverse key frame flag) is its low bit
std::vector<uint8_t> vp8Packet(uint16_t seq, bool key) {
  const uint32_t ts = seq * 3000u;
  std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), 0x0A, 0x0A, 0x0A, 0x0A, 0x10,
                            static_cast<uint8_t>(key ? 0x00 : 0x01), 0x00, 0x00, 0x9D, 0x01, 0x2A};
  p.resize(200, 0x55);
  return p;
}

class RoomEndToEnd : public testing::Test {
 protected:
  RoomEndToEnd() {
    media::IceConfig ice;
    ice.localAddresses = {"127.0.0.1"};
    engine_ = std::make_unique<media::MediaEngine>(pool_, ice, media::DtlsCertificate::generate());
  }
  ~RoomEndToEnd() override {
    media::invokeAndWait(peerWorker(), [&] {
      hall_.reset();
      site_.reset();
    });
    media::invokeAndWait(roomWorker(), [&] { room_.reset(); });
    media::invokeAndWait(peerWorker(), [] {});
  }
  media::Worker& roomWorker() { return pool_.at(0); }
  media::Worker& peerWorker() { return pool_.at(1); }

  // The site's client: answers the bridge's offer `version` with the same transport each time.
  void answerSiteOffer(uint32_t version) {
    std::optional<Events::Offer> offer;
    ASSERT_TRUE(waitFor([&] { return (offer = events_.offerFor("lang-can", version)).has_value(); }))
        << "no subscriber offer " << version;
    const auto description = sdp::parseSdp(offer->sdp);
    if (version == 1) {
      siteLocal_ = site_->gather(peerWorker());
      media::invokeAndWait(peerWorker(), [&] {
        site_->transport->setRemote(media::remoteTransportParams(description, /*remoteIsOffer=*/true));
        addCandidates(*site_->transport, description);
      });
    }
    const std::string answer =
        sdp::negotiateAnswer(description, siteLocal_, sdp::MediaCapabilities::defaults()).toSdp();
    const auto error = media::invokeAndWait(roomWorker(), [&] { return room_->subscriberAnswer("lang-can", version, answer); });
    ASSERT_FALSE(error) << error->message;
    lastSiteOffer_ = description;
  }

  media::SrtpLibrary srtp_;
  media::WorkerPool pool_{2};
  std::unique_ptr<media::MediaEngine> engine_;
  Events events_;
  std::unique_ptr<Room> room_;
  std::unique_ptr<Peer> hall_;
  std::unique_ptr<Peer> site_;
  sdp::LocalTransportParams siteLocal_;
  sdp::SessionDescription lastSiteOffer_;
};

TEST_F(RoomEndToEnd, HallVideoReachesTheSiteRewrittenAfterAKeyframe) {
  media::invokeAndWait(roomWorker(), [&] {
    room_ = std::make_unique<Room>(*engine_, roomWorker(), "m1", events_);
    room_->addParticipant({"hall", "Huyện", Role::Host});
    room_->addParticipant({"lang-can", "Xã Lăng Can", Role::Site});
  });
  media::invokeAndWait(peerWorker(), [&] {
    hall_ = std::make_unique<Peer>(peerWorker(), *engine_);
    site_ = std::make_unique<Peer>(peerWorker(), *engine_);
  });
  // Nothing is published yet, so the site is offered nothing: the first offer waits for a track.
  EXPECT_FALSE(waitFor([&] { return events_.offerFor("lang-can", 1).has_value(); }, std::chrono::milliseconds(300)));

  // The hall publishes VP8 video.
  const auto hallLocal = hall_->gather(peerWorker());
  sdp::OfferSection video;
  video.kind = sdp::MediaKind::Video;
  video.mid = "0";
  video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
  video.stream = sdp::SendStream{kHallVideoSsrc, std::nullopt, "hall-cname", "hall-stream", "hall-camera"};
  const auto hallOffer = sdp::buildOffer({video}, hallLocal);
  std::promise<std::pair<std::string, std::optional<Room::Error>>> published;
  media::invokeAndWait(roomWorker(), [&] {
    room_->publish("hall", sdp::writeSdp(hallOffer), [&](std::string answer, std::optional<Room::Error> error) {
      published.set_value({std::move(answer), std::move(error)});
    });
  });
  auto [answerText, error] = published.get_future().get();
  ASSERT_FALSE(error) << error->message;
  const auto hallAnswer = sdp::parseSdp(answerText);
  sdp::applyAnswer(hallOffer, hallAnswer);
  media::invokeAndWait(peerWorker(), [&] {
    hall_->transport->setRemote(media::remoteTransportParams(hallAnswer, /*remoteIsOffer=*/false));
    addCandidates(*hall_->transport, hallAnswer);
  });
  {
    std::lock_guard lock(events_.mutex);
    ASSERT_EQ(events_.added.size(), 1u);
    EXPECT_EQ(events_.added[0].id, "hall.video");
    EXPECT_EQ(events_.added[0].kind, TrackKind::Video);
  }

  // The site receives it in its first offer, with msid = publisher and track id.
  answerSiteOffer(1);
  const sdp::MediaSection* section = nullptr;
  for (const auto& media : lastSiteOffer_.media) {
    if (media.msid == "hall hall.video") section = &media;
  }
  ASSERT_NE(section, nullptr);
  ASSERT_FALSE(section->ssrcs.empty());
  const uint32_t bridgeSsrc = section->ssrcs.front().ssrc;
  EXPECT_NE(bridgeSsrc, kHallVideoSsrc);
  EXPECT_EQ(section->codecs.front().payloadType, kVp8PayloadType);

  ASSERT_TRUE(waitFor([&] { return hall_->connected.load() && site_->connected.load(); })) << "connections did not come up";
  // The new subscriber made the bridge ask the hall for a keyframe.
  EXPECT_TRUE(waitFor([&] { return hall_->plis.load() > 0; })) << "no PLI reached the publisher";

  // Deltas first (dropped: the site could not decode them), then a keyframe and deltas.
  for (uint16_t seq = 100; seq < 130; ++seq) {
    const bool key = seq == 110;
    media::invokeAndWait(peerWorker(), [&] {
      const auto packet = vp8Packet(seq, key);
      hall_->transport->sendRtp(packet.data(), packet.size(), [](rtp::RtpPacket&) {});
    });
    std::this_thread::sleep_for(2ms);
  }
  ASSERT_TRUE(waitFor([&] { return site_->received().size() >= 20; })) << site_->received().size();
  const auto received = site_->received();
  ASSERT_EQ(received.size(), 20u);  // 110..129
  for (size_t i = 0; i < received.size(); ++i) {
    EXPECT_EQ(received[i].ssrc, bridgeSsrc);
    EXPECT_EQ(received[i].payloadType, kVp8PayloadType);
    EXPECT_EQ(received[i].sequence, static_cast<uint16_t>(received[0].sequence + i));
  }

  // The hall leaves: its track is announced removed and the site's section goes inactive.
  const std::string videoMid = section->mid;
  media::invokeAndWait(roomWorker(), [&] { room_->removeParticipant("hall"); });
  {
    std::lock_guard lock(events_.mutex);
    ASSERT_EQ(events_.removed.size(), 1u);
    EXPECT_EQ(events_.removed[0].id, "hall.video");
  }
  const auto third = events_.offerFor("lang-can", 2);
  ASSERT_TRUE(third);
  const auto thirdOffer = sdp::parseSdp(third->sdp);
  ASSERT_EQ(thirdOffer.media.size(), lastSiteOffer_.media.size());  // sections are never removed
  ASSERT_NE(thirdOffer.findMedia(videoMid), nullptr);
  EXPECT_EQ(thirdOffer.findMedia(videoMid)->direction, sdp::Direction::Inactive);
}

}  // namespace
}  // namespace diemcau::bridge
