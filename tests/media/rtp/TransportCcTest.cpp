#include "media/rtp/TransportCc.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {
namespace {

std::vector<uint8_t> craftedFeedback() {
  return {
      0x8F, 0xCD, 0x00, 0x07,  // RTPFB, FMT=15 (TWCC), length 7
      0x00, 0x00, 0x00, 0x01,  // sender SSRC
      0x00, 0x00, 0x00, 0x02,  // media SSRC
      0x00, 0x64, 0x00, 0x0A,  // base seq 100 | status count 10
      0x00, 0x00, 0x10, 0x05,  // reference time 16 (x64 ms) | fb pkt count 5
      0x20, 0x03, 0xE1, 0x00,  // run: 3 x small delta | 2-bit vector: large, none, small, none x4
      0x04, 0x08, 0xFF, 0xFF,  // deltas: 4, 8, 255 | large delta -200 (0xFF38)
      0x38, 0x00, 0x00, 0x00,  //   .. | small delta 0 | zero padding
  };
}

std::vector<TwccPacketStatus> decodeAll(const TransportCc& twcc) {
  std::vector<TwccPacketStatus> all;
  twcc.forEachPacket([&](const TwccPacketStatus& s) { all.push_back(s); });
  return all;
}

TEST(TransportCc, DecodesRunLengthAndTwoBitChunks) {
  const auto buf = craftedFeedback();
  const auto packet = RtcpPacket::parse(buf.data(), buf.size());
  ASSERT_TRUE(packet);
  const auto twcc = TransportCc::parse(*packet);
  ASSERT_TRUE(twcc);
  EXPECT_EQ(twcc->senderSsrc(), 1u);
  EXPECT_EQ(twcc->mediaSsrc(), 2u);
  EXPECT_EQ(twcc->baseSequence(), 100);
  EXPECT_EQ(twcc->statusCount(), 10);
  EXPECT_EQ(twcc->referenceTime(), 16);
  EXPECT_EQ(twcc->referenceTimeUs(), 16 * 64000);
  EXPECT_EQ(twcc->feedbackCount(), 5);

  const std::vector<TwccPacketStatus> expected = {
      {100, true, 4},    {101, true, 8},  {102, true, 255}, {103, true, -200}, {104, false, 0},
      {105, true, 0},    {106, false, 0}, {107, false, 0},  {108, false, 0},   {109, false, 0},
  };
  EXPECT_EQ(decodeAll(*twcc), expected);

  std::array<TwccPacketStatus, 4> few{};
  EXPECT_EQ(twcc->decode(few), 4u);
  EXPECT_EQ(few[3], expected[3]);
  std::array<TwccPacketStatus, 16> many{};
  EXPECT_EQ(twcc->decode(many), 10u);
  // A const callable works too.
  size_t received = 0;
  const auto countReceived = [&received](const TwccPacketStatus& s) { received += s.received; };
  twcc->forEachPacket(countReceived);
  EXPECT_EQ(received, 5u);
}

TEST(TransportCc, DecodesOneBitVectorAndNegativeReferenceTime) {
  const std::vector<uint8_t> buf = {
      0x8F, 0xCD, 0x00, 0x05,  // TWCC, length 5
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x02,  //
      0xFF, 0xFF, 0x00, 0x05,  // base seq 65535 | 5 statuses
      0xFF, 0xFF, 0xFF, 0x00,  // reference time -1 | fb pkt count 0
      0xA8, 0x00, 0x01, 0x02,  // 1-bit vector: 1 0 1 0 0 (+9 ignored) | deltas 1, 2
  };
  const auto twcc = TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size()));
  ASSERT_TRUE(twcc);
  EXPECT_EQ(twcc->referenceTime(), -1);
  const std::vector<TwccPacketStatus> expected = {
      {65535, true, 1}, {0, false, 0}, {1, true, 2}, {2, false, 0}, {3, false, 0},
  };
  EXPECT_EQ(decodeAll(*twcc), expected);
}

TEST(TransportCc, RejectsStatusCountLargerThanTheChunks) {
  std::vector<uint8_t> buf = {
      0x8F, 0xCD, 0x00, 0x05,  // TWCC, length 5
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x64, 0x00, 0x14,  // base seq 100 | 20 statuses announced
      0x00, 0x00, 0x10, 0x05,  //
      0x00, 0x03, 0x00, 0x00,  // run: 3 x not received | run of 0, then the packet ends
  };
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size())));
  buf[15] = 0x03;  // 3 statuses: exactly what the chunks carry
  const auto twcc = TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size()));
  ASSERT_TRUE(twcc);
  EXPECT_EQ(decodeAll(*twcc).size(), 3u);

  auto crafted = craftedFeedback();
  crafted[14] = 0xFF;  // 65535 statuses: the deltas get read as chunks until the packet ends
  crafted[15] = 0xFF;
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(crafted.data(), crafted.size())));
  crafted[14] = 0x00;
  crafted[15] = 0x00;  // no statuses at all
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(crafted.data(), crafted.size())));
}

TEST(TransportCc, RejectsDeltasBeyondThePacketAndReservedSymbols) {
  auto buf = craftedFeedback();
  buf[3] = 0x06;  // drop the last word: the last two deltas no longer fit
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(buf.data(), 28)));
  buf[3] = 0x07;
  buf[22] = 0xF1;  // 2-bit vector whose first symbol is 3 (reserved)
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size())));
  buf[22] = 0xE1;
  buf[20] = 0x60;  // run of symbol 3
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size())));
}

