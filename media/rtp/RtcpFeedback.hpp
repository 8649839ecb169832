#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {

/// Feedback message types (FMT) used by the bridge.
namespace fb_fmt {
inline constexpr uint8_t kNack = 1;         ///< RTPFB, RFC 4585 §6.2.1
inline constexpr uint8_t kTransportCc = 15; ///< RTPFB, draft-holmer-rmcat-transport-wide-cc-extensions-01
inline constexpr uint8_t kPli = 1;          ///< PSFB, RFC 4585 §6.3.1
inline constexpr uint8_t kFir = 4;          ///< PSFB, RFC 5104 §4.3.1
inline constexpr uint8_t kAfb = 15;         ///< PSFB application layer feedback (REMB)
}  // namespace fb_fmt

/// The common part of an RTCP feedback message (RFC 4585 §6.1): two SSRCs, then the FCI.
struct RtcpFeedback {
  static constexpr size_t kHeaderSize = RtcpPacket::kHeaderSize + 8;

  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
  std::span<const uint8_t> fci;

  /// Matches the packet type and FMT and checks the two SSRCs are present.
  static std::optional<RtcpFeedback> parse(const RtcpPacket& packet, uint8_t packetType, uint8_t fmt);
  /// Writes the 12-byte header of a feedback message whose FCI is `fciSize` bytes (a multiple of 4).
  /// Returns the total packet size, or 0 if it does not fit in `out`.
  static size_t writeHeader(std::span<uint8_t> out, uint8_t packetType, uint8_t fmt, uint32_t senderSsrc,
                            uint32_t mediaSsrc, size_t fciSize);
};

}  // namespace diemcau::media::rtp
