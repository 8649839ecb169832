// Simulcast through a real room over loopback: the hall publishes two rid layers ("lo" small
// packets, "hi" large ones) on SSRCs the bridge learns from the rid header extension; the site
// gets the top layer while its link is fine, and the low one once its receiver reports show heavy
// loss, as one continuous stream (sequence numbers without a gap, one SSRC).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "bridge/room/RtcpReports.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/TransportCc.hpp"
#include "bridge/room/Room.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
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

constexpr uint32_t kLoSsrc = 0x10101010;
constexpr uint32_t kHiSsrc = 0x20202020;
constexpr uint8_t kRidId = 10;
constexpr uint8_t kTwccId = 3;
constexpr size_t kLoSize = 150;
constexpr size_t kHiSize = 1000;

template <typename Predicate>
bool waitFor(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class Peer final : public media::WebRtcTransport::Listener {
 public:
  struct Packet {
    uint32_t ssrc;
    uint16_t sequence;
    size_t size;
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
    std::lock_guard lock(mutex_);
    received_.push_back({packet.ssrc(), packet.sequence(), packet.size()});
  }
  void onRtcp(uint8_t* data, size_t len) override {
    rtp::RtcpCompound compound(data, len);
    while (auto packet = compound.next()) {
      if (auto twcc = rtp::TransportCc::parse(*packet)) {
        twcc->forEachPacket([&](const rtp::TwccPacketStatus& status) {
          if (status.received) ++twccReceived;
        });
      }
    }
  }
  std::vector<Packet> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::unique_ptr<media::WebRtcTransport> transport;
  std::atomic<bool> connected{false};
  std::atomic<int> twccReceived{0};  // packets the bridge's TWCC feedback says arrived

 private:
  media::MediaEngine& engine_;
  std::mutex mutex_;
  std::vector<Packet> received_;
};

class Events final : public Room::Listener {
 public:
  void onTrackAdded(const TrackInfo&) override {}
  void onTrackRemoved(const TrackInfo&) override {}
  void onSubscriberOffer(const std::string& participantId, uint32_t version, const std::string& sdpText) override {
    std::lock_guard lock(mutex);
    if (participantId == "lang-can" && version == 1) siteOffer = sdpText;
  }
  void onLocalCandidate(const std::string&, TransportKind, const std::string&, const std::string&) override {}
  void onTransportFailed(const std::string&, TransportKind, std::string_view) override {}

  std::mutex mutex;
  std::string siteOffer;
};

// A VP8 packet of one layer, the rid and the transport-wide sequence number in one-byte header
// extensions (RFC 8285 section 4.2):
//   0x90 0x60               V=2, X=1, PT=96
//   seq, ts, ssrc
//   0xBE 0xDE 0x00 0x02     one-byte extensions, two words
//   0xA1 'l' 'o'            id 10, length 2, the rid
//   0x31 tseq tseq 0x00 0x00  id 3, length 2, the transport-wide sequence number, padding
//   0x10 key?0x00:0x01 ...  VP8 descriptor (S=1) and the frame header's P bit
std::vector<uint8_t> layerPacket(uint32_t ssrc, const char (&rid)[3], uint16_t seq, uint16_t transportSeq, bool key,
                                 size_t size) {
  const uint32_t ts = seq * 6000u;
  std::vector<uint8_t> p = {0x90, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), static_cast<uint8_t>(ssrc >> 24), static_cast<uint8_t>(ssrc >> 16),
                            static_cast<uint8_t>(ssrc >> 8), static_cast<uint8_t>(ssrc), 0xBE, 0xDE, 0x00, 0x02,
                            static_cast<uint8_t>((kRidId << 4) | 1), static_cast<uint8_t>(rid[0]),
                            static_cast<uint8_t>(rid[1]), static_cast<uint8_t>((kTwccId << 4) | 1),
                            static_cast<uint8_t>(transportSeq >> 8), static_cast<uint8_t>(transportSeq), 0x00, 0x00, 0x10, static_cast<uint8_t>(key ? 0x00 : 0x01), 0x00, 0x00,
                            0x9D, 0x01, 0x2A};
  p.resize(size, 0x55);
  return p;
}

