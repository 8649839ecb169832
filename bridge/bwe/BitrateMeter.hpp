#pragma once
// The bitrate of one stream over the last second, in ten 100 ms buckets: cheap enough for the
// per-packet path (fixed storage, no allocation) and smooth enough for layer decisions.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::bridge {

class BitrateMeter {
 public:
  static constexpr int64_t kBucketUs = 100'000;
  static constexpr size_t kBuckets = 10;

  /// One packet of `bytes` at `nowUs` (monotonic clock).
  void add(size_t bytes, int64_t nowUs);
  /// Bits per second over the window ending at `nowUs`; 0 when nothing arrived in it.
  uint64_t bitsPerSecond(int64_t nowUs) const;
  /// True if anything arrived within the last `windowUs`.
  bool activeWithin(int64_t windowUs, int64_t nowUs) const { return seen_ && nowUs - lastUs_ <= windowUs; }

 private:
  void advance(int64_t bucket);

  std::array<uint64_t, kBuckets> bytes_{};
  int64_t currentBucket_ = 0;  // index (time / kBucketUs) of the newest bucket
  int64_t lastUs_ = 0;
  bool seen_ = false;
};

}  // namespace diemcau::bridge
