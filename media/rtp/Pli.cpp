#include "media/rtp/Pli.hpp"

namespace diemcau::media::rtp {

std::optional<Pli> Pli::parse(const RtcpPacket& packet) {
  const auto fb = RtcpFeedback::parse(packet, rtcp_type::kPsfb, fb_fmt::kPli);
  if (!fb) {
    return std::nullopt;
  }
  return Pli(fb->senderSsrc, fb->mediaSsrc);
}

size_t Pli::write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) {
  return RtcpFeedback::writeHeader(out, rtcp_type::kPsfb, fb_fmt::kPli, senderSsrc, mediaSsrc, 0);
}

}  // namespace diemcau::media::rtp
