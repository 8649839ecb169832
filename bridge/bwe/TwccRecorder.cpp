#include "bridge/bwe/TwccRecorder.hpp"

#include <algorithm>
#include <limits>

namespace diemcau::bridge {

namespace rtp = media::rtp;

TwccRecorder::TwccRecorder() { arrivals_.fill(kNotReceived); }

void TwccRecorder::onPacket(uint16_t transportSequence, int64_t arrivalUs) {
  const int64_t sequence = unwrapper_.unwrap(transportSequence);
  if (next_ < 0) {
    next_ = sequence;
    epochUs_ = arrivalUs - arrivalUs % rtp::TransportCc::kReferenceTimeTickUs;
  }
  if (sequence < next_) return;  // reported already (as lost): too late to say otherwise
  const auto window = static_cast<int64_t>(kWindow);
  if (sequence - next_ >= window) {
    // Feedback fell far behind: give up the oldest unreported sequences.
    const int64_t newNext = sequence - window + 1;
    for (int64_t s = next_; s < newNext && s - next_ < window; ++s) arrivals_[static_cast<size_t>(s % window)] = kNotReceived;
    next_ = newNext;
  }
  arrivals_[static_cast<size_t>(sequence % window)] = arrivalUs;
  highest_ = std::max(highest_, sequence);
}

size_t TwccRecorder::writeFeedback(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) {
  if (!pending()) return 0;
  const auto window = static_cast<int64_t>(kWindow);
  const size_t count = static_cast<size_t>(std::min<int64_t>(highest_ - next_ + 1, kMaxPerFeedback));
  // The reference time is the first received packet's arrival in 64 ms ticks; every delta is from
  // the previous received packet (the first from the reference time), in 250 us ticks, as sent
  // (quantized) so the publisher's sum of deltas never drifts from the arrival times.
  int64_t referenceTicks = -1;
  int64_t previousUs = 0;
  for (size_t i = 0; i < count; ++i) {
    const int64_t sequence = next_ + static_cast<int64_t>(i);
    const int64_t arrival = arrivals_[static_cast<size_t>(sequence % window)];
    auto& status = statuses_[i];
    status = rtp::TwccPacketStatus{static_cast<uint16_t>(sequence), false, 0};
    if (arrival == kNotReceived) continue;
    if (referenceTicks < 0) {
      referenceTicks = (arrival - epochUs_) / rtp::TransportCc::kReferenceTimeTickUs;
      previousUs = epochUs_ + referenceTicks * rtp::TransportCc::kReferenceTimeTickUs;
    }
    const int64_t ticks = (arrival - previousUs) / rtp::TransportCc::kDeltaTickUs;
    // A delta beyond the two-byte field (a packet held back for seconds) is reported as lost.
    if (ticks < std::numeric_limits<int16_t>::min() || ticks > std::numeric_limits<int16_t>::max()) continue;
    status.received = true;
    status.deltaTicks = static_cast<int32_t>(ticks);
    previousUs += ticks * rtp::TransportCc::kDeltaTickUs;
  }
  const size_t len =
      rtp::TransportCcWriter::write(out, senderSsrc, mediaSsrc, static_cast<uint16_t>(next_),
                                    static_cast<int32_t>(std::max<int64_t>(referenceTicks, 0)), feedbackCount_,
                                    std::span(statuses_.data(), count));
  if (len == 0) return 0;
  for (size_t i = 0; i < count; ++i) {
    arrivals_[static_cast<size_t>((next_ + static_cast<int64_t>(i)) % window)] = kNotReceived;
  }
  next_ += static_cast<int64_t>(count);
  ++feedbackCount_;
  return len;
}

}  // namespace diemcau::bridge
