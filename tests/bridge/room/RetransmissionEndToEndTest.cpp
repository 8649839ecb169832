// Retransmission through a room with real connections over loopback (see RoomEndToEndTest for the
// set-up): the hall publishes VP8 with RTX, the site receives it with RTX.
//   - the bridge misses hall packet 110: it NACKs the hall, the hall's RTX repairs it and the site
//     gets the packet in its place;
//   - the site NACKs a packet it missed: the bridge answers from its history as RTX on the site's
//     RTX SSRC with the OSN in the site's numbering, once per round trip;
//   - with retransmission off the bridge neither NACKs nor answers.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "bridge/room/Room.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/Rtx.hpp"
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
constexpr uint32_t kHallRtxSsrc = 0x0B0B0B0B;
constexpr uint8_t kHallRtxPayloadType = 97;
constexpr uint32_t kSiteRtcpSsrc = 0x5175E000;

template <typename Predicate>
bool waitFor(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

void addCandidates(media::WebRtcTransport& transport, const sdp::SessionDescription& description) {
  for (const auto& candidate : description.media.front().candidates) transport.addRemoteCandidate("candidate:" + candidate);
}

class Peer final : public media::WebRtcTransport::Listener {
 public:
  struct Packet {
    uint32_t ssrc;
    uint16_t sequence;
    uint8_t payloadType;
    uint16_t firstTwo;  // the OSN of an RTX packet
  };

  Peer(media::Worker& worker, media::MediaEngine& engine) : engine_(engine) {
    transport = std::make_unique<media::WebRtcTransport>(worker, engine.dtlsContext(worker), engine.iceConfig(), *this);
  }
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
    received_.push_back({packet.ssrc(), packet.sequence(), packet.payloadType(), firstTwo});
  }
  void onRtcp(uint8_t* data, size_t len) override {
    rtp::RtcpCompound compound(data, len);
    while (auto packet = compound.next()) {
      if (packet->packetType() != rtp::rtcp_type::kRtpfb) continue;
      if (auto nack = rtp::GenericNack::parse(*packet); nack && nack->mediaSsrc() == kHallVideoSsrc) {
        std::lock_guard lock(mutex_);
        nack->forEachLost([&](uint16_t sequence) { nacked_.push_back(sequence); });
      }
    }
  }
  std::vector<Packet> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  std::vector<uint16_t> nacked() {
    std::lock_guard lock(mutex_);
    return nacked_;
  }

  std::unique_ptr<media::WebRtcTransport> transport;
  std::atomic<bool> connected{false};

 private:
  media::MediaEngine& engine_;
  std::mutex mutex_;
  std::vector<Packet> received_;
  std::vector<uint16_t> nacked_;
};

class Events final : public Room::Listener {
 public:
  void onTrackAdded(const TrackInfo&) override {}
  void onTrackRemoved(const TrackInfo&) override {}
  void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdpText) override {
    std::lock_guard lock(mutex);
    if (participantId == "lang-can" && version == 1) firstOffer = sdpText;
  }
  void onLocalCandidate(const std::string&, TransportKind, const std::string&, const std::string&) override {}
  void onTransportFailed(const std::string&, TransportKind, std::string_view) override {}

  std::mutex mutex;
  std::optional<std::string> firstOffer;
};

// VP8 RTP: descriptor S=1, then the frame header whose low bit is the inverse keyframe flag.
std::vector<uint8_t> vp8Packet(uint16_t seq, bool key) {
  const uint32_t ts = seq * 3000u;
  std::vector<uint8_t> p = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), 0x0A, 0x0A, 0x0A, 0x0A, 0x10,
                            static_cast<uint8_t>(key ? 0x00 : 0x01), 0x00, 0x00, 0x9D, 0x01, 0x2A};
  p.resize(200, static_cast<uint8_t>(seq));
  return p;
}

class RetransmissionEndToEnd : public testing::TestWithParam<bool> {
 protected:
  RetransmissionEndToEnd() {
    media::IceConfig ice;
    ice.localAddresses = {"127.0.0.1"};
    engine_ = std::make_unique<media::MediaEngine>(pool_, ice, media::DtlsCertificate::generate(), GetParam());
  }
  ~RetransmissionEndToEnd() override {
    media::invokeAndWait(peerWorker(), [&] {
      hall_.reset();
      site_.reset();
    });
    media::invokeAndWait(roomWorker(), [&] { room_.reset(); });
    media::invokeAndWait(peerWorker(), [] {});
  }
  media::Worker& roomWorker() { return pool_.at(0); }
  media::Worker& peerWorker() { return pool_.at(1); }

