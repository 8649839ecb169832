#pragma once
// One subscriber's downlink estimate and the state that feeds it, per path to the receiver:
//
//   NACK totals of its down tracks ─► LossSampler ─► NackCalibration ─┐
//   its receiver reports (loss, send rate since the previous one) ───┼─► BandwidthEstimator
//   its REMB ────────────────────────────────────────────────────────┘    (docs/ARCHITECTURE.md)
//
// The sampler's interval, the calibration of the receiver's NACKs against its reports, the
// previous report's send-rate mark and the REMB all describe one path. An ICE restart (the
// receiver behind another network, or the same one after an outage) starts them anew (onNewPath);
// the loss-based estimate itself is kept, since a restart on a rural link most often finds the
// same link, and starting it from what that link last carried beats starting high again. A
// participant that rejoins or resumes is a new participant, with everything new.
//
// Pure and clock-injected; no allocation, never throws.
#include <cstdint>
#include <optional>

#include "bridge/bwe/BandwidthEstimator.hpp"
#include "bridge/bwe/LossSampler.hpp"
#include "bridge/bwe/NackCalibration.hpp"

namespace diemcau::bridge {

class DownlinkEstimate {
 public:
  /// What one sample or report fed the estimator: `lost` of `expected`, at `sentBps` (0: unknown).
  struct Loss {
    uint64_t expected = 0;
    uint64_t lost = 0;
    uint64_t sentBps = 0;
  };

  DownlinkEstimate() = default;
  explicit DownlinkEstimate(BandwidthEstimator::Config config) : estimator_(config) {}

  /// The settled NACK totals of the receiver's down tracks (summed). When they complete a
  /// sampling interval, the calibrated sample goes to the estimator and is returned.
  std::optional<Loss> onNackTotals(const SendTotals& totals, int64_t nowUs);
  /// A receiver report's loss over its interval; `bytesSent`: every byte sent on the connection
  /// so far (the send rate is taken since the previous report).
  Loss onReceiverReport(uint64_t expected, uint64_t lost, uint64_t bytesSent, int64_t nowUs);
  /// A receiver report about the receiver's streams without loss figures (its first one).
  void onBaselineReport() { calibration_.onBaselineReport(); }
  void onRemb(uint64_t bps, int64_t nowUs) { estimator_.onRemb(bps, nowUs); }
  /// The receiver is reached over a new path: everything above but the loss-based estimate starts anew.
  void onNewPath();

  uint64_t estimateBps(int64_t nowUs) const { return estimator_.estimateBps(nowUs); }
  const BandwidthEstimator& estimator() const { return estimator_; }
  double nackFactor() const { return calibration_.factor(); }
  /// The factor a NACK sample sent at `sentBps` now is taken at: 1 where no judgment holds.
  double nackFactorFor(uint64_t sentBps, int64_t nowUs) const {
    return calibration_.judges(sentBps, nowUs) ? calibration_.factor() : 1.0;
  }

 private:
  BandwidthEstimator estimator_;
  LossSampler sampler_;
  NackCalibration calibration_;
  int64_t lastReportUs_ = 0;  // the previous receiver report with loss figures, and the
  uint64_t lastBytesSent_ = 0;  // connection's bytes sent then
  bool reported_ = false;
};

}  // namespace diemcau::bridge
