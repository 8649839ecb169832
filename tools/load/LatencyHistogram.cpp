#include "tools/load/LatencyHistogram.hpp"

#include <algorithm>
#include <cmath>

namespace diemcau::load {

void LatencyHistogram::record(int64_t ns) {
  if (ns < 0) ns = 0;
  const int64_t us = ns / 1000;
  size_t index = 0;
  if (us < static_cast<int64_t>(kFine)) {
    index = static_cast<size_t>(us);
  } else {
    const int64_t ms = us / 1000;
    index = ms < 10'000 ? kFine + static_cast<size_t>(ms - 10) : kBuckets - 1;
  }
  ++buckets_[index];
  ++count_;
  maxNs_ = std::max(maxNs_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  maxNs_ = std::max(maxNs_, other.maxNs_);
}

void LatencyHistogram::reset() {
  buckets_.fill(0);
  count_ = 0;
  maxNs_ = 0;
}

double LatencyHistogram::bucketUpperUs(size_t index) {
  if (index < kFine) return static_cast<double>(index + 1);
  return static_cast<double>((index - kFine + 11) * 1000);
}

double LatencyHistogram::percentileUs(double quantile) const {
  if (count_ == 0) return 0.0;
  const auto rank = static_cast<uint64_t>(std::ceil(quantile * static_cast<double>(count_)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= std::max<uint64_t>(rank, 1)) return i == kBuckets - 1 ? maxUs() : std::min(bucketUpperUs(i), maxUs());
  }
  return maxUs();
}

}  // namespace diemcau::load
