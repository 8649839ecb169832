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
  const auto current = static_cast<double>(lossEstimate_);
  if (loss > kHighLoss) {
    // One cut per interval: the audio and video blocks of one compound describe the same loss.
    if (decreased_ && nowUs - lastDecreaseUs_ < kDecreaseIntervalUs) return;
    holdUs_ = decreased_ && nowUs - lastDecreaseUs_ < kMaxHoldUs ? std::min(kMaxHoldUs, holdUs_ * 2) : kMinHoldUs;
    decreased_ = true;
    lastDecreaseUs_ = nowUs;
    // Receivers report every few seconds, not every round trip as GCC assumes, so one cut goes
    // as far as the evidence: what got through (sentBps * (1 - loss)) when that is lower, since
    // the link just showed it carries no more.
    const double delivered = static_cast<double>(sentBps) * (1.0 - loss);
    const double cut = current * (1.0 - 0.5 * loss);
    lossEstimate_ = clamp(sentBps > 0 ? std::min(cut, delivered) : cut);
    return;
  }
  if (loss >= kLowLoss) return;
  if (decreased_ && nowUs - lastDecreaseUs_ < holdUs_) return;
  const double seconds = std::min(1.0, static_cast<double>(sinceLastUs) / 1e6);
  lossEstimate_ = clamp(current * std::pow(kIncreasePerSecond, seconds));
}

void BandwidthEstimator::onRemb(uint64_t bps, int64_t nowUs) {
  remb_ = bps;
  rembUs_ = nowUs;
  rembSeen_ = true;
}

uint64_t BandwidthEstimator::estimateBps(int64_t nowUs) const {
  if (usingRemb(nowUs)) return clamp(static_cast<double>(remb_));
  return lossEstimate_;
}

}  // namespace diemcau::bridge
