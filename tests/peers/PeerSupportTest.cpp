// The meeting peer's plain parts: the --actions script, the SDP facts it reads from the
// bridge's subscriber offers, and the per-participant counters the integration tests judge.
#include "tests/peers/ActionScript.hpp"
#include "tests/peers/JoinTimeline.hpp"
#include "tests/peers/ReceiveCounters.hpp"
#include "tests/peers/SdpSections.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace diemcau::peers {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST(ActionScript, ReadsEveryActionSortedByTime) {
  const auto actions = parseActionScript(
      "# chair script\n"
      "8 end\n"
      "2.5 floor.give lang-can\n"
      "  4 mute lang-can true\r\n"
      "5 unmute lang-can\n"
      "6 spotlight null\n"
      "7 lock false\n"
      "3 chat xin chao # not a comment\n"
      "1 send {\"type\":\"floor.take\",\"x\":1}\n"
      "\n",
      "script");
  ASSERT_EQ(actions.size(), 8u);
  EXPECT_EQ(actions[0].request, json({{"type", "floor.take"}, {"x", 1}}));
  EXPECT_DOUBLE_EQ(actions[1].atSeconds, 2.5);
  EXPECT_EQ(actions[1].request, json({{"type", "floor.give"}, {"participant", "lang-can"}}));
  EXPECT_EQ(actions[2].request, json({{"type", "chat"}, {"text", "xin chao # not a comment"}}));
  EXPECT_EQ(actions[3].request, json({{"type", "mute"}, {"participant", "lang-can"}, {"muted", true}}));
  EXPECT_EQ(actions[4].request, json({{"type", "mute"}, {"participant", "lang-can"}, {"muted", false}}));
  EXPECT_EQ(actions[5].request, json({{"type", "spotlight"}, {"participant", nullptr}}));
  EXPECT_EQ(actions[6].request, json({{"type", "lock"}, {"locked", false}}));
  EXPECT_EQ(actions[7].request, json({{"type", "end"}}));
  EXPECT_EQ(actions[7].text, "8 end");
}

TEST(ActionScript, RefusesWhatItCannotRead) {
  EXPECT_THROW(parseActionScript("soon leave\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("3\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("3 dance\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("3 remove\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("3 mute x maybe\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("3 send [1]\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("-1 leave\n", "s"), std::invalid_argument);
  EXPECT_THROW(parseActionScript("5000 leave\n", "s"), std::invalid_argument);
  try {
    parseActionScript("1 leave\n2 fly\n", "chair.txt");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("chair.txt:2"), std::string::npos) << e.what();
  }
}

TEST(SdpSections, ReadsMidMsidAndDirectionPerSection) {
  // Shaped like the bridge's subscriber offer: a section per forwarded track, the msid stream
  // id naming the publishing participant, a freed section left inactive.
  const std::string sdp =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1 2\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\na=msid:huyen huyen.a\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=msid:xa-a xa-a.v\r\na=sendonly\r\n"
      "m=video 0 UDP/TLS/RTP/SAVPF 96\r\na=mid:2\r\na=inactive\r\n";
  const auto sections = readSdpSections(sdp);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].kind, "audio");
  EXPECT_EQ(sections[0].mid, "0");
  EXPECT_EQ(sections[0].streamId, "huyen");
  EXPECT_EQ(sections[0].direction, "sendonly");
  EXPECT_EQ(sections[1].kind, "video");
  EXPECT_EQ(sections[1].streamId, "xa-a");
  EXPECT_FALSE(sections[1].rejected);
  EXPECT_EQ(sections[2].direction, "inactive");
  EXPECT_TRUE(sections[2].streamId.empty());
  EXPECT_TRUE(sections[2].rejected);
}

TEST(SdpSections, SessionDirectionIsTheDefault) {
  const auto sections = readSdpSections("v=0\na=recvonly\nm=audio 9 RTP/AVP 0\nm=video 9 RTP/AVP 96\na=sendrecv\n");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].direction, "recvonly");
  EXPECT_EQ(sections[1].direction, "sendrecv");
  EXPECT_TRUE(readSdpSections("not sdp at all").empty());
}