  void connect() {
    media::invokeAndWait(roomWorker(), [&] {
      room_ = std::make_unique<Room>(*engine_, roomWorker(), "m1", events_);
      room_->addParticipant({"hall", "Huyện", Role::Host});
      room_->addParticipant({"lang-can", "Xã Lăng Can", Role::Site});
    });
    media::invokeAndWait(peerWorker(), [&] {
      hall_ = std::make_unique<Peer>(peerWorker(), *engine_);
      site_ = std::make_unique<Peer>(peerWorker(), *engine_);
    });
    const auto hallLocal = hall_->gather(peerWorker());
    sdp::OfferSection video;
    video.kind = sdp::MediaKind::Video;
    video.mid = "0";
    video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    video.rtxPayloadType = kHallRtxPayloadType;
    video.stream = sdp::SendStream{kHallVideoSsrc, kHallRtxSsrc, "hall-cname", "hall-stream", "hall-camera"};
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
    ASSERT_TRUE(hallAnswer.media.front().codecs.front().rtxPayloadType.has_value()) << answerText;
    media::invokeAndWait(peerWorker(), [&] {
      hall_->transport->setRemote(media::remoteTransportParams(hallAnswer, /*remoteIsOffer=*/false));
      addCandidates(*hall_->transport, hallAnswer);
    });

    std::optional<std::string> offerText;
    ASSERT_TRUE(waitFor([&] {
      std::lock_guard lock(events_.mutex);
      return (offerText = events_.firstOffer).has_value();
    }));
    const auto offer = sdp::parseSdp(*offerText);
    const auto siteLocal = site_->gather(peerWorker());
    media::invokeAndWait(peerWorker(), [&] {
      site_->transport->setRemote(media::remoteTransportParams(offer, /*remoteIsOffer=*/true));
      addCandidates(*site_->transport, offer);
    });
    const auto answer = sdp::negotiateAnswer(offer, siteLocal, sdp::MediaCapabilities::defaults());
    const auto answerError =
        media::invokeAndWait(roomWorker(), [&] { return room_->subscriberAnswer("lang-can", 1, answer.toSdp()); });
    ASSERT_FALSE(answerError) << answerError->message;
    for (const auto& media : offer.media) {
      if (media.msid != "hall hall.video") continue;
      for (const auto& group : media.ssrcGroups) {
        if (group.semantics == "FID" && group.ssrcs.size() == 2) {
          siteSsrc_ = group.ssrcs[0];
          siteRtxSsrc_ = group.ssrcs[1];
        }
      }
    }
    for (const auto& negotiated : answer.negotiated()) {
      if (negotiated.kind == sdp::MediaKind::Video && negotiated.rtxPayloadType) siteRtxPt_ = *negotiated.rtxPayloadType;
    }
    ASSERT_NE(siteRtxSsrc_, 0u) << "no RTX SSRC in the site's offer";
    ASSERT_NE(siteRtxPt_, 0) << "no RTX negotiated for the site";
    ASSERT_TRUE(waitFor([&] { return hall_->connected.load() && site_->connected.load(); }));
  }

  void hallSends(const std::vector<uint8_t>& packet) {
    media::invokeAndWait(peerWorker(), [&] { hall_->transport->sendRtp(packet.data(), packet.size(), [](rtp::RtpPacket&) {}); });
  }
  void siteNacks(uint16_t sequence) {
    media::invokeAndWait(peerWorker(), [&] {
      std::array<uint8_t, 64> buffer{};
      const size_t len = rtp::GenericNack::write(buffer, kSiteRtcpSsrc, siteSsrc_, std::span(&sequence, 1));
      site_->transport->sendRtcp(buffer.data(), len);
    });
  }
  std::vector<Peer::Packet> siteReceivedOn(uint32_t ssrc) {
    std::vector<Peer::Packet> out;
    for (const auto& p : site_->received()) {
      if (p.ssrc == ssrc) out.push_back(p);
    }
    return out;
  }

  media::SrtpLibrary srtp_;
  media::WorkerPool pool_{2};
  std::unique_ptr<media::MediaEngine> engine_;
  Events events_;
  std::unique_ptr<Room> room_;
  std::unique_ptr<Peer> hall_;
  std::unique_ptr<Peer> site_;
  uint32_t siteSsrc_ = 0;
  uint32_t siteRtxSsrc_ = 0;
  int siteRtxPt_ = 0;
};

