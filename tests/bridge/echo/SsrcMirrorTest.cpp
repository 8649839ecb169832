// SsrcMirror on crafted RTCP compounds. The bridge's SSRCs are drawn from a seed, so the packets are
// written as 32-bit words (one per line, network order) with those SSRCs filled in at run time.
#include "bridge/echo/SsrcMirror.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::bridge {
namespace {

constexpr uint32_t kPeerAudio = 0x0A0A0A0A;
constexpr uint32_t kPeerVideo = 0x0B0B0B0B;
constexpr uint32_t kPeerRtx = 0x0C0C0C0C;
constexpr uint32_t kPeerRtcpOnly = 0x00000001;  // Chrome's receive-only RTCP sender SSRC
constexpr uint32_t kStranger = 0xDEADBEEF;

std::vector<uint8_t> words(std::initializer_list<uint32_t> list) {
  std::vector<uint8_t> out(list.size() * 4);
  size_t at = 0;
  for (uint32_t w : list) {
    media::rtp::writeU32(&out[at], w);
    at += 4;
  }
  return out;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class SsrcMirrorTest : public ::testing::Test {
 protected:
  SsrcMirrorTest() {
    bA_ = mirror_.learn(SsrcMirror::kAudio, kPeerAudio);
    bV_ = mirror_.learn(SsrcMirror::kVideo, kPeerVideo);
    bR_ = mirror_.learn(SsrcMirror::kVideoRtx, kPeerRtx);
  }

  // Runs mirrorRtcp on a copy and returns the compacted result.
  std::vector<uint8_t> mirror(std::vector<uint8_t> in) const {
    const size_t len = mirror_.mirrorRtcp(in.data(), in.size());
    in.resize(len);
    return in;
  }

  // SR from the peer's audio sender with two report blocks about the bridge's streams.
  std::vector<uint8_t> senderReport(uint32_t sender, uint32_t block1, uint32_t block2) const {
    return words({
        0x82C80012,  // V=2, RC=2, PT=200 SR, length 18 words
        sender,      // SSRC of sender
        0xE1234567,  // NTP timestamp, most significant word
        0x89ABCDEF,  // NTP timestamp, least significant word
        0x0001E240,  // RTP timestamp
        0x00000064,  // sender's packet count
        0x00004E20,  // sender's octet count
        block1,      // report block 1: SSRC
        0x05000003,  //   fraction lost 5/256, cumulative lost 3
        0x00010010,  //   extended highest sequence number
        0x0000001E,  //   jitter
        0x23456789,  //   LSR
        0x00008000,  //   DLSR 0.5 s
        block2,      // report block 2: SSRC
        0x00000000,  //   nothing lost
        0x00000200,  //   extended highest sequence number
        0x00000004,  //   jitter
        0x00000000,  //   LSR
        0x00000000,  //   DLSR
    });
  }
  std::vector<uint8_t> receiverReport(uint32_t sender, uint32_t block) const {
    return words({
        0x81C90007,  // V=2, RC=1, PT=201 RR, length 7 words
        sender,      // SSRC of packet sender
        block,       // report block: SSRC
        0x00000000,  //   fraction / cumulative lost
        0x0000FFFF,  //   extended highest sequence number
        0x00000010,  //   jitter
        0x11112222,  //   LSR
        0x00000100,  //   DLSR
    });
  }
  std::vector<uint8_t> sdes(uint32_t ssrc) const {
    return words({
        0x81CA0003,  // V=2, SC=1, PT=202 SDES, length 3 words
        ssrc,        // chunk SSRC
        0x01046162,  // CNAME, length 4, "ab"
        0x63640000,  // "cd", end of items, pad
    });
  }
  std::vector<uint8_t> bye(uint32_t ssrc) const {
    return words({
        0x81CB0001,  // V=2, SC=1, PT=203 BYE, length 1 word
        ssrc,        // leaving SSRC
    });
  }

  SsrcMirror mirror_{7};
  uint32_t bA_ = 0, bV_ = 0, bR_ = 0;
};

TEST_F(SsrcMirrorTest, BridgeSsrcsAreDistinctNonZeroAndSeeded) {
  EXPECT_NE(bA_, 0u);
  EXPECT_NE(bV_, 0u);
  EXPECT_NE(bR_, 0u);
  EXPECT_NE(bA_, bV_);
  EXPECT_NE(bV_, bR_);
  EXPECT_NE(bA_, bR_);
  EXPECT_EQ(mirror_.bridgeSsrc(SsrcMirror::kVideo), bV_);
  SsrcMirror same(7);
  SsrcMirror other(8);
  EXPECT_EQ(same.bridgeSsrc(SsrcMirror::kVideo), bV_);
  EXPECT_NE(other.bridgeSsrc(SsrcMirror::kVideo), bV_);
}

TEST_F(SsrcMirrorTest, SwapsBothWaysAndLeavesOthersAlone) {
  EXPECT_EQ(mirror_.swap(kPeerAudio), bA_);
  EXPECT_EQ(mirror_.swap(kPeerVideo), bV_);
  EXPECT_EQ(mirror_.swap(kPeerRtx), bR_);
  EXPECT_EQ(mirror_.swap(bA_), kPeerAudio);
  EXPECT_EQ(mirror_.swap(bV_), kPeerVideo);
  EXPECT_EQ(mirror_.swap(bR_), kPeerRtx);
  EXPECT_EQ(mirror_.swap(kStranger), kStranger);
  EXPECT_EQ(mirror_.swap(0), 0u);
  EXPECT_EQ(mirror_.swap(mirror_.swap(kPeerVideo)), kPeerVideo);
}

TEST(SsrcMirrorUnlearned, BridgeSsrcWithoutPeerStaysPut) {
  SsrcMirror mirror(3);
  const uint32_t video = mirror.bridgeSsrc(SsrcMirror::kVideo);
  EXPECT_EQ(mirror.swap(video), video);  // nothing learned yet: no peer SSRC to map to
  EXPECT_EQ(mirror.swap(0), 0u);
  EXPECT_EQ(mirror.learn(SsrcMirror::kVideo, kPeerVideo), video);
  EXPECT_EQ(mirror.swap(video), kPeerVideo);
  // A peer that changes its SSRC (e.g. after a renegotiation) is followed.
  mirror.learn(SsrcMirror::kVideo, kStranger);
  EXPECT_EQ(mirror.swap(video), kStranger);
  EXPECT_EQ(mirror.swap(kStranger), video);
}

TEST_F(SsrcMirrorTest, SenderReportSwapsSenderAndEveryReportBlock) {
  const auto out = mirror(senderReport(kPeerAudio, bV_, bA_));
  EXPECT_EQ(out, senderReport(bA_, kPeerVideo, kPeerAudio));
}

TEST_F(SsrcMirrorTest, ReceiverReportFromAnRtcpOnlySsrc) {
  const auto out = mirror(receiverReport(kPeerRtcpOnly, bV_));
  EXPECT_EQ(out, receiverReport(kPeerRtcpOnly, kPeerVideo));
}

TEST_F(SsrcMirrorTest, PliSwapsMediaSsrc) {
  auto pli = [](uint32_t sender, uint32_t media) {
    return words({
        0x81CE0002,  // V=2, FMT=1 PLI, PT=206 PSFB, length 2 words
        sender,      // SSRC of packet sender
        media,       // SSRC of media source
    });
  };
  EXPECT_EQ(mirror(pli(kPeerRtcpOnly, bV_)), pli(kPeerRtcpOnly, kPeerVideo));
}

TEST_F(SsrcMirrorTest, FirSwapsEveryFciEntry) {
  auto fir = [](uint32_t entry1, uint32_t entry2) {
    return words({
        0x84CE0006,  // V=2, FMT=4 FIR, PT=206 PSFB, length 6 words
        0x00000001,  // SSRC of packet sender
        0x00000000,  // SSRC of media source: unused, 0 (RFC 5104 §4.3.1.2)
        entry1,      // FCI entry 1: SSRC
        0x05000000,  //   command sequence number 5, reserved
        entry2,      // FCI entry 2: SSRC
        0x06000000,  //   command sequence number 6, reserved
    });
  };
  EXPECT_EQ(mirror(fir(bV_, kStranger)), fir(kPeerVideo, kStranger));
}

TEST_F(SsrcMirrorTest, NackSwapsMediaSsrcAndKeepsTheLostPackets) {
  auto nack = [](uint32_t sender, uint32_t media) {
    return words({
        0x81CD0004,  // V=2, FMT=1 generic NACK, PT=205 RTPFB, length 4 words
        sender,      // SSRC of packet sender
        media,       // SSRC of media source
        0x01000005,  // PID 256, BLP: 257 and 259 lost too
        0x0110FFFF,  // PID 272, BLP: the 16 after it lost
    });
  };
  EXPECT_EQ(mirror(nack(kPeerAudio, bR_)), nack(bA_, kPeerRtx));
}

TEST_F(SsrcMirrorTest, RembSwapsBothListedSsrcs) {
  auto remb = [](uint32_t ssrc1, uint32_t ssrc2) {
    return words({
        0x8FCE0006,  // V=2, FMT=15 AFB, PT=206 PSFB, length 6 words
        0x00000001,  // SSRC of packet sender
        0x00000000,  // SSRC of media source: always 0 for REMB
        0x52454D42,  // "REMB"
        0x0207A120,  // Num SSRC=2, BR exp=1, mantissa=237856
        ssrc1,       // SSRC feedback 1
        ssrc2,       // SSRC feedback 2
    });
  };
  const auto in = remb(bV_, bR_);
  ASSERT_EQ(in.size(), 28u);
  EXPECT_EQ(mirror(in), remb(kPeerVideo, kPeerRtx));
}

TEST_F(SsrcMirrorTest, DropsSdesAndByeAndCompactsTheRest) {
  const auto sr = senderReport(kPeerVideo, bV_, bA_);
  const auto rr = receiverReport(kPeerRtcpOnly, bA_);
  const auto in = concat({sr, sdes(kPeerVideo), bye(kPeerAudio), rr});
  const auto out = mirror(in);
  ASSERT_EQ(out.size(), sr.size() + rr.size()) << "SDES and BYE must be gone";
  EXPECT_EQ(out, concat({senderReport(bV_, kPeerVideo, kPeerAudio), receiverReport(kPeerRtcpOnly, kPeerAudio)}));
}

TEST_F(SsrcMirrorTest, DropsAPacketBeforeTheFirstKeptOne) {
  const auto rr = receiverReport(kPeerRtcpOnly, bV_);
  EXPECT_EQ(mirror(concat({sdes(kPeerVideo), rr})), receiverReport(kPeerRtcpOnly, kPeerVideo));
}

TEST_F(SsrcMirrorTest, NothingLeftIsZero) {
  std::vector<uint8_t> in = concat({sdes(kPeerVideo), bye(kPeerVideo)});
  EXPECT_EQ(mirror_.mirrorRtcp(in.data(), in.size()), 0u);
}

TEST_F(SsrcMirrorTest, MalformedCompoundIsZero) {
  // The RR says 7 words follow but the datagram ends 8 bytes early.
  auto truncated = receiverReport(kPeerRtcpOnly, bV_);
  truncated.resize(truncated.size() - 8);
  EXPECT_EQ(mirror_.mirrorRtcp(truncated.data(), truncated.size()), 0u);

  // A good SR followed by a packet whose length runs past the end: the whole compound goes.
  auto tail = concat({senderReport(kPeerAudio, bV_, bA_), words({
                                                               0x81C90007,  // RR, length 7 words...
                                                               0x00000001,  // ...but only this one follows
                                                           })});
  EXPECT_EQ(mirror_.mirrorRtcp(tail.data(), tail.size()), 0u);

  // Version 1 is not RTCP (RFC 3550 §6.4.1).
  auto version1 = words({
      0x41C90000,  // V=1, RC=1, PT=201, length 0
  });
  EXPECT_EQ(mirror_.mirrorRtcp(version1.data(), version1.size()), 0u);

  // Not a whole header.
  std::vector<uint8_t> three = {0x81, 0xC9, 0x00};
  EXPECT_EQ(mirror_.mirrorRtcp(three.data(), three.size()), 0u);
  EXPECT_EQ(mirror_.mirrorRtcp(nullptr, 0), 0u);
}

TEST_F(SsrcMirrorTest, ReportCountLargerThanThePacketIsBounded) {
  // RC=3 but room for one block only: the one present is swapped, nothing past the packet is touched.
  auto rr = words({
      0x83C90007,  // V=2, RC=3, PT=201 RR, length 7 words (one block)
      0x00000001,  // SSRC of packet sender
      bV_,         // report block: SSRC
      0x00000000,  //   fraction / cumulative lost
      0x0000FFFF,  //   extended highest sequence number
      0x00000010,  //   jitter
      0x00000000,  //   LSR
      0x00000000,  //   DLSR
  });
  auto following = bye(bV_);  // dropped, but its bytes must not be swapped in place first
  auto in = concat({rr, following});
  const size_t len = mirror_.mirrorRtcp(in.data(), in.size());
  ASSERT_EQ(len, rr.size());
  EXPECT_EQ(media::rtp::readU32(&in[8]), kPeerVideo);
  EXPECT_EQ(media::rtp::readU32(&in[rr.size() + 4]), bV_) << "the BYE after the RR was rewritten";
}

}  // namespace
}  // namespace diemcau::bridge
