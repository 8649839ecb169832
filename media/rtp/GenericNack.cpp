#include "media/rtp/GenericNack.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

std::optional<GenericNack> GenericNack::parse(const RtcpPacket& packet) {
  const auto fb = RtcpFeedback::parse(packet, rtcp_type::kRtpfb, fb_fmt::kNack);
  if (!fb || fb->fci.size() < kEntrySize) {
    return std::nullopt;
  }
  return GenericNack(fb->senderSsrc, fb->mediaSsrc, fb->fci);
}

size_t GenericNack::write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                          std::span<const uint16_t> lost) {
  if (lost.empty() || out.size() < RtcpFeedback::kHeaderSize) {
    return 0;
  }
  // Entries are written as they close; the header goes last, once the FCI size is known.
  size_t pos = RtcpFeedback::kHeaderSize;
  NackEntry current{lost[0], 0};
  auto flush = [&]() {
    if (out.size() - pos < kEntrySize) {
      return false;
    }
    writeU16(out.data() + pos, current.pid);
    writeU16(out.data() + pos + 2, current.blp);
    pos += kEntrySize;
    return true;
  };
  for (size_t i = 1; i < lost.size(); ++i) {
    const uint16_t diff = static_cast<uint16_t>(lost[i] - current.pid);
    if (diff == 0) {
      continue;
    }
    if (diff <= 16) {
      current.blp = static_cast<uint16_t>(current.blp | (1u << (diff - 1)));
      continue;
    }
    if (!flush()) {
      return 0;
    }
    current = NackEntry{lost[i], 0};
  }
  if (!flush()) {
    return 0;
  }
  return RtcpFeedback::writeHeader(out, rtcp_type::kRtpfb, fb_fmt::kNack, senderSsrc, mediaSsrc,
                                   pos - RtcpFeedback::kHeaderSize);
}

NackEntry GenericNack::entry(size_t i) const {
  if (i >= entryCount()) {
    return {};
  }
  const uint8_t* p = fci_.data() + i * kEntrySize;
  return NackEntry{readU16(p), readU16(p + 2)};
}

}  // namespace diemcau::media::rtp
