#pragma once
// The numbering a receiver sees on one downstream track. The bridge forwards packets of a source
// stream under its own SSRC, sequence numbers and timestamps, so pauses, resumes and switches of
// the source are invisible to the receiver's jitter buffer:
//
//   source  seq 7000 7001 7002 | paused | 9100 9101 (new source)
//   output  seq  100  101  102 |        |  103  104        (continues at last + 1)
//   output  ts   continues from the last forwarded timestamp plus the wall-clock gap in clock units
//
// Every (re)start of a video stream waits for a keyframe: a delta frame without its reference
// would only show as corruption at the receiver.
//
// Pure arithmetic on header fields; no allocation, never throws.
#include <cstdint>
#include <optional>

namespace diemcau::bridge {

class RtpRewriter {
 public:
  enum class Result { Forward, Paused, WaitingKeyframe, Stale };
  struct Header {
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
  };

  /// `gateOnKeyframe` for video. The first packet forwarded gets `initialSequence`/`initialTimestamp`
  /// (random in production, RFC 3550 section 5.1).
  RtpRewriter(uint32_t clockRate, bool gateOnKeyframe, uint16_t initialSequence, uint32_t initialTimestamp);

  /// Decides the fate of a source packet and, for Forward, the header the receiver gets.
  /// A change of `sourceSsrc` counts as a switch of source.
  Result rewrite(uint32_t sourceSsrc, uint16_t sequence, uint32_t timestamp, bool keyframe, int64_t nowUs,
                 Header& out);

  void pause() { paused_ = true; }
  /// Resumes after pause(); the next forwarded packet continues the output numbering.
  void resume();
  /// The next packets come from another source stream (another SSRC, another publisher).
  void switchSource();

  /// The source sequence number of output `sequence`, if it was forwarded in the current segment
  /// (to translate a receiver's NACK back to the publisher's numbers).
  std::optional<uint16_t> toSource(uint16_t sequence) const;
  /// The output sequence number source `sequence` has or would have in the current segment
  /// (a retransmission's original sequence number).
  std::optional<uint16_t> toOutput(uint16_t sequence) const;

  bool paused() const { return paused_; }
  /// True if the current segment began at source packet (`sourceSsrc`, `sequence`).
  bool segmentStartsAt(uint32_t sourceSsrc, uint16_t sequence) const {
    return started_ && !resync_ && !paused_ && sourceSsrc_ == sourceSsrc && segmentStart_ == sequence;
  }
  bool waitingKeyframe() const { return waitingKeyframe_; }
  bool started() const { return started_; }
  uint16_t lastSequence() const { return lastSequence_; }
  uint32_t lastTimestamp() const { return lastTimestamp_; }
  int64_t lastForwardUs() const { return lastForwardUs_; }
  uint32_t clockRate() const { return clockRate_; }
  /// Added to a source timestamp to get the output timestamp in the current segment.
  uint32_t timestampOffset() const { return timestampOffset_; }

 private:
  void startSegment(uint16_t sequence, uint32_t timestamp, int64_t nowUs);

  uint32_t clockRate_;
  bool gateOnKeyframe_;
  bool paused_ = false;
  bool resync_ = true;
  bool waitingKeyframe_;
  bool started_ = false;
  uint32_t sourceSsrc_ = 0;
  uint16_t segmentStart_ = 0;  // first source sequence number of the current segment
  uint16_t sequenceOffset_ = 0;
  uint32_t timestampOffset_ = 0;
  uint16_t lastSequence_;
  uint32_t lastTimestamp_;
  int64_t lastForwardUs_ = 0;
};

}  // namespace diemcau::bridge
