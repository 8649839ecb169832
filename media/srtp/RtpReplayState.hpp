#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "media/srtp/SrtpResult.hpp"

namespace diemcau::media {

/**
 * The receiver's view of one SRTP stream: the highest packet index accepted (ROC << 16 | SEQ,
 * RFC 3711 §3.3.1) and a replay window of the kWindow indices at and below it (RFC 3711 §3.3.2).
 *
 * Decisions are the ones libsrtp2 makes (its rdbx), so a session that moves from libsrtp to this
 * class accepts and rejects the same packets:
 *  - until the highest index passes 2^15 the ROC is taken as 0 (a stream cannot have wrapped yet);
 *    after that the ROC is guessed as in RFC 3711 Appendix A, the one that puts SEQ nearest to the
 *    highest sequence number;
 *  - an index above the highest is new; one more than kWindow - 1 below it is "old"; one inside the
 *    window is a replay when its bit is set.
 * A fresh state (index 0, empty window) is what libsrtp gives a stream on its first packet.
 * The caller checks, authenticates, and only then calls accept: a forged packet changes nothing.
 */
class RtpReplayState {
 public:
  static constexpr std::size_t kWindow = 1024;

  struct Estimate {
    uint64_t index;  ///< the packet's 48-bit index, ROC << 16 | SEQ
    int32_t delta;   ///< its distance above the highest index accepted (<= 0: at or below it)
    uint32_t roc() const noexcept { return static_cast<uint32_t>(index >> 16); }
  };

  Estimate estimate(uint16_t seq) const noexcept;
  /// Ok, ReplayOld (below the window) or ReplayFail (already accepted).
  SrtpResult check(int32_t delta) const noexcept;
  /// Records an authenticated packet (the delta that estimate gave it).
  void accept(int32_t delta) noexcept;

  uint64_t highestIndex() const noexcept { return index_; }

 private:
  static constexpr std::size_t kWords = kWindow / 64;
  void shift(uint32_t by) noexcept;

  uint64_t index_ = 0;
  // Bit k (word k / 64, bit k % 64) stands for index_ - k.
  std::array<uint64_t, kWords> seen_{};
};

}  // namespace diemcau::media