TEST_P(RetransmissionEndToEnd, LossesOnBothLegsAreRepairedOnlyWhenEnabled) {
  const bool enabled = GetParam();
  connect();
  // Keyframe at 100, then deltas; 110 never reaches the bridge.
  for (uint16_t seq = 100; seq < 120; ++seq) {
    if (seq != 110) hallSends(vp8Packet(seq, seq == 100));
    std::this_thread::sleep_for(3ms);
  }
  ASSERT_TRUE(waitFor([&] { return siteReceivedOn(siteSsrc_).size() >= 19; }));
  const uint16_t first = siteReceivedOn(siteSsrc_).front().sequence;  // the site's number for 100

  // Upstream: the bridge asks the hall for 110 (after its reorder wait), only when enabled.
  const bool asked = waitFor([&] {
    const auto nacked = hall_->nacked();
    return std::find(nacked.begin(), nacked.end(), 110) != nacked.end();
  }, enabled ? 2s : 500ms);
  EXPECT_EQ(asked, enabled);
  // The hall repairs it as RTX; the site gets it as the plain packet in its place.
  {
    const auto original = vp8Packet(110, false);
    auto view = rtp::RtpPacket::parse(const_cast<uint8_t*>(original.data()), original.size());
    std::array<uint8_t, 256> rtx{};
    const size_t len = rtp::writeRtx(rtx, *view, rtp::RtxHeader{kHallRtxSsrc, kHallRtxPayloadType, 1, 110 * 3000u, 110});
    hallSends(std::vector<uint8_t>(rtx.begin(), rtx.begin() + static_cast<long>(len)));
  }
  const auto repaired = [&] {
    for (const auto& p : siteReceivedOn(siteSsrc_)) {
      if (p.sequence == static_cast<uint16_t>(first + 10)) return true;
    }
    return false;
  };
  EXPECT_EQ(waitFor(repaired, enabled ? 2s : 300ms), enabled);
  // A second copy (a probe resending media) is not forwarded again.
  {
    const auto original = vp8Packet(105, false);
    auto view = rtp::RtpPacket::parse(const_cast<uint8_t*>(original.data()), original.size());
    std::array<uint8_t, 256> rtx{};
    const size_t len = rtp::writeRtx(rtx, *view, rtp::RtxHeader{kHallRtxSsrc, kHallRtxPayloadType, 2, 105 * 3000u, 105});
    hallSends(std::vector<uint8_t>(rtx.begin(), rtx.begin() + static_cast<long>(len)));
  }

  // Downstream: the site lost its 105 and asks twice in a row; one RTX answers.
  const auto siteSeq105 = static_cast<uint16_t>(first + 5);
  siteNacks(siteSeq105);
  siteNacks(siteSeq105);
  const bool answered = waitFor([&] { return !siteReceivedOn(siteRtxSsrc_).empty(); }, enabled ? 2s : 500ms);
  EXPECT_EQ(answered, enabled);
  std::this_thread::sleep_for(100ms);
  const auto rtx = siteReceivedOn(siteRtxSsrc_);
  if (enabled) {
    ASSERT_EQ(rtx.size(), 1u) << "the repeated NACK within a round trip was answered again";
    EXPECT_EQ(rtx[0].payloadType, siteRtxPt_);
    EXPECT_EQ(rtx[0].firstTwo, siteSeq105);  // OSN in the site's numbering
  } else {
    EXPECT_TRUE(rtx.empty());
  }
  // Exactly one packet per sequence number reached the site's media SSRC (no duplicate of 105).
  size_t copiesOf105 = 0;
  for (const auto& p : siteReceivedOn(siteSsrc_)) copiesOf105 += p.sequence == siteSeq105 ? 1 : 0;
  EXPECT_EQ(copiesOf105, 1u);

  // The counters say the same, through the participants' statistics.
  const auto stats = media::invokeAndWait(roomWorker(), [&] { return room_->stats(); });
  for (const auto& s : stats) {
    if (s.participantId == "lang-can") {
      EXPECT_EQ(s.nacksReceived, 2u);
      EXPECT_EQ(s.packetsRetransmitted, enabled ? 1u : 0u);
    }
    if (s.participantId == "hall") {
      EXPECT_EQ(s.packetsRecovered, enabled ? 1u : 0u);
      EXPECT_EQ(s.nacksSentUpstream >= 1, enabled);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Retransmission, RetransmissionEndToEnd, testing::Bool(),
                         [](const auto& param) { return param.param ? "Enabled" : "Disabled"; });

}  // namespace
}  // namespace diemcau::bridge
