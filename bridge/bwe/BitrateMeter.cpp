#include "bridge/bwe/BitrateMeter.hpp"

#include <algorithm>

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

// Bits in the second (kBucketsPerSecond buckets) ending with bucket `lastBucket`.
uint64_t BitrateMeter::windowBits(int64_t lastBucket) const {
  uint64_t total = 0;
  for (int64_t b = lastBucket - static_cast<int64_t>(kBucketsPerSecond) + 1; b <= lastBucket; ++b) {
    // Only buckets still held: not newer than the newest, not overwritten by newer ones.
    if (b < 0 || b > currentBucket_ || b <= currentBucket_ - static_cast<int64_t>(kBuckets)) continue;
    total += bytes_[static_cast<size_t>(b) % kBuckets];
  }
  return total * 8;
}

uint64_t BitrateMeter::bitsPerSecond(int64_t nowUs) const {
  if (!seen_) return 0;
  return windowBits(nowUs / kBucketUs);
}

uint64_t BitrateMeter::peakBitsPerSecond(int64_t nowUs) const {
  if (!seen_) return 0;
  const int64_t bucket = nowUs / kBucketUs;
  uint64_t peak = 0;
  for (size_t second = 0; second < kBuckets / kBucketsPerSecond; ++second) {
    peak = std::max(peak, windowBits(bucket - static_cast<int64_t>(second * kBucketsPerSecond)));
  }
  return peak;
}

}  // namespace diemcau::bridge
