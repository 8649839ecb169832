#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>

#include "media/rtp/RtcpFeedback.hpp"

namespace diemcau::media::rtp {

/// The fate of one transport-wide sequence number in a TWCC feedback.
struct TwccPacketStatus {
  uint16_t sequence = 0;
  bool received = false;
  /// Receive delta in 250 µs ticks, from the previous received packet (or from the reference time
  /// for the first one). 0 when not received.
  int32_t deltaTicks = 0;

  bool operator==(const TwccPacketStatus&) const = default;
};

/**
 * Transport-wide congestion control feedback (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
 *
 *   base sequence number | packet status count
 *   reference time (24, x64 ms)           | fb pkt count
 *   packet chunks (2 bytes each) ... | receive deltas (1 or 2 bytes each) ... | padding
 *
 * parse() walks every chunk and checks every receive delta lies inside the packet, so decoding a
 * parsed view cannot fail and never reads outside it.
 */
class TransportCc {
 public:
  static constexpr int64_t kDeltaTickUs = 250;
  static constexpr int64_t kReferenceTimeTickUs = 64000;

  static std::optional<TransportCc> parse(const RtcpPacket& packet);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint32_t mediaSsrc() const { return mediaSsrc_; }
  uint16_t baseSequence() const;
  uint16_t statusCount() const;
  /// Signed 24-bit reference time in 64 ms ticks.
  int32_t referenceTime() const;
  int64_t referenceTimeUs() const { return referenceTime() * kReferenceTimeTickUs; }
  uint8_t feedbackCount() const { return fci_[7]; }

  /// Writes the first min(statusCount(), out.size()) statuses into `out`; returns how many.
  size_t decode(std::span<TwccPacketStatus> out) const;

  /// Calls f(const TwccPacketStatus&) for each of the statusCount() packets, in sequence order.
  template <typename F>
  void forEachPacket(F&& f) const {
    using Callable = std::remove_reference_t<F>;
    walk(
        fci_, [](void* ctx, const TwccPacketStatus& status) { (*static_cast<Callable*>(ctx))(status); },
        const_cast<void*>(static_cast<const void*>(std::addressof(f))));
  }

 private:
  using Visitor = void (*)(void* ctx, const TwccPacketStatus& status);

  TransportCc(uint32_t senderSsrc, uint32_t mediaSsrc, std::span<const uint8_t> fci)
      : senderSsrc_(senderSsrc), mediaSsrc_(mediaSsrc), fci_(fci) {}

  /// Validates the FCI and, if `visitor` is set, reports each packet. False if malformed.
  static bool walk(std::span<const uint8_t> fci, Visitor visitor, void* ctx);

  uint32_t senderSsrc_;
  uint32_t mediaSsrc_;
  std::span<const uint8_t> fci_;
};

/// Builds TWCC feedback; the bridge's receive side fills the statuses, this packs them.
class TransportCcWriter {
 public:
  /**
   * `packets[i]` must describe sequence `baseSequence + i`. A received packet's delta must fit a
   * signed 16-bit count of 250 µs ticks. `referenceTime` (64 ms ticks) is taken modulo 2^24.
   * Returns bytes written, or 0 if the input breaks these rules or the packet does not fit in `out`.
   */
  static size_t write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc, uint16_t baseSequence,
                      int32_t referenceTime, uint8_t feedbackCount, std::span<const TwccPacketStatus> packets);
};

}  // namespace diemcau::media::rtp
