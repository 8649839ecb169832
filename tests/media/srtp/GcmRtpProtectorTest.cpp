#include "media/srtp/GcmRtpProtector.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "media/srtp/SrtpError.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "tests/media/srtp/LibsrtpReference.hpp"

namespace diemcau::media {
namespace {

// RTP with two CSRCs and a one-byte header extension block (RFC 3550 §5.1, RFC 8285 §4.2): the
// whole header up to the payload is authenticated, not encrypted (RFC 7714 §8.2).
const std::vector<uint8_t> kRtpWithCsrcAndExtension = {
    0x92, 0x60, 0xff, 0xfe,  // V=2, X=1, CC=2, PT=96, seq=65534
    0x00, 0x01, 0x5f, 0x90,  // timestamp=90000
    0xca, 0xfe, 0xba, 0xbe,  // SSRC
    0x00, 0x00, 0x00, 0x01,  // CSRC 1
    0x00, 0x00, 0x00, 0x02,  // CSRC 2
    0xbe, 0xde, 0x00, 0x01,  // one-byte extension profile, 1 word
    0x10, 0xff, 0x00, 0x00,  // id=1 len=1 value=0xff, padding
    0x90, 0x00, 0x00, 0x00,  // VP8 payload descriptor + 3 payload bytes
    0x11, 0x22, 0x33, 0x44,  // payload
};

std::vector<uint8_t> gcmKey(uint8_t seed) {
  std::vector<uint8_t> key(GcmRtpProtector::kMasterKeyLength + GcmRtpProtector::kMasterSaltLength);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed * 13 + i * 7);
  return key;
}

std::vector<uint8_t> withSeq(std::vector<uint8_t> packet, uint16_t seq) {
  packet[2] = static_cast<uint8_t>(seq >> 8);
  packet[3] = static_cast<uint8_t>(seq);
  return packet;
}

// libsrtp's own outbound session: the reference the bytes must match.
test::LibsrtpReference libsrtpSender(std::vector<uint8_t> key) {
  return test::LibsrtpReference(std::move(key), test::LibsrtpReference::Direction::Outbound);
}

std::vector<uint8_t> protectWith(GcmRtpProtector& protector, std::vector<uint8_t> packet) {
  std::size_t len = packet.size();
  packet.resize(len + GcmRtpProtector::kTagLength);
  EXPECT_EQ(protector.protect(packet.data(), len, packet.size()), SrtpResult::Ok);
  EXPECT_EQ(len, packet.size());
  return packet;
}

class GcmRtpProtectorTest : public ::testing::Test {
 protected:
  SrtpLibrary library_;
};

TEST_F(GcmRtpProtectorTest, MatchesLibsrtpByteForByteAcrossSequenceWrap) {
  const auto key = gcmKey(1);
  GcmRtpProtector ours(key);
  auto reference = libsrtpSender(key);
  // 65534, 65535, then the wrap to ROC 1 (RFC 3711 §3.3.1), a retransmission of 65535 (ROC 0
  // again), and on into ROC 1.
  for (const uint16_t seq : {65534, 65535, 0, 1, 65535, 2, 3}) {
    const auto plain = withSeq(kRtpWithCsrcAndExtension, seq);
    const auto srtp = protectWith(ours, plain);
    EXPECT_EQ(srtp, reference.protect(plain)) << "seq " << seq;
    // Header authenticated in the clear, payload changed, 16-byte tag appended.
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 28, srtp.begin())) << "seq " << seq;
    EXPECT_FALSE(std::equal(plain.begin() + 28, plain.end(), srtp.begin() + 28)) << "seq " << seq;
  }
}

TEST_F(GcmRtpProtectorTest, MatchesLibsrtpForInterleavedSsrcsAndAStartAboveHalfRange) {
  const auto key = gcmKey(2);
  GcmRtpProtector ours(key);
  auto reference = libsrtpSender(key);
  auto audio = kRtpWithCsrcAndExtension;
  audio[0] = 0x80;  // no CSRC, no extension: the 12-byte header alone is authenticated
  audio[11] = 0x01;
  // Video starts at 40000 (above 2^15, where the ROC guess switches branch), audio at 100.
  for (int i = 0; i < 300; ++i) {
    const auto video = withSeq(kRtpWithCsrcAndExtension, static_cast<uint16_t>(40000 + i * 97));
    EXPECT_EQ(protectWith(ours, video), reference.protect(video)) << "video packet " << i;
    const auto sound = withSeq(audio, static_cast<uint16_t>(100 + i * 211));
    EXPECT_EQ(protectWith(ours, sound), reference.protect(sound)) << "audio packet " << i;
  }
}

