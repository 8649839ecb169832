#include "media/srtp/GcmRtcpCipher.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "media/srtp/SrtpLibrary.hpp"
#include "tests/media/srtp/LibsrtpReference.hpp"

namespace diemcau::media {
namespace {

std::vector<uint8_t> gcmKey(uint8_t seed) {
  std::vector<uint8_t> key(28);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed * 29 + i * 11);
  return key;
}

// A sender report (one report block) and an SDES chunk: what the bridge sends each subscriber.
std::vector<uint8_t> senderReport(uint32_t ssrc, uint8_t seed) {
  std::vector<uint8_t> packet = {
      0x81, 200, 0x00, 0x0c,  // SR, one report block, 13 words
      0, 0, 0, 0,             // sender SSRC (below)
  };
  for (int i = 0; i < 44; ++i) packet.push_back(static_cast<uint8_t>(seed + i));
  const std::vector<uint8_t> sdes = {0x81, 202, 0x00, 0x03, 0, 0, 0, 0, 0x01, 0x03, 'a', 'b', 'c', 0x00, 0x00, 0x00};
  packet.insert(packet.end(), sdes.begin(), sdes.end());
  for (std::size_t at : {std::size_t{4}, std::size_t{56}}) {
    packet[at] = static_cast<uint8_t>(ssrc >> 24);
    packet[at + 1] = static_cast<uint8_t>(ssrc >> 16);
    packet[at + 2] = static_cast<uint8_t>(ssrc >> 8);
    packet[at + 3] = static_cast<uint8_t>(ssrc);
  }
  return packet;
}

using test::LibsrtpReference;
constexpr auto kInbound = LibsrtpReference::Direction::Inbound;
constexpr auto kOutbound = LibsrtpReference::Direction::Outbound;

std::vector<uint8_t> protectWith(GcmRtcpProtector& protector, std::vector<uint8_t> packet) {
  std::size_t len = packet.size();
  packet.resize(len + GcmRtcpProtector::kTrailerLength);
  EXPECT_EQ(protector.protect(packet.data(), len, packet.size()), SrtpResult::Ok);
  EXPECT_EQ(len, packet.size());
  return packet;
}

SrtpResult unprotectWith(GcmRtcpUnprotector& unprotector, std::vector<uint8_t>& packet) {
  std::size_t len = packet.size();
  const SrtpResult result = unprotector.unprotect(packet.data(), len);
  if (result == SrtpResult::Ok) packet.resize(len);
  return result;
}

class GcmRtcpCipherTest : public ::testing::Test {
 protected:
  SrtpLibrary library_;
};

// 300 reports each from two senders, interleaved: indices past 127 and 255 (every bit of the low
// octet), each sender counting its own.
TEST_F(GcmRtcpCipherTest, MatchesLibsrtpByteForByteForTwoSendersOverManyIndices) {
  const auto key = gcmKey(1);
  GcmRtcpProtector ours(key);
  LibsrtpReference reference(key, kOutbound);
  for (int i = 0; i < 300; ++i) {
    for (uint32_t ssrc : {0x11223344U, 0xcafebabeU}) {
      const auto plain = senderReport(ssrc, static_cast<uint8_t>(i));
      ASSERT_EQ(protectWith(ours, plain), reference.protectRtcp(plain)) << "packet " << i << " of " << std::hex << ssrc;
    }
  }
}

TEST_F(GcmRtcpCipherTest, EachSideOpensWhatTheOtherSent) {
  const auto key = gcmKey(2);
  GcmRtcpProtector ours(key);
  GcmRtcpUnprotector oursIn(key);
  LibsrtpReference theirsOut(key, kOutbound);
  LibsrtpReference theirsIn(key, kInbound);
  for (int i = 0; i < 5; ++i) {
    const auto plain = senderReport(0x0badf00dU, static_cast<uint8_t>(i * 3));
    auto toThem = protectWith(ours, plain);
    ASSERT_EQ(theirsIn.unprotectRtcp(toThem), SrtpResult::Ok);
    EXPECT_EQ(toThem, plain);
    auto toUs = theirsOut.protectRtcp(plain);
    ASSERT_EQ(unprotectWith(oursIn, toUs), SrtpResult::Ok);
    EXPECT_EQ(toUs, plain);
  }
}

TEST_F(GcmRtcpCipherTest, AuthenticatedOnlyReportsAreAcceptedUnchanged) {
  const auto key = gcmKey(3);
  LibsrtpReference theirs(key, kOutbound, /*encryptRtcp=*/false);
  GcmRtcpUnprotector ours(key);
  const auto plain = senderReport(0x01020304U, 9);
  auto packet = theirs.protectRtcp(plain);
  ASSERT_EQ(packet[packet.size() - 4] & 0x80, 0);  // E = 0
  ASSERT_EQ(unprotectWith(ours, packet), SrtpResult::Ok);
  EXPECT_EQ(packet, plain);
}

TEST_F(GcmRtcpCipherTest, ReplaysAndIndicesBelowTheWindowAreRefused) {
  const auto key = gcmKey(4);
  GcmRtcpProtector sender(key);
  GcmRtcpUnprotector receiver(key);
  std::vector<std::vector<uint8_t>> sent;
  for (int i = 0; i < 200; ++i) sent.push_back(protectWith(sender, senderReport(0x55667788U, static_cast<uint8_t>(i))));
  // Out of order inside the window: each once.
  auto copy = sent[10];
  ASSERT_EQ(unprotectWith(receiver, copy), SrtpResult::Ok);
  copy = sent[5];
  ASSERT_EQ(unprotectWith(receiver, copy), SrtpResult::Ok);
  copy = sent[5];
  EXPECT_EQ(unprotectWith(receiver, copy), SrtpResult::ReplayFail);
  copy = sent[7];
  EXPECT_EQ(unprotectWith(receiver, copy), SrtpResult::Ok);
  // Index 200 accepted: 200 - 128 = 72 and below are now too old, 73 and above still new.
  copy = sent[199];
  ASSERT_EQ(unprotectWith(receiver, copy), SrtpResult::Ok);
  copy = sent[71];  // index 72
  EXPECT_EQ(unprotectWith(receiver, copy), SrtpResult::ReplayOld);
  copy = sent[72];  // index 73
  EXPECT_EQ(unprotectWith(receiver, copy), SrtpResult::Ok);
  copy = sent[199];
  EXPECT_EQ(unprotectWith(receiver, copy), SrtpResult::ReplayFail);
  EXPECT_EQ(receiver.streamCount(), 1u);
}

TEST_F(GcmRtcpCipherTest, ATamperedPacketFailsAndChangesNothing) {
  const auto key = gcmKey(5);
  GcmRtcpProtector sender(key);
  GcmRtcpUnprotector receiver(key);
  const auto packet = protectWith(sender, senderReport(0x99aabbccU, 1));
  // A flipped bit in the clear header, the encrypted body, the tag and the index word.
  for (std::size_t at : {std::size_t{1}, std::size_t{20}, packet.size() - 10, packet.size() - 1}) {
    auto forged = packet;
    forged[at] ^= 0x01;
    EXPECT_EQ(unprotectWith(receiver, forged), SrtpResult::AuthFail) << "byte " << at;
  }
  EXPECT_EQ(receiver.streamCount(), 0u);  // forgeries admit no sender
  auto genuine = packet;
  EXPECT_EQ(unprotectWith(receiver, genuine), SrtpResult::Ok);
}

TEST_F(GcmRtcpCipherTest, ShortPacketsAndSmallBuffersAreRefused) {
  const auto key = gcmKey(6);
  GcmRtcpProtector sender(key);
  GcmRtcpUnprotector receiver(key);
  std::vector<uint8_t> header(8, 0x80);
  std::size_t len = header.size();
  EXPECT_EQ(sender.protect(header.data(), len, header.size() + GcmRtcpProtector::kTrailerLength - 1),
            SrtpResult::BufferTooSmall);
  len = 7;
  EXPECT_EQ(sender.protect(header.data(), len, 64), SrtpResult::Error);
  // Exactly as long as the header and trailer: looked at, but never past its end (ASan).
  auto exact = std::make_unique<uint8_t[]>(8 + GcmRtcpProtector::kTrailerLength);
  len = 8 + GcmRtcpProtector::kTrailerLength;
  EXPECT_EQ(receiver.unprotect(exact.get(), len), SrtpResult::AuthFail);
  len = 8 + GcmRtcpProtector::kTrailerLength - 1;
  EXPECT_EQ(receiver.unprotect(exact.get(), len), SrtpResult::Error);
  // The smallest real packet (header only) goes both ways.
  std::vector<uint8_t> smallest = {0x80, 201, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04};
  auto sealed = protectWith(sender, smallest);
  ASSERT_EQ(unprotectWith(receiver, sealed), SrtpResult::Ok);
  EXPECT_EQ(sealed, smallest);
}

TEST_F(GcmRtcpCipherTest, TheSenderTableIsBoundedAndKeepsTheMostRecentlyHeard) {
  const auto key = gcmKey(7);
  GcmRtcpProtector sender(key);
  GcmRtcpUnprotector receiver(key);
  const uint32_t first = 1000;
  const uint32_t last = first + GcmRtcpUnprotector::kMaxStreams + 10;
  std::vector<uint8_t> latest;
  for (uint32_t ssrc = first; ssrc <= last; ++ssrc) {
    latest = protectWith(sender, senderReport(ssrc, 2));
    auto packet = latest;
    ASSERT_EQ(unprotectWith(receiver, packet), SrtpResult::Ok);
  }
  EXPECT_EQ(receiver.streamCount(), GcmRtcpUnprotector::kMaxStreams);
  // The newest sender kept its window: its packet again is a replay.
  EXPECT_EQ(unprotectWith(receiver, latest), SrtpResult::ReplayFail);
}

}  // namespace
}  // namespace diemcau::media
