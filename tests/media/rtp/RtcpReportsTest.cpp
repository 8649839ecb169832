#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "media/rtp/Bye.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/Sdes.hpp"
#include "media/rtp/SenderReport.hpp"

namespace diemcau::media::rtp {
namespace {

std::optional<RtcpPacket> single(const std::vector<uint8_t>& buf) { return RtcpPacket::parse(buf.data(), buf.size()); }

TEST(ReceiverReport, ParsesReportBlock) {
  const std::vector<uint8_t> buf = {
      0x81, 0xC9, 0x00, 0x07,  // RR, RC=1, length 7
      0x00, 0x00, 0x00, 0x01,  // reporter SSRC
      0x12, 0x34, 0x56, 0x78,  // source SSRC
      0x40, 0xFF, 0xFF, 0xFE,  // fraction lost 64/256 | cumulative lost -2 (duplicates)
      0x00, 0x01, 0x00, 0x10,  // extended highest seq: 1 cycle, seq 16
      0x00, 0x00, 0x00, 0x2A,  // jitter 42
      0xAB, 0xCD, 0xEF, 0x01,  // LSR
      0x00, 0x01, 0x80, 0x00,  // DLSR 1.5 s
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  const auto rr = ReceiverReport::parse(*packet);
  ASSERT_TRUE(rr);
  EXPECT_EQ(rr->ssrc(), 1u);
  ASSERT_EQ(rr->reportCount(), 1u);
  const ReportBlock block = rr->reportBlock(0);
  EXPECT_EQ(block.ssrc, 0x12345678u);
  EXPECT_EQ(block.fractionLost, 64);
  EXPECT_EQ(block.cumulativeLost, -2);
  EXPECT_EQ(block.highestSeq, 0x00010010u);
  EXPECT_EQ(block.jitter, 42u);
  EXPECT_EQ(block.lastSr, 0xABCDEF01u);
  EXPECT_EQ(block.delaySinceLastSr, 0x18000u);
  EXPECT_EQ(rr->reportBlock(1), ReportBlock{});

  std::array<uint8_t, 64> out{};
  ASSERT_EQ(ReceiverReport::write(out, 1, std::span(&block, 1)), buf.size());
  EXPECT_TRUE(std::equal(buf.begin(), buf.end(), out.begin()));
}

TEST(ReceiverReport, RejectsReportCountBeyondThePacket) {
  const std::vector<uint8_t> buf = {
      0x82, 0xC9, 0x00, 0x07,  // RC=2 but room for one block
      0x00, 0x00, 0x00, 0x01,  //
      0x12, 0x34, 0x56, 0x78,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x00, 0x00, 0x00, 0x00,  //
      0x00, 0x00, 0x00, 0x00,  //
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  EXPECT_FALSE(ReceiverReport::parse(*packet));
  EXPECT_FALSE(SenderReport::parse(*packet));  // wrong type as well
}

TEST(ReportBlock, ClampsCumulativeLostTo24Bits) {
  ReportBlock block;
  block.cumulativeLost = 0x12345678;
  std::array<uint8_t, ReportBlock::kSize> out{};
  block.write(out.data());
  EXPECT_EQ(ReportBlock::read(out.data()).cumulativeLost, 0x7FFFFF);
  block.cumulativeLost = -0x12345678;
  block.write(out.data());
  EXPECT_EQ(ReportBlock::read(out.data()).cumulativeLost, -0x800000);
}

TEST(SenderReport, RoundTripsWithBlocks) {
  const SenderInfo info{0xAABBCCDD, 0x0102030405060708ull, 90000, 10, 12000};
  const std::array<ReportBlock, 2> blocks = {
      ReportBlock{1, 2, -3, 4, 5, 6, 7},
      ReportBlock{8, 9, 10, 11, 12, 13, 14},
  };
  std::array<uint8_t, 128> out{};
  const size_t size = SenderReport::write(out, info, blocks);
  ASSERT_EQ(size, 4u + 24 + 48);
  EXPECT_EQ(SenderReport::write(std::span(out).first(size - 1), info, blocks), 0u);

  const auto packet = RtcpPacket::parse(out.data(), size);
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->count(), 2);
  const auto sr = SenderReport::parse(*packet);
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->info().ssrc, info.ssrc);
  EXPECT_EQ(sr->info().ntpTimestamp, info.ntpTimestamp);
  EXPECT_EQ(sr->info().rtpTimestamp, info.rtpTimestamp);
  EXPECT_EQ(sr->info().packetCount, info.packetCount);
  EXPECT_EQ(sr->info().octetCount, info.octetCount);
  ASSERT_EQ(sr->reportCount(), 2u);
  EXPECT_EQ(sr->reportBlock(0), blocks[0]);
  EXPECT_EQ(sr->reportBlock(1), blocks[1]);

  const std::vector<ReportBlock> tooMany(32);
  EXPECT_EQ(SenderReport::write(out, info, tooMany), 0u);
  EXPECT_EQ(ReceiverReport::write(out, 1, tooMany), 0u);
}

TEST(Sdes, ReadsSeveralChunksAndSkipsOtherItems) {
  const std::vector<uint8_t> buf = {
      0x82, 0xCA, 0x00, 0x06,  // SDES, SC=2, length 6
      0x00, 0x00, 0x00, 0x01,  // chunk 1 SSRC
      0x02, 0x01, 0x78, 0x01,  // NAME "x" | CNAME
      0x02, 0x61, 0x62, 0x00,  //   "ab" | end
      0x00, 0x00, 0x00, 0x02,  // chunk 2 SSRC
      0x06, 0x01, 0x74, 0x00,  // TOOL "t" | end, no CNAME
      0x00, 0x00, 0x00, 0x00,  // trailing zeros (tolerated)
  };
  const auto packet = single(buf);
  ASSERT_TRUE(packet);
  const auto sdes = Sdes::parse(*packet);
  ASSERT_TRUE(sdes);
  EXPECT_EQ(sdes->chunkCount(), 2u);
  auto reader = sdes->chunks();
  auto c1 = reader.next();
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->ssrc, 1u);
  EXPECT_EQ(c1->cname, "ab");
  auto c2 = reader.next();
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->ssrc, 2u);
  EXPECT_TRUE(c2->cname.empty());
  EXPECT_FALSE(reader.next());
  EXPECT_FALSE(reader.malformed());
}

