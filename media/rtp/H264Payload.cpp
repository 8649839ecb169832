#include "media/rtp/H264Payload.hpp"

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

namespace {
bool isKeyNal(uint8_t type) { return type == h264_nal::kIdr || type == h264_nal::kSps; }
}  // namespace

bool isH264Keyframe(std::span<const uint8_t> payload) {
  if (payload.empty()) {
    return false;
  }
  const uint8_t type = payload[0] & 0x1F;
  if (type == h264_nal::kStapA) {
    // RFC 6184 §5.7.1: 16-bit NALU size, then the NAL unit, repeated.
    size_t pos = 1;
    while (payload.size() - pos >= 2) {
      const size_t size = readU16(payload.data() + pos);
      pos += 2;
      if (size == 0 || size > payload.size() - pos) {
        return false;
      }
      if (isKeyNal(payload[pos] & 0x1F)) {
        return true;
      }
      pos += size;
    }
    return false;
  }
  if (type == h264_nal::kFuA) {
    // RFC 6184 §5.8: FU indicator, then FU header |S|E|R|Type|.
    if (payload.size() < 2) {
      return false;
    }
    const bool start = (payload[1] & 0x80) != 0;
    return start && isKeyNal(payload[1] & 0x1F);
  }
  return isKeyNal(type);
}

}  // namespace diemcau::media::rtp
