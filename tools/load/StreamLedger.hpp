#pragma once
// What one receiver got of one source stream, by the stream sequence of PayloadStamp: unique
// packets, duplicates, and the first and highest sequence, from which loss follows exactly once
// the sender's last sequence is known. A sliding window of 1024 sequence numbers catches
// duplicates and reordering; a packet older than the window counts as new.
#include <bitset>
#include <cstdint>

namespace diemcau::load {

class StreamLedger {
 public:
  enum class Result { First, New, Duplicate, Restarted };

  /// Records one packet of generation `generation`. A different generation than the one being
  /// tracked (the source left and joined again) closes the old one into the closed totals first.
  Result onPacket(uint8_t generation, uint32_t sequence);

  bool started() const { return started_; }
  uint8_t generation() const { return generation_; }
  uint32_t firstSequence() const { return first_; }
  uint32_t highestSequence() const { return highest_; }
  uint64_t unique() const { return unique_; }
  uint64_t duplicates() const { return duplicates_; }
  /// Packets of the current generation missing up to `lastSent` (the source's last sequence).
  uint64_t lostUpTo(uint32_t lastSent) const;
  /// Packets of the current generation missing between the first and highest received.
  uint64_t gaps() const { return lostUpTo(highest_); }
  /// Loss and unique counts of generations already closed.
  uint64_t closedLost() const { return closedLost_; }
  uint64_t closedUnique() const { return closedUnique_; }

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
  std::bitset<kWindow> seen_;  // bit (seq % kWindow) for seq in (highest - kWindow, highest]
};

}  // namespace diemcau::load
