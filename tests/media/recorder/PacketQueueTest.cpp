#include "media/recorder/PacketQueue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "media/recorder/RecordedTrack.hpp"
#include "media/recorder/RecorderError.hpp"

namespace diemcau::media::recorder {
namespace {

std::vector<uint8_t> packetOf(uint8_t fill, size_t size) { return std::vector<uint8_t>(size, fill); }

TEST(PacketQueue, KeepsOrderTrackAndArrival) {
  PacketQueue queue(4);
  ASSERT_TRUE(queue.push(0, packetOf(0xaa, 12), 100));
  ASSERT_TRUE(queue.push(1, packetOf(0xbb, 20), 200));
  const auto* first = queue.front();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->track, 0);
  EXPECT_EQ(first->size, 12);
  EXPECT_EQ(first->arrivalNs, 100);
  EXPECT_EQ(first->data[11], 0xaa);
  queue.release();
  const auto* second = queue.front();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->track, 1);
  EXPECT_EQ(second->size, 20);
  queue.release();
  EXPECT_EQ(queue.front(), nullptr);
}

TEST(PacketQueue, FullQueueDropsAndCountsWithoutBlocking) {
  PacketQueue queue(3);  // rounded up to 4
  ASSERT_EQ(queue.capacity(), 4u);
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += queue.push(0, packetOf(static_cast<uint8_t>(i), 40), i) ? 1 : 0;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(queue.counters().pushed, 4u);
  EXPECT_EQ(queue.counters().droppedFull, 6u);
  // The oldest are kept: the drop is of the newcomers, never of what the muxer already waits for.
  EXPECT_EQ(queue.front()->data[0], 0);
  queue.release();
  EXPECT_TRUE(queue.push(0, packetOf(0x55, 40), 11));
}

TEST(PacketQueue, OversizePacketIsDroppedAndCounted) {
  PacketQueue queue(4);
  EXPECT_FALSE(queue.push(0, packetOf(1, PacketQueue::kMaxPacket + 1), 0));
  EXPECT_TRUE(queue.push(0, packetOf(1, PacketQueue::kMaxPacket), 0));
  EXPECT_EQ(queue.counters().droppedOversize, 1u);
  EXPECT_EQ(queue.front()->size, PacketQueue::kMaxPacket);
}

TEST(PacketQueue, OneProducerOneConsumerLoseNothingThatWasAccepted) {
  PacketQueue queue(64);
  constexpr uint32_t kCount = 20000;
  std::thread producer([&] {
    for (uint32_t i = 0; i < kCount; ++i) {
      const std::array<uint8_t, 4> bytes{static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
                                         static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
      while (!queue.push(0, bytes, i)) std::this_thread::yield();
    }
  });
  uint32_t expected = 0;
  while (expected < kCount) {
    if (const auto* slot = queue.front()) {
      const uint32_t value = (uint32_t{slot->data[0]} << 24) | (uint32_t{slot->data[1]} << 16) |
                             (uint32_t{slot->data[2]} << 8) | slot->data[3];
      ASSERT_EQ(value, expected);
      ASSERT_EQ(slot->arrivalNs, expected);
      ++expected;
      queue.release();
    } else {
      std::this_thread::yield();
    }
  }
  producer.join();
  EXPECT_EQ(queue.counters().pushed, kCount);
}

TEST(RecordedTrack, CapsAndChainsPerCodec) {
  EXPECT_EQ(recordedCodecFromName("opus"), RecordedCodec::Opus);
  EXPECT_EQ(recordedCodecFromName("vp8"), RecordedCodec::Vp8);
  EXPECT_EQ(recordedCodecFromName("H264"), RecordedCodec::H264);
  EXPECT_THROW(recordedCodecFromName("AV1"), RecorderError);
  EXPECT_EQ(rtpCapsFor({RecordedCodec::Opus, 111, 0}),
            "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111");
  EXPECT_EQ(rtpCapsFor({RecordedCodec::H264, 102, 90000}),
            "application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=102");
  EXPECT_NE(depayChainFor(RecordedCodec::H264).find("h264parse"), std::string::npos);
}

}  // namespace
}  // namespace diemcau::media::recorder
