#include "tools/load/PayloadStamp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace diemcau::load {
namespace {

TEST(PayloadStamp, WritesTheLastTwentyBytes) {
  std::vector<uint8_t> payload(24, 0xEE);
  PayloadStamp stamp{0x0102, StreamKind::Video, 7, 0x0A0B0C0D, 0x0000001122334455};
  ASSERT_TRUE(stamp.writeTo(payload));
  const std::vector<uint8_t> expected = {
      0xEE, 0xEE, 0xEE, 0xEE,  // untouched payload before the stamp
      0x44, 0x43, 0x4C, 0x44,  // magic "DCLD"
      0x01, 0x02,              // source slot 0x0102
      0x01,                    // kind video
      0x07,                    // generation 7
      0x0A, 0x0B, 0x0C, 0x0D,  // stream sequence
      0x00, 0x00, 0x00, 0x11,  // send time, high 32 bits
      0x22, 0x33, 0x44, 0x55,  // send time, low 32 bits
  };
  EXPECT_EQ(payload, expected);
  const auto read = PayloadStamp::readFrom(payload);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->sourceSlot, 0x0102);
  EXPECT_EQ(read->kind, StreamKind::Video);
  EXPECT_EQ(read->generation, 7);
  EXPECT_EQ(read->sequence, 0x0A0B0C0Du);
  EXPECT_EQ(read->sentNs, 0x0000001122334455);
}

TEST(PayloadStamp, RefusesShortPayloadsAndForeignBytes) {
  std::array<uint8_t, PayloadStamp::kSize - 1> tooShort{};
  EXPECT_FALSE(PayloadStamp{}.writeTo(tooShort));
  EXPECT_FALSE(PayloadStamp::readFrom(tooShort));

  std::array<uint8_t, PayloadStamp::kSize> payload{};
  ASSERT_TRUE(PayloadStamp{}.writeTo(payload));
  payload[0] ^= 0x01;  // magic broken
  EXPECT_FALSE(PayloadStamp::readFrom(payload));
  payload[0] ^= 0x01;
  payload[6] = 2;  // no such kind
  EXPECT_FALSE(PayloadStamp::readFrom(payload));
}

}  // namespace
}  // namespace diemcau::load
