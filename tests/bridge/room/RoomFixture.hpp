#pragma once
// The set-up the room end-to-end tests share: a real Room on one worker and two real client
// connections (WebRtcTransport: ICE, DTLS, SRTP over loopback) on another, the hall ("hall", host)
// publishing and the commune ("lang-can", site) subscribing.
//
//   worker 0: Room "m1" ── MediaEngine ── bridge-side transports
//   worker 1: hall_ (TestPeer) ── publish offer ──►   ◄── subscriber offers ── site_ (TestPeer)
//
// Each test adds only what it checks: what its peers record from RTCP (onRtcpPacket), the media
// sections it publishes, the packets it sends.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bridge/room/Room.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/sdp/OfferBuilder.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/SdpTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::bridge::test {

using namespace std::chrono_literals;
namespace sdp = media::sdp;
namespace rtp = media::rtp;

/// The hall's video SSRC in every test's offer, and in vp8Packet's header.
inline constexpr uint32_t kHallVideoSsrc = 0x0A0A0A0A;

template <typename Predicate>
bool waitFor(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

inline void addCandidates(media::WebRtcTransport& transport, const sdp::SessionDescription& description) {
  for (const auto& candidate : description.media.front().candidates) transport.addRemoteCandidate("candidate:" + candidate);
}

/// RTP of a VP8 stream on kHallVideoSsrc, `size` bytes, the rest filled with `fill`:
///   0x80 0x60            V=2, PT=96
///   seq, ts = seq * 3000, SSRC 0x0A0A0A0A
///   0x10                 descriptor: S=1, partition 0
///   key ? 0x00 : 0x01    first frame header byte: P (inverse key frame flag) is its low bit
///   0x00 0x00 0x9D 0x01 0x2A  the rest of the frame tag and the keyframe start code
inline std::vector<uint8_t> vp8Packet(uint16_t seq, bool key, uint8_t fill = 0x55, size_t size = 200) {
  const uint32_t ts = seq * 3000u;
  std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), 0x0A, 0x0A, 0x0A, 0x0A, 0x10,
                            static_cast<uint8_t>(key ? 0x00 : 0x01), 0x00, 0x00, 0x9D, 0x01, 0x2A};
  p.resize(size, fill);
  return p;
}

/// One client connection, used on the peers' worker only (except the atomics and locked vectors).
/// Records every RTP packet it receives; each RTCP packet goes to onRtcpPacket.
class TestPeer : public media::WebRtcTransport::Listener {
 public:
  struct Packet {
    uint32_t ssrc;
    uint16_t sequence;
    uint8_t payloadType;
    size_t size;
    uint16_t firstTwo;  // the first two payload bytes: the OSN of an RTX packet
  };

  /// `controlling`: the ICE role the client starts in (RFC 8445 §6.1.1: the offerer's, and always
  /// the full agent's when the bridge is lite).
  TestPeer(media::Worker& worker, media::MediaEngine& engine, bool controlling = false) : engine_(engine) {
    media::IceConfig ice = engine.iceConfig();
    ice.controlling = controlling;
    transport = std::make_unique<media::WebRtcTransport>(worker, engine.dtlsContext(worker), ice, *this);
  }
  ~TestPeer() override = default;

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
    const auto payload = packet.payload();
    const uint16_t firstTwo = payload.size() >= 2 ? static_cast<uint16_t>((payload[0] << 8) | payload[1]) : 0;
    std::lock_guard lock(mutex_);
    received_.push_back({packet.ssrc(), packet.sequence(), packet.payloadType(), packet.size(), firstTwo});
  }
  void onRtcp(uint8_t* data, size_t len) override {
    rtp::RtcpCompound compound(data, len);
    while (auto packet = compound.next()) onRtcpPacket(*packet);
  }
  /// What a test wants from the bridge's RTCP (PLIs, NACKs, TWCC feedback).
  virtual void onRtcpPacket(const rtp::RtcpPacket& /*packet*/) {}

  std::vector<Packet> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::unique_ptr<media::WebRtcTransport> transport;
  std::atomic<bool> connected{false};

 private:
  media::MediaEngine& engine_;
  std::mutex mutex_;
  std::vector<Packet> received_;
};

