#include "bridge/room/RtpPacketHistory.hpp"

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <vector>

namespace diemcau::bridge {
namespace {

using Lookup = RtpPacketHistory::Lookup;
constexpr int64_t kMs = 1000;

// A 12-byte header and `payloadSize` bytes of payload whose first byte tells packets apart.
std::vector<uint8_t> packetBytes(uint16_t seq, uint32_t ssrc = 0x11223344, size_t payloadSize = 4) {
  std::vector<uint8_t> bytes = {
      0x80, 0x60, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq),  // PT 96 | seq
      0x00, 0x00, 0x0B, 0xB8,                                                 // timestamp 3000
      static_cast<uint8_t>(ssrc >> 24), static_cast<uint8_t>(ssrc >> 16),     // SSRC
      static_cast<uint8_t>(ssrc >> 8), static_cast<uint8_t>(ssrc),
  };
  for (size_t i = 0; i < payloadSize; ++i) bytes.push_back(static_cast<uint8_t>(seq + i));
  return bytes;
}

bool store(RtpPacketHistory& history, uint16_t seq, int64_t nowUs, uint32_t ssrc = 0x11223344) {
  auto bytes = packetBytes(seq, ssrc);
  auto packet = media::rtp::RtpPacket::parse(bytes.data(), bytes.size());
  return packet && history.store(*packet, nowUs);
}

TEST(RtpPacketHistory, FindsWhatItStoredByteForByte) {
  RtpPacketHistory history(16, 1000 * kMs);
  ASSERT_TRUE(store(history, 100, 0));
  std::optional<media::rtp::RtpPacket> found;
  ASSERT_EQ(history.find(100, 10 * kMs, 0, found), Lookup::Found);
  const auto expected = packetBytes(100);
  ASSERT_EQ(found->size(), expected.size());
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), found->data()));
  EXPECT_EQ(history.find(101, 10 * kMs, 0, found), Lookup::Missing);
}

TEST(RtpPacketHistory, CapacityIsAPowerOfTwoAndAtLeastSixteen) {
  EXPECT_EQ(RtpPacketHistory(3, 1).capacity(), 16u);
  EXPECT_EQ(RtpPacketHistory(500, 1).capacity(), 512u);
  EXPECT_EQ(RtpPacketHistory(512, 1).capacity(), 512u);
}

TEST(RtpPacketHistory, WrapsAroundTheSequenceSpace) {
  RtpPacketHistory history(16, 1000 * kMs);
  for (uint16_t seq = 65530; seq != 6; ++seq) ASSERT_TRUE(store(history, seq, 0));
  std::optional<media::rtp::RtpPacket> found;
  for (uint16_t seq = 65530; seq != 6; ++seq) {
    ASSERT_EQ(history.find(seq, 0, 0, found), Lookup::Found) << seq;
    EXPECT_EQ(found->sequence(), seq);
  }
  EXPECT_EQ(history.size(), 12u);
}

TEST(RtpPacketHistory, NewerPacketsOverwriteTheSlotsOfOlderOnes) {
  RtpPacketHistory history(16, 1000 * kMs);
  for (uint16_t seq = 0; seq < 40; ++seq) ASSERT_TRUE(store(history, seq, 0));
  std::optional<media::rtp::RtpPacket> found;
  EXPECT_EQ(history.find(23, 0, 0, found), Lookup::Missing);  // slot 7 now holds 39
  EXPECT_EQ(history.find(24, 0, 0, found), Lookup::Found);
  EXPECT_EQ(history.find(39, 0, 0, found), Lookup::Found);
  EXPECT_EQ(history.size(), 16u);
  // A late packet whose slot a newer one took is refused; the newer one stays.
  EXPECT_FALSE(store(history, 23, 0));
  EXPECT_EQ(history.find(39, 0, 0, found), Lookup::Found);
  // A late packet still inside the window fills its slot.
  RtpPacketHistory gappy(16, 1000 * kMs);
  ASSERT_TRUE(store(gappy, 10, 0));
  ASSERT_TRUE(store(gappy, 12, 0));
  ASSERT_TRUE(store(gappy, 11, 5 * kMs));
  EXPECT_EQ(gappy.find(11, 5 * kMs, 0, found), Lookup::Found);
}

TEST(RtpPacketHistory, TooOldByAgeOrByTheReceiversDistance) {
  RtpPacketHistory history(16, 1000 * kMs);
  ASSERT_TRUE(store(history, 7, 0));
  std::optional<media::rtp::RtpPacket> found;
  EXPECT_EQ(history.find(7, 1000 * kMs, 0, found), Lookup::Found);   // exactly at the limit
  EXPECT_EQ(history.find(7, 1001 * kMs, 0, found), Lookup::TooOld);  // past it
  // 800 ms old, 250 ms to the receiver: it would arrive 1050 ms after the original.
  EXPECT_EQ(history.find(7, 800 * kMs, 250 * kMs, found), Lookup::TooOld);
  EXPECT_EQ(history.find(7, 800 * kMs, 150 * kMs, found), Lookup::Found);
}

TEST(RtpPacketHistory, AnotherSsrcStartsAfresh) {
  RtpPacketHistory history(16, 1000 * kMs);
  ASSERT_TRUE(store(history, 5, 0));
  ASSERT_TRUE(store(history, 9000, 0, 0xCAFE0001));
  std::optional<media::rtp::RtpPacket> found;
  EXPECT_EQ(history.find(5, 0, 0, found), Lookup::Missing);
  EXPECT_EQ(history.find(9000, 0, 0, found), Lookup::Found);
  EXPECT_EQ(history.ssrc(), 0xCAFE0001u);
  EXPECT_EQ(history.size(), 1u);
}

TEST(RtpPacketHistory, RefusesPaddingOnlyAndOversizedPackets) {
  RtpPacketHistory history(16, 1000 * kMs);
  auto empty = packetBytes(1, 0x11223344, 0);
  auto emptyView = media::rtp::RtpPacket::parse(empty.data(), empty.size());
  ASSERT_TRUE(emptyView);
  EXPECT_FALSE(history.store(*emptyView, 0));
  auto big = packetBytes(2, 0x11223344, RtpPacketHistory::kSlotSize);  // header + a slot of payload
  auto bigView = media::rtp::RtpPacket::parse(big.data(), big.size());
  ASSERT_TRUE(bigView);
  EXPECT_FALSE(history.store(*bigView, 0));
  EXPECT_EQ(history.size(), 0u);
}

}  // namespace
}  // namespace diemcau::bridge
