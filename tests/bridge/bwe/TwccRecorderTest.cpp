#include "bridge/bwe/TwccRecorder.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/TransportCc.hpp"

namespace diemcau::bridge {
namespace {

namespace rtp = media::rtp;

constexpr int64_t kEpoch = 7'000'000'000;  // a monotonic clock far from zero, on a 64 ms tick

struct Feedback {
  uint16_t base = 0;
  int64_t referenceUs = 0;
  uint8_t count = 0;
  std::vector<rtp::TwccPacketStatus> statuses;
};

Feedback take(TwccRecorder& recorder) {
  std::array<uint8_t, 1200> buffer{};
  const size_t len = recorder.writeFeedback(buffer, 0x11111111, 0x22222222);
  EXPECT_GT(len, 0u);
  const auto packet = rtp::RtcpPacket::parse(buffer.data(), len);
  EXPECT_TRUE(packet.has_value());
  const auto twcc = rtp::TransportCc::parse(*packet);
  EXPECT_TRUE(twcc.has_value());
  Feedback f;
  if (!twcc) return f;
  EXPECT_EQ(twcc->senderSsrc(), 0x11111111u);
  EXPECT_EQ(twcc->mediaSsrc(), 0x22222222u);
  f.base = twcc->baseSequence();
  f.referenceUs = twcc->referenceTimeUs();
  f.count = twcc->feedbackCount();
  twcc->forEachPacket([&](const rtp::TwccPacketStatus& s) { f.statuses.push_back(s); });
  return f;
}

TEST(TwccRecorderTest, ReportsArrivalsAndLosses) {
  TwccRecorder recorder;
  EXPECT_FALSE(recorder.pending());
  recorder.onPacket(100, kEpoch + 1'000);   // reference tick 0, delta 1 ms = 4 ticks
  recorder.onPacket(101, kEpoch + 6'000);   // +5 ms = 20 ticks
  recorder.onPacket(103, kEpoch + 6'500);   // 102 lost; +0.5 ms = 2 ticks
  ASSERT_TRUE(recorder.pending());
  const Feedback f = take(recorder);
  EXPECT_EQ(f.base, 100);
  EXPECT_EQ(f.referenceUs, 0);
  EXPECT_EQ(f.count, 0);
  ASSERT_EQ(f.statuses.size(), 4u);
  EXPECT_EQ(f.statuses[0], (rtp::TwccPacketStatus{100, true, 4}));
  EXPECT_EQ(f.statuses[1], (rtp::TwccPacketStatus{101, true, 20}));
  EXPECT_EQ(f.statuses[2], (rtp::TwccPacketStatus{102, false, 0}));
  EXPECT_EQ(f.statuses[3], (rtp::TwccPacketStatus{103, true, 2}));
  EXPECT_FALSE(recorder.pending());
}

TEST(TwccRecorderTest, NextFeedbackStartsWhereTheLastEndedWithItsOwnReference) {
  TwccRecorder recorder;
  recorder.onPacket(65534, kEpoch);
  take(recorder);
  recorder.onPacket(65535, kEpoch + 200'000);  // 200 ms later: reference tick 3 (192 ms) + 8 ms
  recorder.onPacket(0, kEpoch + 201'000);      // the sequence wraps
  const Feedback f = take(recorder);
  EXPECT_EQ(f.base, 65535);
  EXPECT_EQ(f.count, 1);
  EXPECT_EQ(f.referenceUs, 192'000);
  ASSERT_EQ(f.statuses.size(), 2u);
  EXPECT_EQ(f.statuses[0], (rtp::TwccPacketStatus{65535, true, 32}));
  EXPECT_EQ(f.statuses[1], (rtp::TwccPacketStatus{0, true, 4}));
}

TEST(TwccRecorderTest, ReorderedArrivalGetsANegativeDeltaAndLateOnesAreIgnored) {
  TwccRecorder recorder;
  recorder.onPacket(10, kEpoch + 10'000);
  recorder.onPacket(12, kEpoch + 12'000);
  recorder.onPacket(11, kEpoch + 13'000);  // arrived after 12
  Feedback f = take(recorder);
  ASSERT_EQ(f.statuses.size(), 3u);
  EXPECT_EQ(f.statuses[1], (rtp::TwccPacketStatus{11, true, 12}));  // 13 ms - 10 ms
  EXPECT_EQ(f.statuses[2], (rtp::TwccPacketStatus{12, true, -4}));  // 12 ms - 13 ms
  recorder.onPacket(9, kEpoch + 20'000);  // older than anything reported: nothing to add
  EXPECT_FALSE(recorder.pending());
}

TEST(TwccRecorderTest, LongRunsAreSplitAcrossFeedbackPackets) {
  TwccRecorder recorder;
  for (uint16_t s = 0; s < 450; ++s) recorder.onPacket(s, kEpoch + s * 1'000);
  size_t total = 0;
  uint16_t expectedBase = 0;
  while (recorder.pending()) {
    const Feedback f = take(recorder);
    EXPECT_EQ(f.base, expectedBase);
    EXPECT_LE(f.statuses.size(), TwccRecorder::kMaxPerFeedback);
    for (const auto& s : f.statuses) EXPECT_TRUE(s.received);
    expectedBase = static_cast<uint16_t>(expectedBase + f.statuses.size());
    total += f.statuses.size();
  }
  EXPECT_EQ(total, 450u);
}

TEST(TwccRecorderTest, AWindowOverrunDropsTheOldestUnreported) {
  TwccRecorder recorder;
  for (uint16_t s = 0; s < 1500; ++s) recorder.onPacket(s, kEpoch + s * 100);
  const Feedback f = take(recorder);
  EXPECT_EQ(f.base, 1500 - TwccRecorder::kWindow);
  EXPECT_TRUE(f.statuses.front().received);
}

TEST(TwccRecorderTest, TooSmallBufferWritesNothingAndKeepsTheData) {
  TwccRecorder recorder;
  recorder.onPacket(1, kEpoch);
  std::array<uint8_t, 8> tiny{};
  EXPECT_EQ(recorder.writeFeedback(tiny, 1, 2), 0u);
  EXPECT_TRUE(recorder.pending());
}

}  // namespace
}  // namespace diemcau::bridge
