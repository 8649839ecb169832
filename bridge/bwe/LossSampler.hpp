#pragma once
// Turns a receiver's running totals (packets the bridge sent it, distinct packets it NACKed) into
// loss samples for the BandwidthEstimator, one per interval long enough to mean something:
//
//   at least kMinIntervalUs and kMinPackets sent   → a sample (a weak link is seen within a second)
//   kMaxIntervalUs without kMinPackets             → a sample of what there is (a thin stream)
//   kMaxIntervalUs with nothing sent               → no sample; the interval starts again
//
// NACKs trail the packets they name by a round trip and the receiver's reordering wait, so an
// interval's loss belongs partly to the previous one; over consecutive samples it evens out, and
// a sample never claims more lost than sent.
//
// Pure and clock-injected; no allocation, never throws.
#include <cstdint>
#include <optional>

namespace diemcau::bridge {

class LossSampler {
 public:
  static constexpr int64_t kMinIntervalUs = 500'000;
  static constexpr int64_t kMaxIntervalUs = 1'500'000;
  static constexpr uint64_t kMinPackets = 50;

  struct Sample {
    uint64_t expected = 0;
    uint64_t lost = 0;
  };

  /// The totals now (monotonic: a total that went down, e.g. a track removed, restarts the
  /// interval). Returns a sample when an interval is complete.
  std::optional<Sample> onTotals(uint64_t sent, uint64_t lost, int64_t nowUs);

 private:
  void restart(uint64_t sent, uint64_t lost, int64_t nowUs);

  bool started_ = false;
  int64_t startUs_ = 0;
  uint64_t sent_ = 0;
  uint64_t lost_ = 0;
};

}  // namespace diemcau::bridge
