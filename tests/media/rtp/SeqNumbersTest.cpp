#include "media/rtp/SeqNumbers.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "media/rtp/RtpDemux.hpp"

namespace diemcau::media::rtp {
namespace {

struct SeqOrderCase {
  uint16_t a;
  uint16_t b;
  bool aNewer;
};

class SeqNewerTest : public ::testing::TestWithParam<SeqOrderCase> {};

TEST_P(SeqNewerTest, FollowsSerialArithmetic) {
  const auto& c = GetParam();
  EXPECT_EQ(isSeqNewer(c.a, c.b), c.aNewer) << c.a << " vs " << c.b;
}

INSTANTIATE_TEST_SUITE_P(
    WrapAround, SeqNewerTest,
    ::testing::Values(SeqOrderCase{1, 0, true}, SeqOrderCase{0, 1, false}, SeqOrderCase{5, 5, false},
                      SeqOrderCase{0, 65535, true},          // wrap: 0 follows 65535
                      SeqOrderCase{65535, 0, false},
                      SeqOrderCase{100, 65500, true},        // 136 ahead across the wrap
                      SeqOrderCase{0x7FFF, 0, true},         // largest forward distance
                      SeqOrderCase{0x8000, 0, false},        // exactly half: undefined, neither newer
                      SeqOrderCase{0, 0x8000, false},
                      SeqOrderCase{0x8001, 0, false},        // more than half: behind
                      SeqOrderCase{0, 0x8001, true}));

TEST(TimestampNewer, WrapsAt32Bits) {
  EXPECT_TRUE(isTimestampNewer(10, 0xFFFFFFF0u));
  EXPECT_FALSE(isTimestampNewer(0xFFFFFFF0u, 10));
  EXPECT_FALSE(isTimestampNewer(0x80000000u, 0));
  EXPECT_TRUE(isTimestampNewer(0x7FFFFFFFu, 0));
}

struct UnwrapCase {
  const char* name;
  std::vector<uint16_t> input;
  std::vector<int64_t> expected;
};

class SeqUnwrapperTest : public ::testing::TestWithParam<UnwrapCase> {};

TEST_P(SeqUnwrapperTest, ExtendsTo64Bits) {
  SeqUnwrapper unwrapper;
  const auto& c = GetParam();
  ASSERT_EQ(c.input.size(), c.expected.size());
  for (size_t i = 0; i < c.input.size(); ++i) {
    EXPECT_EQ(unwrapper.unwrap(c.input[i]), c.expected[i]) << c.name << " #" << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    WrapAround, SeqUnwrapperTest,
    ::testing::Values(
        UnwrapCase{"ascending", {1, 2, 3}, {1, 2, 3}},
        UnwrapCase{"forward wrap", {65534, 65535, 0, 1}, {65534, 65535, 65536, 65537}},
        UnwrapCase{"reordered across wrap", {65535, 1, 0, 2}, {65535, 65537, 65536, 65538}},
        UnwrapCase{"backward wrap", {0, 65535, 65534}, {0, -1, -2}},
        UnwrapCase{"two wraps", {60000, 10000, 40000, 5000}, {60000, 75536, 105536, 136072}},
        UnwrapCase{"large jump", {0, 0x7FFF, 0xFFFE}, {0, 0x7FFF, 0xFFFE}}),
    [](const auto& testInfo) {
      std::string name = testInfo.param.name;
      for (auto& ch : name) {
        if (ch == ' ') ch = '_';
      }
      return name;
    });

struct TsUnwrapCase {
  uint32_t first;
  uint32_t second;
  int64_t expected;
};

class TimestampUnwrapperTest : public ::testing::TestWithParam<TsUnwrapCase> {};

TEST_P(TimestampUnwrapperTest, ExtendsTo64Bits) {
  TimestampUnwrapper unwrapper;
  const auto& c = GetParam();
  EXPECT_EQ(unwrapper.unwrap(c.first), c.first);
  EXPECT_EQ(unwrapper.unwrap(c.second), c.expected);
}

INSTANTIATE_TEST_SUITE_P(WrapAround, TimestampUnwrapperTest,
                         ::testing::Values(TsUnwrapCase{0xFFFFFF00u, 0x00000100u, 0x100000100LL},
                                           TsUnwrapCase{0x00000100u, 0xFFFFFF00u, -0x100LL},
                                           TsUnwrapCase{90000, 93000, 93000},
                                           TsUnwrapCase{93000, 90000, 90000}));

TEST(SeqUnwrapper, PeekDoesNotMoveTheReference) {
  SeqUnwrapper unwrapper;
  EXPECT_EQ(unwrapper.peek(7), 7);
  EXPECT_EQ(unwrapper.unwrap(65535), 65535);
  EXPECT_EQ(unwrapper.peek(2), 65538);
  EXPECT_EQ(unwrapper.unwrap(65534), 65534);
  unwrapper.reset();
  EXPECT_EQ(unwrapper.unwrap(3), 3);
}

TEST(RtpDemux, SplitsRtpFromRtcpByPayloadType) {
  const uint8_t sr[] = {0x80, 200};
  const uint8_t fb[] = {0x81, 205};
  const uint8_t pt96[] = {0x80, 96};
  const uint8_t pt96Marker[] = {0x80, 0xE0};  // M=1, PT 96: byte 224, above the RTCP range
  const uint8_t pt72Marker[] = {0x80, 0xC8};  // M=1 PT 72 collides with SR: why RFC 5761 §4 avoids PT 64-95
  const uint8_t dtls[] = {22, 254};
  EXPECT_TRUE(isRtcp(sr, sizeof(sr)));
  EXPECT_TRUE(isRtcp(fb, sizeof(fb)));
  EXPECT_FALSE(isRtp(sr, sizeof(sr)));
  EXPECT_TRUE(isRtp(pt96, sizeof(pt96)));
  EXPECT_TRUE(isRtp(pt96Marker, sizeof(pt96Marker)));
  EXPECT_TRUE(isRtcp(pt72Marker, sizeof(pt72Marker)));
  EXPECT_FALSE(isRtcp(dtls, sizeof(dtls)));
  EXPECT_FALSE(isRtp(dtls, sizeof(dtls)));
  EXPECT_FALSE(isRtcp(sr, 1));
  EXPECT_FALSE(isRtcp(nullptr, 2));
  const uint8_t edges[] = {0x80, 191, 0x80, 192, 0x80, 223, 0x80, 224};
  EXPECT_FALSE(isRtcp(edges, 2));
  EXPECT_TRUE(isRtcp(edges + 2, 2));
  EXPECT_TRUE(isRtcp(edges + 4, 2));
  EXPECT_FALSE(isRtcp(edges + 6, 2));
}

}  // namespace
}  // namespace diemcau::media::rtp