/// Collects the room's events; called on the room's worker.
class RoomEvents final : public Room::Listener {
 public:
  struct Offer {
    std::string participant;
    uint32_t version;
    std::string sdp;
  };

  void onTrackAdded(const TrackInfo& track) override {
    std::lock_guard lock(mutex);
    added.push_back(track);
  }
  void onTrackRemoved(const TrackInfo& track) override {
    std::lock_guard lock(mutex);
    removed.push_back(track);
  }
  void onSubscriberOffer(const std::string& participantId, uint32_t version,
                         std::shared_ptr<const media::sdp::SessionDescription> offer) override {
    std::string sdpText = media::sdp::writeSdp(*offer);
    std::lock_guard lock(mutex);
    offers.push_back({participantId, version, std::move(sdpText)});
  }
  void onLocalCandidate(const std::string&, TransportKind, const std::string&, const std::string&) override {}
  void onTransportFailed(const std::string&, TransportKind, std::string_view) override {}

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

/// Worker 0 runs the room, worker 1 the peers; teardown goes peers, room, then one last peer turn.
/// `Peer` is TestPeer or a test's subclass of it; `Base` testing::Test or TestWithParam<...>.
template <class Peer = TestPeer, class Base = testing::Test>
class RoomFixture : public Base {
 protected:
  /// `retransmission` as MediaEngine takes it. `iceLite`: the bridge's transports run ICE-lite on
  /// one UdpMux per worker (ephemeral ports); the peers stay full ICE agents (they get no mux).
  explicit RoomFixture(bool retransmission = true, bool iceLite = false) {
    media::IceConfig ice;
    ice.localAddresses = {"127.0.0.1"};
    ice.lite = iceLite;
    iceLite_ = iceLite;
    engine_ = std::make_unique<media::MediaEngine>(pool_, ice, media::DtlsCertificate::generate(), retransmission);
  }
  ~RoomFixture() override {
    media::invokeAndWait(peerWorker(), [&] {
      hall_.reset();
      site_.reset();
    });
    media::invokeAndWait(roomWorker(), [&] { room_.reset(); });
    media::invokeAndWait(peerWorker(), [] {});
  }
  media::Worker& roomWorker() { return pool_.at(0); }
  media::Worker& peerWorker() { return pool_.at(1); }

  /// Room "m1" with the hall (host) and lang-can (site), and their two client connections. With
  /// `clock`, the room runs on it and ticks only when the test calls Room::tick().
  void startRoom(Room::Clock clock = nullptr) {
    media::invokeAndWait(roomWorker(), [&] {
      room_ = clock ? std::make_unique<Room>(*engine_, roomWorker(), "m1", events_, std::move(clock))
                    : std::make_unique<Room>(*engine_, roomWorker(), "m1", events_);
      room_->addParticipant({"hall", "Huyện", Role::Host});
      room_->addParticipant({"lang-can", "Xã Lăng Can", Role::Site});
    });
    media::invokeAndWait(peerWorker(), [&] {
      // The hall offers its publish connection: with a lite bridge it must start controlling, as
      // libnice changes the role only until its checks start, which gathering does.
      hall_ = std::make_unique<Peer>(peerWorker(), *engine_, /*controlling=*/iceLite_ && liteClientsControl_);
      site_ = std::make_unique<Peer>(peerWorker(), *engine_);
    });
  }

  /// The hall's VP8 camera (NACK, PLI, FIR; one stream with `ssrc`), for hallVideoOffer().
  static sdp::OfferSection hallVp8Section(uint32_t ssrc = kHallVideoSsrc) {
    sdp::OfferSection video;
    video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    video.stream = sdp::SendStream{ssrc, std::nullopt, "hall-cname", "hall-stream", "hall-camera"};
    return video;
  }

  /// The hall's offer: `video` as the one video section (mid "0"), over the hall's gathered transport.
  sdp::SessionDescription hallVideoOffer(sdp::OfferSection video) {
    video.kind = sdp::MediaKind::Video;
    video.mid = "0";
    return sdp::buildOffer({video}, hall_->gather(peerWorker()));
  }

