#include "media/rtp/Remb.hpp"

#include <limits>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

namespace {
constexpr uint8_t kIdentifier[4] = {'R', 'E', 'M', 'B'};
constexpr uint32_t kMaxMantissa = (1u << 18) - 1;
}  // namespace

std::optional<Remb> Remb::parse(const RtcpPacket& packet) {
  const auto fb = RtcpFeedback::parse(packet, rtcp_type::kPsfb, fb_fmt::kAfb);
  if (!fb || fb->fci.size() < 8) {
    return std::nullopt;
  }
  const auto fci = fb->fci;
  if (fci[0] != kIdentifier[0] || fci[1] != kIdentifier[1] || fci[2] != kIdentifier[2] ||
      fci[3] != kIdentifier[3]) {
    return std::nullopt;
  }
  if (fci.size() < 8 + 4 * static_cast<size_t>(fci[4])) {
    return std::nullopt;
  }
  return Remb(fb->senderSsrc, fci);
}

size_t Remb::write(std::span<uint8_t> out, uint32_t senderSsrc, uint64_t bitrateBps,
                   std::span<const uint32_t> ssrcs) {
  if (ssrcs.size() > kMaxSsrcs) {
    return 0;
  }
  // The media source field is unused by REMB and set to 0 (draft §2.2).
  const size_t size =
      RtcpFeedback::writeHeader(out, rtcp_type::kPsfb, fb_fmt::kAfb, senderSsrc, 0, 8 + 4 * ssrcs.size());
  if (size == 0) {
    return 0;
  }
  uint8_t exponent = 0;
  while ((bitrateBps >> exponent) > kMaxMantissa) {
    ++exponent;
  }
  const auto mantissa = static_cast<uint32_t>(bitrateBps >> exponent);
  uint8_t* p = out.data() + RtcpFeedback::kHeaderSize;
  p[0] = kIdentifier[0];
  p[1] = kIdentifier[1];
  p[2] = kIdentifier[2];
  p[3] = kIdentifier[3];
  p[4] = static_cast<uint8_t>(ssrcs.size());
  writeU24(p + 5, (static_cast<uint32_t>(exponent) << 18) | mantissa);
  p += 8;
  for (const uint32_t ssrc : ssrcs) {
    writeU32(p, ssrc);
    p += 4;
  }
  return size;
}

uint8_t Remb::exponent() const { return fci_[5] >> 2; }

uint32_t Remb::mantissa() const { return readU24(fci_.data() + 5) & kMaxMantissa; }

uint64_t Remb::bitrate() const {
  const uint64_t m = mantissa();
  const uint8_t e = exponent();
  if (m != 0 && e > 0 && (m >> (64 - e)) != 0) {
    return std::numeric_limits<uint64_t>::max();
  }
  return m << e;
}

uint32_t Remb::ssrc(size_t i) const {
  if (i >= ssrcCount()) {
    return 0;
  }
  return readU32(fci_.data() + 8 + 4 * i);
}

}  // namespace diemcau::media::rtp