TEST(TransportCc, RejectsShortFci) {
  const std::vector<uint8_t> buf = {
      0x8F, 0xCD, 0x00, 0x03,  // TWCC with a 4-byte FCI
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x02,  //
      0x00, 0x01, 0x00, 0x01,  // base seq | count, then nothing
  };
  EXPECT_FALSE(TransportCc::parse(*RtcpPacket::parse(buf.data(), buf.size())));
}

std::vector<TwccPacketStatus> makeStatuses(uint16_t base, const std::vector<int>& pattern) {
  // pattern: -99999 = lost, anything else = received with that delta.
  std::vector<TwccPacketStatus> out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const bool received = pattern[i] != -99999;
    out.push_back({static_cast<uint16_t>(base + i), received, received ? pattern[i] : 0});
  }
  return out;
}

struct RoundTripCase {
  const char* name;
  uint16_t base;
  std::vector<int> pattern;
};

class TransportCcRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(TransportCcRoundTrip, WriterOutputDecodesToTheInput) {
  const auto& c = GetParam();
  const auto statuses = makeStatuses(c.base, c.pattern);
  std::vector<uint8_t> out(4096);
  const size_t size = TransportCcWriter::write(out, 0x11, 0x22, c.base, -5, 9, statuses);
  ASSERT_GT(size, 0u);
  ASSERT_EQ(size % 4, 0u);
  RtcpCompound compound(out.data(), size);
  const auto packet = compound.next();
  ASSERT_TRUE(packet);
  EXPECT_TRUE(compound.complete());
  const auto twcc = TransportCc::parse(*packet);
  ASSERT_TRUE(twcc);
  EXPECT_EQ(twcc->senderSsrc(), 0x11u);
  EXPECT_EQ(twcc->mediaSsrc(), 0x22u);
  EXPECT_EQ(twcc->baseSequence(), c.base);
  EXPECT_EQ(twcc->referenceTime(), -5);
  EXPECT_EQ(twcc->feedbackCount(), 9);
  EXPECT_EQ(decodeAll(*twcc), statuses);
  // Every shorter buffer is refused rather than overrun.
  for (size_t len = 0; len < size; ++len) {
    std::vector<uint8_t> small(len);
    EXPECT_EQ(TransportCcWriter::write(small, 0x11, 0x22, c.base, -5, 9, statuses), 0u) << len;
  }
}

constexpr int kLost = -99999;

INSTANTIATE_TEST_SUITE_P(
    Patterns, TransportCcRoundTrip,
    ::testing::Values(
        RoundTripCase{"single", 7, {10}},
        RoundTripCase{"single_lost", 7, {kLost}},
        RoundTripCase{"small_mix", 65530, {1, kLost, 3, 4, kLost, 250, 0, 0, 9, 10, 11, kLost, 13, 14, 15}},
        RoundTripCase{"large_and_negative", 0, {-1, 300, kLost, 32767, -32768, 1, 2, 3}},
        RoundTripCase{"long_runs",
                      100,
                      {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, kLost, kLost, kLost, kLost, kLost,
                       kLost, kLost, kLost, kLost, kLost, kLost, kLost, kLost, kLost, kLost, 1000, 1000, 1000, 1000,
                       1000, 1000, 1000, 1000, 1, -7}},
        RoundTripCase{"seven_large_then_small", 9, {-3, -3, -3, -3, -3, -3, -3, 1, 1, kLost, 1}}),
    [](const auto& testInfo) { return std::string(testInfo.param.name); });

TEST(TransportCcWriter, LongLossRunsUseRunLengthChunks) {
  std::vector<TwccPacketStatus> statuses(9000);
  for (size_t i = 0; i < statuses.size(); ++i) {
    statuses[i].sequence = static_cast<uint16_t>(i);
  }
  statuses.front().received = true;
  statuses.back().received = true;
  statuses.back().deltaTicks = 40;
  std::array<uint8_t, 64> out{};
  const size_t size = TransportCcWriter::write(out, 1, 2, 0, 0, 0, statuses);
  ASSERT_GT(size, 0u);
  const auto twcc = TransportCc::parse(*RtcpPacket::parse(out.data(), size));
  ASSERT_TRUE(twcc);
  EXPECT_EQ(twcc->statusCount(), 9000);
  std::vector<TwccPacketStatus> decoded;
  twcc->forEachPacket([&](const TwccPacketStatus& s) { decoded.push_back(s); });
  EXPECT_EQ(decoded, statuses);
}

TEST(TransportCcWriter, RefusesInputItCannotEncode) {
  std::array<uint8_t, 256> out{};
  auto statuses = makeStatuses(10, {1, 2, 3});
  EXPECT_EQ(TransportCcWriter::write(out, 1, 2, 11, 0, 0, statuses), 0u);  // sequence mismatch
  statuses[1].deltaTicks = 40000;
  EXPECT_EQ(TransportCcWriter::write(out, 1, 2, 10, 0, 0, statuses), 0u);  // delta beyond 16 bits
  EXPECT_EQ(TransportCcWriter::write(out, 1, 2, 10, 0, 0, {}), 0u);
}

}  // namespace
}  // namespace diemcau::media::rtp
