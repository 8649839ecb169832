#include "bridge/bwe/NackCalibration.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::bridge {

uint64_t NackCalibration::onSample(uint64_t expected, uint64_t nackedLost) {
  nackedSinceReport_ += nackedLost;
  const auto counted = static_cast<uint64_t>(std::llround(static_cast<double>(nackedLost) * factor_));
  const bool heavy = expected > 0 && static_cast<double>(counted) > kHeavyLoss * static_cast<double>(expected);
  const bool first = heavy && !previousHeavy_ && !judged_;
  previousHeavy_ = heavy;
  // The edge of the threshold: no cut, and no growth either.
  if (first) return static_cast<uint64_t>(kHeavyLoss * static_cast<double>(expected));
  return counted;
}

void NackCalibration::onReport(uint64_t reportedLost) {
  if (nackedSinceReport_ >= kMinEvidence) {
    factor_ = std::min(1.0, static_cast<double>(reportedLost) / static_cast<double>(nackedSinceReport_));
    judged_ = true;
  }
  nackedSinceReport_ = 0;
}

}  // namespace diemcau::bridge
