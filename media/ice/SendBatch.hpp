#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace diemcau::media {

/**
 * Datagrams queued while a UdpMux receive batch is dispatched, sent together with one sendmmsg
 * per socket when the batch ends (or when the pool fills).
 *
 * A datagram lives in a preallocated slot until the flush: either copied there by queue() (the
 * caller's buffer is reused for its next packet before the flush), or written there in place
 * between reserve() and commit() (a transport protects an outgoing packet straight into its slot,
 * which saves a copy per datagram). Owned and used on one worker thread.
 */
class SendBatch {
 public:
  static constexpr size_t kSlots = 256;
  /// Largest datagram queued; bigger ones are sent at once by the caller (ordering is kept by
  /// flushing first). A WebRTC path keeps under 1500 (the usual MTU).
  static constexpr size_t kSlotBytes = 1500;

  struct Counters {
    uint64_t calls = 0;      // sendmmsg calls made
    uint64_t datagrams = 0;  // datagrams the kernel accepted
    uint64_t errors = 0;     // datagrams dropped (full socket buffer, unreachable...)
  };

  SendBatch();
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  bool full() const { return count_ == kSlots; }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }

  /// Copies one datagram for `fd`; false when the pool is full or `len` exceeds kSlotBytes.
  bool queue(int fd, const sockaddr* to, socklen_t toLength, const uint8_t* data, size_t len);
  /// The next free slot, to write a datagram for `fd` in place: kSlotBytes long, or empty when the
  /// pool is full or `capacity` (what the writer needs) exceeds kSlotBytes. Nothing is queued until
  /// commit(); a queue() or another reserve() before it hands out the same slot again.
  std::span<uint8_t> reserve(int fd, const sockaddr* to, socklen_t toLength, size_t capacity);
  /// Queues the reserved slot with its first `len` bytes; false without a reservation or when `len`
  /// exceeds kSlotBytes.
  bool commit(size_t len);
  /// Sends everything queued, one sendmmsg per socket (a partial send is resumed; a datagram the
  /// kernel refuses is counted and skipped; EAGAIN drops the rest of that socket's queue: a
  /// non-blocking data path never waits). Empties the pool.
  Counters flush();

 private:
  struct Slot;
  void sendRun(int fd, size_t first, Counters& counters);

  std::unique_ptr<Slot[]> slots_;
  std::unique_ptr<mmsghdr[]> headers_;
  std::unique_ptr<iovec[]> vectors_;
  size_t count_ = 0;
  bool reserved_ = false;  // slots_[count_] holds a reserve()'s destination
};

}  // namespace diemcau::media
