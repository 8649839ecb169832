// Retransmission through a room with real connections over loopback (see RoomEndToEndTest for the
// set-up): the hall publishes VP8 with RTX, the site receives it with RTX.
//   - the bridge misses hall packet 110: it NACKs the hall, the hall's RTX repairs it and the site
//     gets the packet in its place;
//   - the site NACKs a packet it missed: the bridge answers from its history as RTX on the site's
//     RTX SSRC with the OSN in the site's numbering, once per round trip;
//   - with retransmission off the bridge neither NACKs nor answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "media/rtp/GenericNack.hpp"
#include "media/rtp/Rtx.hpp"
#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

constexpr uint32_t kHallRtxSsrc = 0x0B0B0B0B;
constexpr uint8_t kHallRtxPayloadType = 97;
constexpr uint32_t kSiteRtcpSsrc = 0x5175E000;

// Records the sequence numbers the bridge NACKs on the hall's video.
class Peer final : public TestPeer {
 public:
  using TestPeer::TestPeer;
  void onRtcpPacket(const rtp::RtcpPacket& packet) override {
    if (packet.packetType() != rtp::rtcp_type::kRtpfb) return;
    if (auto nack = rtp::GenericNack::parse(packet); nack && nack->mediaSsrc() == kHallVideoSsrc) {
      std::lock_guard lock(mutex_);
      nack->forEachLost([&](uint16_t sequence) { nacked_.push_back(sequence); });
    }
  }
  std::vector<uint16_t> nacked() {
    std::lock_guard lock(mutex_);
    return nacked_;
  }

 private:
  std::mutex mutex_;
  std::vector<uint16_t> nacked_;
};

// VP8 with the sequence number's low byte as the payload fill, so a repaired packet is the original.
std::vector<uint8_t> numberedPacket(uint16_t seq, bool key) { return vp8Packet(seq, key, static_cast<uint8_t>(seq)); }

class RetransmissionEndToEnd : public RoomFixture<Peer, testing::TestWithParam<bool>> {
 protected:
  RetransmissionEndToEnd() : RoomFixture(GetParam()) {}

  void connect() {
    startRoom();
    sdp::OfferSection video;
    video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    video.rtxPayloadType = kHallRtxPayloadType;
    video.stream = sdp::SendStream{kHallVideoSsrc, kHallRtxSsrc, "hall-cname", "hall-stream", "hall-camera"};
    ASSERT_NO_FATAL_FAILURE(publishHall(hallVideoOffer(video)));
    ASSERT_TRUE(hallAnswer_.media.front().codecs.front().rtxPayloadType.has_value()) << sdp::writeSdp(hallAnswer_);

    ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
    for (const auto& media : siteOffer_.media) {
      if (media.msid != "hall hall.video") continue;
      for (const auto& group : media.ssrcGroups) {
        if (group.semantics == "FID" && group.ssrcs.size() == 2) {
          siteSsrc_ = group.ssrcs[0];
          siteRtxSsrc_ = group.ssrcs[1];
        }
      }
    }
    for (const auto& negotiated : siteAnswer_->negotiated()) {
      if (negotiated.kind == sdp::MediaKind::Video && negotiated.rtxPayloadType) siteRtxPt_ = *negotiated.rtxPayloadType;
    }
    ASSERT_NE(siteRtxSsrc_, 0u) << "no RTX SSRC in the site's offer";
    ASSERT_NE(siteRtxPt_, 0) << "no RTX negotiated for the site";
    ASSERT_TRUE(bothConnected());
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
  std::vector<TestPeer::Packet> siteReceivedOn(uint32_t ssrc) {
    std::vector<TestPeer::Packet> out;
    for (const auto& p : site_->received()) {
      if (p.ssrc == ssrc) out.push_back(p);
    }
    return out;
  }

  uint32_t siteSsrc_ = 0;
  uint32_t siteRtxSsrc_ = 0;
  int siteRtxPt_ = 0;
};

TEST_P(RetransmissionEndToEnd, LossesOnBothLegsAreRepairedOnlyWhenEnabled) {
  const bool enabled = GetParam();
  ASSERT_NO_FATAL_FAILURE(connect());
  // Keyframe at 100, then deltas; 110 never reaches the bridge.
  for (uint16_t seq = 100; seq < 120; ++seq) {
    if (seq != 110) hallSends(numberedPacket(seq, seq == 100));
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
    const auto original = numberedPacket(110, false);
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
    const auto original = numberedPacket(105, false);
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
