// A room with real connections over loopback: a hall publishes through WebRtcTransport with an offer
// from media::sdp::createOffer, a site answers the bridge's subscriber offers with negotiateAnswer,
// and the hall's RTP reaches the site under the SSRC the bridge announced, after a keyframe.
#include <gtest/gtest.h>

#include "bridge/room/BridgeCodecs.hpp"
#include "media/rtp/Pli.hpp"
#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

// Counts the PLIs the bridge sends for the hall's video.
class Peer final : public TestPeer {
 public:
  using TestPeer::TestPeer;
  void onRtcpPacket(const rtp::RtcpPacket& packet) override {
    if (auto pli = rtp::Pli::parse(packet); pli && pli->mediaSsrc() == kHallVideoSsrc) ++plis;
  }
  std::atomic<int> plis{0};
};

using RoomEndToEnd = RoomFixture<Peer>;

TEST_F(RoomEndToEnd, HallVideoReachesTheSiteRewrittenAfterAKeyframe) {
  startRoom();
  // Nothing is published yet, so the site is offered nothing: the first offer waits for a track.
  EXPECT_FALSE(waitFor([&] { return events_.offerFor("lang-can", 1).has_value(); }, std::chrono::milliseconds(300)));

  // The hall publishes VP8 video.
  sdp::OfferSection video;
  video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
  video.stream = sdp::SendStream{kHallVideoSsrc, std::nullopt, "hall-cname", "hall-stream", "hall-camera"};
  const auto hallOffer = hallVideoOffer(video);
  ASSERT_NO_FATAL_FAILURE(publishHall(hallOffer));
  sdp::applyAnswer(hallOffer, hallAnswer_);
  {
    std::lock_guard lock(events_.mutex);
    ASSERT_EQ(events_.added.size(), 1u);
    EXPECT_EQ(events_.added[0].id, "hall.video");
    EXPECT_EQ(events_.added[0].kind, TrackKind::Video);
  }

  // The site receives it in its first offer, with msid = publisher and track id.
  ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));
  const sdp::SessionDescription firstSiteOffer = siteOffer_;
  const sdp::MediaSection* section = nullptr;
  for (const auto& media : firstSiteOffer.media) {
    if (media.msid == "hall hall.video") section = &media;
  }
  ASSERT_NE(section, nullptr);
  ASSERT_FALSE(section->ssrcs.empty());
  const uint32_t bridgeSsrc = section->ssrcs.front().ssrc;
  EXPECT_NE(bridgeSsrc, kHallVideoSsrc);
  EXPECT_EQ(section->codecs.front().payloadType, kVp8PayloadType);

  ASSERT_TRUE(bothConnected()) << "connections did not come up";
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
  // The renegotiation is made on the room's worker after the removal; it may not be the very next
  // version (another change can be pending), so wait for the offer that turns the section inactive.
  auto inactiveOffer = [&]() -> std::optional<sdp::SessionDescription> {
    std::lock_guard lock(events_.mutex);
    for (const auto& offer : events_.offers) {
      if (offer.participant != "lang-can" || offer.version < 2) continue;
      auto parsed = sdp::parseSdp(offer.sdp);
      const auto* media = parsed.findMedia(videoMid);
      if (media != nullptr && media->direction == sdp::Direction::Inactive) return parsed;
    }
    return std::nullopt;
  };
  ASSERT_TRUE(waitFor([&] { return inactiveOffer().has_value(); })) << "no offer made the hall's section inactive";
  const auto thirdOffer = *inactiveOffer();
  EXPECT_EQ(thirdOffer.media.size(), firstSiteOffer.media.size());  // sections are never removed
}

}  // namespace
}  // namespace diemcau::bridge