TEST_F(GcmRtpProtectorTest, LibsrtpReceiverDecryptsWhatSrtpSessionSends) {
  const auto key = gcmKey(3);
  SrtpSession sender(SrtpProfile::AeadAes128Gcm, key, SrtpSession::Direction::Outbound);
  SrtpSession receiver(SrtpProfile::AeadAes128Gcm, key, SrtpSession::Direction::Inbound);
  for (uint16_t seq = 65530; seq != 10; ++seq) {
    auto packet = withSeq(kRtpWithCsrcAndExtension, seq);
    const auto plain = packet;
    std::size_t len = packet.size();
    packet.resize(len + kSrtpMaxTrailer);
    ASSERT_EQ(sender.protectRtp(packet.data(), len, packet.size()), SrtpResult::Ok);
    ASSERT_EQ(receiver.unprotectRtp(packet.data(), len), SrtpResult::Ok) << "seq " << seq;
    packet.resize(len);
    EXPECT_EQ(packet, plain);
  }
}

TEST_F(GcmRtpProtectorTest, HeaderThatDoesNotFitIsRefusedWithoutReadingPastTheEnd) {
  GcmRtpProtector protector(gcmKey(4));
  std::vector<uint8_t> buffer(64 + GcmRtpProtector::kTagLength);
  std::size_t len = 11;  // shorter than the fixed header
  EXPECT_EQ(protector.protect(buffer.data(), len, buffer.size()), SrtpResult::Error);
  // CC=15 promises 60 bytes of CSRCs in a 20-byte packet.
  std::vector<uint8_t> csrcs = {0x8f, 0x60, 0x00, 0x01, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
  len = csrcs.size();
  csrcs.resize(len + GcmRtpProtector::kTagLength);
  EXPECT_EQ(protector.protect(csrcs.data(), len, csrcs.size()), SrtpResult::Error);
  // An extension block claiming 0xffff words.
  std::vector<uint8_t> extension = {0x90, 0x60, 0x00, 0x01, 0, 0, 0, 0, 1, 2, 3, 4, 0xbe, 0xde, 0xff, 0xff};
  len = extension.size();
  extension.resize(len + GcmRtpProtector::kTagLength);
  EXPECT_EQ(protector.protect(extension.data(), len, extension.size()), SrtpResult::Error);
  // The extension header itself cut off.
  len = 14;
  EXPECT_EQ(protector.protect(extension.data(), len, extension.size()), SrtpResult::Error);
}

TEST_F(GcmRtpProtectorTest, RefusesABufferWithoutRoomForTheTag) {
  GcmRtpProtector protector(gcmKey(5));
  auto packet = kRtpWithCsrcAndExtension;
  std::size_t len = packet.size();
  packet.resize(len + GcmRtpProtector::kTagLength - 1);
  EXPECT_EQ(protector.protect(packet.data(), len, packet.size()), SrtpResult::BufferTooSmall);
  EXPECT_EQ(len, kRtpWithCsrcAndExtension.size());
}

TEST_F(GcmRtpProtectorTest, HeaderOnlyPacketGetsATagOnly) {
  const auto key = gcmKey(6);
  GcmRtpProtector ours(key);
  auto reference = libsrtpSender(key);
  const std::vector<uint8_t> empty(kRtpWithCsrcAndExtension.begin(), kRtpWithCsrcAndExtension.begin() + 28);
  const auto srtp = protectWith(ours, empty);
  EXPECT_EQ(srtp.size(), 28 + GcmRtpProtector::kTagLength);
  EXPECT_EQ(srtp, reference.protect(empty));
}

TEST_F(GcmRtpProtectorTest, NamesTheLinesAProtectTouchesAndStillProtectsTheSame) {
  const auto key = gcmKey(7);
  GcmRtpProtector ours(key);
  auto reference = libsrtpSender(key);
  EXPECT_EQ(protectWith(ours, kRtpWithCsrcAndExtension), reference.protect(kRtpWithCsrcAndExtension));
  CacheLines lines;
  ours.addCacheLines(lines);
  // The object itself, its stream table and the AEAD's handle (not the provider's context behind it).
  ASSERT_GE(lines.size(), 3u);
  const auto self = reinterpret_cast<std::uintptr_t>(&ours) & ~std::uintptr_t{CacheLines::kLineSize - 1};
  EXPECT_EQ(lines.line(0), self);
  lines.prefetch();
  const auto next = withSeq(kRtpWithCsrcAndExtension, 65535);
  EXPECT_EQ(protectWith(ours, next), reference.protect(next));
}

TEST_F(GcmRtpProtectorTest, WrongKeyLengthThrows) {
  const std::vector<uint8_t> aesCmKey(30, 1);
  EXPECT_THROW(GcmRtpProtector{aesCmKey}, SrtpError);
}

}  // namespace
}  // namespace diemcau::media
