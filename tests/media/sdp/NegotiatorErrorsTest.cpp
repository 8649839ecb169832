#include <gtest/gtest.h>

#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "tests/media/sdp/SdpTestData.hpp"

// Each error code of negotiateAnswer, triggered by editing a real captured offer.
namespace diemcau::media::sdp {
namespace {

using test::bridgeTransport;
using test::dropLines;
using test::readSdpFile;
using test::replaceAll;

struct Refusal {
  std::string code;
  std::string sentence;
};

Refusal refuse(const std::string& text) {
  try {
    negotiateAnswer(parseSdp(text), bridgeTransport(), MediaCapabilities::defaults());
  } catch (const SdpError& error) {
    return {std::string(error.codeName()), error.what()};
  }
  ADD_FAILURE() << "the offer was accepted";
  return {};
}

std::string chrome() { return readSdpFile("chrome-audio-video.sdp"); }

TEST(NegotiatorErrors, NoBundle) {
  EXPECT_EQ(refuse(dropLines(chrome(), "a=group:BUNDLE")).code, "no_bundle");
  EXPECT_EQ(refuse(replaceAll(chrome(), "a=group:BUNDLE 0 1", "a=group:BUNDLE 0")).code, "no_bundle");
}

TEST(NegotiatorErrors, NoRtcpMux) {
  const Refusal refusal = refuse(dropLines(chrome(), "a=rtcp-mux"));
  EXPECT_EQ(refusal.code, "no_rtcp_mux");
  EXPECT_NE(refusal.sentence.find("mid 0"), std::string::npos);
}

TEST(NegotiatorErrors, NoFingerprint) {
  EXPECT_EQ(refuse(dropLines(chrome(), "a=fingerprint")).code, "no_fingerprint");
  // Firefox writes it at session level only.
  EXPECT_EQ(refuse(dropLines(readSdpFile("firefox-audio-video.sdp"), "a=fingerprint")).code, "no_fingerprint");
}

TEST(NegotiatorErrors, UnsupportedFingerprint) {
  EXPECT_EQ(refuse(replaceAll(chrome(), "a=fingerprint:sha-256", "a=fingerprint:sha-1")).code,
            "unsupported_fingerprint");
}

TEST(NegotiatorErrors, NoIceCredentials) {
  EXPECT_EQ(refuse(dropLines(chrome(), "a=ice-pwd")).code, "no_ice_credentials");
  EXPECT_EQ(refuse(dropLines(chrome(), "a=ice-ufrag")).code, "no_ice_credentials");
}

TEST(NegotiatorErrors, NoCommonCodecNamesSectionAndOffer) {
  std::string text = readSdpFile("firefox-audio-video.sdp");
  // Video offering only VP9 and AV1 (with their RTX).
  text = replaceAll(text, "SAVPF 120 124 121 125 99 100 123 122 119", "SAVPF 121 125 99 100");
  const Refusal refusal = refuse(text);
  EXPECT_EQ(refusal.code, "no_common_codec");
  EXPECT_NE(refusal.sentence.find("mid 1"), std::string::npos) << refusal.sentence;
  EXPECT_NE(refusal.sentence.find("VP9/90000"), std::string::npos) << refusal.sentence;
  EXPECT_NE(refusal.sentence.find("AV1/90000"), std::string::npos) << refusal.sentence;
}

TEST(NegotiatorErrors, H264MainProfileOrModeZeroIsNotCommon) {
  std::string text = chrome();
  text = replaceAll(text, "SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120",
                    "SAVPF 102 103");
  EXPECT_EQ(refuse(replaceAll(text, "profile-level-id=42001f", "profile-level-id=4d001f")).code, "no_common_codec");
  EXPECT_EQ(refuse(replaceAll(text, "packetization-mode=1;profile-level-id=42001f",
                              "packetization-mode=0;profile-level-id=42001f"))
                .code,
            "no_common_codec");
}

TEST(NegotiatorErrors, NoMedia) {
  const std::string sessionOnly = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n";
  EXPECT_EQ(refuse(sessionOnly).code, "no_media");
  // Every section rejected by the offerer itself (port 0 without bundle-only).
  EXPECT_EQ(refuse(replaceAll(chrome(), "m=audio 9 ", "m=audio 0 ").replace(
                       chrome().find("m=video 9 "), 10, "m=video 0 "))
                .code,
            "no_media");
  const std::string dataOnly = sessionOnly + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n";
  EXPECT_EQ(refuse(dataOnly).code, "no_media");
}

}  // namespace
}  // namespace diemcau::media::sdp
