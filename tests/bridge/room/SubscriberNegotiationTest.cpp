#include "bridge/room/SubscriberNegotiation.hpp"

#include <gtest/gtest.h>

#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"

namespace diemcau::bridge {
namespace {

namespace sdp = media::sdp;

constexpr const char* kFingerprint =
    "0B:F5:B8:C6:FB:24:04:20:77:54:C7:05:8B:32:C6:20:E1:42:84:AA:70:E0:0A:A3:E8:F7:29:76:AC:6E:EF:AC";

sdp::LocalTransportParams bridgeSide() {
  return {"brdg", "bridgepasswordbridgepassword", {"sha-256", kFingerprint},
          {"1 1 udp 2130706431 127.0.0.1 40000 typ host"}, false, true};
}
sdp::LocalTransportParams clientSide() {
  return {"clnt", "clientpasswordclientpassword", {"sha-256", kFingerprint}, {}, false, false};
}

sdp::SendStream stream(uint32_t ssrc, const std::string& publisher, const std::string& track) {
  return {ssrc, std::nullopt, publisher, publisher, track};
}

// The receiving client's side, played by the bridge's own answerer (a different implementation
// path from the offer builder): accepts everything offered.
sdp::SessionDescription answerTo(const std::string& offerText) {
  return sdp::parseSdp(
      sdp::negotiateAnswer(sdp::parseSdp(offerText), clientSide(), sdp::MediaCapabilities::defaults()).toSdp());
}

TEST(SubscriberNegotiation, FirstOfferWithoutTracksHoldsAnInactiveSection) {
  SubscriberNegotiation negotiation("4242");
  ASSERT_TRUE(negotiation.needsOffer());
  const auto offer = sdp::parseSdp(negotiation.createOffer(bridgeSide()));
  ASSERT_EQ(offer.media.size(), 1u);
  EXPECT_EQ(offer.media[0].direction, sdp::Direction::Inactive);
  EXPECT_EQ(offer.sessionId, "4242");
  EXPECT_EQ(offer.sessionVersion, "1");
  EXPECT_FALSE(negotiation.needsOffer());
  EXPECT_TRUE(negotiation.outstanding());
}

TEST(SubscriberNegotiation, OfferCarriesBridgePayloadTypesAndMsidOfThePublisher) {
  SubscriberNegotiation negotiation("1");
  const auto audioMid = negotiation.assign("hall.audio", *bridgeCodec("OPUS"), stream(1111, "hall", "hall.audio"));
  const auto videoMid = negotiation.assign("hall.video", *bridgeCodec("vp8"),
                                           {2222, 2223, "hall", "hall", "hall.video"});
  const auto offer = sdp::parseSdp(negotiation.createOffer(bridgeSide()));
  ASSERT_EQ(offer.media.size(), 2u);
  const auto* audio = offer.findMedia(audioMid);
  const auto* video = offer.findMedia(videoMid);
  ASSERT_TRUE(audio && video);
  EXPECT_EQ(audio->direction, sdp::Direction::SendOnly);
  EXPECT_EQ(audio->codecs.at(0).payloadType, kOpusPayloadType);
  EXPECT_EQ(video->codecs.at(0).payloadType, kVp8PayloadType);
  ASSERT_EQ(video->codecs.size(), 2u);
  EXPECT_EQ(video->codecs.at(1).payloadType, kVp8RtxPayloadType);
  EXPECT_EQ(video->msid, "hall hall.video");
  ASSERT_NE(video->findSsrc(2222), nullptr);
  EXPECT_EQ(video->findSsrc(2222)->cname, "hall");
  ASSERT_EQ(video->ssrcGroups.size(), 1u);
  EXPECT_EQ(video->ssrcGroups[0].ssrcs, (std::vector<uint32_t>{2222, 2223}));

  const auto negotiated = negotiation.applyAnswer(1, answerTo(sdp::writeSdp(offer)));
  ASSERT_EQ(negotiated.size(), 2u);
  EXPECT_EQ(negotiated[1].rtxPayloadType, kVp8RtxPayloadType);
  EXPECT_TRUE(negotiated[1].feedback.pli);
  EXPECT_TRUE(negotiated[1].feedback.nack);
}

TEST(SubscriberNegotiation, OneOutstandingOfferChangesQueueUntilTheAnswer) {
  SubscriberNegotiation negotiation("1");
  negotiation.assign("hall.audio", *bridgeCodec("opus"), stream(1, "hall", "hall.audio"));
  const std::string first = negotiation.createOffer(bridgeSide());
  negotiation.assign("hall.video", *bridgeCodec("VP8"), stream(2, "hall", "hall.video"));
  EXPECT_FALSE(negotiation.needsOffer());  // offer 1 still waits
  EXPECT_THROW(negotiation.applyAnswer(2, answerTo(first)), sdp::SdpError);  // no offer 2 yet
  negotiation.applyAnswer(1, answerTo(first));
  EXPECT_TRUE(negotiation.needsOffer());
  const auto second = sdp::parseSdp(negotiation.createOffer(bridgeSide()));
  EXPECT_EQ(second.sessionVersion, "2");
  EXPECT_EQ(second.media.size(), 2u);
  EXPECT_THROW(negotiation.applyAnswer(1, answerTo(first)), sdp::SdpError);  // stale
}

TEST(SubscriberNegotiation, SectionsAreNeverRemovedAndReusedOnlyAfterShownInactive) {
  SubscriberNegotiation negotiation("1");
  const auto mid = negotiation.assign("a.video", *bridgeCodec("VP8"), stream(1, "a", "a.video"));
  negotiation.applyAnswer(1, answerTo(negotiation.createOffer(bridgeSide())));

  negotiation.release("a.video");
  // Not yet shown inactive to the receiver: the next video takes a new section.
  const auto other = negotiation.assign("b:video", *bridgeCodec("VP8"), stream(2, "b", "b:video"));
  EXPECT_NE(other, mid);
  const std::string text = negotiation.createOffer(bridgeSide());
  const auto offer = sdp::parseSdp(text);
  ASSERT_EQ(offer.media.size(), 2u);
  EXPECT_EQ(offer.findMedia(mid)->direction, sdp::Direction::Inactive);
  EXPECT_TRUE(offer.findMedia(mid)->ssrcs.empty());
  EXPECT_EQ(offer.findMedia(other)->direction, sdp::Direction::SendOnly);
  negotiation.applyAnswer(2, answerTo(text));

  // Answered inactive: an audio track does not take it, the next video (even H.264) does.
  const auto audioMid = negotiation.assign("c:audio", *bridgeCodec("opus"), stream(3, "c", "c:audio"));
  EXPECT_NE(audioMid, mid);
  EXPECT_EQ(negotiation.assign("c:video", *bridgeCodec("H264"), stream(4, "c", "c:video")), mid);
  const auto third = sdp::parseSdp(negotiation.createOffer(bridgeSide()));
  ASSERT_EQ(third.media.size(), 3u);
  EXPECT_EQ(third.findMedia(mid)->codecs.at(0).payloadType, kH264PayloadType);
  EXPECT_EQ(third.findMedia(mid)->msid, "c c:video");
}

}  // namespace
}  // namespace diemcau::bridge
