#include "tools/bench/PacketFactory.hpp"

#include <stdexcept>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::tools::bench {

namespace rtp = media::rtp;

std::vector<uint8_t> makeRtpPacket(size_t size, uint16_t sequence, uint32_t timestamp, uint32_t ssrc) {
  // 12 fixed + 4 extension header + 12 extension elements (padded to a word) = 28 header bytes.
  static constexpr size_t kHeader = 28;
  if (size < kHeader + 12) throw std::invalid_argument("benchmark RTP packet too small");
  std::vector<uint8_t> p(size);
  p[0] = 0x90;  // V=2, X=1
  p[1] = 96;    // dynamic PT (VP8)
  rtp::writeU16(&p[2], sequence);
  rtp::writeU32(&p[4], timestamp);
  rtp::writeU32(&p[8], ssrc);
  rtp::writeU16(&p[12], 0xBEDE);
  rtp::writeU16(&p[14], 3);  // 3 words of elements
  size_t e = 16;
  p[e++] = static_cast<uint8_t>(kMidId << 4 | 0);  // mid "0", 1 byte
  p[e++] = '0';
  p[e++] = static_cast<uint8_t>(kAbsSendTimeId << 4 | 2);  // 3 bytes
  p[e++] = 0x12;
  p[e++] = 0x34;
  p[e++] = 0x56;
  p[e++] = static_cast<uint8_t>(kTransportCcId << 4 | 1);  // 2 bytes
  rtp::writeU16(&p[e], sequence);
  e += 2;
  while (e < kHeader) p[e++] = 0;  // padding elements
  // VP8 payload descriptor (RFC 7741 §4.2) for a non-key frame start, then pattern.
  p[kHeader] = 0x10;
  for (size_t i = kHeader + 1; i < size; ++i) p[i] = static_cast<uint8_t>(i * 31 + 7);
  return p;
}

std::vector<uint8_t> makeRtcpCompound() {
  std::vector<uint8_t> c;
  auto u32 = [&c](uint32_t v) {
    c.resize(c.size() + 4);
    rtp::writeU32(&c[c.size() - 4], v);
  };
  // RR, RC=2, length 13 words (RFC 3550 §6.4.2).
  u32(0x82C9000D);
  u32(0x0BADCAFE);
  for (uint32_t ssrc : {0x11111111u, 0x22222222u}) {
    u32(ssrc);
    u32(0x0A000010);  // fraction lost 10/256, cumulative 16
    u32(0x0001F000);  // extended highest sequence
    u32(0x00000020);  // jitter
    u32(0x12345678);  // LSR
    u32(0x00010000);  // DLSR: 1 s
  }
  // SDES, SC=1, length 6 words: CNAME "0123456789abcdef" (16 bytes) + end + pad.
  u32(0x81CA0006);
  u32(0x0BADCAFE);
  u32(0x01103031);  // CNAME, len 16, "01"
  u32(0x32333435);
  u32(0x36373839);
  u32(0x61626364);
  u32(0x65660000);  // "ef", end, pad
  // PSFB FMT=15 REMB for two SSRCs, length 6 words.
  u32(0x8FCE0006);
  u32(0x0BADCAFE);
  u32(0x00000000);
  u32(0x52454D42);  // "REMB"
  u32(0x0207A120);  // 2 SSRCs, exponent 1, mantissa 237856: about 476 kbit/s
  u32(0x11111111);
  u32(0x22222222);
  // RTPFB FMT=1 generic NACK, one FCI, length 3 words.
  u32(0x81CD0003);
  u32(0x0BADCAFE);
  u32(0x11111111);
  u32(0x01000005);  // PID 256, BLP: 256+1 and 256+3 lost as well
  return c;
}

std::vector<uint8_t> makeKeySalt(media::SrtpProfile profile, uint8_t seed) {
  std::vector<uint8_t> key(media::srtpMasterKeySaltLength(profile));
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed * 13 + i * 7 + 1);
  return key;
}

}  // namespace diemcau::tools::bench
