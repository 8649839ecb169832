#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>

namespace diemcau::media::rtp {

/**
 * RFC 1982 serial number comparison: true if `a` comes after `b`. When the two are exactly half
 * the number space apart the order is undefined (RFC 1982 §3.2) and neither is newer.
 */
template <typename T>
constexpr bool isSerialNewer(T a, T b) {
  static_assert(std::is_unsigned_v<T>);
  constexpr T kHalf = static_cast<T>(T{1} << (std::numeric_limits<T>::digits - 1));
  const T diff = static_cast<T>(a - b);
  return diff != 0 && diff < kHalf;
}

constexpr bool isSeqNewer(uint16_t a, uint16_t b) { return isSerialNewer<uint16_t>(a, b); }
constexpr bool isTimestampNewer(uint32_t a, uint32_t b) { return isSerialNewer<uint32_t>(a, b); }

/**
 * Extends a wrapping counter (RTP sequence number, RTP timestamp) to 64 bits. Each value is placed
 * at the shortest signed distance from the previous one, so reordered packets map below it and a
 * wrap maps above it. The first value is taken as is; values older than it extend to negatives.
 */
template <typename T>
class Unwrapper {
  static_assert(std::is_unsigned_v<T> && sizeof(T) < sizeof(int64_t));

 public:
  int64_t unwrap(T value) {
    if (!last_) {
      last_ = value;
      lastExtended_ = value;
      return lastExtended_;
    }
    using Signed = std::make_signed_t<T>;
    const auto delta = static_cast<Signed>(static_cast<T>(value - *last_));
    lastExtended_ += delta;
    last_ = value;
    return lastExtended_;
  }

  /// Unwraps without moving the reference point (e.g. to look at a retransmission).
  int64_t peek(T value) const {
    if (!last_) {
      return value;
    }
    using Signed = std::make_signed_t<T>;
    return lastExtended_ + static_cast<Signed>(static_cast<T>(value - *last_));
  }

  void reset() { last_.reset(); lastExtended_ = 0; }

 private:
  std::optional<T> last_;
  int64_t lastExtended_ = 0;
};

using SeqUnwrapper = Unwrapper<uint16_t>;
using TimestampUnwrapper = Unwrapper<uint32_t>;

}  // namespace diemcau::media::rtp
