#include "bridge/bwe/BitrateMeter.hpp"

namespace diemcau::bridge {

void BitrateMeter::advance(int64_t bucket) {
  if (!seen_ || bucket - currentBucket_ >= static_cast<int64_t>(kBuckets)) {
    bytes_.fill(0);
  } else {
    for (int64_t b = currentBucket_ + 1; b <= bucket; ++b) bytes_[static_cast<size_t>(b) % kBuckets] = 0;
  }
  currentBucket_ = bucket;
}

void BitrateMeter::add(size_t bytes, int64_t nowUs) {
  const int64_t bucket = nowUs / kBucketUs;
  if (!seen_ || bucket > currentBucket_) advance(bucket);
  seen_ = true;
  lastUs_ = nowUs;
  // A packet stamped before the newest bucket (clock read earlier by the caller) still counts.
  bytes_[static_cast<size_t>(currentBucket_) % kBuckets] += bytes;
}

uint64_t BitrateMeter::bitsPerSecond(int64_t nowUs) const {
  if (!seen_) return 0;
  const int64_t bucket = nowUs / kBucketUs;
  uint64_t total = 0;
  // Buckets older than the window (bucket - kBuckets or before) no longer count.
  for (int64_t b = bucket - static_cast<int64_t>(kBuckets) + 1; b <= bucket; ++b) {
    if (b < 0 || b > currentBucket_ || b <= currentBucket_ - static_cast<int64_t>(kBuckets)) continue;
    total += bytes_[static_cast<size_t>(b) % kBuckets];
  }
  // The window spans kBuckets * 100 ms = one second.
  return total * 8;
}

}  // namespace diemcau::bridge
