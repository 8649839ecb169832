#pragma once

#include <cstddef>
#include <cstdint>

namespace diemcau::media::rtp {

/// One reception report block of an SR or RR (RFC 3550 §6.4.1).
struct ReportBlock {
  static constexpr size_t kSize = 24;

  uint32_t ssrc = 0;
  uint8_t fractionLost = 0;     ///< lost fraction since the last report, 8-bit fixed point
  int32_t cumulativeLost = 0;   ///< 24-bit signed: duplicates can make it negative
  uint32_t highestSeq = 0;      ///< extended highest sequence number received
  uint32_t jitter = 0;          ///< interarrival jitter in RTP timestamp units
  uint32_t lastSr = 0;          ///< LSR: middle 32 bits of the last SR's NTP timestamp
  uint32_t delaySinceLastSr = 0;///< DLSR, in units of 1/65536 s

  /// Reads kSize bytes; the caller has checked they are there.
  static ReportBlock read(const uint8_t* p);
  /// Writes kSize bytes; cumulativeLost is clamped to the 24-bit signed range.
  void write(uint8_t* p) const;

  bool operator==(const ReportBlock&) const = default;
};

}  // namespace diemcau::media::rtp
