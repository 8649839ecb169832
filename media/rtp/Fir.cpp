#include "media/rtp/Fir.hpp"

#include <cstring>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<Fir> Fir::parse(const RtcpPacket& packet) {
  const auto fb = RtcpFeedback::parse(packet, rtcp_type::kPsfb, fb_fmt::kFir);
  if (!fb || fb->fci.size() < kEntrySize) {
    return std::nullopt;
  }
  return Fir(fb->senderSsrc, fb->fci);
}

size_t Fir::write(std::span<uint8_t> out, uint32_t senderSsrc, std::span<const FirEntry> entries) {
  if (entries.empty()) {
    return 0;
  }
  const size_t size =
      RtcpFeedback::writeHeader(out, rtcp_type::kPsfb, fb_fmt::kFir, senderSsrc, 0, entries.size() * kEntrySize);
  if (size == 0) {
    return 0;
  }
  uint8_t* p = out.data() + RtcpFeedback::kHeaderSize;
  for (const auto& entry : entries) {
    writeU32(p, entry.ssrc);
    p[4] = entry.seqNr;
    std::memset(p + 5, 0, 3);
    p += kEntrySize;
  }
  return size;
}

FirEntry Fir::entry(size_t i) const {
  if (i >= entryCount()) {
    return {};
  }
  const uint8_t* p = fci_.data() + i * kEntrySize;
  return FirEntry{readU32(p), p[4]};
}

}  // namespace diemcau::media::rtp
