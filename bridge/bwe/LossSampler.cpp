#include "bridge/bwe/LossSampler.hpp"

#include <algorithm>

namespace diemcau::bridge {

void LossSampler::restart(uint64_t sent, uint64_t lost, int64_t nowUs) {
  started_ = true;
  startUs_ = nowUs;
  sent_ = sent;
  lost_ = lost;
}

std::optional<LossSampler::Sample> LossSampler::onTotals(uint64_t sent, uint64_t lost, int64_t nowUs) {
  if (!started_ || sent < sent_ || lost < lost_ || nowUs < startUs_) {
    restart(sent, lost, nowUs);
    return std::nullopt;
  }
  const int64_t elapsed = nowUs - startUs_;
  const uint64_t expected = sent - sent_;
  const bool enough = elapsed >= kMinIntervalUs && expected >= kMinPackets;
  if (!enough && elapsed < kMaxIntervalUs) return std::nullopt;
  const uint64_t nacked = lost - lost_;
  restart(sent, lost, nowUs);
  if (expected == 0) return std::nullopt;
  return Sample{expected, std::min(nacked, expected)};
}

}  // namespace diemcau::bridge
