#pragma once
// The bandwidth one receiver's downlink (or one publisher's uplink) can take, from the feedback
// it gives:
//   - REMB (draft-alvestrand-rmcat-remb-03), when the receiver sends it: its own delay-based
//     estimate, taken as is while fresh;
//   - otherwise the loss the receiver reports (its NACKs, sampled about every second, or its
//     receiver reports), with the loss-based controller of Google Congestion Control
//     (draft-ietf-rmcat-gcc-02 section 6):
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
//     holds for a while first (2 s; doubled, up to 30 s, when loss returns within 30 s of the
//     previous loss after the estimate had climbed, i.e. a failed probe), so a link that is really
//     weak is probed rarely and briefly.
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
  static constexpr int64_t kMinHoldUs = 2'000'000;
  static constexpr int64_t kMaxHoldUs = 30'000'000;

  BandwidthEstimator() : BandwidthEstimator(Config{}) {}
  explicit BandwidthEstimator(Config config);

  /// Loss over one report interval: `lost` of `expected` packets (summed over the receiver's
  /// report blocks), while the bridge was sending `sentBps` (a cut never goes below what got
  /// through).
  void onLossReport(uint64_t expected, uint64_t lost, uint64_t sentBps, int64_t nowUs);
  /// A REMB from the receiver.
  void onRemb(uint64_t bps, int64_t nowUs);

  uint64_t estimateBps(int64_t nowUs) const;
  bool usingRemb(int64_t nowUs) const { return rembSeen_ && nowUs - rembUs_ <= kRembFreshUs; }
  /// Loss of the last report with any packets, 0..1.
  double lastLoss() const { return lastLoss_; }

 private:
  uint64_t clamp(double bps) const;

  Config config_;
  uint64_t lossEstimate_;
  uint64_t remb_ = 0;
  int64_t rembUs_ = 0;
  bool rembSeen_ = false;
  int64_t lastReportUs_ = 0;
  bool reported_ = false;
  int64_t lastDecreaseUs_ = 0;
  bool decreased_ = false;
  double lastLoss_ = 0;
  int64_t holdUs_ = kMinHoldUs;
  bool climbedSinceLoss_ = false;
};

}  // namespace diemcau::bridge
