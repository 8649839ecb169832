#pragma once
// What one receiver got of one source stream, by the stream sequence of PayloadStamp: unique
// packets, duplicates, and the first and highest sequence, from which loss follows exactly once
// the sender's last sequence is known. A sliding window of 1024 sequence numbers catches
// duplicates and reordering; a packet older than the window counts as new.
//
// The bridge pauses streams (audio last-N, last-N video) and continues a down track's RTP numbering
// across a pause (bridge/room/RtpRewriter), so a receiver sees a jump in the stream sequence
// without a jump in the RTP sequence. Given the RTP header of each packet, the ledger counts such
// jumps as skipped, not lost: only what the receiver itself would see missing counts as loss.
#include <bitset>
#include <cstdint>

#include "media/rtp/CacheLines.hpp"

namespace diemcau::load {

class StreamLedger {
 public:
  enum class Result { First, New, Duplicate, Restarted };

  /// Records one packet of generation `generation`. A different generation than the one being
  /// tracked (the source left and joined again) closes the old one into the closed totals first.
  Result onPacket(uint8_t generation, uint32_t sequence);

  /// The down track a packet came on: SSRC and RTP sequence as the bridge wrote them.
  struct Delivery {
    uint32_t ssrc = 0;
    uint16_t rtpSequence = 0;
    int64_t atNs = 0;  // arrival, steady clock
  };
  /// onPacket, and a forward jump of the stream sequence whose RTP sequence follows the previous
  /// packet's on the same SSRC counts as skipped (a pause of the bridge), not as lost.
  Result onPacket(uint8_t generation, uint32_t sequence, const Delivery& delivery);

  bool started() const { return started_; }
  uint8_t generation() const { return generation_; }
  uint32_t firstSequence() const { return first_; }
  uint32_t highestSequence() const { return highest_; }
  uint64_t unique() const { return unique_; }
  uint64_t duplicates() const { return duplicates_; }
  /// Packets of the current generation missing up to `lastSent` (the source's last sequence),
  /// skipped ones aside.
  uint64_t lostUpTo(uint32_t lastSent) const;
  /// Stream sequences of the current generation the bridge paused over (never forwarded).
  uint64_t skipped() const { return skipped_; }
  /// Arrival of the newest packet given with a Delivery (0: none).
  int64_t lastArrivalNs() const { return lastArrivalNs_; }
  /// Packets of the current generation missing between the first and highest received.
  uint64_t gaps() const { return lostUpTo(highest_); }
  /// Loss and unique counts of generations already closed.
  uint64_t closedLost() const { return closedLost_; }
  uint64_t closedUnique() const { return closedUnique_; }

  /// Adds the lines the next in-order packet touches (media::CacheLines): the counters, and the
  /// window's word that holds the next sequence's bit.
  void addCacheLines(media::CacheLines& lines) const noexcept {
    lines.addMembers(started_, lastArrivalNs_);
    constexpr uint32_t kWordBits = 64;
    lines.add(reinterpret_cast<const char*>(&seen_) + ((highest_ + 1) % kWindow) / kWordBits * sizeof(uint64_t));
  }

 private:
  static constexpr uint32_t kWindow = 1024;

  bool started_ = false;
  uint8_t generation_ = 0;
  uint32_t first_ = 0;
  uint32_t highest_ = 0;
  uint64_t unique_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t closedLost_ = 0;
  uint64_t closedUnique_ = 0;
  uint64_t skipped_ = 0;
  bool delivered_ = false;  // lastDelivery_ holds the packet at highest_
  Delivery lastDelivery_;
  int64_t lastArrivalNs_ = 0;
  std::bitset<kWindow> seen_;  // bit (seq % kWindow) for seq in (highest - kWindow, highest]
};

}  // namespace diemcau::load