TEST(SdpSections, ReadsEachSectionsSsrcsOnce) {
  // The bridge names the SSRC it sends each track under with a line per attribute (RFC 5576
  // section 4.1); the peer tells an audio stream's jitter buffer from a video one's by it.
  const std::string sdp =
      "v=0\r\nt=0 0\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
      "a=ssrc:3629945901 cname:xa-b\r\na=ssrc:3629945901 msid:xa-b xa-b.audio\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:1\r\na=ssrc-group:FID 17 4294967295\r\n"
      "a=ssrc:17 cname:xa-a\r\na=ssrc:4294967295 cname:xa-a\r\n"
      // Not an SSRC: too large, not a number, a number running into letters.
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=ssrc:4294967296 cname:x\r\na=ssrc:abc\r\na=ssrc:12x cname:y\r\n";
  const auto sections = readSdpSections(sdp);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].ssrcs, (std::vector<std::uint32_t>{3629945901u}));
  EXPECT_EQ(sections[1].ssrcs, (std::vector<std::uint32_t>{17u, 4294967295u}));
  EXPECT_TRUE(sections[2].ssrcs.empty());
}

TEST(SdpSections, RtxPayloadTypesMapEachMediaTypeToItsRtxType) {
  // As webrtcbin answers the bridge: VP8 96 repaired as 97 in every video section, H264 102 as
  // 103 in one. GStreamer's RTX elements take "original -> retransmission": the other way round,
  // the receiver takes every VP8 packet for a repair and drops it.
  const std::string sdp =
      "v=0\r\nt=0 0\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\na=fmtp:97 apt=96\r\n"
      "a=fmtp:103 apt=102;rtx-time=3000\r\n"
      // Broken: no number, a payload type out of range, apt without a value.
      "a=fmtp:x apt=96\r\na=fmtp:98 apt=300\r\na=fmtp:99 apt=\r\n";
  EXPECT_EQ(rtxPayloadTypes(sdp), (std::map<int, int>{{96, 97}, {102, 103}}));
  EXPECT_TRUE(rtxPayloadTypes("m=audio 9 RTP/AVP 0\r\n").empty());
}

TEST(ReceiveCounters, CountsPerParticipantAndPerSecond) {
  ReceiveCounters counters;
  const auto origin = ReceiveCounters::Clock::now();
  counters.countAudio("xa-a", 960, 48000, origin - milliseconds(10));  // before the origin: no bucket
  counters.setOrigin(origin);
  EXPECT_TRUE(counters.countVideoFrame("huyen", origin + milliseconds(250)));
  EXPECT_FALSE(counters.countVideoFrame("huyen", origin + milliseconds(1999)));
  counters.countAudio("xa-a", 960, 48000, origin + milliseconds(20));
  counters.countAudio("xa-a", 960, 48000, origin + milliseconds(2500));

  const json report = counters.toJson();
  EXPECT_EQ(report["huyen"]["video_frames"], 2);
  EXPECT_EQ(report["huyen"]["first_video_ms"], 250);
  EXPECT_EQ(report["huyen"]["video_frames_per_s"], json({1, 1}));
  EXPECT_EQ(report["huyen"]["audio_samples"], 0);
  EXPECT_TRUE(report["huyen"]["first_audio_ms"].is_null());
  EXPECT_EQ(report["xa-a"]["audio_samples"], 3 * 960);
  EXPECT_EQ(report["xa-a"]["audio_rate"], 48000);
  // A silent second is a zero bucket, which is what a mute test looks for.
  EXPECT_EQ(report["xa-a"]["audio_samples_per_s"], json({960, 0, 960}));
  EXPECT_EQ(counters.totalVideoFrames(), 2u);
  EXPECT_EQ(counters.totalAudioSamples(), 3u * 960u);
  EXPECT_EQ(counters.anyAudioRate(), 48000);
  ASSERT_TRUE(counters.firstVideoAt().has_value());
  EXPECT_EQ(*counters.firstVideoAt(), origin + milliseconds(250));
}

TEST(JoinTimeline, KeepsTheFirstTimeOfEachMilestoneRelativeToTheOrigin) {
  JoinTimeline timeline;
  const auto origin = JoinTimeline::Clock::now();
  EXPECT_TRUE(timeline.mark("pub.offer_created", origin - milliseconds(40)));  // the pipeline starts first
  EXPECT_EQ(timeline.toJson(), json::object());                                // nothing to count from yet
  timeline.setOrigin(origin);
  EXPECT_TRUE(timeline.mark("sub.offer_received", origin + milliseconds(12)));
  EXPECT_FALSE(timeline.mark("sub.offer_received", origin + milliseconds(900)));  // a renegotiation
  EXPECT_TRUE(timeline.mark("video_decoded.huyen", origin + milliseconds(310)));
  EXPECT_TRUE(timeline.has("video_decoded.huyen"));
  EXPECT_FALSE(timeline.has("video_decoded.xa-a"));
  EXPECT_EQ(timeline.toJson(),
            json({{"pub.offer_created", -40}, {"sub.offer_received", 12}, {"video_decoded.huyen", 310}}));
}

}  // namespace
}  // namespace diemcau::peers
