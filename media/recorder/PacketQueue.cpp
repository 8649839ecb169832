#include "media/recorder/PacketQueue.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace diemcau::media::recorder {

PacketQueue::PacketQueue(size_t capacity)
    : mask_(std::bit_ceil(std::max<size_t>(capacity, 2)) - 1), slots_(std::make_unique<Slot[]>(mask_ + 1)) {}

bool PacketQueue::push(uint8_t track, std::span<const uint8_t> packet, int64_t arrivalNs) noexcept {
  if (packet.size() > kMaxPacket) {
    droppedOversize_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  const uint64_t tail = tail_.load(std::memory_order_relaxed);
  if (tail - head_.load(std::memory_order_acquire) > mask_) {
    droppedFull_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  Slot& slot = slots_[tail & mask_];
  slot.arrivalNs = arrivalNs;
  slot.size = static_cast<uint16_t>(packet.size());
  slot.track = track;
  std::memcpy(slot.data.data(), packet.data(), packet.size());
  tail_.store(tail + 1, std::memory_order_release);
  return true;
}

const PacketQueue::Slot* PacketQueue::front() const noexcept {
  const uint64_t head = head_.load(std::memory_order_relaxed);
  if (head == tail_.load(std::memory_order_acquire)) return nullptr;
  return &slots_[head & mask_];
}

void PacketQueue::release() noexcept {
  head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

PacketQueue::Counters PacketQueue::counters() const noexcept {
  return {tail_.load(std::memory_order_acquire), droppedFull_.load(std::memory_order_relaxed),
          droppedOversize_.load(std::memory_order_relaxed)};
}

}  // namespace diemcau::media::recorder
