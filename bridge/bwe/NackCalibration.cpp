#include "bridge/bwe/NackCalibration.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::bridge {

namespace {

// `bps` is at most kJudgedRateMargin times `ofBps`.
bool notMuchAbove(uint64_t bps, uint64_t ofBps) {
  return static_cast<double>(bps) <= NackCalibration::kJudgedRateMargin * static_cast<double>(ofBps);
}

}  // namespace

bool NackCalibration::judges(uint64_t sentBps, int64_t nowUs) const {
  if (!judged_ || nowUs - judgedUs_ > kJudgmentLifetimeUs) return false;
  return judgedBps_ == 0 || sentBps == 0 || notMuchAbove(sentBps, judgedBps_);
}

bool NackCalibration::sameConditions(uint64_t peakBps) const {
  return peakBps != 0 && judgedBps_ != 0 && notMuchAbove(peakBps, judgedBps_) &&
         notMuchAbove(judgedBps_, peakBps);
}

uint64_t NackCalibration::onSample(uint64_t expected, uint64_t nackedLost, uint64_t sentBps, int64_t nowUs) {
  nackedSinceReport_ += nackedLost;
  peakBpsSinceReport_ = std::max(peakBpsSinceReport_, sentBps);
  const bool judged = judges(sentBps, nowUs);
  const double factor = judged ? factor_ : 1.0;
  const auto counted = static_cast<uint64_t>(std::llround(static_cast<double>(nackedLost) * factor));
  const bool heavy = expected > 0 && static_cast<double>(counted) > kHeavyLoss * static_cast<double>(expected);
  const bool first = heavy && !previousHeavy_ && !judged;
  previousHeavy_ = heavy;
  // The edge of the threshold: no cut, and no growth either.
  if (first) return static_cast<uint64_t>(kHeavyLoss * static_cast<double>(expected));
  return counted;
}

void NackCalibration::onReport(uint64_t reportedLost, int64_t nowUs) {
  if (nackedSinceReport_ >= kMinEvidence) {
    factor_ = std::min(1.0, static_cast<double>(reportedLost) / static_cast<double>(nackedSinceReport_));
    judged_ = true;
    judgedUs_ = nowUs;
    judgedBps_ = peakBpsSinceReport_;
  } else if (judged_ && sameConditions(peakBpsSinceReport_)) {
    // Too few NACKs to judge again, at the rate the judgment was made: nothing contradicts it.
    judgedUs_ = nowUs;
  }
  nackedSinceReport_ = 0;
  peakBpsSinceReport_ = 0;
}

}  // namespace diemcau::bridge
