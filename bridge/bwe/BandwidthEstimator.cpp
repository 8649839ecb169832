#include "bridge/bwe/BandwidthEstimator.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::bridge {

BandwidthEstimator::BandwidthEstimator(Config config) : config_(config), lossEstimate_(0) {
  lossEstimate_ = clamp(static_cast<double>(config_.initialBps));
}

uint64_t BandwidthEstimator::clamp(double bps) const {
  const double bounded = std::clamp(bps, static_cast<double>(config_.minBps), static_cast<double>(config_.maxBps));
  return static_cast<uint64_t>(bounded);
}

void BandwidthEstimator::onLossReport(uint64_t expected, uint64_t lost, uint64_t sentBps, int64_t nowUs) {
  const int64_t sinceLastUs = reported_ ? std::max<int64_t>(0, nowUs - lastReportUs_) : 0;
  reported_ = true;
  lastReportUs_ = nowUs;
  if (expected == 0) return;  // nothing was sent: the report says nothing about the link
  const double loss = std::min(1.0, static_cast<double>(lost) / static_cast<double>(expected));
  lastLoss_ = loss;
  judgeRemb(loss, sentBps, nowUs);
  const auto current = static_cast<double>(lossEstimate_);
  if (loss > kHighLoss) {
    // One decision per interval: the audio and video blocks of one compound describe the same loss.
    if (decreased_ && nowUs - lastDecreaseUs_ < kDecreaseIntervalUs) return;
    // Loss again after the estimate climbed, soon after the previous loss or at no higher a ceiling
    // than the one that failed then: the probe failed, probe less often. Loss that goes on without a
    // climb in between is the same episode and keeps the hold as it is.
    const bool sameCeiling = current <= kSameCeiling * static_cast<double>(cutFromBps_);
    const bool soon = nowUs - lastDecreaseUs_ < kMaxHoldUs;
    if (decreased_ && climbedSinceLoss_ && (sameCeiling || soon)) {
      holdUs_ = std::min(sameCeiling ? kMaxRepeatHoldUs : kMaxHoldUs, holdUs_ * 2);
    } else if (!decreased_ || !soon) {
      holdUs_ = kMinHoldUs;
    }
    cutFromBps_ = lossEstimate_;
    decreased_ = true;
    climbedSinceLoss_ = false;
    lastDecreaseUs_ = nowUs;
    if (sentBps > 0) {
      // What got through: the link just carried that much, so no lower; and never up, since the
      // bridge may have been sending above its estimate (a switch down waits for a keyframe).
      const double delivered = static_cast<double>(sentBps) * (1.0 - loss);
      lossEstimate_ = clamp(std::min(current, delivered));
    } else {
      lossEstimate_ = clamp(current * (1.0 - 0.5 * loss));
    }
    return;
  }
  if (loss >= kLowLoss) return;
  if (decreased_ && nowUs - lastDecreaseUs_ < holdUs_) return;
  const double seconds = std::min(1.0, static_cast<double>(sinceLastUs) / 1e6);
  uint64_t grown = clamp(current * std::pow(kIncreasePerSecond, seconds));
  // Under a trusted REMB the loss-based estimate does not climb past it (as libwebrtc bounds its
  // loss-based estimate by the delay-based one): when the ceiling lifts, probing resumes from
  // about the REMB at 8 % a second rather than jumping to wherever it had drifted.
  if (usingRemb(nowUs)) grown = std::max(lossEstimate_, std::min(grown, clamp(static_cast<double>(remb_))));
  if (grown > lossEstimate_) climbedSinceLoss_ = true;
  lossEstimate_ = grown;
}

void BandwidthEstimator::judgeRemb(double loss, uint64_t sentBps, int64_t nowUs) {
  // Only a fresh REMB compared with a measured send rate says anything about the REMB.
  if (!rembSeen_ || nowUs - rembUs_ > kRembFreshUs || sentBps == 0) return;
  const auto sent = static_cast<double>(sentBps);
  const auto remb = static_cast<double>(remb_);
  if (loss >= kLowLoss && sent >= remb * (1.0 - kRembTolerance)) {
    rembTrusted_ = true;
    rembTrustedUs_ = nowUs;
  } else if (loss < kLowLoss && sent > remb * (1.0 + kRembTolerance)) {
    rembTrusted_ = false;
  }
}

void BandwidthEstimator::onRemb(uint64_t bps, int64_t nowUs) {
  remb_ = bps;
  rembUs_ = nowUs;
  rembSeen_ = true;
}

void BandwidthEstimator::forgetRemb() {
  remb_ = 0;
  rembSeen_ = false;
  rembTrusted_ = false;
}

uint64_t BandwidthEstimator::estimateBps(int64_t nowUs) const {
  if (usingRemb(nowUs)) return std::min(lossEstimate_, clamp(static_cast<double>(remb_)));
  return lossEstimate_;
}

}  // namespace diemcau::bridge
