#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "media/rtp/Fir.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/Remb.hpp"
#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {
namespace {

std::optional<RtcpPacket> single(const std::vector<uint8_t>& buf) { return RtcpPacket::parse(buf.data(), buf.size()); }

std::vector<uint16_t> lostOf(const GenericNack& nack) {
  std::vector<uint16_t> lost;
  nack.forEachLost([&](uint16_t seq) { lost.push_back(seq); });
  return lost;
}

TEST(Pli, ParsesAndWrites) {
  const std::vector<uint8_t> buf = {
      0x81, 0xCE, 0x00, 0x02,  // PSFB, FMT=1 (PLI), length 2
      0x00, 0x00, 0x00, 0x01,  // sender SSRC
      0x11, 0x22, 0x33, 0x44,  // media SSRC
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  const auto pli = Pli::parse(*packet);
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->senderSsrc(), 1u);
  EXPECT_EQ(pli->mediaSsrc(), 0x11223344u);
  EXPECT_FALSE(Fir::parse(*packet));
  EXPECT_FALSE(GenericNack::parse(*packet));  // same FMT, different packet type

  std::array<uint8_t, Pli::kSize> out{};
  ASSERT_EQ(Pli::write(out, 1, 0x11223344), Pli::kSize);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), buf.begin()));
  EXPECT_EQ(Pli::write(std::span(out).first(11), 1, 2), 0u);
}

TEST(Pli, RejectsMissingSsrcs) {
  const std::vector<uint8_t> buf = {
      0x81, 0xCE, 0x00, 0x01,  // PLI of 8 bytes: the media SSRC is missing
      0x00, 0x00, 0x00, 0x01,  //
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  EXPECT_FALSE(Pli::parse(*packet));
}

TEST(Fir, ParsesEntries) {
  const std::vector<uint8_t> buf = {
      0x84, 0xCE, 0x00, 0x06,  // PSFB, FMT=4 (FIR), length 6
      0x00, 0x00, 0x00, 0x01,  // sender SSRC
      0x00, 0x00, 0x00, 0x00,  // media SSRC (unused, 0)
      0x0A, 0x0B, 0x0C, 0x0D,  // entry 0 SSRC
      0x07, 0x00, 0x00, 0x00,  //   seq nr 7 | reserved
      0x0E, 0x0F, 0x10, 0x11,  // entry 1 SSRC
      0xFF, 0x00, 0x00, 0x00,  //   seq nr 255
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  const auto fir = Fir::parse(*packet);
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->senderSsrc(), 1u);
  ASSERT_EQ(fir->entryCount(), 2u);
  EXPECT_EQ(fir->entry(0), (FirEntry{0x0A0B0C0D, 7}));
  EXPECT_EQ(fir->entry(1), (FirEntry{0x0E0F1011, 255}));
  EXPECT_EQ(fir->entry(2), FirEntry{});

  const std::array<FirEntry, 2> entries = {FirEntry{0x0A0B0C0D, 7}, FirEntry{0x0E0F1011, 255}};
  std::array<uint8_t, 64> out{};
  ASSERT_EQ(Fir::write(out, 1, entries), buf.size());
  EXPECT_TRUE(std::equal(buf.begin(), buf.end(), out.begin()));
  EXPECT_EQ(Fir::write(out, 1, {}), 0u);
}

TEST(Fir, RejectsMissingEntries) {
  const std::vector<uint8_t> buf = {
      0x84, 0xCE, 0x00, 0x02,  // FIR without FCI
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x00,  //
  };
  EXPECT_FALSE(Fir::parse(*single(buf)));
}

TEST(GenericNack, ParsesPidAndBlp) {
  const std::vector<uint8_t> buf = {
      0x81, 0xCD, 0x00, 0x04,  // RTPFB, FMT=1 (NACK), length 4
      0x00, 0x00, 0x00, 0x01,  // sender SSRC
      0x00, 0x00, 0x00, 0x02,  // media SSRC
      0xFF, 0xFE, 0x80, 0x05,  // PID 65534 | BLP: +1, +3, +16
      0x00, 0x64, 0x00, 0x00,  // PID 100 | BLP 0
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  const auto nack = GenericNack::parse(*packet);
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->mediaSsrc(), 2u);
  ASSERT_EQ(nack->entryCount(), 2u);
  EXPECT_EQ(nack->entry(0), (NackEntry{65534, 0x8005}));
  EXPECT_EQ(lostOf(*nack), (std::vector<uint16_t>{65534, 65535, 1, 14, 100}));
}

TEST(GenericNack, RejectsNoFci) {
  const std::vector<uint8_t> buf = {
      0x81, 0xCD, 0x00, 0x02,  // NACK with no FCI entry
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x02,  //
  };
  EXPECT_FALSE(GenericNack::parse(*single(buf)));
}

TEST(GenericNack, PacksSequenceNumbers) {
  const std::vector<uint16_t> lost = {65534, 65535, 1, 14, 100, 100, 117, 118};
  std::array<uint8_t, 64> out{};
  const size_t size = GenericNack::write(out, 1, 2, lost);
  ASSERT_EQ(size, 12u + 3 * 4);
  const std::array<uint8_t, 12> fci = {
      0xFF, 0xFE, 0x80, 0x05,  // 65534 + {65535, 1, 14}
      0x00, 0x64, 0x00, 0x00,  // 100 alone: 117 is 17 after it, outside the BLP
      0x00, 0x75, 0x00, 0x01,  // 117 + {118}
  };
  EXPECT_TRUE(std::equal(fci.begin(), fci.end(), out.begin() + 12));
  const auto nack = GenericNack::parse(*RtcpPacket::parse(out.data(), size));
  ASSERT_TRUE(nack);
  EXPECT_EQ(lostOf(*nack), (std::vector<uint16_t>{65534, 65535, 1, 14, 100, 117, 118}));
  EXPECT_EQ(GenericNack::write(std::span(out).first(size - 1), 1, 2, lost), 0u);
  EXPECT_EQ(GenericNack::write(out, 1, 2, {}), 0u);
}

TEST(GenericNack, RefusesMoreEntriesThanTheLengthFieldCanCount) {
  // Sequence numbers 17 apart never share an entry: 70000 entries exceed the 16-bit length field.
  std::vector<uint16_t> lost(70000);
  for (size_t i = 0; i < lost.size(); ++i) {
    lost[i] = static_cast<uint16_t>(i * 17);
  }
  std::vector<uint8_t> out(12 + 4 * lost.size());
  EXPECT_EQ(GenericNack::write(out, 1, 2, lost), 0u);
  lost.resize(65533);  // 12-byte header + 65533 entries = 65536 words, the largest packet
  EXPECT_EQ(GenericNack::write(out, 1, 2, lost), 12u + 4 * 65533);
  EXPECT_EQ(out[2], 0xFF);
  EXPECT_EQ(out[3], 0xFF);
}

TEST(Remb, ParsesBitrateAndSsrcs) {
  const std::vector<uint8_t> buf = {
      0x8F, 0xCE, 0x00, 0x06,  // PSFB, FMT=15 (AFB), length 6
      0x00, 0x00, 0x00, 0x01,  // sender SSRC
      0x00, 0x00, 0x00, 0x00,  // media SSRC 0
      0x52, 0x45, 0x4D, 0x42,  // "REMB"
      0x02, 0x1B, 0x12, 0x34,  // 2 SSRCs | exp 6, mantissa 0x31234
      0x00, 0x00, 0x00, 0x0A,  // SSRC 10
      0x00, 0x00, 0x00, 0x0B,  // SSRC 11
  };
  const auto remb = Remb::parse(*single(buf));
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->exponent(), 6);
  EXPECT_EQ(remb->mantissa(), 0x31234u);
  EXPECT_EQ(remb->bitrate(), uint64_t{0x31234} << 6);
  ASSERT_EQ(remb->ssrcCount(), 2u);
  EXPECT_EQ(remb->ssrc(0), 10u);
  EXPECT_EQ(remb->ssrc(1), 11u);
  EXPECT_EQ(remb->ssrc(2), 0u);
}