class RoomSimulcast : public testing::Test {
 protected:
  RoomSimulcast() {
    media::IceConfig ice;
    ice.localAddresses = {"127.0.0.1"};
    engine_ = std::make_unique<media::MediaEngine>(pool_, ice, media::DtlsCertificate::generate());
  }
  ~RoomSimulcast() override {
    media::invokeAndWait(peerWorker(), [&] {
      hall_.reset();
      site_.reset();
    });
    media::invokeAndWait(roomWorker(), [&] { room_.reset(); });
    media::invokeAndWait(peerWorker(), [] {});
  }
  media::Worker& roomWorker() { return pool_.at(0); }
  media::Worker& peerWorker() { return pool_.at(1); }

  // One packet of each layer every 10 ms for `duration`; keyframes every half second.
  void sendLayers(std::chrono::milliseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
      const bool key = sequence_ % 50 == 0;
      media::invokeAndWait(peerWorker(), [&] {
        const auto lo = layerPacket(kLoSsrc, "lo", sequence_, transportSequence_++, key, kLoSize);
        const auto hi = layerPacket(kHiSsrc, "hi", static_cast<uint16_t>(sequence_ + 20000), transportSequence_++, key,
                                    kHiSize);
        hall_->transport->sendRtp(lo.data(), lo.size(), [](rtp::RtpPacket&) {});
        hall_->transport->sendRtp(hi.data(), hi.size(), [](rtp::RtpPacket&) {});
      });
      ++sequence_;
      if (reportLoss_ && sequence_ % 30 == 0) sendLossyReport();
      std::this_thread::sleep_for(10ms);
    }
  }

  // The site's receiver reports: a burst of heavy loss (four in five packets lost since the
  // previous report, in the first three reports; the first one is only the bridge's baseline),
  // then none, as a link does once the bridge sends it less.
  void sendLossyReport() {
    reportedHighest_ += 100;
    if (++reports_ <= 3) reportedLost_ += 80;
    rtp::ReportBlock block;
    block.ssrc = bridgeSsrc_;
    block.fractionLost = 204;
    block.cumulativeLost = reportedLost_;
    block.highestSeq = reportedHighest_;
    std::array<uint8_t, 256> buffer{};
    const size_t len = writeReceiverReportCompound(buffer, 0x51735173, std::span(&block, 1), "site");
    media::invokeAndWait(peerWorker(), [&] { site_->transport->sendRtcp(buffer.data(), len); });
  }

  media::SrtpLibrary srtp_;
  media::WorkerPool pool_{2};
  std::unique_ptr<media::MediaEngine> engine_;
  Events events_;
  std::unique_ptr<Room> room_;
  std::unique_ptr<Peer> hall_;
  std::unique_ptr<Peer> site_;
  uint16_t sequence_ = 1000;
  uint16_t transportSequence_ = 65000;  // wraps during the test
  uint32_t bridgeSsrc_ = 0;
  bool reportLoss_ = false;
  uint32_t reportedHighest_ = 5000;
  int32_t reportedLost_ = 0;
  int reports_ = 0;
};

// The received packets since index `from` are one layer (by size) and continue each other.
void expectTail(const std::vector<Peer::Packet>& received, size_t from, size_t layerSize, uint32_t ssrc) {
  ASSERT_LT(from, received.size());
  for (size_t i = from; i < received.size(); ++i) {
    EXPECT_EQ(received[i].size, layerSize) << i;
    EXPECT_EQ(received[i].ssrc, ssrc);
  }
}

