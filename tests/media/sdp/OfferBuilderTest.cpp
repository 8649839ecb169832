#include <gtest/gtest.h>

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/OfferBuilder.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "tests/media/sdp/SdpTestData.hpp"

namespace diemcau::media::sdp {
namespace {

using test::bridgeTransport;
using test::replaceAll;

std::vector<OfferSection> subscriberSections() {
  OfferSection audio;
  audio.kind = MediaKind::Audio;
  audio.mid = "a0";
  audio.codec = RtpCodec{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", {"transport-cc"}, {}};
  audio.extensions = {{1, std::string(uri::kAudioLevel), {}}, {4, std::string(uri::kMid), {}}};
  audio.stream = SendStream{5001, std::nullopt, "bridge", "hall", "hall-audio"};
  OfferSection video;
  video.kind = MediaKind::Video;
  video.mid = "v0";
  video.codec = RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir", "goog-remb"}, {}};
  video.rtxPayloadType = 97;
  video.extensions = {{3, std::string(uri::kTransportWideCc), {}}, {4, std::string(uri::kMid), {}}};
  video.stream = SendStream{6001, 6002, "bridge", "hall", "hall-video"};
  return {audio, video};
}

// Shaped like webrtcbin's answer to a sendonly offer (as GStreamer 1.22 writes it): session-level
// ice-options, per-section credentials, recvonly, a=setup:active, no extmap for abs-send-time.
constexpr const char* kWebrtcbinAnswer =
    "v=0\r\n"
    "o=- 2771398812546212741 0 IN IP4 0.0.0.0\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=ice-options:trickle\r\n"
    "a=group:BUNDLE a0 v0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Qd3rJ0kN1yWGk+7mUXhPmZ/2l7jZq0zY\r\n"
    "a=ice-pwd:xGKo2VZxn3DNv5B5h9aGfo2Hk3wtdzS4\r\n"
    "a=mid:a0\r\n"
    "a=rtcp-mux\r\n"
    "a=setup:active\r\n"
    "a=rtcp-rsize\r\n"
    "a=recvonly\r\n"
    "a=rtpmap:111 OPUS/48000/2\r\n"
    "a=rtcp-fb:111 transport-cc\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=fingerprint:sha-256 0B:F5:B8:C6:FB:24:04:20:77:54:C7:05:8B:32:C6:20:E1:42:84:AA:70:E0:0A:A3:E8:F7:29:76:AC:6E:EF:AC\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:Qd3rJ0kN1yWGk+7mUXhPmZ/2l7jZq0zY\r\n"
    "a=ice-pwd:xGKo2VZxn3DNv5B5h9aGfo2Hk3wtdzS4\r\n"
    "a=mid:v0\r\n"
    "a=rtcp-mux\r\n"
    "a=setup:active\r\n"
    "a=rtcp-rsize\r\n"
    "a=recvonly\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=rtpmap:97 rtx/90000\r\n"
    "a=fmtp:97 apt=96\r\n"
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=fingerprint:sha-256 0B:F5:B8:C6:FB:24:04:20:77:54:C7:05:8B:32:C6:20:E1:42:84:AA:70:E0:0A:A3:E8:F7:29:76:AC:6E:EF:AC\r\n";

TEST(OfferBuilder, OfferTextCarriesTransportCodecsAndStreams) {
  const std::string text = createOffer(subscriberSections(), bridgeTransport());
  const SessionDescription offer = parseSdp(text);
  EXPECT_EQ(offer.bundleMids, (std::vector<std::string>{"a0", "v0"}));
  ASSERT_EQ(offer.media.size(), 2u);
  for (const auto& section : offer.media) {
    EXPECT_EQ(section.setup, SetupRole::ActPass);
    EXPECT_TRUE(section.rtcpMux);
    EXPECT_EQ(section.direction, Direction::SendOnly);
    EXPECT_EQ(section.iceUfrag, "brdg");
  }
  EXPECT_EQ(offer.media[0].candidates.size(), 2u);
  EXPECT_TRUE(offer.media[1].candidates.empty());
  const MediaSection& video = offer.media[1];
  ASSERT_EQ(video.codecs.size(), 2u);
  EXPECT_EQ(video.codecs[0].rtxPayloadType, 97);
  EXPECT_EQ(video.ssrcGroups.at(0).ssrcs, (std::vector<uint32_t>{6001, 6002}));
  EXPECT_EQ(video.findSsrc(6002)->cname, "bridge");
  EXPECT_EQ(video.msid, "hall hall-video");
}

TEST(OfferBuilder, WebrtcbinStyleAnswerYieldsNegotiatedParams) {
  const SessionDescription offer = buildOffer(subscriberSections(), bridgeTransport());
  const std::vector<NegotiatedMedia> negotiated = applyAnswer(parseSdp(createOffer(subscriberSections(),
                                                                                   bridgeTransport())),
                                                              parseSdp(kWebrtcbinAnswer));
  ASSERT_EQ(negotiated.size(), 2u);
  EXPECT_EQ(negotiated[0].mid, "a0");
  EXPECT_EQ(negotiated[0].direction, Direction::SendOnly);
  EXPECT_EQ(negotiated[0].payloadType, 111);
  EXPECT_TRUE(negotiated[0].feedback.transportCc);
  EXPECT_EQ(negotiated[0].extensionId(uri::kAudioLevel), 1);
  EXPECT_EQ(negotiated[1].payloadType, 96);
  EXPECT_EQ(negotiated[1].rtxPayloadType, 97);
  EXPECT_TRUE(negotiated[1].feedback.nack);
  EXPECT_TRUE(negotiated[1].feedback.pli);
  EXPECT_TRUE(negotiated[1].feedback.fir);
  EXPECT_FALSE(negotiated[1].feedback.remb);  // offered, not answered
  EXPECT_EQ(negotiated[1].extensionId(uri::kMid), 4);
  EXPECT_FALSE(negotiated[1].extensionId(uri::kTransportWideCc).has_value());
  EXPECT_EQ(offer.media.size(), 2u);
}

// tests/data/sdp/bridge-subscriber-offer.sdp is createOffer(subscriberSections()) and the answer
// beside it is what a real GStreamer 1.22 webrtcbin replied (tools/capture-sdp/capture-webrtcbin.sh).
TEST(OfferBuilder, RealWebrtcbinAnswerYieldsNegotiatedParams) {
  const SessionDescription captured = parseSdp(test::readSdpFile("bridge-subscriber-offer.sdp"));
  const SessionDescription built = buildOffer(subscriberSections(), bridgeTransport());
  ASSERT_EQ(captured.media.size(), built.media.size());
  for (size_t i = 0; i < built.media.size(); ++i) {
    EXPECT_EQ(captured.media[i].mid, built.media[i].mid);
    EXPECT_EQ(captured.media[i].codecs.size(), built.media[i].codecs.size());
  }
  const auto negotiated = applyAnswer(built, parseSdp(test::readSdpFile("webrtcbin-answer-to-bridge-offer.sdp")));
  ASSERT_EQ(negotiated.size(), 2u);
  EXPECT_EQ(negotiated[0].mid, "a0");
  EXPECT_EQ(negotiated[0].codecName, "opus");
  EXPECT_EQ(negotiated[0].payloadType, 111);
  EXPECT_EQ(negotiated[0].direction, Direction::SendOnly);
  EXPECT_TRUE(negotiated[0].feedback.transportCc);
  EXPECT_EQ(negotiated[1].mid, "v0");
  EXPECT_EQ(negotiated[1].payloadType, 96);
  // webrtcbin 1.22 answers without RTX, plain nack or extmaps: none of them may be assumed.
  EXPECT_FALSE(negotiated[1].rtxPayloadType.has_value());
  EXPECT_FALSE(negotiated[1].feedback.nack);
  EXPECT_TRUE(negotiated[1].feedback.pli);
  EXPECT_TRUE(negotiated[1].feedback.fir);
  EXPECT_TRUE(negotiated[1].extensionIds.empty());
}

TEST(OfferBuilder, AnswerThatDoesNotFitIsRefused) {
  const SessionDescription offer = buildOffer(subscriberSections(), bridgeTransport());
  auto codeOf = [&offer](const std::string& answer) {
    try {
      applyAnswer(offer, parseSdp(answer));
    } catch (const SdpError& error) {
      return std::string(error.codeName());
    }
    return std::string("accepted");
  };
  const std::string good = kWebrtcbinAnswer;
  EXPECT_EQ(codeOf(good), "accepted");
  EXPECT_EQ(codeOf(replaceAll(good, "a=setup:active", "a=setup:actpass")), "invalid_answer");
  EXPECT_EQ(codeOf(replaceAll(good, "a=mid:v0", "a=mid:zz")), "invalid_answer");
  EXPECT_EQ(codeOf(good.substr(0, good.find("m=video"))), "invalid_answer");
  EXPECT_EQ(codeOf(replaceAll(good, "SAVPF 96 97", "SAVPF 100")), "no_common_codec");
  EXPECT_EQ(codeOf(replaceAll(good, "a=fingerprint:sha-256", "a=fingerprint:sha-1")), "unsupported_fingerprint");
  EXPECT_EQ(codeOf(replaceAll(good, "a=rtcp-mux\r\n", "")), "no_rtcp_mux");
  EXPECT_EQ(codeOf(replaceAll(good, "a=group:BUNDLE a0 v0", "a=group:BUNDLE a0")), "no_bundle");
}

TEST(OfferBuilder, RefusesEmptyOrDuplicateMids) {
  auto sections = subscriberSections();
  sections[1].mid = sections[0].mid;
  EXPECT_THROW(buildOffer(sections, bridgeTransport()), SdpError);
  EXPECT_THROW(buildOffer({}, bridgeTransport()), SdpError);
}

}  // namespace
}  // namespace diemcau::media::sdp
