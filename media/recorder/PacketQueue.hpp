#pragma once
// A bounded single-producer single-consumer ring of fixed-size packet slots, allocated once.
//
//   worker thread ──push()──► [slot][slot][slot]...[slot] ──pop()──► recorder drain thread
//
// The producer copies into a free slot and publishes it with one release store; when every slot is
// taken the packet is dropped and counted, so the worker never waits for the disk.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace diemcau::media::recorder {

class PacketQueue {
 public:
  /// Larger than any RTP packet the bridge accepts from its transports (one UDP datagram on a
  /// 1500-byte MTU path); larger packets are dropped and counted as oversize.
  static constexpr size_t kMaxPacket = 1500;

  struct Slot {
    int64_t arrivalNs = 0;  // CLOCK_MONOTONIC, taken by the producer
    uint16_t size = 0;
    uint8_t track = 0;
    std::array<uint8_t, kMaxPacket> data{};
  };

  struct Counters {
    uint64_t pushed = 0;
    uint64_t droppedFull = 0;
    uint64_t droppedOversize = 0;
  };

  /// `capacity` slots (rounded up to a power of two, at least 2).
  explicit PacketQueue(size_t capacity);
  PacketQueue(const PacketQueue&) = delete;
  PacketQueue& operator=(const PacketQueue&) = delete;

  /// Producer thread only. False when the packet was dropped (queue full or packet too large).
  bool push(uint8_t track, std::span<const uint8_t> packet, int64_t arrivalNs) noexcept;

  /// Consumer thread only: the oldest slot, or nullptr when empty. The slot stays valid until release().
  const Slot* front() const noexcept;
  /// Consumer thread only: frees the slot front() returned.
  void release() noexcept;

  size_t capacity() const { return mask_ + 1; }
  /// Readable from any thread; each counter is individually exact.
  Counters counters() const noexcept;

 private:
  size_t mask_;
  std::unique_ptr<Slot[]> slots_;
  // Separate cache lines: the producer writes tail_, the consumer head_.
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  std::atomic<uint64_t> droppedFull_{0};
  std::atomic<uint64_t> droppedOversize_{0};
};

}  // namespace diemcau::media::recorder
