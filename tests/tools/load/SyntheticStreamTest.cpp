#include "tools/load/SyntheticStream.hpp"

#include <gtest/gtest.h>

#include <array>

#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::load {
namespace {

using media::rtp::RtpPacket;

SyntheticStream::Params video() {
  return SyntheticStream::Params{StreamKind::Video, 96, 0x11223344, 90000, 3, 1, 1000};
}

TEST(SyntheticStream, AudioPacketIsOpusSizedAndStamped) {
  SyntheticStream stream({StreamKind::Audio, 111, 0xCAFEBABE, 48000, 5, 0, 100});
  std::array<uint8_t, 1500> buffer{};
  const size_t len = stream.nextAudio(buffer, 1234);
  ASSERT_EQ(len, 12u + 100u);
  // 80 6F ....: V=2, no marker, PT 111; SSRC at bytes 8..11.
  EXPECT_EQ(buffer[0], 0x80);
  EXPECT_EQ(buffer[1], 0x6F);
  auto packet = RtpPacket::parse(buffer.data(), len);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->ssrc(), 0xCAFEBABEu);
  const auto stamp = PayloadStamp::readFrom(packet->payload());
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sourceSlot, 5);
  EXPECT_EQ(stamp->kind, StreamKind::Audio);
  EXPECT_EQ(stamp->sequence, 1u);
  EXPECT_EQ(stamp->sentNs, 1234);

  const uint32_t firstTimestamp = packet->timestamp();
  const uint16_t firstSequence = packet->sequence();
  ASSERT_EQ(stream.nextAudio(buffer, 5678), len);
  packet = RtpPacket::parse(buffer.data(), len);
  EXPECT_EQ(packet->timestamp() - firstTimestamp, 960u);  // 20 ms at 48 kHz
  EXPECT_EQ(static_cast<uint16_t>(packet->sequence() - firstSequence), 1);
  EXPECT_EQ(stream.lastSequence(), 2u);
}

TEST(SyntheticStream, AudioCarriesTheLevelItWasGiven) {
  SyntheticStream stream({StreamKind::Audio, 111, 0xCAFEBABE, 48000, 5, 0, 100});
  stream.setAudioLevel(1, 30, true);
  std::array<uint8_t, 1500> buffer{};
  const size_t len = stream.nextAudio(buffer, 99);
  ASSERT_EQ(len, 12u + 8u + 100u);
  // 90 6F: X set; then BE DE 00 01 (one-byte form, one word) and 10 9E 00 00: ID 1, L=0,
  // V=1 level 30 (0x80 | 0x1E), two bytes of padding.
  EXPECT_EQ(buffer[0], 0x90);
  const uint8_t extension[] = {0xBE, 0xDE, 0x00, 0x01, 0x10, 0x9E, 0x00, 0x00};
  EXPECT_TRUE(std::equal(std::begin(extension), std::end(extension), buffer.begin() + 12));
  auto packet = RtpPacket::parse(buffer.data(), len);
  ASSERT_TRUE(packet);
  const auto level = packet->audioLevel(1);
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice);
  EXPECT_EQ(level->level, 30);
  const auto stamp = PayloadStamp::readFrom(packet->payload());
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sentNs, 99);
  EXPECT_EQ(packet->payload().size(), 100u);

  // Silence: no voice, -127 dBov. An invalid ID turns the extension off.
  stream.setAudioLevel(1, 127, false);
  stream.nextAudio(buffer, 100);
  EXPECT_EQ(buffer[17], 0x7F);
  stream.setAudioLevel(15, 30, true);
  EXPECT_EQ(stream.nextAudio(buffer, 101), 12u + 100u);
  EXPECT_EQ(buffer[0], 0x80);
}

TEST(SyntheticStream, KeyFrameStartsWithAVp8KeyFrameHeader) {
  SyntheticStream stream(video());
  std::array<uint8_t, 1500> buffer{};
  size_t len = stream.nextVideo(buffer, 0, 3, /*keyframe=*/true, 1);
  ASSERT_EQ(len, 12u + 1000u);
  // Descriptor 90 80 80 00: X=1 S=1 PID=0 | I=1 | M=1 picture id 0; then frame tag 10 00 00 (P=0)
  // and the key frame start code 9d 01 2a.
  const uint8_t expected[] = {0x90, 0x80, 0x80, 0x00, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A};
  EXPECT_TRUE(std::equal(std::begin(expected), std::end(expected), buffer.begin() + 12));
  auto packet = RtpPacket::parse(buffer.data(), len);
  ASSERT_TRUE(packet);
  EXPECT_FALSE(packet->marker());
  EXPECT_TRUE(media::rtp::isVp8Keyframe(packet->payload()));
  EXPECT_EQ(media::rtp::vp8PictureId(packet->payload()), 0);

  // The middle packet continues the frame (S=0): not a key frame start.
  len = stream.nextVideo(buffer, 1, 3, true, 2);
  packet = RtpPacket::parse(buffer.data(), len);
  EXPECT_FALSE(media::rtp::isVp8Keyframe(packet->payload()));
  EXPECT_FALSE(packet->marker());
  // The last packet carries the marker bit.
  len = stream.nextVideo(buffer, 2, 3, true, 3);
  packet = RtpPacket::parse(buffer.data(), len);
  EXPECT_TRUE(packet->marker());
  const uint32_t keyTimestamp = packet->timestamp();
  stream.endFrame(33);

  // The next frame is an inter frame (P=1) with the next picture id and a later timestamp.
  len = stream.nextVideo(buffer, 0, 1, /*keyframe=*/false, 4);
  packet = RtpPacket::parse(buffer.data(), len);
  EXPECT_EQ(buffer[12 + 4], 0x11);  // frame tag: show_frame, P=1
  EXPECT_FALSE(media::rtp::isVp8Keyframe(packet->payload()));
  EXPECT_EQ(media::rtp::vp8PictureId(packet->payload()), 1);
  EXPECT_EQ(packet->timestamp() - keyTimestamp, 33u * 90u);
  EXPECT_TRUE(packet->marker());
  const auto stamp = PayloadStamp::readFrom(packet->payload());
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->sequence, 4u);
  EXPECT_EQ(stamp->kind, StreamKind::Video);
  EXPECT_EQ(stamp->generation, 1);
}

TEST(SyntheticStream, RefusesABufferTooSmall) {
  SyntheticStream stream(video());
  std::array<uint8_t, 100> small{};
  EXPECT_EQ(stream.nextVideo(small, 0, 1, true, 0), 0u);
  EXPECT_EQ(stream.lastSequence(), 0u);
}

}  // namespace
}  // namespace diemcau::load
