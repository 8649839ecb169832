#pragma once
// Turns a receiver's settled running totals (NackLossMeter: packets the bridge sent it, how many of
// them it NACKed, bytes sent, up to a time) into loss samples for the BandwidthEstimator, one per
// interval long enough to mean something:
//
//   at least kMinIntervalUs and kMinPackets sent   → a sample (a weak link is seen within a second)
//   kMaxIntervalUs without kMinPackets             → a sample of what there is (a thin stream)
//   kMaxIntervalUs with nothing sent               → no sample; the interval starts again
//
// kMinPackets keeps a handful of NACKs from deciding: 50 packets take a 10 % threshold to six
// losses, whereas a 150 kbit/s layer sends about 20 packets a second, where three NACKed packets
// from one late burst would read as 15 %. Three seconds of such a layer is the longest wait.
//
// Intervals are measured on the totals' own clock (`untilUs`: what was sent before it is
// settled), so a sample's loss and its send rate describe the same packets.
//
// Pure; no allocation, never throws.
#include <cstdint>
#include <optional>

namespace diemcau::bridge {

struct SendTotals {
  uint64_t packets = 0;
  uint64_t lost = 0;
  uint64_t bytes = 0;
  int64_t untilUs = 0;  // the totals count what was sent before this time
};

class LossSampler {
 public:
  static constexpr int64_t kMinIntervalUs = 500'000;
  static constexpr int64_t kMaxIntervalUs = 3'000'000;
  static constexpr uint64_t kMinPackets = 50;

  struct Sample {
    uint64_t expected = 0;
    uint64_t lost = 0;
    uint64_t sentBps = 0;  // every byte in the totals over the same interval
  };

  /// The totals now (monotonic: totals that went down, e.g. a track removed, restart the
  /// interval). Returns a sample when an interval is complete.
  std::optional<Sample> onTotals(const SendTotals& totals);

 private:
  bool started_ = false;
  SendTotals start_;
};

}  // namespace diemcau::bridge
