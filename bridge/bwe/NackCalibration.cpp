#include "bridge/bwe/NackCalibration.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::bridge {

uint64_t NackCalibration::onSample(uint64_t nackedLost) {
  nackedSinceReport_ += nackedLost;
  return static_cast<uint64_t>(std::llround(static_cast<double>(nackedLost) * factor_));
}

void NackCalibration::onReport(uint64_t reportedLost) {
  if (nackedSinceReport_ >= kMinEvidence) {
    factor_ = std::min(1.0, static_cast<double>(reportedLost) / static_cast<double>(nackedSinceReport_));
  }
  nackedSinceReport_ = 0;
}

}  // namespace diemcau::bridge
