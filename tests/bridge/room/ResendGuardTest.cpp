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

}  // namespace
}  // namespace diemcau::bridge
