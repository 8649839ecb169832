#include <gtest/gtest.h>

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "tests/media/sdp/SdpTestData.hpp"

namespace diemcau::media::sdp {
namespace {

using test::readSdpFile;
using test::replaceAll;

SdpErrorCode errorOf(std::string_view text) {
  try {
    parseSdp(text);
  } catch (const SdpError& error) {
    return error.code();
  }
  ADD_FAILURE() << "parsed without error";
  return SdpErrorCode::InvalidAnswer;
}

TEST(SdpParser, ChromeAudioVideoOffer) {
  const SessionDescription offer = parseSdp(readSdpFile("chrome-audio-video.sdp"));
  EXPECT_EQ(offer.bundleMids, (std::vector<std::string>{"0", "1"}));
  EXPECT_TRUE(offer.extmapAllowMixed);
  ASSERT_EQ(offer.media.size(), 2u);
  const MediaSection& audio = offer.media[0];
  EXPECT_EQ(audio.kind, MediaKind::Audio);
  EXPECT_EQ(audio.mid, "0");
  EXPECT_EQ(audio.direction, Direction::SendRecv);
  EXPECT_TRUE(audio.rtcpMux);
  EXPECT_TRUE(audio.rtcpRsize);
  EXPECT_EQ(audio.setup, SetupRole::ActPass);
  ASSERT_TRUE(audio.fingerprint.has_value());
  EXPECT_EQ(audio.fingerprint->algorithm, "sha-256");
  EXPECT_EQ(audio.fingerprint->value.size(), 95u);
  EXPECT_GE(audio.iceUfrag.size(), 4u);
  ASSERT_FALSE(audio.codecs.empty());
  EXPECT_EQ(audio.codecs[0].payloadType, 111);
  EXPECT_EQ(audio.codecs[0].name, "opus");
  EXPECT_EQ(audio.codecs[0].clockRate, 48000u);
  EXPECT_EQ(audio.codecs[0].channels, 2);
  EXPECT_EQ(audio.codecs[0].fmtpParam("useinbandfec"), "1");
  EXPECT_TRUE(audio.codecs[0].hasFeedback("transport-cc"));
  ASSERT_NE(audio.findExtension(uri::kAudioLevel), nullptr);
  EXPECT_EQ(audio.findExtension(uri::kAudioLevel)->id, 1);
  ASSERT_EQ(audio.ssrcs.size(), 1u);
  EXPECT_FALSE(audio.ssrcs[0].cname.empty());
  EXPECT_EQ(audio.ssrcs[0].msid.substr(0, 2), "- ");

  const MediaSection& video = offer.media[1];
  EXPECT_EQ(video.kind, MediaKind::Video);
  const RtpCodec* vp8 = video.findCodec(96);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->name, "VP8");
  EXPECT_EQ(vp8->rtxPayloadType, 97);
  EXPECT_TRUE(vp8->hasFeedback("nack pli"));
  ASSERT_NE(video.findCodec(97), nullptr);
  EXPECT_TRUE(video.findCodec(97)->isRtx());
  EXPECT_EQ(video.findExtension(uri::kRid)->id, 10);
  EXPECT_EQ(video.ssrcGroups.size(), 1u);
  EXPECT_EQ(video.ssrcGroups[0].semantics, "FID");
}

TEST(SdpParser, ChromeSimulcastRids) {
  const SessionDescription offer = parseSdp(readSdpFile("chrome-simulcast.sdp"));
  const MediaSection& video = offer.media.at(1);
  EXPECT_EQ(video.direction, Direction::SendOnly);
  ASSERT_EQ(video.rids.size(), 3u);
  EXPECT_EQ(video.rids[0].id, "q");
  EXPECT_EQ(video.rids[0].direction, Direction::SendOnly);
  EXPECT_EQ(video.simulcast, "send q;h;f");
}

TEST(SdpParser, FirefoxOfferHasSessionFingerprintAndExtmapDirections) {
  const SessionDescription offer = parseSdp(readSdpFile("firefox-audio-video.sdp"));
  ASSERT_TRUE(offer.fingerprint.has_value());
  EXPECT_FALSE(offer.media[0].fingerprint.has_value());
  EXPECT_NE(offer.effectiveFingerprint(offer.media[0]), nullptr);
  const HeaderExtension* csrcLevel = offer.media[0].findExtension("urn:ietf:params:rtp-hdrext:csrc-audio-level");
  ASSERT_NE(csrcLevel, nullptr);
  EXPECT_EQ(csrcLevel->direction, Direction::RecvOnly);
  EXPECT_EQ(offer.media[1].findCodec(120)->rtxPayloadType, 124);
}

TEST(SdpParser, WebrtcbinBundleOnlySectionIsNotRejected) {
  const SessionDescription offer = parseSdp(readSdpFile("webrtcbin-vp8-opus.sdp"));
  ASSERT_EQ(offer.media.size(), 2u);
  EXPECT_EQ(offer.media[1].port, 0);
  EXPECT_TRUE(offer.media[1].bundleOnly);
  EXPECT_FALSE(offer.media[1].isRejected());
  EXPECT_TRUE(offer.media[1].rtcpMuxOnly);
  EXPECT_EQ(offer.media[1].codecs.at(0).name, "OPUS");
}

TEST(SdpParser, PrefersSha256AmongSeveralFingerprints) {
  std::string text = readSdpFile("firefox-audio-video.sdp");
  const size_t line = text.find("a=fingerprint:sha-256");
  text.insert(line, "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\n");
  text.insert(text.find("\r\n", text.find("a=fingerprint:sha-256")) + 2,
              "a=fingerprint:sha-512 00:11\r\n");
  const SessionDescription offer = parseSdp(text);
  ASSERT_TRUE(offer.fingerprint.has_value());
  EXPECT_EQ(offer.fingerprint->algorithm, "sha-256");
  // Only sha-1 given: kept as is, so negotiation can say why it refuses.
  const SessionDescription sha1 =
      parseSdp(replaceAll(readSdpFile("firefox-audio-video.sdp"), "a=fingerprint:sha-256", "a=fingerprint:SHA-1"));
  EXPECT_EQ(sha1.fingerprint->algorithm, "sha-1");
}

TEST(SdpParser, WildcardRtcpFbAppliesToEveryCodec) {
  const std::string text = replaceAll(readSdpFile("webrtcbin-vp8-opus.sdp"), "a=rtcp-fb:96 nack pli",
                                      "a=rtcp-fb:* nack");
  const SessionDescription offer = parseSdp(text);
  EXPECT_TRUE(offer.media[0].findCodec(96)->hasFeedback("nack"));
  EXPECT_FALSE(offer.media[0].findCodec(96)->hasFeedback("nack pli"));
}

TEST(SdpParser, LfAndCrlfGiveTheSameModel) {
  const std::string crlf = readSdpFile("chrome-audio-video.sdp");
  const std::string lf = replaceAll(crlf, "\r\n", "\n");
  const SessionDescription a = parseSdp(crlf);
  const SessionDescription b = parseSdp(lf);
  ASSERT_EQ(a.media.size(), b.media.size());
  EXPECT_EQ(a.media[1].codecs.size(), b.media[1].codecs.size());
  EXPECT_EQ(a.media[0].icePwd, b.media[0].icePwd);
  EXPECT_EQ(a.media[1].ssrcs.size(), b.media[1].ssrcs.size());
}

TEST(SdpParser, RejectsGarbage) {
  EXPECT_EQ(errorOf(""), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf("hello world"), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf("v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\n"), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf("v=0\r\nthis is not sdp\r\n"), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(std::string("v=0\r\ns=-\0\r\n", 11)), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf("\x16\x03\x01\x02\x00"), SdpErrorCode::ParseError);
}

TEST(SdpParser, RejectsMalformedAttributesWeRelyOn) {
  const std::string base = readSdpFile("chrome-audio-video.sdp");
  EXPECT_EQ(errorOf(replaceAll(base, "a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus")), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(replaceAll(base, "a=rtpmap:111 ", "a=rtpmap:300 ")), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(replaceAll(base, "a=extmap:1 ", "a=extmap:0 ")), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(replaceAll(base, "a=extmap:1 ", "a=extmap:x ")), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(replaceAll(base, "a=setup:actpass", "a=setup:holdconn")), SdpErrorCode::ParseError);
  EXPECT_EQ(errorOf(replaceAll(base, "m=audio 9 UDP/TLS/RTP/SAVPF 111 ", "m=audio 9 UDP/TLS/RTP/SAVPF opus ")),
            SdpErrorCode::ParseError);
}

TEST(SdpParser, RejectsOversizedInput) {
  std::string big = readSdpFile("chrome-audio-video.sdp");
  while (big.size() <= kMaxSdpBytes) big += "a=x-padding:0123456789abcdef0123456789abcdef\r\n";
  EXPECT_EQ(errorOf(big), SdpErrorCode::TooLarge);
}

TEST(SdpParser, RejectsTooManyMediaSections) {
  std::string text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  for (size_t i = 0; i <= kMaxMediaSections; ++i) {
    text += "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:" + std::to_string(i) + "\r\n";
  }
  EXPECT_EQ(errorOf(text), SdpErrorCode::TooLarge);
  // One fewer is fine.
  text = text.substr(0, text.rfind("m=audio"));
  EXPECT_EQ(parseSdp(text).media.size(), kMaxMediaSections);
}

TEST(SdpParser, ErrorCarriesCodeNameAndSentence) {
  try {
    parseSdp("nonsense");
    FAIL();
  } catch (const SdpError& error) {
    EXPECT_EQ(error.codeName(), "parse_error");
    EXPECT_NE(std::string(error.what()).find("line 1"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace diemcau::media::sdp
