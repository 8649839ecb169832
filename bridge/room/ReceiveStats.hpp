#pragma once
// Reception statistics of one incoming RTP stream, for the report blocks the bridge sends
// upstream (RFC 3550 section 6.4.1 and appendices A.3 and A.8).
#include <cstdint>
#include <optional>

#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/SeqNumbers.hpp"

namespace diemcau::bridge {

class ReceiveStats {
 public:
  explicit ReceiveStats(uint32_t clockRate) : clockRate_(clockRate) {}

  /// One packet of the stream (not a retransmission), arriving at `arrivalUs` (monotonic clock).
  void onPacket(uint16_t sequence, uint32_t timestamp, int64_t arrivalUs);
  /// The stream's sender report: `compactNtp` is its LSR value.
  void onSenderReport(uint32_t compactNtp, int64_t arrivalUs);

  /// The report block for `ssrc` now. Fraction lost covers the packets since the previous call.
  media::rtp::ReportBlock report(uint32_t ssrc, int64_t nowUs);

  bool hasPackets() const { return received_ > 0; }
  uint64_t received() const { return received_; }
  int64_t cumulativeLost() const;
  uint32_t jitter() const { return static_cast<uint32_t>(jitter_); }
  uint8_t lastFractionLost() const { return lastFractionLost_; }

 private:
  uint32_t clockRate_;
  media::rtp::SeqUnwrapper unwrapper_;
  int64_t baseSequence_ = 0;
  int64_t maxSequence_ = 0;
  uint64_t received_ = 0;
  int64_t expectedPrior_ = 0;
  uint64_t receivedPrior_ = 0;
  std::optional<int64_t> lastTransit_;
  double jitter_ = 0;
  uint32_t lastSr_ = 0;
  int64_t lastSrArrivalUs_ = 0;
  uint8_t lastFractionLost_ = 0;
};

}  // namespace diemcau::bridge
