#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {

/// Read-only view of a goodbye packet (PT 203, RFC 3550 §6.6).
class Bye {
 public:
  static constexpr size_t kMaxSsrcs = 31;

  static std::optional<Bye> parse(const RtcpPacket& packet);
  /// Writes a BYE for up to 31 sources with an optional reason (at most 255 bytes); returns bytes or 0.
  static size_t write(std::span<uint8_t> out, std::span<const uint32_t> ssrcs, std::string_view reason = {});

  size_t ssrcCount() const { return ssrcCount_; }
  /// The i-th source; 0 if i >= ssrcCount().
  uint32_t ssrc(size_t i) const;
  /// The optional reason text; empty if absent or if its length overruns the packet.
  std::string_view reason() const;

 private:
  Bye(std::span<const uint8_t> body, size_t ssrcCount) : body_(body), ssrcCount_(ssrcCount) {}

  std::span<const uint8_t> body_;
  size_t ssrcCount_;
};

}  // namespace diemcau::media::rtp
