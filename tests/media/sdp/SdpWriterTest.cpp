#include <gtest/gtest.h>

#include <set>
#include <string>

#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "tests/media/sdp/SdpTestData.hpp"

namespace diemcau::media::sdp {
namespace {

using test::readSdpFile;

// The o= line's session id of a description we write: decimal, positive, below 2^62, fresh each time.
TEST(SdpWriter, ASessionIdIsAFreshPositiveNumberBelowTwoToThe62) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    const std::string id = randomSessionId();
    ASSERT_FALSE(id.empty());
    ASSERT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;
    const uint64_t value = std::stoull(id);
    EXPECT_GE(value, 1u);
    EXPECT_LT(value, uint64_t{1} << 62);
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 60u);
}

TEST(SdpWriter, WritesCrlfLinesInRfcOrder) {
  SessionDescription session;
  session.sessionId = "42";
  session.bundleMids = {"m"};
  MediaSection section;
  section.kind = MediaKind::Audio;
  section.mid = "m";
  section.codecs.push_back(RtpCodec{111, "opus", 48000, 2, "useinbandfec=1", {"transport-cc"}, {}});
  section.rtcpMux = true;
  session.media.push_back(section);
  const std::string text = writeSdp(session);
  EXPECT_EQ(text.substr(0, 5), "v=0\r\n");
  EXPECT_NE(text.find("o=- 42 1 IN IP4 127.0.0.1\r\n"), std::string::npos);
  EXPECT_NE(text.find("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=rtpmap:111 opus/48000/2\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=fmtp:111 useinbandfec=1\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=rtcp-fb:111 transport-cc\r\n"), std::string::npos);
  EXPECT_LT(text.find("a=group:BUNDLE m"), text.find("m=audio"));
  for (size_t pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 1)) {
    ASSERT_GT(pos, 0u);
    EXPECT_EQ(text[pos - 1], '\r');
  }
}

// Every captured offer survives parse -> write -> parse with the same model content.
class SdpRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(SdpRoundTrip, ModelIsStable) {
  const SessionDescription first = parseSdp(readSdpFile(GetParam()));
  const SessionDescription second = parseSdp(writeSdp(first));
  EXPECT_EQ(first.bundleMids, second.bundleMids);
  EXPECT_EQ(first.iceUfrag, second.iceUfrag);
  ASSERT_EQ(first.media.size(), second.media.size());
  for (size_t i = 0; i < first.media.size(); ++i) {
    const MediaSection& a = first.media[i];
    const MediaSection& b = second.media[i];
    EXPECT_EQ(a.mid, b.mid);
    EXPECT_EQ(a.port, b.port);
    EXPECT_EQ(a.direction, b.direction);
    EXPECT_EQ(a.bundleOnly, b.bundleOnly);
    ASSERT_EQ(a.codecs.size(), b.codecs.size());
    for (size_t c = 0; c < a.codecs.size(); ++c) {
      EXPECT_EQ(a.codecs[c].payloadType, b.codecs[c].payloadType);
      EXPECT_EQ(a.codecs[c].name, b.codecs[c].name);
      EXPECT_EQ(a.codecs[c].fmtp, b.codecs[c].fmtp);
      EXPECT_EQ(a.codecs[c].rtcpFb, b.codecs[c].rtcpFb);
      EXPECT_EQ(a.codecs[c].rtxPayloadType, b.codecs[c].rtxPayloadType);
    }
    EXPECT_EQ(a.extensions.size(), b.extensions.size());
    EXPECT_EQ(a.ssrcs.size(), b.ssrcs.size());
    EXPECT_EQ(a.rids.size(), b.rids.size());
    EXPECT_EQ(a.simulcast, b.simulcast);
    EXPECT_EQ(first.effectivePwd(a), second.effectivePwd(b));
  }
}

INSTANTIATE_TEST_SUITE_P(Captured, SdpRoundTrip,
                         ::testing::Values("chrome-audio-video.sdp", "chrome-simulcast.sdp",
                                           "firefox-audio-video.sdp", "firefox-simulcast.sdp",
                                           "webrtcbin-vp8-opus.sdp"));

}  // namespace
}  // namespace diemcau::media::sdp
