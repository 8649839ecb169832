#include "media/srtp/SrtpSession.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "media/srtp/SrtpError.hpp"
#include "media/srtp/SrtpLibrary.hpp"

namespace diemcau::media {
namespace {

// A minimal RTP packet (RFC 3550 §5.1), 12-byte header + 8 bytes of payload.
const std::vector<uint8_t> kRtpPacket = {
    0x80, 0x6f, 0x00, 0x01,  // V=2, PT=111 (Opus), seq=1
    0x00, 0x00, 0x03, 0xc0,  // timestamp=960
    0x11, 0x22, 0x33, 0x44,  // SSRC
    0xde, 0xad, 0xbe, 0xef,  // payload
    0x01, 0x02, 0x03, 0x04,  // payload
};

// A receiver report with one report block (RFC 3550 §6.4.2).
const std::vector<uint8_t> kRtcpPacket = {
    0x81, 0xc9, 0x00, 0x07,  // V=2, RC=1, PT=201 (RR), length=7 words
    0x11, 0x22, 0x33, 0x44,  // sender SSRC
    0x55, 0x66, 0x77, 0x88,  // source SSRC
    0x01, 0x00, 0x00, 0x05,  // fraction lost=1, cumulative lost=5
    0x00, 0x00, 0x12, 0x34,  // extended highest sequence
    0x00, 0x00, 0x00, 0x10,  // jitter
    0x00, 0x00, 0x00, 0x00,  // LSR
    0x00, 0x00, 0x00, 0x00,  // DLSR
};

std::vector<uint8_t> makeKey(SrtpProfile profile, uint8_t seed) {
  std::vector<uint8_t> key(srtpMasterKeySaltLength(profile));
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed + i * 7);
  return key;
}

std::vector<uint8_t> rtpWithSeq(uint16_t seq) {
  std::vector<uint8_t> packet = kRtpPacket;
  packet[2] = static_cast<uint8_t>(seq >> 8);
  packet[3] = static_cast<uint8_t>(seq & 0xff);
  return packet;
}

// Protects a packet into a buffer with room for the trailer; returns the SRTP bytes.
std::vector<uint8_t> protect(SrtpSession& session, std::vector<uint8_t> packet, bool rtcp = false) {
  std::size_t len = packet.size();
  packet.resize(len + kSrtpMaxTrailer);
  const SrtpResult result = rtcp ? session.protectRtcp(packet.data(), len, packet.size())
                                 : session.protectRtp(packet.data(), len, packet.size());
  EXPECT_EQ(result, SrtpResult::Ok);
  packet.resize(len);
  return packet;
}

class SrtpSessionTest : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpSessionTest()
      : key_(makeKey(GetParam(), 3)),
        sender_(GetParam(), key_, SrtpSession::Direction::Outbound),
        receiver_(GetParam(), key_, SrtpSession::Direction::Inbound) {}

  std::size_t tagLength() const { return GetParam() == SrtpProfile::AeadAes128Gcm ? 16 : 10; }

  SrtpLibrary library_;
  std::vector<uint8_t> key_;
  SrtpSession sender_;
  SrtpSession receiver_;
};

TEST_P(SrtpSessionTest, RtpRoundTripRestoresPayload) {
  std::vector<uint8_t> srtp = protect(sender_, kRtpPacket);
  ASSERT_EQ(srtp.size(), kRtpPacket.size() + tagLength());
  // The header stays in the clear (RFC 3711 §3.1), the payload does not.
  EXPECT_TRUE(std::equal(kRtpPacket.begin(), kRtpPacket.begin() + 12, srtp.begin()));
  EXPECT_FALSE(std::equal(kRtpPacket.begin() + 12, kRtpPacket.end(), srtp.begin() + 12));

  std::size_t len = srtp.size();
  ASSERT_EQ(receiver_.unprotectRtp(srtp.data(), len), SrtpResult::Ok);
  srtp.resize(len);
  EXPECT_EQ(srtp, kRtpPacket);
}

TEST_P(SrtpSessionTest, RtcpRoundTripRestoresPacket) {
  std::vector<uint8_t> srtcp = protect(sender_, kRtcpPacket, true);
  // SRTCP adds the E flag + 31-bit index and the tag (RFC 3711 §3.4).
  ASSERT_EQ(srtcp.size(), kRtcpPacket.size() + 4 + tagLength());

  std::size_t len = srtcp.size();
  ASSERT_EQ(receiver_.unprotectRtcp(srtcp.data(), len), SrtpResult::Ok);
  srtcp.resize(len);
  EXPECT_EQ(srtcp, kRtcpPacket);
}

TEST_P(SrtpSessionTest, TamperedPayloadFailsAuthentication) {
  std::vector<uint8_t> srtp = protect(sender_, kRtpPacket);
  srtp[14] ^= 0x01;
  std::size_t len = srtp.size();
  EXPECT_EQ(receiver_.unprotectRtp(srtp.data(), len), SrtpResult::AuthFail);
}

