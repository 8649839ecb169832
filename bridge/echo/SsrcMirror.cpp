#include "bridge/echo/SsrcMirror.hpp"

#include <cstring>
#include <random>

#include "media/rtp/ByteOrder.hpp"
#include "media/rtp/RtcpFeedback.hpp"
#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

namespace {

void swapAt(const SsrcMirror& mirror, uint8_t* p) { rtp::writeU32(p, mirror.swap(rtp::readU32(p))); }

// Report blocks are 24 bytes, SSRC first (RFC 3550 §6.4.1); `count` comes from the header and is
// bounded by the packet's own length.
void swapReportBlocks(const SsrcMirror& mirror, uint8_t* first, uint8_t count, const uint8_t* end) {
  for (uint8_t i = 0; i < count && first + 24 * (i + 1) <= end; ++i) swapAt(mirror, first + 24 * i);
}

// Returns false for a packet kind the mirror drops.
bool mirrorPacket(const SsrcMirror& mirror, uint8_t* p, size_t size) {
  const uint8_t type = p[1];
  const uint8_t count = p[0] & 0x1F;
  const uint8_t* end = p + size;
  switch (type) {
    case rtp::rtcp_type::kSr:
      if (size < 28) return false;
      swapAt(mirror, p + 4);
      swapReportBlocks(mirror, p + 28, count, end);
      return true;
    case rtp::rtcp_type::kRr:
      if (size < 8) return false;
      swapAt(mirror, p + 4);
      swapReportBlocks(mirror, p + 8, count, end);
      return true;
    case rtp::rtcp_type::kRtpfb:
    case rtp::rtcp_type::kPsfb: {
      if (size < 12) return false;
      swapAt(mirror, p + 4);
      swapAt(mirror, p + 8);
      if (type == rtp::rtcp_type::kPsfb && count == rtp::fb_fmt::kFir) {
        for (uint8_t* e = p + 12; e + 8 <= end; e += 8) swapAt(mirror, e);  // RFC 5104 §4.3.1.1
      } else if (type == rtp::rtcp_type::kPsfb && count == rtp::fb_fmt::kAfb && size >= 20 &&
                 std::memcmp(p + 12, "REMB", 4) == 0) {
        const uint8_t ssrcs = p[16];
        for (uint8_t i = 0; i < ssrcs && p + 24 + 4 * i <= end; ++i) swapAt(mirror, p + 20 + 4 * i);
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

SsrcMirror::SsrcMirror(uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<uint32_t> ssrc(1, 0xFFFFFFFF);
  for (auto& s : bridge_) {
    do {
      s = ssrc(random);
    } while ((&s != &bridge_[0] && s == bridge_[0]) || (&s == &bridge_[2] && s == bridge_[1]));
  }
  rtcpSsrc_ = ssrc(random);
}

uint32_t SsrcMirror::swap(uint32_t ssrc) const {
  for (size_t i = 0; i < kStreamCount; ++i) {
    if (peer_[i] != 0 && ssrc == peer_[i]) return bridge_[i];
    if (ssrc == bridge_[i]) return peer_[i] != 0 ? peer_[i] : ssrc;
  }
  return ssrc;
}

size_t SsrcMirror::mirrorRtcp(uint8_t* data, size_t len) const {
  rtp::RtcpCompound compound(data, len);
  size_t written = 0;
  while (auto packet = compound.next()) {
    uint8_t* p = data + (packet->data() - data);
    const size_t size = packet->size();
    if (!mirrorPacket(*this, p, size)) continue;
    if (p != data + written) std::memmove(data + written, p, size);
    written += size;
  }
  return compound.malformed() ? 0 : written;
}

}  // namespace diemcau::bridge
