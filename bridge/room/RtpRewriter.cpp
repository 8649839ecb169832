#include "bridge/room/RtpRewriter.hpp"

#include <algorithm>

#include "media/rtp/SeqNumbers.hpp"

namespace diemcau::bridge {

using media::rtp::isSeqNewer;

RtpRewriter::RtpRewriter(uint32_t clockRate, bool gateOnKeyframe, uint16_t initialSequence,
                         uint32_t initialTimestamp)
    : clockRate_(clockRate),
      gateOnKeyframe_(gateOnKeyframe),
      waitingKeyframe_(gateOnKeyframe),
      // The first segment starts at last + 1, so "last" is one before the initial values.
      lastSequence_(static_cast<uint16_t>(initialSequence - 1)),
      lastTimestamp_(initialTimestamp) {}

void RtpRewriter::resume() {
  if (!paused_) return;
  paused_ = false;
  switchSource();
}

void RtpRewriter::switchSource() {
  resync_ = true;
  waitingKeyframe_ = gateOnKeyframe_;
}

RtpRewriter::Result RtpRewriter::rewrite(uint32_t sourceSsrc, uint16_t sequence, uint32_t timestamp, bool keyframe,
                                         int64_t nowUs, Header& out) {
  if (paused_) return Result::Paused;
  if (started_ && sourceSsrc != sourceSsrc_) switchSource();  // the publisher restarted its encoder
  if (resync_) {
    if (waitingKeyframe_ && !keyframe) return Result::WaitingKeyframe;
    sourceSsrc_ = sourceSsrc;
    startSegment(sequence, timestamp, nowUs);
  } else if (isSeqNewer(segmentStart_, sequence)) {
    // Older than the segment: its output number would collide with the previous segment's.
    return Result::Stale;
  }
  out.sequence = static_cast<uint16_t>(sequence + sequenceOffset_);
  out.timestamp = timestamp + timestampOffset_;
  if (isSeqNewer(out.sequence, lastSequence_)) {
    lastSequence_ = out.sequence;
    lastTimestamp_ = out.timestamp;
    lastForwardUs_ = nowUs;
  }
  return Result::Forward;
}

void RtpRewriter::startSegment(uint16_t sequence, uint32_t timestamp, int64_t nowUs) {
  const uint16_t outSequence = static_cast<uint16_t>(lastSequence_ + 1);
  uint32_t outTimestamp = lastTimestamp_;
  if (started_) {
    // The receiver's playout clock kept running during the gap: advance by the wall-clock time
    // since the last forwarded packet, at least one tick so the new frame is newer.
    const int64_t gapUs = std::max<int64_t>(0, nowUs - lastForwardUs_);
    const int64_t ticks = gapUs * static_cast<int64_t>(clockRate_) / 1'000'000;
    outTimestamp += static_cast<uint32_t>(std::max<int64_t>(1, ticks));
  }
  sequenceOffset_ = static_cast<uint16_t>(outSequence - sequence);
  timestampOffset_ = outTimestamp - timestamp;
  segmentStart_ = sequence;
  resync_ = false;
  waitingKeyframe_ = false;
  started_ = true;
}

std::optional<uint16_t> RtpRewriter::toSource(uint16_t sequence) const {
  if (!started_ || resync_) return std::nullopt;
  const auto source = static_cast<uint16_t>(sequence - sequenceOffset_);
  if (isSeqNewer(segmentStart_, source) || isSeqNewer(sequence, lastSequence_)) return std::nullopt;
  return source;
}

std::optional<uint16_t> RtpRewriter::toOutput(uint16_t sequence) const {
  if (!started_ || resync_ || isSeqNewer(segmentStart_, sequence)) return std::nullopt;
  return static_cast<uint16_t>(sequence + sequenceOffset_);
}

}  // namespace diemcau::bridge