TEST_P(SrtpSessionTest, TamperedRtcpFailsAuthentication) {
  std::vector<uint8_t> srtcp = protect(sender_, kRtcpPacket, true);
  srtcp[10] ^= 0x80;
  std::size_t len = srtcp.size();
  EXPECT_EQ(receiver_.unprotectRtcp(srtcp.data(), len), SrtpResult::AuthFail);
}

TEST_P(SrtpSessionTest, WrongKeyFailsAuthentication) {
  std::vector<uint8_t> otherKey = makeKey(GetParam(), 99);
  SrtpSession stranger(GetParam(), otherKey, SrtpSession::Direction::Inbound);
  std::vector<uint8_t> srtp = protect(sender_, kRtpPacket);
  std::size_t len = srtp.size();
  EXPECT_EQ(stranger.unprotectRtp(srtp.data(), len), SrtpResult::AuthFail);
}

TEST_P(SrtpSessionTest, ReplayedPacketIsRejected) {
  const std::vector<uint8_t> srtp = protect(sender_, kRtpPacket);
  std::vector<uint8_t> first = srtp;
  std::size_t len = first.size();
  ASSERT_EQ(receiver_.unprotectRtp(first.data(), len), SrtpResult::Ok);

  std::vector<uint8_t> again = srtp;
  len = again.size();
  EXPECT_EQ(receiver_.unprotectRtp(again.data(), len), SrtpResult::ReplayFail);
}

TEST_P(SrtpSessionTest, PacketOlderThanWindowIsReplayOld) {
  const std::vector<uint8_t> old = protect(sender_, rtpWithSeq(1));
  std::vector<uint8_t> recent = protect(sender_, rtpWithSeq(1 + SrtpSession::kReplayWindow + 10));
  std::size_t len = recent.size();
  ASSERT_EQ(receiver_.unprotectRtp(recent.data(), len), SrtpResult::Ok);

  std::vector<uint8_t> late = old;
  len = late.size();
  EXPECT_EQ(receiver_.unprotectRtp(late.data(), len), SrtpResult::ReplayOld);
}

TEST_P(SrtpSessionTest, ReorderedPacketInsideWindowIsAccepted) {
  const std::vector<uint8_t> early = protect(sender_, rtpWithSeq(10));
  std::vector<uint8_t> later = protect(sender_, rtpWithSeq(900));
  std::size_t len = later.size();
  ASSERT_EQ(receiver_.unprotectRtp(later.data(), len), SrtpResult::Ok);
  std::vector<uint8_t> reordered = early;
  len = reordered.size();
  EXPECT_EQ(receiver_.unprotectRtp(reordered.data(), len), SrtpResult::Ok);
}

TEST_P(SrtpSessionTest, OutboundAllowsRetransmissionOfSameSequence) {
  const std::vector<uint8_t> first = protect(sender_, kRtpPacket);
  const std::vector<uint8_t> second = protect(sender_, kRtpPacket);
  EXPECT_EQ(first, second);
}

TEST_P(SrtpSessionTest, ProtectRefusesBufferWithoutRoomForTrailer) {
  std::vector<uint8_t> packet = kRtpPacket;
  packet.resize(packet.size() + kSrtpMaxTrailer - 1);
  std::size_t len = kRtpPacket.size();
  EXPECT_EQ(sender_.protectRtp(packet.data(), len, packet.size()), SrtpResult::BufferTooSmall);
  EXPECT_EQ(len, kRtpPacket.size());
  EXPECT_TRUE(std::equal(kRtpPacket.begin(), kRtpPacket.end(), packet.begin()));
}

TEST_P(SrtpSessionTest, TruncatedPacketsAreRejectedWithoutReadingPastEnd) {
  std::vector<uint8_t> srtp = protect(sender_, kRtpPacket);
  for (std::size_t cut = 0; cut < srtp.size(); ++cut) {
    std::vector<uint8_t> truncated(srtp.begin(), srtp.begin() + static_cast<std::ptrdiff_t>(cut));
    std::size_t len = truncated.size();
    EXPECT_NE(receiver_.unprotectRtp(truncated.data(), len), SrtpResult::Ok) << "cut at " << cut;
  }
}

TEST_P(SrtpSessionTest, WrongKeyLengthThrows) {
  std::vector<uint8_t> shortKey(srtpMasterKeySaltLength(GetParam()) - 1, 0x42);
  EXPECT_THROW(SrtpSession(GetParam(), shortKey, SrtpSession::Direction::Outbound), SrtpError);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpSessionTest,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80),
                         [](const ::testing::TestParamInfo<SrtpProfile>& param) {
                           return param.param == SrtpProfile::AeadAes128Gcm ? std::string("AeadAes128Gcm")
                                                                            : std::string("Aes128CmSha1_80");
                         });

}  // namespace
}  // namespace diemcau::media
