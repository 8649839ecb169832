#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/RtcpFeedback.hpp"

namespace diemcau::media::rtp {

/// Picture Loss Indication (PSFB FMT 1, RFC 4585 §6.3.1): no FCI.
class Pli {
 public:
  static constexpr size_t kSize = RtcpFeedback::kHeaderSize;

  static std::optional<Pli> parse(const RtcpPacket& packet);
  /// Returns kSize, or 0 if `out` is too small.
  static size_t write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint32_t mediaSsrc() const { return mediaSsrc_; }

 private:
  Pli(uint32_t senderSsrc, uint32_t mediaSsrc) : senderSsrc_(senderSsrc), mediaSsrc_(mediaSsrc) {}

  uint32_t senderSsrc_;
  uint32_t mediaSsrc_;
};

}  // namespace diemcau::media::rtp
