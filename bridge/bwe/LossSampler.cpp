#include "bridge/bwe/LossSampler.hpp"

#include <algorithm>

namespace diemcau::bridge {

std::optional<LossSampler::Sample> LossSampler::onTotals(const SendTotals& totals) {
  if (!started_ || totals.packets < start_.packets || totals.lost < start_.lost || totals.bytes < start_.bytes ||
      totals.untilUs < start_.untilUs) {
    started_ = true;
    start_ = totals;
    return std::nullopt;
  }
  const int64_t elapsed = totals.untilUs - start_.untilUs;
  const uint64_t expected = totals.packets - start_.packets;
  const bool enough = elapsed >= kMinIntervalUs && expected >= kMinPackets;
  if (!enough && elapsed < kMaxIntervalUs) return std::nullopt;
  const uint64_t lost = totals.lost - start_.lost;
  const uint64_t bytes = totals.bytes - start_.bytes;
  start_ = totals;
  if (expected == 0) return std::nullopt;
  return Sample{expected, std::min(lost, expected), bytes * 8 * 1'000'000 / static_cast<uint64_t>(elapsed)};
}

}  // namespace diemcau::bridge
