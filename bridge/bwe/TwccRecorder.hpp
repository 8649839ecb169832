#pragma once
// The receive side of transport-wide congestion control toward a publisher
// (draft-holmer-rmcat-transport-wide-cc-extensions-01): every RTP packet of the publish connection
// carries a transport-wide sequence number; the bridge notes when each one arrived and reports the
// arrivals back in TWCC feedback about every 100 ms, so the publisher's delay-based estimator (and
// its probing) can size its encoders quickly.
//
//   onPacket(seq, arrival)  ─►  ring of arrival times by unwrapped sequence (kWindow packets)
//   writeFeedback()         ─►  RTPFB FMT 15 for the sequences since the last feedback
//
// Per-packet work is one unwrap and one store; no allocation, never throws. Times are the caller's
// monotonic clock; feedback reference times count from the first packet, so they stay positive in
// their signed 24-bit field for days.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/rtp/SeqNumbers.hpp"
#include "media/rtp/TransportCc.hpp"

namespace diemcau::bridge {

class TwccRecorder {
 public:
  static constexpr size_t kWindow = 1024;
  /// Statuses per feedback packet: at most ~1 KiB of RTCP even with two-byte deltas.
  static constexpr size_t kMaxPerFeedback = 200;

  TwccRecorder();

  void onPacket(uint16_t transportSequence, int64_t arrivalUs);
  /// Feedback for the packets since the previous one (at most kMaxPerFeedback; call again for the
  /// rest). Returns bytes written, 0 when there is nothing new or `out` is too small.
  size_t writeFeedback(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc);
  bool pending() const { return next_ >= 0 && highest_ >= next_; }

 private:
  static constexpr int64_t kNotReceived = -1;

  media::rtp::SeqUnwrapper unwrapper_;
  std::array<int64_t, kWindow> arrivals_;  // by unwrapped sequence modulo kWindow
  std::array<media::rtp::TwccPacketStatus, kMaxPerFeedback> statuses_{};
  int64_t next_ = -1;     // first unwrapped sequence not yet reported
  int64_t highest_ = -1;  // highest unwrapped sequence received
  int64_t epochUs_ = 0;   // arrival of the first packet, rounded down to a reference tick
  uint8_t feedbackCount_ = 0;
};

}  // namespace diemcau::bridge