TEST_F(RoomSimulcast, SiteGetsTheTopLayerThenTheLowOneUnderLoss) {
  media::invokeAndWait(roomWorker(), [&] {
    room_ = std::make_unique<Room>(*engine_, roomWorker(), "m1", events_);
    room_->addParticipant({"hall", "Huyện", Role::Host});
    room_->addParticipant({"lang-can", "Xã Lăng Can", Role::Site});
  });
  media::invokeAndWait(peerWorker(), [&] {
    hall_ = std::make_unique<Peer>(peerWorker(), *engine_);
    site_ = std::make_unique<Peer>(peerWorker(), *engine_);
  });

  // a=rid:lo send, a=rid:hi send, a=simulcast:send lo;hi, the rid extension as id 10; no a=ssrc.
  const auto hallLocal = hall_->gather(peerWorker());
  sdp::OfferSection video;
  video.kind = sdp::MediaKind::Video;
  video.mid = "0";
  video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir", "transport-cc"}, {}};
  video.extensions = {{kRidId, std::string(sdp::uri::kRid), std::nullopt},
                      {kTwccId, std::string(sdp::uri::kTransportWideCc), std::nullopt}};
  auto hallOffer = sdp::buildOffer({video}, hallLocal);
  hallOffer.media[0].rids = {{"lo", sdp::Direction::SendOnly, ""}, {"hi", sdp::Direction::SendOnly, ""}};
  hallOffer.media[0].simulcast = "send lo;hi";
  std::promise<std::pair<std::string, std::optional<Room::Error>>> published;
  media::invokeAndWait(roomWorker(), [&] {
    room_->publish("hall", sdp::writeSdp(hallOffer), [&](std::string answer, std::optional<Room::Error> error) {
      published.set_value({std::move(answer), std::move(error)});
    });
  });
  auto [answerText, error] = published.get_future().get();
  ASSERT_FALSE(error) << error->message;
  const auto hallAnswer = sdp::parseSdp(answerText);
  EXPECT_EQ(hallAnswer.media[0].simulcast, "recv lo;hi");
  ASSERT_NE(hallAnswer.media[0].findExtension(sdp::uri::kRid), nullptr);
  media::invokeAndWait(peerWorker(), [&] {
    hall_->transport->setRemote(media::remoteTransportParams(hallAnswer, /*remoteIsOffer=*/false));
    for (const auto& c : hallAnswer.media.front().candidates) hall_->transport->addRemoteCandidate("candidate:" + c);
  });

  std::string offerText;
  ASSERT_TRUE(waitFor([&] {
    std::lock_guard lock(events_.mutex);
    offerText = events_.siteOffer;
    return !offerText.empty();
  }));
  const auto siteOffer = sdp::parseSdp(offerText);
  const auto siteLocal = site_->gather(peerWorker());
  media::invokeAndWait(peerWorker(), [&] {
    site_->transport->setRemote(media::remoteTransportParams(siteOffer, /*remoteIsOffer=*/true));
    for (const auto& c : siteOffer.media.front().candidates) site_->transport->addRemoteCandidate("candidate:" + c);
  });
  const std::string siteAnswer = sdp::negotiateAnswer(siteOffer, siteLocal, sdp::MediaCapabilities::defaults()).toSdp();
  ASSERT_FALSE(media::invokeAndWait(roomWorker(), [&] { return room_->subscriberAnswer("lang-can", 1, siteAnswer); }));
  for (const auto& media : siteOffer.media) {
    if (media.msid == "hall hall.video" && !media.ssrcs.empty()) bridgeSsrc_ = media.ssrcs.front().ssrc;
  }
  ASSERT_NE(bridgeSsrc_, 0u);
  ASSERT_TRUE(waitFor([&] { return hall_->connected.load() && site_->connected.load(); }));

  // A good link: the site ends up on the large layer (the bridge measures both for a second).
  sendLayers(2500ms);
  auto received = site_->received();
  ASSERT_GT(received.size(), 60u);
  expectTail(received, received.size() - 40, kHiSize, bridgeSsrc_);

  // Heavy loss in the site's reports: the bridge cuts its estimate to what got through and moves
  // the site to the small layer, which it then keeps.
  reportLoss_ = true;
  sendLayers(4000ms);
  received = site_->received();
  ASSERT_GT(received.size(), 100u);
  expectTail(received, received.size() - 40, kLoSize, bridgeSsrc_);

  // Transport-wide feedback reached the hall for (nearly) every packet it sent: its encoder can
  // size itself from the arrival times.
  const int sent = static_cast<uint16_t>(transportSequence_ - 65000);
  EXPECT_TRUE(waitFor([&] { return hall_->twccReceived.load() >= sent * 9 / 10; }, 2s))
      << hall_->twccReceived.load() << " of " << sent;

  // One stream throughout: every packet continues the one before (switches happen at keyframes).
  for (size_t i = 1; i < received.size(); ++i) {
    ASSERT_EQ(received[i].sequence, static_cast<uint16_t>(received[i - 1].sequence + 1)) << "at " << i;
  }
}

}  // namespace
}  // namespace diemcau::bridge
