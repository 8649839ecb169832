#include <gtest/gtest.h>

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "tests/media/sdp/SdpTestData.hpp"

namespace diemcau::media::sdp {
namespace {

using test::bridgeTransport;
using test::readSdpFile;
using test::replaceAll;

Answer answerFile(std::string_view name) {
  return negotiateAnswer(parseSdp(readSdpFile(name)), bridgeTransport(), MediaCapabilities::defaults());
}

TEST(Negotiator, ChromeAudioVideo) {
  const Answer answer = answerFile("chrome-audio-video.sdp");
  ASSERT_EQ(answer.negotiated().size(), 2u);
  const NegotiatedMedia* audio = answer.find("0");
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->kind, MediaKind::Audio);
  EXPECT_EQ(audio->payloadType, 111);
  EXPECT_EQ(audio->codecName, "opus");
  EXPECT_EQ(audio->clockRate, 48000u);
  EXPECT_EQ(audio->channels, 2);
  EXPECT_EQ(audio->fmtp, "minptime=10;useinbandfec=1");
  EXPECT_FALSE(audio->rtxPayloadType.has_value());
  EXPECT_EQ(audio->extensionId(uri::kAudioLevel), 1);
  EXPECT_EQ(audio->extensionId(uri::kAbsSendTime), 2);
  EXPECT_EQ(audio->extensionId(uri::kTransportWideCc), 3);
  EXPECT_EQ(audio->extensionId(uri::kMid), 4);
  EXPECT_TRUE(audio->feedback.transportCc);
  EXPECT_FALSE(audio->feedback.nack);
  EXPECT_EQ(audio->remoteSsrcs.size(), 1u);
  EXPECT_EQ(audio->direction, Direction::SendRecv);

  const NegotiatedMedia* video = answer.find("1");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->payloadType, 96);
  EXPECT_EQ(video->codecName, "VP8");
  EXPECT_EQ(video->rtxPayloadType, 97);
  EXPECT_EQ(video->extensionId(uri::kRid), 10);
  EXPECT_EQ(video->extensionId(uri::kRepairedRid), 11);
  EXPECT_FALSE(video->extensionId("urn:ietf:params:rtp-hdrext:toffset").has_value());
  EXPECT_TRUE(video->feedback.nack);
  EXPECT_TRUE(video->feedback.pli);
  EXPECT_TRUE(video->feedback.fir);
  EXPECT_TRUE(video->feedback.remb);
  EXPECT_TRUE(video->feedback.transportCc);
  EXPECT_EQ(video->remoteSsrcs.size(), 2u);
  ASSERT_EQ(video->remoteSsrcGroups.size(), 1u);
  EXPECT_EQ(video->remoteSsrcGroups[0].semantics, "FID");
}

TEST(Negotiator, AnswerReparsesWithTheNegotiatedValues) {
  const Answer answer = answerFile("chrome-audio-video.sdp");
  const std::string text = answer.toSdp();
  EXPECT_NE(text.find("\r\n"), std::string::npos);
  EXPECT_EQ(text.find("\n\n"), std::string::npos);
  const SessionDescription parsed = parseSdp(text);
  EXPECT_TRUE(parsed.iceLite);
  EXPECT_EQ(parsed.bundleMids, (std::vector<std::string>{"0", "1"}));
  ASSERT_EQ(parsed.media.size(), 2u);
  const MediaSection& audio = parsed.media[0];
  EXPECT_EQ(audio.setup, SetupRole::Passive);
  EXPECT_EQ(audio.iceUfrag, "brdg");
  EXPECT_EQ(audio.icePwd, "bridgepassword0123456789");
  EXPECT_EQ(audio.fingerprint->algorithm, "sha-256");
  EXPECT_TRUE(audio.rtcpMux);
  ASSERT_EQ(audio.codecs.size(), 1u);
  EXPECT_EQ(audio.codecs[0].payloadType, 111);
  EXPECT_EQ(audio.codecs[0].fmtpParam("useinbandfec"), "1");
  EXPECT_EQ(audio.codecs[0].fmtpParam("minptime"), "10");
  ASSERT_EQ(audio.candidates.size(), 2u);
  EXPECT_EQ(audio.candidates[1], "2 1 tcp 1518280447 127.0.0.1 40001 typ host tcptype passive");
  EXPECT_TRUE(audio.endOfCandidates);
  const MediaSection& video = parsed.media[1];
  EXPECT_TRUE(video.candidates.empty());
  ASSERT_EQ(video.codecs.size(), 2u);
  EXPECT_EQ(video.codecs[0].name, "VP8");
  EXPECT_EQ(video.codecs[0].rtxPayloadType, 97);
  EXPECT_EQ(video.codecs[1].fmtp, "apt=96");
  EXPECT_EQ(video.extensions.size(), 5u);
  EXPECT_EQ(video.findExtension(uri::kTransportWideCc)->id, 3);
}

