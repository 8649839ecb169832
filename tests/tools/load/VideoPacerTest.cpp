#include "tools/load/VideoPacer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace diemcau::load {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kStart = 5'000 * kMs;  // an arbitrary steady-clock origin

// The hall's default stream: 1.5 Mbit/s in 1000-byte payloads at 30 fps = 6.25 packets a frame.
VideoPacer::Params hall(double factor) { return VideoPacer::Params{1'500'000, 1'000, 30, factor}; }

// Every packet released by polling at each due time in turn, up to `untilNs`.
std::vector<VideoPacer::Packet> drainOnTime(VideoPacer& pacer, int64_t untilNs) {
  std::vector<VideoPacer::Packet> out;
  while (pacer.nextDueNs() <= untilNs) {
    const int64_t due = pacer.nextDueNs();
    // Nothing leaves a nanosecond early.
    EXPECT_FALSE(pacer.poll(due - 1)) << "at " << due;
    auto packet = pacer.poll(due);
    if (!packet) {
      ADD_FAILURE() << "nothing released at its due time " << due;
      break;
    }
    EXPECT_EQ(packet->dueNs, due);
    out.push_back(*packet);
  }
  return out;
}

TEST(VideoPacer, SpreadsAFrameAtTheFactorTimesTheBitrate) {
  VideoPacer pacer(hall(2.5));
  pacer.start(kStart);
  // 1000 bytes at 2.5 x 1.5 Mbit/s = 8000 / 3.75e6 s = 2.133 ms between packets.
  EXPECT_EQ(pacer.spacingNs(6), 2'133'333);
  const auto packets = drainOnTime(pacer, kStart + 33 * kMs);
  // The first frame has floor(6.25) = 6 packets, the second starts at 33.33 ms.
  ASSERT_EQ(packets.size(), 6u);
  for (uint32_t i = 0; i < 6; ++i) {
    EXPECT_EQ(packets[i].index, i);
    EXPECT_EQ(packets[i].count, 6u);
    EXPECT_EQ(packets[i].frameNs, kStart);
    EXPECT_EQ(packets[i].dueNs, kStart + i * 2'133'333);
  }
  // The frame takes bytes * 8 / (factor * bitrate) = 6 x 2.133 ms = 12.8 ms of a 33.3 ms interval.
  EXPECT_EQ(packets.back().dueNs - kStart + pacer.spacingNs(6), 6 * 2'133'333);
  EXPECT_EQ(pacer.nextDueNs(), kStart + pacer.frameIntervalNs());
}

TEST(VideoPacer, FactorZeroSendsTheWholeFrameAtOnce) {
  VideoPacer pacer(hall(0.0));
  pacer.start(kStart);
  size_t released = 0;
  while (auto packet = pacer.poll(kStart)) {
    EXPECT_EQ(packet->dueNs, kStart);
    EXPECT_EQ(packet->index, released);
    ++released;
  }
  EXPECT_EQ(released, 6u);
  EXPECT_EQ(pacer.nextDueNs(), kStart + pacer.frameIntervalNs());
}

TEST(VideoPacer, KeepsTheBitrateAndNeverOverlapsTheNextFrame) {
  VideoPacer pacer(hall(2.5));
  pacer.start(kStart);
  const auto packets = drainOnTime(pacer, kStart + 60 * pacer.frameIntervalNs() - 1);
  // Two seconds (60 frames) of 1.5 Mbit/s in 1000-byte packets: 375 (6, 6, 6, then 7 as the
  // fractional packet carries over).
  EXPECT_EQ(packets.size(), 375u);
  int64_t frameNs = kStart - 1;
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto& p = packets[i];
    if (p.index == 0) {
      EXPECT_GT(p.frameNs, frameNs);
      if (i > 0) {
        EXPECT_EQ(packets[i - 1].index + 1, packets[i - 1].count) << "frame cut short at " << i;
      }
      frameNs = p.frameNs;
    }
    EXPECT_EQ(p.frameNs, frameNs);
    EXPECT_LT(p.dueNs, p.frameNs + pacer.frameIntervalNs());
  }
}

TEST(VideoPacer, SqueezesAFrameTheRateCannotCarryIntoOneInterval) {
  // 6 Mbit/s at 30 fps = 25 packets a frame; at 0.5 x the bitrate they would need 66.7 ms.
  VideoPacer pacer(VideoPacer::Params{6'000'000, 1'000, 30, 0.5});
  pacer.start(kStart);
  const auto packets = drainOnTime(pacer, kStart + pacer.frameIntervalNs() - 1);
  ASSERT_EQ(packets.size(), 25u);
  EXPECT_EQ(pacer.spacingNs(25), pacer.frameIntervalNs() / 25);
  EXPECT_LT(packets.back().dueNs, kStart + pacer.frameIntervalNs());
  EXPECT_GT(packets.back().dueNs, kStart + pacer.frameIntervalNs() * 9 / 10);
}

TEST(VideoPacer, LateTicksReleaseWhatIsDueAndLoseNothing) {
  VideoPacer pacer(hall(2.5));
  pacer.start(kStart);
  // A worker that only gets to run every 7 ms: each tick releases what fell due since the last.
  size_t released = 0;
  for (int64_t now = kStart; now < kStart + 1'000 * kMs; now += 7 * kMs) {
    while (auto packet = pacer.poll(now)) {
      EXPECT_LE(packet->dueNs, now);
      EXPECT_GT(packet->dueNs, now - 7 * kMs);
      ++released;
    }
  }
  // Ticks 0..994 ms: the 30 frames due at 0 .. 966.7 ms, every packet of them due by 980 ms.
  EXPECT_EQ(released, 187u);
}

TEST(VideoPacer, CatchUpAfterAStallIsBounded) {
  VideoPacer pacer(hall(2.5));
  pacer.start(kStart);
  // Three frames sent (0, 33.3, 66.7 ms; the last one's final packet at 77.3 ms).
  ASSERT_EQ(drainOnTime(pacer, kStart + 90 * kMs).size(), 18u);
  // The worker stalls for a second: only kMaxFramesBehind frames are made up, whole, then the
  // first packet of the frame due now.
  const int64_t now = kStart + 1'100 * kMs;
  size_t burst = 0;
  int64_t firstFrame = 0;
  while (auto packet = pacer.poll(now)) {
    if (burst == 0) firstFrame = packet->frameNs;
    ++burst;
  }
  EXPECT_LE(burst, 7u * VideoPacer::kMaxFramesBehind + 1);
  EXPECT_GE(burst, 6u * VideoPacer::kMaxFramesBehind + 1);
  EXPECT_EQ(firstFrame, now - VideoPacer::kMaxFramesBehind * pacer.frameIntervalNs());
  // Then pacing resumes: the rest of the current frame is spaced again.
  EXPECT_GT(pacer.nextDueNs(), now);
  EXPECT_LE(pacer.nextDueNs(), now + pacer.spacingNs(7));
}

}  // namespace
}  // namespace diemcau::load
