// Simulcast through a real room over loopback: the hall publishes two rid layers ("lo" small
// packets, "hi" large ones) on SSRCs the bridge learns from the rid header extension; the site
// gets the top layer while its link is fine, and the low one once its receiver reports show heavy
// loss, as one continuous stream (sequence numbers without a gap, one SSRC).
#include <gtest/gtest.h>

#include <array>

#include "bridge/room/RtcpReports.hpp"
#include "media/rtp/TransportCc.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

constexpr uint32_t kLoSsrc = 0x10101010;
constexpr uint32_t kHiSsrc = 0x20202020;
constexpr uint8_t kRidId = 10;
constexpr uint8_t kTwccId = 3;
constexpr size_t kLoSize = 150;
constexpr size_t kHiSize = 1000;

// Counts the packets the bridge's transport-wide feedback says arrived.
class Peer final : public TestPeer {
 public:
  using TestPeer::TestPeer;
  void onRtcpPacket(const rtp::RtcpPacket& packet) override {
    if (auto twcc = rtp::TransportCc::parse(packet)) {
      twcc->forEachPacket([&](const rtp::TwccPacketStatus& status) {
        if (status.received) ++twccReceived;
      });
    }
  }
  std::atomic<int> twccReceived{0};
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

class RoomSimulcast : public RoomFixture<Peer> {
 protected:
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

  uint16_t sequence_ = 1000;
  uint16_t transportSequence_ = 65000;  // wraps during the test
  uint32_t bridgeSsrc_ = 0;
  bool reportLoss_ = false;
  uint32_t reportedHighest_ = 5000;
  int32_t reportedLost_ = 0;
  int reports_ = 0;
};

// The received packets since index `from` are one layer (by size) and continue each other.
void expectTail(const std::vector<TestPeer::Packet>& received, size_t from, size_t layerSize, uint32_t ssrc) {
  ASSERT_LT(from, received.size());
  for (size_t i = from; i < received.size(); ++i) {
    EXPECT_EQ(received[i].size, layerSize) << i;
    EXPECT_EQ(received[i].ssrc, ssrc);
  }
}

TEST_F(RoomSimulcast, SiteGetsTheTopLayerThenTheLowOneUnderLoss) {
  startRoom();

  // a=rid:lo send, a=rid:hi send, a=simulcast:send lo;hi, the rid extension as id 10; no a=ssrc.
  sdp::OfferSection video;
  video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir", "transport-cc"}, {}};
  video.extensions = {{kRidId, std::string(sdp::uri::kRid), std::nullopt},
                      {kTwccId, std::string(sdp::uri::kTransportWideCc), std::nullopt}};
  auto hallOffer = hallVideoOffer(video);
  hallOffer.media[0].rids = {{"lo", sdp::Direction::SendOnly, ""}, {"hi", sdp::Direction::SendOnly, ""}};
  hallOffer.media[0].simulcast = "send lo;hi";
  ASSERT_NO_FATAL_FAILURE(publishHall(hallOffer));
  EXPECT_EQ(hallAnswer_.media[0].simulcast, "recv lo;hi");
  ASSERT_NE(hallAnswer_.media[0].findExtension(sdp::uri::kRid), nullptr);

  ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
  bridgeSsrc_ = siteSsrcOfHallVideo();
  ASSERT_NE(bridgeSsrc_, 0u);
  ASSERT_TRUE(bothConnected());

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