TEST(Negotiator, ChromeSimulcastMirrorsRidsAndDirection) {
  const Answer answer = answerFile("chrome-simulcast.sdp");
  const NegotiatedMedia* video = answer.find("1");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->direction, Direction::RecvOnly);
  ASSERT_EQ(video->rids.size(), 3u);
  EXPECT_EQ(video->rids[2].id, "f");
  const MediaSection& section = answer.description().media[1];
  EXPECT_EQ(section.simulcast, "recv q;h;f");
  ASSERT_EQ(section.rids.size(), 3u);
  EXPECT_EQ(section.rids[0].direction, Direction::RecvOnly);
  const SessionDescription reparsed = parseSdp(answer.toSdp());
  EXPECT_EQ(reparsed.media[1].direction, Direction::RecvOnly);
  EXPECT_EQ(reparsed.media[1].simulcast, "recv q;h;f");
  EXPECT_EQ(reparsed.media[1].rids.at(1).id, "h");
  EXPECT_EQ(reparsed.media[0].direction, Direction::RecvOnly);
}

TEST(Negotiator, FirefoxAudioVideo) {
  const Answer answer = answerFile("firefox-audio-video.sdp");
  const NegotiatedMedia* audio = answer.find("0");
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->payloadType, 109);
  EXPECT_EQ(audio->extensionId(uri::kAudioLevel), 1);
  EXPECT_EQ(audio->extensionId(uri::kMid), 3);
  EXPECT_EQ(audio->extensionId(uri::kTransportWideCc), 7);
  EXPECT_FALSE(audio->extensionId("urn:ietf:params:rtp-hdrext:csrc-audio-level").has_value());
  const NegotiatedMedia* video = answer.find("1");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->payloadType, 120);
  EXPECT_EQ(video->codecName, "VP8");
  EXPECT_EQ(video->rtxPayloadType, 124);
  EXPECT_EQ(video->extensionId(uri::kAbsSendTime), 4);
  EXPECT_TRUE(video->feedback.remb);
  EXPECT_EQ(parseSdp(answer.toSdp()).media.size(), 2u);
}

TEST(Negotiator, FirefoxSimulcast) {
  const Answer answer = answerFile("firefox-simulcast.sdp");
  const NegotiatedMedia* video = answer.find("1");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->rids.size(), 3u);
  EXPECT_EQ(video->remoteSsrcGroups.size(), 3u);
  EXPECT_EQ(video->extensionId(uri::kRid), 9);
  EXPECT_EQ(video->extensionId(uri::kRepairedRid), 10);
  // The offer's a=extmap:9/sendonly becomes recvonly in the answer.
  const MediaSection& section = answer.description().media[1];
  ASSERT_NE(section.findExtension(uri::kRid), nullptr);
  EXPECT_EQ(section.findExtension(uri::kRid)->direction, Direction::RecvOnly);
  EXPECT_EQ(section.simulcast, "recv q;h;f");
}

TEST(Negotiator, WebrtcbinBundleOnlyAudioIsAccepted) {
  const Answer answer = answerFile("webrtcbin-vp8-opus.sdp");
  ASSERT_EQ(answer.negotiated().size(), 2u);
  const NegotiatedMedia* video = answer.find("video0");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->payloadType, 96);
  EXPECT_FALSE(video->rtxPayloadType.has_value());
  EXPECT_TRUE(video->feedback.pli);
  EXPECT_FALSE(video->feedback.remb);
  const NegotiatedMedia* audio = answer.find("audio1");
  ASSERT_NE(audio, nullptr);
  EXPECT_EQ(audio->payloadType, 97);
  EXPECT_EQ(audio->codecName, "OPUS");
  EXPECT_EQ(answer.description().media[1].port, 9);
  EXPECT_EQ(answer.description().bundleMids, (std::vector<std::string>{"video0", "audio1"}));
}

// Offer of the project's own webrtcbin peer (tests/peers), committed beside the captures.
TEST(Negotiator, WebrtcbinPeerOffer) {
  const Answer answer = answerFile("webrtcbin-peer-offer.sdp");
  ASSERT_FALSE(answer.negotiated().empty());
  for (const auto& media : answer.negotiated()) {
    EXPECT_TRUE(media.codecName == "VP8" || media.codecName == "H264" || media.codecName == "OPUS" ||
                media.codecName == "opus")
        << media.codecName;
  }
  EXPECT_EQ(parseSdp(answer.toSdp()).media.size(), parseSdp(readSdpFile("webrtcbin-peer-offer.sdp")).media.size());
}

