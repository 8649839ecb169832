#include "bridge/bwe/NackLossMeter.hpp"

namespace diemcau::bridge {

NackLossMeter::Bucket& NackLossMeter::bucketAt(int64_t index) {
  Bucket& bucket = buckets_[static_cast<size_t>(index) % kBuckets];
  if (bucket.index != index) bucket = Bucket{index, 0, 0, 0};
  return bucket;
}

void NackLossMeter::onSent(uint16_t sequence, size_t bytes, int64_t nowUs) {
  if (tracksPackets_) {
    if (!slots_) slots_ = std::make_unique<Slots>();  // once in the stream's life (value-initialized)
    (*slots_)[sequence % kSlots] = Slot{nowUs, sequence, true, false};
  }
  Bucket& bucket = bucketAt(nowUs / kBucketUs);
  ++bucket.packets;
  bucket.bytes += bytes;
}

void NackLossMeter::onResent(size_t bytes, int64_t nowUs) { bucketAt(nowUs / kBucketUs).bytes += bytes; }

bool NackLossMeter::onNack(uint16_t sequence, int64_t nowUs) {
  if (!slots_) return false;  // nothing sent yet, or a stream without slots
  Slot& slot = (*slots_)[sequence % kSlots];
  // Not sent (yet), or so long ago that its slot holds a later packet: nothing to say.
  if (!slot.used || slot.sequence != sequence || slot.sentUs > nowUs) return false;
  if (slot.nacked) return false;  // the receiver asking again
  slot.nacked = true;
  const int64_t index = slot.sentUs / kBucketUs;
  Bucket& bucket = buckets_[static_cast<size_t>(index) % kBuckets];
  if (bucket.index == index && (!settling_ || index >= nextUnsettled_)) ++bucket.lost;
  return true;
}

SendTotals NackLossMeter::settle(int64_t nowUs) {
  if (nowUs < kSettleUs) return totals_;  // a clock this close to its origin has nothing settled
  const int64_t end = (nowUs - kSettleUs) / kBucketUs;  // buckets before this one are settled
  if (!settling_) {
    settling_ = true;
    nextUnsettled_ = end;
  }
  // After a long gap only the buckets still in the ring can count.
  if (end - nextUnsettled_ > static_cast<int64_t>(kBuckets)) nextUnsettled_ = end - static_cast<int64_t>(kBuckets);
  for (; nextUnsettled_ < end; ++nextUnsettled_) {
    const Bucket& bucket = buckets_[static_cast<size_t>(nextUnsettled_) % kBuckets];
    if (bucket.index != nextUnsettled_) continue;
    totals_.packets += bucket.packets;
    totals_.lost += bucket.lost;
    totals_.bytes += bucket.bytes;
  }
  if (end > nextUnsettled_) nextUnsettled_ = end;
  totals_.untilUs = nextUnsettled_ * kBucketUs;
  return totals_;
}

}  // namespace diemcau::bridge
