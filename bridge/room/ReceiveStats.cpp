#include "bridge/room/ReceiveStats.hpp"

#include <algorithm>
#include <cstdlib>

namespace diemcau::bridge {

void ReceiveStats::onPacket(uint16_t sequence, uint32_t timestamp, int64_t arrivalUs) {
  const int64_t extended = unwrapper_.unwrap(sequence);
  const bool first = received_ == 0;
  ++received_;
  if (first) {
    baseSequence_ = extended;
    maxSequence_ = extended;
  } else if (extended > maxSequence_) {
    maxSequence_ = extended;
  } else {
    return;  // reordered or duplicate: counted as received, not used for jitter
  }
  // RFC 3550 A.8: transit time in timestamp units; its variation, smoothed by 1/16, is the jitter.
  const int64_t arrival = arrivalUs * static_cast<int64_t>(clockRate_) / 1'000'000;
  const int64_t transit = arrival - static_cast<int64_t>(timestamp);
  if (lastTransit_) {
    const double d = static_cast<double>(std::llabs(transit - *lastTransit_));
    jitter_ += (d - jitter_) / 16.0;
  }
  lastTransit_ = transit;
}

void ReceiveStats::onSenderReport(uint32_t compactNtp, int64_t arrivalUs) {
  lastSr_ = compactNtp;
  lastSrArrivalUs_ = arrivalUs;
}

int64_t ReceiveStats::cumulativeLost() const {
  if (received_ == 0) return 0;
  return (maxSequence_ - baseSequence_ + 1) - static_cast<int64_t>(received_);
}

media::rtp::ReportBlock ReceiveStats::report(uint32_t ssrc, int64_t nowUs) {
  media::rtp::ReportBlock block;
  block.ssrc = ssrc;
  if (received_ == 0) return block;
  // RFC 3550 A.3: loss over the interval since the last report.
  const int64_t expected = maxSequence_ - baseSequence_ + 1;
  const int64_t expectedInterval = expected - expectedPrior_;
  const int64_t receivedInterval = static_cast<int64_t>(received_ - receivedPrior_);
  const int64_t lostInterval = expectedInterval - receivedInterval;
  expectedPrior_ = expected;
  receivedPrior_ = received_;
  lastFractionLost_ =
      expectedInterval <= 0 || lostInterval <= 0 ? 0 : static_cast<uint8_t>(std::min<int64_t>(255, (lostInterval << 8) / expectedInterval));
  block.fractionLost = lastFractionLost_;
  block.cumulativeLost = static_cast<int32_t>(std::clamp<int64_t>(cumulativeLost(), -0x800000, 0x7FFFFF));
  block.highestSeq = static_cast<uint32_t>(maxSequence_);
  block.jitter = jitter();
  if (lastSr_ != 0) {
    block.lastSr = lastSr_;
    // DLSR in 1/65536 s.
    block.delaySinceLastSr = static_cast<uint32_t>(std::max<int64_t>(0, nowUs - lastSrArrivalUs_) * 65536 / 1'000'000);
  }
  return block;
}

}  // namespace diemcau::bridge
