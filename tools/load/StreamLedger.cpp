#include "tools/load/StreamLedger.hpp"

#include <algorithm>

namespace diemcau::load {

StreamLedger::Result StreamLedger::onPacket(uint8_t generation, uint32_t sequence) {
  Result result = Result::New;
  if (started_ && generation != generation_) {
    closedLost_ += gaps();
    closedUnique_ += unique_;
    started_ = false;
    skipped_ = 0;
    delivered_ = false;
    result = Result::Restarted;
  }
  if (!started_) {
    started_ = true;
    generation_ = generation;
    first_ = sequence;
    highest_ = sequence;
    unique_ = 1;
    seen_.reset();
    seen_.set(sequence % kWindow);
    return result == Result::Restarted ? result : Result::First;
  }
  if (sequence > highest_) {
    const uint32_t advance = sequence - highest_;
    if (advance >= kWindow) {
      seen_.reset();
    } else {
      for (uint32_t s = highest_ + 1; s != sequence; ++s) seen_.reset(s % kWindow);
    }
    highest_ = sequence;
    seen_.set(sequence % kWindow);
    ++unique_;
    return Result::New;
  }
  if (sequence < first_) {
    // Reordered ahead of the first packet seen: it belongs to the stream all the same.
    first_ = sequence;
    if (highest_ - sequence < kWindow) seen_.set(sequence % kWindow);
    ++unique_;
    return Result::New;
  }
  if (highest_ - sequence >= kWindow) {
    ++unique_;
    return Result::New;
  }
  if (seen_.test(sequence % kWindow)) {
    ++duplicates_;
    return Result::Duplicate;
  }
  seen_.set(sequence % kWindow);
  ++unique_;
  return Result::New;
}

StreamLedger::Result StreamLedger::onPacket(uint8_t generation, uint32_t sequence, const Delivery& delivery) {
  const bool follows = started_ && generation == generation_ && sequence > highest_ + 1 && delivered_ &&
                       delivery.ssrc == lastDelivery_.ssrc &&
                       static_cast<uint16_t>(delivery.rtpSequence - lastDelivery_.rtpSequence) == 1;
  const uint32_t jumped = follows ? sequence - highest_ - 1 : 0;
  const bool newest = !started_ || generation != generation_ || sequence > highest_;
  const Result result = onPacket(generation, sequence);
  skipped_ += jumped;
  if (newest) {
    lastDelivery_ = delivery;
    delivered_ = true;
  }
  lastArrivalNs_ = std::max(lastArrivalNs_, delivery.atNs);
  return result;
}

uint64_t StreamLedger::lostUpTo(uint32_t lastSent) const {
  if (!started_ || lastSent < first_) return 0;
  const uint64_t expected = uint64_t{lastSent} - first_ + 1 - std::min<uint64_t>(skipped_, lastSent - first_ + 1);
  return expected > unique_ ? expected - unique_ : 0;
}

}  // namespace diemcau::load
