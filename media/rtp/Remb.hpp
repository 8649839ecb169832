#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/RtcpFeedback.hpp"

namespace diemcau::media::rtp {

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb-03 §2.2): PSFB FMT 15 with the
 * "REMB" identifier, a bitrate as an 18-bit mantissa and 6-bit exponent, and the SSRCs it covers.
 */
class Remb {
 public:
  static constexpr size_t kMaxSsrcs = 255;

  static std::optional<Remb> parse(const RtcpPacket& packet);
  /// Encodes `bitrateBps` with the smallest exponent that fits; returns bytes written or 0.
  static size_t write(std::span<uint8_t> out, uint32_t senderSsrc, uint64_t bitrateBps,
                      std::span<const uint32_t> ssrcs);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint8_t exponent() const;
  uint32_t mantissa() const;
  /// mantissa << exponent in bits per second, saturated at UINT64_MAX.
  uint64_t bitrate() const;
  size_t ssrcCount() const { return fci_[4]; }
  /// The i-th SSRC; 0 if i >= ssrcCount().
  uint32_t ssrc(size_t i) const;

 private:
  Remb(uint32_t senderSsrc, std::span<const uint8_t> fci) : senderSsrc_(senderSsrc), fci_(fci) {}

  uint32_t senderSsrc_;
  std::span<const uint8_t> fci_;
};

}  // namespace diemcau::media::rtp
