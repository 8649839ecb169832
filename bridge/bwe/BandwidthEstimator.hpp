#pragma once
// The bandwidth one receiver's downlink (or one publisher's uplink) can take, from the feedback
// it gives:
//   - the loss the receiver reports (its NACKs, sampled about every second, or its receiver
//     reports), with the loss-based controller of Google Congestion Control
//     (draft-ietf-rmcat-gcc-02 section 6), which is the estimate;
//   - REMB (draft-alvestrand-rmcat-remb-03), the receiver's own delay-based estimate
//     (draft-ietf-rmcat-gcc-02 section 5), as a ceiling on it, and only once trusted. A receiver's
//     REMB cannot exceed about 1.5 times what reaches it, and the bridge sends no padding probes,
//     so right after start a browser's REMB can be far below what its link takes; taken as is, it
//     pulls the layers down and its own measurement down with them. So a REMB limits the estimate
//     only after the link has confirmed it:
//        loss >= 2 % while the bridge sent at least 90 % of the REMB   → trusted (the link loses at
//                                                                        about that rate: a probe
//                                                                        above it failed)
//        loss <  2 % while the bridge sent more than 110 % of the REMB → distrusted (more got
//                                                                        through cleanly)
//        kRembTrustUs after the last confirmation                      → distrusted (let loss probe
//                                                                        again, as below)
//     A trusted REMB that falls lowers the estimate at once: the receiver saw its queue grow
//     before any loss. Under it the loss-based estimate climbs no higher than the REMB, so the
//     ceiling lifting resumes probing from there. A REMB older than kRembFreshUs is not applied. The send rate over the
//     loss interval is what the REMB is compared with; a report without one decides nothing.
//   The loss-based rules:
//        loss > 10 %   estimate = what got through, sent * (1 - loss), if the bridge's send rate
//                      over the interval is known, else estimate *= 1 - 0.5 * loss (at most once
//                      per kDecreaseIntervalUs); never up
//        loss <  2 %   estimate *= 1.08 per second       (scaled by the time since the last report)
//        otherwise     unchanged
//     GCC cuts the send rate by half the loss once per round trip. Here the send rate follows
//     the estimate only at the next keyframe of a lower layer, so several lossy samples describe
//     one overshoot; cutting each time would take the estimate far below what the link carries
//     (and pause video it could carry). What got through is what the link just proved it carries.
//     Without padding probes the only way to learn that a link got better is to try the next
//     layer, so the estimate does climb while the receiver is sent less than it: after loss it
//     holds for a while first (2 s; doubled when loss returns after the estimate had climbed, i.e.
//     a failed probe: up to 30 s when it returns within 30 s of the previous loss, and up to 120 s
//     when it fails at no more than kSameCeiling times the estimate the previous cut was made at,
//     however long the climb back took), so a link that is really weak is probed rarely and briefly.
//     The climb back from what a capped link carries to the layer above takes 10-30 s, so with the
//     time rule alone the hold never grew on such a link: it was probed, and its video stalled for a
//     few seconds, about every 35 s.
//
// Pure and clock-injected: every call takes the time; no allocation, never throws.
#include <cstdint>

namespace diemcau::bridge {

class BandwidthEstimator {
 public:
  struct Config {
    // Start high and let loss cut: the bridge cannot probe, and a low start would pause video
    // that the link could carry.
    uint64_t initialBps = 2'500'000;
    uint64_t minBps = 50'000;
    uint64_t maxBps = 4'000'000;
  };
  static constexpr double kLowLoss = 0.02;
  static constexpr double kHighLoss = 0.10;
  static constexpr double kIncreasePerSecond = 1.08;
  static constexpr int64_t kDecreaseIntervalUs = 300'000;
  static constexpr int64_t kRembFreshUs = 5'000'000;
  static constexpr double kRembTolerance = 0.10;
  static constexpr int64_t kRembTrustUs = 30'000'000;
  static constexpr int64_t kMinHoldUs = 2'000'000;
  static constexpr int64_t kMaxHoldUs = 30'000'000;
  static constexpr double kSameCeiling = 1.25;
  static constexpr int64_t kMaxRepeatHoldUs = 120'000'000;

  BandwidthEstimator() : BandwidthEstimator(Config{}) {}
  explicit BandwidthEstimator(Config config);

  /// Loss over one report interval: `lost` of `expected` packets (summed over the receiver's
  /// report blocks), while the bridge was sending `sentBps` (a cut never goes below what got
  /// through).
  void onLossReport(uint64_t expected, uint64_t lost, uint64_t sentBps, int64_t nowUs);
  /// A REMB from the receiver: a ceiling once the link has confirmed it (above).
  void onRemb(uint64_t bps, int64_t nowUs);
  /// The receiver is reached over a new path (an ICE restart): its REMB and the trust in it
  /// described the old one. The loss-based estimate stays.
  void forgetRemb();

  uint64_t estimateBps(int64_t nowUs) const;
  /// A fresh REMB is trusted: the estimate is at most the REMB.
  bool usingRemb(int64_t nowUs) const {
    return rembSeen_ && rembTrusted_ && nowUs - rembUs_ <= kRembFreshUs && nowUs - rembTrustedUs_ <= kRembTrustUs;
  }
  /// Loss of the last report with any packets, 0..1.
  double lastLoss() const { return lastLoss_; }

 private:
  uint64_t clamp(double bps) const;
  void judgeRemb(double loss, uint64_t sentBps, int64_t nowUs);

  Config config_;
  uint64_t lossEstimate_;
  uint64_t remb_ = 0;
  int64_t rembUs_ = 0;
  bool rembSeen_ = false;
  bool rembTrusted_ = false;
  int64_t rembTrustedUs_ = 0;  // the last loss report that confirmed it
  int64_t lastReportUs_ = 0;
  bool reported_ = false;
  int64_t lastDecreaseUs_ = 0;
  bool decreased_ = false;
  double lastLoss_ = 0;
  int64_t holdUs_ = kMinHoldUs;
  uint64_t cutFromBps_ = 0;  // the estimate the last cut was made at (the ceiling that failed)
  bool climbedSinceLoss_ = false;
};

}  // namespace diemcau::bridge
