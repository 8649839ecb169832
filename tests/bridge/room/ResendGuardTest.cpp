#include "bridge/room/ResendGuard.hpp"

#include <gtest/gtest.h>

namespace diemcau::bridge {
namespace {

constexpr int64_t kMs = 1000;

TEST(ResendGuard, OncePerIntervalPerSequence) {
  ResendGuard guard;
  EXPECT_TRUE(guard.allow(100, 0, 200 * kMs));
  EXPECT_FALSE(guard.allow(100, 199 * kMs, 200 * kMs));
  EXPECT_TRUE(guard.allow(101, 199 * kMs, 200 * kMs));  // another packet is not held back
  EXPECT_TRUE(guard.allow(100, 200 * kMs, 200 * kMs));
  EXPECT_FALSE(guard.allow(100, 250 * kMs, 200 * kMs));
}

TEST(ResendGuard, ASequenceSharingTheSlotIsNotConfused) {
  ResendGuard guard;
  EXPECT_TRUE(guard.allow(7, 0, 200 * kMs));
  EXPECT_TRUE(guard.allow(static_cast<uint16_t>(7 + ResendGuard::kSize), 1 * kMs, 200 * kMs));
  EXPECT_TRUE(guard.allow(7, 2 * kMs, 200 * kMs));  // its entry was taken: allowed again
}

TEST(ResendGuard, HoldsNoTableUntilTheFirstRetransmission) {
  ResendGuard guard;
  EXPECT_FALSE(guard.active()) << "a track never retransmitted (most audio) keeps no table";
  EXPECT_LT(sizeof(ResendGuard), 64u);
  EXPECT_TRUE(guard.allow(1, 0, 200 * kMs));
  EXPECT_TRUE(guard.active());
  EXPECT_FALSE(guard.allow(1, 1 * kMs, 200 * kMs));
}

}  // namespace
}  // namespace diemcau::bridge