TEST(Sdes, ReportsItemsAndChunksThatOverrun) {
  std::vector<uint8_t> buf = {
      0x81, 0xCA, 0x00, 0x02,  // SDES, SC=1
      0x00, 0x00, 0x00, 0x01,  // SSRC
      0x01, 0x09, 0x61, 0x62,  // CNAME claims 9 bytes, 2 remain
  };
  auto packet = single(buf);
  ASSERT_TRUE(packet);
  auto reader = Sdes::parse(*packet)->chunks();
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.malformed());

  buf[9] = 0x02;  // fits exactly, but no terminating null octet
  packet = single(buf);
  reader = Sdes::parse(*packet)->chunks();
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.malformed());

  buf[0] = 0x82;  // SC=2: the second chunk is missing entirely
  buf[9] = 0x01;
  buf[11] = 0x00;
  packet = single(buf);
  reader = Sdes::parse(*packet)->chunks();
  auto chunk = reader.next();
  ASSERT_TRUE(chunk);
  EXPECT_EQ(chunk->cname, "a");
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.malformed());
}

TEST(Sdes, WritesCnameThatReadsBack) {
  for (const std::string cname : {"", "a", "abc", "abcd", "0123456789abcdef"}) {
    std::array<uint8_t, 300> out{};
    const size_t size = Sdes::writeCname(out, 0x01020304, cname);
    ASSERT_GT(size, 0u) << cname;
    EXPECT_EQ(size % 4, 0u);
    EXPECT_EQ(Sdes::writeCname(std::span(out).first(size - 1), 1, cname), 0u);
    RtcpCompound compound(out.data(), size);
    const auto packet = compound.next();
    ASSERT_TRUE(packet);
    EXPECT_TRUE(compound.complete());
    auto reader = Sdes::parse(*packet)->chunks();
    const auto chunk = reader.next();
    ASSERT_TRUE(chunk) << cname;
    EXPECT_EQ(chunk->ssrc, 0x01020304u);
    EXPECT_EQ(chunk->cname, cname);
  }
  std::array<uint8_t, 300> out{};
  EXPECT_EQ(Sdes::writeCname(out, 1, std::string(256, 'x')), 0u);
}

TEST(Bye, ParsesSsrcsAndReason) {
  std::vector<uint8_t> buf = {
      0x82, 0xCB, 0x00, 0x04,  // BYE, SC=2, length 4
      0x00, 0x00, 0x00, 0x0A,  // SSRC 10
      0x00, 0x00, 0x00, 0x0B,  // SSRC 11
      0x05, 0x62, 0x79, 0x65,  // reason length 5 "bye
      0x21, 0x21, 0x00, 0x00,  // !!" | pad
  };
  auto packet = single(buf);
  ASSERT_TRUE(packet);
  auto bye = Bye::parse(*packet);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->ssrcCount(), 2u);
  EXPECT_EQ(bye->ssrc(0), 10u);
  EXPECT_EQ(bye->ssrc(1), 11u);
  EXPECT_EQ(bye->ssrc(2), 0u);
  EXPECT_EQ(bye->reason(), "bye!!");

  buf[12] = 0x20;  // reason length beyond the packet: ignored, SSRCs still valid
  packet = single(buf);
  bye = Bye::parse(*packet);
  ASSERT_TRUE(bye);
  EXPECT_TRUE(bye->reason().empty());

  buf[0] = 0x86;  // SC=6 > 4 words of body
  packet = single(buf);
  EXPECT_FALSE(Bye::parse(*packet));
}

TEST(Bye, RoundTrips) {
  const std::array<uint32_t, 3> ssrcs = {1, 2, 3};
  std::array<uint8_t, 64> out{};
  const size_t size = Bye::write(out, ssrcs, "gone");
  ASSERT_EQ(size, 4u + 12 + 8);
  const auto packet = RtcpPacket::parse(out.data(), size);
  ASSERT_TRUE(packet);
  const auto bye = Bye::parse(*packet);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->ssrcCount(), 3u);
  EXPECT_EQ(bye->ssrc(2), 3u);
  EXPECT_EQ(bye->reason(), "gone");
  EXPECT_EQ(Bye::write(out, ssrcs), 16u);
  EXPECT_EQ(Bye::write(std::span(out).first(15), ssrcs), 0u);
}

}  // namespace
}  // namespace diemcau::media::rtp
