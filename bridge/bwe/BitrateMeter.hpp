#pragma once
// The bitrate of one stream over the last second, and the highest one-second bitrate of the last
// five, in 100 ms buckets: cheap enough for the per-packet path (fixed storage, no allocation).
// Layer decisions use the peak: a video's rate swings with its content and keyframes, and a layer
// chosen at a quiet moment overshoots a weak link at the next busy one.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::bridge {

class BitrateMeter {
 public:
  static constexpr int64_t kBucketUs = 100'000;
  static constexpr size_t kBuckets = 50;        // five seconds
  static constexpr size_t kBucketsPerSecond = 10;

  /// One packet of `bytes` at `nowUs` (monotonic clock).
  void add(size_t bytes, int64_t nowUs);
  /// Bits per second over the window ending at `nowUs`; 0 when nothing arrived in it.
  uint64_t bitsPerSecond(int64_t nowUs) const;
  /// The highest of the five one-second windows ending now, 1 s, ... 4 s ago.
  uint64_t peakBitsPerSecond(int64_t nowUs) const;
  /// True if anything arrived within the last `windowUs`.
  bool activeWithin(int64_t windowUs, int64_t nowUs) const { return seen_ && nowUs - lastUs_ <= windowUs; }

 private:
  void advance(int64_t bucket);
  uint64_t windowBits(int64_t lastBucket) const;

  std::array<uint64_t, kBuckets> bytes_{};
  int64_t currentBucket_ = 0;  // index (time / kBucketUs) of the newest bucket
  int64_t lastUs_ = 0;
  bool seen_ = false;
};

}  // namespace diemcau::bridge
