#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/rtp/RtcpFeedback.hpp"

namespace diemcau::media::rtp {

/// One NACK FCI entry: a lost packet id and a bitmask of the 16 packets after it.
struct NackEntry {
  uint16_t pid = 0;
  uint16_t blp = 0;

  bool operator==(const NackEntry&) const = default;
};

/// Generic NACK (RTPFB FMT 1, RFC 4585 §6.2.1).
class GenericNack {
 public:
  static constexpr size_t kEntrySize = 4;

  /// Requires at least one FCI entry.
  static std::optional<GenericNack> parse(const RtcpPacket& packet);
  /**
   * Packs lost sequence numbers into PID/BLP entries. Sequence numbers are best given in
   * ascending (serial) order: each one within 16 after the current PID sets a BLP bit, any other
   * starts a new entry; repeats are dropped. Returns bytes written, or 0 if `lost` is empty or the
   * packet does not fit in `out`.
   */
  static size_t write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                      std::span<const uint16_t> lost);

  uint32_t senderSsrc() const { return senderSsrc_; }
  uint32_t mediaSsrc() const { return mediaSsrc_; }
  size_t entryCount() const { return fci_.size() / kEntrySize; }
  /// The i-th entry; a zeroed entry if i >= entryCount().
  NackEntry entry(size_t i) const;

  /// Calls f(uint16_t seq) for every sequence number reported lost, entry by entry.
  template <typename F>
  void forEachLost(F&& f) const {
    for (size_t i = 0; i < entryCount(); ++i) {
      const NackEntry e = entry(i);
      f(e.pid);
      for (unsigned bit = 0; bit < 16; ++bit) {
        if (e.blp & (1u << bit)) {
          f(static_cast<uint16_t>(e.pid + bit + 1));
        }
      }
    }
  }

 private:
  GenericNack(uint32_t senderSsrc, uint32_t mediaSsrc, std::span<const uint8_t> fci)
      : senderSsrc_(senderSsrc), mediaSsrc_(mediaSsrc), fci_(fci) {}

  uint32_t senderSsrc_;
  uint32_t mediaSsrc_;
  std::span<const uint8_t> fci_;
};

}  // namespace diemcau::media::rtp