  /// Publishes `offer` as the hall and points the hall's transport at the answer, kept in hallAnswer_.
  /// Use with ASSERT_NO_FATAL_FAILURE.
  void publishHall(const sdp::SessionDescription& offer) {
    std::promise<std::pair<std::string, std::optional<Room::Error>>> published;
    media::invokeAndWait(roomWorker(), [&] {
      room_->publish("hall", sdp::writeSdp(offer), [&](std::string answer, std::optional<Room::Error> error) {
        published.set_value({std::move(answer), std::move(error)});
      });
    });
    auto [answerText, error] = published.get_future().get();
    ASSERT_FALSE(error) << error->message;
    hallAnswer_ = sdp::parseSdp(answerText);
    media::invokeAndWait(peerWorker(), [&] {
      hall_->transport->setRemote(media::remoteTransportParams(hallAnswer_, /*remoteIsOffer=*/false));
      addCandidates(*hall_->transport, hallAnswer_);
    });
  }

  /// The site's client: answers the bridge's subscriber offer `version` (the first one also gathers
  /// and connects, later ones reuse the transport). The offer and answer stay in siteOffer_/siteAnswer_.
  /// Use with ASSERT_NO_FATAL_FAILURE.
  void answerSiteOffer(uint32_t version) {
    std::optional<RoomEvents::Offer> offer;
    ASSERT_TRUE(waitFor([&] { return (offer = events_.offerFor("lang-can", version)).has_value(); }))
        << "no subscriber offer " << version;
    siteOffer_ = sdp::parseSdp(offer->sdp);
    if (version == 1 && iceLite_ && liteClientsControl_) {
      // The client answers a lite offer as the controlling agent (WebRtcTransport::setRemote),
      // which libnice accepts only before its checks start: the offer goes in before gathering.
      media::invokeAndWait(peerWorker(), [&] {
        site_->transport->setRemote(media::remoteTransportParams(siteOffer_, /*remoteIsOffer=*/true));
        addCandidates(*site_->transport, siteOffer_);
      });
      siteLocal_ = site_->gather(peerWorker());
    } else if (version == 1) {
      siteLocal_ = site_->gather(peerWorker());
      media::invokeAndWait(peerWorker(), [&] {
        site_->transport->setRemote(media::remoteTransportParams(siteOffer_, /*remoteIsOffer=*/true));
        addCandidates(*site_->transport, siteOffer_);
      });
    }
    siteAnswer_ = sdp::negotiateAnswer(siteOffer_, siteLocal_, sdp::MediaCapabilities::defaults());
    const auto error =
        media::invokeAndWait(roomWorker(), [&] { return room_->subscriberAnswer("lang-can", version, siteAnswer_->toSdp()); });
    ASSERT_FALSE(error) << error->message;
  }

  /// The SSRC the bridge announced to the site for the hall's video ("hall hall.video"), 0 if none.
  uint32_t siteSsrcOfHallVideo() const {
    for (const auto& media : siteOffer_.media) {
      if (media.msid == "hall hall.video" && !media.ssrcs.empty()) return media.ssrcs.front().ssrc;
    }
    return 0;
  }

  bool bothConnected() {
    return waitFor([&] { return hall_->connected.load() && site_->connected.load(); });
  }

  media::SrtpLibrary srtp_;
  bool iceLite_ = false;
  /// With a lite bridge: false makes both clients start controlled and gather before they know the
  /// bridge is lite, so only the bridge's 487 Role Conflict answers (RFC 8445 §7.3.1.1) switch them.
  bool liteClientsControl_ = true;
  media::WorkerPool pool_{2};
  std::unique_ptr<media::MediaEngine> engine_;
  RoomEvents events_;
  std::unique_ptr<Room> room_;
  std::unique_ptr<Peer> hall_;
  std::unique_ptr<Peer> site_;
  sdp::SessionDescription hallAnswer_;
  sdp::LocalTransportParams siteLocal_;
  sdp::SessionDescription siteOffer_;
  std::optional<sdp::Answer> siteAnswer_;
};

}  // namespace diemcau::bridge::test
