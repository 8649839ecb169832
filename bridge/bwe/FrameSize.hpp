#pragma once
// The picture size a video keyframe announces, so the bridge knows what each simulcast layer
// shows without decoding it: VP8 writes it in the keyframe header (RFC 6386 section 9.1, after the
// 3-byte frame tag and the 9d 01 2a start code: 14-bit width and height, little-endian, each with
// a 2-bit scale above). H.264 would need the SPS parsed (Exp-Golomb); not done, so 0.
//
// Bounded reads only; no allocation, never throws.
#include <cstdint>
#include <optional>
#include <span>

namespace diemcau::bridge {

struct FrameSize {
  uint16_t width = 0;
  uint16_t height = 0;
};

/// The size in a VP8 RTP payload that starts a keyframe; nullopt for anything else.
std::optional<FrameSize> vp8KeyframeSize(std::span<const uint8_t> payload);

}  // namespace diemcau::bridge
