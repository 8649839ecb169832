// The room with the bridge in ICE-lite mode: every bridge transport sits on its worker's shared
// UdpMux and says a=ice-lite; the clients are full ICE agents and take the controlling role on
// both connections (RFC 8445 §6.1.1), the subscribe one included although they answer it; clients
// that still claim controlled are told to switch (487, RFC 8445 §7.3.1.1). Media goes hall ->
// bridge -> site through the one socket.
#include <gtest/gtest.h>

#include <string>

#include "bridge/room/BridgeCodecs.hpp"
#include "media/ice/UdpMux.hpp"
#include "tests/bridge/room/RoomFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

class RoomIceLite : public RoomFixture<> {
 protected:
  RoomIceLite() : RoomFixture(/*retransmission=*/true, /*iceLite=*/true) {}

  media::UdpMux::Stats roomMuxStats() {
    return media::invokeAndWait(roomWorker(), [&] { return engine_->udpMux(roomWorker())->stats(); });
  }

  // Publishes the hall's video, answers the site's first offer, checks both of the bridge's
  // descriptions (a=ice-lite, the room worker's mux port as the only candidate port), waits for both
  // connections and sends 30 packets from a keyframe through to the site.
  void hallVideoReachesTheSite() {
    ASSERT_NE(engine_->udpMux(roomWorker()), nullptr);
    ASSERT_NE(engine_->udpMux(peerWorker()), nullptr);
    EXPECT_NE(engine_->udpMux(roomWorker()), engine_->udpMux(peerWorker()));
    const uint16_t port = media::invokeAndWait(roomWorker(), [&] { return engine_->udpMux(roomWorker())->port(); });
    ASSERT_NE(port, 0);
    startRoom();

    sdp::OfferSection video;
    video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    video.stream = sdp::SendStream{kHallVideoSsrc, std::nullopt, "hall-cname", "hall-stream", "hall-camera"};
    const auto hallOffer = hallVideoOffer(video);
    EXPECT_FALSE(hallOffer.iceLite);  // the clients are full agents
    ASSERT_NO_FATAL_FAILURE(publishHall(hallOffer));
    sdp::applyAnswer(hallOffer, hallAnswer_);
    ASSERT_NO_FATAL_FAILURE(answerSiteOffer(1));

    EXPECT_TRUE(hallAnswer_.iceLite);
    EXPECT_TRUE(siteOffer_.iceLite);
    for (const auto* description : {&hallAnswer_, &siteOffer_}) {
      ASSERT_FALSE(description->media.empty());
      const auto& candidates = description->media.front().candidates;
      ASSERT_FALSE(candidates.empty());
      for (const auto& candidate : candidates) {
        EXPECT_NE(candidate.find(" " + std::to_string(port) + " typ host"), std::string::npos) << candidate;
        EXPECT_NE(candidate.find(" udp "), std::string::npos) << candidate;
      }
    }

    if (!bothConnected()) {
      const auto s = roomMuxStats();
      FAIL() << "connections did not come up: hall " << hall_->connected.load() << " site "
             << site_->connected.load() << " mux in " << s.datagramsIn << " out " << s.datagramsOut << " stun "
             << s.stunRequests << " rejected " << s.stunRejected << " unknown " << s.unknownSource;
    }
    const uint32_t bridgeSsrc = siteSsrcOfHallVideo();
    ASSERT_NE(bridgeSsrc, 0u);
    for (uint16_t seq = 200; seq < 230; ++seq) {
      media::invokeAndWait(peerWorker(), [&] {
        const auto packet = vp8Packet(seq, /*key=*/seq == 200);
        hall_->transport->sendRtp(packet.data(), packet.size(), [](rtp::RtpPacket&) {});
      });
      std::this_thread::sleep_for(2ms);
    }
    ASSERT_TRUE(waitFor([&] { return site_->received().size() >= 30; })) << site_->received().size();
    const auto received = site_->received();
    ASSERT_EQ(received.size(), 30u);
    for (size_t i = 0; i < received.size(); ++i) {
      EXPECT_EQ(received[i].ssrc, bridgeSsrc);
      EXPECT_EQ(received[i].payloadType, kVp8PayloadType);
      EXPECT_EQ(received[i].sequence, static_cast<uint16_t>(received[0].sequence + i));
    }
  }
};

TEST_F(RoomIceLite, ClientsControlAndHallVideoReachesTheSiteThroughTheWorkersSocket) {
  ASSERT_NO_FATAL_FAILURE(hallVideoReachesTheSite());
  // The hall offered (controlling from the start); the site answered the bridge's offer and took
  // the controlling role from its a=ice-lite.
  EXPECT_TRUE(media::invokeAndWait(peerWorker(), [&] { return hall_->transport->iceControlling(); }));
  EXPECT_TRUE(media::invokeAndWait(peerWorker(), [&] { return site_->transport->iceControlling(); }));
  // Two connections, one socket: the mux answered both clients' checks and carried both flows, and
  // no check was refused (nobody claimed the wrong role).
  const auto stats = roomMuxStats();
  EXPECT_GE(stats.stunRequests, 2u);
  EXPECT_GE(stats.datagramsIn, 30u);
  EXPECT_GE(stats.datagramsOut, 30u);
  EXPECT_EQ(stats.stunRejected, 0u);
}

TEST_F(RoomIceLite, ClientsThatStartControlledAreToldToSwitch) {
  // Both clients gathered (which starts libnice's checks) while controlled, so a=ice-lite comes too
  // late for their role: their first checks claim controlled, the bridge answers 487, they switch.
  liteClientsControl_ = false;
  ASSERT_NO_FATAL_FAILURE(hallVideoReachesTheSite());
  const auto stats = roomMuxStats();
  EXPECT_GE(stats.stunRejected, 2u) << "one 487 per client expected";
  EXPECT_GE(stats.stunRequests, 2u);
}

}  // namespace
}  // namespace diemcau::bridge
