#include "bridge/bwe/FrameSize.hpp"

#include "media/rtp/Vp8PayloadDescriptor.hpp"

namespace diemcau::bridge {

std::optional<FrameSize> vp8KeyframeSize(std::span<const uint8_t> payload) {
  if (!media::rtp::isVp8Keyframe(payload)) return std::nullopt;
  const auto descriptor = media::rtp::Vp8PayloadDescriptor::parse(payload);
  if (!descriptor || payload.size() < descriptor->size + 10) return std::nullopt;
  const auto header = payload.subspan(descriptor->size, 10);
  if (header[3] != 0x9D || header[4] != 0x01 || header[5] != 0x2A) return std::nullopt;
  FrameSize size;
  size.width = static_cast<uint16_t>((header[6] | (header[7] << 8)) & 0x3FFF);
  size.height = static_cast<uint16_t>((header[8] | (header[9] << 8)) & 0x3FFF);
  return size;
}

}  // namespace diemcau::bridge
