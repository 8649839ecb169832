#pragma once

#include <cstdint>
#include <span>

namespace diemcau::media::rtp {

/// H.264 NAL unit types the bridge looks at (ITU-T H.264 Table 7-1, RFC 6184 §5.2).
namespace h264_nal {
inline constexpr uint8_t kIdr = 5;
inline constexpr uint8_t kSps = 7;
inline constexpr uint8_t kPps = 8;
inline constexpr uint8_t kStapA = 24;
inline constexpr uint8_t kFuA = 28;
}  // namespace h264_nal

/**
 * True if an H.264 RTP payload (RFC 6184) starts or carries a key frame: a single IDR or SPS NAL
 * unit, a STAP-A aggregating one, or the start fragment (S=1) of an FU-A whose type is IDR or SPS.
 * Malformed STAP-A sizes stop the scan: only NAL units fully inside the payload count.
 */
bool isH264Keyframe(std::span<const uint8_t> payload);

}  // namespace diemcau::media::rtp
