// Packets captured from GStreamer 1.22 (tests/data/rtp/capture-gst.py), an RTP stack independent of ours.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "media/rtp/H264Payload.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/Sdes.hpp"
#include "media/rtp/SenderReport.hpp"
#include "media/rtp/TransportCc.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::media::rtp {
namespace {

std::vector<uint8_t> load(const std::string& name) {
  std::ifstream in(std::string(DIEMCAU_TEST_DATA) + "/rtp/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CapturedPackets, Vp8KeyframeAndInterframe) {
  auto key = load("vp8-keyframe-start.rtp");
  auto packet = RtpPacket::parse(key.data(), key.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payloadType(), 96);
  EXPECT_TRUE(isVp8Keyframe(packet->payload()));
  EXPECT_EQ(vp8PictureId(packet->payload()), 0x441D);
  const uint16_t keyPictureId = *vp8PictureId(packet->payload());

  auto continuation = load("vp8-keyframe-continuation.rtp");
  packet = RtpPacket::parse(continuation.data(), continuation.size());
  ASSERT_TRUE(packet);
  EXPECT_FALSE(isVp8Keyframe(packet->payload()));  // S=0
  EXPECT_EQ(vp8PictureId(packet->payload()), keyPictureId);

  auto inter = load("vp8-interframe-start.rtp");
  packet = RtpPacket::parse(inter.data(), inter.size());
  ASSERT_TRUE(packet);
  const auto d = Vp8PayloadDescriptor::parse(packet->payload());
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->startOfPartition);
  EXPECT_FALSE(isVp8Keyframe(packet->payload()));  // P=1
  EXPECT_EQ(vp8PictureId(packet->payload()), keyPictureId + 1);
  EXPECT_TRUE(setVp8PictureId(packet->payload(), 7));
  EXPECT_EQ(vp8PictureId(packet->payload()), 7);
}

TEST(CapturedPackets, H264Keyframes) {
  struct Case {
    const char* file;
    bool keyframe;
  };
  for (const auto& c : {Case{"h264-stap-a-sps-pps.rtp", true}, Case{"h264-fu-a-idr-start.rtp", true},
                        Case{"h264-fu-a-idr-middle.rtp", false}, Case{"h264-fu-a-slice-start.rtp", false}}) {
    auto buf = load(c.file);
    const auto packet = RtpPacket::parse(buf.data(), buf.size());
    ASSERT_TRUE(packet) << c.file;
    EXPECT_EQ(isH264Keyframe(packet->payload()), c.keyframe) << c.file;
  }
}

TEST(CapturedPackets, OpusWithTransportSequence) {
  auto buf = load("opus-exts.rtp");
  auto packet = RtpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->payloadType(), 111);
  EXPECT_EQ(packet->extensionProfile(), RtpPacket::kOneByteProfile);
  EXPECT_EQ(packet->transportSequence(1), 0x0031);
  EXPECT_EQ(packet->headerSize(), 20u);
  EXPECT_TRUE(packet->setTransportSequence(1, 0x1234));
  EXPECT_EQ(packet->transportSequence(1), 0x1234);
}

TEST(CapturedPackets, SenderReportAndSdesCompound) {
  const auto buf = load("sr-sdes.rtcp");
  RtcpCompound compound(buf.data(), buf.size());
  const auto first = compound.next();
  ASSERT_TRUE(first);
  const auto sr = SenderReport::parse(*first);
  ASSERT_TRUE(sr);
  // Same SSRC as the RTP stream captured from that sender.
  auto rtp = load("opus-exts.rtp");
  EXPECT_EQ(sr->ssrc(), RtpPacket::parse(rtp.data(), rtp.size())->ssrc());
  EXPECT_EQ(sr->reportCount(), 0u);
  EXPECT_EQ(sr->packetCount(), 0x79u);

  const auto second = compound.next();
  ASSERT_TRUE(second);
  const auto sdes = Sdes::parse(*second);
  ASSERT_TRUE(sdes);
  auto chunks = sdes->chunks();
  const auto chunk = chunks.next();
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->ssrc, sr->ssrc());
  EXPECT_EQ(chunk->cname.substr(0, 4), "user");
  EXPECT_NE(chunk->cname.find("@host-"), std::string_view::npos);
  EXPECT_FALSE(chunks.next());
  EXPECT_FALSE(chunks.malformed());
  EXPECT_TRUE(compound.complete());
}

TEST(CapturedPackets, TransportCcFeedbackDecodesAndReencodes) {
  const auto buf = load("twcc-feedback.rtcp");
  RtcpCompound compound(buf.data(), buf.size());
  const auto packet = compound.next();
  ASSERT_TRUE(packet);
  const auto twcc = TransportCc::parse(*packet);
  ASSERT_TRUE(twcc);
  EXPECT_EQ(twcc->baseSequence(), 0x4C03);
  EXPECT_EQ(twcc->statusCount(), 19);
  std::vector<TwccPacketStatus> statuses(twcc->statusCount());
  ASSERT_EQ(twcc->decode(statuses), statuses.size());
  EXPECT_TRUE(statuses[0].received);
  EXPECT_EQ(statuses[0].deltaTicks, 0x1A);
  EXPECT_EQ(statuses[1].deltaTicks, 0x0F);
  EXPECT_EQ(statuses[18].sequence, 0x4C03 + 18);

  std::vector<uint8_t> out(256);
  const size_t size = TransportCcWriter::write(out, twcc->senderSsrc(), twcc->mediaSsrc(), twcc->baseSequence(),
                                               twcc->referenceTime(), twcc->feedbackCount(), statuses);
  ASSERT_GT(size, 0u);
  const auto again = TransportCc::parse(*RtcpPacket::parse(out.data(), size));
  ASSERT_TRUE(again);
  std::vector<TwccPacketStatus> decoded(statuses.size());
  ASSERT_EQ(again->decode(decoded), decoded.size());
  EXPECT_EQ(decoded, statuses);
  // Same chunk choice for a single run: the FCI bytes match GStreamer's up to the padding.
  EXPECT_TRUE(std::equal(buf.begin() + 12, buf.begin() + 12 + 8 + 2 + 19, out.begin() + 12));
}

}  // namespace
}  // namespace diemcau::media::rtp
