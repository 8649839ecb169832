#pragma once
// One-way latency histogram: 1 µs buckets up to 10 ms, 1 ms buckets up to 10 s, then one
// overflow bucket. Recording is an index computation and an increment (no allocation); one
// histogram per media worker, merged once at the end.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::load {

class LatencyHistogram {
 public:
  void record(int64_t ns);
  void merge(const LatencyHistogram& other);
  void reset();

  uint64_t count() const { return count_; }
  /// The smallest value (µs, bucket upper bound) at or below which `quantile` of the samples lie.
  double percentileUs(double quantile) const;
  double maxUs() const { return static_cast<double>(maxNs_) / 1000.0; }

 private:
  static constexpr size_t kFine = 10'000;    // 1 µs each: [0, 10 ms)
  static constexpr size_t kCoarse = 9'990;   // 1 ms each: [10 ms, 10 s)
  static constexpr size_t kBuckets = kFine + kCoarse + 1;

  static double bucketUpperUs(size_t index);

  std::array<uint64_t, kBuckets> buckets_{};
  uint64_t count_ = 0;
  int64_t maxNs_ = 0;
};

}  // namespace diemcau::load
