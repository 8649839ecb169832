#pragma once
// Loss on one downstream stream as its receiver reports it in NACKs (RFC 4585 section 6.2.1), the
// early signal of a weak downlink: a WebRTC receiver NACKs a gap within a few tens of
// milliseconds, while its receiver reports (RFC 3550) may come seconds apart, or, from GStreamer
// 1.22's webrtcbin on a lossy link, only after 30-40 s.
//
//   onSent(seq, bytes)   ─► slot by sequence number (when sent) + the send-time bucket's counts
//   onResent(bytes)      ─► the bucket's bytes (repairs load the link too)
//   onNack(seq)          ─► the first NACK of a packet counts as lost in the bucket it was SENT in
//   settle(now)          ─► cumulative totals of the buckets older than kSettleUs
//
// A loss belongs to when its packet was sent, not to when the NACK came: after a switch down to a
// thin layer, NACKs still arriving for the thick one would otherwise look like most of the thin
// layer lost. A bucket is settled (its totals final) kSettleUs after it ends, by which time a
// receiver has NACKed what it lost in it (a round trip, the receiver's reordering wait, and a weak
// link's queue of a few hundred milliseconds); a NACK later than that is not counted. A receiver
// repeats its NACK until the repair arrives (RFC 4585 section 3.6): each packet counts once.
//
// Per packet: two stores and an increment, never throws. The per-packet slots (16 KiB) exist only
// for a stream that is NACKed (video) and only once it has sent: they are allocated at its first
// packet, once in the track's life. A subscriber has a down track for every track in the meeting,
// most of them paused by last-N: inline, the slots of a 150-site meeting would take about 0.8 GB
// (150 subscribers x 300 tracks x 17 KiB).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "bridge/bwe/LossSampler.hpp"

namespace diemcau::bridge {

class NackLossMeter {
 public:
  static constexpr size_t kSlots = 1024;
  static constexpr int64_t kBucketUs = 100'000;
  static constexpr size_t kBuckets = 32;  // 3.2 s: the settle delay plus a margin for late ticks
  static constexpr int64_t kSettleUs = 1'000'000;

  /// tracksPackets false (audio: never NACKed): only the send-time buckets, no per-packet slots.
  explicit NackLossMeter(bool tracksPackets = true) : tracksPackets_(tracksPackets) {}

  /// A first transmission with this (the receiver's) sequence number.
  void onSent(uint16_t sequence, size_t bytes, int64_t nowUs);
  /// The member a look-ahead must have in cache before prefetch() (it reads the slots' pointer).
  const auto& slotsHead() const noexcept { return slots_; }
  /// Asks for the lines onSent(sequence, ..., nowUs) will write (a fan-out's look-ahead).
  void prefetch(uint16_t sequence, int64_t nowUs) const noexcept {
    if (slots_) __builtin_prefetch(&(*slots_)[sequence % kSlots], 1, 3);
    __builtin_prefetch(&buckets_[static_cast<size_t>(nowUs / kBucketUs) % kBuckets], 1, 3);
  }
  /// A retransmission: bytes on the link, not a packet of its own.
  void onResent(size_t bytes, int64_t nowUs);
  /// A NACKed sequence number. Returns true when this is the first NACK for a packet still
  /// remembered (counted as lost if its bucket is not settled yet).
  bool onNack(uint16_t sequence, int64_t nowUs);
  /// Totals of everything sent before now - kSettleUs (rounded down to a bucket).
  SendTotals settle(int64_t nowUs);

 private:
  struct Slot {
    int64_t sentUs = 0;
    uint16_t sequence = 0;
    bool used = false;
    bool nacked = false;
  };
  struct Bucket {
    int64_t index = -1;  // nowUs / kBucketUs of the time it counts
    uint32_t packets = 0;
    uint32_t lost = 0;
    uint64_t bytes = 0;
  };
  Bucket& bucketAt(int64_t index);

  using Slots = std::array<Slot, kSlots>;
  bool tracksPackets_;
  std::unique_ptr<Slots> slots_;  // allocated at the first packet sent (tracksPackets_ only)
  std::array<Bucket, kBuckets> buckets_{};
  bool settling_ = false;
  int64_t nextUnsettled_ = 0;  // index of the first bucket not yet in totals_
  SendTotals totals_;
};

}  // namespace diemcau::bridge