TEST(Remb, RejectsLyingSsrcCountAndWrongIdentifier) {
  std::vector<uint8_t> buf = {
      0x8F, 0xCE, 0x00, 0x05,  // AFB, length 5
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x52, 0x45, 0x4D, 0x42,  // "REMB"
      0x03, 0x00, 0x00, 0x01,  // 3 SSRCs announced, 1 present
      0x00, 0x00, 0x00, 0x0A,  //
  };
  EXPECT_FALSE(Remb::parse(*single(buf)));
  buf[16] = 0x01;
  EXPECT_TRUE(Remb::parse(*single(buf)));
  buf[15] = 0x43;  // "REMC"
  EXPECT_FALSE(Remb::parse(*single(buf)));
}

TEST(Remb, SaturatesHugeExponents) {
  const std::vector<uint8_t> buf = {
      0x8F, 0xCE, 0x00, 0x04,  // AFB
      0x00, 0x00, 0x00, 0x01,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x52, 0x45, 0x4D, 0x42,  // "REMB"
      0x00, 0xFF, 0xFF, 0xFF,  // 0 SSRCs | exp 63, mantissa 0x3FFFF
  };
  const auto remb = Remb::parse(*single(buf));
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->bitrate(), UINT64_MAX);
}

TEST(Remb, WriteRoundTripsWithinMantissaPrecision) {
  const std::array<uint32_t, 2> ssrcs = {7, 8};
  for (const uint64_t bitrate : {uint64_t{0}, uint64_t{300000}, uint64_t{262143}, uint64_t{262144},
                                 uint64_t{2500000}, uint64_t{1} << 40}) {
    std::array<uint8_t, 64> out{};
    const size_t size = Remb::write(out, 1, bitrate, ssrcs);
    ASSERT_EQ(size, 28u);
    const auto remb = Remb::parse(*RtcpPacket::parse(out.data(), size));
    ASSERT_TRUE(remb);
    EXPECT_LE(remb->bitrate(), bitrate);
    EXPECT_LT(bitrate - remb->bitrate(), uint64_t{1} << remb->exponent());
    EXPECT_EQ(remb->ssrc(1), 8u);
  }
}

}  // namespace
}  // namespace diemcau::media::rtp
