// Retransmission through a room with real connections over loopback (see RoomEndToEndTest for the
// set-up): the hall publishes VP8 with RTX, the site receives it with RTX.
//   - the bridge misses hall packet 110: it NACKs the hall, the hall's RTX repairs it and the site
//     gets the packet in its place;
//   - the site NACKs a packet it missed: the bridge answers from its history as RTX on the site's
//     RTX SSRC with the OSN in the site's numbering, once per round trip;
//   - with retransmission off the bridge neither NACKs nor answers;
//   - the first packet of a keyframe is lost and repaired after the rest of the frame: a site
//     waiting for a keyframe gets the whole frame, in order, numbered without a gap.
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

// One packet of a VP8 frame with timestamp `ts` (the whole frame shares it), payload filled with
// the sequence number's low byte so a repair is the original:
//   0x80 0x60 seq ts 0x0A0A0A0A   V=2, PT=96, SSRC kHallVideoSsrc
//   0x10 | 0x00                   descriptor: S=1 on the frame's first packet, else S=0; partition 0
//   first packet: 0x00 | 0x01     frame tag's first byte: P=0 keyframe, P=1 delta frame
//                 0x00 0x00 0x9D 0x01 0x2A  the rest of the frame tag and the keyframe start code
enum class Part { KeyStart, DeltaStart, Rest };
std::vector<uint8_t> framePacket(uint16_t seq, uint32_t ts, Part part) {
  const bool start = part != Part::Rest;
  std::vector<uint8_t> p(200, static_cast<uint8_t>(seq));
  const uint8_t header[] = {0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),
                            static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16), static_cast<uint8_t>(ts >> 8),
                            static_cast<uint8_t>(ts), 0x0A, 0x0A, 0x0A, 0x0A, static_cast<uint8_t>(start ? 0x10 : 0x00)};
  size_t at = 0;
  for (uint8_t byte : header) p[at++] = byte;
  if (start) {
    const uint8_t tag[] = {static_cast<uint8_t>(part == Part::KeyStart ? 0x00 : 0x01), 0x00, 0x00, 0x9D, 0x01, 0x2A};
    for (uint8_t byte : tag) p[at++] = byte;
  }
  return p;
}

TEST_P(RetransmissionEndToEnd, RepairedKeyframeStartOpensAWaitingSiteWithTheWholeFrame) {
  const bool enabled = GetParam();
  ASSERT_NO_FATAL_FAILURE(connect());
  // The keyframe is 100..105 at one timestamp; 100 never reaches the bridge. The site waits for a
  // keyframe, so 101..105 are held back from it.
  constexpr uint32_t kKeyTs = 100 * 3000u;
  for (uint16_t seq = 101; seq <= 105; ++seq) {
    hallSends(framePacket(seq, kKeyTs, Part::Rest));
    std::this_thread::sleep_for(3ms);
  }
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(siteReceivedOn(siteSsrc_).empty()) << "a frame without its start was forwarded";
  // The hall repairs 100 as RTX (OSN 100).
  {
    const auto original = framePacket(100, kKeyTs, Part::KeyStart);
    auto view = rtp::RtpPacket::parse(const_cast<uint8_t*>(original.data()), original.size());
    std::array<uint8_t, 256> rtx{};
    const size_t len = rtp::writeRtx(rtx, *view, rtp::RtxHeader{kHallRtxSsrc, kHallRtxPayloadType, 1, kKeyTs, 100});
    hallSends(std::vector<uint8_t>(rtx.begin(), rtx.begin() + static_cast<long>(len)));
  }
  // The next (delta) frame follows the keyframe without a gap.
  hallSends(framePacket(106, 106 * 3000u, Part::DeltaStart));
  hallSends(framePacket(107, 106 * 3000u, Part::Rest));

  if (!enabled) {
    // Without retransmission the RTX is dropped: the site still waits for a keyframe.
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(siteReceivedOn(siteSsrc_).empty());
    return;
  }
  ASSERT_TRUE(waitFor([&] { return siteReceivedOn(siteSsrc_).size() >= 8; }, 2s))
      << "the site got " << siteReceivedOn(siteSsrc_).size() << " packets of 8";
  std::this_thread::sleep_for(50ms);
  const auto got = siteReceivedOn(siteSsrc_);
  ASSERT_EQ(got.size(), 8u);
  // 100 (descriptor 0x10, keyframe tag 0x00), then 101..107 by their fill (106: descriptor 0x10,
  // delta tag 0x01), at consecutive numbers.
  EXPECT_EQ(got[0].firstTwo, 0x1000);
  for (size_t i = 1; i < got.size(); ++i) {
    const auto source = static_cast<uint16_t>(100 + i);
    EXPECT_EQ(got[i].sequence, static_cast<uint16_t>(got[0].sequence + i)) << "packet " << source;
    const uint16_t expected = source == 106 ? 0x1001 : static_cast<uint16_t>(source & 0xFF);
    EXPECT_EQ(got[i].firstTwo, expected) << "packet " << source;
  }
  // The repair was counted once.
  const auto stats = media::invokeAndWait(roomWorker(), [&] { return room_->stats(); });
  for (const auto& s : stats) {
    if (s.participantId == "hall") {
      EXPECT_EQ(s.packetsRecovered, 1u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Retransmission, RetransmissionEndToEnd, testing::Bool(),
                         [](const auto& param) { return param.param ? "Enabled" : "Disabled"; });

}  // namespace
}  // namespace diemcau::bridge
