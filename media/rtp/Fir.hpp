#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/RtcpFeedback.hpp"

namespace diemcau::media::rtp {

/// One FIR request: the media sender asked for a keyframe and the command sequence number.
struct FirEntry {
  uint32_t ssrc = 0;
  uint8_t seqNr = 0;

  bool operator==(const FirEntry&) const = default;
};

/// Full Intra Request (PSFB FMT 4, RFC 5104 §4.3.1): one 8-byte FCI entry per requested source.
class Fir {
 public:
  static constexpr size_t kEntrySize = 8;

  /// Requires at least one entry (RFC 5104 §4.3.1.2).
  static std::optional<Fir> parse(const RtcpPacket& packet);
  /// The media source SSRC field is 0 (RFC 5104 §4.3.1.2); returns bytes written or 0.
  static size_t write(std::span<uint8_t> out, uint32_t senderSsrc, std::span<const FirEntry> entries);

  uint32_t senderSsrc() const { return senderSsrc_; }
  size_t entryCount() const { return fci_.size() / kEntrySize; }
  /// The i-th entry; a zeroed entry if i >= entryCount().
  FirEntry entry(size_t i) const;

 private:
  Fir(uint32_t senderSsrc, std::span<const uint8_t> fci) : senderSsrc_(senderSsrc), fci_(fci) {}

  uint32_t senderSsrc_;
  std::span<const uint8_t> fci_;
};

}  // namespace diemcau::media::rtp