TEST(Negotiator, ChoosesH264WhenOfferedFirstInPacketizationMode1) {
  std::string text = readSdpFile("chrome-audio-video.sdp");
  // Move VP8 and its RTX to the end of the m-line: the first supported codec is now H.264 102.
  text = replaceAll(text, "SAVPF 96 97 102 103", "SAVPF 102 103");
  text = replaceAll(text, " 118 119 120\r\n", " 118 119 120 96 97\r\n");
  const Answer answer = negotiateAnswer(parseSdp(text), bridgeTransport(), MediaCapabilities::defaults());
  const NegotiatedMedia* video = answer.find("1");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->codecName, "H264");
  EXPECT_EQ(video->payloadType, 102);
  EXPECT_EQ(video->rtxPayloadType, 103);
  EXPECT_NE(video->fmtp.find("profile-level-id=42001f"), std::string::npos);
  EXPECT_NE(video->fmtp.find("packetization-mode=1"), std::string::npos);
}

TEST(Negotiator, DirectionsAndSetupRolesAreMirrored) {
  const std::string base = readSdpFile("chrome-audio-video.sdp");
  std::string text = replaceAll(base, "a=sendrecv", "a=sendonly");
  text = replaceAll(text, "a=setup:actpass", "a=setup:passive");
  Answer answer = negotiateAnswer(parseSdp(text), bridgeTransport(), MediaCapabilities::defaults());
  EXPECT_EQ(answer.description().media[0].direction, Direction::RecvOnly);
  EXPECT_EQ(answer.description().media[0].setup, SetupRole::Active);

  text = replaceAll(base, "a=sendrecv", "a=recvonly");
  text = replaceAll(text, "a=setup:actpass", "a=setup:active");
  answer = negotiateAnswer(parseSdp(text), bridgeTransport(), MediaCapabilities::defaults());
  EXPECT_EQ(answer.find("1")->direction, Direction::SendOnly);
  EXPECT_EQ(answer.description().media[1].setup, SetupRole::Passive);
}

TEST(Negotiator, DataChannelAndUnknownKindsAreRejectedNotFatal) {
  std::string text = readSdpFile("chrome-audio-video.sdp");
  text = replaceAll(text, "a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2 3");
  text += "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n"
          "a=sctp-port:5000\r\n"
          "m=text 9 UDP/TLS/RTP/SAVPF 98\r\nc=IN IP4 0.0.0.0\r\na=mid:3\r\na=rtcp-mux\r\n";
  const Answer answer = negotiateAnswer(parseSdp(text), bridgeTransport(), MediaCapabilities::defaults());
  EXPECT_EQ(answer.negotiated().size(), 2u);
  EXPECT_EQ(answer.description().bundleMids, (std::vector<std::string>{"0", "1"}));
  const SessionDescription reparsed = parseSdp(answer.toSdp());
  ASSERT_EQ(reparsed.media.size(), 4u);
  EXPECT_EQ(reparsed.media[2].kind, MediaKind::Application);
  EXPECT_EQ(reparsed.media[2].port, 0);
  EXPECT_EQ(reparsed.media[2].mid, "2");
  EXPECT_EQ(reparsed.media[2].formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_EQ(reparsed.media[3].kindName, "text");
  EXPECT_TRUE(reparsed.media[3].isRejected());
}

TEST(Negotiator, AddSendStreamWritesSsrcLinesAndFidGroup) {
  Answer answer = answerFile("chrome-audio-video.sdp");
  answer.addSendStream("1", SendStream{1111, 2222, "bridge", "hall", "hall-video"});
  answer.addSendStream("0", SendStream{3333, std::nullopt, "bridge", "hall", "hall-audio"});
  EXPECT_THROW(answer.addSendStream("9", SendStream{1, std::nullopt, "x", "y", "z"}), SdpError);
  const SessionDescription reparsed = parseSdp(answer.toSdp());
  const MediaSection& video = reparsed.media[1];
  ASSERT_EQ(video.ssrcs.size(), 2u);
  EXPECT_EQ(video.ssrcs[0].ssrc, 1111u);
  EXPECT_EQ(video.ssrcs[0].cname, "bridge");
  EXPECT_EQ(video.ssrcs[0].msid, "hall hall-video");
  EXPECT_EQ(video.msid, "hall hall-video");
  ASSERT_EQ(video.ssrcGroups.size(), 1u);
  EXPECT_EQ(video.ssrcGroups[0].semantics, "FID");
  EXPECT_EQ(video.ssrcGroups[0].ssrcs, (std::vector<uint32_t>{1111, 2222}));
  EXPECT_EQ(reparsed.media[0].ssrcs.size(), 1u);
  EXPECT_TRUE(reparsed.media[0].ssrcGroups.empty());
}

}  // namespace
}  // namespace diemcau::media::sdp
