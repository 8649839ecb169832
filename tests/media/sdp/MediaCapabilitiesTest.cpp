#include <gtest/gtest.h>

#include "media/sdp/MediaCapabilities.hpp"

namespace diemcau::media::sdp {
namespace {

RtpCodec h264(const std::string& fmtp) { return RtpCodec{102, "H264", 90000, 0, fmtp, {}, {}}; }

struct H264Case {
  const char* fmtp;
  bool forwardable;
};

class H264Profiles : public ::testing::TestWithParam<H264Case> {};

TEST_P(H264Profiles, OnlyBaselineFamilyInMode1) {
  EXPECT_EQ(isForwardableH264(h264(GetParam().fmtp)), GetParam().forwardable) << GetParam().fmtp;
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6184, H264Profiles,
    ::testing::Values(H264Case{"level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", true},
                      H264Case{"packetization-mode=1;profile-level-id=42e01f", true},   // constrained baseline
                      H264Case{"packetization-mode=1;profile-level-id=42C01F", true},   // upper-case hex
                      H264Case{"packetization-mode=1;profile-level-id=4d401f", false},  // main, set1 only
                      H264Case{"packetization-mode=1;profile-level-id=4d801f", true},   // CB via main + set0
                      H264Case{"packetization-mode=1;profile-level-id=4d001f", false},  // main
                      H264Case{"packetization-mode=1;profile-level-id=64001f", false},  // high
                      H264Case{"packetization-mode=1;profile-level-id=f4001f", false},  // high 4:4:4
                      H264Case{"packetization-mode=0;profile-level-id=42e01f", false},
                      H264Case{"profile-level-id=42e01f", false},                       // mode 0 by default
                      H264Case{"packetization-mode=1", true},                           // 420010 by default
                      H264Case{"packetization-mode=1;profile-level-id=42e01", false},
                      H264Case{"packetization-mode=1;profile-level-id=zze01f", false}));

TEST(MediaCapabilities, MatchesByKindNameClockAndChannels) {
  const MediaCapabilities caps = MediaCapabilities::defaults();
  EXPECT_NE(caps.match(MediaKind::Audio, RtpCodec{111, "opus", 48000, 2, {}, {}, {}}), nullptr);
  EXPECT_NE(caps.match(MediaKind::Audio, RtpCodec{97, "OPUS", 48000, 2, {}, {}, {}}), nullptr);
  EXPECT_EQ(caps.match(MediaKind::Audio, RtpCodec{111, "opus", 48000, 1, {}, {}, {}}), nullptr);
  EXPECT_EQ(caps.match(MediaKind::Video, RtpCodec{111, "opus", 48000, 2, {}, {}, {}}), nullptr);
  EXPECT_EQ(caps.match(MediaKind::Audio, RtpCodec{0, "PCMU", 8000, 0, {}, {}, {}}), nullptr);
  EXPECT_NE(caps.match(MediaKind::Video, RtpCodec{96, "vp8", 90000, 0, {}, {}, {}}), nullptr);
  EXPECT_EQ(caps.match(MediaKind::Video, RtpCodec{96, "VP8", 48000, 0, {}, {}, {}}), nullptr);
  EXPECT_EQ(caps.match(MediaKind::Video, RtpCodec{98, "VP9", 90000, 0, {}, {}, {}}), nullptr);
  const CodecCapability* opus = caps.match(MediaKind::Audio, RtpCodec{111, "opus", 48000, 2, {}, {}, {}});
  ASSERT_NE(opus, nullptr);
  EXPECT_EQ(opus->fmtp, "minptime=10;useinbandfec=1");
}

}  // namespace
}  // namespace diemcau::media::sdp
